package post

import (
	"context"
	"fmt"
	"slices"

	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/storage"
)

// ensureSession builds a Signal session with the device from a bundle it
// serves, unless one exists; fresh reports that it built one.
func (o *outbox) ensureSession(ctx context.Context, addr e2e.Address, d identity.Device) (fresh bool, err error) {
	n := o.n
	ok, err := n.e2e.HasSession(ctx, addr)
	if err != nil || ok {
		return false, err
	}
	b, err := o.bundle(ctx, addr, d)
	if err != nil {
		return false, err
	}
	if b.Cert.PeerID != d.Cert.PeerID {
		return false, fmt.Errorf("verify prekey bundle: certificate for another peer")
	}
	change, err := n.e2e.StartSession(ctx, b)
	if err != nil {
		return false, fmt.Errorf("start session: %w", err)
	}
	if change != nil {
		n.policy.IdentityChanged(ctx, change)
		_, err := n.policy.Allowed(ctx, rt.CoreAccount(addr.Account))
		return true, err
	}
	return true, nil
}

// seal encrypts each items[i], i in idx, for the device at addr, in one
// session write, using the copy Send sealed instead where there is one.
// Until the device has acknowledged our deposit secret, each plaintext
// carries it; what it carries is returned (version 0: none).
func (o *outbox) seal(ctx context.Context, addr e2e.Address, items []storage.OutboxItem, idx []int) ([]e2e.Sealed, handed, error) {
	out := make([]e2e.Sealed, len(idx))
	var plain [][]byte
	var fill []int
	o.mu.Lock()
	for k, i := range idx {
		if c, ok := o.presealed[items[i].ID]; ok && c.device == addr.Device {
			delete(o.presealed, items[i].ID)
			out[k] = c.sealed
			continue
		}
		plain = append(plain, items[i].Content)
		fill = append(fill, k)
	}
	o.mu.Unlock()
	if len(plain) == 0 {
		return out, handed{}, nil
	}
	field, secret := o.n.deposits.secretField(ctx, addr)
	if field != nil {
		for j, p := range plain {
			plain[j] = append(slices.Clip(p), field...)
		}
	}
	fresh, err := o.n.e2e.EncryptBatch(ctx, addr, plain)
	if err != nil {
		return nil, handed{}, err
	}
	for j, k := range fill {
		out[k] = fresh[j]
	}
	return out, secret, nil
}

// dropPresealed forgets the copies Send sealed for items[i], i in idx.
func (o *outbox) dropPresealed(items []storage.OutboxItem, idx []int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, i := range idx {
		delete(o.presealed, items[i].ID)
	}
}

// preseal encrypts a new message for the recipient's device inside the
// transaction that queues it (store writes history and outbox), when the
// recipient has a single device, a live session with it, and an idle lane:
// the lane then sends at once, one commit fewer on the way. The copy is
// kept in memory for the first attempt (a crash only skips a message key).
// It reports whether the item was stored; when not (a condition unmet, or
// encryption failed), the caller stores it plainly and the lane encrypts.
// An error is store's.
func (o *outbox) preseal(ctx context.Context, to identity.AccountID, it *storage.OutboxItem, store func(ctx context.Context) error) (bool, error) {
	n := o.n
	o.mu.Lock()
	l := o.lanes[to]
	busy := l != nil && len(l.queue) > 0
	o.mu.Unlock()
	list := n.resolver.Cached(rt.CoreAccount(to))
	if busy || list == nil || len(list.Devices) != 1 {
		return false, nil
	}
	addr := e2e.Address{Account: to, Device: list.Devices[0].Cert.DeviceID}
	if !n.e2e.SessionCached(addr) {
		return false, nil
	}
	var storeErr error
	plain := it.Content
	if field, _ := n.deposits.secretField(ctx, addr); field != nil {
		plain = append(slices.Clip(plain), field...)
	}
	typ, ct, err := n.e2e.Encrypt(ctx, addr, plain, func(ctx context.Context, _ e2e.Sealed) error {
		storeErr = store(ctx)
		return storeErr
	})
	switch {
	case storeErr != nil:
		return false, storeErr
	case err != nil:
		return false, nil
	}
	o.mu.Lock()
	o.presealed[it.ID] = presealedCopy{device: addr.Device, sealed: e2e.Sealed{Type: typ, Ciphertext: ct}}
	o.mu.Unlock()
	return true, nil
}

// bundle gets a verified prekey bundle for a device: from the device
// itself (with a one-time prekey); when it cannot be reached or refuses,
// from its relays (a one-time prekey it left there, or its signed bundle);
// else the signed record it published in the DHT (last-resort key).
func (o *outbox) bundle(ctx context.Context, addr e2e.Address, d identity.Device) (*e2e.Bundle, error) {
	n := o.n
	raw, err := e2e.FetchBundle(ctx, n.host, d.Cert.PeerID)
	if err == nil {
		b, err := e2e.VerifyBundle(raw, addr)
		if err != nil {
			return nil, fmt.Errorf("verify prekey bundle: %w", err)
		}
		return b, nil
	}
	fetchErr := err
	if list, err := n.resolver.Get(ctx, rt.CoreAccount(addr.Account), false); err == nil {
		if b, err := o.relayBundle(ctx, list, addr); err == nil {
			return b, nil
		}
	}
	lctx, cancel := context.WithTimeout(ctx, rt.LookupTimeout)
	defer cancel()
	rec, err := n.dht.GetValue(lctx, e2e.BundleKey(addr))
	if err != nil {
		return nil, fmt.Errorf("fetch prekey bundle: %w (and none in the DHT: %v)", fetchErr, err)
	}
	b, err := e2e.VerifyBundleRecord(rec, addr)
	if err != nil {
		return nil, fmt.Errorf("verify published prekey bundle: %w", err)
	}
	return b, nil
}

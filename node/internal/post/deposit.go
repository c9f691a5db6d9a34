package post

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/delivery"
	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/protocol/sealed"
	"github.com/pigeon-net/pigeon/storage"
)

// depositRelays is how many of a recipient's relays get a copy of an
// envelope the recipient cannot take directly.
const depositRelays = 2

// replayedCustody is how long the sender assumes a relay keeps a deposit
// it refused as already held (its receipt was lost): as long as relays
// keep deposits by default.
const replayedCustody = 30 * 24 * time.Hour

// openDeposit unseals one deposited envelope and handles it like one that
// arrived directly. The sender is authenticated by its certificate and the
// Signal session inside, since the transport peer is the relay.
func (n *receiver) openDeposit(ctx context.Context, raw []byte) pb.ErrorCode {
	if len(raw) > 0 && raw[0] == mailbox.GroupItemMarker {
		return n.groups.TakeEnvelope(ctx, raw[1:]) // kept by the relay from a group topic
	}
	kp := n.store.GetIdentityKeyPair()
	priv := kp.PrivateKey().Serialize()
	plain, err := sealed.Open(priv[:], kp.PublicKey().Serialize(), raw)
	if err != nil {
		n.log.Debug("deposit does not open", "err", err)
		return pb.ErrorCode_MALFORMED
	}
	env, err := delivery.DecodeEnvelope(plain)
	if err != nil || env.SenderCertificate == nil {
		return pb.ErrorCode_MALFORMED
	}
	cert, err := identity.VerifyCertificate(env.SenderCertificate)
	if err != nil {
		return pb.ErrorCode_UNKNOWN_SENDER
	}
	return n.handleRelayed(ctx, cert.PeerID, env)
}

// deposit seals the items a device could not take directly and leaves them
// at up to depositRelays of the recipient's relays. An item counts as handed
// over (state sent) once one relay has given a verified custody receipt;
// the attempt notes which relays did (a.held). Each deposit names the
// version of the recipient's list it was made with and, when the device
// handed us its deposit secret, presents the credential for that relay. A
// relay that says the list is out of date (the box is closed there, or
// registered a newer list) marks the attempt stale.
func (o *outbox) deposit(ctx context.Context, a *attempt, d identity.Device, items []storage.OutboxItem, todo []int) (custody []int, err error) {
	n := o.n
	list := a.list
	relays, err := rt.ParseAddrInfos(list.Relays)
	if err != nil || len(relays) == 0 {
		return nil, errors.New("no relays to deposit at")
	}
	// Only relays we can reach now: encrypting burns session counters.
	relays = reachableRelays(ctx, n.host, relays, depositRelays)
	if len(relays) == 0 {
		return nil, errRelaysUnreachable
	}
	// Files first go to the relays in the background: a large one takes
	// minutes, and the messages queued behind it must not wait for it.
	var ready []int
	for _, i := range todo {
		if o.files.CopyReady(ctx, rt.CoreAccount(list.Account), d.Cert.DeviceID, relays, items[i]) {
			ready = append(ready, i)
		}
	}
	if len(ready) == 0 {
		return nil, errCopying
	}
	// A disappearing message past its deadline is not handed to relays
	// (the sweep is about to delete it and its outbox item).
	now := time.Now()
	ready = slices.DeleteFunc(ready, func(i int) bool { return expiredCopy(items[i], now) })
	if len(ready) == 0 {
		return nil, errExpiredCopies
	}
	todo = ready
	addr := e2e.Address{Account: list.Account, Device: d.Cert.DeviceID}
	sealedMsgs, _, err := o.seal(ctx, addr, items, todo)
	if err != nil {
		return nil, fmt.Errorf("encrypt for deposit: %w", err)
	}
	box := mailbox.Box{Account: list.Account, Device: d.Cert.DeviceID}
	var errs []error
	for k, i := range todo {
		env := &pb.Envelope{
			MessageId:            items[i].ID[:],
			SenderAccount:        n.self[:],
			SenderDevice:         n.device,
			RecipientAccount:     list.Account[:],
			RecipientDevice:      d.Cert.DeviceID,
			Type:                 sealedMsgs[k].Type,
			Ciphertext:           sealedMsgs[k].Ciphertext,
			SenderCertificate:    n.cert.Signed, // the relay is the transport peer
			RecipientListVersion: list.Version,
			SenderListVersion:    n.ownVersion(),
		}
		raw, err := proto.Marshal(env)
		if err != nil {
			return custody, err
		}
		blob, err := sealed.Seal(d.Cert.SignalIdentityKey, raw)
		if err != nil {
			return custody, fmt.Errorf("seal: %w", err)
		}
		held := storage.CustodyDevice{Device: d.Cert.DeviceID, ListVersion: list.Version}
		for _, r := range relays {
			n.host.Peerstore().AddAddrs(r.ID, r.Addrs, peerstore.TempAddrTTL)
			// Media: the relay keeps a copy while it holds the envelope.
			pins, ok := o.files.CopiedAt(rt.CoreID(items[i].ID), r.ID)
			if !ok {
				pins = o.files.PinAtRelay(ctx, r.ID, list.Account, d.Cert.DeviceID, items[i])
			}
			opts := append([]mailbox.DepositOption{mailbox.WithPinned(pins...), mailbox.ForListVersion(list.Version)},
				n.deposits.depositOptions(ctx, addr, r.ID)...)
			if !items[i].Expires.IsZero() {
				// The relay drops its copy when the message would go.
				opts = append(opts, mailbox.WithTTL(time.Until(items[i].Expires)))
			}
			receipt, err := mailbox.Deposit(ctx, n.host, r.ID, box, mailbox.DepositID(items[i].ID), blob, opts...)
			switch {
			case err == nil:
				// Deposit verified the custody receipt.
				held.Relays = append(held.Relays, string(r.ID))
				held.Until = maxTime(held.Until, receipt.StoredUntil)
			case errors.Is(err, mailbox.ErrReplay):
				// The relay holds this message already, from an attempt
				// whose receipt we never got; that copy decrypts too.
				held.Relays = append(held.Relays, string(r.ID))
				held.Until = maxTime(held.Until, time.Now().Add(replayedCustody))
			case errors.Is(err, mailbox.ErrBoxClosed), errors.Is(err, mailbox.ErrStaleList), errors.Is(err, mailbox.ErrNotRegistered):
				// The recipient moved on from what our list says.
				a.stale = true
				errs = append(errs, fmt.Errorf("relay %s: %w", r.ID, err))
			default:
				errs = append(errs, &depositError{relay: r.ID, err: err})
			}
		}
		if len(held.Relays) > 0 {
			custody = append(custody, i)
			a.held[items[i].ID] = append(a.held[items[i].ID], held)
		}
	}
	return custody, errors.Join(errs...)
}

// errExpiredCopies: every item to deposit was a disappearing message
// past its deadline.
var errExpiredCopies = errors.New("disappearing messages past their deadline: not deposited")

// expiredCopy reports whether it is a disappearing message's copy whose
// deadline passed (less than a second left counts: relays keep whole
// seconds).
func expiredCopy(it storage.OutboxItem, now time.Time) bool {
	return !it.Expires.IsZero() && it.Expires.Sub(now) < time.Second
}

// reachableRelays connects to all of relays at once and returns the first
// want that answer, in the order they answered: a relay that is down
// costs one connection timeout per attempt, not one per relay ahead of
// the working ones.
func reachableRelays(ctx context.Context, h host.Host, relays []peer.AddrInfo, want int) []peer.AddrInfo {
	ctx, cancel := context.WithTimeout(ctx, mailbox.StreamOpenTimeout)
	defer cancel()
	answered := make(chan peer.AddrInfo, len(relays))
	var wg sync.WaitGroup
	for _, r := range relays {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if h.Connect(ctx, r) == nil {
				answered <- r
			}
		}()
	}
	go func() {
		wg.Wait()
		close(answered)
	}()
	var reachable []peer.AddrInfo
	for r := range answered {
		if len(reachable) < want {
			reachable = append(reachable, r)
			if len(reachable) == want {
				cancel() // the others' dials stop; the loop drains them
			}
		}
	}
	return reachable
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// errCopying: every item of an attempt waits for a relay to copy its file.
var errCopying = errors.New("relays are copying the file")

// relayBundle asks the recipient's relays for a prekey bundle of a device
// that cannot be reached: a one-time prekey it left there, or its signed
// bundle.
func (o *outbox) relayBundle(ctx context.Context, list *identity.DeviceList, addr e2e.Address) (*e2e.Bundle, error) {
	n := o.n
	relays, err := rt.ParseAddrInfos(list.Relays)
	if err != nil || len(relays) == 0 {
		return nil, errors.New("no relays")
	}
	box := mailbox.Box{Account: addr.Account, Device: addr.Device}
	var errs []error
	for _, r := range relays {
		n.host.Peerstore().AddAddrs(r.ID, r.Addrs, peerstore.TempAddrTTL)
		got, err := mailbox.FetchPreKey(ctx, n.host, r.ID, box)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		b, err := e2e.VerifyBundleRecord(got.Bundle, addr) // the signed bundle
		if err != nil {
			raw, derr := e2e.DecodePreKeyBundle(got.Bundle) // a one-time bundle
			if derr != nil {
				errs = append(errs, derr)
				continue
			}
			if b, err = e2e.VerifyBundle(raw, addr); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		return b, nil
	}
	return nil, errors.Join(errs...)
}

package post

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/storage"
)

// Custody. A message a relay took custody of (state sent) is not delivered
// yet: if the recipient stops using that relay before draining it, the
// message would wait there for nothing. So the sender keeps a custody
// record of each message relays hold (storage.Custody: which relays, for
// which devices, deposited with which version of the recipient's device
// list), drops a device from it when that device's delivery receipt
// arrives, and whenever it learns a newer device list of the recipient
// (from any source: a lookup, a relay refusing a deposit, an ack, a group),
// hands over again every message whose relays for a device are all gone
// from the new list: the recipient's lane sends it directly or deposits it
// at the relays the list names now. The recipient dedups by message ID.

// custodyRefresh is how often the device lists of recipients with messages
// in a relay's custody are fetched again from the DHT, so that a message
// stuck at a relay the recipient dropped is handed over again even if
// nothing else makes the sender look.
const custodyRefresh = 10 * time.Minute

// custody keeps the custody records: which recipients they are kept for,
// and the hand-over when a recipient's list moves on.
type custody struct {
	*env

	mu       sync.Mutex // guards accounts; a leaf lock
	accounts map[identity.AccountID]bool
}

func (s *custody) has(a identity.AccountID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accounts[a]
}

func (s *custody) set(a identity.AccountID, held bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if held && s.accounts == nil {
		s.accounts = make(map[identity.AccountID]bool)
	}
	if held {
		s.accounts[a] = true
	} else {
		delete(s.accounts, a)
	}
}

func (s *custody) list() []identity.AccountID {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]identity.AccountID, 0, len(s.accounts))
	for a := range s.accounts {
		out = append(out, a)
	}
	return out
}

// loadCustody reads which recipients have messages in custody.
func (n *custody) load(ctx context.Context) error {
	rs, err := n.store.CustodyRecipients(ctx)
	if err != nil {
		return err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.accounts = make(map[identity.AccountID]bool, len(rs))
	for _, a := range rs {
		n.accounts[identity.AccountID(a)] = true
	}
	return nil
}

// custodyLoop checks the custody records against each recipient's device
// list at start (the list in the cache may be newer than the records: a
// restart must not lose a hand-over), then fetches those lists again from
// the DHT every custodyRefresh; a newer list reaches the recipient's lane
// through learned.
func (n *custody) loop(ctx context.Context) {
	for _, a := range n.list() {
		if list, err := n.resolver.Get(ctx, rt.CoreAccount(a), false); err == nil {
			n.outbox.recheck(list)
		}
	}
	t := time.NewTicker(custodyRefresh)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for _, a := range n.list() {
			if _, err := n.resolver.Fetch(ctx, rt.CoreAccount(a)); err != nil && ctx.Err() == nil {
				n.log.Debug("refresh device list of a recipient with messages in custody", "account", a.Short(), "err", err)
			}
		}
	}
}

// learned is called when the resolver caches a device list that is new
// or newer than the one it had. It must not block.
func (n *custody) learned(l *identity.DeviceList) {
	if l.Account == n.self || !n.has(l.Account) {
		return
	}
	n.outbox.recheck(l)
}

// relayIDs returns the peer IDs of the relays a device list names.
func relayIDs(l *identity.DeviceList) []string {
	infos, _ := rt.ParseAddrInfos(l.Relays)
	out := make([]string, 0, len(infos))
	for _, r := range infos {
		out = append(out, string(r.ID))
	}
	return out
}

// requeueCustody hands over again, in one transaction, the messages to
// list's account whose relays for some device are all gone from list (a
// newer version than they were deposited with): it takes those devices off
// the custody records and puts them back in the outbox, as a new item or
// in the item still there for other devices. It drops devices list no
// longer names, and custody that has expired at the relays. It returns the
// outbox items it wrote.
func (n *custody) requeue(ctx context.Context, list *identity.DeviceList) ([]storage.OutboxItem, error) {
	relays := relayIDs(list)
	var out []storage.OutboxItem
	var left int
	err := n.store.Update(ctx, func(ctx context.Context) error {
		out, left = out[:0], 0
		recs, err := n.store.CustodyOf(ctx, storage.Account(list.Account))
		if err != nil {
			return err
		}
		now := time.Now()
		for _, rec := range recs {
			var keep []storage.CustodyDevice
			var again []uint32
			for _, d := range rec.Devices {
				_, named := list.Device(d.Device)
				switch {
				case !d.Until.After(now) || !named:
					// The relays dropped it, or the device is gone.
				case list.Version <= d.ListVersion || slices.ContainsFunc(d.Relays, func(r string) bool { return slices.Contains(relays, r) }):
					keep = append(keep, d)
				default:
					again = append(again, d.Device)
				}
			}
			left += len(keep)
			if len(keep) == len(rec.Devices) {
				continue
			}
			rec.Devices = keep
			if err := n.store.PutCustody(ctx, rec); err != nil {
				return err
			}
			if len(again) == 0 {
				continue
			}
			it, err := n.store.OutboxItem(ctx, rec.ID)
			switch {
			case err == nil:
				del := func(d uint32) bool { return slices.Contains(again, d) }
				it.Done = slices.DeleteFunc(it.Done, del)
				it.Custody = slices.DeleteFunc(it.Custody, del)
			case errors.Is(err, storage.ErrNotFound):
				it = storage.OutboxItem{ID: rec.ID, Recipient: rec.Recipient, Content: rec.Content, Receipt: rec.Receipt, CreatedAt: now}
				if c, err := decodeContent(rec.Content); err == nil {
					it.Expires = rt.ContentExpires(c)
				}
				for _, d := range list.Devices {
					if !slices.Contains(again, d.Cert.DeviceID) {
						it.Done = append(it.Done, d.Cert.DeviceID)
					}
				}
			default:
				return err
			}
			it.NextAttempt = now
			if err := n.store.PutOutbox(ctx, it); err != nil {
				return err
			}
			out = append(out, it)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if left == 0 {
		n.set(list.Account, false)
	}
	if len(out) > 0 {
		n.log.Info("handing over again messages held by relays the recipient no longer uses",
			"to", list.Account.Short(), "count", len(out), "list", list.Version)
	}
	return out, nil
}

// recordCustody adds, in the caller's transaction, the devices whose relays
// took custody of it to message it's custody record.
func (n *custody) record(ctx context.Context, it storage.OutboxItem, held []storage.CustodyDevice) error {
	rec, err := n.store.Custody(ctx, it.Recipient, it.ID)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		rec = storage.Custody{ID: it.ID, Recipient: it.Recipient, Content: it.Content, Receipt: it.Receipt}
	case err != nil:
		return err
	}
	for _, h := range held {
		rec.Devices = slices.DeleteFunc(rec.Devices, func(d storage.CustodyDevice) bool { return d.Device == h.Device })
		rec.Devices = append(rec.Devices, h)
	}
	return n.store.PutCustody(ctx, rec)
}

// receiptCustody takes device of sender off the custody records of ids, in
// the caller's transaction: its receipt says it has them.
func (n *custody) receiptCustody(ctx context.Context, sender identity.AccountID, device uint32, ids []storage.MessageID) error {
	if !n.has(sender) {
		return nil
	}
	for _, id := range ids {
		rec, err := n.store.Custody(ctx, storage.Account(sender), id)
		if errors.Is(err, storage.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		n0 := len(rec.Devices)
		rec.Devices = slices.DeleteFunc(rec.Devices, func(d storage.CustodyDevice) bool { return d.Device == device })
		if len(rec.Devices) != n0 {
			if err := n.store.PutCustody(ctx, rec); err != nil {
				return err
			}
		}
	}
	return nil
}

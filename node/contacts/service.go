package contacts

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/storage"
)

// MaxNameSize is the longest contact name, in bytes of UTF-8.
const MaxNameSize = 256

// Contact is an account in the address book.
type Contact struct {
	Account  core.AccountID
	Name     string
	AddedAt  time.Time
	Verified bool // the user compared safety numbers
	// IdentityChangedAt is set when a device identity of the contact
	// changed since the user last verified it.
	IdentityChangedAt time.Time
}

func contactOf(c storage.Contact) Contact {
	return Contact{
		Account:           core.AccountID(c.Account),
		Name:              c.Name,
		AddedAt:           c.AddedAt,
		Verified:          c.Verified,
		IdentityChangedAt: c.IdentityChangedAt,
	}
}

// Service is a node's address book (n.Contacts()).
type Service struct {
	d        Deps
	policies policies
	notices  notices
}

// New returns the contacts feature; it does no I/O (node calls this).
func New(d Deps) (*Service, error) {
	if d.Store == nil || d.Devices == nil || d.Publish == nil || d.Ready == nil || d.Log == nil || d.Ops == nil || d.Enqueue == nil {
		return nil, errors.New("contacts: incomplete deps")
	}
	if d.ContactsChanged == nil {
		d.ContactsChanged = func() {}
	}
	if d.Wake == nil {
		d.Wake = func(core.AccountID) {}
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	s := &Service{d: d, notices: notices{pending: make(map[core.AccountID]deviceList), wake: make(chan struct{}, 1)}}
	d.Ops.HandleOp(OpContact, s.foldContact)
	d.Ops.HandleState("contacts", s.digest)
	d.Ops.HandleOp(OpBlock, s.foldBlock)
	d.Ops.HandleState("contacts.blocked", s.digestBlocked)
	return s, nil
}

// ready returns why the node cannot serve calls (not started, closed).
func (s *Service) ready() error {
	if s == nil {
		return core.ErrNotStarted
	}
	return s.d.Ready()
}

// List lists the contacts.
func (s *Service) List(ctx context.Context) ([]Contact, error) {
	if err := s.ready(); err != nil {
		return nil, fmt.Errorf("contacts: %w", err)
	}
	cs, err := s.d.Store.Contacts(ctx)
	if err != nil {
		return nil, fmt.Errorf("contacts: %w", err)
	}
	out := make([]Contact, len(cs))
	for i, c := range cs {
		out[i] = contactOf(c)
	}
	return out, nil
}

// Add adds a contact, or renames it.
func (s *Service) Add(ctx context.Context, account core.AccountID, name string) error {
	if err := s.ready(); err != nil {
		return fmt.Errorf("add contact: %w", err)
	}
	if len(name) > MaxNameSize || !utf8.ValidString(name) {
		return fmt.Errorf("add contact: name must be valid UTF-8 of at most %d bytes", MaxNameSize)
	}
	return s.update(ctx, account, func(c *storage.Contact) { c.Name = name })
}

// update changes a contact (creating it if needed) in one transaction,
// records the change in the account log for our other devices, and
// forgets the cached send policy.
func (s *Service) update(ctx context.Context, account core.AccountID, change func(*storage.Contact)) error {
	return s.updateIn(ctx, account, true, change)
}

// updateIn is update, recording the change in the account log only when
// record is set (an identity change is this device's own finding).
func (s *Service) updateIn(ctx context.Context, account core.AccountID, record bool, change func(*storage.Contact)) error {
	return s.write(ctx, account, record, func(ctx context.Context) (storage.Contact, bool, error) {
		c, err := s.d.Store.Contact(ctx, storage.Account(account))
		if errors.Is(err, storage.ErrNotFound) {
			c = storage.Contact{Account: storage.Account(account), AddedAt: time.Now()}
		} else if err != nil {
			return c, false, err
		}
		change(&c)
		if err := s.d.Store.SetRequest(ctx, c.Account, false); err != nil { // a contact's chat is no request
			return c, false, err
		}
		return c, false, s.d.Store.PutContact(ctx, c)
	})
}

// write runs fn (which writes contact account, or removes it) in one
// transaction, with the operation that tells our other devices when
// record is set; then it publishes Changed.
func (s *Service) write(ctx context.Context, account core.AccountID, record bool, fn func(ctx context.Context) (c storage.Contact, removed bool, err error)) error {
	var (
		c       storage.Contact
		removed bool
		items   []storage.OutboxItem
	)
	err := s.d.Store.Update(ctx, func(ctx context.Context) error {
		var err error
		if c, removed, err = fn(ctx); err != nil || !record {
			return err
		}
		items, err = s.appendContact(ctx, account, c, removed)
		return err
	})
	s.policies.forget(account)
	if err != nil {
		return err
	}
	for _, it := range items {
		s.d.Enqueue(it)
	}
	s.d.ContactsChanged() // contacts may see our presence
	s.d.Publish(Changed{Account: account, Name: c.Name, Removed: removed})
	return nil
}

// Remove deletes a contact; the history with it is kept.
func (s *Service) Remove(ctx context.Context, account core.AccountID) error {
	if err := s.ready(); err != nil {
		return fmt.Errorf("remove contact: %w", err)
	}
	if _, err := s.d.Store.Contact(ctx, storage.Account(account)); err != nil {
		return fmt.Errorf("remove contact: %w", err)
	}
	err := s.write(ctx, account, true, func(ctx context.Context) (storage.Contact, bool, error) {
		return storage.Contact{Account: storage.Account(account)}, true, s.d.Store.DeleteContact(ctx, storage.Account(account))
	})
	if err != nil {
		return fmt.Errorf("remove contact: %w", err)
	}
	return nil
}

// SafetyNumber returns the 60-digit safety number shared with account. It
// covers both account keys, which certify every device of either side, so
// it is the same on all of a person's devices and does not change when
// either side links, revokes or reinstalls a device. It fails for an
// account nobody can find.
func (s *Service) SafetyNumber(ctx context.Context, account core.AccountID) (string, error) {
	if err := s.ready(); err != nil {
		return "", fmt.Errorf("safety number: %w", err)
	}
	if _, err := s.d.Devices.Get(ctx, account, false); err != nil {
		return "", fmt.Errorf("safety number: %w", err)
	}
	return identity.SafetyNumber(rt.Account(s.d.Self), rt.Account(account)), nil
}

// Device is one device of a contact's account, as its device list says.
type Device struct {
	ID      uint32
	AddedAt time.Time // when the contact's account key certified it
}

// Devices returns the devices account lists now (from the cached list;
// refresh asks the DHT), by ID. Messages to account go to each of them.
func (s *Service) Devices(ctx context.Context, account core.AccountID, refresh bool) ([]Device, error) {
	if err := s.ready(); err != nil {
		return nil, fmt.Errorf("contact devices: %w", err)
	}
	l, err := s.d.Devices.Get(ctx, account, refresh)
	if err != nil {
		return nil, fmt.Errorf("contact devices: %w", err)
	}
	out := make([]Device, 0, len(l.Devices))
	for _, d := range l.Devices {
		out = append(out, Device{ID: d.Cert.DeviceID, AddedAt: d.Cert.IssuedAt})
	}
	slices.SortFunc(out, func(a, b Device) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// Verify records that the user compared safety numbers with account and
// accepts its current device identities; sending resumes if an identity
// change had stopped it.
func (s *Service) Verify(ctx context.Context, account core.AccountID) error {
	if err := s.ready(); err != nil {
		return fmt.Errorf("verify contact: %w", err)
	}
	err := s.update(ctx, account, func(c *storage.Contact) {
		c.Verified = true
		c.IdentityChangedAt = time.Time{}
	})
	if err != nil {
		return fmt.Errorf("verify contact: %w", err)
	}
	s.d.Wake(account)
	return nil
}

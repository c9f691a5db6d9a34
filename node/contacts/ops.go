package contacts

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// OpContact (pb.OpContact) is a contact as the user left it on one device
// (added, renamed, verified, removed). The latest operation about a
// contact, in the account log's order, wins on every device: two devices
// renaming one contact while apart end with the same name.
const OpContact = "contacts.contact"

func contactKey(a storage.Account) string { return OpContact + "/" + string(a[:]) }

// appendContact records c (or its removal) in ctx's transaction.
func (s *Service) appendContact(ctx context.Context, account core.AccountID, c storage.Contact, removed bool) ([]storage.OutboxItem, error) {
	body, err := proto.Marshal(&pb.OpContact{Account: account[:], Name: c.Name, Verified: c.Verified, Removed: removed})
	if err != nil {
		return nil, err
	}
	// Ours is the latest change: an older one folded later loses to it.
	return rt.AppendLatest(ctx, s.d.Ops, OpContact, contactKey(c.Account), body)
}

// foldContact applies another device's change to a contact when it is the
// latest about that contact.
func (s *Service) foldContact(ctx context.Context, op rt.Op) (func(context.Context), error) {
	var body pb.OpContact
	if err := proto.Unmarshal(op.Body, &body); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", rt.ErrBadContent, OpContact, err)
	}
	id, err := identity.AccountIDFromBytes(body.Account)
	if err != nil || len(body.Name) > MaxNameSize || !utf8.ValidString(body.Name) || id == rt.Account(s.d.Self) {
		return nil, fmt.Errorf("%w: %s", rt.ErrBadContent, OpContact)
	}
	acct := storage.Account(id)
	if won, err := rt.Wins(ctx, s.d.Ops, contactKey(acct), op, nil); err != nil || !won {
		return nil, err
	}
	c, err := s.d.Store.Contact(ctx, acct)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		if body.Removed {
			return nil, nil
		}
		c = storage.Contact{Account: acct, AddedAt: time.Now()}
	case err != nil:
		return nil, err
	}
	if body.Removed {
		err = s.d.Store.DeleteContact(ctx, acct)
	} else {
		c.Name = body.Name
		if body.Verified && !c.Verified {
			c.IdentityChangedAt = time.Time{} // the user verified again on another device
		}
		c.Verified = body.Verified
		if err = s.d.Store.SetRequest(ctx, acct, false); err == nil { // accepted on another device
			err = s.d.Store.PutContact(ctx, c)
		}
	}
	if err != nil {
		return nil, err
	}
	account := core.AccountID(acct)
	return func(context.Context) {
		s.policies.forget(account)
		s.d.ContactsChanged()
		s.d.Publish(Changed{Account: account, Name: body.Name, Removed: body.Removed})
		if body.Verified {
			s.d.Wake(account)
		}
	}, nil
}

// Backfill records in the account log the contacts stored before the log
// existed (a home from an older version). Node runs it once per home.
func (s *Service) Backfill(ctx context.Context) (int, error) {
	cs, err := s.d.Store.Contacts(ctx)
	if err != nil {
		return 0, fmt.Errorf("backfill contacts: %w", err)
	}
	var items []storage.OutboxItem
	err = s.d.Store.Update(ctx, func(ctx context.Context) error {
		items = items[:0]
		for _, c := range cs {
			it, err := s.appendContact(ctx, core.AccountID(c.Account), c, false)
			if err != nil {
				return err
			}
			items = append(items, it...)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("backfill contacts: %w", err)
	}
	for _, it := range items {
		s.d.Enqueue(it)
	}
	return len(cs), nil
}

// digest writes the contacts for the account's state hash, by account.
func (s *Service) digest(ctx context.Context, w io.Writer) error {
	cs, err := s.d.Store.Contacts(ctx)
	if err != nil {
		return err
	}
	slices.SortFunc(cs, func(a, b storage.Contact) int { return bytes.Compare(a.Account[:], b.Account[:]) })
	for _, c := range cs {
		fmt.Fprintf(w, "%x %q %t\n", c.Account, c.Name, c.Verified)
	}
	return nil
}

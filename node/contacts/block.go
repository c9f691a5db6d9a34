package contacts

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// OpBlock (pb.OpBlock) is an account blocked or unblocked on one device.
// The latest operation about an account wins on every device.
const OpBlock = "contacts.block"

func blockKey(a storage.Account) string { return OpBlock + "/" + string(a[:]) }

// Block blocks account on every device of ours: its 1:1 messages, files,
// typing, receipts and profile are dropped unread and unanswered, it
// cannot add us to groups, and nothing of ours (profile, receipts) goes
// to it. A pending message request from it is closed (its messages stay
// until deleted). Blocking a contact keeps the contact.
func (s *Service) Block(ctx context.Context, account core.AccountID) error {
	if err := s.setBlocked(ctx, account, true); err != nil {
		return fmt.Errorf("block: %w", err)
	}
	return nil
}

// Unblock restores normal delivery from account.
func (s *Service) Unblock(ctx context.Context, account core.AccountID) error {
	if err := s.setBlocked(ctx, account, false); err != nil {
		return fmt.Errorf("unblock: %w", err)
	}
	return nil
}

func (s *Service) setBlocked(ctx context.Context, account core.AccountID, on bool) error {
	if err := s.ready(); err != nil {
		return err
	}
	if account == s.d.Self {
		return core.ErrSelf
	}
	acct := storage.Account(account)
	var items []storage.OutboxItem
	err := s.d.Store.Update(ctx, func(ctx context.Context) error {
		if err := s.applyBlock(ctx, acct, on); err != nil {
			return err
		}
		body, err := proto.Marshal(&pb.OpBlock{Account: acct[:], Blocked: on})
		if err != nil {
			return err
		}
		items, err = rt.AppendLatest(ctx, s.d.Ops, OpBlock, blockKey(acct), body)
		return err
	})
	s.policies.forget(account)
	if err != nil {
		return err
	}
	for _, it := range items {
		s.d.Enqueue(it)
	}
	s.blockChanged(account, on)
	return nil
}

// applyBlock writes the block flag; blocking closes a pending request.
func (s *Service) applyBlock(ctx context.Context, acct storage.Account, on bool) error {
	if err := s.d.Store.SetBlocked(ctx, acct, on); err != nil {
		return err
	}
	if on {
		return s.d.Store.SetRequest(ctx, acct, false)
	}
	return nil
}

func (s *Service) blockChanged(account core.AccountID, on bool) {
	s.d.ContactsChanged() // presence: a blocked account no longer sees ours
	s.d.Publish(BlockedChanged{Account: account, Blocked: on})
	if !on {
		s.d.Wake(account)
	}
}

// foldBlock applies another device's block or unblock when it is the
// latest about that account.
func (s *Service) foldBlock(ctx context.Context, op rt.Op) (func(context.Context), error) {
	var body pb.OpBlock
	if err := proto.Unmarshal(op.Body, &body); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", rt.ErrBadContent, OpBlock, err)
	}
	id, err := identity.AccountIDFromBytes(body.Account)
	if err != nil || id == rt.Account(s.d.Self) {
		return nil, fmt.Errorf("%w: %s", rt.ErrBadContent, OpBlock)
	}
	acct := storage.Account(id)
	if won, err := rt.Wins(ctx, s.d.Ops, blockKey(acct), op, nil); err != nil || !won {
		return nil, err
	}
	if err := s.applyBlock(ctx, acct, body.Blocked); err != nil {
		return nil, err
	}
	account := core.AccountID(acct)
	return func(context.Context) {
		s.policies.forget(account)
		s.blockChanged(account, body.Blocked)
	}, nil
}

// Blocked lists the blocked accounts.
func (s *Service) Blocked(ctx context.Context) ([]core.AccountID, error) {
	if err := s.ready(); err != nil {
		return nil, fmt.Errorf("blocked: %w", err)
	}
	as, err := s.d.Store.BlockedAccounts(ctx)
	if err != nil {
		return nil, fmt.Errorf("blocked: %w", err)
	}
	out := make([]core.AccountID, len(as))
	for i, a := range as {
		out[i] = core.AccountID(a)
	}
	return out, nil
}

// IsBlocked reports whether account is blocked (cached: the receive path
// asks it for every content). For node's wiring and the features that
// send to accounts.
func (s *Service) IsBlocked(ctx context.Context, account core.AccountID) (bool, error) {
	p, err := s.policies.get(ctx, s.d.Store, account)
	return p.barred, err
}

// digestBlocked writes the blocked accounts for the account's state hash.
func (s *Service) digestBlocked(ctx context.Context, w io.Writer) error {
	as, err := s.d.Store.BlockedAccounts(ctx)
	if err != nil {
		return err
	}
	slices.SortFunc(as, func(a, b storage.Account) int { return bytes.Compare(a[:], b[:]) })
	for _, a := range as {
		fmt.Fprintf(w, "%x\n", a)
	}
	return nil
}

// Request is a conversation started by an account that is not a contact:
// it waits for the user to accept, delete or block it.
type Request struct {
	Account core.AccountID
}

// Requests lists the pending message requests.
func (s *Service) Requests(ctx context.Context) ([]Request, error) {
	if err := s.ready(); err != nil {
		return nil, fmt.Errorf("requests: %w", err)
	}
	as, err := s.d.Store.Requests(ctx)
	if err != nil {
		return nil, fmt.Errorf("requests: %w", err)
	}
	out := make([]Request, len(as))
	for i, a := range as {
		out[i] = Request{Account: core.AccountID(a)}
	}
	return out, nil
}

// IsRequest reports whether the conversation with account is a pending
// message request: no read receipts, typing or profile go to it.
func (s *Service) IsRequest(ctx context.Context, account core.AccountID) (bool, error) {
	return s.d.Store.Request(ctx, storage.Account(account))
}

// Accept accepts the message request of account: it becomes a contact
// (named name, which may be empty) and its chat joins the chat list.
func (s *Service) Accept(ctx context.Context, account core.AccountID, name string) error {
	if err := s.ready(); err != nil {
		return fmt.Errorf("accept request: %w", err)
	}
	pending, err := s.d.Store.Request(ctx, storage.Account(account))
	if err != nil {
		return fmt.Errorf("accept request: %w", err)
	}
	if !pending {
		return fmt.Errorf("accept request: %w: no message request from %s", storage.ErrNotFound, account.Short())
	}
	if err := s.Add(ctx, account, name); err != nil {
		return fmt.Errorf("accept request: %w", err)
	}
	s.d.Publish(RequestChanged{Account: account, Accepted: true})
	return nil
}

// maxDeleteBatch bounds the messages one transaction of DeleteRequest
// removes.
const maxDeleteBatch = 256

// DeleteRequest deletes the message request of account and its messages.
// The account can write again (a new request).
func (s *Service) DeleteRequest(ctx context.Context, account core.AccountID) error {
	if err := s.ready(); err != nil {
		return fmt.Errorf("delete request: %w", err)
	}
	acct := storage.Account(account)
	pending, err := s.d.Store.Request(ctx, acct)
	if err != nil {
		return fmt.Errorf("delete request: %w", err)
	}
	if !pending {
		return fmt.Errorf("delete request: %w: no message request from %s", storage.ErrNotFound, account.Short())
	}
	for {
		ms, err := s.d.Store.History(ctx, acct, storage.MessageID{}, maxDeleteBatch)
		if err != nil {
			return fmt.Errorf("delete request: %w", err)
		}
		if len(ms) == 0 {
			break
		}
		removed := 0
		err = s.d.Store.Update(ctx, func(ctx context.Context) error {
			removed = 0
			for _, m := range ms {
				err := s.d.Store.DeleteMessage(ctx, m.ID)
				switch {
				case err == nil:
					removed++
				case !errors.Is(err, storage.ErrNotFound):
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("delete request: %w", err)
		}
		if removed == 0 {
			break // what is left cannot be removed: do not spin
		}
	}
	if err := s.d.Store.SetRequest(ctx, acct, false); err != nil {
		return fmt.Errorf("delete request: %w", err)
	}
	s.d.Publish(RequestChanged{Account: account, Removed: true})
	return nil
}

// Replied closes the pending message request of account, if any, as the
// user writes to it: answering is accepting the chat (not adding the
// contact). For node's wiring: chats and media call it before sending.
func (s *Service) Replied(ctx context.Context, account core.AccountID) error {
	acct := storage.Account(account)
	pending, err := s.d.Store.Request(ctx, acct)
	if err != nil || !pending {
		return err
	}
	if err := s.d.Store.SetRequest(ctx, acct, false); err != nil {
		return err
	}
	s.d.Publish(RequestChanged{Account: account, Accepted: true})
	return nil
}

// Received files a new 1:1 message (id, a text or a file) from account
// in ctx's transaction: when account is not a contact and the message
// starts the conversation (we never wrote to it, nothing is held), the
// conversation becomes a message request. It reports whether the
// conversation is a request, and what to run after commit (nil for
// nothing). For node's wiring: the receive path calls it.
func (s *Service) Received(ctx context.Context, account core.AccountID, id core.MessageID) (bool, func(context.Context), error) {
	if account == s.d.Self {
		return false, nil, nil
	}
	acct := storage.Account(account)
	if _, err := s.d.Store.Contact(ctx, acct); err == nil {
		return false, nil, nil
	} else if !errors.Is(err, storage.ErrNotFound) {
		return false, nil, err
	}
	pending, err := s.d.Store.Request(ctx, acct)
	if err != nil || pending {
		return pending, nil, err
	}
	ms, err := s.d.Store.History(ctx, acct, storage.MessageID{}, 2)
	if err != nil {
		return false, nil, err
	}
	for _, m := range ms {
		if core.MessageID(m.ID) != id {
			return false, nil, nil // an earlier conversation: not a request
		}
	}
	if err := s.d.Store.SetRequest(ctx, acct, true); err != nil {
		return false, nil, err
	}
	return true, func(context.Context) { s.d.Publish(RequestChanged{Account: account}) }, nil
}

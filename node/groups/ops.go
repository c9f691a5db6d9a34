package groups

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// OpMessage (pb.OpGroupMessage) is the account-log operation of a group
// text this device sent or received. The account's other devices are
// members and get the text on the group's topic, so it is recorded
// without a push (Ops.Note): it is there for a device linked later, which
// pulls the log as its history transfer, and for one away longer than
// the group's gap repair serves.
const OpMessage = "groups.message"

// OpRead (pb.OpRead, peer = the group ID) says the user read a group up
// to a message: the account's other devices mark it read too (and send
// no receipts: the device where it was read did), and disappearing
// messages count down from the operation's time on every device.
const OpRead = "groups.read"

// maxOpMessage bounds an operation's body: a text of MaxTextSize and its
// fields.
const maxOpMessage = MaxTextSize + 1024

// noteText records group text m, just stored, in ctx's transaction. A
// file's message is not a text: node/media records it.
func (e *env) noteText(ctx context.Context, m storage.Message) error {
	body, err := proto.Marshal(&pb.OpGroupMessage{
		GroupId: m.Peer[:], MessageId: m.ID[:], Author: m.Sender[:], AuthorDevice: m.SenderDevice,
		SentAtMs: m.SentAt.UnixMilli(), Text: m.Text,
	})
	if err != nil {
		return err
	}
	_, err = e.d.Ops.Note(ctx, OpMessage, body)
	return err
}

// decodeOpMessage reads the body of a groups.message operation into the
// message it records (without its direction and state: received sets
// them). A bad body is rt.ErrBadContent.
func decodeOpMessage(body []byte) (storage.Message, error) {
	if len(body) > maxOpMessage {
		return storage.Message{}, fmt.Errorf("%w: %s of %d bytes", rt.ErrBadContent, OpMessage, len(body))
	}
	var op pb.OpGroupMessage
	if err := proto.Unmarshal(body, &op); err != nil {
		return storage.Message{}, fmt.Errorf("%w: %s: %v", rt.ErrBadContent, OpMessage, err)
	}
	if len(op.GroupId) != 32 {
		return storage.Message{}, fmt.Errorf("%w: %s group", rt.ErrBadContent, OpMessage)
	}
	author, err := identity.AccountIDFromBytes(op.Author)
	if err != nil {
		return storage.Message{}, fmt.Errorf("%w: %s author", rt.ErrBadContent, OpMessage)
	}
	id, err := storage.MessageIDFromBytes(op.MessageId)
	if err != nil || id.IsZero() {
		return storage.Message{}, fmt.Errorf("%w: %s message ID", rt.ErrBadContent, OpMessage)
	}
	if op.Text == "" || len(op.Text) > MaxTextSize || !utf8.ValidString(op.Text) {
		return storage.Message{}, fmt.Errorf("%w: %s: not a text", rt.ErrBadContent, OpMessage)
	}
	return storage.Message{
		ID: id, Peer: storage.Account(op.GroupId), Group: true,
		Sender: storage.Account(author), SenderDevice: op.AuthorDevice,
		Text: op.Text, SentAt: time.UnixMilli(op.SentAtMs),
	}, nil
}

// foldMessage stores a group text another device of ours sent or
// received; one already held (from the topic, a relay or a repair) stays
// as it is. It sends nothing: no receipt goes out for history. The group
// need not be known here yet: its state comes pairwise (a welcome), not
// through the log, and the history shows with the group once it does.
func (e *env) foldMessage(ctx context.Context, op rt.Op) (func(context.Context), error) {
	m, err := decodeOpMessage(op.Body)
	if err != nil {
		return nil, err
	}
	m = received(m, e.self)
	e.readElsewhere(ctx, &m)
	m.StoredAt = time.Now()
	m.ReplyTo = e.d.Quotes.Held(ctx, m.ID)
	switch err := e.d.Store.InsertMessage(ctx, m); {
	case err == nil:
	case errors.Is(err, storage.ErrExists):
		return nil, nil
	default:
		return nil, err
	}
	return func(context.Context) {
		if run := e.set.get(group.ID(m.Peer)); run != nil {
			run.mu.Lock()
			run.rec.Clock = max(run.rec.Clock, uint64(m.ID.Time().UnixMilli()))
			run.mu.Unlock()
		}
		e.d.Publish(core.MessageReceived{Message: rt.Message(m)})
	}, nil
}

// Backfill records in the account log the group texts stored before the
// log recorded them (a home from an older version), so that devices
// linked later get the groups' history too. Node runs it once per home.
func (s *Service) Backfill(ctx context.Context) (int, error) {
	convs, err := s.d.Store.Conversations(ctx)
	if err != nil {
		return 0, fmt.Errorf("backfill groups: %w", err)
	}
	count := 0
	for _, c := range convs {
		if !c.Last.Group {
			continue
		}
		n, err := s.backfillGroup(ctx, c.Peer)
		count += n
		if err != nil {
			return count, fmt.Errorf("backfill groups: %w", err)
		}
	}
	return count, nil
}

// backfillGroup records the texts of group g, a page at a time from the
// newest, each page in one transaction.
func (s *Service) backfillGroup(ctx context.Context, g storage.Account) (int, error) {
	const page = 500
	count := 0
	var before storage.MessageID
	for {
		ms, err := s.d.Store.History(ctx, g, before, page)
		if err != nil {
			return count, err
		}
		if len(ms) == 0 {
			return count, nil
		}
		before = ms[0].ID
		n := 0
		err = s.d.Store.Update(ctx, func(ctx context.Context) error {
			n = 0
			for _, m := range ms {
				if !m.Group || m.Text == "" {
					continue
				}
				switch _, err := s.d.Store.Attachment(ctx, m.ID); {
				case err == nil:
					continue // a file (its caption in Text): node/media's
				case !errors.Is(err, storage.ErrNotFound):
					return err
				}
				if err := s.noteText(ctx, m); err != nil {
					return err
				}
				n++
			}
			return nil
		})
		if err != nil {
			return count, err
		}
		count += n
		if len(ms) < page {
			return count, nil
		}
	}
}

// digest writes the groups' histories for the account's state hash: per
// group (by ID), each message's ID, author and text. Directions and
// states differ between devices (a text this device sent is received on
// the others) and are left out.
func (e *env) digest(ctx context.Context, w io.Writer) error {
	return rt.ChatHistories(ctx, e.d.Store, true, func(c storage.Conversation, ms []storage.Message) {
		fmt.Fprintf(w, "group %x\n", c.Peer[:])
		for _, m := range ms {
			fmt.Fprintf(w, "%x %x %q\n", m.ID, m.Sender[:], m.Text)
		}
	})
}

// messageOfOp returns the ID of the message an operation of OpMessage
// carries.
func messageOfOp(body []byte) (storage.MessageID, bool) {
	var op pb.OpGroupMessage
	if proto.Unmarshal(body, &op) != nil {
		return storage.MessageID{}, false
	}
	id, err := storage.MessageIDFromBytes(op.MessageId)
	return id, err == nil
}

// appendRead records, in ctx's transaction, that group gid was read up to
// message upTo, and returns the operation (its time starts countdowns)
// and the outbox items carrying it to our other devices.
func (e *env) appendRead(ctx context.Context, gid storage.Account, upTo storage.MessageID) (rt.Op, []storage.OutboxItem, error) {
	if err := rt.NoteRead(ctx, e.d.Ops, gid, upTo); err != nil {
		return rt.Op{}, nil, err
	}
	body, err := proto.Marshal(&pb.OpRead{Peer: gid[:], UpTo: upTo[:]})
	if err != nil {
		return rt.Op{}, nil, err
	}
	return e.d.Ops.Append(ctx, OpRead, body)
}

// foldRead marks a group read up to the operation's message, as the user
// read it on another device, and starts the countdowns of its
// disappearing messages from the operation's time.
func (e *env) foldRead(ctx context.Context, op rt.Op) (func(context.Context), error) {
	var body pb.OpRead
	if err := proto.Unmarshal(op.Body, &body); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", rt.ErrBadContent, OpRead, err)
	}
	upTo, err := storage.MessageIDFromBytes(body.UpTo)
	if len(body.Peer) != 32 || err != nil {
		return nil, fmt.Errorf("%w: %s group or message", rt.ErrBadContent, OpRead)
	}
	return rt.ReadFold{Ops: e.d.Ops, Store: e.d.Store, States: e.d.States, Expiry: e.d.Expiry.Read, Publish: e.d.Publish}.
		FoldRead(ctx, storage.Account(body.Peer), upTo, op.At)
}

// readElsewhere marks m read when it is an incoming message that another
// device of ours read already (before it arrived here).
func (e *env) readElsewhere(ctx context.Context, m *storage.Message) {
	if m.Direction == storage.Incoming && rt.ReadBefore(ctx, e.d.Ops, m.Peer, m.ID) {
		m.State = storage.Read
	}
}

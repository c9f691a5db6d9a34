package chats

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// The account-log operations of 1:1 chats, which keep the account's
// devices in step: every device records the messages it sends and
// receives, and the chats the user reads on it; the others fold them in.
const (
	// OpMessage (pb.OpMessage) is a text sent or received.
	OpMessage = "chats.message"
	// OpRead (pb.OpRead) says the user read a chat up to a message: the
	// other devices mark it read too, and send no receipt (the device
	// where it was read did).
	OpRead = "chats.read"
)

// appendMessage records a text this device sent (outgoing) or received,
// as its encoded content, in ctx's transaction.
func (s *Service) appendMessage(ctx context.Context, content []byte, peer core.AccountID, outgoing bool, device uint32) ([]storage.OutboxItem, error) {
	return s.recordMessage(ctx, content, peer, outgoing, device, true)
}

// recordMessage records a text sent or received; push sends the
// operation to our other devices at once (else they get it when they
// pull).
func (s *Service) recordMessage(ctx context.Context, content []byte, peer core.AccountID, outgoing bool, device uint32, push bool) ([]storage.OutboxItem, error) {
	body, err := proto.Marshal(&pb.OpMessage{Content: content, Peer: peer[:], Outgoing: outgoing, SenderDevice: device})
	if err != nil {
		return nil, err
	}
	if !push {
		_, err := s.d.Ops.Note(ctx, OpMessage, body)
		return nil, err
	}
	_, items, err := s.d.Ops.Append(ctx, OpMessage, body)
	return items, err
}

// messageOfOp returns the ID of the message a chats.message op carries.
func messageOfOp(body []byte) (storage.MessageID, bool) {
	var op pb.OpMessage
	var c pb.Content
	if proto.Unmarshal(body, &op) != nil || proto.Unmarshal(op.Content, &c) != nil {
		return storage.MessageID{}, false
	}
	id, err := storage.MessageIDFromBytes(c.MessageId)
	return id, err == nil
}

// appendRead records that the chat with peer was read up to message upTo.
func (s *Service) appendRead(ctx context.Context, peer core.AccountID, upTo core.MessageID) (rt.Op, []storage.OutboxItem, error) {
	if err := s.noteRead(ctx, storage.Account(peer), storage.MessageID(upTo)); err != nil {
		return rt.Op{}, nil, err
	}
	body, err := proto.Marshal(&pb.OpRead{Peer: peer[:], UpTo: upTo[:]})
	if err != nil {
		return rt.Op{}, nil, err
	}
	return s.d.Ops.Append(ctx, OpRead, body)
}

// foldMessage stores a text another device of ours sent or received; one
// already held (this device received it too) stays as it is.
func (s *Service) foldMessage(ctx context.Context, op rt.Op) (func(context.Context), error) {
	var body pb.OpMessage
	if err := proto.Unmarshal(op.Body, &body); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", rt.ErrBadContent, OpMessage, err)
	}
	peer, err := accountFromBytes(body.Peer)
	if err != nil {
		return nil, fmt.Errorf("%w: %s peer", rt.ErrBadContent, OpMessage)
	}
	var c pb.Content
	if err := proto.Unmarshal(body.Content, &c); err != nil {
		return nil, fmt.Errorf("%w: %s content: %v", rt.ErrBadContent, OpMessage, err)
	}
	id, err := storage.MessageIDFromBytes(c.MessageId)
	text := c.GetText().GetBody()
	if err != nil || text == "" || len(text) > MaxTextSize || !utf8.ValidString(text) {
		return nil, fmt.Errorf("%w: %s: not a text", rt.ErrBadContent, OpMessage)
	}
	m := storage.Message{
		ID: id, Peer: peer, SenderDevice: body.SenderDevice, Text: text,
		SentAt: time.UnixMilli(c.SentAtMs), StoredAt: time.Now(), ReplyTo: s.d.Quotes.ReplyTo(c.Quote),
	}
	if body.Outgoing {
		m.Sender, m.Direction, m.State = storage.Account(s.d.Self), storage.Outgoing, storage.Sent
	} else {
		m.Sender, m.Direction, m.State = peer, storage.Incoming, storage.Received
		if s.readBefore(ctx, peer, id) {
			m.State = storage.Read
		}
	}
	expired, err := s.d.Expiry.Receive(ctx, peer, false, c.GetTimer(), &m)
	if err != nil {
		return nil, err
	}
	switch err := s.d.Store.InsertMessage(ctx, m); {
	case err == nil:
	case errors.Is(err, storage.ErrExists):
		return nil, nil
	default:
		return nil, err
	}
	if err := s.d.Expiry.Stored(ctx, m); err != nil {
		return nil, err
	}
	return func(context.Context) {
		if expired != nil {
			expired()
		}
		s.d.Publish(core.MessageReceived{Message: rt.Message(m)})
	}, nil
}

// foldRead marks the chat read up to the operation's message, as the
// user read it on another device.
func (s *Service) foldRead(ctx context.Context, op rt.Op) (func(context.Context), error) {
	var body pb.OpRead
	if err := proto.Unmarshal(op.Body, &body); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", rt.ErrBadContent, OpRead, err)
	}
	peer, err := accountFromBytes(body.Peer)
	if err != nil {
		return nil, fmt.Errorf("%w: %s peer", rt.ErrBadContent, OpRead)
	}
	upTo, err := storage.MessageIDFromBytes(body.UpTo)
	if err != nil {
		return nil, fmt.Errorf("%w: %s message", rt.ErrBadContent, OpRead)
	}
	return rt.ReadFold{Ops: s.d.Ops, Store: s.d.Store, States: s.d.States, Expiry: s.d.Expiry.Read, Publish: s.d.Publish}.
		FoldRead(ctx, peer, upTo, op.At)
}

// readKey names the fold state holding how far the chat with peer was
// read on any device.
func readKey(peer storage.Account) string { return rt.ReadKey(peer) }

// noteRead moves the chat's read marker up to upTo.
func (s *Service) noteRead(ctx context.Context, peer storage.Account, upTo storage.MessageID) error {
	return rt.NoteRead(ctx, s.d.Ops, peer, upTo)
}

// readBefore reports whether the chat with peer was read, on some device,
// up to message id or past it.
func (s *Service) readBefore(ctx context.Context, peer storage.Account, id storage.MessageID) bool {
	return rt.ReadBefore(ctx, s.d.Ops, peer, id)
}

func accountFromBytes(b []byte) (storage.Account, error) {
	a, err := identity.AccountIDFromBytes(b)
	return storage.Account(a), err
}

// Backfill records in the account log the texts of 1:1 chats stored
// before the log existed (a home from an older version), with a read
// marker per chat, so that devices linked later get them too. File
// messages are left to the media feature's Backfill. Node runs it once
// per home.
func (s *Service) Backfill(ctx context.Context) (int, error) {
	convs, err := s.d.Store.Conversations(ctx)
	if err != nil {
		return 0, fmt.Errorf("backfill chats: %w", err)
	}
	count := 0
	for _, c := range convs {
		if c.Last.Group {
			continue
		}
		n, err := s.backfillChat(ctx, core.AccountID(c.Peer))
		count += n
		if err != nil {
			return count, fmt.Errorf("backfill chats: %w", err)
		}
	}
	return count, nil
}

// backfillChat records the texts of the chat with peer, a page at a time
// from the newest, each page in one transaction.
func (s *Service) backfillChat(ctx context.Context, peer core.AccountID) (int, error) {
	const page = 500
	count := 0
	var before storage.MessageID
	var read storage.MessageID // the newest incoming message read
	for {
		ms, err := s.d.Store.History(ctx, storage.Account(peer), before, page)
		if err != nil || len(ms) == 0 {
			break
		}
		before = ms[0].ID
		var items []storage.OutboxItem
		err = s.d.Store.Update(ctx, func(ctx context.Context) error {
			items = items[:0]
			for _, m := range ms {
				if m.Group || m.Text == "" {
					continue
				}
				switch _, err := s.d.Store.Attachment(ctx, m.ID); {
				case err == nil:
					continue // a file message: its caption is not a text (media.Backfill records it)
				case !errors.Is(err, storage.ErrNotFound):
					return err
				}
				if m.Direction == storage.Incoming && m.State == storage.Read && bytes.Compare(m.ID[:], read[:]) > 0 {
					read = m.ID
				}
				raw, err := proto.Marshal(textContent(m.ID, m.SentAt, m.Text))
				if err != nil {
					return err
				}
				it, err := s.appendMessage(ctx, raw, peer, m.Direction == storage.Outgoing, m.SenderDevice)
				if err != nil {
					return err
				}
				items = append(items, it...)
			}
			return nil
		})
		if err != nil {
			return count, err
		}
		count += len(ms)
		for _, it := range items {
			s.d.Outbox.Enqueue(it)
		}
		if len(ms) < page {
			break
		}
	}
	if read.IsZero() {
		return count, nil
	}
	var items []storage.OutboxItem
	err := s.d.Store.Update(ctx, func(ctx context.Context) error {
		var err error
		_, items, err = s.appendRead(ctx, peer, core.MessageID(read))
		return err
	})
	for _, it := range items {
		s.d.Outbox.Enqueue(it)
	}
	return count, err
}

// digest writes the 1:1 texts for the account's state hash: per chat (by
// peer), each message's ID, direction and text, and for incoming ones
// whether they were read; what receipts say of outgoing ones differs
// between devices for a while and is left out.
func (s *Service) digest(ctx context.Context, w io.Writer) error {
	return rt.ChatHistories(ctx, s.d.Store, false, func(c storage.Conversation, ms []storage.Message) {
		w.Write(c.Peer[:])
		for _, m := range ms {
			if m.Kind == storage.KindDeviceNotice {
				continue // each device's own (package contacts)
			}
			read := m.Direction == storage.Incoming && m.State == storage.Read
			fmt.Fprintf(w, "%x %d %t %q\n", m.ID, m.Direction, read, m.Text)
		}
	})
}

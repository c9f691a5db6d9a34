package chats

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// MaxTextSize is the largest text message, in bytes of UTF-8.
const MaxTextSize = 64 << 10

// Service is a node's 1:1 chats (n.Chats()).
type Service struct {
	d Deps
}

// New returns the chats feature and claims the Text content kind; it does
// no I/O (node calls this).
func New(d Deps) (*Service, error) {
	if d.Store == nil || d.Outbox == nil || d.States == nil || d.Receipts == nil || d.Recipients == nil ||
		d.Registry == nil || d.Ops == nil || d.Publish == nil || d.Ready == nil || d.Quotes == nil {
		return nil, errors.New("chats: incomplete deps")
	}
	if d.OnMessage == nil {
		d.OnMessage = func(core.AccountID) {}
	}
	if d.Expiry == nil {
		d.Expiry = noExpiry{}
	}
	s := &Service{d: d}
	d.Registry.HandleContent(rt.KindText, nil, s.takeText)
	d.Ops.HandleOp(OpMessage, s.foldMessage)
	d.Ops.CarriesMessage(OpMessage, messageOfOp)
	d.Ops.HandleOp(OpRead, s.foldRead)
	d.Ops.HandleState("chats", s.digest)
	return s, nil
}

// ready returns why the node cannot serve calls (not started, closed).
func (s *Service) ready() error {
	if s == nil {
		return core.ErrNotStarted
	}
	return s.d.Ready()
}

// Send queues text for the account to and returns the message ID. The
// message is stored durably (state pending) before Send returns (see
// node.WithDurableAcks); delivery continues in the background, across
// restarts, until every device of the recipient has it. Sending to an
// account that is neither a contact nor findable in the DHT fails with
// core.ErrUnknownAccount.
func (s *Service) Send(ctx context.Context, to core.AccountID, text string) (core.MessageID, error) {
	return s.SendWith(ctx, to, text, core.SendOptions{})
}

// SendWith is Send with options: opts.ReplyTo makes the text a reply to
// a message of the chat with to (it carries a quote of it); a message
// not held here, or of another chat, fails with replies.ErrNotInChat.
func (s *Service) SendWith(ctx context.Context, to core.AccountID, text string, opts core.SendOptions) (core.MessageID, error) {
	const op = "send"
	if err := s.ready(); err != nil {
		return core.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	switch {
	case text == "":
		return core.MessageID{}, fmt.Errorf("%s: %w", op, core.ErrEmpty)
	case len(text) > MaxTextSize:
		return core.MessageID{}, fmt.Errorf("%s: %w: text of %d bytes, limit %d", op, core.ErrTooLarge, len(text), MaxTextSize)
	case !utf8.ValidString(text):
		return core.MessageID{}, fmt.Errorf("%s: text is not valid UTF-8", op)
	case to == s.d.Self:
		return core.MessageID{}, fmt.Errorf("%s: %w", op, core.ErrSelf)
	}
	if err := s.d.Recipients.CheckRecipient(ctx, to); err != nil {
		return core.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	var quote *pb.Quote
	if !opts.ReplyTo.IsZero() {
		var err error
		if quote, err = s.d.Quotes.Quote(ctx, storage.Account(to), rt.ID(opts.ReplyTo)); err != nil {
			return core.MessageID{}, fmt.Errorf("%s: reply to %s: %w", op, opts.ReplyTo, err)
		}
	}
	now := rt.WireNow()
	m := storage.Message{
		Peer:         storage.Account(to),
		Sender:       storage.Account(s.d.Self),
		SenderDevice: s.d.Device,
		Direction:    storage.Outgoing,
		Text:         text,
		SentAt:       now,
		StoredAt:     now,
		State:        storage.Pending,
		ReplyTo:      rt.ID(opts.ReplyTo),
	}
	timer, err := s.d.Expiry.Stamp(ctx, m.Peer, false, &m)
	if err != nil {
		return core.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	id := storage.NewMessageID(now) // after Stamp: a new chat's timer notice comes first
	m.ID = id
	c := textContent(id, now, text)
	c.Timer = timer
	c.Quote = quote
	raw, err := rt.EncodeContent(c)
	if err != nil {
		return core.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	item := storage.OutboxItem{ID: id, Recipient: storage.Account(to), Content: raw, CreatedAt: now, Expires: rt.ContentExpires(c)}
	var synced []storage.OutboxItem // the operation for our other devices
	store := func(ctx context.Context) error {
		var err error
		if synced, err = s.appendMessage(ctx, raw, to, true, s.d.Device); err != nil {
			return err
		}
		if err := s.d.Store.InsertMessage(ctx, m); err != nil {
			return err
		}
		if err := s.d.Expiry.Stored(ctx, m); err != nil {
			return err
		}
		items, err := s.d.Quotes.Keep(ctx, id, quote, true)
		if err != nil {
			return err
		}
		synced = append(synced, items...)
		return s.d.Store.PutOutbox(ctx, item)
	}
	stored, err := s.d.Outbox.Preseal(ctx, to, &item, store)
	if err == nil && !stored {
		err = s.d.Store.Update(ctx, store)
	}
	if err != nil {
		return core.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	s.d.Outbox.Enqueue(item)
	for _, it := range synced {
		s.d.Outbox.Enqueue(it)
	}
	s.d.Expiry.Wake()
	if err := s.d.Outbox.Durable(ctx); err != nil {
		return core.MessageID(id), fmt.Errorf("%s: %w", op, err)
	}
	return core.MessageID(id), nil
}

// MarkRead marks every received message from peer as read and sends one
// read receipt for them. It returns how many messages changed.
func (s *Service) MarkRead(ctx context.Context, peer core.AccountID) (int, error) {
	if err := s.ready(); err != nil {
		return 0, fmt.Errorf("mark read: %w", err)
	}
	var (
		events []core.Event
		items  []storage.OutboxItem
		count  int
		after  func()
	)
	err := s.d.Store.Update(ctx, func(ctx context.Context) error {
		events, items, count, after = events[:0], items[:0], 0, nil
		unread, err := s.d.Store.UnreadIncoming(ctx, storage.Account(peer))
		if err != nil {
			return err
		}
		var ids []core.MessageID
		for _, m := range unread {
			ev, err := s.d.States.SetState(ctx, core.MessageID(m.ID), core.Read)
			if err != nil {
				return err
			}
			events = append(events, ev...)
			ids = append(ids, core.MessageID(m.ID))
		}
		count = len(ids)
		if len(ids) == 0 {
			return nil
		}
		if items, err = s.d.Receipts.PutRead(ctx, peer, ids); err != nil {
			return err
		}
		upTo := slices.MaxFunc(ids, core.MessageID.Compare)
		read, synced, err := s.appendRead(ctx, peer, upTo)
		if err != nil {
			return err
		}
		items = append(items, synced...)
		// Countdowns start at the read operation's time, which every
		// device of ours reads from the log.
		after, err = s.d.Expiry.Read(ctx, storage.Account(peer), storage.MessageID(upTo), read.At)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("mark read: %w", err)
	}
	if after != nil {
		after()
	}
	for _, it := range items {
		s.d.Outbox.Enqueue(it)
	}
	for _, e := range events {
		s.d.Publish(e)
	}
	return count, nil
}

// Conversations lists the chats (1:1 and groups), most recent first.
func (s *Service) Conversations(ctx context.Context) ([]core.Conversation, error) {
	if err := s.ready(); err != nil {
		return nil, fmt.Errorf("conversations: %w", err)
	}
	cs, err := s.d.Store.Conversations(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]core.Conversation, len(cs))
	for i, c := range cs {
		out[i] = rt.Conversation(c)
	}
	return out, nil
}

// History returns up to limit messages of the 1:1 chat with peer older
// than before (zero: the newest), oldest first.
func (s *Service) History(ctx context.Context, peer core.AccountID, before core.MessageID, limit int) ([]core.Message, error) {
	if err := s.ready(); err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	ms, err := s.d.Store.History(ctx, storage.Account(peer), storage.MessageID(before), limit)
	if err != nil {
		return nil, err
	}
	return rt.Messages(ms), nil
}

// Message returns one message (of a 1:1 chat or a group) by ID.
func (s *Service) Message(ctx context.Context, id core.MessageID) (core.Message, error) {
	if err := s.ready(); err != nil {
		return core.Message{}, fmt.Errorf("message: %w", err)
	}
	m, err := s.d.Store.Message(ctx, storage.MessageID(id))
	if err != nil {
		return core.Message{}, err
	}
	return rt.Message(m), nil
}

func textContent(id storage.MessageID, at time.Time, text string) *pb.Content {
	return &pb.Content{MessageId: id[:], SentAtMs: at.UnixMilli(), Body: &pb.Content_Text{Text: &pb.Text{Body: text}}}
}

// takeText stores a 1:1 text.
func (s *Service) takeText(ctx context.Context, in rt.Incoming) (rt.Result, error) {
	body := in.Content.GetText()
	if body == nil || body.Body == "" || len(body.Body) > MaxTextSize || !utf8.ValidString(body.Body) {
		return rt.Result{}, fmt.Errorf("%w: text", rt.ErrBadContent)
	}
	m := storage.Message{
		ID:           in.ID,
		Peer:         storage.Account(in.From.Account),
		Sender:       storage.Account(in.From.Account),
		SenderDevice: in.From.Device,
		Direction:    storage.Incoming,
		Text:         body.Body,
		SentAt:       in.SentAt,
		StoredAt:     time.Now(),
		State:        storage.Received,
		ReplyTo:      s.d.Quotes.ReplyTo(in.Content.GetQuote()),
	}
	if s.readBefore(ctx, m.Peer, m.ID) {
		m.State = storage.Read // read on another device of ours already
	}
	got := rt.Result{Message: true}
	expired, err := s.d.Expiry.Receive(ctx, m.Peer, false, in.Content.GetTimer(), &m)
	if err != nil {
		return got, err
	}
	err = s.d.Store.InsertMessage(ctx, m)
	if errors.Is(err, storage.ErrExists) {
		return got, nil // a retransmission, or from another device of ours: stored
	}
	if err != nil {
		return got, err
	}
	if err := s.d.Expiry.Stored(ctx, m); err != nil {
		return got, err
	}
	raw, err := proto.Marshal(in.Content)
	if err != nil {
		return got, err
	}
	// The sender encrypted it for every device its copy of our device
	// list names: our other devices got it too, unless that copy is older
	// than ours (a device linked since), when they get it from us now.
	push := s.d.ListVersion != nil && in.Envelope.GetRecipientListVersion() < s.d.ListVersion()
	synced, err := s.recordMessage(ctx, raw, rt.CoreAccount(in.From.Account), false, in.From.Device, push)
	if err != nil {
		return got, err
	}
	quoted, err := s.d.Quotes.Keep(ctx, m.ID, in.Content.GetQuote(), push)
	if err != nil {
		return got, err
	}
	synced = append(synced, quoted...)
	got.New = true
	got.After = func(context.Context) {
		for _, it := range synced {
			s.d.Outbox.Enqueue(it)
		}
		if expired != nil {
			expired()
		}
		s.d.Publish(core.MessageReceived{Message: rt.Message(m)})
		s.d.OnMessage(rt.CoreAccount(in.From.Account))
	}
	return got, nil
}

package expiry

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Account-log operation kinds of the expiry feature.
const (
	// OpTimer (pb.OpTimer) is a timer change this account made or
	// received.
	OpTimer = "expiry.timer"
	// OpDefault (pb.OpDefaultTimer) is the default timer of new chats
	// (last writer wins).
	OpDefault = "expiry.default"
)

// defaultKey names the fold state of the default timer.
const defaultKey = "expiry.default"

// Service is a node's disappearing messages (n.Expiry()).
type Service struct {
	d    Deps
	wake chan struct{} // the sweep worker has a new deadline to look at

	floorMu sync.Mutex // guards swept and added; taken alone
	swept   time.Time  // the deadline index holds no entry before it
	added   time.Time  // the earliest deadline added since swept last rose (zero: none)
}

// New returns the expiry feature and claims the timer_set content kinds
// and its operation kinds; it does no I/O (node calls this).
func New(d Deps) (*Service, error) {
	if d.Store == nil || d.Outbox == nil || d.Recipients == nil || d.Registry == nil || d.Ops == nil ||
		d.Publish == nil || d.Ready == nil {
		return nil, errors.New("expiry: incomplete deps")
	}
	if d.Clock == nil {
		d.Clock = SystemClock{}
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	s := &Service{d: d, wake: make(chan struct{}, 1)}
	d.Registry.HandleContent(rt.KindTimerSet, nil, s.takeTimerSet)
	if d.Groups != nil {
		d.Registry.HandleGroupContent(rt.GroupKindTimerSet, s.takeGroupTimerSet)
	}
	d.Ops.HandleOp(OpTimer, s.foldTimer)
	d.Ops.HandleOp(OpDefault, s.foldDefault)
	d.Ops.HandleState("expiry", s.digest)
	return s, nil
}

func (s *Service) ready() error {
	if s == nil {
		return core.ErrNotStarted
	}
	return s.d.Ready()
}

// Now is the time of the feature's clock.
func (s *Service) Now() time.Time { return s.d.Clock.Now() }

// Timer returns chat's timer (the zero Timer: off, never set).
func (s *Service) Timer(ctx context.Context, chat core.Chat) (Timer, error) {
	if err := s.ready(); err != nil {
		return Timer{}, fmt.Errorf("timer: %w", err)
	}
	t, err := s.load(ctx, rt.Peer(chat))
	if err != nil {
		return Timer{}, fmt.Errorf("timer: %w", err)
	}
	return toTimer(t), nil
}

func (s *Service) load(ctx context.Context, chat storage.Account) (*pb.ChatTimer, error) {
	raw, err := s.d.Store.Timer(ctx, chat)
	if err != nil {
		return nil, err
	}
	return decodeTimer(raw)
}

// SetTimer changes chat's timer to d (0: off; else MinTimer…MaxTimer):
// the other side (every member of a group) gets the change, the chat's
// history on every device of both shows a notice, and messages sent from
// now on disappear d after they are sent (ours) or first read (theirs).
// In a group, only members allowed to edit its info may change it.
func (s *Service) SetTimer(ctx context.Context, chat core.Chat, d time.Duration) (Timer, error) {
	const op = "set timer"
	if err := s.ready(); err != nil {
		return Timer{}, fmt.Errorf("%s: %w", op, err)
	}
	if err := CheckTimer(d); err != nil {
		return Timer{}, fmt.Errorf("%s: %w", op, err)
	}
	if chat.IsGroup() {
		return s.setGroupTimer(ctx, chat.Group, d)
	}
	to := chat.Account
	if to == s.d.Self {
		return Timer{}, fmt.Errorf("%s: %w", op, core.ErrSelf)
	}
	if err := s.d.Recipients.CheckRecipient(ctx, to); err != nil {
		return Timer{}, fmt.Errorf("%s: %w", op, err)
	}
	peer := storage.Account(to)
	old, err := s.load(ctx, peer)
	if err != nil {
		return Timer{}, fmt.Errorf("%s: %w", op, err)
	}
	now := rt.WireNow()
	id := storage.NewMessageID(now)
	t := &pb.ChatTimer{Seconds: uint32(d / time.Second), Version: old.GetVersion() + 1, Setter: s.d.Self[:], MessageId: id[:]}
	raw, err := rt.EncodeContent(&pb.Content{
		MessageId: id[:], SentAtMs: now.UnixMilli(), Timer: t, Body: &pb.Content_TimerSet{TimerSet: t},
	})
	if err != nil {
		return Timer{}, fmt.Errorf("%s: %w", op, err)
	}
	item := storage.OutboxItem{ID: id, Recipient: peer, Content: raw, CreatedAt: now}
	var synced []storage.OutboxItem
	var events []core.Event
	store := func(ctx context.Context) error {
		var err error
		if events, err = s.apply(ctx, peer, false, t); err != nil {
			return err
		}
		if synced, err = s.record(ctx, peer, false, t, true); err != nil {
			return err
		}
		return s.d.Store.PutOutbox(ctx, item)
	}
	stored, err := s.d.Outbox.Preseal(ctx, to, &item, store)
	if err == nil && !stored {
		err = s.d.Store.Update(ctx, store)
	}
	if err != nil {
		return Timer{}, fmt.Errorf("%s: %w", op, err)
	}
	s.d.Outbox.Enqueue(item)
	for _, it := range synced {
		s.d.Outbox.Enqueue(it)
	}
	s.publish(events)
	if err := s.d.Outbox.Durable(ctx); err != nil {
		return toTimer(t), fmt.Errorf("%s: %w", op, err)
	}
	return toTimer(t), nil
}

// setGroupTimer changes a group's timer: a timer_set content to the
// group, recorded for our other devices.
func (s *Service) setGroupTimer(ctx context.Context, g core.GroupID, d time.Duration) (Timer, error) {
	const op = "set timer"
	if s.d.Groups == nil {
		return Timer{}, fmt.Errorf("%s: groups: %w", op, core.ErrNotStarted)
	}
	ok, err := s.d.Groups.CanEditInfo(ctx, g, s.d.Self)
	if err != nil {
		return Timer{}, fmt.Errorf("%s: %w", op, err)
	}
	if !ok {
		return Timer{}, fmt.Errorf("%s: %w: only members who may edit the group's info may change its timer", op, ErrNotAllowed)
	}
	chat := storage.Account(g)
	old, err := s.load(ctx, chat)
	if err != nil {
		return Timer{}, fmt.Errorf("%s: %w", op, err)
	}
	t := &pb.ChatTimer{Seconds: uint32(d / time.Second), Version: old.GetVersion() + 1, Setter: s.d.Self[:]}
	var synced []storage.OutboxItem
	var events []core.Event
	err = s.d.Groups.PublishTimer(ctx, g, t, func(ctx context.Context, id storage.MessageID) error {
		t.MessageId = id[:]
		var err error
		if events, err = s.apply(ctx, chat, true, t); err != nil {
			return err
		}
		synced, err = s.record(ctx, chat, true, t, true)
		return err
	})
	if err != nil {
		return Timer{}, fmt.Errorf("%s: %w", op, err)
	}
	for _, it := range synced {
		s.d.Outbox.Enqueue(it)
	}
	s.publish(events)
	return toTimer(t), nil
}

// record writes the account-log operation of change t; push sends it to
// our other devices at once.
func (s *Service) record(ctx context.Context, chat storage.Account, group bool, t *pb.ChatTimer, push bool) ([]storage.OutboxItem, error) {
	body, err := proto.Marshal(&pb.OpTimer{Chat: chat[:], Group: group, Timer: t})
	if err != nil {
		return nil, err
	}
	if !push {
		_, err := s.d.Ops.Note(ctx, OpTimer, body)
		return nil, err
	}
	_, items, err := s.d.Ops.Append(ctx, OpTimer, body)
	return items, err
}

// apply takes change t of chat's timer in ctx's transaction: it becomes
// the timer when it wins over the one held (later), and its notice joins
// the chat's history either way, so that every device that saw the same
// changes shows the same notices whatever order they came in. It returns
// the events to publish after commit.
func (s *Service) apply(ctx context.Context, chat storage.Account, group bool, t *pb.ChatTimer) ([]core.Event, error) {
	old, err := s.load(ctx, chat)
	if err != nil {
		return nil, err
	}
	var events []core.Event
	if later(t, old) {
		raw, err := proto.Marshal(t)
		if err != nil {
			return nil, err
		}
		if err := s.d.Store.PutTimer(ctx, chat, raw); err != nil {
			return nil, err
		}
		tm := toTimer(t)
		events = append(events, TimerChanged{Chat: rt.Chat(chat, group), After: tm.After, Setter: tm.Setter})
	}
	id, _ := storage.MessageIDFromBytes(t.MessageId)
	n := storage.Message{
		ID: id, Peer: chat, Group: group, Kind: storage.KindTimerNotice,
		Text:        NoticeText(time.Duration(t.Seconds) * time.Second),
		ExpireAfter: time.Duration(t.Seconds) * time.Second,
		SentAt:      id.Time(), StoredAt: time.Now(),
	}
	copy(n.Sender[:], t.Setter)
	if n.Sender == storage.Account(s.d.Self) {
		n.Direction, n.State = storage.Outgoing, storage.Sent
	} else {
		// Read from the start: a notice is not an unread message and gets
		// no receipt.
		n.Direction, n.State = storage.Incoming, storage.Read
	}
	switch err := s.d.Store.InsertMessage(ctx, n); {
	case err == nil:
		if n.Direction == storage.Incoming {
			events = append(events, core.MessageReceived{Message: rt.Message(n)})
		}
	case errors.Is(err, storage.ErrExists):
	default:
		return nil, err
	}
	return events, nil
}

func (s *Service) publish(events []core.Event) {
	for _, e := range events {
		s.d.Publish(e)
	}
}

// takeTimerSet takes the other side's change of a 1:1 chat's timer.
func (s *Service) takeTimerSet(ctx context.Context, in rt.Incoming) (rt.Result, error) {
	t := in.Content.GetTimerSet()
	if err := checkWire(t); err != nil {
		return rt.Result{}, fmt.Errorf("%w: %v", rt.ErrBadContent, err)
	}
	if [32]byte(t.Setter) != in.From.Account || [16]byte(t.MessageId) != in.ID {
		return rt.Result{}, fmt.Errorf("%w: timer change names another setter or message", rt.ErrBadContent)
	}
	peer := storage.Account(in.From.Account)
	events, err := s.apply(ctx, peer, false, t)
	if err != nil {
		return rt.Result{}, err
	}
	// Our other devices got it from the sender too, unless its copy of
	// our device list is older than ours (as chats do with texts).
	push := s.d.ListVersion != nil && in.Envelope.GetRecipientListVersion() < s.d.ListVersion()
	synced, err := s.record(ctx, peer, false, t, push)
	if err != nil {
		return rt.Result{}, err
	}
	return rt.Result{After: func(context.Context) {
		for _, it := range synced {
			s.d.Outbox.Enqueue(it)
		}
		s.publish(events)
	}}, nil
}

// takeGroupTimerSet takes a member's change of a group's timer: only
// members allowed to edit the group's info may make one.
func (s *Service) takeGroupTimerSet(ctx context.Context, in rt.GroupIncoming) (rt.Result, error) {
	t := in.Content.GetTimerSet()
	if err := checkWire(t); err != nil {
		return rt.Result{}, fmt.Errorf("%w: %v", rt.ErrBadContent, err)
	}
	if [32]byte(t.Setter) != in.From.Account || [16]byte(t.MessageId) != in.ID {
		return rt.Result{}, fmt.Errorf("%w: timer change names another setter or message", rt.ErrBadContent)
	}
	g := rt.CoreGroup(in.Group)
	ok, err := s.d.Groups.CanEditInfo(ctx, g, core.AccountID(in.From.Account))
	if err != nil {
		return rt.Result{}, err
	}
	if !ok {
		s.d.Log.Debug("group timer change refused: member may not edit info", "group", g.Short())
		return rt.Result{}, nil
	}
	chat := storage.Account(g)
	events, err := s.apply(ctx, chat, true, t)
	if err != nil {
		return rt.Result{}, err
	}
	// Every device of ours is a member and gets it too: noted only, for
	// devices linked later.
	if _, err := s.record(ctx, chat, true, t, false); err != nil {
		return rt.Result{}, err
	}
	return rt.Result{After: func(context.Context) { s.publish(events) }}, nil
}

// foldTimer applies a timer change another device of ours made or
// received.
func (s *Service) foldTimer(ctx context.Context, op rt.Op) (func(context.Context), error) {
	body, err := decodeOpTimer(op.Body)
	if err != nil {
		return nil, err
	}
	events, err := s.apply(ctx, storage.Account(body.Chat), body.Group, body.Timer)
	if err != nil {
		return nil, err
	}
	return func(context.Context) { s.publish(events) }, nil
}

// maxOpSize bounds the body of an expiry operation (a timer change is
// under 100 bytes).
const maxOpSize = 1024

// decodeOpTimer decodes and checks an OpTimer body.
func decodeOpTimer(b []byte) (*pb.OpTimer, error) {
	if len(b) > maxOpSize {
		return nil, fmt.Errorf("%w: %s of %d bytes", rt.ErrBadContent, OpTimer, len(b))
	}
	var body pb.OpTimer
	if err := proto.Unmarshal(b, &body); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", rt.ErrBadContent, OpTimer, err)
	}
	if len(body.Chat) != len(storage.Account{}) {
		return nil, fmt.Errorf("%w: %s chat", rt.ErrBadContent, OpTimer)
	}
	if err := checkWire(body.Timer); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", rt.ErrBadContent, OpTimer, err)
	}
	return &body, nil
}

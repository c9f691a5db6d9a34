package expiry

import (
	"context"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// A change whose timer_set was lost reaches the other side with the meta
// of the setter's next message: the timer converges and the notice shows.
// A received message cannot carry a change in our name.
func TestMetaBringsLostChange(t *testing.T) {
	ctx := context.Background()
	st, err := badger.Open(badger.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	self, peer := core.AccountID{1}, storage.Account{2}
	s, err := New(Deps{
		Self: self, Store: st, Outbox: inert{}, Recipients: inert{}, Registry: inert{}, Ops: inert{},
		Publish: func(core.Event) {}, Ready: func() error { return nil }, Clock: NewManualClock(time.Now()),
	})
	if err != nil {
		t.Fatal(err)
	}
	receive := func(meta *pb.ChatTimer) storage.Message {
		t.Helper()
		now := time.Now()
		m := storage.Message{
			ID: storage.NewMessageID(now), Peer: peer, Sender: peer, Direction: storage.Incoming,
			State: storage.Received, Text: "hi", SentAt: now,
		}
		err := st.Update(ctx, func(ctx context.Context) error {
			if _, err := s.Receive(ctx, peer, false, meta, &m); err != nil {
				return err
			}
			if err := st.InsertMessage(ctx, m); err != nil {
				return err
			}
			return s.Stored(ctx, m)
		})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	change := storage.NewMessageID(time.Now())
	lost := &pb.ChatTimer{Seconds: 3600, Version: 4, Setter: peer[:], MessageId: change[:]}
	m := receive(lost)
	if m.ExpireAfter != time.Hour || !m.ExpiresAt.IsZero() {
		t.Fatalf("message %+v, want a one-hour timer not started", m)
	}
	tm, err := s.Timer(ctx, core.Chat{Account: core.AccountID(peer)})
	if err != nil || tm.After != time.Hour || tm.Version != 4 || tm.Change != core.MessageID(change) {
		t.Fatalf("timer %+v (%v), want the lost change", tm, err)
	}
	n, err := st.Message(ctx, change)
	if err != nil || n.Kind != storage.KindTimerNotice || n.Direction != storage.Incoming || n.State != storage.Read {
		t.Fatalf("notice %+v (%v)", n, err)
	}

	// An older change, and one in our name, change nothing.
	old := storage.NewMessageID(time.Now())
	receive(&pb.ChatTimer{Seconds: 60, Version: 3, Setter: peer[:], MessageId: old[:]})
	forged := storage.NewMessageID(time.Now())
	receive(&pb.ChatTimer{Seconds: 60, Version: 9, Setter: self[:], MessageId: forged[:]})
	if tm2, _ := s.Timer(ctx, core.Chat{Account: core.AccountID(peer)}); tm2 != tm {
		t.Fatalf("timer %+v, want it unchanged (%+v)", tm2, tm)
	}
	if _, err := st.Message(ctx, forged); err == nil {
		t.Fatal("a change in our name left a notice")
	}
}

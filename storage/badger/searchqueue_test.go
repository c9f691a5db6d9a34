package badger_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

func queuedIDs(t *testing.T, s *badger.Store, after uint64) (map[storage.MessageID]uint64, uint64) {
	t.Helper()
	cs, seq, err := s.IndexQueue(context.Background(), after, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[storage.MessageID]uint64{}
	for _, c := range cs {
		if c.Seq <= after || c.Seq > seq {
			t.Fatalf("change %s at %d outside (%d, %d]", c.ID, c.Seq, after, seq)
		}
		out[c.ID] = c.Seq
	}
	return out, seq
}

func drain(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// Every write that changes what search shows of a message queues it, in
// the same transaction; writes that do not (states, attachment progress,
// a failed transaction) do not.
func TestIndexQueueFollowsWrites(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	now := time.Now()
	a := testMessage(acct(1), now, storage.Incoming, storage.Received)
	b := testMessage(acct(2), now.Add(time.Millisecond), storage.Outgoing, storage.Pending)
	for _, m := range []storage.Message{a, b} {
		if err := s.InsertMessage(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	if !drain(s.IndexQueued()) {
		t.Fatal("no notification after inserts")
	}
	q, seq := queuedIDs(t, s, 0)
	if len(q) != 2 || q[a.ID] == 0 || q[b.ID] <= q[a.ID] {
		t.Fatalf("queue after inserts = %v", q)
	}

	// Not changes for search.
	if _, _, err := s.SetMessageState(ctx, a.ID, storage.Read); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateMessage(ctx, a.ID, func(m *storage.Message) error { m.ExpiresAt = now; return nil }); err != nil {
		t.Fatal(err)
	}
	failed := errors.New("no")
	err := s.Update(ctx, func(ctx context.Context) error {
		if err := s.InsertMessage(ctx, testMessage(acct(3), now, storage.Incoming, storage.Received)); err != nil {
			return err
		}
		return failed
	})
	if !errors.Is(err, failed) {
		t.Fatal(err)
	}
	if drain(s.IndexQueued()) {
		t.Fatal("notification without a queued change")
	}
	if q, _ := queuedIDs(t, s, seq); len(q) != 0 {
		t.Fatalf("queued after state, expiry and rolled back writes: %v", q)
	}

	// An edit, a delete and a new attachment are.
	if _, err := s.UpdateMessage(ctx, a.ID, func(m *storage.Message) error { m.Text = "edited"; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteMessage(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	att := storage.Attachment{ID: a.ID, Peer: a.Peer, Direction: storage.Incoming, Manifest: []byte{1}, Root: []byte{2}, State: storage.AttachmentRemote}
	if err := s.PutAttachment(ctx, att); err != nil {
		t.Fatal(err)
	}
	q, seq2 := queuedIDs(t, s, seq)
	if len(q) != 2 || q[a.ID] == 0 || q[b.ID] == 0 {
		t.Fatalf("queue after edit, delete, attachment = %v", q)
	}
	// Progress of the attachment is not; a new manifest is.
	att.State = storage.AttachmentFetching
	if err := s.PutAttachment(ctx, att); err != nil {
		t.Fatal(err)
	}
	if q, _ := queuedIDs(t, s, seq2); len(q) != 0 {
		t.Fatalf("queued after attachment state change: %v", q)
	}
	att.Manifest = []byte{9}
	if err := s.PutAttachment(ctx, att); err != nil {
		t.Fatal(err)
	}
	if q, _ := queuedIDs(t, s, seq2); len(q) != 1 {
		t.Fatalf("queue after new manifest = %v", q)
	}
}

// Trimming drops what the index applied and keeps what was queued again
// later; the trim mark only rises.
func TestTrimIndexQueue(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	now := time.Now()
	a := testMessage(acct(1), now, storage.Incoming, storage.Received)
	b := testMessage(acct(1), now.Add(time.Millisecond), storage.Incoming, storage.Received)
	for _, m := range []storage.Message{a, b} {
		if err := s.InsertMessage(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	_, seq := queuedIDs(t, s, 0)
	if _, err := s.UpdateMessage(ctx, a.ID, func(m *storage.Message) error { m.Text = "again"; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := s.TrimIndexQueue(ctx, seq); err != nil {
		t.Fatal(err)
	}
	q, _ := queuedIDs(t, s, 0)
	if len(q) != 1 || q[a.ID] <= seq {
		t.Fatalf("queue after trim = %v (trimmed to %d)", q, seq)
	}
	trimmed, current, err := s.IndexTrimmed(ctx)
	if err != nil || trimmed != seq || current < q[a.ID] {
		t.Fatalf("IndexTrimmed = %d, %d, %v; want %d, >= %d", trimmed, current, err, seq, q[a.ID])
	}
	if err := s.TrimIndexQueue(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if trimmed, _, _ := s.IndexTrimmed(ctx); trimmed != seq {
		t.Fatalf("trim mark fell to %d", trimmed)
	}
}

// A page of the queue ends at a sequence boundary, and the next page
// continues after it.
func TestIndexQueuePages(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	now := time.Now()
	want := map[storage.MessageID]bool{}
	for i := range 5 {
		err := s.Update(ctx, func(ctx context.Context) error {
			for j := range 3 {
				m := testMessage(acct(1), now.Add(time.Duration(i*3+j)*time.Millisecond), storage.Incoming, storage.Received)
				want[m.ID] = true
				if err := s.InsertMessage(ctx, m); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	var after uint64
	got := 0
	for pages := 0; ; pages++ {
		cs, seq, err := s.IndexQueue(ctx, after, 4)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) == 0 {
			break
		}
		if len(cs)%3 != 0 || pages > 5 {
			t.Fatalf("page of %d changes splits a transaction", len(cs))
		}
		for _, c := range cs {
			if !want[c.ID] {
				t.Fatalf("unexpected change %s", c.ID)
			}
			got++
		}
		after = seq
	}
	if got != len(want) {
		t.Fatalf("paged %d changes, want %d", got, len(want))
	}
}

// ForEachMessage walks every conversation's history.
func TestForEachMessage(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	now := time.Now()
	want := map[storage.MessageID]bool{}
	for i := range 6 {
		m := testMessage(acct(byte(1+i%3)), now.Add(time.Duration(i)*time.Millisecond), storage.Incoming, storage.Received)
		want[m.ID] = true
		if err := s.InsertMessage(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	if err := s.ForEachMessage(ctx, func(m storage.Message) error {
		if !want[m.ID] {
			t.Fatalf("unexpected message %s", m.ID)
		}
		n++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n != len(want) {
		t.Fatalf("walked %d messages, want %d", n, len(want))
	}
}

// A queue longer than one Badger transaction may hold (a catch-up after
// a bulk import, a rebuild) is trimmed whole.
func TestTrimLargeIndexQueue(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	const n = 40000
	start := time.Now().Add(-n * time.Millisecond)
	for i := 0; i < n; i += 1000 {
		err := s.Update(ctx, func(ctx context.Context) error {
			for j := i; j < i+1000; j++ {
				m := testMessage(acct(1), start.Add(time.Duration(j)*time.Millisecond), storage.Incoming, storage.Received)
				if err := s.InsertMessage(ctx, m); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	_, seq, err := s.IndexTrimmed(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.TrimIndexQueue(ctx, seq); err != nil {
		t.Fatal(err)
	}
	if cs, _, err := s.IndexQueue(ctx, 0, 0); err != nil || len(cs) != 0 {
		t.Fatalf("after trim: %d changes, %v", len(cs), err)
	}
	if trimmed, _, _ := s.IndexTrimmed(ctx); trimmed != seq {
		t.Fatalf("trim mark %d, want %d", trimmed, seq)
	}
}

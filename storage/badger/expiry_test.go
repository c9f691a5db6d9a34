package badger_test

import (
	"context"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/storage"
)

func TestDeadlineIndex(t *testing.T) {
	ctx := context.Background()
	s := openDir(t, t.TempDir())
	t.Cleanup(func() { s.Close() })
	base := time.Unix(1_800_000_000, 0)
	chat := storage.Account{7}
	var ds []storage.Deadline
	for i := range 5 {
		d := storage.Deadline{At: base.Add(time.Duration(i%3) * time.Minute), ID: storage.MessageID{byte(i + 1)}, Chat: chat}
		if err := s.PutDeadline(ctx, d); err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d)
	}
	all, err := s.Deadlines(ctx, storage.Deadline{}, time.Time{}, 100)
	if err != nil || len(all) != 5 {
		t.Fatalf("deadlines: %v (%v)", all, err)
	}
	for i := 1; i < len(all); i++ {
		if all[i].At.Before(all[i-1].At) {
			t.Fatalf("not in deadline order: %v", all)
		}
	}
	if all[0].Chat != chat || !all[0].At.Equal(base) {
		t.Fatalf("first entry %+v", all[0])
	}
	due, _ := s.Deadlines(ctx, storage.Deadline{}, base.Add(time.Minute), 100)
	if len(due) != 4 {
		t.Fatalf("due by +1m: %d entries, want 4", len(due))
	}
	after, _ := s.Deadlines(ctx, due[1], time.Time{}, 100)
	if len(after) != 3 || after[0] != all[2] {
		t.Fatalf("after the second: %v, want the last three", after)
	}
	if err := s.DeleteDeadline(ctx, all[0].At, all[0].ID); err != nil {
		t.Fatal(err)
	}
	if next, _ := s.Deadlines(ctx, storage.Deadline{}, time.Time{}, 1); len(next) != 1 || next[0] != all[1] {
		t.Fatalf("next after a delete: %v", next)
	}
}

func TestCountdownsAndTimers(t *testing.T) {
	ctx := context.Background()
	s := openDir(t, t.TempDir())
	t.Cleanup(func() { s.Close() })
	chat, other := storage.Account{1}, storage.Account{2}
	at := time.Now().Add(time.Hour).Truncate(time.Millisecond)
	for i := byte(1); i <= 3; i++ {
		c := storage.Countdown{ID: storage.MessageID{i}, ExpireAfter: time.Hour}
		if i == 2 {
			c.ExpiresAt = at
		}
		if err := s.PutCountdown(ctx, chat, c); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutCountdown(ctx, other, storage.Countdown{ID: storage.MessageID{1}, ExpireAfter: time.Minute}); err != nil {
		t.Fatal(err)
	}
	cs, err := s.Countdowns(ctx, chat, storage.MessageID{2})
	if err != nil || len(cs) != 2 || cs[0].ID != (storage.MessageID{1}) || cs[1].ExpireAfter != time.Hour || !cs[1].ExpiresAt.Equal(at) || !cs[0].ExpiresAt.IsZero() {
		t.Fatalf("countdowns up to 2: %+v (%v)", cs, err)
	}
	if err := s.DeleteCountdown(ctx, chat, storage.MessageID{1}); err != nil {
		t.Fatal(err)
	}
	if cs, _ := s.Countdowns(ctx, chat, storage.MessageID{0xff}); len(cs) != 2 {
		t.Fatalf("after a delete: %+v", cs)
	}

	if v, err := s.Timer(ctx, chat); v != nil || err != nil {
		t.Fatalf("timer of a new chat: %x (%v)", v, err)
	}
	if err := s.PutTimer(ctx, chat, []byte("record")); err != nil {
		t.Fatal(err)
	}
	if err := s.PutTimer(ctx, chat, make([]byte, 300)); err == nil {
		t.Fatal("a 300-byte timer record was taken")
	}
	n := 0
	if err := s.Timers(ctx, func(c storage.Account, r []byte) {
		n++
		if c != chat || string(r) != "record" {
			t.Errorf("timer %x %q", c, r)
		}
	}); err != nil || n != 1 {
		t.Fatalf("timers: %d (%v)", n, err)
	}

	if err := s.PutChatRead(ctx, chat, storage.MessageID{3}, at); err != nil {
		t.Fatal(err)
	}
	if upTo, got, err := s.ChatRead(ctx, chat); err != nil || upTo != (storage.MessageID{3}) || !got.Equal(at) {
		t.Fatalf("chat read: %x %v (%v)", upTo, got, err)
	}
}

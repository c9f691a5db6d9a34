package badger_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/storage"
)

func TestAttachments(t *testing.T) {
	st := newMem(t)
	ctx := context.Background()
	peer := acct(7)
	var ids []storage.MessageID
	for i := range 5 {
		id := storage.NewMessageID(time.Now())
		ids = append(ids, id)
		a := storage.Attachment{ID: id, Peer: peer, Direction: storage.Incoming, State: storage.AttachmentRemote,
			Manifest: []byte{byte(i)}, Root: []byte{1, byte(i)}, Size: uint64(i), CreatedAt: time.Now()}
		if err := st.PutAttachment(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.PutAttachment(ctx, storage.Attachment{ID: storage.NewMessageID(time.Now()), Peer: acct(8),
		Direction: storage.Outgoing, State: storage.AttachmentLocal, Root: []byte{9}}); err != nil {
		t.Fatal(err)
	}
	got, err := st.Attachments(ctx, peer, storage.MessageID{}, 3)
	if err != nil || len(got) != 3 || got[0].ID != ids[2] || got[2].ID != ids[4] {
		t.Fatalf("newest page: %v %v", len(got), err)
	}
	got, err = st.Attachments(ctx, peer, ids[2], 10)
	if err != nil || len(got) != 2 || got[0].ID != ids[0] || got[1].ID != ids[1] {
		t.Fatalf("older page: %v %v", len(got), err)
	}
	a, err := st.UpdateAttachment(ctx, ids[1], func(a *storage.Attachment) { a.State = storage.AttachmentLocal })
	if err != nil || a.State != storage.AttachmentLocal {
		t.Fatalf("update: %v", err)
	}
	if a, _ := st.Attachment(ctx, ids[1]); a.State != storage.AttachmentLocal || a.Manifest[0] != 1 {
		t.Fatalf("after update: %+v", a)
	}
	// A download that retries keeps its deadline; one that ends drops it.
	until := time.Unix(1_800_000_000, 7)
	if _, err := st.UpdateAttachment(ctx, ids[2], func(a *storage.Attachment) {
		a.State, a.Error, a.RetryUntil = storage.AttachmentRetrying, "sender away", until
	}); err != nil {
		t.Fatal(err)
	}
	if a, _ := st.Attachment(ctx, ids[2]); a.State != storage.AttachmentRetrying || !a.RetryUntil.Equal(until) || a.Error != "sender away" || a.Manifest[0] != 2 {
		t.Fatalf("retrying: %+v", a)
	}
	if _, err := st.UpdateAttachment(ctx, ids[2], func(a *storage.Attachment) { a.State, a.RetryUntil = storage.AttachmentLocal, time.Time{} }); err != nil {
		t.Fatal(err)
	}
	if a, _ := st.Attachment(ctx, ids[2]); a.State != storage.AttachmentLocal || !a.RetryUntil.IsZero() {
		t.Fatalf("after the retries: %+v", a)
	}
	if _, err := st.Attachment(ctx, storage.MessageID{1}); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("missing attachment: %v", err)
	}
	n := 0
	st.ForEachAttachment(ctx, func(storage.Attachment) error { n++; return nil })
	if n != 6 {
		t.Fatalf("ForEachAttachment saw %d", n)
	}
}

func TestPins(t *testing.T) {
	st := newMem(t)
	ctx := context.Background()
	now := time.Now()
	a := acct(1)
	rootA, rootB := []byte{1, 0xa}, []byte{1, 0xb}
	for _, p := range []storage.Pin{
		{Account: a, Device: 1, Root: rootA, Size: 100, Until: now.Add(time.Hour)},
		{Account: a, Device: 1, Root: rootB, Size: 50, Until: now.Add(time.Hour)},
		{Account: acct(2), Device: 1, Root: rootB, Size: 7, Until: now.Add(-time.Minute)}, // expired
	} {
		if err := st.PutPin(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := st.PinnedBytes(ctx, a, now); n != 150 {
		t.Fatalf("pinned bytes %d, want 150", n)
	}
	dep1, dep2 := [16]byte{1}, [16]byte{2}
	week := now.Add(7 * 24 * time.Hour)
	if err := st.BindDeposit(ctx, a, 1, dep1, [][]byte{rootA, rootB}, week); err != nil {
		t.Fatal(err)
	}
	if err := st.BindDeposit(ctx, a, 1, dep2, [][]byte{rootB}, week); err != nil {
		t.Fatal(err)
	}
	// Two hours on, the pins live thanks to the deposits.
	live, err := st.LivePins(ctx, now.Add(2*time.Hour))
	if err != nil || len(live) != 2 {
		t.Fatalf("live after two hours: %d %v", len(live), err)
	}
	// Acking dep1 releases rootA; rootB is still named by dep2.
	if err := st.AckDeposits(ctx, a, 1, [][16]byte{dep1}); err != nil {
		t.Fatal(err)
	}
	live, _ = st.LivePins(ctx, now)
	if len(live) != 1 || string(live[0]) != string(rootB) {
		t.Fatalf("live after ack: %v", live)
	}
	if err := st.AckDeposits(ctx, a, 1, [][16]byte{dep2}); err != nil {
		t.Fatal(err)
	}
	if live, _ = st.LivePins(ctx, now); len(live) != 0 {
		t.Fatalf("live after both acks: %v", live)
	}
}

package badger_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	bdg "github.com/dgraph-io/badger/v4"

	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

func TestGroupRecords(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	g := storage.Group{ID: [32]byte{2}, Status: storage.GroupActive, Seq: 3, Clock: 1_760_000_000_123, KeyID: 77, JoinedAt: time.Unix(1_700_000_000, 9)}
	if _, err := s.Group(ctx, g.ID); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("missing group: %v", err)
	}
	if err := s.PutGroup(ctx, g); err != nil {
		t.Fatal(err)
	}
	if err := s.PutGroup(ctx, storage.Group{ID: [32]byte{1}, Status: storage.GroupLeft}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Group(ctx, g.ID)
	if err != nil || got.Seq != 3 || got.Clock != g.Clock || got.KeyID != 77 || got.Status != storage.GroupActive || !got.JoinedAt.Equal(g.JoinedAt) {
		t.Fatalf("group: %+v %v", got, err)
	}
	all, err := s.Groups(ctx)
	if err != nil || len(all) != 2 || all[0].ID != [32]byte{1} {
		t.Fatalf("groups: %+v %v", all, err)
	}
	if err := s.PutGroup(ctx, storage.Group{}); !errors.Is(err, badger.ErrInvalid) {
		t.Fatalf("group without status: %v", err)
	}
}

func TestGroupOps(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	g := [32]byte{5}
	for i := range 3 {
		if err := s.PutGroupOp(ctx, g, [32]byte{byte(3 - i)}, []byte{byte(i + 1)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutGroupOp(ctx, g, [32]byte{1}, []byte{3}); err != nil { // again
		t.Fatal(err)
	}
	if err := s.PutGroupOp(ctx, [32]byte{6}, [32]byte{1}, []byte{9}); err != nil {
		t.Fatal(err)
	}
	ops, err := s.GroupOps(ctx, g)
	if err != nil || fmt.Sprint(ops) != "[[3] [2] [1]]" {
		t.Fatalf("ops: %v %v", ops, err)
	}
	if err := s.PutGroupOp(ctx, g, [32]byte{1}, nil); !errors.Is(err, badger.ErrInvalid) {
		t.Fatalf("empty op: %v", err)
	}
}

// TestPruneGroupOps: ops of groups without a record go, in batches; the
// ops of groups with one stay.
func TestPruneGroupOps(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	kept, orphan, other := [32]byte{1}, [32]byte{2}, [32]byte{3}
	if err := s.PutGroup(ctx, storage.Group{ID: kept, Status: storage.GroupLeft}); err != nil {
		t.Fatal(err)
	}
	for i := range 5000 {
		var h [32]byte
		h[0], h[1] = byte(i>>8), byte(i)
		for _, g := range [][32]byte{kept, orphan, other} {
			if g == kept && i >= 3 || g == other && i >= 2 {
				continue
			}
			if err := s.PutGroupOp(ctx, g, h, []byte{1}); err != nil {
				t.Fatal(err)
			}
		}
	}
	n, err := s.PruneGroupOps(ctx)
	if err != nil || n != 5002 {
		t.Fatalf("pruned %d, %v; want 5002", n, err)
	}
	for g, want := range map[[32]byte]int{kept: 3, orphan: 0, other: 0} {
		if ops, err := s.GroupOps(ctx, g); err != nil || len(ops) != want {
			t.Fatalf("group %x: %d ops, %v; want %d", g[:1], len(ops), err, want)
		}
	}
	if n, err := s.PruneGroupOps(ctx); err != nil || n != 0 {
		t.Fatalf("second prune: %d, %v", n, err)
	}
}

func TestGroupArchiveAndSequence(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	g := [32]byte{7}
	seqOf := func(a storage.Account, dev uint32) uint64 {
		t.Helper()
		senders, err := s.GroupSenders(ctx, g)
		if err != nil {
			t.Fatal(err)
		}
		for _, gs := range senders {
			if gs.Account == a && gs.Device == dev {
				return gs.Seq
			}
		}
		return 0
	}
	put := func(a storage.Account, dev uint32, seq uint64) bool {
		t.Helper()
		fresh, contig, err := s.ArchiveGroupEnvelope(ctx, g, storage.ArchivedEnvelope{Account: a, Device: dev, Seq: seq, ID: storage.MessageID{byte(seq)}, Raw: []byte(fmt.Sprint("m", seq))})
		if err != nil {
			t.Fatal(err)
		}
		if got := seqOf(a, dev); got != contig {
			t.Fatalf("archive returned seq %d, stored %d", contig, got)
		}
		return fresh
	}
	alice, bob := acct(1), acct(2)
	put(alice, 1, 3)
	if seqOf(alice, 1) != 0 {
		t.Fatal("contiguous seq advanced over a gap")
	}
	put(alice, 1, 1)
	if seqOf(alice, 1) != 1 {
		t.Fatalf("seq after 1: %d", seqOf(alice, 1))
	}
	if !put(alice, 1, 2) || seqOf(alice, 1) != 3 {
		t.Fatalf("seq after filling the gap: %d", seqOf(alice, 1))
	}
	if put(alice, 1, 2) {
		t.Fatal("archived the same seq twice")
	}
	put(alice, 2, 1)
	put(bob, 1, 1)
	senders, err := s.GroupSenders(ctx, g)
	if err != nil || len(senders) != 3 {
		t.Fatalf("senders: %+v %v", senders, err)
	}
	got, err := s.ArchivedAfter(ctx, g, alice, 1, 1, 10, 1<<20)
	if err != nil || len(got) != 2 || got[0].Seq != 2 || got[1].Seq != 3 || string(got[1].Raw) != "m3" || got[1].ID != (storage.MessageID{3}) {
		t.Fatalf("archived after 1: %+v %v", got, err)
	}
	if got, _ := s.ArchivedAfter(ctx, g, alice, 1, 0, 2, 1<<20); len(got) != 2 {
		t.Fatalf("limit: %d", len(got))
	}
	if got, _ := s.ArchivedAfter(ctx, g, alice, 1, 0, 10, 1); len(got) != 1 {
		t.Fatalf("byte limit: %d (at least one)", len(got))
	}
	if _, _, err := s.ArchiveGroupEnvelope(ctx, g, storage.ArchivedEnvelope{Account: bob, Device: 1, Seq: 0, Raw: []byte{1}}); !errors.Is(err, badger.ErrInvalid) {
		t.Fatalf("seq 0: %v", err)
	}
	// A floor applies only to a device with nothing held yet.
	carol := acct(3)
	if err := s.SetGroupSeqFloor(ctx, g, alice, 1, 100); err != nil || seqOf(alice, 1) != 3 {
		t.Fatalf("floor over a held device: %d %v", seqOf(alice, 1), err)
	}
	if err := s.SetGroupSeqFloor(ctx, g, carol, 1, 40); err != nil || seqOf(carol, 1) != 40 {
		t.Fatalf("floor: %d %v", seqOf(carol, 1), err)
	}
	put(carol, 1, 41)
	if seqOf(carol, 1) != 41 {
		t.Fatalf("seq above the floor: %d", seqOf(carol, 1))
	}
}

func TestGroupPending(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	g := [32]byte{8}
	ids := []storage.MessageID{{3}, {1}, {2}}
	for _, id := range ids {
		if err := s.PutPendingGroup(ctx, g, id, []byte{id[0]}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.PendingGroup(ctx, g, 10)
	if err != nil || fmt.Sprint(got) != "[[1] [2] [3]]" {
		t.Fatalf("pending: %v %v", got, err)
	}
	if got, _ := s.PendingGroup(ctx, g, 2); len(got) != 2 {
		t.Fatalf("pending limit: %d", len(got))
	}
	if err := s.DeletePendingGroup(ctx, g, storage.MessageID{1}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.PendingGroup(ctx, g, 10); fmt.Sprint(got) != "[[2] [3]]" {
		t.Fatalf("after delete: %v", got)
	}
}

func TestGroupKeysSentAndReceipts(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	g := [32]byte{9}
	if err := s.SetGroupKeySent(ctx, g, acct(1), 2, 55); err != nil {
		t.Fatal(err)
	}
	if err := s.SetGroupKeySent(ctx, g, acct(1), 2, 66); err != nil {
		t.Fatal(err)
	}
	sent, err := s.GroupKeysSent(ctx, g)
	if err != nil || len(sent) != 1 || sent[storage.GroupSender{Account: acct(1), Device: 2}] != 66 {
		t.Fatalf("keys sent: %v %v", sent, err)
	}
	id := storage.MessageID{4}
	for _, c := range []struct {
		member  byte
		st      storage.State
		changed bool
	}{{1, storage.Delivered, true}, {1, storage.Delivered, false}, {1, storage.Read, true}, {1, storage.Delivered, false}, {2, storage.Delivered, true}} {
		changed, err := s.SetGroupReceipt(ctx, id, acct(c.member), c.st)
		if err != nil || changed != c.changed {
			t.Fatalf("receipt %+v: changed %v, %v", c, changed, err)
		}
	}
	got, err := s.GroupReceipts(ctx, id)
	if err != nil || len(got) != 2 || got[acct(1)] != storage.Read || got[acct(2)] != storage.Delivered {
		t.Fatalf("receipts: %v %v", got, err)
	}
	if _, err := s.SetGroupReceipt(ctx, id, acct(1), storage.Pending); !errors.Is(err, badger.ErrInvalid) {
		t.Fatalf("receipt pending: %v", err)
	}
}

func TestGroupMessagesInHistory(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	gid := acct(0x77) // a group ID names the conversation
	now := time.Now()
	var ids []storage.MessageID
	for i := range 3 {
		m := testMessage(gid, now.Add(time.Duration(i)*time.Millisecond), storage.Incoming, storage.Received)
		m.Group, m.Sender = true, acct(byte(i+1))
		if err := s.InsertMessage(ctx, m); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	hist, err := s.History(ctx, gid, storage.MessageID{}, 10)
	if err != nil || len(hist) != 3 || !hist[2].Group || hist[2].Sender != acct(3) {
		t.Fatalf("history: %+v %v", hist, err)
	}
	convs, err := s.Conversations(ctx)
	if err != nil || len(convs) != 1 || !convs[0].Last.Group || convs[0].Unread != 3 {
		t.Fatalf("conversations: %+v %v", convs, err)
	}
	// Deleting the newest moves the summary back; deleting all removes it.
	if err := s.DeleteMessage(ctx, ids[2]); err != nil {
		t.Fatal(err)
	}
	convs, _ = s.Conversations(ctx)
	if len(convs) != 1 || convs[0].Last.ID != ids[1] || convs[0].Unread != 2 {
		t.Fatalf("after deleting the newest: %+v", convs)
	}
	if _, err := s.Message(ctx, ids[2]); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("deleted message: %v", err)
	}
	if unread, _ := s.UnreadIncoming(ctx, gid); len(unread) != 2 {
		t.Fatalf("unread after delete: %d", len(unread))
	}
	for _, id := range ids {
		if err := s.DeleteMessage(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if convs, _ := s.Conversations(ctx); len(convs) != 0 {
		t.Fatalf("conversation left after deleting everything: %+v", convs)
	}
}

// TestMigrateFromVersion1: a database written before groups (schema 1)
// opens, is marked version 2, and its messages still read.
func TestMigrateFromVersion1(t *testing.T) {
	dir := t.TempDir()
	s := openDir(t, dir)
	m := testMessage(acct(1), time.Now(), storage.Incoming, storage.Received)
	if err := s.InsertMessage(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := bdg.Open(bdg.DefaultOptions(dir).WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(txn *bdg.Txn) error { return txn.Set([]byte("V"), []byte{0, 0, 0, 1}) }); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	s = openDir(t, dir)
	got, err := s.Message(context.Background(), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameMessage(t, got, m)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = bdg.Open(bdg.DefaultOptions(dir).WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(func(txn *bdg.Txn) error {
		item, err := txn.Get([]byte("V"))
		if err != nil {
			return err
		}
		return item.Value(func(v []byte) error {
			if string(v) != "\x00\x00\x00\x02" {
				return fmt.Errorf("schema version %x after migration", v)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestGroupReceiptsConflict: two receipts applied at the same time must not
// both miss each other (the aggregate of the members' states would never
// be computed): one of the transactions is run again and sees both.
func TestGroupReceiptsConflict(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	id := storage.MessageID{5}
	var (
		mu    sync.Mutex
		calls int
		seen  []int
	)
	barrier := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	arrived := make(chan struct{}, 2)
	for m := range 2 {
		wg.Go(func() {
			err := s.Update(ctx, func(ctx context.Context) error {
				mu.Lock()
				calls++
				mu.Unlock()
				if _, err := s.SetGroupReceipt(ctx, id, acct(byte(m+1)), storage.Delivered); err != nil {
					return err
				}
				got, err := s.GroupReceipts(ctx, id)
				if err != nil {
					return err
				}
				arrived <- struct{}{}
				<-barrier // both have written before either commits
				mu.Lock()
				seen = append(seen, len(got))
				mu.Unlock()
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	<-arrived
	<-arrived
	once.Do(func() { close(barrier) })
	wg.Wait()
	if calls != 3 || slices.Max(seen) != 2 {
		t.Fatalf("%d runs, receipts seen %v: a transaction did not see the other's receipt", calls, seen)
	}
}

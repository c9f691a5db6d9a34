package badger_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/protocol/acctlog"
	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// purgeFixture stores a message whose text is secret and everything else
// that carries it: an op (noted), its own outbox item and custody record,
// an outbox item pushing the op to our other devices (noted), a file
// record and earlier versions (edits). It returns the op.
func purgeFixture(t *testing.T, s *badger.Store, m storage.Message, secret string, seq uint64) *acctlog.Op {
	t.Helper()
	ctx := context.Background()
	if m.Text != "" {
		if err := s.InsertMessage(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	op := logOp(t, 1, seq, seq, "op carrying "+secret)
	if _, err := s.AppendOps(ctx, []*acctlog.Op{op}); err != nil {
		t.Fatal(err)
	}
	push := idAt(time.Now())
	must(t, s.NoteMessageOp(ctx, m.ID, 1, seq))
	must(t, s.NoteMessageCarrier(ctx, m.ID, self, push))
	must(t, s.PutOutbox(ctx, storage.OutboxItem{ID: m.ID, Recipient: m.Peer, Content: []byte("outbox " + secret)}))
	must(t, s.PutOutbox(ctx, storage.OutboxItem{ID: push, Recipient: self, Content: op.Raw}))
	for _, c := range []storage.Custody{{ID: m.ID, Recipient: m.Peer, Content: []byte("custody " + secret)}, {ID: push, Recipient: self, Content: op.Raw}} {
		c.Devices = []storage.CustodyDevice{{Device: 2, ListVersion: 1, Until: time.Now().Add(time.Hour), Relays: []string{"relay"}}}
		must(t, s.PutCustody(ctx, c))
	}
	must(t, s.PutAttachment(ctx, storage.Attachment{ID: m.ID, Peer: m.Peer, Direction: m.Direction, Manifest: []byte("caption " + secret), Root: []byte{1, 2, 3}, State: storage.AttachmentLocal, CreatedAt: time.Now()}))
	must(t, s.PutRaw(append([]byte{'E'}, append(m.ID[:], 1)...), []byte("edit "+secret)))
	return op
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// holds reports the keys of values that contain b.
func holds(t *testing.T, s *badger.Store, b string) []string {
	t.Helper()
	var keys []string
	must(t, s.ForEachRaw(func(k, v []byte) {
		if bytes.Contains(k, []byte(b)) || bytes.Contains(v, []byte(b)) {
			keys = append(keys, fmt.Sprintf("%q", k))
		}
	}))
	return keys
}

// TestDeleteMessagePurges: DeleteMessage leaves no value holding the
// message's text: the op carrying it is redacted (and stays the same op),
// the outbox items, custody records, file record and edit versions go.
func TestDeleteMessagePurges(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	const secret = "purge-me-7f3a"
	m := testMessage(acct(1), time.Now(), storage.Outgoing, storage.Sent)
	m.Text = "text " + secret
	op := purgeFixture(t, s, m, secret, 1)
	keep := testMessage(acct(1), time.Now().Add(time.Second), storage.Outgoing, storage.Sent)
	keep.Text = "kept text"
	keepOp := purgeFixture(t, s, keep, "kept", 2)
	if len(holds(t, s, secret)) < 7 {
		t.Fatalf("the fixture holds the text in %d values", len(holds(t, s, secret)))
	}

	must(t, s.DeleteMessage(ctx, m.ID))
	if keys := holds(t, s, secret); len(keys) > 0 {
		t.Fatalf("values still hold the text: %v", keys)
	}
	if _, err := s.Message(ctx, m.ID); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("message: %v", err)
	}
	if _, err := s.Attachment(ctx, m.ID); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("attachment: %v", err)
	}
	if as, err := s.Attachments(ctx, m.Peer, storage.MessageID{}, 10); err != nil || len(as) != 1 || as[0].ID != keep.ID {
		t.Fatalf("the chat's files: %v, %v", as, err)
	}
	raw, err := s.AccountOp(ctx, 1, 1)
	must(t, err)
	if !acctlog.SameOp(raw, op.Raw) || bytes.Equal(raw, op.Raw) {
		t.Fatal("the op is not held redacted")
	}
	// The whole op arriving again (a pull from a sibling that has not
	// deleted it yet) is a duplicate: the redacted one stays.
	res, err := s.AppendOps(ctx, []*acctlog.Op{op})
	must(t, err)
	if res.Duplicates != 1 || len(res.Conflicts) != 0 {
		t.Fatalf("append the op again: %+v", res)
	}
	if keys := holds(t, s, secret); len(keys) > 0 {
		t.Fatalf("values hold the text after the op came again: %v", keys)
	}
	// The other message keeps everything.
	if got := holds(t, s, "kept"); len(got) < 7 {
		t.Fatalf("the kept message's values: %v", got)
	}
	if raw, err := s.AccountOp(ctx, 1, 2); err != nil || !bytes.Equal(raw, keepOp.Raw) {
		t.Fatalf("kept op: %v", err)
	}
}

// TestDeleteMessageNotHeld: the op and file of a message that is not in
// history (deleted before its op arrived) are purged all the same.
func TestDeleteMessageNotHeld(t *testing.T) {
	s := newMem(t)
	const secret = "never-stored-91c2"
	m := testMessage(acct(1), time.Now(), storage.Incoming, storage.Received)
	m.Text = ""
	purgeFixture(t, s, m, secret, 1)
	must(t, s.DeleteMessage(context.Background(), m.ID))
	if keys := holds(t, s, secret); len(keys) > 0 {
		t.Fatalf("values still hold the text: %v", keys)
	}
}

// grepDir returns the files under dir that contain b.
func grepDir(t *testing.T, dir string, b []byte) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if bytes.Contains(data, b) {
			found = append(found, filepath.Base(path))
		}
		return nil
	})
	must(t, err)
	return found
}

// TestCompactRemovesDeletedText: once Compact ran, no file of the
// database (memtable logs, tables, value logs, manifest) holds the text of
// a deleted message, wherever it was when deleted (a table of a low
// level, level 0, the memtable), while the messages kept are still there.
func TestCompactRemovesDeletedText(t *testing.T) {
	dir := t.TempDir()
	s, err := badger.Open(badger.Options{Dir: dir, MinFree: -1})
	must(t, err)
	defer s.Close()
	ctx := context.Background()
	compacted := make(chan struct{}, 10)
	s.OnCompact(func(context.Context) { compacted <- struct{}{} })
	now := time.Now()
	var gone, kept []storage.Message
	seq := uint64(0)
	for round := range 3 {
		for i := range 200 {
			m := testMessage(acct(byte(1+i%3)), now.Add(time.Duration(round*1000+i)*time.Millisecond), storage.Incoming, storage.Received)
			which := "kept"
			if i%2 == 0 {
				which = "gone"
			}
			m.Text = fmt.Sprintf("%s-%d-%03d-zq", which, round, i)
			must(t, s.InsertMessage(ctx, m))
			seq++
			op := logOp(t, 1, seq, seq, "op "+m.Text)
			must(t, s.Update(ctx, func(ctx context.Context) error {
				if _, err := s.AppendOps(ctx, []*acctlog.Op{op}); err != nil {
					return err
				}
				return s.NoteMessageOp(ctx, m.ID, 1, seq)
			}))
			if which == "gone" {
				gone = append(gone, m)
			} else {
				kept = append(kept, m)
			}
		}
		if round < 2 {
			// The first rounds go to tables (levels below 0 after the
			// second compaction); the last stays in the memtable.
			must(t, s.Compact(ctx))
		}
	}
	for _, m := range gone {
		must(t, s.DeleteMessage(ctx, m.ID))
	}
	must(t, s.Compact(ctx))
	if n := len(compacted); n != 3 {
		t.Fatalf("hooks ran %d times, want 3", n)
	}
	// Every deleted text starts with "gone-": one search finds any.
	if files := grepDir(t, dir, []byte("gone-")); len(files) > 0 {
		t.Fatalf("text of deleted messages in %v", files)
	}
	if files := grepDir(t, dir, []byte(kept[len(kept)-1].Text)); len(files) == 0 {
		t.Fatalf("text of a kept message in no file: the search is broken")
	}
	must(t, s.Close())
	s2 := openDir(t, dir)
	defer s2.Close()
	for _, m := range kept {
		if got, err := s2.Message(ctx, m.ID); err != nil || got.Text != m.Text {
			t.Fatalf("kept message after reopen: %v", err)
		}
	}
}

// TestCompactWhileWriting: writes made while Compact holds Badger's writes
// wait for it and then commit; none fails or is lost.
func TestCompactWhileWriting(t *testing.T) {
	dir := t.TempDir()
	s, err := badger.Open(badger.Options{Dir: dir, MinFree: -1})
	must(t, err)
	defer s.Close()
	ctx := context.Background()
	var wg sync.WaitGroup
	var ids []storage.MessageID
	var mu sync.Mutex
	errs := make(chan error, 4)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 300 {
				m := testMessage(acct(byte(w+1)), time.Now(), storage.Incoming, storage.Received)
				m.Text = fmt.Sprint("w", w, "-", i)
				if err := s.InsertMessage(ctx, m); err != nil {
					errs <- err
					return
				}
				mu.Lock()
				ids = append(ids, m.ID)
				mu.Unlock()
			}
		}()
	}
	for range 5 {
		must(t, s.Compact(ctx))
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for _, id := range ids {
		if _, err := s.Message(ctx, id); err != nil {
			t.Fatalf("message %s: %v", id, err)
		}
	}
	if len(ids) != 1200 {
		t.Fatalf("%d messages written", len(ids))
	}
}

// TestCompactScheduledAfterDeletions: the store compacts by itself once
// deletions stopped for CompactIdle, and not without deletions.
func TestCompactScheduledAfterDeletions(t *testing.T) {
	dir := t.TempDir()
	s, err := badger.Open(badger.Options{Dir: dir, MinFree: -1, CompactIdle: 20 * time.Millisecond})
	must(t, err)
	defer s.Close()
	ctx := context.Background()
	compacted := make(chan struct{}, 10)
	s.OnCompact(func(context.Context) { compacted <- struct{}{} })
	m := testMessage(acct(1), time.Now(), storage.Incoming, storage.Received)
	m.Text = "scheduled-purge-5b1d"
	must(t, s.InsertMessage(ctx, m))
	must(t, s.DeleteMessage(ctx, m.ID))
	select {
	case <-compacted:
	case <-time.After(30 * time.Second):
		t.Fatal("no compaction after a deletion")
	}
	if files := grepDir(t, dir, []byte(m.Text)); len(files) > 0 {
		t.Fatalf("text of the deleted message in %v", files)
	}
	// Nothing deleted since: writes alone schedule nothing.
	for i := range 50 {
		m := testMessage(acct(1), time.Now(), storage.Incoming, storage.Received)
		m.Text = fmt.Sprint("more ", i)
		must(t, s.InsertMessage(ctx, m))
	}
	if _, err := s.Message(ctx, m.ID); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("deleted message: %v", err)
	}
	select {
	case <-compacted:
		t.Fatal("compacted with no deletion since")
	default:
	}
}

// TestRefusedCopyOfDeletedMessagePurged: a copy of a deleted message that
// arrives later (an account-log op from a sibling that had not seen the
// delete, indexed before its fold) is refused, and what it left is
// purged like the message was.
func TestRefusedCopyOfDeletedMessagePurged(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	const secret = "late-copy-5e1f"
	m := testMessage(acct(1), time.Now(), storage.Incoming, storage.Received)
	m.Text = "" // not held here: deleted before this copy came
	must(t, s.PutTombstone(ctx, m.ID, []byte{1}))
	purgeFixture(t, s, m, secret, 1)
	m.Text = "text " + secret
	if err := s.InsertMessage(ctx, m); !errors.Is(err, storage.ErrExists) {
		t.Fatalf("insert of a deleted message: %v, want ErrExists", err)
	}
	if keys := holds(t, s, secret); len(keys) > 0 {
		t.Fatalf("values still hold the text: %v", keys)
	}
}

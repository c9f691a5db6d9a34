package badger_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// BenchmarkInsertMessage measures the send path's store work: one Update
// inserting a history entry and an outbox item, on disk, without fsync.
func BenchmarkInsertMessage(b *testing.B) {
	s, err := badger.Open(badger.Options{Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	ctx := context.Background()
	peer := acct(1)
	content := make([]byte, 200)
	text := string(make([]byte, 100))
	b.ReportAllocs()
	for b.Loop() {
		now := time.Now()
		id := storage.NewMessageID(now)
		err := s.Update(ctx, func(ctx context.Context) error {
			if err := s.InsertMessage(ctx, storage.Message{
				ID: id, Peer: peer, Sender: self, Direction: storage.Outgoing, State: storage.Pending,
				Text: text, SentAt: now, StoredAt: now,
			}); err != nil {
				return err
			}
			return s.PutOutbox(ctx, storage.OutboxItem{ID: id, Recipient: peer, Content: content, CreatedAt: now, NextAttempt: now})
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWaitDurable measures durable commits on disk: each iteration
// inserts one message and waits for it to be durable, alone (a single
// writer: one fsync per commit) and from 16 goroutines at once (group
// commit: one fsync per round), against a raw append+fsync of 200 bytes to
// a file in the same directory, measured in the same loop. It reports the
// single writer's latency per raw fsync and how many commits one round's
// fsync covers under 16 writers.
func BenchmarkWaitDurable(b *testing.B) {
	dir := b.TempDir()
	var rounds atomic.Int64
	s, err := badger.Open(badger.Options{Dir: filepath.Join(dir, "db"), SyncHook: func() { rounds.Add(1) }})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	f, err := os.Create(filepath.Join(dir, "raw"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { f.Close() })
	ctx := context.Background()
	var next atomic.Int64
	commit := func() {
		m := crashMessage(int(next.Add(1)))
		if err := s.InsertMessage(ctx, m); err != nil {
			b.Error(err)
			return
		}
		if err := s.WaitDurable(ctx); err != nil {
			b.Error(err)
		}
	}
	buf := make([]byte, 200)
	var single, raw, group time.Duration
	var groupCommits int64
	const writers = 16
	var groupRounds int64
	for b.Loop() {
		t0 := time.Now()
		commit()
		single += time.Since(t0)

		t0 = time.Now()
		if _, err := f.Write(buf); err != nil {
			b.Fatal(err)
		}
		if err := f.Sync(); err != nil {
			b.Fatal(err)
		}
		raw += time.Since(t0)

		r0 := rounds.Load()
		t0 = time.Now()
		var wg sync.WaitGroup
		for range writers {
			wg.Go(commit)
		}
		wg.Wait()
		group += time.Since(t0)
		groupRounds += rounds.Load() - r0
		groupCommits += writers
	}
	n := float64(b.N)
	b.ReportMetric(float64(single.Microseconds())/n, "single-µs")
	b.ReportMetric(float64(raw.Microseconds())/n, "fsync-µs")
	b.ReportMetric(float64(single)/float64(raw), "single/fsync")
	b.ReportMetric(float64(groupCommits)/group.Seconds(), "group-commits/s")
	b.ReportMetric(float64(groupCommits)/float64(groupRounds), "commits/round")
}

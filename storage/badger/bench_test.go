package badger_test

import (
	"context"
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

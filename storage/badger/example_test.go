package badger_test

import (
	"context"
	"fmt"
	"time"

	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// A send writes the history entry and the outbox item in one transaction.
func ExampleStore_Update() {
	s, err := badger.Open(badger.Options{InMemory: true})
	if err != nil {
		panic(err)
	}
	defer s.Close()
	ctx := context.Background()
	var bob storage.Account
	bob[0] = 1
	now := time.Now()
	id := storage.NewMessageID(now)
	err = s.Update(ctx, func(ctx context.Context) error {
		if err := s.InsertMessage(ctx, storage.Message{
			ID: id, Peer: bob, Direction: storage.Outgoing, State: storage.Pending, Text: "hi bob", SentAt: now,
		}); err != nil {
			return err
		}
		return s.PutOutbox(ctx, storage.OutboxItem{ID: id, Recipient: bob, Content: []byte("pb.Content"), CreatedAt: now})
	})
	if err != nil {
		panic(err)
	}
	_, changed, _ := s.SetMessageState(ctx, id, storage.Sent)
	hist, _ := s.History(ctx, bob, storage.MessageID{}, 0)
	out, _ := s.Outbox(ctx)
	fmt.Println(changed, len(hist), hist[0].Text, hist[0].State, len(out))
	// Output: true 1 hi bob sent 1
}

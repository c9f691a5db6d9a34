package badger

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	bdg "github.com/dgraph-io/badger/v4"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// A reply's quote is kept until the reply is removed; conversation
// preferences are stored and listed per chat; Tombstoned reads the
// actions feature's tombstones.
func TestQuotesPrefsTombstones(t *testing.T) {
	ctx := context.Background()
	s, err := Open(Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	peer := storage.Account{7}
	reply := storage.Message{
		ID: storage.NewMessageID(time.Now()), Peer: peer, Sender: peer, Direction: storage.Incoming,
		Text: "yes", SentAt: time.Now(), StoredAt: time.Now(), State: storage.Received,
	}
	if err := s.InsertMessage(ctx, reply); err != nil {
		t.Fatal(err)
	}
	original := storage.Message{
		ID: storage.NewMessageID(time.Now().Add(-time.Minute)), Peer: peer, Sender: peer, Direction: storage.Incoming,
		Text: "the question", SentAt: time.Now(), StoredAt: time.Now(), State: storage.Received,
	}
	if err := s.InsertMessage(ctx, original); err != nil {
		t.Fatal(err)
	}
	quote, _ := proto.Marshal(&pb.Quote{MessageId: original.ID[:], Author: peer[:], Snippet: "the question"})
	if err := s.PutQuote(ctx, reply.ID, quote); err != nil {
		t.Fatal(err)
	}
	if err := s.PutQuote(ctx, reply.ID, []byte("not a quote")); !errors.Is(err, ErrInvalid) {
		t.Fatalf("not a quote: %v, want ErrInvalid", err)
	}
	if err := s.PutQuote(ctx, reply.ID, make([]byte, MaxQuoteRecord+1)); !errors.Is(err, ErrInvalid) {
		t.Fatalf("oversized quote: %v, want ErrInvalid", err)
	}
	var n int
	if err := s.ForEachQuote(ctx, func(id storage.MessageID, raw []byte) error {
		n++
		if id != reply.ID || !bytes.Equal(raw, quote) {
			t.Errorf("quote %x = %q", id, raw)
		}
		return nil
	}); err != nil || n != 1 {
		t.Fatalf("%d quotes listed (%v), want 1", n, err)
	}
	// The original removed: the reply's quote keeps nothing of its text.
	if err := s.DeleteMessage(ctx, original.ID); err != nil {
		t.Fatal(err)
	}
	raw, err := s.Quote(ctx, reply.ID)
	var q pb.Quote
	if err != nil || proto.Unmarshal(raw, &q) != nil || q.Snippet != "" || !bytes.Equal(q.MessageId, original.ID[:]) || bytes.Contains(raw, []byte("question")) {
		t.Fatalf("quote after the original's removal: %v %v, want it blanked", &q, err)
	}
	if err := s.DeleteMessage(ctx, reply.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Quote(ctx, reply.ID); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("quote of a removed reply: %v, want ErrNotFound", err)
	}

	if err := s.PutChatPrefs(ctx, peer, []byte{1}); err != nil {
		t.Fatal(err)
	}
	if raw, err := s.ChatPrefs(ctx, peer); err != nil || string(raw) != "\x01" {
		t.Fatalf("chat prefs %q, %v", raw, err)
	}
	if err := s.PutChatPrefs(ctx, peer, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ChatPrefs(ctx, peer); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("removed chat prefs: %v, want ErrNotFound", err)
	}

	if dead, err := s.Tombstoned(ctx, reply.ID); err != nil || dead {
		t.Fatalf("tombstoned before a tombstone: %v, %v", dead, err)
	}
	if err := s.write(ctx, func(txn *bdg.Txn) error { return txn.Set(keyID(pTombstone, reply.ID), nil) }); err != nil {
		t.Fatal(err)
	}
	if dead, err := s.Tombstoned(ctx, reply.ID); err != nil || !dead {
		t.Fatalf("tombstoned: %v, %v; want true", dead, err)
	}
}

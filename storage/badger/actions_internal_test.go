package badger

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/storage"
)

// Actions waiting for one message come back in the order they came, once;
// a carrying message held already is not kept twice; past the bound for
// one message they are refused.
func TestWaitingActions(t *testing.T) {
	s, err := Open(Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	target := storage.NewMessageID(time.Now())
	for i := range MaxWaitingPerMessage {
		carry := storage.NewMessageID(time.Now())
		if err := s.PutWaitingAction(ctx, target, carry, []byte{byte(i)}); err != nil {
			t.Fatal(err)
		}
		if err := s.PutWaitingAction(ctx, target, carry, []byte{byte(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutWaitingAction(ctx, target, storage.NewMessageID(time.Now()), []byte{1}); !errors.Is(err, storage.ErrWaitingFull) {
		t.Fatalf("past the bound: %v", err)
	}
	got, err := s.TakeWaitingActions(ctx, target)
	if err != nil || len(got) != MaxWaitingPerMessage {
		t.Fatalf("took %d: %v", len(got), err)
	}
	for i, r := range got {
		if !bytes.Equal(r, []byte{byte(i)}) {
			t.Fatalf("action %d is %x", i, r)
		}
	}
	if got, err := s.TakeWaitingActions(ctx, target); err != nil || len(got) != 0 {
		t.Fatalf("taken twice: %d, %v", len(got), err)
	}
}

// FuzzDecodeWaiting: the record of waiting actions decodes without
// panicking or hanging, and what decodes encodes back to the same bytes.
func FuzzDecodeWaiting(f *testing.F) {
	var id storage.MessageID
	f.Add(append(binary.AppendUvarint(id[:], 2), 'h', 'i'))
	f.Add([]byte{})
	f.Add(bytes.Repeat([]byte{0xff}, 20))
	f.Fuzz(func(t *testing.T, b []byte) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			es, err := decodeWaiting(b)
			if err != nil {
				return
			}
			var again []byte
			for _, e := range es {
				again = append(again, e.carry[:]...)
				again = binary.AppendUvarint(again, uint64(len(e.rec)))
				again = append(again, e.rec...)
			}
			if !bytes.Equal(again, b) && len(b) > 0 {
				// Non-minimal uvarints decode too; their records must
				// still be the same.
				es2, err := decodeWaiting(again)
				if err != nil || len(es2) != len(es) {
					t.Fatalf("re-encoded record: %v", err)
				}
			}
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("decoder hangs")
		}
	})
}

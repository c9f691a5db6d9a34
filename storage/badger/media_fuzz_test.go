package badger

import (
	"bytes"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/storage"
)

func FuzzDecodeAttachment(f *testing.F) {
	at := time.Unix(1_700_000_000, 5)
	for _, a := range []storage.Attachment{
		{ID: storage.NewMessageID(at), Direction: storage.Incoming, State: storage.AttachmentRemote, Manifest: []byte{1, 2, 3},
			Root: []byte{1, 0x55, 0x12, 0x20}, Size: 1 << 31, Providers: [][]byte{[]byte("peer")}, Error: "x", CreatedAt: at},
		{Direction: storage.Outgoing, State: storage.AttachmentLocal, Root: []byte{1}},
		{Direction: storage.Incoming, State: storage.AttachmentRetrying, Root: []byte{1}, Error: "away", RetryUntil: at},
	} {
		f.Add(encodeAttachment(&a))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := decodeAttachment(b)
		if err != nil {
			return
		}
		enc := encodeAttachment(&a)
		a2, err := decodeAttachment(enc)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if !bytes.Equal(encodeAttachment(&a2), enc) {
			t.Fatal("encoding not stable")
		}
	})
}

func FuzzDecodePin(f *testing.F) {
	f.Add(encodePin(&storage.Pin{Device: 3, Root: []byte{1, 2}, Size: 99, Until: time.Unix(1_700_000_000, 0)}))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := decodePin(b)
		if err != nil {
			return
		}
		if _, err := decodePin(encodePin(&p)); err != nil {
			t.Fatalf("re-decode: %v", err)
		}
	})
}

func FuzzDecodeDepositPins(f *testing.F) {
	e := encoder{}
	e.byte(recordV1)
	e.time(time.Unix(1_700_000_000, 0))
	e.uvarint(2)
	e.bytes([]byte{1, 2})
	e.bytes([]byte{3})
	f.Add(e.b)
	f.Fuzz(func(t *testing.T, b []byte) {
		_, roots, err := decodeDepositPins(b)
		if err == nil && len(roots) > maxPinsPerDep {
			t.Fatalf("%d roots", len(roots))
		}
	})
}

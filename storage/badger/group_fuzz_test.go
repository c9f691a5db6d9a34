package badger

import (
	"bytes"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/storage"
)

func FuzzDecodeGroup(f *testing.F) {
	for _, g := range []storage.Group{
		{ID: [32]byte{1}, Status: storage.GroupActive, Seq: 7, Clock: 1_760_000_000_000, KeyID: 99, KeySKDM: []byte{3, 4}, KeySeq: 5, KeyClock: 6, JoinedAt: time.Unix(1_700_000_000, 5)},
		{Status: storage.GroupRemoved},
	} {
		f.Add(encodeGroup(&g))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		g, err := decodeGroup(b)
		if err != nil {
			return
		}
		enc := encodeGroup(&g)
		g2, err := decodeGroup(enc)
		if err != nil || !bytes.Equal(encodeGroup(&g2), enc) {
			t.Fatalf("encoding not stable: %v", err)
		}
	})
}

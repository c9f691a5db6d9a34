package badger

import (
	"bytes"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/storage"
)

func FuzzDecodeCustody(f *testing.F) {
	at := time.Unix(1_700_000_000, 5)
	f.Add(encodeCustody(&storage.Custody{ID: storage.NewMessageID(at), Content: []byte("c"), Receipt: true,
		Devices: []storage.CustodyDevice{{Device: 2, ListVersion: 9, Relays: []string{"r1", "r2"}, Until: at}, {Device: 3}}}))
	f.Add(encodeCustody(&storage.Custody{}))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := decodeCustody(b)
		if err != nil {
			return
		}
		enc := encodeCustody(&c)
		c2, err := decodeCustody(enc)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if !bytes.Equal(encodeCustody(&c2), enc) {
			t.Fatal("encoding not stable")
		}
	})
}

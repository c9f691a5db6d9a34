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
		{Status: storage.GroupActive, KeyID: 3, Retired: []storage.RetiredKey{{KeyID: 1, SKDM: []byte{9}, FirstSeq: 1, LastSeq: 4}, {KeyID: 2, FirstSeq: 5}}},
	} {
		f.Add(encodeGroup(&g))
	}
	f.Add(groupV1)
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

// groupV1 is a group record as version 1 wrote it (no retired keys).
var groupV1 = append([]byte{recordV1}, append(make([]byte, 32), 1, 7, 1, 99, 2, 3, 4, 5, 6, 0)...)

func TestDecodeGroupV1(t *testing.T) {
	g, err := decodeGroup(groupV1)
	if err != nil || g.Seq != 7 || g.KeyID != 99 || !bytes.Equal(g.KeySKDM, []byte{3, 4}) || g.KeySeq != 5 || g.KeyClock != 6 || g.Retired != nil {
		t.Fatalf("%+v %v", g, err)
	}
}

func TestGroupRetire(t *testing.T) {
	g := storage.Group{Status: storage.GroupActive, Seq: 9, KeyID: 1, KeySKDM: []byte{1}, KeySeq: 4}
	g.Retire()
	g.Retire() // nothing current: nothing to retire
	if g.KeySKDM != nil || g.KeyID != 0 || len(g.Retired) != 1 {
		t.Fatalf("%+v", g)
	}
	if r := g.Retired[0]; r.KeyID != 1 || !bytes.Equal(r.SKDM, []byte{1}) || r.FirstSeq != 4 || r.LastSeq != 9 {
		t.Fatalf("%+v", g)
	}
	for i := range storage.MaxRetiredKeys + 2 {
		g.KeyID, g.KeySKDM = uint32(10+i), []byte{byte(i)}
		g.Retire()
	}
	if len(g.Retired) != storage.MaxRetiredKeys || g.Retired[0].KeyID != 12 || g.Retired[storage.MaxRetiredKeys-1].KeyID != 19 {
		t.Fatalf("kept %+v", g.Retired)
	}
	d, err := decodeGroup(encodeGroup(&g))
	if err != nil || len(d.Retired) != storage.MaxRetiredKeys || d.Retired[3].KeyID != g.Retired[3].KeyID {
		t.Fatalf("round trip: %+v %v", d.Retired, err)
	}
}

package backup

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"testing"
	"time"
)

// underDeadline fails the fuzz run if fn does not return in time: the
// decoders must do bounded work on any input.
func underDeadline(t *testing.T, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); fn() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("decoder did not return within 10 s (a hang)")
	}
}

func FuzzManifest(f *testing.F) {
	_, priv, _ := ed25519.GenerateKey(bytes.NewReader(make([]byte, 64)))
	body := manifestBody{V: 1, ID: "20260101T000000Z-00000000", Time: time.Unix(1767225600, 0).UTC(),
		Meta:  map[string]string{"account": "a"},
		Items: []manifestItem{{Name: "acctlog", Size: 3, Chunks: make([]byte, 32), Sizes: []uint32{3}}, {Name: "e", Chunks: []byte{}, Sizes: []uint32{}}}}
	for _, sign := range []ed25519.PrivateKey{nil, priv} {
		b, err := encodeManifest(body, sign)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"body":{}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		underDeadline(t, func() {
			m, signer, err := decodeManifest("snapshots/20260101T000000Z-00000000", b)
			if err != nil {
				if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrTampered) {
					t.Fatalf("error without a sentinel: %v", err)
				}
				return
			}
			for _, it := range m.Items {
				for i := range it.Sizes {
					it.chunk(i) // in range
				}
			}
			_ = signer
		})
	})
}

func FuzzHeader(f *testing.F) {
	s, _ := ParseRecoveryKey(formatRecoveryKey(make([]byte, 32)))
	h, err := newHeader(s, repoKeys{master: make([]byte, 32), poly: 0x3DA3358B4DC173}, "", repoFormat{})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(h.Marshal())
	h2, err := newHeader(s, repoKeys{master: make([]byte, 32)}, "", newFormat)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(h2.Marshal())
	p := h
	p.h.Secret, p.h.KDF = "passphrase", kdfParams{Alg: "argon2id", Salt: make([]byte, 32), Time: 3, Memory: 64 << 10, Threads: 4}
	f.Add(p.Marshal())
	f.Add([]byte("{}\nsha256:00\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		underDeadline(t, func() {
			h, err := ParseHeader(b)
			if err != nil {
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("error without ErrCorrupt: %v", err)
				}
				return
			}
			k := h.h.KDF
			if k.Alg == "argon2id" && (k.Memory > maxArgonMemory || k.Time > maxArgonTime) {
				t.Fatalf("accepted absurd parameters %+v", k)
			}
			if _, err := ParseHeader(h.Marshal()); err != nil {
				t.Fatalf("re-marshalled header does not parse: %v", err)
			}
		})
	})
}

func FuzzRecoveryKey(f *testing.F) {
	f.Add(formatRecoveryKey(make([]byte, 32)))
	f.Add("abcd efgh")
	f.Fuzz(func(t *testing.T, in string) {
		underDeadline(t, func() {
			s, err := ParseRecoveryKey(in)
			if err != nil {
				if !errors.Is(err, ErrBadRecoveryKey) {
					t.Fatalf("error without ErrBadRecoveryKey: %v", err)
				}
				return
			}
			s2, err := ParseRecoveryKey(formatRecoveryKey(s.material))
			if err != nil || !bytes.Equal(s.material, s2.material) {
				t.Fatalf("accepted key does not round-trip: %v", err)
			}
		})
	})
}

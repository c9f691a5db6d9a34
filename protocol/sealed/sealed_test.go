package sealed_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/sealed"
)

func keys(t testing.TB) (priv, pub []byte) {
	t.Helper()
	k, err := e2e.GenerateLocalKeys()
	if err != nil {
		t.Fatal(err)
	}
	p := k.IdentityKeyPair.PrivateKey().Serialize()
	return p[:], k.IdentityKeyPair.PublicKey().Serialize()
}

func TestSealOpen(t *testing.T) {
	priv, pub := keys(t)
	msg := []byte("sender: alice, device 1; ciphertext ...")
	s, err := sealed.Seal(pub, msg)
	if err != nil {
		t.Fatal(err)
	}
	if len(s) != len(msg)+sealed.Overhead || bytes.Contains(s, []byte("alice")) {
		t.Fatalf("sealed form leaks or has the wrong size: %d bytes", len(s))
	}
	got, err := sealed.Open(priv, pub, s)
	if err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("open: %q, %v", got, err)
	}
	// Sealing twice gives different bytes (fresh ephemeral key).
	s2, _ := sealed.Seal(pub, msg)
	if bytes.Equal(s, s2) {
		t.Fatal("two seals are equal")
	}
	// Another device's key cannot open it; a flipped bit is refused.
	otherPriv, otherPub := keys(t)
	if _, err := sealed.Open(otherPriv, otherPub, s); !errors.Is(err, sealed.ErrOpen) {
		t.Fatalf("other key: %v", err)
	}
	for _, i := range []int{0, 5, 40, len(s) - 1} {
		bad := bytes.Clone(s)
		bad[i] ^= 1
		if _, err := sealed.Open(priv, pub, bad); err == nil {
			t.Fatalf("flipped byte %d opened", i)
		}
	}
	if _, err := sealed.Seal([]byte{1, 2}, msg); !errors.Is(err, sealed.ErrBadKey) {
		t.Fatalf("bad key: %v", err)
	}
	if _, err := sealed.Seal(pub, make([]byte, sealed.MaxSize)); err == nil {
		t.Fatal("oversized plaintext sealed")
	}
}

func FuzzOpen(f *testing.F) {
	priv, pub := keys(f)
	s, _ := sealed.Seal(pub, []byte("hello"))
	f.Add(s)
	f.Add([]byte{1})
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := sealed.Open(priv, pub, b); err == nil && !bytes.Equal(b, s) {
			t.Fatal("forged sealed envelope opened")
		}
	})
}

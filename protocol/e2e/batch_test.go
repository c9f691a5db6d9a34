package e2e_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/pigeon-net/pigeon/protocol/e2e"
)

func TestEncryptDecryptBatch(t *testing.T) {
	ctx := context.Background()
	alice := newDevice(t, nil, 1, devOpts{})
	bob := newDevice(t, nil, 1, devOpts{})
	connect(t, alice, bob)
	// Exchange once so batch messages are SignalMessages (MAC last).
	mustDecrypt(t, bob, alice, encrypt(t, alice, bob, "hi"), "hi")
	mustDecrypt(t, alice, bob, encrypt(t, bob, alice, "hello"), "hello")

	var plain [][]byte
	for i := range 10 {
		plain = append(plain, []byte(fmt.Sprintf("batch %d", i)))
	}
	sealed, err := alice.mgr.EncryptBatch(ctx, bob.addr, plain)
	if err != nil {
		t.Fatal(err)
	}
	if len(sealed) != len(plain) {
		t.Fatalf("%d sealed, want %d", len(sealed), len(plain))
	}

	// A tampered message in the middle fails the whole batch and stores
	// nothing: afterwards the genuine messages all decrypt, in one batch.
	bad := append([]e2e.Sealed(nil), sealed...)
	ct := append([]byte(nil), bad[4].Ciphertext...)
	ct[len(ct)-1] ^= 1
	bad[4].Ciphertext = ct
	var seen int
	_, err = bob.mgr.DecryptBatch(ctx, alice.addr, alice.cert, bad, func(context.Context, int, []byte) error {
		seen++
		return nil
	})
	var be *e2e.BatchError
	if !errors.As(err, &be) || be.Index != 4 || !errors.Is(err, e2e.ErrDecrypt) {
		t.Fatalf("tampered batch: %v, want BatchError at 4 wrapping ErrDecrypt", err)
	}
	if seen != 4 {
		t.Fatalf("fn saw %d plaintexts before the failure, want 4", seen)
	}

	got := make([]string, len(sealed))
	if _, err := bob.mgr.DecryptBatch(ctx, alice.addr, alice.cert, sealed, func(_ context.Context, i int, pt []byte) error {
		got[i] = string(pt)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for i := range plain {
		if got[i] != string(plain[i]) {
			t.Fatalf("message %d = %q, want %q", i, got[i], plain[i])
		}
	}
	// Replaying any of them is refused, alone or in a batch.
	if _, err := bob.mgr.DecryptBatch(ctx, alice.addr, alice.cert, sealed[9:], nil); !errors.Is(err, e2e.ErrReplay) {
		t.Fatalf("replayed batch: %v, want ErrReplay", err)
	}
	// The sessions go on in both directions.
	mustDecrypt(t, alice, bob, encrypt(t, bob, alice, "reply"), "reply")
	mustDecrypt(t, bob, alice, encrypt(t, alice, bob, "after"), "after")
}

// An error from fn rolls back the batch, including the session: the same
// ciphertexts decrypt again afterwards.
func TestDecryptBatchRollsBack(t *testing.T) {
	ctx := context.Background()
	alice := newDevice(t, nil, 1, devOpts{})
	bob := newDevice(t, nil, 1, devOpts{})
	connect(t, alice, bob)
	sealed, err := alice.mgr.EncryptBatch(ctx, bob.addr, [][]byte{[]byte("one"), []byte("two")})
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if _, err := bob.mgr.DecryptBatch(ctx, alice.addr, alice.cert, sealed, func(_ context.Context, i int, _ []byte) error {
		if i == 1 {
			return boom
		}
		return nil
	}); !errors.Is(err, boom) {
		t.Fatalf("got %v, want the callback's error", err)
	}
	for _, m := range sealed {
		if _, err := bob.mgr.Decrypt(ctx, alice.addr, alice.cert, m.Type, m.Ciphertext, nil); err != nil {
			t.Fatalf("after rollback: %v", err)
		}
	}
}

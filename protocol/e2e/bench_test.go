package e2e_test

import (
	"bytes"
	"context"
	"testing"
)

// benchEncryptDecrypt measures one 200-byte message on an established
// session: Encrypt at alice, Decrypt at bob, each one store transaction.
func benchEncryptDecrypt(b *testing.B, kind storeKind) {
	ctx := context.Background()
	alice := newDevice(b, nil, 1, devOpts{store: kind})
	bob := newDevice(b, nil, 1, devOpts{store: kind})
	connect(b, alice, bob)
	mustDecrypt(b, bob, alice, encrypt(b, alice, bob, "hello"), "hello")
	mustDecrypt(b, alice, bob, encrypt(b, bob, alice, "hi"), "hi")
	msg := bytes.Repeat([]byte("p"), 200)
	sink := func(context.Context, []byte) error { return nil }
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		typ, ct, err := alice.mgr.Encrypt(ctx, bob.addr, msg, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := bob.mgr.Decrypt(ctx, alice.addr, alice.cert, typ, ct, sink); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncryptDecrypt uses the real Badger store (in-memory mode).
func BenchmarkEncryptDecrypt(b *testing.B) { benchEncryptDecrypt(b, badgerStore) }

// BenchmarkEncryptDecryptBaseline uses a pure in-memory serializing store:
// the single-goroutine libsignal encrypt+decrypt rate that node throughput
// is compared against.
func BenchmarkEncryptDecryptBaseline(b *testing.B) { benchEncryptDecrypt(b, memoryStore) }

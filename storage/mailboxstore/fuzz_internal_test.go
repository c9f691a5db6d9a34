package mailboxstore

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/protocol/mailbox"
)

// The store's own records are checked when read (a corrupt one is an
// error wrapping ErrCorrupt, never a panic): registrations, closed-box
// markers, queue keys and queue values.

func FuzzDecodeRegistration(f *testing.F) {
	_, pub, _ := crypto.GenerateEd25519Key(rand.Reader)
	p, _ := peer.IDFromPublicKey(pub)
	v := []byte{recordVersion}
	v = binary.BigEndian.AppendUint64(v, 7)
	v = binary.BigEndian.AppendUint64(v, 1_700_000_000_000)
	f.Add(append(v, p...))
	f.Add([]byte{recordVersion})
	f.Add(encodeRegistration(mailbox.Registration{PeerID: p, Sequence: 9, ExpiresAt: time.UnixMilli(1_700_000_000_000),
		ListVersion: 3, DepositKeys: [][32]byte{{1}, {2}}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		box := mailbox.Box{Device: 1}
		reg, err := decodeRegistration(box, b)
		if err != nil {
			return
		}
		if reg.PeerID.Validate() != nil {
			t.Fatal("decoded an invalid peer id")
		}
		if len(reg.DepositKeys) > mailbox.MaxDepositKeys {
			t.Fatalf("decoded %d deposit keys", len(reg.DepositKeys))
		}
		again, err := decodeRegistration(box, encodeRegistration(reg))
		if err != nil || again.Sequence != reg.Sequence || again.ListVersion != reg.ListVersion ||
			again.PeerID != reg.PeerID || len(again.DepositKeys) != len(reg.DepositKeys) {
			t.Fatalf("re-encoded registration: %+v, %v (was %+v)", again, err, reg)
		}
	})
}

func FuzzDecodeClosed(f *testing.F) {
	f.Add(encodeClosed(5, time.UnixMilli(1_700_000_000_000)))
	f.Add([]byte{recordVersion, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		seq, at, err := decodeClosed(b)
		if err != nil {
			return
		}
		if !bytes.Equal(encodeClosed(seq, at), b) && at.UnixMilli() >= 0 {
			t.Fatalf("closed marker %x does not re-encode", b)
		}
	})
}

func FuzzParseQueueKey(f *testing.F) {
	var b mailbox.Box
	b.Account[0], b.Device = 1, 2
	f.Add(queueKey(b, 7, mailbox.DepositID{3}, 100, false))
	f.Add(queueKey(b, 8, mailbox.DepositID{4}, 200, true))
	f.Add([]byte{pQueue})
	f.Fuzz(func(t *testing.T, k []byte) {
		e, ok := parseQueueKey(k)
		if !ok {
			return
		}
		if e.size == 0 || e.size > mailbox.MaxEnvelopeSize {
			t.Fatalf("parsed size %d", e.size)
		}
		var box mailbox.Box
		copy(box.Account[:], e.name[:32])
		box.Device = binary.BigEndian.Uint32(e.name[32:36])
		if !bytes.Equal(queueKey(box, e.seq, mailbox.DepositID(e.name[36:]), e.size, e.stranger), k) {
			t.Fatalf("queue key %x does not re-encode", k)
		}
	})
}

func FuzzDecodeQueued(f *testing.F) {
	v := []byte{recordVersion}
	v = append(v, make([]byte, 16)...)
	v = binary.BigEndian.AppendUint64(v, 1_700_000_000_000)
	f.Add(append(v, "sealed"...))
	f.Add([]byte{recordVersion})
	f.Fuzz(func(t *testing.T, v []byte) {
		q, err := decodeQueued(v)
		if err != nil {
			return
		}
		if len(q.env) == 0 || len(q.env) > mailbox.MaxEnvelopeSize {
			t.Fatalf("decoded an envelope of %d bytes", len(q.env))
		}
	})
}

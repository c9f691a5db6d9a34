package mailboxstore

import (
	"crypto/rand"
	"encoding/binary"
	"testing"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/protocol/mailbox"
)

func FuzzDecodeRegistration(f *testing.F) {
	_, pub, _ := crypto.GenerateEd25519Key(rand.Reader)
	p, _ := peer.IDFromPublicKey(pub)
	v := []byte{recordVersion}
	v = binary.BigEndian.AppendUint64(v, 7)
	v = binary.BigEndian.AppendUint64(v, 1_700_000_000_000)
	f.Add(append(v, p...))
	f.Add([]byte{recordVersion})
	f.Fuzz(func(t *testing.T, b []byte) {
		reg, err := decodeRegistration(mailbox.Box{Device: 1}, b)
		if err == nil && reg.PeerID.Validate() != nil {
			t.Fatal("decoded an invalid peer id")
		}
	})
}

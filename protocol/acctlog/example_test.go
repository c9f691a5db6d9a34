package acctlog_test

import (
	"crypto/rand"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/protocol/acctlog"
	"github.com/pigeon-net/pigeon/protocol/identity"
)

// A device signs an op with its peer key; a sibling opens it with the
// device's certificate from the account's device list.
func ExampleOpen() {
	acct, _ := identity.NewAccount()
	key, _, _ := crypto.GenerateEd25519Key(rand.Reader)
	p, _ := peer.IDFromPrivateKey(key)
	signed, _ := acct.IssueCertificate(1, p, append([]byte{5}, make([]byte, 32)...), time.Now())
	cert, _ := identity.VerifyCertificate(signed)

	op := &acctlog.Op{Account: acct.ID(), Device: 1, Seq: 1, Lamport: 1, At: time.Now(), Kind: "chats.read", Body: []byte("…")}
	raw, err := acctlog.Sign(key, op)
	if err != nil {
		panic(err)
	}

	certOf := func(device uint32) (acctlog.Author, error) {
		if device != cert.DeviceID {
			return acctlog.Author{}, fmt.Errorf("device %d is not listed", device)
		}
		return acctlog.Author{Cert: cert}, nil
	}
	got, err := acctlog.Open(raw, certOf)
	fmt.Println(got, err)
	// Output: 1/1 chats.read <nil>
}

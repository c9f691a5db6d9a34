package e2e_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"log"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// exampleDevice sets up one device the way a node does at install: Signal
// keys saved in the store, a device certificate from the account, a Manager
// with its prekeys.
func exampleDevice(ctx context.Context, deviceID uint32) (*e2e.Manager, e2e.Address, *identity.Certificate, func()) {
	acct, err := identity.NewAccount()
	if err != nil {
		log.Fatal(err)
	}
	keys, err := e2e.GenerateLocalKeys()
	if err != nil {
		log.Fatal(err)
	}
	st, err := badger.Open(badger.Options{InMemory: true})
	if err != nil {
		log.Fatal(err)
	}
	priv := keys.IdentityKeyPair.PrivateKey().Serialize()
	err = st.SaveLocalIdentity(ctx, &storage.LocalIdentity{
		DeviceID:       deviceID,
		SignalPublic:   keys.IdentityKeyPair.PublicKey().Serialize(),
		SignalPrivate:  priv[:],
		RegistrationID: keys.RegistrationID,
	})
	if err != nil {
		log.Fatal(err)
	}
	// The peer ID is the device's libp2p host identity.
	_, pub, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	pid, err := peer.IDFromPublicKey(pub)
	if err != nil {
		log.Fatal(err)
	}
	signed, err := acct.IssueCertificate(deviceID, pid, keys.IdentityKeyPair.PublicKey().Serialize(), time.Now())
	if err != nil {
		log.Fatal(err)
	}
	cert, err := identity.VerifyCertificate(signed)
	if err != nil {
		log.Fatal(err)
	}
	m, err := e2e.NewManager(st, signed, nil)
	if err != nil {
		log.Fatal(err)
	}
	if err := m.Init(ctx); err != nil {
		log.Fatal(err)
	}
	return m, e2e.Address{Account: acct.ID(), Device: deviceID}, cert, func() { _ = st.Close() }
}

func Example() {
	ctx := context.Background()
	alice, aliceAddr, aliceCert, closeA := exampleDevice(ctx, 1)
	defer closeA()
	bob, bobAddr, _, closeB := exampleDevice(ctx, 1)
	defer closeB()

	// Alice gets a bundle from Bob (normally FetchBundle over a stream),
	// verifies it against the address she wants, and starts a session.
	raw, err := bob.Bundle(ctx)
	if err != nil {
		log.Fatal(err)
	}
	b, err := e2e.VerifyBundle(raw, bobAddr)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := alice.StartSession(ctx, b); err != nil {
		log.Fatal(err)
	}

	typ, ct, err := alice.Encrypt(ctx, bobAddr, []byte("hello bob"), nil)
	if err != nil {
		log.Fatal(err)
	}
	// Bob decrypts with Alice's verified certificate (from her device list)
	// and stores the message inside the same transaction.
	_, err = bob.Decrypt(ctx, aliceAddr, aliceCert, typ, ct, func(ctx context.Context, plaintext []byte) error {
		fmt.Printf("type %d: %s\n", typ, plaintext)
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output: type 3: hello bob
}

package node

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// firstDevice is the device number of the device that creates an account.
const firstDevice = 1

// loadOrCreateIdentity returns the stored identity, creating the account
// and first device when there is none.
// A non-nil accountSeed restores an existing account on this new device.
func loadOrCreateIdentity(ctx context.Context, st *badger.Store, accountSeed []byte) (*storage.LocalIdentity, bool, error) {
	local, err := st.LocalIdentity(ctx)
	if err == nil {
		return local, false, nil
	}
	if !errors.Is(err, storage.ErrNotFound) {
		return nil, false, fmt.Errorf("load identity: %w", err)
	}
	acct, err := identity.NewAccount()
	if accountSeed != nil {
		acct, err = identity.AccountFromSeed(accountSeed)
	}
	if err != nil {
		return nil, false, err
	}
	keys, err := newDeviceKeys()
	if err != nil {
		return nil, false, err
	}
	if local, err = keys.identity(acct, firstDevice); err != nil {
		return nil, false, err
	}
	if err := st.SaveLocalIdentity(ctx, local); err != nil {
		return nil, false, fmt.Errorf("save identity: %w", err)
	}
	return local, true, nil
}

// localCertificate verifies the device certificate stored in local.
func localCertificate(local *storage.LocalIdentity) (*identity.Certificate, error) {
	var signed pb.Signed
	if err := proto.Unmarshal(local.Certificate, &signed); err != nil {
		return nil, fmt.Errorf("load certificate: %w", err)
	}
	cert, err := identity.VerifyCertificate(&signed)
	if err != nil {
		return nil, fmt.Errorf("load certificate: %w", err)
	}
	return cert, nil
}

// deviceKeys are a new device's keys: its libp2p peer key and its Signal
// identity.
type deviceKeys struct {
	peerKey       crypto.PrivKey
	peer          peer.ID
	rawPeerKey    []byte
	signalPublic  []byte
	signalPrivate []byte
	registration  uint32
}

func newDeviceKeys() (*deviceKeys, error) {
	peerKey, _, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		return nil, fmt.Errorf("create peer key: %w", err)
	}
	pid, err := peer.IDFromPrivateKey(peerKey)
	if err != nil {
		return nil, err
	}
	raw, err := crypto.MarshalPrivateKey(peerKey)
	if err != nil {
		return nil, err
	}
	keys, err := e2e.GenerateLocalKeys()
	if err != nil {
		return nil, err
	}
	priv := keys.IdentityKeyPair.PrivateKey().Serialize()
	return &deviceKeys{
		peerKey: peerKey, peer: pid, rawPeerKey: raw,
		signalPublic: keys.IdentityKeyPair.PublicKey().Serialize(), signalPrivate: priv[:], registration: keys.RegistrationID,
	}, nil
}

// identity is the local identity of device number device of acct with
// these keys: the account key certifies them.
func (k *deviceKeys) identity(acct *identity.Account, device uint32) (*storage.LocalIdentity, error) {
	cert, err := acct.IssueCertificate(device, k.peer, k.signalPublic, time.Now())
	if err != nil {
		return nil, err
	}
	rawCert, err := proto.Marshal(cert)
	if err != nil {
		return nil, err
	}
	return &storage.LocalIdentity{
		AccountSeed: acct.Seed(), DeviceID: device, PeerKey: k.rawPeerKey,
		SignalPublic: k.signalPublic, SignalPrivate: k.signalPrivate, RegistrationID: k.registration, Certificate: rawCert,
	}, nil
}

// Package e2e is Pigeon's end-to-end encryption layer: Signal sessions
// (go.mau.fi/libsignal, protocol version 3) between devices whose Signal
// identity keys are vouched for by account-signed device certificates.
//
// A Manager owns one device's Signal state in a Store. It keeps the device's
// prekeys topped up (Init), hands out prekey bundles over the
// /pigeon/prekey/1 stream protocol (Serve, FetchBundle), builds sessions from
// verified bundles (VerifyBundle, StartSession) and encrypts and decrypts
// messages. Every session change is committed in one store transaction
// together with the caller's own writes, and all operations on one address
// are serialized, so concurrent use never reuses a message key.
//
// Two devices that start a session with each other at once each end up
// with both sessions in their records, and libsignal (Go) mishandles such
// records: it tries a message on each archived state in place, damaging
// the states that fail, and promoting one lists another twice. Decrypt
// picks the state that reads a message on copies first and stores every
// state once (see preselect and dedupeStates in sessioncache.go), so both
// sessions keep working.
package e2e

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"strconv"

	sigid "go.mau.fi/libsignal/keys/identity"
	"go.mau.fi/libsignal/protocol"
	"go.mau.fi/libsignal/serialize"
	"go.mau.fi/libsignal/util/keyhelper"

	"github.com/pigeon-net/pigeon/protocol/identity"
)

// LastResortPreKeyID is the ID of the one prekey that is never deleted: it
// is handed out when no one-time prekey is left. libsignal treats this ID
// (its "medium" maximum) as never to be removed.
const LastResortPreKeyID uint32 = 0xFFFFFF

// ser is the wire and record serializer. It is stateless and safe for
// concurrent use.
var ser = serialize.NewProtoBufSerializer()

// Address names one device: its account and device number.
type Address struct {
	Account identity.AccountID
	Device  uint32
}

// Signal returns the libsignal address: the account ID's text form as name
// and the device number as device ID.
func (a Address) Signal() *protocol.SignalAddress {
	return protocol.NewSignalAddress(a.Account.String(), a.Device)
}

// String is "<account>:<device>".
func (a Address) String() string {
	return a.Account.String() + ":" + strconv.FormatUint(uint64(a.Device), 10)
}

// LocalKeys is a device's Signal identity, created once at install.
type LocalKeys struct {
	IdentityKeyPair *sigid.KeyPair
	RegistrationID  uint32
}

// GenerateLocalKeys creates a Signal identity key pair and a registration ID
// in 1..0x3FFF.
func GenerateLocalKeys() (LocalKeys, error) {
	kp, err := keyhelper.GenerateIdentityKeyPair()
	if err != nil {
		return LocalKeys{}, fmt.Errorf("generate local keys: %w", err)
	}
	var b [4]byte
	var reg uint32
	for reg == 0 {
		if _, err := rand.Read(b[:]); err != nil {
			return LocalKeys{}, fmt.Errorf("generate local keys: %w", err)
		}
		reg = binary.LittleEndian.Uint32(b[:]) & 0x3FFF
	}
	return LocalKeys{IdentityKeyPair: kp, RegistrationID: reg}, nil
}

package mailbox

import (
	"crypto/hmac"
	"crypto/sha256"

	"github.com/libp2p/go-libp2p/core/peer"
)

// Deposit credentials. A device keeps a random secret and hands it, end to
// end encrypted, to the accounts it talks to. For relay R the credential is
// HMAC-SHA256(secret, "pigeon/deposit-credential/v1" || R's peer ID): every
// contact presents the same bytes at R (the relay cannot tell them apart),
// and a credential shown to one relay is worthless at another. The device
// registers SHA-256 of the credential (its key) with R, so R checks a
// credential without being able to make one.

const credentialDomain = "pigeon/deposit-credential/v1"

// MaxDepositKeys bounds the credential keys one registration names (the
// current secret's and the previous one's, with room to spare).
const MaxDepositKeys = 4

// CredentialSize is the size of a deposit credential.
const CredentialSize = sha256.Size

// Credential derives the deposit credential for relay from a device's
// deposit secret.
func Credential(secret []byte, relay peer.ID) [CredentialSize]byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(credentialDomain))
	m.Write([]byte(relay))
	return [CredentialSize]byte(m.Sum(nil))
}

// CredentialKey is what a registration names for a credential: its
// SHA-256.
func CredentialKey(c [CredentialSize]byte) [32]byte { return sha256.Sum256(c[:]) }

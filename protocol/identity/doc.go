// Package identity holds Pigeon's identities and the signed records that
// bind them together.
//
// # The identity chain
//
// Every account has a long-term Ed25519 key (Account). Everything else hangs
// off it:
//
//	account key ──signs──▶ device certificate ──names──▶ Signal identity key ──signs──▶ signed prekey
//
// In detail:
//
//   - A device certificate (IssueCertificate, VerifyCertificate) is a
//     pb.Signed whose body is a pb.DeviceCertificate, signed by the account
//     key under the domain "pigeon/device-cert/v1". It binds a device number
//     (1..2^31) to the device's libp2p peer ID and its 33-byte Signal
//     identity key.
//   - The Signal identity key, in turn, signs the device's signed prekey
//     (XEdDSA, checked by libsignal when a session is built from a bundle).
//
// A sender therefore checks account → device certificate → Signal identity →
// signed prekey before it builds a session, and a receiver checks that the
// Signal identity of an incoming session is the one in the sender's
// certificate.
//
// # Account IDs
//
// An AccountID is the account's Ed25519 public key. Its text form is "pg"
// followed by the lowercase, unpadded base32 of the key and a 4-byte
// checksum (60 characters), so a mistyped ID fails with ErrBadChecksum
// instead of naming a stranger.
//
// # The device list in the DHT
//
// An account publishes its devices as a device-list record: a pb.Signed
// whose body is a pb.DeviceList (account key, a strictly increasing version,
// each device's certificate and addresses, the relays holding the
// account's mailboxes, and up to MaxRevoked revoked devices with the last
// account-log op each may have authored), signed under "pigeon/device-list/v1"
// (Account.SignDeviceList, OpenDeviceList). The record lives in the Kademlia
// DHT under DeviceListKey(account) = "/pigeon-devices/" + the 32 raw key
// bytes. Validator, registered with
//
//	dht.NamespacedValidator(identity.Namespace, identity.Validator{})
//
// accepts only records that open (signature, certificates of the same
// account, limits) and belong to the account named by the key, and selects
// the one with the highest version, so nobody can forge or roll back an
// account's device list.
//
// # Safety numbers
//
// SafetyNumber computes the 60-digit number two users compare out of band:
// Signal's numeric fingerprint computed over each account key together with
// a hash of that account's device identity keys.
//
// Signatures in this package use domain separation (the domain string, a
// zero byte, then the body), so a signature for one record type never
// verifies as another. Decoders enforce size limits and are fuzzed.
package identity

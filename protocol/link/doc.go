// Package link implements /pigeon/link/1: linking a new device to an
// account with a one-time link code.
//
// # Link codes
//
// A device that holds the account key makes a Code (NewCode) and registers
// it with its Offers. The code names the account, the device's libp2p peer
// ID and a few addresses to dial it at (LAN, public, relay circuit,
// loopback), a fresh 32-byte secret, and an expiry (DefaultCodeLifetime,
// ten minutes). Its text form, "pigeon-link:" and about 300 characters of
// base32 with a checksum, fits a QR code a terminal can show. A code links
// one device, once, before it expires.
//
// # The exchange
//
// The new device makes its own peer key and Signal identity, then Join
// dials the code's peer and opens a stream:
//
//	new device → LinkHello{offer, Signal identity key, name, platform, proof}
//	existing   → LinkPending                  (the proof verified; the user is asked)
//	existing   → LinkGrant{device ID, certificate, device list, mac}
//	             or LinkServerFrame.refused at any point
//
// Both sides build the same transcript: the protocol ID, the account, the
// existing device's peer ID, the new device's peer ID, and the new
// device's Signal identity key, name and platform. Each side takes the
// other's peer ID from the connection, which libp2p authenticated, never
// from a message. With the code's secret as key:
//
//   - offer = HMAC(secret, "…/offer"), 16 bytes, names the code without
//     saying anything about its secret;
//   - proof = HMAC(secret, "…/proof" ‖ transcript) shows the new device
//     knows the secret;
//   - the six-digit confirmation code (SAS) is HMAC(secret, "…/sas" ‖
//     transcript) mod 10⁶; the new device shows it as soon as it has sent
//     its hello, and the existing device shows it in the question it asks
//     its user (ConfirmFunc);
//   - mac = HMAC(secret, "…/grant" ‖ transcript ‖ grant) authenticates the
//     answer.
//
// On yes, the existing device assigns the next device ID, signs the new
// certificate with the account key and publishes the new device list
// (ConfirmFunc does this), and answers with both. The new device accepts
// the grant only if the MAC verifies, the certificate verifies, is of the
// code's account and names its own peer ID and Signal identity key, and the
// device list is the account's and lists that certificate.
//
// A code is single-use (Offers): after a grant or a "no" it is used. A
// wrong proof burns nothing and is refused, but MaxBadProofs of them
// disable the code. Every frame has a size limit and every read a
// deadline; the wait for the user is bounded by the code's expiry, and
// ends when the new device goes away.
//
// # Security
//
// The code is the only secret. Whoever sees it (over a shoulder, in a
// screenshot) can ask to be linked in the user's name, with a valid proof:
// the protocol cannot tell that request from the user's own. That is why
// the user must compare the confirmation codes: the SAS is bound to the
// requesting device's peer ID and Signal identity key, so an intruder's
// request shows a different number on the existing device than the one on
// the user's new device (or appears when the user's new device shows
// none), and the user declines it; a declined code is used up. Only the
// holder of the account key can grant: an intruder cannot impersonate the
// existing device, because libp2p authenticates its peer ID, which the
// code names, and the account signs the certificate and list the new
// device checks; the code's account is what the new device verifies
// against. An expired or used code is worthless.
//
// A network observer sees a libp2p connection (Noise or TLS) between the
// two devices, or through a relay, and the protocol ID: the stream itself
// is encrypted, and the secret never crosses it, only MACs keyed with it.
// A relay on the path sees the same and no more. The existing device does
// not learn the secret from anyone else, and the new device's name and
// platform are shown to the user only after its proof verified; they are
// checked for control characters so a request cannot rewrite the prompt.
//
// Transferring the account's history to the new device happens afterwards,
// over the account-log sync protocol, once the device list names it.
package link

// Package link implements /pigeon/link/1: linking a new device to an
// account with a one-time link code.
//
// # Link codes
//
// A device that holds the account key makes a Code (NewCode) and registers
// it with its Offers. The code names the account, the device's libp2p peer
// ID and a few addresses to dial it at (LAN, public, relay circuit,
// loopback), a fresh 32-byte secret, and an expiry (DefaultCodeLifetime,
// ten minutes). Its text form, "pigeon-link:" and about 330 characters of
// base32 with a checksum, is checked for typos when parsed; in upper case
// (QRText) it fits a QR code an 80-column terminal can show. A code links
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
// The code is the only secret, and it is a bearer secret: whoever sees it
// (over a shoulder, in a screenshot, in a chat it was pasted into) can ask
// to be linked, with a valid proof, until it is used or expires. The
// protocol cannot tell that request from the user's own; the user can,
// by comparing the confirmation codes. The SAS is a MAC of the transcript,
// which holds the requesting device's peer ID and Signal identity key, so
// an intruder's request shows the user a number their new device does not
// show (or arrives when the new device shows none), and the user declines
// it. A declined code is used up, so the intruder gets no second try, and
// a code in confirmation is refused to anyone else (busy). What the
// intruder cannot do even with the code:
//
//   - pose as the existing device: the code names its peer ID, which
//     libp2p authenticates, and the new device accepts only a certificate
//     and device list signed by the code's account key;
//   - take over a request in flight: the certificate names the requesting
//     device's own peer ID and Signal key, which the transcript binds and
//     the new device checks, so a grant is useless to anyone else;
//   - replay: a code is single-use, and expires.
//
// The new device should show which account it joined (the code's
// account), since a forged code sends it to another account than the
// user meant. Name and platform are shown to the user only after the proof
// verified, and must be free of control and formatting characters so that
// a request cannot rewrite the prompt it appears in.
//
// A network observer sees a libp2p connection (Noise or TLS) between the
// two devices, directly or through a relay, and can tell its size and
// timing; the stream is encrypted, and the secret never crosses it: only
// the offer ID and MACs keyed with the secret do. A relay on the path sees
// no more. Guessing a code is hopeless: its secret has 256 bits, the offer
// ID that names it 128, and a wrong proof for a known offer counts towards
// MaxBadProofs.
//
// Transferring the account's history to the new device happens afterwards,
// over the account-log sync protocol, once the device list names it.
package link

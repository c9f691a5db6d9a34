// Package sealed hides who sent an envelope from the relays that store it.
//
// A sender that cannot reach a device deposits the envelope at the device's
// relays. The envelope names its sender (account, device, certificate), so
// before it is deposited it is sealed to the recipient device's Signal
// identity key: an ephemeral X25519 key agreement with that key, HKDF-SHA256
// over the shared secret and both public keys, and ChaCha20-Poly1305 over the
// whole envelope. A relay sees only the mailbox it is addressed to and the
// size. The recipient opens it with its identity private key; the sender is
// then authenticated by the Signal session inside, not by the seal.
//
// Format: version byte 1 || ephemeral X25519 public key (32) || ciphertext
// with tag. The AEAD nonce is all zeros: every key is used exactly once.
package sealed

import (
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"
)

const (
	version = 1
	// Overhead is how many bytes sealing adds.
	Overhead = 1 + 32 + chacha20poly1305.Overhead
	// MaxSize bounds a sealed envelope.
	MaxSize = 512 << 10
	// djbType is the type byte of libsignal's serialized Curve25519 keys.
	djbType = 0x05
	info    = "pigeon/sealed/v1"
)

var (
	// ErrMalformed is returned for sealed bytes of the wrong shape.
	ErrMalformed = errors.New("malformed sealed envelope")
	// ErrOpen is returned when a sealed envelope does not open with the key
	// (not for us, or tampered with).
	ErrOpen = errors.New("sealed envelope does not open")
	// ErrBadKey is returned for keys of the wrong form.
	ErrBadKey = errors.New("bad identity key")
)

// publicKey parses a libsignal-serialized identity public key (0x05 || 32).
func publicKey(b []byte) (*ecdh.PublicKey, error) {
	if len(b) != 33 || b[0] != djbType {
		return nil, fmt.Errorf("%w: want 33 bytes starting 0x05", ErrBadKey)
	}
	k, err := ecdh.X25519().NewPublicKey(b[1:])
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadKey, err)
	}
	return k, nil
}

func aead(shared, ephemeral, recipient []byte) (cipherAEAD, error) {
	salt := make([]byte, 0, 64)
	salt = append(append(salt, ephemeral...), recipient...)
	key, err := hkdf.Key(sha256.New, shared, salt, info, chacha20poly1305.KeySize)
	if err != nil {
		return nil, err
	}
	return chacha20poly1305.New(key)
}

type cipherAEAD interface {
	Seal(dst, nonce, plaintext, additionalData []byte) []byte
	Open(dst, nonce, ciphertext, additionalData []byte) ([]byte, error)
	NonceSize() int
}

// Seal encrypts plaintext for the device whose Signal identity public key
// (libsignal serialized, 33 bytes) is recipient.
func Seal(recipient, plaintext []byte) ([]byte, error) {
	if len(plaintext)+Overhead > MaxSize {
		return nil, fmt.Errorf("seal: %w: %d bytes", ErrMalformed, len(plaintext))
	}
	pub, err := publicKey(recipient)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	eph, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	shared, err := eph.ECDH(pub)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	ephPub := eph.PublicKey().Bytes()
	c, err := aead(shared, ephPub, pub.Bytes())
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	out := make([]byte, 0, Overhead+len(plaintext))
	out = append(out, version)
	out = append(out, ephPub...)
	return c.Seal(out, make([]byte, c.NonceSize()), plaintext, out[:1+32]), nil
}

// Open decrypts a sealed envelope with the device's Signal identity private
// key (32 bytes) and public key (33 bytes, libsignal serialized).
func Open(private, public, sealed []byte) ([]byte, error) {
	if len(sealed) < Overhead || len(sealed) > MaxSize || sealed[0] != version {
		return nil, fmt.Errorf("open: %w", ErrMalformed)
	}
	pub, err := publicKey(public)
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	priv, err := ecdh.X25519().NewPrivateKey(private)
	if err != nil {
		return nil, fmt.Errorf("open: %w: %v", ErrBadKey, err)
	}
	eph, err := ecdh.X25519().NewPublicKey(sealed[1:33])
	if err != nil {
		return nil, fmt.Errorf("open: %w", ErrMalformed)
	}
	shared, err := priv.ECDH(eph)
	if err != nil {
		return nil, fmt.Errorf("open: %w", ErrOpen)
	}
	c, err := aead(shared, sealed[1:33], pub.Bytes())
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	pt, err := c.Open(nil, make([]byte, c.NonceSize()), sealed[33:], sealed[:33])
	if err != nil {
		return nil, fmt.Errorf("open: %w", ErrOpen)
	}
	return pt, nil
}

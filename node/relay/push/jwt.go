package push

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
)

// signJWT returns header.claims.signature (RFC 7519, compact JWS) signed
// with RS256 (an *rsa.PrivateKey) or ES256 (an *ecdsa.PrivateKey on P-256).
func signJWT(header, claims any, key crypto.Signer) (string, error) {
	h, err := json.Marshal(header)
	if err != nil {
		return "", err
	}
	c, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	signing := enc.EncodeToString(h) + "." + enc.EncodeToString(c)
	digest := sha256.Sum256([]byte(signing))
	var sig []byte
	switch k := key.(type) {
	case *rsa.PrivateKey:
		sig, err = rsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, digest[:])
		if err != nil {
			return "", err
		}
	case *ecdsa.PrivateKey:
		r, s, err := ecdsa.Sign(rand.Reader, k, digest[:])
		if err != nil {
			return "", err
		}
		// JWS ES256 signatures are R || S, each 32 bytes big-endian (RFC 7518 §3.4).
		sig = make([]byte, 64)
		r.FillBytes(sig[:32])
		s.FillBytes(sig[32:])
	default:
		return "", fmt.Errorf("unsupported key type %T", key)
	}
	return signing + "." + enc.EncodeToString(sig), nil
}

// parsePKCS8 decodes the first PEM block of b as a PKCS#8 private key.
func parsePKCS8(b []byte) (any, error) {
	blk, _ := pem.Decode(b)
	if blk == nil {
		return nil, fmt.Errorf("no PEM block")
	}
	if blk.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("PEM block %q, want PRIVATE KEY (PKCS#8)", blk.Type)
	}
	return x509.ParsePKCS8PrivateKey(blk.Bytes)
}

func parseRSAKey(b []byte) (*rsa.PrivateKey, error) {
	k, err := parsePKCS8(b)
	if err != nil {
		return nil, err
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("private key is %T, want RSA", k)
	}
	return rk, nil
}

func parseP256Key(b []byte) (*ecdsa.PrivateKey, error) {
	k, err := parsePKCS8(b)
	if err != nil {
		return nil, err
	}
	ek, ok := k.(*ecdsa.PrivateKey)
	if !ok || ek.Curve != elliptic.P256() {
		return nil, fmt.Errorf("private key is not EC P-256")
	}
	return ek, nil
}

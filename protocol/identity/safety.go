package identity

import (
	"crypto/sha512"
	"strings"

	"go.mau.fi/libsignal/fingerprint"
)

// fingerprintIterations is the hash iteration count of Signal's numeric
// fingerprint (safety number).
const fingerprintIterations = 5200

// SafetyNumber returns the 60-digit safety number two accounts compare to
// rule out a man in the middle. Both sides compute the same number.
//
// Each side contributes Signal's version-0 numeric fingerprint (30 digits)
// computed over its 32-byte account key, with the account ID's text form
// as stable identifier; the two halves are joined smaller first. The
// account key certifies every device of the account, so the number stays
// the same when either side links, revokes or reinstalls a device: every
// device of an account shows the same number.
func SafetyNumber(local, remote AccountID) string {
	l := signalFingerprint(local[:], []byte(local.String()), fingerprintIterations)
	r := signalFingerprint(remote[:], []byte(remote.String()), fingerprintIterations)
	return fingerprint.NewDisplay(l, r).DisplayText()
}

// FormatSafetyNumber groups a safety number in blocks of five digits
// separated by spaces, the way it is shown to users.
func FormatSafetyNumber(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i += 5 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i:min(i+5, len(s))])
	}
	return b.String()
}

// signalFingerprint is libsignal's NumericFingerprintGenerator hash,
// fingerprint version 0: h = 0x0000 || key || stableID, then iterations
// rounds of h = SHA-512(h || key). It returns the full 64-byte hash; the
// display encoding uses the first 30 bytes.
func signalFingerprint(key, stableID []byte, iterations int) []byte {
	h := make([]byte, 0, 2+len(key)+len(stableID))
	h = append(h, 0, 0)
	h = append(h, key...)
	h = append(h, stableID...)
	d := sha512.New()
	for range iterations {
		d.Reset()
		d.Write(h)
		d.Write(key)
		h = d.Sum(h[:0])
	}
	return h
}

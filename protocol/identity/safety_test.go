package identity

import (
	"encoding/hex"
	"strings"
	"testing"

	"go.mau.fi/libsignal/fingerprint"
)

// TestSignalFingerprintVector checks the hash against the official
// NumericFingerprintGeneratorTest vector of libsignal-protocol-java
// (fingerprint version 0, 5200 iterations, stable IDs are phone numbers).
func TestSignalFingerprintVector(t *testing.T) {
	alice, _ := hex.DecodeString("0506863bc66d02b40d27b8d49ca7c09e9239236f9d7d25d6fcca5ce13c7064d868")
	bob, _ := hex.DecodeString("05f781b6fb32fed9ba1cf2de978d4d5da28dc34046ae814402b5c0dbd96fda907b")
	const want = "300354477692869396892869876765458257569162576843440918079131"
	a := signalFingerprint(alice, []byte("+14152222222"), fingerprintIterations)
	b := signalFingerprint(bob, []byte("+14153333333"), fingerprintIterations)
	if got := fingerprint.NewDisplay(a, b).DisplayText(); got != want {
		t.Fatalf("alice's view %s, want %s", got, want)
	}
	if got := fingerprint.NewDisplay(b, a).DisplayText(); got != want {
		t.Fatalf("bob's view %s, want %s", got, want)
	}
}

func TestSafetyNumber(t *testing.T) {
	alice, bob := testAccount(t, 1).ID(), testAccount(t, 2).ID()
	n := SafetyNumber(alice, bob)
	if len(n) != 60 || strings.Trim(n, "0123456789") != "" {
		t.Fatalf("safety number %q is not 60 digits", n)
	}
	if m := SafetyNumber(bob, alice); m != n {
		t.Fatalf("asymmetric: %s vs %s", n, m)
	}
	// Pinned, so an accidental change of the derivation is noticed (numbers
	// users have verified would silently change).
	const pinned = "319872444769890375731270413796669576987453863148114007455894"
	if n != pinned {
		t.Fatalf("safety number changed: %s, pinned %s", n, pinned)
	}
	if m := SafetyNumber(alice, testAccount(t, 3).ID()); m == n {
		t.Error("another account, the same number")
	}
}

func TestFormatSafetyNumber(t *testing.T) {
	n := strings.Repeat("0123456789", 6)
	want := "01234 56789 01234 56789 01234 56789 01234 56789 01234 56789 01234 56789"
	if got := FormatSafetyNumber(n); got != want {
		t.Fatalf("got %q", got)
	}
	if got := FormatSafetyNumber("1234567"); got != "12345 67" {
		t.Fatalf("short: %q", got)
	}
	if got := FormatSafetyNumber(""); got != "" {
		t.Fatalf("empty: %q", got)
	}
}

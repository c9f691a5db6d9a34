package media

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"testing"
)

func encryptAll(t testing.TB, plain, key []byte) []byte {
	t.Helper()
	r, err := NewEncryptReader(bytes.NewReader(plain), key)
	if err != nil {
		t.Fatal(err)
	}
	ct, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return ct
}

func TestEncryptDecryptSizes(t *testing.T) {
	key, _ := NewKey()
	for _, n := range []int{0, 1, SegmentSize - 1, SegmentSize, SegmentSize + 1, 3 * SegmentSize, 3*SegmentSize + 17} {
		plain := make([]byte, n)
		rand.Read(plain)
		ct := encryptAll(t, plain, key)
		if uint64(len(ct)) != CiphertextSize(uint64(n)) {
			t.Fatalf("size %d: ciphertext %d bytes, CiphertextSize says %d", n, len(ct), CiphertextSize(uint64(n)))
		}
		var out bytes.Buffer
		got, err := Decrypt(&out, bytes.NewReader(ct), key, uint64(n))
		if err != nil || got != int64(n) || !bytes.Equal(out.Bytes(), plain) {
			t.Fatalf("size %d: decrypt %d bytes, err %v, equal %v", n, got, err, bytes.Equal(out.Bytes(), plain))
		}
	}
}

// oneByteReader makes the segmenter see short reads.
type oneByteReader struct{ r io.Reader }

func (o oneByteReader) Read(p []byte) (int, error) { return o.r.Read(p[:min(len(p), 1+len(p)/3)]) }

func TestEncryptShortReads(t *testing.T) {
	key, _ := NewKey()
	plain := make([]byte, 2*SegmentSize+5)
	rand.Read(plain)
	r, _ := NewEncryptReader(oneByteReader{bytes.NewReader(plain)}, key)
	ct, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ct, encryptAll(t, plain, key)) {
		t.Fatal("short reads changed the ciphertext")
	}
	var out bytes.Buffer
	if _, err := Decrypt(&out, oneByteReader{bytes.NewReader(ct)}, key, uint64(len(plain))); err != nil || !bytes.Equal(out.Bytes(), plain) {
		t.Fatalf("decrypt with short reads: %v", err)
	}
}

func TestDecryptRejectsTampering(t *testing.T) {
	key, _ := NewKey()
	plain := make([]byte, 3*SegmentSize+100)
	rand.Read(plain)
	ct := encryptAll(t, plain, key)
	seg := sealedSegment
	swapped := append(append(append([]byte(nil), ct[seg:2*seg]...), ct[:seg]...), ct[2*seg:]...)
	flipped := bytes.Clone(ct)
	flipped[seg+10] ^= 1
	otherKey, _ := NewKey()
	cases := map[string]struct {
		ct  []byte
		key []byte
	}{
		"truncated at a segment boundary": {ct[:2*seg], key},
		"truncated inside a segment":      {ct[:2*seg+100], key},
		"last segment dropped":            {ct[:3*seg], key},
		"segments reordered":              {swapped, key},
		"bit flipped":                     {flipped, key},
		"wrong key":                       {ct, otherKey},
		"empty":                           {nil, key},
		"appended garbage":                {append(bytes.Clone(ct), 1, 2, 3), key},
	}
	for name, c := range cases {
		var out bytes.Buffer
		_, err := Decrypt(&out, bytes.NewReader(c.ct), c.key, uint64(len(plain)))
		if !errors.Is(err, ErrDecrypt) {
			t.Errorf("%s: err %v, want ErrDecrypt", name, err)
		}
	}
	// Every byte written before the failure was authentic.
	var out bytes.Buffer
	Decrypt(&out, bytes.NewReader(flipped), key, uint64(len(plain)))
	if out.Len() != SegmentSize || !bytes.Equal(out.Bytes(), plain[:SegmentSize]) {
		t.Fatalf("wrote %d bytes before the bad segment, want exactly the first segment", out.Len())
	}
}

func TestDecryptSizeLimit(t *testing.T) {
	key, _ := NewKey()
	plain := make([]byte, 2*SegmentSize)
	ct := encryptAll(t, plain, key)
	var out bytes.Buffer
	if _, err := Decrypt(&out, bytes.NewReader(ct), key, SegmentSize+1); !errors.Is(err, ErrSize) {
		t.Fatalf("err %v, want ErrSize", err)
	}
	if out.Len() != SegmentSize {
		t.Fatalf("wrote %d bytes, want only the segment within the limit", out.Len())
	}
}

// FuzzDecrypt runs the decrypter on segments of fuzzSegment bytes, so that
// seeds of several segments stay a few dozen bytes (seeds of 64 KiB
// segments made the fuzzer's minimisation time out) while the code is the
// one Decrypt runs.
func FuzzDecrypt(f *testing.F) {
	const fuzzSegment = 16
	key := bytes.Repeat([]byte{7}, KeySize)
	for _, n := range []int{0, 5, fuzzSegment, 2*fuzzSegment + 3} {
		r, err := newEncryptReader(bytes.NewReader(bytes.Repeat([]byte{byte(n)}, n)), key, fuzzSegment)
		if err != nil {
			f.Fatal(err)
		}
		ct, err := io.ReadAll(r)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(ct)
	}
	f.Fuzz(func(t *testing.T, ct []byte) {
		n, err := decrypt(io.Discard, bytes.NewReader(ct), key, 1<<30, fuzzSegment)
		if n > int64(len(ct)) {
			t.Fatalf("wrote %d bytes from %d of ciphertext", n, len(ct))
		}
		if err == nil && len(ct) > 0 && n != int64(len(ct))-int64((len(ct)+fuzzSegment+TagSize-1)/(fuzzSegment+TagSize))*TagSize {
			t.Fatalf("decrypted %d bytes from %d of ciphertext", n, len(ct))
		}
	})
}

func BenchmarkEncrypt(b *testing.B) {
	key, _ := NewKey()
	plain := make([]byte, 16<<20)
	b.SetBytes(int64(len(plain)))
	for b.Loop() {
		r, _ := NewEncryptReader(bytes.NewReader(plain), key)
		io.Copy(io.Discard, r)
	}
}

// PlaintextProgress grows with the ciphertext bytes and reaches the
// file's size exactly at the end of its ciphertext.
func TestPlaintextProgress(t *testing.T) {
	for _, size := range []uint64{0, 1, SegmentSize - 16, SegmentSize - 1, SegmentSize, 3*SegmentSize + 5, 5 << 20} {
		ct := CiphertextSize(size)
		if got := PlaintextProgress(ct, size); got != size {
			t.Errorf("size %d: the whole ciphertext counts %d", size, got)
		}
		if got := PlaintextProgress(0, size); got != 0 {
			t.Errorf("size %d: nothing counts %d", size, got)
		}
		last := uint64(0)
		for c := uint64(0); c <= ct; c += max(1, ct/5000) {
			p := PlaintextProgress(c, size)
			if p < last || p > size {
				t.Fatalf("size %d: %d ciphertext bytes count %d, after %d", size, c, p, last)
			}
			last = p
		}
	}
}

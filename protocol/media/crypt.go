package media

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

const (
	// KeySize is the size of a file key.
	KeySize = 32
	// SegmentSize is the plaintext size of every segment but the last.
	SegmentSize = 64 << 10
	// TagSize is the authentication overhead of each segment.
	TagSize = 16

	sealedSegment = SegmentSize + TagSize
)

// additionalData binds every segment to this format version.
var additionalData = []byte("pigeon-media/1")

// NewKey returns a fresh random file key.
func NewKey() ([]byte, error) {
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		return nil, fmt.Errorf("new key: %w", err)
	}
	return k, nil
}

// CiphertextSize returns the ciphertext size of a plaintext of size bytes.
func CiphertextSize(size uint64) uint64 {
	segs := size / SegmentSize
	if size%SegmentSize != 0 || size == 0 {
		segs++
	}
	return size + segs*TagSize
}

// PlaintextProgress converts ciphertext bytes of a file of size
// plaintext bytes into the plaintext bytes they carry, for progress
// reports: it grows with ct and is size when ct is the whole ciphertext.
func PlaintextProgress(ct, size uint64) uint64 {
	return min(ct/sealedSegment*SegmentSize+min(ct%sealedSegment, SegmentSize), size)
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("%w: key of %d bytes", ErrBadManifest, len(key))
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

func segmentNonce(nonce []byte, i uint64, final bool) {
	binary.BigEndian.PutUint64(nonce[:8], i)
	nonce[8], nonce[9], nonce[10] = 0, 0, 0
	nonce[11] = 0
	if final {
		nonce[11] = 1
	}
}

// segmenter reads src in segments of size bytes and tells which one is the
// last, by reading one byte ahead.
type segmenter struct {
	src  io.Reader
	size int
	buf  []byte // size+1 bytes: a segment and the byte after it
	n    int    // bytes buffered
	eof  bool
	done bool
}

func newSegmenter(src io.Reader, size int) *segmenter {
	return &segmenter{src: src, size: size, buf: make([]byte, size+1)}
}

// next returns the next segment (valid until the following call) and
// whether it is the last; io.EOF after the last.
func (s *segmenter) next() ([]byte, bool, error) {
	if s.done {
		return nil, false, io.EOF
	}
	if s.n > s.size { // carry the read-ahead byte over
		s.buf[0] = s.buf[s.size]
		s.n = 1
	} else if s.n != 0 {
		panic("media: segmenter misuse")
	}
	for s.n <= s.size && !s.eof {
		k, err := s.src.Read(s.buf[s.n:])
		s.n += k
		if errors.Is(err, io.EOF) {
			s.eof = true
		} else if err != nil {
			return nil, false, err
		}
	}
	if s.n > s.size {
		return s.buf[:s.size], false, nil // s.n stays: the next call carries
	}
	s.done = true
	seg := s.buf[:s.n]
	s.n = 0
	return seg, true, nil
}

// encryptReader is the ciphertext of a plaintext reader.
type encryptReader struct {
	seg   *segmenter
	aead  cipher.AEAD
	nonce []byte
	i     uint64
	out   []byte // sealed segment being served
	off   int
	err   error
}

// NewEncryptReader returns a reader of the ciphertext of src under key. It
// holds one segment in memory.
func NewEncryptReader(src io.Reader, key []byte) (io.Reader, error) {
	return newEncryptReader(src, key, SegmentSize)
}

// newEncryptReader is NewEncryptReader with plaintext segments of segSize
// bytes (the format's is SegmentSize; the fuzz test's seeds use tiny ones).
func newEncryptReader(src io.Reader, key []byte, segSize int) (io.Reader, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	return &encryptReader{
		seg:   newSegmenter(src, segSize),
		aead:  aead,
		nonce: make([]byte, aead.NonceSize()),
		out:   make([]byte, 0, segSize+TagSize),
	}, nil
}

func (e *encryptReader) Read(p []byte) (int, error) {
	for e.off == len(e.out) {
		if e.err != nil {
			return 0, e.err
		}
		plain, final, err := e.seg.next()
		if err != nil {
			e.err = err
			continue
		}
		segmentNonce(e.nonce, e.i, final)
		e.i++
		e.out = e.aead.Seal(e.out[:0], e.nonce, plain, additionalData)
		e.off = 0
	}
	n := copy(p, e.out[e.off:])
	e.off += n
	return n, nil
}

// Decrypt writes the plaintext of the ciphertext read from src to dst and
// returns how many plaintext bytes it wrote. Only authenticated bytes are
// written; a segment that fails (wrong key, corruption, reordering,
// truncation) ends it with an error wrapping ErrDecrypt. maxSize bounds the
// plaintext: more fails with ErrSize before it is written.
func Decrypt(dst io.Writer, src io.Reader, key []byte, maxSize uint64) (int64, error) {
	return decrypt(dst, src, key, maxSize, SegmentSize)
}

// decrypt is Decrypt of plaintext segments of segSize bytes (see
// newEncryptReader).
func decrypt(dst io.Writer, src io.Reader, key []byte, maxSize uint64, segSize int) (int64, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return 0, err
	}
	seg := newSegmenter(src, segSize+TagSize)
	nonce := make([]byte, aead.NonceSize())
	plain := make([]byte, 0, segSize)
	var written int64
	for i := uint64(0); ; i++ {
		sealed, final, err := seg.next()
		if errors.Is(err, io.EOF) {
			return written, nil
		}
		if err != nil {
			return written, err
		}
		segmentNonce(nonce, i, final)
		if plain, err = aead.Open(plain[:0], nonce, sealed, additionalData); err != nil {
			return written, fmt.Errorf("%w: segment %d", ErrDecrypt, i)
		}
		if uint64(written)+uint64(len(plain)) > maxSize {
			return written, fmt.Errorf("%w: plaintext longer than %d bytes", ErrSize, maxSize)
		}
		k, err := dst.Write(plain)
		written += int64(k)
		if err != nil {
			return written, err
		}
	}
}

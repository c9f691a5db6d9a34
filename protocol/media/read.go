package media

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/ipfs/go-cid"
	ipld "github.com/ipfs/go-ipld-format"
	"github.com/libp2p/go-libp2p/core/host"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

// GetFunc copies block c into buf (reusing its capacity) and returns it.
// It returns an error for which ipld.IsNotFound is true when the block is
// missing.
type GetFunc func(ctx context.Context, c cid.Cid, buf []byte) ([]byte, error)

// LocalGet reads blocks from bs.
func LocalGet(bs Blocks) GetFunc {
	if r, ok := bs.(BlockReader); ok {
		return r.ReadBlock
	}
	return func(ctx context.Context, c cid.Cid, buf []byte) ([]byte, error) {
		err := bs.View(ctx, c, func(b []byte) error {
			buf = append(buf[:0], b...)
			return nil
		})
		return buf, err
	}
}

// RemoteGet reads blocks from bs, and fetches a block bs lacks from
// opts.Providers first (that block alone, its hash checked, then kept in
// bs): reading a range of a file that is not local yet fetches only the
// blocks the range needs.
func RemoteGet(h host.Host, bs Blocks, opts FetchOptions) GetFunc {
	local := LocalGet(bs)
	opts.Shallow = true
	opts.Progress = nil
	return func(ctx context.Context, c cid.Cid, buf []byte) ([]byte, error) {
		b, err := local(ctx, c, buf)
		if err == nil || !ipld.IsNotFound(err) {
			return b, err
		}
		if err := Fetch(ctx, h, bs, c, MaxBlockSize, opts); err != nil {
			return buf, err
		}
		return local(ctx, c, buf)
	}
}

// dagReader reads the file bytes of a media DAG in order, walking it depth
// first and checking every node. It reads at most limit bytes; a DAG that
// holds more fails with ErrSize.
type dagReader struct {
	ctx   context.Context
	get   GetFunc
	stack [][]cid.Cid // links still to visit, per level
	buf   []byte      // block being served
	cur   []byte      // unread file bytes of it
	read  uint64
	limit uint64
	skip  uint64 // file bytes still to pass over before serving (see seek)
	err   error
}

// seek makes r start at file byte off: it passes over whole subtrees by
// the sizes their parents claim, and over the head of the block that holds
// off. A DAG whose sizes lie makes r serve other bytes than asked, which
// decryption then refuses. Call it before the first Read.
func (r *dagReader) seek(off uint64) {
	r.skip = off
	r.read = off
}

func newDAGReader(ctx context.Context, get GetFunc, root cid.Cid, limit uint64) *dagReader {
	return &dagReader{ctx: ctx, get: get, stack: [][]cid.Cid{{root}}, limit: limit}
}

func (r *dagReader) Read(p []byte) (int, error) {
	for len(r.cur) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		r.err = r.advance()
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

// advance loads the next block in depth-first order.
func (r *dagReader) advance() error {
	for len(r.stack) > 0 {
		top := &r.stack[len(r.stack)-1]
		if len(*top) == 0 {
			r.stack = r.stack[:len(r.stack)-1]
			continue
		}
		c := (*top)[0]
		*top = (*top)[1:]
		var err error
		if r.buf, err = r.get(r.ctx, c, r.buf); err != nil {
			if ipld.IsNotFound(err) {
				return fmt.Errorf("read %s: %w", c, ErrNotFound)
			}
			return fmt.Errorf("read %s: %w", c, err)
		}
		nd, err := decodeNode(c, r.buf)
		if err != nil {
			return err
		}
		data, links := nd.data, nd.links
		if r.skip > 0 {
			// Seeking: the node's own bytes come first, then its
			// children's; pass over what lies wholly before the target.
			k := min(r.skip, uint64(len(data)))
			data, r.skip = data[k:], r.skip-k
			for len(links) > 0 && len(nd.sizes) > 0 && r.skip >= nd.sizes[len(nd.sizes)-len(links)] {
				r.skip -= nd.sizes[len(nd.sizes)-len(links)]
				links = links[1:]
			}
		}
		if len(links) > 0 {
			if len(r.stack) >= MaxDepth {
				return fmt.Errorf("%w: DAG deeper than %d", ErrTooLarge, MaxDepth)
			}
			r.stack = append(r.stack, links)
		}
		if r.read+uint64(len(data)) > r.limit {
			return fmt.Errorf("%w: DAG holds more than %d bytes", ErrSize, r.limit)
		}
		r.read += uint64(len(data))
		if len(data) > 0 {
			r.cur = data
			return nil
		}
	}
	return io.EOF
}

// Extract decrypts the attachment m to dst, reading its blocks with get,
// and checks the size and both digests. Everything written to dst was
// authenticated segment by segment; when Extract fails, what dst got is
// a prefix of the file at most and must be thrown away.
func Extract(ctx context.Context, get GetFunc, m *pb.Media, dst io.Writer) error {
	root, err := CheckRoot(m.Root)
	if err != nil {
		return err
	}
	ctSize := CiphertextSize(m.Size)
	ch, ph := sha256.New(), sha256.New()
	src := io.TeeReader(newDAGReader(ctx, get, root, ctSize), ch)
	n, err := Decrypt(io.MultiWriter(dst, ph), src, m.Key, m.Size)
	if err != nil {
		return fmt.Errorf("extract: %w", err)
	}
	switch {
	case uint64(n) != m.Size:
		return fmt.Errorf("extract: %w: %d bytes, manifest says %d", ErrSize, n, m.Size)
	case !bytes.Equal(ch.Sum(nil), m.CiphertextSha256):
		return fmt.Errorf("extract: %w: ciphertext", ErrDigest)
	case !bytes.Equal(ph.Sum(nil), m.PlaintextSha256):
		return fmt.Errorf("extract: %w: plaintext", ErrDigest)
	}
	return nil
}

// ExtractRange decrypts length bytes of the attachment m from plaintext
// offset off to dst, reading only the blocks that hold them. Every byte
// written was authenticated (each 64 KiB segment is, with its position in
// the file); the whole-file digests are not checked, as the rest of the
// file is not read. off+length must not pass the file's size.
func ExtractRange(ctx context.Context, get GetFunc, m *pb.Media, off, length uint64, dst io.Writer) error {
	root, err := CheckRoot(m.Root)
	if err != nil {
		return err
	}
	if length == 0 {
		return nil
	}
	if off >= m.Size || length > m.Size-off {
		return fmt.Errorf("extract range: %w: bytes %d+%d of %d", ErrSize, off, length, m.Size)
	}
	aead, err := newAEAD(m.Key)
	if err != nil {
		return err
	}
	segments := (m.Size + SegmentSize - 1) / SegmentSize
	first, last := off/SegmentSize, (off+length-1)/SegmentSize
	src := newDAGReader(ctx, get, root, CiphertextSize(m.Size))
	src.seek(first * sealedSegment)
	nonce := make([]byte, aead.NonceSize())
	sealed := make([]byte, sealedSegment)
	plain := make([]byte, 0, SegmentSize)
	for i := first; i <= last; i++ {
		n := uint64(sealedSegment)
		if i == segments-1 {
			n = m.Size - i*SegmentSize + TagSize
		}
		if _, err := io.ReadFull(src, sealed[:n]); err != nil {
			return fmt.Errorf("extract range: segment %d: %w", i, err)
		}
		segmentNonce(nonce, i, i == segments-1)
		if plain, err = aead.Open(plain[:0], nonce, sealed[:n], additionalData); err != nil {
			return fmt.Errorf("extract range: %w: segment %d", ErrDecrypt, i)
		}
		lo, hi := uint64(0), uint64(len(plain))
		if i == first {
			lo = off - i*SegmentSize
		}
		if i == last {
			hi = off + length - i*SegmentSize
		}
		if _, err := dst.Write(plain[lo:hi]); err != nil {
			return err
		}
	}
	return nil
}

// File is what SaveFile writes to.
type File interface {
	io.Writer
	Sync() error
	Close() error
	Name() string
}

// CreateTemp makes the temporary file SaveFile writes to, in dir; tests
// replace it to inject faults.
type CreateTemp func(dir, pattern string) (File, error)

func osCreateTemp(dir, pattern string) (File, error) { return os.CreateTemp(dir, pattern) }

// SaveFile extracts m into a file at t and returns its path (see
// Target.Save): no file ever holds a partial or corrupt copy, and none is
// replaced unless t says so. create may be nil (os.CreateTemp).
func SaveFile(ctx context.Context, get GetFunc, m *pb.Media, t Target, create CreateTemp) (string, error) {
	return t.save(create, func(w io.Writer) error { return Extract(ctx, get, m, w) })
}

// errStop ends a walk early.
var errStop = errors.New("stop")

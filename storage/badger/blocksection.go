package badger

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/ipfs/go-cid"

	"github.com/pigeon-net/pigeon/protocol/media"
)

var _ media.BlockOpener = Blocks{}

// blockSection reads one stored block in pieces (media.BlockSection), so
// that whoever serves it holds a piece at a time, not the whole block.
// It holds nothing open between reads: a packed block is read from where
// its index entry points at each read, looked up again when compaction
// moved it.
type blockSection struct {
	b    Blocks
	ctx  context.Context
	c    cid.Cid
	size int
	x    blockIndex
	data []byte // inline and in-memory blocks: the block itself (never written to)
}

// OpenBlock implements media.BlockOpener.
func (b Blocks) OpenBlock(ctx context.Context, c cid.Cid) (media.BlockSection, error) {
	x, err := b.index(ctx, c, nil)
	if err != nil {
		return nil, err
	}
	s := &blockSection{b: b, ctx: ctx, c: c, size: x.size, x: x}
	switch {
	case x.kind == blockInline:
		s.data = x.inline
	case x.kind == blockFile && b.s.memBlocks != nil:
		data, ok := b.s.memBlocks.get(c.Hash())
		if !ok {
			return nil, fmt.Errorf("%w: block of %s missing", ErrCorrupt, c)
		}
		s.data = data
	}
	return s, nil
}

// Size implements media.BlockSection.
func (s *blockSection) Size() int { return s.size }

// ReadAt implements media.BlockSection. A block deleted since it was
// opened reads as missing (ipld.IsNotFound).
func (s *blockSection) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off >= int64(s.size) {
		return 0, io.EOF
	}
	n := min(len(p), s.size-int(off))
	var err error
	switch {
	case s.data != nil:
		copy(p, s.data[off:int(off)+n])
	case s.x.kind == blockPacked:
		err = s.readPacked(p[:n], off)
	default:
		err = s.readFile(p[:n], off)
	}
	if err != nil {
		return 0, err
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// readPacked reads len(p) bytes at off from the block's pack segment.
func (s *blockSection) readPacked(p []byte, off int64) error {
	b := s.b
	if b.s.packs == nil {
		return fmt.Errorf("%w: block %s is in a pack segment and the store has no BlocksDir", ErrCorrupt, s.c)
	}
	if err := b.s.acquire(); err != nil { // the segment files stay open while read
		return err
	}
	defer b.s.release()
	for attempt := 0; ; attempt++ {
		l := s.x.loc
		_, err := b.s.packs.read(loc{seg: l.seg, off: l.off + off, size: len(p)}, p[:0])
		switch {
		case err == nil:
			return nil
		case errors.Is(err, errSegmentGone) && attempt < 3:
			// Compaction moved it (or it was deleted): the index says.
			x, err := b.index(s.ctx, s.c, nil)
			if err != nil {
				return err
			}
			if x.kind != blockPacked || x.size != s.size {
				return fmt.Errorf("%w: block %s changed while read", ErrCorrupt, s.c)
			}
			s.x = x
		case errors.Is(err, errSegmentGone), errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("%w: segment %d of %s missing", ErrCorrupt, l.seg, s.c)
		default:
			return fmt.Errorf("read block %s: %w", s.c, err)
		}
	}
}

// readFile reads len(p) bytes at off from an older store's file of the
// block.
func (s *blockSection) readFile(p []byte, off int64) error {
	f, err := os.Open(s.b.s.blockPath(s.c.Hash()))
	if errors.Is(err, fs.ErrNotExist) {
		return notFound(s.c) // deleted since it was opened
	}
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.ReadAt(p, off); err != nil {
		return fmt.Errorf("read block %s: %w", s.c, err)
	}
	return nil
}

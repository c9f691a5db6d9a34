package badger

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	bdg "github.com/dgraph-io/badger/v4"
	bstore "github.com/ipfs/boxo/blockstore"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	ipld "github.com/ipfs/go-ipld-format"

	"github.com/pigeon-net/pigeon/protocol/media"
)

// Blocks is the content-addressed block store of the node (keys "B"
// multihash). It implements boxo's blockstore.Blockstore and Viewer, and
// media.Blocks. Blocks are keyed by multihash, so a block put under a
// dag-pb CID is found under a raw CID of the same hash too, as in boxo's
// own blockstore.
//
// Small blocks (UnixFS nodes) are database values. Blocks of fileBlockMin
// bytes or more (the 1 MiB media leaves) are kept beside the database:
// with Options.BlocksDir in pack segments (packs.go), in memory in a map
// (Badger limits in-memory values to 1 MiB). Badger itself writes values
// of that size through a memory-mapped value log at about 100 MB/s on our
// machines (page faults on a sparse file), while appending to a file with
// write(2) runs at several GB/s, and media throughput is bounded by it.
// Stores written before packs kept each large block in a file of its own,
// BlocksDir/xx/hex(multihash) (xx its last byte); those are still read and
// deleted, and such files without an index entry are removed at Open.
type Blocks struct{ s *Store }

var (
	_ bstore.Blockstore = Blocks{}
	_ bstore.Viewer     = Blocks{}
	_ media.Blocks      = Blocks{}
	_ media.Collectable = Blocks{}
	_ media.BlockReader = Blocks{}
)

// fileBlockMin is the smallest block kept outside the database.
const fileBlockMin = 64 << 10

// Index values: a kind byte, then what the kind says.
const (
	blockInline = 0 // the block's bytes follow
	blockFile   = 1 // a uvarint size follows; the bytes are in memBlocks, or a file of their own (older stores)
	blockPacked = 2 // uvarint segment, offset and size follow; the bytes are in a pack segment
)

// blockIndex is a decoded index value.
type blockIndex struct {
	kind   byte
	inline []byte // kind blockInline: the block, aliasing the value
	size   int
	loc    loc // kind blockPacked
}

func parseIndex(v []byte) (blockIndex, error) {
	if len(v) == 0 {
		return blockIndex{}, fmt.Errorf("%w: empty block index", ErrCorrupt)
	}
	x := blockIndex{kind: v[0]}
	rest := v[1:]
	uvarint := func() uint64 {
		n, k := binary.Uvarint(rest)
		if k <= 0 {
			rest = nil
			return 1 << 63 // fails every bound below
		}
		rest = rest[k:]
		return n
	}
	switch x.kind {
	case blockInline:
		x.inline, x.size = rest, len(rest)
		return x, nil
	case blockFile:
		n := uvarint()
		if n > media.MaxBlockSize || len(rest) != 0 {
			return x, fmt.Errorf("%w: block index", ErrCorrupt)
		}
		x.size = int(n)
		return x, nil
	case blockPacked:
		seg, off, n := uvarint(), uvarint(), uvarint()
		if seg >= 1<<63 || off >= 1<<62 || n > media.MaxBlockSize || len(rest) != 0 {
			return x, fmt.Errorf("%w: block index", ErrCorrupt)
		}
		x.size = int(n)
		x.loc = loc{seg: seg, off: int64(off), size: int(n)}
		return x, nil
	}
	return x, fmt.Errorf("%w: block kind %d", ErrCorrupt, x.kind)
}

func packedIndex(l loc) []byte {
	v := binary.AppendUvarint([]byte{blockPacked}, l.seg)
	v = binary.AppendUvarint(v, uint64(l.off))
	return binary.AppendUvarint(v, uint64(l.size))
}

// memBlocks holds the large blocks of an in-memory store: Badger keeps
// in-memory values under 1 MiB.
type memBlocks struct {
	mu sync.Mutex // guards m
	m  map[string][]byte
}

func (m *memBlocks) get(mh []byte) ([]byte, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.m[string(mh)]
	return b, ok
}

func (m *memBlocks) put(mh, data []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.m[string(mh)] = append([]byte(nil), data...)
}

func (m *memBlocks) delete(mh []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.m, string(mh))
}

// Blocks returns the store's block store.
func (s *Store) Blocks() Blocks { return Blocks{s} }

func blockKey(c cid.Cid) []byte {
	h := c.Hash()
	k := make([]byte, 0, 1+len(h))
	k = append(k, pBlock)
	return append(k, h...)
}

// blockPath is BlocksDir/xx/hex(multihash), xx the last byte in hex: the
// file of a large block in stores written before packs.
func (s *Store) blockPath(mh []byte) string {
	name := hex.EncodeToString(mh)
	return filepath.Join(s.blocksDir, name[len(name)-2:], name)
}

func notFound(c cid.Cid) error { return ipld.ErrNotFound{Cid: c} }

// ownTxn makes store calls under ctx run in transactions of their own,
// never joining one ctx carries: block writes account for segment space
// after they commit.
func ownTxn(ctx context.Context) context.Context {
	return context.WithValue(ctx, txnKey{}, (*txnCtx)(nil))
}

// openBlocksDir opens the pack segments, counts their live bytes from the
// index, removes the empty ones, and removes files of older stores' blocks
// that have no index entry (a crash between writing one and indexing it).
func (s *Store) openBlocksDir() error {
	if s.blocksDir == "" {
		return nil
	}
	p, err := openPacks(s.blocksDir, s.syncWrites, s.log)
	if err != nil {
		return err
	}
	err = s.db.View(func(txn *bdg.Txn) error {
		prefix := key1(pBlock)
		it := txn.NewIterator(bdg.IteratorOptions{Prefix: prefix, PrefetchValues: true, PrefetchSize: 64})
		defer it.Close()
		for it.Rewind(); it.ValidForPrefix(prefix); it.Next() {
			err := it.Item().Value(func(v []byte) error {
				x, err := parseIndex(v)
				if err == nil && x.kind == blockPacked && !p.account(x.loc) {
					s.log.Warn("block index points past its segment", "segment", x.loc.seg)
				}
				return nil // a corrupt entry is reported when the block is read
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		p.close()
		return err
	}
	p.dropEmpty()
	if err := s.removeUnindexedFiles(); err != nil {
		p.close()
		return err
	}
	s.packs = p
	return nil
}

// removeUnindexedFiles removes older stores' block files that have no
// index entry.
func (s *Store) removeUnindexedFiles() error {
	return filepath.WalkDir(s.blocksDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Dir(path) == filepath.Clean(s.blocksDir) {
			return err // pack segments are at the top
		}
		mh, err := hex.DecodeString(d.Name())
		if err != nil {
			return nil // not ours
		}
		var indexed bool
		err = s.db.View(func(txn *bdg.Txn) error {
			indexed, err = exists(txn, append([]byte{pBlock}, mh...))
			return err
		})
		if err == nil && !indexed {
			s.log.Info("removing unindexed block file", "file", d.Name())
			return os.Remove(path)
		}
		return err
	})
}

// Has reports whether the block is stored.
func (b Blocks) Has(ctx context.Context, c cid.Cid) (bool, error) {
	var ok bool
	err := b.s.read(ctx, func(txn *bdg.Txn) error {
		var err error
		ok, err = exists(txn, blockKey(c))
		return err
	})
	return ok, err
}

// index returns c's index entry; an inline block is copied into buf.
func (b Blocks) index(ctx context.Context, c cid.Cid, buf []byte) (x blockIndex, err error) {
	err = b.s.read(ctx, func(txn *bdg.Txn) error {
		item, err := txn.Get(blockKey(c))
		if errors.Is(err, bdg.ErrKeyNotFound) {
			return notFound(c)
		}
		if err != nil {
			return err
		}
		return item.Value(func(v []byte) error {
			if x, err = parseIndex(v); err != nil {
				return err
			}
			if x.kind == blockInline {
				x.inline = append(buf[:0], x.inline...)
			}
			return nil
		})
	})
	return x, err
}

// ReadBlock copies the block into buf (reusing its capacity) and returns
// it.
func (b Blocks) ReadBlock(ctx context.Context, c cid.Cid, buf []byte) ([]byte, error) {
	if err := b.s.acquire(); err != nil { // the segment files stay open while read
		return nil, err
	}
	defer b.s.release()
	for attempt := 0; ; attempt++ {
		x, err := b.index(ctx, c, buf)
		if err != nil {
			return nil, err
		}
		switch x.kind {
		case blockInline:
			return x.inline, nil
		case blockPacked:
			if b.s.packs == nil {
				return nil, fmt.Errorf("%w: block %s is in a pack segment and the store has no BlocksDir", ErrCorrupt, c)
			}
			data, err := b.s.packs.read(x.loc, buf)
			if errors.Is(err, errSegmentGone) && attempt < 3 {
				continue // compaction moved it: the index says where to
			}
			if errors.Is(err, errSegmentGone) || errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("%w: segment %d of %s missing", ErrCorrupt, x.loc.seg, c)
			}
			if err != nil {
				return nil, fmt.Errorf("read block %s: %w", c, err)
			}
			return data, nil
		}
		return b.readUnpacked(c, x.size, buf)
	}
}

// readUnpacked reads a large block kept in memory or, in older stores, in
// a file of its own.
func (b Blocks) readUnpacked(c cid.Cid, size int, buf []byte) ([]byte, error) {
	if b.s.memBlocks != nil {
		data, ok := b.s.memBlocks.get(c.Hash())
		if !ok {
			return nil, fmt.Errorf("%w: block of %s missing", ErrCorrupt, c)
		}
		return append(buf[:0], data...), nil
	}
	f, err := os.Open(b.s.blockPath(c.Hash()))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: block file of %s missing", ErrCorrupt, c)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if cap(buf) < size {
		buf = make([]byte, size)
	}
	buf = buf[:size]
	if _, err := io.ReadFull(f, buf); err != nil {
		return nil, fmt.Errorf("read block %s: %w", c, err)
	}
	return buf, nil
}

// readBufs recycles the buffers View reads large blocks into.
var readBufs = sync.Pool{New: func() any { return new([]byte) }}

// View calls fn with the block's bytes, valid only during the call.
func (b Blocks) View(ctx context.Context, c cid.Cid, fn func([]byte) error) error {
	bp := readBufs.Get().(*[]byte)
	defer readBufs.Put(bp)
	data, err := b.ReadBlock(ctx, c, (*bp)[:0])
	if err != nil {
		return err
	}
	*bp = data
	return fn(data)
}

// Get returns a copy of the block.
func (b Blocks) Get(ctx context.Context, c cid.Cid) (blocks.Block, error) {
	data, err := b.ReadBlock(ctx, c, nil)
	if err != nil {
		return nil, err
	}
	return blocks.NewBlockWithCid(data, c)
}

// GetSize returns the block's size.
func (b Blocks) GetSize(ctx context.Context, c cid.Cid) (int, error) {
	x, err := b.index(ctx, c, nil)
	if err != nil {
		return -1, err
	}
	return x.size, nil
}

// Put stores a block; storing one that is there already is a no-op.
func (b Blocks) Put(ctx context.Context, blk blocks.Block) error {
	return b.PutMany(ctx, []blocks.Block{blk})
}

// packedPut is a block appended to a segment, to index.
type packedPut struct {
	key   []byte
	loc   loc
	fresh bool // indexed by this call (not by a racing one)
}

// PutMany stores blocks. Large blocks are appended to the active segment
// first; their index entries are written together once all are there.
func (b Blocks) PutMany(ctx context.Context, bs []blocks.Block) (err error) {
	if err := b.s.acquire(); err != nil {
		return fmt.Errorf("put blocks: %w", err)
	}
	defer b.s.release()
	var packed []packedPut
	defer func() {
		for _, p := range packed {
			b.s.packs.settle(p.loc, err == nil && p.fresh)
		}
	}()
	var wb *bdg.WriteBatch // blocks kept in the database; made for the first one
	defer func() {
		if wb != nil {
			wb.Cancel()
		}
	}()
	var total uint64
	for _, blk := range bs {
		total += uint64(len(blk.RawData()))
	}
	if err := b.s.space.admit(total, true); err != nil {
		return fmt.Errorf("put blocks: %w", err)
	}
	for _, blk := range bs {
		data := blk.RawData()
		if len(data) > media.MaxBlockSize {
			return fmt.Errorf("put blocks: %w: block of %d bytes", ErrInvalid, len(data))
		}
		var val []byte
		switch {
		case (b.s.packs == nil && b.s.memBlocks == nil) || len(data) < fileBlockMin:
			val = append([]byte{blockInline}, data...)
		default:
			if ok, err := b.Has(ctx, blk.Cid()); err != nil || ok {
				if err != nil {
					return fmt.Errorf("put blocks: %w", err)
				}
				continue
			}
			if b.s.packs != nil {
				l, err := b.s.packs.append(data)
				if err != nil {
					return fmt.Errorf("put blocks: %w", err)
				}
				packed = append(packed, packedPut{key: blockKey(blk.Cid()), loc: l})
				continue
			}
			b.s.memBlocks.put(blk.Cid().Hash(), data)
			val = binary.AppendUvarint([]byte{blockFile}, uint64(len(data)))
		}
		if wb == nil {
			wb = b.s.db.NewWriteBatch()
		}
		if err := wb.Set(blockKey(blk.Cid()), val); err != nil {
			return fmt.Errorf("put blocks: %w", err)
		}
	}
	if wb != nil {
		if err := wb.Flush(); err != nil {
			return fmt.Errorf("put blocks: %w", err)
		}
	}
	if len(packed) == 0 {
		return nil
	}
	// A transaction, not a batch: an entry a racing Put wrote meanwhile
	// is kept (and this copy is dead space), so every index entry is
	// counted once in its segment's live bytes.
	err = b.s.write(ownTxn(ctx), func(txn *bdg.Txn) error {
		for i := range packed {
			p := &packed[i]
			ok, err := exists(txn, p.key)
			if err != nil {
				return err
			}
			if p.fresh = !ok; p.fresh {
				if err := txn.Set(p.key, packedIndex(p.loc)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("put blocks: %w", err)
	}
	return nil
}

// DeleteBlock removes a block; a missing block is not an error.
func (b Blocks) DeleteBlock(ctx context.Context, c cid.Cid) error {
	return b.DeleteBlocks(ctx, []cid.Cid{c})
}

// DeleteBlocks removes blocks: their index entries first, then the
// segments left empty and the files of older stores' blocks.
func (b Blocks) DeleteBlocks(ctx context.Context, cs []cid.Cid) error {
	if err := b.s.acquire(); err != nil {
		return fmt.Errorf("delete blocks: %w", err)
	}
	defer b.s.release()
	for len(cs) > 0 {
		n := min(len(cs), 1024) // well inside one transaction
		if err := b.delete(ctx, cs[:n]); err != nil {
			return fmt.Errorf("delete blocks: %w", err)
		}
		cs = cs[n:]
	}
	return nil
}

func (b Blocks) delete(ctx context.Context, cs []cid.Cid) error {
	var freed []loc
	var files []cid.Cid
	err := b.s.write(ownTxn(ctx), func(txn *bdg.Txn) error {
		freed, files = freed[:0], files[:0]
		for _, c := range cs {
			k := blockKey(c)
			v, ok, err := get(txn, k)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			if x, err := parseIndex(v); err == nil {
				switch x.kind {
				case blockPacked:
					freed = append(freed, x.loc)
				case blockFile:
					files = append(files, c)
				}
			}
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if b.s.packs != nil {
		b.s.packs.release(freed)
	}
	for _, c := range files {
		if b.s.memBlocks != nil {
			b.s.memBlocks.delete(c.Hash())
			continue
		}
		if err := os.Remove(b.s.blockPath(c.Hash())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// Compact copies the live blocks of segments that are at least half dead
// space to the active segment, which removes those segments, and returns
// how many blocks it moved. The store runs it with value-log GC.
func (b Blocks) Compact(ctx context.Context) (int, error) {
	if b.s.packs == nil {
		return 0, nil
	}
	if err := b.s.acquire(); err != nil {
		return 0, fmt.Errorf("compact blocks: %w", err)
	}
	defer b.s.release()
	sparse := b.s.packs.sparse()
	if len(sparse) == 0 {
		return 0, nil
	}
	type entry struct {
		key []byte
		loc loc
	}
	var moving []entry
	err := b.s.db.View(func(txn *bdg.Txn) error {
		prefix := key1(pBlock)
		it := txn.NewIterator(bdg.IteratorOptions{Prefix: prefix, PrefetchValues: true, PrefetchSize: 64})
		defer it.Close()
		for it.Rewind(); it.ValidForPrefix(prefix); it.Next() {
			err := it.Item().Value(func(v []byte) error {
				if x, err := parseIndex(v); err == nil && x.kind == blockPacked && sparse[x.loc.seg] {
					moving = append(moving, entry{it.Item().KeyCopy(nil), x.loc})
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("compact blocks: %w", err)
	}
	bp := readBufs.Get().(*[]byte)
	defer readBufs.Put(bp)
	moved := 0
	for _, e := range moving {
		if err := ctx.Err(); err != nil {
			return moved, fmt.Errorf("compact blocks: %w", err)
		}
		data, err := b.s.packs.read(e.loc, (*bp)[:0])
		if errors.Is(err, errSegmentGone) {
			continue // deleted meanwhile
		}
		if err != nil {
			return moved, fmt.Errorf("compact blocks: %w", err)
		}
		*bp = data
		ok, err := b.move(ctx, e.key, e.loc, data)
		if err != nil {
			return moved, fmt.Errorf("compact blocks: %w", err)
		}
		if ok {
			moved++
		}
	}
	return moved, nil
}

// move appends data, the block at old, and points key at the copy if it
// still points at old.
func (b Blocks) move(ctx context.Context, key []byte, old loc, data []byte) (moved bool, err error) {
	if err := b.s.space.admit(uint64(len(data)), false); err != nil {
		return false, err
	}
	l, err := b.s.packs.append(data)
	if err != nil {
		return false, err
	}
	want := packedIndex(old)
	err = b.s.write(ownTxn(ctx), func(txn *bdg.Txn) error {
		v, ok, err := get(txn, key)
		if err != nil {
			return err
		}
		if moved = ok && string(v) == string(want); moved {
			return txn.Set(key, packedIndex(l))
		}
		return nil
	})
	moved = moved && err == nil
	b.s.packs.settle(l, moved)
	if moved {
		b.s.packs.release([]loc{old})
	}
	return moved, err
}

// ForEachBlock calls fn with every stored block's CID (raw codec: the
// store keeps multihashes only) and size, in key order, without loading
// the blocks.
func (b Blocks) ForEachBlock(ctx context.Context, fn func(c cid.Cid, size int) error) error {
	return b.s.read(ctx, func(txn *bdg.Txn) error {
		prefix := key1(pBlock)
		it := txn.NewIterator(bdg.IteratorOptions{Prefix: prefix, PrefetchValues: true, PrefetchSize: 64})
		defer it.Close()
		for it.Rewind(); it.ValidForPrefix(prefix); it.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			item := it.Item()
			size := 0
			err := item.Value(func(v []byte) error {
				x, _ := parseIndex(v) // a corrupt entry counts 0 bytes
				size = x.size
				return nil
			})
			if err != nil {
				return err
			}
			c := cid.NewCidV1(cid.Raw, append([]byte(nil), item.Key()[1:]...))
			if err := fn(c, size); err != nil {
				return err
			}
		}
		return nil
	})
}

// AllKeysChan lists every block's CID (raw codec) on a channel that is
// closed at the end or when ctx ends.
func (b Blocks) AllKeysChan(ctx context.Context) (<-chan cid.Cid, error) {
	ch := make(chan cid.Cid, 64)
	go func() {
		defer close(ch)
		_ = b.ForEachBlock(ctx, func(c cid.Cid, _ int) error {
			select {
			case ch <- c:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	return ch, nil
}

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
// Small blocks (UnixFS nodes) are database values. In memory, large ones
// are kept beside the database (Badger limits in-memory values to 1 MiB).
// With Options.BlocksDir,
// blocks over fileBlockMin bytes (the 1 MiB media leaves) are files there,
// indexed by their "B" key: Badger writes values of that size through a
// memory-mapped value log at about 100 MB/s on our machines (page faults
// on a sparse file), while write(2) to a file runs at 2-3 GB/s, and media
// throughput is bounded by it. A block file is written (and synced when
// the store syncs its writes) before its index entry, which is what makes
// the block exist; deleting removes the index first. Files without an
// index (a crash between the two steps) are removed at Open.
type Blocks struct{ s *Store }

var (
	_ bstore.Blockstore = Blocks{}
	_ bstore.Viewer     = Blocks{}
	_ media.Blocks      = Blocks{}
	_ media.Collectable = Blocks{}
	_ media.BlockReader = Blocks{}
)

// fileBlockMin is the smallest block kept as a file.
const fileBlockMin = 64 << 10

// Index values: a kind byte, then the inline block or the file's size.
const (
	blockInline = 0 // the block's bytes follow
	blockFile   = 1 // a uvarint size follows; the bytes are in BlocksDir
)

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

// blockPath is BlocksDir/xx/hex(multihash), xx the last byte in hex.
func (s *Store) blockPath(mh []byte) string {
	name := hex.EncodeToString(mh)
	return filepath.Join(s.blocksDir, name[len(name)-2:], name)
}

func notFound(c cid.Cid) error { return ipld.ErrNotFound{Cid: c} }

// openBlocksDir creates BlocksDir and removes temporary files and block
// files without an index, left by a crash.
func (s *Store) openBlocksDir() error {
	if s.blocksDir == "" {
		return nil
	}
	for i := range 256 { // the shard directories blockPath uses
		if err := os.MkdirAll(filepath.Join(s.blocksDir, fmt.Sprintf("%02x", i)), 0o700); err != nil {
			return err
		}
	}
	return filepath.WalkDir(s.blocksDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
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

// index returns the index value of c (nil, nil when missing); inline
// blocks are copied into buf.
func (b Blocks) index(ctx context.Context, c cid.Cid, buf []byte) (kind byte, data []byte, size int, err error) {
	err = b.s.read(ctx, func(txn *bdg.Txn) error {
		item, err := txn.Get(blockKey(c))
		if errors.Is(err, bdg.ErrKeyNotFound) {
			return notFound(c)
		}
		if err != nil {
			return err
		}
		return item.Value(func(v []byte) error {
			if len(v) == 0 {
				return fmt.Errorf("%w: empty block index", ErrCorrupt)
			}
			kind = v[0]
			switch kind {
			case blockInline:
				data = append(buf[:0], v[1:]...)
				size = len(data)
			case blockFile:
				n, k := binary.Uvarint(v[1:])
				if k <= 0 || n > media.MaxBlockSize {
					return fmt.Errorf("%w: block index", ErrCorrupt)
				}
				size = int(n)
			default:
				return fmt.Errorf("%w: block kind %d", ErrCorrupt, kind)
			}
			return nil
		})
	})
	return kind, data, size, err
}

// ReadBlock copies the block into buf (reusing its capacity) and returns
// it.
func (b Blocks) ReadBlock(ctx context.Context, c cid.Cid, buf []byte) ([]byte, error) {
	kind, data, size, err := b.index(ctx, c, buf)
	if err != nil || kind == blockInline {
		return data, err
	}
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

// readBufs recycles the buffers View reads block files into.
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
	_, _, size, err := b.index(ctx, c, nil)
	if err != nil {
		return -1, err
	}
	return size, nil
}

// Put stores a block; storing one that is there already is a no-op.
func (b Blocks) Put(ctx context.Context, blk blocks.Block) error {
	return b.PutMany(ctx, []blocks.Block{blk})
}

// PutMany stores blocks.
func (b Blocks) PutMany(ctx context.Context, bs []blocks.Block) error {
	if err := b.s.acquire(); err != nil {
		return fmt.Errorf("put blocks: %w", err)
	}
	defer b.s.release()
	wb := b.s.db.NewWriteBatch()
	defer wb.Cancel()
	for _, blk := range bs {
		data := blk.RawData()
		if len(data) > media.MaxBlockSize {
			return fmt.Errorf("put blocks: %w: block of %d bytes", ErrInvalid, len(data))
		}
		var val []byte
		if (b.s.blocksDir == "" && b.s.memBlocks == nil) || len(data) < fileBlockMin {
			val = append([]byte{blockInline}, data...)
		} else {
			if ok, err := b.Has(ctx, blk.Cid()); err != nil || ok {
				if err != nil {
					return fmt.Errorf("put blocks: %w", err)
				}
				continue
			}
			if err := b.s.writeBlockFile(blk.Cid().Hash(), data); err != nil {
				return fmt.Errorf("put blocks: %w", err)
			}
			val = binary.AppendUvarint([]byte{blockFile}, uint64(len(data)))
		}
		if err := wb.Set(blockKey(blk.Cid()), val); err != nil {
			return fmt.Errorf("put blocks: %w", err)
		}
	}
	if err := wb.Flush(); err != nil {
		return fmt.Errorf("put blocks: %w", err)
	}
	return nil
}

// writeBlockFile writes a block's file in place. The index entry written
// after it is what makes the block exist: a file left half-written by a
// crash has no index and is removed at the next Open, and one left by a
// failed write is overwritten by the next Put.
func (s *Store) writeBlockFile(mh, data []byte) error {
	if s.memBlocks != nil {
		s.memBlocks.put(mh, data)
		return nil
	}
	path := s.blockPath(mh)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil && s.syncWrites {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}

// DeleteBlock removes a block; a missing block is not an error.
func (b Blocks) DeleteBlock(ctx context.Context, c cid.Cid) error {
	return b.DeleteBlocks(ctx, []cid.Cid{c})
}

// DeleteBlocks removes blocks: their index first, then their files.
func (b Blocks) DeleteBlocks(ctx context.Context, cs []cid.Cid) error {
	if err := b.s.acquire(); err != nil {
		return fmt.Errorf("delete blocks: %w", err)
	}
	defer b.s.release()
	wb := b.s.db.NewWriteBatch()
	defer wb.Cancel()
	for _, c := range cs {
		if err := wb.Delete(blockKey(c)); err != nil {
			return fmt.Errorf("delete blocks: %w", err)
		}
	}
	if err := wb.Flush(); err != nil {
		return fmt.Errorf("delete blocks: %w", err)
	}
	if b.s.memBlocks != nil {
		for _, c := range cs {
			b.s.memBlocks.delete(c.Hash())
		}
	}
	if b.s.blocksDir != "" {
		for _, c := range cs {
			if err := os.Remove(b.s.blockPath(c.Hash())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("delete blocks: %w", err)
			}
		}
	}
	return nil
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
				switch {
				case len(v) > 0 && v[0] == blockInline:
					size = len(v) - 1
				case len(v) > 0 && v[0] == blockFile:
					n, _ := binary.Uvarint(v[1:])
					size = int(n)
				}
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

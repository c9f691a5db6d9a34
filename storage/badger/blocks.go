package badger

import (
	"context"
	"errors"
	"fmt"

	bdg "github.com/dgraph-io/badger/v4"
	bstore "github.com/ipfs/boxo/blockstore"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	ipld "github.com/ipfs/go-ipld-format"

	"github.com/pigeon-net/pigeon/protocol/media"
)

// Blocks is the content-addressed block store inside the node's database
// (keys "B" multihash). It implements boxo's blockstore.Blockstore and
// Viewer, and media.Blocks. Blocks are keyed by multihash, so a block put
// under a dag-pb CID is found under a raw CID of the same hash too, as in
// boxo's own blockstore.
type Blocks struct{ s *Store }

var (
	_ bstore.Blockstore = Blocks{}
	_ bstore.Viewer     = Blocks{}
	_ media.Blocks      = Blocks{}
	_ media.Collectable = Blocks{}
)

// Blocks returns the store's block store.
func (s *Store) Blocks() Blocks { return Blocks{s} }

func blockKey(c cid.Cid) []byte {
	h := c.Hash()
	k := make([]byte, 0, 1+len(h))
	k = append(k, pBlock)
	return append(k, h...)
}

func notFound(c cid.Cid) error { return ipld.ErrNotFound{Cid: c} }

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

// Get returns a copy of the block.
func (b Blocks) Get(ctx context.Context, c cid.Cid) (blocks.Block, error) {
	var data []byte
	err := b.View(ctx, c, func(v []byte) error {
		data = append([]byte(nil), v...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return blocks.NewBlockWithCid(data, c)
}

// View calls fn with the block's bytes, which are valid only during the
// call (they may be Badger's memory-mapped value log).
func (b Blocks) View(ctx context.Context, c cid.Cid, fn func([]byte) error) error {
	return b.s.read(ctx, func(txn *bdg.Txn) error {
		item, err := txn.Get(blockKey(c))
		if errors.Is(err, bdg.ErrKeyNotFound) {
			return notFound(c)
		}
		if err != nil {
			return err
		}
		return item.Value(fn)
	})
}

// GetSize returns the block's size.
func (b Blocks) GetSize(ctx context.Context, c cid.Cid) (int, error) {
	size := -1
	err := b.s.read(ctx, func(txn *bdg.Txn) error {
		item, err := txn.Get(blockKey(c))
		if errors.Is(err, bdg.ErrKeyNotFound) {
			return notFound(c)
		}
		if err != nil {
			return err
		}
		size = int(item.ValueSize())
		return nil
	})
	return size, err
}

// Put stores a block; storing one that is there already is a no-op.
func (b Blocks) Put(ctx context.Context, blk blocks.Block) error {
	return b.PutMany(ctx, []blocks.Block{blk})
}

// PutMany stores blocks, in as few transactions as fit.
func (b Blocks) PutMany(ctx context.Context, bs []blocks.Block) error {
	if err := b.s.acquire(); err != nil {
		return fmt.Errorf("put blocks: %w", err)
	}
	defer b.s.release()
	wb := b.s.db.NewWriteBatch()
	defer wb.Cancel()
	for _, blk := range bs {
		if len(blk.RawData()) > media.MaxBlockSize {
			return fmt.Errorf("put blocks: %w: block of %d bytes", ErrInvalid, len(blk.RawData()))
		}
		if err := wb.Set(blockKey(blk.Cid()), blk.RawData()); err != nil {
			return fmt.Errorf("put blocks: %w", err)
		}
	}
	if err := wb.Flush(); err != nil {
		return fmt.Errorf("put blocks: %w", err)
	}
	return nil
}

// DeleteBlock removes a block; a missing block is not an error.
func (b Blocks) DeleteBlock(ctx context.Context, c cid.Cid) error {
	return b.DeleteBlocks(ctx, []cid.Cid{c})
}

// DeleteBlocks removes blocks.
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
	return nil
}

// ForEachBlock calls fn with every stored block's CID (raw codec: the
// store keeps multihashes only) and approximate size (within a few bytes:
// Badger estimates the size of values kept in its value log), in key
// order, without loading the blocks.
func (b Blocks) ForEachBlock(ctx context.Context, fn func(c cid.Cid, size int) error) error {
	return b.s.read(ctx, func(txn *bdg.Txn) error {
		prefix := key1(pBlock)
		it := txn.NewIterator(bdg.IteratorOptions{Prefix: prefix})
		defer it.Close()
		for it.Rewind(); it.ValidForPrefix(prefix); it.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			item := it.Item()
			c := cid.NewCidV1(cid.Raw, append([]byte(nil), item.Key()[1:]...))
			if err := fn(c, int(item.ValueSize())); err != nil {
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

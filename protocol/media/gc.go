package media

import (
	"context"
	"fmt"
	"sync"

	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	ipld "github.com/ipfs/go-ipld-format"
)

// Collectable is a block store that can be garbage-collected.
type Collectable interface {
	Blocks
	// ForEachBlock calls fn with every stored block (CIDs may carry the
	// raw codec whatever the block's: stores key blocks by multihash).
	ForEachBlock(ctx context.Context, fn func(c cid.Cid, size int) error) error
	DeleteBlocks(ctx context.Context, cs []cid.Cid) error
}

// Collector garbage-collects blocks that no live root reaches, without
// racing the writers: every block written through a Guard stays until the
// guard is released, which callers do after the record that references its
// root is committed (then the next collection sees the root).
type Collector struct {
	// mu is held for writing by Collect for a whole mark and sweep, and by
	// guards changing protected; guards thus wait for a running
	// collection, never the other way round.
	mu        sync.Mutex
	protected map[string]int // multihash → number of guards holding it
}

// NewCollector returns a collector with nothing protected.
func NewCollector() *Collector { return &Collector{protected: make(map[string]int)} }

// Guard protects the blocks written through it from collection until
// Release.
type Guard struct {
	c    *Collector
	mu   sync.Mutex // guards held and done
	held []string
	done bool
}

// Guard returns a new guard.
func (c *Collector) Guard() *Guard { return &Guard{c: c} }

// protect marks c as written by this guard; it must be called before the
// block is stored.
func (g *Guard) protect(c cid.Cid) {
	key := string(c.Hash())
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.done {
		return
	}
	g.c.mu.Lock()
	g.c.protected[key]++
	g.c.mu.Unlock()
	g.held = append(g.held, key)
}

// Release ends the protection; a second call does nothing.
func (g *Guard) Release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.done {
		return
	}
	g.done = true
	g.c.mu.Lock()
	defer g.c.mu.Unlock()
	for _, k := range g.held {
		if g.c.protected[k]--; g.c.protected[k] <= 0 {
			delete(g.c.protected, k)
		}
	}
	g.held = nil
}

// Blocks returns bs with every Put protected by g. A nil guard returns bs.
func (g *Guard) Blocks(bs Blocks) Blocks {
	if g == nil {
		return bs
	}
	return guarded{bs, g}
}

type guarded struct {
	Blocks
	g *Guard
}

func (w guarded) Put(ctx context.Context, b blocks.Block) error {
	w.g.protect(b.Cid())
	return w.Blocks.Put(ctx, b)
}

// Collect deletes every block of bs that none of roots reaches (walking the
// DAGs through the blocks present) and no guard protects, and returns how
// many blocks and bytes it removed.
func (c *Collector) Collect(ctx context.Context, bs Collectable, roots []cid.Cid) (removed int, freed int64, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	live := make(map[string]bool)
	buf := make([]byte, 0, 4<<10)
	var mark func(cid.Cid, int) error
	mark = func(id cid.Cid, depth int) error {
		key := string(id.Hash())
		if live[key] {
			return nil
		}
		live[key] = true
		if id.Prefix().Codec != cid.DagProtobuf || depth > MaxDepth {
			return nil // raw leaves have no links
		}
		err := bs.View(ctx, id, func(b []byte) error {
			buf = append(buf[:0], b...)
			return nil
		})
		if ipld.IsNotFound(err) {
			return nil // not fetched yet
		}
		if err != nil {
			return err
		}
		nd, err := decodeNode(id, buf)
		if err != nil {
			return nil // a bad block reaches nothing
		}
		for _, l := range nd.links {
			if err := mark(l, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	for _, r := range roots {
		if err := mark(r, 0); err != nil {
			return 0, 0, fmt.Errorf("collect: mark: %w", err)
		}
	}
	var dead []cid.Cid
	err = bs.ForEachBlock(ctx, func(id cid.Cid, size int) error {
		key := string(id.Hash())
		if !live[key] && c.protected[key] == 0 {
			dead = append(dead, id)
			freed += int64(size)
		}
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("collect: list: %w", err)
	}
	for len(dead) > 0 {
		k := min(len(dead), 1024)
		if err := bs.DeleteBlocks(ctx, dead[:k]); err != nil {
			return removed, freed, fmt.Errorf("collect: delete: %w", err)
		}
		removed += k
		dead = dead[k:]
	}
	return removed, freed, nil
}

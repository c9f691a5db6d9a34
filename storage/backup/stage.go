package backup

import (
	"context"
	"fmt"
	"sync"
)

// stager is implemented by targets where making each object durable on
// its own is the main cost (the directory target: an fsync per file).
// Backup then stores chunks in two steps: stage writes an object where it
// is not yet visible under its name, and commit makes a batch of staged
// objects durable and only then visible, each whole. A crash between the
// two leaves temporary files (removed by the next Backup or Prune once
// stale), never an object under its final name with content that is not
// on disk. S3 stores have no such cost and do not implement it.
type stager interface {
	stage(ctx context.Context, name string, data []byte) (staged, error)
	// commit makes the batch durable and visible; on error some of it may
	// be visible (durable) and the rest is still staged.
	commit(batch []staged) error
	// discard removes what commit did not make visible.
	discard(batch []staged)
}

// staged is an object written by stage: tmp will become name.
type staged struct {
	name, tmp string
}

// stagingTarget is implemented by targets that may offer a stager; a
// wrapper (a test's fault injector) returns nil when what it wraps has none.
type stagingTarget interface {
	staging() stager
}

// chunkSink stores a backup's chunks: with Put, or, on a target with a
// stager, staged and committed by one goroutine in groups. The committer
// takes everything staged so far, commits it, and repeats: while one
// group is being flushed the next one gathers, so a fast backup pays a
// flush per group rather than per chunk, and a slow one still makes each
// chunk durable (and reusable after a crash) within a flush's time.
type chunkSink struct {
	t Target
	s stager // nil: Put

	mu      sync.Mutex // guards pending, err, closing
	pending []staged
	err     error // first commit error; puts fail with it from then on
	closing bool
	kick    chan struct{} // buffered 1: something was staged, or closing
	done    chan struct{} // closed when the committer returns
}

func newChunkSink(t Target) *chunkSink {
	c := &chunkSink{t: t}
	if st, ok := t.(stagingTarget); ok {
		c.s = st.staging()
	}
	if c.s != nil {
		c.kick = make(chan struct{}, 1)
		c.done = make(chan struct{})
		go c.commitLoop()
	}
	return c
}

func (c *chunkSink) put(ctx context.Context, name string, data []byte) error {
	if c.s == nil {
		return c.t.Put(ctx, name, data)
	}
	c.mu.Lock()
	err := c.err
	c.mu.Unlock()
	if err != nil {
		return err
	}
	s, err := c.s.stage(ctx, name, data)
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.pending = append(c.pending, s)
	c.mu.Unlock()
	select {
	case c.kick <- struct{}{}:
	default:
	}
	return nil
}

// close commits everything staged (also after a failed or cancelled run,
// so the next run can reuse those chunks), stops the committer and
// returns the first commit error. Call it once, after the last put.
func (c *chunkSink) close() error {
	if c.s == nil {
		return nil
	}
	c.mu.Lock()
	c.closing = true
	c.mu.Unlock()
	select {
	case c.kick <- struct{}{}:
	default:
	}
	<-c.done
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

func (c *chunkSink) commitLoop() {
	defer close(c.done)
	for range c.kick {
		for {
			c.mu.Lock()
			batch, failed, closing := c.pending, c.err != nil, c.closing
			c.pending = nil
			c.mu.Unlock()
			if len(batch) == 0 {
				if closing {
					return
				}
				break
			}
			if failed {
				c.s.discard(batch)
				continue
			}
			if err := c.s.commit(batch); err != nil {
				c.s.discard(batch)
				c.mu.Lock()
				c.err = fmt.Errorf("store chunks: %w", err)
				c.mu.Unlock()
			}
		}
	}
}

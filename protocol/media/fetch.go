package media

import (
	"bufio"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

// DefaultWindow is how many blocks a fetch keeps in flight per provider.
const DefaultWindow = 16

// FetchOptions tunes Fetch.
type FetchOptions struct {
	// Providers are the peers asked for blocks, all at once.
	Providers []peer.ID
	// Window is the blocks in flight per provider (DefaultWindow if 0).
	Window int
	// Guard, if set, protects every stored block from collection.
	Guard *Guard
	// Progress, if set, is called with the DAG's file bytes present
	// locally so far and the expected total. It may be called from several
	// goroutines at once.
	Progress func(done, total int64)
}

// Fetch makes every block of the DAG under root present in bs, asking the
// providers for the blocks bs lacks and checking each block's hash before
// it is stored. size is the ciphertext size the manifest announces: a DAG
// that holds more fails with ErrSize. Blocks already present are not
// fetched again, so Fetch resumes an interrupted fetch.
func Fetch(ctx context.Context, h host.Host, bs Blocks, root cid.Cid, size uint64, opts FetchOptions) error {
	if err := checkCID(root); err != nil {
		return fmt.Errorf("fetch: %w: %v", ErrBadManifest, err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	f := &fetch{
		ctx:       ctx,
		h:         h,
		bs:        opts.Guard.Blocks(bs),
		limit:     size,
		maxBlocks: 2*(size/LeafSize+1) + 16,
		window:    opts.Window,
		progress:  opts.Progress,
		lacking:   make(map[string]map[peer.ID]bool),
		alive:     make(map[peer.ID]bool),
		wake:      make(chan struct{}),
		done:      make(chan struct{}),
	}
	if f.window <= 0 {
		f.window = DefaultWindow
	}
	if f.window > MaxWantCIDs {
		f.window = MaxWantCIDs
	}
	f.mu.Lock()
	f.pending = 1
	f.mu.Unlock()
	if err := f.have(want{c: root}); err != nil {
		return fmt.Errorf("fetch %s: %w", root, err)
	}
	if f.finished() {
		return f.result(root)
	}
	var providers []peer.ID
	for _, p := range opts.Providers {
		if p != h.ID() && !f.alive[p] {
			f.alive[p] = true
			providers = append(providers, p)
		}
	}
	if len(providers) == 0 {
		return fmt.Errorf("fetch %s: %w", root, ErrNoProviders)
	}
	var wg sync.WaitGroup
	for _, p := range providers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f.work(p)
		}()
	}
	wg.Wait()
	return f.result(root)
}

// want is a block to get, and its depth in the DAG.
type want struct {
	c     cid.Cid
	depth int
}

// fetch is one Fetch call. Providers' workers share the queue.
type fetch struct {
	ctx       context.Context
	h         host.Host
	bs        Blocks
	limit     uint64 // file bytes the DAG may hold
	maxBlocks uint64
	window    int
	progress  func(done, total int64)

	bytes atomic.Int64 // file bytes present

	mu      sync.Mutex // guards everything below
	queue   []want     // wanted, not yet asked for
	pending int        // blocks queued, in flight or being stored
	seen    uint64     // file bytes accounted for (present or stored)
	blocks  uint64     // blocks accounted for
	lacking map[string]map[peer.ID]bool
	alive   map[peer.ID]bool // providers still working
	errs    []error          // why providers stopped
	err     error            // fatal: the fetch fails
	wake    chan struct{}    // closed and replaced when the queue changes
	done    chan struct{}    // closed when pending reaches 0 or err is set
	closed  bool
}

func (f *fetch) finished() bool {
	select {
	case <-f.done:
		return true
	default:
		return false
	}
}

func (f *fetch) result(root cid.Cid) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return fmt.Errorf("fetch %s: %w", root, f.err)
	}
	if f.pending > 0 {
		if err := f.ctx.Err(); err != nil {
			return fmt.Errorf("fetch %s: %w", root, err)
		}
		return fmt.Errorf("fetch %s: every provider failed: %w", root, errors.Join(f.errs...))
	}
	return nil
}

// fail ends the fetch with err. f.mu is held.
func (f *fetch) fail(err error) {
	if f.err == nil {
		f.err = err
	}
	f.finish()
}

// finish closes done once. f.mu is held.
func (f *fetch) finish() {
	if !f.closed {
		f.closed = true
		close(f.done)
	}
}

func (f *fetch) signal() {
	close(f.wake)
	f.wake = make(chan struct{})
}

// have handles a block that is (now) present: it counts its file bytes and
// looks at its children, queuing those that are missing. pending counted w.
func (f *fetch) have(w want) error {
	var buf []byte
	err := f.bs.View(f.ctx, w.c, func(b []byte) error {
		buf = append(buf[:0], b...)
		return nil
	})
	if err != nil {
		if isNotFound(err) {
			f.mu.Lock()
			f.queue = append(f.queue, w)
			f.signal()
			f.mu.Unlock()
			return nil
		}
		return err
	}
	return f.stored(w, buf)
}

// stored accounts for a present block's bytes and children. buf is not
// kept.
func (f *fetch) stored(w want, buf []byte) error {
	nd, err := decodeNode(w.c, buf)
	if err == nil && len(nd.links) > 0 && w.depth >= MaxDepth {
		err = fmt.Errorf("%w: DAG deeper than %d", ErrTooLarge, MaxDepth)
	}
	f.mu.Lock()
	if err == nil {
		f.seen += uint64(len(nd.data))
		f.blocks += uint64(len(nd.links)) + 1
		switch {
		case f.seen > f.limit:
			err = fmt.Errorf("%w: DAG holds more than %d bytes", ErrSize, f.limit)
		case f.blocks > f.maxBlocks:
			err = fmt.Errorf("%w: DAG has more than %d blocks", ErrTooLarge, f.maxBlocks)
		}
	}
	if err != nil {
		f.fail(err)
		f.mu.Unlock()
		return err
	}
	f.pending += len(nd.links)
	f.mu.Unlock()
	if n := len(nd.data); n > 0 {
		done := f.bytes.Add(int64(n))
		if f.progress != nil {
			f.progress(done, int64(f.limit))
		}
	}
	for _, l := range nd.links {
		if err := f.have(want{c: l, depth: w.depth + 1}); err != nil {
			return err
		}
	}
	f.mu.Lock()
	f.pending--
	if f.pending == 0 {
		f.finish()
	}
	f.mu.Unlock()
	return nil
}

// take removes up to n wants that p has not said it lacks, or waits for
// some; ok is false when the fetch is over for p.
func (f *fetch) take(p peer.ID, n int, block bool) (ws []want, ok bool) {
	for {
		f.mu.Lock()
		if f.closed || f.ctx.Err() != nil {
			f.mu.Unlock()
			return nil, false
		}
		keep := f.queue[:0]
		for _, w := range f.queue {
			if len(ws) < n && !f.lacking[string(w.c.Hash())][p] {
				ws = append(ws, w)
			} else {
				keep = append(keep, w)
			}
		}
		clear(f.queue[len(keep):])
		f.queue = keep
		wake := f.wake
		f.mu.Unlock()
		if len(ws) > 0 || !block {
			return ws, true
		}
		select {
		case <-wake:
		case <-f.done:
			return nil, false
		case <-f.ctx.Done():
			return nil, false
		}
	}
}

// requeue gives wants back to the others, in front.
func (f *fetch) requeue(ws []want) {
	if len(ws) == 0 {
		return
	}
	f.mu.Lock()
	f.queue = append(append([]want(nil), ws...), f.queue...)
	f.signal()
	f.mu.Unlock()
}

// lack records that p does not hold w; when no live provider holds it the
// fetch fails.
func (f *fetch) lack(p peer.ID, w want) {
	f.mu.Lock()
	defer f.mu.Unlock()
	key := string(w.c.Hash())
	if f.lacking[key] == nil {
		f.lacking[key] = make(map[peer.ID]bool)
	}
	f.lacking[key][p] = true
	for q := range f.alive {
		if !f.lacking[key][q] {
			f.queue = append([]want{w}, f.queue...)
			f.signal()
			return
		}
	}
	f.fail(fmt.Errorf("%w: %s", ErrNotFound, w.c))
}

// drop removes p from the live providers after err; wants nobody else
// can give fail the fetch.
func (f *fetch) drop(p peer.ID, err error, inflight []want) {
	f.mu.Lock()
	delete(f.alive, p)
	f.errs = append(f.errs, fmt.Errorf("%s: %w", p, err))
	f.queue = append(append([]want(nil), inflight...), f.queue...)
	if len(f.alive) == 0 && !f.closed {
		// Nobody left: a bad block or a lying DAG is the answer to give.
		for _, e := range f.errs {
			if errors.Is(e, ErrBadBlock) || errors.Is(e, ErrSize) || errors.Is(e, ErrTooLarge) {
				f.fail(e)
			}
		}
		f.finish()
	}
	for _, w := range f.queue {
		others := false
		for q := range f.alive {
			if !f.lacking[string(w.c.Hash())][q] {
				others = true
			}
		}
		if !others && len(f.alive) > 0 {
			f.fail(fmt.Errorf("%w: %s", ErrNotFound, w.c))
			break
		}
	}
	f.signal()
	f.mu.Unlock()
}

// work fetches from one provider over one stream until the fetch is over
// or the provider fails.
func (f *fetch) work(p peer.ID) {
	var inflight []want
	err := f.stream(p, &inflight)
	if err == nil || f.finished() {
		f.requeue(inflight)
		return
	}
	f.drop(p, err, inflight)
}

func (f *fetch) stream(p peer.ID, inflight *[]want) error {
	octx, cancel := context.WithTimeout(f.ctx, openTimeout)
	s, err := f.h.NewStream(octx, p, BlocksProtocol)
	cancel()
	if err != nil {
		return fmt.Errorf("open stream: %w", err)
	}
	stop := context.AfterFunc(f.ctx, func() { _ = s.Reset() })
	defer stop()
	defer func() {
		if len(*inflight) > 0 || f.ctx.Err() != nil {
			_ = s.Reset()
		} else {
			_ = s.Close()
		}
	}()
	_ = s.Scope().SetService("pigeon.blocks")
	br := bufio.NewReaderSize(s, 64<<10)
	bw := bufio.NewWriterSize(s, 8<<10)
	hasher := sha256.New()
	var hdr, data []byte
	for {
		// Top up the window; block only when nothing is in flight.
		if room := f.window - len(*inflight); room > 0 {
			ws, ok := f.take(p, room, len(*inflight) == 0)
			if !ok {
				return nil
			}
			if len(ws) > 0 {
				req := &pb.BlockWant{Cids: make([][]byte, len(ws))}
				for i, w := range ws {
					req.Cids[i] = w.c.Bytes()
				}
				*inflight = append(*inflight, ws...)
				_ = s.SetWriteDeadline(time.Now().Add(writeTimeout))
				if err := writeFrame(bw, req); err != nil {
					return err
				}
				if err := bw.Flush(); err != nil {
					return err
				}
			}
		}
		w := (*inflight)[0]
		_ = s.SetReadDeadline(time.Now().Add(IdleTimeout))
		var err error
		if hdr, err = readFrame(br, hdr, maxHeaderFrame); err != nil {
			return fmt.Errorf("read header: %w", err)
		}
		h, err := DecodeBlockHeader(hdr)
		if err != nil {
			return err
		}
		*inflight = (*inflight)[1:]
		switch h.Status {
		case pb.BlockStatus_BLOCK_OK:
		case pb.BlockStatus_BLOCK_NOT_FOUND:
			f.lack(p, w)
			continue
		default:
			*inflight = append(*inflight, w)
			return fmt.Errorf("provider answered %v", h.Status)
		}
		if cap(data) < int(h.Size) {
			data = make([]byte, h.Size, MaxBlockSize)
		}
		data = data[:h.Size]
		if _, err := io.ReadFull(br, data); err != nil {
			*inflight = append(*inflight, w)
			return fmt.Errorf("read block: %w", err)
		}
		if err := verifyBlock(w.c, data, hasher); err != nil {
			*inflight = append(*inflight, w)
			return err
		}
		blk, _ := blocks.NewBlockWithCid(data, w.c)
		if err := f.bs.Put(f.ctx, blk); err != nil {
			f.mu.Lock()
			f.fail(fmt.Errorf("store block: %w", err))
			f.mu.Unlock()
			return nil
		}
		if err := f.stored(w, data); err != nil {
			return nil // the fetch failed
		}
	}
}

// isNotFound reports a missing block.
func isNotFound(err error) bool {
	var nf interface{ NotFound() bool }
	return errors.As(err, &nf) && nf.NotFound()
}

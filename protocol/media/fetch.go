package media

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

// DefaultWindow is how many blocks a fetch keeps in flight per stream.
const DefaultWindow = 8

// maxReadAhead is how many blocks a stream's reader may get ahead of the
// goroutine that checks and stores them.
const maxReadAhead = 3

// DefaultStreams is how many streams a fetch opens to each provider. More
// than one keeps the link busy while a new stream's flow-control window is
// still growing.
const DefaultStreams = 2

// FetchOptions tunes Fetch.
type FetchOptions struct {
	// Providers are the peers asked for blocks, all at once.
	Providers []peer.ID
	// Window is the blocks in flight per stream (DefaultWindow if 0).
	Window int
	// Streams is the streams per provider (DefaultStreams if 0).
	Streams int
	// Guard, if set, protects every stored block from collection.
	Guard *Guard
	// Progress, if set, is called with the DAG's file bytes present
	// locally so far and the expected total. It may be called from several
	// goroutines at once.
	Progress func(done, total int64)
	// Shallow fetches the root block only, not the blocks it links to.
	Shallow bool
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
		cancel:    cancel,
		h:         h,
		bs:        opts.Guard.Blocks(bs),
		local:     bs,
		limit:     size,
		maxBlocks: 2*(size/LeafSize+1) + 16,
		window:    opts.Window,
		progress:  opts.Progress,
		shallow:   opts.Shallow,
		lacking:   make(map[string]map[peer.ID]bool),
		alive:     make(map[peer.ID]int),
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
	f.pending, f.blocks = 1, 1
	f.mu.Unlock()
	// What is here already is reported once, after this walk, so a
	// resumed fetch starts its progress where the last one stopped.
	f.scanning = true
	if err := f.have(want{c: root}); err != nil {
		return fmt.Errorf("fetch %s: %w", root, err)
	}
	f.scanning = false
	if f.progress != nil {
		f.progress(f.bytes.Load(), int64(f.limit))
	}
	if f.finished() {
		return f.result(root)
	}
	streams := opts.Streams
	if streams <= 0 {
		streams = DefaultStreams
	}
	var providers []peer.ID
	for _, p := range opts.Providers {
		if p != h.ID() && f.alive[p] == 0 {
			f.alive[p] = streams
			providers = append(providers, p)
		}
	}
	if len(providers) == 0 {
		return fmt.Errorf("fetch %s: %w", root, ErrNoProviders)
	}
	var wg sync.WaitGroup
	for _, p := range providers {
		for range streams {
			wg.Add(1)
			go func() {
				defer wg.Done()
				f.work(p)
			}()
		}
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
	ctx       context.Context // the Fetch call's; cancelled when it fails
	cancel    context.CancelFunc
	h         host.Host
	bs        Blocks // writes go through the guard
	local     Blocks // the store itself, for reads
	limit     uint64 // file bytes the DAG may hold
	maxBlocks uint64
	window    int
	progress  func(done, total int64)
	scanning  bool // the first walk over local blocks runs; set before workers start
	shallow   bool // the root only

	bytes atomic.Int64 // file bytes present

	mu      sync.Mutex // guards everything below
	queue   []want     // wanted, not yet asked for
	pending int        // blocks queued, in flight or being stored
	seen    uint64     // file bytes accounted for (present or stored)
	blocks  uint64     // blocks accounted for
	lacking map[string]map[peer.ID]bool
	alive   map[peer.ID]int // providers still working: their live streams
	errs    []error         // why providers stopped
	missing []cid.Cid       // blocks no provider had
	err     error           // fatal: the fetch fails
	wake    chan struct{}   // closed and replaced when the queue changes
	done    chan struct{}   // closed when pending reaches 0 or err is set
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
	if len(f.missing) > 0 {
		err := fmt.Errorf("fetch %s: %w: %d blocks (%s, ...) held by none of the providers", root, ErrNotFound, len(f.missing), f.missing[0])
		if len(f.errs) > 0 {
			err = fmt.Errorf("%w (providers that failed: %w)", err, errors.Join(f.errs...))
		}
		return err
	}
	if f.pending > 0 {
		if err := f.ctx.Err(); err != nil {
			return fmt.Errorf("fetch %s: %w", root, err)
		}
		return fmt.Errorf("fetch %s: every provider failed: %w", root, errors.Join(f.errs...))
	}
	return nil
}

// fail ends the fetch with err and stops every stream. f.mu is held.
func (f *fetch) fail(err error) {
	if f.err == nil {
		f.err = err
	}
	f.finish()
	f.cancel()
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
	if w.c.Prefix().Codec == cid.Raw {
		// A raw leaf has no links: its size is all that is needed, and
		// reading a megabyte to learn it would make resuming a large
		// download read everything that arrived before.
		if sz, ok := f.local.(interface {
			GetSize(context.Context, cid.Cid) (int, error)
		}); ok {
			n, err := sz.GetSize(f.ctx, w.c)
			if err == nil {
				return f.storedLeaf(n)
			}
			if !isNotFound(err) {
				return err
			}
			f.mu.Lock()
			f.queue = append(f.queue, w)
			f.signal()
			f.mu.Unlock()
			return nil
		}
	}
	var buf []byte
	err := f.local.View(f.ctx, w.c, func(b []byte) error {
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

// storedLeaf accounts for a raw leaf of n bytes that is present.
func (f *fetch) storedLeaf(n int) error {
	f.mu.Lock()
	f.seen += uint64(n)
	if f.seen > f.limit {
		err := fmt.Errorf("%w: DAG holds more than %d bytes", ErrSize, f.limit)
		f.fail(err)
		f.mu.Unlock()
		return err
	}
	f.mu.Unlock()
	done := f.bytes.Add(int64(n))
	if f.progress != nil && !f.scanning {
		f.progress(done, int64(f.limit))
	}
	f.mu.Lock()
	if f.pending--; f.pending == 0 {
		f.finish()
	}
	f.mu.Unlock()
	return nil
}

// stored accounts for a present block's bytes and children. buf is not
// kept.
func (f *fetch) stored(w want, buf []byte) error {
	nd, err := decodeNode(w.c, buf)
	if err == nil && f.shallow {
		nd.links = nil
	}
	if err == nil && len(nd.links) > 0 && w.depth >= MaxDepth {
		err = fmt.Errorf("%w: DAG deeper than %d", ErrTooLarge, MaxDepth)
	}
	f.mu.Lock()
	if err == nil {
		f.seen += uint64(len(nd.data))
		f.blocks += uint64(len(nd.links)) // every block is counted once, as a link (the root at the start)
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
		if f.progress != nil && !f.scanning {
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
func (f *fetch) take(ctx context.Context, p peer.ID, n int, block bool) (ws []want, ok bool) {
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
		case <-ctx.Done():
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

// lack records that p does not hold w. A block no live provider holds is
// given up (the fetch goes on with the rest, so as much as possible is
// here for a later attempt, and then fails with ErrNotFound).
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
	f.giveUp(w)
}

// giveUp abandons a block nobody has. f.mu is held.
func (f *fetch) giveUp(w want) {
	f.missing = append(f.missing, w.c)
	if f.pending--; f.pending == 0 {
		f.finish()
	}
}

// drop ends one of p's streams after err; when it was the last, p leaves
// the live providers, and wants nobody else can give are given up.
func (f *fetch) drop(p peer.ID, err error, inflight []want) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.alive[p]--; f.alive[p] <= 0 {
		delete(f.alive, p)
	}
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
	if len(f.alive) > 0 {
		keep := f.queue[:0]
		for _, w := range f.queue {
			others := false
			for q := range f.alive {
				if !f.lacking[string(w.c.Hash())][q] {
					others = true
				}
			}
			if others {
				keep = append(keep, w)
			} else {
				f.giveUp(w)
			}
		}
		f.queue = keep
	}
	f.signal()
}

// work fetches from one provider over one stream until the fetch is over
// or the stream fails.
func (f *fetch) work(p peer.ID) {
	w := &worker{f: f, p: p}
	err := w.run()
	if err == nil || f.finished() {
		f.requeue(w.unanswered())
		return
	}
	f.drop(p, err, w.unanswered())
}

// worker is one stream to a provider. Its reader goroutine (the caller of
// run) sends wants and reads blocks; a second goroutine checks and stores
// them, so the stream keeps flowing while a block is hashed and written.
type worker struct {
	f *fetch
	p peer.ID

	mu       sync.Mutex // guards inflight and taken
	inflight []want     // asked for, not answered yet (in order)
	taken    []want     // answered, handed to the storer, not stored yet
}

// arrived is a block read from the stream, for the storer.
type arrived struct {
	w   want
	buf *[]byte
}

// unanswered returns the wants that did not complete.
func (w *worker) unanswered() []want {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append(append([]want(nil), w.taken...), w.inflight...)
}

func (w *worker) run() error {
	f := w.f
	s, err := openStream(f.ctx, f.h, w.p)
	if err != nil {
		return fmt.Errorf("%w: open stream: %w", ErrUnavailable, err)
	}
	_ = s.Scope().SetService("pigeon.blocks")

	// Buffers cycle between the reader and the storer and bound the
	// blocks held in memory per stream. Blocks asked for and not read yet
	// wait in the stream's receive window, so a few are enough.
	nbuf := min(f.window, maxReadAhead) + 1
	free := make(chan *[]byte, nbuf)
	for range nbuf {
		free <- getBlockBuf()
	}
	defer func() {
		for {
			select {
			case b := <-free:
				putBlockBuf(b)
			default:
				return
			}
		}
	}()
	work := make(chan arrived, nbuf)
	storeErr := make(chan error, 1)
	// A storing failure cancels ctx, which resets the stream and wakes the
	// reader wherever it waits.
	ctx, abort := context.WithCancel(f.ctx)
	defer abort()
	go func() {
		storeErr <- w.store(work, free, abort)
	}()
	err = w.read(ctx, s, work, free)
	close(work)
	if serr := <-storeErr; serr != nil {
		err = serr // the reader's error is the reset it caused
	}
	w.mu.Lock()
	clean := err == nil && len(w.inflight) == 0 && f.ctx.Err() == nil
	w.mu.Unlock()
	if clean {
		_ = s.Close()
	} else {
		_ = s.Reset()
	}
	switch {
	case errors.Is(err, errStop):
		return nil
	case err != nil && !errors.Is(err, ErrBadBlock) && !errors.Is(err, ErrSize) && !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrMalformed):
		// The stream broke or the provider could not answer (not a
		// provider breaking the protocol): worth another try later.
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return err
}

// directDialTimeout bounds the attempt at a direct connection to a peer
// reached through a relay only.
const directDialTimeout = 5 * time.Second

// openStream opens a blocks stream to p. A relayed connection is used
// when it is the only way (a peer behind NAT that listens nowhere else),
// as every other protocol does, but a direct connection is tried first: a
// relay's circuits are small and slow (a Pigeon relay allows 16 MiB per
// circuit), made for messages rather than files.
func openStream(ctx context.Context, h host.Host, p peer.ID) (network.Stream, error) {
	if h.Network().Connectedness(p) == network.Limited {
		dctx, cancel := context.WithTimeout(ctx, directDialTimeout)
		_ = h.Connect(network.WithForceDirectDial(dctx, "media: direct connection for blocks"), peer.AddrInfo{ID: p})
		cancel()
	}
	octx, cancel := context.WithTimeout(ctx, openTimeout)
	defer cancel()
	return h.NewStream(network.WithAllowLimitedConn(octx, "media: blocks"), p, BlocksProtocol)
}

// read is the reader loop: it keeps the window full and hands blocks to
// the storer.
func (w *worker) read(ctx context.Context, s network.Stream, work chan<- arrived, free chan *[]byte) error {
	f := w.f
	stop := context.AfterFunc(ctx, func() { _ = s.Reset() })
	defer stop()
	br := bufio.NewReaderSize(s, 64<<10)
	bw := bufio.NewWriterSize(s, 8<<10)
	var hdr []byte
	for {
		w.mu.Lock()
		n := len(w.inflight)
		w.mu.Unlock()
		if room := f.window - n; room > 0 {
			ws, ok := f.take(ctx, w.p, room, n == 0)
			if !ok {
				return errStop
			}
			if len(ws) > 0 {
				req := &pb.BlockWant{Cids: make([][]byte, len(ws))}
				for i, x := range ws {
					req.Cids[i] = x.c.Bytes()
				}
				w.mu.Lock()
				w.inflight = append(w.inflight, ws...)
				w.mu.Unlock()
				_ = s.SetWriteDeadline(time.Now().Add(writeTimeout))
				if err := writeFrame(bw, req); err != nil {
					return err
				}
				if err := bw.Flush(); err != nil {
					return err
				}
			}
		}
		_ = s.SetReadDeadline(time.Now().Add(IdleTimeout))
		var err error
		if hdr, err = readFrame(br, hdr, maxHeaderFrame); err != nil {
			return fmt.Errorf("read header: %w", err)
		}
		h, err := DecodeBlockHeader(hdr)
		if err != nil {
			return err
		}
		w.mu.Lock()
		x := w.inflight[0]
		switch h.Status {
		case pb.BlockStatus_BLOCK_OK:
			w.inflight = w.inflight[1:]
			w.taken = append(w.taken, x)
		case pb.BlockStatus_BLOCK_NOT_FOUND:
			w.inflight = w.inflight[1:]
		}
		w.mu.Unlock()
		switch h.Status {
		case pb.BlockStatus_BLOCK_OK:
		case pb.BlockStatus_BLOCK_NOT_FOUND:
			f.lack(w.p, x)
			continue
		default:
			return fmt.Errorf("provider answered %v", h.Status)
		}
		var buf *[]byte
		select {
		case buf = <-free:
		case <-ctx.Done():
			return ctx.Err()
		}
		*buf = (*buf)[:h.Size] // DecodeBlockHeader checked Size <= MaxBlockSize
		if _, err := io.ReadFull(br, *buf); err != nil {
			free <- buf
			return fmt.Errorf("read block: %w", err)
		}
		select {
		case work <- arrived{w: x, buf: buf}:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// store checks and stores the blocks the reader hands over, in order.
// After an error it keeps draining work so the reader never blocks.
func (w *worker) store(work <-chan arrived, free chan<- *[]byte, abort context.CancelFunc) error {
	hasher := newBlockHasher()
	var failed error
	for a := range work {
		if failed == nil {
			if failed = w.store1(a, hasher); failed != nil {
				abort() // unblock the reader
			}
		}
		free <- a.buf
	}
	return failed
}

func (w *worker) store1(a arrived, hasher *blockHasher) error {
	f := w.f
	data := *a.buf
	if err := verifyBlock(a.w.c, data, hasher); err != nil {
		return err // the reader gets it and resets the stream
	}
	blk, _ := blocks.NewBlockWithCid(data, a.w.c)
	if err := f.bs.Put(f.ctx, blk); err != nil {
		f.mu.Lock()
		f.fail(fmt.Errorf("store block: %w", err))
		f.mu.Unlock()
		return errStop
	}
	w.mu.Lock()
	w.taken = w.taken[1:]
	w.mu.Unlock()
	if err := f.stored(a.w, data); err != nil {
		return errStop // the fetch failed
	}
	return nil
}

// isNotFound reports a missing block.
func isNotFound(err error) bool {
	var nf interface{ NotFound() bool }
	return errors.As(err, &nf) && nf.NotFound()
}

package acctlog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-msgio"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// PullRequest says what Pull asks for and what it does with the answer.
type PullRequest struct {
	// Account is the account whose log is pulled.
	Account identity.AccountID
	// Have is what the requester holds (its store's vector); the peer
	// sends every op it holds above it.
	Have Vector
	// CertOf returns what the account's device list says of a device
	// (see Author), and refuses devices it does not know (see Open).
	// Pull calls it from several goroutines at once. Required.
	CertOf func(device uint32) (Author, error)
	// Apply stores and folds a batch of verified ops, in the order the
	// peer sent them (seq order within each device). Batches are applied
	// one at a time, in order; while one is applied the next is read and
	// verified. An op the requester already holds may come again (it
	// arrived out of order before): Apply skips it. Required.
	Apply func(ctx context.Context, batch []*Op) error
	// Held, if set, returns the signed op (device, seq) the requester
	// holds, or nil when it holds none. Pull asks it for the op before
	// the first of each device's ops it receives, and refuses that op
	// when its Prev does not link to the one held (ErrBrokenChain).
	Held func(device uint32, seq uint64) ([]byte, error)
	// Progress, if set, is called after each applied batch with the ops
	// applied so far and the total the peer announced.
	Progress func(done, total int)
}

// Pull asks peer p for the ops of req.Account it holds above req.Have and
// applies them batch by batch; it returns how many ops it applied (also on
// an error). Every op is verified (OpenChain: one signature per run of
// chained ops) before it is applied: a batch is applied up to its first op
// that fails, and the pull stops there with that error; a batch whose ops
// do not chain, to each other or to those of the batches before or held
// (req.Held), is refused whole (ErrBrokenChain). Ops of a revoked device
// after the last it may have authored are the exception: they can never
// verify, so Pull skips them (the device's later ops too, as they fail the
// same way), applies the rest, and returns at the end an error wrapping
// ErrRevokedDevice. A pull cut short (ctx, the connection, an error) can be
// resumed by pulling again with the vector the applied ops left: it
// fetches exactly the rest.
func Pull(ctx context.Context, h host.Host, p peer.ID, req PullRequest) (int, error) {
	const what = "pull account log"
	if req.CertOf == nil || req.Apply == nil {
		return 0, fmt.Errorf("%s: %w: certOf and apply are required", what, ErrMalformed)
	}
	frame, err := encodeRequest(req.Account, req.Have)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	st, err := h.NewStream(network.WithAllowLimitedConn(ctx, "account log sync"), p, ProtocolID)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	stop := context.AfterFunc(ctx, func() { _ = st.Reset() })
	defer stop()
	_ = st.SetWriteDeadline(time.Now().Add(RequestTimeout))
	if err := msgio.NewVarintWriter(st).WriteMsg(frame); err != nil {
		_ = st.Reset()
		return 0, fmt.Errorf("%s: %w", what, ctxErr(ctx, err))
	}
	_ = st.CloseWrite()
	n, err := receive(ctx, st, func() { _ = st.Reset() }, req)
	if err != nil {
		_ = st.Reset()
		return n, fmt.Errorf("%s: %w", what, ctxErr(ctx, err))
	}
	_ = st.Close()
	return n, nil
}

// ctxErr prefers ctx's error to the stream error its end caused.
func ctxErr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	return err
}

// frameReader is the part of a stream receive reads from.
type frameReader interface {
	Read([]byte) (int, error)
	SetReadDeadline(time.Time) error
}

// receive reads the answer to req from r: Start, batches, End. Batches
// are applied one at a time, in order, on the caller's goroutine, while
// the next ones are read and verified (see readAhead). When receive
// fails, it calls abort, which must end a read blocked on r (Pull resets
// the stream); when it returns, readAhead and its goroutines have ended.
func receive(ctx context.Context, r frameReader, abort func(), req PullRequest) (done int, err error) {
	ctx, cancel := context.WithCancel(ctx)
	var skipped error // the first op skipped, reported at the end
	batches := make(chan chan verified, aheadBatches()-1)
	var wg sync.WaitGroup
	wg.Go(func() { readAhead(ctx, r, req, batches) })
	defer func() {
		cancel()
		if err != nil {
			abort()
		}
		wg.Wait()
	}()
	tails := make(map[uint32]*Op) // per device, the last op applied by this pull
	for next := range batches {
		b := <-next
		if err := ctx.Err(); err != nil {
			return done, err // the caller gave up: apply no more
		}
		if err := linkBatch(b.ops, tails, req.Held); err != nil {
			return done, err
		}
		if len(b.ops) > 0 {
			if err := req.Apply(ctx, b.ops); err != nil {
				return done, fmt.Errorf("apply: %w", err)
			}
			done += len(b.ops)
			if req.Progress != nil {
				req.Progress(done, b.total)
			}
		}
		if b.err != nil {
			return done, b.err
		}
		if skipped == nil {
			skipped = b.skipped
		}
	}
	if err := ctx.Err(); err != nil {
		return done, err
	}
	return done, skipped
}

// linkBatch checks that the first op of each device in batch links to
// the op before it: the last of the device's ops in tails, which it
// updates, or else the one held. OpenChain checked the links within the
// batch.
func linkBatch(batch []*Op, tails map[uint32]*Op, held func(device uint32, seq uint64) ([]byte, error)) error {
	first := make(map[uint32]bool)
	for _, op := range batch {
		if first[op.Device] {
			continue
		}
		first[op.Device] = true
		before, ok := tails[op.Device]
		switch {
		case ok && op.Seq <= before.Seq:
			return fmt.Errorf("%w: op %s after op %s", ErrBrokenChain, op, before)
		case len(op.Prev) == 0 || op.Seq == 1:
		case ok && before.Seq == op.Seq-1:
			if !bytes.Equal(op.Prev, before.Hash()) {
				return fmt.Errorf("%w: op %s does not link to op %s", ErrBrokenChain, op, before)
			}
		case !ok && held != nil:
			raw, err := held(op.Device, op.Seq-1)
			if err != nil {
				return fmt.Errorf("op %s: the op before it: %w", op, err)
			}
			if raw != nil && !bytes.Equal(op.Prev, Hash(raw)) {
				return fmt.Errorf("%w: op %s does not link to op %d/%d held", ErrBrokenChain, op, op.Device, op.Seq-1)
			}
		}
	}
	for _, op := range batch {
		tails[op.Device] = op
	}
	return nil
}

// aheadBatches is how many batches a pull holds at most besides the one
// applied: read and being verified, or verified and waiting. Each takes
// a goroutine while it is verified, and up to MaxBatchBytes.
func aheadBatches() int { return min(max(runtime.GOMAXPROCS(0), 1), 4) + 1 }

// verified is a batch's verified ops (up to its first bad op), then an
// error, if any, that ends the answer: a bad op, a broken frame, or the
// stream's end before the End frame. total is the number of ops the peer
// announced; skipped, the error of the batch's first op skipped (an op of
// a revoked device after its bound), which does not end the answer.
type verified struct {
	ops     []*Op
	total   int
	err     error
	skipped error
}

// readAhead reads frames from r and verifies each batch on a goroutine
// of its own; it sends out, in the order of the frames, one channel per
// batch that gets the batch once verified, until the End frame or an
// error (sent last). It stops when ctx ends; receive cancels ctx when it
// stops reading out. A read blocked on the stream ends when receive calls
// abort, or at the frame's deadline. It returns once its goroutines have
// ended.
func readAhead(ctx context.Context, r frameReader, req PullRequest, out chan<- chan verified) {
	var wg sync.WaitGroup
	defer wg.Wait()
	defer close(out)
	enqueue := func(next chan verified) bool {
		select {
		case out <- next:
			return true
		case <-ctx.Done():
			return false
		}
	}
	fail := func(total int, err error) {
		next := make(chan verified, 1)
		next <- verified{total: total, err: err}
		enqueue(next)
	}
	fr := msgio.NewVarintReaderSize(r, MaxFrameSize)
	read := func() (*pb.AcctLogFrame, error) {
		_ = r.SetReadDeadline(time.Now().Add(FrameTimeout))
		f, err := readFrame(fr)
		if err != nil {
			return nil, err
		}
		if e := f.GetError(); e != nil {
			return nil, &CodeError{Code: e.GetCode()}
		}
		return f, nil
	}
	f, err := read()
	if err != nil {
		fail(0, err)
		return
	}
	start := f.GetStart()
	if start == nil {
		fail(0, fmt.Errorf("%w: answer does not begin with a start frame", ErrProtocol))
		return
	}
	total := int(min(start.GetTotal(), uint64(maxInt)))
	seen := 0
	for ctx.Err() == nil {
		f, err := read()
		if err != nil {
			fail(total, err)
			return
		}
		if f.GetEnd() != nil {
			if seen != total {
				fail(total, fmt.Errorf("%w: %d ops of the %d announced", ErrProtocol, seen, total))
			}
			return
		}
		raws := f.GetBatch().GetOps()
		if raws == nil {
			fail(total, fmt.Errorf("%w: a second start frame", ErrProtocol))
			return
		}
		if len(raws) > total-seen {
			fail(total, fmt.Errorf("%w: more ops than the %d announced", ErrProtocol, total))
			return
		}
		seen += len(raws)
		next := make(chan verified, 1)
		wg.Go(func() {
			ops, skipped, err := verify(raws, req)
			next <- verified{ops: ops, total: total, err: err, skipped: skipped}
		})
		if !enqueue(next) {
			return
		}
	}
}

const maxInt = int(^uint(0) >> 1)

// verify opens raws with OpenChain and checks each op is of the account
// and above what the requester holds. It skips the ops of revoked devices
// after their bound, returning the first one's error as skipped. It
// returns the ops before the first that fails, and that op's error.
func verify(raws [][]byte, req PullRequest) (ops []*Op, skipped, err error) {
	for at := 0; at < len(raws); {
		got, err := OpenChain(raws[at:], req.CertOf)
		for i, op := range got {
			switch {
			case op.Account != req.Account:
				return append(ops, got[:i]...), skipped, fmt.Errorf("op %d of a batch: %w: op %s of another account", at+i, ErrProtocol, op)
			case op.Seq <= req.Have[op.Device]:
				return append(ops, got[:i]...), skipped, fmt.Errorf("op %d of a batch: %w: op %s the requester holds", at+i, ErrProtocol, op)
			}
		}
		ops = append(ops, got...)
		at += len(got)
		switch {
		case err == nil:
			return ops, skipped, nil
		case !errors.Is(err, ErrRevokedDevice):
			return ops, skipped, fmt.Errorf("op %d of a batch: %w", at, err)
		}
		// OpenChain stopped at raws[at], after its author's bound.
		if skipped == nil {
			skipped = fmt.Errorf("op %d of a batch skipped: %w", at, err)
		}
		at++
	}
	return ops, skipped, nil
}

package acctlog

import (
	"context"
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
	// Open verifies one signed op (Open with the account's device list,
	// refusing devices that may not author). Pull calls it from several
	// goroutines at once. Required.
	Open func(raw []byte) (*Op, error)
	// Apply stores and folds a batch of verified ops, in the order the
	// peer sent them (seq order within each device); the next batch is
	// read only once it returns. An op the requester already holds may
	// come again (it arrived out of order before): Apply skips it.
	// Required.
	Apply func(ctx context.Context, batch []*Op) error
	// Progress, if set, is called after each applied batch with the ops
	// applied so far and the total the peer announced.
	Progress func(done, total int)
}

// Pull asks peer p for the ops of req.Account it holds above req.Have and
// applies them batch by batch; it returns how many ops it applied (also on
// an error). Every op is verified with req.Open before it is applied: a
// batch is applied up to its first op that fails, and the pull stops there
// with that error. A pull cut short (ctx, the connection, an error) can be
// resumed by pulling again with the vector the applied ops left: it
// fetches exactly the rest.
func Pull(ctx context.Context, h host.Host, p peer.ID, req PullRequest) (int, error) {
	const what = "pull account log"
	if req.Open == nil || req.Apply == nil {
		return 0, fmt.Errorf("%s: %w: open and apply are required", what, ErrMalformed)
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
	n, err := receive(ctx, st, req)
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

// receive reads the answer to req from r: Start, batches (each verified,
// then applied), End.
func receive(ctx context.Context, r frameReader, req PullRequest) (int, error) {
	fr := msgio.NewVarintReaderSize(r, MaxFrameSize)
	next := func() (*pb.AcctLogFrame, error) {
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
	f, err := next()
	if err != nil {
		return 0, err
	}
	start := f.GetStart()
	if start == nil {
		return 0, fmt.Errorf("%w: answer does not begin with a start frame", ErrProtocol)
	}
	total := int(min(start.GetTotal(), uint64(maxInt)))
	done := 0
	for {
		f, err := next()
		if err != nil {
			return done, err
		}
		if f.GetEnd() != nil {
			if done != total {
				return done, fmt.Errorf("%w: %d ops of the %d announced", ErrProtocol, done, total)
			}
			return done, nil
		}
		raws := f.GetBatch().GetOps()
		if raws == nil {
			return done, fmt.Errorf("%w: a second start frame", ErrProtocol)
		}
		if len(raws) > total-done {
			return done, fmt.Errorf("%w: more ops than the %d announced", ErrProtocol, total)
		}
		ops, verr := verify(raws, req)
		if len(ops) > 0 {
			if err := req.Apply(ctx, ops); err != nil {
				return done, fmt.Errorf("apply: %w", err)
			}
			done += len(ops)
			if req.Progress != nil {
				req.Progress(done, total)
			}
		}
		if verr != nil {
			return done, verr
		}
	}
}

const maxInt = int(^uint(0) >> 1)

// verify opens raws on up to GOMAXPROCS goroutines and checks each op is of
// the account and above what the requester holds. It returns the ops
// before the first that fails, and that op's error.
func verify(raws [][]byte, req PullRequest) ([]*Op, error) {
	ops := make([]*Op, len(raws))
	errs := make([]error, len(raws))
	check := func(i int) {
		op, err := req.Open(raws[i])
		switch {
		case err != nil:
		case op.Account != req.Account:
			err = fmt.Errorf("%w: op %s of another account", ErrProtocol, op)
		case op.Seq <= req.Have[op.Device]:
			err = fmt.Errorf("%w: op %s the requester holds", ErrProtocol, op)
		}
		ops[i], errs[i] = op, err
	}
	workers := min(runtime.GOMAXPROCS(0), (len(raws)+minPerWorker-1)/minPerWorker)
	if workers <= 1 {
		for i := range raws {
			check(i)
		}
	} else {
		var wg sync.WaitGroup
		per := (len(raws) + workers - 1) / workers
		for lo := 0; lo < len(raws); lo += per {
			hi := min(lo+per, len(raws))
			wg.Go(func() {
				for i := lo; i < hi; i++ {
					check(i)
				}
			})
		}
		wg.Wait()
	}
	for i, err := range errs {
		if err != nil {
			return ops[:i], fmt.Errorf("op %d of a batch: %w", i, err)
		}
	}
	return ops, nil
}

// minPerWorker is the fewest ops worth a goroutine of their own.
const minPerWorker = 16

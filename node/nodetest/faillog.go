package nodetest

import (
	"bytes"
	"log/slog"
	"sync"
	"testing"

	"github.com/pigeon-net/pigeon/node"
)

// failLogCap bounds the debug log a LogOnFailure buffer keeps: past it,
// the older half is dropped.
const failLogCap = 4 << 20

// LogOnFailure returns an option that keeps the node's debug log in
// memory and writes it to the test's log, under name, if the test fails:
// a failure seen only under load (in CI) then comes with the node's own
// account of what it was doing. Pass the same option to every start of
// the node to keep one log across restarts.
func LogOnFailure(tb testing.TB, name string) node.Option {
	tb.Helper()
	buf := &failLog{}
	tb.Cleanup(func() {
		if tb.Failed() {
			buf.mu.Lock()
			defer buf.mu.Unlock()
			tb.Logf("debug log of %s (the last %d bytes at most):\n%s", name, failLogCap, buf.b.Bytes())
		}
	})
	h := slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})
	return node.WithLogger(slog.New(h).With("node", name))
}

// failLog is a size-bounded, concurrency-safe log buffer.
type failLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (f *failLog) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.b.Len()+len(p) > failLogCap {
		keep := f.b.Bytes()[f.b.Len()/2:]
		if i := bytes.IndexByte(keep, '\n'); i >= 0 {
			keep = keep[i+1:]
		}
		rest := append([]byte(nil), keep...)
		f.b.Reset()
		f.b.Write(rest)
	}
	return f.b.Write(p)
}

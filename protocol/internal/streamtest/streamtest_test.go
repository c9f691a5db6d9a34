package streamtest_test

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"

	"github.com/pigeon-net/pigeon/protocol/internal/streamtest"
)

// fatalRecorder is a testing.TB whose Fatalf records the message and ends
// the calling goroutine, as the real one does.
type fatalRecorder struct {
	testing.TB
	msg chan string
}

func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.msg <- fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (r *fatalRecorder) Helper() {}

// feed runs Feed and returns the failure it reported, if any.
func feed(t *testing.T, p *streamtest.Pair, in []byte) string {
	rec := &fatalRecorder{TB: t, msg: make(chan string, 1)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = p.Feed(rec, "/test/1", in)
	}()
	<-done
	select {
	case m := <-rec.msg:
		return m
	default:
		return ""
	}
}

func TestFeedCatchesHangs(t *testing.T) {
	p := streamtest.NewPair(t, nil)
	p.Limit = 200 * time.Millisecond
	release := make(chan struct{})
	defer close(release)
	p.Server.SetStreamHandler("/test/1", func(s network.Stream) {
		defer s.Reset()
		var b [1]byte
		if _, err := s.Read(b[:]); err != nil {
			return
		}
		switch b[0] {
		case 'e': // echo until the input ends: a handler that ends
			_, _ = s.Write(b[:])
			_, _ = io.Copy(s, s)
			_ = s.Close()
		case 'w': // waits after its input ended
			_, _ = io.Copy(io.Discard, s)
			<-release
		case 'r': // reads no more
			<-release
		}
	})
	if m := feed(t, p, []byte("echo")); m != "" {
		t.Fatalf("a handler that ends: %s", m)
	}
	if m := feed(t, p, []byte("wait")); !strings.Contains(m, "did not end the stream") {
		t.Fatalf("a handler that waits: %q", m)
	}
	if m := feed(t, p, append([]byte("r"), make([]byte, 4<<20)...)); !strings.Contains(m, "did not read its input") {
		t.Fatalf("a handler that stops reading: %q", m)
	}
}

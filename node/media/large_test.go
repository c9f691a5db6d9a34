package media_test

import (
	"context"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/media"
	"github.com/pigeon-net/pigeon/node/nodetest"
)

// TestMediaLargeFile sends a 1 GiB file between two nodes (streamed from a
// generator, saved to disk on the other side) and reports the peak Go heap
// of the process, which holds both nodes. It takes about a minute and 3 GiB
// of disk, so it runs only with PIGEON_TEST_LARGE=1
// (PIGEON_TEST_LARGE_SIZE=bytes changes the size):
//
//	PIGEON_TEST_LARGE=1 go test -run TestMediaLargeFile -v ./node/
func TestMediaLargeFile(t *testing.T) {
	if os.Getenv("PIGEON_TEST_LARGE") == "" {
		t.Skip("set PIGEON_TEST_LARGE=1 to send a 1 GiB file")
	}
	size := int64(1 << 30)
	if v := os.Getenv("PIGEON_TEST_LARGE_SIZE"); v != "" {
		size, _ = strconv.ParseInt(v, 10, 64)
	}
	nw := nodetest.New(t, 3)
	a, b := nw.Nodes[1], nw.Nodes[2]
	ctx := context.Background()
	if err := b.Media().SetAutoDownload(ctx, core.Chat{}, 0); err != nil {
		t.Fatal(err)
	}
	peak := sampleHeap(t)
	start := time.Now()
	src := &generated{r: rand.NewChaCha8([32]byte{7}), left: size}
	var id core.MessageID
	nodetest.Eventually(t, wait, func() bool {
		var err error
		src = &generated{r: rand.NewChaCha8([32]byte{7}), left: size}
		id, err = a.Media().Send(ctx, b.Info().Account, src, media.File{Name: "large.bin"})
		return err == nil
	}, "send")
	t.Logf("sent (encrypted and stored) %d bytes in %v; peak heap so far %d MiB", size, time.Since(start), peak.Load()>>20)
	nodetest.Eventually(t, wait, func() bool { return mediaState(t, b, id) == media.Remote }, "received")
	start = time.Now()
	path := filepath.Join(t.TempDir(), "large.bin")
	if err := b.Media().Save(ctx, id, path); err != nil {
		t.Fatal(err)
	}
	t.Logf("fetched and saved in %v", time.Since(start))
	// Compare with the generator, streaming.
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := &generated{r: rand.NewChaCha8([32]byte{7}), left: size}
	got, wantBuf := make([]byte, 1<<20), make([]byte, 1<<20)
	for {
		n, err := io.ReadFull(f, got)
		m, _ := io.ReadFull(want, wantBuf[:n])
		if m != n || string(got[:n]) != string(wantBuf[:n]) {
			t.Fatal("saved file differs")
		}
		if err != nil {
			break
		}
	}
	t.Logf("peak Go heap while sending and receiving %d MiB: %d MiB", size>>20, peak.Load()>>20)
	if peak.Load() > 512<<20 {
		t.Errorf("peak heap %d MiB: memory grows with the file", peak.Load()>>20)
	}
}

// generated is size bytes of pseudo-random data made as read.
type generated struct {
	r    *rand.ChaCha8
	left int64
}

func (g *generated) Read(p []byte) (int, error) {
	if g.left == 0 {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), g.left)]
	g.r.Read(p)
	g.left -= int64(len(p))
	return len(p), nil
}

// sampleHeap records the peak HeapInuse until the test ends.
func sampleHeap(t *testing.T) *atomic.Uint64 {
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	t.Cleanup(func() { close(stop); wg.Wait() })
	return &peak
}

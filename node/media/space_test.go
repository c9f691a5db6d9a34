package media_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/media"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/storage"
)

// The full-disk test puts the node's home on a small tmpfs of its own (it
// needs root and skips elsewhere) and fills it from outside.

const testMinFree = 32 << 20

// fullPair starts a (in memory) and b (home on a 256 MiB tmpfs, keeping
// testMinFree free), with a session between them; it returns b's tmpfs.
func fullPair(t *testing.T) (a, b *node.Node, dir string) {
	t.Helper()
	dir = nodetest.Tmpfs(t, 256<<20)
	fast := node.WithRetryBackoff(10*time.Millisecond, 200*time.Millisecond)
	a = startNodeWith(t, node.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), fast, node.WithInMemory())
	b = startNodeWith(t, node.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), fast,
		node.WithHome(filepath.Join(dir, "home")), node.WithMinFreeSpace(testMinFree),
		node.WithBootstrap(a.Info().Addrs[0].String()))
	first := nodetest.Send(t, a, b.Info().Account, "before")
	nodetest.Eventually(t, wait, func() bool { return nodetest.State(t, a, first) == core.Delivered }, "first message delivered")
	return a, b, dir
}

// TestAutoDownloadWhileFull: a file that would take the disk below the
// free space the node keeps is not downloaded on arrival (it stays
// remote, to fetch on demand), and fetching it fails with
// storage.ErrStorageFull until there is room.
func TestAutoDownloadWhileFull(t *testing.T) {
	a, b, dir := fullPair(t)
	ctx := context.Background()
	st, err := b.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	limit := st.Disk.MinFree           // testMinFree and the database's headroom
	nodetest.Fill(t, dir, limit+2<<20) // room for messages, not for a 4 MiB file
	nodetest.Eventually(t, wait, func() bool { return b.Media().CheckSpace(3<<20) != nil }, "b sees the disk fill")
	file := bytes.Repeat([]byte("pigeon "), 4<<20/7)
	id := sendMedia(t, a, b.Info().Account, file, media.File{Name: "big.bin"})
	nodetest.Eventually(t, wait, func() bool { return nodetest.State(t, a, id) == core.Delivered }, "file message delivered")
	// b decided about the download before it acked: a download started
	// then is running, or has ended (failed or local).
	running := b.Media().Downloading(id)
	info, err := b.Media().Info(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if running || info.State != media.Remote {
		t.Fatalf("auto-download on a nearly full disk: running %v, state %v; want it skipped (remote)", running, info.State)
	}
	if err := b.Media().Fetch(ctx, id); !errors.Is(err, storage.ErrStorageFull) {
		t.Fatalf("fetch on a nearly full disk: %v, want storage.ErrStorageFull", err)
	}
	if free := nodetest.FreeBytes(t, dir); free < limit {
		t.Fatalf("%d MiB free, below the %d MiB kept", free>>20, limit>>20)
	}
	nodetest.Unfill(t, dir)
	nodetest.Eventually(t, wait, func() bool { return b.Media().Fetch(ctx, id) == nil }, "fetch once there is room")
}

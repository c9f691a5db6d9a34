package media_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/p2p/net/swarm"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/media"
	"github.com/pigeon-net/pigeon/node/nodetest"
	pmedia "github.com/pigeon-net/pigeon/protocol/media"
)

// waitState reads sub until an event of attachment id reports state.
func waitMediaState(t *testing.T, sub *node.Subscription[media.StateChanged], id core.MessageID, state media.State) media.StateChanged {
	t.Helper()
	timeout := time.NewTimer(wait)
	defer timeout.Stop()
	for {
		select {
		case ev := <-sub.Events():
			if ev.ID == id && ev.State == state {
				return ev
			}
			if ev.ID == id && ev.State == media.Failed {
				t.Fatalf("download failed while waiting for %v: %s", state, ev.Error)
			}
		case <-timeout.C:
			t.Fatalf("no %v event for %s", state, id)
		}
	}
}

// The holder of a file is down when the fetch starts (its restart, say):
// the download waits in state retrying instead of failing, survives a
// restart of the fetching node, and completes once the holder is back (on
// other addresses: it listens on fresh ports).
func TestMediaFetchAcrossHolderRestart(t *testing.T) {
	nw := nodetest.New(t, 3)
	a, b := nw.Nodes[1], nw.Nodes[2]
	ctx := context.Background()
	if err := b.Media().SetAutoDownload(ctx, core.Chat{}, 0); err != nil {
		t.Fatal(err)
	}
	data := testFile(3<<20 + 99)
	id := sendMedia(t, a, b.Info().Account, data, media.File{Name: "restart.bin"})
	nodetest.Eventually(t, wait, func() bool { return mediaState(t, b, id) == media.Remote }, "b received the message")

	nw.Stop(1)
	states := node.Subscribe[media.StateChanged](b)
	if err := b.Media().StartFetch(ctx, id); err != nil {
		t.Fatal(err)
	}
	ev := waitMediaState(t, states, id, media.Retrying)
	states.Close()
	if ev.Error == "" || ev.RetryUntil.Before(time.Now().Add(node.DefaultMediaRetry-time.Hour)) || ev.Size != uint64(len(data)) {
		t.Fatalf("retrying event %+v", ev)
	}
	mi, err := b.Media().Info(ctx, id)
	if err != nil || mi.State != media.Retrying || !mi.RetryUntil.Equal(ev.RetryUntil) {
		t.Fatalf("media info while retrying: %+v, %v", mi, err)
	}

	// The fetching node restarts: the download resumes, still retrying,
	// with the same deadline.
	b = nw.Restart(2)
	nodetest.Eventually(t, wait, func() bool {
		mi, err := b.Media().Info(ctx, id)
		return err == nil && mi.State == media.Retrying && mi.RetryUntil.Equal(ev.RetryUntil)
	}, "the download resumed after b's restart")

	nw.Start(1)
	nodetest.Eventually(t, wait, func() bool { return mediaState(t, b, id) == media.Local }, "downloaded once a is back")
	if got := readSaved(t, b, id); !bytes.Equal(got, data) {
		t.Fatal("saved file differs")
	}
	if mi, _ := b.Media().Info(ctx, id); !mi.RetryUntil.IsZero() || mi.Error != "" {
		t.Fatalf("a finished download keeps %+v", mi)
	}
}

// A download fails only once its deadline has passed with no provider
// reached; asking again starts a new one.
func TestMediaRetryDeadline(t *testing.T) {
	nw := nodetest.New(t, 3)
	a, b := nw.Nodes[1], nw.Nodes[2]
	ctx := context.Background()
	if err := b.Media().SetAutoDownload(ctx, core.Chat{}, 0); err != nil {
		t.Fatal(err)
	}
	var offset atomic.Int64
	b.Media().SetClock(func() time.Time { return time.Now().Add(time.Duration(offset.Load())) })
	data := testFile(200 << 10)
	id := sendMedia(t, a, b.Info().Account, data, media.File{Name: "gone.bin"})
	nodetest.Eventually(t, wait, func() bool { return mediaState(t, b, id) == media.Remote }, "b received the message")
	nw.Stop(1)

	states := node.Subscribe[media.StateChanged](b)
	defer states.Close()
	fetched := make(chan error, 1)
	go func() { fetched <- b.Media().Fetch(ctx, id) }()
	waitMediaState(t, states, id, media.Retrying)
	select {
	case err := <-fetched:
		t.Fatalf("FetchMedia returned while the download retries: %v", err)
	default:
	}
	offset.Store(int64(node.DefaultMediaRetry + time.Minute))
	if err := b.Media().StartFetch(ctx, id); err != nil { // asks for the next attempt now
		t.Fatal(err)
	}
	ev := waitMediaState(t, states, id, media.Failed)
	if ev.Error == "" {
		t.Fatal("failed without a reason")
	}
	if err := <-fetched; !errors.Is(err, pmedia.ErrUnavailable) {
		t.Fatalf("FetchMedia after the deadline: %v, want ErrUnavailable", err)
	}

	// Asked again with the holder back: a new download, a new deadline.
	nw.Start(1)
	if err := b.Media().Fetch(ctx, id); err != nil {
		t.Fatal(err)
	}
	if got := readSaved(t, b, id); !bytes.Equal(got, data) {
		t.Fatal("saved file differs")
	}
}

// A group's file: its media events name the group (not an account) and
// count the file's bytes.
func TestGroupMediaEvents(t *testing.T) {
	nw, gid := nodetest.NewGroup(t, 3)
	ctx := context.Background()
	sender, member := nw.Nodes[1], nw.Nodes[2]
	sent := node.Subscribe[media.Progress](sender)
	defer sent.Close()
	events := node.Subscribe[node.Event](member)
	defer events.Close()
	data := testFile(2<<20 + 7)
	id, err := sender.Media().SendToGroup(ctx, gid, bytes.NewReader(data), media.File{Name: "g.bin"})
	if err != nil {
		t.Fatal(err)
	}
	size := int64(len(data))
	var downloaded, local bool
	timeout := time.After(wait)
	for !(downloaded && local) {
		var ev node.Event
		select {
		case ev = <-events.Events():
		case <-timeout:
			t.Fatalf("events: downloaded %v, local %v", downloaded, local)
		}
		switch ev := ev.(type) {
		case media.Progress:
			if ev.ID != id {
				continue
			}
			if ev.Chat != core.InGroup(gid) || ev.Total != size || ev.Done > size {
				t.Fatalf("progress event %+v: want group %s and total %d", ev, gid, size)
			}
			downloaded = downloaded || ev.Done == size
		case media.StateChanged:
			if ev.ID != id {
				continue
			}
			if ev.Chat != core.InGroup(gid) || ev.Size != uint64(size) {
				t.Fatalf("state event %+v: want group %s and size %d", ev, gid, size)
			}
			local = local || ev.State == media.Local
		}
	}
	encrypted := false
	for len(sent.Events()) > 0 {
		ev := <-sent.Events()
		if ev.ID != id {
			continue
		}
		if ev.Chat != core.InGroup(gid) || (ev.Total != 0 && ev.Total != size) { // 0: not known yet
			t.Fatalf("sender's %s event %+v", ev.Phase, ev)
		}
		encrypted = encrypted || (ev.Phase == "encrypt" && ev.Done == size && ev.Total == size)
	}
	if !encrypted {
		t.Fatal("no completed encrypt event on the sender")
	}
}

// Removing a file whose download waits to retry stops the download.
func TestDeleteRetryingMedia(t *testing.T) {
	nw := nodetest.New(t, 3)
	a, b := nw.Nodes[1], nw.Nodes[2]
	ctx := context.Background()
	if err := b.Media().SetAutoDownload(ctx, core.Chat{}, 0); err != nil {
		t.Fatal(err)
	}
	id := sendMedia(t, a, b.Info().Account, testFile(100<<10), media.File{Name: "x.bin"})
	nodetest.Eventually(t, wait, func() bool { return mediaState(t, b, id) == media.Remote }, "b received the message")
	nw.Stop(1)
	states := node.Subscribe[media.StateChanged](b)
	defer states.Close()
	fetched := make(chan error, 1)
	go func() { fetched <- b.Media().Fetch(ctx, id) }()
	waitMediaState(t, states, id, media.Retrying)
	if err := b.Media().Delete(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := <-fetched; !errors.Is(err, context.Canceled) {
		t.Fatalf("FetchMedia of a removed file: %v", err)
	}
	if mi, err := b.Media().Info(ctx, id); err != nil || mi.State != media.Removed || !mi.RetryUntil.IsZero() {
		t.Fatalf("after removal: %+v, %v", mi, err)
	}
}

// A holder that restarts on the same address is dialled at once: the
// failed dials of while it was down (the swarm's dial backoff, up to
// minutes) do not refuse the next fetch with "dial backoff".
func TestMediaFetchAfterDialBackoff(t *testing.T) {
	nw := nodetest.New(t, 2)
	b := nw.Nodes[1]
	ctx := context.Background()
	if err := b.Media().SetAutoDownload(ctx, core.Chat{}, 0); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	var boot []string
	for _, a := range nw.Nodes[0].Info().Addrs {
		boot = append(boot, a.String())
	}
	aOpts := []node.Option{node.WithHome(t.TempDir()), node.WithListenAddrs(addr), node.WithBootstrap(boot...),
		node.WithRetryBackoff(20*time.Millisecond, 500*time.Millisecond)}
	a := startNodeWith(t, aOpts...)
	data := testFile(300 << 10)
	id := sendMedia(t, a, b.Info().Account, data, media.File{Name: "again.bin"})
	nodetest.Eventually(t, wait, func() bool { return mediaState(t, b, id) == media.Remote }, "b received the message")
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	a = startNodeWith(t, aOpts...) // same address
	if got := a.Host().Addrs(); len(got) != 1 || got[0].String() != addr {
		t.Fatalf("a restarted on %v, want %s", got, addr)
	}
	// b tried a while it was down: its address is in b's dial backoff.
	aID := a.Info().PeerID
	_ = b.Host().Network().ClosePeer(aID)
	sw := b.Host().Network().(*swarm.Swarm)
	for _, ma := range b.Host().Peerstore().Addrs(aID) {
		sw.Backoff().AddBackoff(aID, ma)
	}
	states := node.Subscribe[media.StateChanged](b)
	defer states.Close()
	if err := b.Media().Fetch(ctx, id); err != nil {
		t.Fatal(err)
	}
	for len(states.Events()) > 0 {
		if ev := <-states.Events(); ev.ID == id && ev.State == media.Retrying {
			t.Fatalf("the first attempt failed: %s", ev.Error)
		}
	}
	if got := readSaved(t, b, id); !bytes.Equal(got, data) {
		t.Fatal("file differs")
	}
}

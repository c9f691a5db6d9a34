package media_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/media"
	"github.com/pigeon-net/pigeon/node/nodetest"
	pmedia "github.com/pigeon-net/pigeon/protocol/media"
)

// plaintextMarker is written into test files; a node that only relays or
// serves the blocks must never hold it.
const plaintextMarker = "PIGEON-PLAINTEXT-MARKER-7f3a"

// testFile returns n bytes: the marker repeated through random data.
func testFile(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	for i := 0; i+len(plaintextMarker) <= n; i += 4096 {
		copy(b[i:], plaintextMarker)
	}
	return b
}

func testPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 640, 480))
	for y := range 480 {
		for x := range 640 {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 128, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sendMedia(t *testing.T, from *node.Node, to core.AccountID, data []byte, f media.File) core.MessageID {
	t.Helper()
	var id core.MessageID
	nodetest.Eventually(t, wait, func() bool {
		var err error
		id, err = from.Media().Send(context.Background(), to, bytes.NewReader(data), f)
		return err == nil || !errors.Is(err, node.ErrUnknownAccount)
	}, "send media")
	if id.IsZero() {
		t.Fatal("send media failed")
	}
	return id
}

func mediaState(t *testing.T, n *node.Node, id core.MessageID) media.State {
	t.Helper()
	mi, err := n.Media().Info(context.Background(), id)
	if err != nil {
		return 0
	}
	return mi.State
}

func readSaved(t *testing.T, n *node.Node, id core.MessageID) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "saved")
	if err := n.Media().Save(context.Background(), id, path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestMediaOneToOne(t *testing.T) {
	nw := nodetest.New(t, 3)
	a, b := nw.Nodes[1], nw.Nodes[2]
	subA := node.Subscribe[media.Progress](a)
	defer subA.Close()
	subB := node.Subscribe[node.Event](b)
	defer subB.Close()

	img := testPNG(t)
	id := sendMedia(t, a, b.Info().Account, img, media.File{Name: "dir/photo.png", Caption: "look"})
	nodetest.Eventually(t, wait, func() bool { return mediaState(t, b, id) == media.Local }, "auto-downloaded")
	mi, err := b.Media().Info(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if mi.Name != "photo.png" || mi.MIME != "image/png" || mi.Caption != "look" || mi.Size != uint64(len(img)) ||
		mi.Width != 640 || mi.Height != 480 || mi.Thumbnail == nil || mi.Thumbnail.Width != 320 || mi.Thumbnail.Height != 240 {
		t.Fatalf("media info %+v", mi)
	}
	if _, _, err := image.Decode(bytes.NewReader(mi.Thumbnail.Data)); err != nil {
		t.Fatalf("thumbnail does not decode: %v", err)
	}
	if got := readSaved(t, b, id); !bytes.Equal(got, img) {
		t.Fatal("saved file differs")
	}
	if h := nodetest.History(t, b, a.Info().Account); len(h) != 1 || h[0].Text != "look" {
		t.Fatalf("history %+v", h)
	}
	list, err := b.Media().List(context.Background(), core.With(a.Info().Account), core.MessageID{}, 10)
	if err != nil || len(list) != 1 || list[0].ID != id {
		t.Fatalf("media list %v %v", list, err)
	}
	// Events: the sender saw its encryption progress end; the recipient saw
	// the download progress and the state change.
	var encrypted, downloaded, local bool
	nodetest.Eventually(t, wait, func() bool {
		for {
			select {
			case ev := <-subA.Events():
				encrypted = encrypted || (ev.ID == id && ev.Upload && ev.Phase == "encrypt" && ev.Done == ev.Total && ev.Total == int64(len(img)))
				continue
			case ev := <-subB.Events():
				switch ev := ev.(type) {
				case media.Progress:
					downloaded = downloaded || (ev.ID == id && !ev.Upload && ev.Done == ev.Total && ev.Total > 0)
				case media.StateChanged:
					local = local || (ev.ID == id && ev.State == media.Local)
				}
				continue
			default:
			}
			return encrypted && downloaded && local
		}
	}, "progress events (encrypt %v, download %v, local %v)", &encrypted, &downloaded, &local)
}

func TestMediaOnDemandResumeAndDiskFull(t *testing.T) {
	nw := nodetest.New(t, 4)
	a, b, c := nw.Nodes[1], nw.Nodes[2], nw.Nodes[3]
	ctx := context.Background()
	if err := b.Media().SetAutoDownload(ctx, core.Chat{}, 1<<20); err != nil {
		t.Fatal(err)
	}
	data := testFile(12 << 20)
	id := sendMedia(t, a, b.Info().Account, data, media.File{Name: "big.bin"})
	nodetest.Eventually(t, wait, func() bool { return mediaState(t, b, id) == media.Remote }, "received, not fetched")
	// c gets a full copy (a forwards it), then a loses half of its blocks:
	// b's download from a stops halfway, like an interrupted one.
	var idC core.MessageID
	nodetest.Eventually(t, wait, func() bool {
		var err error
		idC, err = a.Media().Forward(ctx, id, c.Info().Account)
		return err == nil
	}, "forward")
	nodetest.Eventually(t, wait, func() bool { return mediaState(t, c, idC) == media.Local }, "c downloaded")
	if n, err := a.Media().DropEveryOtherLeaf(ctx); err != nil || n == 0 {
		t.Fatalf("drop blocks: %d, %v", n, err)
	}
	sub := node.Subscribe[media.Progress](b)
	if err := b.Media().Fetch(ctx, id); !errors.Is(err, pmedia.ErrNotFound) {
		t.Fatalf("fetch from a peer that lost blocks: %v", err)
	}
	if st := mediaState(t, b, id); st != media.Failed {
		t.Fatalf("state after a failed download: %v", st)
	}
	var before int64
	for len(sub.Events()) > 0 {
		if ev := <-sub.Events(); ev.ID == id {
			before = ev.Done
		}
	}
	sub.Close()
	if before < 4<<20 {
		t.Fatalf("only %d bytes arrived from a", before)
	}
	// After a restart, the download resumes from c: what arrived counts
	// at once (the first progress event) and is not fetched again.
	b = nw.Restart(2)
	// The caller knows where c is (a group's member list would say).
	b.Host().Peerstore().AddAddrs(c.Info().PeerID, c.Host().Addrs(), time.Hour)
	sub = node.Subscribe[media.Progress](b)
	defer sub.Close()
	if err := b.Media().Fetch(ctx, id, c.Info().PeerID.String()); err != nil {
		t.Fatal(err)
	}
	first := int64(-1)
	for len(sub.Events()) > 0 {
		if ev := <-sub.Events(); ev.ID == id && first < 0 {
			first = ev.Done
		}
	}
	if first < before {
		t.Errorf("resumed download started at %d bytes; %d had arrived before", first, before)
	}

	// Disk full while writing the file: a clean error, nothing at the
	// destination, the blocks stay and a second try fetches nothing.
	dir := t.TempDir()
	dst := filepath.Join(dir, "big.bin")
	full := func(dir, pattern string) (pmedia.File, error) {
		f, err := os.CreateTemp(dir, pattern)
		if err != nil {
			return nil, err
		}
		return &fullFile{File: f, left: 5 << 20}, nil
	}
	err := b.Media().SaveWith(ctx, id, dst, full)
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("save on a full disk: %v", err)
	}
	if strings.Contains(err.Error(), ".part") {
		t.Errorf("the error names the temporary file: %v", err)
	}
	if es, _ := os.ReadDir(dir); len(es) != 0 {
		t.Fatalf("left in the destination directory: %v", es)
	}
	nw.Stop(1)
	nw.Stop(3) // nobody else has it now: everything must be local
	if got := readSaved(t, b, id); !bytes.Equal(got, data) {
		t.Fatal("saved file differs")
	}
}

// fullFile fails with ENOSPC after left bytes.
type fullFile struct {
	*os.File
	left int
}

func (f *fullFile) Write(p []byte) (int, error) {
	if len(p) > f.left {
		n, _ := f.File.Write(p[:f.left])
		f.left = 0
		return n, &os.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
	}
	f.left -= len(p)
	return f.File.Write(p)
}

// TestMediaSaveToFullFilesystem saves to a real 2 MiB tmpfs (needs root to
// mount it; skipped otherwise).
func TestMediaSaveToFullFilesystem(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	nw := nodetest.New(t, 3)
	a, b := nw.Nodes[1], nw.Nodes[2]
	data := testFile(3 << 20)
	id := sendMedia(t, a, b.Info().Account, data, media.File{Name: "x.bin"})
	nodetest.Eventually(t, wait, func() bool { return mediaState(t, b, id) == media.Local }, "downloaded")
	err := b.Media().Save(context.Background(), id, filepath.Join(dir, "x.bin"))
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("save to a full filesystem: %v", err)
	}
	if es, _ := os.ReadDir(dir); len(es) != 0 {
		t.Fatalf("left on the full filesystem: %v", es)
	}
}

// TestMediaFromAnyHolder is the group case: a sends a file to b and
// forwards the same attachment (same blocks) to c; b downloads it; a goes
// away; c fetches it from b, a peer the caller names.
func TestMediaFromAnyHolder(t *testing.T) {
	nw := nodetest.New(t, 4)
	a, b, c := nw.Nodes[1], nw.Nodes[2], nw.Nodes[3]
	ctx := context.Background()
	if err := c.Media().SetAutoDownload(ctx, core.Chat{}, 0); err != nil {
		t.Fatal(err)
	}
	data := testFile(3<<20 + 5)
	idB := sendMedia(t, a, b.Info().Account, data, media.File{Name: "shared.bin"})
	nodetest.Eventually(t, wait, func() bool { return mediaState(t, b, idB) == media.Local }, "b downloaded")
	var idC core.MessageID
	nodetest.Eventually(t, wait, func() bool {
		var err error
		idC, err = a.Media().Forward(ctx, idB, c.Info().Account)
		return err == nil
	}, "forward")
	nodetest.Eventually(t, wait, func() bool { return mediaState(t, c, idC) == media.Remote }, "c received")
	mb, _ := b.Media().Info(ctx, idB)
	mc, _ := c.Media().Info(ctx, idC)
	if mb.Root != mc.Root {
		t.Fatalf("forwarded root %s, original %s", mc.Root, mb.Root)
	}
	nw.Stop(1)
	c.Host().Peerstore().AddAddrs(b.Info().PeerID, b.Host().Addrs(), time.Hour) // as a member list would give
	if err := c.Media().Fetch(ctx, idC, b.Info().PeerID.String()); err != nil {
		t.Fatal(err)
	}
	// b served the blocks but holds no plaintext (it saved the file
	// outside its home).
	nodetest.AssertNoPlaintext(t, nw.Homes[2], []byte(plaintextMarker))
	if got := readSaved(t, c, idC); !bytes.Equal(got, data) {
		t.Fatal("file from b differs")
	}
}

func TestMediaDeleteAndCollect(t *testing.T) {
	nw := nodetest.New(t, 3)
	a, b := nw.Nodes[1], nw.Nodes[2]
	ctx := context.Background()
	data := testFile(2 << 20)
	id := sendMedia(t, a, b.Info().Account, data, media.File{Name: "gone.bin"})
	nodetest.Eventually(t, wait, func() bool { return mediaState(t, b, id) == media.Local }, "downloaded")
	if err := b.Media().Delete(ctx, id); err != nil {
		t.Fatal(err)
	}
	if mediaState(t, b, id) != media.Removed {
		t.Fatal("not removed")
	}
	if blocks, _, _ := b.Media().Collect(ctx); blocks != 0 {
		t.Fatalf("a second collection freed %d blocks; DeleteMedia should have", blocks)
	}
	// The sender still has it: fetch again.
	if err := b.Media().Fetch(ctx, id, a.Info().PeerID.String()); err != nil {
		t.Fatal(err)
	}
	if got := readSaved(t, b, id); !bytes.Equal(got, data) {
		t.Fatal("refetched file differs")
	}
	// Nothing the sender keeps is collected.
	if blocks, _, _ := a.Media().Collect(ctx); blocks != 0 {
		t.Fatalf("the sender collected %d referenced blocks", blocks)
	}
}

func TestAutoDownloadSettings(t *testing.T) {
	nw := nodetest.New(t, 1)
	n := nw.Nodes[0]
	ctx := context.Background()
	peer := core.AccountID{1, 2, 3}
	if got, err := n.Media().AutoDownload(ctx, core.With(peer)); err != nil || got != media.DefaultAutoDownload {
		t.Fatalf("default: %d %v", got, err)
	}
	if err := n.Media().SetAutoDownload(ctx, core.Chat{}, 5); err != nil {
		t.Fatal(err)
	}
	if err := n.Media().SetAutoDownload(ctx, core.With(peer), 100); err != nil {
		t.Fatal(err)
	}
	if got, _ := n.Media().AutoDownload(ctx, core.With(peer)); got != 100 {
		t.Fatalf("chat override: %d", got)
	}
	if got, _ := n.Media().AutoDownload(ctx, core.With(core.AccountID{9})); got != 5 {
		t.Fatalf("other chat: %d", got)
	}
	if err := n.Media().SetAutoDownload(ctx, core.With(peer), -1); err != nil {
		t.Fatal(err)
	}
	if got, _ := n.Media().AutoDownload(ctx, core.With(peer)); got != 5 {
		t.Fatalf("override removed: %d", got)
	}
}

// TestGroupMedia: a file sent to a group is one group message; members
// fetch it on arrival from the sender, and a member that did not (its
// auto-download is off) later fetches it from the other members while the
// sender is away.
func TestGroupMedia(t *testing.T) {
	nw, gid := nodetest.NewGroup(t, 4)
	ctx := context.Background()
	sender, late := nw.Nodes[1], nw.Nodes[3]
	if err := late.Media().SetAutoDownload(ctx, core.Chat{}, 0); err != nil {
		t.Fatal(err)
	}
	img := testPNG(t)
	id, err := sender.Media().SendToGroup(ctx, gid, bytes.NewReader(img), media.File{Name: "trip.png", Caption: "summit"})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []*node.Node{nw.Nodes[0], nw.Nodes[2]} {
		nodetest.Eventually(t, wait, func() bool { return mediaState(t, m, id) == media.Local }, "auto-downloaded")
		if got := readSaved(t, m, id); !bytes.Equal(got, img) {
			t.Fatal("saved file differs")
		}
		mi, err := m.Media().Info(ctx, id)
		if err != nil || mi.Chat != core.InGroup(gid) || mi.Thumbnail == nil || mi.Caption != "summit" {
			t.Fatalf("media info %+v, %v", mi, err)
		}
		if h := nodetest.GroupHistory(t, m, gid); len(h) != 1 || h[0].ID != id || h[0].Text != "summit" {
			t.Fatalf("history %+v", h)
		}
	}
	list, err := sender.Media().List(ctx, core.InGroup(gid), core.MessageID{}, 10)
	if err != nil || len(list) != 1 || list[0].ID != id || !list[0].Chat.IsGroup() {
		t.Fatalf("sender's media list %+v %v", list, err)
	}
	nodetest.Eventually(t, wait, func() bool { return mediaState(t, late, id) == media.Remote }, "late member received the message")
	nw.Stop(1)
	nodetest.Eventually(t, wait, func() bool { return late.Media().Fetch(ctx, id) == nil }, "fetch from the other members")
	if got := readSaved(t, late, id); !bytes.Equal(got, img) {
		t.Fatal("file from the members differs")
	}
}

// TestMediaRangeBeforeDownload: a range of a file not downloaded yet (a
// player seeking to the end of a video) is served from the blocks that
// hold it, and the whole file downloads behind it.
func TestMediaRangeBeforeDownload(t *testing.T) {
	nw := nodetest.New(t, 3)
	a, b := nw.Nodes[1], nw.Nodes[2]
	ctx := context.Background()
	if err := b.Media().SetAutoDownload(ctx, core.Chat{}, 0); err != nil {
		t.Fatal(err)
	}
	data := testFile(9<<20 + 77)
	id := sendMedia(t, a, b.Info().Account, data, media.File{Name: "clip.mp4", MIME: "video/mp4"})
	nodetest.Eventually(t, wait, func() bool { return mediaState(t, b, id) == media.Remote }, "received, not fetched")
	off := uint64(len(data) - 5000)
	var out bytes.Buffer
	if err := b.Media().WriteRange(ctx, id, off, 5000, &out); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), data[off:]) {
		t.Fatal("range differs")
	}
	nodetest.Eventually(t, wait, func() bool { return mediaState(t, b, id) == media.Local }, "downloaded behind the range")
	if !bytes.Equal(readSaved(t, b, id), data) {
		t.Fatal("file differs")
	}
}

// Before Start the node's Media() refuses calls with ErrNotStarted, after
// Close with ErrClosed.
func TestMediaNotStartedAndClosed(t *testing.T) {
	n, err := node.New(node.WithInMemory(), node.WithListenAddrs("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := n.Media().Info(ctx, core.MessageID{}); !errors.Is(err, node.ErrNotStarted) {
		t.Fatalf("before Start: %v, want ErrNotStarted", err)
	}
	if err := n.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := n.Media().Info(ctx, core.MessageID{}); !errors.Is(err, media.ErrNoMedia) {
		t.Fatalf("started: %v, want ErrNoMedia", err)
	}
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := n.Media().Send(ctx, core.AccountID{1}, strings.NewReader("x"), media.File{Name: "x"}); !errors.Is(err, node.ErrClosed) {
		t.Fatalf("after Close: %v, want ErrClosed", err)
	}
}

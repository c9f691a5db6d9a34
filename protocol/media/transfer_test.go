package media_test

import (
	"bytes"
	"context"
	"errors"
	"sync/atomic"
	"testing"

	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"go.uber.org/goleak"

	"github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// peerNode is a host with a store and a blocks server.
type peerNode struct {
	h      host.Host
	st     *badger.Store
	srv    *media.Server
	served atomic.Int64
}

func newPeer(t testing.TB) *peerNode {
	t.Helper()
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	p := &peerNode{h: h, st: openStore(t)}
	p.srv = media.NewServer(h, p.st.Blocks(), media.WithServed(func(_ peer.ID, n int) { p.served.Add(int64(n)) }))
	t.Cleanup(p.close)
	return p
}

// close stops the peer early; cleanup calling it again does nothing more.
func (p *peerNode) close() {
	p.srv.Close()
	p.h.Close()
	p.st.Close()
}

func connect(t testing.TB, a, b *peerNode) {
	t.Helper()
	if err := a.h.Connect(context.Background(), peer.AddrInfo{ID: b.h.ID(), Addrs: b.h.Addrs()}); err != nil {
		t.Fatal(err)
	}
}

func root(t testing.TB, m *pb.Media) cid.Cid {
	t.Helper()
	c, err := media.CheckRoot(m.Root)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func extract(t testing.TB, st *badger.Store, m *pb.Media) []byte {
	t.Helper()
	var out bytes.Buffer
	if err := media.Extract(context.Background(), media.LocalGet(st.Blocks()), m, &out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestFetch(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) }) // runs after the hosts closed
	a, b := newPeer(t), newPeer(t)
	connect(t, b, a)
	plain := randomBytes(5*media.LeafSize + 999)
	m := importFile(t, a.st, plain)
	var last atomic.Int64
	err := media.Fetch(context.Background(), b.h, b.st.Blocks(), root(t, m), media.CiphertextSize(m.Size), media.FetchOptions{
		Providers: []peer.ID{a.h.ID()},
		Window:    2,
		Progress:  func(done, total int64) { last.Store(done) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := extract(t, b.st, m); !bytes.Equal(got, plain) {
		t.Fatal("fetched file differs")
	}
	if last.Load() != int64(media.CiphertextSize(m.Size)) {
		t.Fatalf("progress ended at %d, want %d", last.Load(), media.CiphertextSize(m.Size))
	}
	// Everything is local now: a second fetch asks nobody.
	served := a.served.Load()
	if err := media.Fetch(context.Background(), b.h, b.st.Blocks(), root(t, m), media.CiphertextSize(m.Size), media.FetchOptions{}); err != nil {
		t.Fatalf("fetch of a complete DAG: %v", err)
	}
	if a.served.Load() != served {
		t.Fatal("a complete DAG was fetched again")
	}
}

func TestFetchResumes(t *testing.T) {
	a, b := newPeer(t), newPeer(t)
	connect(t, b, a)
	plain := randomBytes(8 * media.LeafSize)
	m := importFile(t, a.st, plain)
	total := int64(media.CiphertextSize(m.Size))
	ctx, cancel := context.WithCancel(context.Background())
	var stored atomic.Int64
	err := media.Fetch(ctx, b.h, b.st.Blocks(), root(t, m), uint64(total), media.FetchOptions{
		Providers: []peer.ID{a.h.ID()},
		Window:    1,
		Progress: func(done, _ int64) {
			stored.Store(done)
			if done >= 3*media.LeafSize {
				cancel()
			}
		},
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted fetch: %v", err)
	}
	before := a.served.Load()
	if err := media.Fetch(context.Background(), b.h, b.st.Blocks(), root(t, m), uint64(total), media.FetchOptions{Providers: []peer.ID{a.h.ID()}}); err != nil {
		t.Fatal(err)
	}
	again := a.served.Load() - before
	if again > total-stored.Load()+media.LeafSize { // at most the block in flight when it stopped
		t.Fatalf("resumed fetch took %d bytes; %d of %d were stored before", again, stored.Load(), total)
	}
	if got := extract(t, b.st, m); !bytes.Equal(got, plain) {
		t.Fatal("resumed file differs")
	}
}

func TestFetchFromSeveralProviders(t *testing.T) {
	a, b, c := newPeer(t), newPeer(t), newPeer(t)
	connect(t, b, a)
	connect(t, c, a)
	connect(t, c, b)
	plain := randomBytes(6 * media.LeafSize)
	m := importFile(t, a.st, plain)
	total := media.CiphertextSize(m.Size)
	// b holds only part of it (the root and some leaves).
	if err := media.Fetch(context.Background(), b.h, b.st.Blocks(), root(t, m), total, media.FetchOptions{Providers: []peer.ID{a.h.ID()}}); err != nil {
		t.Fatal(err)
	}
	if err := media.Fetch(context.Background(), c.h, c.st.Blocks(), root(t, m), total, media.FetchOptions{Providers: []peer.ID{a.h.ID(), b.h.ID()}, Window: 1}); err != nil {
		t.Fatal(err)
	}
	if a.served.Load() == int64(total) || b.served.Load() == 0 {
		t.Logf("served: a %d, b %d", a.served.Load(), b.served.Load())
	}
	if got := extract(t, c.st, m); !bytes.Equal(got, plain) {
		t.Fatal("file differs")
	}
	// A provider that lacks blocks: the others fill in.
	d := newPeer(t)
	connect(t, d, b)
	connect(t, d, c)
	leaves := dropSomeLeaves(t, b.st, m)
	if err := media.Fetch(context.Background(), d.h, d.st.Blocks(), root(t, m), total, media.FetchOptions{Providers: []peer.ID{b.h.ID(), c.h.ID()}}); err != nil {
		t.Fatalf("fetch with a partial provider: %v (dropped %d leaves)", err, leaves)
	}
}

// dropSomeLeaves deletes about every other leaf from st.
func dropSomeLeaves(t testing.TB, st *badger.Store, m *pb.Media) int {
	t.Helper()
	var drop []cid.Cid
	i := 0
	st.Blocks().ForEachBlock(context.Background(), func(c cid.Cid, size int) error {
		if size > media.LeafSize/2 && i%2 == 0 {
			drop = append(drop, c)
		}
		i++
		return nil
	})
	if err := st.Blocks().DeleteBlocks(context.Background(), drop); err != nil {
		t.Fatal(err)
	}
	return len(drop)
}

func TestFetchRejectsBadBlocks(t *testing.T) {
	a, b := newPeer(t), newPeer(t)
	connect(t, b, a)
	m := importFile(t, a.st, randomBytes(3*media.LeafSize))
	// Replace a leaf's bytes by others of the same size.
	var leaf cid.Cid
	a.st.Blocks().ForEachBlock(context.Background(), func(c cid.Cid, size int) error {
		if size > media.LeafSize/2 { // sizes are approximate
			leaf = c
		}
		return nil
	})
	forged, _ := blocks.NewBlockWithCid(randomBytes(media.LeafSize), leaf)
	if err := a.st.Blocks().DeleteBlock(context.Background(), leaf); err != nil {
		t.Fatal(err)
	}
	if err := a.st.Blocks().Put(context.Background(), forged); err != nil {
		t.Fatal(err)
	}
	err := media.Fetch(context.Background(), b.h, b.st.Blocks(), root(t, m), media.CiphertextSize(m.Size), media.FetchOptions{Providers: []peer.ID{a.h.ID()}})
	if !errors.Is(err, media.ErrBadBlock) {
		t.Fatalf("fetch with a forged block: %v, want ErrBadBlock", err)
	}
	if ok, _ := b.st.Blocks().Has(context.Background(), leaf); ok {
		t.Fatal("the forged block was stored")
	}
}

func TestFetchRejectsLyingSize(t *testing.T) {
	a, b := newPeer(t), newPeer(t)
	connect(t, b, a)
	m := importFile(t, a.st, randomBytes(4*media.LeafSize))
	err := media.Fetch(context.Background(), b.h, b.st.Blocks(), root(t, m), 2*media.LeafSize, media.FetchOptions{Providers: []peer.ID{a.h.ID()}})
	if !errors.Is(err, media.ErrSize) {
		t.Fatalf("fetch of a DAG larger than announced: %v, want ErrSize", err)
	}
}

func TestFetchNotFound(t *testing.T) {
	a, b := newPeer(t), newPeer(t)
	connect(t, b, a)
	other := newPeer(t)
	m := importFile(t, other.st, randomBytes(1000))
	err := media.Fetch(context.Background(), b.h, b.st.Blocks(), root(t, m), media.CiphertextSize(m.Size), media.FetchOptions{Providers: []peer.ID{a.h.ID()}})
	if !errors.Is(err, media.ErrNotFound) {
		t.Fatalf("fetch from a peer without the DAG: %v, want ErrNotFound", err)
	}
}

// TestRemoteGetFetchesOnlyTheRange: reading a range of a file that is not
// local fetches the blocks the range needs and no others, and keeps them.
func TestRemoteGetFetchesOnlyTheRange(t *testing.T) {
	a, b := newPeer(t), newPeer(t)
	connect(t, b, a)
	plain := randomBytes(20*media.LeafSize + 999)
	m := importFile(t, a.st, plain)
	get := media.RemoteGet(b.h, b.st.Blocks(), media.FetchOptions{Providers: []peer.ID{a.h.ID()}})
	ctx := context.Background()
	off, n := uint64(15*media.LeafSize+media.LeafSize/2), uint64(1000)
	var out bytes.Buffer
	if err := media.ExtractRange(ctx, get, m, off, n, &out); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), plain[off:off+n]) {
		t.Fatal("range differs")
	}
	served := a.served.Load()
	if served < media.LeafSize || served > 2*media.MaxBlockSize { // the root and the leaf (or two) holding the range
		t.Fatalf("%d bytes served for a 1000-byte range of a %d-byte file", served, len(plain))
	}
	out.Reset()
	if err := media.ExtractRange(ctx, get, m, off, n, &out); err != nil || !bytes.Equal(out.Bytes(), plain[off:off+n]) {
		t.Fatalf("second read: %v", err)
	}
	if a.served.Load() != served {
		t.Fatal("blocks fetched again")
	}
	// Without a provider that has it, a missing block is an error.
	a.close()
	if err := media.ExtractRange(ctx, get, m, 0, 10, &bytes.Buffer{}); err == nil {
		t.Fatal("a range read with no provider left")
	}
}

package media_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"testing"
	"time"

	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	rcmgr "github.com/libp2p/go-libp2p/p2p/host/resource-manager"
	mh "github.com/multiformats/go-multihash"
	"go.uber.org/goleak"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// limitedServer is a host whose resource manager has the node's limits
// (adjusted by tune, if set), serving blocks of 1 MiB.
type limitedServer struct {
	h      host.Host
	rm     network.ResourceManager
	blocks map[cid.Cid][]byte
	cids   []cid.Cid
}

func newLimitedServer(t *testing.T, n int, tune func(*rcmgr.ScalingLimitConfig)) *limitedServer {
	t.Helper()
	limits := rcmgr.DefaultLimits
	libp2p.SetDefaultServiceLimits(&limits)
	media.AddLimits(&limits)
	if tune != nil {
		tune(&limits)
	}
	rm, err := rcmgr.NewResourceManager(rcmgr.NewFixedLimiter(limits.AutoScale()))
	if err != nil {
		t.Fatal(err)
	}
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"), libp2p.ResourceManager(rm))
	if err != nil {
		t.Fatal(err)
	}
	st := openStore(t)
	s := &limitedServer{h: h, rm: rm, blocks: make(map[cid.Cid][]byte)}
	for range n {
		data := randomBytes(media.LeafSize)
		sum, _ := mh.Sum(data, mh.SHA2_256, -1)
		blk, _ := blocks.NewBlockWithCid(data, cid.NewCidV1(cid.Raw, sum))
		if err := st.Blocks().Put(context.Background(), blk); err != nil {
			t.Fatal(err)
		}
		s.blocks[blk.Cid()] = data
		s.cids = append(s.cids, blk.Cid())
	}
	srv := media.NewServer(h, st.Blocks())
	t.Cleanup(func() {
		srv.Close()
		h.Close()
	})
	return s
}

// served is the memory and the streams of the service ServeService.
func (s *limitedServer) served(t *testing.T) network.ScopeStat {
	t.Helper()
	var stat network.ScopeStat
	if err := s.rm.ViewService(media.ServeService, func(sc network.ServiceScope) error {
		stat = sc.Stat()
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return stat
}

func newClient(t *testing.T, to host.Host) host.Host {
	t.Helper()
	h, err := libp2p.New(libp2p.NoListenAddrs, libp2p.ResourceManager(&network.NullResourceManager{}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	if err := h.Connect(context.Background(), peer.AddrInfo{ID: to.ID(), Addrs: to.Addrs()}); err != nil {
		t.Fatal(err)
	}
	return h
}

// want opens a blocks stream from h and asks for c on it.
func want(t *testing.T, h host.Host, to peer.ID, c cid.Cid) network.Stream {
	t.Helper()
	st, err := h.NewStream(context.Background(), to, media.BlocksProtocol)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Reset() })
	w, _ := proto.Marshal(&pb.BlockWant{Cids: [][]byte{c.Bytes()}})
	if _, err := st.Write(append(binary.AppendUvarint(nil, uint64(len(w))), w...)); err != nil {
		t.Fatal(err)
	}
	return st
}

// readBlock reads one answer from st: the block, or the error that ended
// the stream.
func readBlock(st network.Stream) ([]byte, error) {
	_ = st.SetReadDeadline(time.Now().Add(30 * time.Second))
	br := bufio.NewReader(st)
	n, err := binary.ReadUvarint(br)
	if err != nil {
		return nil, err
	}
	raw := make([]byte, n)
	if _, err := io.ReadFull(br, raw); err != nil {
		return nil, err
	}
	hdr, err := media.DecodeBlockHeader(raw)
	if err != nil {
		return nil, err
	}
	if hdr.Status != pb.BlockStatus_BLOCK_OK {
		return nil, errors.New(hdr.Status.String())
	}
	data := make([]byte, hdr.Size)
	_, err = io.ReadFull(br, data)
	return data, err
}

// pollFor waits until cond holds, up to 30 s.
func pollFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// A stream whose reader takes nothing holds one piece of the block, never
// the block, and loses its stream after the piece timeout, which frees it.
func TestStalledReaderHoldsOnePiece(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	defer media.SetPieceTimeout(500 * time.Millisecond)()
	srv := newLimitedServer(t, 2, nil)
	c := newClient(t, srv.h)
	stalled := []network.Stream{want(t, c, srv.h.ID(), srv.cids[0]), want(t, c, srv.h.ID(), srv.cids[1])}
	// Each stream reserved one piece from the service.
	pollFor(t, func() bool { return srv.served(t).Memory == 2*media.PieceSize }, "a piece per stalled stream")
	// The reader never came: the streams are reset and their memory freed.
	pollFor(t, func() bool { s := srv.served(t); return s.Memory == 0 && s.NumStreamsInbound == 0 }, "stalled streams reset")
	for _, st := range stalled {
		if data, err := readBlock(st); err == nil {
			t.Fatalf("a stalled stream got its block (%d bytes)", len(data))
		}
	}
	// Readers that read get their blocks.
	st := want(t, c, srv.h.ID(), srv.cids[1])
	if data, err := readBlock(st); err != nil || !bytes.Equal(data, srv.blocks[srv.cids[1]]) {
		t.Fatalf("block: %d bytes, %v", len(data), err)
	}
}

// One peer may have at most media.ServeStreamsPerPeer streams served at
// once; other peers are served meanwhile.
func TestServeStreamsPerPeer(t *testing.T) {
	srv := newLimitedServer(t, 1, nil)
	c := newClient(t, srv.h)
	for range media.ServeStreamsPerPeer {
		want(t, c, srv.h.ID(), srv.cids[0]) // stalled
	}
	pollFor(t, func() bool { return srv.served(t).NumStreamsInbound == media.ServeStreamsPerPeer }, "the peer's streams served")
	over := want(t, c, srv.h.ID(), srv.cids[0])
	var se *network.StreamError
	if _, err := readBlock(over); !errors.As(err, &se) {
		t.Fatalf("stream over the per-peer limit: %v, want a reset", err)
	}
	other := newClient(t, srv.h)
	if data, err := readBlock(want(t, other, srv.h.ID(), srv.cids[0])); err != nil || !bytes.Equal(data, srv.blocks[srv.cids[0]]) {
		t.Fatalf("another peer's block: %d bytes, %v", len(data), err)
	}
}

// Over the node-wide budget a stream waits for memory before it reads a
// block, and is served once another stream frees some.
func TestServeWaitsForBudget(t *testing.T) {
	// Room for a single piece.
	srv := newLimitedServer(t, 2, func(l *rcmgr.ScalingLimitConfig) {
		l.AddServiceLimit(media.ServeService, rcmgr.BaseLimit{
			StreamsInbound: 8, Streams: 8, Memory: media.PieceSize + media.PieceSize/2,
		}, rcmgr.BaseLimitIncrease{})
	})
	c := newClient(t, srv.h)
	first := want(t, c, srv.h.ID(), srv.cids[0])
	pollFor(t, func() bool { return srv.served(t).Memory == media.PieceSize }, "the first stream's piece")
	second := want(t, c, srv.h.ID(), srv.cids[1])
	pollFor(t, func() bool { return srv.served(t).NumStreamsInbound == 2 }, "the second stream")
	// The second has nothing to read while the first holds the budget.
	_ = second.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	var b [1]byte
	if n, err := second.Read(b[:]); n > 0 || !os.IsTimeout(err) {
		t.Fatalf("second stream read %d bytes, %v before there was memory for it", n, err)
	}
	if data, err := readBlock(first); err != nil || !bytes.Equal(data, srv.blocks[srv.cids[0]]) {
		t.Fatalf("first block: %d bytes, %v", len(data), err)
	}
	_ = first.Close()
	if data, err := readBlock(second); err != nil || !bytes.Equal(data, srv.blocks[srv.cids[1]]) {
		t.Fatalf("second block: %d bytes, %v", len(data), err)
	}
}

package streamset_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/protocol/streamset"
)

func TestCloseResetsAndWaits(t *testing.T) {
	a, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var set streamset.Set
	entered := make(chan struct{})
	returned := make(chan struct{})
	b.SetStreamHandler("/test/1", func(s network.Stream) {
		if !set.Add(s) {
			s.Reset()
			return
		}
		defer set.Done(s)
		close(entered)
		_, _ = io.Copy(io.Discard, s) // until the reset
		close(returned)
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.Connect(ctx, peer.AddrInfo{ID: b.ID(), Addrs: b.Addrs()}); err != nil {
		t.Fatal(err)
	}
	s, err := a.NewStream(ctx, b.ID(), "/test/1")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Reset()
	if _, err := s.Write([]byte{1}); err != nil { // make the handler run
		t.Fatal(err)
	}
	<-entered
	set.Close()
	select {
	case <-returned:
	default:
		t.Fatal("Close returned before the handler")
	}
	if set.Add(s) {
		t.Fatal("Add after Close succeeded")
	}
	set.Close() // again: no-op
}

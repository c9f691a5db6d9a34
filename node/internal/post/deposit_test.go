package post

import (
	"context"
	"net"
	"testing"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"

	"github.com/pigeon-net/pigeon/protocol/mailbox"
)

func loopbackHost(t *testing.T) host.Host {
	t.Helper()
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"), libp2p.DisableRelay())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// A relay listed first that accepts connections and then never answers
// (a hung process) does not hold up the deposit: the relays are dialled
// at once and the one that answers is used.
func TestReachableRelaysSkipsHungRelay(t *testing.T) {
	self, live := loopbackHost(t), loopbackHost(t)
	hung, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hung.Close() })
	go func() { // accept and say nothing
		for {
			c, err := hung.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	}()
	hungAddr, err := manet.FromNetAddr(hung.Addr())
	if err != nil {
		t.Fatal(err)
	}
	hungInfo := peer.AddrInfo{ID: loopbackHost(t).ID(), Addrs: []ma.Multiaddr{hungAddr}}
	liveInfo := peer.AddrInfo{ID: live.ID(), Addrs: live.Addrs()}

	// An attempt's deadline shorter than one connection timeout: dialled
	// one after the other, the hung relay would use all of it.
	ctx, cancel := context.WithTimeout(context.Background(), mailbox.StreamOpenTimeout/2)
	defer cancel()
	got := reachableRelays(ctx, self, []peer.AddrInfo{hungInfo, liveInfo}, 1)
	if len(got) != 1 || got[0].ID != live.ID() {
		t.Fatalf("reachable = %v, want only the live relay %s", got, live.ID())
	}
}

package groupcast_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/protocol/groupcast"
)

// Two members of a group: each host runs one Caster and joins the group's
// topic with a validator that accepts only the members' messages.
func Example() {
	listen := libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0")
	alice, _ := libp2p.New(listen)
	defer alice.Close()
	bob, _ := libp2p.New(listen)
	defer bob.Close()
	_ = bob.Connect(context.Background(), peer.AddrInfo{ID: alice.ID(), Addrs: alice.Addrs()})

	members := map[peer.ID]bool{alice.ID(): true, bob.ID(): true}
	onlyMembers := func(_ context.Context, from peer.ID, _ []byte) groupcast.Verdict {
		if members[from] {
			return groupcast.Accept
		}
		return groupcast.Reject
	}
	topic := groupcast.TopicFor([]byte("group id"), []byte("group secret"))

	ac, _ := groupcast.New(alice)
	defer ac.Close()
	bc, _ := groupcast.New(bob)
	defer bc.Close()
	ag, _ := ac.Join(topic, onlyMembers)
	bg, _ := bc.Join(topic, onlyMembers)

	// Publish succeeds even when the message reaches nobody: right after
	// Join the group's mesh is still forming (it does within a heartbeat,
	// a second), and a message published before that is lost. Real
	// senders number their messages and receivers repair gaps; here alice
	// simply sends numbered messages until bob has one.
	for n := 1; ; n++ {
		_ = ag.Publish(context.Background(), fmt.Appendf(nil, "%d:hello, group", n))
		select {
		case m := <-bg.Messages():
			_, text, _ := strings.Cut(string(m.Payload), ":")
			fmt.Println(text, m.From == alice.ID())
			return
		case <-time.After(300 * time.Millisecond):
		}
	}
	// Output: hello, group true
}

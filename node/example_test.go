package node_test

import (
	"context"
	"fmt"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
)

// Two nodes in one process: alice sends bob a message and learns it was
// delivered.
func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	alice, _ := node.New(node.WithInMemory())
	if err := alice.Start(ctx); err != nil {
		panic(err)
	}
	defer alice.Close()
	bob, _ := node.New(node.WithInMemory(), node.WithBootstrap(alice.Info().Addrs[0].String()))
	if err := bob.Start(ctx); err != nil {
		panic(err)
	}
	defer bob.Close()
	inbox := node.Subscribe[core.MessageReceived](bob)
	states := node.Subscribe[core.MessageStateChanged](alice)

	id, err := alice.Chats().Send(ctx, bob.Info().Account, "hello bob")
	for err != nil && ctx.Err() == nil { // until bob's device list is in the DHT
		time.Sleep(20 * time.Millisecond)
		id, err = alice.Chats().Send(ctx, bob.Info().Account, "hello bob")
	}
	fmt.Println("bob got:", (<-inbox.Events()).Message.Text)
	for ev := range states.Events() {
		if ev.ID == id && ev.State == core.Delivered {
			fmt.Println("alice sees:", ev.State)
			break
		}
	}
	// Output:
	// bob got: hello bob
	// alice sees: delivered
}

// A node on its own: Status says it serves the DHT but has no peers in it,
// and warns that contacts cannot be looked up until it has some.
func ExampleNode_Status() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	n, _ := node.New(node.WithInMemory())
	if err := n.Start(ctx); err != nil {
		panic(err)
	}
	defer n.Close()
	st, err := n.Status(ctx)
	if err != nil {
		panic(err)
	}
	fmt.Println("DHT:", st.DHT.Mode, st.DHT.RoutingTable)
	fmt.Println("pending:", st.PendingTotal)
	for _, w := range st.Warnings {
		fmt.Println("warning:", w)
	}
	// Output:
	// DHT: server 0
	// pending: 0
	// warning: no DHT peers: contacts cannot be looked up; start the daemon with --bootstrap ADDR or --relay ADDR, or add a relay
}

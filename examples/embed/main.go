// Command embed runs two Pigeon nodes inside one program: alice sends bob a
// message and both print what happens. It is the smallest complete use of
// the node package as a library.
package main

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
)

func start(ctx context.Context, opts ...node.Option) *node.Node {
	n, err := node.New(append(opts, node.WithInMemory())...)
	if err != nil {
		log.Fatal(err)
	}
	if err := n.Start(ctx); err != nil {
		log.Fatal(err)
	}
	return n
}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	alice := start(ctx)
	defer alice.Close()
	bob := start(ctx, node.WithBootstrap(alice.Info().Addrs[0].String()))
	defer bob.Close()

	inbox := node.Subscribe[core.MessageReceived](bob)
	states := node.Subscribe[core.MessageStateChanged](alice)

	// bob's device list needs a moment to reach the DHT.
	var id core.MessageID
	for {
		var err error
		if id, err = alice.Chats().Send(ctx, bob.Info().Account, "hello bob"); err == nil {
			break
		} else if ctx.Err() != nil {
			log.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	fmt.Println("bob got:", (<-inbox.Events()).Message.Text)
	for ev := range states.Events() {
		if ev.ID == id && ev.State == core.Delivered {
			fmt.Println("alice sees:", ev.State)
			return
		}
	}
}

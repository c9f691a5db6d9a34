package groups_test

import (
	"context"
	"fmt"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/groups"
)

// Two nodes in one process: alice makes a group with bob and writes to
// it.
func ExampleService() {
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
	changes := node.Subscribe[groups.Changed](bob)
	inbox := node.Subscribe[core.MessageReceived](bob)

	id, err := alice.Groups().Create(ctx, "climbing", "", groups.Settings{}, bob.Info().Account)
	for err != nil && ctx.Err() == nil { // until bob's device list is in the DHT
		time.Sleep(20 * time.Millisecond)
		id, err = alice.Groups().Create(ctx, "climbing", "", groups.Settings{}, bob.Info().Account)
	}
	for ev := range changes.Events() {
		if ev.Group == id && ev.Account == bob.Info().Account {
			fmt.Println("bob:", ev.Change)
			break
		}
	}
	if _, err := alice.Groups().Send(ctx, id, "saturday?"); err != nil {
		panic(err)
	}
	m := (<-inbox.Events()).Message
	info, _ := bob.Groups().Info(ctx, m.Chat.Group)
	fmt.Printf("bob got %q in %s\n", m.Text, info.Name)
	// Output:
	// bob: member_added
	// bob got "saturday?" in climbing
}

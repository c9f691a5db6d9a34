package presence_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/protocol/presence"
)

// Example runs a relay's hub, a device that announces itself to everyone
// and a contact that watches it.
func Example() {
	listen := libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0")
	relay, _ := libp2p.New(listen)
	defer relay.Close()
	hub, _ := presence.NewHub(relay, presence.WithHeartbeat(time.Second))
	defer hub.Close()

	// deviceCert makes an account with one device on h.
	deviceCert := func(h host.Host) (identity.AccountID, *pb.Signed) {
		a, _ := identity.NewAccount()
		key := append([]byte{0x05}, make([]byte, 32)...)
		_, _ = rand.Read(key[1:])
		cert, _ := a.IssueCertificate(1, h.ID(), key, time.Now())
		_ = h.Connect(context.Background(), peer.AddrInfo{ID: relay.ID(), Addrs: relay.Addrs()})
		return a.ID(), cert
	}

	alice, _ := libp2p.New(listen)
	defer alice.Close()
	aliceID, aliceCert := deviceCert(alice)
	bob, _ := libp2p.New(listen)
	defer bob.Close()
	_, bobCert := deviceCert(bob)

	// Bob watches Alice through the relay.
	watcher, _ := presence.NewClient(bob, relay.ID(), bobCert)
	defer watcher.Close()
	sub, _ := watcher.Subscribe([]identity.AccountID{aliceID})
	defer sub.Close()

	// Alice's node heartbeats to the relay, visible to everyone.
	device, _ := presence.NewClient(alice, relay.ID(), aliceCert,
		presence.WithPrivacy(presence.Privacy{Visibility: presence.Everyone}))
	for p := range sub.Updates() {
		if p.State == presence.Online {
			fmt.Println("alice is", p.State)
			break
		}
	}
	_ = device.Close()
	for p := range sub.Updates() {
		if p.State == presence.Offline {
			fmt.Println("alice is", p.State, "last seen", time.Since(p.LastSeen) < time.Minute)
			break
		}
	}
	// Output:
	// alice is online
	// alice is offline last seen true
}

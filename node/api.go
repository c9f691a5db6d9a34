package node

import (
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
)

// Info describes the running node.
type Info struct {
	Account core.AccountID
	Device  uint32
	PeerID  peer.ID
	Addrs   []ma.Multiaddr // full addresses including /p2p/<peer>
}

// Info returns the node's identity and listen addresses; it is the zero
// Info before Start.
func (n *Node) Info() Info {
	if n.ready() != nil {
		return Info{}
	}
	addrs, _ := peer.AddrInfoToP2pAddrs(&peer.AddrInfo{ID: n.host.ID(), Addrs: n.host.Addrs()})
	return Info{Account: rt.CoreAccount(n.self), Device: n.device, PeerID: n.host.ID(), Addrs: addrs}
}

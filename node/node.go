// Package node is the embeddable Pigeon node: New(opts...), Start(ctx),
// Close(). It wires the libp2p host, DHT, storage and protocols together.
package node

// Node is a running Pigeon node.
type Node struct {
	bus *bus
}

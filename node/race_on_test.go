//go:build race

package node_test

// raceEnabled: the race detector slows everything several times over.
const raceEnabled = true

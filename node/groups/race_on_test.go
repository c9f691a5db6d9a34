//go:build race

package groups_test

// raceEnabled: the race detector slows everything several times over.
const raceEnabled = true

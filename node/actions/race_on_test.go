//go:build race

package actions

// raceOn: the race detector slows Badger about tenfold; the property test
// runs fewer seeds under it (all 1,000 without).
const raceOn = true

//go:build !race

package actions

const raceOn = false

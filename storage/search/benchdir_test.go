package search

import (
	"os"
	"testing"
)

var bigDir string

func tempDirForBench() (string, error) {
	d, err := os.MkdirTemp("", "search-bench-*")
	bigDir = d
	return d, err
}

// TestMain removes the 1M corpus built by BenchmarkQueryNewest1M: it
// outlives any one benchmark run (b.TempDir would not).
func TestMain(m *testing.M) {
	code := m.Run()
	if big.ix != nil {
		big.ix.Close()
	}
	if big.s != nil {
		big.s.Close()
	}
	if bigDir != "" {
		os.RemoveAll(bigDir)
	}
	os.Exit(code)
}

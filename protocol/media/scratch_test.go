package media_test

import (
	"os"
	"runtime/pprof"
	"testing"
)

func TestScratchProfile(t *testing.T) {
	if os.Getenv("SCRATCH") == "" {
		t.Skip()
	}
	a, c := newPeer(t), newPeer(t)
	connect(t, c, a)
	m := importPseudo(t, a.st, 64<<20, 1)
	fetchTime(t, a, c, m)
	f, _ := os.Create("/tmp/fetch.prof")
	pprof.StartCPUProfile(f)
	for i := 0; i < 8; i++ {
		fetchTime(t, a, c, m)
	}
	pprof.StopCPUProfile()
	f.Close()
}

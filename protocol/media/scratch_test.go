package media_test

import (
	"os"
	"syscall"
	"testing"
	"time"
)

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestScratchCPU(t *testing.T) {
	if os.Getenv("SCRATCH") == "" {
		t.Skip()
	}
	a, c := newPeer(t), newPeer(t)
	connect(t, c, a)
	m := importPseudo(t, a.st, 64<<20, 1)
	for i := 0; i < 6; i++ {
		c0 := cpuTime()
		d := rawTransfer(t, a.h, c.h, 64<<20)
		c1 := cpuTime()
		emptyStore(t, c.st)
		c2 := cpuTime()
		e := fetchTime(t, a, c, m)
		c3 := cpuTime()
		t.Logf("raw %v cpu %v | fetch %v cpu %v", d, c1-c0, e, c3-c2)
	}
}

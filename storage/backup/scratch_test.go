package backup

import (
	"fmt"
	"os"
	"testing"
)

func BenchmarkScratchStage(b *testing.B) {
	data := randomBytes(1, 320<<10)
	for i := range b.N {
		d, _ := NewDir(b.TempDir())
		sink := newChunkSink(d)
		if os.Getenv("XPUT") == "1" {
			sink = &chunkSink{t: d}
		}
		for j := range 800 {
			if err := sink.put(bg, fmt.Sprintf("data/%08d%08d", i, j), data); err != nil {
				b.Fatal(err)
			}
		}
		if err := sink.close(); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(800 * 320 << 10)
}

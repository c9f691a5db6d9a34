package push

import (
	"strconv"
	"sync"
	"testing"
	"time"
)

// BenchmarkNotify measures Notify for a burst of deposits to 1,000 devices
// (the coalesced path: no push leaves inside the window), against a baseline
// of the least a coalescing queue must do: a mutex-guarded map update.
// Reports ns/op of both and their ratio.
func BenchmarkNotify(b *testing.B) {
	eps := make([]Endpoint, 1000)
	keys := make([]string, len(eps))
	for i := range eps {
		eps[i] = Endpoint{Kind: UnifiedPush, URL: "https://push.example.org/up/" + strconv.Itoa(i)}
		keys[i] = "dev-" + strconv.Itoa(i)
	}

	var mu sync.Mutex
	m := map[string]Endpoint{}
	start := time.Now()
	for i := range b.N {
		mu.Lock()
		m[keys[i%len(keys)]] = eps[i%len(eps)]
		mu.Unlock()
	}
	base := float64(time.Since(start).Nanoseconds()) / float64(b.N)

	d, err := New(Config{CoalesceWindow: time.Hour}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	b.ResetTimer()
	for i := range b.N {
		if err := d.Notify(eps[i%len(eps)], keys[i%len(keys)]); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(base, "baseline-ns/op")
	b.ReportMetric(ns/base, "x-baseline")
}

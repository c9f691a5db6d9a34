package presence

import (
	"crypto/rand"
	"runtime"
	"testing"
	"time"
	"unsafe"

	"github.com/pigeon-net/pigeon/protocol/identity"
)

// heapBytes returns the live heap after a full collection.
func heapBytes() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkMemoryPerAccount measures the hub's memory per tracked account at
// 10,000 accounts (each announced once by a device that then left, so the
// entry holds a last-seen time and an EVERYONE setting) against a bare
// map[identity.AccountID]int64 of the same size, built the same way in the
// same run.
func BenchmarkMemoryPerAccount(b *testing.B) {
	const n = 10_000
	accounts := make([]identity.AccountID, n)
	for i := range accounts {
		_, _ = rand.Read(accounts[i][:])
	}
	now := time.Now().UnixMilli()
	cfg, err := newHubConfig([]HubOption{WithLastSeenBudget(1 << 40)})
	if err != nil {
		b.Fatal(err)
	}
	var hubBytes, mapBytes float64
	for b.Loop() {
		before := heapBytes()
		hub := newHub(nil, cfg)
		for _, a := range accounts {
			s := &session{hub: hub, account: a}
			s.lastFrame.Store(now)
			hub.announce(s, Privacy{Visibility: Everyone}, 0)
			hub.leave(s, true, 0)
		}
		after := heapBytes()
		runtime.KeepAlive(hub)
		hubBytes += float64(after - before)

		before = heapBytes()
		base := make(map[identity.AccountID]int64)
		for _, a := range accounts {
			base[a] = now
		}
		after = heapBytes()
		runtime.KeepAlive(base)
		mapBytes += float64(after - before)
	}
	hubPer := hubBytes / float64(b.N) / n
	mapPer := mapBytes / float64(b.N) / n
	b.ReportMetric(hubPer, "B/account")
	b.ReportMetric(mapPer, "baseline-B/account")
	b.ReportMetric(hubPer/mapPer, "x-baseline")
	b.ReportMetric(float64(unsafe.Sizeof(session{})), "B/stream-session")
}

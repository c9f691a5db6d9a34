package node_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/pigeon-net/pigeon/node/backup"
	"github.com/pigeon-net/pigeon/node/nodetest"
)

// BenchmarkBackupIncremental measures what a day's backup uploads: an
// account of 20,000 texts (1:1 texts held with their account-log
// operations, and group texts sent through the group) is backed up in
// full to a folder, then 1% new texts are added and it is backed up
// again, then once more unchanged (each iteration adds 1% more). It
// reports the largest incremental upload as a share of the full one's
// (incr/full; target ≤ 0.03) and the
// unchanged run's upload (unchanged-B; target ≤ 64 KiB), measured in
// the same run.
func BenchmarkBackupIncremental(b *testing.B) {
	const (
		direct = 19_800
		group  = 200
	)
	ctx := context.Background()
	nw, gid := nodetest.NewGroup(b, 2)
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	bobID := bob.Info().Account
	if err := alice.HoldReceivedTexts(ctx, bobID, direct, 200); err != nil {
		b.Fatal(err)
	}
	sendGroup := func(n int, tag string) {
		have := len(nodetest.GroupHistory(b, alice, gid))
		for i := range n {
			if _, err := bob.Groups().Send(ctx, gid, fmt.Sprintf("%s group text %d", tag, i)); err != nil {
				b.Fatal(err)
			}
		}
		nodetest.Eventually(b, nodetest.Wait, func() bool { return len(nodetest.GroupHistory(b, alice, gid)) >= have+n }, "alice has bob's group texts")
	}
	sendGroup(group, "first")
	bk := alice.Backup()
	if _, err := bk.Setup(ctx, backup.SetupOptions{To: b.TempDir(), Passphrase: "a long enough passphrase"}); err != nil {
		b.Fatal(err)
	}
	full, err := bk.Now(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}

	var (
		incr, same backup.Result
		worst      float64 // the largest incremental upload, of a full one
	)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		// 1% of the account, new.
		if err := alice.HoldReceivedTexts(ctx, bobID, direct/100, 200); err != nil {
			b.Fatal(err)
		}
		sendGroup(group/100, fmt.Sprint("run ", i))
		b.StartTimer()
		if incr, err = bk.Now(ctx, nil); err != nil {
			b.Fatal(err)
		}
		if same, err = bk.Now(ctx, nil); err != nil {
			b.Fatal(err)
		}
		worst = max(worst, float64(incr.Stats.Uploaded)/float64(full.Stats.Uploaded))
		b.Logf("1%% more: %+v; unchanged: %+v", incr.Stats, same.Stats)
	}
	b.StopTimer()
	b.ReportMetric(float64(full.Stats.Uploaded), "full-B")
	b.ReportMetric(float64(incr.Stats.Uploaded), "incr-B")
	b.ReportMetric(worst, "incr/full")
	b.ReportMetric(float64(same.Stats.Uploaded), "unchanged-B")
	b.ReportMetric(0, "ns/op")
	b.Logf("full: %+v", full.Stats)
}

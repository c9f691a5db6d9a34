package node_test

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/pigeon-net/pigeon/node/backup"
	"github.com/pigeon-net/pigeon/node/nodetest"
)

// TestBackupCancelledLeavesNoWriter: a backup cancelled while it reads
// the account log returns only once the goroutine writing the log into
// it has returned.
func TestBackupCancelledLeavesNoWriter(t *testing.T) {
	nw := nodetest.New(t, 2)
	alice, bobID := nw.Nodes[0], nw.Nodes[1].Info().Account
	if err := alice.HoldReceivedTexts(context.Background(), bobID, 10_000, 500); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.Backup().Setup(context.Background(), backup.SetupOptions{To: t.TempDir(), Passphrase: "a long enough passphrase"}); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		ctx, cancel := context.WithCancel(context.Background())
		_, err := alice.Backup().Now(ctx, func(p backup.Progress) {
			if p.BytesDone > 0 {
				cancel()
			}
		})
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("a cancelled backup: %v", err)
		}
		buf := make([]byte, 1<<20)
		if stacks := string(buf[:runtime.Stack(buf, true)]); strings.Contains(stacks, "backup.(*Service).writeOps") {
			t.Fatalf("the account log's writer outlived the backup:\n%s", stacks)
		}
	}
}

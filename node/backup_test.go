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
// the account log leaves no goroutine of its own behind (the log's
// writer into a pipe outlived it once).
func TestBackupCancelledLeavesNoWriter(t *testing.T) {
	nw := nodetest.New(t, 2)
	alice, bobID := nw.Nodes[0], nw.Nodes[1].Info().Account
	if err := alice.HoldReceivedTexts(context.Background(), bobID, 10_000, 500); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.Backup().Setup(context.Background(), backup.SetupOptions{To: t.TempDir(), Passphrase: "a long enough passphrase"}); err != nil {
		t.Fatal(err)
	}
	// The schedule backs up at once after Setup: let it finish, so that
	// only the backups below run.
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		st, err := alice.Backup().Status(context.Background())
		return err == nil && st.LastSnapshot != ""
	}, "the scheduled first backup")
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
		buf := make([]byte, 4<<20)
		for _, g := range strings.Split(string(buf[:runtime.Stack(buf, true)]), "\n\n") {
			if strings.Contains(g, "pigeon/node/backup.") && !strings.Contains(g, "backup.(*Service).Run(") {
				t.Fatalf("a goroutine of the backup outlived it:\n%s", g)
			}
		}
	}
}

package badger_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

const (
	crashEnv     = "PIGEON_BADGER_CRASH_DIR"
	crashKillAt  = 300    // the child kills itself once this many commits are reported
	crashMaxMsgs = 100000 // upper bound; the kill comes long before
)

func crashMessage(i int) storage.Message {
	at := time.UnixMilli(1_700_000_000_000)
	m := storage.Message{
		ID: idAt(at), Peer: acct(byte(i % 3)), Direction: storage.Incoming, State: storage.Received,
		Text: fmt.Sprintf("message %d", i), SentAt: at, StoredAt: at,
	}
	m.ID[6], m.ID[7] = 0, 0 // deterministic: time, then i
	binary.BigEndian.PutUint64(m.ID[8:], uint64(i))
	m.Sender = m.Peer
	return m
}

// TestCrashChild is the child half of TestCrashDurability: it commits
// messages, reports each commit on stdout, and SIGKILLs itself while the
// writer is still committing.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashEnv)
	if dir == "" {
		t.Skip("only runs as the child of TestCrashDurability")
	}
	s, err := badger.Open(badger.Options{Dir: dir, SyncWrites: false})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	reached := make(chan struct{})
	go func() {
		for i := range crashMaxMsgs {
			if err := s.InsertMessage(context.Background(), crashMessage(i)); err != nil {
				fmt.Println("insert:", err)
				os.Exit(2)
			}
			// One write per line: the parent sees a count only after its
			// commit returned.
			os.Stdout.WriteString(strconv.Itoa(i+1) + "\n")
			if i+1 == crashKillAt {
				close(reached)
			}
		}
	}()
	<-reached
	syscall.Kill(os.Getpid(), syscall.SIGKILL)
	select {} // not reached
}

// TestCrashDurability proves that a commit survives kill -9 of the process
// without fsync (SyncWrites=false): every message the child reported as
// committed is present after reopening.
func TestCrashDurability(t *testing.T) {
	if os.Getenv(crashEnv) != "" {
		t.Skip("in the child")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("child did not die: %v\nstdout: %s\nstderr: %s", err, out, stderr.Bytes())
	}
	if ws, ok := exit.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child exited with %v, want SIGKILL\nstdout: %s\nstderr: %s", err, out, stderr.Bytes())
	}
	committed := 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		n, err := strconv.Atoi(sc.Text())
		if err != nil {
			continue // a line cut by the kill, or test framework output
		}
		if n != committed+1 {
			t.Fatalf("child reported %d after %d", n, committed)
		}
		committed = n
	}
	if committed < crashKillAt {
		t.Fatalf("child reported only %d commits\nstderr: %s", committed, stderr.Bytes())
	}
	s := openDir(t, dir)
	defer s.Close()
	ctx := context.Background()
	for i := range committed {
		want := crashMessage(i)
		got, err := s.Message(ctx, want.ID)
		if err != nil {
			t.Fatalf("message %d of %d reported committed is lost: %v", i+1, committed, err)
		}
		if got.Text != want.Text {
			t.Fatalf("message %d: text %q", i, got.Text)
		}
	}
	// Summaries were committed with the messages: unread counts cover at
	// least every reported message.
	convs, err := s.Conversations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, c := range convs {
		total += c.Unread
	}
	if total < committed {
		t.Fatalf("unread total %d < %d committed", total, committed)
	}
	t.Logf("child committed %d messages before SIGKILL (%d recovered unread)", committed, total)
}

package mailboxstore_test

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/storage/mailboxstore"
)

const (
	crashEnv     = "PIGEON_MAILBOX_CRASH_DIR"
	crashKillAt  = 400 // the child kills itself once this many receipts are printed
	crashWriters = 8
)

var crashBox = box(42, 1)

// TestCrashChild is the child half of TestCrashCustody: concurrent writers
// deposit with durable custody and print each deposit ID after Deposit
// returned (the moment the relay would send the receipt); the child then
// SIGKILLs itself while the writers are still depositing.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashEnv)
	if dir == "" {
		t.Skip("only runs as the child of TestCrashCustody")
	}
	s, err := mailboxstore.Open(mailboxstore.Options{Dir: dir})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	if err := s.Register(ctx, mailbox.Registration{Box: crashBox, PeerID: peerID(t), Sequence: 1, ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		fmt.Println("register:", err)
		os.Exit(2)
	}
	var mu sync.Mutex // guards stdout lines and printed
	printed := 0
	reached := make(chan struct{})
	for w := range crashWriters {
		go func() {
			for i := 0; ; i++ {
				id := did(w<<12 | i)
				if _, err := s.Deposit(ctx, mailbox.NewDeposit{Box: crashBox, ID: id, Envelope: env(i, 200)}, bigQuota); err != nil {
					fmt.Println("deposit:", err)
					os.Exit(2)
				}
				mu.Lock()
				os.Stdout.WriteString(hex.EncodeToString(id[:]) + "\n")
				printed++
				if printed == crashKillAt {
					close(reached)
				}
				mu.Unlock()
			}
		}()
	}
	<-reached
	syscall.Kill(os.Getpid(), syscall.SIGKILL)
	select {}
}

// TestCrashCustody proves durable custody: every deposit whose receipt
// could have been sent before a SIGKILL is in the store after reopening.
func TestCrashCustody(t *testing.T) {
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
	var receipted []mailbox.DepositID
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		b, err := hex.DecodeString(sc.Text())
		if err != nil || len(b) != 16 {
			continue // a line cut by the kill, or test framework output
		}
		var id mailbox.DepositID
		copy(id[:], b)
		receipted = append(receipted, id)
	}
	if len(receipted) < crashKillAt {
		t.Fatalf("child reported only %d receipts\nstdout: %s\nstderr: %s", len(receipted), out, stderr.Bytes())
	}
	s := open(t, mailboxstore.Options{Dir: dir})
	stored := map[mailbox.DepositID]bool{}
	after := uint64(0)
	for {
		items, more, err := s.Fetch(ctx, crashBox, after, 1000, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if stored[it.ID] {
				t.Fatalf("deposit %x stored twice", it.ID)
			}
			stored[it.ID] = true
			after = it.Seq
		}
		if !more {
			break
		}
	}
	for _, id := range receipted {
		if !stored[id] {
			t.Fatalf("receipted deposit %x lost (%d receipted, %d stored)", id, len(receipted), len(stored))
		}
	}
	t.Logf("%d deposits receipted before SIGKILL, %d stored after reopen", len(receipted), len(stored))
}

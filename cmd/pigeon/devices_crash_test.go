package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node/localapi"
)

// The existing device of TestLinkTransferKill9 holds linkCrashMessages
// short texts and bigMessages of bigText bytes: a history transfer of
// many batches, and more bytes than the connection carries ahead of the
// new device's reads (the stream muxers' windows and the socket buffers),
// so the existing device is still sending when it dies.
const (
	linkCrashMessages = 3000
	bigMessages       = 4000
	bigText           = 6 << 10
)

var historyLine = regexp.MustCompile(`history: (\d+) of (\d+)`)

// TestLinkTransferKill9 kills each side of a history transfer with
// SIGKILL while it runs. First the new device: `pigeon init --link` is
// killed once it reports part of the history, and its daemon, started on
// the same home, resumes and ends with the existing device's state hash
// and every message once. Then the existing device: its daemon is killed
// while another new device transfers, and once it is restarted the new
// device's daemon completes the history.
func TestLinkTransferKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs several daemons")
	}
	bin := pigeonBinary(t)
	a := startDaemonAt(t, bin, filepath.Join(t.TempDir(), "alice"), "alice")
	boot := bootstrapArgs(t, a)
	c := startDaemonAt(t, bin, filepath.Join(t.TempDir(), "carol"), "carol", boot...)
	apiA, apiC := newAPIClient(t, a), newAPIClient(t, c)
	carol := apiC.info(t).Account
	pigeon(t, bin, a.home, "contacts", "add", carol, "carol")
	deadline := time.Now().Add(e2eTimeout)
	for {
		_, stderr, code := pigeonExit(t, bin, a.home, "send", carol, "warm-up")
		if code == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("send to carol never succeeded: exit %d: %s", code, stderr)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err := sendMany(apiA, carol, "history", 0, linkCrashMessages-1, 4); err != nil {
		t.Fatal(err)
	}
	if err := sendMany(apiA, carol, "big", bigText, bigMessages, 4); err != nil {
		t.Fatal(err)
	}
	if n := len(allHistory(t, apiA, carol)); n != linkCrashMessages+bigMessages {
		t.Fatalf("alice holds %d messages, want %d", n, linkCrashMessages+bigMessages)
	}
	// Carol goes away: alice's restarted daemon has no deliveries to her
	// under way when it stops (they made its shutdown slow on a loaded
	// machine), and the transfers have the machine to themselves.
	if err := c.stop(t); err != nil {
		t.Fatalf("carol's daemon: %v", err)
	}

	// The new device dies during its transfer; its daemon resumes it.
	homeB := filepath.Join(t.TempDir(), "laptop")
	initB := linkHome(t, bin, a.home, homeB, "laptop")
	killMidTransfer(t, initB)
	b := startDaemonAt(t, bin, homeB, "laptop", boot...)
	sameAccountState(t, "the laptop after its kill", newAPIClient(t, b), apiA, carol)
	if err := b.stop(t); err != nil {
		t.Fatalf("laptop daemon: %v", err)
	}

	// The existing device dies during the next device's transfer; once it
	// is back, the new device's daemon gets the rest from it.
	homeD := filepath.Join(t.TempDir(), "tablet")
	initD := linkHome(t, bin, a.home, homeD, "tablet")
	waitPartial(t, initD)
	a.kill(t)
	if err := initD.wait(t); err != nil {
		t.Fatalf("init --link after the existing device died: %v", err)
	}
	if out := initD.stderr.String(); strings.Contains(out, "history transferred") || !strings.Contains(out, "the daemon continues it") {
		t.Fatalf("init --link does not say the transfer stopped: %q", out)
	}
	a = startDaemonAt(t, bin, a.home, "alice-restarted")
	d := startDaemonAt(t, bin, homeD, "tablet", bootstrapArgs(t, a)...)
	sameAccountState(t, "the tablet after alice's kill", newAPIClient(t, d), newAPIClient(t, a), carol)
}

// linkHome links a new device on home to the account of the daemon on
// existing with the CLI, as TestDevicesLinkE2E does, and returns the init
// --link process once the link is confirmed (its history transfer runs).
func linkHome(t *testing.T, bin, existing, home, name string) *running {
	t.Helper()
	link := startPigeon(t, bin, existing, "devices", "link")
	code := link.waitMatch(t, link.stdout, regexp.MustCompile(`(?m)^(pigeon-link:\S+)$`), "the link code")[1]
	init := startPigeon(t, bin, home, "init", "--link", code, "--name", name)
	onNew := init.waitMatch(t, init.stderr, sasLine, "the new device's confirmation code")[1]
	if onOld := link.waitMatch(t, link.stderr, sasLine, "the confirmation code")[1]; onOld != onNew {
		t.Fatalf("confirmation codes differ: %s and %s", onOld, onNew)
	}
	if _, err := link.stdin.Write([]byte("y\n")); err != nil {
		t.Fatal(err)
	}
	if err := link.wait(t); err != nil {
		t.Fatalf("devices link: %v", err)
	}
	return init
}

// waitPartial polls init --link's output (r) until it reports part of
// its history transfer (its first line comes after the first batch), and
// fails if the transfer ended first.
func waitPartial(t *testing.T, r *running) {
	t.Helper()
	deadline := time.Now().Add(e2eTimeout)
	for {
		if m := historyLine.FindStringSubmatch(r.stderr.String()); m != nil {
			if m[1] == m[2] {
				t.Fatalf("the history transfer ended (%s operations) at its first report: hold more messages", m[2])
			}
			return
		}
		select {
		case <-r.exited:
			t.Fatalf("init --link exited (%v) before its history transfer", r.err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting for the history transfer")
		}
		time.Sleep(time.Millisecond)
	}
}

// killMidTransfer kills init --link (r) with SIGKILL as soon as it
// reports part of its history transfer, and checks it had not finished.
func killMidTransfer(t *testing.T, r *running) {
	t.Helper()
	waitPartial(t, r)
	if err := r.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-r.exited // its output is all read by now
	if strings.Contains(r.stderr.String(), "history transferred") {
		t.Fatal("the history transfer ended before the kill: hold more messages")
	}
}

// sameAccountState waits until the new device shows the existing device's
// state hash, then checks it holds every message with peer once.
func sameAccountState(t *testing.T, what string, newDev, existing *apiClient, peer string) {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(2 * e2eTimeout)
	var hn, he string
	for {
		var dn, de localapi.Devices
		errN := newDev.do(ctx, http.MethodGet, "/v1/devices", nil, &dn)
		errE := existing.do(ctx, http.MethodGet, "/v1/devices", nil, &de)
		hn, he = dn.StateHash, de.StateHash
		if errN == nil && errE == nil && hn != "" && hn == he {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: state hash %s, the existing device's %s (%v, %v)", what, hn, he, errN, errE)
		}
		time.Sleep(100 * time.Millisecond)
	}
	want := allHistory(t, existing, peer)
	got := allHistory(t, newDev, peer)
	seen := make(map[string]bool, len(got))
	for _, m := range got {
		if seen[m.ID] {
			t.Fatalf("%s: message %s twice", what, m.ID)
		}
		seen[m.ID] = true
	}
	if len(got) != len(want) {
		t.Fatalf("%s: %d messages, the existing device has %d", what, len(got), len(want))
	}
	for _, m := range want {
		if !seen[m.ID] {
			t.Fatalf("%s: message %s (%q) missing", what, m.ID, m.Text)
		}
	}
}

// allHistory returns every message of the conversation with peer, oldest
// first, a page at a time.
func allHistory(t *testing.T, c *apiClient, peer string) []localapi.Message {
	t.Helper()
	var all []localapi.Message
	before := ""
	for {
		path := "/v1/conversations/" + url.PathEscape(peer) + "/messages?limit=1000"
		if before != "" {
			path += "&before=" + before
		}
		var page []localapi.Message
		if err := c.do(context.Background(), http.MethodGet, path, nil, &page); err != nil {
			t.Fatal(err)
		}
		all = append(page, all...)
		if len(page) < 1000 {
			return all
		}
		before = page[0].ID
	}
}

// sendMany sends n texts to peer through c's API on workers goroutines,
// each its number after prefix, padded to size bytes.
func sendMany(c *apiClient, peer, prefix string, size, n, workers int) error {
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				text := prefix + " " + strconv.Itoa(i)
				text += strings.Repeat(".", max(size-len(text), 0))
				req := localapi.SendRequest{To: peer, Text: text}
				if err := c.do(context.Background(), http.MethodPost, "/v1/messages", req, nil); err != nil {
					errs <- fmt.Errorf("send message %d: %w", i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}

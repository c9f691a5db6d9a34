package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node/localapi"
)

// crashBatch is how many messages each phase of TestKill9NoLossNoDuplicates
// sends, and crashAfter how many must be accepted before the kill.
const (
	crashBatch = 60
	crashAfter = 20
)

// TestKill9NoLossNoDuplicates kills a daemon with SIGKILL in the middle of a
// burst of messages, first the recipient and then the sender, restarts it on
// the same home and checks that every message the sender's API accepted
// reaches the recipient exactly once.
func TestKill9NoLossNoDuplicates(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs two daemons")
	}
	bin := pigeonBinary(t)
	homeA := filepath.Join(t.TempDir(), "a")
	homeB := filepath.Join(t.TempDir(), "b")

	a := startDaemonAt(t, bin, homeA, "a")
	bootA := bootstrapArgs(t, a)
	b := startDaemonAt(t, bin, homeB, "b", bootA...)
	apiA, apiB := newAPIClient(t, a), newAPIClient(t, b)
	idA, idB := apiA.info(t).Account, apiB.info(t).Account

	pigeon(t, bin, homeA, "contacts", "add", idB, "Bob")
	// The first send may fail until A can find B's device list.
	var warmup string
	deadline := time.Now().Add(e2eTimeout)
	for {
		stdout, stderr, code := pigeonExit(t, bin, homeA, "send", idB, "warm-up")
		if code == 0 {
			warmup = strings.TrimSpace(stdout)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("send to B never succeeded: exit %d: %s", code, stderr)
		}
		time.Sleep(100 * time.Millisecond)
	}
	want := []string{warmup}

	// Phase 1: B dies while A is sending to it.
	sent, stopped := sendBurst(apiA, idB, "p1", crashBatch, crashAfter)
	if err := sent.waitAccepted(crashAfter); err != nil {
		t.Fatalf("phase 1: %v", err)
	}
	logUndelivered(t, "phase 1", apiA, idB, sent)
	b.kill(t)
	b = startDaemonAt(t, bin, homeB, "b-restarted", bootA...)
	apiB = newAPIClient(t, b)
	<-stopped
	ids, err := sent.result()
	if err != nil {
		t.Fatalf("phase 1: A's API failed while A was up: %v", err)
	}
	if len(ids) != crashBatch {
		t.Fatalf("phase 1: A accepted %d messages, want %d", len(ids), crashBatch)
	}
	want = append(want, ids...)
	waitDelivered(t, "phase 1", apiA, idB, want)
	checkExactlyOnce(t, "phase 1", apiB, idA, want)

	// Phase 2: A dies while its API is accepting messages for B.
	a, _, want = senderCrash(t, bin, "phase 2", a, b, apiB, idA, idB, want)

	// Phase 3: as phase 2, but B is frozen (SIGSTOP) until A is dead, so
	// every accepted message is still unacknowledged at the kill, and those
	// A had already written to the stream reach B after A died; restarted,
	// A sends them again.
	if err := b.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.cmd.Process.Signal(syscall.SIGCONT) }) // runs before b's stop
	_, _, _ = senderCrash(t, bin, "phase 3", a, b, apiB, idA, idB, want)
}

// senderCrash sends a burst from a to b, kills a with SIGKILL once
// crashAfter messages are accepted, restarts it (resuming b first if it is
// stopped) and checks that b gets every accepted message exactly once. It
// returns the restarted daemon, its client and want extended by the
// messages this burst delivered.
func senderCrash(t *testing.T, bin, phase string, a, b *daemon, apiB *apiClient, idA, idB string, want []string) (*daemon, *apiClient, []string) {
	t.Helper()
	apiA := newAPIClient(t, a)
	sent, stopped := sendBurst(apiA, idB, phase, crashBatch, crashAfter)
	if err := sent.waitAccepted(crashAfter); err != nil {
		t.Fatalf("%s: %v", phase, err)
	}
	logUndelivered(t, phase, apiA, idB, sent)
	a.kill(t)
	<-stopped
	ids, _ := sent.result() // the request in flight at the kill fails
	if len(ids) < crashAfter {
		t.Fatalf("%s: only %d accepted before the kill", phase, len(ids))
	}
	t.Logf("%s: A accepted %d of %d messages before SIGKILL", phase, len(ids), crashBatch)
	want = append(slices.Clone(want), ids...)
	if err := b.cmd.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	a = startDaemonAt(t, bin, a.home, phase+"-a-restarted", bootstrapArgs(t, b)...)
	apiA = newAPIClient(t, a)
	waitDelivered(t, phase, apiA, idB, want)
	// A request in flight at the kill may have been stored without its
	// response reaching us; such a message must be delivered too, and once.
	var extra []string
	for _, m := range apiA.history(t, idB) {
		if !slices.Contains(want, m.ID) {
			extra = append(extra, m.ID)
		}
	}
	if len(extra) > 1 { // the burst sends one request at a time
		t.Fatalf("%s: A holds %d messages nobody sent: %v", phase, len(extra), extra)
	}
	if len(extra) > 0 {
		want = append(want, extra...)
		waitDelivered(t, phase+" in-flight message", apiA, idB, want)
	}
	checkExactlyOnce(t, phase, apiB, idA, want)
	return a, apiA, want
}

// startDaemonAt starts `pigeon daemon` on home, which may hold a previous
// run's state; stale api.addr and addrs files left by a killed daemon are
// removed first so waiting for them waits for this run.
func startDaemonAt(t *testing.T, bin, home, name string, args ...string) *daemon {
	t.Helper()
	os.Remove(filepath.Join(home, addrFile))
	os.Remove(filepath.Join(home, addrsFile))
	d := launchDaemon(t, bin, home, name, "debug", args...)
	d.waitFile(t, addrsFile)
	d.waitFile(t, addrFile)
	return d
}

// kill sends SIGKILL and waits for the process to exit.
func (d *daemon) kill(t *testing.T) {
	t.Helper()
	if err := d.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("kill daemon in %s: %v", d.home, err)
	}
	select {
	case <-d.exited:
	case <-time.After(e2eTimeout):
		t.Fatalf("daemon in %s still running after SIGKILL", d.home)
	}
}

// bootstrapArgs returns --bootstrap flags for every address of d.
func bootstrapArgs(t *testing.T, d *daemon) []string {
	t.Helper()
	var args []string
	for _, ma := range strings.Fields(d.waitFile(t, addrsFile)) {
		args = append(args, "--bootstrap", ma)
	}
	if len(args) == 0 {
		t.Fatalf("daemon in %s wrote no addresses", d.home)
	}
	return args
}

// apiClient calls a daemon's local API directly.
type apiClient struct {
	base  string // http://host:port
	token string
	http  *http.Client
}

func newAPIClient(t testing.TB, d *daemon) *apiClient {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(d.home, addrFile))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := localapi.ReadToken(d.home)
	if err != nil {
		t.Fatal(err)
	}
	return &apiClient{
		base:  "http://" + strings.TrimSpace(string(b)),
		token: tok,
		http:  &http.Client{Timeout: requestTimeout},
	}
}

// do sends a request with an optional JSON body and decodes a 2xx JSON
// response into out (if not nil).
func (c *apiClient) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, b)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(b, out)
}

func (c *apiClient) info(t testing.TB) localapi.Info {
	t.Helper()
	var info localapi.Info
	if err := c.do(context.Background(), http.MethodGet, "/v1/info", nil, &info); err != nil {
		t.Fatal(err)
	}
	return info
}

func (c *apiClient) history(t testing.TB, peer string) []localapi.Message {
	t.Helper()
	var ms []localapi.Message
	if err := c.do(context.Background(), http.MethodGet, "/v1/conversations/"+url.PathEscape(peer)+"/messages?limit=1000", nil, &ms); err != nil {
		t.Fatal(err)
	}
	return ms
}

// burst records the IDs of the messages a sendBurst goroutine got a 201
// for.
type burst struct {
	mu       sync.Mutex
	ids      []string
	err      error // the first failed request; the goroutine stops there
	accepted chan struct{}
	done     chan struct{}
}

// sendBurst sends n messages to peer one after another through c's API
// from a new goroutine, closing the returned channel when it is done. It
// stops at the first failure.
func sendBurst(c *apiClient, peer, prefix string, n, signalAt int) (*burst, <-chan struct{}) {
	s := &burst{accepted: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		for i := range n {
			var resp localapi.SendResponse
			req := localapi.SendRequest{To: peer, Text: fmt.Sprintf("%s message %d", prefix, i)}
			err := c.do(context.Background(), http.MethodPost, "/v1/messages", req, &resp)
			if err == nil && len(resp.ID) != 32 {
				err = fmt.Errorf("send answered ID %q", resp.ID)
			}
			s.mu.Lock()
			if err != nil {
				s.err = err
				s.mu.Unlock()
				return
			}
			s.ids = append(s.ids, resp.ID)
			if len(s.ids) == signalAt {
				close(s.accepted)
			}
			s.mu.Unlock()
		}
	}()
	return s, s.done
}

// waitAccepted waits until the burst has k accepted messages, or fails if it
// stopped before.
func (s *burst) waitAccepted(k int) error {
	select {
	case <-s.accepted:
		return nil
	case <-s.done:
		_, err := s.result()
		return fmt.Errorf("burst stopped before %d messages were accepted: %w", k, err)
	case <-time.After(e2eTimeout):
		return errors.New("timed out waiting for accepted messages")
	}
}

func (s *burst) result() ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.ids), s.err
}

// logUndelivered logs how many of the burst's accepted messages the sender
// has not delivered yet, just before the kill: the messages the crash puts
// at risk.
func logUndelivered(t *testing.T, what string, sender *apiClient, peer string, s *burst) {
	t.Helper()
	ids, _ := s.result()
	states := make(map[string]string)
	for _, m := range sender.history(t, peer) {
		states[m.ID] = m.State
	}
	var n int
	for _, id := range ids {
		if st := states[id]; st != "delivered" && st != "read" {
			n++
		}
	}
	t.Logf("%s: at the kill, %d of %d accepted messages were not yet delivered", what, n, len(ids))
}

// waitDelivered polls the sender's history until every ID in want is
// delivered or read.
func waitDelivered(t *testing.T, what string, sender *apiClient, peer string, want []string) {
	t.Helper()
	start := time.Now()
	defer func() { t.Logf("%s: all delivered after %v", what, time.Since(start).Round(time.Millisecond)) }()
	deadline := time.Now().Add(e2eTimeout)
	for {
		states := make(map[string]string)
		for _, m := range sender.history(t, peer) {
			states[m.ID] = m.State
		}
		var missing []string
		for _, id := range want {
			if st := states[id]; st != "delivered" && st != "read" {
				missing = append(missing, id+"="+st)
			}
		}
		if len(missing) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %d of %d messages not delivered on the sender's side: %v", what, len(missing), len(want), missing)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// checkExactlyOnce polls the recipient's history until it holds every ID in
// want, then checks it holds each once, in ID order, and nothing else.
func checkExactlyOnce(t *testing.T, what string, recipient *apiClient, peer string, want []string) {
	t.Helper()
	deadline := time.Now().Add(e2eTimeout)
	var got []string
	for {
		got = got[:0]
		for _, m := range recipient.history(t, peer) {
			got = append(got, m.ID)
		}
		if !slices.ContainsFunc(want, func(id string) bool { return !slices.Contains(got, id) }) {
			break
		}
		if time.Now().After(deadline) {
			var lost []string
			for _, id := range want {
				if !slices.Contains(got, id) {
					lost = append(lost, id)
				}
			}
			t.Fatalf("%s: recipient lacks %d of %d accepted messages: %v", what, len(lost), len(want), lost)
		}
		time.Sleep(100 * time.Millisecond)
	}
	count := make(map[string]int)
	for _, id := range got {
		count[id]++
	}
	for id, k := range count {
		if k > 1 {
			t.Errorf("%s: recipient holds message %s %d times", what, id, k)
		}
		if !slices.Contains(want, id) {
			t.Errorf("%s: recipient holds message %s that the sender never accepted", what, id)
		}
	}
	if !slices.IsSorted(got) {
		t.Errorf("%s: recipient's history is not in ID order: %v", what, got)
	}
	if len(got) != len(want) {
		t.Errorf("%s: recipient holds %d messages, want %d", what, len(got), len(want))
	}
	if t.Failed() {
		t.FailNow()
	}
}

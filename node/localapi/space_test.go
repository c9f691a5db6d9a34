package localapi

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/nodetest"
)

// TestSendOnFullDisk: on a disk short of free space POST /v1/messages
// answers 507 storage_full, saying to free disk space, and the event
// stream says so; once there is room sending works again.
func TestSendOnFullDisk(t *testing.T) {
	dir := nodetest.Tmpfs(t, 256<<20)
	const minFree = 32 << 20
	alice, err := node.New(node.WithHome(filepath.Join(dir, "alice")), node.WithMinFreeSpace(minFree),
		node.WithListenAddrs("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := alice.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { alice.Close() })
	bob := startNode(t, alice)
	s := startServer(t, alice)
	body := `{"to":"` + bob.Info().Account.String() + `","text":"hi"}`
	send := func() response {
		return do(t, "POST", s.url+"/v1/messages", testToken, strings.NewReader(body))
	}
	nodetest.Eventually(t, 30*time.Second, func() bool { return send().status == http.StatusCreated }, "send resolves bob")
	events := node.Subscribe[node.StorageSpaceChanged](alice)
	defer events.Close()

	nodetest.Fill(t, dir, minFree-8<<20)
	var r response
	nodetest.Eventually(t, 30*time.Second, func() bool {
		r = send()
		return r.status != http.StatusCreated
	}, "send refused on a full disk")
	if e := r.apiError(t); r.status != http.StatusInsufficientStorage || e.Code != CodeStorageFull ||
		!strings.Contains(e.Message, "free some disk space") {
		t.Fatalf("send on a full disk: %d %s", r.status, r.body)
	}
	ev, ok := eventJSON(<-events.Events())
	if !ok || ev.Type != EventStorage || ev.State != "full" || ev.MinFree < minFree || ev.Free >= ev.MinFree {
		t.Fatalf("event %+v, want storage full", ev)
	}
	var st Status
	if r := do(t, "GET", s.url+"/v1/status", testToken, nil); r.status != http.StatusOK || json.Unmarshal(r.body, &st) != nil ||
		!st.Disk.Full || st.Disk.MinFree < minFree || !slices.ContainsFunc(st.Warnings, func(w string) bool {
		return strings.Contains(w, "free some disk space")
	}) {
		t.Fatalf("status on a full disk: %d %s", r.status, r.body)
	}

	nodetest.Unfill(t, dir)
	nodetest.Eventually(t, 30*time.Second, func() bool { return send().status == http.StatusCreated }, "send once there is room")
}

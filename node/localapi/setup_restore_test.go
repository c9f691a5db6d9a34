package localapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/backup"
)

const restorePassphrase = "correct horse battery"

// backedUp starts a node, backs it up to a new directory under a
// passphrase, and returns the node and the directory.
func backedUp(t *testing.T) (*node.Node, string) {
	t.Helper()
	n := startNode(t)
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := n.Backup().Setup(ctx, backup.SetupOptions{To: dir, Passphrase: restorePassphrase}); err != nil {
		t.Fatal(err)
	}
	if _, err := n.Backup().Now(ctx, nil); err != nil {
		t.Fatal(err)
	}
	return n, dir
}

func restoreBody(t *testing.T, req SetupRestoreRequest) string {
	t.Helper()
	b, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSetupRestore: POST /v1/setup/restore refuses a wrong key and a
// location without backups at once (the home stays without an account
// and the setup can be tried again), then restores with the right key:
// GET /v1/setup follows it to ready, and the node runs as a new device of
// the backed-up account.
func TestSetupRestore(t *testing.T) {
	src, dir := backedUp(t)
	home := t.TempDir()
	s := startSetup(t, home, nil)

	wantError(t, s, "POST", "/v1/setup/restore", restoreBody(t, SetupRestoreRequest{From: dir, Key: "not the passphrase"}), http.StatusBadRequest, CodeWrongKey)
	wantError(t, s, "POST", "/v1/setup/restore", restoreBody(t, SetupRestoreRequest{From: t.TempDir(), Key: restorePassphrase}), http.StatusBadRequest, CodeBadRequest)
	wantError(t, s, "POST", "/v1/setup/restore", restoreBody(t, SetupRestoreRequest{From: "ftp://example.com/x", Key: restorePassphrase}), http.StatusBadRequest, CodeBadRequest)
	wantError(t, s, "POST", "/v1/setup/restore", `{"from": "`+dir+`"}`, http.StatusBadRequest, CodeBadRequest)
	if st := setupState(t, s); st.State != SetupNeeded {
		t.Fatalf("after refused restores: %+v", st)
	}
	if hasAccount(t, home) {
		t.Fatal("the home holds an account after refused restores")
	}

	var st SetupStatus
	call(t, s, "POST", "/v1/setup/restore", SetupRestoreRequest{From: dir, Key: restorePassphrase}, &st)
	if st.State != SetupRestoring {
		t.Fatalf("POST /v1/setup/restore: %+v", st)
	}
	st = waitSetup(t, s, "the restore", func(st SetupStatus) bool { return st.State != SetupRestoring })
	if want := src.Info().Account.String(); st.State != SetupReady || st.Account != want || st.Device == 0 || st.Device == src.Info().Device {
		t.Fatalf("after the restore: %+v, want ready as a new device of %s", st, want)
	}
	<-s.Ready()
	var info Info
	call(t, s, "GET", "/v1/info", nil, &info)
	if info.Account != st.Account {
		t.Fatalf("info %+v, setup %+v", info, st)
	}
	wantError(t, s, "POST", "/v1/setup/restore", restoreBody(t, SetupRestoreRequest{From: dir, Key: restorePassphrase}), http.StatusConflict, CodeSetUp)
}

// TestSetupRestoreBusy: while a restore checks its location (an S3 store
// that has not answered yet), another restore or a create answers 409
// setup_busy; once the store answers that nothing is there, the restore
// is refused with what to check and the setup can start again.
func TestSetupRestoreBusy(t *testing.T) {
	asked := make(chan struct{}, 1)
	release := make(chan struct{})
	store := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case asked <- struct{}{}:
		default:
		}
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>`))
	}))
	defer store.Close()
	defer close(release) // before the store's Close: it waits for the handlers

	home := t.TempDir()
	s := startSetup(t, home, nil)
	req := SetupRestoreRequest{
		From: "s3://backups/pigeon", Key: restorePassphrase,
		S3: backup.S3{Endpoint: store.URL, Region: "us-east-1", PathStyle: true, Insecure: true, AccessKey: "access", SecretKey: "secret"},
	}
	first := make(chan response, 1)
	body := restoreBody(t, req)
	go func() {
		r, err := http.NewRequest("POST", s.url+"/v1/setup/restore", strings.NewReader(body))
		if err == nil {
			r.Header.Set("Authorization", "Bearer "+testToken)
			var res *http.Response
			if res, err = http.DefaultClient.Do(r); err == nil {
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				first <- response{res.StatusCode, b}
				return
			}
		}
		first <- response{0, []byte(err.Error())}
	}()
	select {
	case <-asked:
	case <-time.After(time.Minute):
		t.Fatal("the restore did not ask the store")
	}
	if st := setupState(t, s); st.State != SetupRestoring {
		t.Fatalf("while the restore checks the store: %+v", st)
	}
	wantError(t, s, "POST", "/v1/setup/restore", restoreBody(t, req), http.StatusConflict, CodeSetupBusy)
	wantError(t, s, "POST", "/v1/setup/create", "", http.StatusConflict, CodeSetupBusy)

	release <- struct{}{} // the first request's handler answers
	r := <-first
	if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "check the location") {
		t.Fatalf("a restore from an empty store: %d %s", r.status, r.body)
	}
	if strings.Contains(string(r.body), "secret") {
		t.Fatalf("the answer shows the secret key: %s", r.body)
	}
	if st := setupState(t, s); st.State != SetupNeeded {
		t.Fatalf("after the refused restore: %+v", st)
	}
	var st SetupStatus
	call(t, s, "POST", "/v1/setup/create", nil, &st)
	waitSetup(t, s, "the account", func(st SetupStatus) bool { return st.State == SetupReady })
}

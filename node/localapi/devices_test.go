package localapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/protocol/link"
)

// linkResult is what node.LinkDevice returned, with the confirmation code
// it showed.
type linkResult struct {
	account core.AccountID
	device  uint32
	sas     string
	err     error
}

// linkInBackground runs node.LinkDevice for a new device in home with
// code, as `pigeon init --link` does.
func linkInBackground(t *testing.T, home, code, name string) <-chan linkResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	done := make(chan linkResult, 1)
	shown := make(chan string, 1)
	go func() {
		defer cancel()
		acct, dev, err := node.LinkDevice(ctx, home, code, node.LinkOptions{
			Name: name, Platform: "linux", ShowCode: func(sas string) { shown <- sas },
		})
		r := linkResult{account: acct, device: dev, err: err}
		select {
		case r.sas = <-shown:
		default:
		}
		done <- r
	}()
	return done
}

func devicesOf(t *testing.T, s *testServer) Devices {
	t.Helper()
	var ds Devices
	call(t, s, "GET", "/v1/devices", nil, &ds)
	return ds
}

// wantError checks a request's status and error code.
func wantError(t *testing.T, s *testServer, method, path, body string, status int, code string) {
	t.Helper()
	r := do(t, method, s.url+path, testToken, strings.NewReader(body))
	if r.status != status {
		t.Fatalf("%s %s: status %d, want %d (%s)", method, path, r.status, status, r.body)
	}
	if e := r.apiError(t); e.Code != code {
		t.Fatalf("%s %s: code %q, want %q (%s)", method, path, e.Code, code, e.Message)
	}
}

// TestDeviceEndpoints links a second device through the API of the first
// (the code from POST /v1/devices/link, node.LinkDevice on the new home,
// the link_request event answered with POST link-requests), then lists,
// renames and revokes it, with the events and refusals on the way.
func TestDeviceEndpoints(t *testing.T) {
	na := startNode(t)
	a := startServer(t, na)
	aEvents := dialEvents(t, a)

	ds := devicesOf(t, a)
	if len(ds.Devices) != 1 || !ds.HoldsAccountKey || !ds.Devices[0].This || ds.Devices[0].ID != 1 || !ds.Devices[0].Online ||
		ds.Devices[0].PeerID != na.Info().PeerID.String() || ds.Devices[0].AddedAt.IsZero() {
		t.Fatalf("devices of a new account: %+v", ds)
	}

	var offer LinkOffer
	call(t, a, "POST", "/v1/devices/link", nil, &offer)
	if offer.Code == "" || offer.QRText != strings.ToUpper(offer.Code) || time.Until(offer.Expires) <= 0 || offer.Expires.Location() != time.UTC {
		t.Fatalf("offer %+v", offer)
	}
	if r := do(t, "GET", a.url+"/v1/qr.svg?text="+offer.QRText, testToken, nil); r.status != http.StatusOK {
		t.Fatalf("QR code of the link code: %d %s", r.status, r.body)
	}

	home := t.TempDir()
	linked := linkInBackground(t, home, offer.Code, "laptop")
	req := nextEvent(t, aEvents, EventLinkRequest)
	if req.Name != "laptop" || req.Platform != "linux" || len(req.SAS) != 6 || req.ID == "" || req.PeerID == "" {
		t.Fatalf("link request %+v", req)
	}
	wantError(t, a, "POST", "/v1/devices/link-requests/"+req.ID, `{"accept":"yes"}`, http.StatusBadRequest, CodeBadRequest)
	call(t, a, "POST", "/v1/devices/link-requests/"+req.ID, LinkAnswer{Accept: true}, nil)
	res := <-linked
	if res.err != nil {
		t.Fatalf("LinkDevice: %v", res.err)
	}
	if res.sas != req.SAS {
		t.Fatalf("the new device showed %q, the API %q", res.sas, req.SAS)
	}
	if res.account != na.Info().Account || res.device != 2 {
		t.Fatalf("linked as device %d of %s, want device 2 of %s", res.device, res.account, na.Info().Account)
	}
	ev := nextEvent(t, aEvents, EventDeviceLinked)
	if ev.Device != 2 || ev.Name != "laptop" || ev.Platform != "linux" || ev.PeerID != req.PeerID || ev.AddedAt == "" {
		t.Fatalf("device_linked %+v", ev)
	}
	wantError(t, a, "POST", "/v1/devices/link-requests/"+req.ID, `{"accept":true}`, http.StatusNotFound, CodeNotFound)

	// The new device: its events from before it starts, to see its history
	// arrive.
	nb, err := node.New(node.WithHome(home), node.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), node.WithBootstrap(addrsOf(na)...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nb.Close() })
	b := startServer(t, nb)
	bEvents := dialEvents(t, b)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := nb.Start(ctx); err != nil {
		t.Fatal(err)
	}
	for {
		ev := nextEvent(t, bEvents, EventHistorySync)
		if ev.Error != "" {
			t.Fatalf("history sync: %+v", ev)
		}
		if ev.Device != 1 || ev.Done > ev.Total {
			t.Fatalf("history sync %+v, want progress of a pull from device 1", ev)
		}
		if ev.Done == ev.Total {
			break
		}
	}
	bs := devicesOf(t, b)
	if bs.HoldsAccountKey || len(bs.Devices) != 2 || bs.Devices[0].ID != 2 || !bs.Devices[0].This || bs.Devices[1].ID != 1 {
		t.Fatalf("devices on the new device: %+v", bs)
	}
	if bs.Devices[0].Name != "laptop" || bs.Devices[1].Name == "" {
		t.Fatalf("names on the new device: %+v (the history names both)", bs.Devices)
	}
	poll(t, "a sees the new device online", func() bool {
		ds := devicesOf(t, a)
		return len(ds.Devices) == 2 && ds.Devices[1].ID == 2 && ds.Devices[1].Name == "laptop" && ds.Devices[1].Online && !ds.Devices[1].This
	})

	// Only the device holding the account key links and revokes.
	wantError(t, b, "POST", "/v1/devices/link", "", http.StatusForbidden, CodeNoAccountKey)
	wantError(t, b, "DELETE", "/v1/devices/1", "", http.StatusForbidden, CodeNoAccountKey)
	wantError(t, a, "DELETE", "/v1/devices/1", "", http.StatusConflict, CodeThisDevice)
	wantError(t, a, "DELETE", "/v1/devices/9", "", http.StatusNotFound, CodeUnknownDevice)
	wantError(t, a, "DELETE", "/v1/devices/x", "", http.StatusBadRequest, CodeBadRequest)
	wantError(t, a, "DELETE", "/v1/devices/0", "", http.StatusBadRequest, CodeBadRequest)
	wantError(t, a, "PUT", "/v1/devices/9", `{"name":"ghost"}`, http.StatusNotFound, CodeUnknownDevice)
	wantError(t, a, "PUT", "/v1/devices/2", `{"name":""}`, http.StatusBadRequest, CodeBadRequest)
	wantError(t, a, "PUT", "/v1/devices/2", `{"name":"`+strings.Repeat("x", link.MaxNameSize+1)+`"}`, http.StatusBadRequest, CodeBadRequest)
	wantError(t, a, "PUT", "/v1/devices/2", `{"title":"x"}`, http.StatusBadRequest, CodeBadRequest)

	// Renamed on either device: both show it.
	call(t, b, "PUT", "/v1/devices/2", RenameDevice{Name: "work laptop"}, nil)
	poll(t, "the rename reaches a", func() bool {
		ds := devicesOf(t, a)
		return len(ds.Devices) == 2 && ds.Devices[1].Name == "work laptop"
	})

	call(t, a, "DELETE", "/v1/devices/2", nil, nil)
	if ev := nextEvent(t, aEvents, EventDeviceRevoked); ev.Device != 2 {
		t.Fatalf("device_revoked %+v", ev)
	}
	if ds := devicesOf(t, a); len(ds.Devices) != 1 || ds.Devices[0].ID != 1 {
		t.Fatalf("devices after the revocation: %+v", ds)
	}
	wantError(t, a, "DELETE", "/v1/devices/2", "", http.StatusNotFound, CodeUnknownDevice)
}

// TestDeviceLinkDeclined: a request answered no fails the new device's
// link with link.ErrDeclined, and the code cannot be used again.
func TestDeviceLinkDeclined(t *testing.T) {
	na := startNode(t)
	a := startServer(t, na)
	events := dialEvents(t, a)
	var offer LinkOffer
	call(t, a, "POST", "/v1/devices/link", nil, &offer)
	linked := linkInBackground(t, t.TempDir(), offer.Code, "stranger")
	req := nextEvent(t, events, EventLinkRequest)
	call(t, a, "POST", "/v1/devices/link-requests/"+req.ID, LinkAnswer{Accept: false}, nil)
	if res := <-linked; !errors.Is(res.err, link.ErrDeclined) {
		t.Fatalf("LinkDevice after a no: %v, want link.ErrDeclined", res.err)
	}
	again := <-linkInBackground(t, t.TempDir(), offer.Code, "stranger")
	if !errors.Is(again.err, link.ErrUsed) {
		t.Fatalf("LinkDevice with the declined code: %v, want link.ErrUsed", again.err)
	}
	if ds := devicesOf(t, a); len(ds.Devices) != 1 {
		t.Fatalf("devices after a declined link: %+v", ds)
	}
}

func addrsOf(n *node.Node) []string {
	var out []string
	for _, a := range n.Info().Addrs {
		out = append(out, a.String())
	}
	return out
}

// TestDeviceLinkWithdrawn: a withdrawn code is unknown to a device that
// tries it; withdrawing it again, or a code never made, is 404.
func TestDeviceLinkWithdrawn(t *testing.T) {
	na := startNode(t)
	a := startServer(t, na)
	var offer LinkOffer
	call(t, a, "POST", "/v1/devices/link", nil, &offer)
	call(t, a, "DELETE", "/v1/devices/link", WithdrawLink{Code: offer.Code}, nil)
	res := <-linkInBackground(t, t.TempDir(), offer.Code, "late")
	if !errors.Is(res.err, link.ErrUnknownCode) {
		t.Fatalf("LinkDevice with a withdrawn code: %v, want link.ErrUnknownCode", res.err)
	}
	wantError(t, a, "DELETE", "/v1/devices/link", `{"code":"`+offer.Code+`"}`, http.StatusNotFound, CodeNotFound)
	wantError(t, a, "DELETE", "/v1/devices/link", `{"code":"pigeon-link:nonsense"}`, http.StatusBadRequest, CodeBadRequest)
	if ds := devicesOf(t, a); len(ds.Devices) != 1 {
		t.Fatalf("devices after a withdrawn code: %+v", ds)
	}
}

package localapi

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/pigeon-net/pigeon/node/nodetest"
)

// TestMediaEndpoints uploads a file as a stream (multipart, with a
// client thumbnail as a video would have), watches the events, lists the
// conversation's media and downloads the file on the other side.
func TestMediaEndpoints(t *testing.T) {
	boot := startNode(t)
	a, b := startNode(t, boot), startNode(t, boot)
	sa, sb := startServer(t, a), startServer(t, b)
	bID := b.Info().Account.String()
	call(t, sb, "PUT", "/v1/media-settings/auto-download", AutoDownload{MaxBytes: 0}, nil)
	var ad AutoDownload
	call(t, sb, "GET", "/v1/media-settings/auto-download", nil, &ad)
	if ad.MaxBytes != 0 {
		t.Fatalf("auto-download %d", ad.MaxBytes)
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	wsB, _, err := websocket.Dial(ctx, "ws"+sb.url[4:]+"/v1/events",
		&websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer " + testToken}}})
	if err != nil {
		t.Fatal(err)
	}
	defer wsB.CloseNow()

	data := make([]byte, 3<<20+11)
	rand.Read(data)
	thumb := pngBytes(t, 200, 100)
	var id string
	nodetest.Eventually(t, 30*time.Second, func() bool {
		st, body := uploadMultipart(t, sa, bID, "clip.mp4", "a clip", thumb, data)
		if st != http.StatusCreated {
			return false
		}
		var resp SendResponse
		json.Unmarshal(body, &resp)
		id = resp.ID
		return true
	}, "upload")

	// b learns of it and, auto-download being off, fetches on request.
	var m Media
	nodetest.Eventually(t, 30*time.Second, func() bool {
		r := do(t, "GET", sb.url+"/v1/media/"+id, testToken, nil)
		return r.status == 200 && json.Unmarshal(r.body, &m) == nil
	}, "b has the attachment")
	if m.Name != "clip.mp4" || m.MIME != "video/mp4" || m.State != "remote" || !m.Thumbnail || m.Size != uint64(len(data)) || m.Caption != "a clip" {
		t.Fatalf("media %+v", m)
	}
	r := do(t, "GET", sb.url+"/v1/media/"+id+"/thumbnail", testToken, nil)
	if r.status != 200 {
		t.Fatalf("thumbnail: %d", r.status)
	}
	if _, err := png.Decode(bytes.NewReader(r.body)); err == nil {
		t.Fatal("the client's PNG was passed on as is; the node re-encodes previews as JPEG")
	}
	var list []Media
	call(t, sb, "GET", "/v1/conversations/"+a.Info().Account.String()+"/media", nil, &list)
	if len(list) != 1 || list[0].ID != id {
		t.Fatalf("media list %+v", list)
	}
	var hist []Message
	call(t, sb, "GET", "/v1/conversations/"+a.Info().Account.String()+"/messages", nil, &hist)
	if len(hist) != 1 || hist[0].Media == nil || hist[0].Media.Name != "clip.mp4" || hist[0].Text != "a clip" {
		t.Fatalf("history %+v", hist)
	}

	call(t, sb, "POST", "/v1/media/"+id+"/fetch", nil, nil)
	sawProgress, sawLocal := false, false
	for !(sawProgress && sawLocal) {
		_, raw, err := wsB.Read(ctx)
		if err != nil {
			t.Fatalf("events: %v (progress %v, local %v)", err, sawProgress, sawLocal)
		}
		var ev Event
		json.Unmarshal(raw, &ev)
		switch ev.Type {
		case EventMediaProgress:
			sawProgress = sawProgress || (ev.ID == id && ev.Direction == "download" && ev.Done == ev.Total && ev.Total > 0)
		case EventMediaState:
			sawLocal = sawLocal || (ev.ID == id && ev.State == "local")
		}
	}
	resp, err := authGet(sb.url + "/v1/media/" + id + "/content")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 || !bytes.Equal(got, data) {
		t.Fatalf("content: %d, %d bytes, %v", resp.StatusCode, len(got), err)
	}
	if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename=clip.mp4` {
		t.Fatalf("Content-Disposition %q", cd)
	}
	// Ranges, as a video player asks for them.
	size := len(data)
	for spec, want := range map[string][2]int{
		"bytes=0-0":                         {0, 0},
		"bytes=70000-1200000":               {70000, 1200000},
		fmt.Sprintf("bytes=%d-", size-100):  {size - 100, size - 1},
		"bytes=-5000":                       {size - 5000, size - 1},
		fmt.Sprintf("bytes=10-%d", size+50): {10, size - 1},
	} {
		resp := getRange(t, sb.url+"/v1/media/"+id+"/content", spec)
		got, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		wantRange := fmt.Sprintf("bytes %d-%d/%d", want[0], want[1], size)
		if err != nil || resp.StatusCode != http.StatusPartialContent || resp.Header.Get("Content-Range") != wantRange ||
			!bytes.Equal(got, data[want[0]:want[1]+1]) {
			t.Fatalf("%s: %d, Content-Range %q (want %q), %d bytes, %v", spec, resp.StatusCode, resp.Header.Get("Content-Range"), wantRange, len(got), err)
		}
	}
	for _, spec := range []string{fmt.Sprintf("bytes=%d-", size), "bytes=5-2", "bytes=0-1,5-6", "items=0-1", "bytes=-0"} {
		resp := getRange(t, sb.url+"/v1/media/"+id+"/content", spec)
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestedRangeNotSatisfiable || resp.Header.Get("Content-Range") != fmt.Sprintf("bytes */%d", size) {
			t.Fatalf("%s: %d %q", spec, resp.StatusCode, resp.Header.Get("Content-Range"))
		}
	}

	other := id[:31] + "0"
	if other == id { // one ID in 16 ends in 0
		other = id[:31] + "1"
	}
	if r := do(t, "GET", sb.url+"/v1/media/"+other+"/content", testToken, nil); r.status != 404 {
		t.Fatalf("unknown media: %d (%d bytes)", r.status, len(r.body))
	}
	if r := do(t, "DELETE", sb.url+"/v1/media/"+id, testToken, nil); r.status != 204 {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	call(t, sb, "GET", "/v1/media/"+id, nil, &m)
	if m.State != "removed" {
		t.Fatalf("after delete: %s", m.State)
	}
}

// getRange GETs u with a Range header.
func getRange(t *testing.T, u, spec string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Range", spec)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func authGet(u string) (*http.Response, error) {
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	return http.DefaultClient.Do(req)
}

// uploadMultipart streams a thumbnail part and a file part through a pipe.
func uploadMultipart(t *testing.T, s *testServer, to, name, caption string, thumb, data []byte) (int, []byte) {
	t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		tw, _ := mw.CreateFormFile("thumbnail", "thumb.png")
		tw.Write(thumb)
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(data)
		pw.CloseWithError(mw.Close())
	}()
	q := url.Values{"to": {to}, "caption": {caption}}
	req, _ := http.NewRequest("POST", s.url+"/v1/media?"+q.Encode(), pr)
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 0, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestMediaBadRequests(t *testing.T) {
	s := startServer(t, nil)
	for _, c := range []struct{ method, path string }{
		{"POST", "/v1/media?to=nope"},
		{"GET", "/v1/media/xyz"},
		{"GET", "/v1/media/xyz/content"},
		{"POST", "/v1/media/xyz/fetch"},
		{"GET", "/v1/conversations/nope/media"},
	} {
		r := do(t, c.method, s.url+c.path, testToken, nil)
		if r.status != 400 {
			t.Errorf("%s %s: %d %s", c.method, c.path, r.status, r.body)
		}
	}
}

// TestGroupMediaEvents: the event stream names a group's file by its
// group ("group", no "peer") and counts the file's bytes.
func TestGroupMediaEvents(t *testing.T) {
	na := startNode(t)
	nb := startNode(t, na)
	a, b := startServer(t, na), startServer(t, nb)
	bID := nb.Info().Account.String()
	eventuallyAPI(t, func() bool {
		return do(t, "GET", a.url+"/v1/contacts/"+bID+"/safety-number", testToken, nil).status == http.StatusOK
	}, "a resolves b")
	var g Group
	call(t, a, "POST", "/v1/groups", CreateGroupRequest{Name: "files", Members: []string{bID}}, &g)
	eventuallyAPI(t, func() bool {
		return do(t, "GET", b.url+"/v1/groups/"+g.ID, testToken, nil).status == http.StatusOK
	}, "b sees the group")
	ws := dialEvents(t, b)
	body := bytes.Repeat([]byte("group file body "), 100_000) // 1.6 MB
	up := do(t, "POST", a.url+"/v1/media?group="+g.ID+"&name=notes.txt", testToken, bytes.NewReader(body))
	if up.status != http.StatusCreated {
		t.Fatalf("group upload: %d %s", up.status, up.body)
	}
	var sent SendResponse
	json.Unmarshal(up.body, &sent)
	size := len(body)
	downloaded := false
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_, raw, err := ws.Read(ctx)
		cancel()
		if err != nil {
			t.Fatalf("events: %v (download complete %v)", err, downloaded)
		}
		var ev Event
		json.Unmarshal(raw, &ev)
		if ev.ID != sent.ID || (ev.Type != EventMediaProgress && ev.Type != EventMediaState) {
			continue
		}
		var fields map[string]any
		json.Unmarshal(raw, &fields)
		if _, ok := fields["peer"]; ok || ev.Group != g.ID {
			t.Fatalf("%s event %s: want the group and no peer", ev.Type, raw)
		}
		switch ev.Type {
		case EventMediaProgress:
			if ev.Total != int64(size) || ev.Done > ev.Total {
				t.Fatalf("progress %s: want total %d", raw, size)
			}
			downloaded = downloaded || ev.Done == ev.Total
		case EventMediaState:
			if ev.Size != uint64(size) {
				t.Fatalf("state %s: want size %d", raw, size)
			}
			if ev.State == "local" {
				if !downloaded {
					t.Fatal("local before the last progress event")
				}
				return
			}
		}
	}
}

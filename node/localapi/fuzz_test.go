package localapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node/media"
	"github.com/pigeon-net/pigeon/protocol/identity"
)

// FuzzDecodeBody checks that any request body either decodes or fails as a
// 400 or 413, never anything else, and never panics.
func FuzzDecodeBody(f *testing.F) {
	acct, _ := identity.NewAccount()
	for _, v := range []any{
		SendRequest{To: acct.ID().String(), Text: "hello"},
		ContactRequest{Name: "Bob"},
	} {
		b, _ := json.Marshal(v)
		f.Add(b)
	}
	f.Add([]byte(`{"to":"x","text":"y"} {}`))
	f.Add([]byte(`{"txt":1}`))
	f.Add([]byte(`{"to":"` + strings.Repeat("a", 300) + `"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) > 2*maxBodySize {
			return
		}
		for _, optional := range []bool{false, true} {
			w := httptest.NewRecorder()
			r := httptest.NewRequest("POST", "/v1/messages", bytes.NewReader(body))
			var req SendRequest
			err := decodeBody(w, r, &req, optional)
			if err == nil {
				continue
			}
			if status, _ := classify(err); status != http.StatusBadRequest && status != http.StatusRequestEntityTooLarge {
				t.Fatalf("body %q: %v classified as %d", body, err, status)
			}
		}
	})
}

// FuzzParseRange checks that a satisfiable range always lies within the
// file and is not empty.
func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"bytes=0-0", "bytes=5-", "bytes=-10", "bytes=3-2", "bytes=0-1,2-3", "bytes=-", "bytes= 1-2", "bytes=18446744073709551615-"} {
		f.Add(s, uint64(100))
	}
	f.Fuzz(func(t *testing.T, spec string, size uint64) {
		if size == 0 {
			return
		}
		off, n, ok := parseRange(spec, size)
		if ok && (n == 0 || off >= size || n > size-off) {
			t.Fatalf("%q of %d: range %d+%d", spec, size, off, n)
		}
	})
}

// fuzzDeadline bounds one fuzz input's work: parsing an in-memory body of
// a few kilobytes takes microseconds, so running out means a hang.
const fuzzDeadline = 10 * time.Second

// within runs f and fails the test if it does not return by fuzzDeadline.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	timer := time.NewTimer(fuzzDeadline)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
		t.Fatalf("%s did not finish in %v", what, fuzzDeadline)
	}
}

// FuzzParseUpload checks the upload's query and multipart parsing: any
// query and body end in a 400 or 413, or in one chat and a file to stream
// (whose reading ends too), with at most one thumbnail within its limit.
func FuzzParseUpload(f *testing.F) {
	acct, _ := identity.NewAccount()
	to := "to=" + acct.ID().String()
	grp := "group=" + strings.Repeat("ab", 32)
	form := func(parts ...string) (string, []byte) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		mw.SetBoundary("b0undary")
		for i := 0; i+1 < len(parts); i += 2 {
			w, _ := mw.CreateFormFile(parts[i], "x.jpg")
			w.Write([]byte(parts[i+1]))
		}
		mw.Close()
		return mw.FormDataContentType(), b.Bytes()
	}
	ct, body := form("thumbnail", "\xff\xd8jpeg", "file", "hello")
	f.Add(to+"&caption=hi", ct, body)
	ct, body = form("file", "just the file")
	f.Add(grp+"&name=a.txt", ct, body)
	ct, body = form("thumbnail", "1", "thumbnail", "2", "file", "x")
	f.Add(to, ct, body)
	ct, body = form("other", "x")
	f.Add(to, ct, body)
	f.Add(to+"&"+grp, "application/octet-stream", []byte("raw"))
	f.Add("to=pgnope&caption=%zz", "multipart/form-data", []byte("--x\r\n"))
	f.Add(to, "multipart/form-data; boundary=x", []byte("--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc\r\n--x--"))
	f.Fuzz(func(t *testing.T, query, contentType string, body []byte) {
		if len(body) > 64<<10 {
			return
		}
		r := &http.Request{Method: "POST", URL: &url.URL{Path: "/v1/media", RawQuery: query}, Header: http.Header{"Content-Type": {contentType}}}
		var up upload
		var err error
		within(t, "parseUpload", func() {
			up, err = parseUpload(r, bytes.NewReader(body))
			if err == nil {
				_, _ = io.Copy(io.Discard, up.file) // the node would read it all
			}
		})
		if err != nil {
			if status, _ := classify(err); status != http.StatusBadRequest && status != http.StatusRequestEntityTooLarge {
				t.Fatalf("query %q, type %q: %v classified as %d", query, contentType, err, status)
			}
			return
		}
		if up.group && !up.to.IsZero() {
			t.Fatalf("query %q: both a group and an account", query)
		}
		if !up.group && up.to.IsZero() || up.file == nil || len(up.f.Thumbnail) > media.MaxClientThumbnail {
			t.Fatalf("query %q, type %q: parsed %+v", query, contentType, up)
		}
	})
}

// FuzzPageOf checks the history and media-list query (before, limit): a
// 400, or a limit within 1–1000.
func FuzzPageOf(f *testing.F) {
	for _, q := range []string{"", "limit=10", "before=" + strings.Repeat("ab", 16) + "&limit=1000", "limit=0", "limit=-1",
		"limit=1001", "limit=99999999999999999999", "before=xyz", "limit=%zz", "limit=5&limit=6", "before=&limit="} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, query string) {
		r := &http.Request{Method: "GET", URL: &url.URL{Path: "/v1/conversations/x/messages", RawQuery: query}}
		var limit int
		var err error
		within(t, "pageOf", func() { _, limit, err = pageOf(r) })
		if err != nil {
			if !errors.Is(err, errBadRequest) {
				t.Fatalf("query %q: %v is not a bad request", query, err)
			}
			return
		}
		if limit < 1 || limit > maxHistoryLimit {
			t.Fatalf("query %q: limit %d", query, limit)
		}
	})
}

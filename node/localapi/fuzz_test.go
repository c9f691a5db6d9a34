package localapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

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

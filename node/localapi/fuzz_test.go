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

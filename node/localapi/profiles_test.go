package localapi

import (
	"bytes"
	"image"
	"image/png"
	"net/http"
	"testing"
)

// TestProfileAndRequestEndpoints: a profile set through the API reaches
// another daemon's API with its avatar; a stranger's message is listed
// under /v1/requests, not /v1/conversations, until accepted; block and
// unblock.
func TestProfileAndRequestEndpoints(t *testing.T) {
	na := startNode(t)
	nb := startNode(t, na)
	a, b := startServer(t, na), startServer(t, nb)
	aID, bID := na.Info().Account.String(), nb.Info().Account.String()

	if r := do(t, "GET", a.url+"/v1/profile", testToken, nil); r.status != http.StatusNotFound {
		t.Fatalf("no profile yet: %d %s", r.status, r.body)
	}
	if r := do(t, "PUT", a.url+"/v1/profile", testToken, bytes.NewReader([]byte(`{"name":"  "}`))); r.status != http.StatusBadRequest {
		t.Fatalf("blank name: %d %s", r.status, r.body)
	}
	call(t, a, "PUT", "/v1/profile", ProfileRequest{Name: "Ada"}, nil)
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	if r := do(t, "PUT", a.url+"/v1/profile/avatar", testToken, bytes.NewReader([]byte("not an image"))); r.status != http.StatusBadRequest {
		t.Fatalf("bad avatar: %d %s", r.status, r.body)
	}
	if r := do(t, "PUT", a.url+"/v1/profile/avatar", testToken, bytes.NewReader(img.Bytes())); r.status != http.StatusNoContent {
		t.Fatalf("avatar: %d %s", r.status, r.body)
	}
	var own Profile
	call(t, a, "GET", "/v1/profile", nil, &own)
	if own.Name != "Ada" || !own.HasAvatar || own.Account != aID {
		t.Fatalf("own profile %+v", own)
	}

	// a writes to b, a stranger: b gets a's profile and a request.
	eventuallyAPI(t, func() bool {
		return do(t, "GET", a.url+"/v1/contacts/"+bID+"/safety-number", testToken, nil).status == http.StatusOK
	}, "a resolves b")
	call(t, a, "POST", "/v1/messages", SendRequest{To: bID, Text: "hello"}, nil)
	var reqs []Conversation
	eventuallyAPI(t, func() bool {
		call(t, b, "GET", "/v1/requests", nil, &reqs)
		return len(reqs) == 1
	}, "b lists a request")
	if reqs[0].Peer != aID || !reqs[0].Request || reqs[0].Last.Text != "hello" {
		t.Fatalf("requests %+v", reqs)
	}
	var theirs Profile
	eventuallyAPI(t, func() bool {
		r := do(t, "GET", b.url+"/v1/profiles/"+aID, testToken, nil)
		return r.status == http.StatusOK
	}, "b has a's profile")
	call(t, b, "GET", "/v1/profiles/"+aID, nil, &theirs)
	if theirs.Name != "Ada" || !theirs.HasAvatar {
		t.Fatalf("a's profile at b %+v", theirs)
	}
	av := do(t, "GET", b.url+"/v1/profiles/"+aID+"/avatar", testToken, nil)
	if av.status != http.StatusOK || !bytes.Equal(av.body, img.Bytes()) {
		t.Fatalf("avatar at b: %d, %d bytes", av.status, len(av.body))
	}
	var convs []Conversation
	call(t, b, "GET", "/v1/conversations", nil, &convs)
	if len(convs) != 0 {
		t.Fatalf("a request is in the chat list: %+v", convs)
	}

	call(t, b, "POST", "/v1/requests/"+aID+"/accept", nil, nil)
	call(t, b, "GET", "/v1/conversations", nil, &convs)
	if len(convs) != 1 || convs[0].Peer != aID || convs[0].Name != "Ada" || convs[0].ProfileName != "Ada" || convs[0].AvatarURL == "" {
		t.Fatalf("accepted chat %+v", convs)
	}

	call(t, b, "PUT", "/v1/blocked/"+aID, nil, nil)
	var blocked []Blocked
	call(t, b, "GET", "/v1/blocked", nil, &blocked)
	if len(blocked) != 1 || blocked[0].Account != aID || blocked[0].Name != "Ada" {
		t.Fatalf("blocked %+v", blocked)
	}
	if r := do(t, "POST", b.url+"/v1/messages", testToken, bytes.NewReader([]byte(`{"to":"`+aID+`","text":"x"}`))); r.status != http.StatusForbidden {
		t.Fatalf("send to blocked: %d %s", r.status, r.body)
	}
	call(t, b, "DELETE", "/v1/blocked/"+aID, nil, nil)
	call(t, b, "GET", "/v1/blocked", nil, &blocked)
	if len(blocked) != 0 {
		t.Fatalf("unblocked still listed %+v", blocked)
	}
}

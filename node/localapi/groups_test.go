package localapi

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/identity"
)

func eventuallyAPI(t *testing.T, cond func() bool, msg string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out: " + msg)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestGroupEndpoints drives a group through the API of two daemons: create
// with a member, change info and roles, send and read history, invite and
// join, leave; and the refusals.
func TestGroupEndpoints(t *testing.T) {
	na := startNode(t)
	nb := startNode(t, na)
	nc := startNode(t, na)
	a, b, c := startServer(t, na), startServer(t, nb), startServer(t, nc)
	bID, cID := nb.Info().Account.String(), nc.Info().Account.String()
	for _, n := range []string{bID, cID} {
		eventuallyAPI(t, func() bool {
			r := do(t, "GET", a.url+"/v1/contacts/"+n+"/safety-number", testToken, nil)
			return r.status == http.StatusOK
		}, "a resolves the others")
	}
	var g Group
	call(t, a, "POST", "/v1/groups", CreateGroupRequest{Name: "api", Members: []string{bID}, Settings: &GroupSettings{Add: "admins"}}, &g)
	if g.Name != "api" || g.Role != "owner" || g.Settings.Add != "admins" || len(g.Members) != 2 || g.Status != "active" {
		t.Fatalf("created %+v", g)
	}
	eventuallyAPI(t, func() bool {
		r := do(t, "GET", b.url+"/v1/groups/"+g.ID, testToken, nil)
		return r.status == http.StatusOK
	}, "b sees the group")

	call(t, a, "PATCH", "/v1/groups/"+g.ID, map[string]any{"name": "renamed", "description": "d"}, nil)
	var send SendResponse
	call(t, b, "POST", "/v1/groups/"+g.ID+"/messages", GroupSendRequest{Text: "hello group"}, &send)
	var hist []Message
	eventuallyAPI(t, func() bool {
		call(t, a, "GET", "/v1/groups/"+g.ID+"/messages?limit=10", nil, &hist)
		return len(hist) == 1
	}, "a reads b's message")
	if hist[0].Group != g.ID || hist[0].Peer != "" || hist[0].Text != "hello group" || hist[0].Sender != bID {
		t.Fatalf("history %+v", hist)
	}
	var convs []Conversation
	call(t, a, "GET", "/v1/conversations", nil, &convs)
	if len(convs) != 1 || convs[0].Group != g.ID || convs[0].Unread != 1 {
		t.Fatalf("conversations %+v", convs)
	}

	// A file to the group: raw body, then b lists the group's files and
	// sees it on the message.
	up := do(t, "POST", a.url+"/v1/media?group="+g.ID+"&name=notes.txt&caption=read+me", testToken, strings.NewReader("group file body"))
	if up.status != http.StatusCreated {
		t.Fatalf("group upload: %d %s", up.status, up.body)
	}
	var files []Media
	eventuallyAPI(t, func() bool {
		call(t, b, "GET", "/v1/groups/"+g.ID+"/media", nil, &files)
		return len(files) == 1
	}, "b lists the group's file")
	if files[0].Group != g.ID || files[0].Peer != "" || files[0].Name != "notes.txt" || files[0].Caption != "read me" {
		t.Fatalf("group files %+v", files)
	}
	call(t, b, "GET", "/v1/groups/"+g.ID+"/messages?limit=10", nil, &hist)
	if len(hist) != 2 || hist[1].Media == nil || hist[1].Media.ID != files[0].ID {
		t.Fatalf("group history with the file %+v", hist)
	}
	if r := do(t, "POST", a.url+"/v1/media?group="+g.ID+"&to="+bID, testToken, strings.NewReader("x")); r.status != http.StatusBadRequest {
		t.Fatalf("to and group: %d", r.status)
	}
	var marked MarkReadResponse
	call(t, a, "POST", "/v1/groups/"+g.ID+"/read", nil, &marked)
	if marked.Marked != 1 {
		t.Fatalf("marked %d", marked.Marked)
	}
	var rc ReceiptsResponse
	eventuallyAPI(t, func() bool {
		call(t, b, "GET", "/v1/groups/"+g.ID+"/messages/"+send.ID+"/receipts", nil, &rc)
		return rc.Receipts[na.Info().Account.String()] == "read"
	}, "b sees a's read receipt")
	call(t, b, "POST", "/v1/groups/"+g.ID+"/typing", TypingRequest{Active: true}, nil)

	// b may not add members (admins only) until promoted.
	r := do(t, "POST", b.url+"/v1/groups/"+g.ID+"/members", testToken, strings.NewReader(`{"accounts":["`+cID+`"]}`))
	if r.status != http.StatusForbidden || r.apiError(t).Code != CodeForbidden {
		t.Fatalf("member adding: %d %s", r.status, r.body)
	}
	call(t, a, "PUT", "/v1/groups/"+g.ID+"/members/"+bID+"/role", RoleRequest{Role: "admin"}, nil)
	eventuallyAPI(t, func() bool {
		var got Group
		call(t, b, "GET", "/v1/groups/"+g.ID, nil, &got)
		return got.Role == "admin" && got.Name == "renamed"
	}, "b is admin")

	// An invite from b lets c join.
	var inv InviteResponse
	call(t, b, "POST", "/v1/groups/"+g.ID+"/invites", InviteRequest{TTLSeconds: 3600}, &inv)
	if !strings.HasPrefix(inv.Link, "pgi") {
		t.Fatalf("link %q", inv.Link)
	}
	// A link b never published: b refuses, and says so.
	gid, err := group.ParseID(g.ID)
	if err != nil {
		t.Fatal(err)
	}
	stray, err := group.NewInviteLink(gid, identity.AccountID(nb.Info().Account))
	if err != nil {
		t.Fatal(err)
	}
	r = do(t, "POST", c.url+"/v1/groups/join", testToken, strings.NewReader(`{"link":"`+stray.String()+`"}`))
	if r.status != http.StatusForbidden || r.apiError(t).Code != CodeInviteRefused || !strings.Contains(r.apiError(t).Message, "ask for a new invite link") {
		t.Fatalf("join through an unknown invite: %d %s", r.status, r.body)
	}
	var joined JoinResponse
	call(t, c, "POST", "/v1/groups/join", LinkRequest{Link: inv.Link}, &joined)
	if joined.Group != g.ID || joined.Status != "active" {
		t.Fatalf("join answered %+v", joined)
	}
	var got Group
	call(t, c, "GET", "/v1/groups/"+g.ID, nil, &got)
	if got.Status != "active" || len(got.Members) != 3 {
		t.Fatalf("c after joining: %+v", got)
	}
	// An account nobody published cannot be added.
	ghost, err := identity.NewAccount()
	if err != nil {
		t.Fatal(err)
	}
	r = do(t, "POST", a.url+"/v1/groups/"+g.ID+"/members", testToken, strings.NewReader(`{"accounts":["`+ghost.ID().String()+`"]}`))
	if r.status != http.StatusNotFound || !strings.Contains(r.apiError(t).Message, ghost.ID().Short()) {
		t.Fatalf("adding an unknown account: %d %s", r.status, r.body)
	}
	call(t, b, "POST", "/v1/groups/invites/revoke", LinkRequest{Link: inv.Link}, nil)
	call(t, a, "DELETE", "/v1/groups/"+g.ID+"/members/"+cID, nil, nil)
	call(t, b, "POST", "/v1/groups/"+g.ID+"/leave", nil, nil)
	var gs []Group
	call(t, b, "GET", "/v1/groups", nil, &gs)
	if len(gs) != 1 || gs[0].Status != "left" {
		t.Fatalf("b's groups after leaving: %+v", gs)
	}

	for _, bad := range []struct{ method, path, body string }{
		{"GET", "/v1/groups/zz", ""},
		{"POST", "/v1/groups", `{"name":"x","settings":{"post":"everyone"}}`},
		{"POST", "/v1/groups/join", `{"link":"nope"}`},
		{"PATCH", "/v1/groups/" + g.ID, `{}`},
		{"POST", "/v1/groups/" + g.ID + "/invites", `{"ttl_seconds":-1}`},
		{"PUT", "/v1/groups/" + g.ID + "/members/" + bID + "/role", `{"role":"owner"}`},
	} {
		r := do(t, bad.method, a.url+bad.path, testToken, strings.NewReader(bad.body))
		if r.status != http.StatusBadRequest {
			t.Errorf("%s %s %s: %d %s", bad.method, bad.path, bad.body, r.status, r.body)
		}
	}
	r = do(t, "GET", a.url+"/v1/groups/"+strings.Repeat("ab", 32), testToken, nil)
	if r.status != http.StatusNotFound {
		t.Fatalf("unknown group: %d", r.status)
	}
}

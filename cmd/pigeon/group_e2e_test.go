package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node/localapi"
)

// TestGroupUsageErrors: group verbs check their arguments before asking
// the daemon (none runs here).
func TestGroupUsageErrors(t *testing.T) {
	home := t.TempDir()
	id := newAccountID(t)
	gid := strings.Repeat("ab", 32)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"group", "frob"}, `unknown subcommand "frob"`},
		{[]string{"group", "create"}, "pigeon group create: want NAME"},
		{[]string{"group", "add", gid}, "want GROUP ACCOUNT..."},
		{[]string{"group", "remove", gid}, "want GROUP ACCOUNT"},
		{[]string{"group", "info"}, "want GROUP"},
		{[]string{"group", "settings", gid}, "want --post, --add or --edit"},
		{[]string{"group", "join"}, "want LINK"},
		{[]string{"send", "--group", gid}, "want --group GROUP TEXT"},
		{[]string{"history", "--group", gid, id}, "takes no arguments"},
		{[]string{"typing", "--group", gid, "maybe"}, "on or off"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, stdout, stderr := runCLI(t, append([]string{"--home", home}, c.args...)...)
			if code != exitUsage || stdout != "" || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want usage error containing %q", code, stdout, stderr, c.want)
			}
		})
	}
	for _, bad := range [][]string{{"group", "join", "pginope"}} {
		if code, _, stderr := runCLI(t, append([]string{"--home", home}, bad...)...); code == 0 || !strings.Contains(stderr, "invalid") {
			t.Errorf("%v: exit %d, stderr %q", bad, code, stderr)
		}
	}
}

// TestGroupWalkthrough runs the README's group section with the real
// binary: A makes a group with B, both talk, A promotes B, B makes an
// invite and revokes it, B leaves.
func TestGroupWalkthrough(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs two daemons")
	}
	bin := pigeonBinary(t)
	a := startDaemon(t, bin, "a")
	aAddrs := strings.Fields(a.waitFile(t, addrsFile))
	a.waitFile(t, addrFile)
	var bootstrap []string
	for _, ma := range aAddrs {
		bootstrap = append(bootstrap, "--bootstrap", ma)
	}
	b := startDaemon(t, bin, "b", bootstrap...)
	b.waitFile(t, addrFile)
	idB := decode[localapi.Info](t, pigeon(t, bin, b.home, "id", "--json"))

	var gid string
	deadline := time.Now().Add(e2eTimeout)
	for {
		// The first try can fail while B's device list reaches the DHT.
		stdout, _, code := pigeonExit(t, bin, a.home, "group", "create", "climbing", idB.Account, "--description", "Saturday trips")
		if code == 0 {
			gid = strings.TrimSpace(stdout)
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("group create kept failing")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(gid) != 64 {
		t.Fatalf("group create printed %q", gid)
	}
	pollGroup := func(home, what string, ok func(localapi.Group) bool) localapi.Group {
		t.Helper()
		deadline := time.Now().Add(e2eTimeout)
		for {
			if stdout, _, code := pigeonExit(t, bin, home, "group", "info", gid, "--json"); code == 0 {
				if g := decode[localapi.Group](t, stdout); ok(g) {
					return g
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	g := pollGroup(b.home, "B in the group", func(g localapi.Group) bool { return g.Status == "active" })
	if g.Name != "climbing" || g.Description != "Saturday trips" || len(g.Members) != 2 || g.Role != "member" {
		t.Fatalf("B's view %+v", g)
	}
	pigeon(t, bin, b.home, "send", "--group", gid, "hello climbers")
	pigeon(t, bin, a.home, "send", "--group", gid, "see you Saturday")
	pollGroupHistory := func(home string, n int) []localapi.Message {
		t.Helper()
		deadline := time.Now().Add(e2eTimeout)
		for {
			ms := decode[[]localapi.Message](t, pigeon(t, bin, home, "history", "--group", gid, "--json"))
			if len(ms) == n {
				return ms
			}
			if time.Now().After(deadline) {
				t.Fatalf("timed out: %d messages, want %d", len(ms), n)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	ha, hb := pollGroupHistory(a.home, 2), pollGroupHistory(b.home, 2)
	for i := range ha {
		if ha[i].ID != hb[i].ID || ha[i].Group != gid {
			t.Fatalf("histories differ: %+v / %+v", ha, hb)
		}
	}
	if n := strings.TrimSpace(pigeon(t, bin, a.home, "read", "--group", gid)); n != "1" {
		t.Fatalf("read --group printed %q", n)
	}
	pigeon(t, bin, a.home, "group", "promote", gid, idB.Account)
	pollGroup(b.home, "B an admin", func(g localapi.Group) bool { return g.Role == "admin" })
	link := strings.TrimSpace(pigeon(t, bin, b.home, "group", "invite", gid, "--ttl", "1h"))
	if !strings.HasPrefix(link, "pgi") {
		t.Fatalf("invite printed %q", link)
	}
	pollGroup(a.home, "A sees the invite", func(g localapi.Group) bool { return len(g.Invites) == 1 })
	pigeon(t, bin, b.home, "group", "revoke", link)
	pigeon(t, bin, b.home, "group", "leave", gid)
	pollGroup(a.home, "B gone at A", func(g localapi.Group) bool { return len(g.Members) == 1 && len(g.Invites) == 0 })
	list := decode[[]localapi.Group](t, pigeon(t, bin, b.home, "group", "list", "--json"))
	if len(list) != 1 || list[0].Status != "left" {
		t.Fatalf("B's groups %+v", list)
	}
	// Text output names members: "you" for A itself.
	if out := pigeon(t, bin, a.home, "group", "info", gid); !strings.Contains(out, "climbing") || !regexp.MustCompile(`member +you +owner`).MatchString(out) {
		t.Fatalf("info, text form: %q", out)
	}
}

// TestGroupJoinRevokedAndAddUnknown: with the real binary, joining through
// a revoked link ends with the maker's refusal and what to do, and adding
// an account nobody published fails naming it; neither changes the group.
func TestGroupJoinRevokedAndAddUnknown(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs two daemons")
	}
	bin := pigeonBinary(t)
	a := startDaemon(t, bin, "a")
	aAddrs := strings.Fields(a.waitFile(t, addrsFile))
	a.waitFile(t, addrFile)
	var bootstrap []string
	for _, ma := range aAddrs {
		bootstrap = append(bootstrap, "--bootstrap", ma)
	}
	b := startDaemon(t, bin, "b", bootstrap...)
	b.waitFile(t, addrFile)

	gid := strings.TrimSpace(pigeon(t, bin, a.home, "group", "create", "climbing"))
	link := strings.TrimSpace(pigeon(t, bin, a.home, "group", "invite", gid))
	pigeon(t, bin, a.home, "group", "revoke", link)
	deadline := time.Now().Add(e2eTimeout)
	for {
		stdout, stderr, code := pigeonExit(t, bin, b.home, "group", "join", link)
		if code == 0 || stdout != "" {
			t.Fatalf("join through a revoked link: exit %d, stdout %q, stderr %q", code, stdout, stderr)
		}
		if strings.Contains(stderr, "revoked") {
			if !strings.Contains(stderr, "ask for a new invite link") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Fatalf("refusal message %q", stderr)
			}
			break
		}
		// B may not find A's device list in the DHT yet.
		if time.Now().After(deadline) {
			t.Fatalf("join kept failing: %q", stderr)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, _, code := pigeonExit(t, bin, b.home, "group", "info", gid); code == 0 {
		t.Fatal("the refused joiner knows the group")
	}

	ghost := newAccountID(t)
	_, stderr, code := pigeonExit(t, bin, a.home, "group", "add", gid, ghost)
	if code != exitError || !strings.Contains(stderr, "unknown account") || !strings.Contains(stderr, ghost[:12]) {
		t.Fatalf("adding an unknown account: exit %d, stderr %q", code, stderr)
	}
	g := decode[localapi.Group](t, pigeon(t, bin, a.home, "group", "info", gid, "--json"))
	if len(g.Members) != 1 || len(g.Invites) != 0 {
		t.Fatalf("group after the refusals: %+v", g)
	}
}

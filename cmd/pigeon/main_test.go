package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/pigeon-net/pigeon/node/chats"
	"github.com/pigeon-net/pigeon/node/localapi"
	"github.com/pigeon-net/pigeon/protocol/identity"
)

// runCLI runs the program in-process.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runCLIStdin(t, "", args...)
}

// runCLIStdin runs the program in-process with stdin.
func runCLIStdin(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func newAccountID(t *testing.T) string {
	t.Helper()
	acct, err := identity.NewAccount()
	if err != nil {
		t.Fatal(err)
	}
	return acct.ID().String()
}

func badChecksumID(t *testing.T) string {
	b := []byte(newAccountID(t))
	if b[10] == 'a' {
		b[10] = 'b'
	} else {
		b[10] = 'a'
	}
	return string(b)
}

func TestUsageErrors(t *testing.T) {
	home := t.TempDir()
	id := newAccountID(t)
	cases := []struct {
		args []string
		want string // in the one stderr line
	}{
		{[]string{"bogus"}, `unknown verb "bogus"`},
		{[]string{"--nope"}, "flag provided but not defined"},
		{[]string{"send"}, "pigeon send: want ACCOUNT TEXT"},
		{[]string{"send", id}, "want ACCOUNT TEXT"},
		{[]string{"send", id, ""}, "empty text: give the text to send, or - to read it from stdin"},
		{[]string{"help", "group", "frob"}, `pigeon group has no subcommand "frob"`},
		{[]string{"help", "id", "x"}, "pigeon id has no subcommands"},
		{[]string{"version", "x"}, "takes no arguments"},
		{[]string{"id", "extra"}, "pigeon id: takes no arguments"},
		{[]string{"history"}, "want ACCOUNT"},
		{[]string{"history", id, "--limit", "0"}, "--limit must be 1 to 1000"},
		{[]string{"history", id, "--limit", "many"}, "invalid value"},
		{[]string{"history", id, "--before", "xyz"}, "--before"},
		{[]string{"read", id, id}, "want ACCOUNT"},
		{[]string{"send", "--json", id, "hi"}, "flag provided but not defined: -json"},
		{[]string{"contacts", "frob"}, `unknown subcommand "frob"`},
		{[]string{"contacts", "add", id}, "pigeon contacts add: want ACCOUNT NAME"},
		{[]string{"contacts", "remove"}, "want ACCOUNT"},
		{[]string{"daemon", "--api", "0.0.0.0:0"}, "not a loopback address"},
		{[]string{"daemon", "--api", "192.0.2.1:80"}, "not a loopback address"},
		{[]string{"daemon", "--log-level", "loud"}, "--log-level"},
		{[]string{"daemon", "--log-format", "xml"}, "--log-format"},
		{[]string{"help", "nope"}, `unknown verb "nope"`},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, stdout, stderr := runCLI(t, append([]string{"--home", home}, c.args...)...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			if strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, c.want) {
				t.Errorf("stderr %q, want one line containing %q", stderr, c.want)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{nil, "Verbs:"}, // bare pigeon: usage, not an error
		{[]string{"help"}, "Verbs:"},
		{[]string{"help", "group", "invite"}, "Usage: pigeon group invite [flags] GROUP\n\nMake an invite link"},
		{[]string{"group", "invite", "-h"}, "Usage: pigeon group invite [flags] GROUP"},
		{[]string{"help", "contacts", "rm"}, "Usage: pigeon contacts remove [flags] ACCOUNT"},
		{[]string{"help", "group"}, "Subcommands ('pigeon help group SUBCOMMAND' for one):"},
		{[]string{"version", "-h"}, "Usage: pigeon version"},
		{[]string{"-h"}, "Verbs:"},
		{[]string{"help", "history"}, "-limit"},
		{[]string{"history", "-h"}, "-limit"},
		{[]string{"send", "--help"}, "Usage: pigeon send [flags] ACCOUNT TEXT"},
		{[]string{"chats", "-h"}, "Usage: pigeon conversations"},
		{[]string{"daemon", "-h"}, "-bootstrap"},
	}
	for _, c := range cases {
		code, stdout, stderr := runCLI(t, c.args...)
		if code != exitOK || !strings.Contains(stdout, c.want) || stderr != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 0 and %q on stdout", c.args, code, stdout, stderr, c.want)
		}
	}
	// Every verb has help.
	for _, c := range commands {
		if code, stdout, _ := runCLI(t, c.name, "-h"); c.name != "help" && (code != exitOK || !strings.Contains(stdout, "pigeon "+c.name)) {
			t.Errorf("%s -h: exit %d, stdout %q", c.name, code, stdout)
		}
	}
}

const checksumLine = "pigeon: invalid account ID: checksum mismatch (typo?): check it, or use the contact's name\n"

func TestInvalidAccountID(t *testing.T) {
	home := t.TempDir()
	bad := badChecksumID(t)
	for _, args := range [][]string{
		{"send", bad, "hello"},
		{"history", bad},
		{"read", bad},
		{"safety-number", bad},
		{"contacts", "add", bad, "Bob"},
		{"contacts", "verify", bad},
	} {
		code, stdout, stderr := runCLI(t, append([]string{"--home", home}, args...)...)
		if code != exitError || stdout != "" || stderr != checksumLine {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 1 and %q", args, code, stdout, stderr, checksumLine)
		}
	}
	code, _, stderr := runCLI(t, "--home", home, "send", "pg"+strings.Repeat("!", 58), "hi")
	if want := "pigeon: invalid account ID: not base32\n"; code != exitError || stderr != want {
		t.Errorf("malformed ID: exit %d, stderr %q; want 1 and %q", code, stderr, want)
	}
	// Anything else may be a contact's name, which takes the daemon.
	code, _, stderr = runCLI(t, "--home", home, "send", "alice", "hi")
	if want := notRunningLine(home); code != exitError || stderr != want {
		t.Errorf("a name without a daemon: exit %d, stderr %q; want 1 and %q", code, stderr, want)
	}
}

// notRunningLine is what a verb prints when no daemon runs for home.
func notRunningLine(home string) string {
	return "pigeon: is the daemon running? start it with `pigeon --home " + home + " daemon`\n"
}

func TestDaemonNotRunning(t *testing.T) {
	id := newAccountID(t)
	verbs := [][]string{{"id"}, {"send", id, "hi"}, {"history", id}, {"watch"}, {"contacts"}, {"conversations"}}

	t.Run("no api.addr", func(t *testing.T) {
		home := t.TempDir()
		for _, v := range verbs {
			code, stdout, stderr := runCLI(t, append([]string{"--home", home}, v...)...)
			if code != exitError || stdout != "" || stderr != notRunningLine(home) {
				t.Errorf("%v: exit %d, stdout %q, stderr %q", v, code, stdout, stderr)
			}
		}
	})

	t.Run("stale api.addr", func(t *testing.T) {
		home := t.TempDir()
		if _, err := localapi.LoadOrCreateToken(home); err != nil {
			t.Fatal(err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close() // nothing listens there now
		if err := os.WriteFile(filepath.Join(home, addrFile), []byte(addr+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, v := range verbs {
			code, stdout, stderr := runCLI(t, append([]string{"--home", home}, v...)...)
			if code != exitError || stdout != "" || stderr != notRunningLine(home) {
				t.Errorf("%v: exit %d, stdout %q, stderr %q", v, code, stdout, stderr)
			}
		}
	})
}

func TestWrongToken(t *testing.T) {
	home := t.TempDir()
	if _, err := localapi.LoadOrCreateToken(home); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	// A server with another token rejects every request before it would
	// reach the (absent) node.
	srv := localapi.New(nil, strings.Repeat("ab", 32), slog.New(slog.DiscardHandler))
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close(); <-done })
	if err := os.WriteFile(filepath.Join(home, addrFile), []byte(ln.Addr().String()), 0o644); err != nil {
		t.Fatal(err)
	}
	const want = "pigeon: unauthorized: the daemon in api.addr rejected this home's API token (is api.addr left over from another daemon? restart it with `pigeon daemon`)\n"
	for _, v := range [][]string{{"id"}, {"watch"}, {"contacts", "--json"}} {
		code, stdout, stderr := runCLI(t, append([]string{"--home", home}, v...)...)
		if code != exitError || stdout != "" || stderr != want {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 1 and %q", v, code, stdout, stderr, want)
		}
	}
}

// Texts on stdin, and texts too long for a message, which point to --file;
// both are checked before the daemon is asked.
func TestSendTextChecks(t *testing.T) {
	home := t.TempDir()
	id := newAccountID(t)
	long := strings.Repeat("x", chats.MaxTextSize+1)
	for _, c := range []struct {
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"hello\n", []string{"send", id, "-"}, exitError, "is the daemon running?"}, // read, then off to the daemon
		{"", []string{"send", id, "-"}, exitUsage, "empty text: give the text to send, or - to read it from stdin"},
		{long, []string{"send", id, "-"}, exitError, "the text on stdin is over the limit of 65536 bytes: send it as a file with `pigeon send " + id + " --file PATH`"},
		{"", []string{"send", id, long}, exitError, "the text is 65537 bytes, over the limit of 65536: send it as a file with `pigeon send " + id + " --file PATH`"},
		{long, []string{"send", "--group", "climbing", "-"}, exitError, "send it as a file with `pigeon send --group climbing --file PATH`"},
		{"\xff\xfe", []string{"send", id, "-"}, exitError, "not valid UTF-8"},
	} {
		code, stdout, stderr := runCLIStdin(t, c.stdin, append([]string{"--home", home}, c.args...)...)
		if code != c.code || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, c.want) {
			t.Errorf("%.60q on stdin, %.80q: exit %d, stderr %q; want %d and %q", c.stdin, c.args, code, stderr, c.code, c.want)
		}
	}
}

// version prints the module version and the VCS revision from the build
// information (a test binary has none of the latter).
func TestVersion(t *testing.T) {
	code, stdout, stderr := runCLI(t, "version")
	if code != exitOK || stderr != "" || !strings.HasPrefix(stdout, "pigeon ") || !strings.HasSuffix(stdout, runtime.Version()+"\n") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, stdout, _ = runCLI(t, "version", "--json")
	var v versionInfo
	if code != exitOK || json.Unmarshal([]byte(stdout), &v) != nil || v.Go != runtime.Version() || v.Version == "" {
		t.Fatalf("version --json: exit %d, %q", code, stdout)
	}
}

func TestParseInterspersed(t *testing.T) {
	a := &app{}
	fs := a.flagSet(lookup("history"))
	historyFlags(fs)
	pos, err := parseInterspersed(fs, []string{"x", "--limit", "5", "y", "--json", "--", "--limit", "-z"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"x", "y", "--limit", "-z"}; !reflect.DeepEqual(pos, want) {
		t.Fatalf("positional %q, want %q", pos, want)
	}
	if flagValue[int](fs, "limit") != 5 || !a.json {
		t.Fatalf("limit %d, json %v", flagValue[int](fs, "limit"), a.json)
	}
}

func TestDefaultHome(t *testing.T) {
	t.Setenv("PIGEON_HOME", "/p")
	t.Setenv("XDG_DATA_HOME", "/x")
	if h, _ := defaultHome(); h != "/p" {
		t.Errorf("with PIGEON_HOME: %q", h)
	}
	t.Setenv("PIGEON_HOME", "")
	if h, _ := defaultHome(); h != filepath.Join("/x", "pigeon") {
		t.Errorf("with XDG_DATA_HOME: %q", h)
	}
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/u")
	if h, _ := defaultHome(); h != filepath.Join("/home/u", ".local", "share", "pigeon") {
		t.Errorf("fallback: %q", h)
	}
}

func TestClean(t *testing.T) {
	cases := map[string]string{
		"hello":              "hello",
		"two\nlines":         `two\nlines`,
		"\x1b[2Jcleared":     `\u001b[2Jcleared`,
		"abc\u202edcba":      `abc\u202edcba`,
		"naïve café 🐦":       "naïve café 🐦",
		"bell\a":             `bell\u0007`,
		"c1 \u009b31m":       `c1 \u009b31m`,
		"tab\tsep":           `tab\tsep`,
		string([]byte{0xff}): `\ufffd`,
	}
	for in, want := range cases {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGroupDigits(t *testing.T) {
	if got := groupDigits("123456789012"); got != "12345 67890 12" {
		t.Fatalf("got %q", got)
	}
}

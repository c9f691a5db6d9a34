package main

import (
	"bytes"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pigeon-net/pigeon/node/localapi"
	"github.com/pigeon-net/pigeon/protocol/identity"
)

// runCLI runs the program in-process.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
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
		{nil, "no verb given"},
		{[]string{"bogus"}, `unknown verb "bogus"`},
		{[]string{"--nope"}, "flag provided but not defined"},
		{[]string{"send"}, "pigeon send: want ACCOUNT TEXT"},
		{[]string{"send", id}, "want ACCOUNT TEXT"},
		{[]string{"send", id, ""}, "empty text"},
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
		{[]string{"help"}, "Verbs:"},
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

func TestInvalidAccountID(t *testing.T) {
	home := t.TempDir()
	bad := badChecksumID(t)
	const checksumLine = "pigeon: invalid account ID: checksum mismatch (typo?)\n"
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
	code, _, stderr := runCLI(t, "--home", home, "send", "alice", "hi")
	if want := "pigeon: invalid account ID: must start with \"pg\"\n"; code != exitError || stderr != want {
		t.Errorf("malformed ID: exit %d, stderr %q; want 1 and %q", code, stderr, want)
	}
}

const notRunningLine = "pigeon: daemon not running (start it with `pigeon daemon`)\n"

func TestDaemonNotRunning(t *testing.T) {
	id := newAccountID(t)
	verbs := [][]string{{"id"}, {"send", id, "hi"}, {"history", id}, {"watch"}, {"contacts"}, {"conversations"}}

	t.Run("no api.addr", func(t *testing.T) {
		home := t.TempDir()
		for _, v := range verbs {
			code, stdout, stderr := runCLI(t, append([]string{"--home", home}, v...)...)
			if code != exitError || stdout != "" || stderr != notRunningLine {
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
			if code != exitError || stdout != "" || stderr != notRunningLine {
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
	const want = "pigeon: unauthorized: API token rejected\n"
	for _, v := range [][]string{{"id"}, {"watch"}, {"contacts", "--json"}} {
		code, stdout, stderr := runCLI(t, append([]string{"--home", home}, v...)...)
		if code != exitError || stdout != "" || stderr != want {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 1 and %q", v, code, stdout, stderr, want)
		}
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

package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node/localapi"
	"github.com/pigeon-net/pigeon/protocol/identity"
)

// The README walkthrough: its commands, exactly as README.md has them, with
// what each is documented to do. TestREADMEWalkthrough checks that the
// README's sections hold exactly these commands in this order, then runs
// them through sh with the built binary for ./pigeon and a temporary
// directory for /tmp.

// walkthroughSections are the README sections that form the walkthrough.
var walkthroughSections = []string{"Two nodes on one machine", "Files: photos, videos, documents", "Relays", "Groups"}

// readmeStep is one command of the walkthrough.
type readmeStep struct {
	cmd string
	// skip says why the test does not run the command itself.
	skip string
	// bg: the command runs until stopped, in a terminal of its own (a
	// daemon, the relay, watch); the step waits until it is ready.
	bg bool
	// eventually: the command is run again until check passes, as a
	// reader would while the network catches up ("once ...").
	eventually bool
	// check tests the outcome; an error fails the step.
	check func(w *walkthrough, r cmdResult) error
}

type cmdResult struct {
	stdout, stderr string
	code           int
}

// ok is the check of a command that must just succeed.
func ok(_ *walkthrough, r cmdResult) error {
	if r.code != 0 {
		return fmt.Errorf("exit %d: %s", r.code, r.stderr)
	}
	return nil
}

// succeeds returns a check: exit 0, and f on the output.
func succeeds(f func(w *walkthrough, stdout, stderr string) error) func(*walkthrough, cmdResult) error {
	return func(w *walkthrough, r cmdResult) error {
		if r.code != 0 {
			return fmt.Errorf("exit %d: %s", r.code, r.stderr)
		}
		return f(w, r.stdout, r.stderr)
	}
}

// contains returns a check: exit 0 and stdout containing every part (on one
// line when inLine).
func contains(parts ...string) func(*walkthrough, cmdResult) error {
	return succeeds(func(w *walkthrough, stdout, _ string) error {
		for _, line := range strings.Split(stdout, "\n") {
			all := true
			for _, p := range parts {
				all = all && strings.Contains(line, w.expand(p))
			}
			if all {
				return nil
			}
		}
		return fmt.Errorf("no line with %q in:\n%s", parts, stdout)
	})
}

var (
	messageIDRe    = regexp.MustCompile(`^[0-9a-f]{32}$`)
	safetyNumberRe = regexp.MustCompile(`^[0-9]{5}( [0-9]{5}){11}$`)
)

// isAccount checks a value assigned to an account variable.
func isAccount(_ *walkthrough, r cmdResult) error {
	if _, err := identity.ParseAccountID(strings.TrimSpace(r.stdout)); r.code != 0 || err != nil {
		return fmt.Errorf("exit %d, %q: %v", r.code, r.stdout, err)
	}
	return nil
}

// isMessageID checks a value assigned to a message variable (or printed).
func isMessageID(_ *walkthrough, r cmdResult) error {
	if r.code != 0 || !messageIDRe.MatchString(strings.TrimSpace(r.stdout)) {
		return fmt.Errorf("exit %d, stdout %q, stderr %q; want a message ID", r.code, r.stdout, r.stderr)
	}
	return nil
}

var readmeSteps = []readmeStep{
	// Two nodes on one machine.
	{cmd: `go build -o pigeon ./cmd/pigeon`, skip: "the test builds the binary itself (pigeonBinary)"},
	{cmd: `./pigeon --home /tmp/alice daemon --listen /ip4/127.0.0.1/tcp/0`, bg: true},
	{cmd: `./pigeon --home /tmp/bob daemon --listen /ip4/127.0.0.1/tcp/0 --bootstrap "$(head -n1 /tmp/alice/addrs)"`, bg: true},
	{cmd: `./pigeon --home /tmp/alice watch`, bg: true},
	{cmd: `ALICE=$(./pigeon --home /tmp/alice id --json | sed -n 's/.*"account": *"\([^"]*\)".*/\1/p')`, check: isAccount},
	{cmd: `BOB=$(./pigeon --home /tmp/bob id --json | sed -n 's/.*"account": *"\([^"]*\)".*/\1/p')`, check: isAccount},
	{cmd: `./pigeon --home /tmp/alice contacts add "$BOB" bob`, check: succeeds(func(_ *walkthrough, _, stderr string) error {
		if !strings.HasPrefix(stderr, "saved contact ") {
			return fmt.Errorf("stderr %q", stderr)
		}
		return nil
	})},
	{cmd: `./pigeon --home /tmp/bob contacts add "$ALICE" alice`, check: ok},
	{cmd: `./pigeon --home /tmp/alice send bob "hello bob"`, check: func(w *walkthrough, r cmdResult) error {
		if err := isMessageID(w, r); err != nil {
			return err
		}
		w.vars["HELLO"] = strings.TrimSpace(r.stdout)
		return nil
	}},
	{cmd: `./pigeon --home /tmp/bob history alice`, eventually: true, check: contains("in", "received", "hello bob")},
	{cmd: `./pigeon --home /tmp/bob read alice`, check: succeeds(func(_ *walkthrough, stdout, _ string) error {
		if stdout != "1\n" {
			return fmt.Errorf("read printed %q, want 1", stdout)
		}
		return nil
	})},
	{cmd: `./pigeon --home /tmp/alice history bob`, eventually: true, check: contains("out", "read", "hello bob")},
	{cmd: `./pigeon --home /tmp/alice status`, eventually: true, check: succeeds(func(w *walkthrough, stdout, _ string) error {
		for _, want := range []string{"account ", w.vars["ALICE"], "DHT ", "server, 1 peers in the routing table", "pending ", "none"} {
			if !strings.Contains(stdout, want) {
				return fmt.Errorf("status lacks %q:\n%s", want, stdout)
			}
		}
		if strings.Contains(stdout, "warning") {
			return fmt.Errorf("warnings:\n%s", stdout)
		}
		return nil
	})},
	{cmd: `./pigeon --home /tmp/alice safety-number bob`, check: succeeds(func(w *walkthrough, stdout, _ string) error {
		bobs := w.pigeon("bob", "safety-number", "alice")
		if !safetyNumberRe.MatchString(strings.TrimSpace(stdout)) || stdout != bobs {
			return fmt.Errorf("alice's %q, bob's %q", stdout, bobs)
		}
		// alice's watch saw the message delivered and read, naming bob.
		return w.waitOutput("./pigeon --home /tmp/alice watch", "message "+w.vars["HELLO"]+" to bob: read", "read receipt from bob")
	})},

	// Files.
	{cmd: `printf 'Saturday: meet at 9\n' > /tmp/plan.txt`, check: ok},
	{cmd: `FILE=$(./pigeon --home /tmp/alice send bob --file /tmp/plan.txt --caption "the plan")`, check: isMessageID},
	{cmd: `./pigeon --home /tmp/bob media list alice`, eventually: true, check: contains("$FILE", "in", "plan.txt")},
	{cmd: `./pigeon --home /tmp/bob media get "$FILE" --out /tmp/plan-copy.txt`, check: succeeds(func(w *walkthrough, stdout, _ string) error {
		got, err := os.ReadFile(w.expand("/tmp/plan-copy.txt"))
		if err != nil || string(got) != "Saturday: meet at 9\n" || strings.TrimSpace(stdout) != w.expand("/tmp/plan-copy.txt") {
			return fmt.Errorf("stdout %q, file %q, %v", stdout, got, err)
		}
		return nil
	})},
	{cmd: `./pigeon --home /tmp/bob media auto 0`, check: ok},
	{cmd: `./pigeon --home /tmp/bob media auto alice 100000000`, check: succeeds(func(w *walkthrough, _, _ string) error {
		if got := w.pigeon("bob", "media", "auto"); got != "0\n" {
			return fmt.Errorf("media auto now %q", got)
		}
		return nil
	})},

	// Relays.
	{cmd: `./pigeon --home /tmp/relay relay --listen /ip4/127.0.0.1/tcp/0`, bg: true},
	{cmd: `./pigeon --home /tmp/carol daemon --listen /ip4/127.0.0.1/tcp/0 --relay "$(head -n1 /tmp/relay/addrs)"`, bg: true},
	{cmd: `./pigeon --home /tmp/bob relays add "$(head -n1 /tmp/relay/addrs)"`, check: ok},
	{cmd: `CAROL=$(./pigeon --home /tmp/carol id --json | sed -n 's/.*"account": *"\([^"]*\)".*/\1/p')`, check: isAccount},
	{cmd: `./pigeon --home /tmp/carol contacts add "$BOB" bob`, check: ok},
	{cmd: `./pigeon --home /tmp/carol send bob "hi bob, carol here"`, check: isMessageID},
	{cmd: `./pigeon --home /tmp/bob history "$CAROL"`, eventually: true, check: contains("in", "received", "hi bob, carol here")},
	{cmd: `./pigeon --home /tmp/carol status`, eventually: true, check: contains("relay", "reserved, mailbox")},
	{cmd: `./pigeon --home /tmp/bob relays`, eventually: true, check: contains("/p2p/", "reserved, mailbox", " ms")},

	// Groups.
	{cmd: `G=$(./pigeon --home /tmp/alice group create climbing bob --description "Saturday trips")`, check: succeeds(func(_ *walkthrough, stdout, _ string) error {
		if !regexp.MustCompile(`^[0-9a-f]{64}\n$`).MatchString(stdout) {
			return fmt.Errorf("group create printed %q", stdout)
		}
		return nil
	})},
	{cmd: `./pigeon --home /tmp/bob group info "$G"`, eventually: true, check: succeeds(func(_ *walkthrough, stdout, _ string) error {
		for _, want := range []string{"climbing", "Saturday trips", "active (you: member)", "alice", "owner", "you"} {
			if !strings.Contains(stdout, want) {
				return fmt.Errorf("group info lacks %q:\n%s", want, stdout)
			}
		}
		return nil
	})},
	{cmd: `./pigeon --home /tmp/bob send --group climbing "hello climbers"`, check: isMessageID},
	{cmd: `./pigeon --home /tmp/alice history --group climbing`, eventually: true, check: contains("bob", "received", "hello climbers")},
	{cmd: `./pigeon --home /tmp/alice read --group climbing`, check: succeeds(func(_ *walkthrough, stdout, _ string) error {
		if stdout != "1\n" {
			return fmt.Errorf("read --group printed %q", stdout)
		}
		return nil
	})},
	{cmd: `./pigeon --home /tmp/alice send --group climbing --file /tmp/plan.txt`, check: isMessageID},
	{cmd: `./pigeon --home /tmp/bob media list --group climbing`, eventually: true, check: contains("in", "plan.txt")},
	{cmd: `./pigeon --home /tmp/alice group promote climbing bob`, check: ok},
	{cmd: `LINK=$(./pigeon --home /tmp/bob group invite climbing --ttl 24h)`, eventually: true, check: succeeds(func(_ *walkthrough, stdout, _ string) error {
		if !strings.HasPrefix(stdout, "pgi") {
			return fmt.Errorf("invite printed %q", stdout)
		}
		return nil
	})},
	{cmd: `./pigeon --home /tmp/carol group join "$LINK"`, check: succeeds(func(w *walkthrough, stdout, _ string) error {
		if strings.TrimSpace(stdout) != w.vars["G"] {
			return fmt.Errorf("join printed %q, want %s", stdout, w.vars["G"])
		}
		// bob's node lets carol in: she is a member at alice's too.
		return w.poll("carol in the group at alice", func() error {
			g := decode[localapi.Group](w.t, w.pigeon("alice", "group", "info", "climbing", "--json"))
			for _, m := range g.Members {
				if m.Account == w.vars["CAROL"] {
					return nil
				}
			}
			return fmt.Errorf("members %+v", g.Members)
		})
	})},
	{cmd: `./pigeon --home /tmp/bob group revoke "$LINK"`, check: ok},
	{cmd: `./pigeon --home /tmp/alice group rm climbing "$CAROL"`, check: ok},
	{cmd: `./pigeon --home /tmp/bob group leave climbing`, check: succeeds(func(w *walkthrough, _, _ string) error {
		return w.poll("alice alone in the group", func() error {
			g := decode[localapi.Group](w.t, w.pigeon("alice", "group", "info", "climbing", "--json"))
			if len(g.Members) != 1 || g.Members[0].Account != w.vars["ALICE"] || len(g.Invites) != 0 {
				return fmt.Errorf("members %+v, invites %+v", g.Members, g.Invites)
			}
			return nil
		})
	})},
}

// walkthrough runs the README's commands.
type walkthrough struct {
	t    *testing.T
	bin  string
	tmp  string            // stands for /tmp
	vars map[string]string // shell variables the README assigned, and the test's own
	bg   map[string]*daemon
}

// expand puts the test's directory for /tmp and the values of $VARS into s.
func (w *walkthrough) expand(s string) string {
	s = strings.ReplaceAll(s, "/tmp/", w.tmp+"/")
	return os.Expand(s, func(k string) string {
		if v, ok := w.vars[k]; ok {
			return v
		}
		return "$" + k
	})
}

// script is a README command as sh runs it here.
func (w *walkthrough) script(cmd string) string {
	cmd = strings.ReplaceAll(cmd, "/tmp/", w.tmp+"/")
	return strings.ReplaceAll(cmd, "./pigeon ", w.bin+" ")
}

func (w *walkthrough) env() []string {
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + w.tmp}
	for k, v := range w.vars {
		env = append(env, k+"="+v)
	}
	return env
}

// sh runs a script and returns its outcome.
func (w *walkthrough) sh(script string) cmdResult {
	cmd := exec.Command("sh", "-c", script)
	cmd.Env = w.env()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	code := 0
	switch {
	case err == nil:
	case errors.As(err, &exit):
		code = exit.ExitCode()
	default:
		w.t.Fatalf("run %q: %v", script, err)
	}
	return cmdResult{out.String(), errb.String(), code}
}

// pigeon runs the binary for a check (not a README command) on the home of
// one of the walkthrough's people.
func (w *walkthrough) pigeon(who string, args ...string) string {
	w.t.Helper()
	return pigeon(w.t, w.bin, filepath.Join(w.tmp, who), args...)
}

// poll calls f until it succeeds or e2eTimeout passes.
func (w *walkthrough) poll(what string, f func() error) error {
	deadline := time.Now().Add(e2eTimeout)
	for {
		err := f()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out waiting for %s: %w", what, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitOutput waits until the output of the background command cmd holds
// every part.
func (w *walkthrough) waitOutput(cmd string, parts ...string) error {
	d := w.bg[cmd]
	return w.poll("output of "+cmd, func() error {
		out := d.log.String()
		for _, p := range parts {
			if !strings.Contains(out, p) {
				return fmt.Errorf("no %q in:\n%s", p, out)
			}
		}
		return nil
	})
}

// start runs a background command and waits until it is ready: a daemon
// has written api.addr and addrs, a relay addrs, watch its first line.
func (w *walkthrough) start(cmd string) {
	t := w.t
	t.Helper()
	fields := strings.Fields(cmd)
	home := ""
	for i, f := range fields {
		if f == "--home" && i+1 < len(fields) {
			home = w.expand(fields[i+1])
		}
	}
	d := &daemon{home: home, log: new(syncBuffer), exited: make(chan struct{})}
	d.cmd = exec.Command("sh", "-c", "exec "+w.script(cmd))
	d.cmd.Env = w.env()
	d.cmd.Stdout, d.cmd.Stderr = d.log, d.log
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		d.err = d.cmd.Wait()
		close(d.exited)
	}()
	t.Cleanup(func() {
		if err := d.stop(t); err != nil && !strings.Contains(cmd, " relay ") {
			t.Errorf("%s: exit %v", cmd, err)
		}
		if t.Failed() {
			t.Logf("output of %s:\n%s", cmd, d.log.String())
		}
	})
	w.bg[cmd] = d
	switch {
	case strings.Contains(cmd, " daemon "):
		d.waitFile(t, addrFile)
		d.waitFile(t, addrsFile)
	case strings.Contains(cmd, " relay "):
		d.waitFile(t, addrsFile)
	default:
		if err := w.waitOutput(cmd, "watching for events"); err != nil {
			t.Fatal(err)
		}
	}
}

// assignment splits `VAR=$(command)`.
var assignment = regexp.MustCompile(`^([A-Z]+)=\$\((.*)\)$`)

// run runs one step and checks it.
func (w *walkthrough) run(s readmeStep) {
	t := w.t
	t.Helper()
	if s.bg {
		w.start(s.cmd)
		return
	}
	script, variable := s.cmd, ""
	if m := assignment.FindStringSubmatch(s.cmd); m != nil {
		variable, script = m[1], m[2]
	}
	check := s.check
	if check == nil {
		check = ok
	}
	attempt := func() error {
		r := w.sh(w.script(script))
		if err := check(w, r); err != nil {
			return err
		}
		if variable != "" {
			w.vars[variable] = strings.TrimSpace(r.stdout)
		}
		return nil
	}
	var err error
	if s.eventually {
		err = w.poll("the documented outcome", attempt)
	} else {
		err = attempt()
	}
	if err != nil {
		t.Fatalf("README step %q: %v", s.cmd, err)
	}
}

// readmeCommands returns the shell commands of the README's sections
// named, in order: continuation lines joined, comments dropped.
func readmeCommands(t *testing.T, sections []string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var cmds []string
	in, block := false, false
	var cont string
	for _, line := range strings.Split(string(b), "\n") {
		if h, ok := strings.CutPrefix(line, "## "); ok && !block {
			in = false
			for _, s := range sections {
				in = in || h == s
			}
			continue
		}
		if strings.HasPrefix(line, "```") {
			block = !block && strings.TrimPrefix(line, "```") == "sh"
			continue
		}
		if !in || !block {
			continue
		}
		line = strings.TrimSpace(stripComment(line))
		if joined, ok := strings.CutSuffix(line, "\\"); ok {
			cont += strings.TrimSpace(joined) + " "
			continue
		}
		line = cont + line
		cont = ""
		if line != "" {
			cmds = append(cmds, line)
		}
	}
	return cmds
}

// stripComment cuts a shell comment (a # outside quotes, at the start or
// after a blank) off a line.
func stripComment(line string) string {
	var quote rune
	prev := ' '
	for i, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		case r == '#' && (prev == ' ' || prev == '\t'):
			return line[:i]
		}
		prev = r
	}
	return line
}

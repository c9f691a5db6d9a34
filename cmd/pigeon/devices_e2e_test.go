package main

import (
	"bytes"
	"image"
	"image/color"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/pigeon-net/pigeon/node/localapi"
)

// TestDevicesUsageErrors: the devices verbs and init --link check their
// arguments before asking the daemon (none runs here).
func TestDevicesUsageErrors(t *testing.T) {
	home := t.TempDir()
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"devices", "frob"}, `unknown subcommand "frob"`},
		{[]string{"devices", "revoke"}, "pigeon devices revoke: want ID"},
		{[]string{"devices", "revoke", "laptop"}, "want a device ID"},
		{[]string{"devices", "revoke", "0"}, "want a device ID"},
		{[]string{"devices", "rename", "2"}, "want ID NAME"},
		{[]string{"devices", "link", "now"}, "takes no arguments"},
		{[]string{"init", "--name", "laptop"}, "--name goes with --link"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, stdout, stderr := runCLI(t, append([]string{"--home", home}, c.args...)...)
			if code != exitUsage || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want a usage error containing %q", code, stdout, stderr, c.want)
			}
		})
	}
	// A code that is not one says to copy it again, and leaves the home
	// without an account.
	code, _, stderr := runCLI(t, "--home", home, "init", "--link", "pigeon-link:abc")
	if code != exitError || !strings.Contains(stderr, "copy the whole code again") {
		t.Errorf("init with a broken code: exit %d, stderr %q", code, stderr)
	}
}

// TestAgo: last seen as the device list shows it.
func TestAgo(t *testing.T) {
	for d, want := range map[time.Duration]string{
		10 * time.Second:    "just now",
		time.Minute:         "1 minute ago",
		59 * time.Minute:    "59 minutes ago",
		3 * time.Hour:       "3 hours ago",
		31 * 24 * time.Hour: "31 days ago",
	} {
		if got := ago(d); got != want {
			t.Errorf("ago(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestTerminalQR reads the terminal QR code back: light half blocks are
// light modules, and a QR reader finds the text in it.
func TestTerminalQR(t *testing.T) {
	text := "PIGEON-LINK:" + strings.Repeat("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 12)
	qr, err := terminalQR(text)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(qr, "\n"), "\n")
	width := len([]rune(lines[0]))
	if width > 80 {
		t.Fatalf("QR code is %d columns wide, more than a terminal's 80", width)
	}
	// Draw the modules as pixels, dark where the terminal shows nothing.
	const scale = 4
	img := image.NewGray(image.Rect(0, 0, width*scale, 2*len(lines)*scale))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	dark := func(x, y int) {
		for dy := range scale {
			for dx := range scale {
				img.SetGray(x*scale+dx, y*scale+dy, color.Gray{})
			}
		}
	}
	for y, line := range lines {
		for x, r := range []rune(line) {
			if r == ' ' || r == '▄' { // the top module is dark
				dark(x, 2*y)
			}
			if r == ' ' || r == '▀' { // the bottom one
				dark(x, 2*y+1)
			}
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("read the terminal QR code: %v", err)
	}
	if res.GetText() != text {
		t.Fatalf("QR code holds %q, want %q", res.GetText(), text)
	}
}

// running is a pigeon command running in the background, its output
// collected.
type running struct {
	cmd            *exec.Cmd
	stdin          io.WriteCloser
	stdout, stderr *syncBuffer
	exited         chan struct{}
	err            error // set before exited is closed
}

func startPigeon(t *testing.T, bin, home string, args ...string) *running {
	t.Helper()
	r := &running{stdout: new(syncBuffer), stderr: new(syncBuffer), exited: make(chan struct{})}
	r.cmd = exec.Command(bin, append([]string{"--home", home}, args...)...)
	r.cmd.Stdout, r.cmd.Stderr = r.stdout, r.stderr
	var err error
	if r.stdin, err = r.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		r.err = r.cmd.Wait()
		close(r.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-r.exited:
		default:
			r.cmd.Process.Kill()
			<-r.exited
		}
		if t.Failed() {
			t.Logf("pigeon %s:\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.stdout, r.stderr)
		}
	})
	return r
}

// waitMatch polls the output until re matches it and returns the
// submatches.
func (r *running) waitMatch(t *testing.T, out *syncBuffer, re *regexp.Regexp, what string) []string {
	t.Helper()
	deadline := time.Now().Add(e2eTimeout)
	for {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m
		}
		select {
		case <-r.exited:
			if m := re.FindStringSubmatch(out.String()); m != nil {
				return m
			}
			t.Fatalf("exited (%v) before printing %s", r.err, what)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (r *running) wait(t *testing.T) error {
	t.Helper()
	select {
	case <-r.exited:
		return r.err
	case <-time.After(e2eTimeout):
		t.Fatal("timed out waiting for the command to exit")
		return nil
	}
}

var sasLine = regexp.MustCompile(`Confirmation code: (\d{3} \d{3})`)

// TestDevicesLinkE2E links a second device with the built binary, as a
// person does: `pigeon devices link` on A, `pigeon init --link CODE` on a
// fresh home B, "y" on A once both show the same confirmation code. B then
// has A's history, sends from the account (A shows the message as sent),
// and A revokes it.
func TestDevicesLinkE2E(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs three daemons")
	}
	bin := pigeonBinary(t)
	a := startDaemon(t, bin, "alice")
	var boot []string
	for _, ma := range strings.Fields(a.waitFile(t, addrsFile)) {
		boot = append(boot, "--bootstrap", ma)
	}
	a.waitFile(t, addrFile)
	c := startDaemon(t, bin, "carol", boot...)
	c.waitFile(t, addrFile)
	alice := decode[localapi.Info](t, pigeon(t, bin, a.home, "id", "--json")).Account
	carol := decode[localapi.Info](t, pigeon(t, bin, c.home, "id", "--json")).Account
	pigeon(t, bin, a.home, "contacts", "add", carol, "carol")
	pigeon(t, bin, c.home, "contacts", "add", alice, "alice")
	pigeon(t, bin, a.home, "send", "carol", "before the link")
	pollHistory(t, bin, c.home, "alice", "carol has alice's first message", func(ms []localapi.Message) bool { return len(ms) == 1 })
	gid := groupBeforeLink(t, bin, a.home, c.home, carol)
	plan := []byte("Saturday: meet at 9\n")
	src := filepath.Join(t.TempDir(), "plan.txt")
	if err := os.WriteFile(src, plan, 0o600); err != nil {
		t.Fatal(err)
	}
	fileID := strings.TrimSpace(pigeon(t, bin, a.home, "send", "carol", "--file", src, "--caption", "the plan"))

	link := startPigeon(t, bin, a.home, "devices", "link")
	code := link.waitMatch(t, link.stdout, regexp.MustCompile(`(?m)^(pigeon-link:\S+)$`), "the link code")[1]
	link.waitMatch(t, link.stderr, regexp.MustCompile(`Waiting for the new device`), "the instructions")
	if qr := link.stderr.String(); !strings.Contains(qr, "█") || !strings.Contains(qr, "pigeon init --link "+code) {
		t.Fatalf("devices link shows no QR code or instructions: %q", qr)
	}
	homeB := t.TempDir()
	initB := startPigeon(t, bin, homeB, "init", "--link", code, "--name", "laptop")
	onB := initB.waitMatch(t, initB.stderr, sasLine, "B's confirmation code")[1]
	onA := link.waitMatch(t, link.stderr, sasLine, "A's confirmation code")[1]
	if onA != onB {
		t.Fatalf("confirmation codes differ: %s on A, %s on B", onA, onB)
	}
	if !strings.Contains(link.stderr.String(), `"laptop"`) || !strings.Contains(link.stderr.String(), "Link it? [y/N]") {
		t.Fatalf("devices link does not ask about the laptop: %q", link.stderr)
	}
	if _, err := io.WriteString(link.stdin, "y\n"); err != nil {
		t.Fatal(err)
	}
	if err := link.wait(t); err != nil {
		t.Fatalf("devices link: %v", err)
	}
	if got := link.stdout.String(); !strings.Contains(got, "linked device 2 (laptop)\n") {
		t.Fatalf("devices link printed %q", got)
	}
	if err := initB.wait(t); err != nil {
		t.Fatalf("init --link: %v", err)
	}
	if got := strings.TrimSpace(initB.stdout.String()); got != alice {
		t.Fatalf("init --link printed %q, want the account %s", got, alice)
	}
	if !strings.Contains(initB.stderr.String(), "history transferred") {
		t.Fatalf("init --link did not wait for the history: %q", initB.stderr)
	}
	// The code is used up.
	_, stderr, code2 := pigeonExit(t, bin, t.TempDir(), "init", "--link", code)
	if code2 != exitError || !strings.Contains(stderr, "already used") || !strings.Contains(stderr, "pigeon devices link") {
		t.Fatalf("init with a used code: exit %d, stderr %q", code2, stderr)
	}

	b := launchDaemon(t, bin, homeB, "laptop", "info", boot...)
	b.waitFile(t, addrFile)
	for _, home := range []string{a.home, homeB} {
		ds := decode[localapi.Devices](t, pigeon(t, bin, home, "devices", "--json"))
		if len(ds.Devices) != 2 || ds.HoldsAccountKey != (home == a.home) || !ds.Devices[0].This {
			t.Fatalf("devices on %s: %+v", home, ds)
		}
	}
	list := pigeon(t, bin, a.home, "devices")
	if !strings.Contains(list, "this device, holds the account key") || !regexp.MustCompile(`(?m)^2\s+laptop\s`).MatchString(list) {
		t.Fatalf("devices on A:\n%s", list)
	}
	// The history arrived with the link, files by reference: B lists the
	// file and fetches it from a holder. What B sends shows on A as sent.
	pollHistory(t, bin, homeB, carol, "B has the history", func(ms []localapi.Message) bool {
		return len(ms) == 2 && ms[0].Text == "before the link" && ms[0].Direction == "out" &&
			ms[1].Media != nil && ms[1].Media.Name == "plan.txt" && ms[1].Text == "the plan" && ms[1].Direction == "out"
	})
	// So does the group's: B is in the group with what was said there.
	groupHistory(t, bin, homeB, gid, "B has the group's history", func(ms []localapi.Message) bool {
		return len(ms) == 2 && ms[0].Text == "alice in the group" && ms[0].Direction == "out" &&
			ms[1].Text == "carol in the group" && ms[1].Direction == "in"
	})
	files := decode[[]localapi.Media](t, pigeon(t, bin, homeB, "media", "list", carol, "--json"))
	if len(files) != 1 || files[0].ID != fileID || files[0].Size != uint64(len(plan)) {
		t.Fatalf("media list on B %+v, want the file sent from A", files)
	}
	out := filepath.Join(t.TempDir(), "plan-copy.txt")
	pigeon(t, bin, homeB, "media", "get", fileID, "--out", out)
	if got, _ := os.ReadFile(out); !bytes.Equal(got, plan) {
		t.Fatalf("the file fetched on B is %q", got)
	}
	pigeon(t, bin, homeB, "send", carol, "from the laptop")
	// Carol's chat notes alice's new device (when carol learned of it:
	// before or after its first message).
	pollHistory(t, bin, c.home, "alice", "carol gets the laptop's message and a notice of it", func(ms []localapi.Message) bool {
		notices := slices.DeleteFunc(slices.Clone(ms), func(m localapi.Message) bool { return m.Kind != "device" })
		ms = slices.DeleteFunc(ms, func(m localapi.Message) bool { return m.Kind == "device" })
		return len(ms) == 3 && ms[2].Text == "from the laptop" && ms[2].Direction == "in" &&
			len(notices) == 1 && notices[0].Text == "added a new device" && notices[0].Sender == alice
	})
	pollHistory(t, bin, a.home, "carol", "A shows the laptop's message as sent", func(ms []localapi.Message) bool {
		return len(ms) == 3 && ms[2].Text == "from the laptop" && ms[2].Direction == "out"
	})

	// In sync, both devices show one account state.
	deadline := time.Now().Add(30 * time.Second)
	for {
		ha := decode[localapi.Devices](t, pigeon(t, bin, a.home, "devices", "--json")).StateHash
		hb := decode[localapi.Devices](t, pigeon(t, bin, homeB, "devices", "--json")).StateHash
		if ha != "" && ha == hb {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("state hashes differ: %s on A, %s on B", ha, hb)
		}
		time.Sleep(100 * time.Millisecond)
	}

	// Only A holds the account key; it revokes B.
	_, stderr, code2 = pigeonExit(t, bin, homeB, "devices", "revoke", "1")
	if code2 != exitError || !strings.Contains(stderr, "does not hold the account key") {
		t.Fatalf("revoke on B: exit %d, stderr %q", code2, stderr)
	}
	pigeon(t, bin, a.home, "devices", "revoke", "2")
	if ds := decode[localapi.Devices](t, pigeon(t, bin, a.home, "devices", "--json")); len(ds.Devices) != 1 || ds.Devices[0].ID != 1 {
		t.Fatalf("devices on A after the revocation: %+v", ds)
	}
}

// groupBeforeLink has alice (home a) make a group with carol (home c,
// account carol) in which each says one thing, and returns its ID.
func groupBeforeLink(t *testing.T, bin, a, c, carol string) string {
	t.Helper()
	var gid string
	deadline := time.Now().Add(e2eTimeout)
	for {
		stdout, _, code := pigeonExit(t, bin, a, "group", "create", "trip", carol)
		if code == 0 {
			gid = strings.TrimSpace(stdout)
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("group create kept failing")
		}
		time.Sleep(100 * time.Millisecond)
	}
	pigeon(t, bin, a, "send", "--group", gid, "alice in the group")
	groupHistory(t, bin, c, gid, "carol has alice's group message", func(ms []localapi.Message) bool { return len(ms) == 1 })
	pigeon(t, bin, c, "send", "--group", gid, "carol in the group")
	groupHistory(t, bin, a, gid, "alice has carol's group message", func(ms []localapi.Message) bool { return len(ms) == 2 })
	return gid
}

// groupHistory runs `pigeon history --group GID --json` until ok accepts it.
func groupHistory(t *testing.T, bin, home, gid, what string, ok func([]localapi.Message) bool) []localapi.Message {
	t.Helper()
	deadline := time.Now().Add(e2eTimeout)
	for {
		msgs := decode[[]localapi.Message](t, pigeon(t, bin, home, "history", "--group", gid, "--json"))
		if ok(msgs) {
			return msgs
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; last history: %+v", what, msgs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

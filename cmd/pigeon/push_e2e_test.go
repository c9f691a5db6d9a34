package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node/localapi"
)

// startRelayWith starts `pigeon relay` with args on a fresh home, logging
// at warn (so what it logs there is what an operator sees), and returns it
// with its first TCP address once it is up. It is stopped at cleanup.
func startRelayWith(t *testing.T, bin, name string, args ...string) (*daemon, string) {
	t.Helper()
	home := filepath.Join(t.TempDir(), name)
	d := &daemon{home: home, log: new(syncBuffer), exited: make(chan struct{})}
	d.cmd = exec.Command(bin, append([]string{"--home", home, "relay", "--listen", "/ip4/127.0.0.1/tcp/0",
		"--log-level", "warn", "--log-format", "json"}, args...)...)
	d.cmd.Stdout, d.cmd.Stderr = d.log, d.log
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		d.err = d.cmd.Wait()
		close(d.exited)
	}()
	t.Cleanup(func() {
		d.stop(t)
		if t.Failed() {
			t.Logf("%s log:\n%s", name, d.log.String())
		}
	})
	return d, relayAddr(t, d)
}

// pollPigeon runs the binary until ok accepts its stdout.
func pollPigeon(t *testing.T, bin, home, what string, ok func(string) bool, args ...string) string {
	t.Helper()
	deadline := time.Now().Add(e2eTimeout)
	for {
		out := pigeon(t, bin, home, args...)
		if ok(out) {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; last output of pigeon %s:\n%s", what, strings.Join(args, " "), out)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestPushRefusalShown: a relay that does not allow private networks
// refuses a LAN endpoint; the device hears why, and `pigeon push` and
// `pigeon relays` show it. The relay logs the refusal at warn without the
// endpoint's secret path. A relay started with --push-allow-private lan
// accepts the same endpoint.
func TestPushRefusalShown(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs relays and a daemon")
	}
	bin := pigeonBinary(t)
	strict, strictAddr := startRelayWith(t, bin, "strict", "--push")
	_, lanAddr := startRelayWith(t, bin, "lan", "--push-allow-private", "lan")

	d := startDaemon(t, bin, "d", "--relay", strictAddr)
	d.waitFile(t, addrFile)
	if out := strings.TrimSpace(pigeon(t, bin, d.home, "push")); out != "off" {
		t.Fatalf("pigeon push before an endpoint is set: %q", out)
	}
	const endpoint = "http://192.168.1.5:2586/upSecretTopic?up=1"
	pigeon(t, bin, d.home, "push", "unifiedpush", endpoint)

	refused := "refused by relay " + strictAddr + ": private address not allowed"
	out := pollPigeon(t, bin, d.home, "the refusal", func(s string) bool { return strings.Contains(s, refused) }, "push")
	if want := "unifiedpush http://192.168.1.5:2586/…\n" + refused + "\n"; out != want {
		t.Errorf("pigeon push:\n%s\nwant:\n%s", out, want)
	}
	if out := pigeon(t, bin, d.home, "relays"); !strings.Contains(out, "push refused: private address not allowed") {
		t.Errorf("pigeon relays does not show the refusal:\n%s", out)
	}
	st := decode[localapi.PushStatus](t, pigeon(t, bin, d.home, "push", "status", "--json"))
	if len(st.Relays) != 1 || st.Relays[0].Refusal != "private_address" || st.Endpoint == nil || st.Endpoint.URL != endpoint {
		t.Errorf("pigeon push --json: %+v", st)
	}
	log := strict.log.String()
	if !strings.Contains(log, `"level":"WARN","msg":"push endpoint refused"`) || !strings.Contains(log, `"reason":"private address not allowed"`) {
		t.Errorf("the relay did not log the refusal at warn:\n%s", log)
	}
	if strings.Contains(log, "SecretTopic") {
		t.Errorf("the relay logged the endpoint's secret path:\n%s", log)
	}

	pigeon(t, bin, d.home, "relays", "add", lanAddr)
	out = pollPigeon(t, bin, d.home, "the LAN relay's answer", func(s string) bool {
		return strings.Contains(s, "accepted by relay "+lanAddr)
	}, "push")
	if !strings.Contains(out, refused) {
		t.Errorf("the strict relay's refusal is gone:\n%s", out)
	}
}

// TestPushUsage: bad push arguments and relay push flags are usage errors.
func TestPushUsage(t *testing.T) {
	home := t.TempDir()
	for args, want := range map[string]string{
		"push status extra":                       "pigeon push status: takes no arguments",
		"push carrier-pigeon":                     `unknown kind "carrier-pigeon"`,
		"relay --push-allow-private 10.0.0.0/33":  "--push-allow-private",
		"relay --push-allow-private lan,nonsense": `"nonsense" is neither a CIDR prefix nor an address`,
		"relay --apns-key " + os.DevNull:          "--apns-key needs --apns-key-id and --apns-team-id",
	} {
		code, stdout, stderr := runCLI(t, append([]string{"--home", home}, strings.Fields(args)...)...)
		if code != exitUsage || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, want) {
			t.Errorf("pigeon %s: exit %d, stdout %q, stderr %q; want a usage error containing %q", args, code, stdout, stderr, want)
		}
	}
}

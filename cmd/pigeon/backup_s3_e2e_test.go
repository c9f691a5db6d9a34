package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pigeon-net/pigeon/internal/miniotest"
	"github.com/pigeon-net/pigeon/node/localapi"
)

// s3Env runs the binary against home with stdin and the S3 credentials
// in its environment, as a user would pass them.
type s3Env struct {
	t        *testing.T
	bin      string
	creds    []string
	out      []string // everything the commands printed
	endpoint string
}

func (e *s3Env) run(home, stdin string, args ...string) (stdout, stderr string, code int) {
	e.t.Helper()
	cmd := exec.Command(e.bin, append([]string{"--home", home}, args...)...)
	cmd.Env = append(os.Environ(), e.creds...)
	var out, errb bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(stdin), &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		code = exit.ExitCode()
	default:
		e.t.Fatalf("run pigeon: %v", err)
	}
	e.out = append(e.out, out.String(), errb.String())
	return out.String(), errb.String(), code
}

func (e *s3Env) must(home, stdin string, args ...string) string {
	e.t.Helper()
	out, stderr, code := e.run(home, stdin, args...)
	if code != 0 {
		e.t.Fatalf("pigeon %s: exit %d: %s", strings.Join(args, " "), code, stderr)
	}
	return out
}

// s3Flags are the flags of a MinIO on loopback.
func (e *s3Env) s3Flags() []string {
	return []string{"--endpoint", e.endpoint, "--path-style", "--insecure"}
}

// noCredentials fails the test if the MinIO credentials appear in what
// the commands printed or in the daemons' logs.
func noCredentials(t *testing.T, srv *miniotest.Server, e *s3Env, ds ...*daemon) {
	t.Helper()
	texts := append([]string(nil), e.out...)
	for _, d := range ds {
		texts = append(texts, d.log.String())
	}
	for _, s := range texts {
		if strings.Contains(s, srv.SecretKey) || strings.Contains(s, srv.AccessKey) {
			t.Fatalf("the S3 credentials appear in:\n%s", s)
		}
	}
}

// Through the binary against a real MinIO on loopback: backup init to
// s3:// with the credentials from the environment, confirm, now, verify
// --full, then init --restore from the bucket in a fresh home, whose
// daemon shows the history. The credentials never appear in what the
// commands print, in backup status, or in the daemons' logs.
func TestBackupS3E2E(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs daemons and MinIO")
	}
	srv := miniotest.Start(t, "pigeon-backups")
	bin := pigeonBinary(t)
	e := &s3Env{t: t, bin: bin, endpoint: srv.Addr,
		creds: []string{"PIGEON_S3_ACCESS_KEY=" + srv.AccessKey, "PIGEON_S3_SECRET_KEY=" + srv.SecretKey}}
	a, b, idA, idB := startPair(t, bin)
	pigeon(t, bin, a.home, "send", idB, "kept in the bucket")
	pollOut(t, bin, b.home, "the text at bob", func(s string) bool { return strings.Contains(s, "kept in the bucket") }, "history", idA)

	const to = "s3://pigeon-backups/alice"
	key := strings.TrimSpace(e.must(a.home, "", append([]string{"backup", "init", "--to", to}, e.s3Flags()...)...))
	if len(key) < 64 {
		t.Fatalf("recovery key %q", key)
	}
	e.must(a.home, key+"\n", "backup", "confirm")
	snap := strings.TrimSpace(e.must(a.home, "", "backup", "now"))
	if _, stderr, code := e.run(a.home, "", "backup", "verify", "--full"); code != 0 || !strings.Contains(stderr, "ok:") {
		t.Fatalf("verify --full: exit %d, %q", code, stderr)
	}
	st := decode[localapi.BackupStatus](t, e.must(a.home, "", "backup", "status", "--json"))
	if !st.SetUp || st.LastSnapshot == "" || st.LastError != "" || !strings.HasPrefix(st.Location, to) {
		t.Fatalf("backup status: %+v (backed up %s)", st, snap)
	}
	e.must(a.home, "", "backup", "status")
	e.must(a.home, "", "backup", "list")

	// Another machine: the credentials from its environment, the key
	// from stdin.
	home := filepath.Join(t.TempDir(), "c")
	if out, stderr, code := e.run(home, key+"\n", append([]string{"init", "--restore", to}, e.s3Flags()...)...); code != 0 || strings.TrimSpace(out) != idA {
		t.Fatalf("restore: exit %d, %q, %q", code, out, stderr)
	}
	c := launchDaemon(t, bin, home, "c", "debug", bootstrapArgs(t, a)...)
	c.waitFile(t, addrFile)
	pollOut(t, bin, home, "the history on the restored device", func(s string) bool { return strings.Contains(s, "kept in the bucket") }, "history", idB)
	noCredentials(t, srv, e, a, c)
}

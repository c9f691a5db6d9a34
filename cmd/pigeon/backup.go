package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/coder/websocket"
	"github.com/mattn/go-isatty"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/backup"
	"github.com/pigeon-net/pigeon/node/localapi"
)

var backupSubs = []subcommand{
	{name: "status", summary: "show where backups go, the last one, the next one, and whether the key check is due (the default)"},
	{name: "init", args: "--to DIR|s3://BUCKET/PREFIX [--passphrase | --key] [--media [--media-days N] [--media-max-mb N]] [S3 flags]", summary: "set up backups: makes a recovery key to write down and type back (or reads a passphrase, or the --key of an existing repository from stdin)"},
	{name: "confirm", summary: "type back the recovery key `backup init` showed (read from stdin); backups start then"},
	{name: "now", summary: "back up now, with a progress bar"},
	{name: "verify", args: "[--full]", summary: "check that the backups can be restored: every manifest and chunk there (--full: downloaded and decrypted)"},
	{name: "list", summary: "list the snapshots, newest first"},
	{name: "media", args: "on|off [--media-days N] [--media-max-mb N]", summary: "choose whether backups carry photos, videos and documents (on: all, or only the last N days, only files up to N MB); off: only their messages, the files are fetched again after a restore"},
	{name: "change-key", args: "[--passphrase]", summary: "make a new recovery key (shown once, then typed back with backup confirm) or, with --passphrase, a new passphrase (stdin) open the backups instead of the current key: the way out when the key is lost; the backups so far open with the new one"},
	{name: "check-key", summary: "type the recovery key or passphrase again (read from stdin), to be sure it still opens the backups (asked every 30 days)"},
}

func backupFlags(fs *flag.FlagSet) {
	fs.String("to", "", "with init: where backups go, a `DIR` or s3://BUCKET/PREFIX")
	fs.Bool("passphrase", false, "with init and change-key: use a passphrase (read from stdin) instead of a recovery key")
	fs.Bool("key", false, "with init: attach an existing repository with its recovery key (read from stdin)")
	fs.String("endpoint", "", "with init and s3://: the S3 `HOST[:PORT]` (default AWS)")
	fs.String("region", "", "with init and s3://: the bucket's region")
	fs.Bool("path-style", false, "with init and s3://: path-style addressing (MinIO, Garage, Ceph)")
	fs.Bool("insecure", false, "with init and s3://: plain http (a store on loopback)")
	fs.Bool("full", false, "with verify: download and decrypt every chunk")
	fs.Bool("media", false, "with init: backups carry photos, videos and documents too")
	fs.Int("media-days", 0, "with init --media and media on: only files of the last `N` days (0: any age)")
	fs.Int("media-max-mb", 0, "with init --media and media on: only files up to `N` MB (0: any size)")
}

// backupMedia reads the media flags; include is what the command chose.
func backupMedia(fs *flag.FlagSet, verb string, include bool) (localapi.BackupMedia, error) {
	m := localapi.BackupMedia{Include: include, MaxAgeDays: flagValue[int](fs, "media-days"), MaxSize: int64(flagValue[int](fs, "media-max-mb")) << 20}
	if m.MaxAgeDays < 0 || m.MaxSize < 0 {
		return m, usagef(verb, "--media-days and --media-max-mb take a number from 0 (no limit) up")
	}
	if !include && (m.MaxAgeDays > 0 || m.MaxSize > 0) {
		return m, usagef(verb, "--media-days and --media-max-mb limit the files backups carry: use them with --media (init) or media on")
	}
	return m, nil
}

// readSecret reads one line (a key or passphrase) from stdin, prompting
// on a terminal.
func (a *app) readSecret(prompt string) (string, error) {
	if f, ok := a.stdin.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		fmt.Fprint(a.stderr, prompt)
	}
	line, err := bufio.NewReader(a.stdin).ReadString('\n')
	if err != nil && (line == "" || !errors.Is(err, io.EOF)) {
		return "", fmt.Errorf("read from stdin: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func cmdBackup(a *app, fs *flag.FlagSet, args []string) error {
	sub := "status"
	if len(args) > 0 {
		sub, args = args[0], args[1:]
	}
	verb := "backup " + sub
	want := 0
	if sub == "media" {
		want = 1
	}
	if err := wantArgs(verb, args, want, want, ""); err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	switch sub {
	case "status":
		var st localapi.BackupStatus
		if err := c.do(a.ctx, "GET", "/v1/backup", nil, &st); err != nil {
			return err
		}
		if a.json {
			return a.printJSON(st)
		}
		printBackupStatus(a, st)
		return nil
	case "init":
		return a.backupInit(fs, c)
	case "media":
		if args[0] != "on" && args[0] != "off" {
			return usagef(verb, "on or off, not %q", args[0])
		}
		m, err := backupMedia(fs, verb, args[0] == "on")
		if err != nil {
			return err
		}
		var st localapi.BackupStatus
		if err := c.do(a.ctx, "POST", "/v1/backup/media", m, &st); err != nil {
			return err
		}
		if a.json {
			return a.printJSON(st)
		}
		fmt.Fprintf(a.stdout, "files in backups: %s (from the next backup)\n", mediaText(st.Media))
		return nil
	case "confirm":
		key, err := a.readSecret("type the recovery key you wrote down: ")
		if err != nil {
			return err
		}
		if err := c.do(a.ctx, "POST", "/v1/backup/confirm", localapi.BackupKey{Key: key}, nil); err != nil {
			return err
		}
		fmt.Fprintln(a.stderr, "recovery key confirmed: backups run daily from now on (pigeon backup now to start one)")
		return nil
	case "change-key":
		var req localapi.BackupChangeKey
		if flagValue[bool](fs, "passphrase") {
			p, err := a.readSecret("new passphrase (at least 10 characters): ")
			if err != nil {
				return err
			}
			req.Passphrase = p
		}
		var out localapi.BackupKey
		if err := c.do(a.ctx, "POST", "/v1/backup/change-key", req, &out); err != nil {
			return err
		}
		if out.Key == "" {
			fmt.Fprintln(a.stderr, "the new passphrase opens your backups now (the old key no longer does)")
			return nil
		}
		fmt.Fprint(a.stderr, "your new recovery key (write it down now; it is shown only once; the old key no longer opens the backups):\n\n")
		fmt.Fprintf(a.stdout, "%s\n", out.Key)
		fmt.Fprintln(a.stderr, "\nthen type it back with: pigeon backup confirm (backups wait until then)")
		return nil
	case "check-key":
		key, err := a.readSecret("type your recovery key or passphrase: ")
		if err != nil {
			return err
		}
		if err := c.do(a.ctx, "POST", "/v1/backup/check-key", localapi.BackupKey{Key: key}, nil); err != nil {
			if e, ok := errors.AsType[*localapi.Error](err); ok && e.Code == localapi.CodeWrongKey {
				return fmt.Errorf("%w\nif you no longer have the key, make a new one while this device still holds the backups' current key: pigeon backup change-key [--passphrase]", err)
			}
			return err
		}
		fmt.Fprintln(a.stderr, "the key opens your backups; you will be asked again in 30 days")
		return nil
	case "now":
		stop := a.backupProgress(c)
		var out localapi.BackupSnapshot
		err := c.do(a.ctx, "POST", "/v1/backup/run", nil, &out)
		stop()
		if err != nil {
			return err
		}
		if a.json {
			return a.printJSON(out)
		}
		fmt.Fprintf(a.stderr, "backed up %s: uploaded %s (%d of %d chunks new)\n", sizeText(out.Bytes), sizeText(out.Uploaded), out.New, out.Chunks)
		fmt.Fprintln(a.stdout, out.ID)
		return nil
	case "verify":
		path := "/v1/backup/verify"
		if flagValue[bool](fs, "full") {
			path += "?full=1"
		}
		var out localapi.BackupVerify
		err := c.do(a.ctx, "POST", path, nil, &out)
		if a.json && (err == nil || len(out.Problems) > 0) {
			if perr := a.printJSON(out); perr != nil {
				return perr
			}
		}
		if err != nil {
			for _, p := range out.Problems {
				fmt.Fprintln(a.stderr, "problem:", p)
			}
			return err
		}
		fmt.Fprintf(a.stderr, "ok: %d snapshots, %d chunks, %s\n", out.Snapshots, out.Chunks, sizeText(out.Bytes))
		return nil
	case "list":
		var snaps []localapi.BackupSnapshot
		if err := c.do(a.ctx, "GET", "/v1/backup/snapshots", nil, &snaps); err != nil {
			return err
		}
		if a.json {
			return a.printJSON(snaps)
		}
		if len(snaps) == 0 {
			fmt.Fprintln(a.stderr, "no snapshots yet")
		}
		for _, s := range snaps {
			t, _ := time.Parse(time.RFC3339, s.Time)
			fmt.Fprintf(a.stdout, "%s  %s  %s\n", s.ID, t.Local().Format("2006-01-02 15:04"), sizeText(s.Bytes))
		}
		return nil
	}
	return usagef("backup", "unknown subcommand %q: want status, init, confirm, now, verify, list, media, change-key or check-key", sub)
}

func (a *app) backupInit(fs *flag.FlagSet, c *client) error {
	to := flagValue[string](fs, "to")
	if to == "" {
		return usagef("backup init", "--to DIR or --to s3://BUCKET/PREFIX is required")
	}
	media, err := backupMedia(fs, "backup init", flagValue[bool](fs, "media"))
	if err != nil {
		return err
	}
	req := localapi.BackupSetup{To: to, Media: media}
	if strings.HasPrefix(to, "s3://") {
		req.S3 = backup.S3{
			Endpoint: flagValue[string](fs, "endpoint"), Region: flagValue[string](fs, "region"),
			PathStyle: flagValue[bool](fs, "path-style"), Insecure: flagValue[bool](fs, "insecure"),
			AccessKey: os.Getenv("PIGEON_S3_ACCESS_KEY"), SecretKey: os.Getenv("PIGEON_S3_SECRET_KEY"),
		}
	}
	switch {
	case flagValue[bool](fs, "passphrase") && flagValue[bool](fs, "key"):
		return usagef("backup init", "--passphrase or --key, not both")
	case flagValue[bool](fs, "passphrase"):
		p, err := a.readSecret("passphrase (at least 10 characters): ")
		if err != nil {
			return err
		}
		req.Passphrase = p
	case flagValue[bool](fs, "key"):
		k, err := a.readSecret("the repository's recovery key: ")
		if err != nil {
			return err
		}
		req.RecoveryKey = k
	}
	var out localapi.BackupKey
	if err := c.do(a.ctx, "POST", "/v1/backup/setup", req, &out); err != nil {
		return err
	}
	if out.Key == "" {
		fmt.Fprintf(a.stderr, "backups set up at %s: they run daily (pigeon backup now to start one)\n", to)
		return nil
	}
	fmt.Fprintf(a.stderr, "backups set up at %s.\n\nYour recovery key (write it down now; it is shown only once, and without it the backups cannot be restored):\n\n", to)
	fmt.Fprintf(a.stdout, "%s\n", out.Key)
	fmt.Fprintln(a.stderr, "\nthen type it back with: pigeon backup confirm")
	return nil
}

// backupProgress shows the daemon's backup_progress events as a bar on
// stderr (a terminal) until stop is called.
func (a *app) backupProgress(c *client) (stop func()) {
	f, ok := a.stderr.(*os.File)
	if !ok || !isatty.IsTerminal(f.Fd()) {
		return func() {}
	}
	ctx, cancel := context.WithCancel(a.ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		conn, _, err := websocket.Dial(ctx, "ws://"+c.addr+"/v1/events", &websocket.DialOptions{
			HTTPHeader: http.Header{"Authorization": {"Bearer " + c.token}},
		})
		if err != nil {
			return
		}
		defer conn.CloseNow()
		conn.SetReadLimit(maxEventFrame)
		for {
			_, b, err := conn.Read(ctx)
			if err != nil {
				return
			}
			var ev localapi.Event
			if json.Unmarshal(b, &ev) != nil {
				continue
			}
			if ev.Type == localapi.EventBackupProgress {
				fmt.Fprintf(a.stderr, "\r%s", progressBar(ev.Done, ev.Total))
			}
		}
	}()
	return func() {
		cancel()
		<-done
		fmt.Fprint(a.stderr, "\r\033[K")
	}
}

// progressBar draws done of total bytes (total < 0: not known yet).
func progressBar(done, total int64) string {
	const width = 30
	if total <= 0 {
		return fmt.Sprintf("backing up… %s", sizeText(done))
	}
	n := min(int(done*width/total), width)
	return fmt.Sprintf("[%s%s] %3d%% %s", strings.Repeat("#", n), strings.Repeat(" ", width-n), done*100/total, sizeText(done))
}

func printBackupStatus(a *app, st localapi.BackupStatus) {
	if !st.SetUp {
		fmt.Fprintln(a.stdout, "backups: not set up (pigeon backup init --to DIR|s3://BUCKET/PREFIX)")
		return
	}
	kind := "passphrase"
	if st.RecoveryKey {
		kind = "recovery key"
	}
	fmt.Fprintf(a.stdout, "backups to %s (%s)\n", st.Location, kind)
	if !st.Confirmed {
		fmt.Fprintln(a.stdout, "waiting for the recovery key to be typed back: pigeon backup confirm")
	}
	fmt.Fprintf(a.stdout, "files: %s\n", mediaText(st.Media))
	if st.LastBackup != "" {
		fmt.Fprintf(a.stdout, "last backup: %s, %s (uploaded %s)\n", localTime(st.LastBackup), sizeText(st.LastBytes), sizeText(st.LastUploaded))
	} else {
		fmt.Fprintln(a.stdout, "last backup: never")
	}
	if st.LastError != "" {
		fmt.Fprintf(a.stdout, "last failure: %s: %s\n", localTime(st.LastErrorAt), st.LastError)
	}
	if st.Confirmed && st.NextBackup != "" {
		fmt.Fprintf(a.stdout, "next backup: %s\n", localTime(st.NextBackup))
	}
	if st.KeyCheckDue {
		fmt.Fprintln(a.stdout, "key check due: type your key again with pigeon backup check-key")
	}
}

// mediaText says which files backups carry.
func mediaText(m localapi.BackupMedia) string {
	if !m.Include {
		return "none (only their messages; a restored device fetches them again)"
	}
	var limits []string
	if m.MaxAgeDays > 0 {
		limits = append(limits, fmt.Sprintf("of the last %d days", m.MaxAgeDays))
	}
	if m.MaxSize > 0 {
		limits = append(limits, "up to "+sizeText(m.MaxSize))
	}
	if len(limits) == 0 {
		return "all photos, videos and documents"
	}
	return "photos, videos and documents " + strings.Join(limits, ", ")
}

func localTime(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return t.Local().Format("2006-01-02 15:04")
}

// cmdInitRestore makes the home a new device of the account backed up at
// from (node.RestoreBackup); the key comes from stdin.
func (a *app) cmdInitRestore(fs *flag.FlagSet, from string) error {
	var setup *client // a daemon in setup mode on the home: it restores
	if c, err := a.client(); err == nil {
		var info struct{ Account string }
		err := c.do(a.ctx, "GET", "/v1/info", nil, &info)
		if err == nil {
			return fmt.Errorf("a daemon runs on %s with account %s: restore into a fresh home (pigeon --home NEWDIR init --restore FROM)", a.home, info.Account)
		}
		if notSetUp(err) {
			setup = c
		}
	}
	key, err := a.readSecret("recovery key or passphrase of the backups: ")
	if err != nil {
		return err
	}
	ro := backup.RestoreOptions{From: from, Key: key}
	if strings.HasPrefix(from, "s3://") {
		ro.S3 = backup.S3{
			Endpoint: flagValue[string](fs, "endpoint"), Region: flagValue[string](fs, "region"),
			PathStyle: flagValue[bool](fs, "path-style"), Insecure: flagValue[bool](fs, "insecure"),
			AccessKey: os.Getenv("PIGEON_S3_ACCESS_KEY"), SecretKey: os.Getenv("PIGEON_S3_SECRET_KEY"),
		}
	}
	if setup != nil {
		return a.setupRestore(setup, ro)
	}
	if f, ok := a.stderr.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		ro.Progress = func(p backup.Progress) { fmt.Fprintf(a.stderr, "\r%s", progressBar(p.BytesDone, p.Bytes)) }
	}
	account, device, err := node.RestoreBackup(a.ctx, a.home, ro)
	if ro.Progress != nil {
		fmt.Fprint(a.stderr, "\r\033[K")
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "restored: this is device %d of account %s; start the daemon to load the history\n", device, account)
	fmt.Fprintln(a.stdout, account)
	return nil
}

// sizeText writes n bytes for people: 512 B, 3.2 KiB, 41.0 MiB, 2.5 GiB.
func sizeText(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, suffix := float64(n)/unit, "KiB"
	for _, s := range []string{"MiB", "GiB", "TiB"} {
		if v < unit {
			break
		}
		v, suffix = v/unit, s
	}
	return fmt.Sprintf("%.1f %s", v, suffix)
}

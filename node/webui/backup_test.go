package webui_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/backup"
	"github.com/pigeon-net/pigeon/node/expiry"
	"github.com/pigeon-net/pigeon/node/localapi"
	"github.com/pigeon-net/pigeon/node/nodetest"
	repo "github.com/pigeon-net/pigeon/storage/backup"
)

// typo changes the first character of a recovery key to another that
// recovery keys use.
func typo(key string) string {
	c := byte('A')
	if key[0] == 'A' {
		c = 'B'
	}
	return string(c) + key[1:]
}

// shot writes a screenshot of p to node/webui/screenshots/name.png when
// PIGEON_SCREENSHOTS=1 (as TestScreenshots does).
func shot(p *page, name string) {
	p.tb.Helper()
	if os.Getenv(envScreenshots) != "1" {
		return
	}
	eval[bool](p, `new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => ok(true))))`)
	ctx, cancel := context.WithTimeout(p.ctx, time.Minute)
	defer cancel()
	b, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.tb.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll("screenshots", 0o755); err != nil {
		p.tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("screenshots", name+".png"), b, 0o644); err != nil {
		p.tb.Fatal(err)
	}
}

// clearAndType replaces what the input css holds with text.
func (p *page) clearAndType(css, text string) {
	p.tb.Helper()
	p.do(chromedp.Evaluate[chromedp.Void](`((e) => { e.focus(); e.select(); })(document.querySelector(` + js(css) + `))`))
	p.typeInto(css, text)
}

// TestScreenBackup walks the backups from the web client: alice sets up
// backups to a folder under a recovery key from Settings, reads the key
// off the page (in groups of four), types it back wrong (the screen says
// so and lets her retry) then right; backs up now (the progress bar
// follows the backup_progress events to the end, and the status shows the
// snapshot the backup_done event named); verifies, light and full. Then
// a fresh home in setup mode restores from that folder: a mistyped key is
// refused with what to do, the right one lands in the app with bob's chat
// from the backup.
func TestScreenBackup(t *testing.T) {
	br := browser(t)
	nw := nodetest.New(t, 2)
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	aliceID, bobID := alice.Info().Account, bob.Info().Account
	nodetest.Send(t, bob, aliceID, "before the backup")
	nodetest.Eventually(t, 30*time.Second, func() bool { return len(nodetest.History(t, alice, bobID)) == 1 }, "alice has bob's message")

	u := serveUI(t, alice)
	p := u.open(t, br, "/settings")
	dir := filepath.Join(t.TempDir(), "backups")
	p.wait(`document.querySelector('.backups[data-state="none"] form.backup-setup')`, "the backup setup form")
	if got := eval[bool](p, `document.querySelector('.backups input[name="backup-key"][value="recovery"]').checked`); !got {
		t.Fatal("the recovery key is not the default")
	}
	p.typeInto(`.backups input.backup-folder`, dir)
	p.click(`.backups form.backup-setup button[type="submit"]`)

	// The key, once, in groups of four.
	p.wait(`document.querySelector('.backups .recovery-key[data-key]')`, "the recovery key")
	key := eval[string](p, `document.querySelector('.backups .recovery-key').dataset.key`)
	groups := eval[[]string](p, `[...document.querySelectorAll('.backups .recovery-key span')].map((s) => s.textContent)`)
	if strings.Join(groups, "") != strings.ReplaceAll(key, "-", "") || len(groups) != 16 {
		t.Fatalf("the key %q shows as %q", key, groups)
	}
	for _, g := range groups {
		if len(g) != 4 {
			t.Fatalf("the key shows as %q: not groups of four", groups)
		}
	}
	if !strings.Contains(eval[string](p, `document.querySelector('.backups').textContent`), "Write this recovery key down") {
		t.Fatal("no warning to write the key down")
	}
	shot(p, "backup-key-light")
	p.click(`.backups button.key-written`)
	if eval[bool](p, `!!document.querySelector('.backups .recovery-key')`) {
		t.Fatal("the key is still shown after 'I wrote it down'")
	}
	var st localapi.BackupStatus
	u.api(t, "GET", "/v1/backup", nil, &st)
	if !st.SetUp || st.Confirmed {
		t.Fatalf("before the key is typed back: %+v", st)
	}

	// A typo: the API's message, and another try.
	p.wait(`document.activeElement === document.querySelector('.backups input.backup-confirm-key')`, "the focus in the key field")
	p.typeInto(`.backups input.backup-confirm-key`, typo(key))
	p.click(`.backups form.backup-confirm button[type="submit"]`)
	p.wait(`document.querySelector('.backups .backup-error') && document.querySelector('.backups .backup-error').textContent.includes('check for typos')`, "the typo refused")
	if eval[string](p, `document.querySelector('.backups').dataset.state`) != "unconfirmed" {
		t.Fatal("a wrong key confirmed the backups")
	}
	p.clearAndType(`.backups input.backup-confirm-key`, key)
	p.click(`.backups form.backup-confirm button[type="submit"]`)
	p.wait(`document.querySelector('.backups[data-state="running"] button.backup-now')`, "the backups running")

	// Back up now: the bar follows the events to the end.
	p.do(chromedp.Evaluate[chromedp.Void](`window.seenProgress = [];
		new MutationObserver(() => {
			const e = document.querySelector('.backups .backup-progress progress[max]');
			if (e) window.seenProgress.push([e.value, e.max]);
		}).observe(document.querySelector('.backups'), { subtree: true, childList: true, attributes: true })`))
	p.click(`.backups button.backup-now`)
	p.wait(`document.querySelector('.backups .backup-status').dataset.snapshot && document.querySelector('.backups[data-done]') && !document.querySelector('.backups .backup-progress')`, "the backup done")
	u.api(t, "GET", "/v1/backup", nil, &st)
	if st.LastSnapshot == "" || st.LastError != "" {
		t.Fatalf("after the backup: %+v", st)
	}
	if got := eval[string](p, `document.querySelector('.backups').dataset.done`); got != st.LastSnapshot {
		t.Fatalf("backup_done named %q, the status %q", got, st.LastSnapshot)
	}
	if got := eval[string](p, `document.querySelector('.backups .backup-status').dataset.snapshot`); got != st.LastSnapshot {
		t.Fatalf("the status shows snapshot %q, want %q", got, st.LastSnapshot)
	}
	if !eval[bool](p, `window.seenProgress.some(([v, max]) => max > 0 && v === max)`) {
		t.Fatalf("the progress bar never reached the end: %v", eval[[][]float64](p, `window.seenProgress`))
	}
	p.wait(`document.querySelector('.backups .backup-snapshots li[data-snapshot=`+js(st.LastSnapshot)+`]')`, "the snapshot in the list")
	if row := eval[string](p, `document.querySelector('.backups .backup-snapshots li[data-snapshot]').textContent`); !strings.Contains(row, "3 items") {
		t.Fatalf("the snapshot's row: %q", row)
	}
	if last := eval[string](p, `document.querySelector('.backups .backup-last').textContent`); !strings.Contains(last, "uploaded") {
		t.Fatalf("the last backup: %q", last)
	}

	p.click(`.backups button.verify-light`)
	p.wait(`document.querySelector('.backups .verify-report[data-ok="true"]')`, "the light verify's report")
	p.click(`.backups button.verify-full`)
	p.wait(`document.querySelector('.backups .verify-report[data-ok="true"]') && document.querySelector('.backups .verify-report').textContent.includes('Verified fully')`, "the full verify's report")
	if text := eval[string](p, `document.querySelector('.backups .backup-location').textContent`); text != dir {
		t.Fatalf("the location shows %q, want %q", text, dir)
	}
	p.do(chromedp.ScrollIntoView(chromedp.CSS(`.backups`)))
	shot(p, "backup-light")

	// Restore into a fresh home, from the first-run screen.
	var boot []string
	for _, a := range alice.Info().Addrs {
		boot = append(boot, a.String())
	}
	nu, srv := serveSetup(t, boot)
	q := nu.tab(t, br, "/", "")
	q.click(`main.setup button.restore-account`)
	q.wait(`document.querySelector('main.setup form.setup-restore')`, "the restore form")
	q.typeInto(`main.setup input.backup-folder`, dir)
	q.typeInto(`main.setup input.restore-key`, typo(key))
	q.click(`main.setup form.setup-restore button[type="submit"]`)
	q.wait(`document.querySelector('main.setup[data-state="needs_setup"] .setup-error[data-code="wrong_key"]')`, "the mistyped key refused")
	if text := eval[string](q, `document.querySelector('main.setup .setup-error').textContent`); !strings.Contains(text, "check for typos") {
		t.Fatalf("the refusal says %q", text)
	}
	shot(q, "setup-restore-light")
	q.clearAndType(`main.setup input.restore-key`, key)
	q.click(`main.setup form.setup-restore button[type="submit"]`)
	q.wait(`document.querySelector('.app[data-boot="ready"]') && document.body.dataset.conn === 'live'`, "the app after the restore")
	if got := srv.Node().Info().Account; got != aliceID {
		t.Fatalf("restored into account %s, want %s", got, aliceID)
	}
	chat := `document.querySelector('.chats a.chat-item[data-key="p:` + bobID.String() + `"]')`
	q.wait(chat+` && `+chat+`.textContent.includes('before the backup')`, "bob's chat from the backup")
	q.click(`.chats a.chat-item[data-key="p:` + bobID.String() + `"]`)
	q.wait(`document.querySelector('#main') && document.querySelector('#main').textContent.includes('before the backup')`, "bob's message in the restored chat")
}

// TestScreenBackupKeyCheck: 31 days after the key was last typed, the
// chat list asks for it again, without blocking the chats; "Later" hides
// the request for the session; a wrong key is refused with what to do;
// the right one ends the request.
func TestScreenBackupKeyCheck(t *testing.T) {
	br := browser(t)
	clock := expiry.NewManualClock(time.Now())
	n := nodetest.Standalone(t, node.WithClock(clock))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	key, err := n.Backup().Setup(ctx, backup.SetupOptions{To: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Backup().Confirm(ctx, key); err != nil {
		t.Fatal(err)
	}
	u := serveUI(t, n)
	var st localapi.BackupStatus
	u.api(t, "GET", "/v1/backup", nil, &st)
	if st.KeyCheckDue {
		t.Fatalf("the key check is due right after the setup: %+v", st)
	}
	clock.Advance(31 * 24 * time.Hour)

	const banner = `document.querySelector('.sidebar .key-check-banner')`
	p := u.open(t, br, "/")
	p.wait(banner, "the key check banner")
	if eval[bool](p, `!!document.querySelector('dialog[open]')`) {
		t.Fatal("the key check opened a dialog")
	}
	p.click(`.key-check-banner button.key-check-later`)
	p.wait(`!`+banner, "the banner hidden")
	p.do(chromedp.Reload())
	p.wait(`document.querySelector('.app[data-boot="ready"]') && document.body.dataset.conn === 'live'`, "the app again")
	if eval[bool](p, `!!`+banner) {
		t.Fatal("the banner is back in the same session after Later")
	}

	// A new session asks again.
	q := u.open(t, br, "/")
	q.wait(banner, "the key check banner in a new session")
	shot(q, "backup-key-check-light")
	other, err := repo.NewRecoveryKey() // a key, but not this one
	if err != nil {
		t.Fatal(err)
	}
	q.typeInto(`.key-check-banner input.key-check-input`, other)
	q.click(`.key-check-banner button[type="submit"]`)
	q.wait(`document.querySelector('.key-check-banner .key-check-error')`, "the wrong key refused")
	if text := eval[string](q, `document.querySelector('.key-check-banner .key-check-error').textContent`); !strings.Contains(text, "not the key") || !strings.Contains(text, "New key") {
		t.Fatalf("the refusal says %q", text)
	}
	q.clearAndType(`.key-check-banner input.key-check-input`, key)
	q.click(`.key-check-banner button[type="submit"]`)
	q.wait(`!`+banner, "the banner gone after the right key")
	u.api(t, "GET", "/v1/backup", nil, &st)
	if st.KeyCheckDue {
		t.Fatalf("the key check is still due after the right key: %+v", st)
	}
}

// TestScreenBackupMedia: the media choice, set up with the backups and
// changed afterwards (GET /v1/backup's media, POST /v1/backup/media).
func TestScreenBackupMedia(t *testing.T) {
	n := nodetest.Standalone(t)
	u := serveUI(t, n)
	type media struct {
		Include    bool  `json:"include"`
		MaxAgeDays int   `json:"max_age_days"`
		MaxSize    int64 `json:"max_size"`
	}
	mediaOf := func() media {
		var st struct {
			Media media `json:"media"`
		}
		u.api(t, "GET", "/v1/backup", nil, &st)
		return st.Media
	}
	br := browser(t)
	p := u.open(t, br, "/settings")
	p.wait(`document.querySelector('.backups form.backup-setup .backup-media')`, "the media choice in the setup form")
	p.typeInto(`.backups input.backup-folder`, t.TempDir())
	p.click(`.backups input.backup-media-include`)
	p.typeInto(`.backups input.backup-media-days`, "30")
	p.typeInto(`.backups input.backup-media-mb`, "10")
	p.click(`.backups input[name="backup-key"][value="passphrase"]`)
	p.typeInto(`.backups input.backup-pass`, "a long passphrase")
	p.typeInto(`.backups input.backup-pass-again`, "a long passphrase")
	p.click(`.backups form.backup-setup button[type="submit"]`)
	p.wait(`document.querySelector('.backups[data-state="running"] form.backup-media-form')`, "the backups running")
	if got, want := mediaOf(), (media{Include: true, MaxAgeDays: 30, MaxSize: 10 << 20}); got != want {
		t.Fatalf("media after the setup: %+v, want %+v", got, want)
	}
	p.clearAndType(`.backups form.backup-media-form input.backup-media-days`, "7")
	p.click(`.backups form.backup-media-form button[type="submit"]`)
	p.wait(`document.querySelector('.backups form.backup-media-form [role="status"]')`, "the media choice saved")
	if got, want := mediaOf(), (media{Include: true, MaxAgeDays: 7, MaxSize: 10 << 20}); got != want {
		t.Fatalf("media after the change: %+v, want %+v", got, want)
	}
	p.click(`.backups form.backup-media-form input.backup-media-include`)
	p.click(`.backups form.backup-media-form button[type="submit"]`)
	nodetest.Eventually(t, 30*time.Second, func() bool { return !mediaOf().Include }, "media left out")
}

// TestScreenBackupChangeKey: a forgotten passphrase is replaced from
// Settings › Backups › New key with a recovery key, shown once and typed
// back; the backup made under the old passphrase opens with it.
func TestScreenBackupChangeKey(t *testing.T) {
	n := nodetest.Standalone(t)
	u := serveUI(t, n)
	dir := t.TempDir()
	u.api(t, "POST", "/v1/backup/setup", map[string]any{"to": dir, "passphrase": "the passphrase I forgot"}, nil)
	var snap localapi.BackupSnapshot
	u.api(t, "POST", "/v1/backup/run", nil, &snap)
	br := browser(t)
	p := u.open(t, br, "/settings")
	p.wait(`document.querySelector('.backups[data-state="running"] button.backup-new-key')`, "the New key button")
	p.click(`.backups button.backup-new-key`)
	p.wait(`document.querySelector('.backups form.backup-change-key')`, "the new key form")
	p.click(`.backups form.backup-change-key button[type="submit"]`)
	p.wait(`document.querySelector('.backups .recovery-key[data-key]')`, "the new recovery key")
	key := eval[string](p, `document.querySelector('.backups .recovery-key').dataset.key`)
	p.click(`.backups button.key-written`)
	p.wait(`document.querySelector('.backups[data-state="unconfirmed"] input.backup-confirm-key')`, "asked to type the new key back")
	p.typeInto(`.backups input.backup-confirm-key`, key)
	p.click(`.backups form.backup-confirm button[type="submit"]`)
	p.wait(`document.querySelector('.backups[data-state="running"]')`, "the backups running under the new key")
	u.api(t, "POST", "/v1/backup/check-key", localapi.BackupKey{Key: key}, nil)
	var snaps []localapi.BackupSnapshot
	u.api(t, "GET", "/v1/backup/snapshots", nil, &snaps)
	if len(snaps) != 1 || snaps[0].ID != snap.ID {
		t.Fatalf("the snapshots under the new key: %+v, want %s", snaps, snap.ID)
	}
}

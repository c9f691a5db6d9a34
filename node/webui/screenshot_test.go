package webui_test

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/groups"
	"github.com/pigeon-net/pigeon/node/media"
	"github.com/pigeon-net/pigeon/node/nodetest"
)

// envScreenshots set to 1 makes TestScreenshots write the README's
// screenshots into node/webui/screenshots (else into a temporary
// directory, checked and thrown away):
//
//	PIGEON_SCREENSHOTS=1 go test -count=1 -run TestScreenshots ./node/webui/
const envScreenshots = "PIGEON_SCREENSHOTS"

// colorScheme makes the page see the system's light or dark theme.
func colorScheme(scheme string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	})
}

// The main screens, light and dark, with a few chats in them: the
// conversation with the chat list, a group with its details, the account's
// own QR code, and the settings (with the account's devices).
func TestScreenshots(t *testing.T) {
	br := browser(t)
	nw := nodetest.New(t, 3)
	alice, bob, carol := nw.Nodes[0], nw.Nodes[1], nw.Nodes[2]
	befriend(t, nw.Nodes, []string{"Alice", "Bob", "Carol"})
	ctx := context.Background()
	aliceID, bobID := alice.Info().Account, bob.Info().Account

	var gid core.GroupID
	nodetest.Eventually(t, 30*time.Second, func() bool {
		// The members' records may not be published yet.
		var err error
		gid, err = alice.Groups().Create(ctx, "Climbing", "Saturday trips to the crag", groups.Settings{}, bobID, carol.Info().Account)
		return err == nil
	}, "the group created")
	say := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	_, err := alice.Groups().Send(ctx, gid, "Who is in for Saturday?")
	say("group message", err)
	_, err = bob.Chats().Send(ctx, aliceID, "Are we still on for Saturday?")
	say("bob's message", err)
	_, err = alice.Chats().Send(ctx, bobID, "Yes! 9 at the station.")
	say("alice's message", err)
	_, err = alice.Media().Send(ctx, bobID, strings.NewReader(strings.Repeat("route notes\n", 2000)), media.File{Name: "topo.pdf", MIME: "application/pdf", Caption: "The topo for the north face"})
	say("alice's file", err)
	nodetest.Eventually(t, 30*time.Second, func() bool {
		h, err := bob.Chats().History(ctx, aliceID, core.MessageID{}, 10)
		return err == nil && len(h) == 3
	}, "bob has alice's messages")
	_, err = bob.Chats().Send(ctx, aliceID, "Great, I'll bring the rope")
	say("bob's reply", err)

	dir := t.TempDir()
	if os.Getenv(envScreenshots) == "1" {
		dir = "screenshots"
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	u := serveUI(t, alice)
	p := u.open(t, br, "/chat/"+bobID.String())
	p.do(chromedp.EmulateViewport(1100, 680))
	p.wait(msg("Great, I'll bring the rope"), "bob's reply in alice's chat")
	p.wait(`document.querySelector('a.chat-item[data-key="g:`+gid.String()+`"]')`, "the group in the chat list")
	p.click(`.banner button[aria-label="Not now"]`) // the notification offer
	p.wait(`!document.querySelector('.banner')`, "the banner gone")

	shots := []struct {
		name, path, ready string
	}{
		{"chat", "/chat/" + bobID.String(), msg("Great, I'll bring the rope")},
		{"group", "/group/" + gid.String() + "/info", `document.querySelector('.drawer .members li')`},
		{"me", "/me", `document.querySelector('img.qr') && document.querySelector('img.qr').complete && document.querySelector('img.qr').naturalWidth > 0`},
		{"settings", "/settings", `document.querySelector('input[name="theme"]') && document.querySelector('.devices li[data-device]')`},
	}
	for _, scheme := range []string{"light", "dark"} {
		p.do(colorScheme(scheme))
		for _, s := range shots {
			p.do(chromedp.Evaluate[chromedp.Void](`window.history.pushState(null, '', ` + js(s.path) + `); window.dispatchEvent(new PopStateEvent('popstate'))`))
			p.wait(`location.pathname === `+js(s.path)+` && (`+s.ready+`)`, s.name+" screen")
			p.wait(`matchMedia('(prefers-color-scheme: `+scheme+`)').matches`, scheme+" theme")
			// Two animation frames: the last change is painted.
			eval[bool](p, `new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => ok(true))))`)
			ctx, cancel := context.WithTimeout(p.ctx, time.Minute)
			b, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			cancel()
			if err != nil {
				t.Fatalf("screenshot %s: %v", s.name, err)
			}
			cfg, err := png.DecodeConfig(bytes.NewReader(b))
			if err != nil || cfg.Width < 1000 {
				t.Fatalf("screenshot %s: %v, %+v", s.name, err, cfg)
			}
			if err := os.WriteFile(filepath.Join(dir, s.name+"-"+scheme+".png"), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

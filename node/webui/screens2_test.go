package webui_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/groups"
	"github.com/pigeon-net/pigeon/node/media"
	"github.com/pigeon-net/pigeon/node/nodetest"
)

// Managing a group from its details: the owner renames it and changes its
// description, promotes a member to admin and removes another; a member
// leaves. Each change shows in the pages of the members (live, through
// the events) and in the nodes' view of the group.
func TestScreenGroupManagement(t *testing.T) {
	br := browser(t)
	nw := nodetest.New(t, 3)
	alice, bob, carol := nw.Nodes[0], nw.Nodes[1], nw.Nodes[2]
	befriend(t, nw.Nodes, []string{"Alice", "Bob", "Carol"})
	ctx := context.Background()
	bobID, carolID := bob.Info().Account, carol.Info().Account
	var gid core.GroupID
	nodetest.Eventually(t, 30*time.Second, func() bool {
		var err error
		// Only admins edit the name: Bob sees it as text until promoted.
		gid, err = alice.Groups().Create(ctx, "Climbing", "Saturday trips", groups.Settings{EditInfo: groups.Admins}, bobID, carolID)
		return err == nil
	}, "the group created")
	// sees polls n's view of the group until ok holds.
	sees := func(n *node.Node, what string, ok func(groups.Info) bool) {
		t.Helper()
		nodetest.Eventually(t, 30*time.Second, func() bool {
			info, err := n.Groups().Info(ctx, gid)
			return err == nil && ok(info)
		}, "%s", what)
	}
	roleOf := func(info groups.Info, a core.AccountID) groups.Role {
		for _, m := range info.Members {
			if m.Account == a {
				return m.Role
			}
		}
		return groups.RoleNone
	}
	active := func(info groups.Info) bool { return info.Status == groups.Active && len(info.Members) == 3 }
	sees(bob, "bob in the group", active)
	sees(carol, "carol in the group", active)

	details := "/group/" + gid.String() + "/info"
	pa := serveUI(t, alice).open(t, br, details)
	pb := serveUI(t, bob).open(t, br, details)
	pc := serveUI(t, carol).open(t, br, details)
	for _, p := range []*page{pa, pb, pc} {
		p.wait(`document.querySelectorAll('.drawer .members li').length === 3`, "the three members listed")
	}
	member := func(a core.AccountID) string {
		return `document.querySelector('.drawer .members li[data-account="` + a.String() + `"]')`
	}
	title := func(name string) string {
		return `[...document.querySelectorAll('header.bar h2')].some((h) => h.textContent === ` + js(name) + `)`
	}

	// Rename and describe: the owner's form, a member's text.
	replace := func(p *page, css, text string) {
		t.Helper()
		p.do(chromedp.Evaluate[chromedp.Void](`(() => { const el = document.querySelector(` + js(css) + `); el.focus(); el.select(); })()`))
		p.do(typeText(text))
	}
	pb.wait(`document.querySelector('.drawer h3')?.textContent === 'Climbing' && !document.querySelector('.drawer input[name="name"]')`, "the name as text for bob")
	replace(pa, `.drawer input[name="name"]`, "Bouldering")
	replace(pa, `.drawer textarea[name="description"]`, "Sundays at the wall")
	pa.click(`.drawer form button[type="submit"]`)
	pa.wait(title("Bouldering")+` && document.querySelector('.drawer input[name="name"]')?.value === 'Bouldering'`, "the new name in alice's page")
	pa.wait(`document.querySelector('a.chat-item[data-key="g:`+gid.String()+`"]')?.textContent.includes('Bouldering')`, "the new name in alice's chat list")
	for _, p := range []*page{pb, pc} {
		p.wait(title("Bouldering")+` && [...document.querySelectorAll('.drawer p')].some((e) => e.textContent === 'Sundays at the wall')`, "the new name and description at a member")
	}
	for _, n := range []*node.Node{alice, bob, carol} {
		sees(n, "the new name and description", func(info groups.Info) bool {
			return info.Name == "Bouldering" && info.Description == "Sundays at the wall"
		})
	}

	// Promote Bob: an admin edits the name, so he gets the form.
	pa.click(`button[aria-label="Make Bob an admin"]`)
	pa.wait(member(bobID)+`?.querySelector('.role')?.textContent === 'admin'`, "bob's role admin in alice's page")
	pb.wait(`[...document.querySelectorAll('.drawer p.muted')].some((e) => e.textContent === 'Your role: admin') && document.querySelector('.drawer input[name="name"]')?.value === 'Bouldering'`, "bob sees himself admin, with the form")
	pc.wait(member(bobID)+`?.querySelector('.role')?.textContent === 'admin'`, "bob's role admin in carol's page")
	for _, n := range []*node.Node{alice, bob, carol} {
		sees(n, "bob an admin", func(info groups.Info) bool { return roleOf(info, bobID) == groups.RoleAdmin })
	}

	// Remove Carol (the page asks first).
	pa.acceptDialog(`button[aria-label="Remove Carol"]`)
	pa.wait(`!`+member(carolID)+` && document.querySelectorAll('.drawer .members li').length === 2`, "carol gone from alice's list")
	pb.wait(`!`+member(carolID), "carol gone from bob's list")
	pc.wait(`[...document.querySelectorAll('.drawer p.muted')].some((e) => e.textContent === 'You were removed from this group.') && !document.querySelector('.drawer .members')`, "carol told she was removed")
	sees(carol, "carol removed", func(info groups.Info) bool { return info.Status == groups.Removed })
	for _, n := range []*node.Node{alice, bob} {
		sees(n, "carol no longer a member", func(info groups.Info) bool {
			return len(info.Members) == 2 && roleOf(info, carolID) == groups.RoleNone
		})
	}

	// Bob leaves (the page asks first).
	pb.acceptDialog(`.drawer > .section:last-child > button.danger`)
	pb.wait(`[...document.querySelectorAll('.drawer p.muted')].some((e) => e.textContent === 'You left this group.') && !document.querySelector('.drawer .members')`, "bob told he left")
	pa.wait(`!`+member(bobID)+` && document.querySelectorAll('.drawer .members li').length === 1`, "bob gone from alice's list")
	sees(bob, "bob left", func(info groups.Info) bool { return info.Status == groups.Left })
	sees(alice, "alice alone", func(info groups.Info) bool {
		return info.Status == groups.Active && len(info.Members) == 1 && info.Members[0].Account == alice.Info().Account
	})
}

// A picture arrives as a thumbnail (the receiver's automatic downloads
// off), and opens at full size; an audio file plays from the API's byte
// ranges: seeking near its end is answered 206 with that range, as
// Chromium's network events show.
func TestScreenMediaViewAndSeek(t *testing.T) {
	br := browser(t)
	nw := nodetest.New(t, 2)
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	befriend(t, nw.Nodes, []string{"Alice", "Bob"})
	ctx := context.Background()
	ua := serveUI(t, alice)
	ua.api(t, "PUT", "/v1/media-settings/auto-download", map[string]int64{"max_bytes": 0}, nil)

	// Bob's picture, 1600×1000: Alice's node gets its preview only.
	var pic bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 1600, 1000))
	for y := range 1000 {
		for x := range 1600 {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), uint8(x ^ y), 255})
		}
	}
	if err := png.Encode(&pic, img); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.Media().Send(ctx, alice.Info().Account, &pic, media.File{Name: "wall.png", MIME: "image/png"}); err != nil {
		t.Fatal(err)
	}
	// Alice's own recording, two minutes of a tone (a WAV of about 1.9 MB):
	// on her node, so the page may load it as it likes.
	if _, err := alice.Media().Send(ctx, bob.Info().Account, bytes.NewReader(wav(120)), media.File{Name: "route.wav", MIME: "audio/wav"}); err != nil {
		t.Fatal(err)
	}

	p := ua.open(t, br, "/chat/"+bob.Info().Account.String())
	var (
		mu        sync.Mutex
		responses []*network.Response
	)
	evCtx, stop := context.WithCancel(p.ctx)
	events := chromedp.Events(evCtx, network.ResponseReceived)
	var wg sync.WaitGroup
	wg.Go(func() {
		for ev, err := range events {
			if err != nil {
				return
			}
			mu.Lock()
			responses = append(responses, ev.Response)
			mu.Unlock()
		}
	})
	t.Cleanup(func() {
		stop()
		wg.Wait()
	})
	p.do(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{})
		return err
	}))

	// The thumbnail, then the full picture in the viewer.
	const thumb = `document.querySelector('button.media-img img')`
	p.wait(thumb+` && `+thumb+`.complete && `+thumb+`.naturalWidth > 0`, "the picture's thumbnail")
	if src := eval[string](p, thumb+`.getAttribute('src')`); !strings.HasSuffix(src, "/thumbnail") {
		t.Fatalf("the picture shows %s, want its thumbnail", src)
	}
	if w := eval[int](p, thumb+`.naturalWidth`); w > 320 {
		t.Fatalf("the thumbnail is %d pixels wide", w)
	}
	p.click(`button.media-img`)
	const full = `document.querySelector('dialog[open] .viewer-body img')`
	p.wait(full+` && `+full+`.complete && `+full+`.naturalWidth === 1600 && `+full+`.naturalHeight === 1000`, "the picture at full size in the viewer")
	p.do(chromedp.KeyEvent(kb.Escape))
	p.wait(`!document.querySelector('dialog[open]')`, "the viewer closed")

	// The audio: its length from the first range, then a seek near the end.
	const audio = `document.querySelector('audio.media-audio')`
	p.wait(audio+` && `+audio+`.readyState >= 1 && Math.round(`+audio+`.duration) === 120`, "the audio's length")
	src := eval[string](p, audio+`.src`)
	p.do(chromedp.Evaluate[chromedp.Void](`(() => { const a = ` + audio + `; a.addEventListener('seeked', () => (window.__seeked = a.currentTime)); a.currentTime = 110; })()`))
	p.wait(`window.__seeked >= 109 && `+audio+`.readyState >= 2`, "the audio seeked near its end")
	nodetest.Eventually(t, 30*time.Second, func() bool {
		mu.Lock()
		defer mu.Unlock()
		for _, r := range responses {
			var first, last, size int
			cr, _ := r.Headers["Content-Range"].(string)
			if r.URL == src && r.Status == http.StatusPartialContent {
				if _, err := fmt.Sscanf(cr, "bytes %d-%d/%d", &first, &last, &size); err == nil && first > size/2 {
					return true
				}
			}
		}
		return false
	}, "a 206 answer for a range in the audio's second half")
}

// wav returns seconds of a 440 Hz tone as a WAV file: 8 kHz, 16-bit mono.
func wav(seconds int) []byte {
	const rate = 8000
	n := rate * seconds
	var b bytes.Buffer
	le := binary.LittleEndian
	b.WriteString("RIFF")
	binary.Write(&b, le, uint32(36+2*n))
	b.WriteString("WAVEfmt ")
	for _, v := range []any{uint32(16), uint16(1), uint16(1), uint32(rate), uint32(2 * rate), uint16(2), uint16(16)} {
		binary.Write(&b, le, v) // chunk size, PCM, mono, rate, bytes a second, block size, bits
	}
	b.WriteString("data")
	binary.Write(&b, le, uint32(2*n))
	for i := range n {
		binary.Write(&b, le, int16(8000*math.Sin(2*math.Pi*440*float64(i)/rate)))
	}
	return b.Bytes()
}

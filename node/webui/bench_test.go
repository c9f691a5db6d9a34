package webui_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/localapi"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// The performance targets of the web client, measured in Chromium on
// loopback against baselines taken in the same run:
//
//	go test -run '^$' -bench 'FirstLoad' -benchtime 20x ./node/webui/
//	go test -run '^$' -bench 'OlderPage' -benchtime 199x ./node/webui/
//
// FirstLoad: the bytes a first visit transfers (gzip, cache off; target
// ≤ 100 KB for the app itself), and the first contentful paint of the app
// against a blank page with one module script served by the same server
// (target ≤ 1.5×). OlderPage: in a chat of 10,000 messages, scrolling up
// page by page, the most message rows in the DOM (target ≤ 300) and the
// p95 of fetching and rendering an older page against the p95 of the bare
// API call for the same page (target ≤ 2×).

// blankPage is the FCP baseline: one module script that puts text on the
// page.
const (
	blankPage   = `<!doctype html><html><head><meta charset="utf-8"><title>blank</title><script type="module" src="/bench/blank.js"></script></head><body></body></html>`
	blankModule = `document.body.textContent = 'Pigeon';`
)

// serveBench serves n's local API and web client, and the blank page
// under /bench/, from one HTTP server on loopback.
func serveBench(b *testing.B, n *node.Node) *ui {
	srv := localapi.New(n, testToken, nil, localapi.WithHome(b.TempDir()))
	mux := http.NewServeMux()
	mux.Handle("/", srv.Handler())
	mux.HandleFunc("GET /bench/blank", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		fmt.Fprint(w, blankPage)
	})
	mux.HandleFunc("GET /bench/blank.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		w.Header().Set("Cache-Control", "no-cache")
		fmt.Fprint(w, blankModule)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() { defer close(done); hs.Serve(ln) }()
	b.Cleanup(func() {
		srv.Close()
		hs.Close()
		<-done
	})
	return &ui{URL: "http://" + ln.Addr().String(), Token: testToken, Node: n}
}

func cacheDisabled() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true})
		return err
	})
}

// fcp loads url and returns its first contentful paint in milliseconds.
func fcp(p *page, url string) float64 {
	p.do(chromedp.Navigate(url))
	p.wait(`performance.getEntriesByName('first-contentful-paint').length > 0`, "the first contentful paint of "+url)
	return eval[float64](p, `performance.getEntriesByName('first-contentful-paint')[0].startTime`)
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func p95(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[min(len(s)-1, (len(s)*95+99)/100-1)]
}

func BenchmarkFirstLoad(b *testing.B) {
	br := browser(b)
	n := startStandalone(b, "")
	u := serveBench(b, n)
	p := u.open(b, br, "/")
	p.do(cacheDisabled())

	// What a first visit transfers: the document and the app's files, and
	// the API calls that fill it, as Chromium counts them (headers and
	// gzipped bodies).
	p.do(chromedp.Navigate(u.URL + "/"))
	p.wait(`document.querySelector('.app[data-boot="ready"]') && document.body.dataset.conn === 'live'`, "the app loaded")
	app := eval[float64](p, `performance.getEntriesByType('navigation')[0].transferSize +
		performance.getEntriesByType('resource').filter((e) => new URL(e.name).pathname.startsWith('/assets/')).reduce((s, e) => s + e.transferSize, 0)`)
	api := eval[float64](p, `performance.getEntriesByType('resource').filter((e) => new URL(e.name).pathname.startsWith('/v1/')).reduce((s, e) => s + e.transferSize, 0)`)

	var appFCP, blankFCP, ready []float64
	b.ResetTimer()
	for b.Loop() {
		// Interleaved, so that both see the same machine.
		blankFCP = append(blankFCP, fcp(p, u.URL+"/bench/blank"))
		appFCP = append(appFCP, fcp(p, u.URL+"/"))
		p.wait(`document.querySelector('.app[data-boot="ready"]')`, "the app ready")
		ready = append(ready, eval[float64](p, `performance.now()`))
	}
	b.StopTimer()
	b.ReportMetric(app/1000, "app-KB")
	b.ReportMetric(api/1000, "api-KB")
	b.ReportMetric(median(appFCP), "app-fcp-ms")
	b.ReportMetric(median(blankFCP), "blank-fcp-ms")
	b.ReportMetric(median(ready), "app-ready-ms")
	b.ReportMetric(median(appFCP)/median(blankFCP), "fcp/blank")
	if app > 100_000 {
		b.Errorf("the app's first load transfers %.0f bytes, over 100 KB", app)
	}
}

// startStandalone starts a node with its home in a new directory (or
// home), on loopback, with no other node.
func startStandalone(b testing.TB, home string) *node.Node {
	if home == "" {
		home = b.TempDir()
	}
	n, err := node.New(node.WithHome(home), node.WithListenAddrs("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := n.Start(ctx); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { n.Close() })
	return n
}

// seedChat writes count messages with peer into the database of the node
// home, stopped (every third one ours, the rest theirs, a minute apart,
// ending now); text gives message i's text.
func seedChat(b testing.TB, home string, me, peer identity.AccountID, count int, text func(i int) string) {
	st, err := badger.Open(badger.Options{Dir: home + "/db", BlocksDir: home + "/blocks"})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	start := time.Now().Add(-time.Duration(count) * time.Minute)
	for i := range count {
		at := start.Add(time.Duration(i) * time.Minute)
		m := storage.Message{
			ID: storage.NewMessageID(at), Peer: storage.Account(peer), Sender: storage.Account(peer), SenderDevice: 1,
			Direction: storage.Incoming, Text: text(i),
			SentAt: at, StoredAt: at, State: storage.Read,
		}
		if i%3 == 0 {
			m.Sender, m.Direction, m.State = storage.Account(me), storage.Outgoing, storage.Read
		}
		if err := st.InsertMessage(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOlderPage(b *testing.B) {
	const messages = 10000
	home := b.TempDir()
	n := startStandalone(b, home)
	me := n.Info().Account
	peerAcct, err := identity.NewAccount()
	if err != nil {
		b.Fatal(err)
	}
	peer := peerAcct.ID()
	n.Close()
	seedChat(b, home, identity.AccountID(me), peer, messages, func(i int) string {
		return fmt.Sprintf("message %d: a line of text of about the length people write", i)
	})
	n = startStandalone(b, home)
	if err := n.Contacts().Add(context.Background(), core.AccountID(peer), "Bob"); err != nil {
		b.Fatal(err)
	}

	br := browser(b)
	u := serveBench(b, n)
	path := "/chat/" + peer.String()
	p := u.open(b, br, path)
	ready := `document.querySelectorAll('.messages .msg').length > 0`
	p.wait(ready, "the chat's newest messages")

	// older scrolls to the top until the app has fetched and rendered the
	// page before the oldest one loaded (its performance measure,
	// pigeon:older-page) and returns that time.
	const older = `(async () => {
		const el = document.querySelector('.messages');
		const k = performance.getEntriesByName('pigeon:older-page').length;
		const t0 = performance.now();
		const frame = () => new Promise((ok) => requestAnimationFrame(ok));
		while (performance.getEntriesByName('pigeon:older-page').length === k) {
			if (performance.now() - t0 > 30000) throw new Error('no older page came');
			// Scroll up as a person does, and leave the page alone while
			// it loads (a scroll each frame would load the main thread).
			if (!el.querySelector('.older[role="status"]')) el.scrollTop = 0;
			await frame();
			await frame();
		}
		return performance.getEntriesByName('pigeon:older-page')[k].duration;
	})()`
	// bare fetches a page and reads its JSON, as the app does, and returns
	// the time and the page's oldest message.
	const bare = `(async (url) => {
		const t0 = performance.now();
		const r = await fetch(url);
		const page = await r.json();
		return { ms: performance.now() - t0, oldest: page.length ? page[0].id : '' };
	})`
	type bareCall struct {
		MS     float64 `json:"ms"`
		Oldest string  `json:"oldest"`
	}
	pageURL := func(before string) string {
		return "/v1/conversations/" + peer.String() + "/messages?limit=50&before=" + before
	}
	// The first page shown ends at the chat's start of the DOM.
	oldest := func() string {
		return eval[string](p, `document.querySelector('.messages .msg[data-id]').dataset.id`)
	}
	next := oldest()
	var uiMS, api []float64
	maxRows := 0
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if eval[bool](p, `!!document.querySelector('.messages .older') && document.querySelector('.messages .older').textContent === 'The beginning of this chat'`) {
			b.StopTimer()
			p.do(chromedp.Navigate(u.URL + path))
			p.wait(ready, "the chat again")
			next = oldest()
			b.StartTimer()
		}
		// Each fetches the page first in turn (the first read of a page
		// may be the slower one).
		var bc bareCall
		if i%2 == 0 {
			bc = eval[bareCall](p, bare+`(`+js(pageURL(next))+`)`)
			uiMS = append(uiMS, eval[float64](p, older))
		} else {
			uiMS = append(uiMS, eval[float64](p, older))
			bc = eval[bareCall](p, bare+`(`+js(pageURL(next))+`)`)
		}
		api = append(api, bc.MS)
		next = bc.Oldest
		maxRows = max(maxRows, eval[int](p, `document.querySelectorAll('.msg').length`))
	}
	b.StopTimer()
	loaded := eval[int](p, `performance.getEntriesByName('pigeon:older-page').length`)
	b.ReportMetric(float64(maxRows), "dom-rows-max")
	b.ReportMetric(p95(uiMS), "page-p95-ms")
	b.ReportMetric(p95(api), "api-p95-ms")
	b.ReportMetric(p95(uiMS)/p95(api), "p95/api")
	b.Logf("%d older pages of %d messages loaded; at most %d message rows in the DOM", loaded, 50, maxRows)
	if maxRows > 300 {
		b.Errorf("%d message rows in the DOM, over 300", maxRows)
	}
}

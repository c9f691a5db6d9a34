package webtest_test

import (
	"testing"

	"github.com/pigeon-net/pigeon/node/webui/webtest"
)

// The harness itself: a page logged in through a login link reaches the
// API with its session cookie, and no URL it used holds a secret.
func TestHarness(t *testing.T) {
	api := webtest.StartNode(t)
	b := webtest.NewBrowser(t)
	p := b.Login(t, api)
	account := webtest.Eval[string](t, p, `fetch("/v1/info").then(r => r.json()).then(i => i.account)`)
	if want := api.Info(t).Account; account != want {
		t.Fatalf("page sees account %q, want %q", account, want)
	}
	other := b.NewPage(t)
	other.Navigate(t, api.URL+"/")
	if status := webtest.Eval[int](t, other, `fetch("/v1/info").then(r => r.status)`); status != 401 {
		t.Fatalf("another profile of the same browser: /v1/info %d, want 401", status)
	}
	webtest.AssertNoSecretsInURLs(t, p, api)
}

package webui_test

import (
	"context"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/nodetest"
)

// msg is a JavaScript expression for the message row whose text is text.
func msg(text string) string {
	return `[...document.querySelectorAll('.msg')].find((e) => (e.querySelector('.text') || {}).textContent === ` + js(text) + `)`
}

// befriend makes every node a contact of every other, named as given.
func befriend(t *testing.T, nodes []*node.Node, names []string) {
	t.Helper()
	ctx := context.Background()
	for i, a := range nodes {
		for j, b := range nodes {
			if i != j {
				if err := a.AddContact(ctx, b.Info().Account, names[j]); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// Two people chat: a message typed and sent with Enter goes from pending
// or sent to delivered, shows up live on the other side with an unread
// count in the chat list and the tab title, and turns read (blue ticks)
// when the other opens the chat; typing shows on the other side, and the
// reply arrives live.
func TestBrowserChatTicksToRead(t *testing.T) {
	br := browser(t)
	nw := nodetest.New(t, 2)
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	befriend(t, nw.Nodes, []string{"Alice", "Bob"})
	aliceID, bobID := alice.Info().Account.String(), bob.Info().Account.String()

	pa := serveUI(t, alice).open(t, br, "/chat/"+bobID)
	pb := serveUI(t, bob).open(t, br, "/")

	pa.typeInto(".composer textarea", "hello bob")
	pa.do(enter())
	pa.wait(msg("hello bob"), "alice's message in her chat")
	if v := eval[string](pa, `document.querySelector('.composer textarea').value`); v != "" {
		t.Errorf("composer still holds %q after Enter", v)
	}
	pa.wait(msg("hello bob")+`.dataset.state === 'delivered'`, "alice's message delivered")
	if cls := eval[string](pa, msg("hello bob")+`.querySelector('.tick').className`); cls == "" {
		t.Error("no tick on the delivered message")
	}

	// Bob: the chat shows up at the top of his list, unread, and the tab
	// title counts it.
	item := `document.querySelector('a.chat-item[data-key="p:` + aliceID + `"]')`
	pb.wait(item+` && `+item+`.querySelector('.badge') && `+item+`.querySelector('.badge').textContent === '1'`, "bob's unread badge")
	pb.wait(item+`.querySelector('.preview').textContent === 'hello bob'`, "the message previewed in bob's list")
	pb.wait(`document.title === '(1) Pigeon'`, "the unread count in bob's title")

	pb.click(`a.chat-item[data-key="p:` + aliceID + `"]`)
	pb.wait(msg("hello bob"), "the message in bob's chat")
	pb.wait(`document.title === 'Pigeon'`, "bob's title without unread messages")
	pa.wait(msg("hello bob")+`.dataset.state === 'read'`, "alice's message read")
	if cls := eval[string](pa, msg("hello bob")+`.querySelector('.tick').className`); cls != "icon i-check2 tick tick-read" {
		t.Errorf("read tick classes %q", cls)
	}

	// Bob types: Alice sees it; then he sends with Shift+Enter making a
	// second line.
	pb.typeInto(".composer textarea", "hi alice")
	pa.wait(`document.querySelector('.typing-line').dataset.typing === 'yes'`, "alice sees bob typing")
	pa.wait(`document.querySelector('.conversation .subtitle.typing')`, "typing in alice's header")
	pb.do(shiftEnter(), typeText("second line"), enter())
	pa.wait(msg("hi alice\nsecond line"), "bob's two-line reply, live in alice's chat")
	pa.wait(`document.querySelector('.typing-line').dataset.typing === 'no'`, "typing over on alice's side")
	pb.wait(msg("hi alice\nsecond line")+`.dataset.state === 'read'`, "bob's reply read by alice, whose chat is open")
	_ = bobID
	_ = time.Second
}

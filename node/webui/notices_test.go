package webui_test

import (
	"context"
	"testing"

	"github.com/pigeon-net/pigeon/node/nodetest"
)

// A device notice in the browser: Alice links a laptop while Bob's page
// shows their chat; the chat (and the chat list) notes that Alice added a
// new device, as a centred line, not a message.
func TestBrowserDeviceNotice(t *testing.T) {
	br := browser(t)
	nw := nodetest.New(t, 2)
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	befriend(t, nw.Nodes, []string{"Alice", "Bob"})
	aliceID := alice.Info().Account.String()
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		_, err := alice.Chats().Send(context.Background(), bob.Info().Account, "hello")
		return err == nil
	}, "send")
	pb := serveUI(t, bob).open(t, br, "/chat/"+aliceID)
	pb.wait(msg("hello"), "the first message at bob")

	laptop := nw.Nodes[nw.Link(0, "laptop")]
	// Bob learns the new list when the laptop writes to him, if not before.
	nodetest.Send(t, laptop, bob.Info().Account, "from the laptop")
	notice := `document.querySelector('.device-notice')`
	pb.wait(notice, "the device notice on bob's page")
	if got := eval[string](pb, notice+`.textContent.trim()`); got != "Alice added a new device" {
		t.Errorf("the notice says %q", got)
	}
	if bubble := eval[bool](pb, `!!`+notice+`.querySelector('.bubble')`); bubble {
		t.Error("the notice is a bubble")
	}
}

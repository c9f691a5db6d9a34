package relay_test

import (
	"testing"

	"github.com/pigeon-net/pigeon/node/relay"
	"github.com/pigeon-net/pigeon/protocol/mailbox"
)

func TestPushKeyRoundTrip(t *testing.T) {
	box := mailbox.Box{Device: 70000}
	box.Account[0], box.Account[31] = 0xab, 0x01
	got, ok := relay.ParsePushKey(relay.PushKey(box))
	if !ok || got != box {
		t.Fatalf("round trip: %v %v", got, ok)
	}
	for _, bad := range []string{"", "/", "zz/1", "ab/1", relay.PushKey(box) + "x", "00/"} {
		if _, ok := relay.ParsePushKey(bad); ok {
			t.Errorf("%q parsed", bad)
		}
	}
}

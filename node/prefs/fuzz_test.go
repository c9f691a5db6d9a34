package prefs

import (
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

// FuzzDecodeOp: a prefs.chat operation from another device decodes to a
// change of one 32-byte chat with no negative mute, or fails; never
// panics. The body is bounded (MaxOpSize) before it is parsed.
func FuzzDecodeOp(f *testing.F) {
	yes, until := true, int64(1700000000000)
	seed, _ := proto.Marshal(&pb.OpChatPrefs{Chat: make([]byte, 32), Pinned: &yes, PinnedAtMs: 5, MutedUntilMs: &until, Archived: &yes})
	f.Add(seed)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		body, err := DecodeOp(b)
		if err != nil {
			return
		}
		if len(body.Chat) != 32 || body.MutedUntilMs != nil && *body.MutedUntilMs < 0 {
			t.Fatalf("decoded %v", body)
		}
	})
}

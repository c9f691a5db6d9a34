package rt

import (
	"testing"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

func TestContentPadding(t *testing.T) {
	for _, s := range []string{"a", "hello world", string(make([]byte, 100))} {
		c := &pb.Content{MessageId: make([]byte, 16), SentAtMs: 1, Body: &pb.Content_Text{Text: &pb.Text{Body: s}}}
		b, err := EncodeContent(c)
		if err != nil {
			t.Fatal(err)
		}
		if len(b)%ContentPadBlock != 0 {
			t.Errorf("content of %d bytes not padded to a block", len(b))
		}
	}
}

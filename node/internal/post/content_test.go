package post

import (
	"testing"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/pigeon-net/pigeon/node/chats"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

func FuzzDecodeContent(f *testing.F) {
	now := time.Now()
	id := storage.NewMessageID(now)
	text, _ := rt.EncodeContent(&pb.Content{MessageId: id[:], SentAtMs: now.UnixMilli(), Body: &pb.Content_Text{Text: &pb.Text{Body: "hello"}}})
	rcpt, _ := rt.EncodeContent(receiptContent(id, now, pb.Receipt_READ, []storage.MessageID{id}))
	root, _ := cid.Decode("bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy")
	med, _ := rt.EncodeContent(&pb.Content{MessageId: id[:], SentAtMs: 1, Body: &pb.Content_Media{Media: &pb.Media{
		Root: root.Bytes(), Key: make([]byte, 32), CiphertextSha256: make([]byte, 32), PlaintextSha256: make([]byte, 32),
		Size: 5, MimeType: "image/jpeg", FileName: "a.jpg", SegmentSize: media.SegmentSize,
		Thumbnail: &pb.Thumbnail{MimeType: "image/jpeg", Data: []byte{1}, Width: 1, Height: 1},
	}}})
	f.Add(text)
	f.Add(rcpt)
	f.Add(med)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := decodeContent(b)
		if err == nil && len(c.MessageId) != 16 {
			t.Fatal("accepted content without a message id")
		}
		if m := c.GetMedia(); err == nil && m != nil && media.CheckManifest(m) != nil {
			t.Fatal("accepted a bad manifest")
		}
	})
}

// TestContentLimitFitsTexts: the receive path's size limit takes the
// largest text chats sends, with room for the rest of the content.
func TestContentLimitFitsTexts(t *testing.T) {
	if maxContentSize < chats.MaxTextSize+4096 {
		t.Fatalf("content limit %d is below the largest text %d", maxContentSize, chats.MaxTextSize)
	}
}

package replies

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

// FuzzDecodeOp: a replies.quote operation from another device decodes to
// a quote within every limit, or fails; never panics. The body is bounded
// (MaxOpSize) before it is parsed, so the work is too.
func FuzzDecodeOp(f *testing.F) {
	q := &pb.Quote{MessageId: make([]byte, 16), Author: make([]byte, 32), Snippet: "hello", FileName: "a.png", Thumbnail: []byte{1, 2}}
	seed, _ := proto.Marshal(&pb.OpQuote{MessageId: make([]byte, 16), Quote: q})
	f.Add(seed)
	f.Add([]byte{})
	f.Add([]byte{0x0a, 0x10})
	f.Fuzz(func(t *testing.T, b []byte) {
		reply, q, err := DecodeOp(b)
		if err != nil {
			return
		}
		if reply.IsZero() && len(b) == 0 {
			t.Fatal("empty body decoded")
		}
		if len(q.Thumbnail) > MaxThumbnail || utf8.RuneCountInString(q.Snippet) > MaxSnippet || len(q.FileName) > MaxFileName ||
			len(q.MessageId) != 16 || len(q.Author) != 32 || !utf8.ValidString(q.Snippet) {
			t.Fatalf("decoded quote out of bounds: %d-byte preview, %d-byte snippet", len(q.Thumbnail), len(q.Snippet))
		}
	})
}

func TestSnippet(t *testing.T) {
	long := strings.Repeat("é", MaxSnippet+5)
	if got := snippet(long); utf8.RuneCountInString(got) != MaxSnippet || !utf8.ValidString(got) {
		t.Fatalf("snippet of %d characters", utf8.RuneCountInString(got))
	}
	if got := snippet("short"); got != "short" {
		t.Fatalf("snippet %q", got)
	}
}

// A preview larger than a quote holds is scaled down to one that fits.
func TestQuoteThumbnail(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 320, 320))
	for x := range 320 {
		for y := range 320 {
			img.Set(x, y, color.RGBA{uint8(x * 7), uint8(y * 13), uint8(x * y), 255}) // noise: compresses badly
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if b.Len() <= MaxThumbnail {
		t.Fatalf("test preview of %d bytes is not too large", b.Len())
	}
	small := quoteThumbnail(b.Bytes())
	if len(small) == 0 || len(small) > MaxThumbnail {
		t.Fatalf("quote preview of %d bytes", len(small))
	}
	if _, _, err := image.Decode(bytes.NewReader(small)); err != nil {
		t.Fatal(err)
	}
	if got := quoteThumbnail([]byte("not an image, and far too large to keep as it is" + strings.Repeat("x", MaxThumbnail))); got != nil {
		t.Fatalf("undecodable preview gave %d bytes", len(got))
	}
}

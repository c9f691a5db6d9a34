package profiles

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

// FuzzDecode: a stored or received profile never panics or hangs the
// decoder (it runs under a deadline), and what it accepts is within the
// limits.
func FuzzDecode(f *testing.F) {
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 2, 2))); err != nil {
		f.Fatal(err)
	}
	for _, p := range []*pb.Profile{
		{Name: "Ada", Version: 1},
		{Name: "Ada", Avatar: img.Bytes(), Version: 7},
		{Name: "", Version: 1},
	} {
		b, err := proto.Marshal(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte{0x12, 0x03, 0xff, 0xd8, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		done := make(chan *pb.Profile, 1)
		go func() {
			p, err := decode(b)
			if err != nil {
				p = nil
			}
			done <- p
		}()
		select {
		case p := <-done:
			if p == nil {
				return
			}
			if _, err := CheckName(p.Name); err != nil || len(p.Avatar) > MaxAvatarSize || p.Version == 0 {
				t.Fatalf("accepted a profile out of limits: %q %d bytes v%d", p.Name, len(p.Avatar), p.Version)
			}
		case <-ctx.Done():
			t.Fatal("decode hangs")
		}
	})
}

package media

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"io"

	// Decoders for the image types the node makes previews of.
	_ "image/gif"
	_ "image/png"

	"golang.org/x/image/draw"

	pmedia "github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// Thumbnail limits.
const (
	// thumbSide is the longest side of a preview, in pixels.
	thumbSide = 320
	// maxThumbSource bounds the pixels of an image the node decodes to make
	// a preview (a 48-megapixel photo decodes to about 200 MB).
	maxThumbSource = 50_000_000
	// maxThumbFile bounds the size of an image file the node previews.
	maxThumbFile = 64 << 20
)

var errNoThumbnail = errors.New("no thumbnail")

// thumbnailable reports whether the node makes previews of a MIME type.
func thumbnailable(mimeType string) bool {
	switch mimeType {
	case "image/jpeg", "image/png", "image/gif":
		return true
	}
	return false
}

// imageConfig reads an image's dimensions from its header.
func imageConfig(r io.Reader) (w, h int, err error) {
	cfg, _, err := image.DecodeConfig(r)
	if err != nil {
		return 0, 0, fmt.Errorf("%w: %v", errNoThumbnail, err)
	}
	return cfg.Width, cfg.Height, nil
}

// makeThumbnail decodes an image (whose header said w×h) and returns a
// JPEG preview at most thumbSide pixels on its longest side that fits in a
// manifest.
func makeThumbnail(r io.Reader, w, h int) (*pb.Thumbnail, error) {
	if w <= 0 || h <= 0 || w*h > maxThumbSource {
		return nil, fmt.Errorf("%w: %d×%d pixels", errNoThumbnail, w, h)
	}
	src, _, err := image.Decode(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errNoThumbnail, err)
	}
	b := src.Bounds()
	for side, quality := thumbSide, 70; side >= 64; side, quality = side*3/4, quality-10 {
		tw, th := b.Dx(), b.Dy()
		if tw > side || th > side {
			if tw >= th {
				tw, th = side, max(1, th*side/tw)
			} else {
				tw, th = max(1, tw*side/th), side
			}
		}
		dst := image.NewRGBA(image.Rect(0, 0, tw, th))
		draw.CatmullRom.Scale(dst, dst.Bounds(), src, b, draw.Src, nil)
		var out bytes.Buffer
		if err := jpeg.Encode(&out, dst, &jpeg.Options{Quality: max(quality, 30)}); err != nil {
			return nil, err
		}
		if out.Len() <= pmedia.MaxThumbnailSize {
			return &pb.Thumbnail{MimeType: "image/jpeg", Data: out.Bytes(), Width: uint32(tw), Height: uint32(th)}, nil
		}
	}
	return nil, fmt.Errorf("%w: preview too large", errNoThumbnail)
}

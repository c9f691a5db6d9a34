package replies

import (
	"bytes"
	"image"
	"image/jpeg"

	// Decoders of the preview types the media feature makes or accepts.
	_ "image/gif"
	_ "image/png"

	"golang.org/x/image/draw"
)

// maxPreviewPixels bounds the preview a quote's thumbnail is made from
// (the media feature's previews are at most 1024×1024).
const maxPreviewPixels = 1024 * 1024

// quoteThumbnail returns a file's preview as a quote carries it: as is
// when it fits in MaxThumbnail, else scaled down to a JPEG that does; nil
// when there is none or it cannot be decoded.
func quoteThumbnail(preview []byte) []byte {
	if len(preview) <= MaxThumbnail {
		return preview
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(preview))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPreviewPixels {
		return nil
	}
	src, _, err := image.Decode(bytes.NewReader(preview))
	if err != nil {
		return nil
	}
	b := src.Bounds()
	for side, quality := 160, 60; side >= 32; side, quality = side*3/4, quality-10 {
		w, h := b.Dx(), b.Dy()
		if w >= h {
			w, h = min(w, side), max(1, h*min(w, side)/w)
		} else {
			w, h = max(1, w*min(h, side)/h), min(h, side)
		}
		dst := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.CatmullRom.Scale(dst, dst.Bounds(), src, b, draw.Src, nil)
		var out bytes.Buffer
		if err := jpeg.Encode(&out, dst, &jpeg.Options{Quality: max(quality, 30)}); err != nil {
			return nil
		}
		if out.Len() <= MaxThumbnail {
			return out.Bytes()
		}
	}
	return nil
}

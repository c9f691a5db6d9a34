package localapi

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // POST /v1/qr/decode takes JPEG
	_ "image/png"  // and PNG
	"io"
	"net/http"
	"strconv"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	qrdecoder "github.com/makiuchi-d/gozxing/qrcode/decoder"
)

const (
	// maxQRText bounds the text of a QR code made by GET /v1/qr.svg (a
	// version 40 code at level M holds 2,331 bytes).
	maxQRText = 2 << 10
	// maxQRImage bounds the body of POST /v1/qr/decode, and maxQRPixels
	// the image's size (a 12-megapixel phone photo fits).
	maxQRImage  = 8 << 20
	maxQRPixels = 4096 * 4096
	// qrMargin is the quiet zone around a code, in modules.
	qrMargin = 4
)

// errNoQRCode: the image holds no QR code that could be read.
var errNoQRCode = errors.New("no QR code found in the image (hold the code flat, in good light, filling more of the picture)")

// QRText is the response of POST /v1/qr/decode.
type QRText struct {
	Text string `json:"text"`
}

// qrDecodes lets one decode run at a time: a large photo takes tens of
// megabytes and a second or so of CPU.
var qrDecodes = make(chan struct{}, 1)

// handleQRCode answers GET /v1/qr.svg?text=TEXT with TEXT as a QR code
// (error correction level M) in SVG.
func (s *Server) handleQRCode(w http.ResponseWriter, r *http.Request) {
	svg, err := qrSVG(r.URL.Query().Get("text"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Write(svg)
}

// qrSVG encodes text as a QR code drawn in SVG, one path of dark modules on
// a white square with a quiet zone.
func qrSVG(text string) ([]byte, error) {
	switch {
	case text == "":
		return nil, fmt.Errorf("make QR code: %w: text is empty", errBadRequest)
	case len(text) > maxQRText:
		return nil, fmt.Errorf("make QR code: %w: text over %d bytes", errBodyTooLarge, maxQRText)
	}
	m, err := qrcode.NewQRCodeWriter().Encode(text, gozxing.BarcodeFormat_QR_CODE, 0, 0, map[gozxing.EncodeHintType]any{
		gozxing.EncodeHintType_ERROR_CORRECTION: qrdecoder.ErrorCorrectionLevel_M,
		gozxing.EncodeHintType_CHARACTER_SET:    "UTF-8",
		gozxing.EncodeHintType_MARGIN:           qrMargin,
	})
	if err != nil {
		return nil, fmt.Errorf("make QR code: %w", err)
	}
	width, height := m.GetWidth(), m.GetHeight()
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges">`, width, height)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, width, height)
	for y := range height {
		for x := 0; x < width; {
			if !m.Get(x, y) {
				x++
				continue
			}
			run := 1
			for x+run < width && m.Get(x+run, y) {
				run++
			}
			b.WriteString("M" + strconv.Itoa(x) + " " + strconv.Itoa(y) + "h" + strconv.Itoa(run) + "v1h-" + strconv.Itoa(run) + "z")
			x += run
		}
	}
	b.WriteString(`"/></svg>`)
	return b.Bytes(), nil
}

// handleQRDecode answers POST /v1/qr/decode (a PNG or JPEG image of at
// most 8 MiB as the body) with the text of the QR code in it.
func (s *Server) handleQRDecode(w http.ResponseWriter, r *http.Request) {
	img, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxQRImage))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		s.fail(w, r, fmt.Errorf("decode QR code: %w: image over %d bytes", errBodyTooLarge, maxQRImage))
		return
	}
	if err != nil {
		s.fail(w, r, fmt.Errorf("decode QR code: %w: %v", errBadRequest, err))
		return
	}
	select {
	case qrDecodes <- struct{}{}:
		defer func() { <-qrDecodes }()
	case <-r.Context().Done():
		return
	}
	text, err := decodeQR(img)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, &QRText{Text: text})
}

// decodeQR reads the QR code in a PNG or JPEG image of at most maxQRPixels
// pixels.
func decodeQR(b []byte) (string, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil || (format != "png" && format != "jpeg") {
		return "", fmt.Errorf("decode QR code: %w: want a PNG or JPEG image", errBadRequest)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > maxQRPixels/cfg.Height {
		return "", fmt.Errorf("decode QR code: %w: image of %dx%d pixels, over %d megapixels", errBodyTooLarge,
			cfg.Width, cfg.Height, maxQRPixels>>20)
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return "", fmt.Errorf("decode QR code: %w: %v", errBadRequest, err)
	}
	bmp, err := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(gozxing.NewLuminanceSourceFromImage(img)))
	if err != nil {
		return "", fmt.Errorf("decode QR code: %w: %v", errBadRequest, err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{
		gozxing.DecodeHintType_TRY_HARDER: true,
	})
	if err != nil {
		return "", fmt.Errorf("decode QR code: %w: %w", errBadRequest, errNoQRCode)
	}
	return res.GetText(), nil
}

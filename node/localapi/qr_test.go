package localapi

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var (
	svgViewBox = regexp.MustCompile(`viewBox="0 0 (\d+) (\d+)"`)
	svgRun     = regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`)
)

// rasterize draws a QR code SVG made by qrSVG as an image, scale pixels
// per module.
func rasterize(t testing.TB, svg []byte, scale int) image.Image {
	t.Helper()
	m := svgViewBox.FindSubmatch(svg)
	if m == nil {
		t.Fatalf("no viewBox in %.100s", svg)
	}
	w, _ := strconv.Atoi(string(m[1]))
	h, _ := strconv.Atoi(string(m[2]))
	img := image.NewGray(image.Rect(0, 0, w*scale, h*scale))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for _, r := range svgRun.FindAllSubmatch(svg, -1) {
		x, _ := strconv.Atoi(string(r[1]))
		y, _ := strconv.Atoi(string(r[2]))
		n, _ := strconv.Atoi(string(r[3]))
		for py := y * scale; py < (y+1)*scale; py++ {
			for px := x * scale; px < (x+n)*scale; px++ {
				img.SetGray(px, py, color.Gray{})
			}
		}
	}
	return img
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A code from GET /v1/qr.svg, drawn and photographed (PNG or JPEG), reads
// back through POST /v1/qr/decode.
func TestQRRoundTrip(t *testing.T) {
	s := startServer(t, nil)
	for _, text := range []string{
		"pgaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		"pgi" + strings.Repeat("k2", 300),
		"héllo ✓ pigeon",
		strings.Repeat("x", maxQRText),
	} {
		r := do(t, "GET", s.url+"/v1/qr.svg?text="+url.QueryEscape(text), testToken, nil)
		if r.status != http.StatusOK {
			t.Fatalf("qr.svg: %d %s", r.status, r.body)
		}
		img := rasterize(t, r.body, 4)
		var jpg bytes.Buffer
		jpeg.Encode(&jpg, img, &jpeg.Options{Quality: 90})
		for format, body := range map[string][]byte{"png": encodePNG(t, img), "jpeg": jpg.Bytes()} {
			var got QRText
			r := do(t, "POST", s.url+"/v1/qr/decode", testToken, bytes.NewReader(body))
			if r.status != http.StatusOK {
				t.Fatalf("decode %s of %d bytes of text: %d %s", format, len(text), r.status, r.body)
			}
			if err := json.Unmarshal(r.body, &got); err != nil || got.Text != text {
				t.Fatalf("decoded %s: %q (%v), want %q", format, got.Text, err, text)
			}
		}
	}
}

func TestQRLimits(t *testing.T) {
	s := startServer(t, nil)
	blank := encodePNG(t, image.NewGray(image.Rect(0, 0, 200, 200)))
	cases := []struct {
		name, method, path string
		body               []byte
		status             int
		contains           string
	}{
		{"empty text", "GET", "/v1/qr.svg?text=", nil, 400, "empty"},
		{"text too long", "GET", "/v1/qr.svg?text=" + strings.Repeat("x", maxQRText+1), nil, 413, "over 2048 bytes"},
		{"not an image", "POST", "/v1/qr/decode", []byte("hello"), 400, "PNG or JPEG"},
		{"gif", "POST", "/v1/qr/decode", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), 400, "PNG or JPEG"},
		{"no code", "POST", "/v1/qr/decode", blank, 400, "no QR code found"},
		{"too many pixels", "POST", "/v1/qr/decode", pngHeader(5000, 5000), 413, "megapixels"},
		{"too many bytes", "POST", "/v1/qr/decode", make([]byte, maxQRImage+1), 413, "over 8388608 bytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := do(t, c.method, s.url+c.path, testToken, bytes.NewReader(c.body))
			if r.status != c.status || !strings.Contains(string(r.body), c.contains) {
				t.Fatalf("%d %s, want %d with %q", r.status, r.body, c.status, c.contains)
			}
		})
	}
	// Without a token or session, neither endpoint answers.
	if r := do(t, "GET", s.url+"/v1/qr.svg?text=x", "", nil); r.status != http.StatusUnauthorized {
		t.Fatalf("qr.svg without auth: %d", r.status)
	}
}

// FuzzDecodeQR checks that any body either decodes or fails as a 400 or
// 413, within the deadline.
func FuzzDecodeQR(f *testing.F) {
	svg, _ := qrSVG("pg123")
	f.Add(encodePNG(f, rasterize(f, svg, 1)))
	var jpg bytes.Buffer
	jpeg.Encode(&jpg, image.NewGray(image.Rect(0, 0, 8, 8)), nil)
	f.Add(jpg.Bytes())
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Add([]byte("hello"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 64<<10 {
			return
		}
		within(t, "decodeQR", func() {
			_, err := decodeQR(b)
			if err == nil {
				return
			}
			if status, _ := classify(err); status != http.StatusBadRequest && status != http.StatusRequestEntityTooLarge {
				t.Errorf("%v classified as %d", err, status)
			}
		})
	})
}

// FuzzParseSessionFile checks that the sessions file decoder takes any
// input without panicking and keeps at most maxSessions sessions.
func FuzzParseSessionFile(f *testing.F) {
	f.Add([]byte(`{"sessions":[{"id_sha256":"` + strings.Repeat("ab", 32) + `","created":"2026-01-01T00:00:00Z","last_used":"2026-01-02T00:00:00Z"}]}`))
	f.Add([]byte(`{"sessions":[{"id_sha256":"zz"}]}`))
	f.Add([]byte(`{"sessions":null}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		within(t, "parseSessionFile", func() {
			m, err := parseSessionFile(b)
			if err == nil && len(m) > maxSessions {
				t.Errorf("%d sessions kept", len(m))
			}
		})
	})
}

// pngHeader is the start of a grayscale PNG of w×h pixels: enough for
// image.DecodeConfig.
func pngHeader(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32([]byte("IHDR"), w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 0, 0, 0, 0) // 8-bit grayscale
	b := []byte("\x89PNG\r\n\x1a\n")
	b = binary.BigEndian.AppendUint32(b, uint32(len(ihdr)-4))
	b = append(b, ihdr...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(ihdr))
}

package media

import (
	"fmt"
	"mime"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

// Manifest limits.
const (
	// MaxFileSize bounds the plaintext of one attachment.
	MaxFileSize = 16 << 30
	// MaxThumbnailSize bounds a thumbnail's bytes, so a manifest fits in a
	// message.
	MaxThumbnailSize = 40 << 10
	// MaxThumbnailSide bounds a thumbnail's width and height.
	MaxThumbnailSide = 1024
	// MaxCaptionSize bounds a caption, in bytes of UTF-8.
	MaxCaptionSize = 4 << 10
	// MaxFileNameSize bounds a file name, in bytes of UTF-8.
	MaxFileNameSize = 255
	// MaxMIMESize bounds a MIME type.
	MaxMIMESize = 127
	// MaxManifestSize bounds an encoded manifest.
	MaxManifestSize = MaxThumbnailSize + MaxCaptionSize + 2<<10

	maxCIDSize   = 64
	digestSize   = 32
	maxDimension = 1 << 16
)

// DecodeManifest decodes and checks an encoded manifest.
func DecodeManifest(b []byte) (*pb.Media, error) {
	if len(b) > MaxManifestSize {
		return nil, fmt.Errorf("decode manifest: %w: %d bytes", ErrTooLarge, len(b))
	}
	var m pb.Media
	if err := proto.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("decode manifest: %w: %v", ErrBadManifest, err)
	}
	if err := CheckManifest(&m); err != nil {
		return nil, fmt.Errorf("decode manifest: %w", err)
	}
	return &m, nil
}

// CheckManifest checks every field of a manifest received from a peer.
func CheckManifest(m *pb.Media) error {
	if m == nil {
		return fmt.Errorf("%w: empty", ErrBadManifest)
	}
	if _, err := CheckRoot(m.Root); err != nil {
		return err
	}
	switch {
	case len(m.Key) != KeySize:
		return fmt.Errorf("%w: key of %d bytes", ErrBadManifest, len(m.Key))
	case len(m.CiphertextSha256) != digestSize || len(m.PlaintextSha256) != digestSize:
		return fmt.Errorf("%w: digest size", ErrBadManifest)
	case m.Size > MaxFileSize:
		return fmt.Errorf("%w: file of %d bytes, limit %d", ErrTooLarge, m.Size, uint64(MaxFileSize))
	case m.SegmentSize != SegmentSize:
		return fmt.Errorf("%w: segment size %d", ErrBadManifest, m.SegmentSize)
	case m.Width > maxDimension || m.Height > maxDimension:
		return fmt.Errorf("%w: dimensions", ErrBadManifest)
	case len(m.Caption) > MaxCaptionSize || !utf8.ValidString(m.Caption):
		return fmt.Errorf("%w: caption", ErrBadManifest)
	}
	if err := checkMIME(m.MimeType); err != nil {
		return err
	}
	if len(m.FileName) > MaxFileNameSize || !utf8.ValidString(m.FileName) {
		// Any other name is accepted: it is the sender's, shown and saved
		// only through SafeName, and refusing it would lose the message.
		return fmt.Errorf("%w: file name", ErrBadManifest)
	}
	if t := m.Thumbnail; t != nil {
		switch {
		case len(t.Data) == 0 || len(t.Data) > MaxThumbnailSize:
			return fmt.Errorf("%w: thumbnail of %d bytes", ErrBadManifest, len(t.Data))
		case t.MimeType != "image/jpeg" && t.MimeType != "image/png":
			return fmt.Errorf("%w: thumbnail type", ErrBadManifest)
		case t.Width == 0 || t.Height == 0 || t.Width > MaxThumbnailSide || t.Height > MaxThumbnailSide:
			return fmt.Errorf("%w: thumbnail dimensions", ErrBadManifest)
		}
	}
	return nil
}

// CheckRoot parses a DAG root CID and checks it is one this package
// accepts: CIDv1, dag-pb or raw, BLAKE3-256 (what Import makes) or
// SHA2-256.
func CheckRoot(b []byte) (cid.Cid, error) {
	if len(b) == 0 || len(b) > maxCIDSize {
		return cid.Undef, fmt.Errorf("%w: root of %d bytes", ErrBadManifest, len(b))
	}
	n, c, err := cid.CidFromBytes(b)
	if err != nil || n != len(b) {
		return cid.Undef, fmt.Errorf("%w: root does not decode", ErrBadManifest)
	}
	if err := checkCID(c); err != nil {
		return cid.Undef, fmt.Errorf("%w: root: %v", ErrBadManifest, err)
	}
	return c, nil
}

// checkCID accepts the CIDs of media DAGs only.
func checkCID(c cid.Cid) error {
	p := c.Prefix()
	switch {
	case p.Version != 1:
		return fmt.Errorf("CID version %d", p.Version)
	case p.Codec != cid.DagProtobuf && p.Codec != cid.Raw:
		return fmt.Errorf("codec %#x", p.Codec)
	case (p.MhType != mh.BLAKE3 && p.MhType != mh.SHA2_256) || p.MhLength != digestSize:
		return fmt.Errorf("hash %#x/%d", p.MhType, p.MhLength)
	}
	return nil
}

func checkMIME(s string) error {
	if s == "" {
		return nil
	}
	if len(s) > MaxMIMESize {
		return fmt.Errorf("%w: MIME type too long", ErrBadManifest)
	}
	if _, _, err := mime.ParseMediaType(s); err != nil || !strings.Contains(s, "/") {
		return fmt.Errorf("%w: MIME type %q", ErrBadManifest, s)
	}
	return nil
}

// CheckFileName checks the name of a file this node sends: valid UTF-8
// without path separators or control characters, at most MaxFileNameSize
// bytes. The empty name is allowed (the receiver picks one). Received
// names are not held to it (CheckManifest checks their size only): a
// receiver shows and saves a name through SafeName.
func CheckFileName(s string) error {
	switch {
	case s == "":
		return nil
	case len(s) > MaxFileNameSize || !utf8.ValidString(s):
		return fmt.Errorf("%w: file name", ErrBadManifest)
	case s == "." || s == ".." || strings.ContainsAny(s, `/\`):
		return fmt.Errorf("%w: file name %q", ErrBadManifest, s)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return fmt.Errorf("%w: file name has control characters", ErrBadManifest)
		}
	}
	return nil
}

// NewManifest returns the manifest of an imported file; the caller fills in
// the descriptive fields (name, type, caption, thumbnail).
func NewManifest(im Imported, key []byte) *pb.Media {
	return &pb.Media{
		Root:             im.Root.Bytes(),
		Key:              append([]byte(nil), key...),
		CiphertextSha256: im.CiphertextSHA256,
		PlaintextSha256:  im.PlaintextSHA256,
		Size:             im.Size,
		SegmentSize:      SegmentSize,
	}
}

package profiles

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // avatars: JPEG headers
	_ "image/png"  // avatars: PNG headers
	"strings"
	"unicode"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

// Limits of a profile.
const (
	// MaxNameLen is the longest display name, in characters.
	MaxNameLen = 64
	// MaxAvatarSize is the largest avatar, in bytes. A group content
	// carrying it must fit groupcast's 64 KiB payload with its envelope.
	MaxAvatarSize = 48 << 10
	// MaxAvatarSide bounds an avatar's width and height, in pixels.
	MaxAvatarSide = 4096
	// maxRecord bounds an encoded profile (record or wire body).
	maxRecord = MaxAvatarSize + 4*MaxNameLen + 64
)

// Errors a profile change returns (wrapped).
var (
	ErrBadName   = errors.New("display name must be 1 to 64 characters of text, without control characters")
	ErrBadAvatar = errors.New("avatar must be a JPEG or PNG image of at most 48 KiB (downscale it first)")
)

// CheckName trims name and checks it.
func CheckName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > MaxNameLen {
		return "", ErrBadName
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return "", ErrBadName
		}
	}
	return name, nil
}

// AvatarType checks an avatar (magic bytes, then the decoded header) and
// returns its MIME type.
func AvatarType(img []byte) (string, error) {
	var mime, format string
	switch {
	case len(img) > MaxAvatarSize:
		return "", fmt.Errorf("%w: %d bytes", ErrBadAvatar, len(img))
	case bytes.HasPrefix(img, []byte("\xff\xd8\xff")):
		mime, format = "image/jpeg", "jpeg"
	case bytes.HasPrefix(img, []byte("\x89PNG\r\n\x1a\n")):
		mime, format = "image/png", "png"
	default:
		return "", ErrBadAvatar
	}
	cfg, got, err := image.DecodeConfig(bytes.NewReader(img))
	if err != nil || got != format {
		return "", fmt.Errorf("%w: the image does not decode", ErrBadAvatar)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxAvatarSide || cfg.Height > MaxAvatarSide {
		return "", fmt.Errorf("%w: %d×%d pixels", ErrBadAvatar, cfg.Width, cfg.Height)
	}
	return mime, nil
}

// check checks a profile as it arrives (wire or record): a valid name
// (already trimmed), a valid avatar or none, a version.
func check(p *pb.Profile) error {
	if p == nil || p.Version == 0 {
		return errors.New("profile without a version")
	}
	if n, err := CheckName(p.Name); err != nil || n != p.Name {
		return ErrBadName
	}
	if len(p.Avatar) > 0 {
		if _, err := AvatarType(p.Avatar); err != nil {
			return err
		}
	}
	return nil
}

// decode decodes and checks an encoded profile (a stored record or an
// operation's).
func decode(b []byte) (*pb.Profile, error) {
	if len(b) > maxRecord {
		return nil, fmt.Errorf("profile of %d bytes", len(b))
	}
	var p pb.Profile
	if err := proto.Unmarshal(b, &p); err != nil {
		return nil, err
	}
	if err := check(&p); err != nil {
		return nil, err
	}
	return &p, nil
}

// newer reports whether p replaces held (nil: none): a higher version,
// or the same version with the larger encoding (two devices of an account
// that picked one version: every holder keeps the same one).
func newer(p, held *pb.Profile) bool {
	if held == nil || p.Version != held.Version {
		return held == nil || p.Version > held.Version
	}
	a, _ := proto.MarshalOptions{Deterministic: true}.Marshal(p)
	b, _ := proto.MarshalOptions{Deterministic: true}.Marshal(held)
	return bytes.Compare(a, b) > 0
}

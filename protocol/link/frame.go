package link

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// Size limits of the protocol.
const (
	// MaxNameSize bounds a device name, in bytes.
	MaxNameSize = 64
	// MaxPlatformSize bounds a platform string, in bytes.
	MaxPlatformSize = 32
	// MaxHelloSize bounds one encoded pb.LinkHello.
	MaxHelloSize = 256
	// MaxCertSize bounds the marshaled certificate of a grant.
	MaxCertSize = identity.MaxCertificateSize + 128
	// MaxServerFrameSize bounds one encoded pb.LinkServerFrame: a grant
	// with a certificate and a device list of the largest size.
	MaxServerFrameSize = identity.MaxDeviceListSize + MaxCertSize + 128
)

// checkDevice checks what a new device says about itself. Name and
// platform are shown to the user who confirms, so they must be valid UTF-8
// without control or formatting characters (no terminal escapes, no
// right-to-left overrides).
func checkDevice(signalKey []byte, name, platform string) error {
	if len(signalKey) != identity.SignalKeySize || signalKey[0] != 0x05 {
		return fmt.Errorf("%w: signal identity key must be %d bytes starting with 0x05", ErrMalformed, identity.SignalKeySize)
	}
	if name == "" {
		return fmt.Errorf("%w: device name is empty", ErrMalformed)
	}
	if len(name) > MaxNameSize {
		return fmt.Errorf("%w: device name of %d bytes, at most %d", ErrTooLarge, len(name), MaxNameSize)
	}
	if len(platform) > MaxPlatformSize {
		return fmt.Errorf("%w: platform of %d bytes, at most %d", ErrTooLarge, len(platform), MaxPlatformSize)
	}
	if err := checkText(name); err != nil {
		return fmt.Errorf("%w: device name: %v", ErrMalformed, err)
	}
	if err := checkText(platform); err != nil {
		return fmt.Errorf("%w: platform: %v", ErrMalformed, err)
	}
	return nil
}

func checkText(s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("not UTF-8")
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return fmt.Errorf("control character %U", r)
		}
	}
	return nil
}

// decodeHello decodes and checks the new device's frame.
func decodeHello(b []byte) (*pb.LinkHello, error) {
	const op = "decode link hello"
	if len(b) > MaxHelloSize {
		return nil, fmt.Errorf("%s: %w: %d bytes", op, ErrTooLarge, len(b))
	}
	var h pb.LinkHello
	if err := proto.Unmarshal(b, &h); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", op, ErrMalformed, err)
	}
	switch {
	case len(h.GetOffer()) != offerIDSize:
		return nil, fmt.Errorf("%s: %w: offer of %d bytes", op, ErrMalformed, len(h.GetOffer()))
	case len(h.GetProof()) != macSize:
		return nil, fmt.Errorf("%s: %w: proof of %d bytes", op, ErrMalformed, len(h.GetProof()))
	}
	if err := checkDevice(h.GetSignalIdentityKey(), h.GetName(), h.GetPlatform()); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return &h, nil
}

// decodeServerFrame decodes and checks one frame of the existing device.
func decodeServerFrame(b []byte) (*pb.LinkServerFrame, error) {
	const op = "decode link answer"
	if len(b) > MaxServerFrameSize {
		return nil, fmt.Errorf("%s: %w: %d bytes", op, ErrTooLarge, len(b))
	}
	var f pb.LinkServerFrame
	if err := proto.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", op, ErrMalformed, err)
	}
	switch x := f.Frame.(type) {
	case *pb.LinkServerFrame_Pending:
	case *pb.LinkServerFrame_Refused:
		if _, ok := pb.LinkStatus_name[int32(x.Refused)]; !ok || x.Refused == pb.LinkStatus_LINK_STATUS_NONE {
			return nil, fmt.Errorf("%s: %w: status %d", op, ErrMalformed, x.Refused)
		}
	case *pb.LinkServerFrame_Grant:
		g := x.Grant
		switch {
		case g.GetDeviceId() == 0:
			return nil, fmt.Errorf("%s: %w: device id 0", op, ErrMalformed)
		case len(g.GetCertificate()) == 0 || len(g.GetDeviceList()) == 0:
			return nil, fmt.Errorf("%s: %w: grant without certificate or device list", op, ErrMalformed)
		case len(g.GetCertificate()) > MaxCertSize:
			return nil, fmt.Errorf("%s: %w: certificate of %d bytes", op, ErrTooLarge, len(g.GetCertificate()))
		case len(g.GetDeviceList()) > identity.MaxDeviceListSize:
			return nil, fmt.Errorf("%s: %w: device list of %d bytes", op, ErrTooLarge, len(g.GetDeviceList()))
		case len(g.GetMac()) != macSize:
			return nil, fmt.Errorf("%s: %w: mac of %d bytes", op, ErrMalformed, len(g.GetMac()))
		}
	default:
		return nil, fmt.Errorf("%s: %w: empty frame", op, ErrMalformed)
	}
	return &f, nil
}

// marshalFrame encodes f; a server frame has no string fields, so it
// cannot fail.
func marshalFrame(f *pb.LinkServerFrame) []byte {
	b, _ := proto.Marshal(f)
	return b
}

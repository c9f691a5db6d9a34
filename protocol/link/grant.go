package link

import (
	"bytes"
	"context"
	"fmt"

	"github.com/libp2p/go-libp2p/core/peer"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// Request is a new device's verified request to join an account, handed to
// the ConfirmFunc of the existing device.
type Request struct {
	// Account is the account of the code the new device used.
	Account identity.AccountID
	// Peer is the new device's libp2p peer, taken from the connection.
	Peer peer.ID
	// SignalKey is the new device's Signal identity key (33 bytes).
	SignalKey []byte
	// Name and Platform are what the new device calls itself: checked to
	// be short, valid UTF-8 without control characters, but chosen by
	// whoever holds the code.
	Name, Platform string
	// SAS is the six-digit confirmation code the new device shows. Show it
	// to the user, who must compare it with the new device's screen.
	SAS string
}

// Grant is what the existing device gives a confirmed new device.
type Grant struct {
	// DeviceID is the new device's number in the account.
	DeviceID uint32
	// Certificate is the new device's certificate, a marshaled pb.Signed
	// issued by the account key for DeviceID, Request.Peer and
	// Request.SignalKey.
	Certificate []byte
	// DeviceList is the account's signed device-list record (as published
	// in the DHT) listing that certificate.
	DeviceList []byte
}

// ConfirmFunc asks the user of the existing device whether to link the
// device in req, showing req.SAS to compare with the new device's screen.
// On yes it assigns the next device ID, issues the certificate with the
// account key, publishes the new device list, and returns the grant: from
// then on the device belongs to the account, whether or not the grant
// reaches it. On no it returns an error wrapping ErrDeclined; any other
// error tells the new device the link failed. ctx ends when the code
// expires, the new device goes away or the service closes: stop asking
// then, and issue nothing.
type ConfirmFunc func(ctx context.Context, req Request) (Grant, error)

// JoinRequest is what a new device says about itself.
type JoinRequest struct {
	// SignalKey is the new device's Signal identity key (33 bytes, 0x05
	// and the Curve25519 public key).
	SignalKey []byte
	// Name names the device for the user (1..MaxNameSize bytes of UTF-8,
	// no control characters), e.g. "laptop".
	Name string
	// Platform is optional (at most MaxPlatformSize bytes), e.g. "linux".
	Platform string
}

// Linked is a verified grant, as Join returns it.
type Linked struct {
	Grant
	// Cert is the new device's verified certificate.
	Cert *identity.Certificate
	// List is the account's verified device list, which names Cert.
	List *identity.DeviceList
}

// verifyGrant checks that g makes peer self, with Signal identity key
// signalKey, a device of account: the certificate verifies, is of account
// and names self, signalKey and g.DeviceID, and the device list opens, is
// of account and lists that very certificate. Errors wrap ErrBadGrant.
func verifyGrant(account identity.AccountID, self peer.ID, signalKey []byte, g *Grant) (*Linked, error) {
	var s pb.Signed
	if len(g.Certificate) > MaxCertSize {
		return nil, fmt.Errorf("%w: certificate of %d bytes", ErrBadGrant, len(g.Certificate))
	}
	if err := proto.Unmarshal(g.Certificate, &s); err != nil {
		return nil, fmt.Errorf("%w: certificate: %v", ErrBadGrant, err)
	}
	cert, err := identity.VerifyCertificate(&s)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadGrant, err)
	}
	switch {
	case cert.Account != account:
		return nil, fmt.Errorf("%w: certificate of account %s, not %s", ErrBadGrant, cert.Account.Short(), account.Short())
	case cert.PeerID != self:
		return nil, fmt.Errorf("%w: certificate of peer %s, not this device's %s", ErrBadGrant, cert.PeerID, self)
	case !bytes.Equal(cert.SignalIdentityKey, signalKey):
		return nil, fmt.Errorf("%w: certificate of another signal identity key", ErrBadGrant)
	case cert.DeviceID != g.DeviceID:
		return nil, fmt.Errorf("%w: certificate of device %d, grant of device %d", ErrBadGrant, cert.DeviceID, g.DeviceID)
	}
	list, err := identity.OpenDeviceList(g.DeviceList)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadGrant, err)
	}
	if list.Account != account {
		return nil, fmt.Errorf("%w: device list of account %s, not %s", ErrBadGrant, list.Account.Short(), account.Short())
	}
	d, ok := list.Device(cert.DeviceID)
	if !ok || !bytes.Equal(d.Cert.Signed.GetBody(), cert.Signed.GetBody()) || !bytes.Equal(d.Cert.Signed.GetSignature(), cert.Signed.GetSignature()) {
		return nil, fmt.Errorf("%w: device list (version %d) does not list the certificate", ErrBadGrant, list.Version)
	}
	canonical, err := proto.MarshalOptions{Deterministic: true}.Marshal(cert.Signed)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadGrant, err)
	}
	return &Linked{
		Grant: Grant{DeviceID: g.DeviceID, Certificate: canonical, DeviceList: bytes.Clone(g.DeviceList)},
		Cert:  cert,
		List:  list,
	}, nil
}

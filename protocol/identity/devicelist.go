package identity

import (
	"crypto/ed25519"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

const (
	listDomain = "pigeon/device-list/v1"

	// MaxDeviceListSize is the largest marshaled device-list record accepted.
	MaxDeviceListSize = 64 << 10
	// MaxDevices is the most devices one account may list.
	MaxDevices = 32
	// MaxAddrsPerDevice is the most addresses one device may list.
	MaxAddrsPerDevice = 16
	// MaxRelays is the most relays one account may list.
	MaxRelays = 16
	// MaxRevoked is the most revoked devices one list keeps; the publisher
	// drops the oldest revocations beyond it.
	MaxRevoked = 64
	// maxAddrSize bounds one multiaddr, binary or text.
	maxAddrSize = 512
)

// Device is one entry of a device list: a verified certificate and the
// addresses where the device may be dialled.
type Device struct {
	Cert  *Certificate
	Addrs []ma.Multiaddr
}

// DeviceList is the verified content of an account's device-list record.
type DeviceList struct {
	Account AccountID
	Version uint64 // strictly increasing; the highest valid version wins
	Devices []Device
	Relays  []string // multiaddrs of the relays holding the account's mailboxes
	// IssuedAt is informational; the zero time is encoded as 0.
	IssuedAt time.Time
	// Revoked are devices removed from the account, oldest revocation
	// first. They are not devices of the account (Device and ByPeer do
	// not find them); they are kept so the operations they signed while
	// listed stay verifiable.
	Revoked []RevokedDevice
}

// RevokedDevice is a device revoked from an account: its certificate, and
// the highest account-log seq of the device that the revoking device held
// when it revoked it. Its operations up to OpsUpto stay valid.
type RevokedDevice struct {
	Cert    *Certificate
	OpsUpto uint64
}

// RevokedDevice returns the revoked device with the given ID.
func (l *DeviceList) RevokedDevice(id uint32) (RevokedDevice, bool) {
	for _, r := range l.Revoked {
		if r.Cert != nil && r.Cert.DeviceID == id {
			return r, true
		}
	}
	return RevokedDevice{}, false
}

// Device returns the device with the given ID.
func (l *DeviceList) Device(id uint32) (Device, bool) {
	for _, d := range l.Devices {
		if d.Cert != nil && d.Cert.DeviceID == id {
			return d, true
		}
	}
	return Device{}, false
}

// ByPeer returns the device running the libp2p host p.
func (l *DeviceList) ByPeer(p peer.ID) (Device, bool) {
	for _, d := range l.Devices {
		if d.Cert != nil && d.Cert.PeerID == p {
			return d, true
		}
	}
	return Device{}, false
}

// SignDeviceList signs l with the account key and returns the marshaled
// pb.Signed record, ready for the DHT. l.Account may be left zero; otherwise
// it, and every certificate, must belong to a. Each device's Cert.Signed is
// embedded as is. The list must satisfy the limits OpenDeviceList enforces.
func (a *Account) SignDeviceList(l *DeviceList) ([]byte, error) {
	const op = "sign device list"
	id := a.ID()
	if l == nil {
		return nil, fmt.Errorf("%s: %w: nil list", op, ErrMalformed)
	}
	if !l.Account.IsZero() && l.Account != id {
		return nil, fmt.Errorf("%s: %w: list is for %s", op, ErrWrongAccount, l.Account.Short())
	}
	if err := checkCounts(len(l.Devices), len(l.Relays), len(l.Revoked)); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	body := &pb.DeviceList{
		AccountKey: id[:],
		Version:    l.Version,
		Relays:     l.Relays,
	}
	if !l.IssuedAt.IsZero() {
		body.IssuedAtMs = l.IssuedAt.UnixMilli()
		if body.IssuedAtMs < 0 {
			return nil, fmt.Errorf("%s: %w: issue time before 1970", op, ErrMalformed)
		}
	}
	seenID := make(map[uint32]bool, len(l.Devices))
	seenPeer := make(map[peer.ID]bool, len(l.Devices))
	for i, d := range l.Devices {
		if d.Cert == nil || d.Cert.Signed == nil {
			return nil, fmt.Errorf("%s: device %d: %w: no certificate", op, i, ErrMalformed)
		}
		if d.Cert.Account != id {
			return nil, fmt.Errorf("%s: device %d: %w", op, d.Cert.DeviceID, ErrForeignCertificate)
		}
		if seenID[d.Cert.DeviceID] || seenPeer[d.Cert.PeerID] {
			return nil, fmt.Errorf("%s: device %d: %w", op, d.Cert.DeviceID, ErrDuplicateDevice)
		}
		seenID[d.Cert.DeviceID], seenPeer[d.Cert.PeerID] = true, true
		if len(d.Addrs) > MaxAddrsPerDevice {
			return nil, fmt.Errorf("%s: device %d: %w: %d addresses", op, d.Cert.DeviceID, ErrTooLarge, len(d.Addrs))
		}
		e := &pb.DeviceEntry{Certificate: d.Cert.Signed}
		for _, addr := range d.Addrs {
			if len(addr) == 0 {
				return nil, fmt.Errorf("%s: device %d: %w: empty address", op, d.Cert.DeviceID, ErrMalformed)
			}
			e.Addrs = append(e.Addrs, addr.Bytes())
		}
		body.Devices = append(body.Devices, e)
	}
	for i, r := range l.Revoked {
		if r.Cert == nil || r.Cert.Signed == nil {
			return nil, fmt.Errorf("%s: revoked device %d: %w: no certificate", op, i, ErrMalformed)
		}
		if r.Cert.Account != id {
			return nil, fmt.Errorf("%s: revoked device %d: %w", op, r.Cert.DeviceID, ErrForeignCertificate)
		}
		if seenID[r.Cert.DeviceID] {
			return nil, fmt.Errorf("%s: revoked device %d: %w", op, r.Cert.DeviceID, ErrDuplicateDevice)
		}
		seenID[r.Cert.DeviceID] = true
		body.Revoked = append(body.Revoked, &pb.RevokedDevice{Certificate: r.Cert.Signed, OpsUpto: r.OpsUpto})
	}
	for _, r := range l.Relays {
		if err := checkRelay(r); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
	}
	raw, err := proto.MarshalOptions{Deterministic: true}.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	rec, err := proto.MarshalOptions{Deterministic: true}.Marshal(&pb.Signed{Body: raw, Signature: a.sign(listDomain, raw)})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if len(rec) > MaxDeviceListSize {
		return nil, fmt.Errorf("%s: %w: record of %d bytes", op, ErrTooLarge, len(rec))
	}
	return rec, nil
}

// OpenDeviceList decodes and verifies a device-list record: size limits, the
// account signature over the list, and that every certificate verifies and
// belongs to the same account, with no device ID or peer ID listed twice.
// It does not know which account the caller expected: compare l.Account.
func OpenDeviceList(raw []byte) (*DeviceList, error) {
	const op = "open device list"
	if len(raw) > MaxDeviceListSize {
		return nil, fmt.Errorf("%s: %w: record of %d bytes", op, ErrTooLarge, len(raw))
	}
	var s pb.Signed
	if err := proto.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", op, ErrMalformed, err)
	}
	if len(s.GetSignature()) != ed25519.SignatureSize {
		return nil, fmt.Errorf("%s: %w: signature of %d bytes", op, ErrMalformed, len(s.GetSignature()))
	}
	var body pb.DeviceList
	if err := proto.Unmarshal(s.GetBody(), &body); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", op, ErrMalformed, err)
	}
	account, err := AccountIDFromBytes(body.GetAccountKey())
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %v", op, ErrMalformed, err)
	}
	if err := checkCounts(len(body.GetDevices()), len(body.GetRelays()), len(body.GetRevoked())); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	for _, r := range body.GetRelays() {
		if err := checkRelay(r); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
	}
	if body.GetIssuedAtMs() < 0 {
		return nil, fmt.Errorf("%s: %w: negative issue time", op, ErrMalformed)
	}
	// Check the cheap list signature before the certificates.
	if !verify(account, listDomain, s.GetBody(), s.GetSignature()) {
		return nil, fmt.Errorf("%s: %w", op, ErrBadSignature)
	}
	l := &DeviceList{
		Account: account,
		Version: body.GetVersion(),
		Devices: make([]Device, 0, len(body.GetDevices())),
	}
	if len(body.GetRelays()) > 0 {
		l.Relays = append([]string(nil), body.GetRelays()...)
	}
	if ms := body.GetIssuedAtMs(); ms != 0 {
		l.IssuedAt = time.UnixMilli(ms)
	}
	seenID := make(map[uint32]bool, len(body.GetDevices()))
	seenPeer := make(map[peer.ID]bool, len(body.GetDevices()))
	for i, e := range body.GetDevices() {
		if len(e.GetAddrs()) > MaxAddrsPerDevice {
			return nil, fmt.Errorf("%s: device entry %d: %w: %d addresses", op, i, ErrTooLarge, len(e.GetAddrs()))
		}
		cert, err := VerifyCertificate(e.GetCertificate())
		if err != nil {
			return nil, fmt.Errorf("%s: device entry %d: %w", op, i, err)
		}
		if cert.Account != account {
			return nil, fmt.Errorf("%s: device %d: %w", op, cert.DeviceID, ErrForeignCertificate)
		}
		if seenID[cert.DeviceID] || seenPeer[cert.PeerID] {
			return nil, fmt.Errorf("%s: device %d: %w", op, cert.DeviceID, ErrDuplicateDevice)
		}
		seenID[cert.DeviceID], seenPeer[cert.PeerID] = true, true
		d := Device{Cert: cert}
		for _, b := range e.GetAddrs() {
			if len(b) > maxAddrSize {
				return nil, fmt.Errorf("%s: device %d: %w: address of %d bytes", op, cert.DeviceID, ErrTooLarge, len(b))
			}
			addr, err := ma.NewMultiaddrBytes(b)
			if err == nil && len(addr) == 0 {
				err = fmt.Errorf("empty")
			}
			if err != nil {
				return nil, fmt.Errorf("%s: device %d: %w: address: %v", op, cert.DeviceID, ErrMalformed, err)
			}
			d.Addrs = append(d.Addrs, addr)
		}
		l.Devices = append(l.Devices, d)
	}
	// A revoked device is not listed as a device too; its peer ID may be
	// (a device re-linked on the same host gets a new device ID).
	for i, e := range body.GetRevoked() {
		cert, err := VerifyCertificate(e.GetCertificate())
		if err != nil {
			return nil, fmt.Errorf("%s: revoked entry %d: %w", op, i, err)
		}
		if cert.Account != account {
			return nil, fmt.Errorf("%s: revoked device %d: %w", op, cert.DeviceID, ErrForeignCertificate)
		}
		if seenID[cert.DeviceID] {
			return nil, fmt.Errorf("%s: revoked device %d: %w", op, cert.DeviceID, ErrDuplicateDevice)
		}
		seenID[cert.DeviceID] = true
		l.Revoked = append(l.Revoked, RevokedDevice{Cert: cert, OpsUpto: e.GetOpsUpto()})
	}
	return l, nil
}

func checkCounts(devices, relays, revoked int) error {
	if devices > MaxDevices {
		return fmt.Errorf("%w: %d devices, at most %d", ErrTooLarge, devices, MaxDevices)
	}
	if revoked > MaxRevoked {
		return fmt.Errorf("%w: %d revoked devices, at most %d", ErrTooLarge, revoked, MaxRevoked)
	}
	if relays > MaxRelays {
		return fmt.Errorf("%w: %d relays, at most %d", ErrTooLarge, relays, MaxRelays)
	}
	return nil
}

func checkRelay(r string) error {
	if len(r) > maxAddrSize {
		return fmt.Errorf("%w: relay address of %d bytes", ErrTooLarge, len(r))
	}
	if _, err := ma.NewMultiaddr(r); err != nil {
		return fmt.Errorf("%w: relay address: %v", ErrMalformed, err)
	}
	return nil
}

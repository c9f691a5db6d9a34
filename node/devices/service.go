package devices

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/link"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// CodeLifetime is how long a link code can be used.
const CodeLifetime = 10 * time.Minute

// OpDevice (pb.OpDevice) names a device of the account and its platform;
// the latest operation about a device wins.
const OpDevice = "devices.device"

// Errors of the feature.
var (
	// ErrUnknownDevice is returned for a device ID the account does not
	// list.
	ErrUnknownDevice = errors.New("no such device in this account")
	// ErrThisDevice is returned when revoking the device itself.
	ErrThisDevice = errors.New("cannot revoke this device from itself; revoke it from another device that holds the account key")
	// ErrNoRequest is returned by Answer for a link request that is not
	// waiting (answered, or its code expired).
	ErrNoRequest = errors.New("no such link request waiting")
	// ErrNoCode is returned by Withdraw for a code this device did not
	// make, or that was used or expired already.
	ErrNoCode = errors.New("no such link code open on this device")
)

// Device is one device of the account.
type Device struct {
	ID       uint32
	Name     string // what the user calls it ("" until a device said)
	Platform string
	PeerID   peer.ID
	AddedAt  time.Time // when the account key certified it
	// LastSeen is when this device last had a connection to it (zero:
	// never, since this device was linked); the device itself is seen
	// now.
	LastSeen time.Time
	This     bool // the device answering
}

// Offer is a link code for a new device.
type Offer struct {
	Code    string // the text form to type or paste (it holds a secret)
	QRText  string // the same code for a QR code
	Expires time.Time
}

// LinkRequest is published when a new device uses a link code of this
// device: show SAS next to Name and ask the user whether it is the code
// the new device shows; then Answer(ID, yes or no).
type LinkRequest struct {
	ID       string
	Name     string
	Platform string
	SAS      string // six digits
	PeerID   peer.ID
}

// DeviceLinked is published when a device joined the account (here, or on
// another device, as the account log tells).
type DeviceLinked struct{ Device Device }

// DeviceRevoked is published when this device revoked another.
type DeviceRevoked struct{ ID uint32 }

func (LinkRequest) EventName() string   { return "link_request" }
func (DeviceLinked) EventName() string  { return "device_linked" }
func (DeviceRevoked) EventName() string { return "device_revoked" }

// Service is the account's devices (n.Devices()).
type Service struct {
	d      Deps
	offers *link.Offers
	serve  *link.Service

	mu      sync.Mutex // a leaf
	waiting map[string]chan bool
}

// New makes the feature and claims the devices.device operation; it does
// no I/O (node calls it).
func New(d Deps) (*Service, error) {
	if d.Cert == nil || d.Store == nil || d.Host == nil || d.Lists == nil || d.Ops == nil || d.Ready == nil || d.Publish == nil ||
		d.Registry == nil || d.Resolver == nil || d.Outbox == nil || d.Go == nil {
		return nil, errors.New("devices: incomplete deps")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	s := &Service{d: d, offers: link.NewOffers(d.Now), waiting: make(map[string]chan bool)}
	d.Ops.HandleOp(OpDevice, s.foldDevice)
	d.Ops.HandleState("devices", s.digest)
	d.Registry.HandleContent(rt.KindDeviceList, nil, s.takeList)
	if d.Peers == nil {
		s.d.Peers = func(context.Context) []core.AccountID { return nil }
	}
	return s, nil
}

// Start serves link requests, and names this device in the account log
// when it has not been named yet.
func (s *Service) Start(ctx context.Context) error {
	var err error
	if s.serve, err = link.NewService(s.d.Host, s.offers, s.confirm, link.WithLogger(s.d.Log)); err != nil {
		return err
	}
	// The device that holds the account key names itself; it names the
	// devices it links (a new device learns its name with the history).
	if info, err := s.info(ctx, s.d.Device); err == nil && info == nil && s.d.Name != "" && s.d.Account != nil {
		return s.rename(ctx, s.d.Device, s.d.Name, s.d.Platform)
	}
	return nil
}

// Close stops serving link requests and refuses those waiting.
func (s *Service) Close() {
	if s.serve != nil {
		s.serve.Close()
	}
}

func (s *Service) ready() error {
	if s == nil {
		return core.ErrNotStarted
	}
	return s.d.Ready()
}

// List returns the account's devices, this one first, then by ID.
func (s *Service) List(ctx context.Context) ([]Device, error) {
	if err := s.ready(); err != nil {
		return nil, fmt.Errorf("list devices: %w", err)
	}
	l := s.d.Lists.Own(ctx)
	if l == nil {
		// Just started: the first list is being signed. This device is
		// the one its certificate names.
		l = &identity.DeviceList{Devices: []identity.Device{{Cert: s.d.Cert}}}
	}
	out := make([]Device, 0, len(l.Devices))
	for _, dev := range l.Devices {
		d := Device{ID: dev.Cert.DeviceID, PeerID: dev.Cert.PeerID, AddedAt: dev.Cert.IssuedAt, This: dev.Cert.DeviceID == s.d.Device}
		if info, err := s.info(ctx, d.ID); err != nil {
			return nil, fmt.Errorf("list devices: %w", err)
		} else if info != nil {
			d.Name, d.Platform = info.Name, info.Platform
		}
		d.LastSeen = s.lastSeen(ctx, d)
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b Device) int {
		if a.This != b.This {
			if a.This {
				return -1
			}
			return 1
		}
		return int(a.ID) - int(b.ID)
	})
	return out, nil
}

// HoldsAccountKey reports whether this device holds the account key: it
// alone links and revokes devices.
func (s *Service) HoldsAccountKey() bool { return s.d.Account != nil }

// Link makes a one-time link code that expires in CodeLifetime. A new
// device uses it with node.LinkDevice; this device then publishes a
// LinkRequest, and links the device once the user answers yes.
func (s *Service) Link(ctx context.Context) (Offer, error) {
	const op = "link device"
	if err := s.ready(); err != nil {
		return Offer{}, fmt.Errorf("%s: %w", op, err)
	}
	if s.d.Account == nil {
		return Offer{}, fmt.Errorf("%s: %w", op, core.ErrNoAccountKey)
	}
	expires := s.d.Now().Add(CodeLifetime)
	code, err := link.NewCode(identity.AccountID(s.d.Self), s.d.Host.ID(), s.d.Host.Addrs(), expires)
	if err != nil {
		return Offer{}, fmt.Errorf("%s: %w", op, err)
	}
	if err := s.offers.Add(code); err != nil {
		return Offer{}, fmt.Errorf("%s: %w", op, err)
	}
	return Offer{Code: code.String(), QRText: code.QRText(), Expires: code.Expires}, nil
}

// Withdraw closes a link code Link made before it is used: a device
// that tries it then hears "unknown code". It fails with ErrNoCode for a
// code not open here (never made, used or expired).
func (s *Service) Withdraw(code string) error {
	c, err := link.ParseCode(code)
	if err != nil {
		return fmt.Errorf("withdraw link code: %w", err)
	}
	if !s.offers.Withdraw(c) {
		return fmt.Errorf("withdraw link code: %w", ErrNoCode)
	}
	return nil
}

// Answer answers a LinkRequest: yes links the device, no refuses it.
func (s *Service) Answer(id string, yes bool) error {
	s.mu.Lock()
	ch, ok := s.waiting[id]
	delete(s.waiting, id)
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("answer link request: %w", ErrNoRequest)
	}
	ch <- yes // buffered
	return nil
}

// confirm is the link service's question to the user: a LinkRequest
// event, answered with Answer, until the code expires.
func (s *Service) confirm(ctx context.Context, req link.Request) (link.Grant, error) {
	var b [8]byte
	_, _ = rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	ch := make(chan bool, 1)
	s.mu.Lock()
	s.waiting[id] = ch
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.waiting, id)
		s.mu.Unlock()
	}()
	s.d.Publish(LinkRequest{ID: id, Name: req.Name, Platform: req.Platform, SAS: req.SAS, PeerID: req.Peer})
	select {
	case <-ctx.Done():
		return link.Grant{}, ctx.Err()
	case yes := <-ch:
		if !yes {
			return link.Grant{}, link.ErrDeclined
		}
	}
	return s.grant(ctx, req)
}

// grant certifies the new device, publishes the list that adds it and
// names it in the account log.
func (s *Service) grant(ctx context.Context, req link.Request) (link.Grant, error) {
	const op = "link device"
	id, err := s.nextID(ctx)
	if err != nil {
		return link.Grant{}, fmt.Errorf("%s: %w", op, err)
	}
	signed, err := s.d.Account.IssueCertificate(id, req.Peer, req.SignalKey, s.d.Now())
	if err != nil {
		return link.Grant{}, fmt.Errorf("%s: %w", op, err)
	}
	cert, err := identity.VerifyCertificate(signed)
	if err != nil {
		return link.Grant{}, fmt.Errorf("%s: %w", op, err)
	}
	rawCert, err := proto.Marshal(signed)
	if err != nil {
		return link.Grant{}, fmt.Errorf("%s: %w", op, err)
	}
	addrs := s.d.Host.Peerstore().Addrs(req.Peer)
	if len(addrs) > identity.MaxAddrsPerDevice {
		addrs = addrs[:identity.MaxAddrsPerDevice]
	}
	list, err := s.d.Lists.AddDevice(ctx, cert, slices.Clone(addrs))
	if err != nil {
		return link.Grant{}, fmt.Errorf("%s: %w", op, err)
	}
	if err := s.rename(ctx, id, req.Name, req.Platform); err != nil {
		s.d.Log.Warn("name the linked device", "device", id, "err", err)
	}
	s.pushList(list)
	if s.d.Linked != nil {
		s.d.Go(s.d.Linked)
	}
	s.d.Log.Info("device linked", "device", id, "peer", req.Peer)
	s.d.Publish(DeviceLinked{Device: Device{ID: id, Name: req.Name, Platform: req.Platform, PeerID: req.Peer, AddedAt: cert.IssuedAt}})
	return link.Grant{DeviceID: id, Certificate: rawCert, DeviceList: list}, nil
}

// nextKey names the setting holding the next device number to give out:
// numbers of revoked devices are never given again.
const nextKey = "devices.next"

func (s *Service) nextID(ctx context.Context) (uint32, error) {
	var id uint32
	err := s.d.Store.Update(ctx, func(ctx context.Context) error {
		id = 1
		if v, err := s.d.Store.Setting(ctx, nextKey); err == nil && len(v) == 4 {
			id = binary.BigEndian.Uint32(v)
		} else if err != nil && !errors.Is(err, storage.ErrNotFound) {
			return err
		}
		if l := s.d.Lists.Own(ctx); l != nil {
			for _, d := range l.Devices {
				id = max(id, d.Cert.DeviceID+1)
			}
			for _, r := range l.Revoked {
				id = max(id, r.Cert.DeviceID+1)
			}
		}
		return s.d.Store.PutSetting(ctx, nextKey, binary.BigEndian.AppendUint32(nil, id+1))
	})
	return id, err
}

// Revoke removes device id from the account: the new device list is
// published at once; contacts stop encrypting to the device, and this
// account's devices no longer accept its operations after the last this
// device holds (the list keeps that bound, so the device's earlier
// operations stay valid, for devices linked later too).
func (s *Service) Revoke(ctx context.Context, id uint32) error {
	const op = "revoke device"
	if err := s.ready(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if s.d.Account == nil {
		return fmt.Errorf("%s: %w", op, core.ErrNoAccountKey)
	}
	if id == s.d.Device {
		return fmt.Errorf("%s: %w", op, ErrThisDevice)
	}
	l := s.d.Lists.Own(ctx)
	if l == nil {
		return fmt.Errorf("%s: %w: %d", op, ErrUnknownDevice, id)
	}
	if _, ok := l.Device(id); !ok {
		return fmt.Errorf("%s: %w: %d", op, ErrUnknownDevice, id)
	}
	list, err := s.d.Lists.RemoveDevice(ctx, id)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	s.pushList(list)
	s.d.Log.Info("device revoked", "device", id)
	s.d.Publish(DeviceRevoked{ID: id})
	return nil
}

// Rename sets what the user calls device id (any device of the account
// may, for any device); all devices show it.
func (s *Service) Rename(ctx context.Context, id uint32, name string) error {
	if err := s.ready(); err != nil {
		return fmt.Errorf("rename device: %w", err)
	}
	if name == "" || len(name) > link.MaxNameSize {
		return fmt.Errorf("rename device: %w: a name of 1 to %d bytes", core.ErrBadSetting, link.MaxNameSize)
	}
	if l := s.d.Lists.Own(ctx); l == nil {
		return fmt.Errorf("rename device: %w: %d", ErrUnknownDevice, id)
	} else if _, ok := l.Device(id); !ok {
		return fmt.Errorf("rename device: %w: %d", ErrUnknownDevice, id)
	}
	info, err := s.info(ctx, id)
	if err != nil {
		return fmt.Errorf("rename device: %w", err)
	}
	platform := ""
	if info != nil {
		platform = info.Platform
	}
	return s.rename(ctx, id, name, platform)
}

func (s *Service) rename(ctx context.Context, id uint32, name, platform string) error {
	body, err := proto.Marshal(&pb.OpDevice{Device: id, Name: name, Platform: platform})
	if err != nil {
		return err
	}
	var items []storage.OutboxItem
	err = s.d.Store.Update(ctx, func(ctx context.Context) error {
		op, its, err := s.d.Ops.Append(ctx, OpDevice, body)
		if err != nil {
			return err
		}
		items = its
		// Our own operation is not folded: record it as the fold would.
		return s.putInfo(ctx, id, op, body)
	})
	if err != nil {
		return err
	}
	for _, it := range items {
		s.d.Outbox.Enqueue(it)
	}
	return nil
}

// infoKey names the fold state of device id: what the operation that
// named it last says.
func infoKey(id uint32) string { return OpDevice + "/" + strconv.FormatUint(uint64(id), 10) }

func (s *Service) info(ctx context.Context, id uint32) (*pb.OpDevice, error) {
	v, err := rt.WinningValue(ctx, s.d.Ops, infoKey(id))
	if err != nil || v == nil {
		return nil, err
	}
	var info pb.OpDevice
	if err := proto.Unmarshal(v, &info); err != nil {
		return nil, fmt.Errorf("device %d info: %w", id, err)
	}
	return &info, nil
}

// putInfo keeps body as what device id is called when op is later than
// the operation that named it before.
func (s *Service) putInfo(ctx context.Context, id uint32, op rt.Op, body []byte) error {
	_, err := rt.Wins(ctx, s.d.Ops, infoKey(id), op, body)
	return err
}

// foldDevice takes another device's naming of a device.
func (s *Service) foldDevice(ctx context.Context, op rt.Op) (func(context.Context), error) {
	var body pb.OpDevice
	if err := proto.Unmarshal(op.Body, &body); err != nil || body.Device == 0 || len(body.Name) > link.MaxNameSize {
		return nil, fmt.Errorf("%w: %s", rt.ErrBadContent, OpDevice)
	}
	return nil, s.putInfo(ctx, body.Device, op, op.Body)
}

// PeerConnected and PeerDisconnected note when a device of the account
// was last seen (node calls them for every connection).
func (s *Service) PeerConnected(p peer.ID)    { s.saw(p) }
func (s *Service) PeerDisconnected(p peer.ID) { s.saw(p) }

func (s *Service) saw(p peer.ID) {
	l := s.d.Resolver.Cached(s.d.Self) // this runs for every connection: no store read
	if l == nil {
		return
	}
	d, ok := l.ByPeer(p)
	if !ok || d.Cert.DeviceID == s.d.Device {
		return // not another device of ours: nothing to note
	}
	s.d.Go(func(ctx context.Context) {
		at := s.d.Now()
		v := binary.BigEndian.AppendUint64(nil, uint64(at.UnixMilli()))
		if err := s.d.Store.PutSetting(ctx, seenKey(d.Cert.DeviceID), v); err != nil && ctx.Err() == nil {
			s.d.Log.Debug("note device last seen", "device", d.Cert.DeviceID, "err", err)
		}
	})
}

func seenKey(id uint32) string { return "devices.seen/" + strconv.FormatUint(uint64(id), 10) }

func (s *Service) lastSeen(ctx context.Context, d Device) time.Time {
	if d.This || s.d.Host.Network().Connectedness(d.PeerID) == network.Connected {
		return s.d.Now()
	}
	v, err := s.d.Store.Setting(ctx, seenKey(d.ID))
	if err != nil || len(v) != 8 {
		return time.Time{}
	}
	return time.UnixMilli(int64(binary.BigEndian.Uint64(v)))
}

// Joined announces a device that joined the account by itself (restored
// from a backup: node.RestoreBackup): it signs the account's list with
// this device in it and pushes it to the account's other devices and
// contacts, as linking does. Only a device holding the account key can.
func (s *Service) Joined(ctx context.Context) error {
	addrs := s.d.Host.Addrs()
	if len(addrs) > identity.MaxAddrsPerDevice {
		addrs = addrs[:identity.MaxAddrsPerDevice]
	}
	list, err := s.d.Lists.AddDevice(ctx, s.d.Cert, slices.Clone(addrs))
	if err != nil {
		return fmt.Errorf("announce this device: %w", err)
	}
	s.pushList(list)
	return nil
}

// pushList sends our new device list to our other devices and to every
// peer, in the background: they learn of a linked or revoked device at
// once instead of at their next DHT lookup.
func (s *Service) pushList(raw []byte) {
	s.d.Go(func(ctx context.Context) {
		// Joined runs while the node starts: the peers (contacts, chats,
		// groups) are known once it runs.
		for s.d.Ready() != nil {
			if !rt.Sleep(ctx, 20*time.Millisecond) {
				return
			}
		}
		to := append([]core.AccountID{s.d.Self}, s.d.Peers(ctx)...)
		for _, a := range to {
			if err := s.d.Outbox.QueuePairwise(ctx, a, &pb.Content{Body: &pb.Content_DeviceList{DeviceList: raw}}); err != nil && ctx.Err() == nil {
				s.d.Log.Warn("push device list", "to", a.Short(), "err", err)
			}
		}
	})
}

// takeList keeps a device list an account pushed for itself.
func (s *Service) takeList(ctx context.Context, in rt.Incoming) (rt.Result, error) {
	l, err := identity.OpenDeviceList(in.Content.GetDeviceList())
	if err != nil {
		return rt.Result{}, fmt.Errorf("%w: device list: %v", rt.ErrBadContent, err)
	}
	if l.Account != in.From.Account {
		return rt.Result{}, fmt.Errorf("%w: a device list of another account", rt.ErrBadContent)
	}
	if _, err := s.d.Resolver.Accept(ctx, l, in.Content.GetDeviceList()); err != nil && !errors.Is(err, storage.ErrStale) {
		return rt.Result{}, err
	}
	return rt.Result{}, nil
}

// digest writes the names of the account's devices for the state hash,
// by device number.
func (s *Service) digest(ctx context.Context, w io.Writer) error {
	l := s.d.Lists.Own(ctx)
	if l == nil {
		return nil
	}
	ids := make([]uint32, 0, len(l.Devices))
	for _, d := range l.Devices {
		ids = append(ids, d.Cert.DeviceID)
	}
	slices.Sort(ids)
	for _, id := range ids {
		info, err := s.info(ctx, id)
		if err != nil {
			return err
		}
		if info != nil {
			fmt.Fprintf(w, "%d %q %q\n", id, info.Name, info.Platform)
		}
	}
	return nil
}

// StateHash returns the account's state hash on this device, in hex:
// SHA-256 over what the account log's operations made of its history,
// contacts, devices and relays. Two devices of the account that hold the
// same operations show the same hash.
func (s *Service) StateHash(ctx context.Context) (string, error) {
	if err := s.ready(); err != nil {
		return "", fmt.Errorf("state hash: %w", err)
	}
	h, err := s.d.State(ctx)
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h[:]), nil
}

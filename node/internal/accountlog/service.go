package accountlog

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/acctlog"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Deps is what the account log gets from node (wiring).
type Deps struct {
	Self   core.AccountID
	Device uint32
	// Key is this device's libp2p key: it signs this device's
	// operations, and its certificate names the peer ID it makes.
	Key      crypto.PrivKey
	Store    Store
	Host     host.Host
	Devices  Devices
	Outbox   Outbox
	Registry rt.Registry // where New claims the AccountOps content kind
	Publish  func(core.Event)
	Go       func(func(ctx context.Context)) bool
	Log      *slog.Logger
	// Now is the clock of operations' times (the one disappearing
	// messages count by: a read's time starts countdowns on every
	// device); nil: the wall clock.
	Now func() time.Time
}

// Store is the node's store as the account log uses it.
type Store interface {
	acctlog.Store
	// Update runs fn in one transaction (ctx carries it).
	Update(ctx context.Context, fn func(ctx context.Context) error) error
	// AppendOps stores verified operations, skipping those held, and
	// returns those it added (to fold) and those whose (device, seq) holds
	// another operation (kept out).
	AppendOps(ctx context.Context, ops []*acctlog.Op) (added, conflicts []*acctlog.Op, err error)
	// NextOp returns the seq, Lamport clock and Prev (the hash of this
	// device's op before it, nil for its first) of device's next op.
	NextOp(ctx context.Context, device uint32) (seq, lamport uint64, prev []byte, err error)
	// AccountOp returns the signed op (device, seq), or an error wrapping
	// storage.ErrNotFound.
	AccountOp(ctx context.Context, device uint32, seq uint64) ([]byte, error)
	Vector(ctx context.Context) (acctlog.Vector, error)
	OpCount(ctx context.Context) (uint64, error)
	Setting(ctx context.Context, name string) ([]byte, error)
	PutSetting(ctx context.Context, name string, value []byte) error
	// NoteMessageOp records that op (device, seq) carries message id, and
	// NoteMessageCarrier that outbox item item to recipient carries such
	// an op, so that deleting the message redacts and drops them.
	NoteMessageOp(ctx context.Context, id storage.MessageID, device uint32, seq uint64) error
	NoteMessageCarrier(ctx context.Context, id storage.MessageID, recipient storage.Account, item storage.MessageID) error
	// Message returns the message with id, or an error wrapping
	// storage.ErrNotFound; PutOutbox writes an outbox item.
	Message(ctx context.Context, id storage.MessageID) (storage.Message, error)
	PutOutbox(ctx context.Context, it storage.OutboxItem) error
}

// Devices is this account's device list.
type Devices interface {
	// Get returns the account's list (refresh: ask the DHT, not the
	// cache).
	Get(ctx context.Context, acct core.AccountID, refresh bool) (*identity.DeviceList, error)
	// Cached returns the list held in memory, nil if none.
	Cached(acct core.AccountID) *identity.DeviceList
}

// Outbox is the delivery runtime, which carries operations to the
// account's other devices.
type Outbox interface {
	// Put writes c as an outbox item to account to in ctx's transaction;
	// the caller enqueues it after commit.
	Put(ctx context.Context, to core.AccountID, c *pb.Content) (storage.OutboxItem, error)
}

// Service is the account log of one device.
type Service struct {
	d     Deps
	serve *acctlog.Service

	mu      sync.Mutex // a leaf
	folds   map[string]rt.Fold
	carries map[string]func([]byte) (storage.MessageID, bool)
	digests map[string]func(context.Context, io.Writer) error
	pulling map[peer.ID]bool // a pull from that sibling is running
}

var _ rt.Ops = (*Service)(nil)

// New makes the account log and claims the AccountOps content kind; it
// does no I/O (node calls it in Start, before the features).
func New(d Deps) (*Service, error) {
	if d.Store == nil || d.Host == nil || d.Key == nil || d.Devices == nil || d.Outbox == nil || d.Registry == nil {
		return nil, errors.New("accountlog: incomplete deps")
	}
	s := &Service{d: d, folds: make(map[string]rt.Fold), pulling: make(map[peer.ID]bool)}
	d.Registry.HandleContent(rt.KindAccountOps, nil, s.takeOps)
	return s, nil
}

// HandleOp claims kind: other devices' operations of it are folded with
// fold. Features call it in their New, before Start serves anything.
func (s *Service) HandleOp(kind string, fold rt.Fold) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.folds[kind]; dup {
		panic("accountlog: kind " + kind + " claimed twice")
	}
	s.folds[kind] = fold
}

// HandleState adds a part to StateHash (rt.Ops).
func (s *Service) HandleState(part string, digest func(ctx context.Context, w io.Writer) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.digests == nil {
		s.digests = make(map[string]func(context.Context, io.Writer) error)
	}
	s.digests[part] = digest
}

// StateHash returns SHA-256 over what every feature's folds made of the
// account log (each part named, in name order): two devices of the
// account that hold the same operations have the same hash.
func (s *Service) StateHash(ctx context.Context) ([32]byte, error) {
	s.mu.Lock()
	parts := slices.Sorted(maps.Keys(s.digests))
	digests := maps.Clone(s.digests)
	s.mu.Unlock()
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%s\n", p)
		if err := digests[p](ctx, h); err != nil {
			return [32]byte{}, fmt.Errorf("state hash: %s: %w", p, err)
		}
	}
	return [32]byte(h.Sum(nil)), nil
}

func (s *Service) fold(kind string) rt.Fold {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.folds[kind]
}

// Start serves /pigeon/acctlog/1 to the account's other devices.
func (s *Service) Start(context.Context) error {
	var err error
	s.serve, err = acctlog.NewService(s.d.Host, acctlog.Config{
		Account:   identity.AccountID(s.d.Self),
		Store:     s.d.Store,
		Authorize: s.sibling,
		Logger:    s.d.Log,
	})
	return err
}

// Close stops serving.
func (s *Service) Close() {
	if s.serve != nil {
		s.serve.Close()
	}
}

// CarriesMessage registers how to find the message an operation of kind
// carries (rt.Ops).
func (s *Service) CarriesMessage(kind string, idOf func(body []byte) (storage.MessageID, bool)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.carries == nil {
		s.carries = make(map[string]func([]byte) (storage.MessageID, bool))
	}
	s.carries[kind] = idOf
}

// messageOf returns the message op carries, if its kind carries one.
func (s *Service) messageOf(op *acctlog.Op) (storage.MessageID, bool) {
	if op.Redacted {
		return storage.MessageID{}, false
	}
	s.mu.Lock()
	idOf := s.carries[op.Kind]
	s.mu.Unlock()
	if idOf == nil {
		return storage.MessageID{}, false
	}
	return idOf(op.Body)
}

// index notes, in ctx's transaction, that op carries its message.
func (s *Service) index(ctx context.Context, op *acctlog.Op) (storage.MessageID, bool, error) {
	id, ok := s.messageOf(op)
	if !ok {
		return id, false, nil
	}
	if err := s.d.Store.NoteMessageOp(ctx, id, op.Device, op.Seq); err != nil {
		return id, false, err
	}
	return id, true, nil
}

// Note records an operation this device made without sending it to the
// other devices (rt.Ops).
func (s *Service) Note(ctx context.Context, kind string, body []byte) (rt.Op, error) {
	op, err := s.record(ctx, kind, body)
	if err != nil {
		return rt.Op{}, err
	}
	return rtOp(op), nil
}

// record signs and stores the next operation of this device.
func (s *Service) record(ctx context.Context, kind string, body []byte) (*acctlog.Op, error) {
	seq, lamport, prev, err := s.d.Store.NextOp(ctx, s.d.Device)
	if err != nil {
		return nil, err
	}
	op := &acctlog.Op{
		Account: identity.AccountID(s.d.Self), Device: s.d.Device, Seq: seq, Lamport: lamport,
		At: s.now(), Kind: kind, Body: body, Prev: prev,
	}
	if _, err := acctlog.Sign(s.d.Key, op); err != nil {
		return nil, fmt.Errorf("append %s: %w", kind, err)
	}
	if _, _, err := s.d.Store.AppendOps(ctx, []*acctlog.Op{op}); err != nil {
		return nil, fmt.Errorf("append %s: %w", kind, err)
	}
	if _, _, err := s.index(ctx, op); err != nil {
		return nil, fmt.Errorf("append %s: %w", kind, err)
	}
	return op, nil
}

// now is the time of a new operation, at the precision the wire carries.
func (s *Service) now() time.Time {
	if s.d.Now == nil {
		return rt.WireNow()
	}
	return time.UnixMilli(s.d.Now().UnixMilli())
}

// Append records an operation this device made, in ctx's transaction
// (see rt.Ops), and returns the outbox items carrying it to this
// account's other devices (none when it has no other).
func (s *Service) Append(ctx context.Context, kind string, body []byte) (rt.Op, []storage.OutboxItem, error) {
	op, err := s.record(ctx, kind, body)
	if err != nil {
		return rt.Op{}, nil, err
	}
	mine := rtOp(op)
	if !s.hasSiblings(ctx) {
		return mine, nil, nil
	}
	now := rt.WireNow()
	id := storage.NewMessageID(now)
	it, err := s.d.Outbox.Put(ctx, s.d.Self, &pb.Content{
		MessageId: id[:], SentAtMs: now.UnixMilli(),
		Body: &pb.Content_AccountOps{AccountOps: &pb.AccountOps{Ops: [][]byte{op.Raw}}},
	})
	if err != nil {
		return rt.Op{}, nil, err
	}
	if msg, ok := s.messageOf(op); ok {
		if err := s.d.Store.NoteMessageCarrier(ctx, msg, storage.Account(s.d.Self), it.ID); err != nil {
			return rt.Op{}, nil, err
		}
		if it.Expires, err = s.copiesEnd(ctx, msg, now); err != nil {
			return rt.Op{}, nil, err
		}
		if !it.Expires.IsZero() {
			if err := s.d.Store.PutOutbox(ctx, it); err != nil {
				return rt.Op{}, nil, err
			}
		}
	}
	return mine, []storage.OutboxItem{it}, nil
}

// copiesEnd returns when relay copies of an op carrying disappearing
// message id must end (storage.OutboxItem.Expires): the message's
// deadline once its countdown runs, else (an incoming message not read
// yet) its timer from now; zero when it does not disappear.
func (s *Service) copiesEnd(ctx context.Context, id storage.MessageID, now time.Time) (time.Time, error) {
	m, err := s.d.Store.Message(ctx, id)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return time.Time{}, nil
	case err != nil:
		return time.Time{}, err
	case !m.ExpiresAt.IsZero():
		return m.ExpiresAt, nil
	case m.ExpireAfter > 0:
		return now.Add(m.ExpireAfter), nil
	}
	return time.Time{}, nil
}

func rtOp(op *acctlog.Op) rt.Op {
	return rt.Op{Device: op.Device, Seq: op.Seq, Lamport: op.Lamport, At: op.At, Kind: op.Kind, Body: op.Body}
}

// FoldState reads a fold's small state (rt.Ops).
func (s *Service) FoldState(ctx context.Context, key string) ([]byte, error) {
	v, err := s.d.Store.Setting(ctx, foldPrefix+key)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil
	}
	return v, err
}

// PutFoldState writes a fold's small state (rt.Ops).
func (s *Service) PutFoldState(ctx context.Context, key string, value []byte) error {
	return s.d.Store.PutSetting(ctx, foldPrefix+key, value)
}

// foldPrefix keeps folds' state apart from the user's settings.
const foldPrefix = "fold/"

// hasSiblings reports whether the account has devices besides this one.
func (s *Service) hasSiblings(ctx context.Context) bool {
	l, err := s.d.Devices.Get(ctx, s.d.Self, false)
	return err == nil && len(l.Devices) > 1
}

// siblings returns the account's other devices.
func (s *Service) siblings(ctx context.Context) []identity.Device {
	l, err := s.d.Devices.Get(ctx, s.d.Self, false)
	if err != nil {
		return nil
	}
	var out []identity.Device
	for _, d := range l.Devices {
		if d.Cert.DeviceID != s.d.Device {
			out = append(out, d)
		}
	}
	return out
}

// sibling reports whether p runs another device of this account (the
// sync service serves only those).
func (s *Service) sibling(p peer.ID) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, d := range s.siblings(ctx) {
		if d.Cert.PeerID == p {
			return true
		}
	}
	return false
}

// certOf returns what the account's device list says of device dev: its
// certificate, and for a revoked device the last op it may have authored;
// it asks the DHT once when the cached list does not name it (a device
// linked since). A device the list names neither way authors nothing.
func (s *Service) certOf(ctx context.Context, dev uint32) (acctlog.Author, error) {
	for _, refresh := range []bool{false, true} {
		l, err := s.d.Devices.Get(ctx, s.d.Self, refresh)
		if err != nil {
			return acctlog.Author{}, err
		}
		if d, ok := l.Device(dev); ok {
			return acctlog.Author{Cert: d.Cert}, nil
		}
		if r, ok := l.RevokedDevice(dev); ok {
			return acctlog.Author{Cert: r.Cert, Revoked: true, OpsUpto: r.OpsUpto}, nil
		}
	}
	return acctlog.Author{}, fmt.Errorf("device %d is not in the account's device list", dev)
}

// takeOps takes operations another device of ours pushed.
func (s *Service) takeOps(ctx context.Context, in rt.Incoming) (rt.Result, error) {
	if rt.CoreAccount(in.From.Account) != s.d.Self {
		return rt.Result{}, fmt.Errorf("%w: account operations from another account", rt.ErrBadContent)
	}
	raws := in.Content.GetAccountOps().GetOps()
	if len(raws) == 0 || len(raws) > acctlog.MaxBatchOps {
		return rt.Result{}, fmt.Errorf("%w: %d account operations", rt.ErrBadContent, len(raws))
	}
	ops, err := acctlog.OpenBatch(raws, func(dev uint32) (acctlog.Author, error) { return s.certOf(ctx, dev) })
	if err != nil {
		return rt.Result{}, fmt.Errorf("%w: %v", rt.ErrBadContent, err)
	}
	for _, op := range ops {
		if op.Account != identity.AccountID(s.d.Self) {
			return rt.Result{}, fmt.Errorf("%w: %v", rt.ErrBadContent, acctlog.ErrWrongAccount)
		}
	}
	after, err := s.apply(ctx, ops)
	if err != nil {
		return rt.Result{}, err
	}
	return rt.Result{After: after}, nil
}

// apply stores ops in ctx's transaction and folds those that are new;
// the returned function runs the folds' after-work.
func (s *Service) apply(ctx context.Context, ops []*acctlog.Op) (func(context.Context), error) {
	added, conflicts, err := s.d.Store.AppendOps(ctx, ops)
	if err != nil {
		return nil, err
	}
	for _, op := range conflicts {
		s.d.Log.Warn("account operation conflicts with one held", "op", op.String())
	}
	var afters []func(context.Context)
	for _, op := range added {
		if op.Redacted {
			continue // its message was deleted where it comes from
		}
		if _, _, err := s.index(ctx, op); err != nil {
			return nil, err
		}
		if op.Device == s.d.Device {
			continue // ours, from before a reinstall of this device: its change is here
		}
		fold := s.fold(op.Kind)
		if fold == nil {
			s.d.Log.Debug("account operation of an unknown kind kept", "op", op.String())
			continue
		}
		after, err := fold(ctx, rtOp(op))
		if errors.Is(err, rt.ErrBadContent) {
			s.d.Log.Warn("account operation not folded", "op", op.String(), "err", err)
			continue
		}
		if err != nil {
			return nil, err
		}
		if after != nil {
			afters = append(afters, after)
		}
	}
	return func(ctx context.Context) {
		for _, f := range afters {
			f(ctx)
		}
	}, nil
}

// Import verifies and applies operations restored from a backup
// (node.RestoreBackup), each batch in one transaction, as if pulled from
// a sibling: ops already held are skipped, so an interrupted import
// runs again from the start. It returns how many it took.
func (s *Service) Import(ctx context.Context, raws [][]byte) (int, error) {
	done := 0
	for len(raws) > 0 {
		k := min(len(raws), acctlog.MaxBatchOps)
		ops, err := acctlog.OpenChain(raws[:k], func(dev uint32) (acctlog.Author, error) { return s.certOf(ctx, dev) })
		if err != nil {
			return done, fmt.Errorf("import account log: %w", err)
		}
		if len(ops) < k {
			return done, fmt.Errorf("import account log: %d of %d operations verified", len(ops), k)
		}
		for _, op := range ops {
			if op.Account != identity.AccountID(s.d.Self) {
				return done, fmt.Errorf("import account log: %w", acctlog.ErrWrongAccount)
			}
		}
		var after func(context.Context)
		if err := s.d.Store.Update(ctx, func(ctx context.Context) error {
			var err error
			after, err = s.apply(ctx, ops)
			return err
		}); err != nil {
			return done, fmt.Errorf("import account log: %w", err)
		}
		after(ctx)
		done += k
		raws = raws[k:]
	}
	return done, nil
}

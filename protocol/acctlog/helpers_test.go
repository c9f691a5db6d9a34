package acctlog_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/protocol/acctlog"
	"github.com/pigeon-net/pigeon/protocol/identity"
)

// account is an account and some of its devices, made from fixed seeds
// so fuzz seeds stay valid.
type account struct {
	acct    *identity.Account
	devices map[uint32]*device
}

type device struct {
	key  crypto.PrivKey
	cert *identity.Certificate
	// revoked devices authored up to seq upto.
	revoked bool
	upto    uint64
}

var testTime = time.UnixMilli(1_760_000_000_000)

func newAccount(tb testing.TB, seed byte, devices ...uint32) *account {
	tb.Helper()
	acct, err := identity.AccountFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
	if err != nil {
		tb.Fatal(err)
	}
	a := &account{acct: acct, devices: map[uint32]*device{}}
	for _, d := range devices {
		a.addDevice(tb, d, nil)
	}
	return a
}

// addDevice certifies device id; key nil derives one from the seeds.
func (a *account) addDevice(tb testing.TB, id uint32, key crypto.PrivKey) *device {
	tb.Helper()
	if key == nil {
		seed := bytes.Repeat([]byte{byte(id)}, ed25519.SeedSize)
		copy(seed[:16], a.acct.ID().String())
		k, err := crypto.UnmarshalEd25519PrivateKey(ed25519.NewKeyFromSeed(seed))
		if err != nil {
			tb.Fatal(err)
		}
		key = k
	}
	p, err := peer.IDFromPrivateKey(key)
	if err != nil {
		tb.Fatal(err)
	}
	signed, err := a.acct.IssueCertificate(id, p, append([]byte{5}, make([]byte, 32)...), testTime)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := identity.VerifyCertificate(signed)
	if err != nil {
		tb.Fatal(err)
	}
	d := &device{key: key, cert: cert}
	a.devices[id] = d
	return d
}

func (a *account) id() identity.AccountID { return a.acct.ID() }

// certOf looks devices up as a device list would.
func (a *account) certOf(d uint32) (acctlog.Author, error) {
	dev, ok := a.devices[d]
	if !ok {
		return acctlog.Author{}, fmt.Errorf("device %d is not in the device list", d)
	}
	return acctlog.Author{Cert: dev.cert, Revoked: dev.revoked, OpsUpto: dev.upto}, nil
}

// revoke marks device d revoked after its op upto, as a device list does.
func (a *account) revoke(d, upto uint64) {
	dev := a.devices[uint32(d)]
	dev.revoked, dev.upto = true, upto
}

func (a *account) open(raw []byte) (*acctlog.Op, error) { return acctlog.Open(raw, a.certOf) }

// op signs op seq of device d with a body of n bytes, unchained (as
// versions before the chain signed ops).
func (a *account) op(tb testing.TB, d uint32, seq uint64, n int) *acctlog.Op {
	tb.Helper()
	return a.linked(tb, d, seq, n, nil)
}

// chained signs ops from..to of device d with bodies of n bytes, each
// linked to the one before; the first links to before (nil: none).
func (a *account) chained(tb testing.TB, d uint32, from, to uint64, n int, before *acctlog.Op) []*acctlog.Op {
	tb.Helper()
	var ops []*acctlog.Op
	for s := from; s <= to; s++ {
		var prev []byte
		if before != nil {
			prev = acctlog.Hash(before.Raw)
		}
		before = a.linked(tb, d, s, n, prev)
		ops = append(ops, before)
	}
	return ops
}

// linked signs op seq of device d with a body of n bytes and prev.
func (a *account) linked(tb testing.TB, d uint32, seq uint64, n int, prev []byte) *acctlog.Op {
	tb.Helper()
	body := make([]byte, n)
	for i := range body {
		body[i] = byte(seq + uint64(i))
	}
	op := &acctlog.Op{Account: a.id(), Device: d, Seq: seq, Lamport: seq*4 + uint64(d), At: testTime.Add(time.Duration(seq) * time.Second), Kind: "chats.message", Body: body, Prev: prev}
	if _, err := acctlog.Sign(a.devices[d].key, op); err != nil {
		tb.Fatal(err)
	}
	return op
}

func newHost(tb testing.TB) host.Host {
	tb.Helper()
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"), libp2p.DisableRelay())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = h.Close() })
	return h
}

func connect(tb testing.TB, a, b host.Host) {
	tb.Helper()
	if err := a.Connect(context.Background(), peer.AddrInfo{ID: b.ID(), Addrs: b.Addrs()}); err != nil {
		tb.Fatal(err)
	}
}

// memStore is an in-memory log with the store's semantics: ops by
// (device, seq), duplicates skipped, the vector the contiguous prefix.
type memStore struct {
	mu  sync.Mutex // guards ops
	ops map[uint32]map[uint64][]byte
}

func newMemStore() *memStore { return &memStore{ops: map[uint32]map[uint64][]byte{}} }

// add stores ops and returns how many were new.
func (m *memStore) add(ops ...*acctlog.Op) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, op := range ops {
		if m.ops[op.Device] == nil {
			m.ops[op.Device] = map[uint64][]byte{}
		}
		if _, ok := m.ops[op.Device][op.Seq]; !ok {
			m.ops[op.Device][op.Seq] = op.Raw
			n++
		}
	}
	return n
}

func (m *memStore) vector() acctlog.Vector {
	m.mu.Lock()
	defer m.mu.Unlock()
	v := acctlog.Vector{}
	for d, ops := range m.ops {
		s := uint64(0)
		for ops[s+1] != nil {
			s++
		}
		if s > 0 {
			v[d] = s
		}
	}
	return v
}

func (m *memStore) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, ops := range m.ops {
		n += len(ops)
	}
	return n
}

func (m *memStore) Devices(context.Context) ([]uint32, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var ds []uint32
	for d := range m.ops {
		ds = append(ds, d)
	}
	slices.Sort(ds)
	return ds, nil
}

func (m *memStore) seqs(d uint32, after uint64) []uint64 {
	var ss []uint64
	for s := range m.ops[d] {
		if s > after {
			ss = append(ss, s)
		}
	}
	slices.Sort(ss)
	return ss
}

func (m *memStore) CountAfter(_ context.Context, d uint32, after uint64) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.seqs(d, after)), nil
}

func (m *memStore) Range(_ context.Context, d uint32, after uint64, limit, maxBytes int) ([]acctlog.StoredOp, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []acctlog.StoredOp
	size := 0
	for _, s := range m.seqs(d, after) {
		raw := m.ops[d][s]
		if len(out) == limit || len(out) > 0 && size+len(raw) > maxBytes {
			break
		}
		size += len(raw)
		out = append(out, acctlog.StoredOp{Seq: s, Raw: raw})
	}
	return out, nil
}

// serve starts a service for a's log in store on a new host and returns
// the host.
func serve(tb testing.TB, a *account, store acctlog.Store, authorize func(peer.ID) bool) (host.Host, *acctlog.Service) {
	tb.Helper()
	h := newHost(tb)
	svc, err := acctlog.NewService(h, acctlog.Config{Account: a.id(), Store: store, Authorize: authorize})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(svc.Close)
	return h, svc
}

func anyone(peer.ID) bool { return true }

// held returns the signed op (d, seq), nil when not held (PullRequest.Held).
func (m *memStore) held(d uint32, seq uint64) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.ops[d][seq], nil
}

package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"go.mau.fi/libsignal/ecc"
	sigid "go.mau.fi/libsignal/keys/identity"
	"go.mau.fi/libsignal/protocol"
	"go.mau.fi/libsignal/session"
	"go.mau.fi/libsignal/state/record"
	"go.mau.fi/libsignal/util/keyhelper"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/protocol/streamset"
)

const (
	// SignedPreKeyMaxAge is how long a signed prekey is used before Init
	// rotates it.
	SignedPreKeyMaxAge = 7 * 24 * time.Hour
	// keptSignedPreKeys is how many previous signed prekeys stay stored after
	// a rotation, for peers holding an older bundle.
	keptSignedPreKeys = 3
	// PreKeyTarget is the number of unissued one-time prekeys Init and
	// refills keep.
	PreKeyTarget = 100
	// PreKeyRefillBelow triggers a refill when fewer unissued one-time
	// prekeys are left.
	PreKeyRefillBelow = 20
)

// IdentityChange reports that a peer device's Signal identity key changed
// (it re-installed); the new key is certified by the peer's account key.
// Keys are serialized (33 bytes).
type IdentityChange struct {
	Address  Address
	Old, New []byte
}

// Manager runs the Signal protocol for one device over a Store. It is safe
// for concurrent use; operations on the same address are serialized.
type Manager struct {
	st   Store
	cert *identity.Certificate // our own device certificate
	log  *slog.Logger
	now  func() time.Time

	locks    addrLocks    // per remote address, around every session change
	sessions sessionCache // live records of recent sessions, see sessionCache

	refillMu sync.Mutex // serializes one-time prekey refills

	mu      sync.Mutex // guards the fields below
	spk     *record.SignedPreKey
	host    host.Host
	stopped bool
	streams streamset.Set // in-flight prekey requests
}

// NewManager returns a Manager over st. ownCert is this device's
// certificate; it must certify the Signal identity key in st and is embedded
// in every bundle served. NewManager does no I/O; call Init before serving
// bundles.
func NewManager(st Store, ownCert *pb.Signed, logger *slog.Logger) (*Manager, error) {
	const op = "new e2e manager"
	if st == nil {
		return nil, fmt.Errorf("%s: nil store", op)
	}
	cert, err := identity.VerifyCertificate(ownCert)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	ikp := st.GetIdentityKeyPair()
	if ikp == nil || ikp.PublicKey() == nil {
		return nil, fmt.Errorf("%s: store has no local identity key", op)
	}
	if !bytes.Equal(ikp.PublicKey().Serialize(), cert.SignalIdentityKey) {
		return nil, fmt.Errorf("%s: %w: own certificate names another signal identity", op, ErrIdentityMismatch)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Manager{
		st:   st,
		cert: cert,
		log:  logger.With("component", "e2e"),
		now:  time.Now,
	}, nil
}

// Certificate returns this device's verified certificate.
func (m *Manager) Certificate() *identity.Certificate { return m.cert }

// Init makes sure the device has a signed prekey younger than
// SignedPreKeyMaxAge (rotating it and keeping the previous three), the
// last-resort prekey, and at least PreKeyTarget unissued one-time prekeys.
// It is safe to call again, e.g. daily.
func (m *Manager) Init(ctx context.Context) error {
	const op = "e2e init"
	spk, err := m.ensureSignedPreKey(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	m.mu.Lock()
	m.spk = spk
	m.mu.Unlock()

	err = m.st.Update(ctx, func(ctx context.Context) error {
		ok, err := m.st.ContainsPreKey(ctx, LastResortPreKeyID)
		if err != nil || ok {
			return err
		}
		kp, err := ecc.GenerateKeyPair()
		if err != nil {
			return err
		}
		return m.st.StorePreKey(ctx, LastResortPreKeyID, record.NewPreKey(LastResortPreKeyID, kp, ser.PreKeyRecord))
	})
	if err != nil {
		return fmt.Errorf("%s: last-resort prekey: %w", op, err)
	}
	if err := m.refill(ctx); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// ensureSignedPreKey returns the current signed prekey, generating a new one
// when there is none or the newest is too old.
func (m *Manager) ensureSignedPreKey(ctx context.Context) (*record.SignedPreKey, error) {
	var cur *record.SignedPreKey
	err := m.st.Update(ctx, func(ctx context.Context) error {
		cur = nil
		all, err := m.st.LoadSignedPreKeys(ctx)
		if err != nil {
			return err
		}
		all = slices.DeleteFunc(all, func(r *record.SignedPreKey) bool { return r == nil })
		slices.SortFunc(all, func(a, b *record.SignedPreKey) int { return cmpUint32(a.ID(), b.ID()) })
		now := m.now()
		if n := len(all); n > 0 && now.Sub(time.UnixMilli(all[n-1].Timestamp())) < SignedPreKeyMaxAge {
			cur = all[n-1]
			return nil
		}
		id := uint32(1)
		if n := len(all); n > 0 {
			id = all[n-1].ID() + 1
		}
		if id == 0 || id > LastResortPreKeyID { // wrapped around: start again
			id = 1
		}
		kp, err := ecc.GenerateKeyPair()
		if err != nil {
			return err
		}
		ikp := m.st.GetIdentityKeyPair()
		sig := ecc.CalculateSignature(ikp.PrivateKey(), kp.PublicKey().Serialize())
		cur = record.NewSignedPreKey(id, now.UnixMilli(), kp, sig, ser.SignedPreKeyRecord)
		if err := m.st.StoreSignedPreKey(ctx, id, cur); err != nil {
			return err
		}
		// Keep the new key and the keptSignedPreKeys newest before it.
		if drop := len(all) - keptSignedPreKeys; drop > 0 {
			for _, old := range all[:drop] {
				if old.ID() == id {
					continue
				}
				if err := m.st.RemoveSignedPreKey(ctx, old.ID()); err != nil {
					return err
				}
			}
		}
		m.log.Info("signed prekey rotated", "id", id)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("signed prekey: %w", err)
	}
	return cur, nil
}

func cmpUint32(a, b uint32) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// refill tops the unissued one-time prekeys up to PreKeyTarget.
func (m *Manager) refill(ctx context.Context) error {
	m.refillMu.Lock()
	defer m.refillMu.Unlock()
	have, err := m.st.UnissuedPreKeys(ctx)
	if err != nil {
		return fmt.Errorf("refill prekeys: %w", err)
	}
	if have >= PreKeyTarget {
		return nil
	}
	n := uint32(PreKeyTarget - have)
	first, err := m.st.AllocatePreKeyIDs(ctx, n)
	if err != nil {
		return fmt.Errorf("refill prekeys: %w", err)
	}
	last := first + n - 1
	if first == 0 || last < first || last >= LastResortPreKeyID {
		return fmt.Errorf("refill prekeys: store allocated invalid ids %d..%d", first, last)
	}
	// GeneratePreKeys runs start..count inclusive.
	keys, err := keyhelper.GeneratePreKeys(int(first), int(last), ser.PreKeyRecord)
	if err != nil {
		return fmt.Errorf("refill prekeys: %w", err)
	}
	if len(keys) != int(n) {
		return fmt.Errorf("refill prekeys: generated %d keys, want %d", len(keys), n)
	}
	err = m.st.Update(ctx, func(ctx context.Context) error {
		for _, k := range keys {
			if err := m.st.StorePreKey(ctx, k.ID().Value, k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("refill prekeys: %w", err)
	}
	m.log.Debug("one-time prekeys refilled", "count", n, "first", first)
	return nil
}

// Bundle returns a bundle for a peer that wants to start a session: the
// current signed prekey and a one-time prekey that is never handed out
// again, or the last-resort prekey when none is left. When fewer than
// PreKeyRefillBelow one-time prekeys remain it generates more.
func (m *Manager) Bundle(ctx context.Context) (*pb.PreKeyBundle, error) {
	const op = "prekey bundle"
	m.mu.Lock()
	spk := m.spk
	m.mu.Unlock()
	if spk == nil {
		return nil, fmt.Errorf("%s: %w", op, ErrNotInitialized)
	}
	var pk *record.PreKey
	err := m.st.Update(ctx, func(ctx context.Context) error {
		var err error
		pk, err = m.st.IssuePreKey(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if pk == nil {
		m.log.Warn("one-time prekeys exhausted, handing out last-resort prekey")
		if pk, err = m.st.LoadPreKey(ctx, LastResortPreKeyID); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		if pk == nil {
			return nil, fmt.Errorf("%s: %w: no last-resort prekey", op, ErrNotInitialized)
		}
	}
	// Refilling only below PreKeyRefillBelow makes one request in
	// PreKeyTarget-PreKeyRefillBelow pay for key generation.
	if left, err := m.st.UnissuedPreKeys(ctx); err != nil {
		m.log.Warn("counting prekeys failed", "err", err)
	} else if left < PreKeyRefillBelow {
		if err := m.refill(ctx); err != nil {
			m.log.Warn("prekey refill failed", "err", err)
		}
	}
	return m.bundleOf(spk, pk), nil
}

// DeleteSession forgets the session with a, so the next Encrypt needs a
// fresh bundle (used when the peer could not decrypt our messages).
func (m *Manager) DeleteSession(ctx context.Context, a Address) error {
	defer m.locks.lock(a)()
	m.sessions.drop(a)
	if err := m.st.DeleteSession(ctx, a.Signal()); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// HasSession reports whether a session with a exists.
func (m *Manager) HasSession(ctx context.Context, a Address) (bool, error) {
	if m.sessions.has(a) {
		return true, nil
	}
	ok, err := m.st.ContainsSession(ctx, a.Signal())
	if err != nil {
		return false, fmt.Errorf("has session: %w", err)
	}
	return ok, nil
}

// SessionCached reports whether a's session is in memory (so encrypting
// for a reads nothing from the store).
func (m *Manager) SessionCached(a Address) bool { return m.sessions.has(a) }

// StartSession builds a session from a verified bundle. If a different
// identity key was saved for the address, the bundle's (certified by the
// account key, see VerifyBundle) replaces it, the old session is dropped and
// the change is reported.
func (m *Manager) StartSession(ctx context.Context, b *Bundle) (*IdentityChange, error) {
	const op = "start session"
	if b == nil || b.Cert == nil || b.Signal == nil {
		return nil, fmt.Errorf("%s: %w: incomplete bundle", op, ErrMalformed)
	}
	if b.Cert.Account != b.Address.Account || b.Cert.DeviceID != b.Address.Device ||
		!bytes.Equal(b.Signal.IdentityKey().Serialize(), b.Cert.SignalIdentityKey) {
		return nil, fmt.Errorf("%s: %w", op, ErrIdentityMismatch)
	}
	addr := b.Address.Signal()
	defer m.locks.lock(b.Address)()
	m.sessions.drop(b.Address)

	var change *IdentityChange
	err := m.st.Update(ctx, func(ctx context.Context) error {
		var err error
		if change, err = m.replaceIdentity(ctx, b.Address, addr, b.Signal.IdentityKey()); err != nil {
			return err
		}
		builder := session.NewBuilderFromSignal(m.st, addr, ser)
		return safely(func() error { return builder.ProcessBundle(ctx, b.Signal) })
	})
	if err != nil {
		return nil, classify(op, err, nil)
	}
	m.logChange(change)
	return change, nil
}

// replaceIdentity replaces the saved identity of addr with key when a
// different one is saved, and reports the change. Only call it with a key
// certified for the address.
func (m *Manager) replaceIdentity(ctx context.Context, a Address, addr *protocol.SignalAddress, key *sigid.Key) (*IdentityChange, error) {
	saved, err := m.st.RemoteIdentity(ctx, addr)
	if err != nil {
		return nil, storeError{err}
	}
	if saved == nil || saved.PublicKey() == nil || bytes.Equal(saved.Serialize(), key.Serialize()) {
		return nil, nil
	}
	if err := m.st.ReplaceIdentity(ctx, addr, key); err != nil {
		return nil, storeError{err}
	}
	return &IdentityChange{Address: a, Old: saved.Serialize(), New: key.Serialize()}, nil
}

func (m *Manager) logChange(c *IdentityChange) {
	if c != nil {
		m.log.Warn("peer signal identity changed", "account", c.Address.Account.Short(), "device", c.Address.Device)
	}
}

// Sealed is one Signal ciphertext with its message type.
type Sealed struct {
	Type       uint32
	Ciphertext []byte
}

// BatchError reports which message of a batch failed; nothing of the batch
// was written.
type BatchError struct {
	Index int
	Err   error
}

func (e *BatchError) Error() string { return fmt.Sprintf("message %d of batch: %v", e.Index, e.Err) }
func (e *BatchError) Unwrap() error { return e.Err }

// Encrypt encrypts plaintext for a. The session update is committed in one
// store transaction together with whatever fn (if non-nil) writes with the
// ctx it is given (fn sees the ciphertext, so it can store it); if fn fails
// nothing is written. msgType is MessageTypePreKey until the peer has
// answered, then MessageTypeSignal.
func (m *Manager) Encrypt(ctx context.Context, a Address, plaintext []byte, fn func(ctx context.Context, s Sealed) error) (msgType uint32, ciphertext []byte, err error) {
	var each func(context.Context, []Sealed) error
	if fn != nil {
		each = func(ctx context.Context, out []Sealed) error { return fn(ctx, out[0]) }
	}
	out, err := m.encrypt(ctx, a, [][]byte{plaintext}, each)
	if err != nil {
		return 0, nil, err
	}
	return out[0].Type, out[0].Ciphertext, nil
}

// EncryptBatch encrypts plaintexts for a, in order, in one store
// transaction: the session record is written once for the whole batch.
// It succeeds or fails as a whole.
func (m *Manager) EncryptBatch(ctx context.Context, a Address, plaintexts [][]byte) ([]Sealed, error) {
	return m.encrypt(ctx, a, plaintexts, nil)
}

func (m *Manager) encrypt(ctx context.Context, a Address, plaintexts [][]byte, fn func(ctx context.Context, out []Sealed) error) ([]Sealed, error) {
	const op = "encrypt"
	addr := a.Signal()
	defer m.locks.lock(a)()

	cs := &cachedSessions{Store: m.st, addr: addr}
	cached := m.sessions.take(a)
	var out []Sealed
	err := m.st.Update(ctx, func(ctx context.Context) error {
		// A retried attempt must not reuse a record the failed one changed.
		cs.reset(cached)
		cached = nil
		out = out[:0]
		ok, err := cs.ContainsSession(ctx, addr)
		if err != nil {
			return storeError{err}
		}
		if !ok {
			return ErrNoSession
		}
		c := session.NewCipher(session.NewBuilderFromSignal(cs, addr, ser), addr)
		for _, pt := range plaintexts {
			var msg protocol.CiphertextMessage
			if err := safely(func() (err error) { msg, err = c.Encrypt(ctx, pt); return err }); err != nil {
				return err
			}
			out = append(out, Sealed{Type: msg.Type(), Ciphertext: msg.Serialize()})
		}
		if err := cs.flush(ctx); err != nil {
			return err
		}
		if fn != nil {
			if err := fn(ctx, out); err != nil {
				return callbackError{err}
			}
		}
		return nil
	})
	if err != nil {
		return nil, classify(op, err, nil)
	}
	m.sessions.put(a, cs.live)
	return out, nil
}

// Decrypt decrypts a message of type msgType (2 or 3) from a, whose device
// certificate is cert. In one store transaction it checks that the sender's
// Signal identity is the one cert vouches for, replaces a different saved
// identity for the address (reported as an IdentityChange), decrypts,
// and calls fn (if non-nil) with the plaintext so the caller can store the
// message in the same transaction. Any error rolls everything back, so a
// message that failed can be retried and a bad one changes nothing. fn may
// run more than once (the store retries on conflicts), so it must write only
// through the ctx it is given.
//
// Errors wrap ErrReplay, ErrUntrustedIdentity, ErrNoSession, ErrDecrypt or
// ErrUnsupportedType; an error returned by fn is returned unchanged.
func (m *Manager) Decrypt(ctx context.Context, a Address, cert *identity.Certificate, msgType uint32, ciphertext []byte, fn func(ctx context.Context, plaintext []byte) error) (*IdentityChange, error) {
	var each func(context.Context, int, []byte) error
	if fn != nil {
		each = func(ctx context.Context, _ int, pt []byte) error { return fn(ctx, pt) }
	}
	change, err := m.DecryptBatch(ctx, a, cert, []Sealed{{Type: msgType, Ciphertext: ciphertext}}, each)
	var be *BatchError
	if errors.As(err, &be) {
		err = be.Err
	}
	return change, err
}

// parsedMessage is one parsed ciphertext of a batch.
type parsedMessage struct {
	pre *protocol.PreKeySignalMessage
	msg *protocol.SignalMessage
}

// DecryptBatch decrypts msgs from a in order, as Decrypt does, in one store
// transaction (the session record is written once), calling fn(ctx, i,
// plaintext) for each. It succeeds or fails as a whole: on error nothing is
// written and a *BatchError names the message that failed, wrapping what
// Decrypt would have returned for it. Callers that need each message's
// fate then fall back to Decrypt one by one.
func (m *Manager) DecryptBatch(ctx context.Context, a Address, cert *identity.Certificate, msgs []Sealed, fn func(ctx context.Context, i int, plaintext []byte) error) (*IdentityChange, error) {
	const op = "decrypt"
	if cert == nil || cert.Account != a.Account || cert.DeviceID != a.Device {
		return nil, &BatchError{0, fmt.Errorf("%s: %w: certificate of another device", op, ErrUntrustedIdentity)}
	}
	// Parse (and check) now, to refuse bad input before taking the lock,
	// and again in every attempt of the transaction: libsignal decrypts a
	// parsed message in place, so a retried transaction (a conflict) must
	// start from fresh copies or it fails as a replay.
	parse := func() ([]parsedMessage, error) {
		in := make([]parsedMessage, len(msgs))
		for i, sm := range msgs {
			if len(sm.Ciphertext) > MaxCiphertextSize {
				return nil, &BatchError{i, fmt.Errorf("%s: %w: %w: %d bytes", op, ErrDecrypt, ErrTooLarge, len(sm.Ciphertext))}
			}
			var err error
			switch sm.Type {
			case MessageTypePreKey:
				err = safely(func() (err error) { in[i].pre, err = parsePreKeyMessage(sm.Ciphertext); return err })
				if err != nil {
					return nil, &BatchError{i, fmt.Errorf("%s: %w: %w", op, ErrDecrypt, err)}
				}
				if !bytes.Equal(in[i].pre.IdentityKey().Serialize(), cert.SignalIdentityKey) {
					return nil, &BatchError{i, fmt.Errorf("%s: %w: prekey message identity is not the certified one", op, ErrUntrustedIdentity)}
				}
			case MessageTypeSignal:
				err = safely(func() (err error) { in[i].msg, err = parseSignalMessage(sm.Ciphertext); return err })
				if err != nil {
					return nil, &BatchError{i, fmt.Errorf("%s: %w: %w", op, ErrDecrypt, err)}
				}
			default:
				return nil, &BatchError{i, fmt.Errorf("%s: %w: %d", op, ErrUnsupportedType, sm.Type)}
			}
		}
		return in, nil
	}
	in, err := parse()
	if err != nil {
		return nil, err
	}

	addr := a.Signal()
	defer m.locks.lock(a)()

	var (
		change  *IdentityChange
		failed  int
		checked bool // the saved identity matched cert for a SignalMessage
	)
	cs := &cachedSessions{Store: &txStore{Store: m.st, want: cert.SignalIdentityKey}, addr: addr}
	cached := m.sessions.take(a)
	first := true
	err = m.st.Update(ctx, func(ctx context.Context) error {
		cs.reset(cached)
		cached = nil
		change, checked = nil, false
		if !first {
			var err error
			if in, err = parse(); err != nil {
				return err
			}
		}
		first = false
		c := session.NewCipher(session.NewBuilderFromSignal(cs, addr, ser), addr)
		for i, p := range in {
			failed = i
			if p.pre != nil {
				ch, err := m.replaceIdentity(ctx, a, addr, p.pre.IdentityKey())
				if err != nil {
					return err
				}
				if ch != nil {
					change = ch
					cs.reset(nil) // the old identity's session is gone
				}
			} else if !checked && cs.certifies(cert.SignalIdentityKey) {
				checked = true // the cached session is with exactly this identity
			} else if !checked {
				// A SignalMessage continues a session, which exists only
				// with the saved identity: refuse senders certified for
				// another key.
				saved, err := m.st.RemoteIdentity(ctx, addr)
				if err != nil {
					return storeError{err}
				}
				if saved != nil && !bytes.Equal(saved.Serialize(), cert.SignalIdentityKey) {
					return errSessionIdentity
				}
				checked = true
			}
			var pt []byte
			err := safely(func() (err error) {
				if err := cs.preselect(ctx, c, p); err != nil {
					return err
				}
				if p.pre != nil {
					pt, err = c.DecryptMessage(ctx, p.pre)
				} else {
					pt, err = c.Decrypt(ctx, p.msg)
				}
				return err
			})
			if err != nil {
				return err
			}
			if fn != nil {
				if err := fn(ctx, i, pt); err != nil {
					return callbackError{err}
				}
			}
		}
		failed = -1
		return cs.flush(ctx)
	})
	if err != nil {
		return nil, &BatchError{max(failed, 0), classify(op, err, ErrDecrypt)}
	}
	m.sessions.put(a, cs.live)
	m.logChange(change)
	return change, nil
}

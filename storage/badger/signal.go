package badger

import (
	"bytes"
	"context"
	"fmt"
	"strconv"

	bdg "github.com/dgraph-io/badger/v4"
	"go.mau.fi/libsignal/ecc"
	groupRecord "go.mau.fi/libsignal/groups/state/record"
	groupStore "go.mau.fi/libsignal/groups/state/store"
	"go.mau.fi/libsignal/keys/identity"
	"go.mau.fi/libsignal/protocol"
	"go.mau.fi/libsignal/serialize"
	"go.mau.fi/libsignal/state/record"

	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/storage"
)

var (
	_ e2e.Store            = (*Store)(nil)
	_ groupStore.SenderKey = (*Store)(nil)
)

// LastResortPreKeyID is the ID of the last-resort prekey (0xFFFFFF):
// IssuePreKey never hands it out and AllocatePreKeyIDs never reaches it.
const LastResortPreKeyID = e2e.LastResortPreKeyID

// ser encodes libsignal records (JSON inside, whatever the name says).
var ser = serialize.NewProtoBufSerializer()

// maxGroupIDLen bounds sender-key group IDs (their length is 2 bytes in
// the key).
const maxGroupIDLen = 1024

// decodeSignal runs a libsignal decoder, turning its errors and panics on
// corrupt input into ErrCorrupt.
func decodeSignal[T any](what string, b []byte, dec func([]byte) (T, error)) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			var zero T
			v, err = zero, fmt.Errorf("decode %s: %w: %v", what, ErrCorrupt, r)
		}
	}()
	v, err = dec(b)
	if err != nil {
		var zero T
		return zero, fmt.Errorf("decode %s: %w: %w", what, ErrCorrupt, err)
	}
	return v, nil
}

func decodeSession(b []byte) (*record.Session, error) {
	return decodeSignal("session", b, func(b []byte) (*record.Session, error) {
		return record.NewSessionFromBytes(b, sessionCodec{}, sessionStateCodec{})
	})
}

// decodePreKey and decodeSignedPreKey rebuild the records from their
// structures: libsignal v0.2.1's NewPreKeyFromStruct and
// NewSignedPreKeyFromStruct take the first 32 bytes of the 33-byte
// serialized public key (type byte included) as the key, so a record that
// went through its own FromBytes has a wrong public key and X3DH fails with
// "no valid sessions".
func decodePreKey(b []byte) (*record.PreKey, error) {
	return decodeSignal("prekey", b, func(b []byte) (*record.PreKey, error) {
		st, err := ser.PreKeyRecord.Deserialize(b)
		if err != nil {
			return nil, err
		}
		kp, err := keyPairFromBytes(st.PublicKey, st.PrivateKey)
		if err != nil {
			return nil, err
		}
		return record.NewPreKey(st.ID, kp, ser.PreKeyRecord), nil
	})
}

func decodeSignedPreKey(b []byte) (*record.SignedPreKey, error) {
	return decodeSignal("signed prekey", b, func(b []byte) (*record.SignedPreKey, error) {
		st, err := ser.SignedPreKeyRecord.Deserialize(b)
		if err != nil {
			return nil, err
		}
		kp, err := keyPairFromBytes(st.PublicKey, st.PrivateKey)
		if err != nil {
			return nil, err
		}
		if len(st.Signature) != 64 {
			return nil, fmt.Errorf("signature of %d bytes", len(st.Signature))
		}
		return record.NewSignedPreKey(st.ID, st.Timestamp, kp, [64]byte(st.Signature), ser.SignedPreKeyRecord), nil
	})
}

// keyPairFromBytes builds a Curve25519 key pair from a 33-byte serialized
// public key and a 32-byte private key.
func keyPairFromBytes(pub, priv []byte) (*ecc.ECKeyPair, error) {
	if len(pub) != 33 || pub[0] != ecc.DjbType {
		return nil, fmt.Errorf("public key: want 33 bytes starting with 0x05, got %d bytes", len(pub))
	}
	if len(priv) != 32 {
		return nil, fmt.Errorf("private key of %d bytes", len(priv))
	}
	return ecc.NewECKeyPair(ecc.NewDjbECPublicKey([32]byte(pub[1:])), ecc.NewDjbECPrivateKey([32]byte(priv))), nil
}

func decodeSenderKey(b []byte) (*groupRecord.SenderKey, error) {
	return decodeSignal("sender key", b, func(b []byte) (*groupRecord.SenderKey, error) {
		return groupRecord.NewSenderKeyFromBytes(b, ser.SenderKeyRecord, ser.SenderKeyState)
	})
}

// decodeIdentityKey parses a 33-byte serialized Curve25519 public key (type
// byte 0x05 then 32 bytes).
func decodeIdentityKey(b []byte) (*identity.Key, error) {
	if len(b) != 33 || b[0] != ecc.DjbType {
		return nil, fmt.Errorf("decode identity key: %w: want 33 bytes starting with 0x05", ErrCorrupt)
	}
	var pub [32]byte
	copy(pub[:], b[1:])
	return identity.NewKey(ecc.NewDjbECPublicKey(pub)), nil
}

// serializeSignal runs a libsignal record's Serialize, which panics on
// incomplete records (a fresh session, for one), turning a panic into an
// error wrapping ErrInvalid.
func serializeSignal(what string, ser func() []byte) (b []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, fmt.Errorf("%w: cannot serialize %s: %v", ErrInvalid, what, r)
		}
	}()
	return ser(), nil
}

func addrKey(p byte, addr *protocol.SignalAddress) []byte { return keyStr(p, addr.String()) }

// --- Local identity

// LocalIdentity returns this node's own key material, or an error wrapping
// storage.ErrNotFound before SaveLocalIdentity.
func (s *Store) LocalIdentity(ctx context.Context) (*storage.LocalIdentity, error) {
	var id *storage.LocalIdentity
	err := s.read(ctx, func(txn *bdg.Txn) error {
		b, ok, err := get(txn, key1(pLocalIdentity))
		if err != nil {
			return err
		}
		if !ok {
			return storage.ErrNotFound
		}
		id, err = decodeLocalIdentity(b)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("local identity: %w", err)
	}
	return id, nil
}

// SaveLocalIdentity writes this node's key material and refreshes the cached
// Signal key pair returned by GetIdentityKeyPair. SignalPublic and
// SignalPrivate must be empty or a 33-byte serialized public key and a
// 32-byte private key. When ctx carries a transaction the cache is updated
// before that transaction commits.
func (s *Store) SaveLocalIdentity(ctx context.Context, id *storage.LocalIdentity) error {
	if id == nil {
		return fmt.Errorf("save local identity: %w: nil identity", ErrInvalid)
	}
	pair, err := signalKeyPair(id)
	if err != nil {
		return fmt.Errorf("save local identity: %w", err)
	}
	if err := s.write(ctx, func(txn *bdg.Txn) error {
		return txn.Set(key1(pLocalIdentity), encodeLocalIdentity(id))
	}); err != nil {
		return fmt.Errorf("save local identity: %w", err)
	}
	s.idMu.Lock()
	s.idPair, s.idRegID = pair, id.RegistrationID
	s.idMu.Unlock()
	return nil
}

func (s *Store) cacheIdentity(id *storage.LocalIdentity) error {
	pair, err := signalKeyPair(id)
	if err != nil {
		return err
	}
	s.idMu.Lock()
	s.idPair, s.idRegID = pair, id.RegistrationID
	s.idMu.Unlock()
	return nil
}

func signalKeyPair(id *storage.LocalIdentity) (*identity.KeyPair, error) {
	if len(id.SignalPublic) == 0 && len(id.SignalPrivate) == 0 {
		return nil, nil
	}
	pub, err := decodeIdentityKey(id.SignalPublic)
	if err != nil {
		return nil, fmt.Errorf("%w: signal public key", ErrInvalid)
	}
	if len(id.SignalPrivate) != 32 {
		return nil, fmt.Errorf("%w: signal private key of %d bytes", ErrInvalid, len(id.SignalPrivate))
	}
	var priv [32]byte
	copy(priv[:], id.SignalPrivate)
	return identity.NewKeyPair(pub, ecc.NewDjbECPrivateKey(priv)), nil
}

// --- store.IdentityKey

// GetIdentityKeyPair returns the local Signal identity, or nil before one is
// saved.
func (s *Store) GetIdentityKeyPair() *identity.KeyPair {
	s.idMu.RLock()
	defer s.idMu.RUnlock()
	return s.idPair
}

// GetLocalRegistrationID returns the local registration ID, or 0 before an
// identity is saved.
func (s *Store) GetLocalRegistrationID() uint32 {
	s.idMu.RLock()
	defer s.idMu.RUnlock()
	return s.idRegID
}

// SaveIdentity records addr's identity key; an unchanged key is not
// rewritten.
func (s *Store) SaveIdentity(ctx context.Context, addr *protocol.SignalAddress, key *identity.Key) error {
	if key == nil {
		return fmt.Errorf("save identity: %w: nil key", ErrInvalid)
	}
	nb := key.Serialize()
	k := addrKey(pIdentity, addr)
	// Read first in a read transaction: this runs on every message and the
	// key almost never changes.
	var same bool
	if err := s.read(ctx, func(txn *bdg.Txn) error {
		b, ok, err := get(txn, k)
		same = ok && bytes.Equal(b, nb)
		return err
	}); err != nil {
		return fmt.Errorf("save identity: %w", err)
	}
	if same {
		return nil
	}
	if err := s.write(ctx, func(txn *bdg.Txn) error { return txn.Set(k, nb) }); err != nil {
		return fmt.Errorf("save identity: %w", err)
	}
	return nil
}

// IsTrustedIdentity trusts a key on first use and afterwards only the saved
// key.
func (s *Store) IsTrustedIdentity(ctx context.Context, addr *protocol.SignalAddress, key *identity.Key) (bool, error) {
	if key == nil {
		return false, nil
	}
	var trusted bool
	err := s.read(ctx, func(txn *bdg.Txn) error {
		b, ok, err := get(txn, addrKey(pIdentity, addr))
		trusted = !ok || bytes.Equal(b, key.Serialize())
		return err
	})
	if err != nil {
		return false, fmt.Errorf("is trusted identity: %w", err)
	}
	return trusted, nil
}

// RemoteIdentity returns the saved identity key of addr, or (nil, nil).
func (s *Store) RemoteIdentity(ctx context.Context, addr *protocol.SignalAddress) (*identity.Key, error) {
	var key *identity.Key
	err := s.read(ctx, func(txn *bdg.Txn) error {
		b, ok, err := get(txn, addrKey(pIdentity, addr))
		if err != nil || !ok {
			return err
		}
		key, err = decodeIdentityKey(b)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("remote identity: %w", err)
	}
	return key, nil
}

// ReplaceIdentity overwrites addr's identity key and deletes its session.
func (s *Store) ReplaceIdentity(ctx context.Context, addr *protocol.SignalAddress, key *identity.Key) error {
	if key == nil {
		return fmt.Errorf("replace identity: %w: nil key", ErrInvalid)
	}
	err := s.write(ctx, func(txn *bdg.Txn) error {
		if err := txn.Set(addrKey(pIdentity, addr), key.Serialize()); err != nil {
			return err
		}
		return txn.Delete(addrKey(pSession, addr))
	})
	if err != nil {
		return fmt.Errorf("replace identity: %w", err)
	}
	return nil
}

// --- store.PreKey

// LoadPreKey returns the prekey, or (nil, nil) when it does not exist.
func (s *Store) LoadPreKey(ctx context.Context, id uint32) (*record.PreKey, error) {
	var pk *record.PreKey
	err := s.read(ctx, func(txn *bdg.Txn) error {
		b, ok, err := get(txn, keyU32(pPreKey, id))
		if err != nil || !ok {
			return err
		}
		pk, err = decodePreKey(b)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("load prekey: %w", err)
	}
	return pk, nil
}

// StorePreKey stores a prekey. A new one-time prekey (any ID but
// LastResortPreKeyID) is marked not yet handed out.
func (s *Store) StorePreKey(ctx context.Context, id uint32, pk *record.PreKey) error {
	if pk == nil {
		return fmt.Errorf("store prekey: %w: nil record", ErrInvalid)
	}
	b, err := serializeSignal("prekey", pk.Serialize)
	if err != nil {
		return fmt.Errorf("store prekey: %w", err)
	}
	err = s.write(ctx, func(txn *bdg.Txn) error {
		k := keyU32(pPreKey, id)
		had, err := exists(txn, k)
		if err != nil {
			return err
		}
		if err := txn.Set(k, b); err != nil {
			return err
		}
		if had || id == LastResortPreKeyID {
			return nil
		}
		return txn.Set(keyU32(pUnissued, id), nil)
	})
	if err != nil {
		return fmt.Errorf("store prekey: %w", err)
	}
	return nil
}

// ContainsPreKey reports whether the prekey exists.
func (s *Store) ContainsPreKey(ctx context.Context, id uint32) (bool, error) {
	var ok bool
	err := s.read(ctx, func(txn *bdg.Txn) (err error) {
		ok, err = exists(txn, keyU32(pPreKey, id))
		return err
	})
	if err != nil {
		return false, fmt.Errorf("contains prekey: %w", err)
	}
	return ok, nil
}

// RemovePreKey deletes the prekey; a missing one is not an error.
func (s *Store) RemovePreKey(ctx context.Context, id uint32) error {
	err := s.write(ctx, func(txn *bdg.Txn) error {
		if err := txn.Delete(keyU32(pPreKey, id)); err != nil {
			return err
		}
		return txn.Delete(keyU32(pUnissued, id))
	})
	if err != nil {
		return fmt.Errorf("remove prekey: %w", err)
	}
	return nil
}

// AllocatePreKeyIDs reserves n consecutive one-time prekey IDs and returns
// the first. IDs start at 1 and are never reused; an allocation that would
// reach LastResortPreKeyID fails with ErrPreKeyIDsExhausted.
func (s *Store) AllocatePreKeyIDs(ctx context.Context, n uint32) (uint32, error) {
	if n == 0 || n >= LastResortPreKeyID {
		return 0, fmt.Errorf("allocate prekey ids: %w: count %d", ErrInvalid, n)
	}
	var first uint32
	err := s.write(ctx, func(txn *bdg.Txn) error {
		first = 1
		b, ok, err := get(txn, key1(pPreKeyNext))
		if err != nil {
			return err
		}
		if ok {
			if first, err = decodeUint32(b, "prekey counter"); err != nil {
				return err
			}
		}
		// IDs first..first+n-1 must all stay below the last-resort ID.
		if uint64(first)+uint64(n) > uint64(LastResortPreKeyID) {
			return ErrPreKeyIDsExhausted
		}
		return txn.Set(key1(pPreKeyNext), encodeUint32(first+n))
	})
	if err != nil {
		return 0, fmt.Errorf("allocate prekey ids: %w", err)
	}
	return first, nil
}

// IssuePreKey returns a stored one-time prekey never handed out before and
// marks it handed out, or (nil, nil) when none is left. The lowest ID goes
// first.
func (s *Store) IssuePreKey(ctx context.Context) (*record.PreKey, error) {
	var pk *record.PreKey
	err := s.write(ctx, func(txn *bdg.Txn) error {
		pk = nil
		var stale [][]byte
		err := scan(txn, key1(pUnissued), false, func(k, _ []byte) (bool, error) {
			stale = append(stale, k)
			if len(k) != 5 {
				return true, nil
			}
			b, ok, err := get(txn, append([]byte{pPreKey}, k[1:]...))
			if err != nil || !ok {
				return err == nil, err
			}
			pk, err = decodePreKey(b)
			return false, err
		})
		if err != nil {
			return err
		}
		// Delete the marker of the issued key and of any markers whose
		// record had vanished.
		for _, k := range stale {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("issue prekey: %w", err)
	}
	return pk, nil
}

// UnissuedPreKeys counts one-time prekeys not yet handed out.
func (s *Store) UnissuedPreKeys(ctx context.Context) (int, error) {
	n := 0
	err := s.read(ctx, func(txn *bdg.Txn) error {
		return scan(txn, key1(pUnissued), false, func(_, _ []byte) (bool, error) {
			n++
			return true, nil
		})
	})
	if err != nil {
		return 0, fmt.Errorf("unissued prekeys: %w", err)
	}
	return n, nil
}

// --- store.SignedPreKey

// LoadSignedPreKey returns the signed prekey, or (nil, nil) when it does
// not exist.
func (s *Store) LoadSignedPreKey(ctx context.Context, id uint32) (*record.SignedPreKey, error) {
	var spk *record.SignedPreKey
	err := s.read(ctx, func(txn *bdg.Txn) error {
		b, ok, err := get(txn, keyU32(pSignedPreKey, id))
		if err != nil || !ok {
			return err
		}
		spk, err = decodeSignedPreKey(b)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("load signed prekey: %w", err)
	}
	return spk, nil
}

// LoadSignedPreKeys returns every signed prekey, ordered by ID.
func (s *Store) LoadSignedPreKeys(ctx context.Context) ([]*record.SignedPreKey, error) {
	var out []*record.SignedPreKey
	err := s.read(ctx, func(txn *bdg.Txn) error {
		out = nil
		return scan(txn, key1(pSignedPreKey), true, func(_, v []byte) (bool, error) {
			spk, err := decodeSignedPreKey(v)
			if err != nil {
				return false, err
			}
			out = append(out, spk)
			return true, nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("load signed prekeys: %w", err)
	}
	return out, nil
}

// StoreSignedPreKey stores a signed prekey.
func (s *Store) StoreSignedPreKey(ctx context.Context, id uint32, spk *record.SignedPreKey) error {
	if spk == nil {
		return fmt.Errorf("store signed prekey: %w: nil record", ErrInvalid)
	}
	b, err := serializeSignal("signed prekey", spk.Serialize)
	if err != nil {
		return fmt.Errorf("store signed prekey: %w", err)
	}
	if err := s.write(ctx, func(txn *bdg.Txn) error {
		return txn.Set(keyU32(pSignedPreKey, id), b)
	}); err != nil {
		return fmt.Errorf("store signed prekey: %w", err)
	}
	return nil
}

// ContainsSignedPreKey reports whether the signed prekey exists.
func (s *Store) ContainsSignedPreKey(ctx context.Context, id uint32) (bool, error) {
	var ok bool
	err := s.read(ctx, func(txn *bdg.Txn) (err error) {
		ok, err = exists(txn, keyU32(pSignedPreKey, id))
		return err
	})
	if err != nil {
		return false, fmt.Errorf("contains signed prekey: %w", err)
	}
	return ok, nil
}

// RemoveSignedPreKey deletes the signed prekey; a missing one is not an
// error.
func (s *Store) RemoveSignedPreKey(ctx context.Context, id uint32) error {
	if err := s.write(ctx, func(txn *bdg.Txn) error {
		return txn.Delete(keyU32(pSignedPreKey, id))
	}); err != nil {
		return fmt.Errorf("remove signed prekey: %w", err)
	}
	return nil
}

// --- store.Session

// LoadSession returns a freshly decoded copy of addr's session, or a new
// empty session when none is stored; never nil.
func (s *Store) LoadSession(ctx context.Context, addr *protocol.SignalAddress) (*record.Session, error) {
	var sess *record.Session
	err := s.read(ctx, func(txn *bdg.Txn) error {
		b, ok, err := get(txn, addrKey(pSession, addr))
		if err != nil {
			return err
		}
		if !ok {
			sess = record.NewSession(sessionCodec{}, sessionStateCodec{})
			return nil
		}
		sess, err = decodeSession(b)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("load session: %w", err)
	}
	return sess, nil
}

// GetSubDeviceSessions returns the device IDs of every session stored for
// name, in ascending byte order of the address string.
func (s *Store) GetSubDeviceSessions(ctx context.Context, name string) ([]uint32, error) {
	prefix := keyStr(pSession, name+protocol.ADDRESS_SEPARATOR)
	var ids []uint32
	err := s.read(ctx, func(txn *bdg.Txn) error {
		ids = nil
		return scan(txn, prefix, false, func(k, _ []byte) (bool, error) {
			// A name that itself contains ':' shares the prefix; its
			// suffix is not a plain number.
			if dev, err := strconv.ParseUint(string(k[len(prefix):]), 10, 32); err == nil {
				ids = append(ids, uint32(dev))
			}
			return true, nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("get sub device sessions: %w", err)
	}
	return ids, nil
}

// StoreSession stores addr's session.
func (s *Store) StoreSession(ctx context.Context, addr *protocol.SignalAddress, sess *record.Session) error {
	if sess == nil {
		return fmt.Errorf("store session: %w: nil record", ErrInvalid)
	}
	// Always our codec, whichever serializer the record was made with.
	b, err := serializeSignal("session", func() []byte { return sessionCodec{}.Serialize(sess.Structure()) })
	if err != nil {
		return fmt.Errorf("store session: %w", err)
	}
	if err := s.write(ctx, func(txn *bdg.Txn) error {
		return txn.Set(addrKey(pSession, addr), b)
	}); err != nil {
		return fmt.Errorf("store session: %w", err)
	}
	return nil
}

// ContainsSession reports whether a session is stored for addr.
func (s *Store) ContainsSession(ctx context.Context, addr *protocol.SignalAddress) (bool, error) {
	var ok bool
	err := s.read(ctx, func(txn *bdg.Txn) (err error) {
		ok, err = exists(txn, addrKey(pSession, addr))
		return err
	})
	if err != nil {
		return false, fmt.Errorf("contains session: %w", err)
	}
	return ok, nil
}

// DeleteSession deletes addr's session; a missing one is not an error.
func (s *Store) DeleteSession(ctx context.Context, addr *protocol.SignalAddress) error {
	if err := s.write(ctx, func(txn *bdg.Txn) error {
		return txn.Delete(addrKey(pSession, addr))
	}); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteAllSessions deletes every session.
func (s *Store) DeleteAllSessions(ctx context.Context) error {
	err := s.write(ctx, func(txn *bdg.Txn) error {
		var keys [][]byte
		if err := scan(txn, key1(pSession), false, func(k, _ []byte) (bool, error) {
			keys = append(keys, k)
			return true, nil
		}); err != nil {
			return err
		}
		for _, k := range keys {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete all sessions: %w", err)
	}
	return nil
}

// --- groups store.SenderKey

func senderKeyKey(name *protocol.SenderKeyName) ([]byte, error) {
	if name == nil || name.Sender() == nil {
		return nil, fmt.Errorf("%w: nil sender key name", ErrInvalid)
	}
	if len(name.GroupID()) > maxGroupIDLen {
		return nil, fmt.Errorf("%w: group id of %d bytes", ErrInvalid, len(name.GroupID()))
	}
	return keySenderKey(name.GroupID(), name.Sender().String()), nil
}

// StoreSenderKey stores the sender key of (group, sender).
func (s *Store) StoreSenderKey(ctx context.Context, name *protocol.SenderKeyName, rec *groupRecord.SenderKey) error {
	k, err := senderKeyKey(name)
	if err == nil && rec == nil {
		err = fmt.Errorf("%w: nil record", ErrInvalid)
	}
	var b []byte
	if err == nil {
		b, err = serializeSignal("sender key", rec.Serialize)
	}
	if err == nil {
		err = s.write(ctx, func(txn *bdg.Txn) error { return txn.Set(k, b) })
	}
	if err != nil {
		return fmt.Errorf("store sender key: %w", err)
	}
	return nil
}

// LoadSenderKey returns a freshly decoded copy of the sender key of (group,
// sender), or an empty record when none is stored; never nil.
func (s *Store) LoadSenderKey(ctx context.Context, name *protocol.SenderKeyName) (*groupRecord.SenderKey, error) {
	k, err := senderKeyKey(name)
	if err != nil {
		return nil, fmt.Errorf("load sender key: %w", err)
	}
	var rec *groupRecord.SenderKey
	err = s.read(ctx, func(txn *bdg.Txn) error {
		b, ok, err := get(txn, k)
		if err != nil {
			return err
		}
		if !ok {
			rec = groupRecord.NewSenderKey(ser.SenderKeyRecord, ser.SenderKeyState)
			return nil
		}
		rec, err = decodeSenderKey(b)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("load sender key: %w", err)
	}
	return rec, nil
}

// DeleteSenderKey deletes the sender key of (group, sender), used to rotate
// the own sending key; a missing one is not an error.
func (s *Store) DeleteSenderKey(ctx context.Context, name *protocol.SenderKeyName) error {
	k, err := senderKeyKey(name)
	if err == nil {
		err = s.write(ctx, func(txn *bdg.Txn) error { return txn.Delete(k) })
	}
	if err != nil {
		return fmt.Errorf("delete sender key: %w", err)
	}
	return nil
}

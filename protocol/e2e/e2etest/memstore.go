// Package e2etest holds test support for the e2e layer: an in-memory,
// serializing Store used as the baseline that storage and node benchmarks
// are measured against.
package e2etest

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"sync"

	"go.mau.fi/libsignal/ecc"
	groupRecord "go.mau.fi/libsignal/groups/state/record"
	sigid "go.mau.fi/libsignal/keys/identity"
	"go.mau.fi/libsignal/protocol"
	"go.mau.fi/libsignal/serialize"
	"go.mau.fi/libsignal/state/record"

	"github.com/pigeon-net/pigeon/protocol/e2e"
)

// MemStore is a pure in-memory e2e.Store that serializes every record, so
// loads return fresh copies. Transactions are serialized by one mutex and
// buffer their writes until commit. It is the baseline the Badger store is
// benchmarked against and documents the Store contract.
type MemStore struct {
	ikp   *sigid.KeyPair
	regID uint32

	txMu sync.Mutex // held by the running transaction

	mu   sync.RWMutex // guards data
	data map[string][]byte
}

var memSer = serialize.NewProtoBufSerializer()

func NewMemStore(k e2e.LocalKeys) *MemStore {
	return &MemStore{ikp: k.IdentityKeyPair, regID: k.RegistrationID, data: map[string][]byte{}}
}

var _ e2e.Store = (*MemStore)(nil)

type memTxn struct {
	writes map[string][]byte // value deleted = delete
}

// deleted marks a deletion in a transaction's write set.
var deleted = []byte("\x00deleted")

func isDeleted(v []byte) bool { return len(v) > 0 && &v[0] == &deleted[0] }

type txnKey struct{}

func (s *MemStore) Update(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txnKey{}).(*memTxn); ok {
		return fn(ctx)
	}
	s.txMu.Lock()
	defer s.txMu.Unlock()
	tx := &memTxn{writes: map[string][]byte{}}
	if err := fn(context.WithValue(ctx, txnKey{}, tx)); err != nil {
		return err
	}
	s.mu.Lock()
	for k, v := range tx.writes {
		if isDeleted(v) {
			delete(s.data, k)
		} else {
			s.data[k] = v
		}
	}
	s.mu.Unlock()
	return nil
}

func (s *MemStore) get(ctx context.Context, k string) ([]byte, bool) {
	if tx, ok := ctx.Value(txnKey{}).(*memTxn); ok {
		if v, ok := tx.writes[k]; ok {
			if isDeleted(v) {
				return nil, false
			}
			return v, true
		}
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := s.data[k]
	return v, ok
}

func (s *MemStore) put(ctx context.Context, k string, v []byte) error {
	return s.Update(ctx, func(ctx context.Context) error {
		ctx.Value(txnKey{}).(*memTxn).writes[k] = append([]byte{}, v...)
		return nil
	})
}

func (s *MemStore) del(ctx context.Context, k string) error {
	return s.Update(ctx, func(ctx context.Context) error {
		ctx.Value(txnKey{}).(*memTxn).writes[k] = deleted
		return nil
	})
}

// keys lists the keys with prefix as the transaction in ctx sees them.
func (s *MemStore) keys(ctx context.Context, prefix string) []string {
	seen := map[string]bool{}
	s.mu.RLock()
	for k := range s.data {
		if strings.HasPrefix(k, prefix) {
			seen[k] = true
		}
	}
	s.mu.RUnlock()
	if tx, ok := ctx.Value(txnKey{}).(*memTxn); ok {
		for k, v := range tx.writes {
			if strings.HasPrefix(k, prefix) {
				seen[k] = !isDeleted(v)
			}
		}
	}
	var out []string
	for k, ok := range seen {
		if ok {
			out = append(out, k)
		}
	}
	return out
}

func idKey(p string, id uint32) string { return fmt.Sprintf("%s/%08x", p, id) }

// --- identity

func (s *MemStore) GetIdentityKeyPair() *sigid.KeyPair { return s.ikp }
func (s *MemStore) GetLocalRegistrationID() uint32     { return s.regID }

func (s *MemStore) SaveIdentity(ctx context.Context, a *protocol.SignalAddress, k *sigid.Key) error {
	if old, ok := s.get(ctx, "id/"+a.String()); ok && string(old) == string(k.Serialize()) {
		return nil
	}
	return s.put(ctx, "id/"+a.String(), k.Serialize())
}

func (s *MemStore) IsTrustedIdentity(ctx context.Context, a *protocol.SignalAddress, k *sigid.Key) (bool, error) {
	old, ok := s.get(ctx, "id/"+a.String())
	return !ok || string(old) == string(k.Serialize()), nil
}

func (s *MemStore) RemoteIdentity(ctx context.Context, a *protocol.SignalAddress) (*sigid.Key, error) {
	b, ok := s.get(ctx, "id/"+a.String())
	if !ok {
		return nil, nil
	}
	pub, err := ecc.DecodePoint(b, 0)
	if err != nil {
		return nil, err
	}
	return sigid.NewKey(pub), nil
}

func (s *MemStore) ReplaceIdentity(ctx context.Context, a *protocol.SignalAddress, k *sigid.Key) error {
	return s.Update(ctx, func(ctx context.Context) error {
		if err := s.put(ctx, "id/"+a.String(), k.Serialize()); err != nil {
			return err
		}
		return s.del(ctx, "s/"+a.String())
	})
}

// --- prekeys

func (s *MemStore) LoadPreKey(ctx context.Context, id uint32) (*record.PreKey, error) {
	b, ok := s.get(ctx, idKey("pk", id))
	if !ok {
		return nil, nil
	}
	st, err := memSer.PreKeyRecord.Deserialize(b)
	if err != nil {
		return nil, err
	}
	return record.NewPreKey(st.ID, keyPair(st.PublicKey, st.PrivateKey), memSer.PreKeyRecord), nil
}

// keyPair rebuilds a key pair from a record structure: libsignal v0.2.1's
// NewPreKeyFromStruct and NewSignedPreKeyFromStruct take the first 32 bytes
// of the 33-byte serialized public key, type byte included.
func keyPair(pub, priv []byte) *ecc.ECKeyPair {
	return ecc.NewECKeyPair(ecc.NewDjbECPublicKey([32]byte(pub[1:])), ecc.NewDjbECPrivateKey([32]byte(priv)))
}

func signedPreKeyFromBytes(b []byte) (*record.SignedPreKey, error) {
	st, err := memSer.SignedPreKeyRecord.Deserialize(b)
	if err != nil {
		return nil, err
	}
	return record.NewSignedPreKey(st.ID, st.Timestamp, keyPair(st.PublicKey, st.PrivateKey), [64]byte(st.Signature), memSer.SignedPreKeyRecord), nil
}

func (s *MemStore) StorePreKey(ctx context.Context, id uint32, r *record.PreKey) error {
	return s.Update(ctx, func(ctx context.Context) error {
		_, had := s.get(ctx, idKey("pk", id))
		if err := s.put(ctx, idKey("pk", id), r.Serialize()); err != nil {
			return err
		}
		if had || id == e2e.LastResortPreKeyID {
			return nil
		}
		return s.put(ctx, idKey("un", id), nil)
	})
}

func (s *MemStore) ContainsPreKey(ctx context.Context, id uint32) (bool, error) {
	_, ok := s.get(ctx, idKey("pk", id))
	return ok, nil
}

func (s *MemStore) RemovePreKey(ctx context.Context, id uint32) error {
	return s.Update(ctx, func(ctx context.Context) error {
		if err := s.del(ctx, idKey("pk", id)); err != nil {
			return err
		}
		return s.del(ctx, idKey("un", id))
	})
}

func (s *MemStore) AllocatePreKeyIDs(ctx context.Context, n uint32) (uint32, error) {
	var first uint32
	err := s.Update(ctx, func(ctx context.Context) error {
		first = 1
		if b, ok := s.get(ctx, "next"); ok {
			first = binary.BigEndian.Uint32(b)
		}
		if first+n >= e2e.LastResortPreKeyID {
			return errors.New("prekey ids exhausted")
		}
		return s.put(ctx, "next", binary.BigEndian.AppendUint32(nil, first+n))
	})
	return first, err
}

func (s *MemStore) IssuePreKey(ctx context.Context) (*record.PreKey, error) {
	var pk *record.PreKey
	err := s.Update(ctx, func(ctx context.Context) error {
		ks := s.keys(ctx, "un/")
		if len(ks) == 0 {
			return nil
		}
		minKey := ks[0]
		for _, k := range ks {
			minKey = min(minKey, k)
		}
		var id uint32
		if _, err := fmt.Sscanf(minKey, "un/%08x", &id); err != nil {
			return err
		}
		if err := s.del(ctx, minKey); err != nil {
			return err
		}
		var err error
		pk, err = s.LoadPreKey(ctx, id)
		return err
	})
	return pk, err
}

func (s *MemStore) UnissuedPreKeys(ctx context.Context) (int, error) {
	return len(s.keys(ctx, "un/")), nil
}

// --- signed prekeys

func (s *MemStore) LoadSignedPreKey(ctx context.Context, id uint32) (*record.SignedPreKey, error) {
	b, ok := s.get(ctx, idKey("spk", id))
	if !ok {
		return nil, nil
	}
	return signedPreKeyFromBytes(b)
}

func (s *MemStore) LoadSignedPreKeys(ctx context.Context) ([]*record.SignedPreKey, error) {
	var out []*record.SignedPreKey
	for _, k := range s.keys(ctx, "spk/") {
		b, _ := s.get(ctx, k)
		r, err := signedPreKeyFromBytes(b)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func (s *MemStore) StoreSignedPreKey(ctx context.Context, id uint32, r *record.SignedPreKey) error {
	return s.put(ctx, idKey("spk", id), r.Serialize())
}

func (s *MemStore) ContainsSignedPreKey(ctx context.Context, id uint32) (bool, error) {
	_, ok := s.get(ctx, idKey("spk", id))
	return ok, nil
}

func (s *MemStore) RemoveSignedPreKey(ctx context.Context, id uint32) error {
	return s.del(ctx, idKey("spk", id))
}

// --- sessions

func (s *MemStore) LoadSession(ctx context.Context, a *protocol.SignalAddress) (*record.Session, error) {
	b, ok := s.get(ctx, "s/"+a.String())
	if !ok {
		return record.NewSession(memSer.Session, memSer.State), nil
	}
	return record.NewSessionFromBytes(b, memSer.Session, memSer.State)
}

func (s *MemStore) GetSubDeviceSessions(ctx context.Context, name string) ([]uint32, error) {
	var out []uint32
	for _, k := range s.keys(ctx, "s/"+name+":") {
		var d uint32
		if _, err := fmt.Sscanf(k[len("s/"+name+":"):], "%d", &d); err == nil {
			out = append(out, d)
		}
	}
	return out, nil
}

func (s *MemStore) StoreSession(ctx context.Context, a *protocol.SignalAddress, r *record.Session) error {
	return s.put(ctx, "s/"+a.String(), r.Serialize())
}

func (s *MemStore) ContainsSession(ctx context.Context, a *protocol.SignalAddress) (bool, error) {
	_, ok := s.get(ctx, "s/"+a.String())
	return ok, nil
}

func (s *MemStore) DeleteSession(ctx context.Context, a *protocol.SignalAddress) error {
	return s.del(ctx, "s/"+a.String())
}

func (s *MemStore) DeleteAllSessions(ctx context.Context) error {
	return s.Update(ctx, func(ctx context.Context) error {
		for _, k := range s.keys(ctx, "s/") {
			if err := s.del(ctx, k); err != nil {
				return err
			}
		}
		return nil
	})
}

// --- sender keys

func (s *MemStore) StoreSenderKey(ctx context.Context, n *protocol.SenderKeyName, r *groupRecord.SenderKey) error {
	return s.put(ctx, "sk/"+n.GroupID()+"\x00"+n.Sender().String(), r.Serialize())
}

func (s *MemStore) LoadSenderKey(ctx context.Context, n *protocol.SenderKeyName) (*groupRecord.SenderKey, error) {
	b, ok := s.get(ctx, "sk/"+n.GroupID()+"\x00"+n.Sender().String())
	if !ok {
		return groupRecord.NewSenderKey(memSer.SenderKeyRecord, memSer.SenderKeyState), nil
	}
	return groupRecord.NewSenderKeyFromBytes(b, memSer.SenderKeyRecord, memSer.SenderKeyState)
}

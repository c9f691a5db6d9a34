package e2e

import (
	"bytes"
	"context"

	sigid "go.mau.fi/libsignal/keys/identity"
	"go.mau.fi/libsignal/protocol"
	"go.mau.fi/libsignal/state/record"
)

// txStore is the Store as Decrypt hands it to libsignal. It marks the errors
// of the store methods the ciphers call, so they are not mistaken for
// decryption failures, and refuses to store a session whose remote identity
// is not want, the key the sender's certificate vouches for: a message must
// never update (or create) a session with an uncertified identity.
type txStore struct {
	Store
	want []byte
}

func wrapStoreErr(err error) error {
	if err == nil {
		return nil
	}
	return storeError{err}
}

func (s *txStore) StoreSession(ctx context.Context, addr *protocol.SignalAddress, r *record.Session) error {
	if s.want != nil {
		st := r.SessionState()
		if st == nil || st.RemoteIdentityKey() == nil || st.RemoteIdentityKey().PublicKey() == nil ||
			!bytes.Equal(st.RemoteIdentityKey().Serialize(), s.want) {
			return errSessionIdentity
		}
	}
	return wrapStoreErr(s.Store.StoreSession(ctx, addr, r))
}

func (s *txStore) LoadSession(ctx context.Context, addr *protocol.SignalAddress) (*record.Session, error) {
	r, err := s.Store.LoadSession(ctx, addr)
	return r, wrapStoreErr(err)
}

func (s *txStore) ContainsSession(ctx context.Context, addr *protocol.SignalAddress) (bool, error) {
	ok, err := s.Store.ContainsSession(ctx, addr)
	return ok, wrapStoreErr(err)
}

func (s *txStore) IsTrustedIdentity(ctx context.Context, addr *protocol.SignalAddress, k *sigid.Key) (bool, error) {
	ok, err := s.Store.IsTrustedIdentity(ctx, addr, k)
	return ok, wrapStoreErr(err)
}

func (s *txStore) SaveIdentity(ctx context.Context, addr *protocol.SignalAddress, k *sigid.Key) error {
	return wrapStoreErr(s.Store.SaveIdentity(ctx, addr, k))
}

func (s *txStore) LoadSignedPreKey(ctx context.Context, id uint32) (*record.SignedPreKey, error) {
	r, err := s.Store.LoadSignedPreKey(ctx, id)
	return r, wrapStoreErr(err)
}

func (s *txStore) LoadPreKey(ctx context.Context, id uint32) (*record.PreKey, error) {
	r, err := s.Store.LoadPreKey(ctx, id)
	return r, wrapStoreErr(err)
}

func (s *txStore) RemovePreKey(ctx context.Context, id uint32) error {
	return wrapStoreErr(s.Store.RemovePreKey(ctx, id))
}

package badger

import (
	"context"

	bdg "github.com/dgraph-io/badger/v4"
	"go.mau.fi/libsignal/protocol"
	"go.mau.fi/libsignal/state/record"
)

// Hooks for the external tests.

func EncodeSessionStructure(s *record.SessionStructure) []byte { return sessionCodec{}.Serialize(s) }

func DecodeSessionStructure(b []byte) (*record.SessionStructure, error) {
	return sessionCodec{}.Deserialize(b)
}

// RawSession returns the stored bytes of addr's session.
func (s *Store) RawSession(addr *protocol.SignalAddress) (b []byte, err error) {
	err = s.read(context.Background(), func(txn *bdg.Txn) error {
		b, _, err = get(txn, addrKey(pSession, addr))
		return err
	})
	return b, err
}

// PutRawSession stores b as addr's session, as an older version would have.
func (s *Store) PutRawSession(addr *protocol.SignalAddress, b []byte) error {
	return s.write(context.Background(), func(txn *bdg.Txn) error {
		return txn.Set(addrKey(pSession, addr), b)
	})
}

package mailboxstore

import (
	"context"

	bdg "github.com/dgraph-io/badger/v4"
)

// RawDB exposes the database to benchmarks that compare against raw Badger.
func RawDB(s *Store) *bdg.DB { return s.db }

// FilterReady reports whether the writer's deposit-index filter has been
// built (asked through the writer, which owns it).
func FilterReady(s *Store) (bool, error) {
	var ready bool
	err := s.submit(context.Background(), &op{apply: func(w *wtx) error {
		ready = w.s.fs.f != nil
		return nil
	}})
	return ready, err
}

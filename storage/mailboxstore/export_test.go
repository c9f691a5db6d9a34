package mailboxstore

import bdg "github.com/dgraph-io/badger/v4"

// RawDB exposes the database to benchmarks that compare against raw Badger.
func RawDB(s *Store) *bdg.DB { return s.db }

package badger

import (
	bdg "github.com/dgraph-io/badger/v4"
)

// migrate brings a database of schema version v up to schemaVersion inside
// the opening transaction and returns the version it left.
//
// Version 2 (groups) added the group keys (g, o, q, s, w, d, y) and the
// version-2 Message record, which carries a group flag. Version-1 records
// stay valid (1:1 messages are still written as version 1), so moving from 1
// to 2 rewrites nothing; the bump keeps binaries that predate groups from
// opening a database they would half understand.
func migrate(txn *bdg.Txn, v uint32) (uint32, error) {
	if v == 1 {
		if err := txn.Set(key1(pSchema), encodeUint32(2)); err != nil {
			return v, err
		}
		v = 2
	}
	return v, nil
}

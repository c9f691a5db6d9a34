package badger

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"

	bdg "github.com/dgraph-io/badger/v4"

	"github.com/pigeon-net/pigeon/protocol/acctlog"
	"github.com/pigeon-net/pigeon/storage"
)

// What a message leaves besides its history keys, found without a scan
// when it is deleted (DeleteMessage), under pMessageOps ('m'):
//
//	"m" id(16) "o" device(4) seq(8)          empty: account-log op (device, seq) carries the message
//	"m" id(16) "x" recipient(32) item(16)    empty: outbox item (and custody record) item to
//	                                         recipient carries such an op to our other devices
const (
	mOp      = 'o'
	mCarrier = 'x'
)

// pEditVersions is the prefix of a message's earlier texts ("E" id ...),
// kept by the edits of node/actions; DeleteMessage drops the range.
const pEditVersions = 'E'

func keyMessageOp(id storage.MessageID, device uint32, seq uint64) []byte {
	k := make([]byte, 0, 1+16+1+4+8)
	k = append(k, pMessageOps)
	k = append(k, id[:]...)
	k = append(k, mOp)
	k = binary.BigEndian.AppendUint32(k, device)
	return binary.BigEndian.AppendUint64(k, seq)
}

func keyMessageCarrier(id storage.MessageID, recipient storage.Account, item storage.MessageID) []byte {
	k := make([]byte, 0, 1+16+1+32+16)
	k = append(k, pMessageOps)
	k = append(k, id[:]...)
	k = append(k, mCarrier)
	k = append(k, recipient[:]...)
	return append(k, item[:]...)
}

// NoteMessageOp records that account-log op (device, seq) carries message
// id (its text, or its file's reference), so that DeleteMessage redacts
// it. Call it in the transaction that appends or folds the op.
func (s *Store) NoteMessageOp(ctx context.Context, id storage.MessageID, device uint32, seq uint64) error {
	if err := s.write(ctx, func(txn *bdg.Txn) error {
		return txn.Set(keyMessageOp(id, device, seq), nil)
	}); err != nil {
		return fmt.Errorf("note message op: %w", err)
	}
	return nil
}

// NoteMessageCarrier records that outbox item item, to recipient (our own
// account: a push of ops to our other devices), carries an op that carries
// message id, so that DeleteMessage drops the item and its custody record.
func (s *Store) NoteMessageCarrier(ctx context.Context, id storage.MessageID, recipient storage.Account, item storage.MessageID) error {
	if err := s.write(ctx, func(txn *bdg.Txn) error {
		return txn.Set(keyMessageCarrier(id, recipient, item), nil)
	}); err != nil {
		return fmt.Errorf("note message carrier: %w", err)
	}
	return nil
}

// purgeMessage removes, in txn, everything but the history keys that
// message id left: the ops carrying it are redacted (acctlog.Redact),
// the outbox items and custody records carrying them or it dropped, its
// attachment records (its blocks, referenced by nothing any more, go at
// the next media collection), the group envelope that may wait for it,
// and its edit versions. m is the message when it is held, nil when not
// (an op or file may be held for a message deleted or never stored).
// It returns how many stored values it changed.
func purgeMessage(txn *bdg.Txn, id storage.MessageID, m *storage.Message) (int, error) {
	var dels [][]byte
	var redact [][]byte // op keys
	prefix := keyID(pMessageOps, id)
	err := scan(txn, prefix, false, func(k, _ []byte) (bool, error) {
		rest := k[len(prefix):]
		switch {
		case len(rest) == 1+4+8 && rest[0] == mOp:
			redact = append(redact, keyAcctOp(binary.BigEndian.Uint32(rest[1:]), binary.BigEndian.Uint64(rest[5:])))
		case len(rest) == 1+32+16 && rest[0] == mCarrier:
			var to storage.Account
			var item storage.MessageID
			copy(to[:], rest[1:33])
			copy(item[:], rest[33:])
			dels = append(dels, keyID(pOutbox, item), keyAccountID(pCustody, to, item))
		default:
			return false, fmt.Errorf("%w: message op key of %d bytes", ErrCorrupt, len(k))
		}
		dels = append(dels, k)
		return true, nil
	})
	if err != nil {
		return 0, err
	}
	changed := 0
	for _, k := range redact {
		raw, ok, err := get(txn, k)
		if err != nil {
			return 0, err
		}
		if !ok {
			continue
		}
		red, err := acctlog.Redact(raw)
		if err != nil {
			return 0, fmt.Errorf("%w: account op held: %w", ErrCorrupt, err)
		}
		if len(red) == len(raw) {
			continue // redacted already
		}
		if err := txn.Set(k, red); err != nil {
			return 0, err
		}
		changed++
	}
	// The message's own outbox item and custody records (a 1:1 message
	// sent, still on its way or held by relays).
	dels = append(dels, keyID(pOutbox, id), attachmentKey(aRecord, id[:]))
	if a, ok, err := get(txn, attachmentKey(aRecord, id[:])); err != nil {
		return 0, err
	} else if ok {
		if at, err := decodeAttachment(a); err == nil {
			dels = append(dels, attachmentKey(aChat, at.Peer[:], id[:]))
		}
	}
	if m != nil {
		dels = append(dels, keyAccountID(pCustody, m.Peer, id), attachmentKey(aChat, m.Peer[:], id[:]))
		if m.Group {
			dels = append(dels, append(keyGroup(pGroupPending, groupID(m.Peer), 16), id[:]...))
		}
	} else {
		// Custody records are few (messages relays hold for a while):
		// look for one of id among them.
		if err := scan(txn, key1(pCustody), false, func(k, _ []byte) (bool, error) {
			if len(k) == 1+32+16 && bytes.Equal(k[33:], id[:]) {
				dels = append(dels, k)
			}
			return true, nil
		}); err != nil {
			return 0, err
		}
	}
	if err := scan(txn, keyID(pEditVersions, id), false, func(k, _ []byte) (bool, error) {
		dels = append(dels, k)
		return true, nil
	}); err != nil {
		return 0, err
	}
	for _, k := range dels {
		ok, err := exists(txn, k)
		if err != nil {
			return 0, err
		}
		if !ok {
			continue
		}
		if err := txn.Delete(k); err != nil {
			return 0, err
		}
		changed++
	}
	return changed, nil
}

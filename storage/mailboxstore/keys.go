package mailboxstore

import (
	"encoding/binary"

	"github.com/pigeon-net/pigeon/protocol/mailbox"
)

const (
	pSchema   = 'V'
	pSeq      = 'S'
	pReg      = 'R'
	pQueue    = 'Q'
	pIndex    = 'I'
	pPreKey   = 'K'
	pSignedPK = 'k'
	pPush     = 'P'

	schemaVersion = 1
	recordVersion = 1

	boxKeySize   = 1 + 32 + 4
	queueKeySize = boxKeySize + 8
	indexKeySize = boxKeySize + 16
	queueHeader  = 1 + 16 + 8     // version, id, depositedAtMs
	indexSize    = 8 + 32 + 8 + 4 // seq, sha256, depositedAtMs, len
	regHeader    = 1 + 8 + 8      // version, seq, expiresAtMs
	preKeyKey    = boxKeySize + 4
)

func boxKey(prefix byte, box mailbox.Box, extra int) []byte {
	k := make([]byte, boxKeySize, boxKeySize+extra)
	k[0] = prefix
	copy(k[1:33], box.Account[:])
	binary.BigEndian.PutUint32(k[33:37], box.Device)
	return k
}

func regKey(box mailbox.Box) []byte { return boxKey(pReg, box, 0) }

func pushKey(box mailbox.Box) []byte { return boxKey(pPush, box, 0) }

func queueKey(box mailbox.Box, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(boxKey(pQueue, box, 8), seq)
}

func indexKey(box mailbox.Box, id mailbox.DepositID) []byte {
	return append(boxKey(pIndex, box, 16), id[:]...)
}

func preKeyKeyOf(box mailbox.Box, id uint32) []byte {
	return binary.BigEndian.AppendUint32(boxKey(pPreKey, box, 4), id)
}

// indexPrefix covers every device of an account.
func accountIndexPrefix(account [32]byte) []byte {
	return append([]byte{pIndex}, account[:]...)
}

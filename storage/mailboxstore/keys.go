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
	pIndex    = 'I' // schema 1 only: the deposit index
	pCounter  = 'C' // schema 1 only: stored quota counters
	pPreKey   = 'K'
	pSignedPK = 'k'
	pPush     = 'P'
	pClosed   = 'X'

	schemaVersion = 2
	recordVersion = 1
	regVersion2   = 2 // registration with list version and deposit keys

	// strangerFlag marks, in a queue key's length field, a deposit taken
	// without a valid credential (envelopes are far below 2^31 bytes).
	strangerFlag = 1 << 31

	boxKeySize   = 1 + 32 + 4
	queueKeySize = boxKeySize + 8 + 16 + 4 // seq, id, envelope length
	v1QueueKey   = boxKeySize + 8          // schema 1: seq
	depositSize  = 32 + 4 + 16             // a deposit's name: account, device, id
	queueHeader  = 1 + 16 + 8              // version, id, depositedAtMs
	regHeader    = 1 + 8 + 8               // version, seq, expiresAtMs
	reg2Header   = regHeader + 8 + 1       // then listVersion, number of deposit keys
	closedSize   = 1 + 8 + 8               // version, seq, closedAtMs
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

func closedKey(box mailbox.Box) []byte { return boxKey(pClosed, box, 0) }

// queueSeek is where a box's queue entries from seq on start.
func queueSeek(box mailbox.Box, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(boxKey(pQueue, box, 8), seq)
}

// queueKey is a queued envelope's key.
func queueKey(box mailbox.Box, seq uint64, id mailbox.DepositID, size uint32, stranger bool) []byte {
	k := binary.BigEndian.AppendUint64(boxKey(pQueue, box, 8+16+4), seq)
	k = append(k, id[:]...)
	return binary.BigEndian.AppendUint32(k, sizeField(size, stranger))
}

// sizeField is a queue key's length field.
func sizeField(size uint32, stranger bool) uint32 {
	if stranger {
		return size | strangerFlag
	}
	return size
}

// queueEntry is what a queue key says.
type queueEntry struct {
	seq      uint64
	name     depositName
	size     uint32 // the envelope's length
	stranger bool   // taken without a valid credential
}

// parseQueueKey decodes a queue key.
func parseQueueKey(k []byte) (queueEntry, bool) {
	var e queueEntry
	if len(k) != queueKeySize || k[0] != pQueue {
		return e, false
	}
	copy(e.name[:36], k[1:boxKeySize])
	copy(e.name[36:], k[boxKeySize+8:boxKeySize+24])
	e.seq = binary.BigEndian.Uint64(k[boxKeySize:])
	f := binary.BigEndian.Uint32(k[boxKeySize+24:])
	e.size, e.stranger = f&^strangerFlag, f&strangerFlag != 0
	if e.size == 0 || e.size > mailbox.MaxEnvelopeSize {
		return e, false
	}
	return e, true
}

// depositName is a deposit's account, device and id: what the deposit
// index is keyed by.
type depositName [depositSize]byte

func nameOf(box mailbox.Box, id mailbox.DepositID) depositName {
	var n depositName
	copy(n[:32], box.Account[:])
	binary.BigEndian.PutUint32(n[32:36], box.Device)
	copy(n[36:], id[:])
	return n
}

func preKeyKeyOf(box mailbox.Box, id uint32) []byte {
	return binary.BigEndian.AppendUint32(boxKey(pPreKey, box, 4), id)
}

// accountQueuePrefix covers every queue of an account.
func accountQueuePrefix(account [32]byte) []byte {
	return append([]byte{pQueue}, account[:]...)
}

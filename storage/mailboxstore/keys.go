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

	schemaVersion = 2
	recordVersion = 1

	boxKeySize   = 1 + 32 + 4
	queueKeySize = boxKeySize + 8 + 16 + 4 // seq, id, envelope length
	v1QueueKey   = boxKeySize + 8          // schema 1: seq
	depositSize  = 32 + 4 + 16             // a deposit's name: account, device, id
	queueHeader  = 1 + 16 + 8              // version, id, depositedAtMs
	regHeader    = 1 + 8 + 8               // version, seq, expiresAtMs
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

// queueSeek is where a box's queue entries from seq on start.
func queueSeek(box mailbox.Box, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(boxKey(pQueue, box, 8), seq)
}

// queueKey is a queued envelope's key.
func queueKey(box mailbox.Box, seq uint64, id mailbox.DepositID, size uint32) []byte {
	k := binary.BigEndian.AppendUint64(boxKey(pQueue, box, 8+16+4), seq)
	k = append(k, id[:]...)
	return binary.BigEndian.AppendUint32(k, size)
}

// parseQueueKey returns a queue key's sequence, deposit name and envelope
// length.
func parseQueueKey(k []byte) (seq uint64, name depositName, size uint32, ok bool) {
	if len(k) != queueKeySize || k[0] != pQueue {
		return 0, name, 0, false
	}
	copy(name[:36], k[1:boxKeySize])
	copy(name[36:], k[boxKeySize+8:boxKeySize+24])
	return binary.BigEndian.Uint64(k[boxKeySize:]), name, binary.BigEndian.Uint32(k[boxKeySize+24:]), true
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

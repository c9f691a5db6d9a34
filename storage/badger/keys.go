package badger

import (
	"encoding/binary"

	"github.com/pigeon-net/pigeon/storage"
)

// Key prefixes; doc.go describes every key and value.
const (
	pSchema        = 'V' // V → schema version
	pLocalIdentity = 'L' // L → LocalIdentity
	pIdentity      = 'I' // I addr → remote identity key
	pSession       = 'S' // S addr → session record
	pPreKey        = 'P' // P id → prekey record
	pUnissued      = 'p' // p id → empty: prekey not handed out yet
	pPreKeyNext    = 'N' // N → next one-time prekey ID
	pSignedPreKey  = 'K' // K id → signed prekey record
	pSenderKey     = 'G' // G len group addr → sender key record
	pContact       = 'C' // C account → Contact
	pHistory       = 'H' // H peer id → Message
	pMessageIndex  = 'M' // M id → peer
	pUnread        = 'U' // U peer id → empty
	pSummary       = 'R' // R peer → summary
	pOutbox        = 'O' // O id → OutboxItem
	pDeviceList    = 'D' // D account → raw device list
	pSetting       = 'X' // X name → setting value
	pCustody       = 'T' // T recipient id → Custody (custody.go)

	// Groups (group.go).
	pGroup        = 'g' // g group → Group record
	pGroupOp      = 'o' // o group hash → signed op
	pGroupArchive = 'q' // q group sender device seq → message ID, envelope (TTL)
	pGroupSeq     = 's' // s group sender device → highest seq held with none missing below
	pGroupPending = 'w' // w group id → envelope waiting for a key or a membership (TTL)
	pGroupKeySent = 'd' // d group account device → key ID of our sender key it was sent
	pGroupReceipt = 'y' // y id account → state of our group message at that member
	pBlock        = 'B' // B multihash → block bytes
	pAttachment   = 'A' // A kind ... → attachment records (media.go)

	pAcctLog = 'a' // a kind ... → the account log (acctlog.go)

	// Message actions (actions.go).
	pEditVersion = 'E' // E id version → a version of an edited message's text
	pReaction    = 'r' // r id reactor → the reactor's reaction to the message
	pTombstone   = 't' // t id → tombstone of a deleted message: chat and who deleted it
	pWaiting     = 'W' // W target → the actions waiting for the message (TTL)
	pIndexQueue  = 'i' // i id → empty: the message changed for search (searchqueue.go)
	// Profiles, blocking and message requests (social.go).
	pProfile = 'n' // n account → profile record (a marshaled pb.Profile)
	pBlocked = 'b' // b account → empty: blocked
	pRequest = 'k' // k account → empty: the conversation is a message request
	// Conversation features (convprefs.go).
	pQuote     = 'Q' // Q id → the quote reply id carries
	pChatPrefs = 'c' // c chat → the conversation's preferences
	// Disappearing messages (expiry.go).
	pDeadline   = 'e' // e deadline(8) id → chat: the sweep's index
	pExpiry     = 'f' // f kind chat ... → timers, countdowns, reads
	pMessageOps = 'm' // m id kind ... → what else carries message id: ops, outbox items (purge.go)
)

// schemaVersion is the layout version stored under the V key (see
// migrate.go for the changes between versions).
const schemaVersion = 2

func key1(p byte) []byte { return []byte{p} }

func keyStr(p byte, s string) []byte {
	k := make([]byte, 0, 1+len(s))
	k = append(k, p)
	return append(k, s...)
}

func keyU32(p byte, v uint32) []byte {
	k := make([]byte, 5)
	k[0] = p
	binary.BigEndian.PutUint32(k[1:], v)
	return k
}

func keyAccount(p byte, a storage.Account) []byte {
	k := make([]byte, 0, 1+len(a))
	k = append(k, p)
	return append(k, a[:]...)
}

func keyID(p byte, id storage.MessageID) []byte {
	k := make([]byte, 0, 1+len(id))
	k = append(k, p)
	return append(k, id[:]...)
}

func keyAccountID(p byte, a storage.Account, id storage.MessageID) []byte {
	k := make([]byte, 0, 1+len(a)+len(id))
	k = append(k, p)
	k = append(k, a[:]...)
	return append(k, id[:]...)
}

// keySenderKey is G, the group ID length as 2 bytes big endian, the group ID,
// then the sender's address string. Group IDs longer than 65535 bytes are
// refused by the caller.
func keySenderKey(groupID, sender string) []byte {
	k := make([]byte, 0, 3+len(groupID)+len(sender))
	k = append(k, pSenderKey)
	k = binary.BigEndian.AppendUint16(k, uint16(len(groupID)))
	k = append(k, groupID...)
	return append(k, sender...)
}

package storage

import "time"

// AttachmentState says where an attachment's blocks are.
type AttachmentState uint8

const (
	// AttachmentRemote: the blocks are (partly) elsewhere; fetch on demand.
	AttachmentRemote AttachmentState = iota + 1
	// AttachmentFetching: a download is running.
	AttachmentFetching
	// AttachmentLocal: every block is in the local block store (for sent
	// files, from the start).
	AttachmentLocal
	// AttachmentFailed: the last download failed (Error says why); it may
	// be retried.
	AttachmentFailed
	// AttachmentRemoved: the local blocks were dropped on request; the
	// message stays, and the file may be fetched again.
	AttachmentRemoved
	// AttachmentRetrying: a download attempt failed because no provider
	// could be reached (the sender is away, say); the node tries again
	// until RetryUntil (Error says why the last attempt failed).
	AttachmentRetrying
)

func (s AttachmentState) String() string {
	switch s {
	case AttachmentRemote:
		return "remote"
	case AttachmentFetching:
		return "fetching"
	case AttachmentLocal:
		return "local"
	case AttachmentFailed:
		return "failed"
	case AttachmentRemoved:
		return "removed"
	case AttachmentRetrying:
		return "retrying"
	}
	return "unknown"
}

// Attachment is the media a message carries, as this node holds it.
type Attachment struct {
	ID        MessageID // the message's
	Peer      Account   // the conversation
	Direction Direction
	// Manifest is the marshaled pb.Media: key, digests, root, size, type,
	// name, thumbnail, caption.
	Manifest []byte
	// Root is the DAG root CID (binary), kept beside the manifest for
	// garbage collection.
	Root  []byte
	Size  uint64 // plaintext bytes
	State AttachmentState
	// Providers are peers (binary peer IDs) known to hold the blocks: the
	// sending device, relays it pinned them at.
	Providers [][]byte
	Error     string // why the last download failed
	CreatedAt time.Time
	// RetryUntil is when a running download stops retrying and fails;
	// zero when none runs.
	RetryUntil time.Time
}

// Pin is a relay's promise to keep a media DAG for a device it holds a
// mailbox for, until Until.
type Pin struct {
	Account Account
	Device  uint32
	Root    []byte // binary CID
	Size    uint64 // ciphertext bytes
	Until   time.Time
}

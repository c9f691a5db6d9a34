package rt

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"slices"
	"time"

	"github.com/pigeon-net/pigeon/storage"
)

// Op is an operation of the account log as a feature folds it: a change
// one device of this account made (a message sent or received, a read
// marker, a contact renamed) that every other device applies too.
type Op struct {
	Device  uint32 // the device that made it
	Seq     uint64 // its number among that device's operations, from 1
	Lamport uint64 // logical time: orders concurrent changes (Later)
	At      time.Time
	Kind    string
	Body    []byte
}

// Later reports whether a comes after b in the log's total order (Lamport
// time, then device, then sequence number): the order last-writer-wins
// folds use, the same on every device.
func (a Op) Later(b Op) bool {
	if a.Lamport != b.Lamport {
		return a.Lamport > b.Lamport
	}
	if a.Device != b.Device {
		return a.Device > b.Device
	}
	return a.Seq > b.Seq
}

// Fold applies an operation another device of this account made to a
// feature's state, in the transaction ctx carries. A fold must be
// idempotent and give the same state whatever order the kind's
// operations arrive in. after (nil for nothing) runs once the
// transaction committed: events, work in the background.
type Fold func(ctx context.Context, op Op) (after func(ctx context.Context), err error)

// Ops is the account log as features use it.
type Ops interface {
	// HandleOp claims an operation kind ("feature.what") and folds
	// other devices' operations of it with fold.
	HandleOp(kind string, fold Fold)
	// CarriesMessage says that operations of kind carry a message (its
	// text, its file's reference): idOf returns the message's ID from an
	// operation's body (ok false when the body names none). The account
	// log indexes every such operation it records or takes, so that
	// deleting the message (storage's DeleteMessage) redacts it.
	CarriesMessage(kind string, idOf func(body []byte) (id storage.MessageID, ok bool))
	// HandleState adds a part to the account's state hash: digest writes
	// the state the feature's folds produce, in a canonical order, so
	// that devices holding the same operations write the same bytes.
	HandleState(part string, digest func(ctx context.Context, w io.Writer) error)
	// Append records an operation this device made, in the transaction
	// ctx carries, together with the change it describes (which the
	// feature makes itself; its fold is not called). It returns the
	// operation (for last-writer-wins state, its place in the log's
	// order) and the outbox items that carry it to this account's other
	// devices: enqueue them after commit.
	Append(ctx context.Context, kind string, body []byte) (Op, []storage.OutboxItem, error)
	// Note records an operation like Append but sends it to no device:
	// for changes every device of the account makes by itself (a message
	// each of them received from its sender). The others get it when they
	// pull: a device linked later, in its history transfer.
	Note(ctx context.Context, kind string, body []byte) (Op, error)
	// FoldState reads a small value a fold keeps under key (a read
	// marker, the stamp of the last change that won), nil when unset, in
	// the transaction ctx carries; PutFoldState writes it.
	FoldState(ctx context.Context, key string) ([]byte, error)
	PutFoldState(ctx context.Context, key string, value []byte) error
}

// stampSize is the size of an operation's stamp: Lamport time, device and
// sequence number, big endian.
const stampSize = 8 + 4 + 8

// Stamp is op's place in the log's order, as bytes a fold keeps.
func (a Op) Stamp() []byte {
	b := binary.BigEndian.AppendUint64(make([]byte, 0, stampSize), a.Lamport)
	b = binary.BigEndian.AppendUint32(b, a.Device)
	return binary.BigEndian.AppendUint64(b, a.Seq)
}

// Wins records op as the latest change to what key names when it is later
// than the one recorded (Later), in ctx's transaction, and reports whether
// it was: a last-writer-wins fold applies op only then. The value kept is
// op's stamp followed by value.
func Wins(ctx context.Context, ops Ops, key string, op Op, value []byte) (bool, error) {
	old, err := ops.FoldState(ctx, key)
	if err != nil {
		return false, err
	}
	if len(old) >= stampSize {
		prev := Op{
			Lamport: binary.BigEndian.Uint64(old), Device: binary.BigEndian.Uint32(old[8:]),
			Seq: binary.BigEndian.Uint64(old[12:]),
		}
		if !op.Later(prev) {
			return false, nil
		}
	}
	return true, ops.PutFoldState(ctx, key, append(op.Stamp(), value...))
}

// WinningValue returns the value Wins kept under key, nil when none.
func WinningValue(ctx context.Context, ops Ops, key string) ([]byte, error) {
	v, err := ops.FoldState(ctx, key)
	if err != nil || len(v) < stampSize {
		return nil, err
	}
	return v[stampSize:], nil
}

// AppendLatest records an operation this device made (Append) and marks
// it the latest change to what key names (Wins), in ctx's transaction:
// for last-writer-wins state such as a contact or a setting. It returns
// the outbox items to enqueue after commit.
func AppendLatest(ctx context.Context, ops Ops, kind, key string, body []byte) ([]storage.OutboxItem, error) {
	op, items, err := ops.Append(ctx, kind, body)
	if err != nil {
		return nil, err
	}
	if _, err := Wins(ctx, ops, key, op, nil); err != nil {
		return nil, err
	}
	return items, nil
}

// ReadKey names the fold state (Ops.FoldState) that holds how far the 1:1
// chat with peer was read on any device of the account: the chats
// feature keeps it; features that store messages of the chat (files)
// read it to store them read.
func ReadKey(peer storage.Account) string { return "chats.read/" + string(peer[:]) }

// ReadBefore reports whether the 1:1 chat with peer was read, on some
// device of the account, up to message id or past it (ReadKey), in
// ctx's transaction.
func ReadBefore(ctx context.Context, ops Ops, peer storage.Account, id storage.MessageID) bool {
	marker, err := ops.FoldState(ctx, ReadKey(peer))
	return err == nil && marker != nil && bytes.Compare(id[:], marker) <= 0
}

// HistoryStore is the store, narrowed to what ChatHistories reads.
type HistoryStore interface {
	Conversations(ctx context.Context) ([]storage.Conversation, error)
	History(ctx context.Context, peer storage.Account, before storage.MessageID, limit int) ([]storage.Message, error)
}

// ChatHistories calls fn for each group chat (group) or 1:1 chat (!group),
// in the order of their IDs, with its whole history oldest first: what
// the features' parts of the account's state hash go through.
func ChatHistories(ctx context.Context, st HistoryStore, group bool, fn func(c storage.Conversation, ms []storage.Message)) error {
	const page = 1000
	convs, err := st.Conversations(ctx)
	if err != nil {
		return err
	}
	slices.SortFunc(convs, func(a, b storage.Conversation) int { return bytes.Compare(a.Peer[:], b.Peer[:]) })
	for _, c := range convs {
		if c.Last.Group != group {
			continue
		}
		var pages [][]storage.Message // newest first
		var before storage.MessageID
		for {
			p, err := st.History(ctx, c.Peer, before, page)
			if err != nil {
				return err
			}
			pages = append(pages, p)
			if len(p) < page {
				break
			}
			before = p[0].ID
		}
		var ms []storage.Message
		for i := len(pages) - 1; i >= 0; i-- {
			ms = append(ms, pages[i]...)
		}
		fn(c, ms)
	}
	return nil
}

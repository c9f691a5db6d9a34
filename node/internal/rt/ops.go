package rt

import (
	"context"
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
	// Append records an operation this device made, in the transaction
	// ctx carries, together with the change it describes (which the
	// feature makes itself; its fold is not called). It returns the
	// operation (for last-writer-wins state, its place in the log's
	// order) and the outbox items that carry it to this account's other
	// devices: enqueue them after commit.
	Append(ctx context.Context, kind string, body []byte) (Op, []storage.OutboxItem, error)
	// FoldState reads a small value a fold keeps under key (a read
	// marker, the stamp of the last change that won), nil when unset, in
	// the transaction ctx carries; PutFoldState writes it.
	FoldState(ctx context.Context, key string) ([]byte, error)
	PutFoldState(ctx context.Context, key string, value []byte) error
}

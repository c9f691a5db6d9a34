package rt

import (
	"bytes"
	"context"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/storage"
)

// NoteRead keeps, in ctx's transaction, how far the chat with peer (an
// account, or a group's ID) was read on some device of the account
// (ReadKey), unless a later mark is held.
func NoteRead(ctx context.Context, ops Ops, peer storage.Account, upTo storage.MessageID) error {
	old, err := ops.FoldState(ctx, ReadKey(peer))
	if err != nil || bytes.Compare(old, upTo[:]) >= 0 {
		return err
	}
	return ops.PutFoldState(ctx, ReadKey(peer), upTo[:])
}

// ReadFold is what FoldRead needs of a feature.
type ReadFold struct {
	Ops   Ops
	Store interface {
		UnreadIncoming(ctx context.Context, peer storage.Account) ([]storage.Message, error)
	}
	States interface {
		SetState(ctx context.Context, id core.MessageID, st core.State) ([]core.Event, error)
	}
	// Expiry starts the countdowns of the chat's disappearing messages up
	// to upTo from at; the function it returns runs after commit.
	Expiry  func(ctx context.Context, chat storage.Account, upTo storage.MessageID, at time.Time) (func(), error)
	Publish func(core.Event)
}

// FoldRead applies, in ctx's transaction, a read another device of the
// account made at at: the chat's mark (NoteRead), its disappearing
// messages' countdowns from at, and its incoming messages up to upTo
// read, without receipts (the device where it was read sent them). The
// returned function publishes what changed, after commit.
func (f ReadFold) FoldRead(ctx context.Context, peer storage.Account, upTo storage.MessageID, at time.Time) (func(context.Context), error) {
	if err := NoteRead(ctx, f.Ops, peer, upTo); err != nil {
		return nil, err
	}
	expired, err := f.Expiry(ctx, peer, upTo, at)
	if err != nil {
		return nil, err
	}
	unread, err := f.Store.UnreadIncoming(ctx, peer)
	if err != nil {
		return nil, err
	}
	var events []core.Event
	for _, m := range unread {
		if bytes.Compare(m.ID[:], upTo[:]) > 0 {
			continue
		}
		ev, err := f.States.SetState(ctx, core.MessageID(m.ID), core.Read)
		if err != nil {
			return nil, err
		}
		events = append(events, ev...)
	}
	return func(context.Context) {
		if expired != nil {
			expired()
		}
		for _, e := range events {
			f.Publish(e)
		}
	}, nil
}

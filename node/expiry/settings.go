package expiry

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// SetDefault sets the timer new 1:1 chats start with (0: off), on every
// device of the account (the latest change wins). It applies when this
// account sends the first message of a chat; chats that have messages
// keep their timer.
func (s *Service) SetDefault(ctx context.Context, d time.Duration) error {
	const op = "set default timer"
	if err := s.ready(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := CheckTimer(d); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	secs := uint32(d / time.Second)
	body, err := proto.Marshal(&pb.OpDefaultTimer{Seconds: secs})
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	var items []storage.OutboxItem
	err = s.d.Store.Update(ctx, func(ctx context.Context) error {
		o, its, err := s.d.Ops.Append(ctx, OpDefault, body)
		if err != nil {
			return err
		}
		items = its
		_, err = rt.Wins(ctx, s.d.Ops, defaultKey, o, binary.BigEndian.AppendUint32(nil, secs))
		return err
	})
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	for _, it := range items {
		s.d.Outbox.Enqueue(it)
	}
	return nil
}

// Default returns the timer new chats start with (0: off).
func (s *Service) Default(ctx context.Context) (time.Duration, error) {
	var v []byte
	err := s.d.Store.View(ctx, func(ctx context.Context) error {
		var err error
		v, err = rt.WinningValue(ctx, s.d.Ops, defaultKey)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("default timer: %w", err)
	}
	if len(v) != 4 {
		return 0, nil
	}
	return time.Duration(binary.BigEndian.Uint32(v)) * time.Second, nil
}

// foldDefault applies another device's change of the default timer when
// it is the latest.
func (s *Service) foldDefault(ctx context.Context, op rt.Op) (func(context.Context), error) {
	var body pb.OpDefaultTimer
	if len(op.Body) > maxOpSize {
		return nil, fmt.Errorf("%w: %s of %d bytes", rt.ErrBadContent, OpDefault, len(op.Body))
	}
	if err := proto.Unmarshal(op.Body, &body); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", rt.ErrBadContent, OpDefault, err)
	}
	if err := CheckTimer(time.Duration(body.Seconds) * time.Second); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", rt.ErrBadContent, OpDefault, err)
	}
	_, err := rt.Wins(ctx, s.d.Ops, defaultKey, op, binary.BigEndian.AppendUint32(nil, body.Seconds))
	return nil, err
}

// digest writes the feature's part of the account's state hash: each
// chat's timer (and the change that set it), then the default timer.
func (s *Service) digest(ctx context.Context, w io.Writer) error {
	err := s.d.Store.Timers(ctx, func(chat storage.Account, record []byte) {
		t, err := decodeTimer(record)
		if err != nil {
			fmt.Fprintf(w, "%x bad\n", chat)
			return
		}
		fmt.Fprintf(w, "%x %d %d %x %x\n", chat, t.Seconds, t.Version, t.Setter, t.MessageId)
	})
	if err != nil {
		return err
	}
	v, err := rt.WinningValue(ctx, s.d.Ops, defaultKey)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "default %x\n", v)
	return nil
}

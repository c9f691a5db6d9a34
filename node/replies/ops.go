package replies

import (
	"context"
	"errors"
	"fmt"
	"io"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// OpQuote (pb.OpQuote) is the account-log operation of a reply's quote:
// the operations that carry messages to the account's other devices do
// not all carry quotes (a group text, a file), so every device that stores
// a reply records its quote too.
const OpQuote = "replies.quote"

// DecodeOp decodes and checks the body of a replies.quote operation;
// every error wraps rt.ErrBadContent.
func DecodeOp(b []byte) (storage.MessageID, *pb.Quote, error) {
	if len(b) > MaxOpSize {
		return storage.MessageID{}, nil, fmt.Errorf("%w: %s of %d bytes", rt.ErrBadContent, OpQuote, len(b))
	}
	var body pb.OpQuote
	if err := proto.Unmarshal(b, &body); err != nil {
		return storage.MessageID{}, nil, fmt.Errorf("%w: %s: %v", rt.ErrBadContent, OpQuote, err)
	}
	reply, err := storage.MessageIDFromBytes(body.MessageId)
	if err != nil {
		return storage.MessageID{}, nil, fmt.Errorf("%w: %s: reply ID: %v", rt.ErrBadContent, OpQuote, err)
	}
	if err := Check(body.Quote); err != nil {
		return storage.MessageID{}, nil, fmt.Errorf("%w: %s: %v", rt.ErrBadContent, OpQuote, err)
	}
	return reply, body.Quote, nil
}

// fold keeps the quote of a reply another device of ours stored, and
// marks the reply (when held) as replying to the original. The message's
// own operation may come before or after: the quote is kept either way,
// and Of reads it from there.
func (s *Service) fold(ctx context.Context, op rt.Op) (func(context.Context), error) {
	reply, q, err := DecodeOp(op.Body)
	if err != nil {
		return nil, err
	}
	if dead, err := s.d.Store.Tombstoned(ctx, reply); err != nil || dead {
		return nil, err // the reply was deleted: its quote goes with it
	}
	if err := s.put(ctx, reply, q); err != nil {
		return nil, err
	}
	original := storage.MessageID(q.MessageId)
	_, err = s.d.Store.UpdateMessage(ctx, reply, func(m *storage.Message) error {
		if m.ReplyTo.IsZero() {
			m.ReplyTo = original
		}
		return nil
	})
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return nil, err
	}
	return nil, nil
}

// digest writes every reply's quote for the account's state hash, in
// reply ID order: what it quotes and its author (not the text, preview
// and name, which a device blanks when it removes the original).
func (s *Service) digest(ctx context.Context, w io.Writer) error {
	return s.d.Store.ForEachQuote(ctx, func(reply storage.MessageID, raw []byte) error {
		var q pb.Quote
		if err := proto.Unmarshal(raw, &q); err != nil {
			return err
		}
		fmt.Fprintf(w, "%x %x %x\n", reply, q.MessageId, q.Author)
		return nil
	})
}

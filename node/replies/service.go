package replies

import (
	"context"
	"errors"
	"fmt"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	pmedia "github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Limits of a quote, checked on what is sent and what is received.
const (
	// MaxSnippet is the most characters of the original's text or
	// caption a quote carries.
	MaxSnippet = 200
	// MaxThumbnail bounds a quoted file's preview, in bytes.
	MaxThumbnail = 16 << 10
	// MaxFileName bounds a quoted file's name, in bytes of UTF-8.
	MaxFileName = pmedia.MaxFileNameSize
	// MaxOpSize bounds the body of a replies.quote operation.
	MaxOpSize = MaxThumbnail + 4*MaxSnippet + MaxFileName + 256
)

// ErrNotInChat is returned by Quote when the message replied to is not a
// message of the chat the reply goes to (or not stored here).
var ErrNotInChat = errors.New("the message replied to is not in this chat")

// State is what became of a quoted original on this device.
type State uint8

const (
	StateUnknown State = iota // never stored here, or removed here
	StateOK                   // stored here
	StateDeleted              // deleted for everyone by its author
)

func (s State) String() string {
	switch s {
	case StateOK:
		return "ok"
	case StateDeleted:
		return "deleted"
	}
	return "unknown"
}

// Reply is what a message replies to, as its quote says.
type Reply struct {
	ID           core.MessageID // the original
	Author       core.AccountID
	Snippet      string // empty when the original was deleted
	HasThumbnail bool
	FileName     string
	State        State
}

// Service is a node's replies (n.Replies()).
type Service struct {
	d Deps
}

// New returns the replies feature and claims its account-log operation;
// it does no I/O (node calls this).
func New(d Deps) (*Service, error) {
	if d.Store == nil || d.Ops == nil || d.Ready == nil {
		return nil, errors.New("replies: incomplete deps")
	}
	s := &Service{d: d}
	d.Ops.HandleOp(OpQuote, s.fold)
	d.Ops.CarriesMessage(OpQuote, quotedMessageOfOp)
	d.Ops.HandleState("replies", s.digest)
	return s, nil
}

// quotedMessageOfOp names the message a quote operation holds a snippet
// and preview of (the original, not the reply), so that deleting the
// original redacts them from the account log too.
func quotedMessageOfOp(body []byte) (storage.MessageID, bool) {
	var op pb.OpQuote
	if proto.Unmarshal(body, &op) != nil {
		return storage.MessageID{}, false
	}
	id, err := storage.MessageIDFromBytes(op.GetQuote().GetMessageId())
	return id, err == nil
}

// Quote builds the quote of message id for a reply sent in the chat whose
// store key is chat (an account or a group ID): its author, the start of
// its text or caption, and for a file its name and preview. It fails with
// ErrNotInChat when id is not a message of that chat held here.
func (s *Service) Quote(ctx context.Context, chat storage.Account, id storage.MessageID) (*pb.Quote, error) {
	m, err := s.d.Store.Message(ctx, id)
	if errors.Is(err, storage.ErrNotFound) || err == nil && m.Peer != chat {
		return nil, fmt.Errorf("quote %x: %w", id[:], ErrNotInChat)
	}
	if err != nil {
		return nil, fmt.Errorf("quote %x: %w", id[:], err)
	}
	q := &pb.Quote{MessageId: id[:], Author: m.Sender[:], Snippet: snippet(m.Text)}
	switch a, err := s.d.Store.Attachment(ctx, id); {
	case errors.Is(err, storage.ErrNotFound):
	case err != nil:
		return nil, fmt.Errorf("quote %x: %w", id[:], err)
	default:
		f, err := pmedia.DecodeManifest(a.Manifest)
		if err != nil {
			return nil, fmt.Errorf("quote %x: %w", id[:], err)
		}
		q.FileName = f.FileName
		if len(q.FileName) > MaxFileName {
			q.FileName = ""
		}
		q.Thumbnail = quoteThumbnail(f.GetThumbnail().GetData())
	}
	return q, nil
}

// snippet is the start of text, at most MaxSnippet characters.
func snippet(text string) string {
	n := 0
	for i := range text {
		if n == MaxSnippet {
			return text[:i]
		}
		n++
	}
	return text
}

// Check checks a quote received from a peer or another device: the
// original's ID and author, and the bounds of what it shows.
func Check(q *pb.Quote) error {
	switch {
	case q == nil:
		return errors.New("no quote")
	case len(q.MessageId) != len(storage.MessageID{}):
		return fmt.Errorf("quote: message ID of %d bytes", len(q.MessageId))
	case len(q.Author) != len(storage.Account{}):
		return fmt.Errorf("quote: author of %d bytes", len(q.Author))
	case len(q.Snippet) > 4*MaxSnippet || !utf8.ValidString(q.Snippet) || utf8.RuneCountInString(q.Snippet) > MaxSnippet:
		return errors.New("quote: snippet too long or not UTF-8")
	case len(q.Thumbnail) > MaxThumbnail:
		return fmt.Errorf("quote: preview of %d bytes", len(q.Thumbnail))
	case len(q.FileName) > MaxFileName || !utf8.ValidString(q.FileName):
		return errors.New("quote: file name too long or not UTF-8")
	}
	return nil
}

// ReplyTo returns the ID of the message q quotes, zero when q is nil or
// not a valid quote (the message is kept, without its quote).
func ReplyTo(q *pb.Quote) storage.MessageID {
	if Check(q) != nil {
		return storage.MessageID{}
	}
	return storage.MessageID(q.MessageId)
}

// ReplyTo is the package's ReplyTo, for the features' Quotes dependency.
func (s *Service) ReplyTo(q *pb.Quote) storage.MessageID { return ReplyTo(q) }

// Held returns the message reply answers when its quote is stored here
// (zero when not, or on error): a message folded from an operation that
// carries no quote (a group text, a file) after the replies.quote
// operation that did.
func (s *Service) Held(ctx context.Context, reply storage.MessageID) storage.MessageID {
	q, err := s.quote(ctx, rt.CoreID(reply))
	if err != nil || q == nil {
		return storage.MessageID{}
	}
	return storage.MessageID(q.MessageId)
}

// Keep stores the quote q that message reply carries (sent or received
// here) and records it in the account log, in ctx's transaction; nil or
// invalid quotes are skipped. push sends the operation to the account's
// other devices at once (enqueue the items returned after commit), else
// they get it when they pull (those that received the reply themselves
// hold its quote already).
func (s *Service) Keep(ctx context.Context, reply storage.MessageID, q *pb.Quote, push bool) ([]storage.OutboxItem, error) {
	if Check(q) != nil {
		return nil, nil
	}
	if err := s.put(ctx, reply, q); err != nil {
		return nil, fmt.Errorf("keep quote: %w", err)
	}
	body, err := proto.Marshal(&pb.OpQuote{MessageId: reply[:], Quote: q})
	if err != nil {
		return nil, fmt.Errorf("keep quote: %w", err)
	}
	if !push {
		_, err := s.d.Ops.Note(ctx, OpQuote, body)
		return nil, err
	}
	_, items, err := s.d.Ops.Append(ctx, OpQuote, body)
	return items, err
}

func (s *Service) put(ctx context.Context, reply storage.MessageID, q *pb.Quote) error {
	raw, err := proto.MarshalOptions{Deterministic: true}.Marshal(&pb.Quote{
		MessageId: q.MessageId, Author: q.Author, Snippet: q.Snippet, Thumbnail: q.Thumbnail, FileName: q.FileName,
	})
	if err != nil {
		return err
	}
	return s.d.Store.PutQuote(ctx, reply, raw)
}

// ready returns why the node cannot serve calls (not started, closed).
func (s *Service) ready() error {
	if s == nil {
		return core.ErrNotStarted
	}
	return s.d.Ready()
}

// quote returns the quote message reply carries, nil when none.
func (s *Service) quote(ctx context.Context, reply core.MessageID) (*pb.Quote, error) {
	raw, err := s.d.Store.Quote(ctx, rt.ID(reply))
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var q pb.Quote
	if err := proto.Unmarshal(raw, &q); err != nil {
		return nil, fmt.Errorf("quote of %s: %w", reply, err)
	}
	if err := Check(&q); err != nil {
		return nil, fmt.Errorf("quote of %s: %w", reply, err)
	}
	return &q, nil
}

// Of returns what message id replies to; ok is false when it is not a
// reply.
func (s *Service) Of(ctx context.Context, id core.MessageID) (r Reply, ok bool, err error) {
	if err := s.ready(); err != nil {
		return Reply{}, false, fmt.Errorf("reply of %s: %w", id, err)
	}
	q, err := s.quote(ctx, id)
	if err != nil || q == nil {
		return Reply{}, false, err
	}
	r = Reply{
		ID: core.MessageID(q.MessageId), Author: core.AccountID(q.Author), Snippet: q.Snippet,
		HasThumbnail: len(q.Thumbnail) > 0, FileName: q.FileName,
	}
	if r.State, err = s.state(ctx, rt.ID(r.ID)); err != nil {
		return Reply{}, false, fmt.Errorf("reply of %s: %w", id, err)
	}
	if r.State == StateDeleted {
		r.Snippet, r.HasThumbnail, r.FileName = "", false, ""
	}
	return r, true, nil
}

// state says what became of original id here.
func (s *Service) state(ctx context.Context, id storage.MessageID) (State, error) {
	switch _, err := s.d.Store.Message(ctx, id); {
	case err == nil:
		return StateOK, nil
	case !errors.Is(err, storage.ErrNotFound):
		return StateUnknown, err
	}
	if dead, err := s.d.Store.Tombstoned(ctx, id); err != nil || dead {
		return StateDeleted, err
	}
	return StateUnknown, nil
}

// Thumbnail returns the preview of the file message id quotes (JPEG,
// PNG or GIF, at most MaxThumbnail bytes); storage.ErrNotFound when it
// quotes none, or its original was deleted.
func (s *Service) Thumbnail(ctx context.Context, id core.MessageID) ([]byte, error) {
	r, ok, err := s.Of(ctx, id)
	if err != nil {
		return nil, err
	}
	if !ok || !r.HasThumbnail {
		return nil, fmt.Errorf("quote preview of %s: %w", id, storage.ErrNotFound)
	}
	q, err := s.quote(ctx, id)
	if err != nil {
		return nil, err
	}
	return q.Thumbnail, nil
}

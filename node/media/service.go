package media

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	pmedia "github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Errors of the media feature.
var (
	// ErrNoMedia is returned for messages without an attachment.
	ErrNoMedia = errors.New("message has no attachment")
	// ErrDownloading is returned when removing an attachment whose
	// download did not stop before the call's context ended.
	ErrDownloading = errors.New("attachment is being downloaded")
)

// Defaults.
const (
	// DefaultAutoDownload is the largest attachment fetched without being
	// asked.
	DefaultAutoDownload = 16 << 20
	// DefaultRetry is how long a download keeps trying when no provider
	// of the file can be reached (the sender is offline, say) before it
	// fails (node.WithMediaRetry).
	DefaultRetry = 24 * time.Hour
	// MaxClientThumbnail bounds a client-provided preview image.
	MaxClientThumbnail = 4 << 20
)

// Service is a node's files (node.Node.Media returns it). Its methods are
// safe for concurrent use; before the node started they return
// core.ErrNotStarted, after it closed core.ErrClosed.
type Service struct {
	d         Deps
	log       *slog.Logger
	collector *pmedia.Collector
	server    *pmedia.Server // set by Start
	dl        *downloads
	cp        *copies
}

// State says where an attachment's blocks are.
type State uint8

// The states of an attachment, as the store's (storage.AttachmentState).
const (
	// Remote: the blocks are (partly) elsewhere; fetched on demand.
	Remote State = iota + 1
	// Fetching: a download runs.
	Fetching
	// Local: every block is here (for sent files, from the start).
	Local
	// Failed: the last download failed (Info.Error says why); it may be
	// asked for again.
	Failed
	// Removed: the local blocks were dropped on request (Delete); the
	// message stays, and the file may be fetched again.
	Removed
	// Retrying: a download attempt failed because no provider could be
	// reached; the node tries again until Info.RetryUntil.
	Retrying
)

func (s State) String() string { return storage.AttachmentState(s).String() }

// File describes a file to send.
type File struct {
	// Name is the file name shown to the recipient (a base name; a path is
	// cut to its last element).
	Name string
	// MIME is the file's type; empty: guessed from the name, then from the
	// content.
	MIME string
	// Caption is text shown with the file (at most
	// protocol/media.MaxCaptionSize bytes).
	Caption string
	// Thumbnail is an optional preview image (JPEG, PNG or GIF) from the
	// client, for files the node cannot preview itself (videos). The node
	// makes previews of JPEG, PNG and GIF images on its own.
	Thumbnail []byte
	// ReplyTo is the message of the same chat the file replies to (zero:
	// none); see core.SendOptions.
	ReplyTo core.MessageID
}

// Thumbnail is a file's preview image.
type Thumbnail struct {
	MIME          string
	Data          []byte
	Width, Height uint32
}

// Info is an attachment as the node holds it.
type Info struct {
	ID        core.MessageID
	Chat      core.Chat
	Direction core.Direction
	State     State
	Error     string // why the last download failed
	Size      uint64 // plaintext bytes
	// Name is the sender's name for the file made safe to show and to
	// save (protocol/media.SafeName); empty when the sender gave none it
	// accepts.
	Name      string
	MIME      string
	Caption   string
	Width     uint32
	Height    uint32
	Thumbnail *Thumbnail // nil: none
	Root      string     // the DAG root CID
	CreatedAt time.Time
	// RetryUntil is when a download waiting to retry (State Retrying)
	// gives up; zero when no download runs.
	RetryUntil time.Time
}

// SaveOptions tunes SaveTo.
type SaveOptions struct {
	// Replace lets the file replace an existing one at a path the caller
	// named (never at a name chosen in a directory).
	Replace bool
}

// New returns the media feature and claims the content kinds of files
// (node's wiring). It does no I/O.
func New(d Deps) (*Service, error) {
	if d.Store == nil || d.Blocks == nil || d.Host == nil || d.Registry == nil || d.Outbox == nil || d.Groups == nil || d.Ops == nil ||
		d.Relays == nil || d.Devices == nil || d.Recipients == nil || d.Peers == nil || d.Go == nil ||
		d.RunCtx == nil || d.Ready == nil || d.Durable == nil || d.Publish == nil || d.Quotes == nil {
		return nil, errors.New("media: missing dependencies")
	}
	if d.Retry <= 0 {
		d.Retry = DefaultRetry
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.OnMessage == nil {
		d.OnMessage = func(core.AccountID) {}
	}
	if d.Expiry == nil {
		d.Expiry = noExpiry{}
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	s := &Service{d: d, log: d.Log, collector: pmedia.NewCollector()}
	s.dl = newDownloads(s, d.Now)
	s.cp = newCopies(s)
	d.Registry.HandleContent(rt.KindMedia, nil, s.takeMedia)
	d.Registry.HandleGroupContent(rt.GroupKindMedia, s.takeGroupMedia)
	d.Ops.HandleOp(OpMessage, s.foldFile)
	d.Ops.CarriesMessage(OpMessage, messageOfOp)
	d.Ops.HandleOp(OpAutoDownload, s.foldAutoDownload)
	d.Ops.HandleState("media", s.digest)
	return s, nil
}

// Start serves this node's blocks, resumes the downloads a restart
// interrupted and collects unreferenced blocks every hour (node's
// wiring).
func (s *Service) Start(context.Context) error {
	s.server = pmedia.NewServer(s.d.Host, s.d.Blocks,
		pmedia.WithServerLogger(s.log.With("sub", "blocks")),
		pmedia.WithServed(s.cp.served))
	s.d.Go(func(ctx context.Context) {
		s.dl.resume(ctx) // the downloads a restart interrupted
		collectEvery(ctx, func(ctx context.Context) (int, int64, error) {
			return collect(ctx, s.d.Store, s.d.Blocks, s.collector, s.log)
		}, s.log)
	})
	return nil
}

// Close stops serving blocks (node's wiring).
func (s *Service) Close() {
	if s.server != nil {
		s.server.Close()
	}
}

// ready returns the error of a call the node cannot serve.
func (s *Service) ready() error {
	if s == nil {
		return core.ErrNotStarted
	}
	return s.d.Ready()
}

// info converts a stored attachment.
func info(a storage.Attachment, isGroup bool) (Info, error) {
	m, err := pmedia.DecodeManifest(a.Manifest)
	if err != nil {
		return Info{}, err
	}
	root, _ := pmedia.CheckRoot(m.Root)
	return Info{
		ID: rt.CoreID(a.ID), Chat: rt.Chat(a.Peer, isGroup), Direction: core.Direction(a.Direction), State: State(a.State), Error: a.Error,
		Size: m.Size, Name: pmedia.SafeName(m.FileName, ""), MIME: m.MimeType, Caption: m.Caption, Width: m.Width, Height: m.Height,
		Thumbnail: thumbnail(m.Thumbnail), Root: root.String(), CreatedAt: a.CreatedAt, RetryUntil: a.RetryUntil,
	}, nil
}

func thumbnail(t *pb.Thumbnail) *Thumbnail {
	if t == nil {
		return nil
	}
	return &Thumbnail{MIME: t.MimeType, Data: t.Data, Width: t.Width, Height: t.Height}
}

// Info returns the attachment of message id (ErrNoMedia if it has none).
func (s *Service) Info(ctx context.Context, id core.MessageID) (Info, error) {
	if err := s.ready(); err != nil {
		return Info{}, fmt.Errorf("media: %w", err)
	}
	a, err := s.d.Store.Attachment(ctx, rt.ID(id))
	if errors.Is(err, storage.ErrNotFound) {
		return Info{}, fmt.Errorf("media %s: %w: %w", id, ErrNoMedia, storage.ErrNotFound)
	}
	if err != nil {
		return Info{}, fmt.Errorf("media: %w", err)
	}
	mi, err := info(a, s.d.Groups.IsGroup(core.GroupID(a.Peer)))
	if err != nil {
		return Info{}, err
	}
	return s.edited(ctx, mi), nil
}

// edited gives mi its message's caption as edited since it was sent (a
// file's caption is its message's text; the manifest keeps the first).
func (s *Service) edited(ctx context.Context, mi Info) Info {
	if m, err := s.d.Store.Message(ctx, rt.ID(mi.ID)); err == nil && !m.EditedAt.IsZero() {
		mi.Caption = m.Text
	}
	return mi
}

// List returns up to limit attachments of chat older than before (zero:
// the newest), oldest first.
func (s *Service) List(ctx context.Context, chat core.Chat, before core.MessageID, limit int) ([]Info, error) {
	if err := s.ready(); err != nil {
		return nil, fmt.Errorf("media list: %w", err)
	}
	peer := rt.Peer(chat)
	as, err := s.d.Store.Attachments(ctx, peer, rt.ID(before), limit)
	if err != nil {
		return nil, fmt.Errorf("media list: %w", err)
	}
	out := make([]Info, 0, len(as))
	isGroup := s.d.Groups.IsGroup(core.GroupID(peer))
	for _, a := range as {
		mi, err := info(a, isGroup)
		if err != nil {
			s.log.Warn("unreadable attachment", "id", a.ID, "err", err)
			continue
		}
		out = append(out, s.edited(ctx, mi))
	}
	return out, nil
}

// manifest loads the decoded manifest of an attachment.
func loadManifest(ctx context.Context, st Store, id core.MessageID) (storage.Attachment, *pb.Media, error) {
	a, err := st.Attachment(ctx, rt.ID(id))
	if errors.Is(err, storage.ErrNotFound) {
		return a, nil, fmt.Errorf("%w: %w", ErrNoMedia, storage.ErrNotFound)
	}
	if err != nil {
		return a, nil, err
	}
	m, err := pmedia.DecodeManifest(a.Manifest)
	return a, m, err
}

// chatOf names the chat of attachment a, from its message (which says
// whether it is a group's) or, without one, from the groups this node is
// in.
func chatOf(ctx context.Context, d *Deps, a storage.Attachment) core.Chat {
	var group bool
	if m, err := d.Store.Message(ctx, a.ID); err == nil {
		group = m.Group
	} else {
		group = d.Groups.IsGroup(core.GroupID(a.Peer))
	}
	return rt.Chat(a.Peer, group)
}

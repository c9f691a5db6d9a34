package media

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	pmedia "github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Send encrypts the file read from r with a fresh key, stores it as
// blocks in the node's block store (streaming: memory use does not depend
// on the file's size), and sends the message that carries its manifest
// to account to. It returns once the message is stored and queued (state
// pending), like a text; the recipient fetches the blocks from this node,
// or from its relays when it was away. Progress is published as Progress
// events with the returned ID.
func (s *Service) Send(ctx context.Context, to core.AccountID, r io.Reader, f File) (core.MessageID, error) {
	const op = "send media"
	if err := s.ready(); err != nil {
		return core.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	if to == s.d.Self {
		return core.MessageID{}, fmt.Errorf("%s: %w", op, core.ErrSelf)
	}
	if err := checkFile(f); err != nil {
		return core.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	if err := s.d.Recipients.CheckRecipient(ctx, to); err != nil {
		return core.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	var quote *pb.Quote
	if !f.ReplyTo.IsZero() {
		var err error
		if quote, err = s.d.Quotes.Quote(ctx, storage.Account(to), rt.ID(f.ReplyTo)); err != nil {
			return core.MessageID{}, fmt.Errorf("%s: reply to %s: %w", op, f.ReplyTo, err)
		}
	}
	timer, err := s.stamp(ctx, storage.Account(to), false)
	if err != nil {
		return core.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	now := wireNow() // after the stamp: a new chat's timer notice comes first
	id := rt.NewID(now)
	guard := s.collector.Guard()
	defer guard.Release() // after the attachment record is committed
	m, manifest, err := s.importFile(ctx, guard, id, core.With(to), r, f)
	if err != nil {
		return id, fmt.Errorf("%s: %w", op, err)
	}
	a := storage.Attachment{
		ID: rt.ID(id), Peer: storage.Account(to), Direction: storage.Outgoing, Manifest: manifest, Root: m.Root,
		Size: m.Size, State: storage.AttachmentLocal, CreatedAt: now,
	}
	if err := s.queue(ctx, to, now, f.Caption, m, a, quote, timer); err != nil {
		return id, fmt.Errorf("%s: %w", op, err)
	}
	return id, nil
}

// stamp returns the disappearing-messages timer a file sent now to chat
// carries (nil: the chat never had one), from the expiry feature.
func (s *Service) stamp(ctx context.Context, chat storage.Account, group bool) (*pb.ChatTimer, error) {
	var m storage.Message
	return s.d.Expiry.Stamp(ctx, chat, group, &m)
}

// expireAfter is the countdown of a message that carries timer.
func expireAfter(timer *pb.ChatTimer) time.Duration {
	if timer == nil {
		return 0
	}
	return time.Duration(timer.Seconds) * time.Second
}

// queue stores an outgoing 1:1 file message (message, attachment a and
// outbox item in one transaction), hands it to the outbox, and waits
// until it is durable. quote (nil: none) is the quote a reply carries,
// timer (nil: none) the chat's disappearing-messages timer: the message
// counts down from its send.
func (s *Service) queue(ctx context.Context, to core.AccountID, now time.Time, caption string, m *pb.Media, a storage.Attachment, quote *pb.Quote, timer *pb.ChatTimer) error {
	c := &pb.Content{MessageId: a.ID[:], SentAtMs: now.UnixMilli(), Body: &pb.Content_Media{Media: m}, Quote: quote, Timer: timer}
	msg := storage.Message{
		ID: a.ID, Peer: storage.Account(to), Sender: storage.Account(s.d.Self), SenderDevice: s.d.Device,
		Direction: storage.Outgoing, Text: caption, SentAt: now, StoredAt: now, State: storage.Pending,
		ReplyTo: s.d.Quotes.ReplyTo(quote),
	}
	if after := expireAfter(timer); after > 0 {
		msg.ExpireAfter, msg.ExpiresAt = after, now.Add(after)
	}
	var item storage.OutboxItem
	var synced []storage.OutboxItem // the operation, to our other devices
	err := s.d.Store.Update(ctx, func(ctx context.Context) error {
		if err := s.d.Store.InsertMessage(ctx, msg); err != nil {
			return err
		}
		if err := s.d.Store.PutAttachment(ctx, a); err != nil {
			return err
		}
		if err := s.d.Expiry.Stored(ctx, msg); err != nil {
			return err
		}
		var err error
		if synced, err = s.recordFile(ctx, msg, a.Manifest, timer, true); err != nil {
			return err
		}
		quoted, err := s.d.Quotes.Keep(ctx, msg.ID, quote, true)
		if err != nil {
			return err
		}
		synced = append(synced, quoted...)
		item, err = s.d.Outbox.Put(ctx, to, c)
		return err
	})
	if err != nil {
		return err
	}
	s.d.Outbox.Enqueue(item)
	for _, it := range synced {
		s.d.Outbox.Enqueue(it)
	}
	s.d.Expiry.Wake()
	return s.d.Durable(ctx)
}

// wireNow is the current time at the precision a message carries its time
// on the wire (milliseconds), so the sent_at the sender stores is the one
// the recipient reads.
func wireNow() time.Time { return time.UnixMilli(time.Now().UnixMilli()) }

// SendToGroup sends a file to group g: it is encrypted and stored as
// blocks like Send's, and its manifest goes out as one group message (one
// encryption, one publish). Members fetch the blocks from this node, from
// any member that already has them, or from this node's relays, which
// keep a copy (protocol/media.PinOwn) as long as they keep deposits, so
// that members fetch it while this node is away.
func (s *Service) SendToGroup(ctx context.Context, g core.GroupID, r io.Reader, f File) (core.MessageID, error) {
	const op = "send media to group"
	if err := s.ready(); err != nil {
		return core.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	if err := checkFile(f); err != nil {
		return core.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	timer, err := s.stamp(ctx, storage.Account(g), true)
	if err != nil {
		return core.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	guard := s.collector.Guard()
	defer guard.Release() // after the attachment record is committed
	var m *pb.Media
	id, err := s.d.Groups.PublishFile(ctx, g, f.Caption, core.SendOptions{ReplyTo: f.ReplyTo}, timer, func(id core.MessageID) (*pb.Media, *storage.Attachment, error) {
		var manifest []byte
		var err error
		m, manifest, err = s.importFile(ctx, guard, id, core.InGroup(g), r, f)
		if err != nil {
			return nil, nil, err
		}
		return m, &storage.Attachment{
			Direction: storage.Outgoing, Manifest: manifest, Root: m.Root,
			Size: m.Size, State: storage.AttachmentLocal, CreatedAt: time.Now(),
		}, nil
	})
	if err != nil {
		return core.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	s.d.Expiry.Wake()
	s.noteGroupFile(ctx, id, timer)
	s.d.Go(func(ctx context.Context) { s.cp.pinAtOwnRelays(ctx, g, id, m) })
	if err := s.d.Durable(ctx); err != nil {
		return id, fmt.Errorf("%s: %w", op, err)
	}
	return id, nil
}

// Forward sends the attachment of message id (sent or received) to
// account to without copying it: the new message carries the same
// manifest, so both recipients fetch the same blocks, from whoever holds
// them. This node must hold every block (Fetch first).
func (s *Service) Forward(ctx context.Context, id core.MessageID, to core.AccountID) (core.MessageID, error) {
	const op = "forward media"
	if err := s.ready(); err != nil {
		return core.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	if to == s.d.Self {
		return core.MessageID{}, fmt.Errorf("%s: %w", op, core.ErrSelf)
	}
	a, m, err := loadManifest(ctx, s.d.Store, id)
	if err != nil {
		return core.MessageID{}, fmt.Errorf("%s %s: %w", op, id, err)
	}
	if a.State != storage.AttachmentLocal {
		return core.MessageID{}, fmt.Errorf("%s %s: blocks not all here (state %s): fetch it first", op, id, a.State)
	}
	if err := s.d.Recipients.CheckRecipient(ctx, to); err != nil {
		return core.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	timer, err := s.stamp(ctx, storage.Account(to), false)
	if err != nil {
		return core.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	now := wireNow()
	nid := rt.NewID(now)
	fwd := storage.Attachment{
		ID: rt.ID(nid), Peer: storage.Account(to), Direction: storage.Outgoing, Manifest: a.Manifest, Root: a.Root,
		Size: a.Size, State: storage.AttachmentLocal, CreatedAt: now,
	}
	if err := s.queue(ctx, to, now, m.Caption, m, fwd, nil, timer); err != nil {
		return nid, fmt.Errorf("%s: %w", op, err)
	}
	return nid, nil
}

// checkFile checks what Send and SendToGroup are given besides the file's
// bytes.
func checkFile(f File) error {
	if err := pmedia.CheckFileName(baseName(f.Name)); err != nil {
		return err
	}
	if len(f.Caption) > pmedia.MaxCaptionSize || !utf8.ValidString(f.Caption) {
		return fmt.Errorf("%w: caption must be valid UTF-8 of at most %d bytes", core.ErrTooLarge, pmedia.MaxCaptionSize)
	}
	if len(f.Thumbnail) > MaxClientThumbnail {
		return fmt.Errorf("%w: thumbnail of %d bytes", core.ErrTooLarge, len(f.Thumbnail))
	}
	return nil
}

// importFile encrypts the file read from r with a fresh key into blocks
// kept by guard until the caller commits the attachment record, and
// returns its manifest (with a preview for images) and the manifest's
// encoding. Progress is published for message id in chat.
func (s *Service) importFile(ctx context.Context, guard *pmedia.Guard, id core.MessageID, chat core.Chat, r io.Reader, f File) (*pb.Media, []byte, error) {
	name := baseName(f.Name)
	br := bufio.NewReaderSize(r, 64<<10)
	mimeType := f.MIME
	if mimeType == "" {
		mimeType = detectMIME(name, br)
	}
	key, err := pmedia.NewKey()
	if err != nil {
		return nil, nil, err
	}
	prog := newProgress(s.d.Publish, id, chat, true, "encrypt")
	im, err := pmedia.Import(ctx, guard.Blocks(s.d.Blocks), br, key, func(done int64) { prog.update(done, 0) })
	if err != nil {
		return nil, nil, err
	}
	prog.finish(int64(im.Size))
	m := pmedia.NewManifest(im, key)
	m.FileName, m.MimeType, m.Caption = name, mimeType, f.Caption
	switch {
	case len(f.Thumbnail) > 0:
		if w, h, err := imageConfig(strings.NewReader(string(f.Thumbnail))); err == nil {
			m.Thumbnail, err = makeThumbnail(strings.NewReader(string(f.Thumbnail)), w, h)
			if err != nil {
				s.log.Debug("client thumbnail refused", "err", err)
			}
		}
	case thumbnailable(mimeType) && im.Size <= maxThumbFile:
		if err := imageThumbnail(ctx, s.d.Blocks, m); err != nil {
			s.log.Debug("no thumbnail", "err", err)
		}
	}
	if err := pmedia.CheckManifest(m); err != nil {
		return nil, nil, err
	}
	manifest, err := proto.Marshal(m)
	if err != nil {
		return nil, nil, err
	}
	return m, manifest, nil
}

// baseName cuts a path to its last element.
func baseName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	return name
}

// detectMIME guesses a type from the file name, then from the first bytes.
func detectMIME(name string, br *bufio.Reader) string {
	if t := mime.TypeByExtension(strings.ToLower(filepath.Ext(name))); t != "" {
		if mt, _, err := mime.ParseMediaType(t); err == nil {
			return mt
		}
	}
	head, _ := br.Peek(512)
	t := http.DetectContentType(head)
	if mt, _, err := mime.ParseMediaType(t); err == nil {
		return mt
	}
	return "application/octet-stream"
}

// imageThumbnail makes the preview of an image stored in blocks: it
// decrypts the image twice, streaming (once for its header, once to
// decode it), so the file is never held whole in memory.
func imageThumbnail(ctx context.Context, blocks pmedia.Blocks, m *pb.Media) error {
	var w, h int
	err := readFile(ctx, blocks, m, func(r io.Reader) error {
		var err error
		w, h, err = imageConfig(r)
		return err
	})
	if err == nil {
		err = readFile(ctx, blocks, m, func(r io.Reader) error {
			var err error
			m.Thumbnail, err = makeThumbnail(r, w, h)
			return err
		})
	}
	if err != nil {
		return err
	}
	m.Width, m.Height = uint32(w), uint32(h)
	return nil
}

// readFile hands read a reader of the plaintext of a locally stored
// file; read may stop early.
func readFile(ctx context.Context, blocks pmedia.Blocks, m *pb.Media, read func(io.Reader) error) error {
	pr, pw := io.Pipe()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		pw.CloseWithError(pmedia.Extract(ctx, pmedia.LocalGet(blocks), m, pw))
	}()
	err := read(pr)
	pr.CloseWithError(errStopReading) // unblocks the extractor if read stopped early
	wg.Wait()
	return err
}

var errStopReading = errors.New("reader stopped")

// noteGroupFile records a file this device sent to a group in the account
// log (Note: our other devices are members and get it from the group),
// so a device linked later gets it in its history transfer. The groups
// feature stored the message in its own transaction; this one follows it
// (a crash between the two leaves the file out of the log, not out of the
// chat).
func (s *Service) noteGroupFile(ctx context.Context, id core.MessageID, timer *pb.ChatTimer) {
	err := s.d.Store.Update(ctx, func(ctx context.Context) error {
		m, err := s.d.Store.Message(ctx, rt.ID(id))
		if err != nil {
			return err
		}
		a, err := s.d.Store.Attachment(ctx, rt.ID(id))
		if err != nil {
			return err
		}
		_, err = s.recordFile(ctx, m, a.Manifest, timer, false)
		return err
	})
	if err != nil {
		s.log.Warn("group file left out of the account log", "id", id, "err", err)
	}
}

package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	pmedia "github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// The account-log operations of files, which keep the account's devices
// in step: every device records the file messages it sends and receives,
// by reference (the manifest: the blocks' root, the key, name, size,
// type, preview, caption), and the others fold them in as files not
// fetched yet; their blocks come from any holder (the device that
// recorded the operation, the sender, relays) when the file is opened or
// the auto-download policy asks for it.
const (
	// OpMessage (pb.OpMedia) is a file message sent or received, 1:1 or
	// in a group.
	OpMessage = "media.message"
	// OpAutoDownload (pb.OpAutoDownload) is the auto-download limit of a
	// chat or the default, as the user last set it on any device.
	OpAutoDownload = "media.autodownload"
)

// MaxOpSize bounds the body of a media operation: a manifest and the
// message's few identifiers.
const MaxOpSize = pmedia.MaxManifestSize + 256

// fileOp is a decoded media.message operation.
type fileOp struct {
	msg      storage.Message // without StoredAt and State
	manifest *pb.Media
	raw      []byte        // the manifest's encoding
	timer    *pb.ChatTimer // the disappearing-messages timer the message carried
}

// encodeFileOp makes the body of the operation of file message m, which
// carried timer (nil: none).
func encodeFileOp(m storage.Message, manifest []byte, timer *pb.ChatTimer) ([]byte, error) {
	body := &pb.OpMedia{
		MessageId: m.ID[:], SentAtMs: m.SentAt.UnixMilli(), Peer: m.Peer[:], Group: m.Group,
		Outgoing: m.Direction == storage.Outgoing, SenderDevice: m.SenderDevice, Manifest: manifest,
	}
	body.Timer = opTimer(timer)
	if m.Group {
		body.Sender = m.Sender[:]
	}
	return proto.Marshal(body)
}

// decodeFileOp decodes and checks the body of a media.message operation
// of this account (self); every error wraps rt.ErrBadContent.
func decodeFileOp(self core.AccountID, b []byte) (fileOp, error) {
	bad := func(what string, err error) (fileOp, error) {
		if err != nil {
			return fileOp{}, fmt.Errorf("%w: %s: %s: %v", rt.ErrBadContent, OpMessage, what, err)
		}
		return fileOp{}, fmt.Errorf("%w: %s: %s", rt.ErrBadContent, OpMessage, what)
	}
	if len(b) > MaxOpSize {
		return bad(fmt.Sprintf("%d bytes", len(b)), nil)
	}
	var body pb.OpMedia
	if err := proto.Unmarshal(b, &body); err != nil {
		return bad("body", err)
	}
	id, err := storage.MessageIDFromBytes(body.MessageId)
	if err != nil {
		return bad("message ID", err)
	}
	if len(body.Peer) != len(storage.Account{}) {
		return bad("peer", nil)
	}
	m, err := pmedia.DecodeManifest(body.Manifest)
	if err != nil {
		return bad("manifest", err)
	}
	msg := storage.Message{
		ID: id, Peer: storage.Account(body.Peer), Group: body.Group, SenderDevice: body.SenderDevice,
		Text: m.Caption, SentAt: time.UnixMilli(body.SentAtMs),
	}
	switch {
	case body.Outgoing:
		msg.Sender, msg.Direction = storage.Account(self), storage.Outgoing
	case body.Group:
		if len(body.Sender) != len(storage.Account{}) {
			return bad("sender", nil)
		}
		msg.Sender, msg.Direction = storage.Account(body.Sender), storage.Incoming
	default:
		msg.Sender, msg.Direction = msg.Peer, storage.Incoming
	}
	if msg.Peer == storage.Account(self) && !msg.Group {
		return bad("a chat with this account", nil)
	}
	return fileOp{msg: msg, manifest: m, raw: body.Manifest, timer: opTimer(body.Timer)}, nil
}

// opTimer is the timer a media.message operation keeps of the one a file
// message carried: none when it is malformed (the expiry feature ignores
// it), so it cannot take the operation past MaxOpSize.
func opTimer(t *pb.ChatTimer) *pb.ChatTimer {
	if t == nil || len(t.Setter) > len(storage.Account{}) || len(t.MessageId) > len(storage.MessageID{}) {
		return nil
	}
	return t
}

// recordFile records file message m with its manifest and the
// disappearing-messages timer it carried (nil: none) in the account log,
// in ctx's transaction; push sends the operation to our other devices at
// once (Append; enqueue the items returned after commit), else they get
// it when they pull (Note).
func (s *Service) recordFile(ctx context.Context, m storage.Message, manifest []byte, timer *pb.ChatTimer, push bool) ([]storage.OutboxItem, error) {
	body, err := encodeFileOp(m, manifest, timer)
	if err != nil {
		return nil, err
	}
	if !push {
		_, err := s.d.Ops.Note(ctx, OpMessage, body)
		return nil, err
	}
	_, items, err := s.d.Ops.Append(ctx, OpMessage, body)
	return items, err
}

// foldFile stores a file message another device of ours sent or received,
// with its attachment not fetched yet (the auto-download policy applies
// after commit). The timer the message carried sets its countdown as a
// text's (an outgoing file's from its send, an incoming one's from the
// chat's first read). A message already held with its file (this device
// got it too) stays as it is; one held without (its caption recorded as a
// text by an older version) gets the file.
func (s *Service) foldFile(ctx context.Context, op rt.Op) (func(context.Context), error) {
	f, err := decodeFileOp(s.d.Self, op.Body)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	msg := f.msg
	msg.StoredAt = now
	msg.ReplyTo = s.d.Quotes.Held(ctx, msg.ID)
	switch {
	case msg.Direction == storage.Outgoing:
		msg.State = storage.Sent
	case !msg.Group && rt.ReadBefore(ctx, s.d.Ops, msg.Peer, msg.ID):
		msg.State = storage.Read
	default:
		msg.State = storage.Received
	}
	expired, err := s.d.Expiry.Receive(ctx, msg.Peer, msg.Group, f.timer, &msg)
	if err != nil {
		return nil, err
	}
	added := true
	switch err := s.d.Store.InsertMessage(ctx, msg); {
	case errors.Is(err, storage.ErrExists):
		added = false
		switch _, err := s.d.Store.Attachment(ctx, msg.ID); {
		case err == nil:
			return nil, nil // held with its file
		case !errors.Is(err, storage.ErrNotFound):
			return nil, err
		}
	case err != nil:
		return nil, err
	default:
		if err := s.d.Expiry.Stored(ctx, msg); err != nil {
			return nil, err
		}
	}
	a := storage.Attachment{
		ID: msg.ID, Peer: msg.Peer, Direction: msg.Direction, Manifest: f.raw, Root: f.manifest.Root,
		Size: f.manifest.Size, State: storage.AttachmentRemote, CreatedAt: now,
	}
	// The device that recorded the operation holds the blocks when it sent
	// the file, or fetched it since; the sending device did from the start.
	for _, dev := range []struct {
		account core.AccountID
		device  uint32
	}{{s.d.Self, op.Device}, {core.AccountID(msg.Sender), msg.SenderDevice}} {
		cert := s.d.Devices.Cert(dev.account, dev.device)
		if cert == nil || cert.PeerID == s.d.Host.ID() {
			continue
		}
		if p := []byte(cert.PeerID); !slices.ContainsFunc(a.Providers, func(q []byte) bool { return bytes.Equal(p, q) }) {
			a.Providers = append(a.Providers, p)
		}
	}
	if err := s.d.Store.PutAttachment(ctx, a); err != nil {
		return nil, err
	}
	return func(ctx context.Context) {
		if expired != nil {
			expired()
		}
		if added {
			s.d.Publish(core.MessageReceived{Message: rt.Message(msg)})
		}
		s.dl.received(ctx, &a)
	}, nil
}

// Backfill records in the account log the file messages stored before
// the log held them (a home from an older version), with their captions,
// and the default auto-download limit if the user set one, so that
// devices linked later get them too. Node runs it once per home.
func (s *Service) Backfill(ctx context.Context) (int, error) {
	var ids []storage.MessageID
	err := s.d.Store.ForEachAttachment(ctx, func(a storage.Attachment) error {
		ids = append(ids, a.ID)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("backfill media: %w", err)
	}
	const page = 200
	count := 0
	for chunk := range slices.Chunk(ids, page) {
		var items []storage.OutboxItem
		err := s.d.Store.Update(ctx, func(ctx context.Context) error {
			items = items[:0]
			for _, id := range chunk {
				m, err := s.d.Store.Message(ctx, id)
				if errors.Is(err, storage.ErrNotFound) {
					continue // an attachment without its message: nothing to show
				}
				if err != nil {
					return err
				}
				a, err := s.d.Store.Attachment(ctx, id)
				if err != nil {
					return err
				}
				if _, err := pmedia.DecodeManifest(a.Manifest); err != nil {
					s.log.Warn("unreadable attachment left out of the account log", "id", id, "err", err)
					continue
				}
				it, err := s.recordFile(ctx, m, a.Manifest, nil, true) // older versions had no timers
				if err != nil {
					return err
				}
				items = append(items, it...)
			}
			return nil
		})
		if err != nil {
			return count, fmt.Errorf("backfill media: %w", err)
		}
		count += len(chunk)
		for _, it := range items {
			s.d.Outbox.Enqueue(it)
		}
	}
	switch v, err := s.d.Store.Setting(ctx, autoDownloadSetting(storage.Account{})); {
	case err == nil && len(v) == 8:
		if err := s.recordAutoDownload(ctx, storage.Account{}, int64(binary.BigEndian.Uint64(v))); err != nil {
			return count, fmt.Errorf("backfill media: %w", err)
		}
	case err != nil && !errors.Is(err, storage.ErrNotFound):
		return count, fmt.Errorf("backfill media: %w", err)
	}
	return count, nil
}

// --- The auto-download policy, an account setting.

// autoDownloadKey names the fold state of the auto-download limit of
// chat peer (the zero peer: the default).
func autoDownloadKey(peer storage.Account) string {
	if peer == (storage.Account{}) {
		return OpAutoDownload
	}
	return OpAutoDownload + "/" + string(peer[:])
}

// putAutoDownload stores the limit of chat peer (the zero peer: the
// default); a negative limit removes a chat's override.
func putAutoDownload(ctx context.Context, st Store, peer storage.Account, maxBytes int64) error {
	if maxBytes < 0 {
		return st.PutSetting(ctx, autoDownloadSetting(peer), nil)
	}
	return st.PutSetting(ctx, autoDownloadSetting(peer), binary.BigEndian.AppendUint64(nil, uint64(maxBytes)))
}

// recordAutoDownload stores a limit with the operation that tells our
// other devices, in one transaction, and sends the operation.
func (s *Service) recordAutoDownload(ctx context.Context, peer storage.Account, maxBytes int64) error {
	body := &pb.OpAutoDownload{MaxBytes: maxBytes}
	if peer != (storage.Account{}) {
		body.Chat = peer[:]
	}
	raw, err := proto.Marshal(body)
	if err != nil {
		return err
	}
	var items []storage.OutboxItem
	err = s.d.Store.Update(ctx, func(ctx context.Context) error {
		if err := putAutoDownload(ctx, s.d.Store, peer, maxBytes); err != nil {
			return err
		}
		var err error
		items, err = rt.AppendLatest(ctx, s.d.Ops, OpAutoDownload, autoDownloadKey(peer), raw)
		return err
	})
	if err != nil {
		return err
	}
	for _, it := range items {
		s.d.Outbox.Enqueue(it)
	}
	return nil
}

// decodeAutoDownload decodes and checks the body of a media.autodownload
// operation; every error wraps rt.ErrBadContent.
func decodeAutoDownload(b []byte) (storage.Account, int64, error) {
	var body pb.OpAutoDownload
	if len(b) > MaxOpSize {
		return storage.Account{}, 0, fmt.Errorf("%w: %s: %d bytes", rt.ErrBadContent, OpAutoDownload, len(b))
	}
	if err := proto.Unmarshal(b, &body); err != nil {
		return storage.Account{}, 0, fmt.Errorf("%w: %s: %v", rt.ErrBadContent, OpAutoDownload, err)
	}
	var peer storage.Account
	switch {
	case len(body.Chat) == len(peer):
		peer = storage.Account(body.Chat)
	case len(body.Chat) != 0:
		return peer, 0, fmt.Errorf("%w: %s: chat of %d bytes", rt.ErrBadContent, OpAutoDownload, len(body.Chat))
	}
	if body.MaxBytes < -1 || (body.MaxBytes == -1 && peer == (storage.Account{})) {
		return peer, 0, fmt.Errorf("%w: %s: limit %d", rt.ErrBadContent, OpAutoDownload, body.MaxBytes)
	}
	return peer, body.MaxBytes, nil
}

// foldAutoDownload takes a limit another device of ours set, when it is
// the latest setting of its chat.
func (s *Service) foldAutoDownload(ctx context.Context, op rt.Op) (func(context.Context), error) {
	peer, maxBytes, err := decodeAutoDownload(op.Body)
	if err != nil {
		return nil, err
	}
	if won, err := rt.Wins(ctx, s.d.Ops, autoDownloadKey(peer), op, nil); err != nil || !won {
		return nil, err
	}
	return nil, putAutoDownload(ctx, s.d.Store, peer, maxBytes)
}

// digest writes the account's files for its state hash, in message ID
// order: each one's chat, ID, direction, name, size and root (not whether
// it was fetched, which differs between devices), then the default
// auto-download limit.
func (s *Service) digest(ctx context.Context, w io.Writer) error {
	type line struct {
		id   storage.MessageID
		text string
	}
	var lines []line
	err := s.d.Store.ForEachAttachment(ctx, func(a storage.Attachment) error {
		name, size := "", a.Size
		if m, err := pmedia.DecodeManifest(a.Manifest); err == nil {
			name, size = m.FileName, m.Size
		}
		lines = append(lines, line{a.ID, fmt.Sprintf("%x %x %d %q %d %x\n", a.Peer, a.ID, a.Direction, name, size, a.Root)})
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(lines, func(a, b line) int { return bytes.Compare(a.id[:], b.id[:]) })
	for _, l := range lines {
		if _, err := io.WriteString(w, l.text); err != nil {
			return err
		}
	}
	limit, err := autoDownload(ctx, s.d.Store, storage.Account{})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "auto %d\n", limit)
	return err
}

// messageOfOp returns the ID of the message an operation of OpMessage
// carries.
func messageOfOp(body []byte) (storage.MessageID, bool) {
	var op pb.OpMedia
	if proto.Unmarshal(body, &op) != nil {
		return storage.MessageID{}, false
	}
	id, err := storage.MessageIDFromBytes(op.MessageId)
	return id, err == nil
}

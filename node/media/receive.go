package media

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	pmedia "github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// takeMedia records a received 1:1 file in the receive transaction
// (content kind rt.KindMedia).
func (s *Service) takeMedia(ctx context.Context, in rt.Incoming) (rt.Result, error) {
	m := in.Content.GetMedia()
	if err := pmedia.CheckManifest(m); err != nil {
		return rt.Result{}, fmt.Errorf("%w: %v", rt.ErrBadContent, err)
	}
	sender := rt.CoreAccount(in.From.Account)
	msg := storage.Message{
		ID: in.ID, Peer: storage.Account(sender), Sender: storage.Account(sender), SenderDevice: in.From.Device,
		Direction: storage.Incoming, Text: m.Caption, SentAt: in.SentAt, StoredAt: time.Now(),
		State: storage.Received, ReplyTo: s.d.Quotes.ReplyTo(in.Content.GetQuote()),
	}
	if rt.ReadBefore(ctx, s.d.Ops, msg.Peer, msg.ID) {
		msg.State = storage.Read // read on another device of ours already
	}
	got := rt.Result{Message: true} // a message of the chat, for receipts
	timer := in.Content.GetTimer()
	expired, err := s.d.Expiry.Receive(ctx, msg.Peer, false, timer, &msg)
	if err != nil {
		return got, err
	}
	err = s.d.Store.InsertMessage(ctx, msg)
	if errors.Is(err, storage.ErrExists) {
		return got, nil // a retransmission
	}
	if err != nil {
		return got, err
	}
	if err := s.d.Expiry.Stored(ctx, msg); err != nil {
		return got, err
	}
	a, err := storeIncoming(ctx, &s.d, in.ID, storage.Account(sender), storage.Incoming, sender, in.From.Device, m)
	if err != nil {
		return got, err
	}
	// The sender encrypted it for every device its copy of our device
	// list names: our other devices got it too, unless that copy is older
	// than ours (a device linked since), when they get it from us now.
	push := s.d.ListVersion != nil && in.Envelope.GetRecipientListVersion() < s.d.ListVersion()
	synced, err := s.recordFile(ctx, msg, a.Manifest, timer, push)
	if err != nil {
		return got, err
	}
	quoted, err := s.d.Quotes.Keep(ctx, msg.ID, in.Content.GetQuote(), push)
	if err != nil {
		return got, err
	}
	synced = append(synced, quoted...)
	got.New = true
	got.After = func(ctx context.Context) {
		for _, it := range synced {
			s.d.Outbox.Enqueue(it)
		}
		if expired != nil {
			expired()
		}
		s.d.Publish(core.MessageReceived{Message: rt.Message(msg)})
		s.d.OnMessage(sender)
		s.dl.received(ctx, &a)
	}
	return got, nil
}

// takeGroupMedia records a file received in a group, in the group receive
// transaction (group content kind rt.GroupKindMedia). The attachment
// names the sending device as provider; its relays (where it pins group
// files) and the group's members are added when it is fetched
// (providers).
func (s *Service) takeGroupMedia(ctx context.Context, in rt.GroupIncoming) (rt.Result, error) {
	m := in.Content.GetMedia()
	if err := pmedia.CheckManifest(m); err != nil || in.Seq == 0 {
		return rt.Result{}, fmt.Errorf("%w: media: %v", rt.ErrBadContent, err)
	}
	msg := storage.Message{
		ID: in.ID, Peer: storage.Account(in.Group), Group: true,
		Sender: storage.Account(in.From.Account), SenderDevice: in.From.Device, Direction: storage.Incoming,
		Text: m.Caption, SentAt: in.SentAt, StoredAt: time.Now(), State: storage.Received,
		ReplyTo: s.d.Quotes.ReplyTo(in.Content.GetQuote()),
	}
	if rt.CoreAccount(in.From.Account) == s.d.Self {
		// Sent from another device of ours: this account's file, as the
		// sending device and the account log record it.
		msg.Direction, msg.State = storage.Outgoing, storage.Sent
	}
	got := rt.Result{Message: true}
	timer := in.Content.GetTimer()
	expired, err := s.d.Expiry.Receive(ctx, msg.Peer, true, timer, &msg)
	if err != nil {
		return got, err
	}
	switch err := s.d.Store.InsertMessage(ctx, msg); {
	case errors.Is(err, storage.ErrExists):
		return got, nil
	case err != nil:
		return got, err
	}
	if err := s.d.Expiry.Stored(ctx, msg); err != nil {
		return got, err
	}
	a, err := storeIncoming(ctx, &s.d, in.ID, storage.Account(in.Group), msg.Direction, rt.CoreAccount(in.From.Account), in.From.Device, m)
	if err != nil {
		return got, err
	}
	// Our other devices are members too and get it from the group; a
	// device linked later gets it in its history transfer.
	if _, err := s.recordFile(ctx, msg, a.Manifest, timer, false); err != nil {
		return got, err
	}
	if _, err := s.d.Quotes.Keep(ctx, msg.ID, in.Content.GetQuote(), false); err != nil {
		return got, err
	}
	got.New = true
	got.After = func(ctx context.Context) {
		if expired != nil {
			expired()
		}
		s.d.Publish(core.MessageReceived{Message: rt.Message(msg)})
		s.dl.received(ctx, &a)
	}
	return got, nil
}

// storeIncoming stores the attachment m of a received file of chat peer
// (dir: Outgoing for a group file sent from another device of ours), sent
// by the device (sender, device), which it names as the first provider
// when its certificate is known.
func storeIncoming(ctx context.Context, d *Deps, id storage.MessageID, peer storage.Account, dir storage.Direction, sender core.AccountID, device uint32, m *pb.Media) (storage.Attachment, error) {
	manifest, err := proto.Marshal(m)
	if err != nil {
		return storage.Attachment{}, err
	}
	a := storage.Attachment{
		ID: id, Peer: peer, Direction: dir, Manifest: manifest, Root: m.Root,
		Size: m.Size, State: storage.AttachmentRemote, CreatedAt: time.Now(),
	}
	if cert := d.Devices.Cert(sender, device); cert != nil {
		a.Providers = [][]byte{[]byte(cert.PeerID)}
	}
	return a, d.Store.PutAttachment(ctx, a)
}

// --- Auto-download policy.

func autoDownloadSetting(peer storage.Account) string {
	if peer == (storage.Account{}) {
		return "media.auto"
	}
	return "media.auto." + base64.RawURLEncoding.EncodeToString(peer[:]) // 54 bytes: settings names are at most 64
}

// SetAutoDownload sets the largest attachment (in bytes) fetched as soon
// as it arrives: for every chat when chat is the zero Chat, else for chat
// (overriding the default). 0 means never (fetch on demand only); a
// negative size removes a chat's override. The default is
// DefaultAutoDownload. It is a setting of the account: every device of
// it takes the latest value set on any of them (the account log's
// media.autodownload operation).
func (s *Service) SetAutoDownload(ctx context.Context, chat core.Chat, maxBytes int64) error {
	if err := s.ready(); err != nil {
		return fmt.Errorf("set auto-download: %w", err)
	}
	peer := rt.Peer(chat)
	if maxBytes < 0 {
		if peer == (storage.Account{}) {
			return fmt.Errorf("set auto-download: negative default")
		}
		maxBytes = -1
	}
	if err := s.recordAutoDownload(ctx, peer, maxBytes); err != nil {
		return fmt.Errorf("set auto-download: %w", err)
	}
	return nil
}

// AutoDownload returns the largest attachment fetched on arrival in chat
// (the default for the zero Chat).
func (s *Service) AutoDownload(ctx context.Context, chat core.Chat) (int64, error) {
	if err := s.ready(); err != nil {
		return 0, fmt.Errorf("auto-download: %w", err)
	}
	return autoDownload(ctx, s.d.Store, rt.Peer(chat))
}

func autoDownload(ctx context.Context, st Store, peer storage.Account) (int64, error) {
	for _, name := range []string{autoDownloadSetting(peer), autoDownloadSetting(storage.Account{})} {
		v, err := st.Setting(ctx, name)
		if errors.Is(err, storage.ErrNotFound) || (err == nil && len(v) != 8) {
			continue
		}
		if err != nil {
			return 0, err
		}
		return int64(binary.BigEndian.Uint64(v)), nil
	}
	return DefaultAutoDownload, nil
}

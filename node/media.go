package node

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/pigeon-net/pigeon/node/core"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Media errors.
var (
	// ErrNoMedia is returned for messages without an attachment.
	ErrNoMedia = errors.New("message has no attachment")
	// ErrDownloading is returned when removing an attachment whose
	// download did not stop before the call's context ended.
	ErrDownloading = errors.New("attachment is being downloaded")
)

// MediaFile describes a file to send.
type MediaFile struct {
	// Name is the file name shown to the recipient (a base name; a path is
	// cut to its last element).
	Name string
	// MIME is the file's type; empty: guessed from the name, then from the
	// content.
	MIME string
	// Caption is text shown with the file (at most media.MaxCaptionSize
	// bytes).
	Caption string
	// Thumbnail is an optional preview image (JPEG, PNG or GIF) from the
	// client, for files the node cannot preview itself (videos). The node
	// makes previews of JPEG, PNG and GIF images on its own.
	Thumbnail []byte
}

// MaxClientThumbnail bounds a client-provided preview image.
const MaxClientThumbnail = 4 << 20

// MediaInfo is an attachment as the node holds it.
type MediaInfo struct {
	ID        storage.MessageID
	Peer      identity.AccountID // the chat: an account, or a group's ID when Group
	Group     bool
	Direction storage.Direction
	State     storage.AttachmentState
	Error     string // why the last download failed
	Size      uint64 // plaintext bytes
	// Name is the sender's name for the file made safe to show and to
	// save (media.SafeName); empty when the sender gave none it accepts.
	Name      string
	MIME      string
	Caption   string
	Width     uint32
	Height    uint32
	Thumbnail *pb.Thumbnail
	Root      string // the DAG root CID
	CreatedAt time.Time
	// RetryUntil is when a download waiting to retry (State retrying)
	// gives up; zero when no download runs.
	RetryUntil time.Time
}

func mediaInfo(a storage.Attachment) (MediaInfo, error) {
	m, err := media.DecodeManifest(a.Manifest)
	if err != nil {
		return MediaInfo{}, err
	}
	root, _ := media.CheckRoot(m.Root)
	return MediaInfo{
		ID: a.ID, Peer: identity.AccountID(a.Peer), Direction: a.Direction, State: a.State, Error: a.Error,
		Size: m.Size, Name: media.SafeName(m.FileName, ""), MIME: m.MimeType, Caption: m.Caption, Width: m.Width, Height: m.Height,
		Thumbnail: m.Thumbnail, Root: root.String(), CreatedAt: a.CreatedAt, RetryUntil: a.RetryUntil,
	}, nil
}

// SendFile sends the file at path to the account to, with an optional
// caption; see SendMedia.
func (n *Node) SendFile(ctx context.Context, to identity.AccountID, path, caption string) (storage.MessageID, error) {
	f, err := os.Open(path)
	if err != nil {
		return storage.MessageID{}, fmt.Errorf("send file: %w", err)
	}
	defer f.Close()
	return n.SendMedia(ctx, to, f, MediaFile{Name: filepath.Base(path), Caption: caption})
}

// SendMedia encrypts the file read from r with a fresh key, stores it as
// blocks in the node's block store (streaming: memory use does not depend
// on the file's size), and sends the message that carries its manifest.
// It returns once the message is stored and queued (state pending), like
// Send; the recipient fetches the blocks from this node, or from its relays
// when it was away. Progress is published as MediaProgress events with the
// returned ID.
func (n *Node) SendMedia(ctx context.Context, to identity.AccountID, r io.Reader, f MediaFile) (storage.MessageID, error) {
	const op = "send media"
	if err := n.ready(); err != nil {
		return storage.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	if to == n.self {
		return storage.MessageID{}, fmt.Errorf("%s: %w", op, ErrSelf)
	}
	if err := checkMediaFile(f); err != nil {
		return storage.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	if err := n.checkRecipient(ctx, to); err != nil {
		return storage.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	now := wireNow()
	id := storage.NewMessageID(now)
	guard := n.media.collector.Guard()
	defer guard.Release() // after the attachment record is committed
	m, manifest, err := n.importMedia(ctx, guard, id, accountChat(to), r, f)
	if err != nil {
		return id, fmt.Errorf("%s: %w", op, err)
	}
	raw, err := encodeContent(&pb.Content{MessageId: id[:], SentAtMs: now.UnixMilli(), Body: &pb.Content_Media{Media: m}})
	if err != nil {
		return id, fmt.Errorf("%s: %w", op, err)
	}
	item := storage.OutboxItem{ID: id, Recipient: storageAccount(to), Content: raw, CreatedAt: now}
	err = n.store.Update(ctx, func(ctx context.Context) error {
		err := n.store.InsertMessage(ctx, storage.Message{
			ID: id, Peer: storageAccount(to), Sender: storageAccount(n.self), SenderDevice: n.device,
			Direction: storage.Outgoing, Text: f.Caption, SentAt: now, StoredAt: now, State: storage.Pending,
		})
		if err != nil {
			return err
		}
		err = n.store.PutAttachment(ctx, storage.Attachment{
			ID: id, Peer: storageAccount(to), Direction: storage.Outgoing, Manifest: manifest, Root: m.Root,
			Size: m.Size, State: storage.AttachmentLocal, CreatedAt: now,
		})
		if err != nil {
			return err
		}
		return n.store.PutOutbox(ctx, item)
	})
	if err != nil {
		return id, fmt.Errorf("%s: %w", op, err)
	}
	n.outbox.enqueue(item)
	if err := n.durable(ctx); err != nil {
		return id, fmt.Errorf("%s: %w", op, err)
	}
	return id, nil
}

// SendGroupMedia sends a file to a group: it is encrypted and stored as
// blocks like SendMedia's, and its manifest goes out as one group message
// (one encryption, one publish). Members fetch the blocks from this node,
// from any member that already has them, or from this node's relays,
// which keep a copy (media.PinOwn) as long as they keep deposits, so that
// members fetch it while this node is away.
func (n *Node) SendGroupMedia(ctx context.Context, gid group.ID, r io.Reader, f MediaFile) (storage.MessageID, error) {
	const op = "send media to group"
	if err := n.ready(); err != nil {
		return storage.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	if err := checkMediaFile(f); err != nil {
		return storage.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	guard := n.media.collector.Guard()
	defer guard.Release() // after the attachment record is committed
	var m *pb.Media
	mid, err := n.groups.PublishFile(ctx, gid, f.Caption, func(id storage.MessageID) (*pb.Media, *storage.Attachment, error) {
		var manifest []byte
		var err error
		m, manifest, err = n.importMedia(ctx, guard, id, groupChat(gid), r, f)
		if err != nil {
			return nil, nil, err
		}
		return m, &storage.Attachment{
			Direction: storage.Outgoing, Manifest: manifest, Root: m.Root,
			Size: m.Size, State: storage.AttachmentLocal, CreatedAt: time.Now(),
		}, nil
	})
	if err != nil {
		return storage.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	n.goroutine(func(ctx context.Context) { n.pinAtOwnRelays(ctx, gid, mid, m) })
	if err := n.durable(ctx); err != nil {
		return mid, fmt.Errorf("%s: %w", op, err)
	}
	return mid, nil
}

// checkMediaFile checks what SendMedia and SendGroupMedia are given
// besides the file's bytes.
func checkMediaFile(f MediaFile) error {
	if err := media.CheckFileName(path2Name(f.Name)); err != nil {
		return err
	}
	if len(f.Caption) > media.MaxCaptionSize || !utf8.ValidString(f.Caption) {
		return fmt.Errorf("%w: caption must be valid UTF-8 of at most %d bytes", ErrTooLarge, media.MaxCaptionSize)
	}
	if len(f.Thumbnail) > MaxClientThumbnail {
		return fmt.Errorf("%w: thumbnail of %d bytes", ErrTooLarge, len(f.Thumbnail))
	}
	return nil
}

// importMedia encrypts the file read from r with a fresh key into blocks
// kept by guard until the caller commits the attachment record, and
// returns its manifest (with a preview for images) and the manifest's
// encoding. Progress is published for message id in chat.
func (n *Node) importMedia(ctx context.Context, guard *media.Guard, id storage.MessageID, chat mediaChat, r io.Reader, f MediaFile) (*pb.Media, []byte, error) {
	name := path2Name(f.Name)
	br := bufio.NewReaderSize(r, 64<<10)
	mimeType := f.MIME
	if mimeType == "" {
		mimeType = detectMIME(name, br)
	}
	key, err := media.NewKey()
	if err != nil {
		return nil, nil, err
	}
	prog := n.media.progress(id, chat, true, "encrypt")
	im, err := media.Import(ctx, guard.Blocks(n.store.Blocks()), br, key, func(done int64) { prog.update(done, 0) })
	if err != nil {
		return nil, nil, err
	}
	prog.finish(int64(im.Size))
	m := media.NewManifest(im, key)
	m.FileName, m.MimeType, m.Caption = name, mimeType, f.Caption
	switch {
	case len(f.Thumbnail) > 0:
		if w, h, err := imageConfig(strings.NewReader(string(f.Thumbnail))); err == nil {
			m.Thumbnail, err = makeThumbnail(strings.NewReader(string(f.Thumbnail)), w, h)
			if err != nil {
				n.log.Debug("client thumbnail refused", "err", err)
			}
		}
	case thumbnailable(mimeType) && im.Size <= maxThumbFile:
		n.imageThumbnail(ctx, m)
	}
	if err := media.CheckManifest(m); err != nil {
		return nil, nil, err
	}
	manifest, err := proto.Marshal(m)
	if err != nil {
		return nil, nil, err
	}
	return m, manifest, nil
}

// path2Name cuts a path to its last element.
func path2Name(name string) string {
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

// imageThumbnail makes the preview of an image stored in the block store:
// it decrypts the image twice, streaming (once for its header, once to
// decode it), so the file is never held whole in memory.
func (n *Node) imageThumbnail(ctx context.Context, m *pb.Media) {
	var w, h int
	err := n.readMedia(ctx, m, func(r io.Reader) error {
		var err error
		w, h, err = imageConfig(r)
		return err
	})
	if err == nil {
		err = n.readMedia(ctx, m, func(r io.Reader) error {
			var err error
			m.Thumbnail, err = makeThumbnail(r, w, h)
			return err
		})
	}
	if err == nil {
		m.Width, m.Height = uint32(w), uint32(h)
		return
	}
	n.log.Debug("no thumbnail", "err", err)
}

// readMedia hands read a reader of the plaintext of a locally stored
// attachment; read may stop early.
func (n *Node) readMedia(ctx context.Context, m *pb.Media, read func(io.Reader) error) error {
	pr, pw := io.Pipe()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		pw.CloseWithError(media.Extract(ctx, media.LocalGet(n.store.Blocks()), m, pw))
	}()
	err := read(pr)
	pr.CloseWithError(errStopReading) // unblocks the extractor if read stopped early
	wg.Wait()
	return err
}

var errStopReading = errors.New("reader stopped")

// takeGroupMedia records a file received in a group, in the group receive
// transaction. The attachment names the sending device as provider; its
// relays (where it pins group files) and the group's members are added when
// it is fetched (providers).
func (n *Node) takeGroupMedia(ctx context.Context, in rt.GroupIncoming) (rt.Result, error) {
	m := in.Content.GetMedia()
	if err := media.CheckManifest(m); err != nil || in.Seq == 0 {
		return rt.Result{}, fmt.Errorf("%w: media: %v", errBadContent, err)
	}
	msg := storage.Message{
		ID: in.ID, Peer: storage.Account(in.Group), Group: true,
		Sender: storageAccount(in.From.Account), SenderDevice: in.From.Device, Direction: storage.Incoming,
		Text: m.Caption, SentAt: in.SentAt, StoredAt: time.Now(), State: storage.Received,
	}
	got := rt.Result{Message: true}
	switch err := n.store.InsertMessage(ctx, msg); {
	case errors.Is(err, storage.ErrExists):
		return got, nil
	case err != nil:
		return got, err
	}
	manifest, err := proto.Marshal(m)
	if err != nil {
		return got, err
	}
	a := storage.Attachment{
		ID: in.ID, Peer: storage.Account(in.Group), Direction: storage.Incoming, Manifest: manifest, Root: m.Root,
		Size: m.Size, State: storage.AttachmentRemote, CreatedAt: time.Now(),
	}
	if cert := n.resolver.cert(in.From.Account, in.From.Device); cert != nil {
		a.Providers = [][]byte{[]byte(cert.PeerID)}
	}
	if err := n.store.PutAttachment(ctx, a); err != nil {
		return got, err
	}
	got.New = true
	got.After = func(ctx context.Context) {
		n.bus.publish(core.MessageReceived{Message: rt.Message(msg)})
		n.media.received(ctx, &a)
	}
	return got, nil
}

// takeMedia records a received 1:1 file in the receive transaction.
func (n *Node) takeMedia(ctx context.Context, in rt.Incoming) (rt.Result, error) {
	m := in.Content.GetMedia()
	if err := media.CheckManifest(m); err != nil {
		return rt.Result{}, fmt.Errorf("%w: %v", errBadContent, err)
	}
	sender := in.From.Account
	msg := storage.Message{
		ID: in.ID, Peer: storageAccount(sender), Sender: storageAccount(sender), SenderDevice: in.From.Device,
		Direction: storage.Incoming, Text: m.Caption, SentAt: in.SentAt, StoredAt: time.Now(),
		State: storage.Received,
	}
	got := rt.Result{Message: true} // a message of the chat, for receipts
	err := n.store.InsertMessage(ctx, msg)
	if errors.Is(err, storage.ErrExists) {
		return got, nil // a retransmission
	}
	if err != nil {
		return got, err
	}
	manifest, err := proto.Marshal(m)
	if err != nil {
		return got, err
	}
	a := storage.Attachment{
		ID: in.ID, Peer: storageAccount(sender), Direction: storage.Incoming, Manifest: manifest, Root: m.Root,
		Size: m.Size, State: storage.AttachmentRemote, CreatedAt: time.Now(),
	}
	if cert := n.resolver.cert(sender, in.From.Device); cert != nil {
		a.Providers = [][]byte{[]byte(cert.PeerID)}
	}
	if err := n.store.PutAttachment(ctx, a); err != nil {
		return got, err
	}
	got.New = true
	got.After = func(ctx context.Context) {
		n.bus.publish(core.MessageReceived{Message: rt.Message(msg)})
		n.typists.stopped(sender)
		n.media.received(ctx, &a)
	}
	return got, nil
}

// Media returns the attachment of message id (ErrNoMedia if it has none).
func (n *Node) Media(ctx context.Context, id storage.MessageID) (MediaInfo, error) {
	if err := n.ready(); err != nil {
		return MediaInfo{}, fmt.Errorf("media: %w", err)
	}
	a, err := n.store.Attachment(ctx, id)
	if errors.Is(err, storage.ErrNotFound) {
		return MediaInfo{}, fmt.Errorf("media %s: %w: %w", id, ErrNoMedia, storage.ErrNotFound)
	}
	if err != nil {
		return MediaInfo{}, fmt.Errorf("media: %w", err)
	}
	mi, err := mediaInfo(a)
	mi.Group = n.groups.IsGroup(group.ID(a.Peer))
	return mi, err
}

// MediaList returns up to limit attachments of the conversation with peer
// (an account, or a group's ID as an AccountID) older than before (zero: the newest), oldest first.
func (n *Node) MediaList(ctx context.Context, peer identity.AccountID, before storage.MessageID, limit int) ([]MediaInfo, error) {
	if err := n.ready(); err != nil {
		return nil, fmt.Errorf("media list: %w", err)
	}
	as, err := n.store.Attachments(ctx, storageAccount(peer), before, limit)
	if err != nil {
		return nil, fmt.Errorf("media list: %w", err)
	}
	out := make([]MediaInfo, 0, len(as))
	isGroup := n.groups.IsGroup(group.ID(peer))
	for _, a := range as {
		mi, err := mediaInfo(a)
		if err != nil {
			n.log.Warn("unreadable attachment", "id", a.ID, "err", err)
			continue
		}
		mi.Group = isGroup
		out = append(out, mi)
	}
	return out, nil
}

// manifest loads the decoded manifest of an attachment.
func (n *Node) manifest(ctx context.Context, id storage.MessageID) (storage.Attachment, *pb.Media, error) {
	a, err := n.store.Attachment(ctx, id)
	if errors.Is(err, storage.ErrNotFound) {
		return a, nil, fmt.Errorf("%w: %w", ErrNoMedia, storage.ErrNotFound)
	}
	if err != nil {
		return a, nil, err
	}
	m, err := media.DecodeManifest(a.Manifest)
	return a, m, err
}

// mediaRoots returns the roots of every attachment whose blocks the node
// keeps (all but the removed ones).
func (n *Node) mediaRoots(ctx context.Context) ([][]byte, error) {
	var roots [][]byte
	err := n.store.ForEachAttachment(ctx, func(a storage.Attachment) error {
		if a.State != storage.AttachmentRemoved {
			roots = append(roots, a.Root)
		}
		return nil
	})
	return roots, err
}

// providers returns whom to fetch an attachment from: extra first, then
// the peers recorded with it (the sending device), for a group's file the
// sender's relays (which keep a copy) and the members (any that fetched
// it serves it), and this node's relays (where senders pin media for us
// while we are away). The sending devices get their addresses from the
// sender's device list. With fresh (a retry: a provider could not be
// reached) the list is looked up in the DHT again, and every provider not
// connected is looked up anew, since a restart may have moved it.
func (n *Node) providers(ctx context.Context, a storage.Attachment, extra []peer.ID, fresh bool) []peer.ID {
	var out []peer.ID
	seen := map[peer.ID]bool{n.host.ID(): true}
	add := func(p peer.ID) {
		if p != "" && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, p := range extra {
		add(p)
	}
	for _, raw := range a.Providers {
		add(peer.ID(raw))
	}
	sender, device, isGroup := identity.AccountID(a.Peer), uint32(0), n.groups.IsGroup(group.ID(a.Peer))
	if m, err := n.store.Message(ctx, a.ID); err == nil {
		sender, device, isGroup = identity.AccountID(m.Sender), m.SenderDevice, m.Group
	}
	if sender != n.self {
		// A group's relays may have changed since the message arrived:
		// always ask.
		list, err := n.resolver.get(ctx, sender, fresh || isGroup)
		if err != nil {
			list = n.resolver.cached(sender)
		}
		if list != nil {
			if d, ok := list.Device(device); ok {
				add(d.Cert.PeerID) // the sending device, if its certificate was unknown on arrival
			}
			for _, d := range list.Devices {
				if seen[d.Cert.PeerID] && len(d.Addrs) > 0 {
					n.host.Peerstore().AddAddrs(d.Cert.PeerID, d.Addrs, time.Hour)
				}
			}
			if isGroup {
				relays, _ := ParseAddrInfos(list.Relays)
				for _, r := range relays {
					n.host.Peerstore().AddAddrs(r.ID, r.Addrs, time.Hour)
					add(r.ID)
				}
			}
		}
	}
	if isGroup {
		for _, p := range n.groups.TopicPeers(group.ID(a.Peer)) {
			add(p)
		}
	}
	n.relays.mu.Lock()
	for _, r := range n.relays.relays {
		add(r.info.ID)
	}
	n.relays.mu.Unlock()
	// Providers named by peer ID alone (group members, say), and on a
	// retry those not connected, are looked up in the DHT.
	for _, p := range out {
		if n.host.Network().Connectedness(p) != network.NotConnected || (!fresh && len(n.host.Peerstore().Addrs(p)) > 0) {
			continue
		}
		lctx, cancel := context.WithTimeout(ctx, lookupTimeout)
		if info, err := n.dht.FindPeer(lctx, p); err == nil {
			n.host.Peerstore().AddAddrs(p, info.Addrs, time.Hour)
		}
		cancel()
	}
	return out
}

// ForwardMedia sends the attachment of message id (sent or received) to
// another account without copying it: the new message carries the same
// manifest, so both recipients fetch the same blocks, from whoever holds
// them. This node must hold every block (FetchMedia first).
func (n *Node) ForwardMedia(ctx context.Context, id storage.MessageID, to identity.AccountID) (storage.MessageID, error) {
	const op = "forward media"
	if err := n.ready(); err != nil {
		return storage.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	if to == n.self {
		return storage.MessageID{}, fmt.Errorf("%s: %w", op, ErrSelf)
	}
	a, m, err := n.manifest(ctx, id)
	if err != nil {
		return storage.MessageID{}, fmt.Errorf("%s %s: %w", op, id, err)
	}
	if a.State != storage.AttachmentLocal {
		return storage.MessageID{}, fmt.Errorf("%s %s: blocks not all here (state %s): fetch it first", op, id, a.State)
	}
	if err := n.checkRecipient(ctx, to); err != nil {
		return storage.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	now := wireNow()
	nid := storage.NewMessageID(now)
	raw, err := encodeContent(&pb.Content{MessageId: nid[:], SentAtMs: now.UnixMilli(), Body: &pb.Content_Media{Media: m}})
	if err != nil {
		return nid, fmt.Errorf("%s: %w", op, err)
	}
	item := storage.OutboxItem{ID: nid, Recipient: storageAccount(to), Content: raw, CreatedAt: now}
	err = n.store.Update(ctx, func(ctx context.Context) error {
		err := n.store.InsertMessage(ctx, storage.Message{
			ID: nid, Peer: storageAccount(to), Sender: storageAccount(n.self), SenderDevice: n.device,
			Direction: storage.Outgoing, Text: m.Caption, SentAt: now, StoredAt: now, State: storage.Pending,
		})
		if err != nil {
			return err
		}
		err = n.store.PutAttachment(ctx, storage.Attachment{
			ID: nid, Peer: storageAccount(to), Direction: storage.Outgoing, Manifest: a.Manifest, Root: a.Root,
			Size: a.Size, State: storage.AttachmentLocal, CreatedAt: now,
		})
		if err != nil {
			return err
		}
		return n.store.PutOutbox(ctx, item)
	})
	if err != nil {
		return nid, fmt.Errorf("%s: %w", op, err)
	}
	n.outbox.enqueue(item)
	if err := n.durable(ctx); err != nil {
		return nid, fmt.Errorf("%s: %w", op, err)
	}
	return nid, nil
}

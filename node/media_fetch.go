package node

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/net/swarm"

	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// MediaProgress is published while a file is encrypted and stored for
// sending (Upload, phase "encrypt"), copied to a relay (Upload, phase
// "upload"), or downloaded (phase "download"). Done and Total count the
// file's bytes (its plaintext, as MediaInfo.Size does) in every phase.
// Events are throttled to about ten a second per file; the last one of a
// phase that completed has Done == Total.
type MediaProgress struct {
	ID storage.MessageID
	// Peer is the chat's account for a file of a 1:1 chat; zero for a
	// group's file.
	Peer identity.AccountID
	// Group is the group of a group's file; zero otherwise.
	Group  group.ID
	Upload bool
	Phase  string
	Done   int64 // bytes of the file
	Total  int64 // bytes of the file; 0 while unknown
}

// MediaStateChanged is published when an attachment's local state changes
// (a download started, is retrying, completed or failed, or the copy was
// removed).
type MediaStateChanged struct {
	ID storage.MessageID
	// Peer is the chat's account for a file of a 1:1 chat; zero for a
	// group's file.
	Peer identity.AccountID
	// Group is the group of a group's file; zero otherwise.
	Group group.ID
	State storage.AttachmentState
	Error string // why the last attempt failed (failed, retrying)
	Size  uint64 // the file's bytes
	// RetryUntil is when a retrying download gives up (State retrying).
	RetryUntil time.Time
}

func (MediaProgress) EventName() string     { return "media_progress" }
func (MediaStateChanged) EventName() string { return "media_state" }

// Defaults of the media options.
const (
	// DefaultAutoDownload is the largest attachment fetched without being
	// asked.
	DefaultAutoDownload = 16 << 20
	// DefaultMediaRetry is how long a download keeps trying when no
	// provider of the file can be reached (the sender is offline, say)
	// before it fails; see WithMediaRetry.
	DefaultMediaRetry = 24 * time.Hour
	// mediaRetryMin and mediaRetryMax bound the wait between two attempts
	// of a download (doubling, with jitter; a provider that connects
	// starts the next attempt at once).
	mediaRetryMin = time.Second
	mediaRetryMax = time.Minute
	// mediaGCInterval is how often unreferenced blocks are collected.
	mediaGCInterval = time.Hour
	// progressInterval throttles progress events.
	progressInterval = 100 * time.Millisecond
)

// mediaState is the node's media machinery.
type mediaState struct {
	n         *Node
	collector *media.Collector
	server    *media.Server

	mu        sync.Mutex       // guards now, downloads, uploading, connected and waiting
	now       func() time.Time // the clock of retry deadlines; tests move it
	downloads map[storage.MessageID]*download
	uploading map[peer.ID]*upload // relays fetching a pinned copy from us
	connected chan struct{}       // closed and replaced when a peer connects while downloads wait
	waiting   int                 // downloads waiting to retry
	gc        chan struct{}       // cap 1: collect now
}

// download is one running download. Its goroutine owns it; extra and
// poke are how later callers join it.
type download struct {
	done    chan struct{}
	err     error              // set before done is closed
	cancel  context.CancelFunc // stops it (DeleteMedia)
	poke    chan struct{}      // cap 1: retry now (someone asked for the file)
	extra   []peer.ID          // more providers from callers; guarded by mediaState.mu
	removed bool               // DeleteMedia stopped it; guarded by mediaState.mu
}

func newMediaState(n *Node) *mediaState {
	return &mediaState{
		n:         n,
		collector: media.NewCollector(),
		now:       time.Now,
		downloads: make(map[storage.MessageID]*download),
		uploading: make(map[peer.ID]*upload),
		connected: make(chan struct{}),
		gc:        make(chan struct{}, 1),
	}
}

// start serves our blocks.
func (ms *mediaState) start() {
	ms.server = media.NewServer(ms.n.host, ms.n.store.Blocks(),
		media.WithServerLogger(ms.n.log.With("sub", "blocks")),
		media.WithServed(ms.served))
}

func (ms *mediaState) close() {
	if ms.server != nil {
		ms.server.Close()
	}
}

// served counts bytes a relay fetches for a pin we asked for.
func (ms *mediaState) served(to peer.ID, n int) {
	ms.mu.Lock()
	u := ms.uploading[to]
	ms.mu.Unlock()
	if u != nil {
		u.add(n)
	}
}

// clock reads the clock of retry deadlines.
func (ms *mediaState) clock() time.Time {
	ms.mu.Lock()
	now := ms.now
	ms.mu.Unlock()
	return now()
}

// peerConnected wakes the downloads waiting to retry: the peer may be one
// of their providers coming back.
func (ms *mediaState) peerConnected() {
	ms.mu.Lock()
	if ms.waiting > 0 {
		close(ms.connected)
		ms.connected = make(chan struct{})
	}
	ms.mu.Unlock()
}

// mediaChat is the chat a file belongs to: an account, or a group.
type mediaChat struct {
	peer  identity.AccountID
	group group.ID
}

func accountChat(a identity.AccountID) mediaChat { return mediaChat{peer: a} }
func groupChat(g group.ID) mediaChat             { return mediaChat{group: g} }

// chatOf names the chat of attachment a, from its message (which says
// whether it is a group's) or, without one, from the groups this node is in.
func (n *Node) chatOf(ctx context.Context, a storage.Attachment) mediaChat {
	group := false
	if m, err := n.store.Message(ctx, a.ID); err == nil {
		group = m.Group
	} else {
		group = n.groups.IsGroup(groupID(a.Peer))
	}
	if group {
		return groupChat(groupID(a.Peer))
	}
	return accountChat(identity.AccountID(a.Peer))
}

func groupID(a storage.Account) group.ID { return group.ID(a) }

// progress publishes throttled MediaProgress events of one file's phase.
type progress struct {
	bus   *bus
	ev    MediaProgress
	mu    sync.Mutex // guards ev.Done, ev.Total and last
	last  time.Time
	ended bool
}

func (ms *mediaState) progress(id storage.MessageID, chat mediaChat, upload bool, phase string) *progress {
	return &progress{bus: ms.n.bus, ev: MediaProgress{ID: id, Peer: chat.peer, Group: chat.group, Upload: upload, Phase: phase}}
}

func (p *progress) update(done, total int64) {
	p.mu.Lock()
	p.ev.Done = done
	if total > 0 {
		p.ev.Total = total
	}
	now := time.Now()
	if p.ended || now.Sub(p.last) < progressInterval {
		p.mu.Unlock()
		return
	}
	p.last = now
	ev := p.ev
	p.mu.Unlock()
	p.bus.publish(ev)
}

// done returns the bytes reported so far.
func (p *progress) done() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.ev.Done
}

// flush publishes the current state, throttled or not, and ends the
// phase (a download that failed).
func (p *progress) flush() {
	p.mu.Lock()
	p.ended = true
	ev := p.ev
	p.mu.Unlock()
	p.bus.publish(ev)
}

// finish publishes the last event of the phase (Done == Total).
func (p *progress) finish(total int64) {
	p.mu.Lock()
	p.ended = true
	p.ev.Done, p.ev.Total = total, total
	ev := p.ev
	p.mu.Unlock()
	p.bus.publish(ev)
}

// FetchMedia makes every block of the attachment of message id local,
// fetching what is missing from the sending device, this node's relays and
// extra (for instance other members of a group), with progress published
// as MediaProgress events. Blocks that arrived before (an interrupted
// download) are not fetched again.
//
// The download runs in the node: it finishes even when ctx ends first
// (then FetchMedia returns ctx's error), and concurrent calls for one
// attachment share it. When no provider can be reached (the sender is
// offline, or restarting), it tries again with backoff, looking the
// providers up afresh each time, in state retrying (MediaStateChanged
// says so, with the last attempt's error), until the WithMediaRetry
// deadline (24 h by default) has passed since it started; a restart of
// the node resumes it. It fails at once when the providers it reached
// hold no complete copy, or a block fails its check. A call for a
// download that waits to retry starts the next attempt at once.
func (n *Node) FetchMedia(ctx context.Context, id storage.MessageID, extra ...peer.ID) error {
	const op = "fetch media"
	if err := n.ready(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	d, err := n.media.startDownload(ctx, id, extra)
	if err != nil {
		return fmt.Errorf("%s %s: %w", op, id, err)
	}
	if d == nil {
		return nil // already local
	}
	select {
	case <-d.done:
		if d.err != nil {
			return fmt.Errorf("%s %s: %w", op, id, d.err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%s %s: %w", op, id, ctx.Err())
	}
}

// StartFetchMedia starts FetchMedia's download in the node and returns at
// once; MediaProgress and MediaStateChanged events report on it.
func (n *Node) StartFetchMedia(ctx context.Context, id storage.MessageID, extra ...peer.ID) error {
	if err := n.ready(); err != nil {
		return fmt.Errorf("fetch media: %w", err)
	}
	if _, err := n.media.startDownload(ctx, id, extra); err != nil {
		return fmt.Errorf("fetch media %s: %w", id, err)
	}
	return nil
}

// startDownload starts (or joins, adding extra providers and asking it to
// retry now) the download of an attachment; nil means its blocks are all
// local.
func (ms *mediaState) startDownload(ctx context.Context, id storage.MessageID, extra []peer.ID) (*download, error) {
	n := ms.n
	a, err := n.store.Attachment(ctx, id)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, fmt.Errorf("%w: %w", ErrNoMedia, storage.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	if a.State == storage.AttachmentLocal {
		return nil, nil
	}
	if err := n.store.CheckSpace(media.CiphertextSize(a.Size)); err != nil {
		return nil, err
	}
	ms.mu.Lock()
	if d := ms.downloads[id]; d != nil {
		d.extra = append(d.extra, extra...)
		select {
		case d.poke <- struct{}{}:
		default:
		}
		ms.mu.Unlock()
		return d, nil
	}
	dctx, cancel := context.WithCancel(n.runCtx())
	d := &download{done: make(chan struct{}), cancel: cancel, poke: make(chan struct{}, 1), extra: slices.Clone(extra)}
	ms.downloads[id] = d
	ms.mu.Unlock()
	until := a.RetryUntil
	if until.IsZero() || (a.State != storage.AttachmentFetching && a.State != storage.AttachmentRetrying) {
		until = ms.clock().Add(n.cfg.mediaRetry) // a new download, not one resumed after a restart
	}
	if a.State != storage.AttachmentRetrying {
		// Recorded before the caller goes on, so that what it reads next
		// is this download's state, not the last one's.
		ms.setState(ctx, id, storage.AttachmentFetching, "", until)
	}
	end := func(err error) {
		ms.mu.Lock()
		if d.removed {
			err = fmt.Errorf("download stopped: the file was removed: %w", err)
		}
		d.err = err
		delete(ms.downloads, id)
		ms.mu.Unlock()
		close(d.done)
	}
	if !n.goroutine(func(context.Context) {
		defer cancel()
		end(ms.download(dctx, a, d, until))
	}) {
		cancel()
		end(ErrClosed)
		return nil, ErrClosed
	}
	return d, nil
}

// download fetches one attachment, retrying while its providers cannot be
// reached until until, and records the outcome. An error with ctx ended
// leaves the state for the next start to resume.
func (ms *mediaState) download(ctx context.Context, a storage.Attachment, d *download, until time.Time) error {
	n := ms.n
	m, err := media.DecodeManifest(a.Manifest)
	if err != nil {
		return err
	}
	root, _ := media.CheckRoot(m.Root)
	guard := ms.collector.Guard()
	defer guard.Release() // after the state is recorded: the attachment keeps the blocks
	size := int64(m.Size)
	prog := ms.progress(a.ID, n.chatOf(ctx, a), false, "download")
	var before atomic.Int64 // bytes present when the attempt started
	var resumed atomic.Bool // the attempt moved a retrying download back to fetching
	retrying := a.State == storage.AttachmentRetrying
	report := func(done, _ int64) {
		done = int64(media.PlaintextProgress(uint64(done), m.Size))
		prog.update(done, size)
		if retrying && done > before.Load() && resumed.CompareAndSwap(false, true) {
			ms.setState(ctx, a.ID, storage.AttachmentFetching, "", until) // bytes arrive again
		}
	}
	wait := newBackoff(mediaRetryMin, mediaRetryMax)
	for attempt := 0; ; attempt++ {
		ms.mu.Lock()
		extra := slices.Clone(d.extra)
		ms.mu.Unlock()
		providers := n.providers(ctx, a, extra, attempt > 0)
		n.clearDialBackoff(providers)
		before.Store(prog.done())
		resumed.Store(false)
		err = media.Fetch(ctx, n.host, n.store.Blocks(), root, media.CiphertextSize(m.Size), media.FetchOptions{
			Providers: providers,
			Guard:     guard,
			Progress:  report,
		})
		switch {
		case err == nil:
			prog.finish(size)
			if err := n.durable(ctx); err != nil { // the blocks, before saying the file is here
				ms.setState(ctx, a.ID, storage.AttachmentFailed, err.Error(), time.Time{})
				return err
			}
			ms.setState(ctx, a.ID, storage.AttachmentLocal, "", time.Time{})
			return nil
		case ctx.Err() != nil:
			prog.flush()
			return err // the node is closing (or the file was removed): the next start resumes
		case !retryable(err) || !ms.clock().Before(until):
			prog.flush()
			ms.setState(ctx, a.ID, storage.AttachmentFailed, err.Error(), time.Time{})
			return err
		}
		progressed := prog.done() > before.Load()
		if progressed {
			wait.reset() // the attempt got somewhere (a relay's circuit ended, say)
		}
		n.log.Debug("download waits to retry", "id", a.ID, "attempt", attempt+1, "err", err)
		if !retrying || resumed.Load() {
			ms.setState(ctx, a.ID, storage.AttachmentRetrying, retryReason(progressed), until)
			retrying = true
		}
		if !ms.waitRetry(ctx, d, providers, min(wait.next(), until.Sub(ms.clock()))) {
			prog.flush()
			return ctx.Err()
		}
	}
}

// retryable reports a download error that another attempt may not have:
// a provider could not be reached or its stream broke, or there was
// nobody to ask yet.
func retryable(err error) bool {
	return errors.Is(err, media.ErrUnavailable) || errors.Is(err, media.ErrNoProviders)
}

// retryReason says why a download waits, for people (the error itself
// goes to the log).
func retryReason(progressed bool) string {
	if progressed {
		return "the connection to the file's holder broke; resuming"
	}
	return "waiting for the sender (or another holder of the file) to come online"
}

// waitRetry waits d's next attempt: delay, or until one of providers
// connects or someone asks for the file; false when ctx ended.
func (ms *mediaState) waitRetry(ctx context.Context, d *download, providers []peer.ID, delay time.Duration) bool {
	t := time.NewTimer(max(delay, 0))
	defer t.Stop()
	ms.mu.Lock()
	ms.waiting++
	ms.mu.Unlock()
	defer func() {
		ms.mu.Lock()
		ms.waiting--
		ms.mu.Unlock()
	}()
	for {
		ms.mu.Lock()
		connected := ms.connected
		ms.mu.Unlock()
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
			return true
		case <-d.poke:
			return true
		case <-connected:
			for _, p := range providers {
				if ms.n.host.Network().Connectedness(p) != network.NotConnected {
					return true
				}
			}
		}
	}
}

// clearDialBackoff forgets failed dials to ps: a provider that was down a
// moment ago (restarting, say) is dialled again at once instead of being
// refused with "dial backoff" for up to minutes.
func (n *Node) clearDialBackoff(ps []peer.ID) {
	sw, ok := n.host.Network().(interface{ Backoff() *swarm.DialBackoff })
	if !ok {
		return
	}
	for _, p := range ps {
		sw.Backoff().Clear(p)
	}
}

// setState records an attachment's state (with the retry deadline of a
// running download, zero otherwise) and publishes the change.
func (ms *mediaState) setState(ctx context.Context, id storage.MessageID, st storage.AttachmentState, msg string, until time.Time) {
	n := ms.n
	a, err := n.store.UpdateAttachment(ctx, id, func(a *storage.Attachment) { a.State, a.Error, a.RetryUntil = st, msg, until })
	if err != nil {
		n.log.Warn("record attachment state", "id", id, "err", err)
		return
	}
	chat := n.chatOf(ctx, a)
	n.bus.publish(MediaStateChanged{ID: id, Peer: chat.peer, Group: chat.group, State: st, Error: msg, Size: a.Size, RetryUntil: until})
}

// WriteMedia fetches the attachment of message id if needed, then writes
// the file to w, decrypting as it goes. Every byte written was
// authenticated; when WriteMedia fails after writing, w holds a prefix of
// the file and must be discarded (SaveMedia does that for files).
func (n *Node) WriteMedia(ctx context.Context, id storage.MessageID, w io.Writer) error {
	const op = "write media"
	if err := n.FetchMedia(ctx, id); err != nil {
		return err
	}
	_, m, err := n.manifest(ctx, id)
	if err != nil {
		return fmt.Errorf("%s %s: %w", op, id, err)
	}
	if err := media.Extract(ctx, media.LocalGet(n.store.Blocks()), m, w); err != nil {
		return fmt.Errorf("%s %s: %w", op, id, err)
	}
	return nil
}

// WriteMediaRange writes length bytes of the file of message id from byte
// off to w (a video player seeking, say). A file that is not local yet
// starts downloading in the node, as FetchMedia does, and the blocks that
// hold the range are fetched first, on their own: playback starts before
// the download ends. Every byte written was authenticated; the whole-file
// digests are checked by WriteMedia and SaveMedia only.
func (n *Node) WriteMediaRange(ctx context.Context, id storage.MessageID, off, length uint64, w io.Writer) error {
	const op = "write media range"
	if err := n.ready(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	a, m, err := n.manifest(ctx, id)
	if err != nil {
		return fmt.Errorf("%s %s: %w", op, id, err)
	}
	get := media.LocalGet(n.store.Blocks())
	if a.State != storage.AttachmentLocal {
		if _, err := n.media.startDownload(ctx, id, nil); err != nil {
			return fmt.Errorf("%s %s: %w", op, id, err)
		}
		guard := n.media.collector.Guard()
		defer guard.Release()
		get = media.RemoteGet(n.host, n.store.Blocks(), media.FetchOptions{Providers: n.providers(ctx, a, nil, false), Guard: guard, Streams: 1})
	}
	if err := media.ExtractRange(ctx, get, m, off, length, w); err != nil {
		return fmt.Errorf("%s %s: %w", op, id, err)
	}
	return nil
}

// SaveOptions tunes SaveMediaTo.
type SaveOptions struct {
	// Replace lets the file replace an existing one at a path the caller
	// named (never at a name chosen in a directory).
	Replace bool
}

// SaveMediaTo fetches the attachment of message id if needed, writes the
// file to dst, and returns the path it wrote. dst is
//
//   - a directory ("" is the current one): the file goes in it under the
//     sender's name made safe (media.SafeName: no directory parts, no
//     leading dot, no control characters, not over-long; a name from the
//     message ID and the file's type when none is left), or "name (1).ext",
//     "name (2).ext" and so on when that name is taken;
//   - any other path: the file to write, which must not exist (the error
//     wraps fs.ErrExist) unless opts.Replace.
//
// An existing file is never replaced otherwise, not even one created
// while the file is written: the file is written beside its destination,
// synced, and moved into place in one step that fails rather than replace
// (media.Target.Place), only once its size and both digests match, so no
// path ever holds a partial or corrupt file. After a failure (a full disk,
// say) the fetched blocks stay, and another call does not fetch them
// again. Errors never name the temporary file.
func (n *Node) SaveMediaTo(ctx context.Context, id storage.MessageID, dst string, opts SaveOptions) (string, error) {
	return n.saveMedia(ctx, id, dst, opts, nil)
}

// SaveMedia is SaveMediaTo without options: path is a directory to save
// the file in under a free name, or the path of a file that must not
// exist yet.
func (n *Node) SaveMedia(ctx context.Context, id storage.MessageID, path string) error {
	_, err := n.saveMedia(ctx, id, path, SaveOptions{}, nil)
	return err
}

func (n *Node) saveMedia(ctx context.Context, id storage.MessageID, dst string, opts SaveOptions, create media.CreateTemp) (string, error) {
	const op = "save media"
	if err := n.ready(); err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	_, m, err := n.manifest(ctx, id)
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", op, id, err)
	}
	// The destination is checked before a download that may be long.
	target, err := media.TargetFor(dst, media.SafeName(m.FileName, media.FallbackName(id.String(), m.MimeType)), opts.Replace)
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", op, id, err)
	}
	if err := n.FetchMedia(ctx, id); err != nil {
		return "", err
	}
	path, err := media.SaveFile(ctx, media.LocalGet(n.store.Blocks()), m, target, create)
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", op, id, err)
	}
	return path, nil
}

// DeleteMedia drops this device's copy of an attachment (the message
// stays; FetchMedia gets the file again while someone still has it),
// stopping its download if one runs. The blocks are collected at once.
func (n *Node) DeleteMedia(ctx context.Context, id storage.MessageID) error {
	if err := n.ready(); err != nil {
		return fmt.Errorf("delete media: %w", err)
	}
	if _, err := n.store.Attachment(ctx, id); errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("delete media %s: %w: %w", id, ErrNoMedia, err)
	}
	n.media.mu.Lock()
	d := n.media.downloads[id]
	if d != nil {
		d.removed = true
	}
	n.media.mu.Unlock()
	if d != nil {
		// Stop it first: it would mark the file local over blocks
		// collected under it.
		d.cancel()
		select {
		case <-d.done:
		case <-ctx.Done():
			return fmt.Errorf("delete media %s: %w: %w", id, ErrDownloading, ctx.Err())
		}
	}
	n.media.setState(ctx, id, storage.AttachmentRemoved, "", time.Time{})
	_, _, err := n.CollectMedia(ctx)
	return err
}

// CollectMedia deletes every block that no attachment references and
// returns how many blocks and bytes it freed. The node also does this every
// hour.
func (n *Node) CollectMedia(ctx context.Context) (blocks int, bytes int64, err error) {
	if err := n.ready(); err != nil {
		return 0, 0, fmt.Errorf("collect media: %w", err)
	}
	raw, err := n.mediaRoots(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("collect media: %w", err)
	}
	roots := make([]cid.Cid, 0, len(raw))
	for _, r := range raw {
		if c, err := media.CheckRoot(r); err == nil {
			roots = append(roots, c)
		}
	}
	blocks, bytes, err = n.media.collector.Collect(ctx, n.store.Blocks(), roots)
	if err != nil {
		return blocks, bytes, fmt.Errorf("collect media: %w", err)
	}
	if blocks > 0 {
		n.log.Info("media blocks collected", "blocks", blocks, "bytes", bytes)
	}
	return blocks, bytes, nil
}

// mediaLoop collects garbage periodically and resumes downloads that a
// restart interrupted.
func (n *Node) mediaLoop(ctx context.Context) {
	n.resumeDownloads(ctx)
	t := time.NewTicker(mediaGCInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-n.media.gc:
		}
		if _, _, err := n.CollectMedia(ctx); err != nil && ctx.Err() == nil {
			n.log.Warn("collect media", "err", err)
		}
	}
}

// resumeDownloads restarts the downloads that were running (or waiting
// to retry) when the node stopped; each keeps its retry deadline.
func (n *Node) resumeDownloads(ctx context.Context) {
	var ids []storage.MessageID
	err := n.store.ForEachAttachment(ctx, func(a storage.Attachment) error {
		if a.State == storage.AttachmentFetching || a.State == storage.AttachmentRetrying {
			ids = append(ids, a.ID)
		}
		return nil
	})
	if err != nil {
		return
	}
	for _, id := range ids {
		if _, err := n.media.startDownload(ctx, id, nil); err != nil {
			n.log.Debug("resume download", "id", id, "err", err)
		}
	}
}

// --- Auto-download policy.

func autoDownloadSetting(peer identity.AccountID) string {
	if peer == (identity.AccountID{}) {
		return "media.auto"
	}
	return "media.auto." + base64.RawURLEncoding.EncodeToString(peer[:]) // 54 bytes: settings names are at most 64
}

// SetAutoDownload sets the largest attachment (in bytes) fetched as soon as
// it arrives: for every chat when peer is the zero account, else for the
// chat with peer (overriding the default). 0 means never (fetch on demand
// only); a negative size removes a chat's override. The default is
// DefaultAutoDownload.
func (n *Node) SetAutoDownload(ctx context.Context, peer identity.AccountID, maxBytes int64) error {
	if err := n.ready(); err != nil {
		return fmt.Errorf("set auto-download: %w", err)
	}
	name := autoDownloadSetting(peer)
	if maxBytes < 0 {
		if peer == (identity.AccountID{}) {
			return fmt.Errorf("set auto-download: negative default")
		}
		return n.store.PutSetting(ctx, name, nil)
	}
	return n.store.PutSetting(ctx, name, binary.BigEndian.AppendUint64(nil, uint64(maxBytes)))
}

// AutoDownload returns the largest attachment fetched on arrival in the
// chat with peer (the default for the zero account).
func (n *Node) AutoDownload(ctx context.Context, peer identity.AccountID) (int64, error) {
	if err := n.ready(); err != nil {
		return 0, fmt.Errorf("auto-download: %w", err)
	}
	for _, name := range []string{autoDownloadSetting(peer), autoDownloadSetting(identity.AccountID{})} {
		v, err := n.store.Setting(ctx, name)
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

// received applies the auto-download policy to a new attachment.
func (ms *mediaState) received(ctx context.Context, a *storage.Attachment) {
	limit, err := ms.n.AutoDownload(ctx, identity.AccountID(a.Peer))
	if err != nil || a.Size > uint64(limit) {
		return
	}
	if err := ms.n.store.CheckSpace(media.CiphertextSize(a.Size)); err != nil {
		ms.n.log.Debug("auto-download skipped", "id", a.ID, "err", err) // fetched on demand later
		return
	}
	if _, err := ms.startDownload(ctx, a.ID, nil); err != nil {
		ms.n.log.Debug("auto-download", "id", a.ID, "err", err)
	}
}

// --- Relay copies for recipients that are away.

// mediaRootOf returns the root and file size of the attachment a queued
// message carries, if any.
func mediaRootOf(content []byte) (cid.Cid, uint64, bool) {
	c, err := decodeContent(content)
	if err != nil {
		return cid.Undef, 0, false
	}
	m := c.GetMedia()
	if m == nil {
		return cid.Undef, 0, false
	}
	root, err := media.CheckRoot(m.Root)
	if err != nil {
		return cid.Undef, 0, false
	}
	return root, m.Size, true
}

// pinAtRelay asks a relay to keep a copy of the attachment a queued
// message carries for the device (account, device) that is away, and
// reports the roots to name in the deposit.
func (n *Node) pinAtRelay(ctx context.Context, relay peer.ID, box [32]byte, device uint32, item storage.OutboxItem) [][]byte {
	root, size, ok := mediaRootOf(item.Content)
	if !ok || !n.pinCopy(ctx, media.Pin, relay, root, size, box, device, item.ID, accountChat(identity.AccountID(item.Recipient))) {
		return nil
	}
	return [][]byte{root.Bytes()}
}

// pinAtOwnRelays has this node's mailbox relays keep a copy of a file sent
// to group gid, pinned for this device as long as a deposit would be, so
// members fetch it while this node is away.
func (n *Node) pinAtOwnRelays(ctx context.Context, gid group.ID, id storage.MessageID, m *pb.Media) {
	root, err := media.CheckRoot(m.Root)
	if err != nil {
		return
	}
	n.relays.mu.Lock()
	relays := slices.Clone(n.relays.mailboxes)
	n.relays.mu.Unlock()
	for _, relay := range relays {
		n.pinCopy(ctx, media.PinOwn, relay, root, m.Size, n.self, n.device, id, groupChat(gid))
	}
}

// pinFunc is media.Pin or media.PinOwn.
type pinFunc func(ctx context.Context, h host.Host, relay peer.ID, root cid.Cid, account [32]byte, device uint32, size uint64) (time.Time, error)

// upload is a relay fetching a pinned copy from us.
type upload struct {
	prog *progress
	size uint64        // the file's bytes
	sent atomic.Uint64 // block bytes served
}

// add counts n block bytes served, reported as bytes of the file.
func (u *upload) add(n int) {
	sent := u.sent.Add(uint64(n))
	u.prog.update(int64(media.PlaintextProgress(sent, u.size)), int64(u.size))
}

// pinCopy asks relay (with pin) to keep a copy of the DAG under root (of
// a file of size bytes) for the device (box, device) and reports whether
// it did. The relay fetches the blocks from us; that is the upload of
// message id, published as MediaProgress.
func (n *Node) pinCopy(ctx context.Context, pin pinFunc, relay peer.ID, root cid.Cid, size uint64, box [32]byte, device uint32, id storage.MessageID, chat mediaChat) bool {
	up := &upload{prog: n.media.progress(id, chat, true, "upload"), size: size}
	up.prog.update(0, int64(size))
	n.media.mu.Lock()
	n.media.uploading[relay] = up
	n.media.mu.Unlock()
	defer func() {
		n.media.mu.Lock()
		delete(n.media.uploading, relay)
		n.media.mu.Unlock()
	}()
	// The copy may take longer than a delivery attempt: a failed attempt
	// leaves what arrived at the relay, and the next one resumes.
	ctSize := media.CiphertextSize(size)
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute+time.Duration(ctSize/media.MinPinRate)*time.Second)
	defer cancel()
	stop := context.AfterFunc(n.runCtx(), cancel)
	defer stop()
	if _, err := pin(pctx, n.host, relay, root, box, device, ctSize); err != nil {
		n.log.Debug("relay did not pin media", "relay", relay, "err", err)
		return false
	}
	up.prog.finish(int64(size))
	return true
}

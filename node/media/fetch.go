package media

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/net/swarm"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/identity"
	pmedia "github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/storage"
)

const (
	// retryMin and retryMax bound the wait between two attempts of a
	// download (doubling, with jitter; a provider that connects starts
	// the next attempt at once).
	retryMin = time.Second
	retryMax = time.Minute
	// lookupTimeout bounds one DHT lookup of a provider.
	lookupTimeout = 10 * time.Second
)

// downloads runs the downloads of attachments, one goroutine each.
type downloads struct {
	s *Service

	mu        sync.Mutex       // guards now, running, connected and waiting
	now       func() time.Time // the clock of retry deadlines; tests move it
	running   map[core.MessageID]*download
	connected chan struct{} // closed and replaced when a peer connects while downloads wait
	waiting   int           // downloads waiting to retry
}

// download is one running download. Its goroutine owns it; extra and
// poke are how later callers join it.
type download struct {
	done    chan struct{}
	err     error              // set before done is closed
	cancel  context.CancelFunc // stops it (Delete)
	poke    chan struct{}      // cap 1: retry now (someone asked for the file)
	extra   []peer.ID          // more providers from callers; guarded by downloads.mu
	removed bool               // Delete stopped it; guarded by downloads.mu
}

func newDownloads(s *Service, now func() time.Time) *downloads {
	return &downloads{s: s, now: now, running: make(map[core.MessageID]*download), connected: make(chan struct{})}
}

// clock reads the clock of retry deadlines.
func (dl *downloads) clock() time.Time {
	dl.mu.Lock()
	now := dl.now
	dl.mu.Unlock()
	return now()
}

// PeerConnected wakes the downloads waiting to retry: the peer may be one
// of their providers coming back (node's wiring: its connection watcher
// calls it).
func (s *Service) PeerConnected() {
	dl := s.dl
	dl.mu.Lock()
	if dl.waiting > 0 {
		close(dl.connected)
		dl.connected = make(chan struct{})
	}
	dl.mu.Unlock()
}

// Fetch makes every block of the attachment of message id local, fetching
// what is missing from the sending device, this node's relays and the
// peers named by providers (peer IDs in text form: other members of a
// group, say), with progress published as Progress events. Blocks that
// arrived before (an interrupted download) are not fetched again.
//
// The download runs in the node: it finishes even when ctx ends first
// (then Fetch returns ctx's error), and concurrent calls for one
// attachment share it. When no provider can be reached (the sender is
// offline, or restarting), it tries again with backoff, looking the
// providers up afresh each time, in state Retrying (StateChanged says so,
// with the last attempt's error), until the node.WithMediaRetry deadline
// (24 h by default) has passed since it started; a restart of the node
// resumes it. It fails at once when the providers it reached hold no
// complete copy, or a block fails its check. A call for a download that
// waits to retry starts the next attempt at once.
func (s *Service) Fetch(ctx context.Context, id core.MessageID, providers ...string) error {
	const op = "fetch media"
	if err := s.ready(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	extra, err := peerIDs(providers)
	if err != nil {
		return fmt.Errorf("%s %s: %w", op, id, err)
	}
	d, err := s.dl.start(ctx, id, extra)
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

// StartFetch starts Fetch's download in the node and returns at once;
// Progress and StateChanged events report on it.
func (s *Service) StartFetch(ctx context.Context, id core.MessageID, providers ...string) error {
	if err := s.ready(); err != nil {
		return fmt.Errorf("fetch media: %w", err)
	}
	extra, err := peerIDs(providers)
	if err == nil {
		_, err = s.dl.start(ctx, id, extra)
	}
	if err != nil {
		return fmt.Errorf("fetch media %s: %w", id, err)
	}
	return nil
}

// peerIDs decodes peer IDs in text form.
func peerIDs(ps []string) ([]peer.ID, error) {
	out := make([]peer.ID, 0, len(ps))
	for _, p := range ps {
		id, err := peer.Decode(p)
		if err != nil {
			return nil, fmt.Errorf("provider %q: %w", p, err)
		}
		out = append(out, id)
	}
	return out, nil
}

// start starts (or joins, adding extra providers and asking it to retry
// now) the download of an attachment; nil means its blocks are all
// local.
func (dl *downloads) start(ctx context.Context, id core.MessageID, extra []peer.ID) (*download, error) {
	s := dl.s
	a, err := s.d.Store.Attachment(ctx, rt.ID(id))
	if errors.Is(err, storage.ErrNotFound) {
		return nil, fmt.Errorf("%w: %w", ErrNoMedia, storage.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	if a.State == storage.AttachmentLocal {
		return nil, nil
	}
	if err := s.d.Store.CheckSpace(pmedia.CiphertextSize(a.Size)); err != nil {
		return nil, err
	}
	dl.mu.Lock()
	if d := dl.running[id]; d != nil {
		d.extra = append(d.extra, extra...)
		select {
		case d.poke <- struct{}{}:
		default:
		}
		dl.mu.Unlock()
		return d, nil
	}
	dctx, cancel := context.WithCancel(s.d.RunCtx())
	d := &download{done: make(chan struct{}), cancel: cancel, poke: make(chan struct{}, 1), extra: slices.Clone(extra)}
	dl.running[id] = d
	dl.mu.Unlock()
	until := a.RetryUntil
	if until.IsZero() || (a.State != storage.AttachmentFetching && a.State != storage.AttachmentRetrying) {
		until = dl.clock().Add(s.d.Retry) // a new download, not one resumed after a restart
	}
	if a.State != storage.AttachmentRetrying {
		// Recorded before the caller goes on, so that what it reads next
		// is this download's state, not the last one's.
		dl.setState(ctx, a.ID, storage.AttachmentFetching, "", until)
	}
	end := func(err error) {
		dl.mu.Lock()
		if d.removed {
			err = fmt.Errorf("download stopped: the file was removed: %w", err)
		}
		d.err = err
		delete(dl.running, id)
		dl.mu.Unlock()
		close(d.done)
	}
	if !s.d.Go(func(context.Context) {
		defer cancel()
		end(dl.run(dctx, a, d, until))
	}) {
		cancel()
		end(core.ErrClosed)
		return nil, core.ErrClosed
	}
	return d, nil
}

// run fetches one attachment, retrying while its providers cannot be
// reached until until, and records the outcome. An error with ctx ended
// leaves the state for the next start to resume.
func (dl *downloads) run(ctx context.Context, a storage.Attachment, d *download, until time.Time) error {
	s := dl.s
	m, err := pmedia.DecodeManifest(a.Manifest)
	if err != nil {
		return err
	}
	root, _ := pmedia.CheckRoot(m.Root)
	guard := s.collector.Guard()
	defer guard.Release() // after the state is recorded: the attachment keeps the blocks
	size := int64(m.Size)
	prog := newProgress(s.d.Publish, rt.CoreID(a.ID), chatOf(ctx, &s.d, a), false, "download")
	var before atomic.Int64 // bytes present when the attempt started
	var resumed atomic.Bool // the attempt moved a retrying download back to fetching
	retrying := a.State == storage.AttachmentRetrying
	report := func(done, _ int64) {
		done = int64(pmedia.PlaintextProgress(uint64(done), m.Size))
		prog.update(done, size)
		if retrying && done > before.Load() && resumed.CompareAndSwap(false, true) {
			dl.setState(ctx, a.ID, storage.AttachmentFetching, "", until) // bytes arrive again
		}
	}
	wait := rt.NewBackoff(retryMin, retryMax)
	for attempt := 0; ; attempt++ {
		dl.mu.Lock()
		extra := slices.Clone(d.extra)
		dl.mu.Unlock()
		providers := dl.providers(ctx, a, extra, attempt > 0)
		clearDialBackoff(s.d.Host.Network(), providers)
		before.Store(prog.done())
		resumed.Store(false)
		err = pmedia.Fetch(ctx, s.d.Host, s.d.Blocks, root, pmedia.CiphertextSize(m.Size), pmedia.FetchOptions{
			Providers: providers,
			Guard:     guard,
			Progress:  report,
		})
		switch {
		case err == nil:
			prog.finish(size)
			if err := s.d.Durable(ctx); err != nil { // the blocks, before saying the file is here
				dl.setState(ctx, a.ID, storage.AttachmentFailed, err.Error(), time.Time{})
				return err
			}
			dl.setState(ctx, a.ID, storage.AttachmentLocal, "", time.Time{})
			return nil
		case ctx.Err() != nil:
			prog.flush()
			return err // the node is closing (or the file was removed): the next start resumes
		case !retryable(err) || !dl.clock().Before(until):
			prog.flush()
			dl.setState(ctx, a.ID, storage.AttachmentFailed, err.Error(), time.Time{})
			return err
		}
		progressed := prog.done() > before.Load()
		if progressed {
			wait.Reset() // the attempt got somewhere (a relay's circuit ended, say)
		}
		s.log.Debug("download waits to retry", "id", a.ID, "attempt", attempt+1, "err", err)
		if !retrying || resumed.Load() {
			dl.setState(ctx, a.ID, storage.AttachmentRetrying, retryReason(progressed), until)
			retrying = true
		}
		if !dl.waitRetry(ctx, d, providers, min(wait.Next(), until.Sub(dl.clock()))) {
			prog.flush()
			return ctx.Err()
		}
	}
}

// retryable reports a download error that another attempt may not have:
// a provider could not be reached or its stream broke, or there was
// nobody to ask yet.
func retryable(err error) bool {
	return errors.Is(err, pmedia.ErrUnavailable) || errors.Is(err, pmedia.ErrNoProviders)
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
func (dl *downloads) waitRetry(ctx context.Context, d *download, providers []peer.ID, delay time.Duration) bool {
	t := time.NewTimer(max(delay, 0))
	defer t.Stop()
	dl.mu.Lock()
	dl.waiting++
	dl.mu.Unlock()
	defer func() {
		dl.mu.Lock()
		dl.waiting--
		dl.mu.Unlock()
	}()
	for {
		dl.mu.Lock()
		connected := dl.connected
		dl.mu.Unlock()
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
			return true
		case <-d.poke:
			return true
		case <-connected:
			for _, p := range providers {
				if dl.s.d.Host.Network().Connectedness(p) != network.NotConnected {
					return true
				}
			}
		}
	}
}

// clearDialBackoff forgets failed dials to ps: a provider that was down a
// moment ago (restarting, say) is dialled again at once instead of being
// refused with "dial backoff" for up to minutes.
func clearDialBackoff(nw network.Network, ps []peer.ID) {
	sw, ok := nw.(interface{ Backoff() *swarm.DialBackoff })
	if !ok {
		return
	}
	for _, p := range ps {
		sw.Backoff().Clear(p)
	}
}

// setState records an attachment's state (with the retry deadline of a
// running download, zero otherwise) and publishes the change.
func (dl *downloads) setState(ctx context.Context, id storage.MessageID, st storage.AttachmentState, msg string, until time.Time) {
	s := dl.s
	a, err := s.d.Store.UpdateAttachment(ctx, id, func(a *storage.Attachment) { a.State, a.Error, a.RetryUntil = st, msg, until })
	if err != nil {
		s.log.Warn("record attachment state", "id", id, "err", err)
		return
	}
	s.d.Publish(StateChanged{ID: rt.CoreID(id), Chat: chatOf(ctx, &s.d, a), State: State(st), Error: msg, Size: a.Size, RetryUntil: until})
}

// received applies the auto-download policy to a new attachment.
func (dl *downloads) received(ctx context.Context, a *storage.Attachment) {
	s := dl.s
	limit, err := autoDownload(ctx, s.d.Store, a.Peer)
	if err != nil || a.Size > uint64(limit) {
		return
	}
	if err := s.d.Store.CheckSpace(pmedia.CiphertextSize(a.Size)); err != nil {
		s.log.Debug("auto-download skipped", "id", a.ID, "err", err) // fetched on demand later
		return
	}
	if _, err := dl.start(ctx, rt.CoreID(a.ID), nil); err != nil {
		s.log.Debug("auto-download", "id", a.ID, "err", err)
	}
}

// ResumeDownloads restarts the downloads that were running (or waiting to
// retry) when the node stopped, or that a full disk refused; each keeps
// its retry deadline (node's wiring: at start, and when the disk has room
// again).
func (s *Service) ResumeDownloads() { s.dl.resume(s.d.RunCtx()) }

func (dl *downloads) resume(ctx context.Context) {
	var ids []core.MessageID
	err := dl.s.d.Store.ForEachAttachment(ctx, func(a storage.Attachment) error {
		if a.State == storage.AttachmentFetching || a.State == storage.AttachmentRetrying {
			ids = append(ids, rt.CoreID(a.ID))
		}
		return nil
	})
	if err != nil {
		return
	}
	for _, id := range ids {
		if _, err := dl.start(ctx, id, nil); err != nil {
			dl.s.log.Debug("resume download", "id", id, "err", err)
		}
	}
}

// providers returns whom to fetch an attachment from: extra first, then
// the peers recorded with it (the sending device; for a file folded from
// the account log, the device of ours that recorded it), the sending
// device of ours for a file sent from another device of the account, for
// a group's file the sender's relays (which keep a copy) and the members
// (any that fetched it serves it), and this node's relays (where senders
// pin media for us while we are away). The sending devices get their
// addresses from the sender's device list, ours from our own. With fresh
// (a retry: a provider could not be reached) the list is looked up in the
// DHT again, and every provider not connected is looked up anew, since a
// restart may have moved it.
func (dl *downloads) providers(ctx context.Context, a storage.Attachment, extra []peer.ID, fresh bool) []peer.ID {
	d := dl.s.d
	var out []peer.ID
	seen := map[peer.ID]bool{d.Host.ID(): true}
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
	sender, device, isGroup := core.AccountID(a.Peer), uint32(0), d.Groups.IsGroup(core.GroupID(a.Peer))
	if m, err := d.Store.Message(ctx, a.ID); err == nil {
		sender, device, isGroup = core.AccountID(m.Sender), m.SenderDevice, m.Group
	}
	if sender != d.Self {
		// A group's relays may have changed since the message arrived:
		// always ask.
		list, err := d.Devices.Get(ctx, sender, fresh || isGroup)
		if err != nil {
			list = d.Devices.Cached(sender)
		}
		if list != nil {
			dl.addDevices(list, device, isGroup, add, seen)
		}
	}
	if own := d.Devices.Cached(d.Self); own != nil {
		// Our other devices: the one that sent the file (a file sent from
		// another device of ours, folded from the account log), and the
		// addresses of those recorded as holders.
		if dev, ok := own.Device(device); ok && sender == d.Self {
			add(dev.Cert.PeerID)
		}
		for _, dev := range own.Devices {
			if seen[dev.Cert.PeerID] && len(dev.Addrs) > 0 {
				d.Host.Peerstore().AddAddrs(dev.Cert.PeerID, dev.Addrs, time.Hour)
			}
		}
	}
	if isGroup {
		for _, p := range d.Groups.TopicPeers(core.GroupID(a.Peer)) {
			add(p)
		}
	}
	for _, r := range d.Relays.All() {
		add(r)
	}
	// Providers named by peer ID alone (group members, say), and on a
	// retry those not connected, are looked up in the DHT.
	for _, p := range out {
		if d.Host.Network().Connectedness(p) != network.NotConnected || (!fresh && len(d.Host.Peerstore().Addrs(p)) > 0) {
			continue
		}
		lctx, cancel := context.WithTimeout(ctx, lookupTimeout)
		if info, err := d.Peers.FindPeer(lctx, p); err == nil {
			d.Host.Peerstore().AddAddrs(p, info.Addrs, time.Hour)
		}
		cancel()
	}
	return out
}

// addrInfos parses the relay addresses of a device list; none when one
// does not parse.
func addrInfos(addrs []string) []peer.AddrInfo {
	out := make([]peer.AddrInfo, 0, len(addrs))
	for _, s := range addrs {
		a, err := ma.NewMultiaddr(s)
		if err != nil {
			return nil
		}
		ai, err := peer.AddrInfoFromP2pAddr(a)
		if err != nil {
			return nil
		}
		out = append(out, *ai)
	}
	return out
}

// addDevices adds the sending device of list (if its certificate was
// unknown on arrival) and, for a group's file, the sender's relays, and
// notes the addresses of the providers list names.
func (dl *downloads) addDevices(list *identity.DeviceList, device uint32, isGroup bool, add func(peer.ID), seen map[peer.ID]bool) {
	ps := dl.s.d.Host.Peerstore()
	if dev, ok := list.Device(device); ok {
		add(dev.Cert.PeerID)
	}
	for _, dev := range list.Devices {
		if seen[dev.Cert.PeerID] && len(dev.Addrs) > 0 {
			ps.AddAddrs(dev.Cert.PeerID, dev.Addrs, time.Hour)
		}
	}
	if isGroup {
		for _, r := range addrInfos(list.Relays) {
			ps.AddAddrs(r.ID, r.Addrs, time.Hour)
			add(r.ID)
		}
	}
}

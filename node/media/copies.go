package media

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	pmedia "github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Copies of files at relays: before the outbox deposits a message that
// carries a file at the relays of a recipient that is away, it has them
// copy the file from this node (CopyReady, in the background: a large
// file takes minutes, and the messages queued behind it must not wait),
// and each deposit names the copy (CopiedAt, PinAtRelay) so the relay
// keeps it as long as it keeps the envelope. A file sent to a group is
// copied to this node's own mailbox relays (pinAtOwnRelays).

// copies holds the copies at relays under way and done.
type copies struct {
	s *Service

	mu sync.Mutex // guards copying and uploading
	// copying holds the messages whose files relays are copying in the
	// background (CopyReady), until the outbox forgets them (ForgetCopy).
	copying map[core.MessageID]*relayCopy
	// uploading holds the relays fetching a copy from us.
	uploading map[peer.ID]*upload
}

// relayCopy is the state of one file's copies at a recipient's relays.
type relayCopy struct {
	done  bool
	roots map[peer.ID][][]byte // what each relay pinned, to name in its deposit
}

func newCopies(s *Service) *copies {
	return &copies{s: s, copying: make(map[core.MessageID]*relayCopy), uploading: make(map[peer.ID]*upload)}
}

// CopyReady reports whether item, a queued message to the device
// (to, device), can be deposited at relays now: it carries no file, or
// the relays finished copying its file (the deposit then pins it again,
// which is quick: the relay has every block). Otherwise it starts the
// copy in the background, once, and the copy wakes to's outbox lane when
// done (for node's wiring: the outbox's deposits).
func (s *Service) CopyReady(ctx context.Context, to core.AccountID, device uint32, relays []peer.AddrInfo, item storage.OutboxItem) bool {
	if _, _, ok := rootOf(item.Content); !ok {
		return true
	}
	id := rt.CoreID(item.ID)
	cp := s.cp
	cp.mu.Lock()
	c := cp.copying[id]
	if c == nil {
		cp.copying[id] = &relayCopy{roots: make(map[peer.ID][][]byte)}
	}
	cp.mu.Unlock()
	if c != nil {
		return c.done
	}
	started := s.d.Go(func(ctx context.Context) {
		roots := make(map[peer.ID][][]byte)
		for _, r := range relays {
			if pins := s.PinAtRelay(ctx, r.ID, to, device, item); pins != nil {
				roots[r.ID] = pins
			}
		}
		cp.mu.Lock()
		if c := cp.copying[id]; c != nil {
			c.done, c.roots = true, roots
		}
		cp.mu.Unlock()
		s.d.Outbox.Wake(to)
	})
	if !started {
		cp.mu.Lock()
		delete(cp.copying, id)
		cp.mu.Unlock()
	}
	return false
}

// CopiedAt returns the roots relay pinned for message id in the
// background (CopyReady), if it did (for node's wiring: the outbox's
// deposits).
func (s *Service) CopiedAt(id core.MessageID, relay peer.ID) ([][]byte, bool) {
	cp := s.cp
	cp.mu.Lock()
	defer cp.mu.Unlock()
	c := cp.copying[id]
	if c == nil || !c.done {
		return nil, false
	}
	pins, ok := c.roots[relay]
	return pins, ok
}

// ForgetCopy drops what CopyReady recorded for message id: the outbox is
// done with it (delivered, or given up) (for node's wiring).
func (s *Service) ForgetCopy(id core.MessageID) {
	s.cp.mu.Lock()
	delete(s.cp.copying, id)
	s.cp.mu.Unlock()
}

// PinAtRelay asks relay to keep a copy of the file a queued message
// carries for the device (box, device) that is away, and returns the
// roots to name in the deposit; nil when the message carries no file or
// the relay did not (for node's wiring: the outbox's deposits).
func (s *Service) PinAtRelay(ctx context.Context, relay peer.ID, box [32]byte, device uint32, item storage.OutboxItem) [][]byte {
	root, size, ok := rootOf(item.Content)
	if !ok || !s.cp.pin(ctx, pmedia.Pin, relay, root, size, box, device, rt.CoreID(item.ID), core.With(core.AccountID(item.Recipient))) {
		return nil
	}
	return [][]byte{root.Bytes()}
}

// rootOf returns the root and file size of the file a queued message
// carries, if any.
func rootOf(content []byte) (cid.Cid, uint64, bool) {
	var c pb.Content
	if err := proto.Unmarshal(content, &c); err != nil {
		return cid.Undef, 0, false
	}
	m := c.GetMedia()
	if m == nil {
		return cid.Undef, 0, false
	}
	root, err := pmedia.CheckRoot(m.Root)
	if err != nil {
		return cid.Undef, 0, false
	}
	return root, m.Size, true
}

// pinAtOwnRelays has this node's mailbox relays keep a copy of a file
// sent to group g, pinned for this device as long as a deposit would be,
// so members fetch it while this node is away.
func (cp *copies) pinAtOwnRelays(ctx context.Context, g core.GroupID, id core.MessageID, m *pb.Media) {
	root, err := pmedia.CheckRoot(m.Root)
	if err != nil {
		return
	}
	d := cp.s.d
	for _, relay := range d.Relays.Mailboxes() {
		cp.pin(ctx, pmedia.PinOwn, relay, root, m.Size, d.Self, d.Device, id, core.InGroup(g))
	}
}

// pinFunc is protocol/media.Pin or PinOwn.
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
	u.prog.update(int64(pmedia.PlaintextProgress(sent, u.size)), int64(u.size))
}

// served counts bytes a relay fetches for a pin we asked for (the block
// server's accounting).
func (cp *copies) served(to peer.ID, n int) {
	cp.mu.Lock()
	u := cp.uploading[to]
	cp.mu.Unlock()
	if u != nil {
		u.add(n)
	}
}

// pin asks relay (with pin) to keep a copy of the DAG under root (of a
// file of size bytes) for the device (box, device) and reports whether it
// did. The relay fetches the blocks from us; that is the upload of
// message id, published as Progress.
func (cp *copies) pin(ctx context.Context, pin pinFunc, relay peer.ID, root cid.Cid, size uint64, box [32]byte, device uint32, id core.MessageID, chat core.Chat) bool {
	s := cp.s
	up := &upload{prog: newProgress(s.d.Publish, id, chat, true, "upload"), size: size}
	up.prog.update(0, int64(size))
	cp.mu.Lock()
	cp.uploading[relay] = up
	cp.mu.Unlock()
	defer func() {
		cp.mu.Lock()
		delete(cp.uploading, relay)
		cp.mu.Unlock()
	}()
	// The copy may take longer than a delivery attempt: a failed attempt
	// leaves what arrived at the relay, and the next one resumes.
	ctSize := pmedia.CiphertextSize(size)
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute+time.Duration(ctSize/pmedia.MinPinRate)*time.Second)
	defer cancel()
	stop := context.AfterFunc(s.d.RunCtx(), cancel)
	defer stop()
	if _, err := pin(pctx, s.d.Host, relay, root, box, device, ctSize); err != nil {
		s.log.Debug("relay did not pin media", "relay", relay, "err", err)
		return false
	}
	up.prog.finish(int64(size))
	return true
}

package relay

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// Media defaults of a relay.
const (
	// DefaultPinQuota is how many bytes of media one account may have
	// pinned at a relay.
	DefaultPinQuota = 4 << 30
	// pinGrace is how long a pin lasts before a deposit names it.
	pinGrace = 24 * time.Hour
	// ownPinTTL is how long a device's copy of its own file (sent to a
	// group) lasts: as long as a deposit.
	ownPinTTL = 30 * 24 * time.Hour
	// relayGCInterval is how often unpinned blocks are collected.
	relayGCInterval = 10 * time.Minute
)

// WithPinQuota sets how many bytes of media one account may have pinned
// (default DefaultPinQuota; 0 disables pinning).
func WithPinQuota(bytes int64) Option {
	return func(c *config) error {
		if bytes < 0 {
			return errors.New("relay: WithPinQuota: negative")
		}
		c.pinQuota = bytes
		return c.once("WithPinQuota")
	}
}

// mediaStore is a relay's media CDN: pinned blocks, served to anyone who
// names them, kept while a deposit refers to them.
type mediaStore struct {
	r         *Relay
	st        *badger.Store
	collector *media.Collector
	server    *media.Server
	pins      *media.PinService
	stop      chan struct{}
	done      chan struct{}
}

// openMedia opens the block store (HOME/media, in memory without a home)
// and serves /pigeon/blocks/1 and /pigeon/pin/1.
func (r *Relay) openMedia() error {
	opts := badger.Options{InMemory: r.cfg.home == "", Logger: r.log.With("sub", "media-store")}
	if r.cfg.home != "" {
		opts.Dir = filepath.Join(r.cfg.home, "media", "db")
		opts.BlocksDir = filepath.Join(r.cfg.home, "media", "blocks")
	}
	st, err := badger.Open(opts)
	if err != nil {
		return fmt.Errorf("media store: %w", err)
	}
	m := &mediaStore{r: r, st: st, collector: media.NewCollector(), stop: make(chan struct{}), done: make(chan struct{})}
	m.server = media.NewServer(r.host, st.Blocks(), media.WithServerLogger(r.log.With("sub", "blocks")))
	if r.cfg.pinQuota > 0 {
		m.pins = media.NewPinService(r.host, st.Blocks(), m, m.collector, r.log.With("sub", "pins"))
	}
	r.media = m
	go m.gcLoop()
	return nil
}

func (m *mediaStore) close() error {
	close(m.stop)
	<-m.done
	if m.pins != nil {
		m.pins.Close()
	}
	m.server.Close()
	return m.st.Close()
}

// AllowPin implements media.PinStore: the device must hold a live mailbox
// registration here and its account room in its quota.
func (m *mediaStore) AllowPin(ctx context.Context, req media.PinRequest) (time.Time, error) {
	box := mailbox.Box{Account: identity.AccountID(req.Account), Device: req.Device}
	reg, err := m.r.boxes.Registration(ctx, box)
	if err != nil || !reg.ExpiresAt.After(time.Now()) {
		return time.Time{}, fmt.Errorf("%w: %s/%d has no mailbox here", media.ErrRefused, box.Account.Short(), box.Device)
	}
	used, err := m.st.PinnedBytes(ctx, storage.Account(req.Account), time.Now())
	if err != nil {
		return time.Time{}, err
	}
	if used+req.Size > uint64(m.r.cfg.pinQuota) {
		return time.Time{}, fmt.Errorf("%w: %d bytes pinned, %d asked, quota %d", media.ErrQuota, used, req.Size, m.r.cfg.pinQuota)
	}
	if req.Own {
		if reg.PeerID != req.From {
			return time.Time{}, fmt.Errorf("%w: only %s/%d may keep its own files here", media.ErrRefused, box.Account.Short(), box.Device)
		}
		return time.Now().Add(ownPinTTL), nil
	}
	return time.Now().Add(pinGrace), nil
}

// CommitPin implements media.PinStore. The pin and its blocks are durable
// before the sender hears it may go away.
func (m *mediaStore) CommitPin(ctx context.Context, req media.PinRequest, until time.Time) error {
	err := m.st.PutPin(ctx, storage.Pin{Account: storage.Account(req.Account), Device: req.Device, Root: req.Root.Bytes(), Size: req.Size, Until: until})
	if err != nil {
		return err
	}
	return m.st.WaitDurable(ctx)
}

// deposited keeps a deposit's pinned media as long as the deposit.
func (m *mediaStore) deposited(box mailbox.Box, id mailbox.DepositID, roots [][]byte, until time.Time) {
	if err := m.st.BindDeposit(context.Background(), storage.Account(box.Account), box.Device, id, roots, until); err != nil {
		m.r.log.Warn("bind deposit pins", "err", err)
	}
}

// acked releases the media of delivered deposits.
func (m *mediaStore) acked(box mailbox.Box, ids []mailbox.DepositID) {
	raw := make([][16]byte, len(ids))
	for i, id := range ids {
		raw[i] = id
	}
	if err := m.st.AckDeposits(context.Background(), storage.Account(box.Account), box.Device, raw); err != nil {
		m.r.log.Warn("release deposit pins", "err", err)
	}
}

func (m *mediaStore) gcLoop() {
	defer close(m.done)
	t := time.NewTicker(relayGCInterval)
	defer t.Stop()
	for {
		select {
		case <-m.stop:
			return
		case <-t.C:
		}
		if _, _, err := m.collect(context.Background()); err != nil {
			m.r.log.Warn("collect media", "err", err)
		}
	}
}

// collect deletes every block no live pin reaches.
func (m *mediaStore) collect(ctx context.Context) (int, int64, error) {
	raw, err := m.st.LivePins(ctx, time.Now())
	if err != nil {
		return 0, 0, err
	}
	var roots []cid.Cid
	for _, r := range raw {
		if c, err := media.CheckRoot(r); err == nil {
			roots = append(roots, c)
		}
	}
	return m.collector.Collect(ctx, m.st.Blocks(), roots)
}

// CollectMedia deletes the blocks no live pin reaches (the relay does this
// every ten minutes) and returns how many blocks and bytes it freed.
func (r *Relay) CollectMedia(ctx context.Context) (int, int64, error) {
	r.mu.Lock()
	m := r.media
	r.mu.Unlock()
	if m == nil {
		return 0, 0, fmt.Errorf("collect media: %w", errNotStarted)
	}
	return m.collect(ctx)
}

var errNotStarted = errors.New("relay not started")

package node

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/devices"
	"github.com/pigeon-net/pigeon/node/groups"
	"github.com/pigeon-net/pigeon/node/internal/accountlog"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/acctlog"
	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// Devices returns the account's devices: listing, linking a new device,
// revoking one.
func (n *Node) Devices() *devices.Service {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.devices
}

// newAccountLog builds the account log runtime; it claims the AccountOps
// kind. Before the features, which claim their operation kinds in it.
func (n *Node) newAccountLog(key crypto.PrivKey) (*accountlog.Service, error) {
	return accountlog.New(accountlog.Deps{
		Self: rt.CoreAccount(n.self), Device: n.device, Key: key,
		Store: logStore{n.store}, Host: n.host, Devices: n.resolver, Outbox: n.post,
		Registry: n.handlers, Publish: n.bus.publish, Go: n.goroutine,
		Log: n.log.With("sub", "accountlog"), Now: n.opClock(),
	})
}

// opClock is the clock of account-log operations' times: the one
// WithClock set (a read's time starts disappearing countdowns on every
// device, so both must agree), else the wall clock.
func (n *Node) opClock() func() time.Time {
	if n.cfg.clock == nil {
		return nil
	}
	return n.cfg.clock.Now
}

// logStore adapts the store's AppendOps to the account log's interface.
type logStore struct{ *badger.Store }

func (s logStore) AppendOps(ctx context.Context, ops []*acctlog.Op) (added, conflicts []*acctlog.Op, err error) {
	r, err := s.Store.AppendOps(ctx, ops)
	return r.Added, r.Conflicts, err
}

// newDevices builds the devices feature; it claims the devices.device
// operation.
func (n *Node) newDevices() (*devices.Service, error) {
	name, _ := os.Hostname()
	d := devices.Deps{
		Self: rt.CoreAccount(n.self), Device: n.device, Cert: n.cert, Name: name, Platform: runtime.GOOS,
		Ready: n.ready, Host: n.host, Store: n.store, Lists: n.pub, Ops: n.alog, Outbox: n.post,
		Registry: n.handlers, Resolver: n.resolver, Peers: n.peers,
		Linked:  func(ctx context.Context) { n.groups.WelcomeSiblings(ctx) },
		State:   n.alog.StateHash,
		Publish: n.bus.publish, Go: n.goroutine, Log: n.log.With("sub", "devices"),
	}
	if n.account != nil { // a nil *Account in the interface would not be nil
		d.Account = n.account
	}
	return devices.New(d)
}

// peers returns the accounts this one talks with: its contacts, the
// peers of its 1:1 chats and the members of its groups.
func (n *Node) peers(ctx context.Context) []core.AccountID {
	seen := make(map[core.AccountID]bool)
	var out []core.AccountID
	add := func(a core.AccountID) {
		if a != rt.CoreAccount(n.self) && !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	if cs, err := n.contacts.List(ctx); err == nil {
		for _, c := range cs {
			add(c.Account)
		}
	}
	if gs, err := n.groups.List(ctx); err == nil {
		for _, g := range gs {
			if g.Status != groups.Active {
				continue
			}
			for _, m := range g.Members {
				add(m.Account)
			}
		}
	}
	if convs, err := n.chats.Conversations(ctx); err == nil {
		for _, c := range convs {
			if c.Chat.Group.IsZero() {
				add(c.Chat.Account)
			}
		}
	}
	return out
}

// backfilledKey holds how many of backfillSteps a home has run: each
// records, once, what a home from an older version stored before the
// account log recorded it, so devices linked later get it too. A step is
// only ever added at the end (a home at 1 ran the first step only).
const backfilledKey = "accountlog.backfilled"

// backfillSteps are the steps in the order the log learnt to carry what
// they record: 1:1 texts, contacts, relays and presence privacy; group
// texts; file messages.
func (n *Node) backfillSteps() []func(context.Context) error {
	return []func(context.Context) error{n.backfillAccount, n.backfillGroups, n.backfillMedia}
}

// backfill runs the steps this home has not run yet, recording after each
// that it ran.
func (n *Node) backfill(ctx context.Context) error {
	done := 0
	switch v, err := n.store.Setting(ctx, backfilledKey); {
	case errors.Is(err, storage.ErrNotFound):
	case err != nil:
		return err
	case len(v) > 0:
		done = int(v[0])
	}
	for i, step := range n.backfillSteps() {
		if i < done {
			continue
		}
		if err := step(ctx); err != nil {
			return fmt.Errorf("record history in the account log: %w", err)
		}
		if err := n.store.PutSetting(ctx, backfilledKey, []byte{byte(i + 1)}); err != nil {
			return err
		}
	}
	return nil
}

// backfillAccount records the 1:1 texts, contacts, relays and presence
// privacy.
func (n *Node) backfillAccount(ctx context.Context) error {
	msgs, err := n.chats.Backfill(ctx)
	if err != nil {
		return err
	}
	cs, err := n.contacts.Backfill(ctx)
	if err != nil {
		return err
	}
	rs, err := n.relays.Backfill(ctx)
	if err != nil {
		return err
	}
	if _, err := n.presence.Backfill(ctx); err != nil {
		return err
	}
	if msgs+cs+rs > 0 {
		n.log.Info("history recorded in the account log", "messages", msgs, "contacts", cs, "relays", rs)
	}
	return nil
}

// backfillGroups records the group texts.
func (n *Node) backfillGroups(ctx context.Context) error {
	gs, err := n.groups.Backfill(ctx)
	if gs > 0 {
		n.log.Info("group history recorded in the account log", "messages", gs)
	}
	return err
}

// backfillMedia records the file messages.
func (n *Node) backfillMedia(ctx context.Context) error {
	files, err := n.media.Backfill(ctx)
	if files > 0 {
		n.log.Info("files recorded in the account log", "files", files)
	}
	return err
}

// ownListVersion is the version of this account's current device list
// (0 before there is one).
func (n *Node) ownListVersion() uint64 {
	if l := n.resolver.Cached(rt.CoreAccount(n.self)); l != nil {
		return l.Version
	}
	return 0
}

package node

import (
	"context"
	"errors"
	"os"
	"runtime"

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
		Log: n.log.With("sub", "accountlog"),
	})
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

// backfilledKey holds how far a home's history from before the account
// log is in the log: 1 for its 1:1 texts, contacts, relays and presence
// privacy, 2 for its group texts too (the log recorded those later, so a
// home may be at 1).
const (
	backfilledKey   = "accountlog.backfilled"
	backfillVersion = 2
)

// backfill records once, in the account log, what a home from an older
// version stored before the log recorded it, so devices linked later get
// it too.
func (n *Node) backfill(ctx context.Context) error {
	done := 0
	switch v, err := n.store.Setting(ctx, backfilledKey); {
	case errors.Is(err, storage.ErrNotFound):
	case err != nil:
		return err
	case len(v) > 0:
		done = int(v[0])
	}
	if done >= backfillVersion {
		return nil
	}
	if done < 1 {
		if err := n.backfillAccount(ctx); err != nil {
			return err
		}
	}
	gs, err := n.groups.Backfill(ctx)
	if err != nil {
		return err
	}
	if gs > 0 {
		n.log.Info("group history recorded in the account log", "messages", gs)
	}
	return n.store.PutSetting(ctx, backfilledKey, []byte{backfillVersion})
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

// mediaBackfilledKey marks a home whose file messages from before the
// account log carried them are in the log. It is apart from
// backfilledKey: a home backfilled by a version whose log had no files
// records them now.
const mediaBackfilledKey = "accountlog.backfilled.media"

// backfillMedia records once, in the account log, the file messages a
// home stored before the log carried them.
func (n *Node) backfillMedia(ctx context.Context) error {
	if _, err := n.store.Setting(ctx, mediaBackfilledKey); err == nil {
		return nil
	} else if !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	files, err := n.media.Backfill(ctx)
	if err != nil {
		return err
	}
	if files > 0 {
		n.log.Info("files recorded in the account log", "files", files)
	}
	return n.store.PutSetting(ctx, mediaBackfilledKey, []byte{1})
}

// ownListVersion is the version of this account's current device list
// (0 before there is one).
func (n *Node) ownListVersion() uint64 {
	if l := n.resolver.Cached(rt.CoreAccount(n.self)); l != nil {
		return l.Version
	}
	return 0
}

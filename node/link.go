package node

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"

	"github.com/libp2p/go-libp2p"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/link"
	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// LinkOptions say what a new device calls itself while it is linked.
type LinkOptions struct {
	// Name is what the account's devices call this one (default: the
	// host name); Platform defaults to the operating system.
	Name, Platform string
	// ShowCode is called with the six-digit confirmation code as soon as
	// the request is sent: show it, for the user to compare with the code
	// the existing device shows before confirming there.
	ShowCode func(code string)
}

// ErrHomeInUse is returned by LinkDevice for a home that already holds an
// account.
var ErrHomeInUse = errors.New("home already holds an account")

// LinkDevice makes home a new device of the account whose device made
// code (Devices().Link, `pigeon devices link`): it creates this device's
// keys, asks the existing device over libp2p, and waits until the user
// confirms there (or the code expires, or ctx ends). On success the home
// holds the new device's certificate and the account's device list; Start
// the node on it and it pulls the account's history from the other
// devices (HistorySync events report the progress). The home must not
// hold an account yet. Of opts, the storage options apply.
func LinkDevice(ctx context.Context, home, code string, lo LinkOptions, opts ...Option) (core.AccountID, uint32, error) {
	const op = "link device"
	c, err := link.ParseCode(code)
	if err != nil {
		return core.AccountID{}, 0, fmt.Errorf("%s: %w", op, err)
	}
	cfg := defaultConfig()
	for _, o := range opts {
		if err := o(cfg); err != nil {
			return core.AccountID{}, 0, err
		}
	}
	if lo.Name == "" {
		lo.Name, _ = os.Hostname()
		if lo.Name == "" || len(lo.Name) > link.MaxNameSize {
			lo.Name = "device"
		}
	}
	if lo.Platform == "" {
		lo.Platform = runtime.GOOS
	}
	st, err := openFreshHome(ctx, home, cfg, "use another home, or link from a fresh one")
	if err != nil {
		return core.AccountID{}, 0, fmt.Errorf("%s: %w", op, err)
	}
	defer st.Close()
	keys, err := newDeviceKeys()
	if err != nil {
		return core.AccountID{}, 0, fmt.Errorf("%s: %w", op, err)
	}
	h, err := libp2p.New(libp2p.Identity(keys.peerKey), libp2p.NoListenAddrs, libp2p.EnableRelay())
	if err != nil {
		return core.AccountID{}, 0, fmt.Errorf("%s: %w", op, err)
	}
	defer h.Close()
	linked, err := link.Join(ctx, h, c, link.JoinRequest{SignalKey: keys.signalPublic, Name: lo.Name, Platform: lo.Platform}, lo.ShowCode)
	if err != nil {
		return core.AccountID{}, 0, fmt.Errorf("%s: %w", op, err)
	}
	local := &storage.LocalIdentity{
		DeviceID:       linked.DeviceID,
		PeerKey:        keys.rawPeerKey,
		SignalPublic:   keys.signalPublic,
		SignalPrivate:  keys.signalPrivate,
		RegistrationID: keys.registration,
		Certificate:    linked.Certificate,
	}
	err = st.Update(ctx, func(ctx context.Context) error {
		if err := st.PutDeviceList(ctx, storage.Account(linked.Cert.Account), linked.DeviceList); err != nil {
			return err
		}
		return st.SaveLocalIdentity(ctx, local)
	})
	if err != nil {
		return core.AccountID{}, 0, fmt.Errorf("%s: save the new device: %w", op, err)
	}
	return rt.CoreAccount(linked.Cert.Account), linked.DeviceID, nil
}

// openFreshHome opens the store of home, which must not hold an account
// yet (LinkDevice, RestoreBackup); advice says what to do when it does.
func openFreshHome(ctx context.Context, home string, cfg *config, advice string) (*badger.Store, error) {
	cfg.inMemory = false
	st, err := openStore(home, cfg, nil, cfg.logger.With("sub", "badger"))
	if err != nil {
		return nil, err
	}
	_, err = st.LocalIdentity(ctx)
	switch {
	case err == nil:
		err = fmt.Errorf("%w: %s (%s)", ErrHomeInUse, home, advice)
	case errors.Is(err, storage.ErrNotFound):
		return st, nil
	}
	st.Close()
	return nil, err
}

// HasAccount reports whether home holds an account (Init or LinkDevice
// made one), without creating anything. Of opts, those about storage
// apply, as for Init.
func HasAccount(home string, opts ...Option) (bool, error) {
	const op = "check home"
	cfg := defaultConfig()
	for _, o := range opts {
		if err := o(cfg); err != nil {
			return false, err
		}
	}
	cfg.inMemory = false
	st, err := openStore(home, cfg, nil, cfg.logger.With("sub", "badger"))
	if err != nil {
		return false, fmt.Errorf("%s: %w", op, err)
	}
	defer st.Close()
	switch _, err := st.LocalIdentity(context.Background()); {
	case err == nil:
		return true, nil
	case errors.Is(err, storage.ErrNotFound):
		return false, nil
	default:
		return false, fmt.Errorf("%s: %w", op, err)
	}
}

package node

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/backup"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/storage"
)

// Backup returns the node's backups: where they go, the key, the daily
// schedule, verify and the snapshots (see package backup).
func (n *Node) Backup() *backup.Service {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.backup
}

func newBackup(n *Node) (*backup.Service, error) {
	return backup.New(backup.Deps{
		Ready:  n.ready,
		Store:  n.store,
		Self:   rt.CoreAccount(n.self),
		Device: n.device,
		AccountSeed: func() []byte {
			if n.account == nil {
				return nil
			}
			return n.account.Seed()
		},
		Publish: n.bus.publish,
		Log:     n.log.With("sub", "backup"),
	})
}

// restoredOps is the file in a home that RestoreBackup leaves for Start:
// the account log of the backup, imported (verified and folded) when the
// node starts, then removed.
const restoredOps = "restored-acctlog"

// RestoreBackup makes home, which must not hold an account, a new device
// of the account backed up at ro.From (`pigeon init --restore`): it
// reads the newest snapshot (a wrong key fails before anything but the
// repository's config is read), takes the account key and device list
// from it, makes this device's keys and certificate (the next device
// number), and leaves the account log for Start, which folds it into
// history, contacts, groups' texts and settings, then publishes the
// account's device list with this device in it. Of opts, the storage
// options apply.
func RestoreBackup(ctx context.Context, home string, ro backup.RestoreOptions, opts ...Option) (core.AccountID, uint32, error) {
	const op = "restore backup"
	cfg := defaultConfig()
	for _, o := range opts {
		if err := o(cfg); err != nil {
			return core.AccountID{}, 0, err
		}
	}
	cfg.inMemory = false
	st, err := openStore(home, cfg, nil, cfg.logger.With("sub", "badger"))
	if err != nil {
		return core.AccountID{}, 0, fmt.Errorf("%s: %w", op, err)
	}
	defer st.Close()
	if _, err := st.LocalIdentity(ctx); err == nil {
		return core.AccountID{}, 0, fmt.Errorf("%s: %w: %s (restore into a fresh home)", op, ErrHomeInUse, home)
	} else if !errors.Is(err, storage.ErrNotFound) {
		return core.AccountID{}, 0, fmt.Errorf("%s: %w", op, err)
	}
	tmp := filepath.Join(home, restoredOps+".tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return core.AccountID{}, 0, fmt.Errorf("%s: %w", op, err)
	}
	defer os.Remove(tmp)
	w := bufio.NewWriter(f)
	acct, _, err := backup.Restore(ctx, ro, w)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return core.AccountID{}, 0, fmt.Errorf("%s: %w", op, err)
	}
	account, err := identity.AccountFromSeed(acct.Seed)
	if err != nil {
		return core.AccountID{}, 0, fmt.Errorf("%s: %w", op, err)
	}
	// The next device number: above every device the list names, now or
	// revoked.
	device := uint32(1)
	for _, d := range acct.List.Devices {
		device = max(device, d.Cert.DeviceID+1)
	}
	for _, r := range acct.List.Revoked {
		device = max(device, r.Cert.DeviceID+1)
	}
	peerKey, _, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		return core.AccountID{}, 0, err
	}
	pid, err := peer.IDFromPrivateKey(peerKey)
	if err != nil {
		return core.AccountID{}, 0, err
	}
	rawPeerKey, err := crypto.MarshalPrivateKey(peerKey)
	if err != nil {
		return core.AccountID{}, 0, err
	}
	keys, err := e2e.GenerateLocalKeys()
	if err != nil {
		return core.AccountID{}, 0, err
	}
	pub := keys.IdentityKeyPair.PublicKey().Serialize()
	priv := keys.IdentityKeyPair.PrivateKey().Serialize()
	cert, err := account.IssueCertificate(device, pid, pub, time.Now())
	if err != nil {
		return core.AccountID{}, 0, err
	}
	rawCert, err := proto.Marshal(cert)
	if err != nil {
		return core.AccountID{}, 0, err
	}
	local := &storage.LocalIdentity{
		AccountSeed: account.Seed(), DeviceID: device, PeerKey: rawPeerKey,
		SignalPublic: pub, SignalPrivate: priv[:], RegistrationID: keys.RegistrationID, Certificate: rawCert,
		DeviceListVersion: acct.List.Version,
	}
	if err := os.Rename(tmp, filepath.Join(home, restoredOps)); err != nil {
		return core.AccountID{}, 0, fmt.Errorf("%s: %w", op, err)
	}
	err = st.Update(ctx, func(ctx context.Context) error {
		if err := st.PutDeviceList(ctx, storage.Account(account.ID()), acct.DeviceList); err != nil {
			return err
		}
		return st.SaveLocalIdentity(ctx, local)
	})
	if err != nil {
		return core.AccountID{}, 0, fmt.Errorf("%s: save the new device: %w", op, err)
	}
	return rt.CoreAccount(account.ID()), device, nil
}

// importRestored folds the account log RestoreBackup left in the home,
// then removes it (an import cut short runs again: what is held is
// skipped).
func (n *Node) importRestored(ctx context.Context) error {
	if n.cfg.home == "" {
		return nil
	}
	path := filepath.Join(n.cfg.home, restoredOps)
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("restored account log: %w", err)
	}
	defer f.Close()
	r := backup.NewOpsReader(f)
	total := 0
	for {
		var batch [][]byte
		for len(batch) < 1000 {
			raw, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return fmt.Errorf("restored account log: %w", err)
			}
			batch = append(batch, raw)
		}
		if len(batch) == 0 {
			break
		}
		k, err := n.alog.Import(ctx, batch)
		total += k
		if err != nil {
			return fmt.Errorf("restored account log: %w", err)
		}
	}
	f.Close()
	n.log.Info("restored account log imported", "ops", total)
	// The account's other devices and contacts learn of this device now,
	// not at their next lookup.
	if err := n.devices.Joined(ctx); err != nil {
		return err
	}
	return os.Remove(path)
}

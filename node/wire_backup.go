package node

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/pigeon-net/pigeon/node/backup"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/node/media"
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
		Groups:  n.groups,
		Files:   backupFiles{n.media},
		Now:     n.opClock(), // WithClock's: the key check falls due with it
	})
}

// backupFiles gives backups the media feature's local files.
type backupFiles struct{ m *media.Service }

func (f backupFiles) LocalFiles(ctx context.Context) ([]backup.MediaFile, error) {
	files, err := f.m.LocalFiles(ctx)
	out := make([]backup.MediaFile, len(files))
	for i, lf := range files {
		out[i] = backup.MediaFile{ID: lf.ID, Size: lf.Size, CreatedAt: lf.CreatedAt, Disappears: lf.Disappears}
	}
	return out, err
}

func (f backupFiles) WriteLocal(ctx context.Context, id core.MessageID, w io.Writer) error {
	return f.m.WriteLocal(ctx, id, w)
}

// restoredOps is the file in a home that RestoreBackup leaves for Start:
// the account log of the backup, imported (verified and folded) when the
// node starts, then removed.
const restoredOps = "restored-acctlog"

// restoredGroups is the groups' state RestoreBackup leaves for Start:
// the backing-up device's number (4 bytes), then the groups item.
const restoredGroups = "restored-groups"

// restoredMedia is the files of the backup (its media item), which the
// node stores once it runs (restoreMedia), then removes.
const restoredMedia = "restored-media"

// writeFileSync writes a file and syncs it.
func writeFileSync(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// RestoreBackup makes home, which must not hold an account, a new device
// of the account backed up at ro.From (`pigeon init --restore`): it
// reads the newest snapshot (a wrong key fails before anything but the
// repository's config is read), takes the account key and device list
// from it, makes this device's keys and certificate (a number above
// the backup's devices: restoredDeviceID), and leaves the account log for Start, which folds it into
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
	st, err := openFreshHome(ctx, home, cfg, "restore into a fresh home")
	if err != nil {
		return core.AccountID{}, 0, fmt.Errorf("%s: %w", op, err)
	}
	defer st.Close()
	// Until the new device is saved, a failure leaves nothing for a
	// Start to import: the home stays fresh.
	saved := false
	defer func() {
		if !saved {
			for _, name := range []string{restoredOps, restoredGroups, restoredMedia} {
				os.Remove(filepath.Join(home, name))
			}
		}
	}()
	tmp := filepath.Join(home, restoredOps+".tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return core.AccountID{}, 0, fmt.Errorf("%s: %w", op, err)
	}
	defer os.Remove(tmp)
	mediaTmp := filepath.Join(home, restoredMedia+".tmp")
	mf, err := os.Create(mediaTmp)
	if err != nil {
		f.Close()
		return core.AccountID{}, 0, fmt.Errorf("%s: %w", op, err)
	}
	defer os.Remove(mediaTmp)
	var groups bytes.Buffer
	w, mw := bufio.NewWriter(f), bufio.NewWriter(mf)
	acct, _, err := backup.Restore(ctx, ro, backup.Items{Ops: w, Groups: &groups, Media: mw})
	for _, c := range []struct {
		w *bufio.Writer
		f *os.File
	}{{w, f}, {mw, mf}} {
		if err == nil {
			err = c.w.Flush()
		}
		if err == nil {
			err = c.f.Sync()
		}
		if cerr := c.f.Close(); err == nil {
			err = cerr
		}
	}
	if err == nil {
		// The device that made the backup, then its groups' state.
		state := binary.BigEndian.AppendUint32(nil, acct.Device)
		err = writeFileSync(filepath.Join(home, restoredGroups), append(state, groups.Bytes()...))
	}
	if err != nil {
		return core.AccountID{}, 0, fmt.Errorf("%s: %w", op, err)
	}
	account, err := identity.AccountFromSeed(acct.Seed)
	if err != nil {
		return core.AccountID{}, 0, fmt.Errorf("%s: %w", op, err)
	}
	device, err := restoredDeviceID(acct.List)
	if err != nil {
		return core.AccountID{}, 0, fmt.Errorf("%s: %w", op, err)
	}
	keys, err := newDeviceKeys()
	if err != nil {
		return core.AccountID{}, 0, fmt.Errorf("%s: %w", op, err)
	}
	local, err := keys.identity(account, device)
	if err != nil {
		return core.AccountID{}, 0, fmt.Errorf("%s: %w", op, err)
	}
	local.DeviceListVersion = acct.List.Version
	if err := os.Rename(mediaTmp, filepath.Join(home, restoredMedia)); err != nil {
		return core.AccountID{}, 0, fmt.Errorf("%s: %w", op, err)
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
	saved = true
	return rt.CoreAccount(account.ID()), device, nil
}

// restoredDeviceSpan is how many numbers above a backup's devices a
// restore picks its device number from.
const restoredDeviceSpan = 1 << 24

// restoredDeviceID picks the number of a device restored from a backup
// whose device list is l: above every device l names, now or revoked
// (numbers are never given twice), and at random among the next
// restoredDeviceSpan numbers. A restore works offline from the snapshot
// alone, so two machines restoring one snapshot (or a device linked on
// another before this one announces itself) start from the same list;
// taking the next number would give both the same device number, and
// each would take the other's messages and account-log operations for
// its own. Drawn from 2^24 numbers, two restores of one snapshot collide
// with odds of 1 in 16 million; devices linked later take the next
// number above the highest listed (devices.Service), so the gap is never
// filled. Nothing assumes numbers are dense: vectors, stores and the
// Signal addresses key by the number.
func restoredDeviceID(l *identity.DeviceList) (uint32, error) {
	top := uint32(0)
	for _, d := range l.Devices {
		top = max(top, d.Cert.DeviceID)
	}
	for _, r := range l.Revoked {
		top = max(top, r.Cert.DeviceID)
	}
	if top >= identity.MaxDeviceID {
		return 0, fmt.Errorf("the account has used every device number")
	}
	span := min(uint32(restoredDeviceSpan), identity.MaxDeviceID-top)
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return 0, err
	}
	return top + 1 + binary.BigEndian.Uint32(b[:])%span, nil
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
	if err := n.restoreGroups(ctx); err != nil {
		return err
	}
	// The account's other devices and contacts learn of this device now,
	// not at their next lookup.
	if err := n.devices.Joined(ctx); err != nil {
		return err
	}
	return os.Remove(path)
}

// restoreGroups takes the groups' state RestoreBackup left, as a welcome
// from the device that made the backup, then removes it.
func (n *Node) restoreGroups(ctx context.Context) error {
	path := filepath.Join(n.cfg.home, restoredGroups)
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil || len(raw) < 4 {
		return fmt.Errorf("restored groups: %w", cmp.Or(err, errors.New("file cut short")))
	}
	device := binary.BigEndian.Uint32(raw)
	r := backup.NewOpsReader(bytes.NewReader(raw[4:]))
	var msgs [][]byte
	for {
		m, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("restored groups: %w", err)
		}
		msgs = append(msgs, m)
	}
	if err := n.groups.Restore(ctx, device, msgs); err != nil {
		return err
	}
	return os.Remove(path)
}

// restoreMedia stores the files RestoreBackup left once the node runs
// (each checked against its message: media.Service.RestoreFile), then
// removes them. Cut short, it runs again at the next start: the files
// stored already are skipped.
func (n *Node) restoreMedia(ctx context.Context) {
	if n.cfg.home == "" {
		return
	}
	path := filepath.Join(n.cfg.home, restoredMedia)
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return
	}
	if err != nil {
		n.log.Warn("restored files", "err", err)
		return
	}
	defer f.Close()
	r := backup.NewMediaReader(f)
	var stored, skipped int
	for {
		id, _, body, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			n.log.Warn("restored files", "err", err)
			return
		}
		switch err := n.media.RestoreFile(ctx, id, body); {
		case ctx.Err() != nil:
			return // the next start resumes
		case errors.Is(err, storage.ErrStorageFull):
			n.log.Warn("restored files wait for free space: restart the node once there is room", "stored", stored, "err", err)
			return // the next start resumes
		case err != nil:
			// It is fetched from its holders on demand, as before.
			n.log.Warn("a restored file is left out", "id", id, "err", err)
			skipped++
		default:
			stored++
		}
	}
	f.Close()
	n.log.Info("restored files stored", "files", stored, "left_out", skipped)
	if err := os.Remove(path); err != nil {
		n.log.Warn("restored files", "err", err)
	}
}

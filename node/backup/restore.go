package backup

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"os"

	repo "github.com/pigeon-net/pigeon/storage/backup"
)

// RestoreOptions say where a backup is and which key opens it.
type RestoreOptions struct {
	From string // a directory or s3://BUCKET/PREFIX
	S3   S3
	// Key is the recovery key or the passphrase.
	Key      string
	Progress func(Progress)
}

// Items are where Restore writes a snapshot's items.
type Items struct {
	Ops, Groups io.Writer
	Media       io.Writer // nil: the files are not restored
}

// CheckRestore checks that a backup repository is at o.From and that
// o.Key opens it, reading only the repository's config: a restore's
// wrong key or location is found before it starts.
func CheckRestore(ctx context.Context, o RestoreOptions) error {
	_, h, sec, err := openKey(ctx, o)
	if err == nil {
		err = h.CheckSecret(sec)
	}
	if err != nil {
		return fmt.Errorf("check backup key: %w", err)
	}
	return nil
}

// openKey opens the target at o.From, reads its repository's config and
// parses o.Key as the kind of key the repository uses.
func openKey(ctx context.Context, o RestoreOptions) (repo.Target, repo.Header, repo.Secret, error) {
	if kind, _, dir, err := repo.ParseLocation(o.From); err == nil && kind == "dir" {
		// A mistyped path: say so, and make no empty folder there.
		if _, err := os.Stat(dir); err != nil {
			return nil, repo.Header{}, repo.Secret{}, fmt.Errorf("no backup repository at %s: %w: %v (check the path)", dir, repo.ErrNotFound, err)
		}
	}
	t, err := target(config{To: o.From, S3: o.S3})
	if err != nil {
		return nil, repo.Header{}, repo.Secret{}, err
	}
	raw, err := t.Get(ctx, "config")
	if err != nil {
		return nil, repo.Header{}, repo.Secret{}, fmt.Errorf("no backup repository at %s: %w", t, err)
	}
	h, err := repo.ParseHeader(raw)
	if err != nil {
		return nil, repo.Header{}, repo.Secret{}, err
	}
	sec, err := secretOf(h.UsesRecoveryKey(), o.Key)
	if err != nil {
		return nil, repo.Header{}, repo.Secret{}, err
	}
	return t, h, sec, nil
}

// Restore reads the newest snapshot at o.From: it returns the account
// item and writes the other items to to. The snapshot must be signed by
// the account it holds. A wrong key fails after reading only the
// repository's config.
func Restore(ctx context.Context, o RestoreOptions, to Items) (Account, repo.Snapshot, error) {
	const op = "restore backup"
	t, _, sec, err := openKey(ctx, o)
	if err != nil {
		return Account{}, repo.Snapshot{}, fmt.Errorf("%s: %w", op, err)
	}
	r, err := repo.Open(ctx, t, sec)
	if err != nil {
		return Account{}, repo.Snapshot{}, fmt.Errorf("%s: %w", op, err)
	}
	snaps, err := r.Snapshots(ctx)
	if len(snaps) == 0 {
		if err == nil {
			err = fmt.Errorf("no snapshot at %s yet", t)
		}
		return Account{}, repo.Snapshot{}, fmt.Errorf("%s: %w", op, err)
	}
	snap := snaps[0]
	if len(snap.Signer) != ed25519.PublicKeySize {
		return Account{}, repo.Snapshot{}, fmt.Errorf("%s: %w: snapshot %s is not signed", op, repo.ErrTampered, snap.ID)
	}
	var acct Account
	got := false
	err = r.Restore(ctx, snap.ID, repo.RestoreOptions{Signer: snap.Signer, Progress: o.Progress}, func(name string, size int64, rd io.Reader) error {
		switch name {
		case ItemAccount:
			raw, err := io.ReadAll(io.LimitReader(rd, maxAccountItem+1))
			if err != nil {
				return err
			}
			if acct, err = DecodeAccount(raw); err != nil {
				return err
			}
			if !bytes.Equal(ed25519.NewKeyFromSeed(acct.Seed).Public().(ed25519.PublicKey), snap.Signer) {
				return fmt.Errorf("%w: snapshot %s is signed by another key than its account's", repo.ErrTampered, snap.ID)
			}
			got = true
			return nil
		case ItemGroups:
			_, err := io.Copy(to.Groups, rd)
			return err
		case ItemMedia:
			if to.Media != nil {
				_, err := io.Copy(to.Media, rd)
				return err
			}
		}
		if isOpsItem(name) {
			_, err := io.Copy(to.Ops, rd)
			return err
		}
		_, err := io.Copy(io.Discard, rd) // an item of a later version
		return err
	})
	if err == nil && !got {
		err = fmt.Errorf("%w: snapshot %s has no account item", ErrBadBackup, snap.ID)
	}
	if err != nil {
		return Account{}, repo.Snapshot{}, fmt.Errorf("%s: %w", op, err)
	}
	return acct, snap, nil
}

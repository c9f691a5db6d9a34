package media

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	pmedia "github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/storage"
)

// LocalFile is a file whose blocks are all on this node (LocalFiles).
type LocalFile struct {
	ID        core.MessageID
	Size      uint64 // plaintext bytes
	CreatedAt time.Time
	// Disappears: the file's message has a disappearing-messages timer.
	Disappears bool
}

// ErrNotLocal: the file's blocks are not (all) on this node.
var ErrNotLocal = errors.New("the file is not on this device")

// LocalFiles lists the files whose blocks are all on this node, oldest
// first (backups carry them in this order, so a day's new files are
// appended to what the last backup stored).
func (s *Service) LocalFiles(ctx context.Context) ([]LocalFile, error) {
	if err := s.ready(); err != nil {
		return nil, fmt.Errorf("list local files: %w", err)
	}
	var out []LocalFile
	err := s.d.Store.ForEachAttachment(ctx, func(a storage.Attachment) error {
		if a.State == storage.AttachmentLocal {
			out = append(out, LocalFile{ID: rt.CoreID(a.ID), Size: a.Size, CreatedAt: a.CreatedAt})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list local files: %w", err)
	}
	for i, f := range out {
		m, err := s.d.Store.Message(ctx, rt.ID(f.ID))
		if err != nil && !errors.Is(err, storage.ErrNotFound) {
			return nil, fmt.Errorf("list local files: %w", err)
		}
		out[i].Disappears = m.ExpireAfter > 0
	}
	slices.SortFunc(out, func(a, b LocalFile) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), bytes.Compare(a.ID[:], b.ID[:]))
	})
	return out, nil
}

// WriteLocal writes the file of message id to w, decrypting and
// authenticating as it goes, from this node's blocks only: a file that is
// not here fails with ErrNotLocal and starts no download.
func (s *Service) WriteLocal(ctx context.Context, id core.MessageID, w io.Writer) error {
	const op = "write local file"
	if err := s.ready(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	a, m, err := loadManifest(ctx, s.d.Store, id)
	if err != nil {
		return fmt.Errorf("%s %s: %w", op, id, err)
	}
	if a.State != storage.AttachmentLocal {
		return fmt.Errorf("%s %s: %w", op, id, ErrNotLocal)
	}
	if err := pmedia.Extract(ctx, pmedia.LocalGet(s.d.Blocks), m, w); err != nil {
		return fmt.Errorf("%s %s: %w", op, id, err)
	}
	return nil
}

// ErrRestoredFile wraps why a file from a backup does not make the file
// its message names.
var ErrRestoredFile = errors.New("the backed-up file does not match its message")

// RestoreFile stores the file of message id from its plaintext, read
// from r (a backup): encrypting it again under the key its message
// carries gives the same blocks, which must make the message's root and
// digests; then the file is local, as after a download. A file already
// here, or whose message is gone (it disappeared, say), is skipped: r is
// read to its end either way.
func (s *Service) RestoreFile(ctx context.Context, id core.MessageID, r io.Reader) error {
	const op = "restore file"
	if err := s.ready(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	a, m, err := loadManifest(ctx, s.d.Store, id)
	if errors.Is(err, storage.ErrNotFound) || (err == nil && a.State == storage.AttachmentLocal) {
		_, err := io.Copy(io.Discard, r)
		return err
	}
	if err != nil {
		return fmt.Errorf("%s %s: %w", op, id, err)
	}
	if err := s.d.Store.CheckSpace(pmedia.CiphertextSize(m.Size)); err != nil {
		return fmt.Errorf("%s %s: %w", op, id, err)
	}
	root, err := pmedia.CheckRoot(m.Root)
	if err != nil {
		return fmt.Errorf("%s %s: %w", op, id, err)
	}
	guard := s.collector.Guard()
	defer guard.Release() // after the state is recorded: the attachment keeps the blocks
	// One byte past the size shows a longer file; Import refuses
	// anything over MaxFileSize on its own.
	imp, err := pmedia.Import(ctx, guard.Blocks(s.d.Blocks), io.LimitReader(r, int64(m.Size)+1), m.Key, nil)
	if err != nil {
		return fmt.Errorf("%s %s: %w", op, id, err)
	}
	if !imp.Root.Equals(root) || imp.Size != m.Size || !bytes.Equal(imp.PlaintextSHA256, m.PlaintextSha256) ||
		!bytes.Equal(imp.CiphertextSHA256, m.CiphertextSha256) {
		return fmt.Errorf("%s %s: %w", op, id, ErrRestoredFile)
	}
	if err := s.d.Durable(ctx); err != nil { // the blocks, before saying the file is here
		return fmt.Errorf("%s %s: %w", op, id, err)
	}
	s.dl.setState(ctx, a.ID, storage.AttachmentLocal, "", time.Time{})
	return nil
}

package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	pmedia "github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/storage"
)

// gcInterval is how often unreferenced blocks are collected.
const gcInterval = time.Hour

// Write fetches the attachment of message id if needed, then writes the
// file to w, decrypting as it goes. Every byte written was authenticated;
// when Write fails after writing, w holds a prefix of the file and must
// be discarded (SaveTo does that for files).
func (s *Service) Write(ctx context.Context, id core.MessageID, w io.Writer) error {
	const op = "write media"
	if err := s.Fetch(ctx, id); err != nil {
		return err
	}
	_, m, err := loadManifest(ctx, s.d.Store, id)
	if err != nil {
		return fmt.Errorf("%s %s: %w", op, id, err)
	}
	if err := pmedia.Extract(ctx, pmedia.LocalGet(s.d.Blocks), m, w); err != nil {
		return fmt.Errorf("%s %s: %w", op, id, err)
	}
	return nil
}

// WriteRange writes length bytes of the file of message id from byte off
// to w (a video player seeking, say). A file that is not local yet starts
// downloading in the node, as Fetch does, and the blocks that hold the
// range are fetched first, on their own: playback starts before the
// download ends. Every byte written was authenticated; the whole-file
// digests are checked by Write and SaveTo only.
func (s *Service) WriteRange(ctx context.Context, id core.MessageID, off, length uint64, w io.Writer) error {
	const op = "write media range"
	if err := s.ready(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	a, m, err := loadManifest(ctx, s.d.Store, id)
	if err != nil {
		return fmt.Errorf("%s %s: %w", op, id, err)
	}
	get := pmedia.LocalGet(s.d.Blocks)
	if a.State != storage.AttachmentLocal {
		if _, err := s.dl.start(ctx, id, nil); err != nil {
			return fmt.Errorf("%s %s: %w", op, id, err)
		}
		guard := s.collector.Guard()
		defer guard.Release()
		get = pmedia.RemoteGet(s.d.Host, s.d.Blocks, pmedia.FetchOptions{Providers: s.dl.providers(ctx, a, nil, false), Guard: guard, Streams: 1})
	}
	if err := pmedia.ExtractRange(ctx, get, m, off, length, w); err != nil {
		return fmt.Errorf("%s %s: %w", op, id, err)
	}
	return nil
}

// SaveTo fetches the attachment of message id if needed, writes the file
// to dst, and returns the path it wrote. dst is
//
//   - a directory ("" is the current one): the file goes in it under the
//     sender's name made safe (protocol/media.SafeName: no directory
//     parts, no leading dot, no control characters, not over-long; a name
//     from the message ID and the file's type when none is left), or
//     "name (1).ext", "name (2).ext" and so on when that name is taken;
//   - any other path: the file to write, which must not exist (the error
//     wraps fs.ErrExist) unless opts.Replace.
//
// An existing file is never replaced otherwise, not even one created
// while the file is written: the file is written beside its destination,
// synced, and moved into place in one step that fails rather than replace
// (protocol/media.Target.Place), only once its size and both digests
// match, so no path ever holds a partial or corrupt file. After a failure
// (a full disk, say) the fetched blocks stay, and another call does not
// fetch them again. Errors never name the temporary file.
func (s *Service) SaveTo(ctx context.Context, id core.MessageID, dst string, opts SaveOptions) (string, error) {
	return s.save(ctx, id, dst, opts, nil)
}

// Save is SaveTo without options: path is a directory to save the file in
// under a free name, or the path of a file that must not exist yet.
func (s *Service) Save(ctx context.Context, id core.MessageID, path string) error {
	_, err := s.save(ctx, id, path, SaveOptions{}, nil)
	return err
}

func (s *Service) save(ctx context.Context, id core.MessageID, dst string, opts SaveOptions, create pmedia.CreateTemp) (string, error) {
	const op = "save media"
	if err := s.ready(); err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	_, m, err := loadManifest(ctx, s.d.Store, id)
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", op, id, err)
	}
	// The destination is checked before a download that may be long.
	target, err := pmedia.TargetFor(dst, pmedia.SafeName(m.FileName, pmedia.FallbackName(id.String(), m.MimeType)), opts.Replace)
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", op, id, err)
	}
	if err := s.Fetch(ctx, id); err != nil {
		return "", err
	}
	path, err := pmedia.SaveFile(ctx, pmedia.LocalGet(s.d.Blocks), m, target, create)
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", op, id, err)
	}
	return path, nil
}

// Delete drops this device's copy of an attachment (the message stays;
// Fetch gets the file again while someone still has it), stopping its
// download if one runs. The blocks are collected at once.
func (s *Service) Delete(ctx context.Context, id core.MessageID) error {
	if err := s.ready(); err != nil {
		return fmt.Errorf("delete media: %w", err)
	}
	if _, err := s.d.Store.Attachment(ctx, rt.ID(id)); errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("delete media %s: %w: %w", id, ErrNoMedia, err)
	}
	dl := s.dl
	dl.mu.Lock()
	d := dl.running[id]
	if d != nil {
		d.removed = true
	}
	dl.mu.Unlock()
	if d != nil {
		// Stop it first: it would mark the file local over blocks
		// collected under it.
		d.cancel()
		select {
		case <-d.done:
		case <-ctx.Done():
			return fmt.Errorf("delete media %s: %w: %w", id, ErrDownloading, ctx.Err())
		}
	}
	dl.setState(ctx, rt.ID(id), storage.AttachmentRemoved, "", time.Time{})
	_, _, err := s.Collect(ctx)
	return err
}

// Collect deletes every block that no attachment references and returns
// how many blocks and bytes it freed. The node also does this every hour.
func (s *Service) Collect(ctx context.Context) (blocks int, bytes int64, err error) {
	if err := s.ready(); err != nil {
		return 0, 0, fmt.Errorf("collect media: %w", err)
	}
	return collect(ctx, s.d.Store, s.d.Blocks, s.collector, s.log)
}

// collect is Collect without asking the node whether it serves calls:
// the node's own goroutines use it (the node, closing, waits for them
// while it refuses calls).
func collect(ctx context.Context, st Store, blocks pmedia.Collectable, c *pmedia.Collector, log *slog.Logger) (int, int64, error) {
	roots, err := liveRoots(ctx, st)
	if err != nil {
		return 0, 0, fmt.Errorf("collect media: %w", err)
	}
	n, bytes, err := c.Collect(ctx, blocks, roots)
	if err != nil {
		return n, bytes, fmt.Errorf("collect media: %w", err)
	}
	if n > 0 {
		log.Info("media blocks collected", "blocks", n, "bytes", bytes)
	}
	return n, bytes, nil
}

// liveRoots returns the roots of every attachment whose blocks the node
// keeps (all but the removed ones).
func liveRoots(ctx context.Context, st Store) ([]cid.Cid, error) {
	var roots []cid.Cid
	err := st.ForEachAttachment(ctx, func(a storage.Attachment) error {
		if a.State == storage.AttachmentRemoved {
			return nil
		}
		if c, err := pmedia.CheckRoot(a.Root); err == nil {
			roots = append(roots, c)
		}
		return nil
	})
	return roots, err
}

// collectEvery calls collect every gcInterval until ctx ends.
func collectEvery(ctx context.Context, collect func(context.Context) (int, int64, error), log *slog.Logger) {
	t := time.NewTicker(gcInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, _, err := collect(ctx); err != nil && ctx.Err() == nil {
			log.Warn("collect media", "err", err)
		}
	}
}

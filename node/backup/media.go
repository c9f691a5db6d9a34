package backup

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	pmedia "github.com/pigeon-net/pigeon/protocol/media"
)

// ItemMedia is the files item: the files the backup carries (Media),
// oldest first, each as its message's ID (16 bytes), its size (uvarint)
// and its plaintext. Encrypting a file again under the key its message
// holds gives the same blocks, so a restored device checks each file
// against its message. A file that could not be read whole while backing
// up is padded with zeros to its size: its digests fail on restore and
// it is skipped (fetched from its holders later, like any remote file).
const ItemMedia = "media"

// Media says which files (photos, videos, documents) backups carry.
// The zero value carries none: history restores with each file's
// message, and the file is fetched again from its holders on demand.
// Files of disappearing messages are never carried: a snapshot is kept
// for months, they are meant to be gone within days.
type Media struct {
	Include bool `json:"include"`
	// MaxAge leaves out files older than this; 0: any age.
	MaxAge time.Duration `json:"max_age,omitempty"`
	// MaxSize leaves out files larger than this many bytes; 0: any size.
	MaxSize int64 `json:"max_size,omitempty"`
}

func (m Media) validate() error {
	if m.MaxAge < 0 || m.MaxSize < 0 {
		return fmt.Errorf("%w: a negative media age or size", core.ErrBadSetting)
	}
	return nil
}

// carries says whether m takes file f at now.
func (m Media) carries(f MediaFile, now time.Time) bool {
	switch {
	case !m.Include, f.Disappears:
		return false
	case m.MaxAge > 0 && now.Sub(f.CreatedAt) > m.MaxAge:
		return false
	case m.MaxSize > 0 && f.Size > uint64(m.MaxSize):
		return false
	}
	return true
}

// MediaFile is a file on this device that a backup may carry.
type MediaFile struct {
	ID         core.MessageID
	Size       uint64
	CreatedAt  time.Time
	Disappears bool // its message has a disappearing-messages timer
}

// Files is the media feature as backups use it.
type Files interface {
	// LocalFiles lists the files all of whose blocks are here, oldest
	// first.
	LocalFiles(ctx context.Context) ([]MediaFile, error)
	// WriteLocal writes a local file's plaintext, authenticated, without
	// fetching anything.
	WriteLocal(ctx context.Context, id core.MessageID, w io.Writer) error
}

// mediaFiles returns the files m carries, and the media item's size.
func (s *Service) mediaFiles(ctx context.Context, m Media) ([]MediaFile, int64, error) {
	if !m.Include || s.d.Files == nil {
		return nil, 0, nil
	}
	all, err := s.d.Files.LocalFiles(ctx)
	if err != nil {
		return nil, 0, err
	}
	now := s.d.Now()
	var (
		out  []MediaFile
		size int64
	)
	for _, f := range all {
		if m.carries(f, now) {
			out = append(out, f)
			size += int64(len(f.ID)) + int64(uvarintLen(f.Size)) + int64(f.Size)
		}
	}
	return out, size, nil
}

func uvarintLen(v uint64) int {
	var b [binary.MaxVarintLen64]byte
	return binary.PutUvarint(b[:], v)
}

// writeMedia writes the media item of files to w.
func (s *Service) writeMedia(ctx context.Context, w io.Writer, files []MediaFile) error {
	var hdr [16 + binary.MaxVarintLen64]byte
	for _, f := range files {
		n := copy(hdr[:], f.ID[:])
		n += binary.PutUvarint(hdr[n:], f.Size)
		if _, err := w.Write(hdr[:n]); err != nil {
			return err
		}
		body := &exactWriter{w: w, left: f.Size}
		err := s.d.Files.WriteLocal(ctx, f.ID, body)
		if body.werr != nil {
			return body.werr // the backup's own stream failed
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil || body.left > 0 {
			// Removed or damaged since it was listed: keep the item's
			// framing; the restore skips this file.
			s.d.Log.Warn("backup leaves a file out", "id", f.ID, "err", err)
			if err := body.pad(); err != nil {
				return err
			}
		}
	}
	return nil
}

// exactWriter passes at most left bytes to w.
type exactWriter struct {
	w    io.Writer
	left uint64
	werr error // from w
}

var errFileGrew = errors.New("the file is longer than its message says")

func (e *exactWriter) Write(p []byte) (int, error) {
	if uint64(len(p)) > e.left {
		return 0, errFileGrew
	}
	n, err := e.w.Write(p)
	e.left -= uint64(n)
	if err != nil {
		e.werr = err
	}
	return n, err
}

// pad fills what is left with zeros.
func (e *exactWriter) pad() error {
	var zeros [32 << 10]byte
	for e.left > 0 {
		n := min(e.left, uint64(len(zeros)))
		if _, err := e.Write(zeros[:n]); err != nil {
			return err
		}
	}
	return nil
}

// MediaReader reads the media item one file at a time.
type MediaReader struct {
	r    *bufio.Reader
	body *io.LimitedReader // of the file Next returned last
}

// NewMediaReader reads the media item from r.
func NewMediaReader(r io.Reader) *MediaReader { return &MediaReader{r: bufio.NewReader(r)} }

// Next returns the next file's message ID, size and plaintext (read it
// before the next call; what is left unread is skipped), or io.EOF after
// the last. A size over the largest file a message may carry is an
// error.
func (m *MediaReader) Next() (core.MessageID, uint64, io.Reader, error) {
	if m.body != nil {
		if _, err := io.Copy(io.Discard, m.body); err != nil {
			return core.MessageID{}, 0, nil, fmt.Errorf("%w: media item: %v", ErrBadBackup, err)
		}
		if m.body.N > 0 {
			return core.MessageID{}, 0, nil, fmt.Errorf("%w: media item cut short", ErrBadBackup)
		}
	}
	var id core.MessageID
	if _, err := io.ReadFull(m.r, id[:]); err != nil {
		if errors.Is(err, io.EOF) {
			return core.MessageID{}, 0, nil, io.EOF
		}
		return core.MessageID{}, 0, nil, fmt.Errorf("%w: media item cut short: %v", ErrBadBackup, err)
	}
	size, err := binary.ReadUvarint(m.r)
	if err != nil {
		return core.MessageID{}, 0, nil, fmt.Errorf("%w: media item cut short: %v", ErrBadBackup, err)
	}
	if size > pmedia.MaxFileSize {
		return core.MessageID{}, 0, nil, fmt.Errorf("%w: a file of %d bytes", ErrBadBackup, size)
	}
	m.body = &io.LimitedReader{R: m.r, N: int64(size)}
	return id, size, m.body, nil
}

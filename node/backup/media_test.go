package backup

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
)

// files serves fixed contents; a file listed in cut fails after half of
// it, one not in data is not local.
type files struct {
	data map[core.MessageID][]byte
	cut  map[core.MessageID]bool
}

func (f files) LocalFiles(context.Context) ([]MediaFile, error) { return nil, nil }

func (f files) WriteLocal(_ context.Context, id core.MessageID, w io.Writer) error {
	b, ok := f.data[id]
	if !ok {
		return errors.New("not local")
	}
	if f.cut[id] {
		w.Write(b[:len(b)/2])
		return errors.New("a block went missing")
	}
	_, err := w.Write(b)
	return err
}

// TestMediaItem: the media item keeps its framing when a file cannot be
// read whole (removed, damaged since it was listed): that file is padded
// to its size, and the files after it read back intact.
func TestMediaItem(t *testing.T) {
	ids := []core.MessageID{{1}, {2}, {3}, {4}}
	data := map[core.MessageID][]byte{
		ids[0]: bytes.Repeat([]byte("a"), 70_000),
		ids[1]: bytes.Repeat([]byte("b"), 1000),
		ids[3]: []byte("last"),
	}
	s := &Service{d: Deps{Files: files{data: data, cut: map[core.MessageID]bool{ids[1]: true}}, Log: slog.New(slog.DiscardHandler)}}
	list := []MediaFile{{ID: ids[0], Size: 70_000}, {ID: ids[1], Size: 1000}, {ID: ids[2], Size: 10}, {ID: ids[3], Size: 4}}
	var buf bytes.Buffer
	if err := s.writeMedia(context.Background(), &buf, list); err != nil {
		t.Fatal(err)
	}
	want := [][]byte{data[ids[0]], append(bytes.Repeat([]byte("b"), 500), make([]byte, 500)...), make([]byte, 10), data[ids[3]]}
	r := NewMediaReader(&buf)
	for i := range list {
		id, size, body, err := r.Next()
		if err != nil || id != list[i].ID || size != list[i].Size {
			t.Fatalf("file %d: %x %d %v", i, id, size, err)
		}
		if i == 2 {
			continue // Next skips what is left unread
		}
		got, err := io.ReadAll(body)
		if err != nil || !bytes.Equal(got, want[i]) {
			t.Fatalf("file %d: %d bytes, %v", i, len(got), err)
		}
	}
	if _, _, _, err := r.Next(); !errors.Is(err, io.EOF) {
		t.Fatalf("after the last file: %v", err)
	}
}

// TestMediaChoice: which files a media choice carries.
func TestMediaChoice(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	for _, c := range []struct {
		m          Media
		size       uint64
		age        time.Duration
		disappears bool
		carries    bool
	}{
		{Media{}, 10, 0, false, false},
		{Media{Include: true}, 1 << 30, 400 * day, false, true},
		{Media{Include: true}, 10, 0, true, false},
		{Media{Include: true, MaxAge: 30 * day}, 10, 29 * day, false, true},
		{Media{Include: true, MaxAge: 30 * day}, 10, 31 * day, false, false},
		{Media{Include: true, MaxSize: 100}, 100, 0, false, true},
		{Media{Include: true, MaxSize: 100}, 101, 0, false, false},
	} {
		f := MediaFile{Size: c.size, CreatedAt: now.Add(-c.age), Disappears: c.disappears}
		if got := c.m.carries(f, now); got != c.carries {
			t.Errorf("%+v, %d bytes, %v old: %v", c.m, c.size, c.age, got)
		}
	}
	if err := (Media{MaxAge: -1}).validate(); !errors.Is(err, core.ErrBadSetting) {
		t.Errorf("a negative age: %v", err)
	}
}

// FuzzMediaReader: the media item reader returns files within the size
// limit, then io.EOF or an error; it never hangs.
func FuzzMediaReader(f *testing.F) {
	var buf bytes.Buffer
	s := &Service{d: Deps{Files: files{data: map[core.MessageID][]byte{{1}: []byte("file one"), {2}: []byte("2")}}, Log: slog.New(slog.DiscardHandler)}}
	if err := s.writeMedia(context.Background(), &buf, []MediaFile{{ID: core.MessageID{1}, Size: 8}, {ID: core.MessageID{2}, Size: 1}}); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte{})
	f.Add(append(make([]byte, 16), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f))
	f.Fuzz(func(t *testing.T, b []byte) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			r := NewMediaReader(bytes.NewReader(b))
			for range len(b) + 1 {
				_, size, body, err := r.Next()
				if err != nil {
					return
				}
				n, _ := io.Copy(io.Discard, body)
				if uint64(n) > size {
					t.Errorf("read %d bytes of a %d-byte file", n, size)
				}
			}
			t.Errorf("more files than input bytes")
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("the media reader hangs")
		}
	})
}

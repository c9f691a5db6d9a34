package badger_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	ipld "github.com/ipfs/go-ipld-format"

	"github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// readPieces reads sec in pieces of n bytes.
func readPieces(t *testing.T, sec media.BlockSection, n int) []byte {
	t.Helper()
	var out []byte
	p := make([]byte, n)
	for off := 0; off < sec.Size(); off += n {
		k, err := sec.ReadAt(p, int64(off))
		if err != nil && !(errors.Is(err, io.EOF) && off+k == sec.Size()) {
			t.Fatalf("read at %d: %d bytes, %v", off, k, err)
		}
		out = append(out, p[:k]...)
	}
	return out
}

// OpenBlock reads every kind of block in pieces: small ones kept in the
// database, packed ones, those of an in-memory store and older stores'
// files.
func TestOpenBlockKinds(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openBlocks(t, dir)
	defer s.Close()
	mem, err := badger.Open(badger.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	legacy := testBlock(9, mib)
	if err := badger.PutLegacyBlock(s, legacy.Cid().Hash(), legacy.RawData()); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		st   *badger.Store
		blk  blocks.Block
	}{
		{"inline", s, testBlock(1, 1000)},
		{"packed", s, testBlock(2, mib+100)},
		{"in memory", mem, testBlock(3, mib)},
		{"legacy file", s, legacy},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.blk != legacy {
				if err := tc.st.Blocks().Put(ctx, tc.blk); err != nil {
					t.Fatal(err)
				}
			}
			sec, err := tc.st.Blocks().OpenBlock(ctx, tc.blk.Cid())
			if err != nil {
				t.Fatal(err)
			}
			if sec.Size() != len(tc.blk.RawData()) {
				t.Fatalf("size %d, want %d", sec.Size(), len(tc.blk.RawData()))
			}
			if got := readPieces(t, sec, 64<<10-3); !bytes.Equal(got, tc.blk.RawData()) {
				t.Fatal("pieces differ from the block")
			}
			if _, err := sec.ReadAt(make([]byte, 1), int64(sec.Size())); !errors.Is(err, io.EOF) {
				t.Fatalf("read past the end: %v", err)
			}
		})
	}
	if _, err := s.Blocks().OpenBlock(ctx, testBlock(99, 10).Cid()); !ipld.IsNotFound(err) {
		t.Fatalf("missing block: %v", err)
	}
}

// A block opened before compaction moved it reads from its new place; one
// deleted while open reads as missing.
func TestOpenBlockAcrossCompaction(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openBlocks(t, dir)
	defer s.Close()
	badger.SetSegmentSize(s, 4*mib)
	var bs []blocks.Block
	for i := range 8 {
		b := testBlock(uint64(i), mib)
		bs = append(bs, b)
		if err := s.Blocks().Put(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	moving, doomed := bs[1], bs[3] // in the first segment, with bs[0] and bs[2]
	secs := make(map[cid.Cid]media.BlockSection)
	for _, b := range []blocks.Block{moving, doomed} {
		sec, err := s.Blocks().OpenBlock(ctx, b.Cid())
		if err != nil {
			t.Fatal(err)
		}
		secs[b.Cid()] = sec
	}
	// Half of the first segment goes: compaction moves the rest out and
	// removes it.
	if err := s.Blocks().DeleteBlocks(ctx, []cid.Cid{bs[0].Cid(), bs[2].Cid()}); err != nil {
		t.Fatal(err)
	}
	if moved, err := s.Blocks().Compact(ctx); err != nil || moved == 0 {
		t.Fatalf("compaction moved %d, %v", moved, err)
	}
	if got := readPieces(t, secs[moving.Cid()], 100<<10); !bytes.Equal(got, moving.RawData()) {
		t.Fatal("moved block reads wrong")
	}
	if err := s.Blocks().DeleteBlock(ctx, doomed.Cid()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Blocks().Compact(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := secs[doomed.Cid()].ReadAt(make([]byte, 10), 0); !ipld.IsNotFound(err) {
		t.Fatalf("deleted block: %v, want not found", err)
	}
}

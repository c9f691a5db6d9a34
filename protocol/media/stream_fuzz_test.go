package media_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"testing"
	"time"

	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/internal/streamtest"
	"github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// sumCID is the raw CID of data.
func sumCID(data []byte) cid.Cid {
	sum, _ := mh.Sum(data, mh.SHA2_256, -1)
	return cid.NewCidV1(cid.Raw, sum)
}

// frame is m as one uvarint-delimited frame.
func frame(m proto.Message) []byte {
	raw, _ := proto.Marshal(m)
	return append(binary.AppendUvarint(nil, uint64(len(raw))), raw...)
}

// wantsOf reads the want frames at the start of in as the server reads
// them, up to the first it refuses.
func wantsOf(in []byte) []cid.Cid {
	r := bufio.NewReader(bytes.NewReader(in))
	var out []cid.Cid
	for {
		n, err := binary.ReadUvarint(r)
		if err != nil || n > media.MaxWantFrame {
			return out
		}
		b := make([]byte, n)
		if _, err := io.ReadFull(r, b); err != nil {
			return out
		}
		cs, err := media.DecodeWant(b)
		if err != nil {
			return out
		}
		out = append(out, cs...)
	}
}

// FuzzBlocksStream feeds arbitrary bytes to the /pigeon/blocks/1 server
// loop over a real connection. Whatever it reads, the server must end the
// stream once the input has ended (a hang fails streamtest.Feed) and
// answer the CIDs of the wants it accepted in order: the stored block
// (one larger than a piece among them) or NOT_FOUND.
func FuzzBlocksStream(f *testing.F) {
	pair := streamtest.NewPair(f, nil)
	st := openStore(f)
	stored := make(map[cid.Cid][]byte)
	var cids [][]byte
	for i, n := range []int{1, 100, media.PieceSize + 1000} {
		data := bytes.Repeat([]byte{byte(i + 1)}, n)
		sum, _ := mh.Sum(data, mh.SHA2_256, -1)
		blk, _ := blocks.NewBlockWithCid(data, cid.NewCidV1(cid.Raw, sum))
		if err := st.Blocks().Put(context.Background(), blk); err != nil {
			f.Fatal(err)
		}
		stored[blk.Cid()] = data
		cids = append(cids, blk.Cid().Bytes())
	}
	srv := media.NewServer(pair.Server, st.Blocks())
	f.Cleanup(srv.Close)
	missing := sumCID([]byte("missing")).Bytes()
	f.Add(frame(&pb.BlockWant{Cids: cids[:2]}))
	f.Add(append(frame(&pb.BlockWant{Cids: [][]byte{cids[2], missing}}), frame(&pb.BlockWant{Cids: cids[:1]})...))
	f.Add(append(frame(&pb.BlockWant{Cids: cids[:1]}), 3, 0xff, 0xff, 0xff))
	f.Add(frame(&pb.BlockWant{}))
	f.Add(binary.AppendUvarint(nil, media.MaxWantFrame+1))
	f.Fuzz(func(t *testing.T, in []byte) {
		answer, _ := pair.Feed(t, media.BlocksProtocol, in)
		r := bufio.NewReader(bytes.NewReader(answer))
		for i, c := range wantsOf(in) {
			n, err := binary.ReadUvarint(r)
			if err != nil {
				return // the rest was cut off by a reset
			}
			raw := make([]byte, n)
			if _, err := io.ReadFull(r, raw); err != nil {
				return
			}
			h, err := media.DecodeBlockHeader(raw)
			if err != nil {
				t.Fatalf("answer %d: %v", i, err)
			}
			want, ok := stored[c]
			switch {
			case !ok && h.Status != pb.BlockStatus_BLOCK_NOT_FOUND:
				t.Fatalf("answer %d for a missing block: %v", i, h)
			case ok && (h.Status != pb.BlockStatus_BLOCK_OK || int(h.Size) != len(want)):
				t.Fatalf("answer %d for a block of %d bytes: %v", i, len(want), h)
			case ok:
				data := make([]byte, h.Size)
				if _, err := io.ReadFull(r, data); errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
					return
				}
				if !bytes.Equal(data, want) {
					t.Fatalf("answer %d: wrong bytes", i)
				}
			}
		}
		if rest, _ := io.ReadAll(r); len(rest) > 0 {
			t.Fatalf("%d bytes after the last answer", len(rest))
		}
	})
}

// pinStore allows every pin and records nothing.
type pinStore struct{}

func (pinStore) AllowPin(context.Context, media.PinRequest) (time.Time, error) {
	return time.Now().Add(time.Hour), nil
}

func (pinStore) CommitPin(context.Context, media.PinRequest, time.Time) error { return nil }

// FuzzPinStream feeds arbitrary bytes to the /pigeon/pin/1 handler over a
// real connection: it must end the stream once the input has ended (a
// hang fails streamtest.Feed) and answer with at most one response that
// decodes. (The client serves no blocks, so an accepted pin fails its
// fetch at once.)
func FuzzPinStream(f *testing.F) {
	pair := streamtest.NewPair(f, nil)
	st := openStore(f)
	svc := media.NewPinService(pair.Server, st.Blocks(), pinStore{}, media.NewCollector(), nil)
	f.Cleanup(svc.Close)
	req := &pb.PinRequest{Root: sumCID([]byte("r")).Bytes(), Account: make([]byte, 32), Device: 1, Size: 1 << 20}
	f.Add(frame(req))
	f.Add(frame(&pb.PinRequest{Root: req.Root, Account: req.Account, Device: 1, Size: 1 << 20, Own: true}))
	f.Add(frame(&pb.PinRequest{Root: []byte{1}}))
	f.Add(binary.AppendUvarint(nil, media.MaxPinFrame+1))
	f.Fuzz(func(t *testing.T, in []byte) {
		answer, _ := pair.Feed(t, media.PinProtocol, in)
		if len(answer) == 0 {
			return // reset
		}
		size, n := binary.Uvarint(answer)
		if n <= 0 || uint64(len(answer)-n) != size {
			t.Fatalf("answer of %d bytes is not one frame", len(answer))
		}
		if _, err := media.DecodePinResponse(answer[n:]); err != nil {
			t.Fatalf("handler wrote a bad response: %v", err)
		}
	})
}

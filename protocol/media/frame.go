package media

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"sync"

	"github.com/ipfs/go-cid"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

// Frame limits of /pigeon/blocks/1 and /pigeon/pin/1.
const (
	// MaxWantCIDs bounds the CIDs in one want frame.
	MaxWantCIDs = 256
	// MaxWantFrame bounds one want frame.
	MaxWantFrame = MaxWantCIDs*(maxCIDSize+2) + 16
	// maxHeaderFrame bounds one block header frame.
	maxHeaderFrame = 32
	// MaxPinFrame bounds a pin request or response.
	MaxPinFrame = 256
)

// blockBufs recycles block-sized buffers between fetches and served
// streams: a fetch would otherwise allocate (and the kernel fault in)
// window+1 megabytes per stream.
var blockBufs = sync.Pool{New: func() any {
	b := make([]byte, 0, MaxBlockSize)
	return &b
}}

// getBlockBuf returns an empty buffer with room for any block.
func getBlockBuf() *[]byte { return blockBufs.Get().(*[]byte) }

// putBlockBuf recycles b; buffers that grew past MaxBlockSize are dropped.
func putBlockBuf(b *[]byte) {
	if cap(*b) == MaxBlockSize {
		*b = (*b)[:0]
		blockBufs.Put(b)
	}
}

// readFrame reads one uvarint-length-prefixed frame of at most max bytes
// into buf (reusing its capacity).
func readFrame(r *bufio.Reader, buf []byte, max int) ([]byte, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return nil, err
	}
	if n > uint64(max) {
		return nil, fmt.Errorf("%w: frame of %d bytes, limit %d", ErrTooLarge, n, max)
	}
	if cap(buf) < int(n) {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, err
	}
	return buf, nil
}

// writeFrame writes m as one uvarint-length-prefixed frame.
func writeFrame(w *bufio.Writer, m proto.Message) error {
	b, err := proto.Marshal(m)
	if err != nil {
		return err
	}
	var lenBuf [binary.MaxVarintLen64]byte
	if _, err := w.Write(lenBuf[:binary.PutUvarint(lenBuf[:], uint64(len(b)))]); err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// DecodeWant decodes and checks a want frame.
func DecodeWant(b []byte) ([]cid.Cid, error) {
	if len(b) > MaxWantFrame {
		return nil, fmt.Errorf("decode want: %w: %d bytes", ErrTooLarge, len(b))
	}
	var w pb.BlockWant
	if err := proto.Unmarshal(b, &w); err != nil {
		return nil, fmt.Errorf("decode want: %w: %v", ErrMalformed, err)
	}
	if len(w.Cids) == 0 || len(w.Cids) > MaxWantCIDs {
		return nil, fmt.Errorf("decode want: %w: %d CIDs", ErrMalformed, len(w.Cids))
	}
	out := make([]cid.Cid, len(w.Cids))
	for i, raw := range w.Cids {
		n, c, err := cid.CidFromBytes(raw)
		if err != nil || n != len(raw) {
			return nil, fmt.Errorf("decode want: %w: CID %d", ErrMalformed, i)
		}
		if err := checkCID(c); err != nil {
			return nil, fmt.Errorf("decode want: %w: CID %d: %v", ErrMalformed, i, err)
		}
		out[i] = c
	}
	return out, nil
}

// DecodeBlockHeader decodes and checks a block header frame.
func DecodeBlockHeader(b []byte) (*pb.BlockHeader, error) {
	if len(b) > maxHeaderFrame {
		return nil, fmt.Errorf("decode block header: %w: %d bytes", ErrTooLarge, len(b))
	}
	var h pb.BlockHeader
	if err := proto.Unmarshal(b, &h); err != nil {
		return nil, fmt.Errorf("decode block header: %w: %v", ErrMalformed, err)
	}
	if h.Size > MaxBlockSize {
		return nil, fmt.Errorf("decode block header: %w: block of %d bytes", ErrTooLarge, h.Size)
	}
	if h.Status != pb.BlockStatus_BLOCK_OK && h.Size != 0 {
		return nil, fmt.Errorf("decode block header: %w: data with status %v", ErrMalformed, h.Status)
	}
	if _, ok := pb.BlockStatus_name[int32(h.Status)]; !ok {
		return nil, fmt.Errorf("decode block header: %w: status %d", ErrMalformed, h.Status)
	}
	return &h, nil
}

// DecodePinRequest decodes and checks a pin request.
func DecodePinRequest(b []byte) (*pb.PinRequest, cid.Cid, error) {
	if len(b) > MaxPinFrame {
		return nil, cid.Undef, fmt.Errorf("decode pin request: %w: %d bytes", ErrTooLarge, len(b))
	}
	var r pb.PinRequest
	if err := proto.Unmarshal(b, &r); err != nil {
		return nil, cid.Undef, fmt.Errorf("decode pin request: %w: %v", ErrMalformed, err)
	}
	root, err := CheckRoot(r.Root)
	if err != nil {
		return nil, cid.Undef, fmt.Errorf("decode pin request: %w: %v", ErrMalformed, err)
	}
	switch {
	case len(r.Account) != 32:
		return nil, cid.Undef, fmt.Errorf("decode pin request: %w: account", ErrMalformed)
	case r.Size == 0 || r.Size > CiphertextSize(MaxFileSize):
		return nil, cid.Undef, fmt.Errorf("decode pin request: %w: size %d", ErrTooLarge, r.Size)
	}
	return &r, root, nil
}

// DecodePinResponse decodes and checks a pin response.
func DecodePinResponse(b []byte) (*pb.PinResponse, error) {
	if len(b) > MaxPinFrame {
		return nil, fmt.Errorf("decode pin response: %w: %d bytes", ErrTooLarge, len(b))
	}
	var r pb.PinResponse
	if err := proto.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("decode pin response: %w: %v", ErrMalformed, err)
	}
	if _, ok := pb.BlockStatus_name[int32(r.Status)]; !ok {
		return nil, fmt.Errorf("decode pin response: %w: status %d", ErrMalformed, r.Status)
	}
	return &r, nil
}

// statusError maps a status from a peer to an error.
func statusError(s pb.BlockStatus) error {
	switch s {
	case pb.BlockStatus_BLOCK_OK:
		return nil
	case pb.BlockStatus_BLOCK_NOT_FOUND:
		return ErrNotFound
	case pb.BlockStatus_BLOCK_MALFORMED:
		return ErrMalformed
	case pb.BlockStatus_BLOCK_TOO_LARGE:
		return ErrTooLarge
	case pb.BlockStatus_BLOCK_REFUSED:
		return ErrRefused
	case pb.BlockStatus_BLOCK_QUOTA:
		return ErrQuota
	case pb.BlockStatus_BLOCK_FETCH_FAILED:
		return ErrFetchFailed
	}
	return fmt.Errorf("peer answered %v", s)
}

// statusFor maps an error to the status sent to a peer.
func statusFor(err error) pb.BlockStatus {
	switch {
	case err == nil:
		return pb.BlockStatus_BLOCK_OK
	case isErr(err, ErrNotFound):
		return pb.BlockStatus_BLOCK_NOT_FOUND
	case isErr(err, ErrMalformed):
		return pb.BlockStatus_BLOCK_MALFORMED
	case isErr(err, ErrTooLarge):
		return pb.BlockStatus_BLOCK_TOO_LARGE
	case isErr(err, ErrRefused):
		return pb.BlockStatus_BLOCK_REFUSED
	case isErr(err, ErrQuota):
		return pb.BlockStatus_BLOCK_QUOTA
	case isErr(err, ErrFetchFailed), isErr(err, ErrBadBlock), isErr(err, ErrSize):
		return pb.BlockStatus_BLOCK_FETCH_FAILED
	}
	return pb.BlockStatus_BLOCK_INTERNAL
}

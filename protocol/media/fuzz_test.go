package media

import (
	"bytes"
	"crypto/sha256"
	"testing"

	"github.com/ipfs/boxo/ipld/merkledag"
	"github.com/ipfs/boxo/ipld/unixfs"
	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

// Fuzz targets for every decoder of peer input, seeded with real
// encodings.

func rawCID(data []byte) cid.Cid {
	h, _ := mh.Sum(data, mh.SHA2_256, -1)
	return cid.NewCidV1(cid.Raw, h)
}

func seedManifest() *pb.Media {
	return &pb.Media{
		Root: rawCID([]byte("x")).Bytes(), Key: make([]byte, KeySize), CiphertextSha256: make([]byte, 32),
		PlaintextSha256: make([]byte, 32), Size: 1 << 30, MimeType: "video/mp4", FileName: "clip.mp4",
		Caption: "hi", SegmentSize: SegmentSize, Width: 1920, Height: 1080,
		Thumbnail: &pb.Thumbnail{MimeType: "image/jpeg", Data: []byte{0xff, 0xd8}, Width: 320, Height: 180},
	}
}

func FuzzDecodeManifest(f *testing.F) {
	b, _ := proto.Marshal(seedManifest())
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := DecodeManifest(b)
		if err != nil {
			return
		}
		if err := CheckManifest(m); err != nil {
			t.Fatalf("decoded manifest fails its check: %v", err)
		}
	})
}

func FuzzDecodeWant(f *testing.F) {
	b, _ := proto.Marshal(&pb.BlockWant{Cids: [][]byte{rawCID([]byte("a")).Bytes(), rawCID([]byte("b")).Bytes()}})
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		cs, err := DecodeWant(b)
		if err == nil && (len(cs) == 0 || len(cs) > MaxWantCIDs) {
			t.Fatalf("%d CIDs accepted", len(cs))
		}
	})
}

func FuzzDecodeBlockHeader(f *testing.F) {
	for _, h := range []*pb.BlockHeader{{Size: LeafSize}, {Status: pb.BlockStatus_BLOCK_NOT_FOUND}} {
		b, _ := proto.Marshal(h)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := DecodeBlockHeader(b)
		if err == nil && h.Size > MaxBlockSize {
			t.Fatalf("block of %d bytes accepted", h.Size)
		}
	})
}

func FuzzDecodePinRequest(f *testing.F) {
	b, _ := proto.Marshal(&pb.PinRequest{Root: rawCID([]byte("r")).Bytes(), Account: make([]byte, 32), Device: 1, Size: 1 << 20})
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _, _ = DecodePinRequest(b)
	})
}

func FuzzDecodePinResponse(f *testing.F) {
	b, _ := proto.Marshal(&pb.PinResponse{ExpiresAtMs: 1})
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = DecodePinResponse(b)
	})
}

// FuzzDecodeNode feeds blocks to the DAG decoder under the CID they hash
// to (a peer can send any bytes that hash right).
func FuzzDecodeNode(f *testing.F) {
	leaf := []byte("leaf data")
	pn := merkledag.NodeWithData(unixfs.FilePBData(nil, uint64(len(leaf))))
	pn.SetCidBuilder(cid.V1Builder{Codec: cid.DagProtobuf, MhType: mh.SHA2_256})
	if err := pn.AddNodeLink("", merkledag.NewRawNode(leaf)); err != nil {
		f.Fatal(err)
	}
	enc, err := pn.EncodeProtobuf(false)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(enc, true)
	f.Add(leaf, false)
	f.Fuzz(func(t *testing.T, b []byte, pbNode bool) {
		codec := uint64(cid.Raw)
		if pbNode {
			codec = cid.DagProtobuf
		}
		sum := sha256.Sum256(b)
		h, _ := mh.Encode(sum[:], mh.SHA2_256)
		c := cid.NewCidV1(codec, h)
		if err := verifyBlock(c, b, newBlockHasher()); err != nil {
			t.Fatalf("verify: %v", err)
		}
		n, err := decodeNode(c, b)
		if err != nil {
			return
		}
		if len(n.links) > MaxLinks || (codec == cid.Raw && !bytes.Equal(n.data, b)) {
			t.Fatalf("bad decode: %d links", len(n.links))
		}
	})
}

package media

import (
	"context"
	"crypto/sha256"
	"fmt"
	"hash"
	"io"

	chunker "github.com/ipfs/boxo/chunker"
	"github.com/ipfs/boxo/ipld/merkledag"
	"github.com/ipfs/boxo/ipld/unixfs"
	"github.com/ipfs/boxo/ipld/unixfs/importer/balanced"
	ihelper "github.com/ipfs/boxo/ipld/unixfs/importer/helpers"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	ipld "github.com/ipfs/go-ipld-format"
	mh "github.com/multiformats/go-multihash"
	"github.com/zeebo/blake3"
)

// DAG limits.
const (
	// LeafSize is the ciphertext bytes per leaf block.
	LeafSize = 1 << 20
	// MaxBlockSize bounds any block this package stores or accepts.
	MaxBlockSize = LeafSize + 64<<10
	// MaxLinks bounds the children of one internal node.
	MaxLinks = 1024
	// MaxDepth bounds the depth of a media DAG.
	MaxDepth = 8
)

// Blocks is the block storage media needs; boxo's blockstore.Blockstore
// has these methods. Get and View return an error for which
// ipld.IsNotFound is true when the block is missing.
type Blocks interface {
	Has(ctx context.Context, c cid.Cid) (bool, error)
	Get(ctx context.Context, c cid.Cid) (blocks.Block, error)
	Put(ctx context.Context, b blocks.Block) error
	// View calls fn with the block's bytes, valid only during the call.
	View(ctx context.Context, c cid.Cid, fn func([]byte) error) error
}

// BlockReader is implemented by stores that can read a block into a
// caller's buffer, saving a copy; LocalGet and the server use it when
// present.
type BlockReader interface {
	ReadBlock(ctx context.Context, c cid.Cid, buf []byte) ([]byte, error)
}

// Imported describes a file stored by Import.
type Imported struct {
	Root             cid.Cid
	Size             uint64 // plaintext bytes
	CiphertextSize   uint64
	PlaintextSHA256  []byte
	CiphertextSHA256 []byte
	Blocks           int
}

// Import encrypts src under key and stores the ciphertext as a UnixFS DAG
// of LeafSize raw leaves (CIDv1, BLAKE3-256) in bs, streaming: memory use does not depend on
// the file's size. progress, if not nil, is called with the plaintext
// bytes read so far.
func Import(ctx context.Context, bs Blocks, src io.Reader, key []byte, progress func(int64)) (Imported, error) {
	const op = "import"
	ph, ch := sha256.New(), sha256.New()
	counted := &countingReader{r: io.TeeReader(src, ph), progress: progress}
	enc, err := NewEncryptReader(counted, key)
	if err != nil {
		return Imported{}, fmt.Errorf("%s: %w", op, err)
	}
	enc = io.TeeReader(enc, ch)
	prefix, err := merkledag.PrefixForCidVersion(1)
	if err != nil {
		return Imported{}, fmt.Errorf("%s: %w", op, err)
	}
	prefix.MhType, prefix.MhLength = mh.BLAKE3, digestSize
	dserv := &dagWriter{ctx: ctx, bs: bs}
	params := ihelper.DagBuilderParams{
		Dagserv:    dserv,
		Maxlinks:   ihelper.DefaultLinksPerBlock,
		RawLeaves:  true,
		CidBuilder: &prefix,
	}
	db, err := params.New(chunker.NewSizeSplitter(enc, LeafSize))
	if err != nil {
		return Imported{}, fmt.Errorf("%s: %w", op, err)
	}
	root, err := balanced.Layout(db)
	if err != nil {
		return Imported{}, fmt.Errorf("%s: %w", op, err)
	}
	size := uint64(counted.n)
	if size > MaxFileSize {
		return Imported{}, fmt.Errorf("%s: %w: %d bytes, limit %d", op, ErrTooLarge, size, uint64(MaxFileSize))
	}
	return Imported{
		Root:             root.Cid(),
		Size:             size,
		CiphertextSize:   CiphertextSize(size),
		PlaintextSHA256:  ph.Sum(nil),
		CiphertextSHA256: ch.Sum(nil),
		Blocks:           dserv.added,
	}, nil
}

type countingReader struct {
	r        io.Reader
	n        int64
	progress func(int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if n > 0 && c.progress != nil {
		c.progress(c.n)
	}
	return n, err
}

// dagWriter is the write half of an ipld.DAGService over Blocks, which is
// all the importer uses.
type dagWriter struct {
	ctx   context.Context // the Import call's: the importer passes none
	bs    Blocks
	added int
}

var _ ipld.DAGService = (*dagWriter)(nil)

func (d *dagWriter) Add(ctx context.Context, n ipld.Node) error {
	if err := d.ctx.Err(); err != nil {
		return err
	}
	d.added++
	return d.bs.Put(d.ctx, n)
}

func (d *dagWriter) AddMany(ctx context.Context, ns []ipld.Node) error {
	for _, n := range ns {
		if err := d.Add(ctx, n); err != nil {
			return err
		}
	}
	return nil
}

func (d *dagWriter) Get(ctx context.Context, c cid.Cid) (ipld.Node, error) {
	b, err := d.bs.Get(d.ctx, c)
	if err != nil {
		return nil, err
	}
	return ipld.Decode(b, decodeBlock)
}

func decodeBlock(b blocks.Block) (ipld.Node, error) {
	if b.Cid().Prefix().Codec == cid.Raw {
		return merkledag.DecodeRawBlock(b)
	}
	return merkledag.DecodeProtobufBlock(b)
}

func (d *dagWriter) GetMany(ctx context.Context, cs []cid.Cid) <-chan *ipld.NodeOption {
	ch := make(chan *ipld.NodeOption, len(cs))
	for _, c := range cs {
		n, err := d.Get(ctx, c)
		ch <- &ipld.NodeOption{Node: n, Err: err}
	}
	close(ch)
	return ch
}

func (d *dagWriter) Remove(context.Context, cid.Cid) error       { return nil }
func (d *dagWriter) RemoveMany(context.Context, []cid.Cid) error { return nil }

// node is a decoded block of a media DAG: its own file bytes come first,
// then its children's, in order.
type node struct {
	data     []byte // file bytes held by this block itself (raw leaves: all of it)
	links    []cid.Cid
	sizes    []uint64 // file bytes under each link, as the node claims (UnixFS blocksizes)
	fileSize uint64   // file bytes under this node, as it claims
}

// decodeNode decodes and checks one block of a media DAG. For a raw leaf
// the data aliases b.
func decodeNode(c cid.Cid, b []byte) (node, error) {
	if len(b) > MaxBlockSize {
		return node{}, fmt.Errorf("%w: block of %d bytes", ErrTooLarge, len(b))
	}
	if c.Prefix().Codec == cid.Raw {
		return node{data: b, fileSize: uint64(len(b))}, nil
	}
	pn, err := merkledag.DecodeProtobuf(b)
	if err != nil {
		return node{}, fmt.Errorf("%w: %s: %v", ErrBadBlock, c, err)
	}
	fsn, err := unixfs.FSNodeFromBytes(pn.Data())
	if err != nil {
		return node{}, fmt.Errorf("%w: %s: %v", ErrBadBlock, c, err)
	}
	if t := fsn.Type(); t != unixfs.TFile && t != unixfs.TRaw {
		return node{}, fmt.Errorf("%w: %s: unixfs type %v", ErrBadBlock, c, t)
	}
	ls := pn.Links()
	if len(ls) > MaxLinks {
		return node{}, fmt.Errorf("%w: %s: %d links", ErrTooLarge, c, len(ls))
	}
	n := node{data: fsn.Data(), fileSize: fsn.FileSize(), links: make([]cid.Cid, len(ls))}
	if bs := fsn.BlockSizes(); len(bs) == len(ls) {
		n.sizes = bs
	}
	for i, l := range ls {
		if err := checkCID(l.Cid); err != nil {
			return node{}, fmt.Errorf("%w: %s: link %d: %v", ErrBadBlock, c, i, err)
		}
		n.links[i] = l.Cid
	}
	return n, nil
}

// blockHasher hashes blocks with the functions media CIDs use.
//
// BLAKE3 is zeebo/blake3 here, not lukechampine.com/blake3 (which
// go-multihash registers and Import uses through boxo): for a 1 MiB block
// the latter starts a goroutine per 16 KiB and cost about 0.55 ms of CPU
// per MiB in a fetch, against 0.33 ms for zeebo's single-threaded AVX2
// code. Both compute the same function (checked in dag_test.go).
type blockHasher struct {
	sha, b3 hash.Hash
	sum     [digestSize]byte
}

func newBlockHasher() *blockHasher {
	return &blockHasher{sha: sha256.New(), b3: blake3.New()}
}

// verifyBlock checks that b hashes to c.
func verifyBlock(c cid.Cid, b []byte, bh *blockHasher) error {
	if err := checkCID(c); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrBadBlock, c, err)
	}
	h := bh.sha
	if c.Prefix().MhType == mh.BLAKE3 {
		h = bh.b3
	}
	h.Reset()
	h.Write(b)
	got := h.Sum(bh.sum[:0])
	dec, err := mh.Decode(c.Hash())
	if err != nil || string(dec.Digest) != string(got) {
		return fmt.Errorf("%w: %s: hash does not match", ErrBadBlock, c)
	}
	return nil
}

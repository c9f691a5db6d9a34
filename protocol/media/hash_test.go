package media

import (
	"crypto/rand"
	"errors"
	"testing"

	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"
)

// TestVerifyBlockMatchesMultihash checks the verifier's BLAKE3 against
// go-multihash's (which Import's CIDs come from) at sizes around chunk and
// tree boundaries, and that one flipped bit fails.
func TestVerifyBlockMatchesMultihash(t *testing.T) {
	bh := newBlockHasher()
	for _, n := range []int{0, 1, 63, 64, 1023, 1024, 1025, 2048, 16<<10 + 1, 64 << 10, LeafSize - 1, LeafSize, MaxBlockSize} {
		b := make([]byte, n)
		rand.Read(b)
		for _, typ := range []uint64{mh.BLAKE3, mh.SHA2_256} {
			h, err := mh.Sum(b, typ, digestSize)
			if err != nil {
				t.Fatal(err)
			}
			c := cid.NewCidV1(cid.Raw, h)
			if err := verifyBlock(c, b, bh); err != nil {
				t.Fatalf("%d bytes, hash %x: %v", n, typ, err)
			}
			if n > 0 {
				b[n/2] ^= 1
				if err := verifyBlock(c, b, bh); !errors.Is(err, ErrBadBlock) {
					t.Fatalf("%d bytes, hash %x: a flipped bit gave %v", n, typ, err)
				}
				b[n/2] ^= 1
			}
		}
	}
}

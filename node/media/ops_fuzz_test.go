package media

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	pmedia "github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// hangAfter is how long one input may take before the target calls it a
// hang; inputs take microseconds.
const hangAfter = 10 * time.Second

// FuzzMediaOps feeds the bodies of the media operations to their
// decoders, as a fold gets them from another device: a body is accepted
// as a valid file message or setting (one that encodes back to the same
// message) or refused with rt.ErrBadContent, never a panic or a hang.
func FuzzMediaOps(f *testing.F) {
	self := core.AccountID{1}
	h, _ := mh.Sum([]byte("x"), mh.SHA2_256, -1)
	manifest, _ := proto.Marshal(&pb.Media{
		Root: cid.NewCidV1(cid.Raw, h).Bytes(), Key: make([]byte, pmedia.KeySize), CiphertextSha256: make([]byte, 32),
		PlaintextSha256: make([]byte, 32), Size: 5, MimeType: "image/png", FileName: "a.png", Caption: "hi",
		SegmentSize: pmedia.SegmentSize,
	})
	id := storage.NewMessageID(time.UnixMilli(1))
	for _, m := range []storage.Message{
		{ID: id, Peer: storage.Account{2}, Direction: storage.Outgoing, SenderDevice: 1, SentAt: time.UnixMilli(1)},
		{ID: id, Peer: storage.Account{3}, Group: true, Sender: storage.Account{2}, SenderDevice: 4, SentAt: time.UnixMilli(2)},
	} {
		b, _ := encodeFileOp(m, manifest, nil)
		f.Add(false, b)
	}
	timed, _ := encodeFileOp(storage.Message{ID: id, Peer: storage.Account{2}, Direction: storage.Outgoing, SentAt: time.UnixMilli(1)},
		manifest, &pb.ChatTimer{Seconds: 30, Version: 1, Setter: make([]byte, 32), MessageId: id[:]})
	f.Add(false, timed)
	setting, _ := proto.Marshal(&pb.OpAutoDownload{Chat: make([]byte, 32), MaxBytes: -1})
	f.Add(true, setting)
	f.Add(true, []byte{})
	f.Fuzz(func(t *testing.T, autoDownload bool, b []byte) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			if autoDownload {
				peer, limit, err := decodeAutoDownload(b)
				switch {
				case err != nil && !errors.Is(err, rt.ErrBadContent):
					t.Errorf("refused without ErrBadContent: %v", err)
				case err == nil && (limit < -1 || limit == -1 && peer == storage.Account{}):
					t.Errorf("accepted limit %d for chat %x", limit, peer)
				}
				return
			}
			op, err := decodeFileOp(self, b)
			if err != nil {
				if !errors.Is(err, rt.ErrBadContent) {
					t.Errorf("refused without ErrBadContent: %v", err)
				}
				return
			}
			if pmedia.CheckManifest(op.manifest) != nil || op.msg.Text != op.manifest.Caption {
				t.Errorf("accepted a bad manifest %v", op.manifest)
			}
			again, err := encodeFileOp(op.msg, op.raw, op.timer)
			if err != nil {
				t.Fatal(err)
			}
			op2, err := decodeFileOp(self, again)
			if err != nil || op2.msg != op.msg || !bytes.Equal(op2.raw, op.raw) || !proto.Equal(op2.timer, op.timer) {
				t.Errorf("the message %+v does not encode back (%+v, %v)", op.msg, op2.msg, err)
			}
		}()
		select {
		case <-done:
		case <-time.After(hangAfter):
			t.Fatal("hang")
		}
	})
}

package mailbox

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
	"time"

	"github.com/libp2p/go-msgio"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

// frames concatenates responses as they go on the wire.
func frames(msgs ...proto.Message) []byte {
	var out []byte
	for _, m := range msgs {
		b, _ := proto.Marshal(m)
		out = binary.AppendUvarint(out, uint64(len(b)))
		out = append(out, b...)
	}
	return out
}

// FuzzClientFrames feeds a relay's side of a stream to the client's frame
// readers: the request/response reader and the subscription's page reader
// must end (at the input's end at the latest) without panicking.
func FuzzClientFrames(f *testing.F) {
	item := &pb.MailboxItem{Seq: 1, DepositId: make([]byte, 16), Envelope: []byte{1}}
	f.Add(frames(&pb.MailboxResponse{Body: &pb.MailboxResponse_Items{Items: &pb.MailboxItems{Items: []*pb.MailboxItem{item}, More: true}}},
		&pb.MailboxResponse{Body: &pb.MailboxResponse_Items{Items: &pb.MailboxItems{RefillPrekeys: true}}}))
	f.Add(frames(&pb.MailboxResponse{Error: pb.MailboxError_MAILBOX_CLOSED},
		&pb.MailboxResponse{Body: &pb.MailboxResponse_Closed{Closed: &pb.MailboxClosed{Dropped: 2}}}))
	f.Add(frames(&pb.MailboxResponse{Body: &pb.MailboxResponse_Receipt{Receipt: &pb.CustodyReceipt{Body: []byte{1}, Signature: []byte{2}}}}))
	f.Add([]byte{0xff, 0xff, 0xff, 0x0f}) // a length over the limit
	f.Fuzz(func(t *testing.T, in []byte) {
		r := msgio.NewVarintReaderSize(bytes.NewReader(in), MaxResponseSize)
		for {
			resp, err := readResponse(r)
			if err != nil {
				var ce *CodeError
				if errors.As(err, &ce) {
					continue // a refusal: the stream goes on
				}
				break
			}
			if items := resp.GetItems(); items != nil {
				_, _ = pageFrom(items)
			}
			if rc := resp.GetReceipt(); rc != nil {
				_, _ = DecodeCustodyReceipt(rc)
			}
		}

		sub := &Subscription{pages: make(chan Page), stop: make(chan struct{}), done: make(chan struct{})}
		go sub.read(msgio.NewVarintReaderSize(bytes.NewReader(in), MaxResponseSize), Page{})
		timeout := time.NewTimer(10 * time.Second)
		defer timeout.Stop()
		for {
			select {
			case _, ok := <-sub.pages:
				if !ok {
					if sub.Err() == nil {
						t.Fatal("subscription ended without an error")
					}
					return
				}
			case <-timeout.C:
				t.Fatal("the subscription reader did not end at the end of its input")
			}
		}
	})
}

// Err says why a subscription ended as soon as Pages is closed (the reader
// closed Pages before recording the end, so a consumer could see nil).
func TestSubscriptionErrOncePagesClosed(t *testing.T) {
	for range 500 {
		sub := &Subscription{pages: make(chan Page), stop: make(chan struct{}), done: make(chan struct{})}
		go sub.read(msgio.NewVarintReaderSize(bytes.NewReader(nil), MaxResponseSize), Page{})
		for range sub.pages {
		}
		if sub.Err() == nil {
			t.Fatal("Pages closed, Err nil")
		}
	}
}

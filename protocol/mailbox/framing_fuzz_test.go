package mailbox_test

import (
	"context"
	"encoding/binary"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/libp2p/go-msgio"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

func requestFrames(reqs ...*pb.MailboxRequest) []byte {
	var out []byte
	for _, r := range reqs {
		b, _ := proto.Marshal(r)
		out = binary.AppendUvarint(out, uint64(len(b)))
		out = append(out, b...)
	}
	return out
}

// FuzzServiceFrames writes arbitrary bytes as a client's side of a stream
// to a real relay service on loopback and reads everything it answers:
// every answer must be a valid response frame, and the relay must end the
// stream once the client has finished writing (a hang fails the read
// deadline).
func FuzzServiceFrames(f *testing.F) {
	r := newRelay(f)
	d := newDevice(f, r, 1)
	client := newHost(f)
	connect(f, client, r.h)
	ctx := context.Background()
	if _, err := mailbox.Register(ctx, d.h, r.h.ID(), d.cert, time.Hour); err != nil {
		f.Fatal(err)
	}
	acct := d.box.Account[:]
	closing, _ := mailbox.SignClosing(client.Peerstore().PrivKey(client.ID()), r.h.ID(), d.cert, 1, time.Now())
	f.Add(requestFrames(
		&pb.MailboxRequest{Body: &pb.MailboxRequest_Deposit{Deposit: &pb.MailboxDeposit{Account: acct, Device: 1, DepositId: make([]byte, 16), Envelope: []byte{1, 2}, ListVersion: 3}}},
		&pb.MailboxRequest{Body: &pb.MailboxRequest_Drain{Drain: &pb.MailboxDrain{Account: acct, Device: 1}}},
	))
	f.Add(requestFrames(&pb.MailboxRequest{Body: &pb.MailboxRequest_Close{Close: closing}}))
	f.Add(requestFrames(&pb.MailboxRequest{Body: &pb.MailboxRequest_Subscribe{Subscribe: &pb.MailboxSubscribe{Account: acct, Device: 1}}}))
	f.Add(requestFrames(&pb.MailboxRequest{Body: &pb.MailboxRequest_FetchPrekey{FetchPrekey: &pb.MailboxFetchPreKey{Account: acct, Device: 1}}}))
	f.Add([]byte{0xff, 0xff, 0xff, 0x0f})
	f.Add([]byte{2, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, in []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		s, err := client.NewStream(ctx, r.h.ID(), mailbox.ProtocolID)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Reset()
		_ = s.SetDeadline(time.Now().Add(10 * time.Second))
		if _, err := s.Write(in); err != nil {
			return // the relay ended the stream early
		}
		_ = s.CloseWrite()
		rd := msgio.NewVarintReaderSize(s, mailbox.MaxResponseSize)
		for {
			b, err := rd.ReadMsg()
			if err != nil {
				var ne net.Error
				if errors.As(err, &ne) && ne.Timeout() {
					t.Fatal("the relay neither answered nor ended the stream")
				}
				return
			}
			if _, err := mailbox.DecodeResponse(b); err != nil {
				t.Fatalf("the relay wrote an invalid frame: %v", err)
			}
		}
	})
}

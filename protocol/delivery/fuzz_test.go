package delivery_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"sync/atomic"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-msgio"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/delivery"
	"github.com/pigeon-net/pigeon/protocol/internal/streamtest"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// FuzzServiceStream feeds arbitrary bytes to the /pigeon/msg/1 stream loop
// over a real connection. Whatever it reads, the service must end the
// stream once the input has ended (a hang fails streamtest.Feed), hand the
// handler only envelopes that pass CheckEnvelope, and answer with acks
// that decode, one per envelope handed over at most.
func FuzzServiceStream(f *testing.F) {
	pair := streamtest.NewPair(f, nil)
	var handed atomic.Int64 // envelopes handed to the handler on the current stream
	srv := delivery.NewService(pair.Server, func(_ context.Context, _ peer.ID, envs []*pb.Envelope) []pb.ErrorCode {
		codes := make([]pb.ErrorCode, len(envs))
		for i, env := range envs {
			if err := delivery.CheckEnvelope(env); err != nil {
				panic("handler got a bad envelope: " + err.Error())
			}
			if env.MessageId[0] == 0xff { // a code that ends the stream
				codes[i] = pb.ErrorCode_UNKNOWN_SENDER
				handed.Add(int64(i + 1))
				return codes[:i+1]
			}
		}
		handed.Add(int64(len(envs)))
		return codes
	}, discard)
	f.Cleanup(srv.Close)
	frames := func(envs ...*pb.Envelope) []byte {
		var b []byte
		for _, env := range envs {
			raw, _ := proto.Marshal(env)
			b = append(binary.AppendUvarint(b, uint64(len(raw))), raw...)
		}
		return b
	}
	small := func(i byte) *pb.Envelope {
		env := envelope(i)
		env.Ciphertext = []byte{i}
		return env
	}
	fatal := small(2)
	fatal.MessageId[0] = 0xff
	f.Add(frames(small(1)))
	f.Add(frames(small(1), small(2), small(3)))
	f.Add(frames(small(1), fatal, small(3)))
	f.Add(append(frames(small(1)), 3, 0xff, 0xff, 0xff))
	f.Add(binary.AppendUvarint(nil, delivery.MaxFrameSize+1))
	f.Fuzz(func(t *testing.T, in []byte) {
		handed.Store(0) // one stream at a time
		answer, _ := pair.Feed(t, delivery.ProtocolID, in)
		r := msgio.NewVarintReaderSize(bytes.NewReader(answer), 1<<10)
		acks := 0
		for {
			b, err := r.ReadMsg()
			if err != nil {
				break
			}
			if _, err := delivery.DecodeAck(b); err != nil {
				t.Fatalf("service wrote a bad ack: %v", err)
			}
			acks++
		}
		if n := handed.Load(); int64(acks) > n+1 { // one more: the ack of a frame that ended the stream
			t.Fatalf("%d acks for %d envelopes handed over", acks, n)
		}
	})
}

package groupcast_test

import (
	"context"
	"testing"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	pubsubpb "github.com/libp2p/go-libp2p-pubsub/pb"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/groupcast"
)

// FuzzPeerMessage feeds arbitrary bytes, decoded as the router decodes a
// peer's message, to the code of this package that sees peer data before
// the router has checked anything (the message-ID function) and after the
// signature check (the validator wrapper). Neither may panic; the ID must
// be the documented hash; the wrapper must never accept what is over the
// size limit, empty, or lacks a valid author.
func FuzzPeerMessage(f *testing.F) {
	sk, _, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		f.Fatal(err)
	}
	author, _ := peer.IDFromPrivateKey(sk)
	topic := testTopic.String()
	seeds := []*pubsubpb.Message{
		{From: []byte(author), Data: []byte("hello"), Seqno: []byte{0, 0, 0, 0, 0, 0, 0, 1}, Topic: &topic, Signature: make([]byte, 64)},
		{From: []byte(author), Data: make([]byte, 300), Topic: &topic},
		{Data: []byte("no author")},
		{From: []byte("not a peer id"), Data: []byte("x")},
		{},
	}
	for _, m := range seeds {
		raw, err := proto.Marshal(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	const maxPayload = 256
	var seen peer.ID
	v := groupcast.RouterValidator(maxPayload, func(_ context.Context, from peer.ID, _ []byte) groupcast.Verdict {
		seen = from
		return groupcast.Accept
	})
	f.Fuzz(func(t *testing.T, raw []byte) {
		var m pubsubpb.Message
		if proto.Unmarshal(raw, &m) != nil {
			return
		}
		if got, want := groupcast.MessageIDFn(&m), groupcast.RawID(m.GetFrom(), m.GetData()); got != want || len(got) != 32 {
			t.Fatalf("message ID %x, want %x", got, want)
		}
		seen = ""
		verdict := v(context.Background(), "forwarder", &pubsub.Message{Message: &m})
		if verdict != pubsub.ValidationAccept {
			return
		}
		if n := len(m.GetData()); n == 0 || n > maxPayload {
			t.Fatalf("accepted a payload of %d bytes", n)
		}
		if id, err := peer.IDFromBytes(m.GetFrom()); err != nil || id != seen {
			t.Fatalf("validator saw author %q for From %x", seen, m.GetFrom())
		}
	})
}

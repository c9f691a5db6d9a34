package mailbox_test

import (
	"bytes"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// TestPushStatus: a registration's answer says what the relay did with its
// push endpoint, and a refused endpoint is not stored (nothing wakes the
// device through it).
func TestPushStatus(t *testing.T) {
	ep := &pb.PushEndpoint{Kind: pb.PushKind_PUSH_KIND_UNIFIED_PUSH, Url: "https://192.168.1.5/up/x"}
	raw, err := proto.Marshal(ep)
	if err != nil {
		t.Fatal(err)
	}
	wake := mailbox.WithWake(func(mailbox.Box, []byte) {})
	refusePrivate := mailbox.WithPushCheck(func(_ mailbox.Box, push []byte) pb.PushRefusal {
		if !bytes.Equal(push, raw) {
			t.Errorf("check got %x, want the registered endpoint", push)
		}
		return pb.PushRefusal_PUSH_REFUSAL_PRIVATE
	})
	accept := mailbox.WithPushCheck(func(mailbox.Box, []byte) pb.PushRefusal { return pb.PushRefusal_PUSH_REFUSAL_NONE })
	for _, tc := range []struct {
		name   string
		opts   []mailbox.Option
		want   pb.PushRefusal
		stored bool
	}{
		{"no push on the relay", nil, pb.PushRefusal_PUSH_REFUSAL_DISABLED, false},
		{"wake without a check", []mailbox.Option{wake}, pb.PushRefusal_PUSH_REFUSAL_NONE, true},
		{"check refuses", []mailbox.Option{wake, refusePrivate}, pb.PushRefusal_PUSH_REFUSAL_PRIVATE, false},
		{"check accepts", []mailbox.Option{wake, accept}, pb.PushRefusal_PUSH_REFUSAL_NONE, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRelay(t, tc.opts...)
			d := newDevice(t, r, 1)
			ctx := ctxT(t)
			reg, err := mailbox.Register(ctx, d.h, r.h.ID(), d.cert, time.Hour, mailbox.WithPush(ep))
			if err != nil {
				t.Fatal(err)
			}
			if reg.Push == nil || reg.Push.Refusal != tc.want {
				t.Errorf("push status %v, want %s", reg.Push, tc.want)
			}
			stored, err := r.st.Registration(ctx, d.box)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(stored.Push) > 0; got != tc.stored {
				t.Errorf("endpoint stored: %v, want %v", got, tc.stored)
			}
			// Without an endpoint there is nothing to say.
			reg, err = mailbox.Register(ctx, d.h, r.h.ID(), d.cert, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			if reg.Push != nil {
				t.Errorf("push status %v for a registration without an endpoint", reg.Push)
			}
		})
	}
}

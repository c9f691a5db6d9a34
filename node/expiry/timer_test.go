package expiry

import (
	"context"
	"errors"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

func TestLater(t *testing.T) {
	a := &pb.ChatTimer{Version: 2, Setter: []byte{1}, MessageId: []byte{1}}
	for _, c := range []struct {
		b    *pb.ChatTimer
		want bool
	}{
		{nil, true},
		{&pb.ChatTimer{Version: 1, Setter: []byte{9}, MessageId: []byte{9}}, true},  // higher version
		{&pb.ChatTimer{Version: 3, Setter: []byte{0}, MessageId: []byte{0}}, false}, // lower version
		{&pb.ChatTimer{Version: 2, Setter: []byte{0}, MessageId: []byte{9}}, true},  // higher setter
		{&pb.ChatTimer{Version: 2, Setter: []byte{2}, MessageId: []byte{0}}, false}, // lower setter
		{&pb.ChatTimer{Version: 2, Setter: []byte{1}, MessageId: []byte{0}}, true},  // higher message
		{&pb.ChatTimer{Version: 2, Setter: []byte{1}, MessageId: []byte{1}}, false}, // the same change
	} {
		if got := later(a, c.b); got != c.want {
			t.Errorf("later(%v, %v) = %t, want %t", a, c.b, got, c.want)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"off": 0, "0": 0, "30s": 30 * time.Second, "5m": 5 * time.Minute, "1h": time.Hour, "8h": 8 * time.Hour,
		"1d": 24 * time.Hour, "1w": 7 * 24 * time.Hour, "4w": 28 * 24 * time.Hour, "90m": 90 * time.Minute, "365d": MaxTimer,
	} {
		got, err := Parse(in)
		if err != nil || got != want {
			t.Errorf("Parse(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"10s", "366d", "1.5s", "soon", "-1h", "d", "99999999999d"} {
		if _, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) succeeded", in)
		}
	}
	for d, want := range map[time.Duration]string{
		0: "off", time.Hour: "1 hour", 8 * time.Hour: "8 hours", 28 * 24 * time.Hour: "4 weeks", 90 * time.Second: "90 seconds",
	} {
		if got := Format(d); got != want {
			t.Errorf("Format(%v) = %q, want %q", d, got, want)
		}
	}
}

// FuzzDecodeOpTimer: any bytes decode to a checked change or an error,
// quickly.
func FuzzDecodeOpTimer(f *testing.F) {
	good, _ := proto.Marshal(&pb.OpTimer{Chat: make([]byte, 32), Timer: &pb.ChatTimer{
		Seconds: 3600, Version: 1, Setter: make([]byte, 32), MessageId: make([]byte, 16),
	}})
	f.Add(good)
	f.Add([]byte{})
	f.Add([]byte{0x0a, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		done := make(chan struct{})
		go func() {
			defer close(done)
			body, err := decodeOpTimer(b)
			if err == nil && (len(body.Chat) != 32 || checkWire(body.Timer) != nil) {
				t.Errorf("accepted %x", b)
			}
			if _, err := decodeTimer(b); err == nil && len(b) > maxOpSize {
				t.Errorf("accepted a record of %d bytes", len(b))
			}
		}()
		select {
		case <-done:
		case <-ctx.Done():
			t.Fatal(errors.New("decoding hung"))
		}
	})
}

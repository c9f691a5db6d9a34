package presence_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/protocol/presence"
)

var everyone = presence.Privacy{Visibility: presence.Everyone}

func TestOfflineWhenStreamCloses(t *testing.T) {
	relay := newHost(t)
	newHub(t, relay)
	dev := newDevice(t, relay)
	obs := newDevice(t, relay)
	oc := obs.client(t, relay)

	if p := query(t, oc, dev.id); p.State != presence.Unknown {
		t.Fatalf("before hello: %v", p.State)
	}
	before := time.Now().Truncate(time.Millisecond)
	dc := dev.client(t, relay, presence.WithPrivacy(everyone))
	waitState(t, oc, dev.id, presence.Online)
	if err := dc.Close(); err != nil {
		t.Fatal(err)
	}
	closed := time.Now()
	p := waitState(t, oc, dev.id, presence.Offline)
	if p.LastSeen.Before(before) || p.LastSeen.After(closed) {
		t.Fatalf("last seen %v not within [%v, %v]", p.LastSeen, before, closed)
	}
	if err := dc.Close(); !errors.Is(err, presence.ErrClosed) {
		t.Fatalf("second Close: %v", err)
	}
}

func TestOfflineWhenHeartbeatsStop(t *testing.T) {
	relay := newHost(t)
	hub := newHub(t, relay)
	dev := newDevice(t, relay)
	obs := newDevice(t, relay)
	oc := obs.client(t, relay)

	// A device that says hello and then falls silent, keeping its
	// connection (and the stream) open.
	r := openRaw(t, dev.h, relay.ID())
	sent := time.Now().Truncate(time.Millisecond)
	r.hello(dev.cert, true, &pb.PresencePrivacy{Visibility: pb.PresenceVisibility_PRESENCE_VISIBILITY_EVERYONE})
	r.welcome()
	waitState(t, oc, dev.id, presence.Online)
	online := time.Now()

	p := waitState(t, oc, dev.id, presence.Offline)
	if p.LastSeen.Before(sent) || p.LastSeen.After(online) {
		t.Fatalf("last seen %v is not the hello's time (sent %v, online by %v)", p.LastSeen, sent, online)
	}
	if code := r.closedWith(); code != presence.StreamErrorTimeout {
		t.Fatalf("silent stream closed with %#x, want timeout", code)
	}
	if len(dev.h.Network().ConnsToPeer(relay.ID())) == 0 {
		t.Fatal("connection gone: the test did not test a live connection")
	}
	if got := hub.Lookup(dev.id, obs.id); got != p {
		t.Fatalf("Lookup %+v, query %+v", got, p)
	}
}

func TestTwoDevicesOnlineUntilBothLeave(t *testing.T) {
	relay := newHost(t)
	newHub(t, relay)
	a, err := identity.NewAccount()
	if err != nil {
		t.Fatal(err)
	}
	d1, d2 := newDeviceOf(t, a, 1, relay), newDeviceOf(t, a, 2, relay)
	obs := newDevice(t, relay)
	oc := obs.client(t, relay)
	sub, err := oc.Subscribe([]identity.AccountID{a.ID()})
	if err != nil {
		t.Fatal(err)
	}
	c1 := d1.client(t, relay, presence.WithPrivacy(everyone))
	c2 := d2.client(t, relay, presence.WithPrivacy(everyone))
	waitUpdate(t, sub, a.ID(), presence.Online)
	eventually(t, func() bool { return c1.Connected() && c2.Connected() }, "both connected")
	_ = c1.Close()
	left1 := time.Now()
	// Device 2 keeps the account online: give it heartbeats after device 1
	// left, and see no offline pushed meanwhile.
	eventually(t, func() bool { return time.Since(left1) > 10*testHeartbeat }, "heartbeats of device 2")
	for drained := false; !drained; {
		select {
		case p := <-sub.Updates():
			if p.State != presence.Online {
				t.Fatalf("%v while device 2 is online", p.State)
			}
		default:
			drained = true
		}
	}
	_ = c2.Close()
	p := waitUpdate(t, sub, a.ID(), presence.Offline)
	if !p.LastSeen.After(left1) {
		t.Fatalf("last seen %v is not device 2's (device 1 left at %v)", p.LastSeen, left1)
	}
}

func TestPrivacy(t *testing.T) {
	relay := newHost(t)
	newHub(t, relay)
	target := newDevice(t, relay)
	friend := newDevice(t, relay)
	stranger := newDevice(t, relay)
	fc, sc := friend.client(t, relay), stranger.client(t, relay)
	fsub, err := fc.Subscribe([]identity.AccountID{target.id})
	if err != nil {
		t.Fatal(err)
	}
	ssub, err := sc.Subscribe([]identity.AccountID{target.id})
	if err != nil {
		t.Fatal(err)
	}
	if p := nextUpdate(t, fsub); p.State != presence.Unknown || p.Account != target.id {
		t.Fatalf("first update %+v, want unknown", p)
	}
	nextUpdate(t, ssub)

	tc := target.client(t, relay, presence.WithPrivacy(presence.Privacy{
		Visibility: presence.Contacts,
		Allowed:    []identity.AccountID{friend.id},
	}))
	waitUpdate(t, fsub, target.id, presence.Online)
	waitState(t, fc, target.id, presence.Online)
	if p := query(t, sc, target.id); p.State != presence.Unknown {
		t.Fatalf("stranger sees %v under contacts", p.State)
	}
	// The target's own other devices always see it.
	self := newDeviceOf(t, target.account, 2, relay)
	if p := query(t, self.client(t, relay), target.id); p.State != presence.Online {
		t.Fatalf("own device sees %v", p.State)
	}

	if err := tc.SetPrivacy(presence.Privacy{Visibility: presence.Nobody}); err != nil {
		t.Fatal(err)
	}
	waitUpdate(t, fsub, target.id, presence.Unknown)
	if p := query(t, fc, target.id); p.State != presence.Unknown {
		t.Fatalf("friend sees %v under nobody", p.State)
	}

	if err := tc.SetPrivacy(everyone); err != nil {
		t.Fatal(err)
	}
	waitUpdate(t, ssub, target.id, presence.Online)
	waitUpdate(t, fsub, target.id, presence.Online)

	// Offline keeps the privacy setting: hide, leave, and nobody sees the
	// last-seen time.
	if err := tc.SetPrivacy(presence.Privacy{Visibility: presence.Contacts, Allowed: []identity.AccountID{friend.id}}); err != nil {
		t.Fatal(err)
	}
	waitUpdate(t, ssub, target.id, presence.Unknown)
	_ = tc.Close()
	p := waitUpdate(t, fsub, target.id, presence.Offline)
	if p.LastSeen.IsZero() {
		t.Fatal("offline without last seen")
	}
	if p := query(t, sc, target.id); p.State != presence.Unknown {
		t.Fatalf("stranger sees %v of a hidden offline account", p.State)
	}
	if err := fc.SetPrivacy(everyone); !errors.Is(err, presence.ErrNotAnnouncing) {
		t.Fatalf("SetPrivacy on a non-announcing client: %v", err)
	}
}

func TestSubscriptionLifecycle(t *testing.T) {
	relay := newHost(t)
	hub := newHub(t, relay)
	target := newDevice(t, relay)
	obs := newDevice(t, relay)
	oc := obs.client(t, relay)
	sub1, err := oc.Subscribe([]identity.AccountID{target.id})
	if err != nil {
		t.Fatal(err)
	}
	sub2, err := oc.Subscribe([]identity.AccountID{target.id})
	if err != nil {
		t.Fatal(err)
	}
	waitUpdate(t, sub1, target.id, presence.Unknown)
	waitUpdate(t, sub2, target.id, presence.Unknown)
	// A watched account that never announced costs the hub no entry.
	eventually(t, func() bool { return hub.Watches() == 1 }, "subscription counted")
	if n := hub.Tracked(); n != 0 {
		t.Fatalf("%d accounts tracked for a watch, want 0", n)
	}

	tc := target.client(t, relay, presence.WithPrivacy(everyone))
	waitUpdate(t, sub1, target.id, presence.Online)
	waitUpdate(t, sub2, target.id, presence.Online)
	sub1.Close()
	if _, ok := <-sub1.Updates(); ok {
		t.Fatal("closed subscription delivered")
	}
	_ = tc.Close()
	waitUpdate(t, sub2, target.id, presence.Offline)

	sub2.Close()
	// The hub keeps the offline account (for its last-seen) but no watcher.
	stranger := newDevice(t, relay)
	sc := stranger.client(t, relay)
	s3, err := sc.Subscribe([]identity.AccountID{stranger.id}) // unknown to the hub until it announces
	if err != nil {
		t.Fatal(err)
	}
	waitUpdate(t, s3, stranger.id, presence.Unknown)
	s3.Close()
	eventually(t, func() bool { return hub.Watches() == 0 }, "watches forgotten")
	if n := hub.Tracked(); n != 1 {
		t.Fatalf("%d accounts tracked, want the offline target", n)
	}

	too := make([]identity.AccountID, presence.MaxSubscriptions+1)
	for i := range too {
		too[i][0], too[i][1] = byte(i), byte(i>>8)
	}
	if _, err := oc.Subscribe(too); !errors.Is(err, presence.ErrTooLarge) {
		t.Fatalf("oversized subscription: %v", err)
	}
}

func TestRetentionForgetsLastSeen(t *testing.T) {
	relay := newHost(t)
	hub := newHub(t, relay, presence.WithRetention(200*time.Millisecond))
	dev := newDevice(t, relay)
	obs := newDevice(t, relay)
	oc := obs.client(t, relay)
	dc := dev.client(t, relay, presence.WithPrivacy(everyone))
	waitState(t, oc, dev.id, presence.Online)
	_ = dc.Close()
	waitState(t, oc, dev.id, presence.Offline)
	waitState(t, oc, dev.id, presence.Unknown)
	eventually(t, func() bool { return hub.Tracked() == 0 }, "entry dropped")
}

func TestClientRedials(t *testing.T) {
	relay := newHost(t)
	hub := newHub(t, relay)
	dev := newDevice(t, relay)
	obs := newDevice(t, relay)
	oc := obs.client(t, relay)
	sub, err := oc.Subscribe([]identity.AccountID{dev.id})
	if err != nil {
		t.Fatal(err)
	}
	dc := dev.client(t, relay, presence.WithPrivacy(everyone))
	waitUpdate(t, sub, dev.id, presence.Online)

	// The relay restarts its hub: memory is gone, both clients re-dial, the
	// device announces again and the observer's subscription is restored.
	if err := hub.Close(); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return !dc.Connected() }, "device notices")
	newHub(t, relay)
	waitUpdate(t, sub, dev.id, presence.Online)
	waitState(t, oc, dev.id, presence.Online)
}

func TestQueryWaitsAndClose(t *testing.T) {
	relay := newHost(t)
	dev := newDevice(t, relay)
	c := dev.client(t, relay)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.Query(ctx, dev.id); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("query without a hub: %v", err)
	}
	done := make(chan error)
	go func() {
		_, err := c.Query(context.Background(), dev.id)
		done <- err
	}()
	_ = c.Close()
	if err := <-done; !errors.Is(err, presence.ErrClosed) {
		t.Fatalf("query across Close: %v", err)
	}
}

func TestOptions(t *testing.T) {
	h := newHost(t)
	if _, err := presence.NewHub(h, presence.WithHeartbeat(time.Second), presence.WithHeartbeat(time.Second)); !errors.Is(err, presence.ErrOptionTwice) {
		t.Fatalf("option twice: %v", err)
	}
	if _, err := presence.NewHub(h, presence.WithHeartbeat(time.Second), presence.WithTimeout(time.Second)); !errors.Is(err, presence.ErrBadOption) {
		t.Fatalf("timeout not above heartbeat: %v", err)
	}
	dev := newDevice(t, nil)
	other := newHost(t)
	if _, err := presence.NewClient(other, h.ID(), dev.cert); !errors.Is(err, presence.ErrWrongPeer) {
		t.Fatalf("certificate of another peer: %v", err)
	}
	if _, err := presence.NewClient(dev.h, h.ID(), dev.cert, presence.WithPrivacy(presence.Privacy{
		Visibility: presence.Everyone, Allowed: []identity.AccountID{{1}},
	})); !errors.Is(err, presence.ErrMalformed) {
		t.Fatalf("allowed list without contacts: %v", err)
	}
}

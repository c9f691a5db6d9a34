package mailbox_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/protocol/mailbox"
)

func TestFollowAndKeep(t *testing.T) {
	var mu sync.Mutex
	follows := make(map[mailbox.Box][][32]byte)
	r := newRelay(t, mailbox.WithFollow(func(box mailbox.Box, topics, _ [][32]byte) error {
		mu.Lock()
		defer mu.Unlock()
		follows[box] = topics
		return nil
	}))
	d := newDevice(t, r, 1)
	stranger := newDevice(t, r, 1)
	ctx := ctxT(t)
	if _, err := mailbox.Follow(ctx, d.h, r.h.ID(), d.box, [][32]byte{{1}}, nil); !errors.Is(err, mailbox.ErrNotRegistered) {
		t.Fatalf("follow before registering: %v", err)
	}
	if _, err := mailbox.Register(ctx, d.h, r.h.ID(), d.cert, time.Hour); err != nil {
		t.Fatal(err)
	}
	n, err := mailbox.Follow(ctx, d.h, r.h.ID(), d.box, [][32]byte{{1}, {2}}, nil)
	if err != nil || n != 2 {
		t.Fatalf("follow: %d %v", n, err)
	}
	mu.Lock()
	got := follows[d.box]
	mu.Unlock()
	if len(got) != 2 || got[1] != [32]byte{2} {
		t.Fatalf("follow callback got %v", got)
	}
	// Another device cannot follow for this box.
	if _, err := mailbox.Follow(ctx, stranger.h, r.h.ID(), d.box, nil, nil); !errors.Is(err, mailbox.ErrWrongPeer) {
		t.Fatalf("follow from another peer: %v", err)
	}
	if _, err := mailbox.Follow(ctx, d.h, r.h.ID(), d.box, make([][32]byte, mailbox.MaxFollowTopics+1), nil); !errors.Is(err, mailbox.ErrTooLarge) {
		t.Fatalf("too many topics: %v", err)
	}

	// What the relay keeps arrives like any deposit, once.
	sub, err := mailbox.Subscribe(ctx, d.h, r.h.ID(), d.box, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	<-sub.Pages() // the empty first page
	id := depID()
	for range 2 {
		if err := r.svc.Keep(d.box, id, []byte("group message"), mailbox.KeepOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case page := <-sub.Pages():
		if len(page.Items) != 1 || page.Items[0].ID != id || string(page.Items[0].Envelope) != "group message" {
			t.Fatalf("kept page %+v", page)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("kept message not pushed")
	}
	if err := r.svc.Keep(d.box, depID(), nil, mailbox.KeepOptions{}); err == nil {
		t.Fatal("kept an empty envelope")
	}
}

func TestFollowUnsupported(t *testing.T) {
	r := newRelay(t)
	d := newDevice(t, r, 1)
	ctx := ctxT(t)
	if _, err := mailbox.Register(ctx, d.h, r.h.ID(), d.cert, time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := mailbox.Follow(ctx, d.h, r.h.ID(), d.box, [][32]byte{{1}}, nil); !errors.Is(err, mailbox.ErrUnsupported) {
		t.Fatalf("follow at a relay without groups: %v", err)
	}
}

package e2e_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/protocol/e2e"
)

// fakeClock is a clock that moves only when told.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestPreKeyRateLimit(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	const (
		burst = 10
		every = 6 * time.Second
	)
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	bob := newDevice(t, nil, 1, devOpts{store: memoryStore})
	bobHost := newHost(t)
	e2e.ServeLimited(bob.mgr, bobHost, burst, every, 100, clock.now)
	t.Cleanup(bob.mgr.Stop)
	alice := newDevice(t, nil, 1, devOpts{host: true})
	carol := newDevice(t, nil, 1, devOpts{host: true})
	for _, h := range []*device{alice, carol} {
		if err := h.host.Connect(ctx, peer.AddrInfo{ID: bobHost.ID(), Addrs: bobHost.Addrs()}); err != nil {
			t.Fatal(err)
		}
	}
	fetch := func(d *device) error {
		_, err := e2e.FetchBundle(ctx, d.host, bobHost.ID())
		return err
	}

	for i := range burst {
		if err := fetch(alice); err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
	}
	err := fetch(alice)
	if !errors.Is(err, e2e.ErrRateLimited) || !errors.Is(err, e2e.ErrRefused) {
		t.Fatalf("request %d: %v, want ErrRateLimited", burst+1, err)
	}
	// Refused requests burn no one-time prekey.
	left, err := bob.st.UnissuedPreKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := fetch(alice); !errors.Is(err, e2e.ErrRateLimited) {
		t.Fatalf("again: %v, want ErrRateLimited", err)
	}
	if n, err := bob.st.UnissuedPreKeys(ctx); err != nil || n != left {
		t.Fatalf("unissued prekeys %d → %d (%v): a refused request issued one", left, n, err)
	}
	// Another peer has its own bucket.
	if err := fetch(carol); err != nil {
		t.Fatalf("other peer: %v", err)
	}
	// One token comes back per interval.
	clock.add(every)
	if err := fetch(alice); err != nil {
		t.Fatalf("after %v: %v", every, err)
	}
	if err := fetch(alice); !errors.Is(err, e2e.ErrRateLimited) {
		t.Fatalf("second after %v: %v, want ErrRateLimited", every, err)
	}
}

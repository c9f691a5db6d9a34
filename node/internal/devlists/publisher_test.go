package devlists

import (
	"testing"

	ma "github.com/multiformats/go-multiaddr"

	"github.com/pigeon-net/pigeon/protocol/identity"
)

type signals struct{ n int }

func (s *signals) CircuitAddrs() []ma.Multiaddr { return nil }
func (s *signals) MailboxAddrs() []string       { return nil }
func (s *signals) Signal()                      { s.n++ }

// Relays are told a version of our list only once the DHT has it: a
// relay that demanded a version senders cannot fetch (the device signed
// it, registered it, and went away before publishing it) refused every
// deposit as stale until the device came back.
func TestRegisteredVersionWaitsForPublish(t *testing.T) {
	var self identity.AccountID
	self[0] = 1
	relays := &signals{}
	p := NewPublisher(PublisherDeps{Cert: &identity.Certificate{Account: self}, Relays: relays})
	want := func(v uint64, signals int) {
		t.Helper()
		if got := p.RegisteredVersion(); got != v || relays.n != signals {
			t.Fatalf("RegisteredVersion = %d after %d signals, want %d after %d", got, relays.n, v, signals)
		}
	}
	want(0, 0)
	p.Learned(&identity.DeviceList{Account: self, Version: 1, Relays: []string{"r1"}})
	want(0, 1) // signed, not published: relays hear 0 (nothing is stale)
	p.notePublished(1)
	want(1, 2)
	p.Learned(&identity.DeviceList{Account: self, Version: 3, Relays: []string{"r1", "r2"}})
	want(1, 3) // the new relay registers; all are told 1 until 3 is out
	p.notePublished(2)
	want(1, 3) // an older version published again changes nothing
	p.notePublished(3)
	want(3, 4)
	p.notePublished(3)
	want(3, 4)
}

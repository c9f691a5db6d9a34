package relay_test

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-msgio"
	ma "github.com/multiformats/go-multiaddr"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/protocol/presence"
)

// The presence attacks of issue 10, as reported:
//
//   - subscribe: 100 streams, each subscribing to 5,000 random accounts,
//     kept open: from one peer, and from 100 peers of 100 accounts;
//   - announce: 3,000 throwaway accounts, each announcing itself once with
//     a 5,000-entry contact list, then leaving (the relay used to keep
//     their state for 7 days);
//   - announce-registered: the same, by accounts that first register a
//     mailbox at the relay (which makes them devices the relay serves).
const (
	attackStreams       = 100
	attackSubscriptions = 5000
	attackAccounts      = 3000
	attackContacts      = 5000
	attackWorkers       = 16
)

// BenchmarkPresenceAttack runs each attack against a relay in a child
// process (see benchserver_linux_test.go) and reports how much the relay's
// live heap (HeapAlloc after garbage collection) grew over its own
// baseline, measured in the same run just before the attack:
//
//	go test -run '^$' -bench PresenceAttack -benchtime 1x -timeout 30m ./node/relay/
//
// The subscribe attack keeps its streams open while the heap is measured;
// the announce attacks close their host first (what the relay keeps after
// they left is what counts).
func BenchmarkPresenceAttack(b *testing.B) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		b.Skipf("no /proc: %v", err)
	}
	contacts := make([][]byte, attackContacts)
	for i := range contacts {
		contacts[i] = randomAccount()
	}
	for _, a := range []struct {
		name string
		run  func(b *testing.B, relay peer.AddrInfo) (done func())
	}{
		{"subscribe-1-peer", func(b *testing.B, relay peer.AddrInfo) func() {
			return subscribeAttack(b, relay, 1)
		}},
		{"subscribe-100-peers", func(b *testing.B, relay peer.AddrInfo) func() {
			return subscribeAttack(b, relay, attackStreams)
		}},
		{"announce", func(b *testing.B, relay peer.AddrInfo) func() {
			return announceAttack(b, relay, contacts, false)
		}},
		{"announce-registered", func(b *testing.B, relay peer.AddrInfo) func() {
			return announceAttack(b, relay, contacts, true)
		}},
	} {
		b.Run(a.name, func(b *testing.B) {
			var grew float64
			for b.Loop() {
				grew += attackGrowth(b, a.run)
			}
			b.ReportMetric(grew/float64(b.N)/1e6, "heap-growth-MB")
		})
	}
}

// attackGrowth starts a relay, runs one attack on it and returns the
// growth of its live heap in bytes.
func attackGrowth(b *testing.B, run func(*testing.B, peer.AddrInfo) func()) float64 {
	srv := startBenchServer(b, "relay", "/ip4/127.0.0.1/tcp/0")
	defer srv.stop(b)
	info, err := peer.AddrInfoFromP2pAddr(ma.StringCast(srv.addrs[0]))
	if err != nil {
		b.Fatal(err)
	}
	base := srv.command(b, "gc")
	start := time.Now()
	done := run(b, *info)
	// Let the relay finish with the streams (the announcing ones end when
	// the attacker is gone): its goroutines stop moving.
	prev := -1
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		st := srv.command(b, "stats")
		if abs(st.Goroutines-prev) <= 2 {
			break
		}
		prev = st.Goroutines
	}
	after := srv.command(b, "gc")
	done()
	b.Logf("attack took %v; relay heap %.1f -> %.1f MB, goroutines %d -> %d",
		time.Since(start).Round(time.Millisecond), float64(base.HeapAlloc)/1e6, float64(after.HeapAlloc)/1e6,
		base.Goroutines, after.Goroutines)
	return float64(after.HeapAlloc) - float64(base.HeapAlloc)
}

// attacker is a host of the attacker's, connected to the relay.
func attacker(b *testing.B, relay peer.AddrInfo) host.Host {
	h, err := libp2p.New(libp2p.NoListenAddrs, libp2p.ResourceManager(&network.NullResourceManager{}))
	if err != nil {
		b.Fatal(err)
	}
	if err := h.Connect(context.Background(), relay); err != nil {
		h.Close()
		b.Fatal(err)
	}
	return h
}

func randomAccount() []byte {
	a := make([]byte, 32)
	_, _ = rand.Read(a)
	return a
}

// attackerCert is a certificate of a fresh account for h's peer ID.
func attackerCert(b *testing.B, h host.Host) *pb.Signed {
	acct, err := identity.NewAccount()
	if err != nil {
		b.Fatal(err)
	}
	key := append([]byte{0x05}, randomAccount()...)
	cert, err := acct.IssueCertificate(1, h.ID(), key, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	return cert
}

// presenceFrame is one uvarint-delimited client frame.
func presenceFrame(f *pb.PresenceClientFrame) []byte {
	raw, err := proto.Marshal(f)
	if err != nil {
		panic(err)
	}
	return append(binary.AppendUvarint(nil, uint64(len(raw))), raw...)
}

func presenceHello(cert *pb.Signed, announce bool, allowed [][]byte) []byte {
	hello := &pb.PresenceHello{Certificate: cert, Announce: announce}
	if announce {
		hello.Privacy = &pb.PresencePrivacy{Visibility: pb.PresenceVisibility_PRESENCE_VISIBILITY_CONTACTS, Allowed: allowed}
	}
	return presenceFrame(&pb.PresenceClientFrame{Frame: &pb.PresenceClientFrame_Hello{Hello: hello}})
}

// readHub reads hub frames until stop says so; it returns the error that
// ended the stream, if it ended.
func readHub(st network.Stream, stop func(*pb.PresenceHubFrame) bool) error {
	r := msgio.NewVarintReaderSize(st, presence.MaxHubFrameSize)
	for {
		raw, err := r.ReadMsg()
		if err != nil {
			return err
		}
		var f pb.PresenceHubFrame
		err = proto.Unmarshal(raw, &f)
		r.ReleaseMsg(raw)
		if err != nil {
			return err
		}
		if f.GetError() != pb.ErrorCode_OK {
			return fmt.Errorf("hub error %v", f.GetError())
		}
		if stop(&f) {
			return nil
		}
	}
}

// subscribeAttack opens the streams from the given number of peers (of as
// many accounts), subscribes each to random accounts and waits until the
// hub answered a query sent after the subscription (or closed the
// stream). The streams stay open, drained, until done.
func subscribeAttack(b *testing.B, relay peer.AddrInfo, peers int) func() {
	hosts := make([]host.Host, peers)
	certs := make([]*pb.Signed, peers)
	for i := range hosts {
		hosts[i] = attacker(b, relay)
		certs[i] = attackerCert(b, hosts[i])
	}
	var wg sync.WaitGroup
	var refused atomic.Int32
	var why atomic.Pointer[error]
	streams := make([]network.Stream, attackStreams)
	for i := range streams {
		h, cert := hosts[i%peers], certs[i%peers]
		st, err := h.NewStream(context.Background(), relay.ID, presence.ProtocolID)
		if err != nil {
			refused.Add(1)
			why.CompareAndSwap(nil, &err)
			continue
		}
		streams[i] = st
		accs := make([][]byte, attackSubscriptions)
		for j := range accs {
			accs[j] = randomAccount()
		}
		out := presenceHello(cert, false, nil)
		out = append(out, presenceFrame(&pb.PresenceClientFrame{Frame: &pb.PresenceClientFrame_Subscribe{
			Subscribe: &pb.PresenceSubscribe{Accounts: accs}}})...)
		out = append(out, presenceFrame(&pb.PresenceClientFrame{Frame: &pb.PresenceClientFrame_Query{
			Query: &pb.PresenceQuery{RequestId: 1, Account: randomAccount()}}})...)
		_ = st.SetDeadline(time.Now().Add(time.Minute))
		if _, err := st.Write(out); err != nil {
			refused.Add(1)
			continue
		}
		answered := make(chan struct{})
		wg.Go(func() {
			err := readHub(st, func(f *pb.PresenceHubFrame) bool { return f.GetResult().GetRequestId() == 1 })
			close(answered)
			if err != nil {
				why.CompareAndSwap(nil, &err)
				refused.Add(1)
				return
			}
			_ = st.SetReadDeadline(time.Time{})
			_, _ = io.Copy(io.Discard, st) // a reader that keeps up, until done
		})
		<-answered
	}
	if err := why.Load(); err != nil {
		b.Logf("subscribe: %d of %d streams refused, the first with %v", refused.Load(), attackStreams, *err)
	} else {
		b.Logf("subscribe: all %d streams answered", attackStreams)
	}
	return func() {
		for _, st := range streams {
			if st != nil {
				_ = st.Reset()
			}
		}
		wg.Wait()
		for _, h := range hosts {
			h.Close()
		}
	}
}

// announceAttack announces attackAccounts throwaway accounts, one stream
// each, every one with contacts as its allowed list; registered makes each
// register a mailbox at the relay first.
func announceAttack(b *testing.B, relay peer.AddrInfo, contacts [][]byte, registered bool) func() {
	var welcomed, refused atomic.Int32
	var firstErr atomic.Pointer[error]
	next := make(chan int)
	go func() {
		for i := range attackAccounts {
			next <- i
		}
		close(next)
	}()
	var wg sync.WaitGroup
	for range attackWorkers {
		// A host per worker: the relay limits the streams of one peer.
		h := attacker(b, relay)
		defer h.Close() // the devices are gone; what the relay keeps is measured
		wg.Go(func() {
			for range next {
				err := announceOnce(h, relay.ID, attackerCert(b, h), contacts, registered)
				switch {
				case err == nil:
					welcomed.Add(1)
				case errors.Is(err, errRefused):
					refused.Add(1)
				default:
					firstErr.CompareAndSwap(nil, &err)
				}
			}
		})
	}
	wg.Wait()
	if err := firstErr.Load(); err != nil {
		b.Fatal(*err)
	}
	b.Logf("announce: %d welcomed, %d refused", welcomed.Load(), refused.Load())
	return func() {}
}

var errRefused = errors.New("refused by the hub")

func announceOnce(h host.Host, relayID peer.ID, cert *pb.Signed, contacts [][]byte, registered bool) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if registered {
		if _, err := mailbox.Register(ctx, h, relayID, cert, time.Hour); err != nil {
			return fmt.Errorf("register: %w", err)
		}
	}
	st, err := h.NewStream(ctx, relayID, presence.ProtocolID)
	if err != nil {
		return err
	}
	defer st.Close()
	_ = st.SetDeadline(time.Now().Add(time.Minute))
	if _, err := st.Write(presenceHello(cert, true, contacts)); err != nil {
		return err
	}
	if err := readHub(st, func(f *pb.PresenceHubFrame) bool { return f.GetWelcome() != nil }); err != nil {
		return fmt.Errorf("%w: %w", errRefused, err)
	}
	return nil
}

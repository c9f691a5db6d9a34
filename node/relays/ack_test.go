package relays

import (
	"context"
	"crypto/rand"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage/mailboxstore"
)

// TestMailboxAckAfterSync: a drained mailbox item is acked to the relay
// (which then deletes its copy) only after Durable, the wait for the sync
// that covers what taking it stored, has returned.
func TestMailboxAckAfterSync(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// A relay's mailbox service on a host of its own.
	key, _, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		t.Fatal(err)
	}
	relayHost, err := libp2p.New(libp2p.Identity(key), libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { relayHost.Close() })
	boxes, err := mailboxstore.Open(mailboxstore.Options{Dir: filepath.Join(t.TempDir(), "mailboxes")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { boxes.Close() })
	svc, err := mailbox.NewService(relayHost, boxes, key)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(svc.Close)
	relay := peer.AddrInfo{ID: relayHost.ID(), Addrs: relayHost.Addrs()}

	// This device: a host and a certificate of its own.
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	if err := h.Connect(ctx, relay); err != nil {
		t.Fatal(err)
	}
	acct, err := identity.NewAccount()
	if err != nil {
		t.Fatal(err)
	}
	signalKey := make([]byte, 33)
	signalKey[0] = 0x05
	rand.Read(signalKey[1:])
	cert, err := acct.IssueCertificate(1, h.ID(), signalKey, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	synced := make(chan struct{})
	waiting := make(chan struct{}, 1)
	s := &Service{log: slog.New(slog.DiscardHandler), box: mailbox.Box{Account: acct.ID(), Device: 1}, d: Deps{
		Account: core.AccountID(acct.ID()), Device: 1, Cert: cert, Host: h,
		// What the deposit holds does not matter: the device is done
		// with it either way, and acks it.
		OpenDeposit: func(context.Context, []byte) pb.ErrorCode { return pb.ErrorCode_MALFORMED },
		Durable: func(ctx context.Context) error {
			waiting <- struct{}{}
			select {
			case <-synced:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		},
	}}
	box := s.box
	if _, err := mailbox.Register(ctx, h, relay.ID, cert, time.Hour); err != nil {
		t.Fatal(err)
	}
	sender, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sender.Close() })
	sender.Peerstore().AddAddrs(relay.ID, relay.Addrs, time.Hour)
	if _, err := mailbox.Deposit(ctx, sender, relay.ID, box, mailbox.DepositID{7}, []byte("sealed envelope")); err != nil {
		t.Fatal(err)
	}
	held := func() int {
		items, _, err := boxes.Fetch(ctx, box, 0, 10, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		return len(items)
	}
	items, _, err := boxes.Fetch(ctx, box, 0, 10, 1<<20)
	if err != nil || len(items) != 1 {
		t.Fatalf("relay holds %d items (%v), want 1", len(items), err)
	}

	done := make(chan int)
	go func() { done <- s.takeMailbox(ctx, relay.ID, box, items) }()
	<-waiting
	if n := held(); n != 1 {
		t.Fatalf("relay holds %d items while the sync is held, want 1: acked before syncing", n)
	}
	close(synced)
	if left := <-done; left != 0 {
		t.Fatalf("takeMailbox left %d items, want 0", left)
	}
	if n := held(); n != 0 {
		t.Fatalf("relay holds %d items after the ack, want 0", n)
	}
}

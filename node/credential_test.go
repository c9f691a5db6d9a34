package node_test

import (
	"context"
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/node/relay"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/storage"
)

func startRelayWith(t *testing.T, opts ...mailbox.Option) *relay.Relay {
	t.Helper()
	r, err := relay.New(relay.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), relay.WithHome(t.TempDir()), relay.WithMailboxOptions(opts...))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// strangerHost is a bare libp2p host on loopback that knows r.
func strangerHost(t *testing.T, r *relay.Relay) host.Host {
	t.Helper()
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	h.Peerstore().AddAddrs(r.Host().ID(), r.Host().Addrs(), time.Hour)
	return h
}

func junk(t *testing.T, n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// sendDelivered sends text from a to b and waits until it is delivered.
func sendDelivered(t *testing.T, a, b *node.Node, text string) core.MessageID {
	t.Helper()
	var id core.MessageID
	nodetest.Eventually(t, wait, func() bool {
		var err error
		id, err = a.Chats().Send(context.Background(), b.Info().Account, text)
		return err == nil
	}, "send %q", text)
	waitState(t, a, id, storage.Delivered, text)
	return id
}

// waitCredential waits until n holds owner's deposit secret and returns
// the credential it makes for r.
func waitCredential(t *testing.T, n, owner *node.Node, r *relay.Relay) [mailbox.CredentialSize]byte {
	t.Helper()
	var c [mailbox.CredentialSize]byte
	nodetest.Eventually(t, wait, func() bool {
		var ok bool
		c, ok = n.DepositCredential(context.Background(), owner.Info().Account, owner.Info().Device, r.Host().ID())
		return ok
	}, "the deposit secret reaches the contact")
	return c
}

// Strangers flooding a box while its device is away fill the room left to
// them and no more: a contact's deposit, presenting the credential the
// device handed it, still goes in, and the message is delivered when the
// device is back. Every contact presents the same credential.
func TestStrangerFloodCannotBlockContact(t *testing.T) {
	r := startRelayWith(t,
		mailbox.WithQuota(mailbox.Quota{MaxCount: 40, MaxBytes: 1 << 20}),
		mailbox.WithStrangerQuota(mailbox.Quota{MaxCount: 5, MaxBytes: 1 << 20}, mailbox.Quota{MaxCount: 10, MaxBytes: 1 << 20}))
	boot := relayAddr(r)
	ctx := context.Background()
	a := launchNode(t, nodeOpts(t.TempDir(), boot)...)
	c := launchNode(t, nodeOpts(t.TempDir(), boot)...)
	bOpts := nodeOpts(t.TempDir(), boot)
	b := launchNode(t, bOpts...)
	if err := b.Relays().Add(ctx, boot, ""); err != nil {
		t.Fatal(err)
	}
	waitRegistered(t, a, b, r)
	waitPublished(t, a, b.Info().Account, r)
	sendDelivered(t, a, b, "hello b")
	sendDelivered(t, c, b, "hello b, from c")
	sendDelivered(t, b, a, "hello a") // hands a the deposit secret
	sendDelivered(t, b, c, "hello c")
	credA, credC := waitCredential(t, a, b, r), waitCredential(t, c, b, r)
	if credA != credC {
		t.Fatal("two contacts present different credentials: the relay could tell them apart")
	}
	if credA != b.OwnDepositCredential(r.Host().ID()) {
		t.Fatal("the contact's credential is not b's")
	}
	box := mailbox.Box{Account: identity.AccountID(b.Info().Account), Device: b.Info().Device}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	accepted := 0
	for range 10 {
		h := strangerHost(t, r)
		for range 5 {
			var id mailbox.DepositID
			copy(id[:], junk(t, 16))
			_, err := mailbox.Deposit(ctx, h, r.Host().ID(), box, id, junk(t, 100))
			switch {
			case err == nil:
				accepted++
			case !errors.Is(err, mailbox.ErrNoCredential):
				t.Fatalf("stranger's deposit: %v", err)
			}
		}
	}
	if accepted > 10 {
		t.Fatalf("strangers deposited %d envelopes, more than their room of 10", accepted)
	}

	id, err := a.Chats().Send(ctx, core.AccountID(box.Account), "from a contact, through the flood")
	if err != nil {
		t.Fatal(err)
	}
	waitState(t, a, id, storage.Sent, "the contact's deposit")
	b = launchNode(t, bOpts...)
	waitState(t, a, id, storage.Delivered, "the contact's message after the flood")
}

// A rotated deposit secret: relays accept the previous one until the next
// rotation, so a contact that has only the previous one still deposits as
// a contact; the new one reaches it with the device's next message (a
// delivery receipt here); and secrets, credentials and registrations
// survive restarts of both sides. Strangers get no room at all on this
// relay, so every deposit that goes in went in with a valid credential.
func TestDepositSecretRotation(t *testing.T) {
	r := startRelayWith(t, mailbox.WithStrangerQuota(mailbox.Quota{MaxCount: 1, MaxBytes: 1}, mailbox.Quota{}))
	boot := relayAddr(r)
	rid := r.Host().ID()
	ctx := context.Background()
	aOpts := nodeOpts(t.TempDir(), boot)
	a := launchNode(t, aOpts...)
	bOpts := nodeOpts(t.TempDir(), boot)
	b := launchNode(t, bOpts...)
	bID := b.Info().Account
	box := mailbox.Box{Account: identity.AccountID(bID), Device: b.Info().Device}
	probe := strangerHost(t, r)
	// accepts reports whether the relay takes a deposit for b presenting
	// cred (from a host that is no contact of b's).
	accepts := func(cred [mailbox.CredentialSize]byte) error {
		var id mailbox.DepositID
		copy(id[:], junk(t, 16))
		_, err := mailbox.Deposit(ctx, probe, rid, box, id, junk(t, 50), mailbox.WithCredential(cred))
		return err
	}
	waitKeys := func(cred [mailbox.CredentialSize]byte, what string) {
		t.Helper()
		nodetest.Eventually(t, wait, func() bool { return accepts(cred) == nil }, "%s registered", what)
	}
	if err := b.Relays().Add(ctx, boot, ""); err != nil {
		t.Fatal(err)
	}
	v1 := b.OwnDepositCredential(rid)
	waitKeys(v1, "the first secret")
	if err := accepts(mailbox.Credential(junk(t, 32), rid)); !errors.Is(err, mailbox.ErrNoCredential) {
		t.Fatalf("a made-up credential: %v", err)
	}
	waitPublished(t, a, bID, r)
	sendDelivered(t, a, b, "hello b")
	sendDelivered(t, b, a, "hello a")
	if got := waitCredential(t, a, b, r); got != v1 {
		t.Fatal("a holds another secret than b's first")
	}

	if err := b.Relays().RotateDepositSecret(ctx); err != nil {
		t.Fatal(err)
	}
	v2 := b.OwnDepositCredential(rid)
	if v2 == v1 {
		t.Fatal("rotation kept the secret")
	}
	waitKeys(v2, "the rotated secret")
	if err := accepts(v1); err != nil {
		t.Fatalf("the previous secret after one rotation: %v", err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	// A has only the first secret: still a contact.
	id, err := a.Chats().Send(ctx, bID, "with the previous secret")
	if err != nil {
		t.Fatal(err)
	}
	waitState(t, a, id, storage.Sent, "deposited with the previous secret")

	// B comes back, takes the message and answers with a receipt, which
	// carries its new secret.
	b = launchNode(t, bOpts...)
	waitState(t, a, id, storage.Delivered, "b's receipt")
	nodetest.Eventually(t, wait, func() bool {
		got, ok := a.DepositCredential(ctx, bID, box.Device, rid)
		return ok && got == v2
	}, "a learns the rotated secret")

	// Both restart: everything is still there.
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	a = launchNode(t, aOpts...)
	b = launchNode(t, bOpts...)
	if got := b.OwnDepositCredential(rid); got != v2 {
		t.Fatal("b's secret changed across a restart")
	}
	if got, ok := a.DepositCredential(ctx, bID, box.Device, rid); !ok || got != v2 {
		t.Fatal("a lost b's secret across a restart")
	}
	waitKeys(v2, "the secret after a restart")
	if err := accepts(v1); err != nil {
		t.Fatalf("the previous secret after a restart: %v", err)
	}

	// A second rotation retires the first secret.
	if err := b.Relays().RotateDepositSecret(ctx); err != nil {
		t.Fatal(err)
	}
	v3 := b.OwnDepositCredential(rid)
	waitKeys(v3, "the second rotation")
	if err := accepts(v1); !errors.Is(err, mailbox.ErrNoCredential) {
		t.Fatalf("the first secret after two rotations: %v", err)
	}
	if err := accepts(v2); err != nil {
		t.Fatalf("the previous secret after two rotations: %v", err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	id, err = a.Chats().Send(ctx, bID, "after the second rotation")
	if err != nil {
		t.Fatal(err)
	}
	waitState(t, a, id, storage.Sent, "deposited with the previous secret")
}

package relay_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/groups"
	nmedia "github.com/pigeon-net/pigeon/node/media"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/node/relay"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/protocol/media"
)

// awayRecipient starts a relay with its data in home, a sender a and a
// recipient that registered its mailbox at the relay, exchanged a message
// with a, and went away; it returns the recipient's options to start it
// again and its account.
func awayRecipient(t *testing.T, home string) (*relay.Relay, *node.Node, []node.Option, core.AccountID) {
	t.Helper()
	r := startRelayAt(t, home)
	raddr := r.Addrs()[0].String()
	a := startNode(t, node.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), node.WithBootstrap(raddr))
	bOpts := []node.Option{node.WithHome(t.TempDir()), node.WithListenAddrs("/ip4/127.0.0.1/tcp/0"),
		node.WithRelays(raddr), node.WithRetryBackoff(20*time.Millisecond, 500*time.Millisecond)}
	ctx := context.Background()
	b := launch(t, bOpts...)
	bID := b.Info().Account
	box := mailbox.Box{Account: identity.AccountID(bID), Device: b.Info().Device}
	a.Host().Peerstore().AddAddrs(r.Host().ID(), r.Host().Addrs(), time.Hour)
	nodetest.Eventually(t, 30*time.Second, func() bool {
		_, err := mailbox.Deposit(ctx, a.Host(), r.Host().ID(), box, mailbox.DepositID{1}, []byte("probe"))
		return err == nil
	}, "b registered at the relay")
	nodetest.Eventually(t, 30*time.Second, func() bool {
		id, err := a.Chats().Send(ctx, bID, "hello")
		if err != nil {
			return false
		}
		nodetest.Eventually(t, 30*time.Second, func() bool {
			m, err := a.Chats().Message(ctx, id)
			return err == nil && m.State == core.Delivered
		}, "hello delivered")
		return true
	}, "a resolves b")
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	return r, a, bOpts, bID
}

// B is away when A sends a file: A asks B's relay to pin a copy (the relay
// fetches the encrypted blocks from A) and deposits the message naming it.
// A goes offline; B comes back, drains the message and downloads the file
// from the relay. The relay holds only ciphertext, and lets the copy go
// once B has the message.
func TestMediaThroughRelayWhileSenderOffline(t *testing.T) {
	home := t.TempDir()
	r, a, bOpts, bID := awayRecipient(t, home)
	ctx := context.Background()
	marker := []byte("RELAY-MUST-NOT-SEE-THIS-PLAINTEXT")
	data := make([]byte, 3<<20+77)
	rand.Read(data)
	for i := 0; i+len(marker) < len(data); i += 8192 {
		copy(data[i:], marker)
	}
	uploads := node.Subscribe[nmedia.Progress](a)
	defer uploads.Close()
	id, err := a.Media().Send(ctx, bID, bytes.NewReader(data), nmedia.File{Name: "away.bin"})
	if err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, 60*time.Second, func() bool {
		m, err := a.Chats().Message(ctx, id)
		return err == nil && m.State == core.Sent
	}, "deposited (sent)")
	uploaded := false
	for len(uploads.Events()) > 0 {
		ev := <-uploads.Events()
		uploaded = uploaded || (ev.ID == id && ev.Upload && ev.Phase == "upload" && ev.Done == ev.Total && ev.Total == int64(len(data))) // bytes of the file
	}
	if !uploaded {
		t.Error("no completed upload progress for the relay copy")
	}
	if blocks, _, err := r.CollectMedia(ctx); err != nil || blocks != 0 {
		t.Fatalf("the relay collected %d pinned blocks (%v)", blocks, err)
	}
	nodetest.AssertNoPlaintext(t, home, marker)

	if err := a.Close(); err != nil { // the sender is gone for good
		t.Fatal(err)
	}
	b := launch(t, bOpts...)
	nodetest.Eventually(t, 60*time.Second, func() bool {
		mi, err := b.Media().Info(ctx, id)
		return err == nil && mi.State == nmedia.Local
	}, "b downloads the file from the relay")
	path := filepath.Join(t.TempDir(), "away.bin")
	if err := b.Media().Save(ctx, id, path); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, data) {
		t.Fatal("file from the relay differs")
	}
	// B acked the deposit: the relay lets the copy go.
	nodetest.Eventually(t, 30*time.Second, func() bool {
		blocks, _, err := r.CollectMedia(ctx)
		return err == nil && blocks > 0
	}, "the relay collects the copy after delivery")
	nodetest.AssertNoPlaintext(t, home, marker)
}

// While the relay copies a large file for an away recipient, a text sent
// after it is deposited at once: it does not wait behind the copy.
func TestTextNotHeldBehindFileCopy(t *testing.T) {
	_, a, _, bID := awayRecipient(t, t.TempDir())
	ctx := context.Background()
	states := node.Subscribe[core.MessageStateChanged](a)
	defer states.Close()
	data := make([]byte, 96<<20)
	rand.Read(data)
	file, err := a.Media().Send(ctx, bID, bytes.NewReader(data), nmedia.File{Name: "big.bin"})
	if err != nil {
		t.Fatal(err)
	}
	text, err := a.Chats().Send(ctx, bID, "sent after the file")
	if err != nil {
		t.Fatal(err)
	}
	var order []core.MessageID
	nodetest.Eventually(t, 120*time.Second, func() bool {
		for {
			select {
			case ev := <-states.Events():
				if ev.State == core.Sent {
					order = append(order, ev.ID)
				}
				continue
			default:
			}
			return len(order) == 2
		}
	}, "both deposited")
	if order[0] != text || order[1] != file {
		t.Fatalf("deposit order %v, want the text %s before the file %s", order, text, file)
	}
}

// The search itself finds a marker past a hole and across read boundaries.
func TestFileContains(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sparse")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	marker := []byte("FIND-ME")
	if _, err := f.WriteAt(marker, 64<<20+(1<<20)-3); err != nil { // straddles a 1 MiB read
		t.Fatal(err)
	}
	f.Close()
	if found, err := nodetest.FileContains(path, marker); err != nil || !found {
		t.Fatalf("marker not found: %v", err)
	}
	if found, _ := nodetest.FileContains(path, []byte("ABSENT")); found {
		t.Fatal("found an absent marker")
	}
}

// A file sent to a group while a member downloads on demand only: the
// sender's relay keeps a copy (the sender pins it there for its own
// mailbox), so the member fetches it after the sender went away, and the
// relay holds only ciphertext.
func TestGroupMediaFromSendersRelay(t *testing.T) {
	home := t.TempDir()
	r := startRelayAt(t, home)
	raddr := r.Addrs()[0].String()
	a := startNode(t, node.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), node.WithRelays(raddr))
	b := startNode(t, node.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), node.WithBootstrap(raddr))
	ctx := context.Background()
	if err := b.Media().SetAutoDownload(ctx, core.Chat{}, 0); err != nil {
		t.Fatal(err)
	}
	for _, p := range [][2]*node.Node{{a, b}, {b, a}} {
		nodetest.Eventually(t, 30*time.Second, func() bool {
			_, err := p[0].Contacts().SafetyNumber(ctx, p[1].Info().Account)
			return err == nil
		}, "resolve")
	}
	// a's device list names its relay once it registered there.
	nodetest.Eventually(t, 30*time.Second, func() bool {
		rs, err := a.Relays().List(ctx)
		return err == nil && len(rs) == 1 && rs[0].Mailbox
	}, "a registered at its relay")
	gid, err := a.Groups().Create(ctx, "photos", "", groups.Settings{}, b.Info().Account)
	if err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, 30*time.Second, func() bool { return groupStatus(b, gid) == groups.Active }, "b joined")

	marker := []byte("RELAY-MUST-NOT-SEE-THIS-GROUP-FILE")
	data := make([]byte, 2<<20+5)
	rand.Read(data)
	for i := 0; i+len(marker) < len(data); i += 8192 {
		copy(data[i:], marker)
	}
	uploads := node.Subscribe[nmedia.Progress](a)
	defer uploads.Close()
	id, err := a.Media().SendToGroup(ctx, gid, bytes.NewReader(data), nmedia.File{Name: "group.bin"})
	if err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, 60*time.Second, func() bool {
		for {
			select {
			case ev := <-uploads.Events():
				if ev.ID == id && ev.Phase == "upload" && ev.Total > 0 && ev.Done == ev.Total {
					return true
				}
			default:
				return false
			}
		}
	}, "the relay copied the file")
	nodetest.Eventually(t, 30*time.Second, func() bool {
		mi, err := b.Media().Info(ctx, id)
		return err == nil && mi.State == nmedia.Remote
	}, "b has the message")
	// The copy lasts as long as a deposit, and only a's device may ask
	// for such a copy in a's box.
	mi, err := b.Media().Info(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	root, err := cid.Decode(mi.Root)
	if err != nil {
		t.Fatal(err)
	}
	aBox, size := a.Info().Account, media.CiphertextSize(uint64(len(data)))
	until, err := media.PinOwn(ctx, a.Host(), r.Host().ID(), root, aBox, a.Info().Device, size)
	if err != nil || time.Until(until) < 29*24*time.Hour {
		t.Fatalf("own copy kept until %v (%v), want about 30 days", until, err)
	}
	b.Host().Peerstore().AddAddrs(r.Host().ID(), r.Host().Addrs(), time.Hour)
	if _, err := media.PinOwn(ctx, b.Host(), r.Host().ID(), root, aBox, a.Info().Device, size); !errors.Is(err, media.ErrRefused) {
		t.Fatalf("b kept a file in a's box: %v", err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.Media().Fetch(ctx, id); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "group.bin")
	if err := b.Media().Save(ctx, id, path); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, data) {
		t.Fatal("file from the relay differs")
	}
	nodetest.AssertNoPlaintext(t, home, marker)
}

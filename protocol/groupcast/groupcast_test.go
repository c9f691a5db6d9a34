package groupcast_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	pubsubpb "github.com/libp2p/go-libp2p-pubsub/pb"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-msgio/pbio"
	"go.uber.org/goleak"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/groupcast"
)

var testTopic = groupcast.TopicFor([]byte("group-1"), []byte("secret-1"))

// node is one host with its Caster, its Group of testTopic and a tracer.
type node struct {
	h  host.Host
	c  *groupcast.Caster
	g  *groupcast.Group
	tr *tracer
}

// members returns a validator accepting messages authored by these peers.
func members(ids ...peer.ID) groupcast.Validator {
	set := make(map[peer.ID]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	return func(_ context.Context, from peer.ID, _ []byte) groupcast.Verdict {
		if set[from] {
			return groupcast.Accept
		}
		return groupcast.Reject
	}
}

func acceptAll(context.Context, peer.ID, []byte) groupcast.Verdict { return groupcast.Accept }

// newNodes starts n hosts connected as edges says, each with a Caster (made
// with opts) that has joined testTopic with the validator v(hosts).
func newNodes(t testing.TB, n int, edges [][2]int, v func([]host.Host) groupcast.Validator, opts ...groupcast.Option) []*node {
	t.Helper()
	hosts := newHosts(t, n, edges)
	nodes := make([]*node, n)
	for i, h := range hosts {
		nodes[i] = join(t, h, v(hosts), opts...)
	}
	return nodes
}

func join(t testing.TB, h host.Host, v groupcast.Validator, opts ...groupcast.Option) *node {
	t.Helper()
	tr := newTracer(h.ID())
	c, err := groupcast.New(h, append([]groupcast.Option{groupcast.WithRawTracer(tr)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	g, err := c.Join(testTopic, v)
	if err != nil {
		t.Fatal(err)
	}
	return &node{h: h, c: c, g: g, tr: tr}
}

func ids(hosts []host.Host) []peer.ID {
	out := make([]peer.ID, len(hosts))
	for i, h := range hosts {
		out[i] = h.ID()
	}
	return out
}

func memberValidator(hosts []host.Host) groupcast.Validator { return members(ids(hosts)...) }

// waitMeshes waits until every node's mesh holds at least min(want, its
// connections) peers and every mesh link is known at both ends: a message
// published before then may miss a node for good (the neighbour that
// grafted it neither pushed the message nor gossips to mesh peers).
func waitMeshes(t testing.TB, nodes []*node, want int) {
	t.Helper()
	byID := make(map[peer.ID]*node, len(nodes))
	for _, n := range nodes {
		byID[n.h.ID()] = n
	}
	eventually(t, 15*time.Second, func() bool {
		for _, n := range nodes {
			mesh := n.tr.meshPeers()
			if len(mesh) < min(want, len(n.h.Network().Peers())) {
				return false
			}
			for _, p := range mesh {
				if other, ok := byID[p]; ok && !slices.Contains(other.tr.meshPeers(), n.h.ID()) {
					return false
				}
			}
		}
		return true
	}, "meshes")
}

// collector gathers the messages a Group delivers.
type collector struct {
	mu   sync.Mutex
	msgs map[string]groupcast.Message // by payload
	done chan struct{}
}

func collect(g *groupcast.Group) *collector {
	col := &collector{msgs: make(map[string]groupcast.Message), done: make(chan struct{})}
	go func() {
		defer close(col.done)
		for m := range g.Messages() {
			col.mu.Lock()
			col.msgs[string(m.Payload)] = m
			col.mu.Unlock()
		}
	}()
	return col
}

func (col *collector) has(payload string) bool {
	col.mu.Lock()
	defer col.mu.Unlock()
	_, ok := col.msgs[payload]
	return ok
}

func (col *collector) count() int {
	col.mu.Lock()
	defer col.mu.Unlock()
	return len(col.msgs)
}

func TestTwentyMembersReceiveEverything(t *testing.T) {
	const n, perMember = 20, 2
	nodes := newNodes(t, n, randomGraph(n, 3, 1), memberValidator)
	cols := make([]*collector, n)
	for i, nd := range nodes {
		cols[i] = collect(nd.g)
	}
	waitMeshes(t, nodes, groupcast.GossipParams().Dlo)
	ctx := context.Background()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i, nd := range nodes {
		wg.Go(func() {
			for round := 0; round < perMember && errs[i] == nil; round++ {
				errs[i] = nd.g.Publish(ctx, []byte(fmt.Sprintf("m-%d-%d", i, round)))
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	want := (n - 1) * perMember
	eventually(t, 15*time.Second, func() bool {
		for _, col := range cols {
			if col.count() < want {
				return false
			}
		}
		return true
	}, "every message at every member")
	for i, col := range cols {
		if got := col.count(); got != want {
			t.Errorf("node %d received %d messages, want %d", i, got, want)
		}
		col.mu.Lock()
		for payload, m := range col.msgs {
			var from, round int
			if _, err := fmt.Sscanf(payload, "m-%d-%d", &from, &round); err != nil {
				t.Fatalf("node %d received %q", i, payload)
			}
			if from == i {
				t.Errorf("node %d received its own message %q", i, payload)
			}
			if m.From != nodes[from].h.ID() {
				t.Errorf("message %q from %s, want %s", payload, m.From, nodes[from].h.ID())
			}
			if m.ID != groupcast.MessageID(m.From, m.Payload) {
				t.Errorf("message %q has ID %s, want MessageID", payload, m.ID)
			}
		}
		col.mu.Unlock()
	}
}

// forge writes, on a raw stream from h to to, a message that claims to be
// authored by victim and is signed with h's key.
func forge(t testing.TB, h host.Host, to, victim peer.ID, data []byte) {
	t.Helper()
	topic := testTopic.String()
	m := &pubsubpb.Message{From: []byte(victim), Data: data, Seqno: []byte{0, 0, 0, 0, 0, 0, 0, 1}, Topic: &topic}
	raw, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if m.Signature, err = h.Peerstore().PrivKey(h.ID()).Sign(append([]byte("libp2p-pubsub:"), raw...)); err != nil {
		t.Fatal(err)
	}
	sub := true
	rpc := &pubsubpb.RPC{
		Subscriptions: []*pubsubpb.RPC_SubOpts{{Subscribe: &sub, Topicid: &topic}},
		Publish:       []*pubsubpb.Message{m},
	}
	// The router resets an inbound stream when the same peer opens
	// another (ours races the outsider's own router stream): try again on
	// a fresh stream, a few times.
	var err2 error
	for range 5 {
		s, err := h.NewStream(context.Background(), to, groupcast.ProtocolID)
		if err != nil {
			t.Fatal(err)
		}
		err2 = pbio.NewDelimitedWriter(s).WriteMsg(rpc)
		s.Close()
		if err2 == nil {
			return
		}
	}
	t.Fatal(err2)
}

func TestNonMemberAndForgedMessagesReachNoOne(t *testing.T) {
	// Members 0-4 in a ring; the outsider (5) knows the topic (a removed
	// member, say) and is connected to members 0, 1 and 2.
	edges := [][2]int{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 0}, {5, 0}, {5, 1}, {5, 2}}
	nodes := newNodes(t, 6, edges, func(hosts []host.Host) groupcast.Validator { return members(ids(hosts[:5])...) })
	outsider := nodes[5]
	memberNodes := nodes[:5]
	cols := make([]*collector, 5)
	for i, nd := range memberNodes {
		cols[i] = collect(nd.g)
	}
	waitMeshes(t, nodes, 2)
	ctx := context.Background()

	// The outsider's own validator rejects its message too; it needs a
	// Caster that accepts anything to get it out.
	if err := outsider.g.Publish(ctx, []byte("intruder")); !errors.Is(err, groupcast.ErrRejected) {
		t.Fatalf("outsider publish: %v, want ErrRejected", err)
	}
	if err := outsider.g.Leave(); err != nil {
		t.Fatal(err)
	}
	outsider.g, _ = outsider.c.Join(testTopic, acceptAll)
	eventually(t, wait, func() bool { return len(nodes[0].g.Peers()) == 3 }, "outsider back in the topic")
	if err := outsider.g.Publish(ctx, []byte("intruder")); err != nil {
		t.Fatal(err)
	}
	forge(t, outsider.h, nodes[1].h.ID(), nodes[3].h.ID(), []byte("forged"))
	eventually(t, wait, func() bool {
		return nodes[1].tr.rejections(pubsub.RejectInvalidSignature) >= 1
	}, "forged message rejected")
	eventually(t, wait, func() bool {
		n := 0
		for _, nd := range memberNodes[:3] {
			n += nd.tr.rejections(pubsub.RejectValidationFailed)
		}
		return n >= 1
	}, "intruder rejected")

	// A member's message published now reaches everyone; nothing else did.
	if err := nodes[4].g.Publish(ctx, []byte("sentinel")); err != nil {
		t.Fatal(err)
	}
	eventually(t, wait, func() bool {
		for _, col := range cols[:4] {
			if !col.has("sentinel") {
				return false
			}
		}
		return true
	}, "sentinel")
	for i, col := range cols {
		if col.has("intruder") || col.has("forged") {
			t.Errorf("member %d received a message it must not", i)
		}
	}
	// The invalid message costs the outsider its mesh links.
	eventually(t, wait, func() bool {
		for _, nd := range memberNodes[:3] {
			if nd.tr.rejections(pubsub.RejectValidationFailed) > 0 && nd.tr.prunes(outsider.h.ID()) > 0 {
				return true
			}
		}
		return false
	}, "outsider pruned by a member that rejected its message")
}

func TestSizeLimits(t *testing.T) {
	// b allows bigger payloads than the default, as a misconfigured or
	// hostile peer would.
	a := join(t, newHost(t), acceptAll)
	b := join(t, newHost(t), acceptAll, groupcast.WithMaxPayload(2*groupcast.DefaultMaxPayload))
	connect(t, a.h, b.h)
	col := collect(a.g)
	waitMeshes(t, []*node{a, b}, 1)
	ctx := context.Background()

	if err := a.g.Publish(ctx, make([]byte, groupcast.DefaultMaxPayload+1)); !errors.Is(err, groupcast.ErrTooLarge) {
		t.Errorf("publish over the limit: %v, want ErrTooLarge", err)
	}
	if err := a.g.Publish(ctx, nil); !errors.Is(err, groupcast.ErrEmpty) {
		t.Errorf("publish empty: %v, want ErrEmpty", err)
	}

	largest := bytes.Repeat([]byte{'x'}, groupcast.DefaultMaxPayload)
	if err := b.g.Publish(ctx, largest); err != nil {
		t.Fatal(err)
	}
	eventually(t, wait, func() bool { return col.has(string(largest)) }, "largest payload")

	over := bytes.Repeat([]byte{'y'}, groupcast.DefaultMaxPayload+1)
	if err := b.g.Publish(ctx, over); err != nil {
		t.Fatal(err)
	}
	eventually(t, wait, func() bool { return a.tr.rejections(pubsub.RejectValidationFailed) == 1 }, "oversized payload rejected")
	if col.has(string(over)) {
		t.Error("oversized payload delivered")
	}
}

func TestRelayJoinsWithoutBeingMember(t *testing.T) {
	// Hosts 0 and 1 are members; 2 is a relay that keeps their messages.
	// It publishes nothing, and its validator knows the member list.
	nodes := newNodes(t, 3, [][2]int{{0, 2}, {1, 2}}, func(hosts []host.Host) groupcast.Validator { return members(ids(hosts[:2])...) })
	relay := collect(nodes[2].g)
	member := collect(nodes[1].g)
	waitMeshes(t, nodes, 1)
	if err := nodes[0].g.Publish(context.Background(), []byte("hello")); err != nil {
		t.Fatal(err)
	}
	eventually(t, wait, func() bool { return relay.has("hello") && member.has("hello") }, "relay and member")
}

func TestSlowConsumerDoesNotStopForwarding(t *testing.T) {
	// a - b - c in a line; b never reads. c still gets everything, b keeps
	// its buffer's worth and counts the rest as dropped.
	const buffer, sent = 4, 40
	hosts := newHosts(t, 3, [][2]int{{0, 1}, {1, 2}})
	v := memberValidator(hosts)
	nodes := []*node{join(t, hosts[0], v), join(t, hosts[1], v, groupcast.WithBufferSize(buffer)), join(t, hosts[2], v)}
	c := collect(nodes[2].g)
	waitMeshes(t, nodes, 2)
	for i := 0; i < sent; i++ {
		if err := nodes[0].g.Publish(context.Background(), []byte(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, wait, func() bool { return c.count() == sent }, "all messages at c")
	b := nodes[1].g
	eventually(t, wait, func() bool { return b.Dropped() > 0 }, "drops counted at b")
	// b holds its buffer plus the one message its goroutine has in hand;
	// together with the dropped ones that is everything.
	got := 0
	timeout := time.After(10 * time.Second)
	for uint64(got)+b.Dropped() < sent {
		select {
		case <-b.Messages():
			got++
		case <-timeout:
			t.Fatalf("b read %d and dropped %d of %d", got, b.Dropped(), sent)
		}
	}
	if got > buffer+1 || uint64(got)+b.Dropped() != sent {
		t.Errorf("b read %d and dropped %d of %d (buffer %d)", got, b.Dropped(), sent, buffer)
	}
}

func TestLifecycle(t *testing.T) {
	hosts := []host.Host{newHost(t), newHost(t), newHost(t)}
	connect(t, hosts[0], hosts[1])
	connect(t, hosts[1], hosts[2])
	// Everything running now belongs to the hosts, which stay up: after
	// Close no goroutine of the Casters or their routers may remain.
	baseline := goleak.IgnoreCurrent()

	ctx := context.Background()
	var nodes []*node
	for _, h := range hosts {
		tr := newTracer(h.ID())
		c, err := groupcast.New(h, groupcast.WithRawTracer(tr))
		if err != nil {
			t.Fatal(err)
		}
		g, err := c.Join(testTopic, acceptAll)
		if err != nil {
			t.Fatal(err)
		}
		nodes = append(nodes, &node{h: h, c: c, g: g, tr: tr})
	}
	if _, err := nodes[0].c.Join(testTopic, acceptAll); !errors.Is(err, groupcast.ErrJoined) {
		t.Errorf("second join: %v, want ErrJoined", err)
	}
	col := collect(nodes[2].g)
	waitMeshes(t, nodes, 1)
	if err := nodes[0].g.Publish(ctx, []byte("one")); err != nil {
		t.Fatal(err)
	}
	eventually(t, wait, func() bool { return col.has("one") }, "first message")

	// Leave closes Messages; the group is unusable afterwards, and the
	// topic can be joined again.
	if err := nodes[2].g.Leave(); err != nil {
		t.Fatal(err)
	}
	<-col.done
	if err := nodes[2].g.Leave(); !errors.Is(err, groupcast.ErrLeft) {
		t.Errorf("second leave: %v, want ErrLeft", err)
	}
	if err := nodes[2].g.Publish(ctx, []byte("x")); !errors.Is(err, groupcast.ErrLeft) {
		t.Errorf("publish after leave: %v, want ErrLeft", err)
	}
	eventually(t, wait, func() bool { return len(nodes[1].g.Peers()) == 1 }, "neighbour sees the leave")
	g, err := nodes[2].c.Join(testTopic, acceptAll)
	if err != nil {
		t.Fatal(err)
	}
	nodes[2].g = g
	eventually(t, wait, func() bool { return len(nodes[1].g.Peers()) == 2 }, "neighbour sees the rejoin")

	for _, nd := range nodes {
		if err := nd.c.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if err := nodes[0].c.Close(); !errors.Is(err, groupcast.ErrClosed) {
		t.Errorf("second close: %v, want ErrClosed", err)
	}
	if _, err := nodes[0].c.Join(testTopic, acceptAll); !errors.Is(err, groupcast.ErrClosed) {
		t.Errorf("join after close: %v, want ErrClosed", err)
	}
	if err := nodes[1].g.Publish(ctx, []byte("x")); !errors.Is(err, groupcast.ErrLeft) && !errors.Is(err, groupcast.ErrClosed) {
		t.Errorf("publish after close: %v, want ErrLeft or ErrClosed", err)
	}
	if _, ok := <-nodes[0].g.Messages(); ok {
		t.Error("Messages open after Close")
	}
	goleak.VerifyNone(t, append(leakIgnores, baseline)...)
}

func TestTopicAndMessageID(t *testing.T) {
	a := groupcast.TopicFor([]byte("g"), []byte("s"))
	if a != groupcast.TopicFor([]byte("g"), []byte("s")) {
		t.Error("TopicFor is not deterministic")
	}
	if a == groupcast.TopicFor([]byte("g"), []byte("t")) || a == groupcast.TopicFor([]byte("h"), []byte("s")) {
		t.Error("TopicFor ignores its inputs")
	}
	// Moving a byte between group ID and secret changes the topic only
	// through HMAC; moving it between author and payload must change the ID.
	p1, p2 := peer.ID("ab"), peer.ID("a")
	if groupcast.MessageID(p1, []byte("c")) == groupcast.MessageID(p2, []byte("bc")) {
		t.Error("message IDs collide across the author/payload boundary")
	}
	if groupcast.MessageID(p1, []byte("c")) == groupcast.MessageID(peer.ID("xy"), []byte("c")) {
		t.Error("same payload from two authors has one ID")
	}
}

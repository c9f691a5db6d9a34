package relay

import (
	"context"
	"crypto/sha256"
	"errors"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/groupcast"
	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// maxKeptTopics bounds the group topics one relay follows.
const maxKeptTopics = 100000

// maxKeptTTL caps the TTL a group message names (the mailbox store's own
// TTL caps it further); it only keeps the conversion from overflowing.
const maxKeptTTL = 366 * 24 * time.Hour

var errTooManyTopics = errors.New("relay follows too many group topics")

// groupKeeper follows the group topics the relay's registered devices name
// (mailbox Follow) and keeps each message published there in the mailbox
// of every device following it, so a member that is away misses nothing.
// The relay is a plain GossipSub participant of those topics: it cannot
// read the messages (sender-key ciphertexts) nor tell members from
// strangers, so its validator only checks the envelope's shape; members
// check the rest when they take the messages. Typing indicators (sequence
// number 0) pass through and are not kept.
//
// Follows live in memory: after a restart the relay follows a device's
// topics again when the device registers again (it does so on reconnect).
type groupKeeper struct {
	caster *groupcast.Caster
	keep   func(box mailbox.Box, id mailbox.DepositID, env []byte, o mailbox.KeepOptions) error
	log    *slog.Logger
	wg     sync.WaitGroup // pumps

	mu     sync.Mutex // guards boxes and topics
	boxes  map[mailbox.Box][][32]byte
	topics map[groupcast.Topic]*keptTopic
}

type keptTopic struct {
	g     *groupcast.Group
	boxes map[mailbox.Box]bool // true: the box muted the topic (kept quietly)
}

func newGroupKeeper(c *groupcast.Caster, keep func(mailbox.Box, mailbox.DepositID, []byte, mailbox.KeepOptions) error, log *slog.Logger) *groupKeeper {
	return &groupKeeper{caster: c, keep: keep, log: log,
		boxes: make(map[mailbox.Box][][32]byte), topics: make(map[groupcast.Topic]*keptTopic)}
}

// follow replaces box's topics and those of them it muted (the mailbox
// service's WithFollow).
func (k *groupKeeper) follow(box mailbox.Box, topics, quiet [][32]byte) error {
	var leave []*groupcast.Group
	k.mu.Lock()
	want := make(map[groupcast.Topic]bool, len(topics))
	for _, t := range topics {
		want[t] = true
	}
	for _, t := range k.boxes[box] {
		kt := k.topics[t]
		if want[t] || kt == nil {
			continue
		}
		delete(kt.boxes, box)
		if len(kt.boxes) == 0 {
			delete(k.topics, t)
			leave = append(leave, kt.g)
		}
	}
	var err error
	for t := range want {
		kt := k.topics[t]
		if kt == nil {
			if len(k.topics) >= maxKeptTopics {
				err = errTooManyTopics
				continue
			}
			g, jerr := k.caster.Join(t, validGroupEnvelope)
			if jerr != nil {
				err = jerr
				continue
			}
			kt = &keptTopic{g: g, boxes: make(map[mailbox.Box]bool)}
			k.topics[t] = kt
			k.wg.Add(1)
			go k.pump(t, g)
		}
		kt.boxes[box] = slices.Contains(quiet, [32]byte(t))
	}
	if len(topics) == 0 {
		delete(k.boxes, box)
	} else {
		k.boxes[box] = append([][32]byte(nil), topics...)
	}
	k.mu.Unlock()
	for _, g := range leave {
		_ = g.Leave()
	}
	return err
}

// followed counts box's topics and the quiet ones among them.
func (k *groupKeeper) followed(box mailbox.Box) (topics, quiet int, err error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, t := range k.boxes[box] {
		if kt := k.topics[t]; kt != nil {
			topics++
			if kt.boxes[box] {
				quiet++
			}
		}
	}
	return topics, quiet, nil
}

// pump keeps what the topic delivers until the relay leaves it.
func (k *groupKeeper) pump(t groupcast.Topic, g *groupcast.Group) {
	defer k.wg.Done()
	for m := range g.Messages() {
		var env pb.GroupEnvelope
		if proto.Unmarshal(m.Payload, &env) != nil || env.Seq == 0 {
			continue // typing: not kept
		}
		env.Attempt = 0 // a republished message is the same message
		canon, err := proto.Marshal(&env)
		if err != nil {
			continue
		}
		sum := sha256.Sum256(canon)
		id := mailbox.DepositID(sum[:16])
		item := append([]byte{mailbox.GroupItemMarker}, canon...)
		k.mu.Lock()
		boxes := make(map[mailbox.Box]bool)
		if kt := k.topics[t]; kt != nil {
			maps.Copy(boxes, kt.boxes)
		}
		k.mu.Unlock()
		// A message of a group with a disappearing-messages timer is
		// kept no longer than the timer (what the sender says it is).
		ttl := time.Duration(min(env.TtlMs, uint64(maxKeptTTL/time.Millisecond))) * time.Millisecond
		for b, quiet := range boxes {
			if err := k.keep(b, id, item, mailbox.KeepOptions{TTL: ttl, Quiet: quiet}); err != nil {
				k.log.Debug("keep group message", "account", b.Account.Short(), "device", b.Device, "err", err)
			}
		}
	}
}

// validGroupEnvelope accepts payloads shaped like a group envelope.
func validGroupEnvelope(_ context.Context, _ peer.ID, payload []byte) groupcast.Verdict {
	var env pb.GroupEnvelope
	if proto.Unmarshal(payload, &env) != nil || len(env.GroupId) != 32 || len(env.SenderAccount) != 32 ||
		len(env.MessageId) != 16 || env.SenderDevice == 0 || len(env.Ciphertext) == 0 {
		return groupcast.Reject
	}
	return groupcast.Accept
}

// count returns how many topics the relay follows and for how many devices.
func (k *groupKeeper) count() (topics, boxes int) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.topics), len(k.boxes)
}

// close waits for the pumps; the caster is closed first.
func (k *groupKeeper) close() { k.wg.Wait() }

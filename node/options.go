package node

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/pigeon-net/pigeon/node/expiry"
	"github.com/pigeon-net/pigeon/node/media"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// Option configures a Node. Giving the same option twice is an error.
type Option func(*config) error

type config struct {
	set         map[string]bool
	home        string
	inMemory    bool
	listen      []string
	bootstrap   []string
	logger      *slog.Logger
	syncWrites  bool
	durableAcks bool
	minFree     int64
	syncHook    func() // tests: called at every sync of durable acks
	retryMin    time.Duration
	retryMax    time.Duration
	giveUpAfter time.Duration
	accountSeed []byte
	relays      []string
	// mediaRetry is how long a download keeps trying to reach a provider.
	mediaRetry time.Duration
	// mailboxRelays is how many relays the device list names for deposits.
	mailboxRelays int
	// clock drives disappearing messages (nil: the system clock).
	clock expiry.Clock
}

func defaultConfig() *config {
	return &config{
		set:         make(map[string]bool),
		listen:      []string{"/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/udp/0/quic-v1"},
		logger:      slog.New(slog.DiscardHandler),
		durableAcks: true,
		retryMin:    500 * time.Millisecond,
		retryMax:    5 * time.Minute,
		// giveUpAfter matches how long relays keep a deposit.
		giveUpAfter: DefaultGiveUpAfter,
		mediaRetry:  DefaultMediaRetry,

		mailboxRelays: DefaultMailboxRelays,
	}
}

func (c *config) once(name string) error {
	if c.set[name] {
		return fmt.Errorf("node: option %s given twice", name)
	}
	c.set[name] = true
	return nil
}

// WithHome keeps all state (keys, Badger database) in dir. The directory is
// created if needed; Init must have been run on it, or Start creates a new
// account there.
func WithHome(dir string) Option {
	return func(c *config) error {
		if dir == "" {
			return errors.New("node: WithHome: empty directory")
		}
		c.home = dir
		return c.once("WithHome")
	}
}

// WithInMemory keeps all state in memory, for tests and examples: a fresh
// account is created at every start and nothing survives Close.
func WithInMemory() Option {
	return func(c *config) error {
		c.inMemory = true
		return c.once("WithInMemory")
	}
}

// WithListenAddrs sets the multiaddrs the host listens on. The default is
// TCP and QUIC on 127.0.0.1 with OS-chosen ports, reachable from this
// machine only: pass public or 0.0.0.0 addresses (as `pigeon daemon` does)
// to be reachable from others, and fixed ports so contacts' cached addresses
// survive restarts.
func WithListenAddrs(addrs ...string) Option {
	return func(c *config) error {
		c.listen = append([]string(nil), addrs...)
		return c.once("WithListenAddrs")
	}
}

// WithBootstrap sets the peers (full multiaddrs ending in /p2p/<id>) the DHT
// joins through.
func WithBootstrap(addrs ...string) Option {
	return func(c *config) error {
		c.bootstrap = append([]string(nil), addrs...)
		return c.once("WithBootstrap")
	}
}

// WithLogger sets the structured logger; libp2p's logs are routed into it
// too. The default discards everything.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("node: WithLogger: nil logger")
		}
		c.logger = l
		return c.once("WithLogger")
	}
}

// WithSyncWrites makes every Badger commit fsync before it returns. Without
// it a commit survives a crash of the process (kill -9) but not of the
// machine.
func WithSyncWrites() Option {
	return func(c *config) error {
		c.syncWrites = true
		return c.once("WithSyncWrites")
	}
}

// WithDurableAcks turns durable acknowledgements on (the default) or off.
// On, the node acknowledges nothing it stored (an envelope's ack, a relay's
// mailbox, a delivery receipt, Send's return) before an fsync covers it, so
// a power loss cannot lose a message the other side believes delivered;
// concurrent acks share fsyncs (group commit), so one costs about one
// fsync of latency. Off, an acknowledged message survives a crash of the
// process but not of the machine: for tests and benchmarks.
func WithDurableAcks(on bool) Option {
	return func(c *config) error {
		c.durableAcks = on
		return c.once("WithDurableAcks")
	}
}

// DefaultMinFreeSpace is how much free disk space the node keeps by
// default (see WithMinFreeSpace).
const DefaultMinFreeSpace = badger.DefaultMinFree

// WithMinFreeSpace sets how many bytes must stay free on the disk holding
// the node's data (default DefaultMinFreeSpace), besides the room the
// store keeps for its database's own flushes and compactions (estimated
// from its shape; see package storage/badger). Below that the node
// refuses new work with an error wrapping storage.ErrStorageFull: it
// answers incoming messages STORAGE_FULL (their senders keep them and
// retry), Chats().Send and Media().Send fail, and files are not
// downloaded; below a quarter of it and that room nothing is written. It
// takes new work again by itself once there is room.
func WithMinFreeSpace(bytes int64) Option {
	return func(c *config) error {
		if bytes <= 0 {
			return fmt.Errorf("node: WithMinFreeSpace: need a positive size, got %d", bytes)
		}
		c.minFree = bytes
		return c.once("WithMinFreeSpace")
	}
}

// WithRetryBackoff sets the outbox retry backoff bounds (default 500ms to
// 5m, doubling with jitter).
func WithRetryBackoff(min, max time.Duration) Option {
	return func(c *config) error {
		if min <= 0 || max < min {
			return fmt.Errorf("node: WithRetryBackoff: need 0 < min <= max, got %v, %v", min, max)
		}
		c.retryMin, c.retryMax = min, max
		return c.once("WithRetryBackoff")
	}
}

// DefaultGiveUpAfter is how long the outbox keeps trying a message that
// neither the recipient nor any of its relays took (the time relays keep a
// deposit) before marking it failed.
const DefaultGiveUpAfter = 30 * 24 * time.Hour

// WithGiveUpAfter sets how long the outbox keeps trying an undelivered
// message (one no relay took into custody either) before it marks the
// message failed and drops it; DefaultGiveUpAfter by default.
func WithGiveUpAfter(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("node: WithGiveUpAfter: need a positive duration, got %v", d)
		}
		c.giveUpAfter = d
		return c.once("WithGiveUpAfter")
	}
}

// DefaultMediaRetry is how long a download keeps trying to reach a
// provider by default (see WithMediaRetry).
const DefaultMediaRetry = media.DefaultRetry

// WithMediaRetry sets how long a download keeps trying when none of the
// file's providers can be reached (the sender is offline, or restarting)
// before it fails: it retries with backoff (1 s doubling to 1 min, and at
// once when a provider connects or the file is asked for again), looking
// the providers up afresh each time, across restarts of this node;
// DefaultMediaRetry (24 h) by default. The time counts from the start of
// the download: asking for a file whose download failed starts a new one.
func WithMediaRetry(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("node: WithMediaRetry: need a positive duration, got %v", d)
		}
		c.mediaRetry = d
		return c.once("WithMediaRetry")
	}
}

// WithAccountSeed restores an existing account (its 32-byte seed, from
// Node.AccountSeed) when the home has no identity yet: the node becomes a
// new device of that account, with fresh device and Signal keys. Ignored
// when the home already has an identity.
func WithAccountSeed(seed []byte) Option {
	return func(c *config) error {
		if len(seed) != 32 {
			return fmt.Errorf("node: WithAccountSeed: %d bytes, want 32", len(seed))
		}
		c.accountSeed = append([]byte(nil), seed...)
		return c.once("WithAccountSeed")
	}
}

// DefaultMailboxRelays is how many relays senders are told to leave
// messages at by default.
const DefaultMailboxRelays = 2

// WithMailboxRelays sets k, how many of the node's relays its device list
// names for senders to leave messages at while it is away (default
// DefaultMailboxRelays): the k that answer fastest, one per region first.
// The node keeps its mailbox at every relay it uses.
func WithMailboxRelays(k int) Option {
	return func(c *config) error {
		if k < 1 || k > 16 {
			return fmt.Errorf("node: WithMailboxRelays: %d relays, want 1 to 16", k)
		}
		c.mailboxRelays = k
		return c.once("WithMailboxRelays")
	}
}

// WithRelays sets the relays (full multiaddrs ending in /p2p/<id>) this
// node keeps reservations with, so peers can reach it through circuit
// addresses when it cannot be dialled directly (behind NAT, or listening on
// no address at all). The circuit addresses are published in the device
// list; the node runs the DHT in client mode and tries hole punching.
//
// An entry may be "MULTIADDR,INVITE" for a relay that serves invited
// accounts only.
func WithRelays(addrs ...string) Option {
	return func(c *config) error {
		if _, err := ParseAddrInfos(relayAddrs(addrs)); err != nil {
			return fmt.Errorf("node: WithRelays: %w", err)
		}
		c.relays = append([]string(nil), addrs...)
		return c.once("WithRelays")
	}
}

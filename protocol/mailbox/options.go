package mailbox

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"golang.org/x/time/rate"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

// Defaults of the service's options.
const (
	DefaultMaxCount           = 10000
	DefaultMaxBytes           = 64 << 20
	DefaultRefillThreshold    = 10
	DefaultMaxPreKeys         = 200
	DefaultMaxRegistrationTTL = 90 * 24 * time.Hour
	DefaultPageSize           = 256
	DefaultPreKeyFetchRate    = rate.Limit(1)
	DefaultPreKeyFetchBurst   = 20
	// A sending peer's deposits without a valid credential may hold this
	// much in one box; all such deposits together a quarter of the quota.
	DefaultStrangerCount = 32
	DefaultStrangerBytes = 1 << 20
	// Deposits per sending peer, across all boxes.
	DefaultDepositRate  = rate.Limit(50)
	DefaultDepositBurst = 500
	// DefaultClosedTTL is how long a relay remembers that a box without a
	// live registration was closed.
	DefaultClosedTTL = 24 * time.Hour
)

type config struct {
	log          *slog.Logger
	quota        Quota
	maxEnvelope  int
	refillBelow  int
	maxPreKeys   int
	maxRegTTL    time.Duration
	pageSize     int
	fetchRate    rate.Limit
	fetchBurst   int
	strangerPeer Quota // per (box, sending peer)
	strangerAll  *Quota
	depositRate  rate.Limit
	depositBurst int
	storedForTTL time.Duration
	wake         func(box Box, push []byte)
	pushCheck    func(box Box, push []byte) pb.PushRefusal
	admit        func(Registration) error
	follow       func(box Box, topics, quiet [][32]byte) error
	region       string
	pins         func(box Box, id DepositID, roots [][]byte, until time.Time)
	acked        func(box Box, ids []DepositID)
	set          map[string]bool
}

// Option configures a Service. Giving an option twice is an error.
type Option func(*config) error

func once(c *config, name string) error {
	if c.set[name] {
		return fmt.Errorf("option %s given twice", name)
	}
	c.set[name] = true
	return nil
}

// WithLogger sets the logger (default: discard).
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("nil logger")
		}
		c.log = l
		return once(c, "logger")
	}
}

// WithQuota sets the per-account quota (default DefaultMaxCount envelopes,
// DefaultMaxBytes bytes).
func WithQuota(q Quota) Option {
	return func(c *config) error {
		if q.MaxCount <= 0 || q.MaxBytes <= 0 {
			return errors.New("quota must be positive")
		}
		c.quota = q
		return once(c, "quota")
	}
}

// WithMaxEnvelopeSize lowers the largest envelope accepted (default and
// maximum MaxEnvelopeSize).
func WithMaxEnvelopeSize(n int) Option {
	return func(c *config) error {
		if n <= 0 || n > MaxEnvelopeSize {
			return fmt.Errorf("max envelope size %d out of range", n)
		}
		c.maxEnvelope = n
		return once(c, "max envelope size")
	}
}

// WithRefillThreshold sets below how many one-time prekeys the relay asks
// a device to refill (default DefaultRefillThreshold).
func WithRefillThreshold(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return errors.New("negative refill threshold")
		}
		c.refillBelow = n
		return once(c, "refill threshold")
	}
}

// WithMaxPreKeys sets how many one-time prekeys a device may hold
// (default DefaultMaxPreKeys).
func WithMaxPreKeys(n int) Option {
	return func(c *config) error {
		if n <= 0 {
			return errors.New("max prekeys must be positive")
		}
		c.maxPreKeys = n
		return once(c, "max prekeys")
	}
}

// WithMaxRegistrationTTL sets how far ahead a registration may expire
// (default DefaultMaxRegistrationTTL).
func WithMaxRegistrationTTL(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return errors.New("max registration ttl must be positive")
		}
		c.maxRegTTL = d
		return once(c, "max registration ttl")
	}
}

// WithPreKeyFetchRate limits prekey fetches per requesting peer (default
// DefaultPreKeyFetchRate per second, bursts of DefaultPreKeyFetchBurst), so
// one peer cannot drain a device's one-time prekeys.
func WithPreKeyFetchRate(r rate.Limit, burst int) Option {
	return func(c *config) error {
		if r <= 0 || burst <= 0 {
			return errors.New("prekey fetch rate must be positive")
		}
		c.fetchRate, c.fetchBurst = r, burst
		return once(c, "prekey fetch rate")
	}
}

// WithStrangerQuota bounds what deposits without a valid deposit credential
// (first contacts, and anyone who was not handed the box's credential) may
// hold: perSender is each sending peer's room in one box (default
// DefaultStrangerCount envelopes, DefaultStrangerBytes bytes), all the room
// all strangers together have in an account's boxes, within its quota
// (default a quarter of the quota). Deposits beyond either are refused with
// ErrNoCredential. The per-sender accounting is kept in memory (a restart
// forgets it); the shared room is the Store's.
func WithStrangerQuota(perSender, all Quota) Option {
	return func(c *config) error {
		if perSender.MaxCount <= 0 || perSender.MaxBytes <= 0 || all.MaxCount < 0 || all.MaxBytes < 0 {
			return errors.New("stranger quota: per-sender limits must be positive, shared ones not negative")
		}
		c.strangerPeer, c.strangerAll = perSender, &all
		return once(c, "stranger quota")
	}
}

// WithDepositRate limits deposits per sending peer across all boxes
// (default DefaultDepositRate per second, bursts of DefaultDepositBurst);
// beyond it deposits are refused as rate limited.
func WithDepositRate(r rate.Limit, burst int) Option {
	return func(c *config) error {
		if r <= 0 || burst <= 0 {
			return errors.New("deposit rate must be positive")
		}
		c.depositRate, c.depositBurst = r, burst
		return once(c, "deposit rate")
	}
}

// WithStoreTTL tells the service how long its Store keeps deposits, to
// report it to registering devices (informational; default 30 days).
func WithStoreTTL(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return errors.New("store ttl must be positive")
		}
		c.storedForTTL = d
		return once(c, "store ttl")
	}
}

// WithWake sets what the service calls when something is deposited for a
// device that is not subscribed and registered a push endpoint (push is
// the marshaled pb.PushEndpoint). It must not block.
func WithWake(wake func(box Box, push []byte)) Option {
	return func(c *config) error {
		c.wake = wake
		return nil
	}
}

// MaxRegionLen bounds the region label a relay announces.
const MaxRegionLen = 64

// WithRegion sets the region the service tells registering devices it runs
// in (free text, at most MaxRegionLen bytes, e.g. "eu-west").
func WithRegion(region string) Option {
	return func(c *config) error {
		if len(region) > MaxRegionLen {
			return fmt.Errorf("region of %d bytes, limit %d", len(region), MaxRegionLen)
		}
		c.region = region
		return once(c, "region")
	}
}

// WithAdmission sets a check every registration must pass before it is
// stored (a relay's invite policy); an error wrapping ErrNotInvited is sent
// as MAILBOX_NOT_INVITED.
func WithAdmission(admit func(Registration) error) Option {
	return func(c *config) error {
		c.admit = admit
		return nil
	}
}

// WithFollow lets devices name the group topics their account belongs to
// (Follow): follow is called with the box's whole list each time (an empty
// list stops following), and those of them the device muted (quiet); the
// relay subscribes to them and hands what it receives to Keep, quietly for
// the muted ones. Without it, follow requests are refused as unsupported.
func WithFollow(follow func(box Box, topics, quiet [][32]byte) error) Option {
	return func(c *config) error {
		if follow == nil {
			return errors.New("nil follow function")
		}
		c.follow = follow
		return once(c, "follow")
	}
}

// WithPins makes the service tell pins about deposits that name media
// roots (after each such deposit is stored, with the time it is kept
// until) and about acked deposits, so the relay keeps the media copies
// exactly as long as the envelopes that refer to them.
func WithPins(deposited func(box Box, id DepositID, roots [][]byte, until time.Time), acked func(box Box, ids []DepositID)) Option {
	return func(c *config) error {
		if deposited == nil || acked == nil {
			return errors.New("nil pin callback")
		}
		c.pins, c.acked = deposited, acked
		return once(c, "pins")
	}
}

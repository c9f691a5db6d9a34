package link

import (
	"crypto/hmac"
	"fmt"
	"sync"
	"time"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

const (
	// MaxOffers bounds the codes open at once on one device.
	MaxOffers = 16
	// MaxBadProofs is how many wrong proofs disable a code.
	MaxBadProofs = 5
	// expiredMemory is how long an expired code is remembered, so that a
	// late new device hears "expired" rather than "unknown".
	expiredMemory = time.Hour
)

// offerState is where an offer is in its single use.
type offerState uint8

const (
	offerOpen    offerState = iota
	offerClaimed            // a hello verified; the user is being asked
	offerUsed               // granted or declined
	offerBurned             // MaxBadProofs wrong proofs
)

type offer struct {
	code      Code
	state     offerState
	badProofs int
}

// Offers holds the link codes a device made and has not yet seen used: each
// code links one device once, before it expires. It is safe for
// concurrent use.
type Offers struct {
	now func() time.Time

	mu     sync.Mutex // guards offers; the only lock of the package, never held across I/O or a call out
	offers map[offerID]*offer
}

// NewOffers returns an empty registry that tells time with now (time.Now
// when nil).
func NewOffers(now func() time.Time) *Offers {
	if now == nil {
		now = time.Now
	}
	return &Offers{now: now, offers: make(map[offerID]*offer)}
}

// Add registers a code made with NewCode for this device, so that a new
// device can use it until it expires. The code must not have expired, nor
// expire more than MaxCodeLifetime from now; at most MaxOffers codes may be
// open at once.
func (o *Offers) Add(c Code) error {
	const op = "add link code"
	if err := c.check(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	now := o.now()
	switch {
	case c.Secret == [32]byte{}:
		return fmt.Errorf("%s: %w: no secret (make codes with NewCode)", op, ErrMalformed)
	case c.Expired(now):
		return fmt.Errorf("%s: %w at %s", op, ErrExpired, c.Expires.Format(time.RFC3339))
	case c.Expires.Sub(now) > MaxCodeLifetime:
		return fmt.Errorf("%s: %w: expiry more than %v ahead", op, ErrMalformed, MaxCodeLifetime)
	}
	id := newOfferID(&c.Secret)
	o.mu.Lock()
	defer o.mu.Unlock()
	o.prune(now)
	if _, ok := o.offers[id]; ok {
		return fmt.Errorf("%s: %w", op, ErrDuplicateOffer)
	}
	if o.open(now) >= MaxOffers {
		return fmt.Errorf("%s: %w: withdraw one, or wait until one expires", op, ErrTooManyOffers)
	}
	o.offers[id] = &offer{code: c}
	return nil
}

// Withdraw forgets a code: a new device using it hears "unknown code". It
// reports whether the code was known.
func (o *Offers) Withdraw(c Code) bool {
	id := newOfferID(&c.Secret)
	o.mu.Lock()
	defer o.mu.Unlock()
	_, ok := o.offers[id]
	delete(o.offers, id)
	return ok
}

// Open returns how many codes may still be used.
func (o *Offers) Open() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.open(o.now())
}

// open counts the unexpired codes not used yet. o.mu is held.
func (o *Offers) open(now time.Time) int {
	n := 0
	for _, of := range o.offers {
		if of.state == offerOpen || of.state == offerClaimed {
			if !of.code.Expired(now) {
				n++
			}
		}
	}
	return n
}

// prune forgets codes expired longer than expiredMemory ago. o.mu is held.
func (o *Offers) prune(now time.Time) {
	for id, of := range o.offers {
		if now.Sub(of.code.Expires) > expiredMemory {
			delete(o.offers, id)
		}
	}
}

// claim looks up the offer a hello names and checks its proof against t;
// on success the offer is claimed and its code returned: the caller ends
// the claim with release or use. Otherwise it returns the refusal.
func (o *Offers) claim(id offerID, proof []byte, t *transcript) (Code, pb.LinkStatus) {
	now := o.now()
	o.mu.Lock()
	defer o.mu.Unlock()
	o.prune(now)
	of := o.offers[id]
	switch {
	case of == nil:
		return Code{}, pb.LinkStatus_LINK_UNKNOWN_CODE
	case of.code.Expired(now):
		return Code{}, pb.LinkStatus_LINK_EXPIRED
	case of.state == offerBurned:
		return Code{}, pb.LinkStatus_LINK_BURNED
	}
	t.account = of.code.Account
	if !hmac.Equal(proof, t.proof(&of.code.Secret)) {
		if of.state == offerOpen {
			if of.badProofs++; of.badProofs >= MaxBadProofs {
				of.state = offerBurned
			}
		}
		return Code{}, pb.LinkStatus_LINK_BAD_PROOF
	}
	switch of.state {
	case offerUsed:
		return Code{}, pb.LinkStatus_LINK_USED
	case offerClaimed:
		return Code{}, pb.LinkStatus_LINK_BUSY
	}
	of.state = offerClaimed
	return of.code, pb.LinkStatus_LINK_STATUS_NONE
}

// release gives a claimed offer back, unused: the new device went away or
// the confirmation failed without an answer from the user.
func (o *Offers) release(id offerID) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if of := o.offers[id]; of != nil && of.state == offerClaimed {
		of.state = offerOpen
	}
}

// use marks a claimed offer used: the device was linked or declined.
func (o *Offers) use(id offerID) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if of := o.offers[id]; of != nil {
		of.state = offerUsed
	}
}

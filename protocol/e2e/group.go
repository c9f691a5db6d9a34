package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"go.mau.fi/libsignal/groups"
	"go.mau.fi/libsignal/groups/ratchet"
	groupstore "go.mau.fi/libsignal/groups/state/store"
	"go.mau.fi/libsignal/protocol"
	"go.mau.fi/libsignal/signalerror"
)

// MaxSenderKeyMessageSize bounds a group ciphertext GroupDecrypt accepts.
const MaxSenderKeyMessageSize = 256 << 10

// maxSKDMSize bounds a sender-key distribution message (about 80 bytes).
const maxSKDMSize = 1 << 10

var (
	// ErrNoSenderKey is returned by GroupDecrypt when no sender key of the
	// sender (or not the one the message names) is held: the sender's
	// distribution message has not arrived yet, or the sender rotated its
	// key without giving us the new one.
	ErrNoSenderKey = errors.New("no sender key")
	// ErrDuplicateSenderKey is returned by ProcessSenderKey for a key ID
	// already held: processing it again would rewind the chain and let
	// read messages decrypt a second time.
	ErrDuplicateSenderKey = errors.New("sender key already held")
)

// GroupStore is what group sessions need from storage: the sender-key
// records of libsignal, their deletion (to rotate), and transactions.
type GroupStore interface {
	groupstore.SenderKey
	// DeleteSenderKey deletes the record of (group, sender); a missing one
	// is not an error.
	DeleteSenderKey(ctx context.Context, name *protocol.SenderKeyName) error
	// Update runs fn in one read-write transaction (see Store.Update).
	Update(ctx context.Context, fn func(ctx context.Context) error) error
}

// Groups runs libsignal sender-key sessions ("groups") for one device:
// one sending chain per group for this device, and one receiving chain per
// (group, sender device) learned from distribution messages (SKDMs) that
// arrive over pairwise sessions. Group IDs are opaque strings (callers use
// the hex group ID). It is safe for concurrent use; operations on one
// (group, sender) are serialized, and every change commits in one store
// transaction with the caller's own writes.
type Groups struct {
	st    GroupStore
	self  Address
	locks keyLocks[senderKeyID]
}

type senderKeyID struct {
	group  string
	sender Address
}

// NewGroups returns the sender-key sessions of device self over st.
func NewGroups(st GroupStore, self Address) *Groups {
	return &Groups{st: st, self: self}
}

func (g *Groups) name(group string, sender Address) *protocol.SenderKeyName {
	return protocol.NewSenderKeyName(group, sender.Signal())
}

// SenderKey returns this device's distribution message for group (creating
// the sending chain if there is none) and its key ID. The message carries
// the chain key at its current iteration: whoever gets it reads what this
// device sends from now on, not before. Send it only over pairwise
// sessions.
func (g *Groups) SenderKey(ctx context.Context, group string) (skdm []byte, keyID uint32, err error) {
	defer g.locks.lock(senderKeyID{group, g.self})()
	err = g.st.Update(ctx, func(ctx context.Context) error {
		return safely(func() error {
			m, err := groups.NewGroupSessionBuilder(g.st, ser).Create(ctx, g.name(group, g.self))
			if err != nil {
				return err
			}
			skdm, keyID = m.Serialize(), m.ID()
			return nil
		})
	})
	if err != nil {
		return nil, 0, fmt.Errorf("sender key: %w", err)
	}
	return skdm, keyID, nil
}

// OwnKeyID returns the key ID of this device's sending chain for group, and
// false when there is none.
func (g *Groups) OwnKeyID(ctx context.Context, group string) (uint32, bool, error) {
	rec, err := g.st.LoadSenderKey(ctx, g.name(group, g.self))
	if err != nil {
		return 0, false, fmt.Errorf("own key id: %w", err)
	}
	if rec == nil || rec.IsEmpty() {
		return 0, false, nil
	}
	st, err := rec.SenderKeyState()
	if err != nil {
		return 0, false, nil
	}
	return st.KeyID(), true, nil
}

// DropOwnKey deletes this device's sending chain for group, so nothing more
// is encrypted with it; the next SenderKey starts a fresh chain (a new key
// ID) that must be distributed again. This is the rotation after a member
// or a device leaves: the departed one holds the old chain, not the new.
func (g *Groups) DropOwnKey(ctx context.Context, group string) error {
	defer g.locks.lock(senderKeyID{group, g.self})()
	if err := g.st.DeleteSenderKey(ctx, g.name(group, g.self)); err != nil {
		return fmt.Errorf("drop own sender key: %w", err)
	}
	return nil
}

// ProcessSenderKey stores the distribution message skdm that sender sent
// for group (over an authenticated pairwise session), committing it with
// whatever fn (if non-nil) writes. A key ID already held is refused with
// ErrDuplicateSenderKey and changes nothing (the libsignal guide's replay
// pitfall). Malformed messages are ErrMalformed.
func (g *Groups) ProcessSenderKey(ctx context.Context, group string, sender Address, skdm []byte, fn func(ctx context.Context) error) error {
	const op = "process sender key"
	m, err := parseSKDM(skdm)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	name := g.name(group, sender)
	defer g.locks.lock(senderKeyID{group, sender})()
	err = g.st.Update(ctx, func(ctx context.Context) error {
		rec, err := g.st.LoadSenderKey(ctx, name)
		if err != nil {
			return storeError{err}
		}
		if rec != nil && !rec.IsEmpty() {
			if _, err := rec.GetSenderKeyStateByID(m.ID()); err == nil {
				return ErrDuplicateSenderKey
			}
		}
		if err := safely(func() error { return groups.NewGroupSessionBuilder(g.st, ser).Process(ctx, name, m) }); err != nil {
			return err
		}
		if fn != nil {
			if err := fn(ctx); err != nil {
				return callbackError{err}
			}
		}
		return nil
	})
	if errors.Is(err, ErrDuplicateSenderKey) {
		return fmt.Errorf("%s: %w", op, ErrDuplicateSenderKey)
	}
	if err != nil {
		return classify(op, err, nil)
	}
	return nil
}

// GroupEncrypt encrypts plaintext with this device's sending chain for
// group (which must exist: see SenderKey) and returns the signed
// SenderKeyMessage. The chain step commits with whatever fn (if non-nil),
// called with the ciphertext, writes. One encryption serves every member.
func (g *Groups) GroupEncrypt(ctx context.Context, group string, plaintext []byte, fn func(ctx context.Context, ciphertext []byte) error) ([]byte, error) {
	const op = "group encrypt"
	name := g.name(group, g.self)
	defer g.locks.lock(senderKeyID{group, g.self})()
	var out []byte
	err := g.st.Update(ctx, func(ctx context.Context) error {
		rec, err := g.st.LoadSenderKey(ctx, name)
		if err != nil {
			return storeError{err}
		}
		if rec == nil || rec.IsEmpty() {
			return ErrNoSenderKey
		}
		c := groups.NewGroupCipher(groups.NewGroupSessionBuilder(g.st, ser), name, g.st)
		if err := safely(func() error {
			msg, err := c.Encrypt(ctx, plaintext)
			if err != nil {
				return err
			}
			skm, ok := msg.(*protocol.SenderKeyMessage)
			if !ok {
				return fmt.Errorf("unexpected message type %T", msg)
			}
			out = skm.SignedSerialize()
			return nil
		}); err != nil {
			return err
		}
		if fn != nil {
			if err := fn(ctx, out); err != nil {
				return callbackError{err}
			}
		}
		return nil
	})
	if errors.Is(err, ErrNoSenderKey) {
		return nil, fmt.Errorf("%s: %w", op, ErrNoSenderKey)
	}
	if err != nil {
		return nil, classify(op, err, nil)
	}
	return out, nil
}

// GroupDecrypt decrypts a SenderKeyMessage that sender sent to group and
// calls fn (if non-nil) with the plaintext in the same transaction as the
// chain update; if fn fails nothing is written. Errors wrap ErrNoSenderKey
// (keep the message and retry once the sender's key arrives), ErrReplay (the
// message was decrypted before) or ErrDecrypt (bad signature, malformed, too
// far ahead).
func (g *Groups) GroupDecrypt(ctx context.Context, group string, sender Address, ciphertext []byte, fn func(ctx context.Context, plaintext []byte) error) error {
	const op = "group decrypt"
	if len(ciphertext) > MaxSenderKeyMessageSize {
		return fmt.Errorf("%s: %w: %w: %d bytes", op, ErrDecrypt, ErrTooLarge, len(ciphertext))
	}
	if err := safely(func() error { _, err := parseSenderKeyMessage(ciphertext); return err }); err != nil {
		return fmt.Errorf("%s: %w: %w", op, ErrDecrypt, err)
	}
	name := g.name(group, sender)
	defer g.locks.lock(senderKeyID{group, sender})()
	err := g.st.Update(ctx, func(ctx context.Context) error {
		// libsignal decrypts in place (AES-CBC over the message's own
		// ciphertext bytes): a message used by an attempt the store
		// retries no longer verifies, so parse a fresh copy each time.
		var msg *protocol.SenderKeyMessage
		if err := safely(func() (err error) { msg, err = parseSenderKeyMessage(bytes.Clone(ciphertext)); return err }); err != nil {
			return err
		}
		c := groups.NewGroupCipher(groups.NewGroupSessionBuilder(g.st, ser), name, g.st)
		var pt []byte
		if err := safely(func() (err error) { pt, err = c.Decrypt(ctx, msg); return err }); err != nil {
			return err
		}
		if fn != nil {
			if err := fn(ctx, pt); err != nil {
				return callbackError{err}
			}
		}
		return nil
	})
	switch {
	case err == nil:
		return nil
	case errors.Is(err, signalerror.ErrNoSenderKeyForUser), errors.Is(err, signalerror.ErrNoSenderKeyStateForID),
		errors.Is(err, signalerror.ErrNoSenderKeyStatesInRecord):
		return fmt.Errorf("%s: %w", op, ErrNoSenderKey)
	}
	return classify(op, err, ErrDecrypt)
}

func parseSKDM(b []byte) (*protocol.SenderKeyDistributionMessage, error) {
	if len(b) < 2 || len(b) > maxSKDMSize {
		return nil, fmt.Errorf("%w: distribution message of %d bytes", ErrMalformed, len(b))
	}
	var m *protocol.SenderKeyDistributionMessage
	err := safely(func() error {
		st, err := ser.SenderKeyDistributionMessage.Deserialize(b)
		if err != nil {
			return err
		}
		if len(st.ChainKey) != 32 {
			return fmt.Errorf("chain key of %d bytes", len(st.ChainKey))
		}
		if err := checkKeyField(st.SigningKey); err != nil {
			return err
		}
		m, err = protocol.NewSenderKeyDistributionMessageFromStruct(st, ser.SenderKeyDistributionMessage)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return m, nil
}

// maxSenderKeyAdvance bounds how far SenderKeyFrom steps a chain: one
// HMAC per message sent with the key.
const maxSenderKeyAdvance = 1 << 20

// SenderKeyFrom returns the distribution message skdm moved forward to the
// iteration of ct, a group ciphertext made with skdm's key at or after
// skdm's iteration. Whoever gets the result reads ct and everything sent
// with the key after it, and nothing before: a sender that keeps its key's
// first distribution message can hand a member who joined later exactly
// the messages sent since the join, even ones sent before it learned of
// the join or with a key it has since retired.
func SenderKeyFrom(skdm, ct []byte) ([]byte, error) {
	const op = "sender key from message"
	m, err := parseSKDM(skdm)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	msg, err := parseSenderKeyMessage(ct)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	switch {
	case msg.KeyID() != m.ID():
		return nil, fmt.Errorf("%s: %w: message of key %d, distribution of key %d", op, ErrMalformed, msg.KeyID(), m.ID())
	case msg.Iteration() < m.Iteration():
		return nil, fmt.Errorf("%s: %w: message at iteration %d, before the distribution's %d", op, ErrMalformed, msg.Iteration(), m.Iteration())
	case msg.Iteration()-m.Iteration() > maxSenderKeyAdvance:
		return nil, fmt.Errorf("%s: %w: %d iterations ahead", op, ErrMalformed, msg.Iteration()-m.Iteration())
	}
	ck := ratchet.NewSenderChainKey(m.Iteration(), m.ChainKey())
	for ck.Iteration() < msg.Iteration() {
		ck = ck.Next()
	}
	return protocol.NewSenderKeyDistributionMessage(m.ID(), ck.Iteration(), ck.Seed(), m.SignatureKey(), ser.SenderKeyDistributionMessage).Serialize(), nil
}

// SenderKeyID returns the key ID a group ciphertext was made with.
func SenderKeyID(ct []byte) (uint32, error) {
	m, err := parseSenderKeyMessage(ct)
	if err != nil {
		return 0, fmt.Errorf("sender key id: %w", err)
	}
	return m.KeyID(), nil
}

// senderKeyMinSize is a version byte, the smallest protobuf body and the
// 64-byte signature.
const senderKeyMinSize = 1 + 2 + 64

func parseSenderKeyMessage(b []byte) (*protocol.SenderKeyMessage, error) {
	if len(b) < senderKeyMinSize {
		return nil, fmt.Errorf("%w: sender key message of %d bytes", ErrMalformed, len(b))
	}
	m, err := protocol.NewSenderKeyMessageFromBytes(b, ser.SenderKeyMessage)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return m, nil
}

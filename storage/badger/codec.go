package badger

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/pigeon-net/pigeon/storage"
)

// Record encoding: every value of our own records starts with a version byte
// (recordV1) followed by fields in a fixed order. Integers are unsigned
// varints, byte strings and strings are a uvarint length then the bytes,
// fixed-size arrays (IDs, accounts) are raw, booleans are one byte (0 or 1)
// and times are one flag byte (0 = zero time, 1 = set) followed, when set,
// by a zigzag varint of Unix seconds and a uvarint of nanoseconds.

const recordV1 = 1

// messageV2 is the Message record with a group flag after the text; 1:1
// messages are still written as version 1.
const messageV2 = 2

// messageV3 is the Message record with the group flag, then kind, reply,
// edits and expiry after the text.
const messageV3 = 3

// Bounds of a message record's fields.
const (
	maxEdits       = 10
	maxExpireAfter = 366 * 24 * time.Hour
)

// outboxV2 is the OutboxItem encoding with custody devices after the done
// devices; version 1 items (without them) still decode.
const outboxV2 = 2

// outboxV3 adds the item's expiry (OutboxItem.Expires) after the custody
// devices; written only when it is set.
const outboxV3 = 3

// Decoder limits. They bound allocations made while decoding; a value
// never exceeds Badger's own batch limit anyway.
const (
	maxTextLen    = 1 << 20 // message text, outbox content, names
	maxKeyMatLen  = 4 << 10 // seeds, keys, certificates in LocalIdentity
	maxDoneDevice = 4096    // OutboxItem.Done entries
)

type encoder struct{ b []byte }

func (e *encoder) byte(v byte)      { e.b = append(e.b, v) }
func (e *encoder) uvarint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) raw(p []byte)     { e.b = append(e.b, p...) }
func (e *encoder) bytes(p []byte)   { e.uvarint(uint64(len(p))); e.b = append(e.b, p...) }
func (e *encoder) string(s string)  { e.uvarint(uint64(len(s))); e.b = append(e.b, s...) }
func (e *encoder) bool(v bool)      { e.byte(b2u(v)) }
func b2u(v bool) byte {
	if v {
		return 1
	}
	return 0
}
func (e *encoder) time(t time.Time) {
	if t.IsZero() {
		e.byte(0)
		return
	}
	e.byte(1)
	e.b = binary.AppendVarint(e.b, t.Unix())
	e.uvarint(uint64(t.Nanosecond()))
}

// decoder reads fields; the first error sticks and later reads return zero
// values, so decode functions check err once at the end.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: "+format, append([]any{ErrCorrupt}, args...)...)
	}
}

func (d *decoder) byte() byte {
	if d.err != nil {
		return 0
	}
	if len(d.b) < 1 {
		d.fail("truncated")
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("bad varint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) uint32() uint32 {
	v := d.uvarint()
	if v > 0xFFFFFFFF {
		d.fail("value %d out of range", v)
		return 0
	}
	return uint32(v)
}

func (d *decoder) raw(p []byte) {
	if d.err != nil {
		return
	}
	if len(d.b) < len(p) {
		d.fail("truncated")
		return
	}
	copy(p, d.b)
	d.b = d.b[len(p):]
}

func (d *decoder) bytes(limit int) []byte {
	n := d.uvarint()
	if d.err != nil {
		return nil
	}
	if n > uint64(limit) || n > uint64(len(d.b)) {
		d.fail("field of %d bytes too long", n)
		return nil
	}
	if n == 0 {
		return nil
	}
	p := make([]byte, n)
	copy(p, d.b)
	d.b = d.b[n:]
	return p
}

func (d *decoder) string(limit int) string { return string(d.bytes(limit)) }

func (d *decoder) bool() bool {
	switch d.byte() {
	case 0:
		return false
	case 1:
		return true
	}
	d.fail("bad bool")
	return false
}

func (d *decoder) time() time.Time {
	switch d.byte() {
	case 0:
		return time.Time{}
	case 1:
	default:
		d.fail("bad time flag")
		return time.Time{}
	}
	if d.err != nil {
		return time.Time{}
	}
	sec, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail("bad time")
		return time.Time{}
	}
	d.b = d.b[n:]
	nsec := d.uvarint()
	if nsec >= 1e9 {
		d.fail("bad nanoseconds")
		return time.Time{}
	}
	return time.Unix(sec, int64(nsec))
}

func (d *decoder) version() {
	if v := d.byte(); d.err == nil && v != recordV1 {
		d.fail("unknown record version %d", v)
	}
}

func (d *decoder) finish(what string) error {
	if d.err == nil && len(d.b) != 0 {
		d.fail("%d trailing bytes", len(d.b))
	}
	if d.err != nil {
		return fmt.Errorf("decode %s: %w", what, d.err)
	}
	return nil
}

func validDirection(v storage.Direction) bool {
	return v == storage.Incoming || v == storage.Outgoing
}

func validState(v storage.State) bool { return v.Rank() >= 0 }

// --- Message

func encodeMessage(m *storage.Message) []byte {
	e := encoder{b: make([]byte, 0, 128+len(m.Text))}
	v3 := m.Kind != storage.KindMessage || !m.ReplyTo.IsZero() || m.Edits != 0 || !m.EditedAt.IsZero() ||
		m.ExpireAfter != 0 || !m.ExpiresAt.IsZero()
	switch {
	case v3:
		e.byte(messageV3)
	case m.Group:
		e.byte(messageV2)
	default:
		e.byte(recordV1)
	}
	e.raw(m.ID[:])
	e.raw(m.Peer[:])
	e.raw(m.Sender[:])
	e.uvarint(uint64(m.SenderDevice))
	e.byte(byte(m.Direction))
	e.byte(byte(m.State))
	e.time(m.SentAt)
	e.time(m.StoredAt)
	e.string(m.Text)
	if v3 {
		e.bool(m.Group)
		e.byte(byte(m.Kind))
		e.raw(m.ReplyTo[:])
		e.byte(m.Edits)
		e.time(m.EditedAt)
		e.uvarint(uint64(m.ExpireAfter / time.Millisecond))
		e.time(m.ExpiresAt)
	} else if m.Group {
		e.bool(true)
	}
	return e.b
}

func decodeMessage(b []byte) (storage.Message, error) {
	var m storage.Message
	d := decoder{b: b}
	v := d.byte()
	if d.err == nil && v != recordV1 && v != messageV2 && v != messageV3 {
		d.fail("unknown record version %d", v)
	}
	d.raw(m.ID[:])
	d.raw(m.Peer[:])
	d.raw(m.Sender[:])
	m.SenderDevice = d.uint32()
	m.Direction = storage.Direction(d.byte())
	m.State = storage.State(d.byte())
	m.SentAt = d.time()
	m.StoredAt = d.time()
	m.Text = d.string(maxTextLen)
	switch v {
	case messageV2:
		if m.Group = d.bool(); d.err == nil && !m.Group {
			d.fail("version 2 message without the group flag")
		}
	case messageV3:
		m.Group = d.bool()
		m.Kind = storage.MessageKind(d.byte())
		d.raw(m.ReplyTo[:])
		m.Edits = d.byte()
		m.EditedAt = d.time()
		after := d.uvarint()
		if d.err == nil && after > uint64(maxExpireAfter/time.Millisecond) {
			d.fail("expiry timer of %d ms", after)
		}
		m.ExpireAfter = time.Duration(after) * time.Millisecond
		m.ExpiresAt = d.time()
		if d.err == nil && m.Kind > storage.KindDeviceNotice {
			d.fail("unknown message kind %d", m.Kind)
		}
		if d.err == nil && m.Edits > maxEdits {
			d.fail("%d edits", m.Edits)
		}
	}
	if d.err == nil && !validDirection(m.Direction) {
		d.fail("bad direction %d", m.Direction)
	}
	if d.err == nil && !validState(m.State) {
		d.fail("bad state %d", m.State)
	}
	if err := d.finish("message"); err != nil {
		return storage.Message{}, err
	}
	return m, nil
}

// --- Conversation summary

type summary struct {
	Last   storage.MessageID
	Unread uint64
}

func encodeSummary(s summary) []byte {
	e := encoder{b: make([]byte, 0, 24)}
	e.byte(recordV1)
	e.raw(s.Last[:])
	e.uvarint(s.Unread)
	return e.b
}

func decodeSummary(b []byte) (summary, error) {
	var s summary
	d := decoder{b: b}
	d.version()
	d.raw(s.Last[:])
	s.Unread = d.uvarint()
	if err := d.finish("conversation summary"); err != nil {
		return summary{}, err
	}
	return s, nil
}

// --- Contact

func encodeContact(c *storage.Contact) []byte {
	e := encoder{b: make([]byte, 0, 64+len(c.Name))}
	e.byte(recordV1)
	e.raw(c.Account[:])
	e.string(c.Name)
	e.time(c.AddedAt)
	e.bool(c.Verified)
	e.time(c.IdentityChangedAt)
	return e.b
}

func decodeContact(b []byte) (storage.Contact, error) {
	var c storage.Contact
	d := decoder{b: b}
	d.version()
	d.raw(c.Account[:])
	c.Name = d.string(maxTextLen)
	c.AddedAt = d.time()
	c.Verified = d.bool()
	c.IdentityChangedAt = d.time()
	if err := d.finish("contact"); err != nil {
		return storage.Contact{}, err
	}
	return c, nil
}

// --- Outbox item

func encodeOutbox(it *storage.OutboxItem) []byte {
	e := encoder{b: make([]byte, 0, 96+len(it.Content)+5*(len(it.Done)+len(it.Custody)))}
	v := byte(outboxV2)
	if !it.Expires.IsZero() {
		v = outboxV3
	}
	e.byte(v)
	e.raw(it.ID[:])
	e.raw(it.Recipient[:])
	e.bytes(it.Content)
	e.uvarint(uint64(max(it.Attempts, 0)))
	e.time(it.NextAttempt)
	e.time(it.CreatedAt)
	e.bool(it.Receipt)
	e.uvarint(uint64(len(it.Done)))
	for _, dev := range it.Done {
		e.uvarint(uint64(dev))
	}
	e.uvarint(uint64(len(it.Custody)))
	for _, dev := range it.Custody {
		e.uvarint(uint64(dev))
	}
	if v == outboxV3 {
		e.time(it.Expires)
	}
	return e.b
}

func decodeOutbox(b []byte) (storage.OutboxItem, error) {
	var it storage.OutboxItem
	d := decoder{b: b}
	v := d.byte()
	if d.err == nil && v != recordV1 && v != outboxV2 && v != outboxV3 {
		d.fail("unknown record version %d", v)
	}
	d.raw(it.ID[:])
	d.raw(it.Recipient[:])
	it.Content = d.bytes(maxTextLen)
	attempts := d.uvarint()
	if attempts > 1<<31-1 {
		d.fail("attempts %d out of range", attempts)
	}
	it.Attempts = int(attempts)
	it.NextAttempt = d.time()
	it.CreatedAt = d.time()
	it.Receipt = d.bool()
	it.Done = d.devices("done")
	if v >= outboxV2 {
		it.Custody = d.devices("custody")
	}
	if v == outboxV3 {
		it.Expires = d.time()
	}
	if err := d.finish("outbox item"); err != nil {
		return storage.OutboxItem{}, err
	}
	return it, nil
}

// devices reads a count and that many device IDs; each takes at least one
// byte, so the count is also bounded by the input.
func (d *decoder) devices(what string) []uint32 {
	n := d.uvarint()
	if d.err == nil && (n > maxDoneDevice || n > uint64(len(d.b))) {
		d.fail("%d %s devices", n, what)
	}
	if d.err != nil || n == 0 {
		return nil
	}
	out := make([]uint32, n)
	for i := range out {
		out[i] = d.uint32()
	}
	return out
}

// --- Local identity

func encodeLocalIdentity(id *storage.LocalIdentity) []byte {
	e := encoder{b: make([]byte, 0, 256+len(id.Certificate))}
	e.byte(recordV1)
	e.bytes(id.AccountSeed)
	e.uvarint(uint64(id.DeviceID))
	e.bytes(id.PeerKey)
	e.bytes(id.SignalPublic)
	e.bytes(id.SignalPrivate)
	e.uvarint(uint64(id.RegistrationID))
	e.bytes(id.Certificate)
	e.uvarint(id.DeviceListVersion)
	return e.b
}

func decodeLocalIdentity(b []byte) (*storage.LocalIdentity, error) {
	id := new(storage.LocalIdentity)
	d := decoder{b: b}
	d.version()
	id.AccountSeed = d.bytes(maxKeyMatLen)
	id.DeviceID = d.uint32()
	id.PeerKey = d.bytes(maxKeyMatLen)
	id.SignalPublic = d.bytes(maxKeyMatLen)
	id.SignalPrivate = d.bytes(maxKeyMatLen)
	id.RegistrationID = d.uint32()
	id.Certificate = d.bytes(maxTextLen)
	id.DeviceListVersion = d.uvarint()
	if err := d.finish("local identity"); err != nil {
		return nil, err
	}
	return id, nil
}

// --- Fixed-width values

func encodeUint32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

func decodeUint32(b []byte, what string) (uint32, error) {
	if len(b) != 4 {
		return 0, fmt.Errorf("decode %s: %w: %d bytes, want 4", what, ErrCorrupt, len(b))
	}
	return binary.BigEndian.Uint32(b), nil
}

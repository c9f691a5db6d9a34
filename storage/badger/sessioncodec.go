package badger

import (
	"encoding/binary"
	"fmt"

	"go.mau.fi/libsignal/keys/chain"
	"go.mau.fi/libsignal/keys/message"
	"go.mau.fi/libsignal/serialize"
	"go.mau.fi/libsignal/state/record"
	"go.mau.fi/libsignal/util/optional"
)

// Session records are rewritten on every message sent and received, so
// their encoding is on the latency path of every message. libsignal's own
// serializers write JSON (about 20 µs for a 2 KB record here); sessionCodec
// writes the same structure in a compact binary form instead (a few µs),
// and still reads the JSON records older versions stored.
//
// Binary form, after the version byte sessionV1 (JSON records start with
// '{'): a flag byte (0 none, 1 present) and the current state, then a
// count of previous states and each state. Byte strings are a uvarint of
// length+1 then the bytes, and counts a uvarint of count+1, 0 meaning nil
// in both, so a record decodes to exactly the structure that was encoded.
//
//	state  localIdentityPublic localRegistrationID needsRefresh(1)
//	       flag [pendingKeyExchange] flag [pendingPreKey] previousCounter
//	       nReceiverChains chain... remoteIdentityPublic remoteRegistrationID
//	       rootKey senderBaseKey flag [chain] sessionVersion(zigzag)
//	chain  ratchetPublic ratchetPrivate flag [chainKey index] nKeys
//	       (cipherKey macKey iv index)...
//	pendingKeyExchange  sequence localBase(pub priv) localRatchet(pub priv)
//	                    localIdentity(pub priv)
//	pendingPreKey  preKeyID(0 nil, 1 empty, 2 then value) signedPreKeyID baseKey
const sessionV1 = 0x01

// Decoder limits for session records, above what libsignal keeps (40
// archived states, 5 receiver chains, 2000 skipped message keys per chain).
const (
	maxSessionStates = 64
	maxSessionChains = 64
	maxChainKeys     = 4096
	maxSessionField  = 1 << 10 // any key or key half
)

// sessionCodec implements record.SessionSerializer.
type sessionCodec struct{}

var _ record.SessionSerializer = sessionCodec{}

var jsonSession = &serialize.JSONSessionSerializer{}
var jsonState = &serialize.JSONStateSerializer{}

// Serialize encodes a session structure.
func (sessionCodec) Serialize(s *record.SessionStructure) []byte {
	e := encoder{b: make([]byte, 0, 1024)}
	e.byte(sessionV1)
	e.state(s.SessionState)
	e.optCount(s.PreviousStates == nil, len(s.PreviousStates))
	for _, st := range s.PreviousStates {
		e.state(st)
	}
	return e.b
}

// Deserialize decodes a session structure in either form.
func (sessionCodec) Deserialize(b []byte) (*record.SessionStructure, error) {
	if len(b) > 0 && b[0] == '{' {
		return jsonSession.Deserialize(b)
	}
	d := decoder{b: b}
	if v := d.byte(); d.err == nil && v != sessionV1 {
		d.fail("unknown session record version %d", v)
	}
	s := &record.SessionStructure{SessionState: d.state()}
	n, isNil := d.optCount(maxSessionStates)
	if !isNil {
		s.PreviousStates = make([]*record.StateStructure, 0, n)
	}
	for range n {
		s.PreviousStates = append(s.PreviousStates, d.state())
	}
	if err := d.finish("session"); err != nil {
		return nil, err
	}
	return s, nil
}

// sessionStateCodec encodes a single state (libsignal's StateSerializer).
type sessionStateCodec struct{}

var _ record.StateSerializer = sessionStateCodec{}

func (sessionStateCodec) Serialize(s *record.StateStructure) []byte {
	e := encoder{b: make([]byte, 0, 512)}
	e.byte(sessionV1)
	e.state(s)
	return e.b
}

func (sessionStateCodec) Deserialize(b []byte) (*record.StateStructure, error) {
	if len(b) > 0 && b[0] == '{' {
		return jsonState.Deserialize(b)
	}
	d := decoder{b: b}
	if v := d.byte(); d.err == nil && v != sessionV1 {
		d.fail("unknown session state version %d", v)
	}
	s := d.state()
	if err := d.finish("session state"); err != nil {
		return nil, err
	}
	if s == nil {
		return nil, fmt.Errorf("decode session state: %w: no state", ErrCorrupt)
	}
	return s, nil
}

// optBytes writes p keeping nil apart from empty.
func (e *encoder) optBytes(p []byte) {
	if p == nil {
		e.byte(0)
		return
	}
	e.uvarint(uint64(len(p)) + 1)
	e.b = append(e.b, p...)
}

func (e *encoder) state(s *record.StateStructure) {
	if s == nil {
		e.byte(0)
		return
	}
	e.byte(1)
	e.optBytes(s.LocalIdentityPublic)
	e.uvarint(uint64(s.LocalRegistrationID))
	e.bool(s.NeedsRefresh)
	if p := s.PendingKeyExchange; p == nil {
		e.byte(0)
	} else {
		e.byte(1)
		e.uvarint(uint64(p.Sequence))
		e.optBytes(p.LocalBaseKeyPublic)
		e.optBytes(p.LocalBaseKeyPrivate)
		e.optBytes(p.LocalRatchetKeyPublic)
		e.optBytes(p.LocalRatchetKeyPrivate)
		e.optBytes(p.LocalIdentityKeyPublic)
		e.optBytes(p.LocalIdentityKeyPrivate)
	}
	if p := s.PendingPreKey; p == nil {
		e.byte(0)
	} else {
		e.byte(1)
		switch {
		case p.PreKeyID == nil:
			e.byte(0)
		case p.PreKeyID.IsEmpty:
			e.byte(1)
		default:
			e.byte(2)
			e.uvarint(uint64(p.PreKeyID.Value))
		}
		e.uvarint(uint64(p.SignedPreKeyID))
		e.optBytes(p.BaseKey)
	}
	e.uvarint(uint64(s.PreviousCounter))
	e.optCount(s.ReceiverChains == nil, len(s.ReceiverChains))
	for _, c := range s.ReceiverChains {
		e.chain(c)
	}
	e.optBytes(s.RemoteIdentityPublic)
	e.uvarint(uint64(s.RemoteRegistrationID))
	e.optBytes(s.RootKey)
	e.optBytes(s.SenderBaseKey)
	e.chain(s.SenderChain)
	e.b = binary.AppendVarint(e.b, int64(s.SessionVersion))
}

func (e *encoder) chain(c *record.ChainStructure) {
	if c == nil {
		e.byte(0)
		return
	}
	e.byte(1)
	e.optBytes(c.SenderRatchetKeyPublic)
	e.optBytes(c.SenderRatchetKeyPrivate)
	if c.ChainKey == nil {
		e.byte(0)
	} else {
		e.byte(1)
		e.optBytes(c.ChainKey.Key)
		e.uvarint(uint64(c.ChainKey.Index))
	}
	e.optCount(c.MessageKeys == nil, len(c.MessageKeys))
	for _, k := range c.MessageKeys {
		if k == nil {
			e.byte(0)
			continue
		}
		e.byte(1)
		e.optBytes(k.CipherKey)
		e.optBytes(k.MacKey)
		e.optBytes(k.IV)
		e.uvarint(uint64(k.Index))
	}
}

// optCount writes a slice length keeping nil apart from empty.
func (e *encoder) optCount(isNil bool, n int) {
	if isNil {
		e.byte(0)
		return
	}
	e.uvarint(uint64(n) + 1)
}

// optBytes reads what encoder.optBytes wrote.
func (d *decoder) optBytes() []byte {
	n := d.uvarint()
	if d.err != nil || n == 0 {
		return nil
	}
	n--
	if n > maxSessionField || n > uint64(len(d.b)) {
		d.fail("field of %d bytes too long", n)
		return nil
	}
	p := make([]byte, n)
	copy(p, d.b)
	d.b = d.b[n:]
	return p
}

// varint reads a zigzag varint.
func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail("bad varint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

// flag reads a presence byte.
func (d *decoder) flag() bool {
	switch d.byte() {
	case 0:
		return false
	case 1:
		return d.err == nil
	}
	d.fail("bad presence flag")
	return false
}

// optCount reads what encoder.optCount wrote; every element takes at
// least one byte.
func (d *decoder) optCount(limit int) (n int, isNil bool) {
	v := d.uvarint()
	if d.err != nil || v == 0 {
		return 0, true
	}
	v--
	if v > uint64(limit) || v > uint64(len(d.b)) {
		d.fail("count %d too large", v)
		return 0, true
	}
	return int(v), false
}

func (d *decoder) state() *record.StateStructure {
	if !d.flag() {
		return nil
	}
	s := &record.StateStructure{
		LocalIdentityPublic: d.optBytes(),
		LocalRegistrationID: d.uint32(),
		NeedsRefresh:        d.bool(),
	}
	if d.flag() {
		s.PendingKeyExchange = &record.PendingKeyExchangeStructure{
			Sequence:                d.uint32(),
			LocalBaseKeyPublic:      d.optBytes(),
			LocalBaseKeyPrivate:     d.optBytes(),
			LocalRatchetKeyPublic:   d.optBytes(),
			LocalRatchetKeyPrivate:  d.optBytes(),
			LocalIdentityKeyPublic:  d.optBytes(),
			LocalIdentityKeyPrivate: d.optBytes(),
		}
	}
	if d.flag() {
		p := &record.PendingPreKeyStructure{}
		switch d.byte() {
		case 0:
		case 1:
			p.PreKeyID = optional.NewEmptyUint32()
		case 2:
			p.PreKeyID = optional.NewOptionalUint32(d.uint32())
		default:
			d.fail("bad prekey ID flag")
		}
		p.SignedPreKeyID = d.uint32()
		p.BaseKey = d.optBytes()
		s.PendingPreKey = p
	}
	s.PreviousCounter = d.uint32()
	n, isNil := d.optCount(maxSessionChains)
	if !isNil {
		s.ReceiverChains = make([]*record.ChainStructure, 0, n)
	}
	for range n {
		s.ReceiverChains = append(s.ReceiverChains, d.chain())
	}
	s.RemoteIdentityPublic = d.optBytes()
	s.RemoteRegistrationID = d.uint32()
	s.RootKey = d.optBytes()
	s.SenderBaseKey = d.optBytes()
	s.SenderChain = d.chain()
	v := d.varint()
	if v < 0 || v > 255 {
		d.fail("bad session version %d", v)
	}
	s.SessionVersion = int(v)
	if d.err != nil {
		return nil
	}
	return s
}

func (d *decoder) chain() *record.ChainStructure {
	if !d.flag() {
		return nil
	}
	c := &record.ChainStructure{
		SenderRatchetKeyPublic:  d.optBytes(),
		SenderRatchetKeyPrivate: d.optBytes(),
	}
	if d.flag() {
		c.ChainKey = &chain.KeyStructure{Key: d.optBytes(), Index: d.uint32()}
	}
	n, isNil := d.optCount(maxChainKeys)
	if !isNil {
		c.MessageKeys = make([]*message.KeysStructure, 0, n)
	}
	for range n {
		if !d.flag() {
			c.MessageKeys = append(c.MessageKeys, nil)
			continue
		}
		c.MessageKeys = append(c.MessageKeys, &message.KeysStructure{
			CipherKey: d.optBytes(),
			MacKey:    d.optBytes(),
			IV:        d.optBytes(),
			Index:     d.uint32(),
		})
	}
	if d.err != nil {
		return nil
	}
	return c
}

package relay

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pigeon-net/pigeon/node/relay/push"
	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// The relay's side of push: it checks the endpoint of every registration
// and tells the device when it will not push there (and why), wakes away
// devices through the dispatcher, and stops using the endpoints the
// dispatcher gives up on (gone, rejected, or resolving to an address the
// relay may not reach), remembering why so the device hears it at its next
// registration with that endpoint.

// maxRefusals bounds the refusals a relay remembers (about 100 bytes
// each); when full, an arbitrary one is forgotten.
const maxRefusals = 1 << 16

// refusals remembers, per device, the endpoint the relay stopped pushing
// to and why. It lives in memory only: after a restart the relay accepts
// such an endpoint again, and finds out again when it pushes.
type refusals struct {
	mu sync.Mutex // guards m
	m  map[mailbox.Box]refusal
}

type refusal struct {
	endpoint [sha256.Size]byte // of the marshaled endpoint
	why      push.Refusal
}

// get returns why the relay refused raw for box, or push.NotRefused.
func (rs *refusals) get(box mailbox.Box, raw []byte) push.Refusal {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if f, ok := rs.m[box]; ok && f.endpoint == sha256.Sum256(raw) {
		return f.why
	}
	return push.NotRefused
}

func (rs *refusals) put(box mailbox.Box, raw []byte, why push.Refusal) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.m == nil {
		rs.m = make(map[mailbox.Box]refusal)
	}
	if _, ok := rs.m[box]; !ok && len(rs.m) >= maxRefusals {
		for b := range rs.m {
			delete(rs.m, b)
			break
		}
	}
	rs.m[box] = refusal{endpoint: sha256.Sum256(raw), why: why}
}

func (rs *refusals) forget(box mailbox.Box) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	delete(rs.m, box)
}

// checkPush is the mailbox service's push check: whether the relay pushes
// to raw, the endpoint box registers. A refusal is logged at warn (the
// endpoint redacted) and told to the device.
func (r *Relay) checkPush(box mailbox.Box, raw []byte) pb.PushRefusal {
	why := push.RefusedDisabled
	if r.push != nil {
		_, err := r.push.Accept(raw)
		why = push.RefusalOf(err)
		switch {
		case err != nil && why == push.NotRefused:
			why = push.RefusedInvalid
		case err == nil:
			why = r.refused.get(box, raw)
		}
	}
	if why == push.NotRefused {
		r.refused.forget(box)
		return pb.PushRefusal_PUSH_REFUSAL_NONE
	}
	r.log.Warn("push endpoint refused", "device", pushKey(box), "endpoint", push.Describe(raw), "reason", why.String())
	return why.PB()
}

// wake sends a content-free push to a device that is away.
func (r *Relay) wake(box mailbox.Box, raw []byte) {
	if r.refused.get(box, raw) != push.NotRefused {
		return
	}
	ep, err := r.push.Accept(raw)
	if err != nil {
		// Accepted when it registered, refused now: the relay restarted
		// with another policy or without that gateway's credentials.
		why := push.RefusalOf(err)
		if why == push.NotRefused {
			why = push.RefusedInvalid
		}
		r.refused.put(box, raw, why)
		r.log.Warn("push endpoint refused", "device", pushKey(box), "endpoint", push.Describe(raw), "reason", why.String())
		return
	}
	if err := r.push.Notify(ep, pushKey(box)); err != nil {
		r.log.Debug("push not queued", "err", err)
	}
}

// pushKey names a device's wake-ups to the dispatcher (bursts for one key
// coalesce); parsePushKey reads it back.
func pushKey(box mailbox.Box) string { return fmt.Sprintf("%x/%d", box.Account[:], box.Device) }

func parsePushKey(key string) (mailbox.Box, bool) {
	var box mailbox.Box
	acct, dev, ok := strings.Cut(key, "/")
	raw, err := hex.DecodeString(acct)
	if !ok || err != nil || len(raw) != len(box.Account) {
		return box, false
	}
	d, err := strconv.ParseUint(dev, 10, 32)
	if err != nil {
		return box, false
	}
	copy(box.Account[:], raw)
	box.Device = uint32(d)
	return box, true
}

// forgetRefused stops using the endpoints the dispatcher gave up on: it
// deletes each from its device's registration (which stays: the device's
// next registration may bring another endpoint) and remembers why, to tell
// the device when it registers that endpoint again.
func (r *Relay) forgetRefused() {
	defer r.wg.Done()
	opts := r.cfg.push.ValidateOptions()
	for ev := range r.push.Refused() {
		r.log.Warn("push endpoint refused", "device", ev.Key, "endpoint", ev.Endpoint, "reason", ev.Refusal.String(), "err", ev.Err)
		box, ok := parsePushKey(ev.Key)
		if !ok {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		reg, err := r.boxes.Registration(ctx, box)
		if err == nil {
			// Only if the device has not moved on to another endpoint.
			if cur, perr := push.UnmarshalEndpoint(reg.Push, opts...); perr == nil && cur == ev.Endpoint {
				r.refused.put(box, reg.Push, ev.Refusal)
				_, err = r.boxes.ForgetPush(ctx, box, reg.Push)
			}
		}
		cancel()
		if err != nil && !errors.Is(err, mailbox.ErrNotRegistered) {
			r.log.Warn("forget push endpoint", "device", ev.Key, "err", err)
		}
	}
}

package expiry

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Bounds of a custom timer.
const (
	MinTimer = 30 * time.Second
	MaxTimer = 365 * 24 * time.Hour
)

// Presets are the timers the apps offer (besides off and a custom one).
var Presets = []time.Duration{
	5 * time.Minute, time.Hour, 8 * time.Hour, 24 * time.Hour, 7 * 24 * time.Hour, 28 * 24 * time.Hour,
}

// ErrBadTimer is returned for a timer outside MinTimer…MaxTimer (and not
// 0, off) or not a whole number of seconds.
var ErrBadTimer = fmt.Errorf("%w: a timer is off or from 30s to 365 days, in whole seconds", core.ErrBadSetting)

// CheckTimer returns ErrBadTimer when d is not a timer users can set.
func CheckTimer(d time.Duration) error {
	if d == 0 || (d >= MinTimer && d <= MaxTimer && d%time.Second == 0) {
		return nil
	}
	return fmt.Errorf("%w (got %v)", ErrBadTimer, d)
}

// Timer is a chat's disappearing-messages timer and the change that set
// it.
type Timer struct {
	After   time.Duration // 0: off
	Version uint64        // 0: never set
	Setter  core.AccountID
	// Change is the ID of the message that carried the change (the
	// notice in the chat's history has the same ID).
	Change core.MessageID
}

// TimerSet is a change of a timer as the wire carries it.
type TimerSet = *pb.ChatTimer

// later reports whether change a wins over change b: the higher version,
// then the higher setter account, then the higher carrying message ID.
func later(a, b *pb.ChatTimer) bool {
	if b == nil {
		return true
	}
	if a.Version != b.Version {
		return a.Version > b.Version
	}
	if c := bytes.Compare(a.Setter, b.Setter); c != 0 {
		return c > 0
	}
	return bytes.Compare(a.MessageId, b.MessageId) > 0
}

// checkWire checks a change read from the wire or the account log.
func checkWire(t *pb.ChatTimer) error {
	if t == nil || t.Version == 0 || len(t.Setter) != len(core.AccountID{}) || len(t.MessageId) != len(storage.MessageID{}) {
		return errors.New("timer change: version, setter or message ID missing")
	}
	return CheckTimer(time.Duration(t.Seconds) * time.Second)
}

func decodeTimer(b []byte) (*pb.ChatTimer, error) {
	if b == nil {
		return nil, nil
	}
	if len(b) > maxOpSize {
		return nil, fmt.Errorf("timer record of %d bytes", len(b))
	}
	var t pb.ChatTimer
	if err := proto.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("timer record: %w", err)
	}
	if err := checkWire(&t); err != nil {
		return nil, fmt.Errorf("timer record: %w", err)
	}
	return &t, nil
}

func toTimer(t *pb.ChatTimer) Timer {
	if t == nil {
		return Timer{}
	}
	var out Timer
	out.After = time.Duration(t.Seconds) * time.Second
	out.Version = t.Version
	copy(out.Setter[:], t.Setter)
	copy(out.Change[:], t.MessageId)
	return out
}

// NoticeText is the text of a timer change's notice in a chat's history
// (the sender of the notice is who made the change).
func NoticeText(d time.Duration) string {
	if d == 0 {
		return "turned off disappearing messages"
	}
	return "set disappearing messages to " + Format(d)
}

// Format writes a timer the way people say it: "5 minutes", "1 hour",
// "4 weeks", "90 seconds"; "off" for 0.
func Format(d time.Duration) string {
	if d == 0 {
		return "off"
	}
	units := []struct {
		d    time.Duration
		name string
	}{{7 * 24 * time.Hour, "week"}, {24 * time.Hour, "day"}, {time.Hour, "hour"}, {time.Minute, "minute"}, {time.Second, "second"}}
	for _, u := range units {
		if d%u.d == 0 {
			n := int64(d / u.d)
			if n == 1 {
				return "1 " + u.name
			}
			return strconv.FormatInt(n, 10) + " " + u.name + "s"
		}
	}
	return d.String()
}

// Parse reads a timer as users type it: "off", "0", "30s", "5m", "1h",
// "8h", "1d", "1w", "4w", or a Go duration ("90m"); the result passes
// CheckTimer.
func Parse(s string) (time.Duration, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	if s == "off" || s == "0" {
		return 0, nil
	}
	var d time.Duration
	if n, unit := strings.TrimRight(s, "dw"), strings.TrimLeft(s, "0123456789"); (unit == "d" || unit == "w") && n != "" {
		v, err := strconv.ParseInt(n, 10, 32)
		if err != nil {
			return 0, fmt.Errorf("timer %q: %w", s, err)
		}
		d = time.Duration(v) * 24 * time.Hour
		if unit == "w" {
			d *= 7
		}
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, fmt.Errorf("timer %q: want off, 30s, 5m, 1h, 1d, 1w or such", s)
		}
	}
	if err := CheckTimer(d); err != nil {
		return 0, fmt.Errorf("timer %q: %w", s, err)
	}
	return d, nil
}

// ErrNotAllowed is returned when this account may not change a group's
// timer (the group's settings let only some members edit its info).
var ErrNotAllowed = errors.New("not allowed to change this group's timer")

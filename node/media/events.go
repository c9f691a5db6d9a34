package media

import (
	"sync"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
)

// Progress is published while a file is encrypted and stored for sending
// (Upload, phase "encrypt"), copied to a relay (Upload, phase "upload"),
// or downloaded (phase "download"). Done and Total count the file's bytes
// (its plaintext, as Info.Size does) in every phase. Events are throttled
// to about ten a second per file; the last one of a phase that completed
// has Done == Total.
type Progress struct {
	ID     core.MessageID
	Chat   core.Chat // a 1:1 chat's account, or a group
	Upload bool
	Phase  string
	Done   int64 // bytes of the file
	Total  int64 // bytes of the file; 0 while unknown
}

// StateChanged is published when an attachment's local state changes (a
// download started, is retrying, completed or failed, or the copy was
// removed).
type StateChanged struct {
	ID    core.MessageID
	Chat  core.Chat // a 1:1 chat's account, or a group
	State State
	Error string // why the last attempt failed (Failed, Retrying)
	Size  uint64 // the file's bytes
	// RetryUntil is when a retrying download gives up (State Retrying).
	RetryUntil time.Time
}

func (Progress) EventName() string     { return "media_progress" }
func (StateChanged) EventName() string { return "media_state" }

// progressInterval throttles progress events.
const progressInterval = 100 * time.Millisecond

// progress publishes throttled Progress events of one file's phase.
type progress struct {
	publish func(core.Event)
	mu      sync.Mutex // guards ev.Done, ev.Total, last and ended
	ev      Progress
	last    time.Time
	ended   bool
}

func newProgress(publish func(core.Event), id core.MessageID, chat core.Chat, upload bool, phase string) *progress {
	return &progress{publish: publish, ev: Progress{ID: id, Chat: chat, Upload: upload, Phase: phase}}
}

func (p *progress) update(done, total int64) {
	p.mu.Lock()
	p.ev.Done = done
	if total > 0 {
		p.ev.Total = total
	}
	now := time.Now()
	if p.ended || now.Sub(p.last) < progressInterval {
		p.mu.Unlock()
		return
	}
	p.last = now
	ev := p.ev
	p.mu.Unlock()
	p.publish(ev)
}

// done returns the bytes reported so far.
func (p *progress) done() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.ev.Done
}

// flush publishes the current state, throttled or not, and ends the
// phase (a download that failed).
func (p *progress) flush() {
	p.mu.Lock()
	p.ended = true
	ev := p.ev
	p.mu.Unlock()
	p.publish(ev)
}

// finish publishes the last event of the phase (Done == Total).
func (p *progress) finish(total int64) {
	p.mu.Lock()
	p.ended = true
	p.ev.Done, p.ev.Total = total, total
	ev := p.ev
	p.mu.Unlock()
	p.publish(ev)
}

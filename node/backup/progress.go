package backup

import "sync"

// progressRelay hands a backup's progress to fn on a goroutine of its
// own. The repository reports progress while its upload workers wait on
// the lock it holds: fn called there directly (publishing events, a
// caller's progress bar) would stall the upload for as long as fn takes.
// The relay keeps only the newest report: one fn has not taken yet is
// replaced, so a slow fn sees fewer reports, never older ones, and the
// last report always reaches it.
type progressRelay struct {
	fn func(Progress)

	mu   sync.Mutex // guards next and have; a leaf
	next Progress
	have bool

	kick chan struct{} // a report is waiting; closed by stop
	done chan struct{} // closed when run returned
}

func startProgressRelay(fn func(Progress)) *progressRelay {
	r := &progressRelay{fn: fn, kick: make(chan struct{}, 1), done: make(chan struct{})}
	go r.run()
	return r
}

// report keeps p for fn; it never blocks on fn.
func (r *progressRelay) report(p Progress) {
	r.mu.Lock()
	r.next, r.have = p, true
	r.mu.Unlock()
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

// stop delivers the last report and waits for the relay's goroutine. No
// report may follow it.
func (r *progressRelay) stop() {
	close(r.kick)
	<-r.done
}

func (r *progressRelay) run() {
	defer close(r.done)
	for range r.kick {
		r.deliver()
	}
	r.deliver()
}

func (r *progressRelay) deliver() {
	r.mu.Lock()
	p, have := r.next, r.have
	r.have = false
	r.mu.Unlock()
	if have {
		r.fn(p)
	}
}

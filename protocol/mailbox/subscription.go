package mailbox

import (
	"encoding/binary"
	"errors"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

// subscription is one push stream: it delivers what is queued for box
// after cursor, then each new deposit, until the client closes the stream
// or the service closes.
//
// A device keeps its subscription open for as long as it is online, so an
// idle one is kept cheap: one goroutine blocked reading the stream (the
// client sends nothing after the request, so any read result ends it) and
// no buffers. A writer goroutine runs only while there is something to
// push.
type subscription struct {
	s   *Service
	st  network.Stream
	box Box

	cursor uint64 // last sequence pushed; used by the one running writer

	mu      sync.Mutex // guards writing, pending and dead
	writing bool       // a writer runs (or the handler pushes the first pages)
	pending bool       // a deposit arrived while the writer ran
	dead    bool       // no more writes
	wg      sync.WaitGroup
}

// subscribe confirms the subscription with a first page (even an empty
// one) and hands the stream to a goroutine that waits for its end. It
// reports whether it did; when it did not, the stream is finished with.
// ended says the client already sent more than the request.
func (s *Service) subscribe(st network.Stream, from peer.ID, m *pb.MailboxSubscribe, ended bool) bool {
	box, err := s.auth(from, m.Account, m.Device)
	if err != nil {
		if writeFrame(st, errorResponse(err)) != nil {
			_ = st.Reset()
			return false
		}
		_ = st.Close()
		return false
	}
	sub := &subscription{s: s, st: st, box: box, cursor: m.AfterSeq, writing: true}
	if !s.addSub(sub) {
		_ = st.Reset()
		return false
	}
	_ = st.SetReadDeadline(time.Time{})
	// Register before the first page: a deposit from now on is either in
	// it or pushed after it.
	sub.wg.Add(1)
	sub.push(true)
	go sub.wait(ended)
	return true
}

// wait blocks until the client closes or resets the stream (or sends
// anything), or the service resets it, and then ends the subscription.
func (sub *subscription) wait(ended bool) {
	defer sub.s.streams.Done(sub.st)
	var err error
	if !ended {
		var b [1]byte
		_, err = sub.st.Read(b[:])
	}
	sub.s.removeSub(sub)
	if writing := sub.markDead(); writing || (err != nil && !errors.Is(err, io.EOF)) {
		_ = sub.st.Reset() // also unblocks a writer stuck on a client that does not read
	} else {
		_ = sub.st.Close()
	}
	sub.wg.Wait()
}

// kick has a writer push what was deposited. Caller holds Service.mu.
func (sub *subscription) kick() {
	sub.mu.Lock()
	defer sub.mu.Unlock()
	switch {
	case sub.dead:
	case sub.writing:
		sub.pending = true
	default:
		sub.writing, sub.pending = true, true
		sub.wg.Add(1)
		go sub.push(false)
	}
}

// push writes pages until nothing is pending; first makes it write the
// first page even when it is empty.
func (sub *subscription) push(first bool) {
	defer sub.wg.Done()
	for {
		sub.mu.Lock()
		if sub.dead || (!first && !sub.pending) {
			sub.writing = false
			sub.mu.Unlock()
			return
		}
		sub.pending = false
		sub.mu.Unlock()
		if !sub.flush(first) {
			sub.mu.Lock()
			sub.writing = false
			sub.mu.Unlock()
			return
		}
		first = false
	}
}

// flush writes the pages queued after the cursor. On failure it resets the
// stream (after an error frame when the store failed), which ends the
// subscription, and returns false.
func (sub *subscription) flush(first bool) bool {
	s := sub.s
	for {
		items, err := s.page(sub.box, sub.cursor, 0)
		if err != nil {
			s.log.Warn("mailbox store failed", "err", err)
			_ = writeFrame(sub.st, errorResponse(err))
			sub.kill()
			return false
		}
		if len(items.Items) == 0 && !first {
			return true
		}
		first = false
		if err := writeFrame(sub.st, &pb.MailboxResponse{Body: &pb.MailboxResponse_Items{Items: items}}); err != nil {
			sub.kill()
			return false
		}
		if n := len(items.Items); n > 0 {
			sub.cursor = items.Items[n-1].Seq
		}
		if !items.More {
			return true
		}
	}
}

// markDead stops further writes and reports whether a writer runs.
func (sub *subscription) markDead() (writing bool) {
	sub.mu.Lock()
	defer sub.mu.Unlock()
	sub.dead = true
	return sub.writing
}

// kill ends the subscription from the writer's side.
func (sub *subscription) kill() {
	sub.markDead()
	_ = sub.st.Reset()
}

// writeFrame writes resp as one uvarint-delimited frame, in one write and
// without a buffer that outlives it.
func writeFrame(st network.Stream, resp *pb.MailboxResponse) error {
	n := proto.Size(resp)
	buf := binary.AppendUvarint(make([]byte, 0, binary.MaxVarintLen64+n), uint64(n))
	buf, err := proto.MarshalOptions{}.MarshalAppend(buf, resp)
	if err != nil {
		return err
	}
	_ = st.SetWriteDeadline(time.Now().Add(writeTimeout))
	_, err = st.Write(buf)
	return err
}

// notify kicks the subscriptions of box and reports whether it has any.
func (s *Service) notify(box Box) (subscribed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sub := range s.subs[box] {
		subscribed = true
		sub.kick()
	}
	return subscribed
}

func (s *Service) addSub(sub *subscription) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.subs[sub.box] = append(s.subs[sub.box], sub)
	return true
}

func (s *Service) removeSub(sub *subscription) {
	s.mu.Lock()
	defer s.mu.Unlock()
	subs := slices.DeleteFunc(s.subs[sub.box], func(x *subscription) bool { return x == sub })
	if len(subs) == 0 {
		delete(s.subs, sub.box)
	} else {
		s.subs[sub.box] = subs
	}
}

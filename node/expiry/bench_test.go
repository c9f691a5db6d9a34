package expiry

import (
	"context"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// The sweep needs only the store and the clock; the rest of its deps are
// inert here.
type inert struct{}

func (inert) HandleContent(rt.Kind, func(*pb.Content) bool, rt.ContentHandler) {}
func (inert) HandleGroupContent(rt.Kind, rt.GroupContentHandler)               {}
func (inert) HandleOp(string, rt.Fold)                                         {}
func (inert) CarriesMessage(string, func([]byte) (storage.MessageID, bool))    {}
func (inert) HandleState(string, func(context.Context, io.Writer) error)       {}
func (inert) Append(context.Context, string, []byte) (rt.Op, []storage.OutboxItem, error) {
	return rt.Op{}, nil, nil
}
func (inert) Note(context.Context, string, []byte) (rt.Op, error)  { return rt.Op{}, nil }
func (inert) FoldState(context.Context, string) ([]byte, error)    { return nil, nil }
func (inert) PutFoldState(context.Context, string, []byte) error   { return nil }
func (inert) CheckRecipient(context.Context, core.AccountID) error { return nil }
func (inert) Enqueue(storage.OutboxItem)                           {}
func (inert) Durable(context.Context) error                        { return nil }
func (inert) Preseal(context.Context, core.AccountID, *storage.OutboxItem, func(context.Context) error) (bool, error) {
	return false, nil
}

// BenchmarkSweep100k removes 100,000 disappearing messages in one sweep
// while another chat keeps sending, and compares the sends' p99 latency
// (a send's store transaction: history entry, outbox item, deadline) with
// the p99 of the same sends on the same store without the sweep, measured
// first in the same run (target: ratio ≤ 2).
func BenchmarkSweep100k(b *testing.B) {
	const expired = 100_000
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		st, err := badger.Open(badger.Options{Dir: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
		clk := NewManualClock(time.Now())
		s, err := New(Deps{
			Store: st, Outbox: inert{}, Recipients: inert{}, Registry: inert{}, Ops: inert{},
			Publish: func(core.Event) {}, Ready: func() error { return nil }, Clock: clk,
		})
		if err != nil {
			b.Fatal(err)
		}
		gone, live := storage.Account{1}, storage.Account{2}
		past := clk.Now().Add(-time.Minute)
		for i := 0; i < expired; i += 1000 {
			err := st.Update(ctx, func(ctx context.Context) error {
				for range 1000 {
					m := storage.Message{
						ID: storage.NewMessageID(past.Add(-time.Hour)), Peer: gone, Sender: gone, Direction: storage.Incoming,
						State: storage.Read, Text: "a message of some forty bytes or so....",
						ExpireAfter: time.Hour, ExpiresAt: past,
					}
					if err := st.InsertMessage(ctx, m); err != nil {
						return err
					}
					if err := s.Stored(ctx, m); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		send := func() time.Duration {
			start := time.Now()
			now := clk.Now()
			m := storage.Message{
				ID: storage.NewMessageID(now), Peer: live, Sender: live, Direction: storage.Outgoing,
				State: storage.Pending, Text: "a message sent while the sweep runs", SentAt: now,
				ExpireAfter: time.Hour, ExpiresAt: now.Add(time.Hour),
			}
			err := st.Update(ctx, func(ctx context.Context) error {
				if err := st.InsertMessage(ctx, m); err != nil {
					return err
				}
				if err := s.Stored(ctx, m); err != nil {
					return err
				}
				return st.PutOutbox(ctx, storage.OutboxItem{ID: m.ID, Recipient: live, Content: make([]byte, 256), CreatedAt: now})
			})
			if err != nil {
				b.Fatal(err)
			}
			return time.Since(start)
		}
		// A busy user's pace, and more: a send every 2 ms, with and
		// without the sweep.
		pace := time.NewTicker(2 * time.Millisecond)
		defer pace.Stop()
		var base []time.Duration
		for range 2000 {
			<-pace.C
			base = append(base, send())
		}
		b.StartTimer()
		start := time.Now()
		done := make(chan int)
		go func() {
			n, err := s.Sweep(ctx)
			if err != nil {
				b.Error(err)
			}
			done <- n
		}()
		var during []time.Duration
		var removed int
	loop:
		for {
			select {
			case removed = <-done:
				break loop
			case <-pace.C:
				during = append(during, send())
			}
		}
		sweep := time.Since(start)
		b.StopTimer()
		if removed != expired {
			b.Fatalf("sweep removed %d, want %d", removed, expired)
		}
		left, err := st.History(ctx, gone, storage.MessageID{}, 10)
		if err != nil || len(left) != 0 {
			b.Fatalf("history after the sweep: %d messages (%v)", len(left), err)
		}
		p99b, p99s := p99(base), p99(during)
		b.ReportMetric(float64(p99b.Microseconds()), "p99-send-us")
		b.ReportMetric(float64(p99s.Microseconds()), "p99-send-sweeping-us")
		b.ReportMetric(float64(p99s)/float64(p99b), "p99-ratio")
		b.ReportMetric(float64(len(during)), "sends-during-sweep")
		b.ReportMetric(sweep.Seconds(), "sweep-s")
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

func p99(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)*99/100]
}

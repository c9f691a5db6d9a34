package badger_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/protocol/acctlog"
	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// BenchmarkCompact100k measures Compact on a store of 100,000 messages,
// each with the account-log op carrying it, after 1,000 of them were
// deleted; its baseline is writing the store (insert-s), and it reports
// how long a write made during Compact waited at most (write-wait-ms:
// writes wait while the memtables flush) and a Compact with nothing new
// deleted (again-s).
//
//	go test -run XXX -bench BenchmarkCompact100k -benchtime 1x ./storage/badger
func BenchmarkCompact100k(b *testing.B) {
	const total, deleted, batch = 100_000, 1_000, 500
	ctx := context.Background()
	for range b.N {
		b.StopTimer()
		dir := b.TempDir()
		s, err := badger.Open(badger.Options{Dir: dir, MinFree: -1})
		if err != nil {
			b.Fatal(err)
		}
		now := time.Now()
		ids := make([]storage.MessageID, 0, total)
		start := time.Now()
		for i := 0; i < total; i += batch {
			err := s.Update(ctx, func(ctx context.Context) error {
				for j := i; j < i+batch; j++ {
					m := testMessage(acct(byte(1+j%50)), now.Add(time.Duration(j)*time.Millisecond), storage.Incoming, storage.Received)
					m.Text = fmt.Sprintf("message %06d of the benchmark, about as long as a chat line", j)
					if err := s.InsertMessage(ctx, m); err != nil {
						return err
					}
					op := logOp(b, 1, uint64(j+1), uint64(j+1), "op "+m.Text)
					if _, err := s.AppendOps(ctx, []*acctlog.Op{op}); err != nil {
						return err
					}
					if err := s.NoteMessageOp(ctx, m.ID, 1, uint64(j+1)); err != nil {
						return err
					}
					ids = append(ids, m.ID)
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		insert := time.Since(start)
		for i := 0; i < deleted; i++ {
			if err := s.DeleteMessage(ctx, ids[i*(total/deleted)]); err != nil {
				b.Fatal(err)
			}
		}
		// A writer during Compact: how long does one write wait?
		stop := make(chan struct{})
		waited := make(chan time.Duration, 1)
		go func() {
			var worst time.Duration
			for j := 0; ; j++ {
				select {
				case <-stop:
					waited <- worst
					return
				default:
				}
				m := testMessage(acct(99), time.Now(), storage.Incoming, storage.Received)
				t0 := time.Now()
				if err := s.InsertMessage(ctx, m); err != nil {
					b.Error(err)
				}
				worst = max(worst, time.Since(t0))
				time.Sleep(time.Millisecond)
			}
		}()
		b.StartTimer()
		start = time.Now()
		if err := s.Compact(ctx); err != nil {
			b.Fatal(err)
		}
		compact := time.Since(start)
		b.StopTimer()
		close(stop)
		worst := <-waited
		start = time.Now()
		if err := s.Compact(ctx); err != nil {
			b.Fatal(err)
		}
		again := time.Since(start)
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(insert.Seconds(), "insert-s")
		b.ReportMetric(compact.Seconds(), "compact-s")
		b.ReportMetric(compact.Seconds()/insert.Seconds(), "compact/insert")
		b.ReportMetric(again.Seconds(), "again-s")
		b.ReportMetric(float64(worst.Microseconds())/1000, "write-wait-ms")
	}
}

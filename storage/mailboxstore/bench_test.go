package mailboxstore_test

import (
	"encoding/binary"
	"sync"
	"testing"
	"time"

	bdg "github.com/dgraph-io/badger/v4"

	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/storage/mailboxstore"
)

const (
	benchSenders = 64
	benchBoxes   = 16
	benchEnvSize = 200
)

func rawDB(b *testing.B, sync bool) *bdg.DB {
	b.Helper()
	db, err := bdg.Open(bdg.DefaultOptions(b.TempDir()).WithLogger(nil).WithSyncWrites(sync))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// rawKV is a key and value of the sizes the store writes for one queued
// envelope ("Q" account device seq → header + envelope).
func rawKV(i uint64) ([]byte, []byte) {
	k := make([]byte, 1+32+4+8)
	k[0] = 'Q'
	binary.BigEndian.PutUint64(k[37:], i)
	return k, make([]byte, 25+benchEnvSize)
}

func benchStore(b *testing.B, noSync bool) (*mailboxstore.Store, []mailbox.Box) {
	s := open(b, mailboxstore.Options{NoSync: noSync})
	boxes := make([]mailbox.Box, benchBoxes)
	for i := range boxes {
		boxes[i] = box(byte(i), 1)
		register(b, s, boxes[i])
	}
	return s, boxes
}

// deposits runs n deposits from benchSenders goroutines and returns the
// elapsed time.
func deposits(b *testing.B, s *mailboxstore.Store, boxes []mailbox.Box, next *uint64, n int) time.Duration {
	base := *next
	*next += uint64(n)
	start := time.Now()
	var wg sync.WaitGroup
	for g := range benchSenders {
		wg.Go(func() {
			envelope := env(g, benchEnvSize)
			for i := g; i < n; i += benchSenders {
				var id mailbox.DepositID
				binary.BigEndian.PutUint64(id[8:], base+uint64(i))
				if _, err := s.Deposit(ctx, mailbox.NewDeposit{Box: boxes[g%len(boxes)], ID: id, Envelope: envelope}, bigQuota); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	return time.Since(start)
}

// BenchmarkIngest: 200-byte envelopes from 64 concurrent senders without
// fsync, against raw Badger WriteBatch of the same number of entries of the
// same sizes, measured in the same loop.
func BenchmarkIngest(b *testing.B) {
	const perIter = 64 * 100
	s, boxes := benchStore(b, true)
	db := rawDB(b, false)
	var next, rawNext uint64
	var storeTime, rawTime time.Duration
	for b.Loop() {
		storeTime += deposits(b, s, boxes, &next, perIter)
		start := time.Now()
		wb := db.NewWriteBatch()
		for range perIter {
			k, v := rawKV(rawNext)
			rawNext++
			if err := wb.Set(k, v); err != nil {
				b.Fatal(err)
			}
		}
		if err := wb.Flush(); err != nil {
			b.Fatal(err)
		}
		rawTime += time.Since(start)
	}
	storeRate := float64(next) / storeTime.Seconds()
	rawRate := float64(rawNext) / rawTime.Seconds()
	b.ReportMetric(storeRate, "deposits/s")
	b.ReportMetric(rawRate, "raw-puts/s")
	b.ReportMetric(storeRate/rawRate, "ratio")
}

// BenchmarkIngestDurable: the same with durable custody (fsync before the
// deposit returns), against sequential single puts in a SyncWrites
// database, measured in the same loop.
func BenchmarkIngestDurable(b *testing.B) {
	const perIter = 64 * 20
	const rawPerIter = 200
	s, boxes := benchStore(b, false)
	db := rawDB(b, true)
	var next, rawNext uint64
	var storeTime, rawTime time.Duration
	for b.Loop() {
		storeTime += deposits(b, s, boxes, &next, perIter)
		start := time.Now()
		for range rawPerIter {
			k, v := rawKV(rawNext)
			rawNext++
			if err := db.Update(func(txn *bdg.Txn) error { return txn.Set(k, v) }); err != nil {
				b.Fatal(err)
			}
		}
		rawTime += time.Since(start)
	}
	storeRate := float64(next) / storeTime.Seconds()
	rawRate := float64(rawNext) / rawTime.Seconds()
	b.ReportMetric(storeRate, "deposits/s")
	b.ReportMetric(rawRate, "raw-fsync-puts/s")
	b.ReportMetric(storeRate/rawRate, "ratio")
}

// BenchmarkDrain: fetch 10,000 queued envelopes of one device in pages of
// MaxPageItems, against a raw Badger prefix iteration (copying each value)
// over the same keys, both after reopening the store.
func BenchmarkDrain(b *testing.B) {
	const n = 10000
	dir := b.TempDir()
	s, err := mailboxstore.Open(mailboxstore.Options{Dir: dir, NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	bx := box(1, 1)
	register(b, s, bx)
	var next uint64
	deposits(b, s, []mailbox.Box{bx}, &next, n)
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	s = open(b, mailboxstore.Options{Dir: dir, NoSync: true})
	prefix := make([]byte, 1+32+4)
	prefix[0] = 'Q'
	copy(prefix[1:], bx.Account[:])
	binary.BigEndian.PutUint32(prefix[33:], bx.Device)

	var storeTime, rawTime time.Duration
	var storeItems, rawItems int
	for b.Loop() {
		start := time.Now()
		after := uint64(0)
		for {
			items, more, err := s.Fetch(ctx, bx, after, mailbox.MaxPageItems, mailbox.MaxPageBytes)
			if err != nil {
				b.Fatal(err)
			}
			storeItems += len(items)
			if len(items) > 0 {
				after = items[len(items)-1].Seq
			}
			if !more {
				break
			}
		}
		storeTime += time.Since(start)

		start = time.Now()
		err := mailboxstore.RawDB(s).View(func(txn *bdg.Txn) error {
			it := txn.NewIterator(bdg.IteratorOptions{Prefix: prefix, PrefetchValues: true, PrefetchSize: 100})
			defer it.Close()
			for it.Rewind(); it.ValidForPrefix(prefix); it.Next() {
				if _, err := it.Item().ValueCopy(nil); err != nil {
					return err
				}
				rawItems++
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		rawTime += time.Since(start)
	}
	if storeItems != rawItems || storeItems%n != 0 {
		b.Fatalf("drained %d, raw %d", storeItems, rawItems)
	}
	storeRate := float64(storeItems) / storeTime.Seconds()
	rawRate := float64(rawItems) / rawTime.Seconds()
	b.ReportMetric(storeRate, "items/s")
	b.ReportMetric(rawRate, "raw-items/s")
	b.ReportMetric(storeRate/rawRate, "ratio")
}

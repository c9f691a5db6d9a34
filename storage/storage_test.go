package storage

import (
	"bytes"
	"testing"
	"time"
)

func TestMessageIDsIncrease(t *testing.T) {
	now := time.Now()
	prev := NewMessageID(now)
	for i := range 10000 {
		at := now
		if i%7 == 0 {
			at = now.Add(-time.Second) // a clock step back keeps the order too
		}
		id := NewMessageID(at)
		if bytes.Compare(id[:], prev[:]) <= 0 {
			t.Fatalf("id %d not increasing: %s after %s", i, id, prev)
		}
		prev = id
	}
	if got := prev.Time().UnixMilli(); got < now.UnixMilli() {
		t.Fatalf("Time() = %d, want >= %d", got, now.UnixMilli())
	}
	back, err := ParseMessageID(prev.String())
	if err != nil || back != prev {
		t.Fatalf("round trip: %v %v", back, err)
	}
	if _, err := ParseMessageID("xyz"); err == nil {
		t.Fatal("parsed garbage")
	}
}

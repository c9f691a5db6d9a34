package devices_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node/nodetest"
)

// BenchmarkFanOut measures sending 1:1 messages to a contact with D
// devices from an account with own devices: the time until every one of
// the contact's devices and the sender's other devices holds every
// message, against a baseline measured in the same run (one device each
// side, no siblings). It reports fanout/ideal, that time over
// (D + own - 1) times the baseline's (target ≤ 1.2): each message is
// encrypted and sent once per recipient device, plus once per own
// sibling (its "chats.message" op).
func BenchmarkFanOut(b *testing.B) {
	const msgs, own = 200, 2
	for _, d := range []int{1, 4, 16} {
		b.Run(fmt.Sprintf("D=%d", d), func(b *testing.B) {
			var base, fan time.Duration
			for range b.N {
				base += fanOut(b, 1, 1, msgs)
				fan += fanOut(b, d, own, msgs)
			}
			ideal := float64(d+own-1) * base.Seconds()
			b.ReportMetric(base.Seconds()/float64(b.N*msgs)*1e3, "base-ms/msg")
			b.ReportMetric(fan.Seconds()/float64(b.N*msgs)*1e3, "fanout-ms/msg")
			b.ReportMetric(fan.Seconds()/ideal, "fanout/ideal")
		})
	}
}

// fanOut makes a network of alice with own devices and bob with d, warms
// their sessions up with one message each way, and returns how long msgs
// messages from alice take to reach all of bob's devices and alice's
// others. The setup is not timed.
func fanOut(b *testing.B, d, own, msgs int) time.Duration {
	b.StopTimer()
	defer b.StartTimer()
	nw := nodetest.New(b, 2)
	aliceID, bobID := nw.Nodes[0].Info().Account, nw.Nodes[1].Info().Account
	nodetest.Send(b, nw.Nodes[0], bobID, "hello")
	nodetest.Eventually(b, nodetest.Wait, func() bool { return len(nodetest.History(b, nw.Nodes[1], aliceID)) == 1 }, "bob has alice's first message")
	alices, bobs := []int{0}, []int{1}
	for range own - 1 {
		alices = append(alices, nw.Link(0, "alice's"))
	}
	for range d - 1 {
		bobs = append(bobs, nw.Link(1, "bob's"))
	}
	// Every device of each side holds n messages with the other.
	holds := func(n int) bool {
		for _, i := range alices {
			if len(nodetest.History(b, nw.Nodes[i], bobID)) < n {
				return false
			}
		}
		for _, i := range bobs {
			if len(nodetest.History(b, nw.Nodes[i], aliceID)) < n {
				return false
			}
		}
		return true
	}
	// Warm-up: sessions with every device, both ways.
	nodetest.Send(b, nw.Nodes[1], aliceID, "hello to you")
	nodetest.Eventually(b, nodetest.Wait, func() bool { return holds(2) }, "the answer on every device")
	nodetest.Send(b, nw.Nodes[0], bobID, "warm")
	nodetest.Eventually(b, nodetest.Wait, func() bool { return holds(3) }, "the warm-up on every device")

	b.StartTimer()
	t0 := time.Now()
	for i := range msgs {
		nodetest.Send(b, nw.Nodes[0], bobID, fmt.Sprintf("message %d", i))
	}
	deadline := time.Now().Add(nodetest.Wait + time.Duration(msgs*d)*time.Second)
	for !holds(3 + msgs) {
		if time.Now().After(deadline) {
			b.Fatalf("%d messages to %d devices: not all delivered", msgs, d+own-1)
		}
		time.Sleep(2 * time.Millisecond)
	}
	took := time.Since(t0)
	b.StopTimer()
	for i := len(nw.Nodes) - 1; i >= 0; i-- {
		nw.Stop(i)
	}
	return took
}

package e2e_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/pigeon-net/pigeon/protocol/e2e"
)

// TestSimultaneousInitiation: both devices start a session from the
// other's bundle before either hears from the other, then messages cross
// in every interleaving (each direction in order, as delivery keeps it).
// Every message decrypts. libsignal alone, trying each archived state in
// place, damaged the state that would have read the other side's next
// messages, and promoting one left another listed twice (replays, then "no
// valid sessions": 13 of 40 schedules failed).
func TestSimultaneousInitiation(t *testing.T) {
	schedules, steps := 60, 80
	if testing.Short() {
		schedules = 10
	}
	for seed := range schedules {
		a := newDevice(t, nil, 1, devOpts{})
		b := newDevice(t, nil, 1, devOpts{})
		connect(t, a, b)
		connect(t, b, a)
		r := rand.New(rand.NewPCG(uint64(seed), 7))
		type queued struct {
			m    sealed
			text string
		}
		var toB, toA []queued
		for step := range steps {
			switch r.IntN(4) {
			case 0:
				text := fmt.Sprintf("a%d", step)
				toB = append(toB, queued{encrypt(t, a, b, text), text})
			case 1:
				text := fmt.Sprintf("b%d", step)
				toA = append(toA, queued{encrypt(t, b, a, text), text})
			case 2:
				if len(toB) > 0 {
					mustDecrypt(t, b, a, toB[0].m, toB[0].text)
					toB = toB[1:]
				}
			case 3:
				if len(toA) > 0 {
					mustDecrypt(t, a, b, toA[0].m, toA[0].text)
					toA = toA[1:]
				}
			}
		}
		for _, q := range toB {
			mustDecrypt(t, b, a, q.m, q.text)
		}
		for _, q := range toA {
			mustDecrypt(t, a, b, q.m, q.text)
		}
	}
}

// TestDedupeStates: a record listing one state twice, or its current
// state among the archived, keeps each state once.
func TestDedupeStates(t *testing.T) {
	a, b := newDevice(t, nil, 1, devOpts{}), newDevice(t, nil, 1, devOpts{})
	connect(t, a, b)
	connect(t, b, a)
	mustDecrypt(t, a, b, encrypt(t, b, a, "hi"), "hi") // a's record now holds both sessions
	rec, err := a.st.LoadSession(context.Background(), b.addr.Signal())
	if err != nil || len(rec.PreviousSessionStates()) != 1 {
		t.Fatalf("record: %v", err)
	}
	cur, old := rec.SessionState(), rec.PreviousSessionStates()[0]
	rec.PromoteState(old) // previous [cur], current old
	rec.PromoteState(cur) // previous [old, cur], current cur: listed twice
	rec.PromoteState(old) // previous [cur, old, cur], current old
	fixed := e2e.DedupeStates(rec)
	prev := fixed.PreviousSessionStates()
	if len(prev) != 1 || !bytes.Equal(prev[0].SenderBaseKey(), cur.SenderBaseKey()) || !bytes.Equal(fixed.SessionState().SenderBaseKey(), old.SenderBaseKey()) {
		t.Fatalf("%d archived states after the repair", len(prev))
	}
	if e2e.DedupeStates(fixed) != fixed {
		t.Fatal("a sound record was rebuilt")
	}
}

package actions

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// applier is the actions' apply logic over a real store, without a node:
// what the property tests drive.
type applier struct {
	t   testing.TB
	st  *badger.Store
	s   *Service
	now time.Time
}

func newApplier(t testing.TB, self storage.Account) *applier {
	st, err := badger.Open(badger.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ap := &applier{t: t, st: st, now: time.UnixMilli(1_700_000_000_000)}
	ap.s = &Service{d: Deps{Self: core.AccountID(self), Store: st, Publish: func(core.Event) {}, Ready: func() error { return nil },
		Now: func() time.Time { return ap.now }},
		log: slog.New(slog.DiscardHandler)}
	st.OnInsert(ap.s.beforeInsert)
	return ap
}

// insert stores a message as a receiver does (a copy held, or a deleted
// one, is skipped).
func (ap *applier) insert(m storage.Message) {
	err := ap.st.Update(context.Background(), func(ctx context.Context) error {
		if err := ap.st.InsertMessage(ctx, m); !errors.Is(err, storage.ErrExists) {
			return err
		}
		return nil // as the chats and groups take copies: the transaction commits
	})
	if err != nil {
		ap.t.Fatal(err)
	}
}

// take applies an action as a receiver does: rejected ones are dropped.
func (ap *applier) take(op *pb.OpAction, own bool) error {
	a, err := checkAction(op)
	if err != nil {
		ap.t.Fatal(err)
	}
	err = ap.st.Update(context.Background(), func(ctx context.Context) error {
		_, err := ap.s.apply(ctx, a, own)
		return err
	})
	if err != nil && !rejected(err) {
		ap.t.Fatal(err)
	}
	return err
}

// view is what a user sees of one message.
type view struct {
	Deleted   bool
	Text      string
	Edits     int
	EditedAt  int64
	Versions  []string
	Reactions string
}

func (ap *applier) view(id storage.MessageID) view {
	ctx := context.Background()
	var v view
	if _, err := ap.st.Tombstone(ctx, id); err == nil {
		v.Deleted = true
		if _, err := ap.st.Message(ctx, id); !errors.Is(err, storage.ErrNotFound) {
			ap.t.Fatalf("deleted message still held: %v", err)
		}
		if recs, _ := ap.st.EditVersions(ctx, id); len(recs) > 0 {
			ap.t.Fatal("deleted message's versions still held")
		}
		return v
	}
	m, err := ap.st.Message(ctx, id)
	if errors.Is(err, storage.ErrNotFound) {
		return view{Text: "<missing>"}
	}
	if err != nil {
		ap.t.Fatal(err)
	}
	v.Text, v.Edits = m.Text, int(m.Edits)
	if m.Edits > 0 {
		v.EditedAt = m.EditedAt.UnixMilli()
	}
	vs, err := ap.s.Versions(ctx, core.MessageID(id))
	if err != nil {
		ap.t.Fatal(err)
	}
	for _, x := range vs {
		v.Versions = append(v.Versions, fmt.Sprintf("%d:%s", x.Version, x.Text))
	}
	rs, err := ap.s.reactions(ctx, id)
	if err != nil {
		ap.t.Fatal(err)
	}
	v.Reactions = fmt.Sprint(rs)
	return v
}

// The accounts of the property tests.
var (
	alice = storage.Account{1} // the author
	bob   = storage.Account{2} // this device's account
	carol = storage.Account{3} // not in the chat
)

func idFrom(rng *rand.Rand, at time.Time) storage.MessageID {
	id := storage.NewMessageID(at)
	for i := 6; i < len(id); i++ {
		id[i] = byte(rng.UintN(256))
	}
	return id
}

func actionOp(author storage.Account, carry storage.MessageID, at time.Time, a *pb.MessageAction) *pb.OpAction {
	return &pb.OpAction{Chat: alice[:], Author: author[:], CarryId: carry[:], SentAtMs: at.UnixMilli(), Action: a}
}

// scenario is one message and the actions on it, with the view they must
// give.
type scenario struct {
	original storage.Message
	actions  []*pb.OpAction
	want     view
}

// newScenario makes a random scenario: alice's message in the chat of
// alice and bob, edits (some from others, some of equal version),
// reactions from both sides (some removals) and perhaps a delete (or a
// forged one). want is computed from the rules directly.
func newScenario(rng *rand.Rand, now time.Time) scenario {
	sent := now.Add(-time.Minute)
	orig := storage.Message{
		ID: idFrom(rng, sent), Peer: alice, Sender: alice, Direction: storage.Incoming,
		Text: "original", SentAt: sent, StoredAt: now, State: storage.Received,
	}
	sc := scenario{original: orig}
	type ver struct {
		text  string
		carry storage.MessageID
		at    time.Time
	}
	versions := map[uint32]ver{}
	for i := range rng.IntN(6) {
		v := uint32(1 + rng.IntN(MaxEdits))
		at := sent.Add(time.Duration(1+rng.IntN(100)) * time.Second)
		carry := idFrom(rng, at)
		text := fmt.Sprintf("edit %d v%d", i, v)
		author := alice
		if rng.IntN(5) == 0 {
			author = []storage.Account{bob, carol}[rng.IntN(2)] // forged: rejected
		} else if old, ok := versions[v]; !ok || bytes.Compare(carry[:], old.carry[:]) > 0 {
			versions[v] = ver{text, carry, at}
		}
		sc.actions = append(sc.actions, actionOp(author, carry, at,
			&pb.MessageAction{Target: orig.ID[:], Action: &pb.MessageAction_Edit{Edit: &pb.Edit{Version: v, Text: text}}}))
	}
	type react struct {
		emoji string
		at    time.Time
		carry storage.MessageID
	}
	reactions := map[storage.Account]react{}
	emojis := []string{"👍", "❤️", "😂", ""}
	for range rng.IntN(6) {
		reactor := []storage.Account{alice, bob, carol}[rng.IntN(3)]
		at := sent.Add(time.Duration(rng.IntN(5)) * time.Second) // equal times: the carrying ID decides
		carry := idFrom(rng, at)
		emoji := emojis[rng.IntN(len(emojis))]
		if reactor != carol {
			old, ok := reactions[reactor]
			if !ok || at.After(old.at) || (at.Equal(old.at) && bytes.Compare(carry[:], old.carry[:]) > 0) {
				reactions[reactor] = react{emoji, at, carry}
			}
		}
		sc.actions = append(sc.actions, actionOp(reactor, carry, at,
			&pb.MessageAction{Target: orig.ID[:], Action: &pb.MessageAction_Reaction{Reaction: &pb.Reaction{Emoji: emoji}}}))
	}
	deleted := false
	if rng.IntN(3) == 0 {
		author := alice
		if rng.IntN(3) == 0 {
			author = bob // not the author: rejected
		} else {
			deleted = true
		}
		at := sent.Add(time.Duration(rng.IntN(200)) * time.Second)
		sc.actions = append(sc.actions, actionOp(author, idFrom(rng, at), at,
			&pb.MessageAction{Target: orig.ID[:], Action: &pb.MessageAction_Delete{Delete: &pb.Delete{}}}))
	}
	if deleted {
		sc.want = view{Deleted: true}
		return sc
	}
	sc.want = view{Text: orig.Text}
	if len(versions) > 0 {
		sc.want.Versions = []string{"0:" + orig.Text}
		top := uint32(0)
		for v := range versions {
			top = max(top, v)
		}
		for _, v := range slices.Sorted(mapsKeys(versions)) {
			sc.want.Versions = append(sc.want.Versions, fmt.Sprintf("%d:%s", v, versions[v].text))
		}
		sc.want.Text, sc.want.Edits, sc.want.EditedAt = versions[top].text, int(top), versions[top].at.UnixMilli()
	}
	byEmoji := map[string][]core.AccountID{}
	for _, r := range []storage.Account{alice, bob} {
		if x, ok := reactions[r]; ok && x.emoji != "" {
			byEmoji[x.emoji] = append(byEmoji[x.emoji], core.AccountID(r))
		}
	}
	var rs []Reaction
	for e, as := range byEmoji {
		rs = append(rs, Reaction{Emoji: e, Count: len(as), Accounts: as})
	}
	slices.SortFunc(rs, func(a, b Reaction) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Emoji, b.Emoji)) })
	sc.want.Reactions = fmt.Sprint(rs)
	return sc
}

func mapsKeys[K cmp.Ordered, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestAnyOrderSameView delivers a message, its edits, reactions and
// delete in a random order with duplicates, 1,000 times, and checks the
// view against the rules: the same whatever the order.
func TestAnyOrderSameView(t *testing.T) {
	ap := newApplier(t, bob)
	seeds := 1000
	if testing.Short() || raceOn {
		seeds = 200
	}
	for seed := range uint64(seeds) {
		rng := rand.New(rand.NewPCG(seed, 14))
		sc := newScenario(rng, ap.now)
		// Deliveries: index -1 is the original; then the actions; some
		// twice.
		var order []int
		for i := -1; i < len(sc.actions); i++ {
			order = append(order, i)
			if rng.IntN(3) == 0 {
				order = append(order, i)
			}
		}
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			if i < 0 {
				ap.insert(sc.original)
			} else {
				ap.take(sc.actions[i], false)
			}
		}
		if got := ap.view(sc.original.ID); !reflect.DeepEqual(got, sc.want) {
			t.Fatalf("seed %d, order %v:\n got %+v\nwant %+v", seed, order, got, sc.want)
		}
	}
}

// TestEditRules: only the author edits, versions past MaxEdits are
// refused, and a receiver takes edits only within the window measured
// from when it stored the message (injected clock).
func TestEditRules(t *testing.T) {
	ap := newApplier(t, bob)
	rng := rand.New(rand.NewPCG(1, 2))
	m := storage.Message{ID: idFrom(rng, ap.now), Peer: alice, Sender: alice, Direction: storage.Incoming,
		Text: "hi", SentAt: ap.now, StoredAt: ap.now, State: storage.Received}
	ap.insert(m)
	edit := func(author storage.Account, v uint32, text string) *pb.OpAction {
		return actionOp(author, idFrom(rng, ap.now), ap.now,
			&pb.MessageAction{Target: m.ID[:], Action: &pb.MessageAction_Edit{Edit: &pb.Edit{Version: v, Text: text}}})
	}
	if err := ap.take(edit(carol, 1, "forged"), false); !errors.Is(err, ErrNotAuthor) {
		t.Fatalf("edit by another account: %v, want ErrNotAuthor", err)
	}
	if _, err := checkAction(edit(alice, MaxEdits+1, "eleventh")); err == nil {
		t.Fatal("version 11 accepted")
	}
	ap.now = m.StoredAt.Add(EditWindow + Margin)
	if err := ap.take(edit(alice, 1, "last minute"), false); err != nil {
		t.Fatalf("edit at the end of the window: %v", err)
	}
	ap.now = ap.now.Add(time.Millisecond)
	if err := ap.take(edit(alice, 2, "too late"), false); !errors.Is(err, ErrTooLate) {
		t.Fatalf("edit past the window: %v, want ErrTooLate", err)
	}
	// From this account's log the window was checked where it was taken.
	if err := ap.take(edit(alice, 2, "synced"), true); err != nil {
		t.Fatalf("edit from the account log: %v", err)
	}
	if got := ap.view(m.ID); got.Text != "synced" || got.Edits != 2 {
		t.Fatalf("view %+v", got)
	}
}

// TestDeleteRules: only the author deletes for everyone, within the
// window; a delete wins over a later edit; the message never comes back.
func TestDeleteRules(t *testing.T) {
	ap := newApplier(t, bob)
	rng := rand.New(rand.NewPCG(3, 4))
	m := storage.Message{ID: idFrom(rng, ap.now), Peer: alice, Sender: alice, Direction: storage.Incoming,
		Text: "secret", SentAt: ap.now, StoredAt: ap.now, State: storage.Received}
	ap.insert(m)
	del := func(author storage.Account) *pb.OpAction {
		return actionOp(author, idFrom(rng, ap.now), ap.now,
			&pb.MessageAction{Target: m.ID[:], Action: &pb.MessageAction_Delete{Delete: &pb.Delete{}}})
	}
	if err := ap.take(del(bob), false); !errors.Is(err, ErrNotAuthor) {
		t.Fatalf("delete by another account: %v", err)
	}
	ap.now = ap.now.Add(DeleteWindow + Margin + time.Millisecond)
	if err := ap.take(del(alice), false); !errors.Is(err, ErrTooLate) {
		t.Fatalf("delete past the window: %v", err)
	}
	ap.now = m.StoredAt
	if err := ap.take(del(alice), false); err != nil {
		t.Fatal(err)
	}
	ap.insert(m) // a copy from a relay
	if got := ap.view(m.ID); !got.Deleted {
		t.Fatalf("view %+v", got)
	}
}

// TestWaitingBounded: actions for messages never seen wait in bounded
// number; past it they are dropped, not stored.
func TestWaitingBounded(t *testing.T) {
	if testing.Short() || raceOn {
		t.Skip("fills the waiting actions")
	}
	ap := newApplier(t, bob)
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range badger.MaxWaitingActions + 1 {
		op := actionOp(alice, idFrom(rng, ap.now), ap.now, &pb.MessageAction{
			Target: func() []byte { id := idFrom(rng, ap.now); return id[:] }(),
			Action: &pb.MessageAction_Reaction{Reaction: &pb.Reaction{Emoji: "👍"}}})
		err := ap.take(op, false)
		if i < badger.MaxWaitingActions && err != nil {
			t.Fatalf("action %d: %v", i, err)
		}
		if i == badger.MaxWaitingActions && !errors.Is(err, storage.ErrWaitingFull) {
			t.Fatalf("action past the bound: %v", err)
		}
	}
}

func TestCheckEmoji(t *testing.T) {
	for _, e := range []string{"", "👍", "❤️", "👍🏽", "👨‍👩‍👧", "🇫🇷", "1️⃣", "☺"} {
		if err := CheckEmoji(e); err != nil {
			t.Errorf("%q: %v", e, err)
		}
	}
	for _, e := range []string{"a", "ok", "👍👍", "1", " ", "\xff", "👍" + string(make([]byte, 40))} {
		if err := CheckEmoji(e); err == nil {
			t.Errorf("%q accepted", e)
		}
	}
}

// FuzzDecodeAction: the decoders of action operations, waiting records
// and delete-for-me operations never panic, and what they accept
// re-encodes to an action that checks again.
func FuzzDecodeAction(f *testing.F) {
	rng := rand.New(rand.NewPCG(7, 8))
	now := time.UnixMilli(1_700_000_000_000)
	target := idFrom(rng, now)
	for _, a := range []*pb.MessageAction{
		{Target: target[:], Action: &pb.MessageAction_Edit{Edit: &pb.Edit{Version: 1, Text: "hi"}}},
		{Target: target[:], Action: &pb.MessageAction_Delete{Delete: &pb.Delete{}}},
		{Target: target[:], Action: &pb.MessageAction_Reaction{Reaction: &pb.Reaction{Emoji: "👍"}}},
	} {
		b, _ := proto.Marshal(actionOp(alice, idFrom(rng, now), now, a))
		f.Add(b)
	}
	b, _ := proto.Marshal(&pb.OpDeleteForMe{Target: target[:], Chat: alice[:]})
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			if a, err := decodeAction(b); err == nil {
				again, err := proto.Marshal(a.op)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := decodeAction(again); err != nil {
					t.Fatalf("re-encoded action refused: %v", err)
				}
			}
			decodeDeleteForMe(b)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("decoder hangs")
		}
	})
}

// TestSenderRules: the sender refuses the 11th edit, edits past the
// window, and edits or deletes of others' messages, before sending.
func TestSenderRules(t *testing.T) {
	ap := newApplier(t, bob)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(9, 10))
	own := storage.Message{ID: idFrom(rng, ap.now), Peer: alice, Sender: bob, Direction: storage.Outgoing,
		Text: "v10", Edits: MaxEdits, SentAt: ap.now, StoredAt: ap.now, State: storage.Sent}
	ap.insert(own)
	if err := ap.s.Edit(ctx, core.MessageID(own.ID), "v11"); !errors.Is(err, ErrTooManyEdits) {
		t.Fatalf("11th edit: %v, want ErrTooManyEdits", err)
	}
	fresh := own
	fresh.ID, fresh.Edits = idFrom(rng, ap.now), 0
	ap.insert(fresh)
	ap.now = ap.now.Add(EditWindow + time.Millisecond)
	if err := ap.s.Edit(ctx, core.MessageID(fresh.ID), "late"); !errors.Is(err, ErrTooLate) {
		t.Fatalf("edit past 24 h: %v, want ErrTooLate", err)
	}
	ap.now = ap.now.Add(DeleteWindow)
	if err := ap.s.Delete(ctx, core.MessageID(fresh.ID), true); !errors.Is(err, ErrTooLate) {
		t.Fatalf("delete for everyone past 48 h: %v, want ErrTooLate", err)
	}
	theirs := storage.Message{ID: idFrom(rng, ap.now), Peer: alice, Sender: alice, Direction: storage.Incoming,
		Text: "hi", SentAt: ap.now, StoredAt: ap.now, State: storage.Received}
	ap.insert(theirs)
	if err := ap.s.Edit(ctx, core.MessageID(theirs.ID), "forged"); !errors.Is(err, ErrNotAuthor) {
		t.Fatalf("edit of another's message: %v, want ErrNotAuthor", err)
	}
	if err := ap.s.Delete(ctx, core.MessageID(theirs.ID), true); !errors.Is(err, ErrNotAuthor) {
		t.Fatalf("delete for everyone of another's message: %v, want ErrNotAuthor", err)
	}
}

package badger_test

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

var self = acct(0xAA)

// idAt builds a message ID for time at. storage.NewMessageID never goes
// backwards, so IDs for past times would follow creation order instead.
func idAt(at time.Time) storage.MessageID {
	var id storage.MessageID
	var ms [8]byte
	binary.BigEndian.PutUint64(ms[:], uint64(at.UnixMilli()))
	copy(id[:6], ms[2:])
	rand.Read(id[6:])
	return id
}

func testMessage(peer storage.Account, at time.Time, dir storage.Direction, st storage.State) storage.Message {
	m := storage.Message{
		ID: idAt(at), Peer: peer, Direction: dir, State: st,
		Text: "hello " + at.String(), SentAt: at.Add(-time.Second), StoredAt: at, SenderDevice: 3,
	}
	if dir == storage.Incoming {
		m.Sender = peer
	} else {
		m.Sender = self
	}
	return m
}

func sameMessage(t *testing.T, got, want storage.Message) {
	t.Helper()
	if got.ID != want.ID || got.Peer != want.Peer || got.Sender != want.Sender || got.SenderDevice != want.SenderDevice ||
		got.Direction != want.Direction || got.Text != want.Text || got.State != want.State ||
		!got.SentAt.Equal(want.SentAt) || !got.StoredAt.Equal(want.StoredAt) {
		t.Fatalf("message mismatch:\n got %+v\nwant %+v", got, want)
	}
}

func TestInsertAndDedup(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	m := testMessage(acct(1), time.Now(), storage.Incoming, storage.Received)
	if err := s.InsertMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	got, err := s.Message(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameMessage(t, got, m)
	if err := s.InsertMessage(ctx, m); !errors.Is(err, storage.ErrExists) {
		t.Fatalf("duplicate insert = %v, want ErrExists", err)
	}
	// Same ID in another conversation is a duplicate too.
	m2 := m
	m2.Peer = acct(2)
	if err := s.InsertMessage(ctx, m2); !errors.Is(err, storage.ErrExists) {
		t.Fatalf("duplicate ID in other conversation = %v, want ErrExists", err)
	}
	if _, err := s.Message(ctx, storage.NewMessageID(time.Now())); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("missing message: %v", err)
	}
	if err := s.InsertMessage(ctx, storage.Message{Peer: acct(1)}); err == nil {
		t.Fatal("insert of message without ID succeeded")
	}
}

func TestInsertSetsStoredAt(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	m := testMessage(acct(1), time.Now(), storage.Outgoing, storage.Pending)
	m.StoredAt = time.Time{}
	if err := s.InsertMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Message(ctx, m.ID)
	if got.StoredAt.IsZero() {
		t.Fatal("StoredAt not set")
	}
}

func TestStateOnlyMovesForward(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	m := testMessage(acct(1), time.Now(), storage.Outgoing, storage.Pending)
	if err := s.InsertMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		st      storage.State
		changed bool
		want    storage.State
	}{
		{storage.Delivered, true, storage.Delivered},
		{storage.Sent, false, storage.Delivered},
		{storage.Pending, false, storage.Delivered},
		{storage.Delivered, false, storage.Delivered},
		{storage.Read, true, storage.Read},
		{storage.Delivered, false, storage.Read},
	}
	for i, st := range steps {
		got, changed, err := s.SetMessageState(ctx, m.ID, st.st)
		if err != nil {
			t.Fatal(err)
		}
		if changed != st.changed || got.State != st.want {
			t.Fatalf("step %d: set %v: changed=%v state=%v, want %v %v", i, st.st, changed, got.State, st.changed, st.want)
		}
		stored, _ := s.Message(ctx, m.ID)
		if stored.State != st.want {
			t.Fatalf("step %d: stored state %v", i, stored.State)
		}
	}
	if _, _, err := s.SetMessageState(ctx, storage.NewMessageID(time.Now()), storage.Read); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("missing message: %v", err)
	}
	if _, _, err := s.SetMessageState(ctx, m.ID, storage.State(77)); err == nil {
		t.Fatal("invalid state accepted")
	}
}

func TestHistoryPaging(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	base := time.UnixMilli(1_700_000_000_000)
	var all []storage.Message
	for i := range 25 {
		m := testMessage(acct(1), base.Add(time.Duration(i)*time.Second), storage.Outgoing, storage.Sent)
		all = append(all, m)
	}
	// Insert out of order, plus noise in another conversation.
	for i := len(all) - 1; i >= 0; i-- {
		if err := s.InsertMessage(ctx, all[i]); err != nil {
			t.Fatal(err)
		}
		if err := s.InsertMessage(ctx, testMessage(acct(2), base.Add(time.Duration(i)*time.Second), storage.Incoming, storage.Received)); err != nil {
			t.Fatal(err)
		}
	}
	page, err := s.History(ctx, acct(1), storage.MessageID{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != 10 {
		t.Fatalf("first page has %d messages", len(page))
	}
	for i, m := range page {
		sameMessage(t, m, all[15+i])
	}
	var got []storage.Message
	before := storage.MessageID{}
	for {
		page, err := s.History(ctx, acct(1), before, 7)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		got = append(page, got...)
		before = page[0].ID
	}
	if len(got) != len(all) {
		t.Fatalf("paged %d messages, want %d", len(got), len(all))
	}
	for i := range all {
		sameMessage(t, got[i], all[i])
	}
	def, err := s.History(ctx, acct(1), storage.MessageID{}, 0)
	if err != nil || len(def) != 25 {
		t.Fatalf("default limit: %d, %v", len(def), err)
	}
	none, err := s.History(ctx, acct(3), storage.MessageID{}, 10)
	if err != nil || len(none) != 0 {
		t.Fatalf("unknown peer: %v, %v", none, err)
	}
}

func TestConversationsAndUnread(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	base := time.UnixMilli(1_700_000_000_000)
	in1 := testMessage(acct(1), base, storage.Incoming, storage.Received)
	in2 := testMessage(acct(1), base.Add(time.Second), storage.Incoming, storage.Received)
	out1 := testMessage(acct(1), base.Add(2*time.Second), storage.Outgoing, storage.Pending)
	other := testMessage(acct(2), base.Add(3*time.Second), storage.Incoming, storage.Received)
	old := testMessage(acct(1), base.Add(-time.Hour), storage.Incoming, storage.Read)
	for _, m := range []storage.Message{in2, out1, in1, other, old} {
		if err := s.InsertMessage(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	convs, err := s.Conversations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(convs) != 2 {
		t.Fatalf("%d conversations", len(convs))
	}
	if convs[0].Peer != acct(2) || convs[0].Unread != 1 || convs[0].Last.ID != other.ID {
		t.Fatalf("first conversation: %+v", convs[0])
	}
	if convs[1].Peer != acct(1) || convs[1].Unread != 2 || convs[1].Last.ID != out1.ID {
		t.Fatalf("second conversation: %+v", convs[1])
	}
	unread, err := s.UnreadIncoming(ctx, acct(1))
	if err != nil {
		t.Fatal(err)
	}
	if len(unread) != 2 || unread[0].ID != in1.ID || unread[1].ID != in2.ID {
		t.Fatalf("unread: %+v", unread)
	}
	if _, changed, err := s.SetMessageState(ctx, in1.ID, storage.Read); err != nil || !changed {
		t.Fatalf("mark read: %v %v", changed, err)
	}
	// Last message keeps its updated state in the summary.
	if _, _, err := s.SetMessageState(ctx, out1.ID, storage.Delivered); err != nil {
		t.Fatal(err)
	}
	convs, _ = s.Conversations(ctx)
	if convs[1].Unread != 1 || convs[1].Last.State != storage.Delivered {
		t.Fatalf("after reads: %+v", convs[1])
	}
	unread, _ = s.UnreadIncoming(ctx, acct(1))
	if len(unread) != 1 || unread[0].ID != in2.ID {
		t.Fatalf("unread after read: %+v", unread)
	}
	if _, _, err := s.SetMessageState(ctx, in2.ID, storage.Read); err != nil {
		t.Fatal(err)
	}
	convs, _ = s.Conversations(ctx)
	if convs[1].Unread != 0 {
		t.Fatalf("unread %d after reading everything", convs[1].Unread)
	}
	if u, _ := s.UnreadIncoming(ctx, acct(1)); len(u) != 0 {
		t.Fatalf("unread list not empty: %v", u)
	}
}

func TestContacts(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	now := time.Unix(1_700_000_000, 5)
	cs := []storage.Contact{
		{Account: acct(3), Name: "carol", AddedAt: now},
		{Account: acct(2), Name: "bob", AddedAt: now, Verified: true, IdentityChangedAt: now.Add(time.Hour)},
		{Account: acct(1), Name: "bob", AddedAt: now},
	}
	for _, c := range cs {
		if err := s.PutContact(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Contact(ctx, acct(2))
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "bob" || !got.Verified || !got.AddedAt.Equal(now) || !got.IdentityChangedAt.Equal(now.Add(time.Hour)) {
		t.Fatalf("contact: %+v", got)
	}
	all, err := s.Contacts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var order []byte
	for _, c := range all {
		order = append(order, c.Account[0])
	}
	if !reflect.DeepEqual(order, []byte{1, 2, 3}) {
		t.Fatalf("order %v, want by name then account", order)
	}
	cs[2].Name = "zed"
	if err := s.PutContact(ctx, cs[2]); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteContact(ctx, acct(3)); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteContact(ctx, acct(9)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Contact(ctx, acct(3)); !errors.Is(err, storage.ErrNotFound) {
		t.Fatal(err)
	}
	all, _ = s.Contacts(ctx)
	if len(all) != 2 || all[1].Name != "zed" {
		t.Fatalf("after update/delete: %+v", all)
	}
}

func TestOutbox(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	base := time.UnixMilli(1_700_000_000_000)
	var items []storage.OutboxItem
	for i := range 3 {
		items = append(items, storage.OutboxItem{
			ID: idAt(base.Add(time.Duration(i) * time.Second)), Recipient: acct(1),
			Content: []byte{byte(i), 1, 2}, CreatedAt: base, NextAttempt: base.Add(time.Minute),
		})
	}
	for i := len(items) - 1; i >= 0; i-- {
		if err := s.PutOutbox(ctx, items[i]); err != nil {
			t.Fatal(err)
		}
	}
	items[1].Attempts = 4
	items[1].Done = []uint32{1, 70000}
	items[1].Receipt = true
	if err := s.PutOutbox(ctx, items[1]); err != nil {
		t.Fatal(err)
	}
	got, err := s.OutboxItem(ctx, items[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Attempts != 4 || !reflect.DeepEqual(got.Done, items[1].Done) || !got.Receipt ||
		!got.NextAttempt.Equal(items[1].NextAttempt) || string(got.Content) != string(items[1].Content) {
		t.Fatalf("outbox item: %+v", got)
	}
	all, err := s.Outbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || all[0].ID != items[0].ID || all[2].ID != items[2].ID {
		t.Fatalf("outbox order: %+v", all)
	}
	if err := s.DeleteOutbox(ctx, items[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteOutbox(ctx, items[0].ID); err != nil {
		t.Fatalf("delete of missing item: %v", err)
	}
	if _, err := s.OutboxItem(ctx, items[0].ID); !errors.Is(err, storage.ErrNotFound) {
		t.Fatal(err)
	}
	all, _ = s.Outbox(ctx)
	if len(all) != 2 {
		t.Fatalf("%d items after delete", len(all))
	}
}

func TestUpdateMessage(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	at := time.UnixMilli(1_700_000_000_000)
	m := storage.Message{ID: idAt(at), Peer: storage.Account{7}, Sender: storage.Account{7}, Direction: storage.Incoming,
		State: storage.Received, Text: "first", SentAt: at}
	if err := s.InsertMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	got, err := s.UpdateMessage(ctx, m.ID, func(m *storage.Message) error {
		m.Text, m.Edits, m.EditedAt = "second", 1, at.Add(time.Minute)
		return nil
	})
	if err != nil || got.Text != "second" || got.Edits != 1 {
		t.Fatalf("update: %+v, %v", got, err)
	}
	if stored, err := s.Message(ctx, m.ID); err != nil || stored.Text != "second" || stored.Edits != 1 || !stored.EditedAt.Equal(at.Add(time.Minute)) {
		t.Fatalf("stored: %+v, %v", stored, err)
	}
	if _, err := s.UpdateMessage(ctx, m.ID, func(m *storage.Message) error { m.State = storage.Read; return nil }); !errors.Is(err, badger.ErrInvalid) {
		t.Fatalf("state change: %v, want ErrInvalid", err)
	}
	if _, err := s.UpdateMessage(ctx, m.ID, func(m *storage.Message) error { m.Edits = 11; return nil }); !errors.Is(err, badger.ErrInvalid) {
		t.Fatalf("11 edits: %v, want ErrInvalid", err)
	}
	if _, err := s.UpdateMessage(ctx, storage.MessageID{1}, func(*storage.Message) error { return nil }); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("missing: %v, want ErrNotFound", err)
	}
	if stored, _ := s.Message(ctx, m.ID); stored.Text != "second" || stored.State != storage.Received {
		t.Fatalf("refused updates changed the message: %+v", stored)
	}
}

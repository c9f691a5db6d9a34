package badger_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/storage"
)

func TestCustody(t *testing.T) {
	dir := t.TempDir()
	s := openDir(t, dir)
	ctx := context.Background()
	bob, carol := storage.Account{1}, storage.Account{2}
	at := time.Unix(1_700_000_000, 0)
	var ids []storage.MessageID
	for i := range 3 {
		id := storage.NewMessageID(at)
		ids = append(ids, id)
		to := bob
		if i == 2 {
			to = carol
		}
		c := storage.Custody{ID: id, Recipient: to, Content: []byte{byte(i)},
			Devices: []storage.CustodyDevice{{Device: 1, ListVersion: 7, Relays: []string{"relay-a"}, Until: at}}}
		if err := s.PutCustody(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.CustodyOf(ctx, bob)
	if err != nil || len(got) != 2 || got[0].ID != ids[0] || got[1].Devices[0].Relays[0] != "relay-a" || !got[1].Devices[0].Until.Equal(at) {
		t.Fatalf("custody of bob: %+v, %v", got, err)
	}
	rs, err := s.CustodyRecipients(ctx)
	if err != nil || len(rs) != 2 || rs[0] != bob || rs[1] != carol {
		t.Fatalf("recipients: %v, %v", rs, err)
	}
	// A record without devices is deleted.
	if err := s.PutCustody(ctx, storage.Custody{ID: ids[0], Recipient: bob}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Custody(ctx, bob, ids[0]); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("emptied record: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openDir(t, dir)
	t.Cleanup(func() { s.Close() })
	c, err := s.Custody(ctx, bob, ids[1])
	if err != nil || c.Content[0] != 1 || c.Devices[0].ListVersion != 7 {
		t.Fatalf("after reopening: %+v, %v", c, err)
	}
}

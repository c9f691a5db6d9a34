package badger_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// signedList returns a's signed device list of version v.
func signedList(tb testing.TB, a *identity.Account, v uint64) []byte {
	tb.Helper()
	raw, err := a.SignDeviceList(&identity.DeviceList{Version: v})
	if err != nil {
		tb.Fatal(err)
	}
	return raw
}

func newAccount(tb testing.TB) *identity.Account {
	tb.Helper()
	a, err := identity.NewAccount()
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

func TestDeviceList(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	a := newAccount(t)
	id := storage.Account(a.ID())
	if _, err := s.DeviceList(ctx, id); !errors.Is(err, storage.ErrNotFound) {
		t.Fatal(err)
	}
	raw := signedList(t, a, 1)
	want := string(raw)
	if err := s.PutDeviceList(ctx, id, raw); err != nil {
		t.Fatal(err)
	}
	raw[0] ^= 0xFF // the store keeps its own copy
	got, err := s.DeviceList(ctx, id)
	if err != nil || string(got) != want {
		t.Fatalf("device list %q, %v", got, err)
	}
}

// TestDeviceListNeverOlder: the store keeps the highest version of an
// account's list; an older one is refused with ErrStale, in a transaction
// of its own or the caller's, and nothing changes.
func TestDeviceListNeverOlder(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	a := newAccount(t)
	id := storage.Account(a.ID())
	v1, v2, v3 := signedList(t, a, 1), signedList(t, a, 2), signedList(t, a, 3)
	for _, raw := range [][]byte{v1, v2} {
		if err := s.PutDeviceList(ctx, id, raw); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutDeviceList(ctx, id, v1); !errors.Is(err, storage.ErrStale) {
		t.Fatalf("older list: %v, want ErrStale", err)
	}
	err := s.Update(ctx, func(ctx context.Context) error { return s.PutDeviceList(ctx, id, v1) })
	if !errors.Is(err, storage.ErrStale) {
		t.Fatalf("older list in a transaction: %v, want ErrStale", err)
	}
	if err := s.PutDeviceList(ctx, id, v2); err != nil {
		t.Fatalf("the same version again: %v", err)
	}
	if got, _ := s.DeviceList(ctx, id); string(got) != string(v2) {
		t.Fatal("an older list replaced a newer one")
	}
	if err := s.PutDeviceList(ctx, id, v3); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.DeviceList(ctx, id); string(got) != string(v3) {
		t.Fatal("a newer list was not kept")
	}
}

// TestDeviceListConcurrentPuts: whatever order concurrent puts commit in,
// the highest version is what stays.
func TestDeviceListConcurrentPuts(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	a := newAccount(t)
	id := storage.Account(a.ID())
	lists := make([][]byte, 20)
	for i := range lists {
		lists[i] = signedList(t, a, uint64(i+1))
	}
	var wg sync.WaitGroup
	for i := len(lists) - 1; i >= 0; i-- {
		wg.Go(func() {
			if err := s.PutDeviceList(ctx, id, lists[i]); err != nil && !errors.Is(err, storage.ErrStale) {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got, _ := s.DeviceList(ctx, id); string(got) != string(lists[len(lists)-1]) {
		t.Fatal("the highest version did not win")
	}
}

func TestDeviceListRefusesOthers(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	a, b := newAccount(t), newAccount(t)
	for name, raw := range map[string][]byte{
		"garbage":         []byte("not a list"),
		"empty":           nil,
		"another account": signedList(t, b, 9),
	} {
		if err := s.PutDeviceList(ctx, storage.Account(a.ID()), raw); !errors.Is(err, badger.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
}

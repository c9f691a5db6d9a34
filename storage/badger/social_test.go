package badger_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// Profiles, blocked accounts and message requests: set, read, list,
// clear; a profile record over the limit is refused.
func TestSocialRecords(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	a, b := storage.Account{1}, storage.Account{2}
	if _, err := s.Profile(ctx, a); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("no profile: %v", err)
	}
	if err := s.PutProfile(ctx, a, []byte("rec")); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Profile(ctx, a); err != nil || !bytes.Equal(got, []byte("rec")) {
		t.Fatalf("profile: %q %v", got, err)
	}
	if err := s.PutProfile(ctx, b, make([]byte, 71<<10)); !errors.Is(err, badger.ErrInvalid) {
		t.Fatalf("oversized profile: %v", err)
	}
	var seen []storage.Account
	if err := s.Profiles(ctx, func(acct storage.Account, _ []byte) error { seen = append(seen, acct); return nil }); err != nil || !slices.Equal(seen, []storage.Account{a}) {
		t.Fatalf("profiles: %v %v", seen, err)
	}

	for _, f := range []struct {
		set  func(context.Context, storage.Account, bool) error
		get  func(context.Context, storage.Account) (bool, error)
		list func(context.Context) ([]storage.Account, error)
	}{{s.SetBlocked, s.Blocked, s.BlockedAccounts}, {s.SetRequest, s.Request, s.Requests}} {
		if on, err := f.get(ctx, a); err != nil || on {
			t.Fatalf("unset flag: %t %v", on, err)
		}
		for _, acct := range []storage.Account{b, a} {
			if err := f.set(ctx, acct, true); err != nil {
				t.Fatal(err)
			}
		}
		if got, err := f.list(ctx); err != nil || !slices.Equal(got, []storage.Account{a, b}) {
			t.Fatalf("list: %v %v", got, err)
		}
		if err := f.set(ctx, a, false); err != nil {
			t.Fatal(err)
		}
		if on, err := f.get(ctx, a); err != nil || on {
			t.Fatalf("cleared flag: %t %v", on, err)
		}
		if got, _ := f.list(ctx); !slices.Equal(got, []storage.Account{b}) {
			t.Fatalf("list after clear: %v", got)
		}
	}
}

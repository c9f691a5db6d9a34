package main

import (
	"strings"
	"testing"

	"github.com/pigeon-net/pigeon/node/localapi"
)

// An ACCOUNT argument is an ID, else a unique contact name (any case),
// else a unique ID prefix of 8 or more characters; anything ambiguous or
// unknown is an error that lists the candidates or says what to do.
func TestAccountArg(t *testing.T) {
	bob, carol, dave := newAccountID(t), newAccountID(t), newAccountID(t)
	// Two fake IDs sharing a long prefix (real ones rarely do).
	twinA, twinB := "pgsameprefix"+strings.Repeat("a", 48), "pgsameprefix"+strings.Repeat("b", 48)
	a := &app{ids: &knownIDs{
		contacts: []localapi.Contact{{Account: bob, Name: "Bob"}, {Account: carol, Name: "twin"}, {Account: dave, Name: "TWIN"}},
		accounts: []string{bob, carol, dave, twinA, twinB},
		names:    map[string]string{bob: "Bob", carol: "twin", dave: "TWIN"},
	}}
	for _, c := range []struct {
		arg, want, err string
	}{
		{arg: bob, want: bob},
		{arg: "bob", want: bob},
		{arg: " BOB ", want: bob},
		{arg: carol[:12], want: carol},
		{arg: strings.ToUpper(dave[:9]), want: dave},
		{arg: "twin", err: `"twin" names 2 contacts: ` + carol[:12] + `… (twin), ` + dave[:12] + `… (TWIN); give the account ID`},
		{arg: "pgsameprefix", err: `"pgsameprefix" starts 2 known account IDs: pgsameprefix…, pgsameprefix…; give more of the ID`},
		{arg: bob[:7], err: "(an ID prefix needs at least 8 characters)"},
		{arg: "nobody", err: "unknown account \"nobody\": no contact has that name and no known account ID starts with it; see `pigeon contacts`, or give the full account ID (pg…)"},
		{arg: badChecksumID(t), err: "invalid account ID: checksum mismatch (typo?): check it, or use the contact's name"},
		{arg: "", err: "empty account"},
	} {
		got, err := a.accountArg(c.arg)
		switch {
		case c.err == "" && (err != nil || got.String() != c.want):
			t.Errorf("%q: %v, %v; want %s", c.arg, got, err, c.want)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%q: error %v; want one containing %q", c.arg, err, c.err)
		}
	}
}

// A GROUP argument is a group ID, a unique group name or a unique ID
// prefix.
func TestGroupArg(t *testing.T) {
	g1, g2, g3 := "ab"+strings.Repeat("01", 31), "ab"+strings.Repeat("02", 31), strings.Repeat("cd", 32)
	a := &app{ids: &knownIDs{
		groups: []localapi.Group{{ID: g1, Name: "climbing"}, {ID: g2, Name: "Climbing"}, {ID: g3, Name: "choir"}},
		names:  map[string]string{g1: "climbing", g2: "Climbing", g3: "choir"},
	}}
	for _, c := range []struct {
		arg, want, err string
	}{
		{arg: g1, want: g1},
		{arg: "Choir", want: g3},
		{arg: g3[:8], want: g3},
		{arg: "climbing", err: `"climbing" names 2 groups`},
		{arg: "ab030303", err: `unknown group "ab030303"`},
		{arg: "ab0", err: "unknown group"},
		{arg: "ab01010101", want: g1},
		{arg: "abab", err: "see `pigeon group list`"},
	} {
		got, err := a.groupArg(c.arg)
		switch {
		case c.err == "" && (err != nil || got != c.want):
			t.Errorf("%q: %q, %v; want %s", c.arg, got, err, c.want)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%q: error %v; want one containing %q", c.arg, err, c.err)
		}
	}
}

// An ACCOUNT argument may be the name an account's profile gives when no
// contact has that name; a contact's name wins, and a profile name two
// accounts share is an error listing them.
func TestAccountArgProfileNames(t *testing.T) {
	bob, eve, ann1, ann2 := newAccountID(t), newAccountID(t), newAccountID(t), newAccountID(t)
	a := &app{ids: &knownIDs{
		contacts: []localapi.Contact{{Account: bob, Name: "Eve"}},
		profiles: []localapi.Profile{{Account: eve, Name: "Eve"}, {Account: ann1, Name: "Ann"}, {Account: ann2, Name: "ann"}},
		accounts: []string{bob, eve, ann1, ann2},
		names:    map[string]string{bob: "Eve", eve: "Eve", ann1: "Ann", ann2: "ann"},
	}}
	if got, err := a.accountArg("eve"); err != nil || got.String() != bob {
		t.Errorf("a contact's name wins: %v %v", got, err)
	}
	a.ids.contacts = nil
	if got, err := a.accountArg("EVE"); err != nil || got.String() != eve {
		t.Errorf("profile name: %v %v", got, err)
	}
	if _, err := a.accountArg("ann"); err == nil || !strings.Contains(err.Error(), `"ann" is the profile name of 2 accounts`) {
		t.Errorf("ambiguous profile name: %v", err)
	}
}

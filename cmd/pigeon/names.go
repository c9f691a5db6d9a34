package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pigeon-net/pigeon/node/localapi"
	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/identity"
)

// Where a verb takes an ACCOUNT, it takes an account ID, else a contact's
// name (case does not matter), else the name an account's profile gives
// (GET /v1/profiles; a contact's own name wins), else the start of a known account ID (a
// contact's, a conversation's or a group member's) of at least
// minPrefix characters; where it takes a GROUP, a group ID, a group's name,
// or the start of a group's ID. A name or prefix that fits several is an
// error listing them. The CLI resolves names with the API's lists (GET
// /v1/contacts, /v1/conversations, /v1/groups), so the API itself takes IDs
// only; a full ID is checked without asking the daemon.

// minPrefix is the shortest ID prefix taken for an ID: the short form the
// CLI prints (12 characters) always qualifies.
const minPrefix = 8

// shortLen is how many characters of an ID outputs show where no name
// exists (identity.AccountID.Short).
const shortLen = 12

// accountIDLen is the length of an account ID's text form.
const accountIDLen = 60

// accountArg resolves an ACCOUNT argument.
func (a *app) accountArg(arg string) (identity.AccountID, error) {
	arg = strings.TrimSpace(arg)
	if id, err := identity.ParseAccountID(arg); err == nil {
		return id, nil
	} else if len(arg) == accountIDLen && strings.HasPrefix(strings.ToLower(arg), "pg") {
		return id, accountIDError(err) // an ID with a typo, not a name
	}
	if arg == "" {
		return identity.AccountID{}, errors.New("empty account: give an account ID or a contact's name")
	}
	k, err := a.known()
	if err != nil {
		return identity.AccountID{}, err
	}
	var named []string
	for _, ct := range k.contacts {
		if strings.EqualFold(ct.Name, arg) {
			named = append(named, ct.Account)
		}
	}
	if len(named) > 1 {
		return identity.AccountID{}, fmt.Errorf("%q names %d contacts: %s; give the account ID", arg, len(named), k.list(named))
	}
	if len(named) == 1 {
		return identity.ParseAccountID(named[0])
	}
	for _, p := range k.profiles {
		if strings.EqualFold(p.Name, arg) {
			named = append(named, p.Account)
		}
	}
	if len(named) > 1 {
		return identity.AccountID{}, fmt.Errorf("%q is the profile name of %d accounts: %s; give the account ID, or name one as a contact", arg, len(named), k.list(named))
	}
	if len(named) == 1 {
		return identity.ParseAccountID(named[0])
	}
	low := strings.ToLower(arg)
	if len(low) >= minPrefix {
		var starts []string
		for _, id := range k.accounts {
			if strings.HasPrefix(id, low) {
				starts = append(starts, id)
			}
		}
		if len(starts) > 1 {
			return identity.AccountID{}, fmt.Errorf("%q starts %d known account IDs: %s; give more of the ID", arg, len(starts), k.list(starts))
		}
		if len(starts) == 1 {
			return identity.ParseAccountID(starts[0])
		}
	}
	hint := ""
	if strings.HasPrefix(low, "pg") && len(low) < minPrefix {
		hint = fmt.Sprintf(" (an ID prefix needs at least %d characters)", minPrefix)
	}
	return identity.AccountID{}, fmt.Errorf("unknown account %q: no contact has that name and no known account ID starts with it%s; see `pigeon contacts`, or give the full account ID (pg…)", arg, hint)
}

// accountArgs resolves several ACCOUNT arguments.
func (a *app) accountArgs(args []string) ([]string, error) {
	out := make([]string, len(args))
	for i, arg := range args {
		id, err := a.accountArg(arg)
		if err != nil {
			return nil, err
		}
		out[i] = id.String()
	}
	return out, nil
}

// accountIDError says what is wrong with an account ID and what to do.
func accountIDError(err error) error {
	if errors.Is(err, identity.ErrBadChecksum) {
		return errors.New("invalid account ID: checksum mismatch (typo?): check it, or use the contact's name")
	}
	detail, _ := strings.CutPrefix(err.Error(), "parse account id: "+identity.ErrMalformedID.Error()+": ")
	return fmt.Errorf("invalid account ID: %s", detail)
}

// groupArg resolves a GROUP argument.
func (a *app) groupArg(arg string) (string, error) {
	arg = strings.TrimSpace(arg)
	if id, err := group.ParseID(arg); err == nil {
		return id.String(), nil
	} else if len(arg) == 64 && isHex(arg) {
		return "", fmt.Errorf("invalid group ID %q: %v", arg, err)
	}
	if arg == "" {
		return "", errors.New("empty group: give a group ID or a group's name")
	}
	k, err := a.known()
	if err != nil {
		return "", err
	}
	var named, starts []string
	low := strings.ToLower(arg)
	for _, g := range k.groups {
		if strings.EqualFold(g.Name, arg) {
			named = append(named, g.ID)
		}
		if len(low) >= minPrefix && strings.HasPrefix(g.ID, low) {
			starts = append(starts, g.ID)
		}
	}
	switch {
	case len(named) == 1:
		return named[0], nil
	case len(named) > 1:
		return "", fmt.Errorf("%q names %d groups: %s; give the group ID", arg, len(named), k.list(named))
	case len(starts) == 1:
		return starts[0], nil
	case len(starts) > 1:
		return "", fmt.Errorf("%q starts %d group IDs: %s; give more of the ID", arg, len(starts), k.list(starts))
	}
	return "", fmt.Errorf("unknown group %q: no group has that name and no group ID starts with it; see `pigeon group list`", arg)
}

func isHex(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return !strings.ContainsRune("0123456789abcdefABCDEF", r) }) < 0
}

// knownIDs is what the daemon knows of accounts and groups, read once per
// command.
type knownIDs struct {
	contacts []localapi.Contact
	groups   []localapi.Group
	// profiles are the profiles of accounts that are no contacts, or
	// whose contact has no name.
	profiles []localapi.Profile
	accounts []string          // every known account ID: contacts, conversations, group members
	names    map[string]string // account or group ID → name
}

// known reads the contacts, conversations and groups from the daemon (once).
func (a *app) known() (*knownIDs, error) {
	if a.ids != nil {
		return a.ids, nil
	}
	c, err := a.client()
	if err != nil {
		return nil, err
	}
	k := &knownIDs{names: make(map[string]string)}
	var convs []localapi.Conversation
	if err := c.do(a.ctx, "GET", "/v1/contacts", nil, &k.contacts); err != nil {
		return nil, err
	}
	if err := c.do(a.ctx, "GET", "/v1/conversations", nil, &convs); err != nil {
		return nil, err
	}
	if err := c.do(a.ctx, "GET", "/v1/groups", nil, &k.groups); err != nil {
		return nil, err
	}
	var profiles []localapi.Profile
	if err := c.do(a.ctx, "GET", "/v1/profiles", nil, &profiles); err != nil {
		return nil, err
	}
	var info localapi.Info
	if err := c.do(a.ctx, "GET", "/v1/info", nil, &info); err != nil {
		return nil, err
	}
	add := func(id string) {
		if id != "" && !slices.Contains(k.accounts, id) {
			k.accounts = append(k.accounts, id)
		}
	}
	for _, ct := range k.contacts {
		add(ct.Account)
		if ct.Name != "" {
			k.names[ct.Account] = ct.Name
		}
	}
	for _, cv := range convs {
		add(cv.Peer)
	}
	for _, p := range profiles {
		if _, named := k.names[p.Account]; !named && p.Name != "" && p.Account != info.Account {
			k.profiles = append(k.profiles, p)
			k.names[p.Account] = p.Name
			add(p.Account)
		}
	}
	for _, g := range k.groups {
		k.names[g.ID] = g.Name
		for _, m := range g.Members {
			add(m.Account)
		}
	}
	a.ids = k
	return k, nil
}

// list shows IDs as candidates: short ID and name.
func (k *knownIDs) list(ids []string) string {
	var parts []string
	for _, id := range ids {
		s := short(id) + "…"
		if n := k.names[id]; n != "" {
			s += " (" + clean(n) + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

// short is the first shortLen characters of an ID.
func short(id string) string {
	if len(id) > shortLen {
		return id[:shortLen]
	}
	return id
}

// who is how text output names an account: its contact name, else its
// short ID.
func who(id, name string) string {
	if name != "" {
		return clean(name)
	}
	return short(id)
}

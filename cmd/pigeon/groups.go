package main

import (
	"flag"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/pigeon-net/pigeon/node/localapi"
	"github.com/pigeon-net/pigeon/protocol/group"
)

// groupFlags are the flags of `pigeon group`.
func groupFlags(fs *flag.FlagSet) {
	fs.String("description", "", "group description (create, rename)")
	fs.String("post", "", "who may send messages: `members` or admins (create, settings)")
	fs.String("add", "", "who may add members and make invites: `members` or admins (create, settings)")
	fs.String("edit", "", "who may change name and description: `members` or admins (create, settings)")
	fs.String("admins-delete", "", "whether admins may delete any member's message for everyone: `yes` or no (create, settings)")
	fs.Bool("admin", false, "add the accounts as admins (add)")
	fs.Duration("ttl", 0, "how long an invite lasts, e.g. 24h; 0 until revoked (invite)")
}

// groupFlag is the --group flag of send, history, read and typing.
func groupFlag(fs *flag.FlagSet) {
	fs.String("group", "", "act on `GROUP` (its ID or name) instead of a 1:1 conversation")
}

const groupSynopsis = "[list | create NAME [MEMBER...] | info GROUP | add GROUP ACCOUNT... | remove (rm) GROUP ACCOUNT | " +
	"leave GROUP | promote GROUP ACCOUNT | demote GROUP ACCOUNT | rename GROUP NAME | settings GROUP | " +
	"invite GROUP | revoke LINK | join LINK]"

func cmdGroup(a *app, fs *flag.FlagSet, args []string) error {
	sub := "list"
	if len(args) > 0 {
		sub, args = args[0], args[1:]
	}
	verb := "group " + sub
	if v := flagValue[string](fs, "admins-delete"); v != "" && v != "yes" && v != "no" {
		return usagef(verb, "--admins-delete wants yes or no")
	}
	settings := func() *localapi.GroupSettings {
		s := localapi.GroupSettings{Post: flagValue[string](fs, "post"), Add: flagValue[string](fs, "add"), EditInfo: flagValue[string](fs, "edit")}
		s.AdminsDelete = flagValue[string](fs, "admins-delete") == "yes"
		if s == (localapi.GroupSettings{}) && flagValue[string](fs, "admins-delete") == "" {
			return nil
		}
		return &s
	}
	// want checks the arguments and resolves the GROUP in args[0].
	want := func(min, max int, synopsis string) (string, error) {
		if err := wantArgs(verb, args, min, max, synopsis); err != nil {
			return "", err
		}
		if min == 0 || strings.HasPrefix(synopsis, "NAME") || strings.HasPrefix(synopsis, "LINK") {
			return "", nil
		}
		return a.groupArg(args[0])
	}
	// The daemon is asked only once the arguments are right.
	var c *client
	api := func(method, path string, in, out any) error {
		if c == nil {
			var err error
			if c, err = a.client(); err != nil {
				return err
			}
		}
		return c.do(a.ctx, method, path, in, out)
	}
	switch sub {
	case "list":
		if _, err := want(0, 0, ""); err != nil {
			return err
		}
		var gs []localapi.Group
		if err := api("GET", "/v1/groups", nil, &gs); err != nil {
			return err
		}
		if a.json {
			return a.printJSON(gs)
		}
		w := a.table()
		for _, g := range gs {
			fmt.Fprintf(w, "%s\t%s\t%d members\t%s\t%s\n", preview(g.Name, 32), short(g.ID), len(g.Members), g.Role, g.Status)
		}
		return w.Flush()
	case "create":
		if _, err := want(1, -1, "NAME [MEMBER...]"); err != nil {
			return err
		}
		members, err := a.accountArgs(args[1:])
		if err != nil {
			return err
		}
		var g localapi.Group
		req := localapi.CreateGroupRequest{Name: args[0], Description: flagValue[string](fs, "description"), Members: members, Settings: settings()}
		if err := api("POST", "/v1/groups", req, &g); err != nil {
			return err
		}
		fmt.Fprintln(a.stdout, g.ID)
		return nil
	case "info":
		id, err := want(1, 1, "GROUP")
		if err != nil {
			return err
		}
		var g localapi.Group
		if err := api("GET", "/v1/groups/"+id, nil, &g); err != nil {
			return err
		}
		if a.json {
			return a.printJSON(g)
		}
		var me localapi.Info
		if err := api("GET", "/v1/info", nil, &me); err != nil {
			return err
		}
		w := a.table()
		fmt.Fprintf(w, "group\t%s\n", g.ID)
		fmt.Fprintf(w, "name\t%s\n", clean(g.Name))
		if g.Description != "" {
			fmt.Fprintf(w, "description\t%s\n", clean(g.Description))
		}
		fmt.Fprintf(w, "status\t%s (you: %s)\n", g.Status, g.Role)
		fmt.Fprintf(w, "post / add / edit\t%s / %s / %s\n", g.Settings.Post, g.Settings.Add, g.Settings.EditInfo)
		fmt.Fprintf(w, "admins delete\t%t\n", g.Settings.AdminsDelete)
		for _, m := range g.Members {
			name := who(m.Account, m.Name)
			if m.Account == me.Account {
				name = "you"
			}
			fmt.Fprintf(w, "member\t%s\t%s\n", name, m.Role)
		}
		for _, inv := range g.Invites {
			exp := "until revoked"
			if inv.ExpiresAt != "" {
				exp = "until " + inv.ExpiresAt
			}
			by := who(inv.By, inv.ByName)
			if inv.By == me.Account {
				by = "you"
			}
			fmt.Fprintf(w, "invite\tby %s\t%s\n", by, exp)
		}
		return w.Flush()
	case "add":
		id, err := want(2, -1, "GROUP ACCOUNT...")
		if err != nil {
			return err
		}
		accounts, err := a.accountArgs(args[1:])
		if err != nil {
			return err
		}
		role := "member"
		if flagValue[bool](fs, "admin") {
			role = "admin"
		}
		return api("POST", "/v1/groups/"+id+"/members", localapi.AddMembersRequest{Accounts: accounts, Role: role}, nil)
	case "remove", "rm", "promote", "demote":
		id, err := want(2, 2, "GROUP ACCOUNT")
		if err != nil {
			return err
		}
		account, err := a.accountArg(args[1])
		if err != nil {
			return err
		}
		path := "/v1/groups/" + id + "/members/" + account.String()
		switch sub {
		case "remove", "rm":
			err = api("DELETE", path, nil, nil)
		case "promote":
			err = api("PUT", path+"/role", localapi.RoleRequest{Role: "admin"}, nil)
		default:
			err = api("PUT", path+"/role", localapi.RoleRequest{Role: "member"}, nil)
		}
		return err
	case "leave":
		id, err := want(1, 1, "GROUP")
		if err != nil {
			return err
		}
		if err := api("POST", "/v1/groups/"+id+"/leave", nil, nil); err != nil {
			return err
		}
		fmt.Fprintln(a.stderr, "left the group")
		return nil
	case "rename":
		id, err := want(2, -1, "GROUP NAME")
		if err != nil {
			return err
		}
		name := strings.Join(args[1:], " ")
		return api("PATCH", "/v1/groups/"+id, localapi.UpdateGroupRequest{Name: &name, Description: flagValue[string](fs, "description")}, nil)
	case "settings":
		id, err := want(1, 1, "GROUP")
		if err != nil {
			return err
		}
		s := settings()
		if s == nil {
			return usagef(verb, "want --post, --add or --edit (or --admins-delete)")
		}
		// Unset flags keep the group's current values.
		var g localapi.Group
		if err := api("GET", "/v1/groups/"+id, nil, &g); err != nil {
			return err
		}
		for cur, set := range map[*string]string{&g.Settings.Post: s.Post, &g.Settings.Add: s.Add, &g.Settings.EditInfo: s.EditInfo} {
			if set != "" {
				*cur = set
			}
		}
		if flagValue[string](fs, "admins-delete") != "" {
			g.Settings.AdminsDelete = s.AdminsDelete
		}
		return api("PATCH", "/v1/groups/"+id, localapi.UpdateGroupRequest{Settings: &g.Settings}, nil)
	case "invite":
		id, err := want(1, 1, "GROUP")
		if err != nil {
			return err
		}
		ttl := flagValue[time.Duration](fs, "ttl")
		if ttl < 0 {
			return usagef(verb, "--ttl must not be negative")
		}
		var resp localapi.InviteResponse
		if err := api("POST", "/v1/groups/"+id+"/invites", localapi.InviteRequest{TTLSeconds: int64(ttl / time.Second)}, &resp); err != nil {
			return err
		}
		fmt.Fprintln(a.stdout, resp.Link)
		return nil
	case "revoke", "join":
		if _, err := want(1, 1, "LINK"); err != nil {
			return err
		}
		if _, err := group.ParseInviteLink(args[0]); err != nil {
			return fmt.Errorf("invalid invite link: %w", err)
		}
		if sub == "revoke" {
			return api("POST", "/v1/groups/invites/revoke", localapi.LinkRequest{Link: args[0]}, nil)
		}
		var resp localapi.JoinResponse
		if err := api("POST", "/v1/groups/join", localapi.LinkRequest{Link: args[0]}, &resp); err != nil {
			return err
		}
		if resp.Status == "active" {
			fmt.Fprintf(a.stderr, "joined\n")
		} else {
			fmt.Fprintf(a.stderr, "let in; the group shows up once its log arrives\n")
		}
		fmt.Fprintln(a.stdout, resp.Group)
		return nil
	}
	return usagef("group", "unknown subcommand %q (want list, create, info, add, remove (rm), leave, promote, demote, rename, settings, invite, revoke or join)", sub)
}

// groupSend sends text to a group (send --group).
func (a *app) groupSend(id, text, replyTo string) error {
	c, err := a.client()
	if err != nil {
		return err
	}
	var resp localapi.SendResponse
	if err := c.do(a.ctx, "POST", "/v1/groups/"+id+"/messages", localapi.GroupSendRequest{Text: text, ReplyTo: replyTo}, &resp); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, resp.ID)
	return nil
}

// groupHistory prints a group's history (history --group).
func (a *app) groupHistory(id string, q url.Values, ids bool) error {
	c, err := a.client()
	if err != nil {
		return err
	}
	var msgs []localapi.Message
	if err := c.do(a.ctx, "GET", "/v1/groups/"+id+"/messages?"+q.Encode(), nil, &msgs); err != nil {
		return err
	}
	if a.json {
		return a.printJSON(msgs)
	}
	w := a.table()
	for _, m := range msgs {
		from := "you"
		if m.Direction == "in" {
			from = who(m.Sender, m.SenderName)
		}
		a.historyLine(w, ids, m, from, quoted(m)+clean(m.Text))
	}
	return w.Flush()
}

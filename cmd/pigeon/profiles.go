package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/pigeon-net/pigeon/node/localapi"
)

// The verbs of profiles, message requests and blocking.

func profileFlags(fs *flag.FlagSet) {
	fs.String("name", "", "your display name, 1 to 64 characters (set)")
	fs.String("avatar", "", "`FILE`: a JPEG or PNG of at most 48 KiB for your avatar (set); \"none\" removes it")
}

var profileSubs = []subcommand{
	{name: "show", args: "[ACCOUNT]", summary: "show your profile, or the one ACCOUNT shared with you (the default)"},
	{name: "set", args: "--name NAME [--avatar FILE]", summary: "set your display name and avatar; contacts and groups get them end-to-end encrypted"},
}

func cmdProfile(a *app, fs *flag.FlagSet, args []string) error {
	sub := "show"
	if len(args) > 0 {
		sub, args = args[0], args[1:]
	}
	switch sub {
	case "show":
		if err := wantArgs("profile show", args, 0, 1, "[ACCOUNT]"); err != nil {
			return err
		}
		return a.showProfile(args)
	case "set":
		if err := wantArgs("profile set", args, 0, 0, ""); err != nil {
			return err
		}
		return a.setProfile(fs.Lookup("name").Value.String(), fs.Lookup("avatar").Value.String())
	}
	return usagef("profile", "unknown subcommand %q (want show or set)", sub)
}

func (a *app) showProfile(args []string) error {
	c, err := a.client()
	if err != nil {
		return err
	}
	path := "/v1/profile"
	if len(args) == 1 {
		account, err := a.accountArg(args[0])
		if err != nil {
			return err
		}
		path = "/v1/profiles/" + account.String()
	}
	var p localapi.Profile
	if err := c.do(a.ctx, "GET", path, nil, &p); err != nil {
		return err
	}
	if a.json {
		return a.printJSON(p)
	}
	avatar := "no avatar"
	if p.HasAvatar {
		avatar = "avatar"
	}
	fmt.Fprintf(a.stdout, "%s\t%s\t%s\n", p.Account, clean(p.Name), avatar)
	return nil
}

func (a *app) setProfile(name, avatar string) error {
	if name == "" && avatar == "" {
		return usagef("profile set", "want --name NAME and/or --avatar FILE")
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	if name != "" {
		if err := c.do(a.ctx, "PUT", "/v1/profile", localapi.ProfileRequest{Name: name}, nil); err != nil {
			return err
		}
	}
	switch avatar {
	case "":
	case "none":
		if err := c.do(a.ctx, "DELETE", "/v1/profile/avatar", nil, nil); err != nil {
			return err
		}
	default:
		img, err := os.ReadFile(avatar)
		if err != nil {
			return fmt.Errorf("read avatar: %w", err)
		}
		if err := c.raw(a.ctx, "PUT", "/v1/profile/avatar", http.DetectContentType(img), img); err != nil {
			return err
		}
	}
	fmt.Fprintln(a.stderr, "profile saved; contacts and groups get it")
	return nil
}

// raw sends body as it is (not JSON) and expects no answer body.
func (c *client) raw(ctx context.Context, method, path, contentType string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, method, "http://"+c.addr+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", contentType)
	resp, err := c.http.Do(req)
	if err != nil {
		return connError(c.addr, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("read response: %w", err)
	}
	return decodeBody(resp, b, nil)
}

func cmdRequests(a *app, _ *flag.FlagSet, args []string) error {
	sub := "list"
	if len(args) > 0 {
		sub, args = args[0], args[1:]
	}
	switch sub {
	case "list":
		if err := wantArgs("requests", args, 0, 0, ""); err != nil {
			return err
		}
	case "delete", "rm":
		c, account, err := a.accountVerb("requests delete", args)
		if err != nil {
			return err
		}
		if err := c.do(a.ctx, "DELETE", "/v1/requests/"+account.String(), nil, nil); err != nil {
			return err
		}
		fmt.Fprintf(a.stderr, "deleted the request of %s and its messages\n", account.Short())
		return nil
	default:
		return usagef("requests", "unknown subcommand %q (want list or delete)", sub)
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	var reqs []localapi.Conversation
	if err := c.do(a.ctx, "GET", "/v1/requests", nil, &reqs); err != nil {
		return err
	}
	if a.json {
		return a.printJSON(reqs)
	}
	w := a.table()
	for _, r := range reqs {
		fmt.Fprintf(w, "%s\t%s\t%d unread\t%s\t%s\n", r.Peer, preview(r.Name, 32), r.Unread, formatTime(r.Last.SentAt), preview(r.Last.Text, 50))
	}
	return w.Flush()
}

func acceptFlags(fs *flag.FlagSet) {
	fs.String("name", "", "the contact name to give the account")
}

func cmdAccept(a *app, fs *flag.FlagSet, args []string) error {
	c, account, err := a.accountVerb("accept", args)
	if err != nil {
		return err
	}
	req := localapi.AcceptRequest{Name: fs.Lookup("name").Value.String()}
	if err := c.do(a.ctx, "POST", "/v1/requests/"+account.String()+"/accept", req, nil); err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "accepted %s: now a contact\n", account.Short())
	return nil
}

func cmdBlock(a *app, _ *flag.FlagSet, args []string) error {
	c, account, err := a.accountVerb("block", args)
	if err != nil {
		return err
	}
	if err := c.do(a.ctx, "PUT", "/v1/blocked/"+account.String(), nil, nil); err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "blocked %s on all your devices (`pigeon unblock` undoes it)\n", account.Short())
	return nil
}

func cmdUnblock(a *app, _ *flag.FlagSet, args []string) error {
	c, account, err := a.accountVerb("unblock", args)
	if err != nil {
		return err
	}
	if err := c.do(a.ctx, "DELETE", "/v1/blocked/"+account.String(), nil, nil); err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "unblocked %s\n", account.Short())
	return nil
}

func cmdBlocked(a *app, _ *flag.FlagSet, args []string) error {
	if err := wantArgs("blocked", args, 0, 0, ""); err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	var bs []localapi.Blocked
	if err := c.do(a.ctx, "GET", "/v1/blocked", nil, &bs); err != nil {
		return err
	}
	if a.json {
		return a.printJSON(bs)
	}
	w := a.table()
	for _, b := range bs {
		fmt.Fprintf(w, "%s\t%s\n", b.Account, preview(b.Name, 32))
	}
	return w.Flush()
}

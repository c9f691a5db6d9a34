package main

import (
	"flag"
	"fmt"
	"net/url"
	"strings"

	"github.com/pigeon-net/pigeon/node/localapi"
	"github.com/pigeon-net/pigeon/storage"
)

// Edits, deletes and reactions: pigeon edit, delete, react.

func deleteFlags(fs *flag.FlagSet) {
	fs.Bool("for-everyone", false, "delete the message for everyone in the chat (your own within 48 hours; any member's as a group admin where the group allows it)")
}

func reactFlags(fs *flag.FlagSet) {
	fs.Bool("remove", false, "remove your reaction (no EMOJI)")
}

// messageArg checks a message ID argument (history --ids shows them).
func messageArg(verb, s string) (string, error) {
	if _, err := storage.ParseMessageID(s); err != nil {
		return "", usagef(verb, "want a message ID (32 hex characters; 'pigeon history --ids' shows them), not %q", s)
	}
	return s, nil
}

func cmdEdit(a *app, _ *flag.FlagSet, args []string) error {
	if err := wantArgs("edit", args, 2, -1, "MESSAGE_ID TEXT"); err != nil {
		return err
	}
	id, err := messageArg("edit", args[0])
	if err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	var m localapi.Message
	if err := c.do(a.ctx, "PUT", "/v1/messages/"+id, localapi.EditMessage{Text: strings.Join(args[1:], " ")}, &m); err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "edited (version %d of at most 10)\n", m.Edits)
	return nil
}

func cmdVersions(a *app, _ *flag.FlagSet, args []string) error {
	if err := wantArgs("versions", args, 1, 1, "MESSAGE_ID"); err != nil {
		return err
	}
	id, err := messageArg("versions", args[0])
	if err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	var vs []localapi.Version
	if err := c.do(a.ctx, "GET", "/v1/messages/"+id+"/versions", nil, &vs); err != nil {
		return err
	}
	if a.json {
		return a.printJSON(vs)
	}
	if len(vs) <= 1 {
		fmt.Fprintln(a.stderr, "not edited")
	}
	for _, v := range vs {
		fmt.Fprintf(a.stdout, "%d  %s  %s\n", v.Version, v.At.Local().Format("2006-01-02 15:04"), v.Text)
	}
	return nil
}

func cmdDelete(a *app, fs *flag.FlagSet, args []string) error {
	if err := wantArgs("delete", args, 1, 1, "MESSAGE_ID [--for-everyone]"); err != nil {
		return err
	}
	id, err := messageArg("delete", args[0])
	if err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	who := "me"
	if flagValue[bool](fs, "for-everyone") {
		who = "everyone"
	}
	if err := c.do(a.ctx, "DELETE", "/v1/messages/"+id+"?"+url.Values{"for": {who}}.Encode(), nil, nil); err != nil {
		return err
	}
	if who == "me" {
		fmt.Fprintln(a.stderr, "deleted on your devices")
	} else {
		fmt.Fprintln(a.stderr, "deleted for everyone")
	}
	return nil
}

func cmdReact(a *app, fs *flag.FlagSet, args []string) error {
	remove := flagValue[bool](fs, "remove")
	synopsis := "MESSAGE_ID EMOJI | MESSAGE_ID --remove"
	want := 2
	if remove {
		want = 1
	}
	if err := wantArgs("react", args, want, want, synopsis); err != nil {
		return err
	}
	id, err := messageArg("react", args[0])
	if err != nil {
		return err
	}
	emoji := ""
	if !remove {
		emoji = args[1]
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	return c.do(a.ctx, "PUT", "/v1/messages/"+id+"/reaction", localapi.SetReaction{Emoji: emoji}, nil)
}

// actionNote is what a history line shows after a message's text: that it
// was edited, and its reactions with counts.
func actionNote(m localapi.Message) string {
	var b strings.Builder
	if m.Edited {
		b.WriteString(" (edited)")
	}
	for i, r := range m.Reactions {
		if i == 0 {
			b.WriteString(" [")
		} else {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "%s %d", clean(r.Emoji), r.Count)
		if i == len(m.Reactions)-1 {
			b.WriteString("]")
		}
	}
	return b.String()
}

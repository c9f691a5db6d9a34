package main

import (
	"flag"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/pigeon-net/pigeon/node/localapi"
	"github.com/pigeon-net/pigeon/storage"
)

// Replies (send --reply-to, quotes in history) and chat preferences (pin,
// mute, archive; conversations --archived).

// replyTo returns send's --reply-to, checked.
func replyTo(fs *flag.FlagSet) (string, error) {
	id := flagValue[string](fs, "reply-to")
	if id == "" {
		return "", nil
	}
	if _, err := storage.ParseMessageID(id); err != nil {
		return "", usagef("send", "--reply-to: want a message ID (32 hex characters; history --ids shows them)")
	}
	return id, nil
}

// withReplyTo adds send's --reply-to to a file upload's query.
func withReplyTo(fs *flag.FlagSet, q url.Values) (url.Values, error) {
	id, err := replyTo(fs)
	if id != "" {
		q.Set("reply_to", id)
	}
	return q, err
}

// quoted is how history shows what a message replies to, before its text.
func quoted(m localapi.Message) string {
	r := m.ReplyTo
	if r == nil {
		return ""
	}
	if r.State == "deleted" {
		return "[↪ a deleted message] "
	}
	what := preview(r.Snippet, 40)
	if r.FileName != "" {
		what = strings.TrimSpace(clean(r.FileName) + " " + what)
	}
	gone := ""
	if r.State == "unknown" {
		gone = ", not here"
	}
	return fmt.Sprintf("[↪ %s: %q%s] ", who(r.Author, r.AuthorName), what, gone)
}

func prefsFlags(fs *flag.FlagSet) { groupFlag(fs) }

func muteFlags(fs *flag.FlagSet) {
	fs.Duration("for", 0, "mute for `DURATION` (8h, 30m, ...; default: for ever)")
	groupFlag(fs)
}

func conversationsFlags(fs *flag.FlagSet) {
	fs.Bool("archived", false, "list the archived conversations instead")
}

// chatPrefs returns the run of verb: pin, unpin, mute, unmute, archive or
// unarchive.
func chatPrefs(verb string) func(a *app, fs *flag.FlagSet, args []string) error {
	return func(a *app, fs *flag.FlagSet, args []string) error { return cmdChatPrefs(a, fs, args, verb) }
}

func cmdChatPrefs(a *app, fs *flag.FlagSet, args []string, verb string) error {
	var req localapi.PrefsRequest
	yes, no := true, false
	switch verb {
	case "pin":
		req.Pinned = &yes
	case "unpin":
		req.Pinned = &no
	case "archive":
		req.Archived = &yes
	case "unarchive":
		req.Archived = &no
	case "unmute":
		req.MutedUntil = []byte("null")
	case "mute":
		until := `"forever"`
		if d := flagValue[time.Duration](fs, "for"); d < 0 {
			return usagef(verb, "--for must be positive")
		} else if d > 0 {
			until = `"` + time.Now().Add(d).UTC().Format(time.RFC3339) + `"`
		}
		req.MutedUntil = []byte(until)
	}
	path := ""
	if g := flagValue[string](fs, "group"); g != "" {
		if err := wantArgs(verb, args, 0, 0, ""); err != nil {
			return err
		}
		id, err := a.groupArg(g)
		if err != nil {
			return err
		}
		path = "/v1/groups/" + id + "/prefs"
	} else {
		if err := wantArgs(verb, args, 1, 1, "ACCOUNT"); err != nil {
			return err
		}
		peer, err := a.accountArg(args[0])
		if err != nil {
			return err
		}
		path = "/v1/conversations/" + peer.String() + "/prefs"
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	var p localapi.ChatPrefs
	if err := c.do(a.ctx, "PUT", path, req, &p); err != nil {
		return err
	}
	if a.json {
		return a.printJSON(p)
	}
	fmt.Fprintln(a.stdout, prefsSummary(p.Pinned, p.MutedUntil, p.Archived))
	return nil
}

// prefsSummary says how a chat is kept: "pinned, muted until …", or "-".
func prefsSummary(pinned bool, mutedUntil string, archived bool) string {
	var s []string
	if pinned {
		s = append(s, "pinned")
	}
	switch {
	case mutedUntil == "forever":
		s = append(s, "muted")
	case mutedUntil != "":
		if t, err := time.Parse(time.RFC3339Nano, mutedUntil); err == nil && time.Now().Before(t) {
			s = append(s, "muted until "+formatTime(t))
		}
	}
	if archived {
		s = append(s, "archived")
	}
	if len(s) == 0 {
		return "-"
	}
	return strings.Join(s, ", ")
}

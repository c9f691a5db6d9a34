package main

import (
	"flag"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/pigeon-net/pigeon/node/localapi"
	"github.com/pigeon-net/pigeon/node/search"
)

func searchFlags(fs *flag.FlagSet) {
	fs.String("chat", "", "search only the chat with `CHAT`: an account ID or contact name, or a group ID or name")
	fs.Bool("relevance", false, "best matches first instead of newest first")
	fs.Int("limit", search.DefaultLimit, fmt.Sprintf("show at most `N` hits (1 to %d)", search.MaxLimit))
	fs.String("cursor", "", "continue a search where the previous page ended (the `CURSOR` it printed)")
	fs.Bool("ids", false, "show each hit's message ID")
}

// cmdSearch searches the history: pigeon search [--chat CHAT] [--relevance] QUERY.
func cmdSearch(a *app, fs *flag.FlagSet, args []string) error {
	if len(args) == 0 {
		return usagef("search", "give the words to search for")
	}
	limit := flagValue[int](fs, "limit")
	if limit < 1 || limit > search.MaxLimit {
		return usagef("search", "--limit must be 1 to %d", search.MaxLimit)
	}
	q := url.Values{"q": {strings.Join(args, " ")}, "limit": {strconv.Itoa(limit)}}
	if flagValue[bool](fs, "relevance") {
		q.Set("order", "relevance")
	}
	if cur := flagValue[string](fs, "cursor"); cur != "" {
		q.Set("cursor", cur)
	}
	if chat := flagValue[string](fs, "chat"); chat != "" {
		id, err := a.chatArg(chat)
		if err != nil {
			return err
		}
		q.Set("chat", id)
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	var res localapi.SearchResponse
	if err := c.do(a.ctx, "GET", "/v1/search?"+q.Encode(), nil, &res); err != nil {
		return err
	}
	if a.json {
		return a.printJSON(res)
	}
	if len(res.Hits) == 0 {
		fmt.Fprintln(a.stderr, "no messages match")
		return nil
	}
	on, off := "[", "]"
	if terminal(a.stdout) {
		on, off = "\x1b[1;7m", "\x1b[0m" // bold, reversed
	}
	ids := flagValue[bool](fs, "ids")
	w := a.table()
	for _, h := range res.Hits {
		m := h.Message
		chat := who(m.Peer, m.PeerName)
		if m.Group != "" {
			chat = "group " + who(m.Group, m.GroupName)
		}
		from := who(m.Sender, m.SenderName)
		if m.Direction == "out" {
			from = "me"
		}
		id := ""
		if ids {
			id = m.ID + "\t"
		}
		text := marked(h.Snippet, on, off)
		if h.Snippet.Field == "file_name" {
			text = "[file] " + text
		}
		fmt.Fprintf(w, "%s\t%s%s\t%s\t%s\n", formatTime(m.SentAt), id, preview(chat, 32), preview(from, 24), text)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if res.NextCursor != "" {
		fmt.Fprintf(a.stderr, "more: pigeon search --cursor %s ...\n", res.NextCursor)
	}
	return nil
}

// marked is a snippet made safe to print (control characters escaped)
// with its matches between on and off.
func marked(s localapi.SearchSnippet, on, off string) string {
	var b strings.Builder
	at := 0
	for _, r := range s.Ranges {
		if r[0] < at || r[1] > len(s.Text) || r[0] > r[1] {
			break // not from our API: print the rest unmarked
		}
		b.WriteString(clean(s.Text[at:r[0]]))
		b.WriteString(on + clean(s.Text[r[0]:r[1]]) + off)
		at = r[1]
	}
	b.WriteString(clean(s.Text[at:]))
	return b.String()
}

// chatArg resolves --chat: an account ID or contact name, else a group ID
// or name; it returns the ID's text form.
func (a *app) chatArg(arg string) (string, error) {
	id, aerr := a.accountArg(arg)
	if aerr == nil {
		return id.String(), nil
	}
	g, gerr := a.groupArg(arg)
	if gerr == nil {
		return g, nil
	}
	return "", fmt.Errorf("--chat %q is neither an account nor a group: %v; %v", arg, aerr, gerr)
}

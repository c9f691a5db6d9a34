package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"slices"

	"github.com/pigeon-net/pigeon/node/localapi"
)

func exportFlags(fs *flag.FlagSet) {
	fs.String("format", "jsonl", "the export's `FORMAT`: jsonl (one message as JSON per line)")
	fs.String("out", "", "write to `FILE` (made readable by you only; never replaced) instead of stdout")
}

// exportWarning is printed before every export.
const exportWarning = "warning: this export is NOT encrypted: anyone who gets it reads your messages. Keep it safe, and delete it when you are done (backups: pigeon backup)"

// exportPage is how many messages one history request of the export asks.
const exportPage = 1000

// cmdExport writes the history of every chat (1:1, groups, archived
// ones and message requests), oldest first within each chat, as JSON
// lines: each line a message as GET /v1/conversations/{a}/messages gives
// it.
func cmdExport(a *app, fs *flag.FlagSet, args []string) error {
	if err := wantArgs("export", args, 0, 0, ""); err != nil {
		return err
	}
	if f := flagValue[string](fs, "format"); f != "jsonl" {
		return usagef("export", "--format %q: jsonl is the only format", f)
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	out := a.stdout
	if path := flagValue[string](fs, "out"); path != "" {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			if errors.Is(err, os.ErrExist) {
				return fmt.Errorf("export: %s exists: choose another file (an export never replaces one)", path)
			}
			return fmt.Errorf("export: %w", err)
		}
		defer f.Close()
		out = f
	}
	fmt.Fprintln(a.stderr, exportWarning)
	var chats []localapi.Conversation
	for _, path := range []string{"/v1/conversations", "/v1/conversations?archived=true", "/v1/requests"} {
		var cs []localapi.Conversation
		if err := c.do(a.ctx, "GET", path, nil, &cs); err != nil {
			return err
		}
		chats = append(chats, cs...)
	}
	w := bufio.NewWriter(out)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	total := 0
	for _, ch := range chats {
		base := "/v1/conversations/" + ch.Peer + "/messages"
		if ch.Group != "" {
			base = "/v1/groups/" + ch.Group + "/messages"
		}
		msgs, err := a.wholeHistory(c, base)
		if err != nil {
			return err
		}
		for _, m := range msgs {
			if err := enc.Encode(m); err != nil {
				return fmt.Errorf("export: %w", err)
			}
		}
		total += len(msgs)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if f, ok := out.(*os.File); ok && out != a.stdout {
		if err := f.Sync(); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	fmt.Fprintf(a.stderr, "exported %d messages of %d chats\n", total, len(chats))
	return nil
}

// wholeHistory reads a chat's history page by page, newest pages first,
// and returns it oldest first.
func (a *app) wholeHistory(c *client, base string) ([]localapi.Message, error) {
	var pages [][]localapi.Message
	before := ""
	for {
		q := url.Values{"limit": {fmt.Sprint(exportPage)}}
		if before != "" {
			q.Set("before", before)
		}
		var page []localapi.Message
		if err := c.do(a.ctx, "GET", base+"?"+q.Encode(), nil, &page); err != nil {
			return nil, err
		}
		if len(page) == 0 {
			break
		}
		pages = append(pages, page)
		if len(page) < exportPage {
			break
		}
		before = page[0].ID
	}
	slices.Reverse(pages)
	var out []localapi.Message
	for _, p := range pages {
		out = append(out, p...)
	}
	return out, nil
}

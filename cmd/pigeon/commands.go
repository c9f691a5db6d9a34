package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/chats"
	"github.com/pigeon-net/pigeon/node/localapi"
	"github.com/pigeon-net/pigeon/storage"
)

// wantArgs checks the number of positional arguments.
func wantArgs(verb string, args []string, min, max int, synopsis string) error {
	if len(args) < min || (max >= 0 && len(args) > max) {
		if synopsis == "" {
			return usagef(verb, "takes no arguments")
		}
		return usagef(verb, "want %s", synopsis)
	}
	return nil
}

// printJSON writes v as indented JSON on stdout.
func (a *app) printJSON(v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(a.stdout, "%s\n", b)
	return err
}

func (a *app) table() *tabwriter.Writer { return tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0) }

// clean makes peer-supplied text safe for a terminal: control characters
// (escape sequences, newlines) and bidirectional overrides are shown
// escaped instead of acting on the terminal.
func clean(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == utf8.RuneError, unicode.IsControl(r), unicode.Is(unicode.Bidi_Control, r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// preview shortens text for one-line listings.
func preview(s string, n int) string {
	s = clean(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func formatTime(t time.Time) string { return t.Local().Format("2006-01-02 15:04:05") }

func cmdInit(a *app, fs *flag.FlagSet, args []string) error {
	if err := wantArgs("init", args, 0, 0, ""); err != nil {
		return err
	}
	if code := flagValue[string](fs, "link"); code != "" {
		return a.cmdInitLink(fs, code)
	}
	if from := flagValue[string](fs, "restore"); from != "" {
		return a.cmdInitRestore(fs, from)
	}
	if flagValue[string](fs, "name") != "" {
		return usagef("init", "--name goes with --link")
	}
	// A running daemon holds the store's lock; ask it instead.
	if c, err := a.client(); err == nil {
		var info localapi.Info
		err := c.do(a.ctx, "GET", "/v1/info", nil, &info)
		if err == nil {
			fmt.Fprintf(a.stderr, "already initialised: %s (daemon running)\n", a.home)
			fmt.Fprintln(a.stdout, info.Account)
			return nil
		}
		if notSetUp(err) {
			return a.setupCreate(c)
		}
	}
	id, created, err := node.Init(a.home)
	if err != nil {
		return fmt.Errorf("init %s: %w", a.home, err)
	}
	if created {
		fmt.Fprintf(a.stderr, "created account in %s\n", a.home)
	} else {
		fmt.Fprintf(a.stderr, "already initialised: %s\n", a.home)
	}
	fmt.Fprintln(a.stdout, id)
	return nil
}

func cmdID(a *app, _ *flag.FlagSet, args []string) error {
	if err := wantArgs("id", args, 0, 0, ""); err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	var info localapi.Info
	if err := c.do(a.ctx, "GET", "/v1/info", nil, &info); err != nil {
		return err
	}
	if a.json {
		return a.printJSON(info)
	}
	w := a.table()
	fmt.Fprintf(w, "account\t%s\n", info.Account)
	fmt.Fprintf(w, "device\t%d\n", info.Device)
	fmt.Fprintf(w, "peer ID\t%s\n", info.PeerID)
	for _, addr := range info.Addrs {
		fmt.Fprintf(w, "addr\t%s\n", addr)
	}
	return w.Flush()
}

func cmdSend(a *app, fs *flag.FlagSet, args []string) error {
	if g := flagValue[string](fs, "group"); g != "" {
		if path := flagValue[string](fs, "file"); path != "" {
			if err := wantArgs("send", args, 0, 0, "--group GROUP --file PATH"); err != nil {
				return err
			}
			id, err := a.groupArg(g)
			if err != nil {
				return err
			}
			return a.cmdSendFile(fs, url.Values{"group": {id}}, path)
		}
		if err := wantArgs("send", args, 1, -1, "--group GROUP TEXT"); err != nil {
			return err
		}
		text, err := a.messageText(args, "--group "+g)
		if err != nil {
			return err
		}
		id, err := a.groupArg(g)
		if err != nil {
			return err
		}
		reply, err := replyTo(fs)
		if err != nil {
			return err
		}
		return a.groupSend(id, text, reply)
	}
	if path := flagValue[string](fs, "file"); path != "" {
		if err := wantArgs("send", args, 1, 1, "ACCOUNT --file PATH"); err != nil {
			return err
		}
		to, err := a.accountArg(args[0])
		if err != nil {
			return err
		}
		return a.cmdSendFile(fs, url.Values{"to": {to.String()}}, path)
	}
	if flagValue[string](fs, "caption") != "" || flagValue[string](fs, "thumbnail") != "" {
		return usagef("send", "--caption and --thumbnail go with --file")
	}
	if err := wantArgs("send", args, 2, -1, "ACCOUNT TEXT"); err != nil {
		return err
	}
	text, err := a.messageText(args[1:], args[0])
	if err != nil {
		return err
	}
	to, err := a.accountArg(args[0])
	if err != nil {
		return err
	}
	reply, err := replyTo(fs)
	if err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	var resp localapi.SendResponse
	if err := c.do(a.ctx, "POST", "/v1/messages", localapi.SendRequest{To: to.String(), Text: text, ReplyTo: reply}, &resp); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, resp.ID)
	return nil
}

// messageText is the text of send: the words given, or stdin for "-" (one
// trailing newline dropped). chat is how the command line named the chat,
// for the advice to send a long text as a file.
func (a *app) messageText(args []string, chat string) (string, error) {
	stdin := len(args) == 1 && args[0] == "-"
	text := strings.Join(args, " ")
	if stdin {
		b, err := io.ReadAll(io.LimitReader(a.stdin, chats.MaxTextSize+2))
		if err != nil {
			return "", fmt.Errorf("read the text from stdin: %w", err)
		}
		text = strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	}
	switch {
	case text == "":
		return "", usagef("send", "empty text: give the text to send, or - to read it from stdin")
	case len(text) > chats.MaxTextSize && stdin:
		return "", fmt.Errorf("the text on stdin is over the limit of %d bytes: send it as a file with `pigeon send %s --file PATH`", chats.MaxTextSize, chat)
	case len(text) > chats.MaxTextSize:
		return "", fmt.Errorf("the text is %d bytes, over the limit of %d: send it as a file with `pigeon send %s --file PATH`", len(text), chats.MaxTextSize, chat)
	case !utf8.ValidString(text):
		return "", errors.New("the text is not valid UTF-8: send it as a file with --file instead")
	}
	return text, nil
}

func historyFlags(fs *flag.FlagSet) {
	fs.Int("limit", 50, "show at most `N` messages (1 to 1000)")
	fs.String("before", "", "show messages older than message `ID` (see --ids)")
	fs.Bool("ids", false, "show each message's ID (for --before, media get, ...)")
	groupFlag(fs)
}

func cmdHistory(a *app, fs *flag.FlagSet, args []string) error {
	limit := flagValue[int](fs, "limit")
	if limit < 1 || limit > 1000 {
		return usagef("history", "--limit must be 1 to 1000")
	}
	ids := flagValue[bool](fs, "ids")
	if g := flagValue[string](fs, "group"); g != "" {
		if err := wantArgs("history", args, 0, 0, ""); err != nil {
			return err
		}
		q, err := historyQuery(limit, flagValue[string](fs, "before"))
		if err != nil {
			return err
		}
		id, err := a.groupArg(g)
		if err != nil {
			return err
		}
		return a.groupHistory(id, q, ids)
	}
	if err := wantArgs("history", args, 1, 1, "ACCOUNT"); err != nil {
		return err
	}
	q, err := historyQuery(limit, flagValue[string](fs, "before"))
	if err != nil {
		return err
	}
	peer, err := a.accountArg(args[0])
	if err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	var msgs []localapi.Message
	if err := c.do(a.ctx, "GET", "/v1/conversations/"+peer.String()+"/messages?"+q.Encode(), nil, &msgs); err != nil {
		return err
	}
	if a.json {
		return a.printJSON(msgs)
	}
	w := a.table()
	for _, m := range msgs {
		text := clean(m.Text)
		if m.Media != nil {
			text = strings.TrimSpace(fmt.Sprintf("[%s, %d bytes, %s: pigeon media get %s] %s", clean(m.Media.Name), m.Media.Size, m.Media.State, m.ID, text))
		}
		a.historyLine(w, ids, m, m.Direction, quoted(m)+text)
	}
	return w.Flush()
}

// historyLine writes one message of a history table (time, its ID with
// --ids, from, state, text) and, under a pending one, why it waits.
func (a *app) historyLine(w io.Writer, ids bool, m localapi.Message, from, text string) {
	id := ""
	if ids {
		id = m.ID + "\t"
	}
	text = expiryText(m, from, text)
	fmt.Fprintf(w, "%s\t%s%s\t%s\t%s%s\n", formatTime(m.SentAt), id, from, m.State, text, actionNote(m))
	if m.Pending != nil {
		why := "↳ " + clean(m.Pending.Reason)
		if !m.Pending.NextAttempt.IsZero() {
			why += "; " + nextTry(m.Pending.NextAttempt)
		}
		fmt.Fprintf(w, "\t%s\t\t%s\n", strings.Repeat("\t", strings.Count(id, "\t")), why)
	}
}

// nextTry says when the outbox tries again, relative to now.
func nextTry(at time.Time) string {
	d := time.Until(at).Round(time.Second)
	if d <= 0 {
		return "trying again now"
	}
	return "next try in " + d.String()
}

// historyQuery is the query of a history page.
func historyQuery(limit int, before string) (url.Values, error) {
	q := url.Values{"limit": {strconv.Itoa(limit)}}
	if before != "" {
		if _, err := storage.ParseMessageID(before); err != nil {
			return nil, usagef("history", "--before: want a message ID (32 hex characters; --ids shows them)")
		}
		q.Set("before", before)
	}
	return q, nil
}

func cmdTyping(a *app, fs *flag.FlagSet, args []string) error {
	active := true
	if g := flagValue[string](fs, "group"); g != "" {
		if err := wantArgs("typing", args, 0, 1, "--group GROUP [on|off]"); err != nil {
			return err
		}
		if len(args) == 1 && args[0] == "off" {
			active = false
		} else if len(args) == 1 && args[0] != "on" {
			return usagef("typing", "argument must be on or off, not %q", args[0])
		}
		id, err := a.groupArg(g)
		if err != nil {
			return err
		}
		c, err := a.client()
		if err != nil {
			return err
		}
		return c.do(a.ctx, "POST", "/v1/groups/"+id+"/typing", localapi.TypingRequest{Active: active}, nil)
	}
	if len(args) == 2 {
		switch args[1] {
		case "on":
		case "off":
			active = false
		default:
			return usagef("typing", "second argument must be on or off, not %q", args[1])
		}
		args = args[:1]
	}
	c, peer, err := a.accountVerb("typing", args)
	if err != nil {
		return err
	}
	return c.do(a.ctx, "POST", "/v1/conversations/"+peer.String()+"/typing", localapi.TypingRequest{Active: active}, nil)
}

func cmdRead(a *app, fs *flag.FlagSet, args []string) error {
	var resp localapi.MarkReadResponse
	if g := flagValue[string](fs, "group"); g != "" {
		if err := wantArgs("read", args, 0, 0, ""); err != nil {
			return err
		}
		id, err := a.groupArg(g)
		if err != nil {
			return err
		}
		c, err := a.client()
		if err != nil {
			return err
		}
		if err := c.do(a.ctx, "POST", "/v1/groups/"+id+"/read", nil, &resp); err != nil {
			return err
		}
		fmt.Fprintln(a.stdout, resp.Marked)
		return nil
	}
	c, peer, err := a.accountVerb("read", args)
	if err != nil {
		return err
	}
	if err := c.do(a.ctx, "POST", "/v1/conversations/"+peer.String()+"/read", nil, &resp); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, resp.Marked)
	return nil
}

func cmdConversations(a *app, fs *flag.FlagSet, args []string) error {
	if err := wantArgs("conversations", args, 0, 0, ""); err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	path := "/v1/conversations"
	if flagValue[bool](fs, "archived") {
		path += "?archived=true"
	}
	var convs []localapi.Conversation
	if err := c.do(a.ctx, "GET", path, nil, &convs); err != nil {
		return err
	}
	if a.json {
		return a.printJSON(convs)
	}
	w := a.table()
	for _, cv := range convs {
		kind, name := "chat", who(cv.Peer, cv.Name)
		if cv.Group != "" {
			kind, name = "group", who(cv.Group, cv.Name)
		}
		fmt.Fprintf(w, "%s\t%s\t%d unread\t%s\t%s\t%s\n", preview(name, 32), kind, cv.Unread, prefsSummary(cv.Pinned, cv.MutedUntil, cv.Archived), formatTime(cv.Last.SentAt), preview(cv.Last.Text, 50))
	}
	return w.Flush()
}

func cmdContacts(a *app, _ *flag.FlagSet, args []string) error {
	sub := "list"
	if len(args) > 0 {
		sub, args = args[0], args[1:]
	}
	verb := "contacts " + sub
	var method, suffix string
	var body any
	switch sub {
	case "list":
		if err := wantArgs(verb, args, 0, 0, ""); err != nil {
			return err
		}
		return a.listContacts()
	case "add":
		if err := wantArgs(verb, args, 2, -1, "ACCOUNT NAME"); err != nil {
			return err
		}
		method, body = "PUT", localapi.ContactRequest{Name: strings.Join(args[1:], " ")}
	case "remove", "rm":
		if err := wantArgs(verb, args, 1, 1, "ACCOUNT"); err != nil {
			return err
		}
		sub, method = "remove", "DELETE"
	case "verify":
		if err := wantArgs(verb, args, 1, 1, "ACCOUNT"); err != nil {
			return err
		}
		method, suffix = "POST", "/verify"
	default:
		return usagef("contacts", "unknown subcommand %q (want list, add, remove (rm) or verify)", sub)
	}
	// add takes an ID for a new contact, or a name or ID prefix to rename one.
	account, err := a.accountArg(args[0])
	if err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	if err := c.do(a.ctx, method, "/v1/contacts/"+account.String()+suffix, body, nil); err != nil {
		return err
	}
	switch sub {
	case "add":
		fmt.Fprintf(a.stderr, "saved contact %s\n", account.Short())
	case "remove":
		fmt.Fprintf(a.stderr, "removed contact %s (history is kept)\n", account.Short())
	case "verify":
		fmt.Fprintf(a.stderr, "marked %s as verified\n", account.Short())
	}
	return nil
}

func (a *app) listContacts() error {
	c, err := a.client()
	if err != nil {
		return err
	}
	var contacts []localapi.Contact
	if err := c.do(a.ctx, "GET", "/v1/contacts", nil, &contacts); err != nil {
		return err
	}
	if a.json {
		return a.printJSON(contacts)
	}
	w := a.table()
	for _, ct := range contacts {
		status := "unverified"
		switch {
		case !ct.IdentityChangedAt.IsZero():
			status = "IDENTITY CHANGED " + formatTime(ct.IdentityChangedAt)
		case ct.Verified:
			status = "verified"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", ct.Account, preview(ct.Name, 32), status)
	}
	return w.Flush()
}

func cmdSafetyNumber(a *app, _ *flag.FlagSet, args []string) error {
	c, account, err := a.accountVerb("safety-number", args)
	if err != nil {
		return err
	}
	var resp localapi.SafetyNumberResponse
	if err := c.do(a.ctx, "GET", "/v1/contacts/"+account.String()+"/safety-number", nil, &resp); err != nil {
		return err
	}
	if a.json {
		return a.printJSON(resp)
	}
	fmt.Fprintln(a.stdout, groupDigits(resp.SafetyNumber))
	return nil
}

// groupDigits splits a safety number into groups of five, as people read
// them out to each other.
func groupDigits(s string) string {
	var groups []string
	for len(s) > 5 {
		groups = append(groups, s[:5])
		s = s[5:]
	}
	return strings.Join(append(groups, s), " ")
}

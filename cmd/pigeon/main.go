// Command pigeon runs a Pigeon node and talks to it.
//
// "pigeon daemon" runs the node in the foreground and serves the local API
// on loopback; the other verbs are clients of that API. Data goes to
// stdout, messages and errors to stderr; read commands take --json for
// output meant for programs (full IDs, names beside them, times in UTC RFC
// 3339). Exit status is 0 on success, 1 on error and 2 on a usage error;
// an error is one line that says what to do next.
//
// An ACCOUNT argument is an account ID, a contact's name or the start of a
// known account ID (names.go); text output names accounts and groups by
// their names, with short IDs where there is none. "pigeon help VERB SUB"
// explains a subcommand; "pigeon" alone prints the usage.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
)

const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

// app holds what every verb shares: the streams, the global flags, a
// context cancelled by SIGINT or SIGTERM, and what was read from the daemon
// once per command.
type app struct {
	ctx            context.Context
	stdin          io.Reader
	stdout, stderr io.Writer
	home           string
	homeSet        bool // --home was given
	json           bool
	api            *client   // see client
	ids            *knownIDs // see known
}

// command is one verb.
type command struct {
	name    string
	aliases []string
	args    string // synopsis after the verb, e.g. "ACCOUNT TEXT"
	summary string
	json    bool // takes --json
	run     func(a *app, fs *flag.FlagSet, args []string) error
	setup   func(fs *flag.FlagSet) // extra flags, read back with flagValue; may be nil
	subs    []subcommand           // for help: the verb's subcommands, if it has any
}

// subcommand is one subcommand of a verb, for `pigeon help VERB SUB`.
type subcommand struct {
	name    string
	aliases []string
	args    string
	summary string
}

// sub returns the subcommand of c called name (or an alias), or nil.
func (c *command) sub(name string) *subcommand {
	for i := range c.subs {
		if c.subs[i].name == name || slices.Contains(c.subs[i].aliases, name) {
			return &c.subs[i]
		}
	}
	return nil
}

var commands []*command

func init() {
	commands = []*command{
		{name: "init", args: "[--link CODE [--name NAME] | --restore FROM]", summary: "create the account in the home directory, or (--link) make this home a new device of an existing account and get its history, or (--restore) make it a new device of the account in the backups at FROM (key from stdin)", run: cmdInit, setup: initFlags},
		{name: "export", args: "[--format jsonl] [--out FILE]", summary: "write the history of every chat, unencrypted, one message as JSON per line (warns; for backups see pigeon backup)", run: cmdExport, setup: exportFlags},
		{name: "backup", args: "[status | init --to DIR|s3://BUCKET/PREFIX | confirm | now | verify [--full] | list | check-key]", summary: "end-to-end encrypted backups of the account to a folder or an S3 bucket: set up, run, verify, list, re-check the key", json: true, run: cmdBackup, setup: backupFlags, subs: backupSubs},
		{name: "daemon", args: "[--setup]", summary: "run the node in the foreground and serve the local API; with --setup, a new home gets no account until the web UI creates one or links this device to an existing account", run: cmdDaemon, setup: daemonFlags},
		{name: "id", summary: "show this node's account ID, device, peer ID and addresses", json: true, run: cmdID},
		{name: "status", summary: "show peers, DHT, relays and reservations, reachability, and pending messages with why they wait", json: true, run: cmdStatus},
		{name: "send", args: "ACCOUNT TEXT | ACCOUNT - | ACCOUNT --file PATH [--caption TEXT] | --group GROUP TEXT | --group GROUP - | --group GROUP --file PATH (each with [--reply-to ID])", summary: "send a text message (- reads it from stdin) or a file, or (--reply-to) a reply quoting a message of the chat; prints the message ID", run: cmdSend, setup: sendFlags},
		{name: "history", args: "ACCOUNT | --group GROUP", summary: "show messages with ACCOUNT (or in GROUP) and their states, oldest first; pending ones say why they wait", json: true, run: cmdHistory, setup: historyFlags},
		{name: "edit", args: "MESSAGE_ID TEXT", summary: "replace the text of a message you sent, for everyone (within 24 hours, at most 10 times)", run: cmdEdit},
		{name: "versions", args: "MESSAGE_ID", summary: "list an edited message's versions, oldest first", json: true, run: cmdVersions},
		{name: "delete", args: "MESSAGE_ID [--for-everyone]", summary: "delete a message on your devices, or for everyone in the chat", run: cmdDelete, setup: deleteFlags},
		{name: "react", args: "MESSAGE_ID EMOJI | MESSAGE_ID --remove", summary: "react to a message with one emoji (replacing your reaction), or remove it", run: cmdReact, setup: reactFlags},
		{name: "search", args: "[--chat CHAT] [--relevance] QUERY", summary: "search the messages of every chat (or one) for words: prints time, chat, sender and the matching part with the matches marked", json: true, run: cmdSearch, setup: searchFlags},
		{name: "read", args: "ACCOUNT | --group GROUP", summary: "mark the conversation read; prints how many messages changed", run: cmdRead, setup: groupFlag},
		{name: "timer", args: "ACCOUNT [DURATION|off] | --group GROUP [DURATION|off] | --default [DURATION|off]", summary: "show or set a chat's disappearing-messages timer (30s to 365d: 5m, 1h, 8h, 1d, 1w, 4w; off), or the default of new chats", json: true, run: cmdTimer, setup: timerFlags},
		{name: "typing", args: "ACCOUNT [on|off] | --group GROUP [on|off]", summary: "tell ACCOUNT (or GROUP) you are typing (on, the default) or stopped; repeat every few seconds", run: cmdTyping, setup: groupFlag},
		{name: "media", args: "get MESSAGE_ID [--out DIR|FILE] [--force] [--wait DURATION] | list ACCOUNT | list --group GROUP | info MESSAGE_ID | rm MESSAGE_ID | auto [ACCOUNT] [BYTES]", summary: "download a file, list the files of a chat, or set how large a file is fetched on arrival", json: true, run: cmdMedia, setup: mediaFlags, subs: mediaSubs},
		{name: "watch", summary: "print events as they happen, until interrupted", json: true, run: cmdWatch},
		{name: "web", summary: "open the web client: print a one-time login link and open it in your browser (--no-open: print only)", json: true, run: cmdWeb, setup: webFlags},
		{name: "conversations", aliases: []string{"chats"}, args: "[--archived]", summary: "list conversations: pinned first, then most recent first; archived ones only with --archived", json: true, run: cmdConversations, setup: conversationsFlags},
		{name: "pin", args: "ACCOUNT | --group GROUP", summary: "pin the conversation to the top of the list, on every device of this account", json: true, run: chatPrefs("pin"), setup: prefsFlags},
		{name: "unpin", args: "ACCOUNT | --group GROUP", summary: "unpin the conversation", json: true, run: chatPrefs("unpin"), setup: prefsFlags},
		{name: "mute", args: "ACCOUNT [--for DURATION] | --group GROUP [--for DURATION]", summary: "mute the conversation (for ever, or for DURATION): clients show no notifications for it; push wake-ups still come", json: true, run: chatPrefs("mute"), setup: muteFlags},
		{name: "unmute", args: "ACCOUNT | --group GROUP", summary: "unmute the conversation", json: true, run: chatPrefs("unmute"), setup: prefsFlags},
		{name: "archive", args: "ACCOUNT | --group GROUP", summary: "archive the conversation: it leaves the list (see conversations --archived) and stays archived when messages arrive", json: true, run: chatPrefs("archive"), setup: prefsFlags},
		{name: "unarchive", args: "ACCOUNT | --group GROUP", summary: "bring an archived conversation back to the list", json: true, run: chatPrefs("unarchive"), setup: prefsFlags},
		{name: "group", args: groupSynopsis, summary: "list, create, join or change groups", json: true, run: cmdGroup, setup: groupFlags, subs: groupSubs},
		{name: "contacts", args: "[list | add ACCOUNT NAME | remove (rm) ACCOUNT | verify ACCOUNT]", summary: "list or change contacts", json: true, run: cmdContacts, subs: contactsSubs},
		{name: "devices", args: "[list | link | rename ID NAME | revoke ID]", summary: "list this account's devices, link a new one, rename or revoke one", json: true, run: cmdDevices, subs: devicesSubs},
		{name: "profile", args: "[show [ACCOUNT] | set --name NAME [--avatar FILE|none]]", summary: "show your profile or another account's, or set your display name and avatar", json: true, run: cmdProfile, setup: profileFlags, subs: profileSubs},
		{name: "requests", args: "[list | delete (rm) ACCOUNT]", summary: "list message requests (chats started by accounts that are not contacts), or delete one with its messages", json: true, run: cmdRequests},
		{name: "accept", args: "ACCOUNT [--name NAME]", summary: "accept a message request: the account becomes a contact", run: cmdAccept, setup: acceptFlags},
		{name: "block", args: "ACCOUNT", summary: "block an account on all your devices: its messages are dropped, it cannot add you to groups", run: cmdBlock},
		{name: "unblock", args: "ACCOUNT", summary: "unblock an account", run: cmdUnblock},
		{name: "blocked", summary: "list blocked accounts", json: true, run: cmdBlocked},
		{name: "safety-number", args: "ACCOUNT", summary: "show the safety number to compare with ACCOUNT", json: true, run: cmdSafetyNumber},
		{name: "presence", args: "ACCOUNT | privacy [everyone|contacts|nobody]", summary: "show whether ACCOUNT is online (or its last seen), or show or set who sees yours", json: true, run: cmdPresence, subs: presenceSubs},
		{name: "push", args: "[status] | unifiedpush URL | webhook URL | fcm TOKEN | apns TOKEN TOPIC [sandbox] | off", summary: "show or set where your relays send content-free wake-ups while you are away, and whether each accepted it", json: true, run: cmdPush},
		{name: "relays", args: "[list | add MULTIADDR [INVITE] | remove (rm) PEER_ID | rotate-secret]", summary: "list the node's relays with reservation and latency, add or remove one, or rotate the secret contacts deposit with", json: true, run: cmdRelays, subs: relaysSubs},
		{name: "relay", summary: "run a relay (DHT server, bootstrap peer, circuit relay) in the foreground", run: cmdRelay, setup: relayFlags},
		{name: "version", summary: "show the version and source revision of this binary", json: true, run: cmdVersion},
		{name: "help", args: "[VERB [SUBCOMMAND]]", summary: "show help for pigeon, a verb or one of its subcommands", run: nil},
	}
}

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
		for _, al := range c.aliases {
			if al == name {
				return c
			}
		}
	}
	return nil
}

// usageError is a mistake in the command line; it exits with status 2.
type usageError struct {
	verb string // "" for the global flags
	msg  string
}

func (e *usageError) Error() string {
	if e.verb == "" {
		return fmt.Sprintf("pigeon: %s (see 'pigeon help')", e.msg)
	}
	return fmt.Sprintf("pigeon %s: %s (see 'pigeon help %s')", e.verb, e.msg, e.verb)
}

func usagef(verb, format string, args ...any) error {
	return &usageError{verb: verb, msg: fmt.Sprintf(format, args...)}
}

// run is the whole program, minus os.Exit.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := &app{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr}
	return a.exit(a.dispatch(args))
}

// exit prints err as one line and maps it to an exit status.
func (a *app) exit(err error) int {
	var ue *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintln(a.stderr, ue.Error())
		return exitUsage
	case errors.Is(err, errNotRunning):
		fmt.Fprintln(a.stderr, "pigeon: "+a.notRunning())
		return exitError
	default:
		fmt.Fprintln(a.stderr, "pigeon: "+oneLine(err.Error()))
		return exitError
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func (a *app) dispatch(args []string) error {
	fs := flag.NewFlagSet("pigeon", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&a.home, "home", "", "")
	fs.BoolVar(&a.json, "json", false, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			a.printHelp(a.stdout)
			return err
		}
		return usagef("", "%v", err)
	}
	args = fs.Args()
	if len(args) == 0 { // bare `pigeon`: what it can do
		a.printHelp(a.stdout)
		return nil
	}
	name, args := args[0], args[1:]
	if name == "help" {
		return a.help(args)
	}
	c := lookup(name)
	if c == nil {
		return usagef("", "unknown verb %q", name)
	}
	vfs := a.flagSet(c)
	if c.setup != nil {
		c.setup(vfs)
	}
	pos, err := parseInterspersed(vfs, args)
	if errors.Is(err, flag.ErrHelp) {
		a.printVerbHelp(c, vfs, pos)
		return err
	}
	if err != nil {
		return usagef(c.name, "%v", err)
	}
	a.homeSet = a.home != ""
	if a.home == "" {
		if a.home, err = defaultHome(); err != nil {
			return err
		}
	}
	return c.run(a, vfs, pos)
}

// flagSet returns c's flag set with the global flags, which may also follow
// the verb.
func (a *app) flagSet(c *command) *flag.FlagSet {
	fs := flag.NewFlagSet("pigeon "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&a.home, "home", a.home, "node home `directory` (default $PIGEON_HOME, else $XDG_DATA_HOME/pigeon or ~/.local/share/pigeon)")
	if c.json {
		fs.BoolVar(&a.json, "json", a.json, "print JSON for programs instead of text")
	}
	return fs
}

// parseInterspersed parses flags that may come before, between or after the
// positional arguments; everything after "--" is positional. On an error
// it returns the positional arguments read so far.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return pos, err
		}
		rest := fs.Args()
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// defaultHome is $PIGEON_HOME, else $XDG_DATA_HOME/pigeon, else
// ~/.local/share/pigeon.
func defaultHome() (string, error) {
	if h := os.Getenv("PIGEON_HOME"); h != "" {
		return h, nil
	}
	if x := os.Getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "pigeon"), nil
	}
	u, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no home directory: %w (use --home or $PIGEON_HOME)", err)
	}
	return filepath.Join(u, ".local", "share", "pigeon"), nil
}

func (a *app) printHelp(w io.Writer) {
	fmt.Fprintln(w, "Usage: pigeon [--home DIR] VERB [flags] [args]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Pigeon is a peer-to-peer messenger. 'pigeon daemon' runs the node; the other")
	fmt.Fprintln(w, "verbs talk to the running daemon.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Verbs:")
	for _, c := range commands {
		name := c.name
		if len(c.aliases) > 0 {
			name += " (" + strings.Join(c.aliases, ", ") + ")"
		}
		fmt.Fprintf(w, "  %-24s %s\n", name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Global flags (before or after the verb):")
	fmt.Fprintln(w, "  --home DIR   node home directory (default $PIGEON_HOME, else")
	fmt.Fprintln(w, "               $XDG_DATA_HOME/pigeon or ~/.local/share/pigeon)")
	fmt.Fprintln(w, "  --json       JSON output on read verbs")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Where a verb takes an ACCOUNT, a contact's name or the start of the account ID")
	fmt.Fprintln(w, "(8 characters or more) will do; a GROUP likewise takes the group's name.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'pigeon help VERB' (or 'pigeon VERB -h') for help on a verb.")
}

// printVerbHelp prints the help of verb c, or of its subcommand when the
// first positional argument names one.
func (a *app) printVerbHelp(c *command, fs *flag.FlagSet, pos []string) {
	w := a.stdout
	if len(pos) > 0 {
		if sc := c.sub(pos[0]); sc != nil {
			fmt.Fprintf(w, "Usage: pigeon %s %s [flags]", c.name, sc.name)
			if sc.args != "" {
				fmt.Fprintf(w, " %s", sc.args)
			}
			fmt.Fprintf(w, "\n\n%s.\n", strings.ToUpper(sc.summary[:1])+sc.summary[1:])
			if len(sc.aliases) > 0 {
				fmt.Fprintf(w, "Also: pigeon %s %s.\n", c.name, strings.Join(sc.aliases, ", "))
			}
			a.printFlags(fs)
			return
		}
	}
	fmt.Fprintf(w, "Usage: pigeon %s [flags]", c.name)
	if c.args != "" {
		fmt.Fprintf(w, " %s", c.args)
	}
	fmt.Fprintf(w, "\n\n%s.\n", strings.ToUpper(c.summary[:1])+c.summary[1:])
	if len(c.aliases) > 0 {
		fmt.Fprintf(w, "Also: %s.\n", strings.Join(c.aliases, ", "))
	}
	if len(c.subs) > 0 {
		fmt.Fprintln(w, "\nSubcommands ('pigeon help "+c.name+" SUBCOMMAND' for one):")
		for _, sc := range c.subs {
			name := sc.name
			if len(sc.aliases) > 0 {
				name += " (" + strings.Join(sc.aliases, ", ") + ")"
			}
			fmt.Fprintf(w, "  %-16s %s\n", name, sc.summary)
		}
	}
	a.printFlags(fs)
}

func (a *app) printFlags(fs *flag.FlagSet) {
	w := a.stdout
	fmt.Fprintln(w, "\nFlags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

func (a *app) help(args []string) error {
	if len(args) == 0 {
		a.printHelp(a.stdout)
		return nil
	}
	if len(args) > 2 {
		return usagef("help", "want VERB [SUBCOMMAND]")
	}
	c := lookup(args[0])
	switch {
	case c == nil:
		return usagef("help", "unknown verb %q", args[0])
	case c.name == "help":
		a.printHelp(a.stdout)
		return nil
	case len(args) == 2 && c.sub(args[1]) == nil:
		if len(c.subs) == 0 {
			return usagef("help", "pigeon %s has no subcommands", c.name)
		}
		return usagef("help", "pigeon %s has no subcommand %q", c.name, args[1])
	}
	fs := a.flagSet(c)
	if c.setup != nil {
		c.setup(fs)
	}
	a.printVerbHelp(c, fs, args[1:])
	return nil
}

// flagValue returns the value of a flag that setup defined.
func flagValue[T any](fs *flag.FlagSet, name string) T {
	return fs.Lookup(name).Value.(flag.Getter).Get().(T)
}

// Command pigeon runs a Pigeon node and talks to it.
//
// "pigeon daemon" runs the node in the foreground and serves the local API
// on loopback; the other verbs are clients of that API. Data goes to
// stdout, messages and errors to stderr; read commands take --json for
// output meant for programs. Exit status is 0 on success, 1 on error and 2
// on a usage error.
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
	"strings"
	"syscall"
)

const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// app holds what every verb shares: the output streams, the global flags
// and a context cancelled by SIGINT or SIGTERM.
type app struct {
	ctx            context.Context
	stdout, stderr io.Writer
	home           string
	json           bool
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
}

var commands []*command

func init() {
	commands = []*command{
		{name: "init", summary: "create the account in the home directory", run: cmdInit},
		{name: "daemon", summary: "run the node in the foreground and serve the local API", run: cmdDaemon, setup: daemonFlags},
		{name: "id", summary: "show this node's account ID, device, peer ID and addresses", json: true, run: cmdID},
		{name: "send", args: "ACCOUNT TEXT | ACCOUNT --file PATH [--caption TEXT] | --group GROUP TEXT | --group GROUP --file PATH", summary: "send a text message or a file; prints the message ID", run: cmdSend, setup: sendFlags},
		{name: "history", args: "ACCOUNT | --group GROUP", summary: "show messages with ACCOUNT (or in GROUP) and their states, oldest first", json: true, run: cmdHistory, setup: historyFlags},
		{name: "read", args: "ACCOUNT | --group GROUP", summary: "mark the conversation read; prints how many messages changed", run: cmdRead, setup: groupFlag},
		{name: "typing", args: "ACCOUNT [on|off] | --group GROUP [on|off]", summary: "tell ACCOUNT (or GROUP) you are typing (on, the default) or stopped; repeat every few seconds", run: cmdTyping, setup: groupFlag},
		{name: "media", args: "get MESSAGE_ID [--out DIR|FILE] [--force] [--wait DURATION] | list ACCOUNT | list --group GROUP | info MESSAGE_ID | rm MESSAGE_ID | auto [ACCOUNT] [BYTES]", summary: "download a file, list the files of a chat, or set how large a file is fetched on arrival", json: true, run: cmdMedia, setup: mediaFlags},
		{name: "watch", summary: "print events as they happen, until interrupted", json: true, run: cmdWatch},
		{name: "conversations", aliases: []string{"chats"}, summary: "list conversations, most recent first", json: true, run: cmdConversations},
		{name: "group", args: groupSynopsis, summary: "list, create, join or change groups", json: true, run: cmdGroup, setup: groupFlags},
		{name: "contacts", args: "[list | add ACCOUNT NAME | remove ACCOUNT | verify ACCOUNT]", summary: "list or change contacts", json: true, run: cmdContacts},
		{name: "safety-number", args: "ACCOUNT", summary: "show the safety number to compare with ACCOUNT", json: true, run: cmdSafetyNumber},
		{name: "presence", args: "ACCOUNT | privacy everyone|contacts|nobody", summary: "show whether ACCOUNT is online (or its last seen), or set who sees yours", json: true, run: cmdPresence},
		{name: "push", args: "unifiedpush URL | webhook URL | fcm TOKEN | apns TOKEN TOPIC [sandbox] | off", summary: "set where your relays send content-free wake-ups while you are away", run: cmdPush},
		{name: "relays", args: "[list | add MULTIADDR [INVITE] | remove PEER_ID]", summary: "list the node's relays with reservation and latency, or add or remove one", json: true, run: cmdRelays},
		{name: "relay", summary: "run a relay (DHT server, bootstrap peer, circuit relay) in the foreground", run: cmdRelay, setup: relayFlags},
		{name: "help", args: "[VERB]", summary: "show help for pigeon or one verb", run: nil},
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
	return fmt.Sprintf("pigeon %s: %s (see 'pigeon %s -h')", e.verb, e.msg, e.verb)
}

func usagef(verb, format string, args ...any) error {
	return &usageError{verb: verb, msg: fmt.Sprintf(format, args...)}
}

// run is the whole program, minus os.Exit.
func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := &app{ctx: ctx, stdout: stdout, stderr: stderr}
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
	if len(args) == 0 {
		return usagef("", "no verb given")
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
		a.printVerbHelp(c, vfs)
		return err
	}
	if err != nil {
		return usagef(c.name, "%v", err)
	}
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
// positional arguments; everything after "--" is positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
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
	fmt.Fprintln(w, "Run 'pigeon VERB -h' for help on a verb.")
}

func (a *app) printVerbHelp(c *command, fs *flag.FlagSet) {
	w := a.stdout
	fmt.Fprintf(w, "Usage: pigeon %s [flags]", c.name)
	if c.args != "" {
		fmt.Fprintf(w, " %s", c.args)
	}
	fmt.Fprintf(w, "\n\n%s.\n", strings.ToUpper(c.summary[:1])+c.summary[1:])
	if len(c.aliases) > 0 {
		fmt.Fprintf(w, "Also: %s.\n", strings.Join(c.aliases, ", "))
	}
	fmt.Fprintln(w, "\nFlags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

func (a *app) help(args []string) error {
	switch len(args) {
	case 0:
		a.printHelp(a.stdout)
		return nil
	case 1:
		c := lookup(args[0])
		if c == nil || c.name == "help" {
			if c != nil {
				a.printHelp(a.stdout)
				return nil
			}
			return usagef("help", "unknown verb %q", args[0])
		}
		fs := a.flagSet(c)
		if c.setup != nil {
			c.setup(fs)
		}
		a.printVerbHelp(c, fs)
		return nil
	}
	return usagef("help", "want at most one verb")
}

// flagValue returns the value of a flag that setup defined.
func flagValue[T any](fs *flag.FlagSet, name string) T {
	return fs.Lookup(name).Value.(flag.Getter).Get().(T)
}

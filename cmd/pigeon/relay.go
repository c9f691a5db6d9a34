package main

import (
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/pigeon-net/pigeon/node/localapi"
	"github.com/pigeon-net/pigeon/node/relay"
)

func relayFlags(fs *flag.FlagSet) {
	fs.Var(new(multiFlag), "listen", "listen `multiaddr` (repeatable; default TCP and QUIC on port 4518 of every interface)")
	fs.Var(new(multiFlag), "announce", "public `multiaddr` to advertise instead of the listen addresses (repeatable)")
	fs.Var(new(multiFlag), "bootstrap", "other relay `multiaddr` ending in /p2p/<peer ID> to join the DHT through (repeatable)")
	logFlags(fs)
}

// cmdRelay runs a relay in the foreground until interrupted. Its full
// addresses (what nodes pass to --relay and --bootstrap) go to HOME/addrs.
func cmdRelay(a *app, fs *flag.FlagSet, args []string) error {
	if err := wantArgs("relay", args, 0, 0, ""); err != nil {
		return err
	}
	logger, err := a.logger("relay", fs)
	if err != nil {
		return err
	}
	opts := []relay.Option{relay.WithHome(a.home), relay.WithLogger(logger)}
	if l := flagValue[[]string](fs, "listen"); len(l) > 0 {
		opts = append(opts, relay.WithListenAddrs(l...))
	}
	if l := flagValue[[]string](fs, "announce"); len(l) > 0 {
		opts = append(opts, relay.WithAnnounceAddrs(l...))
	}
	if l := flagValue[[]string](fs, "bootstrap"); len(l) > 0 {
		opts = append(opts, relay.WithBootstrap(l...))
	}
	r, err := relay.New(opts...)
	if err != nil {
		return err
	}
	if err := r.Start(a.ctx); err != nil {
		r.Close()
		return err
	}
	defer r.Close()
	var addrs strings.Builder
	for _, m := range r.Addrs() {
		addrs.WriteString(m.String() + "\n")
	}
	path := filepath.Join(a.home, addrsFile)
	if err := writeFileAtomic(path, []byte(addrs.String()), 0o644); err != nil {
		return err
	}
	defer os.Remove(path)
	logger.Info("relay running", "addrs", r.Addrs())
	<-a.ctx.Done()
	logger.Info("shutting down")
	return nil
}

// cmdRelays lists, adds or removes the node's relays.
func cmdRelays(a *app, _ *flag.FlagSet, args []string) error {
	sub := "list"
	if len(args) > 0 {
		sub, args = args[0], args[1:]
	}
	verb := "relays " + sub
	var err error
	switch sub {
	case "list":
		err = wantArgs(verb, args, 0, 0, "")
	case "add":
		err = wantArgs(verb, args, 1, 1, "MULTIADDR")
	case "remove":
		err = wantArgs(verb, args, 1, 1, "PEER_ID")
	default:
		err = usagef("relays", "unknown subcommand %q (want list, add or remove)", sub)
	}
	if err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	switch sub {
	case "add":
		if err := c.do(a.ctx, "POST", "/v1/relays", localapi.RelayRequest{Addr: args[0]}, nil); err != nil {
			return err
		}
		fmt.Fprintln(a.stderr, "added relay; `pigeon relays` shows when the reservation is held")
		return nil
	case "remove":
		if err := c.do(a.ctx, "DELETE", "/v1/relays/"+url.PathEscape(args[0]), nil, nil); err != nil {
			return err
		}
		fmt.Fprintln(a.stderr, "removed relay")
		return nil
	}
	var rs []localapi.Relay
	if err := c.do(a.ctx, "GET", "/v1/relays", nil, &rs); err != nil {
		return err
	}
	if a.json {
		return a.printJSON(rs)
	}
	w := a.table()
	for _, r := range rs {
		state := "no reservation"
		if r.Reserved {
			state = "reserved"
		}
		if r.LastError != "" && !r.Reserved {
			state += ": " + r.LastError
		}
		fmt.Fprintf(w, "%s\t%.2f ms\t%s\n", r.Addr, r.LatencyMS, clean(state))
	}
	return w.Flush()
}

// cmdPresence shows a contact's online state, or sets who sees ours.
func cmdPresence(a *app, _ *flag.FlagSet, args []string) error {
	if len(args) > 0 && args[0] == "privacy" {
		if err := wantArgs("presence privacy", args[1:], 1, 1, "everyone|contacts|nobody"); err != nil {
			return err
		}
		c, err := a.client()
		if err != nil {
			return err
		}
		if err := c.do(a.ctx, "PUT", "/v1/presence/privacy", localapi.PrivacyRequest{Who: args[1]}, nil); err != nil {
			return err
		}
		fmt.Fprintf(a.stderr, "presence visible to: %s\n", args[1])
		return nil
	}
	c, account, err := a.accountVerb("presence", args)
	if err != nil {
		return err
	}
	var p localapi.Presence
	if err := c.do(a.ctx, "GET", "/v1/presence/"+account.String(), nil, &p); err != nil {
		return err
	}
	if a.json {
		return a.printJSON(p)
	}
	if p.LastSeen != "" {
		fmt.Fprintf(a.stdout, "%s (last seen %s)\n", p.State, p.LastSeen)
	} else {
		fmt.Fprintln(a.stdout, p.State)
	}
	return nil
}

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
	"github.com/pigeon-net/pigeon/node/relay/push"
)

func relayFlags(fs *flag.FlagSet) {
	fs.Var(new(multiFlag), "listen", "listen `multiaddr` (repeatable; default TCP and QUIC on port 4518 of every interface)")
	fs.Var(new(multiFlag), "announce", "public `multiaddr` to advertise instead of the listen addresses (repeatable)")
	fs.Var(new(multiFlag), "bootstrap", "other relay `multiaddr` ending in /p2p/<peer ID> to join the DHT through (repeatable)")
	fs.Var(new(multiFlag), "invite", "serve invited accounts only: an invite `token` devices must present (repeatable)")
	fs.String("region", "", "the `region` this relay runs in (e.g. eu-west), told to devices so they spread their mailboxes over regions")
	fs.Bool("push", false, "wake away devices through their UnifiedPush/webhook endpoints (implied by the FCM and APNs flags)")
	fs.String("fcm-credentials", "", "Google service-account JSON `file` for FCM HTTP v1")
	fs.String("apns-key", "", "APNs token-auth .p8 `file`")
	fs.String("apns-key-id", "", "APNs key `ID`")
	fs.String("apns-team-id", "", "APNs team `ID`")
	fs.Var(new(multiFlag), "push-allow-private", "also push to UnifiedPush endpoints on these private `networks` (a self-hosted ntfy on your LAN): CIDR prefixes or addresses, comma-separated, or lan for all of 10/8, 172.16/12, 192.168/16 and fc00::/7 (repeatable; implies --push)")
	fs.Bool("push-allow-loopback", false, "also push to UnifiedPush endpoints on this machine's loopback (local development only; implies --push)")
	logFlags(fs)
}

// pushConfig builds the push configuration from the flags; nil when push is
// off.
func pushConfig(fs *flag.FlagSet) (*push.Config, error) {
	fcm := flagValue[string](fs, "fcm-credentials")
	apns := flagValue[string](fs, "apns-key")
	private := flagValue[[]string](fs, "push-allow-private")
	loopback := flagValue[bool](fs, "push-allow-loopback")
	if !flagValue[bool](fs, "push") && fcm == "" && apns == "" && len(private) == 0 && !loopback {
		return nil, nil
	}
	cfg := &push.Config{AllowLoopback: loopback}
	for _, v := range private {
		nets, err := push.ParseNetworks(v)
		if err != nil {
			return nil, usagef("relay", "--push-allow-private: %v", err)
		}
		cfg.AllowPrivate = append(cfg.AllowPrivate, nets...)
	}
	var err error
	if fcm != "" {
		if cfg.FCMServiceAccount, err = os.ReadFile(fcm); err != nil {
			return nil, fmt.Errorf("--fcm-credentials: %w", err)
		}
	}
	if apns != "" {
		if cfg.APNsKey, err = os.ReadFile(apns); err != nil {
			return nil, fmt.Errorf("--apns-key: %w", err)
		}
		cfg.APNsKeyID, cfg.APNsTeamID = flagValue[string](fs, "apns-key-id"), flagValue[string](fs, "apns-team-id")
		if cfg.APNsKeyID == "" || cfg.APNsTeamID == "" {
			return nil, usagef("relay", "--apns-key needs --apns-key-id and --apns-team-id")
		}
	}
	return cfg, nil
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
	if l := flagValue[[]string](fs, "invite"); len(l) > 0 {
		opts = append(opts, relay.WithInviteTokens(l...))
	}
	if r := flagValue[string](fs, "region"); r != "" {
		opts = append(opts, relay.WithRegion(r))
	}
	pc, err := pushConfig(fs)
	if err != nil {
		return err
	}
	if pc != nil {
		opts = append(opts, relay.WithPush(*pc))
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
		err = wantArgs(verb, args, 1, 2, "MULTIADDR [INVITE]")
	case "remove", "rm":
		sub, err = "remove", wantArgs(verb, args, 1, 1, "PEER_ID")
	case "rotate-secret":
		err = wantArgs(verb, args, 0, 0, "")
	default:
		err = usagef("relays", "unknown subcommand %q (want list, add, remove (rm) or rotate-secret)", sub)
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
		req := localapi.RelayRequest{Addr: args[0]}
		if len(args) == 2 {
			req.Invite = args[1]
		}
		if err := c.do(a.ctx, "POST", "/v1/relays", req, nil); err != nil {
			return err
		}
		fmt.Fprintln(a.stderr, "added relay; `pigeon relays` shows when the reservation is held, `pigeon status` the DHT it joined")
		return nil
	case "remove":
		if err := c.do(a.ctx, "DELETE", "/v1/relays/"+url.PathEscape(args[0]), nil, nil); err != nil {
			return err
		}
		fmt.Fprintln(a.stderr, "removed relay; its mailbox there is closed (`pigeon relays` shows it as closing until the relay can be reached)")
		return nil
	case "rotate-secret":
		if err := c.do(a.ctx, "POST", "/v1/relays/rotate-secret", nil, nil); err != nil {
			return err
		}
		fmt.Fprintln(a.stderr, "deposit secret rotated; contacts get the new one with your next message to each, the old one works until the next rotation")
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
		fmt.Fprintf(w, "%s\t%s\n", r.Addr, relayState(r))
	}
	return w.Flush()
}

// cmdPresence shows a contact's online state, or shows or sets who sees ours.
func cmdPresence(a *app, _ *flag.FlagSet, args []string) error {
	if len(args) > 0 && args[0] == "privacy" {
		return presencePrivacy(a, args[1:])
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
	line := who(p.Account, p.Name) + " is " + p.State
	if p.LastSeen != "" {
		line += " (last seen " + p.LastSeen + ")"
	}
	fmt.Fprintln(a.stdout, line)
	return nil
}

// presencePrivacy shows who sees our online state and last seen, or sets
// it to args[0].
func presencePrivacy(a *app, args []string) error {
	if err := wantArgs("presence privacy", args, 0, 1, "[everyone|contacts|nobody]"); err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	if len(args) == 0 {
		var p localapi.PrivacyRequest
		if err := c.do(a.ctx, "GET", "/v1/presence/privacy", nil, &p); err != nil {
			return err
		}
		if a.json {
			return a.printJSON(p)
		}
		fmt.Fprintf(a.stdout, "presence visible to: %s\n", p.Who)
		return nil
	}
	if err := c.do(a.ctx, "PUT", "/v1/presence/privacy", localapi.PrivacyRequest{Who: args[0]}, nil); err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "presence visible to: %s\n", args[0])
	return nil
}

// cmdPush sets or clears where this device's relays send wake-ups.
func cmdPush(a *app, _ *flag.FlagSet, args []string) error {
	if len(args) == 0 || args[0] == "status" {
		if len(args) > 0 {
			if err := wantArgs("push status", args[1:], 0, 0, ""); err != nil {
				return err
			}
		}
		return pushStatus(a)
	}
	var req localapi.PushRequest
	method := "PUT"
	switch kind, rest := args[0], args[1:]; kind {
	case "unifiedpush", "webhook":
		if err := wantArgs("push "+kind, rest, 1, 1, "URL"); err != nil {
			return err
		}
		req = localapi.PushRequest{Kind: kind, URL: rest[0]}
	case "fcm":
		if err := wantArgs("push fcm", rest, 1, 1, "TOKEN"); err != nil {
			return err
		}
		req = localapi.PushRequest{Kind: kind, Token: rest[0]}
	case "apns":
		if err := wantArgs("push apns", rest, 2, 3, "TOKEN TOPIC [sandbox]"); err != nil {
			return err
		}
		if len(rest) == 3 && rest[2] != "sandbox" {
			return usagef("push", "third apns argument must be sandbox, not %q", rest[2])
		}
		req = localapi.PushRequest{Kind: kind, Token: rest[0], Topic: rest[1], Sandbox: len(rest) == 3}
	case "off":
		if err := wantArgs("push off", rest, 0, 0, ""); err != nil {
			return err
		}
		method = "DELETE"
	default:
		return usagef("push", "unknown kind %q (want unifiedpush, webhook, fcm, apns or off)", kind)
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	var body any
	if method == "PUT" {
		body = req
	}
	if err := c.do(a.ctx, method, "/v1/push", body, nil); err != nil {
		return err
	}
	if method == "PUT" {
		fmt.Fprintln(a.stderr, "push endpoint saved; each relay says whether it will push there when the device registers it (now): see pigeon push status")
	} else {
		fmt.Fprintln(a.stderr, "push turned off")
	}
	return nil
}

// pushStatus prints the push endpoint (without its secrets) and what each
// relay did with it: accepted, or refused and why.
func pushStatus(a *app) error {
	c, err := a.client()
	if err != nil {
		return err
	}
	var st localapi.PushStatus
	if err := c.do(a.ctx, "GET", "/v1/push", nil, &st); err != nil {
		return err
	}
	if a.json {
		return a.printJSON(st)
	}
	if st.Endpoint == nil {
		fmt.Fprintln(a.stdout, "off")
		fmt.Fprintln(a.stderr, "no push endpoint: set one with pigeon push unifiedpush URL (or fcm, apns)")
		return nil
	}
	fmt.Fprintln(a.stdout, clean(st.Described))
	for _, r := range st.Relays {
		var line string
		switch r.State {
		case "accepted":
			line = "accepted by relay " + r.Addr
		case "refused":
			line = "refused by relay " + r.Addr + ": " + r.Reason
		case "pending":
			line = "pending at relay " + r.Addr + ": not registered there since the endpoint was set"
		case "unknown":
			line = "unknown at relay " + r.Addr + ": it does not say whether it pushes (an older relay)"
		default:
			line = r.State + " at relay " + r.Addr
		}
		fmt.Fprintln(a.stdout, clean(line))
	}
	if len(st.Relays) == 0 {
		fmt.Fprintln(a.stderr, "no relays to wake this device: add one with pigeon relays add MULTIADDR")
	}
	return nil
}

package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/pigeon-net/pigeon/node/expiry"
	"github.com/pigeon-net/pigeon/node/localapi"
)

func timerFlags(fs *flag.FlagSet) {
	groupFlag(fs)
	fs.Bool("default", false, "show or set the timer new chats start with")
}

// cmdTimer shows or sets a chat's disappearing-messages timer, or the
// default timer of new chats.
func cmdTimer(a *app, fs *flag.FlagSet, args []string) error {
	var path string
	switch g := flagValue[string](fs, "group"); {
	case flagValue[bool](fs, "default"):
		if err := wantArgs("timer", args, 0, 1, "--default [DURATION|off]"); err != nil {
			return err
		}
		path = "/v1/settings/default-timer"
	case g != "":
		if err := wantArgs("timer", args, 0, 1, "--group GROUP [DURATION|off]"); err != nil {
			return err
		}
		id, err := a.groupArg(g)
		if err != nil {
			return err
		}
		path = "/v1/groups/" + id + "/timer"
	default:
		if err := wantArgs("timer", args, 1, 2, "ACCOUNT [DURATION|off]"); err != nil {
			return err
		}
		peer, err := a.accountArg(args[0])
		if err != nil {
			return err
		}
		path = "/v1/conversations/" + peer.String() + "/timer"
		args = args[1:]
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	var t localapi.Timer
	if len(args) == 0 {
		if err := c.do(a.ctx, "GET", path, nil, &t); err != nil {
			return err
		}
	} else {
		d, err := expiry.Parse(args[0])
		if err != nil {
			return usagef("timer", "%v", err)
		}
		if err := c.do(a.ctx, "PUT", path, localapi.Timer{Seconds: int64(d / time.Second)}, &t); err != nil {
			return err
		}
	}
	if a.json {
		return a.printJSON(t)
	}
	fmt.Fprintf(a.stdout, "disappearing messages: %s\n", expiry.Format(time.Duration(t.Seconds)*time.Second))
	return nil
}

// expiryText is how a history line shows a notice (a timer or device
// change, prefixed with whose it is) or a disappearing message (text
// followed by its countdown).
func expiryText(m localapi.Message, from, text string) string {
	if m.Kind == "timer" || m.Kind == "device" {
		switch {
		case m.Direction == "out":
			from = "you"
		case from == "in":
			from = who(m.Sender, m.SenderName)
		}
		return "· " + from + " " + text + " ·"
	}
	if m.ExpireAfterS <= 0 {
		return text
	}
	after := time.Duration(m.ExpireAfterS) * time.Second
	if m.ExpiresAt == nil {
		return text + " [⏱ " + expiry.Format(after) + " after read]"
	}
	left := time.Until(*m.ExpiresAt).Truncate(time.Second)
	return text + " [⏱ " + max(left, 0).String() + " left]"
}

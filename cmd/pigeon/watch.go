package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"time"

	"github.com/coder/websocket"

	"github.com/pigeon-net/pigeon/node/localapi"
)

// maxEventFrame bounds one event frame; a message event carries at most
// chats.MaxTextSize of text plus metadata.
const maxEventFrame = 1 << 20

func cmdWatch(a *app, _ *flag.FlagSet, args []string) error {
	if err := wantArgs("watch", args, 0, 0, ""); err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	conn, resp, err := websocket.Dial(a.ctx, "ws://"+c.addr+"/v1/events", &websocket.DialOptions{
		HTTPHeader: http.Header{"Authorization": {"Bearer " + c.token}},
	})
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusUnauthorized {
			return errUnauthorized
		}
		if a.ctx.Err() != nil {
			return nil
		}
		return connError(c.addr, err)
	}
	defer conn.CloseNow()
	conn.SetReadLimit(maxEventFrame)
	fmt.Fprintln(a.stderr, "watching for events; interrupt to stop")
	for {
		_, b, err := conn.Read(a.ctx)
		if err != nil {
			if a.ctx.Err() != nil { // interrupted
				conn.Close(websocket.StatusNormalClosure, "")
				return nil
			}
			if websocket.CloseStatus(err) == websocket.StatusGoingAway {
				return errors.New("daemon stopped")
			}
			return fmt.Errorf("event stream: %w", err)
		}
		if a.json {
			var line bytes.Buffer
			if err := json.Compact(&line, b); err != nil {
				return fmt.Errorf("event stream: %w", err)
			}
			line.WriteByte('\n')
			if _, err := a.stdout.Write(line.Bytes()); err != nil {
				return err
			}
			continue
		}
		var ev localapi.Event
		if err := json.Unmarshal(b, &ev); err != nil {
			return fmt.Errorf("event stream: %w", err)
		}
		a.printEvent(ev)
	}
}

// printEvent prints ev as one line, naming accounts and groups by their
// names (short IDs where there is none). Every field is cleaned: the
// daemon is trusted, but the line must stay one line whatever it sends.
func (a *app) printEvent(ev localapi.Event) {
	now := time.Now().Format("15:04:05")
	grp := who(ev.Group, ev.GroupName)
	var line string
	switch ev.Type {
	case localapi.EventMessageReceived:
		if m := ev.Message; m != nil && m.Group != "" {
			line = fmt.Sprintf("group %s: message %s from %s: %s", who(m.Group, m.GroupName), m.ID, who(m.Sender, m.SenderName), m.Text)
		} else if m != nil {
			line = fmt.Sprintf("message %s from %s: %s", m.ID, who(m.Sender, m.SenderName), m.Text)
		}
	case localapi.EventMessageStateChanged:
		if ev.Group != "" {
			line = fmt.Sprintf("group %s: message %s: %s", grp, ev.ID, ev.State)
		} else {
			line = fmt.Sprintf("message %s to %s: %s", ev.ID, who(ev.Peer, ev.PeerName), ev.State)
		}
	case localapi.EventMessagePending:
		line = fmt.Sprintf("%d message(s) to %s pending: %s", len(ev.IDs), who(ev.Peer, ev.PeerName), ev.Reason)
	case localapi.EventReceipt:
		line = fmt.Sprintf("%s receipt from %s device %d for %d message(s)", ev.Kind, who(ev.From, ev.FromName), ev.Device, len(ev.IDs))
	case localapi.EventIdentityChanged:
		line = fmt.Sprintf("WARNING: %s device %d has new keys (a reinstall, or someone in between); compare your safety number with them (`pigeon safety-number %s`), then `pigeon contacts verify %s`",
			who(ev.Account, ev.AccountName), ev.Device, ev.Account, ev.Account)
	case localapi.EventContactChanged:
		if ev.Removed {
			line = fmt.Sprintf("contact %s removed", short(ev.Account))
		} else {
			line = fmt.Sprintf("contact %s saved as %q", short(ev.Account), ev.AccountName)
		}
	case localapi.EventTyping:
		if ev.Active {
			line = fmt.Sprintf("%s is typing", who(ev.From, ev.FromName))
		} else {
			line = fmt.Sprintf("%s stopped typing", who(ev.From, ev.FromName))
		}
	case localapi.EventPresence:
		line = fmt.Sprintf("%s is %s", who(ev.Account, ev.AccountName), ev.State)
		if ev.LastSeen != "" {
			line += " (last seen " + ev.LastSeen + ")"
		}
	case localapi.EventGroupChanged:
		line = fmt.Sprintf("group %s: %s by %s", grp, ev.Change, who(ev.By, ev.ByName))
		if ev.Account != "" && ev.Account != ev.By {
			line += " (" + who(ev.Account, ev.AccountName)
			if ev.Role != "" {
				line += ", " + ev.Role
			}
			line += ")"
		}
	case localapi.EventGroupTyping:
		if ev.Active {
			line = fmt.Sprintf("group %s: %s is typing", grp, who(ev.From, ev.FromName))
		} else {
			line = fmt.Sprintf("group %s: %s stopped typing", grp, who(ev.From, ev.FromName))
		}
	case localapi.EventGroupReceipt:
		line = fmt.Sprintf("group %s: %s receipt from %s for %d message(s)", grp, ev.Kind, who(ev.From, ev.FromName), len(ev.IDs))
	case localapi.EventMediaProgress:
		// The last event of a phase only; the bar belongs to `media get`.
		if ev.Total > 0 && ev.Done == ev.Total {
			line = fmt.Sprintf("file %s: %s done (%d bytes)", ev.ID, ev.Phase, ev.Total)
		}
	case localapi.EventMediaState:
		if ev.Group != "" {
			line = fmt.Sprintf("group %s: file %s: %s", who(ev.Group, ev.GroupName), ev.ID, ev.State)
		} else {
			line = fmt.Sprintf("file %s with %s: %s", ev.ID, who(ev.Peer, ev.PeerName), ev.State)
		}
		if ev.RetryUntil != "" {
			line += " until " + formatUntil(ev.RetryUntil)
		}
		if ev.Error != "" {
			line += " (" + clean(ev.Error) + ")"
		}
	case localapi.EventDropped:
		line = fmt.Sprintf("missed %d events; run `pigeon conversations` to catch up", ev.Count)
	}
	if line != "" {
		fmt.Fprintf(a.stdout, "%s  %s\n", now, clean(line))
	}
}

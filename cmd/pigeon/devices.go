package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	qrdecoder "github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/mattn/go-isatty"

	"github.com/pigeon-net/pigeon/node/localapi"
)

var devicesSubs = []subcommand{
	{name: "list", summary: "list this account's devices: ID, name, platform, added, last seen; marks this device and says whether it holds the account key (the default)"},
	{name: "link", summary: "print a one-time link code (and its QR code) for `pigeon init --link CODE` on a new device, then ask to confirm the device that uses it; the code expires in 10 minutes"},
	{name: "rename", args: "ID NAME", summary: "change what all devices of the account call device ID"},
	{name: "revoke", args: "ID", summary: "remove device ID from the account: contacts stop encrypting to it and its changes are refused (on a device that holds the account key)"},
}

// linkAnswerWait bounds how long `devices link` waits for the daemon to
// report the device linked after the user confirmed it.
const linkAnswerWait = time.Minute

func cmdDevices(a *app, _ *flag.FlagSet, args []string) error {
	sub := "list"
	if len(args) > 0 {
		sub, args = args[0], args[1:]
	}
	verb := "devices " + sub
	switch sub {
	case "list":
		if err := wantArgs(verb, args, 0, 0, ""); err != nil {
			return err
		}
		return a.listDevices()
	case "link":
		if err := wantArgs(verb, args, 0, 0, ""); err != nil {
			return err
		}
		return a.linkDevice()
	case "rename":
		if err := wantArgs(verb, args, 2, -1, "ID NAME"); err != nil {
			return err
		}
		id, err := deviceArg(verb, args[0])
		if err != nil {
			return err
		}
		c, err := a.client()
		if err != nil {
			return err
		}
		name := strings.Join(args[1:], " ")
		if err := c.do(a.ctx, "PUT", "/v1/devices/"+id, localapi.RenameDevice{Name: name}, nil); err != nil {
			return err
		}
		fmt.Fprintf(a.stderr, "renamed device %s to %q\n", id, name)
		return nil
	case "revoke":
		if err := wantArgs(verb, args, 1, 1, "ID"); err != nil {
			return err
		}
		id, err := deviceArg(verb, args[0])
		if err != nil {
			return err
		}
		c, err := a.client()
		if err != nil {
			return err
		}
		if err := c.do(a.ctx, "DELETE", "/v1/devices/"+id, nil, nil); err != nil {
			return err
		}
		fmt.Fprintf(a.stderr, "revoked device %s; the new device list is published\n", id)
		return nil
	}
	return usagef("devices", "unknown subcommand %q (want list, link, rename or revoke)", sub)
}

// deviceArg checks a device number as `pigeon devices` prints them.
func deviceArg(verb, s string) (string, error) {
	if n, err := strconv.ParseUint(s, 10, 32); err != nil || n == 0 {
		return "", usagef(verb, "want a device ID, a number as `pigeon devices` lists them, not %q", s)
	}
	return s, nil
}

func (a *app) listDevices() error {
	c, err := a.client()
	if err != nil {
		return err
	}
	var ds localapi.Devices
	if err := c.do(a.ctx, "GET", "/v1/devices", nil, &ds); err != nil {
		return err
	}
	if a.json {
		return a.printJSON(ds)
	}
	w := a.table()
	fmt.Fprintln(w, "ID\tNAME\tPLATFORM\tADDED\tLAST SEEN\t")
	now := time.Now()
	for _, d := range ds.Devices {
		name := preview(d.Name, 32)
		if name == "" {
			name = "(unnamed)"
		}
		mark := ""
		if d.This {
			mark = "this device"
			if ds.HoldsAccountKey {
				mark += ", holds the account key"
			}
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", d.ID, name, preview(d.Platform, 16), d.AddedAt.Local().Format("2006-01-02"), lastSeen(d, now), mark)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if len(ds.StateHash) >= 16 {
		// The same on every device of the account once they are in sync.
		fmt.Fprintf(a.stdout, "account state %s\n", ds.StateHash[:16])
	}
	if !ds.HoldsAccountKey {
		fmt.Fprintln(a.stderr, "this device does not hold the account key: link and revoke devices on the one that does")
	}
	return nil
}

// lastSeen says when a device was last seen: "online", "31 days ago",
// "never".
func lastSeen(d localapi.Device, now time.Time) string {
	switch {
	case d.Online:
		return "online"
	case d.LastSeen.IsZero():
		return "never"
	}
	return ago(now.Sub(d.LastSeen))
}

// ago says how long ago something was, in the largest whole unit.
func ago(d time.Duration) string {
	plural := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit + " ago"
		}
		return strconv.Itoa(n) + " " + unit + "s ago"
	}
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute")
	case d < 24*time.Hour:
		return plural(int(d/time.Hour), "hour")
	}
	return plural(int(d/(24*time.Hour)), "day")
}

// linkDevice makes a link code, shows it, waits for the new device's
// request, asks the user to compare the confirmation codes and answers.
func (a *app) linkDevice() error {
	c, err := a.client()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(a.ctx)
	defer cancel()
	// The stream first, so that no request can come before it listens.
	events, stop, err := a.eventStream(ctx, c)
	if err != nil {
		return err
	}
	defer stop()
	var offer localapi.LinkOffer
	if err := c.do(ctx, "POST", "/v1/devices/link", nil, &offer); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, offer.Code)
	if qr, err := terminalQR(offer.QRText); err == nil {
		fmt.Fprint(a.stderr, qr)
	}
	fmt.Fprintf(a.stderr, "On the new device run:\n\n  pigeon init --link %s\n\n(or scan the QR code). The code works once, until %s; keep it to yourself.\nWaiting for the new device...\n",
		offer.Code, offer.Expires.Local().Format("15:04:05"))

	expired := time.NewTimer(time.Until(offer.Expires))
	defer expired.Stop()
	for {
		var ev localapi.Event
		select {
		case <-a.ctx.Done():
			// Close the code, so nobody who saw it can use it later.
			wctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := c.do(wctx, "DELETE", "/v1/devices/link", localapi.WithdrawLink{Code: offer.Code}, nil); err != nil {
				return fmt.Errorf("interrupted: no device was linked, but the code could not be withdrawn (%v): it stays usable until it expires at %s", err, offer.Expires.Local().Format("15:04"))
			}
			return errors.New("interrupted: no device was linked, and the code is withdrawn")
		case <-expired.C:
			return errors.New("the link code expired before a device used it: run `pigeon devices link` again")
		case e, ok := <-events:
			if !ok {
				return errors.New("the daemon closed the event stream: is it still running? run `pigeon devices link` again")
			}
			ev = e
		}
		if ev.Type != localapi.EventLinkRequest {
			continue
		}
		fmt.Fprintf(a.stderr, "\nA new device asks to join: %q (%s)\nConfirmation code: %s\nCheck that the new device shows the same code.\nLink it? [y/N] ",
			clean(ev.Name), clean(ev.Platform), spaceSAS(ev.SAS))
		yes, err := a.confirm(ctx, expired.C)
		if err != nil {
			return err
		}
		if err := c.do(a.ctx, "POST", "/v1/devices/link-requests/"+ev.ID, localapi.LinkAnswer{Accept: yes}, nil); err != nil {
			return fmt.Errorf("answer the link request: %w", err)
		}
		if !yes {
			return errors.New("declined: the device was not linked and the code is used up; run `pigeon devices link` for a new one")
		}
		return a.waitLinked(events, ev.PeerID)
	}
}

// confirm reads the user's answer to "Link it? [y/N]" from stdin.
func (a *app) confirm(ctx context.Context, expired <-chan time.Time) (bool, error) {
	// The read cannot be interrupted: on Ctrl-C or expiry the command
	// returns and the process ends with the goroutine still reading.
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(a.stdin).ReadString('\n')
		line <- s
	}()
	select {
	case <-ctx.Done():
		return false, errors.New("interrupted: the device was not linked")
	case <-expired:
		return false, errors.New("the link code expired before you answered: run `pigeon devices link` again")
	case s := <-line:
		s = strings.ToLower(strings.TrimSpace(s))
		return s == "y" || s == "yes", nil
	}
}

// waitLinked waits for the device_linked event of the device with peer ID
// p and prints "linked device N (name)".
func (a *app) waitLinked(events <-chan localapi.Event, p string) error {
	timeout := time.NewTimer(linkAnswerWait)
	defer timeout.Stop()
	for {
		select {
		case <-a.ctx.Done():
			return errors.New("interrupted after the answer: see `pigeon devices` for whether the device was linked")
		case <-timeout.C:
			return errors.New("the daemon did not report the device linked: see `pigeon devices` and the daemon's log")
		case ev, ok := <-events:
			if !ok {
				return errors.New("the daemon closed the event stream after the answer: see `pigeon devices`")
			}
			if ev.Type == localapi.EventDeviceLinked && ev.PeerID == p {
				fmt.Fprintf(a.stdout, "linked device %d (%s)\n", ev.Device, clean(ev.Name))
				return nil
			}
		}
	}
}

// eventStream opens the daemon's event stream and reads it on a goroutine
// (so the stream answers pings while the user thinks); stop closes it and
// waits for the goroutine. The channel closes when the stream ends.
func (a *app) eventStream(ctx context.Context, c *client) (<-chan localapi.Event, func(), error) {
	conn, resp, err := websocket.Dial(ctx, "ws://"+c.addr+"/v1/events", &websocket.DialOptions{
		HTTPHeader: http.Header{"Authorization": {"Bearer " + c.token}},
	})
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusUnauthorized {
			return nil, nil, errUnauthorized
		}
		return nil, nil, connError(c.addr, err)
	}
	conn.SetReadLimit(maxEventFrame)
	rctx, cancel := context.WithCancel(ctx)
	out := make(chan localapi.Event, 64)
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(out)
		for {
			_, b, err := conn.Read(rctx)
			if err != nil {
				return
			}
			var ev localapi.Event
			if json.Unmarshal(b, &ev) != nil {
				continue
			}
			select {
			case out <- ev:
			case <-rctx.Done():
				return
			}
		}
	})
	stop := func() {
		cancel()
		conn.CloseNow()
		wg.Wait()
	}
	return out, stop, nil
}

// spaceSAS writes a six-digit confirmation code as "123 456".
func spaceSAS(s string) string {
	if len(s) != 6 {
		return clean(s)
	}
	return s[:3] + " " + s[3:]
}

// terminalQR draws text as a QR code in text: two rows of modules per line
// in half blocks, light modules drawn (for the usual light-on-dark
// terminal), with a quiet zone of two modules.
func terminalQR(text string) (string, error) {
	m, err := qrcode.NewQRCodeWriter().Encode(text, gozxing.BarcodeFormat_QR_CODE, 0, 0, map[gozxing.EncodeHintType]any{
		gozxing.EncodeHintType_ERROR_CORRECTION: qrdecoder.ErrorCorrectionLevel_M,
		gozxing.EncodeHintType_MARGIN:           2,
	})
	if err != nil {
		return "", fmt.Errorf("make QR code: %w", err)
	}
	w, h := m.GetWidth(), m.GetHeight()
	light := func(x, y int) bool { return y >= h || !m.Get(x, y) }
	var b strings.Builder
	for y := 0; y < h; y += 2 {
		for x := range w {
			switch top, bottom := light(x, y), light(x, y+1); {
			case top && bottom:
				b.WriteRune('█')
			case top:
				b.WriteRune('▀')
			case bottom:
				b.WriteRune('▄')
			default:
				b.WriteRune(' ')
			}
		}
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// terminal reports whether w is a terminal.
func terminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}

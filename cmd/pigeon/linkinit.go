package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/backup"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/localapi"
	"github.com/pigeon-net/pigeon/protocol/link"
)

func initFlags(fs *flag.FlagSet) {
	fs.String("link", "", "make this home a new device of the account whose device printed `CODE` (`pigeon devices link` there)")
	fs.String("name", "", "with --link: `NAME`, what the account's devices call this one (default: the host name)")
	fs.Duration("wait", 10*time.Minute, "with --link: how long to wait for the history to arrive (the daemon continues it)")
	fs.String("restore", "", "make this home a new device of the account backed up at `FROM` (a DIR or s3://BUCKET/PREFIX; key from stdin; S3 credentials from PIGEON_S3_ACCESS_KEY and PIGEON_S3_SECRET_KEY)")
	fs.String("endpoint", "", "with --restore s3://: the S3 `HOST[:PORT]`")
	fs.String("region", "", "with --restore s3://: the bucket's region")
	fs.Bool("path-style", false, "with --restore s3://: path-style addressing")
	fs.Bool("insecure", false, "with --restore s3://: plain http (a store on loopback)")
}

// cmdInitLink links a fresh home to an account (node.LinkDevice), then
// runs the node once until the history from the linking device arrived.
func (a *app) cmdInitLink(fs *flag.FlagSet, text string) error {
	code, err := link.ParseCode(text)
	if err != nil {
		return fmt.Errorf("%w: copy the whole code again from `pigeon devices link` on the existing device", err)
	}
	if code.Expired(time.Now()) {
		return fmt.Errorf("the link code expired at %s: run `pigeon devices link` on the existing device for a new one", code.Expires.Local().Format("15:04:05"))
	}
	if c, err := a.client(); err == nil {
		var info struct{ Account string }
		err := c.do(a.ctx, "GET", "/v1/info", nil, &info)
		if err == nil {
			return fmt.Errorf("a daemon runs on %s with account %s: link a fresh home (pigeon --home NEWDIR init --link CODE)", a.home, info.Account)
		}
		if notSetUp(err) {
			return a.setupLink(c, text, flagValue[string](fs, "name"), flagValue[time.Duration](fs, "wait"))
		}
	}
	logger := slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	fmt.Fprintln(a.stderr, "asking the existing device...")
	account, device, err := node.LinkDevice(a.ctx, a.home, text, node.LinkOptions{
		Name: flagValue[string](fs, "name"),
		ShowCode: func(sas string) {
			fmt.Fprintf(a.stderr, "Confirmation code: %s — check that the other device shows the same and confirm there\n", spaceSAS(sas))
		},
	}, node.WithLogger(logger))
	if err != nil {
		return linkAdvice(err)
	}
	fmt.Fprintf(a.stderr, "linked: this is device %d of account %s\n", device, account)
	fmt.Fprintln(a.stdout, account)
	return a.pullHistory(code, flagValue[time.Duration](fs, "wait"), logger)
}

// linkAdvice adds what to do to a failed link where its error does not
// say.
func linkAdvice(err error) error {
	switch {
	case errors.Is(err, node.ErrHomeInUse):
		return fmt.Errorf("%w (--home NEWDIR)", err)
	case errors.Is(err, link.ErrDeclined):
		return fmt.Errorf("%w: if that was a mistake, run `pigeon devices link` there again", err)
	case errors.Is(err, link.ErrExpired), errors.Is(err, link.ErrUsed), errors.Is(err, link.ErrUnknownCode), errors.Is(err, link.ErrBurned):
		return fmt.Errorf("%w (`pigeon devices link`)", err)
	case errors.Is(err, context.Canceled):
		return errors.New("interrupted: this home was not linked")
	}
	return err
}

// pullHistory starts the node on the newly linked home, connected to the
// device that linked it, and waits until the history from it arrived
// (history_sync events: a bar on a terminal, a line every second
// elsewhere), for at most wait.
func (a *app) pullHistory(code link.Code, wait time.Duration, logger *slog.Logger) error {
	boot := make([]string, 0, len(code.Addrs))
	for _, ad := range code.Addrs {
		boot = append(boot, ad.String()+"/p2p/"+code.Peer.String())
	}
	n, err := node.New(node.WithHome(a.home), node.WithLogger(logger),
		node.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), node.WithBootstrap(boot...))
	if err != nil {
		return err
	}
	defer n.Close()
	syncs := node.Subscribe[core.HistorySync](n)
	defer syncs.Close()
	ctx, cancel := context.WithTimeout(a.ctx, wait)
	defer cancel()
	if err := n.Start(ctx); err != nil {
		return err
	}
	from := uint32(0)
	if ds, err := n.Devices().List(ctx); err == nil {
		for _, d := range ds {
			if d.PeerID == code.Peer {
				from = d.ID
			}
		}
	}
	fmt.Fprintf(a.stderr, "getting the history from device %d...\n", from)
	later := "the daemon continues it: start it with `" + a.daemonCommand() + "`"
	var bar *progressbar.ProgressBar
	last := time.Time{}
	for {
		select {
		case <-a.ctx.Done():
			return fmt.Errorf("interrupted during the history transfer; %s", later)
		case <-ctx.Done():
			fmt.Fprintf(a.stderr, "the history has not all arrived after %s; %s\n", wait, later)
			return nil
		case ev, ok := <-syncs.Events():
			if !ok {
				return fmt.Errorf("the node stopped during the history transfer; %s", later)
			}
			if from != 0 && ev.Device != from {
				continue
			}
			if ev.Err != "" {
				if bar != nil {
					_ = bar.Exit()
				}
				fmt.Fprintf(a.stderr, "the history transfer stopped after %d operations (%s); %s\n", ev.Done, ev.Err, later)
				return nil
			}
			if terminal(a.stderr) {
				if bar == nil {
					bar = progressbar.NewOptions(ev.Total, progressbar.OptionSetWriter(a.stderr),
						progressbar.OptionSetDescription("history"), progressbar.OptionShowCount(),
						progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
				}
				_ = bar.Set(ev.Done)
			} else if ev.Done == ev.Total || time.Since(last) >= time.Second {
				last = time.Now()
				fmt.Fprintf(a.stderr, "history: %d of %d\n", ev.Done, ev.Total)
			}
			if ev.Done == ev.Total {
				if bar != nil {
					_ = bar.Finish()
				}
				fmt.Fprintf(a.stderr, "history transferred (%d operations); start the daemon with `%s`\n", ev.Total, a.daemonCommand())
				return nil
			}
		}
	}
}

// notSetUp reports whether err is a daemon's answer that it runs in setup
// mode (`pigeon daemon --setup` on a home without an account).
func notSetUp(err error) bool {
	var e *localapi.Error
	return errors.As(err, &e) && e.Code == localapi.CodeNotSetUp
}

// setupPoll is how often init asks a daemon in setup mode how it goes.
const setupPoll = 200 * time.Millisecond

// setupCreate has a daemon in setup mode create the account.
func (a *app) setupCreate(c *client) error {
	if err := c.do(a.ctx, "POST", "/v1/setup/create", nil, nil); err != nil {
		return err
	}
	st, err := a.followSetup(c, 0, func(localapi.SetupStatus) {})
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "created account in %s (daemon running)\n", a.home)
	fmt.Fprintln(a.stdout, st.Account)
	return nil
}

// setupLink has a daemon in setup mode link its home with code, and
// reports as init --link does without a daemon: the confirmation code,
// then the history's progress (for at most wait; the daemon goes on).
func (a *app) setupLink(c *client, code, name string, wait time.Duration) error {
	if err := c.do(a.ctx, "POST", "/v1/setup/link", localapi.SetupLinkRequest{Code: code, Name: name}, nil); err != nil {
		return err
	}
	fmt.Fprintln(a.stderr, "asking the existing device (through the daemon)...")
	shown, linked := false, false
	var last time.Time
	st, err := a.followSetup(c, wait, func(st localapi.SetupStatus) {
		if st.SAS != "" && !shown {
			shown = true
			fmt.Fprintf(a.stderr, "Confirmation code: %s — check that the other device shows the same and confirm there\n", spaceSAS(st.SAS))
		}
		if st.State == localapi.SetupSyncing && !linked {
			linked = true
			fmt.Fprintf(a.stderr, "linked: this is device %d of account %s\n", st.Device, st.Account)
		}
		if h := st.History; h != nil && h.Total > 0 && time.Since(last) >= time.Second {
			last = time.Now()
			fmt.Fprintf(a.stderr, "history: %d of %d\n", h.Done, h.Total)
		}
	})
	if err != nil {
		return err
	}
	if !linked {
		fmt.Fprintf(a.stderr, "linked: this is device %d of account %s\n", st.Device, st.Account)
	}
	switch h := st.History; {
	case st.State == localapi.SetupSyncing:
		fmt.Fprintf(a.stderr, "the history has not all arrived after %s; the daemon continues it\n", wait)
	case h != nil && h.Error != "":
		fmt.Fprintf(a.stderr, "the history transfer stopped after %d operations (%s); the daemon continues it\n", h.Done, h.Error)
	case h != nil:
		fmt.Fprintf(a.stderr, "history transferred (%d operations); the daemon runs\n", h.Total)
	}
	fmt.Fprintln(a.stdout, st.Account)
	return nil
}

// setupRestore has a daemon in setup mode restore its home from the
// backups ro names (POST /v1/setup/restore), and reports as init
// --restore does without a daemon; the daemon then runs the node.
func (a *app) setupRestore(c *client, ro backup.RestoreOptions) error {
	req := localapi.SetupRestoreRequest{From: ro.From, S3: ro.S3, Key: ro.Key}
	if err := c.do(a.ctx, "POST", "/v1/setup/restore", req, nil); err != nil {
		return err
	}
	fmt.Fprintln(a.stderr, "restoring (through the daemon)...")
	bar := terminal(a.stderr)
	st, err := a.followSetup(c, 0, func(st localapi.SetupStatus) {
		if r := st.Restore; bar && r != nil && r.Total > 0 {
			fmt.Fprintf(a.stderr, "\r%s", progressBar(r.Done, r.Total))
		}
	})
	if bar {
		fmt.Fprint(a.stderr, "\r\033[K")
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "restored: this is device %d of account %s; the daemon runs it\n", st.Device, st.Account)
	fmt.Fprintln(a.stdout, st.Account)
	return nil
}

// followSetup polls a daemon's setup, calling seen with every state, until
// it is ready, failed, or (wait > 0) has been syncing the history for
// wait.
func (a *app) followSetup(c *client, wait time.Duration, seen func(localapi.SetupStatus)) (localapi.SetupStatus, error) {
	var syncing time.Time
	t := time.NewTicker(setupPoll)
	defer t.Stop()
	for {
		var st localapi.SetupStatus
		if err := c.do(a.ctx, "GET", "/v1/setup", nil, &st); err != nil {
			return st, err
		}
		seen(st)
		switch st.State {
		case localapi.SetupReady:
			return st, nil
		case localapi.SetupNeeded:
			if st.Error != nil {
				return st, st.Error
			}
			return st, errors.New("the daemon's setup stopped: run the command again")
		case localapi.SetupSyncing:
			if syncing.IsZero() {
				syncing = time.Now()
			}
			if wait > 0 && time.Since(syncing) >= wait {
				return st, nil
			}
		}
		select {
		case <-a.ctx.Done():
			return st, errors.New("interrupted: the daemon goes on with the setup (`pigeon web` shows it)")
		case <-t.C:
		}
	}
}

package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"

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

package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"

	ma "github.com/multiformats/go-multiaddr"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/localapi"
)

// multiFlag collects a flag given several times.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
func (m *multiFlag) Get() any           { return []string(*m) }

// defaultListen is where a daemon listens unless told otherwise: a fixed
// port, so the addresses contacts have cached survive restarts.
var defaultListen = []string{
	"/ip4/0.0.0.0/tcp/4517",
	"/ip4/0.0.0.0/udp/4517/quic-v1",
	"/ip6/::/tcp/4517",
	"/ip6/::/udp/4517/quic-v1",
}

func daemonFlags(fs *flag.FlagSet) {
	fs.Var(new(multiFlag), "listen", "libp2p listen `multiaddr` (repeatable; default TCP and QUIC on port 4517 of every interface)")
	fs.Var(new(multiFlag), "bootstrap", "bootstrap peer `multiaddr` ending in /p2p/<peer ID> (repeatable)")
	fs.Var(new(multiFlag), "relay", "relay `multiaddr` ending in /p2p/<peer ID> to be reachable through, with \",INVITE\" appended for invite-only relays (repeatable)")
	fs.String("api", "127.0.0.1:0", "local API `address` (loopback only; port 0 picks a free port)")
	fs.Bool("setup", false, "on a home without an account, create none: the web UI (open it with \"pigeon web\") creates one, or links this device to an account you already have; a home with an account runs as usual")
	fs.Int64("min-free", node.DefaultMinFreeSpace, "free disk space in `bytes` to keep besides what the database needs for its compactions: below it new messages, sends and downloads are refused until there is room")
	logFlags(fs)
}

func logFlags(fs *flag.FlagSet) {
	fs.String("log-level", "info", "log `level`: debug, info, warn or error")
	fs.String("log-format", "text", "log `format`: text or json")
}

// logger builds the logger from --log-level and --log-format.
func (a *app) logger(verb string, fs *flag.FlagSet) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(flagValue[string](fs, "log-level"))); err != nil {
		return nil, usagef(verb, "--log-level: want debug, info, warn or error")
	}
	opts := &slog.HandlerOptions{Level: level}
	switch flagValue[string](fs, "log-format") {
	case "text":
		return slog.New(slog.NewTextHandler(a.stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(a.stderr, opts)), nil
	}
	return nil, usagef(verb, "--log-format: want text or json")
}

func cmdDaemon(a *app, fs *flag.FlagSet, args []string) error {
	if err := wantArgs("daemon", args, 0, 0, ""); err != nil {
		return err
	}
	listen := flagValue[[]string](fs, "listen")
	bootstrap := flagValue[[]string](fs, "bootstrap")
	apiAddr := flagValue[string](fs, "api")
	relays := flagValue[[]string](fs, "relay")
	minFree := flagValue[int64](fs, "min-free")
	logger, err := a.logger("daemon", fs)
	if err != nil {
		return err
	}
	if err := checkLoopback(apiAddr); err != nil {
		return usagef("daemon", "--api %s: %v", apiAddr, err)
	}
	if minFree <= 0 {
		return usagef("daemon", "--min-free %d: want a positive number of bytes", minFree)
	}

	if err := os.MkdirAll(a.home, 0o700); err != nil {
		return fmt.Errorf("create home: %w", err)
	}
	storeOpts := []node.Option{node.WithMinFreeSpace(minFree), node.WithLogger(logger)}
	setup := false
	if flagValue[bool](fs, "setup") {
		has, err := node.HasAccount(a.home, storeOpts...)
		if err != nil {
			return err // already says "check home"
		}
		setup = !has
	}
	if !setup {
		id, created, err := node.Init(a.home, storeOpts...)
		if err != nil {
			return fmt.Errorf("init %s: %w", a.home, err)
		}
		if created {
			logger.Info("created account", "account", id.String(), "home", a.home)
		}
	}

	if len(listen) == 0 {
		listen = defaultListen
	}
	nodeOpts := []node.Option{node.WithLogger(logger), node.WithListenAddrs(listen...), node.WithMinFreeSpace(minFree)}
	if len(relays) > 0 {
		nodeOpts = append(nodeOpts, node.WithRelays(relays...))
	}
	token, err := localapi.LoadOrCreateToken(a.home)
	if err != nil {
		return err
	}
	var srv *localapi.Server
	if setup {
		// The node starts later; its addresses are checked now.
		for _, addr := range append(append([]string(nil), listen...), bootstrap...) {
			if _, err := ma.NewMultiaddr(addr); err != nil {
				return usagef("daemon", "%s: %v", addr, err)
			}
		}
		srv = localapi.NewSetup(localapi.Setup{Home: a.home, Options: nodeOpts, Bootstrap: bootstrap},
			token, logger, localapi.WithHome(a.home))
	} else {
		nodeOpts = append(nodeOpts, node.WithHome(a.home))
		if len(bootstrap) > 0 {
			nodeOpts = append(nodeOpts, node.WithBootstrap(bootstrap...))
		}
		n, err := node.New(nodeOpts...)
		if err != nil {
			return err
		}
		if err := n.Start(a.ctx); err != nil {
			n.Close()
			return err // already says "start node"
		}
		srv = localapi.New(n, token, logger, localapi.WithHome(a.home))
	}
	// The node, made here or by the setup, is closed after the server.
	defer func() {
		if n := srv.Node(); n != nil {
			n.Close()
		}
	}()
	ln, err := net.Listen("tcp", apiAddr)
	if err != nil {
		srv.Close()
		return fmt.Errorf("local API: %w", err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	defer func() {
		srv.Close()
		<-served
	}()
	// The API's address file tells clients the daemon is up: in setup
	// mode at once, otherwise once the node's addresses are written.
	apiPath := filepath.Join(a.home, addrFile)
	defer os.Remove(apiPath)
	writeAPI := func() error { return writeFileAtomic(apiPath, []byte(ln.Addr().String()+"\n"), 0o644) }
	if setup {
		if err := writeAPI(); err != nil {
			return err
		}
		logger.Info("daemon waiting for setup: run `pigeon web` to create an account or link this device", "api", ln.Addr().String())
		if done, err := a.serveUntil(logger, served, srv.Ready()); done {
			return err
		}
	}
	n := srv.Node()
	info := n.Info()
	var addrs strings.Builder
	for _, ma := range info.Addrs {
		addrs.WriteString(ma.String() + "\n")
	}
	if err := writeFileAtomic(filepath.Join(a.home, addrsFile), []byte(addrs.String()), 0o644); err != nil {
		return err
	}
	if !setup {
		if err := writeAPI(); err != nil {
			return err
		}
	}
	logger.Info("daemon running", "account", info.Account.String(), "peer", info.PeerID.String(), "api", ln.Addr().String())
	_, err = a.serveUntil(logger, served, nil)
	return err
}

// serveUntil waits for the daemon to be stopped (done, nil), the local
// API to stop serving (done, its error; put back on served for the
// deferred wait), or until to close (not done).
func (a *app) serveUntil(logger *slog.Logger, served chan error, until <-chan struct{}) (done bool, err error) {
	select {
	case <-a.ctx.Done():
		logger.Info("shutting down")
		return true, nil
	case err := <-served:
		served <- err
		if err == nil {
			return true, errors.New("local API stopped")
		}
		return true, err
	case <-until:
		return false, nil
	}
}

// checkLoopback refuses API addresses other machines could reach.
func checkLoopback(hostport string) error {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		return err
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return errors.New("not a loopback address (the API must stay on this machine)")
	}
	return nil
}

// writeFileAtomic writes data to path through a temporary file and a
// rename, so readers see the old content or the new, never a part.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(perm)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/pigeon-net/pigeon/node/localapi"
	"github.com/pigeon-net/pigeon/protocol/identity"
)

// Files the daemon keeps in its home directory besides the token.
const (
	addrFile  = "api.addr" // host:port of the local API while the daemon runs
	addrsFile = "addrs"    // the node's multiaddrs, one per line
)

var (
	// errNotRunning: no daemon answers for the home; app.exit prints what
	// to do (notRunning).
	errNotRunning   = errors.New("no daemon answers")
	errUnauthorized = errors.New("unauthorized: the daemon in api.addr rejected this home's API token (is api.addr left over from another daemon? restart it with `pigeon daemon`)")
)

// notRunning says that no daemon answers and how to start one for this
// home.
func (a *app) notRunning() string {
	return "is the daemon running? start it with `" + a.daemonCommand() + "`"
}

// daemonCommand is the command that starts the daemon for this home.
func (a *app) daemonCommand() string {
	if a.homeSet {
		return "pigeon --home " + a.home + " daemon"
	}
	return "pigeon daemon"
}

const requestTimeout = 30 * time.Second

// client talks to the daemon's local API.
type client struct {
	addr  string // host:port
	token string
	http  *http.Client
}

// client reads api.addr and api.token from the home directory (once per
// command).
func (a *app) client() (*client, error) {
	if a.api != nil {
		return a.api, nil
	}
	b, err := os.ReadFile(filepath.Join(a.home, addrFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errNotRunning
	}
	if err != nil {
		return nil, fmt.Errorf("read API address: %w", err)
	}
	addr := strings.TrimSpace(string(b))
	if addr == "" {
		return nil, errNotRunning
	}
	tok, err := localapi.ReadToken(a.home)
	if err != nil {
		return nil, err
	}
	a.api = &client{addr: addr, token: tok, http: &http.Client{Timeout: requestTimeout}}
	return a.api, nil
}

// do sends a request with an optional JSON body and decodes a JSON response
// into out (if not nil).
func (c *client) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://"+c.addr+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return connError(c.addr, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("read response: %w", err)
	}
	return decodeBody(resp, b, out)
}

// decodeBody maps a response: 401 to errUnauthorized, other errors to the
// API's Error, and a 2xx JSON body into out (if not nil).
func decodeBody(resp *http.Response, b []byte, out any) error {
	if resp.StatusCode == http.StatusUnauthorized {
		return errUnauthorized
	}
	if resp.StatusCode/100 != 2 {
		var e localapi.Error
		if json.Unmarshal(b, &e) == nil && e.Message != "" {
			e.Message += nextStep(&e)
			return &e
		}
		return fmt.Errorf("daemon answered %s", resp.Status)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("decode response: %w", err)
	}
	return nil
}

// nextStep is what to do about an API error, when the daemon's message does
// not say it: "" or a clause to append.
func nextStep(e *localapi.Error) string {
	switch {
	case e.Code == localapi.CodeUnavailable:
		return ": the daemon is shutting down; start it again with `pigeon daemon`"
	case e.Code == localapi.CodeConflict && strings.Contains(e.Message, "identity changed"):
		return ": compare safety numbers (`pigeon safety-number ACCOUNT`), then `pigeon contacts verify ACCOUNT`"
	case e.Code == localapi.CodeNotFound && strings.Contains(e.Message, "unknown group"):
		return ": see `pigeon group list`"
	case e.Code == localapi.CodeNotFound && strings.Contains(e.Message, "message") && strings.HasSuffix(e.Message, "not found"):
		return ": check the message ID (`pigeon history ACCOUNT --ids` shows them)"
	case e.Code == localapi.CodeInternal:
		return " (see the daemon's log)"
	}
	return ""
}

// connError turns a refused connection (a stale api.addr) into
// errNotRunning.
func connError(addr string, err error) error {
	if errors.Is(err, syscall.ECONNREFUSED) {
		return errNotRunning
	}
	return fmt.Errorf("connect to daemon at %s: %w", addr, err)
}

// accountVerb checks the arguments of a verb that takes one ACCOUNT and
// returns the API client and the account.
func (a *app) accountVerb(verb string, args []string) (*client, identity.AccountID, error) {
	if err := wantArgs(verb, args, 1, 1, "ACCOUNT"); err != nil {
		return nil, identity.AccountID{}, err
	}
	account, err := a.accountArg(args[0])
	if err != nil {
		return nil, identity.AccountID{}, err
	}
	c, err := a.client()
	return c, account, err
}

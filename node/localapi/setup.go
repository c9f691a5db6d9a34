package localapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/backup"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/protocol/link"
	repo "github.com/pigeon-net/pigeon/storage/backup"
)

// Setup mode (NewSetup): the server runs on a home without an account and
// makes its node when told to (create an account, link this device to
// one, or restore one from its backups), from the web UI's first-run
// screen, `pigeon init` or a program. Until then every endpoint but
// /v1/setup, the web login and the QR helpers answers 503 not_set_up. The
// node is made, started and handed to the server (setNode) by the setup
// goroutine; s.node, s.events and s.eventSub are written once, before
// s.ready is set, and only read by requests that saw s.ready (serveAPI's
// gate) or after the goroutine ended.

// Setup says how a server in setup mode makes its node.
type Setup struct {
	// Home is the node's home directory; it holds no account yet.
	Home string
	// Options build the node (node.New) once the home holds an account,
	// with node.WithHome(Home) added; node.Init and node.LinkDevice get
	// them too (they use the storage options). Leave the bootstrap peers
	// to Bootstrap.
	Options []node.Option
	// Bootstrap are the node's bootstrap peers (node.WithBootstrap).
	// After a link the addresses of the device that made the code are
	// added, so that the new device finds it at once.
	Bootstrap []string
}

// States of GET /v1/setup.
const (
	// SetupNeeded: the home holds no account; create one or link this
	// device to one. Error says why the last attempt failed, if one did.
	SetupNeeded = "needs_setup"
	// SetupCreating: a new account is being made and its node started.
	SetupCreating = "creating"
	// SetupLinking: the device that made the link code is being asked;
	// SAS is the six-digit confirmation code once that device shows it.
	SetupLinking = "linking"
	// SetupRestoring: the backup is being read (Restore) into this
	// home; the node starts after it.
	SetupRestoring = "restoring"
	// SetupSyncing: linked, and the API works; the account's history is
	// arriving from the device that made the code (History).
	SetupSyncing = "syncing"
	// SetupReady: the node runs.
	SetupReady = "ready"
)

// Error codes of the setup endpoints.
const (
	// CodeNotSetUp: the daemon runs in setup mode and has no account yet:
	// create one or link this device (GET /v1/setup) (503).
	CodeNotSetUp = "not_set_up"
	// CodeSetupBusy: an account is being created or a link is running;
	// wait for it to end (GET /v1/setup) (409).
	CodeSetupBusy = "setup_busy"
	// CodeSetUp: this device already has an account (409).
	CodeSetUp = "already_set_up"
	// CodeLinkExpired: the link code expired, was used, withdrawn or
	// disabled: make a new one on the other device.
	CodeLinkExpired = "link_expired"
	// CodeLinkDeclined: the other device's user declined the link.
	CodeLinkDeclined = "link_declined"
	// CodeRestoreFailed: a restore from a backup did not complete (the
	// location could not be read, or another reason); the message says.
	CodeRestoreFailed = "restore_failed"
	// CodeLinkFailed: the link did not complete (the other device could
	// not be reached, or refused for another reason); the message says.
	CodeLinkFailed = "link_failed"
)

// SetupStatus is the response of GET /v1/setup and of the POSTs that
// start a setup.
type SetupStatus struct {
	State string `json:"state"`
	// SAS is the confirmation code while linking (once known): the other
	// device shows the same six digits.
	SAS string `json:"sas,omitempty"`
	// Account and Device are this device's once it has an account.
	Account string `json:"account,omitempty"`
	Device  uint32 `json:"device,omitempty"`
	// History is the progress of the history transfer after a link.
	History *SetupHistory `json:"history,omitempty"`
	// Restore is the progress of a restore from a backup: bytes read of
	// the snapshot's (Total 0 until known).
	Restore *SetupProgress `json:"restore,omitempty"`
	// Error is why the last attempt failed (needs_setup).
	Error *Error `json:"error,omitempty"`
}

// SetupHistory counts the operations of the account's history that
// arrived from the device that linked this one; Error is set if the
// transfer stopped (it goes on when the devices meet again).
type SetupHistory struct {
	Done  int    `json:"done"`
	Total int    `json:"total"`
	Error string `json:"error,omitempty"`
}

// SetupProgress counts the bytes of a backup restored so far.
type SetupProgress struct {
	Done  int64 `json:"done"`
	Total int64 `json:"total"`
}

// SetupRestoreRequest is the body of POST /v1/setup/restore.
type SetupRestoreRequest struct {
	// From is the backups' directory or s3://BUCKET/PREFIX (with S3).
	From string    `json:"from"`
	S3   backup.S3 `json:"s3,omitzero"`
	// Key is the recovery key or the passphrase of the backups.
	Key string `json:"key"`
}

// SetupLinkRequest is the body of POST /v1/setup/link.
type SetupLinkRequest struct {
	// Code is the pigeon-link: code the other device shows.
	Code string `json:"code"`
	// Name is what the account's devices call this one (default: the
	// host name).
	Name string `json:"name,omitempty"`
}

// NewSetup returns a server in setup mode: on a home without an account,
// it serves the web UI's first-run screen and /v1/setup, and makes the
// node when told to (POST /v1/setup/create, /v1/setup/link or
// /v1/setup/restore). Ready is closed once the node runs; Node returns it
// then. The node belongs to the caller: close it after the server.
func NewSetup(setup Setup, token string, logger *slog.Logger, opts ...Option) *Server {
	s := newServer(token, logger, opts)
	s.setup = &setup
	s.status = SetupStatus{State: SetupNeeded}
	return s
}

// Ready is closed once the server has its node (at once for New).
func (s *Server) Ready() <-chan struct{} { return s.readyC }

// Node returns the server's node, nil before Ready.
func (s *Server) Node() *node.Node {
	if !s.ready.Load() {
		return nil
	}
	return s.node
}

// setNode hands the node n to the server: the event log starts numbering
// its events and every endpoint opens. Tests build servers without a node
// (n nil) for requests refused before they reach it.
func (s *Server) setNode(n *node.Node) {
	s.node = n
	if n != nil {
		s.events = newEventLog(s.replay[0], s.replay[1])
		s.eventSub = node.Subscribe[node.Event](n)
		go s.runEventLog()
	}
	s.ready.Store(true)
	close(s.readyC)
}

// setupOpen reports whether a request for path is served before the node
// is set up.
func setupOpen(path string) bool {
	switch path {
	case "/v1/setup", "/v1/setup/create", "/v1/setup/link", "/v1/setup/restore",
		"/v1/web/login-codes", "/v1/web/logout", "/v1/qr.svg", "/v1/qr/decode":
		return true
	}
	return false
}

func (s *Server) setupRoutes() {
	s.mux.HandleFunc("GET /v1/setup", s.handleSetupStatus)
	s.mux.HandleFunc("POST /v1/setup/create", s.handleSetupCreate)
	s.mux.HandleFunc("POST /v1/setup/link", s.handleSetupLink)
	s.mux.HandleFunc("POST /v1/setup/restore", s.handleSetupRestore)
}

func (s *Server) setupStatus() SetupStatus {
	s.setupMu.Lock()
	defer s.setupMu.Unlock()
	st := s.status
	if st.History != nil {
		h := *st.History
		st.History = &h
	}
	if st.Restore != nil {
		p := *st.Restore
		st.Restore = &p
	}
	return st
}

func (s *Server) updateStatus(f func(*SetupStatus)) {
	s.setupMu.Lock()
	defer s.setupMu.Unlock()
	f(&s.status)
}

// handleSetupStatus reports where the setup is (GET /v1/setup).
func (s *Server) handleSetupStatus(w http.ResponseWriter, r *http.Request) {
	if s.setup == nil {
		writeJSON(w, http.StatusOK, &SetupStatus{State: SetupReady})
		return
	}
	st := s.setupStatus()
	writeJSON(w, http.StatusOK, &st)
}

// begin moves the setup from needs_setup to state, or writes why it
// cannot and returns false.
func (s *Server) begin(w http.ResponseWriter, state string) bool {
	if s.setup == nil {
		writeError(w, http.StatusConflict, CodeSetUp, "this device is already set up")
		return false
	}
	s.setupMu.Lock()
	cur := s.status.State
	if cur == SetupNeeded {
		s.status = SetupStatus{State: state}
	}
	s.setupMu.Unlock()
	switch cur {
	case SetupNeeded:
		return true
	case SetupCreating, SetupLinking, SetupRestoring:
		writeError(w, http.StatusConflict, CodeSetupBusy, "this device is being set up already: wait for that to finish (GET /v1/setup)")
	default:
		writeError(w, http.StatusConflict, CodeSetUp, "this device is already set up")
	}
	return false
}

// run starts the setup goroutine f, which Close cancels and waits for. It
// reports false once Close has begun.
func (s *Server) run(f func(ctx context.Context)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.setupWG.Add(1)
	go func() {
		defer s.setupWG.Done()
		f(s.setupCtx)
	}()
	return true
}

// handleSetupCreate makes a new account and starts its node
// (POST /v1/setup/create); GET /v1/setup follows it.
func (s *Server) handleSetupCreate(w http.ResponseWriter, r *http.Request) {
	if !s.begin(w, SetupCreating) {
		return
	}
	if !s.run(s.create) {
		writeError(w, http.StatusServiceUnavailable, CodeUnavailable, "the daemon is shutting down")
		return
	}
	writeJSON(w, http.StatusAccepted, &SetupStatus{State: SetupCreating})
}

func (s *Server) create(ctx context.Context) {
	if _, _, err := node.Init(s.setup.Home, s.setup.Options...); err != nil {
		s.failSetup(&Error{Code: CodeInternal, Message: fmt.Sprintf("could not create the account: %v", err)}, err)
		return
	}
	n, err := s.newNode(s.setup.Bootstrap)
	if err == nil {
		err = s.start(ctx, n)
	}
	if err != nil {
		s.failSetup(&Error{Code: CodeInternal, Message: fmt.Sprintf("the account was created but its node did not start: %v; restart the daemon", err)}, err)
		return
	}
	info := n.Info()
	s.updateStatus(func(st *SetupStatus) {
		*st = SetupStatus{State: SetupReady, Account: info.Account.String(), Device: info.Device}
	})
	s.logger.Info("created account", "account", info.Account.String())
}

// handleSetupLink makes this device a new device of the account whose
// device made the code (POST /v1/setup/link): it checks the code at once,
// then asks that device in the background; GET /v1/setup shows the
// confirmation code, then the history's progress.
func (s *Server) handleSetupLink(w http.ResponseWriter, r *http.Request) {
	var req SetupLinkRequest
	if err := decodeBody(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return
	}
	text := strings.TrimSpace(req.Code)
	code, err := link.ParseCode(text)
	if err != nil {
		writeError(w, http.StatusBadRequest, CodeBadRequest,
			fmt.Sprintf("not a link code (%v): copy the whole code again from the other device (Settings › Devices › Link a device, or `pigeon devices link`)", err))
		return
	}
	if code.Expired(s.now()) {
		writeError(w, http.StatusBadRequest, CodeLinkExpired,
			"the link code expired: "+newCodeAdvice)
		return
	}
	if len(req.Name) > link.MaxNameSize {
		writeError(w, http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("name: at most %d bytes", link.MaxNameSize))
		return
	}
	if !s.begin(w, SetupLinking) {
		return
	}
	if !s.run(func(ctx context.Context) { s.link(ctx, code, text, strings.TrimSpace(req.Name)) }) {
		writeError(w, http.StatusServiceUnavailable, CodeUnavailable, "the daemon is shutting down")
		return
	}
	writeJSON(w, http.StatusAccepted, &SetupStatus{State: SetupLinking})
}

// newCodeAdvice is what to do about a link code that no longer works.
const newCodeAdvice = "make a new code on the other device (Settings › Devices › Link a device, or `pigeon devices link`) and use it"

func (s *Server) link(ctx context.Context, code link.Code, text, name string) {
	account, device, err := node.LinkDevice(ctx, s.setup.Home, text, node.LinkOptions{
		Name: name,
		ShowCode: func(sas string) {
			s.updateStatus(func(st *SetupStatus) { st.SAS = sas })
		},
	}, s.setup.Options...)
	if err != nil {
		s.failSetup(linkError(err), err)
		return
	}
	s.logger.Info("linked", "account", account.String(), "device", device)
	boot := s.setup.Bootstrap
	for _, ad := range code.Addrs {
		boot = append(boot, ad.String()+"/p2p/"+code.Peer.String())
	}
	n, err := s.newNode(boot)
	if err != nil {
		s.failSetup(&Error{Code: CodeInternal, Message: fmt.Sprintf("this device was linked but its node did not start: %v; restart the daemon", err)}, err)
		return
	}
	sub := node.Subscribe[core.HistorySync](n) // before Start: the transfer begins at once
	defer sub.Close()
	if err := s.start(ctx, n); err != nil {
		s.failSetup(&Error{Code: CodeInternal, Message: fmt.Sprintf("this device was linked but its node did not start: %v; restart the daemon", err)}, err)
		return
	}
	s.updateStatus(func(st *SetupStatus) {
		*st = SetupStatus{State: SetupSyncing, Account: account.String(), Device: device, History: &SetupHistory{}}
	})
	s.followHistory(ctx, n, code, sub)
}

// followHistory reports the history transfer from the device that made
// code until it ends (or the server closes); the state is then ready.
func (s *Server) followHistory(ctx context.Context, n *node.Node, code link.Code, sub *node.Subscription[core.HistorySync]) {
	from := uint32(0)
	if ds, err := n.Devices().List(ctx); err == nil {
		for _, d := range ds {
			if d.PeerID == code.Peer {
				from = d.ID
			}
		}
	}
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-sub.Events():
			if !ok {
				return
			}
			if from != 0 && ev.Device != from {
				continue
			}
			done := ev.Err != "" || ev.Done >= ev.Total
			s.updateStatus(func(st *SetupStatus) {
				st.History = &SetupHistory{Done: ev.Done, Total: ev.Total, Error: ev.Err}
				if done {
					st.State = SetupReady
				}
			})
			if done {
				return
			}
		}
	}
}

// restoreCheckTimeout bounds the check of a restore's location and key
// before POST /v1/setup/restore answers.
const restoreCheckTimeout = 30 * time.Second

// handleSetupRestore makes this device a new device of the account in
// the backups at the body's location (POST /v1/setup/restore): it checks
// the location and the key at once (reading only the repository's
// config: a wrong key answers 400 wrong_key), then restores the newest
// snapshot in the background (GET /v1/setup: restoring, with progress)
// and starts the node.
func (s *Server) handleSetupRestore(w http.ResponseWriter, r *http.Request) {
	var req SetupRestoreRequest
	if err := decodeBody(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return
	}
	req.From = strings.TrimSpace(req.From)
	if req.From == "" || req.Key == "" {
		writeError(w, http.StatusBadRequest, CodeBadRequest, "give where the backups are (from) and their recovery key or passphrase (key)")
		return
	}
	if !s.begin(w, SetupRestoring) {
		return
	}
	ro := backup.RestoreOptions{From: req.From, S3: req.S3, Key: req.Key}
	ctx, cancel := context.WithTimeout(r.Context(), restoreCheckTimeout)
	err := backup.CheckRestore(ctx, ro)
	cancel()
	if err != nil {
		// The answer says what went wrong: back to needs_setup, to retry.
		e, status := restoreError(err)
		s.updateStatus(func(st *SetupStatus) { *st = SetupStatus{State: SetupNeeded} })
		writeError(w, status, e.Code, e.Message)
		return
	}
	s.updateStatus(func(st *SetupStatus) { st.Restore = &SetupProgress{} })
	if !s.run(func(ctx context.Context) { s.restore(ctx, ro) }) {
		writeError(w, http.StatusServiceUnavailable, CodeUnavailable, "the daemon is shutting down")
		return
	}
	writeJSON(w, http.StatusAccepted, &SetupStatus{State: SetupRestoring, Restore: &SetupProgress{}})
}

// restore reads the backups ro names into the home (its progress in the
// status), then starts the node; a failure goes back to needs_setup.
func (s *Server) restore(ctx context.Context, ro backup.RestoreOptions) {
	ro.Progress = func(p backup.Progress) {
		s.updateStatus(func(st *SetupStatus) {
			if st.State == SetupRestoring {
				st.Restore = &SetupProgress{Done: p.BytesDone, Total: max(p.Bytes, 0)}
			}
		})
	}
	account, device, err := node.RestoreBackup(ctx, s.setup.Home, ro, s.setup.Options...)
	if err != nil {
		e, _ := restoreError(err)
		if e.Code == CodeBadRequest {
			e.Code = CodeRestoreFailed // not the request's fault: it was checked
		}
		s.failSetup(e, err)
		return
	}
	s.logger.Info("restored", "account", account.String(), "device", device)
	n, err := s.newNode(s.setup.Bootstrap)
	if err == nil {
		err = s.start(ctx, n)
	}
	if err != nil {
		s.failSetup(&Error{Code: CodeInternal, Message: fmt.Sprintf("the backup was restored but the node did not start: %v; restart the daemon", err)}, err)
		return
	}
	s.updateStatus(func(st *SetupStatus) {
		*st = SetupStatus{State: SetupReady, Account: account.String(), Device: device}
	})
}

// restoreError says what went wrong with a restore, and what to do
// next, with the status a request that found it answers.
func restoreError(err error) (*Error, int) {
	switch {
	case errors.Is(err, repo.ErrWrongKey), errors.Is(err, repo.ErrBadRecoveryKey), errors.Is(err, repo.ErrWeakPassphrase):
		return &Error{Code: CodeWrongKey, Message: err.Error()}, http.StatusBadRequest // it says what to check
	case errors.Is(err, repo.ErrNotFound):
		return &Error{Code: CodeBadRequest, Message: fmt.Sprintf("%v: check the location (the folder or bucket and prefix you backed up to)", err)}, http.StatusBadRequest
	case errors.Is(err, core.ErrBadSetting):
		return &Error{Code: CodeBadRequest, Message: err.Error()}, http.StatusBadRequest
	case errors.Is(err, repo.ErrCorrupt), errors.Is(err, repo.ErrTampered):
		return &Error{Code: CodeBackupDamaged, Message: fmt.Sprintf("%v: restore from another copy of the backups if you have one", err)}, http.StatusBadGateway
	case errors.Is(err, node.ErrHomeInUse):
		return &Error{Code: CodeSetUp, Message: err.Error()}, http.StatusConflict
	}
	return &Error{Code: CodeRestoreFailed, Message: fmt.Sprintf("%v: check that the backups' location can be reached, then try again", err)}, http.StatusBadGateway
}

// newNode builds the node on the setup's home with boot as its
// bootstrap peers.
func (s *Server) newNode(boot []string) (*node.Node, error) {
	opts := append([]node.Option{node.WithHome(s.setup.Home)}, s.setup.Options...)
	if len(boot) > 0 {
		opts = append(opts, node.WithBootstrap(boot...))
	}
	return node.New(opts...)
}

// start starts n and hands it to the server; a node that did not start
// is closed.
func (s *Server) start(ctx context.Context, n *node.Node) error {
	if err := n.Start(ctx); err != nil {
		n.Close()
		return err
	}
	s.setNode(n)
	return nil
}

// failSetup goes back to needs_setup with e for the user; err is logged.
func (s *Server) failSetup(e *Error, err error) {
	s.logger.Warn("setup failed", "err", err)
	s.updateStatus(func(st *SetupStatus) { *st = SetupStatus{State: SetupNeeded, Error: e} })
}

// linkError says what went wrong with a link, and what to do next.
func linkError(err error) *Error {
	switch {
	case errors.Is(err, link.ErrDeclined):
		return &Error{Code: CodeLinkDeclined, Message: "the other device declined the link: if that was a mistake, " + newCodeAdvice}
	case errors.Is(err, link.ErrExpired):
		return &Error{Code: CodeLinkExpired, Message: "the link code expired: " + newCodeAdvice}
	case errors.Is(err, link.ErrUsed), errors.Is(err, link.ErrUnknownCode), errors.Is(err, link.ErrBurned):
		return &Error{Code: CodeLinkExpired, Message: fmt.Sprintf("%v: %s", err, newCodeAdvice)}
	case errors.Is(err, link.ErrBadProof), errors.Is(err, link.ErrBadGrant):
		return &Error{Code: CodeLinkFailed, Message: fmt.Sprintf("%v: copy the whole code again from the other device, or %s", err, newCodeAdvice)}
	case errors.Is(err, node.ErrHomeInUse):
		return &Error{Code: CodeSetUp, Message: err.Error()}
	}
	return &Error{Code: CodeLinkFailed, Message: fmt.Sprintf("%v: check that the other device runs Pigeon and is online (on the same network helps), then try again", err)}
}

package localapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/webui"
)

const (
	// maxBodySize bounds every request body; larger bodies get 413.
	maxBodySize = 128 << 10
	// closeTimeout bounds how long Close waits for HTTP requests to finish.
	closeTimeout = 5 * time.Second
)

// Server serves the local API for one node. Create it with New, then call
// Serve or mount Handler on a server of your own; Close stops both.
//
// Locks: Server.mu, Server.setupMu, eventLog.mu and sessions.mu are each
// taken alone, never one while holding another.
type Server struct {
	node     *node.Node // set later in setup mode (setup.go)
	token    []byte
	logger   *slog.Logger
	mux      *http.ServeMux
	http     *http.Server
	handler  http.Handler // the whole chain: security checks, API, login, web UI
	ui       http.Handler // node/webui
	sessions *sessions
	events   *eventLog // nil without a node
	eventSub *node.Subscription[node.Event]
	logDone  chan struct{} // closed when runEventLog returns
	now      func() time.Time
	replay   [2]int // bounds of the event replay buffer: events, bytes

	// Setup mode (setup.go): setup is nil for a server made by New.
	setup       *Setup
	ready       atomic.Bool   // the node is set: every endpoint is open
	readyC      chan struct{} // closed when ready is set
	setupMu     sync.Mutex    // guards status
	status      SetupStatus
	setupCtx    context.Context // cancelled by Close
	setupCancel context.CancelFunc
	setupWG     sync.WaitGroup // the setup goroutine

	mu     sync.Mutex    // guards closed and additions to conns and setupWG
	closed bool          // set by Close
	done   chan struct{} // closed by Close; tells event streams to end
	conns  sync.WaitGroup
}

// New returns a server for n that accepts requests carrying token (or a
// web session, see WithHome). It does no I/O; it starts numbering n's
// events for /v1/events at once, so Close must be called to stop that.
func New(n *node.Node, token string, logger *slog.Logger, opts ...Option) *Server {
	s := newServer(token, logger, opts)
	s.setNode(n)
	return s
}

// newServer returns a server without a node; setNode gives it one.
func newServer(token string, logger *slog.Logger, opts []Option) *Server {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	cfg := config{now: time.Now, replayEvents: replayEvents, replayBytes: replayBytes}
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{
		token:   []byte(token),
		logger:  logger.With("subsystem", "localapi"),
		mux:     http.NewServeMux(),
		ui:      webui.Handler(),
		done:    make(chan struct{}),
		logDone: make(chan struct{}),
		readyC:  make(chan struct{}),
		now:     cfg.now,
		replay:  [2]int{cfg.replayEvents, cfg.replayBytes},
	}
	s.setupCtx, s.setupCancel = context.WithCancel(context.Background())
	s.sessions = newSessions(cfg.home, cfg.now, s.logger)
	s.routes()
	s.handler = s.secure(http.HandlerFunc(s.route))
	s.http = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.logger.Handler(), slog.LevelDebug),
	}
	return s
}

func (s *Server) routes() {
	s.mux.HandleFunc("GET /v1/info", s.handleInfo)
	s.mux.HandleFunc("GET /v1/status", s.handleStatus)
	s.mux.HandleFunc("POST /v1/messages", s.handleSend)
	s.mux.HandleFunc("GET /v1/messages/{id}", s.handleMessage)
	s.mux.HandleFunc("GET /v1/conversations", s.handleConversations)
	s.mux.HandleFunc("GET /v1/conversations/{account}/messages", s.handleHistory)
	s.mux.HandleFunc("POST /v1/conversations/{account}/read", s.handleMarkRead)
	s.mux.HandleFunc("POST /v1/conversations/{account}/typing", s.handleTyping)
	s.mux.HandleFunc("GET /v1/contacts", s.handleContacts)
	s.mux.HandleFunc("PUT /v1/contacts/{account}", s.handleAddContact)
	s.mux.HandleFunc("DELETE /v1/contacts/{account}", s.handleRemoveContact)
	s.mux.HandleFunc("GET /v1/contacts/{account}/safety-number", s.handleSafetyNumber)
	s.mux.HandleFunc("POST /v1/contacts/{account}/verify", s.handleVerify)
	s.mux.HandleFunc("GET /v1/presence/{account}", s.handlePresence)
	s.mux.HandleFunc("GET /v1/presence/privacy", s.handleGetPrivacy)
	s.mux.HandleFunc("PUT /v1/presence/privacy", s.handlePrivacy)
	s.mux.HandleFunc("GET /v1/push", s.handlePushStatus)
	s.mux.HandleFunc("PUT /v1/push", s.handleSetPush)
	s.mux.HandleFunc("DELETE /v1/push", s.handleClearPush)
	s.mux.HandleFunc("GET /v1/relays", s.handleRelays)
	s.mux.HandleFunc("POST /v1/relays", s.handleAddRelay)
	s.mux.HandleFunc("DELETE /v1/relays/{peer}", s.handleRemoveRelay)
	s.mux.HandleFunc("POST /v1/relays/rotate-secret", s.handleRotateSecret)
	s.mux.HandleFunc("GET /v1/groups", s.handleGroups)
	s.mux.HandleFunc("POST /v1/groups", s.handleCreateGroup)
	s.mux.HandleFunc("POST /v1/groups/join", s.handleJoinGroup)
	s.mux.HandleFunc("POST /v1/groups/invites/revoke", s.handleRevokeInvite)
	s.mux.HandleFunc("GET /v1/groups/{group}", s.handleGroup)
	s.mux.HandleFunc("PATCH /v1/groups/{group}", groupAction(s, true, s.updateGroup))
	s.mux.HandleFunc("POST /v1/groups/{group}/members", groupAction(s, true, s.addMembers))
	s.mux.HandleFunc("DELETE /v1/groups/{group}/members/{account}", groupAction(s, false, s.removeMember))
	s.mux.HandleFunc("PUT /v1/groups/{group}/members/{account}/role", groupAction(s, true, s.setRole))
	s.mux.HandleFunc("POST /v1/groups/{group}/leave", groupAction(s, false, s.leaveGroup))
	s.mux.HandleFunc("POST /v1/groups/{group}/invites", s.handleCreateInvite)
	s.mux.HandleFunc("POST /v1/groups/{group}/messages", s.handleGroupSend)
	s.mux.HandleFunc("GET /v1/groups/{group}/messages", s.handleGroupHistory)
	s.mux.HandleFunc("GET /v1/groups/{group}/messages/{id}/receipts", s.handleGroupReceipts)
	s.mux.HandleFunc("POST /v1/groups/{group}/read", s.handleGroupRead)
	s.mux.HandleFunc("POST /v1/groups/{group}/typing", groupAction(s, true, s.groupTyping))
	s.mux.HandleFunc("GET /v1/search", s.handleSearch)
	s.mux.HandleFunc("GET /v1/conversations/{account}/timer", s.handleGetTimer)
	s.mux.HandleFunc("PUT /v1/conversations/{account}/timer", s.handleSetTimer)
	s.mux.HandleFunc("GET /v1/groups/{group}/timer", s.handleGetTimer)
	s.mux.HandleFunc("PUT /v1/groups/{group}/timer", s.handleSetTimer)
	s.routeBackup()
	s.mux.HandleFunc("GET /v1/settings/default-timer", s.handleGetDefaultTimer)
	s.mux.HandleFunc("PUT /v1/settings/default-timer", s.handleSetDefaultTimer)
	s.mux.HandleFunc("GET /v1/events", s.handleEvents)
	s.setupRoutes()
	s.mux.HandleFunc("POST /v1/web/login-codes", s.handleLoginCode)
	s.mux.HandleFunc("POST /v1/web/logout", s.handleLogout)
	s.mux.HandleFunc("GET /v1/qr.svg", s.handleQRCode)
	s.mux.HandleFunc("POST /v1/qr/decode", s.handleQRDecode)
	s.mediaRoutes()
	s.convoRoutes()
	s.deviceRoutes()
	s.actionRoutes()
	s.profileRoutes()
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, CodeNotFound, "no such endpoint: "+r.Method+" "+r.URL.Path)
	})
}

// Handler returns the server's handler: the API under /v1/ (authentication
// included), the login link at /login and the web UI everywhere else, all
// behind the Host check, the cross-origin check and the security headers
// (web.go).
func (s *Server) Handler() http.Handler { return s.handler }

// Serve accepts connections on ln until Close. ln must be on a loopback
// address or a Unix socket; anything else is refused with ErrNotLoopback
// (and ln is closed). Serve returns nil after Close, and net.ErrClosed if
// Close had already been called.
func (s *Server) Serve(ln net.Listener) error {
	if !isLoopback(ln.Addr()) {
		ln.Close()
		return fmt.Errorf("serve %s: %w", ln.Addr(), ErrNotLoopback)
	}
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		ln.Close()
		return net.ErrClosed
	}
	s.logger.Info("local API listening", "addr", ln.Addr().String())
	if err := s.http.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

func isLoopback(a net.Addr) bool {
	switch a := a.(type) {
	case *net.TCPAddr:
		return a.IP.IsLoopback()
	case *net.UnixAddr:
		return true
	}
	return false
}

// Close stops accepting connections, ends every event stream with a close
// frame, waits for in-flight requests (up to 5 seconds, then cuts them off)
// and for every event stream to finish. A second call returns net.ErrClosed.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return net.ErrClosed
	}
	s.closed = true
	close(s.done)
	s.mu.Unlock()
	s.setupCancel()

	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	err := s.http.Shutdown(ctx)
	if err != nil {
		err = s.http.Close()
	}
	s.conns.Wait()
	s.setupWG.Wait() // after which s.eventSub is set for good
	if s.eventSub != nil {
		s.eventSub.Close()
		<-s.logDone
	}
	if err != nil {
		return fmt.Errorf("close: %w", err)
	}
	return nil
}

// trackConn registers a long-lived connection (an event stream) that Close
// waits for; it reports false once Close has begun.
func (s *Server) trackConn() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns.Add(1)
	return true
}

// writeJSON writes v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v) // the client going away is not our error
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, &Error{Message: msg, Code: code})
}

// fail maps err from the node (or from request parsing) to a status and
// writes it. Unexpected errors are logged; the request text never is.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, code := classify(err)
	if status == http.StatusInternalServerError {
		s.logger.Warn("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	writeError(w, status, code, err.Error())
}

// decodeBody reads a JSON body of at most maxBodySize into v. An empty body
// is allowed when optional is set and leaves v unchanged.
func decodeBody(w http.ResponseWriter, r *http.Request, v any, optional bool) error {
	body := http.MaxBytesReader(w, r.Body, maxBodySize)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if errors.Is(err, io.EOF) && optional {
		return nil
	}
	if err == nil && dec.More() {
		err = errors.New("trailing data after JSON object")
	}
	var tooBig *http.MaxBytesError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &tooBig):
		return fmt.Errorf("decode request: %w: body over %d bytes", errBodyTooLarge, tooBig.Limit)
	case errors.Is(err, io.EOF):
		return fmt.Errorf("decode request: %w: empty body", errBadRequest)
	default:
		return fmt.Errorf("decode request: %w: %v", errBadRequest, err)
	}
}

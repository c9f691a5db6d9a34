package localapi

import (
	"fmt"
	"net/http"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/expiry"
)

// Timer is a chat's disappearing-messages timer (GET and PUT
// /v1/conversations/{account}/timer, /v1/groups/{group}/timer) or the
// default of new chats (/v1/settings/default-timer). A PUT sends only
// Seconds: 0 turns it off, else 30 to 31536000 (365 days).
type Timer struct {
	Seconds int64 `json:"seconds"`
	// Set on a chat's timer once it was ever changed: the change's
	// version, who made it and the ID of its notice in the history.
	Version uint64 `json:"version,omitempty"`
	Setter  string `json:"setter,omitempty"`
	Change  string `json:"change,omitempty"`
}

func timerJSON(t expiry.Timer) Timer {
	out := Timer{Seconds: int64(t.After / time.Second), Version: t.Version}
	if t.Version > 0 {
		out.Setter = t.Setter.String()
		out.Change = t.Change.String()
	}
	return out
}

func (s *Server) handleGetTimer(w http.ResponseWriter, r *http.Request) {
	chat, err := timerChat(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.node.Expiry().Timer(r.Context(), chat)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, timerJSON(t))
}

func (s *Server) handleSetTimer(w http.ResponseWriter, r *http.Request) {
	chat, err := timerChat(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := decodeTimer(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.node.Expiry().SetTimer(r.Context(), chat, d)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, timerJSON(t))
}

func (s *Server) handleGetDefaultTimer(w http.ResponseWriter, r *http.Request) {
	d, err := s.node.Expiry().Default(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, Timer{Seconds: int64(d / time.Second)})
}

func (s *Server) handleSetDefaultTimer(w http.ResponseWriter, r *http.Request) {
	d, err := decodeTimer(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.node.Expiry().SetDefault(r.Context(), d); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, Timer{Seconds: int64(d / time.Second)})
}

// timerChat is the chat a timer request names: {account} or {group}.
func timerChat(r *http.Request) (core.Chat, error) {
	if g := r.PathValue("group"); g != "" {
		id, err := core.ParseGroupID(g)
		return core.InGroup(id), err
	}
	a, err := pathAccount(r)
	return core.With(a), err
}

func decodeTimer(w http.ResponseWriter, r *http.Request) (time.Duration, error) {
	var req Timer
	if err := decodeBody(w, r, &req, false); err != nil {
		return 0, err
	}
	if req.Version != 0 || req.Setter != "" || req.Change != "" {
		return 0, fmt.Errorf("timer: %w: send only seconds", errBadRequest)
	}
	if req.Seconds < 0 || req.Seconds > int64(expiry.MaxTimer/time.Second) {
		return 0, fmt.Errorf("timer: %w", expiry.ErrBadTimer)
	}
	d := time.Duration(req.Seconds) * time.Second
	return d, expiry.CheckTimer(d)
}

// expiryEvent converts the expiry feature's events.
func expiryEvent(e core.Event) (Event, bool) {
	switch e := e.(type) {
	case expiry.TimerChanged:
		ev := Event{Type: EventTimerChanged, From: e.Setter.String(), Seconds: int64(e.After / time.Second)}
		ev.Peer, ev.Group = mediaChatJSON(e.Chat)
		return ev, true
	case expiry.MessageExpired:
		ev := Event{Type: EventMessageExpired, ID: e.ID.String()}
		ev.Peer, ev.Group = mediaChatJSON(e.Chat)
		return ev, true
	}
	return Event{}, false
}

package localapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/actions"
	"github.com/pigeon-net/pigeon/node/core"
)

// Edits, deletes and reactions of messages (node/actions).

// EditMessage is the body of PUT /v1/messages/{id}.
type EditMessage struct {
	Text string `json:"text"`
}

// SetReaction is the body of PUT /v1/messages/{id}/reaction; an empty
// emoji removes the reaction.
type SetReaction struct {
	Emoji string `json:"emoji"`
}

// Reaction is one emoji's reactions to a message: how many and who
// (accounts, and their names where known).
type Reaction struct {
	Emoji        string   `json:"emoji"`
	Count        int      `json:"count"`
	Accounts     []string `json:"accounts"`
	AccountNames []string `json:"account_names,omitempty"` // beside Accounts; "" for none
}

// Version is one version of an edited message's text (version 0: the
// original).
type Version struct {
	Version int       `json:"version"`
	Text    string    `json:"text"`
	At      time.Time `json:"at"` // the author's clock
}

// Error codes of actions.
const (
	// CodeNotAuthor: only the message's author (or a group admin where
	// the group allows it) may do that.
	CodeNotAuthor = "not_author"
	// CodeTooManyEdits: the message was edited 10 times already.
	CodeTooManyEdits = "too_many_edits"
	// CodeTooLate: the edit (24 h) or delete-for-everyone (48 h) window
	// has passed.
	CodeTooLate = "too_late"
	// CodeDeleted: the message was deleted.
	CodeDeleted = "deleted"
)

// Event types of actions.
const (
	// EventMessageEdited: ID, Peer or Group, Text, Edits, EditedAt.
	EventMessageEdited = "message_edited"
	// EventMessageDeleted: ID, Peer or Group, By, ForEveryone.
	EventMessageDeleted = "message_deleted"
	// EventReactionChanged: ID, Peer or Group, Account, Emoji (empty:
	// removed).
	EventReactionChanged = "reaction_changed"
)

func (s *Server) actionRoutes() {
	s.mux.HandleFunc("PUT /v1/messages/{id}", s.handleEdit)
	s.mux.HandleFunc("GET /v1/messages/{id}/versions", s.handleVersions)
	s.mux.HandleFunc("DELETE /v1/messages/{id}", s.handleDeleteMessage)
	s.mux.HandleFunc("PUT /v1/messages/{id}/reaction", s.handleReact)
}

// classifyAction maps the actions' errors.
func classifyAction(err error) (int, string, bool) {
	switch {
	case errors.Is(err, actions.ErrNotAuthor):
		return http.StatusForbidden, CodeNotAuthor, true
	case errors.Is(err, actions.ErrTooManyEdits):
		return http.StatusConflict, CodeTooManyEdits, true
	case errors.Is(err, actions.ErrTooLate):
		return http.StatusConflict, CodeTooLate, true
	case errors.Is(err, actions.ErrDeleted):
		return http.StatusGone, CodeDeleted, true
	case errors.Is(err, actions.ErrBadEmoji), errors.Is(err, actions.ErrNotText):
		return http.StatusBadRequest, CodeBadRequest, true
	}
	return 0, "", false
}

func pathMessage(r *http.Request) (core.MessageID, error) {
	id, err := core.ParseMessageID(r.PathValue("id"))
	if err != nil {
		return id, fmt.Errorf("%w: %v", errBadRequest, err)
	}
	return id, nil
}

func (s *Server) handleEdit(w http.ResponseWriter, r *http.Request) {
	id, err := pathMessage(r)
	if err != nil {
		s.fail(w, r, fmt.Errorf("edit: %w", err))
		return
	}
	var req EditMessage
	if err := decodeBody(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.node.Actions().Edit(r.Context(), id, req.Text); err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeMessage(w, r, id)
}

func (s *Server) handleVersions(w http.ResponseWriter, r *http.Request) {
	id, err := pathMessage(r)
	if err != nil {
		s.fail(w, r, fmt.Errorf("versions: %w", err))
		return
	}
	vs, err := s.node.Actions().Versions(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]Version, len(vs))
	for i, v := range vs {
		out[i] = Version{Version: v.Version, Text: v.Text, At: utc(v.At)}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleDeleteMessage(w http.ResponseWriter, r *http.Request) {
	id, err := pathMessage(r)
	if err != nil {
		s.fail(w, r, fmt.Errorf("delete: %w", err))
		return
	}
	var everyone bool
	switch f := r.URL.Query().Get("for"); f {
	case "", "me":
	case "everyone":
		everyone = true
	default:
		s.fail(w, r, fmt.Errorf("delete: %w: for=%q, want me or everyone", errBadRequest, f))
		return
	}
	if err := s.node.Actions().Delete(r.Context(), id, everyone); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleReact(w http.ResponseWriter, r *http.Request) {
	id, err := pathMessage(r)
	if err != nil {
		s.fail(w, r, fmt.Errorf("react: %w", err))
		return
	}
	var req SetReaction
	if err := decodeBody(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.node.Actions().React(r.Context(), id, req.Emoji); err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeMessage(w, r, id)
}

// writeMessage answers with message id as it is now.
func (s *Server) writeMessage(w http.ResponseWriter, r *http.Request, id core.MessageID) {
	m, err := s.node.Chats().Message(r.Context(), id)
	if err != nil {
		s.fail(w, r, fmt.Errorf("message %s: %w", id, err))
		return
	}
	writeJSON(w, http.StatusOK, s.messageOut(r, m, s.loadNames(r.Context())))
}

// withActions adds a message's edits and reactions to out.
func (s *Server) withActions(ctx context.Context, out *Message, m core.Message, nm names) {
	if m.Edits > 0 {
		out.Edited, out.Edits, out.EditedAt = true, m.Edits, utc(m.EditedAt)
	}
	rs, err := s.node.Actions().Reactions(ctx, m.ID)
	if err != nil {
		return
	}
	for _, x := range rs {
		r := Reaction{Emoji: x.Emoji, Count: x.Count}
		named := false
		for _, a := range x.Accounts {
			r.Accounts = append(r.Accounts, accountText(a))
			n := nm.account(accountText(a))
			named = named || n != ""
			r.AccountNames = append(r.AccountNames, n)
		}
		if !named {
			r.AccountNames = nil
		}
		out.Reactions = append(out.Reactions, r)
	}
}

// actionEventJSON converts the actions' events.
func actionEventJSON(e node.Event) (Event, bool) {
	chat := func(c core.Chat) (string, string) {
		if c.IsGroup() {
			return "", c.Group.String()
		}
		return accountText(c.Account), ""
	}
	switch e := e.(type) {
	case core.MessageEdited:
		peer, grp := chat(e.Chat)
		return Event{Type: EventMessageEdited, ID: e.ID.String(), Peer: peer, Group: grp, Text: e.Text, Edits: e.Edits,
			EditedAt: utc(e.EditedAt).Format(time.RFC3339Nano)}, true
	case core.MessageDeleted:
		peer, grp := chat(e.Chat)
		return Event{Type: EventMessageDeleted, ID: e.ID.String(), Peer: peer, Group: grp, By: accountText(e.By), ForEveryone: e.ForEveryone}, true
	case core.ReactionChanged:
		peer, grp := chat(e.Chat)
		return Event{Type: EventReactionChanged, ID: e.ID.String(), Peer: peer, Group: grp, Account: accountText(e.Account), Emoji: e.Emoji}, true
	}
	return Event{}, false
}

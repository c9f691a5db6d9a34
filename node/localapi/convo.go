package localapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/prefs"
)

// Replies and conversation preferences (pinned, muted, archived).

// ReplyTo is what a message replies to, as the quote it carries shows it.
type ReplyTo struct {
	ID         string `json:"id"`
	Author     string `json:"author"`
	AuthorName string `json:"author_name,omitempty"`
	// Snippet is the start of the original's text or caption (at most
	// 200 characters); empty when the original was deleted.
	Snippet string `json:"snippet"`
	// HasThumbnail: GET /v1/messages/{id}/quote-thumbnail serves the
	// quoted file's preview.
	HasThumbnail bool   `json:"has_thumbnail"`
	FileName     string `json:"file_name,omitempty"`
	// State is "ok" (the original is here), "deleted" (deleted for
	// everyone) or "unknown" (never received here, or removed here).
	State string `json:"state"`
}

// PrefsRequest is the body of PUT /v1/conversations/{account}/prefs and
// PUT /v1/groups/{group}/prefs. A field left out stays as it is.
type PrefsRequest struct {
	Pinned *bool `json:"pinned,omitempty"`
	// MutedUntil is a time (RFC 3339), "forever", or null to unmute.
	MutedUntil json.RawMessage `json:"muted_until,omitempty"`
	Archived   *bool           `json:"archived,omitempty"`
}

// ChatPrefs is a chat's preferences, the answer of the prefs PUTs.
type ChatPrefs struct {
	Pinned bool `json:"pinned"`
	// MutedUntil is when the mute ends (RFC 3339), "forever", or absent
	// when the chat is not muted.
	MutedUntil string `json:"muted_until,omitempty"`
	Archived   bool   `json:"archived"`
}

// mutedForever is MutedUntil of a chat muted for ever.
const mutedForever = "forever"

func (s *Server) convoRoutes() {
	s.mux.HandleFunc("GET /v1/messages/{id}/quote-thumbnail", s.handleQuoteThumbnail)
	s.mux.HandleFunc("PUT /v1/conversations/{account}/prefs", s.handlePrefs)
	s.mux.HandleFunc("PUT /v1/groups/{group}/prefs", s.handlePrefs)
}

// replyToJSON returns what message id replies to, nil when it is not a
// reply (or that cannot be read now: the message is still right).
func (s *Server) replyToJSON(ctx context.Context, id core.MessageID) *ReplyTo {
	r, ok, err := s.node.Replies().Of(ctx, id)
	if err != nil || !ok {
		return nil
	}
	return &ReplyTo{
		ID: r.ID.String(), Author: r.Author.String(), Snippet: r.Snippet, HasThumbnail: r.HasThumbnail,
		FileName: r.FileName, State: r.State.String(),
	}
}

// parseReplyTo reads an optional reply_to message ID.
func parseReplyTo(s string) (core.SendOptions, error) {
	if s == "" {
		return core.SendOptions{}, nil
	}
	id, err := core.ParseMessageID(s)
	if err != nil {
		return core.SendOptions{}, fmt.Errorf("reply_to: %w: %v", errBadRequest, err)
	}
	return core.SendOptions{ReplyTo: id}, nil
}

// replyToQuery reads the reply_to query parameter of POST /v1/media.
func replyToQuery(q url.Values) (core.MessageID, error) {
	o, err := parseReplyTo(q.Get("reply_to"))
	return o.ReplyTo, err
}

func (s *Server) handleQuoteThumbnail(w http.ResponseWriter, r *http.Request) {
	id, err := pathMessageID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := s.node.Replies().Thumbnail(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", http.DetectContentType(b))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(b)
}

// chatOf names the chat of a prefs request: {account} or {group}.
func chatOf(r *http.Request) (core.Chat, error) {
	if r.PathValue("group") != "" {
		g, err := pathGroup(r)
		return core.InGroup(g), err
	}
	a, err := pathAccount(r)
	return core.With(a), err
}

func (s *Server) handlePrefs(w http.ResponseWriter, r *http.Request) {
	chat, err := chatOf(r)
	if err != nil {
		s.fail(w, r, fmt.Errorf("chat prefs: %w", err))
		return
	}
	var req PrefsRequest
	if err := decodeBody(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return
	}
	c := prefs.Change{Pinned: req.Pinned, Archived: req.Archived}
	if req.MutedUntil != nil {
		until, err := parseMutedUntil(req.MutedUntil)
		if err != nil {
			s.fail(w, r, fmt.Errorf("chat prefs: %w", err))
			return
		}
		c.MutedUntil = &until
	}
	p, err := s.node.Prefs().Set(r.Context(), chat, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, prefsJSON(p))
}

// parseMutedUntil reads muted_until: null (unmute), "forever" or a time.
func parseMutedUntil(raw json.RawMessage) (time.Time, error) {
	var v *string
	if err := json.Unmarshal(raw, &v); err != nil {
		return time.Time{}, fmt.Errorf("%w: muted_until: a time, \"forever\" or null", errBadRequest)
	}
	switch {
	case v == nil:
		return time.Time{}, nil
	case *v == mutedForever:
		return prefs.Forever, nil
	}
	t, err := time.Parse(time.RFC3339Nano, *v)
	if err != nil || t.IsZero() {
		return time.Time{}, fmt.Errorf("%w: muted_until %q: a time (RFC 3339), \"forever\" or null", errBadRequest, *v)
	}
	return t, nil
}

func prefsJSON(p prefs.Prefs) ChatPrefs {
	out := ChatPrefs{Pinned: p.Pinned, Archived: p.Archived}
	switch {
	case p.MutedUntil.Equal(prefs.Forever):
		out.MutedUntil = mutedForever
	case !p.MutedUntil.IsZero():
		out.MutedUntil = rfc3339(p.MutedUntil)
	}
	return out
}

// prefsEventJSON converts a prefs change for the event stream.
func prefsEventJSON(e prefs.Changed) Event {
	p := prefsJSON(e.Prefs)
	ev := Event{Type: EventChatPrefs, Prefs: &p}
	if e.Chat.IsGroup() {
		ev.Group = e.Chat.Group.String()
	} else {
		ev.Peer = e.Chat.Account.String()
	}
	return ev
}

// EventChatPrefs is the type of the event of a changed chat's preferences
// (Peer or Group, Prefs), here or on another device of the account.
const EventChatPrefs = "chat_prefs_changed"

// convoEvent adds to a message event what replies and prefs say: the
// message's quote, and whether its chat is muted.
func (s *Server) convoEvent(ctx context.Context, ev *Event, m core.Message) {
	if ev.Message == nil {
		return
	}
	ev.Message.ReplyTo = s.replyToJSON(ctx, m.ID)
	ev.Muted = s.node.Prefs().Muted(ctx, m.Chat)
}

// listConversations lists the conversations with their preferences (the
// archived ones when ?archived=true).
func (s *Server) listConversations(r *http.Request) ([]Conversation, error) {
	archived := false
	switch v := r.URL.Query().Get("archived"); v {
	case "", "false":
	case "true":
		archived = true
	default:
		return nil, fmt.Errorf("conversations: %w: archived=%q: true or false", errBadRequest, v)
	}
	cs, err := s.node.Prefs().Conversations(r.Context(), archived)
	if err != nil {
		return nil, err
	}
	pending, err := s.requestSet(r) // message requests are listed apart (GET /v1/requests)
	if err != nil {
		return nil, err
	}
	nm := s.loadNames(r.Context())
	out := make([]Conversation, 0, len(cs))
	for _, c := range cs {
		if !c.Chat.IsGroup() && pending[c.Chat.Account] {
			continue
		}
		o := s.conversationOut(r, c.Conversation, nm)
		p := prefsJSON(c.Prefs)
		o.Pinned, o.MutedUntil, o.Archived = p.Pinned, p.MutedUntil, p.Archived
		o.Last.ReplyTo = s.replyToJSON(r.Context(), c.Last.ID)
		out = append(out, o)
	}
	return out, nil
}

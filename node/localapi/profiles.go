package localapi

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/pigeon-net/pigeon/node/contacts"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/profiles"
	"github.com/pigeon-net/pigeon/storage"
)

// Profile is an account's profile (GET /v1/profile, GET /v1/profiles/{account}).
type Profile struct {
	Account   string `json:"account"`
	Name      string `json:"name"`
	HasAvatar bool   `json:"has_avatar"`
	// AvatarURL is where the avatar is (GET), when it has one.
	AvatarURL string `json:"avatar_url,omitempty"`
	Version   uint64 `json:"version"`
}

// ProfileRequest is the body of PUT /v1/profile.
type ProfileRequest struct {
	Name string `json:"name"`
}

// Blocked is one entry of GET /v1/blocked.
type Blocked struct {
	Account string `json:"account"`
	Name    string `json:"name,omitempty"` // contact or profile name
}

// AcceptRequest is the optional body of POST /v1/requests/{account}/accept:
// the contact name to give the account.
type AcceptRequest struct {
	Name string `json:"name"`
}

// Events of profiles, blocking and message requests.
const (
	// EventProfileChanged: an account's profile (Account, Name,
	// HasAvatar, Version) changed; ours too.
	EventProfileChanged = "profile_changed"
	// EventBlockedChanged: Account was blocked (Blocked) or unblocked.
	EventBlockedChanged = "blocked_changed"
	// EventRequestReceived: Account, not a contact, started a
	// conversation: it is listed by GET /v1/requests.
	EventRequestReceived = "request_received"
	// EventRequestChanged: the request of Account was accepted
	// (Accepted) or deleted (Removed).
	EventRequestChanged = "request_changed"
)

func (s *Server) profileRoutes() {
	s.mux.HandleFunc("GET /v1/profile", s.handleOwnProfile)
	s.mux.HandleFunc("PUT /v1/profile", s.handleSetProfile)
	s.mux.HandleFunc("PUT /v1/profile/avatar", s.handleSetAvatar)
	s.mux.HandleFunc("DELETE /v1/profile/avatar", s.handleClearAvatar)
	s.mux.HandleFunc("GET /v1/profiles", s.handleProfiles)
	s.mux.HandleFunc("GET /v1/profiles/{account}", s.handleProfile)
	s.mux.HandleFunc("GET /v1/profiles/{account}/avatar", s.handleAvatar)
	s.mux.HandleFunc("GET /v1/requests", s.handleRequests)
	s.mux.HandleFunc("POST /v1/requests/{account}/accept", s.handleAccept)
	s.mux.HandleFunc("DELETE /v1/requests/{account}", s.handleDeleteRequest)
	s.mux.HandleFunc("POST /v1/requests/{account}/block", s.handleBlock)
	s.mux.HandleFunc("GET /v1/blocked", s.handleBlocked)
	s.mux.HandleFunc("PUT /v1/blocked/{account}", s.handleBlock)
	s.mux.HandleFunc("DELETE /v1/blocked/{account}", s.handleUnblock)
}

// avatarURL is where account's avatar is served.
func avatarURL(account string) string { return "/v1/profiles/" + account + "/avatar" }

func profileJSON(p profiles.Profile) Profile {
	out := Profile{Account: p.Account.String(), Name: p.Name, HasAvatar: len(p.Avatar) > 0 || p.AvatarType != "", Version: p.Version}
	if out.HasAvatar {
		out.AvatarURL = avatarURL(out.Account) + "?v=" + strconv.FormatUint(p.Version, 10)
	}
	return out
}

func (s *Server) handleOwnProfile(w http.ResponseWriter, r *http.Request) {
	p, err := s.node.Profiles().Own(r.Context())
	if err != nil {
		s.fail(w, r, fmt.Errorf("profile: %w: set one with PUT /v1/profile", err))
		return
	}
	writeJSON(w, http.StatusOK, profileJSON(p))
}

func (s *Server) handleSetProfile(w http.ResponseWriter, r *http.Request) {
	var req ProfileRequest
	if err := decodeBody(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.node.Profiles().SetName(r.Context(), req.Name); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleSetAvatar(w http.ResponseWriter, r *http.Request) {
	img, err := io.ReadAll(http.MaxBytesReader(w, r.Body, profiles.MaxAvatarSize))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		s.fail(w, r, fmt.Errorf("set avatar: %w: %w", errBodyTooLarge, profiles.ErrBadAvatar))
		return
	}
	if err != nil {
		s.fail(w, r, fmt.Errorf("set avatar: %w: %v", errBadRequest, err))
		return
	}
	if err := s.node.Profiles().SetAvatar(r.Context(), img); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleClearAvatar(w http.ResponseWriter, r *http.Request) {
	if err := s.node.Profiles().ClearAvatar(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleProfile(w http.ResponseWriter, r *http.Request) {
	account, err := pathAccount(r)
	if err != nil {
		s.fail(w, r, fmt.Errorf("profile: %w", err))
		return
	}
	p, err := s.node.Profiles().Get(r.Context(), account)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, profileJSON(p))
}

func (s *Server) handleProfiles(w http.ResponseWriter, r *http.Request) {
	ps, err := s.node.Profiles().List(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]Profile, len(ps))
	for i, p := range ps {
		out[i] = profileJSON(p)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleAvatar(w http.ResponseWriter, r *http.Request) {
	account, err := pathAccount(r)
	if err != nil {
		s.fail(w, r, fmt.Errorf("avatar: %w", err))
		return
	}
	p, err := s.node.Profiles().Get(r.Context(), account)
	if err == nil && len(p.Avatar) == 0 {
		err = fmt.Errorf("avatar: %w: %s has none", storage.ErrNotFound, account.Short())
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", p.AvatarType) // checked: image/jpeg or image/png
	w.Header().Set("Cache-Control", "private, max-age=86400")
	w.Header().Set("Content-Length", strconv.Itoa(len(p.Avatar)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(p.Avatar)
}

func (s *Server) handleRequests(w http.ResponseWriter, r *http.Request) {
	pending, err := s.requestSet(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cs, err := s.node.Chats().Conversations(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	nm := s.loadNames(r.Context())
	out := []Conversation{}
	for _, c := range cs {
		if c.Chat.IsGroup() || !pending[c.Chat.Account] {
			continue
		}
		conv := s.conversationOut(r, c, nm)
		conv.Request = true
		out = append(out, conv)
	}
	writeJSON(w, http.StatusOK, out)
}

// conversationOut is a conversation as the API shows it: names (a
// contact's, else the profile's), the avatar, a preview of files.
func (s *Server) conversationOut(r *http.Request, c core.Conversation, nm names) Conversation {
	out := conversationJSON(c)
	out.Name = nm.account(out.Peer) + nm.group(out.Group)
	if out.Peer != "" {
		out.ProfileName = nm.profiles[out.Peer]
		if nm.avatars[out.Peer] {
			out.AvatarURL = avatarURL(out.Peer)
		}
	}
	out.Last = s.withMedia(r.Context(), out.Last) // a chat list previews files too
	nm.message(&out.Last)
	return out
}

// requestSet is the accounts whose conversations are pending requests.
func (s *Server) requestSet(r *http.Request) (map[core.AccountID]bool, error) {
	rs, err := s.node.Contacts().Requests(r.Context())
	if err != nil {
		return nil, err
	}
	set := make(map[core.AccountID]bool, len(rs))
	for _, q := range rs {
		set[q.Account] = true
	}
	return set, nil
}

func (s *Server) handleAccept(w http.ResponseWriter, r *http.Request) {
	account, err := pathAccount(r)
	if err != nil {
		s.fail(w, r, fmt.Errorf("accept request: %w", err))
		return
	}
	var req AcceptRequest
	if err := decodeBody(w, r, &req, true); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.node.Contacts().Accept(r.Context(), account, req.Name); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleDeleteRequest(w http.ResponseWriter, r *http.Request) {
	account, err := pathAccount(r)
	if err != nil {
		s.fail(w, r, fmt.Errorf("delete request: %w", err))
		return
	}
	if err := s.node.Contacts().DeleteRequest(r.Context(), account); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleBlock(w http.ResponseWriter, r *http.Request) {
	account, err := pathAccount(r)
	if err != nil {
		s.fail(w, r, fmt.Errorf("block: %w", err))
		return
	}
	if err := s.node.Contacts().Block(r.Context(), account); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleUnblock(w http.ResponseWriter, r *http.Request) {
	account, err := pathAccount(r)
	if err != nil {
		s.fail(w, r, fmt.Errorf("unblock: %w", err))
		return
	}
	if err := s.node.Contacts().Unblock(r.Context(), account); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleBlocked(w http.ResponseWriter, r *http.Request) {
	as, err := s.node.Contacts().Blocked(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	nm := s.loadNames(r.Context())
	out := make([]Blocked, len(as))
	for i, a := range as {
		out[i] = Blocked{Account: a.String(), Name: nm.account(a.String())}
	}
	writeJSON(w, http.StatusOK, out)
}

// profileEvent converts the events of profiles, blocking and requests.
func profileEvent(e core.Event) (Event, bool) {
	switch e := e.(type) {
	case profiles.Changed:
		return Event{Type: EventProfileChanged, Account: e.Account.String(), Name: e.Name, HasAvatar: e.HasAvatar, Version: e.Version}, true
	case contacts.BlockedChanged:
		return Event{Type: EventBlockedChanged, Account: e.Account.String(), Blocked: e.Blocked}, true
	case contacts.RequestChanged:
		return Event{Type: e.EventName(), Account: e.Account.String(), Accepted: e.Accepted, Removed: e.Removed}, true
	}
	return Event{}, false
}

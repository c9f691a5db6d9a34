package localapi

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/groups"
	"github.com/pigeon-net/pigeon/storage"
)

// Group is one group (GET /v1/groups, GET /v1/groups/{group}).
type Group struct {
	ID          string        `json:"id"` // 64 hex characters
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Settings    GroupSettings `json:"settings"`
	Members     []GroupMember `json:"members"`
	Invites     []GroupInvite `json:"invites"`
	// Status is "active", "left" or "removed".
	Status string `json:"status"`
	// Role is this account's: "owner", "admin", "member" or "none".
	Role string `json:"role"`
}

// GroupSettings says who may do what: "members" or "admins".
type GroupSettings struct {
	Post     string `json:"post"`
	Add      string `json:"add"`
	EditInfo string `json:"edit_info"`
	// AdminsDelete lets admins delete any member's message for everyone.
	AdminsDelete bool `json:"admins_delete"`
}

// GroupMember is one member of a group.
type GroupMember struct {
	Account string `json:"account"`
	Name    string `json:"name,omitempty"` // the contact's
	Role    string `json:"role"`
	AddedBy string `json:"added_by"`
}

// GroupInvite is a live invite (its public key: links are shown once, by
// POST /v1/groups/{group}/invites).
type GroupInvite struct {
	Key       string `json:"key"` // hex Ed25519 public key
	By        string `json:"by"`
	ByName    string `json:"by_name,omitempty"`
	ExpiresAt string `json:"expires_at,omitempty"`
}

// CreateGroupRequest is the body of POST /v1/groups.
type CreateGroupRequest struct {
	Name        string         `json:"name"`
	Description string         `json:"description,omitempty"`
	Members     []string       `json:"members,omitempty"`
	Settings    *GroupSettings `json:"settings,omitempty"` // default: members may do everything
}

// UpdateGroupRequest is the body of PATCH /v1/groups/{group}: the name and
// description (both, when Name is set), the settings, or both.
type UpdateGroupRequest struct {
	Name        *string        `json:"name,omitempty"`
	Description string         `json:"description,omitempty"`
	Settings    *GroupSettings `json:"settings,omitempty"`
}

// AddMembersRequest is the body of POST /v1/groups/{group}/members.
type AddMembersRequest struct {
	Accounts []string `json:"accounts"`
	Role     string   `json:"role,omitempty"` // "member" (default) or "admin"
}

// RoleRequest is the body of PUT /v1/groups/{group}/members/{account}/role.
type RoleRequest struct {
	Role string `json:"role"` // "member" or "admin"
}

// InviteRequest is the body of POST /v1/groups/{group}/invites.
type InviteRequest struct {
	TTLSeconds int64 `json:"ttl_seconds,omitempty"` // 0: until revoked
}

// InviteResponse carries an invite link.
type InviteResponse struct {
	Link string `json:"link"`
}

// LinkRequest is the body of POST /v1/groups/join and
// POST /v1/groups/invites/revoke.
type LinkRequest struct {
	Link string `json:"link"`
}

// JoinResponse is the response of POST /v1/groups/join.
type JoinResponse struct {
	Group string `json:"group"`
	// Status is "active" once the group's log has arrived (the group is
	// usable), "admitted" while it is on its way.
	Status string `json:"status"`
}

// GroupSendRequest is the body of POST /v1/groups/{group}/messages.
type GroupSendRequest struct {
	Text string `json:"text"`
	// ReplyTo is the ID of a message of the group this one replies to.
	ReplyTo string `json:"reply_to,omitempty"`
}

// ReceiptsResponse is the response of
// GET /v1/groups/{group}/messages/{id}/receipts: each member's state of one
// of our messages ("delivered" or "read"; members without a receipt are
// absent).
type ReceiptsResponse struct {
	Receipts map[string]string `json:"receipts"`
}

func groupJSON(g groups.Info, nm names) Group {
	out := Group{
		ID: g.ID.String(), Name: g.Name, Description: g.Description,
		Settings: settingsJSON(g.Settings),
		Members:  make([]GroupMember, 0, len(g.Members)),
		Invites:  make([]GroupInvite, 0, len(g.Invites)),
		Status:   g.Status.String(), Role: g.Role.String(),
	}
	for _, m := range g.Members {
		out.Members = append(out.Members, GroupMember{Account: m.Account.String(), Name: nm.account(m.Account.String()), Role: m.Role.String(), AddedBy: m.By.String()})
	}
	for _, inv := range g.Invites {
		gi := GroupInvite{Key: fmt.Sprintf("%x", []byte(inv.Key)), By: inv.By.String(), ByName: nm.account(inv.By.String())}
		if !inv.ExpiresAt.IsZero() {
			gi.ExpiresAt = inv.ExpiresAt.UTC().Format(time.RFC3339Nano)
		}
		out.Invites = append(out.Invites, gi)
	}
	return out
}

func settingsJSON(s groups.Settings) GroupSettings {
	return GroupSettings{Post: s.Post.String(), Add: s.Add.String(), EditInfo: s.EditInfo.String(), AdminsDelete: s.AdminsDelete}
}

func settingsOf(s GroupSettings) (groups.Settings, error) {
	out := groups.Settings{AdminsDelete: s.AdminsDelete}
	for _, f := range []struct {
		in  string
		out *groups.Permission
	}{{s.Post, &out.Post}, {s.Add, &out.Add}, {s.EditInfo, &out.EditInfo}} {
		if f.in == "" {
			continue
		}
		p, err := groups.ParsePermission(f.in)
		if err != nil {
			return out, fmt.Errorf("%w: %v", errBadRequest, err)
		}
		*f.out = p
	}
	return out, nil
}

func pathGroup(r *http.Request) (core.GroupID, error) {
	id, err := core.ParseGroupID(r.PathValue("group"))
	if err != nil {
		return id, fmt.Errorf("%w: %v", errBadRequest, err)
	}
	return id, nil
}

func roleOf(s string) (groups.Role, error) {
	if s == "" {
		return groups.RoleMember, nil
	}
	r, err := groups.ParseRole(s)
	if err != nil {
		return r, fmt.Errorf("%w: %v", errBadRequest, err)
	}
	return r, nil
}

func accountsOf(in []string) ([]core.AccountID, error) {
	out := make([]core.AccountID, 0, len(in))
	for _, s := range in {
		a, err := core.ParseAccountID(s)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

func (s *Server) handleGroups(w http.ResponseWriter, r *http.Request) {
	gs, err := s.node.Groups().List(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	nm := s.loadNames(r.Context())
	out := make([]Group, len(gs))
	for i, g := range gs {
		out[i] = groupJSON(g, nm)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleCreateGroup(w http.ResponseWriter, r *http.Request) {
	var req CreateGroupRequest
	if err := decodeBody(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return
	}
	members, err := accountsOf(req.Members)
	if err != nil {
		s.fail(w, r, fmt.Errorf("create group: members: %w", err))
		return
	}
	var settings groups.Settings
	if req.Settings != nil {
		if settings, err = settingsOf(*req.Settings); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	id, err := s.node.Groups().Create(r.Context(), req.Name, req.Description, settings, members...)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	info, err := s.node.Groups().Info(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/v1/groups/"+id.String())
	writeJSON(w, http.StatusCreated, groupJSON(info, s.loadNames(r.Context())))
}

func (s *Server) handleGroup(w http.ResponseWriter, r *http.Request) {
	id, err := pathGroup(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	info, err := s.node.Groups().Info(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, groupJSON(info, s.loadNames(r.Context())))
}

// groupAction serves a request on the path's group that answers 204:
// decode the body into a T (unless body is false), call fn.
func groupAction[T any](s *Server, body bool, fn func(r *http.Request, id core.GroupID, req *T) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req T
		id, err := pathGroup(r)
		if err == nil && body {
			err = decodeBody(w, r, &req, false)
		}
		if err == nil {
			err = fn(r, id, &req)
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Server) updateGroup(r *http.Request, id core.GroupID, req *UpdateGroupRequest) error {
	if req.Name == nil && req.Settings == nil {
		return fmt.Errorf("%w: nothing to change", errBadRequest)
	}
	if req.Name != nil {
		if err := s.node.Groups().SetInfo(r.Context(), id, *req.Name, req.Description); err != nil {
			return err
		}
	}
	if req.Settings == nil {
		return nil
	}
	settings, err := settingsOf(*req.Settings)
	if err != nil {
		return err
	}
	return s.node.Groups().SetSettings(r.Context(), id, settings)
}

func (s *Server) addMembers(r *http.Request, id core.GroupID, req *AddMembersRequest) error {
	accounts, err := accountsOf(req.Accounts)
	if err != nil {
		return err
	}
	if len(accounts) == 0 {
		return fmt.Errorf("%w: no accounts", errBadRequest)
	}
	role, err := roleOf(req.Role)
	if err != nil {
		return err
	}
	return s.node.Groups().AddMembers(r.Context(), id, role, accounts...)
}

func (s *Server) removeMember(r *http.Request, id core.GroupID, _ *struct{}) error {
	account, err := pathAccount(r)
	if err != nil {
		return err
	}
	return s.node.Groups().RemoveMember(r.Context(), id, account)
}

func (s *Server) setRole(r *http.Request, id core.GroupID, req *RoleRequest) error {
	account, err := pathAccount(r)
	if err != nil {
		return err
	}
	role, err := groups.ParseRole(req.Role)
	if err != nil {
		return fmt.Errorf("%w: %v", errBadRequest, err)
	}
	return s.node.Groups().SetRole(r.Context(), id, account, role)
}

func (s *Server) leaveGroup(r *http.Request, id core.GroupID, _ *struct{}) error {
	return s.node.Groups().Leave(r.Context(), id)
}

func (s *Server) groupTyping(r *http.Request, id core.GroupID, req *TypingRequest) error {
	return s.node.Groups().SetTyping(r.Context(), id, req.Active)
}

func (s *Server) handleCreateInvite(w http.ResponseWriter, r *http.Request) {
	id, err := pathGroup(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var req InviteRequest
	if err := decodeBody(w, r, &req, true); err != nil {
		s.fail(w, r, err)
		return
	}
	if req.TTLSeconds < 0 {
		s.fail(w, r, fmt.Errorf("%w: negative ttl", errBadRequest))
		return
	}
	link, err := s.node.Groups().CreateInvite(r.Context(), id, time.Duration(req.TTLSeconds)*time.Second)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, InviteResponse{Link: link})
}

func (s *Server) handleRevokeInvite(w http.ResponseWriter, r *http.Request) {
	var req LinkRequest
	if err := decodeBody(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.node.Groups().RevokeInvite(r.Context(), req.Link); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleJoinGroup(w http.ResponseWriter, r *http.Request) {
	var req LinkRequest
	if err := decodeBody(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := s.node.Groups().Join(r.Context(), req.Link)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	resp := JoinResponse{Group: id.String(), Status: "admitted"}
	if info, err := s.node.Groups().Info(r.Context(), id); err == nil && info.Status == groups.Active {
		resp.Status = "active"
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) handleGroupSend(w http.ResponseWriter, r *http.Request) {
	id, err := pathGroup(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var req GroupSendRequest
	if err := decodeBody(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return
	}
	opts, err := parseReplyTo(req.ReplyTo)
	if err != nil {
		s.fail(w, r, fmt.Errorf("send to group: %w", err))
		return
	}
	mid, err := s.node.Groups().SendWith(r.Context(), id, req.Text, opts)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/v1/messages/"+mid.String())
	writeJSON(w, http.StatusCreated, SendResponse{ID: mid.String()})
}

func (s *Server) handleGroupHistory(w http.ResponseWriter, r *http.Request) {
	id, err := pathGroup(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	before, limit, err := pageOf(r)
	if err != nil {
		s.fail(w, r, fmt.Errorf("group history: %w", err))
		return
	}
	if _, err := s.node.Groups().Info(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	ms, err := s.node.Groups().History(r.Context(), id, before, limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	nm := s.loadNames(r.Context())
	out := make([]Message, len(ms))
	for i, m := range ms {
		out[i] = s.messageOut(r, m, nm)
	}
	writeJSON(w, http.StatusOK, out)
}

// pageOf reads the before and limit query parameters.
func pageOf(r *http.Request) (core.MessageID, int, error) {
	q := r.URL.Query()
	var before core.MessageID
	if v := q.Get("before"); v != "" {
		var err error
		if before, err = core.ParseMessageID(v); err != nil {
			return before, 0, fmt.Errorf("before: %w: %v", errBadRequest, err)
		}
	}
	limit := defaultHistoryLimit
	if v := q.Get("limit"); v != "" {
		var err error
		limit, err = strconv.Atoi(v)
		if err != nil || limit < 1 || limit > maxHistoryLimit {
			return before, 0, fmt.Errorf("%w: limit must be 1 to %d", errBadRequest, maxHistoryLimit)
		}
	}
	return before, limit, nil
}

func (s *Server) handleGroupRead(w http.ResponseWriter, r *http.Request) {
	id, err := pathGroup(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, err := s.node.Groups().MarkRead(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, MarkReadResponse{Marked: n})
}

func (s *Server) handleGroupReceipts(w http.ResponseWriter, r *http.Request) {
	id, err := pathGroup(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	mid, err := core.ParseMessageID(r.PathValue("id"))
	if err != nil {
		s.fail(w, r, fmt.Errorf("%w: %v", errBadRequest, err))
		return
	}
	m, err := s.node.Chats().Message(r.Context(), mid)
	if err == nil && (!m.Chat.IsGroup() || m.Chat.Group != id) {
		err = fmt.Errorf("message %s: %w", mid, storage.ErrNotFound)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	got, err := s.node.Groups().Receipts(r.Context(), mid)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := ReceiptsResponse{Receipts: make(map[string]string, len(got))}
	for a, st := range got {
		out.Receipts[a.String()] = st.String()
	}
	writeJSON(w, http.StatusOK, out)
}

package localapi

import (
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/pigeon-net/pigeon/node/relay/push"

	"github.com/pigeon-net/pigeon/node/chats"
	"github.com/pigeon-net/pigeon/node/core"
)

const (
	defaultHistoryLimit = 50
	maxHistoryLimit     = 1000
)

func pathAccount(r *http.Request) (core.AccountID, error) {
	return core.ParseAccountID(r.PathValue("account"))
}

func (s *Server) handleInfo(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, infoJSON(s.node.Info()))
}

func (s *Server) handleSend(w http.ResponseWriter, r *http.Request) {
	var req SendRequest
	if err := decodeBody(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return
	}
	to, err := core.ParseAccountID(req.To)
	if err != nil {
		s.fail(w, r, fmt.Errorf("send: to: %w", err))
		return
	}
	switch {
	case req.Text == "":
		s.fail(w, r, fmt.Errorf("send: %w: empty text", errBadRequest))
		return
	case len(req.Text) > chats.MaxTextSize:
		s.fail(w, r, fmt.Errorf("send: %w: text is %d bytes, limit %d", errBodyTooLarge, len(req.Text), chats.MaxTextSize))
		return
	}
	opts, err := parseReplyTo(req.ReplyTo)
	if err != nil {
		s.fail(w, r, fmt.Errorf("send: %w", err))
		return
	}
	id, err := s.node.Chats().SendWith(r.Context(), to, req.Text, opts)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/v1/messages/"+id.String())
	writeJSON(w, http.StatusCreated, SendResponse{ID: id.String()})
}

// messageOut is a message as the API shows it: with its file, why it is
// pending (an outgoing 1:1 message still in the outbox), and names.
func (s *Server) messageOut(r *http.Request, m core.Message, nm names) Message {
	out := s.withMedia(r.Context(), messageJSON(m))
	out.ReplyTo = s.replyToJSON(r.Context(), m.ID)
	if m.State == core.Pending && m.Direction == core.Outgoing && !m.Chat.IsGroup() {
		if why, ok, err := s.node.PendingReason(r.Context(), m.ID); err == nil && ok {
			out.Pending = pendingJSON(why)
		}
	}
	s.withActions(r.Context(), &out, m, nm)
	nm.message(&out)
	return out
}

func (s *Server) handleMessage(w http.ResponseWriter, r *http.Request) {
	id, err := core.ParseMessageID(r.PathValue("id"))
	if err != nil {
		s.fail(w, r, fmt.Errorf("%w: %v", errBadRequest, err))
		return
	}
	m, err := s.node.Chats().Message(r.Context(), id)
	if err != nil {
		s.fail(w, r, fmt.Errorf("message %s: %w", id, err))
		return
	}
	writeJSON(w, http.StatusOK, s.messageOut(r, m, s.loadNames(r.Context())))
}

func (s *Server) handleConversations(w http.ResponseWriter, r *http.Request) {
	out, err := s.listConversations(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleHistory(w http.ResponseWriter, r *http.Request) {
	peer, err := pathAccount(r)
	if err != nil {
		s.fail(w, r, fmt.Errorf("history: %w", err))
		return
	}
	before, limit, err := pageOf(r)
	if err != nil {
		s.fail(w, r, fmt.Errorf("history: %w", err))
		return
	}
	ms, err := s.node.Chats().History(r.Context(), peer, before, limit)
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

func (s *Server) handleMarkRead(w http.ResponseWriter, r *http.Request) {
	peer, err := pathAccount(r)
	if err != nil {
		s.fail(w, r, fmt.Errorf("mark read: %w", err))
		return
	}
	n, err := s.node.Chats().MarkRead(r.Context(), peer)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, MarkReadResponse{Marked: n})
}

func (s *Server) handleTyping(w http.ResponseWriter, r *http.Request) {
	peer, err := pathAccount(r)
	if err != nil {
		s.fail(w, r, fmt.Errorf("typing: %w", err))
		return
	}
	var req TypingRequest
	if err := decodeBody(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.node.Presence().SetTyping(r.Context(), peer, req.Active); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleContacts(w http.ResponseWriter, r *http.Request) {
	cs, err := s.node.Contacts().List(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	nm := s.loadNames(r.Context())
	blocked, _ := s.node.Contacts().Blocked(r.Context())
	out := make([]Contact, len(cs))
	for i, c := range cs {
		out[i] = contactJSON(c)
		out[i].ProfileName = nm.profiles[out[i].Account]
		if nm.avatars[out[i].Account] {
			out[i].AvatarURL = avatarURL(out[i].Account)
		}
		out[i].Blocked = slices.Contains(blocked, c.Account)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleAddContact(w http.ResponseWriter, r *http.Request) {
	account, err := pathAccount(r)
	if err != nil {
		s.fail(w, r, fmt.Errorf("add contact: %w", err))
		return
	}
	var req ContactRequest
	if err := decodeBody(w, r, &req, true); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.node.Contacts().Add(r.Context(), account, req.Name); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleRemoveContact(w http.ResponseWriter, r *http.Request) {
	account, err := pathAccount(r)
	if err != nil {
		s.fail(w, r, fmt.Errorf("remove contact: %w", err))
		return
	}
	if err := s.node.Contacts().Remove(r.Context(), account); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleSafetyNumber(w http.ResponseWriter, r *http.Request) {
	account, err := pathAccount(r)
	if err != nil {
		s.fail(w, r, fmt.Errorf("safety number: %w", err))
		return
	}
	sn, err := s.node.Contacts().SafetyNumber(r.Context(), account)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, SafetyNumberResponse{SafetyNumber: sn})
}

func (s *Server) handleVerify(w http.ResponseWriter, r *http.Request) {
	account, err := pathAccount(r)
	if err != nil {
		s.fail(w, r, fmt.Errorf("verify contact: %w", err))
		return
	}
	if err := s.node.Contacts().Verify(r.Context(), account); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleRelays(w http.ResponseWriter, r *http.Request) {
	rs, err := s.node.Relays().List(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, relaysJSON(rs))
}

func (s *Server) handleAddRelay(w http.ResponseWriter, r *http.Request) {
	var req RelayRequest
	if err := decodeBody(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.node.Relays().Add(r.Context(), req.Addr, req.Invite); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleRemoveRelay(w http.ResponseWriter, r *http.Request) {
	id, err := peer.Decode(r.PathValue("peer"))
	if err != nil {
		s.fail(w, r, fmt.Errorf("remove relay: %w: peer ID: %v", errBadRequest, err))
		return
	}
	if err := s.node.Relays().Remove(r.Context(), id.String()); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleRotateSecret(w http.ResponseWriter, r *http.Request) {
	if err := s.node.Relays().RotateDepositSecret(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handlePresence(w http.ResponseWriter, r *http.Request) {
	account, err := pathAccount(r)
	if err != nil {
		s.fail(w, r, fmt.Errorf("presence: %w", err))
		return
	}
	p, err := s.node.Presence().Get(r.Context(), account)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := Presence{Account: account.String(), Name: s.loadNames(r.Context()).account(account.String()), State: p.State.String()}
	if !p.LastSeen.IsZero() {
		out.LastSeen = p.LastSeen.UTC().Format(time.RFC3339Nano)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleGetPrivacy(w http.ResponseWriter, r *http.Request) {
	who, err := s.node.Presence().Privacy(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, PrivacyRequest{Who: who})
}

func (s *Server) handlePrivacy(w http.ResponseWriter, r *http.Request) {
	var req PrivacyRequest
	if err := decodeBody(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.node.Presence().SetPrivacy(r.Context(), req.Who); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleSetPush(w http.ResponseWriter, r *http.Request) {
	var req PushRequest
	if err := decodeBody(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return
	}
	ep := push.Endpoint{URL: req.URL, Token: req.Token, Topic: req.Topic, Sandbox: req.Sandbox}
	switch req.Kind {
	case "unifiedpush", "webhook":
		ep.Kind = push.UnifiedPush
	case "fcm":
		ep.Kind = push.FCM
	case "apns":
		ep.Kind = push.APNs
	default:
		s.fail(w, r, fmt.Errorf("push: %w: kind must be unifiedpush, webhook, fcm or apns", errBadRequest))
		return
	}
	if err := s.node.Relays().SetPush(r.Context(), ep); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleClearPush(w http.ResponseWriter, r *http.Request) {
	if err := s.node.Relays().SetPush(r.Context(), push.Endpoint{}); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

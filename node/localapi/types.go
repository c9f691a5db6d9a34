package localapi

import (
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/contacts"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/devices"
	"github.com/pigeon-net/pigeon/node/groups"
	"github.com/pigeon-net/pigeon/node/media"
	"github.com/pigeon-net/pigeon/node/prefs"
	"github.com/pigeon-net/pigeon/node/presence"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/storage"
)

// The JSON types below are the wire format of API version 1. Clients (the
// pigeon CLI among them) decode into the same structs. Account IDs are in
// their text form ("pg…"), message IDs are 32 hex characters, and times are
// RFC 3339 with nanoseconds in UTC ("2026-01-02T15:04:05.123456789Z", as
// time.RFC3339Nano formats a UTC time; trailing zeros of the fraction are
// dropped). Beside an account or group ID, a field ending in "_name" holds
// the contact's or group's name when there is one.

// Info is the response of GET /v1/info.
type Info struct {
	Account string   `json:"account"`
	Device  uint32   `json:"device"`
	PeerID  string   `json:"peer_id"`
	Addrs   []string `json:"addrs"` // full multiaddrs ending in /p2p/<peer_id>
}

// Message is one history entry.
type Message struct {
	ID   string `json:"id"`
	Peer string `json:"peer,omitempty"` // the other account of a 1:1 conversation
	// Group is set on group messages: the group's ID (64 hex characters).
	Group        string    `json:"group,omitempty"`
	PeerName     string    `json:"peer_name,omitempty"`
	GroupName    string    `json:"group_name,omitempty"`
	Sender       string    `json:"sender"`
	SenderName   string    `json:"sender_name,omitempty"`
	SenderDevice uint32    `json:"sender_device"`
	Direction    string    `json:"direction"` // "in" or "out"
	Text         string    `json:"text"`
	SentAt       time.Time `json:"sent_at"`   // sender's clock, in milliseconds
	StoredAt     time.Time `json:"stored_at"` // this node's clock
	// State is "pending", "sent", "delivered" or "read" for outgoing
	// messages, "received" or "read" for incoming ones, or "failed".
	State string `json:"state"`
	// Pending says why an outgoing 1:1 message is still pending.
	Pending *Pending `json:"pending,omitempty"`
	// Media is the attachment the message carries, if any (Text is then
	// its caption).
	Media *Media `json:"media,omitempty"`
	// Edited says Text is an edit (Edits: its version, 1..10; EditedAt:
	// when, by the author's clock); GET /v1/messages/{id}/versions lists
	// the earlier ones.
	Edited   bool      `json:"edited,omitempty"`
	Edits    int       `json:"edits,omitempty"`
	EditedAt time.Time `json:"edited_at,omitzero"`
	// Reactions to the message, the most frequent emoji first.
	Reactions []Reaction `json:"reactions,omitempty"`
	// ReplyTo is the message this one replies to, if any.
	ReplyTo *ReplyTo `json:"reply_to,omitempty"`
	// Kind is "message" for what someone wrote, "timer" for the notice
	// of a disappearing-messages timer change (Sender made it, Text says
	// what it became, ExpireAfterS is the new timer), "device" for the
	// notice that the peer's account added or removed a device (Text
	// says which).
	Kind string `json:"kind"`
	// ExpireAfterS is the disappearing-messages timer the message was
	// sent under, in seconds (0 or absent: it stays); ExpiresAt its
	// deadline once the countdown started (at send for outgoing
	// messages, at the first read for incoming ones).
	ExpireAfterS int64      `json:"expire_after_s,omitempty"`
	ExpiresAt    *time.Time `json:"expires_at,omitempty"`
}

// Pending is why an outgoing message is still pending (node.PendingReason).
type Pending struct {
	// Code is "resolving", "unknown_account", "no_relay",
	// "relays_unreachable", "relay_refused", "copying",
	// "identity_changed", "refused" or "error".
	Code   string `json:"code"`
	Reason string `json:"reason"` // one sentence for people
	// Attempts is how many due attempts failed; NextAttempt is when the
	// node tries again (sooner when the recipient or a relay of theirs
	// connects). Both are absent before the first attempt.
	Attempts    int       `json:"attempts,omitempty"`
	NextAttempt time.Time `json:"next_attempt,omitzero"`
}

// Conversation summarises one chat in GET /v1/conversations: 1:1 with
// Peer, or the group Group.
type Conversation struct {
	Peer   string  `json:"peer,omitempty"`
	Group  string  `json:"group,omitempty"`
	Name   string  `json:"name,omitempty"` // the contact's or the group's
	Last   Message `json:"last"`
	Unread int     `json:"unread"`
	// ProfileName and AvatarURL are what the peer's profile says.
	ProfileName string `json:"profile_name,omitempty"`
	AvatarURL   string `json:"avatar_url,omitempty"`
	// Request is set for a message request (GET /v1/requests).
	Request bool `json:"request,omitempty"`
	// Pinned, MutedUntil and Archived are the chat's preferences (see
	// ChatPrefs).
	Pinned     bool   `json:"pinned"`
	MutedUntil string `json:"muted_until,omitempty"`
	Archived   bool   `json:"archived"`
}

// Contact is one entry of GET /v1/contacts.
type Contact struct {
	Account  string    `json:"account"`
	Name     string    `json:"name"`
	AddedAt  time.Time `json:"added_at"`
	Verified bool      `json:"verified"`
	// IdentityChangedAt is set when a device of the contact presented a new
	// identity key since the user last verified it.
	IdentityChangedAt time.Time `json:"identity_changed_at,omitzero"`
	// ProfileName and AvatarURL are what the contact's profile says.
	ProfileName string `json:"profile_name,omitempty"`
	AvatarURL   string `json:"avatar_url,omitempty"`
	Blocked     bool   `json:"blocked,omitempty"`
}

// SendRequest is the body of POST /v1/messages.
type SendRequest struct {
	To   string `json:"to"`
	Text string `json:"text"`
	// ReplyTo is the ID of a message of the chat this one replies to.
	ReplyTo string `json:"reply_to,omitempty"`
}

// SendResponse is the response of POST /v1/messages.
type SendResponse struct {
	ID string `json:"id"`
}

// MarkReadResponse is the response of POST /v1/conversations/{account}/read.
type MarkReadResponse struct {
	Marked int `json:"marked"`
}

// Relay is one of the node's relays (GET /v1/relays).
type Relay struct {
	Addr      string  `json:"addr"`
	PeerID    string  `json:"peer_id"`
	Reserved  bool    `json:"reserved"`
	Expires   string  `json:"expires,omitempty"`
	LatencyMS float64 `json:"latency_ms,omitempty"`
	Region    string  `json:"region,omitempty"`
	Mailbox   bool    `json:"mailbox"` // named in the device list for deposits
	LastError string  `json:"last_error,omitempty"`
	Closing   bool    `json:"closing,omitempty"` // removed; its mailbox there is still to be closed
	// Push is what the relay did with the push endpoint: its state,
	// and when refused the refusal and reason (see RelayPush).
	Push        string `json:"push"`
	PushRefusal string `json:"push_refusal,omitempty"`
	PushReason  string `json:"push_reason,omitempty"`
}

// Presence is a contact's online state (GET /v1/presence/{account}).
type Presence struct {
	Account  string `json:"account"`
	Name     string `json:"name,omitempty"`
	State    string `json:"state"` // online, offline or unknown
	LastSeen string `json:"last_seen,omitempty"`
}

// PrivacyRequest is the body of PUT /v1/presence/privacy and the answer
// of GET /v1/presence/privacy.
type PrivacyRequest struct {
	Who string `json:"who"` // everyone, contacts or nobody
}

// PushRequest is the body of PUT /v1/push: where this device's relays send
// a content-free wake-up. Kind is "unifiedpush" (or "webhook": URL), "fcm"
// (Token) or "apns" (Token, Topic, Sandbox).
type PushRequest struct {
	Kind    string `json:"kind"`
	URL     string `json:"url,omitempty"`
	Token   string `json:"token,omitempty"`
	Topic   string `json:"topic,omitempty"`
	Sandbox bool   `json:"sandbox,omitempty"`
}

// RelayRequest is the body of POST /v1/relays.
type RelayRequest struct {
	Addr   string `json:"addr"`
	Invite string `json:"invite,omitempty"` // for relays that serve invited accounts only
}

// ContactRequest is the body of PUT /v1/contacts/{account}.
type ContactRequest struct {
	Name string `json:"name"`
}

// SafetyNumberResponse is the response of
// GET /v1/contacts/{account}/safety-number.
type SafetyNumberResponse struct {
	SafetyNumber string `json:"safety_number"` // 60 decimal digits
}

// Error codes, one per HTTP status the API returns.
const (
	CodeBadRequest   = "bad_request"  // 400
	CodeUnauthorized = "unauthorized" // 401
	CodeForbidden    = "forbidden"    // 403: the group's roles or settings do not allow it
	CodeNotFound     = "not_found"    // 404
	CodeConflict     = "conflict"     // 409
	CodeTooLarge     = "too_large"    // 413
	CodeInternal     = "internal"     // 500
	CodeUnavailable  = "unavailable"  // 503: the node is closing
	// CodeBadMedia: a downloaded file failed a check (a block's hash, a
	// digest, its size, decryption); nothing was kept of it (502).
	CodeBadMedia = "bad_media"
	// CodeMediaUnavailable: no known peer holds the file's blocks (502).
	CodeMediaUnavailable = "media_unavailable"
	// CodeInviteRefused: the invite's maker refused the join (revoked,
	// expired or unknown invite, full group); the message says which (403).
	CodeInviteRefused = "invite_refused"
	// CodeUnreachable: a node the request needed to talk to now (the
	// invite's maker) could not be reached (504).
	CodeUnreachable = "unreachable"
	// CodeStorageFull: the disk holding the node's data is short of free
	// space; nothing was stored: free some disk space and retry (507).
	CodeStorageFull = "storage_full"
	// CodeNoAccountKey: only a device that holds the account key links
	// and revokes devices; do it on that device (403).
	CodeNoAccountKey = "no_account_key"
	// CodeUnknownDevice: the account lists no such device (404).
	CodeUnknownDevice = "unknown_device"
	// CodeThisDevice: a device cannot revoke itself; revoke it from
	// another device that holds the account key (409).
	CodeThisDevice = "this_device"
)

// Error is the body of every non-2xx response.
type Error struct {
	Message string `json:"error"`
	Code    string `json:"code"`
}

// Error implements error, so clients can return a decoded Error as is.
func (e *Error) Error() string { return e.Message }

// Event types of the /v1/events stream.
const (
	EventMessageReceived     = "message_received"
	EventMessageStateChanged = "message_state_changed"
	EventReceipt             = "receipt"
	EventIdentityChanged     = "identity_changed"
	EventTyping              = "typing"
	EventPresence            = "presence"
	EventGroupChanged        = "group_changed"
	EventGroupTyping         = "group_typing"
	EventGroupReceipt        = "group_receipt"
	EventMediaProgress       = "media_progress"
	EventMediaState          = "media_state"
	EventMessagePending      = "message_pending"
	EventContactChanged      = "contact_changed"
	// EventTimerChanged says a chat's disappearing-messages timer changed
	// (Peer or Group, From: who changed it, Seconds: 0 is off).
	EventTimerChanged = "timer_changed"
	// EventBackupProgress reports a running backup: Done bytes of Total
	// (-1: not known yet).
	EventBackupProgress = "backup_progress"
	// EventBackupDone says a backup ended: ID is its snapshot, Error why
	// it failed.
	EventBackupDone = "backup_done"
	// EventMessageExpired says a disappearing message reached its
	// deadline and is gone (ID, Peer or Group): remove it from the view.
	EventMessageExpired = "message_expired"
	// EventLinkRequest asks the user to confirm a new device: show SAS
	// beside Name and answer with POST /v1/devices/link-requests/{ID}.
	EventLinkRequest = "link_request"
	// EventDeviceLinked and EventDeviceRevoked say the account's devices
	// changed (GET /v1/devices).
	EventDeviceLinked  = "device_linked"
	EventDeviceRevoked = "device_revoked"
	// EventHistorySync reports a pull of the account's history from
	// another device of the account.
	EventHistorySync = "history_sync"
	// EventStorage says the node became short of disk space (State
	// "full": new messages, sends and downloads are refused) or has room
	// again ("ok"), with Free and MinFree in bytes.
	EventStorage = "storage"
	// EventDropped says that the daemon fell behind the node and lost
	// Count events (every stream gets it, with its Seq); the client should
	// re-read what it shows (conversations, history).
	EventDropped = "dropped"
	// EventHello is the first frame of every stream: Epoch and Seq, the
	// sequence number of the newest event so far (0 before the first).
	EventHello = "hello"
	// EventReset follows hello when the stream cannot resume after the
	// client's cursor (another epoch: the daemon restarted; or the events
	// after it are no longer kept), or comes later when the client fell too
	// far behind: re-read what it shows; the events that follow are live.
	// It has no Seq.
	EventReset = "reset"
)

// Event is one frame of the /v1/events stream. Type says which fields are
// set:
//
//   - message_received: Message
//   - message_state_changed: ID, Peer (or Group), State
//   - message_edited: ID, Peer (or Group), Text, Edits, EditedAt
//   - message_deleted: ID, Peer (or Group), By, ForEveryone
//   - reaction_changed: ID, Peer (or Group), Account, Emoji (empty: removed)
//   - receipt: From, Device, Kind ("delivery" or "read"), IDs
//   - identity_changed: Account, Device
//   - typing: From, Active, Until (set while active)
//   - presence: Account, State (online, offline, unknown), LastSeen
//   - group_changed: Group, Change, By, Account, Role
//   - group_typing: Group, From, Active, Until (set while active)
//   - group_receipt: Group, From, Kind ("delivery" or "read"), IDs
//   - media_progress: ID, Peer (a 1:1 chat's account) or Group (a group's
//     file), Direction ("upload" or "download"), Phase ("encrypt",
//     "upload" to a relay, "download"), Done, Total (bytes of the file)
//   - media_state: ID, Peer or Group, State (remote, fetching, retrying,
//     local, failed, removed), Error (why the last attempt failed), Size
//     (bytes of the file), RetryUntil (state retrying: when it gives up)
//   - message_pending: Peer, IDs, Code, Reason, Attempts, NextAttempt (the
//     reason messages to Peer wait changed)
//   - contact_changed: Account, AccountName, Removed
//   - timer_changed: Peer or Group, From, Seconds
//   - message_expired: ID, Peer or Group
//   - link_request: ID (the request's), Name, Platform, SAS (six digits),
//     PeerID (the new device's)
//   - device_linked: Device, Name, Platform, PeerID, AddedAt
//   - device_revoked: Device
//   - history_sync: Device (the one pulled from), Done, Total (operations),
//     Error (the pull stopped early; it resumes when the devices meet)
//   - storage: State ("full" or "ok"), Free, MinFree (bytes)
//   - dropped: Count
//   - hello: Epoch, Seq (always the first frame)
//   - reset: nothing
//
// Every event but hello and reset has Seq, its sequence number: strictly
// increasing, one higher for each event of the daemon process (Epoch).
// Each account or group field X has its name in X_name when there is one
// (PeerName, FromName, AccountName, ByName, GroupName).
type Event struct {
	Type        string   `json:"type"`
	Seq         uint64   `json:"seq,omitempty"`
	Epoch       string   `json:"epoch,omitempty"`
	Message     *Message `json:"message,omitempty"`
	Seconds     int64    `json:"seconds,omitempty"`
	ID          string   `json:"id,omitempty"`
	Peer        string   `json:"peer,omitempty"`
	State       string   `json:"state,omitempty"`
	From        string   `json:"from,omitempty"`
	Device      uint32   `json:"device,omitempty"`
	Kind        string   `json:"kind,omitempty"`
	IDs         []string `json:"ids,omitempty"`
	Account     string   `json:"account,omitempty"`
	Count       uint64   `json:"count,omitempty"`
	Active      bool     `json:"active,omitempty"`
	Until       string   `json:"until,omitempty"`
	LastSeen    string   `json:"last_seen,omitempty"`
	Group       string   `json:"group,omitempty"`
	Change      string   `json:"change,omitempty"`
	By          string   `json:"by,omitempty"`
	Role        string   `json:"role,omitempty"`
	Direction   string   `json:"direction,omitempty"`
	Phase       string   `json:"phase,omitempty"`
	Done        int64    `json:"done,omitempty"`
	Total       int64    `json:"total,omitempty"`
	Error       string   `json:"error,omitempty"`
	Code        string   `json:"code,omitempty"`
	Reason      string   `json:"reason,omitempty"`
	Attempts    int      `json:"attempts,omitempty"`
	NextAttempt string   `json:"next_attempt,omitempty"`
	Removed     bool     `json:"removed,omitempty"`
	PeerName    string   `json:"peer_name,omitempty"`
	FromName    string   `json:"from_name,omitempty"`
	AccountName string   `json:"account_name,omitempty"`
	ByName      string   `json:"by_name,omitempty"`
	GroupName   string   `json:"group_name,omitempty"`
	Free        uint64   `json:"free,omitempty"`
	MinFree     uint64   `json:"min_free,omitempty"`
	Size        uint64   `json:"size,omitempty"`
	RetryUntil  string   `json:"retry_until,omitempty"`
	Name        string   `json:"name,omitempty"`
	Platform    string   `json:"platform,omitempty"`
	SAS         string   `json:"sas,omitempty"`
	PeerID      string   `json:"peer_id,omitempty"`
	AddedAt     string   `json:"added_at,omitempty"`
	// Actions (actions.go).
	Text        string `json:"text,omitempty"`
	Edits       int    `json:"edits,omitempty"`
	EditedAt    string `json:"edited_at,omitempty"`
	Emoji       string `json:"emoji,omitempty"`
	ForEveryone bool   `json:"for_everyone,omitempty"`
	// Profiles, blocking, requests.
	HasAvatar bool   `json:"has_avatar,omitempty"`
	Version   uint64 `json:"version,omitempty"`
	Blocked   bool   `json:"blocked,omitempty"`
	Accepted  bool   `json:"accepted,omitempty"`
	// Muted is set on message_received when the message's chat is muted:
	// clients show no notification for it.
	Muted bool       `json:"muted,omitempty"`
	Prefs *ChatPrefs `json:"prefs,omitempty"`
}

// TypingRequest is the body of POST /v1/conversations/{account}/typing.
type TypingRequest struct {
	Active bool `json:"active"`
}

func accountText(a storage.Account) string { return identity.AccountID(a).String() }

// utc is t in UTC, so every time in the API reads "…Z"; the zero time stays
// zero (and is left out where the field says omitzero).
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

// rfc3339 formats a time of a string field like a time.Time field; "" for
// the zero time.
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func pendingJSON(r node.PendingReason) *Pending {
	return &Pending{Code: r.Code, Reason: r.Text, Attempts: r.Attempts, NextAttempt: utc(r.NextAttempt)}
}

func messageJSON(m core.Message) Message {
	peer, grp := "", ""
	if m.Chat.IsGroup() {
		grp = m.Chat.Group.String()
	} else {
		peer = accountText(m.Chat.Account)
	}
	return Message{
		ID:           m.ID.String(),
		Peer:         peer,
		Group:        grp,
		Sender:       accountText(m.Sender),
		SenderDevice: m.SenderDevice,
		Direction:    m.Direction.String(),
		Text:         m.Text,
		SentAt:       utc(m.SentAt),
		StoredAt:     utc(m.StoredAt),
		State:        m.State.String(),
		Kind:         messageKind(m.Kind),
		ExpireAfterS: int64(m.ExpireAfter / time.Second),
		ExpiresAt:    optionalTime(m.ExpiresAt),
	}
}

func messageKind(k core.MessageKind) string {
	switch k {
	case core.KindTimerNotice, core.KindDeviceNotice:
		return k.String()
	}
	return "message"
}

func optionalTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := utc(t)
	return &u
}

func infoJSON(in node.Info) Info {
	out := Info{
		Account: in.Account.String(),
		Device:  in.Device,
		PeerID:  in.PeerID.String(),
		Addrs:   make([]string, 0, len(in.Addrs)),
	}
	for _, a := range in.Addrs {
		out.Addrs = append(out.Addrs, a.String())
	}
	return out
}

func conversationJSON(c core.Conversation) Conversation {
	if c.Chat.IsGroup() {
		return Conversation{Group: c.Chat.Group.String(), Last: messageJSON(c.Last), Unread: c.Unread}
	}
	return Conversation{Peer: c.Chat.Account.String(), Last: messageJSON(c.Last), Unread: c.Unread}
}

func contactJSON(c contacts.Contact) Contact {
	return Contact{
		Account:           c.Account.String(),
		Name:              c.Name,
		AddedAt:           utc(c.AddedAt),
		Verified:          c.Verified,
		IdentityChangedAt: utc(c.IdentityChangedAt),
	}
}

// mediaChatJSON names a media event's chat: a group, or an account.
func mediaChatJSON(c core.Chat) (string, string) {
	if c.IsGroup() {
		return "", c.Group.String()
	}
	return c.Account.String(), ""
}

// eventJSON converts a node event; ok is false for event types this API
// version does not know.
func eventJSON(e node.Event) (Event, bool) {
	if ev, ok := profileEvent(e); ok {
		return ev, true
	}
	switch e := e.(type) {
	case core.MessageEdited, core.MessageDeleted, core.ReactionChanged:
		return actionEventJSON(e)
	case core.MessageReceived:
		m := messageJSON(e.Message)
		return Event{Type: EventMessageReceived, Message: &m}, true
	case prefs.Changed:
		return prefsEventJSON(e), true
	case core.MessageStateChanged:
		if e.Chat.IsGroup() {
			return Event{Type: EventMessageStateChanged, ID: e.ID.String(), Group: e.Chat.Group.String(), State: e.State.String()}, true
		}
		return Event{Type: EventMessageStateChanged, ID: e.ID.String(), Peer: e.Chat.Account.String(), State: e.State.String()}, true
	case node.ReceiptReceived:
		kind := "delivery"
		if e.Read {
			kind = "read"
		}
		ids := make([]string, len(e.IDs))
		for i, id := range e.IDs {
			ids[i] = id.String()
		}
		return Event{Type: EventReceipt, From: e.From.String(), Device: e.Device, Kind: kind, IDs: ids}, true
	case presence.Typing:
		ev := Event{Type: EventTyping, From: e.From.String(), Active: e.Active}
		if e.Active {
			ev.Until = rfc3339(e.Until)
		}
		return ev, true
	case presence.Changed:
		ev := Event{Type: EventPresence, Account: e.Presence.Account.String(), State: e.Presence.State.String()}
		if !e.Presence.LastSeen.IsZero() {
			ev.LastSeen = rfc3339(e.Presence.LastSeen)
		}
		return ev, true
	case groups.Changed:
		ev := Event{Type: EventGroupChanged, Group: e.Group.String(), Change: e.Change, By: e.By.String()}
		if !e.Account.IsZero() {
			ev.Account = e.Account.String()
		}
		if e.Role != groups.RoleNone {
			ev.Role = e.Role.String()
		}
		return ev, true
	case groups.Typing:
		ev := Event{Type: EventGroupTyping, Group: e.Group.String(), From: e.From.String(), Active: e.Active}
		if e.Active {
			ev.Until = rfc3339(e.Until)
		}
		return ev, true
	case groups.Receipt:
		kind := "delivery"
		if e.Read {
			kind = "read"
		}
		ids := make([]string, len(e.IDs))
		for i, id := range e.IDs {
			ids[i] = id.String()
		}
		return Event{Type: EventGroupReceipt, Group: e.Group.String(), From: e.From.String(), Kind: kind, IDs: ids}, true
	case media.Progress:
		dir := "download"
		if e.Upload {
			dir = "upload"
		}
		ev := Event{Type: EventMediaProgress, ID: e.ID.String(), Direction: dir, Phase: e.Phase, Done: e.Done, Total: e.Total}
		ev.Peer, ev.Group = mediaChatJSON(e.Chat)
		return ev, true
	case media.StateChanged:
		ev := Event{Type: EventMediaState, ID: e.ID.String(), State: e.State.String(), Error: e.Error, Size: e.Size}
		ev.Peer, ev.Group = mediaChatJSON(e.Chat)
		if !e.RetryUntil.IsZero() {
			ev.RetryUntil = rfc3339(e.RetryUntil)
		}
		return ev, true
	case node.MessagePending:
		ids := make([]string, len(e.IDs))
		for i, id := range e.IDs {
			ids[i] = id.String()
		}
		return Event{Type: EventMessagePending, Peer: e.Peer.String(), IDs: ids, Code: e.Reason.Code, Reason: e.Reason.Text,
			Attempts: e.Reason.Attempts, NextAttempt: rfc3339(e.Reason.NextAttempt)}, true
	case contacts.Changed:
		return Event{Type: EventContactChanged, Account: e.Account.String(), AccountName: e.Name, Removed: e.Removed}, true
	case node.StorageSpaceChanged:
		ev := Event{Type: EventStorage, State: "ok", Free: e.Free, MinFree: e.MinFree}
		if e.Full {
			ev.State = "full"
		}
		return ev, true
	case devices.LinkRequest:
		return Event{Type: EventLinkRequest, ID: e.ID, Name: e.Name, Platform: e.Platform, SAS: e.SAS, PeerID: e.PeerID.String()}, true
	case devices.DeviceLinked:
		d := e.Device
		return Event{Type: EventDeviceLinked, Device: d.ID, Name: d.Name, Platform: d.Platform, PeerID: d.PeerID.String(), AddedAt: rfc3339(d.AddedAt)}, true
	case devices.DeviceRevoked:
		return Event{Type: EventDeviceRevoked, Device: e.ID}, true
	case core.HistorySync:
		return Event{Type: EventHistorySync, Device: e.Device, Done: int64(e.Done), Total: int64(e.Total), Error: e.Err}, true
	case contacts.IdentityChanged:
		return Event{
			Type:    EventIdentityChanged,
			Account: e.Account.String(),
			Device:  e.Device,
		}, true
	}
	if ev, ok := backupEvent(e); ok {
		return ev, true
	}
	return expiryEvent(e)
}

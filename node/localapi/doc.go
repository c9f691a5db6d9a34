// Package localapi serves a node's JSON HTTP API and WebSocket event stream
// on loopback. The pigeon CLI and the web UI are its clients; the JSON types
// in this package are the wire format and clients decode into them.
//
// # Security
//
// The server only listens on loopback addresses or Unix sockets (Serve
// refuses anything else). Every request needs the header
//
//	Authorization: Bearer <token>
//
// where the token is the 64 hex characters in <home>/api.token (mode 0600,
// see LoadOrCreateToken). Browsers cannot set headers on WebSocket requests,
// so GET /v1/events alone also accepts ?token=<token>; it also keeps the
// WebSocket same-origin check. A missing or wrong token gets 401.
//
// # Endpoints (version 1)
//
//	GET    /v1/info                                  → Info
//	GET    /v1/status                                → Status (peers, DHT, relays, pending messages and why)
//	POST   /v1/messages {to, text}                   → 201 SendResponse {id}
//	GET    /v1/messages/{id}                         → Message
//	GET    /v1/conversations                         → [Conversation], most recent first
//	GET    /v1/conversations/{account}/messages?before=ID&limit=N
//	                                                 → [Message], oldest first (limit 1–1000, default 50)
//	POST   /v1/conversations/{account}/read          → MarkReadResponse {marked}
//	GET    /v1/contacts                              → [Contact]
//	PUT    /v1/contacts/{account} {name}             → 204
//	DELETE /v1/contacts/{account}                    → 204
//	GET    /v1/contacts/{account}/safety-number      → SafetyNumberResponse {safety_number}
//	POST   /v1/contacts/{account}/verify             → 204
//	POST   /v1/conversations/{account}/typing        {active} → 204
//	GET    /v1/presence/{account}                    → Presence
//	GET    /v1/presence/privacy                      → PrivacyRequest {who}
//	PUT    /v1/presence/privacy       PrivacyRequest {who} → 204
//	GET    /v1/push                                  → PushStatus (the endpoint, and what each relay did with it)
//	PUT    /v1/push                   PushRequest    → 204
//	DELETE /v1/push                                  → 204
//	GET    /v1/relays                                → [Relay]
//	POST   /v1/relays                 RelayRequest {addr} → 204
//	DELETE /v1/relays/{peer}                         → 204
//	GET    /v1/events                                → WebSocket stream of Event
//
// {account} is an account ID in text form ("pg…", checksummed) and {id} a
// message ID (32 hex characters). Request bodies are JSON of at most
// 128 KiB; unknown fields are rejected. Message text is limited to
// chats.MaxTextSize bytes. API.md lists every endpoint (groups, media and
// linked devices too).
//
// Every time is RFC 3339 in UTC with up to nanoseconds. The API takes IDs
// only; responses and events carry names beside IDs ("peer_name",
// "group_name", ...), and clients resolve the names people type with
// GET /v1/contacts and GET /v1/groups.
//
// # Setup mode
//
// NewSetup serves a home without an account (`pigeon daemon --setup`): the
// web UI's first-run screen or a program creates the account
// (POST /v1/setup/create) or links this device to an existing one
// (POST /v1/setup/link, with the confirmation code and the history's
// progress in GET /v1/setup), and the server makes, starts and then serves
// the node (Ready, Node). Until then every other endpoint answers
// 503 not_set_up.
//
// # Errors
//
// Every failure has a JSON body Error {"error": "...", "code": "..."}:
//
//	400 bad_request   malformed JSON, account ID (the message says whether
//	                  the checksum failed), message ID or query parameter
//	401 unauthorized  missing or wrong token
//	404 not_found     no such message, contact or endpoint
//	409 conflict      the contact's identity changed after it was verified
//	413 too_large     request body over 128 KiB or text over the limit
//	500 internal      anything else
//	503 unavailable   the node is shutting down
//	503 not_set_up    setup mode, no account yet (GET /v1/setup)
//
// # Events
//
// GET /v1/events upgrades to a WebSocket that sends one JSON text frame per
// node event, {"type": ..., fields}; see Event for the fields of each type
// (message_received, message_state_changed, message_pending, receipt,
// identity_changed, contact_changed, typing, presence, the group and media
// events, the linked devices' link_request, device_linked, device_revoked
// and history_sync, and dropped when the client fell too far behind). The server pings every 30
// seconds and closes the stream with status 1001 (going away) when it or the
// node shuts down. See API.md in this directory for examples.
package localapi

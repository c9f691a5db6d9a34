// Package push sends content-free wake-up notifications from a relay to
// offline devices.
//
// When a relay stores a mailbox deposit for a device that is offline and has
// registered an Endpoint, it calls Dispatcher.Notify. The device's push
// gateway wakes the app, which connects to its relays and drains its
// mailboxes over the normal, end-to-end encrypted protocols.
//
// # Privacy
//
// A wake-up carries nothing: no sender, no text, no message count, no
// identifier of the relay's own. Every push to every device has the same
// constant payload, so the gateway operator (Google, Apple, a UnifiedPush
// distributor) learns only that this device got a wake-up at this time. Bursts
// for one device coalesce into one push (see Config.CoalesceWindow), which
// also hides how many deposits arrived. Endpoint URLs and tokens are
// capabilities: they are never logged (Endpoint.Redacted, which String and
// LogValue use, shows a URL's scheme and host and a token's length only).
//
// # Gateways
//
//   - UnifiedPush (and any webhook): an HTTP POST of a constant one-byte body
//     to the endpoint URL with the RFC 8030 headers TTL and Urgency: high.
//     2xx is success; 404 and 410 mean the endpoint is gone; 429 and 5xx are
//     retried, honouring Retry-After. Redirects are never followed.
//   - FCM HTTP v1: POST https://fcm.googleapis.com/v1/projects/{id}/messages:send
//     of a data-only message {"w":"1"} with android priority high, authorised
//     by an OAuth 2.0 access token for the service account:
//     golang.org/x/oauth2/google signs the JWT bearer assertion (RS256),
//     exchanges it at the key file's token_uri and caches the token until
//     shortly before it expires; a token FCM rejects is fetched again once.
//   - APNs: POST https://api.push.apple.com/3/device/{token} over HTTP/2 of
//     {"aps":{"content-available":1}} as a background push (priority 5),
//     authorised by an ES256 provider token (github.com/golang-jwt/jwt/v5)
//     signed with the team's .p8 key and reused for 50 minutes (Apple wants
//     a new one every 20 to 60).
//
// # Addresses
//
// A UnifiedPush URL must be https and name a public address or a host
// name: a device must not be able to make the relay POST to the relay's
// own network (server-side request forgery). The default HTTP client
// enforces the same policy when it dials, on the address the host name
// resolved to, so DNS cannot route around it. An operator who runs a
// distributor on the relay's LAN (a self-hosted ntfy) allows its networks
// with Config.AllowPrivate (PrivateNetworks for all of RFC 1918 and RFC
// 4193); URLs that name such an address literally may then be plain http.
// Loopback is a separate, explicit choice (Config.AllowLoopback), for tests
// and local development.
//
// # Refusals
//
// Dispatcher.Accept says whether the dispatcher would push to an endpoint,
// and RefusalOf its error why not: a Refusal a relay tells the device when
// it registers. Endpoints the dispatcher gives up on because of the
// endpoint itself (the gateway says it is gone or rejects it, or its host
// resolves to an address the relay may not reach) are reported on
// Dispatcher.Refused, so the relay can stop using them and tell the device
// at its next registration. Failures that are the relay's own (credentials
// the gateway refuses, a gateway that stays unavailable) are logged at warn
// and never blamed on the device.
package push

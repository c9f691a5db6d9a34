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
// capabilities: they are never logged.
//
// # Gateways
//
//   - UnifiedPush (and any webhook): an HTTP POST of a constant one-byte body
//     to the endpoint URL with the RFC 8030 headers TTL and Urgency: high.
//     2xx is success; 404 and 410 mean the endpoint is gone; 429 and 5xx are
//     retried, honouring Retry-After. Redirects are never followed. The URL
//     must be https and must not name a private or loopback address.
//   - FCM HTTP v1: POST https://fcm.googleapis.com/v1/projects/{id}/messages:send
//     of a data-only message {"w":"1"} with android priority high, authorised
//     by an OAuth 2.0 access token obtained from the service account's key
//     with the JWT bearer grant (RS256) and cached until shortly before it
//     expires.
//   - APNs: POST https://api.push.apple.com/3/device/{token} over HTTP/2 of
//     {"aps":{"content-available":1}} as a background push (priority 5),
//     authorised by an ES256 provider token signed with the team's .p8 key and
//     reused for 50 minutes.
//
// Endpoints that a gateway reports as gone (unregistered tokens, deleted
// UnifiedPush endpoints) are reported on Dispatcher.Gone so the relay can
// delete them.
package push

// Package profiles is what an account shows of itself: a display name and
// an avatar, shared end-to-end encrypted with contacts and group members.
//
// The embedding API is Service's Own, SetName, SetAvatar, ClearAvatar,
// Get and List, and the event Changed. Share, ShareGroup and the content
// handlers are for node's wiring.
//
// A profile (pb.Profile) has a version: each change takes a version above
// every one held (and at least the time in milliseconds, so two devices of
// the account changing it while apart rarely pick the same one). Receivers
// keep the highest version per account (ties: the larger encoding), so
// contacts, group members and the account's own devices all end with the
// same profile whatever order copies arrive in.
//
// Own devices: a change is the account-log operation "profiles.self"
// (pb.OpProfileSelf); every device folds it with the same rule, and it is
// part of the state hash. The device that made the change shares it.
//
// Sharing: the profile goes, as a pb.Content body (rt.KindProfile), to
// every contact when it changes, to a contact when it is added, and to an
// account we write to first; and, as a pb.GroupContent body
// (rt.GroupKindProfile), to every group we are in when it changes, when we
// create or join one, and when a member joins. It never goes to a blocked
// account or to one whose message request is pending (1:1; a group's
// members all get what is published there). What was sent where is kept
// (fold state "profiles.sent/…") so each version goes once.
//
// Limits: a name is 1–64 characters of valid UTF-8 without control
// characters (trimmed); an avatar is a JPEG or PNG of at most
// MaxAvatarSize bytes (48 KiB: a group content must fit groupcast's 64 KiB
// payload) and MaxAvatarSide pixels a side, checked by its magic bytes and
// its decoded header.
//
// Goroutines: Run (owned by node) sends what Share and ShareGroup queued.
// Lock order: Service.mu is never held while taking another lock.
package profiles

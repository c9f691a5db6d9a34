// Package actions is a node's edits, deletes and reactions of earlier
// messages, in 1:1 chats and groups (n.Actions()).
//
// An action is a pb.MessageAction carried by a message of its own: a
// pb.Content (rt.KindAction) through the durable 1:1 send path, or a
// pb.GroupContent (rt.GroupKindAction) through the group's publish path.
// The account's other devices get the actions this device makes as
// account-log operations ("actions.action", "actions.delete_for_me").
//
// Rules every device applies, so that any delivery order of a message,
// its edits, reactions and delete (with duplicates) gives the same view:
//
//   - Edits: only the message's author; versions 1..MaxEdits; the highest
//     version is the text shown, ties go to the higher carrying message
//     ID; every version is kept (Versions). A receiver takes an edit only
//     while now <= when it first stored the message + EditWindow +
//     Margin: there is no trusted clock, so each device measures from
//     its own first sight.
//   - Deletes: for me (this account's devices) or for everyone (the
//     author within DeleteWindow, or an admin of a group whose settings
//     allow admins to delete). A delete leaves a tombstone that wins over
//     every edit and reaction, before or after it; the message itself is
//     removed through the store's DeleteMessage and never stored again.
//   - Reactions: one emoji per account per message, replaced or removed;
//     the latest by (the reactor's sent time, carrying message ID) wins.
//   - An action arriving before its message waits in the store (bounded
//     in number and age) and applies when the message arrives.
package actions

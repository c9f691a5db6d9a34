// Package chats is a node's 1:1 conversations: sending texts, reading
// history, conversations and messages, marking a chat read, and the
// MessageReceived of an incoming text.
//
// The embedding API is Service's Send (SendWith: a reply, carrying the
// quote Deps.Quotes builds), History, Conversations, Message and MarkRead; messages are core.Message and their events
// core.MessageReceived and core.MessageStateChanged. One store holds 1:1
// and group messages, so Message and Conversations cover groups too.
//
// Sending stores the message and its outbox item in one transaction and
// hands the item to the delivery runtime (Deps.Outbox), which delivers it
// with retries and moves its state. Read receipts are written by the
// runtime's receipt code (Deps.Receipts) in MarkRead's transaction;
// delivery receipts and receipts from others stay in the runtime for now.
//
// Content: texts (kind Text), claimed from the runtime's dispatch
// registry by New; a text is stored inside the transaction that decrypted
// it.
//
// Goroutines: none. Locks: none.
package chats

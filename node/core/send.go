package core

// SendOptions are the optional parts of a message being sent (texts and
// files, 1:1 and in groups).
type SendOptions struct {
	// ReplyTo is the message of the same chat the new one replies to
	// (zero: none). The message carries a quote of it (author, the start
	// of its text, a file's name and preview), so that a recipient lacking
	// it still shows what was answered. It must be a message held here.
	ReplyTo MessageID
}

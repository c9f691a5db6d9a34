package presence

import "time"

// SetTypingTTL shortens TypingTTL for a test; the returned function
// restores it.
func SetTypingTTL(d time.Duration) (restore func()) {
	old := typingTTL
	typingTTL = d
	return func() { typingTTL = old }
}

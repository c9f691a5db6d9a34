package media

import "time"

// SetPieceTimeout shortens the server's piece timeout for a test and
// returns a restore function.
func SetPieceTimeout(d time.Duration) func() {
	old := pieceTimeout
	pieceTimeout = d
	return func() { pieceTimeout = old }
}

package rt

import "errors"

// ErrBadContent marks a content that does not decode or fails a check of
// its kind: the envelope carrying it is refused as malformed.
var ErrBadContent = errors.New("malformed content")

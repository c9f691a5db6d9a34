package storage

import "errors"

// ErrStorageFull is returned by a write the store refused because the disk
// that holds it is short of free space; nothing was written. The store
// takes writes again by itself once there is room: free some disk space
// and retry.
var ErrStorageFull = errors.New("storage: disk full")

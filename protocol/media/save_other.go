//go:build !linux

package media

import "errors"

// renameat2NoReplace is Linux's renameat2 with RENAME_NOREPLACE; elsewhere
// Place links the file into place instead.
func renameat2NoReplace(old, new string) error { return errors.ErrUnsupported }

package media

import (
	"errors"
	"io/fs"

	"golang.org/x/sys/unix"
)

// renameat2NoReplace renames old to new unless new exists (fs.ErrExist); it
// returns errors.ErrUnsupported when the file system cannot (then Place
// links instead).
func renameat2NoReplace(old, new string) error {
	err := unix.Renameat2(unix.AT_FDCWD, old, unix.AT_FDCWD, new, unix.RENAME_NOREPLACE)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, unix.EEXIST):
		return fs.ErrExist
	case errors.Is(err, unix.EINVAL), errors.Is(err, unix.ENOSYS), errors.Is(err, unix.EOPNOTSUPP):
		return errors.ErrUnsupported
	}
	return err
}

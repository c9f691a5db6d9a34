package badger

import (
	"errors"
	"math"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// freeSpace returns the bytes an unprivileged process may still allocate
// on the fullest filesystem among dirs' (a missing directory counts as its
// parent's), and that directory.
func freeSpace(dirs []string) (uint64, string, error) {
	free, where := uint64(math.MaxUint64), ""
	for _, dir := range dirs {
		var st unix.Statfs_t
		err := unix.Statfs(dir, &st)
		for errors.Is(err, unix.ENOENT) && dir != filepath.Dir(dir) {
			dir = filepath.Dir(dir)
			err = unix.Statfs(dir, &st)
		}
		if err != nil {
			return 0, "", &os.PathError{Op: "statfs", Path: dir, Err: err}
		}
		if n := uint64(st.Bavail) * uint64(st.Bsize); n < free {
			free, where = n, dir
		}
	}
	return free, where, nil
}

// allocated returns the bytes the file at path takes on disk (a sparse
// file takes less than its size).
func allocated(path string) (uint64, error) {
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return 0, &os.PathError{Op: "stat", Path: path, Err: err}
	}
	return uint64(st.Blocks) * 512, nil
}

// makeBallast allocates a file of size bytes at path, growing a shorter
// one. When it fails, a file that was there keeps its size and one that
// was not is removed.
func makeBallast(path string, size int64) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	var had int64
	if info, err := f.Stat(); err == nil {
		had = info.Size()
	}
	err = unix.Fallocate(int(f.Fd()), 0, 0, size)
	if err != nil && had > 0 {
		f.Truncate(had) // frees what the failed call allocated
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if had == 0 {
			os.Remove(path)
		}
		return &os.PathError{Op: "fallocate", Path: path, Err: err}
	}
	return nil
}

// fileBlocks returns f's size and the 512-byte blocks it takes on disk.
func fileBlocks(f *os.File) (size, blocks int64, err error) {
	var st unix.Stat_t
	if err := unix.Fstat(int(f.Fd()), &st); err != nil {
		return 0, 0, &os.PathError{Op: "fstat", Path: f.Name(), Err: err}
	}
	return st.Size, st.Blocks, nil
}

package backup

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// Target is where repository objects live: a directory or an S3 bucket.
// Every Put is atomic: an object is whole or absent. Names are
// slash-separated ("config", "data/<hex>", "snapshots/<id>").
type Target interface {
	Put(ctx context.Context, name string, data []byte) error
	// Get returns a whole object; a missing one wraps ErrNotFound.
	Get(ctx context.Context, name string) ([]byte, error)
	// List returns the objects whose names start with prefix.
	List(ctx context.Context, prefix string) ([]Object, error)
	// Delete removes an object; a missing one is not an error.
	Delete(ctx context.Context, name string) error
	// String names the location, never credentials.
	String() string
}

// Object describes a stored object.
type Object struct {
	Name     string
	Size     int64
	Modified time.Time
}

// maxObjectSize bounds what a Target reads into memory for one Get, so a
// hostile store cannot make us allocate without end.
const maxObjectSize = 128 << 20

// validName accepts the names a repository uses: lowercase letters,
// digits, '-', '_', '.', and '/' between non-empty segments that are not
// "." or "..".
func validName(name string) error {
	if name == "" || len(name) > 512 {
		return fmt.Errorf("object name %q: bad length", name)
	}
	for _, seg := range strings.Split(name, "/") {
		if seg == "" || seg == "." || seg == ".." || strings.HasPrefix(seg, ".tmp-") {
			return fmt.Errorf("object name %q: bad segment", name)
		}
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '/' || c >= 'A' && c <= 'Z') {
			return fmt.Errorf("object name %q: character %q not allowed", name, c)
		}
	}
	return nil
}

// ParseLocation reads a backup location as the user gives it:
// "s3://BUCKET/PREFIX" gives kind "s3" with the bucket and the prefix
// (no leading or trailing slash, possibly empty); anything else is a
// directory: kind "dir", bucket empty, prefix the cleaned path.
func ParseLocation(loc string) (kind, bucket, prefix string, err error) {
	if loc == "" {
		return "", "", "", fmt.Errorf("backup location: empty; give a directory or s3://BUCKET/PREFIX")
	}
	if rest, ok := strings.CutPrefix(loc, "s3://"); ok {
		bucket, prefix, _ = strings.Cut(rest, "/")
		if err := validBucket(bucket); err != nil {
			return "", "", "", fmt.Errorf("backup location %q: %w", loc, err)
		}
		prefix = strings.Trim(prefix, "/")
		if prefix != "" {
			if path.Clean(prefix) != prefix || validName(prefix) != nil {
				return "", "", "", fmt.Errorf("backup location %q: bad prefix %q (use letters, digits, '-', '_', '.' and '/')", loc, prefix)
			}
		}
		return "s3", bucket, prefix, nil
	}
	if i := strings.Index(loc, "://"); i >= 0 && !strings.ContainsAny(loc[:i], `/\`) {
		return "", "", "", fmt.Errorf("backup location %q: unknown scheme %q; use a directory or s3://BUCKET/PREFIX", loc, loc[:i])
	}
	return "dir", "", filepath.Clean(loc), nil
}

func validBucket(b string) error {
	if len(b) < 3 || len(b) > 63 {
		return fmt.Errorf("bucket name %q: must be 3 to 63 characters", b)
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return fmt.Errorf("bucket name %q: only lowercase letters, digits, '-' and '.'", b)
		}
	}
	if b[0] == '-' || b[0] == '.' || b[len(b)-1] == '-' || b[len(b)-1] == '.' {
		return fmt.Errorf("bucket name %q: must start and end with a letter or digit", b)
	}
	return nil
}

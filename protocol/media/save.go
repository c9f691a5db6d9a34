package media

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Saving a received file. The name a file arrives with is chosen by its
// sender and is hostile input: SafeName turns it into a plain name in
// the directory the user picked, and Target.Place moves the finished file
// into place without ever replacing an existing file (unless the user
// named that file and asked for it).

// MaxSafeName bounds the names SafeName returns, in bytes; file systems
// allow 255, and the rest is room for " (n)".
const MaxSafeName = 200

// maxExt is the longest extension SafeName keeps when it cuts a name.
const maxExt = 16

// maxNumbered bounds the "name (n).ext" alternatives Place tries.
const maxNumbered = 10000

// SafeName returns the sender-chosen file name name made safe to create in
// a directory:
//
//   - only its last element is kept: "../../x" is "x", "a/b" and `a\b` are
//     "b";
//   - control characters (newlines, tabs) become "_", invisible formatting
//     characters (bidirectional overrides that disguise an extension,
//     zero-width spaces) are dropped, and the characters Windows file
//     systems refuse (< > : " | ? *) become "_";
//   - a leading dot would hide the file and could make it a program's
//     configuration (".bashrc"): leading dots become one "_" ("_bashrc");
//     a leading "-" (read as an option by commands given "*") becomes "_";
//   - spaces around the name and dots at its end are trimmed;
//   - a name over MaxSafeName bytes is cut, keeping its extension;
//   - an empty name, "." and "..", and the names Windows reserves for
//     devices (CON, PRN, AUX, NUL, COM0-9, LPT0-9, with any extension)
//     give fallback (see FallbackName).
//
// SafeName(SafeName(x, f), f) == SafeName(x, f).
func SafeName(name, fallback string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	var b strings.Builder
	for i, r := range name {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(name[i:], "\uFFFD"):
			b.WriteByte('_') // a byte that is not UTF-8
		case unicode.IsControl(r), strings.ContainsRune(`<>:"|?*`, r):
			b.WriteByte('_')
		case unicode.Is(unicode.Cf, r), unicode.Is(unicode.Bidi_Control, r):
		default:
			b.WriteRune(r)
		}
	}
	s := trimName(b.String())
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "-") {
		s = trimName("_" + strings.TrimLeft(s, ".-"))
	}
	s = cutName(s, MaxSafeName)
	if s == "" || s == "_" && name != "_" || reservedName(s) {
		return fallback
	}
	return s
}

// trimName trims spaces at both ends and dots at the end (Windows drops
// them, so "x.exe." would run as "x.exe").
func trimName(s string) string {
	for {
		t := strings.TrimRight(strings.TrimSpace(s), ".")
		if t == s {
			return s
		}
		s = t
	}
}

// cutName cuts s to at most n bytes on a rune boundary, keeping a short
// extension.
func cutName(s string, n int) string {
	if len(s) <= n {
		return s
	}
	ext := filepath.Ext(s)
	if len(ext) > maxExt || len(ext) == len(s) {
		ext = ""
	}
	stem := s[:len(s)-len(ext)]
	cut := n - len(ext)
	for cut > 0 && !utf8.RuneStart(stem[cut]) {
		cut--
	}
	return trimName(stem[:cut]) + ext
}

// reservedName reports the device names Windows reserves, with any
// extension.
func reservedName(s string) bool {
	stem, _, _ := strings.Cut(s, ".")
	stem = strings.ToUpper(strings.TrimRight(stem, " "))
	switch stem {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	if len(stem) == 4 && (strings.HasPrefix(stem, "COM") || strings.HasPrefix(stem, "LPT")) {
		return stem[3] >= '0' && stem[3] <= '9'
	}
	return false
}

// commonExt names the usual extension of common types; others come from
// the system's MIME table.
var commonExt = map[string]string{
	"image/jpeg":       ".jpg",
	"image/png":        ".png",
	"image/gif":        ".gif",
	"image/webp":       ".webp",
	"image/heic":       ".heic",
	"video/mp4":        ".mp4",
	"video/quicktime":  ".mov",
	"video/webm":       ".webm",
	"audio/mpeg":       ".mp3",
	"audio/ogg":        ".ogg",
	"audio/mp4":        ".m4a",
	"application/pdf":  ".pdf",
	"application/zip":  ".zip",
	"text/plain":       ".txt",
	"application/json": ".json",
}

// FallbackName is the name of a file whose sender gave none SafeName
// accepts: "pigeon-" and the message ID, with the usual extension of its
// MIME type (none when the type is unknown).
func FallbackName(id, mimeType string) string {
	if mt, _, err := mime.ParseMediaType(mimeType); err == nil {
		mimeType = mt
	}
	ext := commonExt[mimeType]
	if ext == "" {
		if exts, _ := mime.ExtensionsByType(mimeType); len(exts) > 0 {
			ext = exts[0]
		}
	}
	if len(ext) < 2 || len(ext) > maxExt || strings.TrimFunc(ext[1:], func(r rune) bool {
		return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
	}) != "" {
		ext = ""
	}
	return "pigeon-" + SafeName(id, "file") + ext
}

// Target is where a saved file goes.
type Target struct {
	// Dir is the directory the file is created in.
	Dir string
	// Name is the file's name in Dir. Unless Exact, Place uses "Name
	// (1).ext", "Name (2).ext" and so on when Name is taken.
	Name string
	// Exact says the user named the file: no other name is tried.
	Exact bool
	// Replace, with Exact, lets the file replace an existing one.
	Replace bool
}

// Path is the path the file gets if Name is free.
func (t Target) Path() string { return filepath.Join(t.Dir, t.Name) }

// TargetFor interprets out, the place a user gave for a file whose safe
// name is name: "" is the current directory, an existing directory keeps
// the name inside it, and any other path is the file to write (the user
// chose it; it must not exist unless replace, else the error wraps
// fs.ErrExist). It checks that the directory exists.
func TargetFor(out, name string, replace bool) (Target, error) {
	if out == "" {
		out = "."
	}
	st, err := os.Stat(out)
	switch {
	case err == nil && st.IsDir():
		return Target{Dir: out, Name: name}, nil
	case err == nil && !st.Mode().IsRegular():
		return Target{}, fmt.Errorf("%s is not a regular file", out)
	case err == nil && !replace:
		return Target{}, fmt.Errorf("%s: %w", out, fs.ErrExist)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return Target{}, fmt.Errorf("%s: %w", out, bare(err))
	case err != nil && strings.HasSuffix(out, string(filepath.Separator)):
		return Target{}, fmt.Errorf("no directory %s", out)
	}
	dir, base := filepath.Dir(out), filepath.Base(out)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return Target{}, fmt.Errorf("no directory %s", dir)
	}
	return Target{Dir: dir, Name: base, Exact: true, Replace: replace}, nil
}

// tempPattern names the temporary files downloads are written to.
const tempPattern = ".pigeon-*.part"

// CreateTemp makes the temporary file a download is written to, in t.Dir
// (so that Place links it into place without copying).
func (t Target) CreateTemp() (*os.File, error) {
	f, err := os.CreateTemp(t.Dir, tempPattern)
	if err != nil {
		return nil, fmt.Errorf("create a file in %s: %w", t.Dir, bare(err))
	}
	return f, nil
}

// Save writes a file at t with fill, which writes the whole file to w
// (buffered), and returns its path: the file is written to a temporary
// file in t.Dir (CreateTemp), synced, and moved into place (Place) only
// when fill succeeded, so no file ever holds a partial copy. Errors name
// t, never the temporary file.
func (t Target) Save(fill func(w io.Writer) error) (string, error) {
	return t.save(nil, fill)
}

func (t Target) save(create CreateTemp, fill func(w io.Writer) error) (path string, err error) {
	if create == nil {
		create = osCreateTemp
	}
	f, err := create(t.Dir, tempPattern)
	if err != nil {
		return "", fmt.Errorf("save %s: create a file in %s: %w", t.Path(), t.Dir, bare(err))
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	w := bufio.NewWriterSize(bareWriter{f}, 256<<10)
	if err := fill(w); err != nil {
		return "", fmt.Errorf("save %s: %w", t.Path(), err)
	}
	if err := w.Flush(); err != nil {
		return "", fmt.Errorf("save %s: %w", t.Path(), err)
	}
	if err := f.Sync(); err != nil {
		return "", fmt.Errorf("save %s: %w", t.Path(), bare(err))
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("save %s: %w", t.Path(), bare(err))
	}
	return t.Place(f.Name()) // removes the temporary file when it fails
}

// Place moves the finished temporary file tmp (made by CreateTemp, closed)
// into place and returns its path. An existing file is never replaced,
// not even one created at the same moment (the move fails instead of
// replacing, and the next name is tried), unless Exact and Replace. tmp
// is gone afterwards, also after a failure. Errors never name tmp.
func (t Target) Place(tmp string) (string, error) {
	if t.Exact && t.Replace {
		if err := os.Rename(tmp, t.Path()); err != nil {
			os.Remove(tmp)
			return "", fmt.Errorf("save %s: %w", t.Path(), bare(err))
		}
		return t.Path(), nil
	}
	for i := range maxNumbered {
		if i > 0 && t.Exact {
			break
		}
		path := filepath.Join(t.Dir, numbered(t.Name, i))
		err := moveNoReplace(tmp, path)
		if err == nil {
			return path, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			os.Remove(tmp)
			return "", fmt.Errorf("save %s: %w", path, err)
		}
	}
	os.Remove(tmp)
	if t.Exact {
		return "", fmt.Errorf("save %s: %w", t.Path(), fs.ErrExist)
	}
	return "", fmt.Errorf("save %s: %w: and %d numbered names", t.Path(), fs.ErrExist, maxNumbered-1)
}

// numbered returns name for i == 0, else "stem (i).ext" (an archive's
// ".tar.gz" stays whole).
func numbered(name string, i int) string {
	if i == 0 {
		return name
	}
	ext := filepath.Ext(name)
	if len(ext) > maxExt || len(ext) == len(name) {
		ext = ""
	}
	stem := name[:len(name)-len(ext)]
	if inner := filepath.Ext(stem); strings.EqualFold(inner, ".tar") && len(inner) < len(stem) {
		stem, ext = stem[:len(stem)-len(inner)], inner+ext
	}
	return stem + " (" + strconv.Itoa(i) + ")" + ext
}

// renameNoReplace renames without replacing (fs.ErrExist), or returns
// errors.ErrUnsupported; a variable so tests take the link path.
var renameNoReplace = renameat2NoReplace

// moveNoReplace moves old to new unless new exists (fs.ErrExist), in one
// step no other process can come between. Errors name neither path.
func moveNoReplace(old, new string) error {
	err := renameNoReplace(old, new)
	if !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	// The file system cannot rename without replacing: a hard link fails
	// on an existing name just the same.
	if err := os.Link(old, new); err != nil {
		return bare(err)
	}
	return bare(os.Remove(old))
}

// bare strips the paths from an error of the os package (a temporary
// file's name means nothing to the user), keeping the cause.
func bare(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// bareWriter strips paths from its writer's errors.
type bareWriter struct{ w io.Writer }

func (b bareWriter) Write(p []byte) (int, error) {
	n, err := b.w.Write(p)
	return n, bare(err)
}

package localapi

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// SessionCookie is the cookie that holds a browser's web session: HttpOnly,
// SameSite=Strict, Path=/.
const SessionCookie = "pigeon_session"

const (
	// SessionFile is the file in the home directory (WithHome) that keeps
	// the web sessions: the SHA-256 of each session ID with its times,
	// never an ID itself.
	SessionFile = "web-sessions.json"
	// sessionIdle is how long a session lasts without being used.
	sessionIdle = 30 * 24 * time.Hour
	// sessionTouch is how often a session's last use is written down (and
	// its cookie renewed): expiry is exact to within this.
	sessionTouch = time.Hour
	// loginCodeTTL is how long a login link works (once).
	loginCodeTTL = 10 * time.Minute
	// maxSessions and maxLoginCodes bound what is kept: beyond them the
	// least recently used session, or the code closest to expiry, goes.
	maxSessions   = 256
	maxLoginCodes = 64
	// maxSessionFile bounds the sessions file read at start (256 sessions
	// take about 40 KB).
	maxSessionFile = 1 << 20

	loginCodeBytes = 16 // 32 hex characters
	sessionIDBytes = 32 // 43 base64url characters
)

// errLoginCode: the code of a login link is unknown, used or expired.
var errLoginCode = errors.New("unknown, used or expired login code")

// sessions holds the web sessions (persisted when path is set) and the
// one-time login codes (in memory: a code outlives no restart).
type sessions struct {
	path   string // "" keeps sessions in memory only
	now    func() time.Time
	logger *slog.Logger

	mu     sync.Mutex // guards the fields below; held while the file is written
	loaded bool       // byHash holds the file's sessions
	byHash map[[32]byte]sessionRecord
	codes  map[[32]byte]time.Time // SHA-256 of a login code → its expiry
}

type sessionRecord struct {
	created, lastUsed time.Time
}

func newSessions(home string, now func() time.Time, logger *slog.Logger) *sessions {
	s := &sessions{now: now, logger: logger, byHash: make(map[[32]byte]sessionRecord), codes: make(map[[32]byte]time.Time)}
	if home != "" {
		s.path = filepath.Join(home, SessionFile)
	}
	return s
}

// newCode makes a login code valid once within loginCodeTTL.
func (s *sessions) newCode() (code string, expires time.Time, err error) {
	var raw [loginCodeBytes]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", time.Time{}, fmt.Errorf("make login code: %w", err)
	}
	code = hex.EncodeToString(raw[:])
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	var soonest [32]byte
	for h, exp := range s.codes {
		if !now.Before(exp) {
			delete(s.codes, h)
		} else if s.codes[soonest].IsZero() || exp.Before(s.codes[soonest]) {
			soonest = h
		}
	}
	if len(s.codes) >= maxLoginCodes {
		delete(s.codes, soonest)
	}
	expires = now.Add(loginCodeTTL)
	s.codes[sha256.Sum256([]byte(code))] = expires
	return code, expires, nil
}

// redeem consumes a login code and starts a session; it returns the
// session ID for the cookie.
func (s *sessions) redeem(code string) (string, error) {
	if len(code) != 2*loginCodeBytes {
		return "", fmt.Errorf("log in: %w", errLoginCode)
	}
	var raw [sessionIDBytes]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", fmt.Errorf("log in: %w", err)
	}
	id := base64.RawURLEncoding.EncodeToString(raw[:])
	now := s.now()

	s.mu.Lock()
	defer s.mu.Unlock()
	h := sha256.Sum256([]byte(code))
	exp, ok := s.codes[h]
	delete(s.codes, h)
	if !ok || !now.Before(exp) {
		return "", fmt.Errorf("log in: %w", errLoginCode)
	}
	s.load()
	var oldest [32]byte
	for h, rec := range s.byHash {
		if now.Sub(rec.lastUsed) > sessionIdle {
			delete(s.byHash, h)
		} else if old, ok := s.byHash[oldest]; !ok || rec.lastUsed.Before(old.lastUsed) {
			oldest = h
		}
	}
	if len(s.byHash) >= maxSessions {
		delete(s.byHash, oldest)
	}
	s.byHash[sha256.Sum256([]byte(id))] = sessionRecord{created: now, lastUsed: now}
	s.saveLogged()
	return id, nil
}

// touch reports whether id is a live session and records its use; renew
// says that the use was written down and the cookie should be renewed.
func (s *sessions) touch(id string) (ok, renew bool) {
	if len(id) != base64.RawURLEncoding.EncodedLen(sessionIDBytes) {
		return false, false
	}
	h := sha256.Sum256([]byte(id))
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	rec, ok := s.byHash[h]
	switch {
	case !ok:
		return false, false
	case now.Sub(rec.lastUsed) > sessionIdle:
		delete(s.byHash, h)
		s.saveLogged()
		return false, false
	case now.Sub(rec.lastUsed) >= sessionTouch:
		rec.lastUsed = now
		s.byHash[h] = rec
		s.saveLogged()
		return true, true
	}
	return true, false
}

// end ends the session id (logout).
func (s *sessions) end(id string) error {
	h := sha256.Sum256([]byte(id))
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	if _, ok := s.byHash[h]; !ok {
		return nil
	}
	delete(s.byHash, h)
	return s.save()
}

// load reads the sessions file once. A file that cannot be read is logged
// and replaced at the next save: its browsers log in again.
func (s *sessions) load() {
	if s.loaded || s.path == "" {
		return
	}
	s.loaded = true
	b, err := readLimited(s.path, maxSessionFile)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	if err == nil {
		var m map[[32]byte]sessionRecord
		if m, err = parseSessionFile(b); err == nil {
			s.byHash = m
			return
		}
	}
	s.logger.Warn("web sessions unreadable; browsers must log in again with `pigeon web`", "path", s.path, "err", err)
}

func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err == nil && int64(len(b)) > limit {
		err = fmt.Errorf("%s is over %d bytes", path, limit)
	}
	return b, err
}

// sessionFile is the JSON of SessionFile.
type sessionFile struct {
	Sessions []sessionFileEntry `json:"sessions"`
}

type sessionFileEntry struct {
	IDHash   string    `json:"id_sha256"` // hex
	Created  time.Time `json:"created"`
	LastUsed time.Time `json:"last_used"`
}

// parseSessionFile decodes the sessions file; at most maxSessions sessions
// are kept (the most recently used).
func parseSessionFile(b []byte) (map[[32]byte]sessionRecord, error) {
	if len(b) > maxSessionFile {
		return nil, fmt.Errorf("parse web sessions: over %d bytes", maxSessionFile)
	}
	var f sessionFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("parse web sessions: %w", err)
	}
	m := make(map[[32]byte]sessionRecord, min(len(f.Sessions), maxSessions))
	for _, e := range f.Sessions {
		var h [32]byte
		if n, err := hex.Decode(h[:], []byte(e.IDHash)); err != nil || n != len(h) || len(e.IDHash) != 2*len(h) {
			return nil, fmt.Errorf("parse web sessions: bad id_sha256 %q", e.IDHash)
		}
		m[h] = sessionRecord{created: e.Created, lastUsed: e.LastUsed}
	}
	for len(m) > maxSessions {
		var oldest [32]byte
		first := true
		for h, rec := range m {
			if first || rec.lastUsed.Before(m[oldest].lastUsed) {
				oldest, first = h, false
			}
		}
		delete(m, oldest)
	}
	return m, nil
}

// saveLogged saves and logs a failure: the session works until the daemon
// stops, it only does not survive a restart.
func (s *sessions) saveLogged() {
	if err := s.save(); err != nil {
		s.logger.Warn("web sessions not saved; they will not survive a restart", "err", err)
	}
}

// save writes the sessions file atomically (mode 0600).
func (s *sessions) save() error {
	if s.path == "" {
		return nil
	}
	f := sessionFile{Sessions: make([]sessionFileEntry, 0, len(s.byHash))}
	for h, rec := range s.byHash {
		f.Sessions = append(f.Sessions, sessionFileEntry{IDHash: hex.EncodeToString(h[:]), Created: utc(rec.created), LastUsed: utc(rec.lastUsed)})
	}
	b, err := json.Marshal(&f)
	if err != nil {
		return fmt.Errorf("save web sessions: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), "."+SessionFile+"-*") // mode 0600
	if err != nil {
		return fmt.Errorf("save web sessions: %w", err)
	}
	_, err = tmp.Write(b)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), s.path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("save web sessions: %w", err)
	}
	return nil
}

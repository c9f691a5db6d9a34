package localapi

import (
	"errors"
	"net/http"
	"time"

	"github.com/pigeon-net/pigeon/node/backup"
	"github.com/pigeon-net/pigeon/node/core"
	repo "github.com/pigeon-net/pigeon/storage/backup"
)

// BackupStatus is GET /v1/backup: whether backups are set up, how the
// last one went, when the next one and the next key check are due.
type BackupStatus struct {
	SetUp        bool        `json:"set_up"`
	Location     string      `json:"location,omitempty"`
	RecoveryKey  bool        `json:"recovery_key"` // false: a passphrase
	Confirmed    bool        `json:"confirmed"`
	LastBackup   string      `json:"last_backup,omitempty"`
	LastSnapshot string      `json:"last_snapshot,omitempty"`
	LastBytes    int64       `json:"last_bytes,omitempty"`
	LastUploaded int64       `json:"last_uploaded,omitempty"`
	LastError    string      `json:"last_error,omitempty"`
	LastErrorAt  string      `json:"last_error_at,omitempty"`
	LastVerify   string      `json:"last_verify,omitempty"`
	NextBackup   string      `json:"next_backup,omitempty"`
	KeyCheckedAt string      `json:"key_checked_at,omitempty"`
	KeyCheckDue  bool        `json:"key_check_due"`
	Media        BackupMedia `json:"media"`
}

// BackupMedia is which files backups carry (in GET /v1/backup and
// POST /v1/backup/setup, and the body of POST /v1/backup/media):
// Include takes photos, videos and documents; MaxAgeDays leaves out
// files older than that many days and MaxSize files larger than that
// many bytes (0: no limit).
type BackupMedia struct {
	Include    bool  `json:"include"`
	MaxAgeDays int   `json:"max_age_days,omitempty"`
	MaxSize    int64 `json:"max_size,omitempty"`
}

const day = 24 * time.Hour

func (m BackupMedia) choice() backup.Media {
	return backup.Media{Include: m.Include, MaxAge: time.Duration(m.MaxAgeDays) * day, MaxSize: m.MaxSize}
}

func backupMediaJSON(m backup.Media) BackupMedia {
	return BackupMedia{Include: m.Include, MaxAgeDays: int((m.MaxAge + day - 1) / day), MaxSize: m.MaxSize}
}

// BackupSetup is the body of POST /v1/backup/setup: To is a directory or
// s3://BUCKET/PREFIX (with S3); Passphrase or RecoveryKey (of a
// repository made before), or neither: the node makes a recovery key and
// returns it once (RecoveryKey in the answer), to be typed back with
// POST /v1/backup/confirm.
type BackupSetup struct {
	To          string      `json:"to"`
	S3          backup.S3   `json:"s3,omitzero"`
	Passphrase  string      `json:"passphrase,omitempty"`
	RecoveryKey string      `json:"recovery_key,omitempty"`
	Media       BackupMedia `json:"media,omitzero"`
}

// BackupKey is the body of POST /v1/backup/confirm and
// /v1/backup/check-key: the key as the user typed it.
type BackupKey struct {
	Key string `json:"key"`
}

// BackupSnapshot is one snapshot (GET /v1/backup/snapshots, and the
// answer of POST /v1/backup/run with the run's numbers).
type BackupSnapshot struct {
	ID       string `json:"id"`
	Time     string `json:"time"`
	Bytes    int64  `json:"bytes"`
	Items    int    `json:"items"`
	Signed   bool   `json:"signed"`
	Uploaded int64  `json:"uploaded,omitempty"`
	Chunks   int    `json:"chunks,omitempty"`
	New      int    `json:"new_chunks,omitempty"`
}

// BackupVerify is the answer of POST /v1/backup/verify?full=1.
type BackupVerify struct {
	Snapshots int      `json:"snapshots"`
	Chunks    int      `json:"chunks"`
	Bytes     int64    `json:"bytes"`
	Problems  []string `json:"problems,omitempty"`
}

// Error codes of backups.
const (
	// CodeWrongKey: the recovery key or passphrase does not open the
	// backups.
	CodeWrongKey = "wrong_key"
	// CodeBackupNotSetUp: no backup location yet.
	CodeBackupNotSetUp = "backup_not_set_up"
	// CodeBackupDamaged: a chunk or manifest fails its check.
	CodeBackupDamaged = "backup_damaged"
)

func classifyBackup(err error) (int, string, bool) {
	switch {
	case errors.Is(err, repo.ErrWrongKey), errors.Is(err, backup.ErrKeyMismatch), errors.Is(err, repo.ErrBadRecoveryKey):
		return http.StatusBadRequest, CodeWrongKey, true
	case errors.Is(err, repo.ErrWeakPassphrase):
		return http.StatusBadRequest, CodeBadRequest, true
	case errors.Is(err, backup.ErrNotSetUp), errors.Is(err, backup.ErrNotConfirmed):
		return http.StatusConflict, CodeBackupNotSetUp, true
	case errors.Is(err, repo.ErrExists), errors.Is(err, repo.ErrBusy):
		return http.StatusConflict, CodeConflict, true
	case errors.Is(err, repo.ErrCorrupt), errors.Is(err, repo.ErrTampered):
		return http.StatusBadGateway, CodeBackupDamaged, true
	}
	return 0, "", false
}

func (s *Server) routeBackup() {
	s.mux.HandleFunc("GET /v1/backup", s.handleBackupStatus)
	s.mux.HandleFunc("POST /v1/backup/setup", s.handleBackupSetup)
	s.mux.HandleFunc("POST /v1/backup/confirm", s.handleBackupConfirm)
	s.mux.HandleFunc("POST /v1/backup/check-key", s.handleBackupCheckKey)
	s.mux.HandleFunc("POST /v1/backup/run", s.handleBackupRun)
	s.mux.HandleFunc("POST /v1/backup/verify", s.handleBackupVerify)
	s.mux.HandleFunc("GET /v1/backup/snapshots", s.handleBackupSnapshots)
	s.mux.HandleFunc("POST /v1/backup/media", s.handleBackupMedia)
	s.mux.HandleFunc("POST /v1/backup/change-key", s.handleBackupChangeKey)
}

// BackupChangeKey is the body of POST /v1/backup/change-key: a new
// passphrase, or none for a new recovery key (returned once, to be typed
// back with POST /v1/backup/confirm).
type BackupChangeKey struct {
	Passphrase string `json:"passphrase,omitempty"`
}

func (s *Server) handleBackupChangeKey(w http.ResponseWriter, r *http.Request) {
	var req BackupChangeKey
	if err := decodeBody(w, r, &req, true); err != nil {
		s.fail(w, r, err)
		return
	}
	key, err := s.node.Backup().ChangeKey(r.Context(), req.Passphrase)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, BackupKey{Key: key})
}

func (s *Server) handleBackupMedia(w http.ResponseWriter, r *http.Request) {
	var req BackupMedia
	if err := decodeBody(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return
	}
	if req.MaxAgeDays < 0 || req.MaxAgeDays > 100*365 {
		writeError(w, http.StatusBadRequest, CodeBadRequest, "max_age_days: a number of days from 0 (any age) to 36500")
		return
	}
	if err := s.node.Backup().SetMedia(r.Context(), req.choice()); err != nil {
		s.fail(w, r, err)
		return
	}
	s.handleBackupStatus(w, r)
}

func (s *Server) handleBackupStatus(w http.ResponseWriter, r *http.Request) {
	st, err := s.node.Backup().Status(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, BackupStatus{
		SetUp: st.SetUp, Location: st.Location, RecoveryKey: st.RecoveryKey, Confirmed: st.Confirmed,
		LastBackup: rfc3339(st.LastBackup), LastSnapshot: st.LastSnapshot, LastBytes: st.LastBytes, LastUploaded: st.LastUploaded,
		LastError: st.LastError, LastErrorAt: rfc3339(st.LastErrorAt), LastVerify: rfc3339(st.LastVerify),
		NextBackup: rfc3339(st.NextBackup), KeyCheckedAt: rfc3339(st.KeyCheckedAt), KeyCheckDue: st.KeyCheckDue,
		Media: backupMediaJSON(st.Media),
	})
}

func (s *Server) handleBackupSetup(w http.ResponseWriter, r *http.Request) {
	var req BackupSetup
	if err := decodeBody(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return
	}
	key, err := s.node.Backup().Setup(r.Context(), backup.SetupOptions{
		To: req.To, S3: req.S3, Passphrase: req.Passphrase, RecoveryKey: req.RecoveryKey, Media: req.Media.choice(),
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, BackupKey{Key: key})
}

func (s *Server) backupKey(w http.ResponseWriter, r *http.Request) (string, bool) {
	var req BackupKey
	if err := decodeBody(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return "", false
	}
	return req.Key, true
}

func (s *Server) handleBackupConfirm(w http.ResponseWriter, r *http.Request) {
	if key, ok := s.backupKey(w, r); ok {
		if err := s.node.Backup().Confirm(r.Context(), key); err != nil {
			s.fail(w, r, err)
			return
		}
		s.handleBackupStatus(w, r)
	}
}

func (s *Server) handleBackupCheckKey(w http.ResponseWriter, r *http.Request) {
	if key, ok := s.backupKey(w, r); ok {
		if err := s.node.Backup().CheckKey(r.Context(), key); err != nil {
			s.fail(w, r, err)
			return
		}
		s.handleBackupStatus(w, r)
	}
}

func snapshotJSON(sn repo.Snapshot) BackupSnapshot {
	out := BackupSnapshot{ID: sn.ID, Time: rfc3339(sn.Time), Items: len(sn.Items), Signed: len(sn.Signer) > 0}
	for _, it := range sn.Items {
		out.Bytes += it.Size
	}
	return out
}

func (s *Server) handleBackupRun(w http.ResponseWriter, r *http.Request) {
	res, err := s.node.Backup().Now(r.Context(), nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := snapshotJSON(res.Snapshot)
	out.Uploaded, out.Chunks, out.New = res.Stats.Uploaded, res.Stats.Chunks, res.Stats.NewChunks
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleBackupVerify(w http.ResponseWriter, r *http.Request) {
	rep, err := s.node.Backup().Verify(r.Context(), r.URL.Query().Get("full") == "1", nil)
	out := BackupVerify{Snapshots: rep.Snapshots, Chunks: rep.Chunks, Bytes: rep.Bytes, Problems: rep.Problems}
	if err != nil && len(rep.Problems) == 0 {
		s.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if len(rep.Problems) > 0 {
		status = http.StatusBadGateway
	}
	writeJSON(w, status, out)
}

func (s *Server) handleBackupSnapshots(w http.ResponseWriter, r *http.Request) {
	snaps, err := s.node.Backup().Snapshots(r.Context())
	if err != nil && len(snaps) == 0 {
		s.fail(w, r, err)
		return
	}
	out := make([]BackupSnapshot, len(snaps))
	for i, sn := range snaps {
		out[i] = snapshotJSON(sn)
	}
	writeJSON(w, http.StatusOK, out)
}

// backupEvent converts the backup feature's events.
func backupEvent(e core.Event) (Event, bool) {
	switch e := e.(type) {
	case backup.Running:
		return Event{Type: EventBackupProgress, Done: e.Done, Total: e.Total}, true
	case backup.Done:
		return Event{Type: EventBackupDone, ID: e.Snapshot, Error: e.Err}, true
	}
	return Event{}, false
}

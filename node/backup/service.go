package backup

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
	repo "github.com/pigeon-net/pigeon/storage/backup"
)

// Settings of this device (not in the account log: each device keeps its
// own backup setup).
const (
	settingConfig = "backup.config"
	settingKey    = "backup.key"
	settingState  = "backup.state"
)

// Schedule and checks.
const (
	// Every is how often Run backs up.
	Every = 24 * time.Hour
	// KeyCheckEvery is how often the user is asked to type the key again.
	KeyCheckEvery = 30 * 24 * time.Hour
	// retryAfter is how long Run waits after a failed backup.
	retryAfter = time.Hour
)

// Keep is the retention Run applies after each backup.
var Keep = repo.Retention{Daily: 7, Monthly: 12}

// Errors.
var (
	// ErrNotSetUp: no backup location yet (Setup).
	ErrNotSetUp = errors.New("backups are not set up: run pigeon backup init --to DIR|s3://BUCKET/PREFIX")
	// ErrNotConfirmed: the recovery key was not typed back yet (Confirm).
	ErrNotConfirmed = errors.New("the recovery key was not confirmed yet: type it back (pigeon backup confirm) before the first backup")
	// ErrKeyMismatch: the key typed back is not the one shown.
	ErrKeyMismatch = errors.New("that is not the recovery key shown: check what you wrote down and type it again")
)

// S3 holds the settings of an S3-compatible target.
type S3 struct {
	Endpoint  string `json:"endpoint,omitempty"`
	Region    string `json:"region,omitempty"`
	PathStyle bool   `json:"path_style,omitempty"`
	Insecure  bool   `json:"insecure,omitempty"` // plain http, for a store on loopback
	AccessKey string `json:"access_key,omitempty"`
	SecretKey string `json:"secret_key,omitempty"`
}

// SetupOptions say where backups go and under which key.
type SetupOptions struct {
	// To is a directory or s3://BUCKET/PREFIX.
	To string
	S3 S3
	// Passphrase, when set, is the key (at least 10 characters; Argon2id);
	// else the node makes a recovery key, or uses RecoveryKey to attach a
	// repository made before.
	Passphrase  string
	RecoveryKey string
	// Media says which files backups carry (the zero value: none).
	Media Media
}

// config is what Setup stores.
type config struct {
	To        string `json:"to"`
	S3        S3     `json:"s3"`
	Header    []byte `json:"header"`
	Recovery  bool   `json:"recovery"`
	Confirmed bool   `json:"confirmed"`
	Media     Media  `json:"media"`
}

// state is what the backups did.
type state struct {
	LastBackup   time.Time `json:"last_backup,omitzero"`
	LastSnapshot string    `json:"last_snapshot,omitempty"`
	LastBytes    int64     `json:"last_bytes,omitempty"`
	LastUploaded int64     `json:"last_uploaded,omitempty"`
	LastError    string    `json:"last_error,omitempty"`
	LastErrorAt  time.Time `json:"last_error_at,omitzero"`
	LastVerify   time.Time `json:"last_verify,omitzero"`
	KeyChecked   time.Time `json:"key_checked,omitzero"`
}

// Status is the backups' state as Status reports it.
type Status struct {
	SetUp        bool
	Location     string // never credentials
	RecoveryKey  bool   // the key is a recovery key (else a passphrase)
	Confirmed    bool
	LastBackup   time.Time
	LastSnapshot string
	LastBytes    int64 // the snapshot's size
	LastUploaded int64 // what the last run uploaded
	LastError    string
	LastErrorAt  time.Time
	LastVerify   time.Time
	NextBackup   time.Time
	KeyCheckedAt time.Time
	KeyCheckDue  bool // ask the user to type the key again
	Media        Media
}

// Result is what one backup did.
type Result struct {
	Snapshot repo.Snapshot
	Stats    repo.Stats
}

// Progress reports a running backup (Now) or restore.
type Progress = repo.Progress

// Done is published after each backup (ok or not).
type Done struct {
	Snapshot string
	Err      string
}

func (Done) EventName() string { return "backup_done" }

// Running is published while a backup runs (at most ten times a second):
// bytes read of the account so far, of how many (-1: not known yet), and
// bytes uploaded.
type Running struct {
	Done, Total, Uploaded int64
}

func (Running) EventName() string { return "backup_progress" }

// Service is the node's backups.
type Service struct {
	d Deps

	running sync.Mutex // held by the backup that runs; taken before mu

	mu   sync.Mutex // guards repo and cfg; a leaf
	repo *repo.Repo
	cfg  config // as repo was opened with

	wake chan struct{}
}

// New builds the backup feature.
func New(d Deps) (*Service, error) {
	if d.Store == nil || d.Ready == nil || d.AccountSeed == nil || d.Publish == nil || d.Log == nil {
		return nil, errors.New("backup: missing dependencies")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.After == nil {
		d.After = time.After
	}
	return &Service{d: d, wake: make(chan struct{}, 1)}, nil
}

func (s *Service) ready() error {
	if s == nil {
		return core.ErrNotStarted
	}
	return s.d.Ready()
}

// target opens the target c names.
func target(c config) (repo.Target, error) {
	kind, bucket, prefix, err := repo.ParseLocation(c.To)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", core.ErrBadSetting, err)
	}
	if kind == "dir" {
		return repo.NewDir(prefix)
	}
	return repo.NewS3(bucket, prefix, repo.S3Options{
		Endpoint: c.S3.Endpoint, Region: c.S3.Region, AccessKey: c.S3.AccessKey, SecretKey: c.S3.SecretKey,
		PathStyle: c.S3.PathStyle, Insecure: c.S3.Insecure,
	})
}

// Setup chooses where backups go and makes (or attaches) the repository
// there. It returns the recovery key it made, to show the user once
// (empty with a passphrase or an existing recovery key); backups start
// once it is typed back (Confirm).
func (s *Service) Setup(ctx context.Context, o SetupOptions) (string, error) {
	const op = "set up backups"
	if err := s.ready(); err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	if s.d.AccountSeed() == nil {
		return "", fmt.Errorf("%s: %w: back up from a device that holds it", op, core.ErrNoAccountKey)
	}
	if err := o.Media.validate(); err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	c := config{To: o.To, S3: o.S3, Media: o.Media}
	t, err := target(c)
	if err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	var (
		sec   repo.Secret
		key   string // secret to keep
		shown string
	)
	switch {
	case o.Passphrase != "" && o.RecoveryKey != "":
		return "", fmt.Errorf("%s: %w: a passphrase or a recovery key, not both", op, core.ErrBadSetting)
	case o.Passphrase != "":
		sec, err = repo.PassphraseSecret(o.Passphrase)
		key, c.Confirmed = o.Passphrase, true // typed twice by the client
	case o.RecoveryKey != "":
		sec, err = repo.ParseRecoveryKey(o.RecoveryKey)
		key, c.Recovery, c.Confirmed = o.RecoveryKey, true, true
	default:
		if shown, err = repo.NewRecoveryKey(); err == nil {
			sec, err = repo.ParseRecoveryKey(shown)
		}
		key, c.Recovery = shown, true
	}
	if err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	r, err := repo.Open(ctx, t, sec)
	if errors.Is(err, repo.ErrNotFound) {
		if shown == "" && o.Passphrase == "" {
			return "", fmt.Errorf("%s: no backup repository at %s to attach with that key", op, t)
		}
		r, err = repo.Init(ctx, t, sec)
	} else if err == nil && shown != "" {
		return "", fmt.Errorf("%s: %w: a backup repository is at %s already: attach it with its key (--key) or choose another place", op, repo.ErrExists, t)
	}
	if err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	c.Header = r.Header().Marshal()
	if err := s.save(ctx, c, key); err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	st, _ := s.loadState(ctx)
	st.KeyChecked = s.d.Now()
	if err := s.saveState(ctx, st); err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	s.mu.Lock()
	s.repo, s.cfg = r, c
	s.mu.Unlock()
	s.Wake()
	return shown, nil
}

// Confirm checks the recovery key typed back against the one Setup
// showed; backups start once it matches.
func (s *Service) Confirm(ctx context.Context, typed string) error {
	const op = "confirm recovery key"
	c, key, err := s.load(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if !c.Recovery {
		return fmt.Errorf("%s: %w: these backups use a passphrase", op, core.ErrBadSetting)
	}
	got, err := repo.ParseRecoveryKey(typed)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	want, err := repo.ParseRecoveryKey(key)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	h, err := repo.ParseHeader(c.Header)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if h.CheckSecret(got) != nil || h.CheckSecret(want) != nil {
		return fmt.Errorf("%s: %w", op, ErrKeyMismatch)
	}
	c.Confirmed = true
	if err := s.save(ctx, c, key); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	s.mu.Lock()
	s.cfg.Confirmed = true
	s.mu.Unlock()
	s.Wake()
	return nil
}

// ChangeKey makes a new key open the backups, in place of the one this
// device holds: a new recovery key (returned, to show once; backups stop
// until it is typed back with Confirm) or, with passphrase set, that
// passphrase. Only the repository's config is rewritten (the data keys
// stay, nothing is re-encrypted), so the snapshots made so far open with
// the new key; it is the way out when the 30-day check finds the key
// lost. The old key still opens a copy of the old config (say, in the
// store's version history): after a suspected leak, set up a new place
// instead. Other devices attached to the same repository need the new
// key too (Setup with it).
func (s *Service) ChangeKey(ctx context.Context, passphrase string) (string, error) {
	const op = "change backup key"
	if err := s.ready(); err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	s.running.Lock() // not while a backup runs
	defer s.running.Unlock()
	r, c, err := s.open(ctx, false)
	if err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	var (
		sec   repo.Secret
		key   string
		shown string
	)
	if passphrase != "" {
		sec, err = repo.PassphraseSecret(passphrase)
		key, c.Recovery, c.Confirmed = passphrase, false, true // typed twice by the client
	} else {
		if shown, err = repo.NewRecoveryKey(); err == nil {
			sec, err = repo.ParseRecoveryKey(shown)
		}
		key, c.Recovery, c.Confirmed = shown, true, false
	}
	if err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	if err := r.ChangeSecret(ctx, sec); err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	c.Header = r.Header().Marshal()
	if err := s.save(ctx, c, key); err != nil {
		return "", fmt.Errorf("%s: the backups open with the new key now, but this device could not keep it: %w", op, err)
	}
	s.mu.Lock()
	s.cfg = c
	s.mu.Unlock()
	if st, err := s.loadState(ctx); err == nil {
		st.KeyChecked = s.d.Now()
		_ = s.saveState(ctx, st)
	}
	s.Wake()
	return shown, nil
}

// SetMedia changes which files the next backups carry.
func (s *Service) SetMedia(ctx context.Context, m Media) error {
	const op = "choose the files backups carry"
	if err := s.ready(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := m.validate(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	c, key, err := s.load(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	c.Media = m
	if err := s.save(ctx, c, key); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	s.mu.Lock()
	s.cfg.Media = m
	s.mu.Unlock()
	return nil
}

// CheckKey checks a key (recovery key or passphrase) the user typed
// against the repository's key-check value, without the target, and
// notes when it last matched (Status: KeyCheckDue).
func (s *Service) CheckKey(ctx context.Context, typed string) error {
	const op = "check backup key"
	c, _, err := s.load(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	h, err := repo.ParseHeader(c.Header)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	sec, err := secretOf(c.Recovery, typed)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := h.CheckSecret(sec); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	st, err := s.loadState(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	st.KeyChecked = s.d.Now()
	return s.saveState(ctx, st)
}

func secretOf(recovery bool, key string) (repo.Secret, error) {
	if recovery {
		return repo.ParseRecoveryKey(key)
	}
	return repo.PassphraseSecret(key)
}

// Now makes a backup at once (progress, when not nil, hears how far it
// got) and applies the retention.
func (s *Service) Now(ctx context.Context, progress func(Progress)) (Result, error) {
	const op = "back up"
	if err := s.ready(); err != nil {
		return Result{}, fmt.Errorf("%s: %w", op, err)
	}
	// One backup at a time: a second waits for the first (the schedule's
	// and the user's), then uploads only what changed since.
	s.running.Lock()
	defer s.running.Unlock()
	relay := startProgressRelay(func(p Progress) {
		s.d.Publish(Running{Done: p.BytesDone, Total: p.Bytes, Uploaded: p.Uploaded})
		if progress != nil {
			progress(p)
		}
	})
	res, err := s.backup(ctx, relay.report)
	relay.stop()
	st, serr := s.loadState(ctx)
	if serr == nil {
		now := s.d.Now()
		if err != nil {
			st.LastError, st.LastErrorAt = err.Error(), now
		} else {
			st.LastBackup, st.LastSnapshot, st.LastError = now, res.Snapshot.ID, ""
			st.LastBytes, st.LastUploaded = res.Stats.Bytes, res.Stats.Uploaded
		}
		serr = s.saveState(ctx, st)
	}
	done := Done{Snapshot: res.Snapshot.ID}
	if err != nil {
		done.Err = err.Error()
	}
	s.d.Publish(done)
	if err != nil {
		return Result{}, fmt.Errorf("%s: %w", op, err)
	}
	if serr != nil {
		return res, fmt.Errorf("%s: %w", op, serr)
	}
	return res, nil
}

func (s *Service) backup(ctx context.Context, progress func(Progress)) (Result, error) {
	r, c, err := s.open(ctx, true)
	if err != nil {
		return Result{}, err
	}
	seed := s.d.AccountSeed()
	if seed == nil {
		return Result{}, core.ErrNoAccountKey
	}
	list, err := s.d.Store.DeviceList(ctx, storage.Account(s.d.Self))
	if err != nil {
		return Result{}, fmt.Errorf("own device list: %w", err)
	}
	acct, err := encodeAccount(&pb.BackupAccount{AccountSeed: seed, DeviceList: list, Device: s.d.Device, MadeAtMs: s.d.Now().UnixMilli()})
	if err != nil {
		return Result{}, err
	}
	groups, err := s.groupsItem(ctx)
	if err != nil {
		return Result{}, err
	}
	items := []repo.Item{
		{Name: ItemAccount, Size: int64(len(acct)), Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(acct)), nil }},
		{Name: ItemGroups, Size: int64(len(groups)), Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(groups)), nil }},
	}
	ops, err := s.opsItems(ctx)
	if err != nil {
		return Result{}, err
	}
	items = append(items, ops...)
	files, size, err := s.mediaFiles(ctx, c.Media)
	if err != nil {
		return Result{}, fmt.Errorf("list files: %w", err)
	}
	if len(files) > 0 {
		items = append(items, repo.Item{Name: ItemMedia, Size: size, Open: func() (io.ReadCloser, error) {
			return s.stream(func(w io.Writer) error { return s.writeMedia(ctx, w, files) }), nil
		}})
	}
	snap, stats, err := r.Backup(ctx, items, repo.BackupOptions{
		Time:     s.d.Now(),
		Meta:     map[string]string{"account": s.d.Self.String(), "device": fmt.Sprint(s.d.Device)},
		Sign:     ed25519.NewKeyFromSeed(seed),
		Progress: progress,
	})
	if err != nil {
		return Result{}, err
	}
	if _, err := r.Forget(ctx, Keep, s.d.Now()); err != nil {
		s.d.Log.Warn("backup retention failed", "err", err)
	} else if _, _, err := r.Prune(ctx); err != nil && !errors.Is(err, repo.ErrBusy) {
		s.d.Log.Warn("backup prune failed", "err", err)
	}
	return Result{Snapshot: snap, Stats: stats}, nil
}

// groupsItem is the groups item: each message Groups.Export gives,
// length-prefixed.
func (s *Service) groupsItem(ctx context.Context) ([]byte, error) {
	if s.d.Groups == nil {
		return nil, nil
	}
	msgs, err := s.d.Groups.Export(ctx)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	for _, m := range msgs {
		if err := writeOp(&buf, m); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

// stream runs write into a pipe the backup reads. The writer goroutine
// is owned by the reader: Close stops it (its next write fails) and waits
// for it, so it never outlives the backup, not even one that failed
// early.
func (s *Service) stream(write func(io.Writer) error) io.ReadCloser {
	pr, pw := io.Pipe()
	r := &streamReader{PipeReader: pr, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		pw.CloseWithError(write(pw))
	}()
	return r
}

// streamReader is the reading end of stream.
type streamReader struct {
	*io.PipeReader
	done chan struct{} // closed when the writer returned
}

func (r *streamReader) Close() error {
	err := r.PipeReader.Close()
	<-r.done
	return err
}

// open returns the repository, opening it when needed; confirmed
// requires a confirmed key.
func (s *Service) open(ctx context.Context, confirmed bool) (*repo.Repo, config, error) {
	c, key, err := s.load(ctx)
	if err != nil {
		return nil, config{}, err
	}
	if confirmed && !c.Confirmed {
		return nil, config{}, ErrNotConfirmed
	}
	s.mu.Lock()
	r := s.repo
	same := r != nil && s.cfg.To == c.To && s.cfg.S3 == c.S3
	s.mu.Unlock()
	if same {
		return r, c, nil
	}
	t, err := target(c)
	if err != nil {
		return nil, config{}, err
	}
	sec, err := secretOf(c.Recovery, key)
	if err != nil {
		return nil, config{}, err
	}
	if r, err = repo.Open(ctx, t, sec); err != nil {
		return nil, config{}, err
	}
	s.mu.Lock()
	s.repo, s.cfg = r, c
	s.mu.Unlock()
	return r, c, nil
}

// Snapshots lists the repository's snapshots, newest first.
func (s *Service) Snapshots(ctx context.Context) ([]repo.Snapshot, error) {
	if err := s.ready(); err != nil {
		return nil, fmt.Errorf("list backups: %w", err)
	}
	r, _, err := s.open(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("list backups: %w", err)
	}
	return r.Snapshots(ctx)
}

// Verify checks the repository: light, every manifest decrypts and
// every chunk it names is there; full, every chunk is downloaded,
// decrypted and checked too.
func (s *Service) Verify(ctx context.Context, full bool, progress func(Progress)) (repo.VerifyReport, error) {
	if err := s.ready(); err != nil {
		return repo.VerifyReport{}, fmt.Errorf("verify backups: %w", err)
	}
	r, _, err := s.open(ctx, false)
	if err != nil {
		return repo.VerifyReport{}, fmt.Errorf("verify backups: %w", err)
	}
	rep, err := r.Verify(ctx, full, progress)
	if err == nil {
		if st, serr := s.loadState(ctx); serr == nil {
			st.LastVerify = s.d.Now()
			_ = s.saveState(ctx, st)
		}
	}
	return rep, err
}

// Status says whether backups are set up, how the last went, and when
// the next one and the next key check are due.
func (s *Service) Status(ctx context.Context) (Status, error) {
	if err := s.ready(); err != nil {
		return Status{}, fmt.Errorf("backup status: %w", err)
	}
	c, _, err := s.load(ctx)
	if errors.Is(err, ErrNotSetUp) {
		return Status{}, nil
	}
	if err != nil {
		return Status{}, fmt.Errorf("backup status: %w", err)
	}
	st, err := s.loadState(ctx)
	if err != nil {
		return Status{}, fmt.Errorf("backup status: %w", err)
	}
	out := Status{
		SetUp: true, Location: c.To, RecoveryKey: c.Recovery, Confirmed: c.Confirmed,
		LastBackup: st.LastBackup, LastSnapshot: st.LastSnapshot, LastBytes: st.LastBytes, LastUploaded: st.LastUploaded,
		LastError: st.LastError, LastErrorAt: st.LastErrorAt, LastVerify: st.LastVerify, KeyCheckedAt: st.KeyChecked,
		NextBackup: s.next(st), Media: c.Media,
	}
	out.KeyCheckDue = !st.KeyChecked.IsZero() && s.d.Now().Sub(st.KeyChecked) >= KeyCheckEvery
	return out, nil
}

// next is when the schedule backs up next.
func (s *Service) next(st state) time.Time {
	next := st.LastBackup.Add(Every)
	if st.LastErrorAt.After(st.LastBackup) {
		next = st.LastErrorAt.Add(retryAfter)
	}
	return next
}

// Wake has Run look at the schedule again (after Setup or Confirm).
func (s *Service) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run is the daily schedule: it backs up when the last backup is Every
// old (an hour after a failure), then verifies lightly. It returns when
// ctx ends; node starts it and waits for it.
func (s *Service) Run(ctx context.Context) {
	for {
		wait := s.untilNext(ctx)
		if wait == 0 {
			_, err := s.Now(ctx, nil)
			switch {
			case ctx.Err() != nil:
				return
			case err != nil:
				// Now noted the failure: the next try is retryAfter away.
				s.d.Log.Warn("scheduled backup failed", "err", err)
			default:
				if _, err := s.Verify(ctx, false, nil); err != nil && ctx.Err() == nil {
					s.d.Log.Warn("backup verify failed", "err", err)
				}
			}
			continue
		}
		var timer <-chan time.Time
		if wait > 0 {
			timer = s.d.After(wait)
		}
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		case <-timer:
		}
	}
}

// untilNext returns how long until the next scheduled backup: 0 now, -1
// never (not set up, not confirmed).
func (s *Service) untilNext(ctx context.Context) time.Duration {
	c, _, err := s.load(ctx)
	if err != nil || !c.Confirmed {
		return -1
	}
	st, err := s.loadState(ctx)
	if err != nil {
		return retryAfter
	}
	return max(s.next(st).Sub(s.d.Now()), 0)
}

func (s *Service) load(ctx context.Context) (config, string, error) {
	raw, err := s.d.Store.Setting(ctx, settingConfig)
	if errors.Is(err, storage.ErrNotFound) {
		return config{}, "", ErrNotSetUp
	}
	if err != nil {
		return config{}, "", err
	}
	var c config
	if err := json.Unmarshal(raw, &c); err != nil {
		return config{}, "", fmt.Errorf("%w: backup settings: %v", core.ErrBadSetting, err)
	}
	key, err := s.d.Store.Setting(ctx, settingKey)
	if err != nil {
		return config{}, "", fmt.Errorf("backup key: %w", err)
	}
	return c, string(key), nil
}

func (s *Service) save(ctx context.Context, c config, key string) error {
	raw, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if err := s.d.Store.PutSetting(ctx, settingKey, []byte(key)); err != nil {
		return err
	}
	return s.d.Store.PutSetting(ctx, settingConfig, raw)
}

func (s *Service) loadState(ctx context.Context) (state, error) {
	var st state
	raw, err := s.d.Store.Setting(ctx, settingState)
	if errors.Is(err, storage.ErrNotFound) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		return state{}, nil // a damaged state only loses the history of runs
	}
	return st, nil
}

func (s *Service) saveState(ctx context.Context, st state) error {
	raw, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return s.d.Store.PutSetting(ctx, settingState, raw)
}

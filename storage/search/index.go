package search

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go, no cgo)

	"github.com/pigeon-net/pigeon/storage"
)

// FileName is the database file Open creates in its directory (SQLite adds
// FileName-wal and FileName-shm beside it).
const FileName = "search.db"

// MaxFieldBytes bounds each text field of a Doc.
const MaxFieldBytes = 64 << 10

// Doc is one searchable message.
type Doc struct {
	ID storage.MessageID
	// Chat is the conversation: the peer account of a 1:1 chat or the
	// group ID.
	Chat   storage.Account
	Sender storage.Account
	At     time.Time // shown in hits; the order is by ID, as in History
	// The searchable fields; any may be empty.
	Text, Caption, FileName string
}

// Index is a full-text index of messages in one directory. It is safe for
// concurrent use: writes are serialised, queries run beside them and see
// every batch applied before they started.
type Index struct {
	db *sql.DB
	// wmu serialises Apply and Purge (SQLite has one writer).
	wmu sync.Mutex
}

const schema = `
CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS docs(
	rowid INTEGER PRIMARY KEY,
	id BLOB NOT NULL UNIQUE,
	chat BLOB NOT NULL,
	sender BLOB NOT NULL,
	at INTEGER NOT NULL,
	text TEXT NOT NULL,
	caption TEXT NOT NULL,
	file TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS docs_chat ON docs(chat);
-- prefix: a query word of 1 to 3 characters reads one precomputed
-- doclist instead of merging those of every word it starts (measured at
-- 100k messages: 1- and 2-letter queries 15x faster, indexing 1.4x slower).
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
	text, caption, file, chat,
	content='', contentless_delete=1, prefix='1 2 3',
	tokenize="unicode61 remove_diacritics 0 categories 'L* N* Co M*'"
);
INSERT OR IGNORE INTO meta(k, v) VALUES('schema', 1);
`

// Open opens or creates the index in dir (created with mode 0700).
func Open(dir string) (*Index, error) {
	if dir == "" {
		return nil, fmt.Errorf("open search index: %w: no directory", ErrInvalid)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("open search index: %w", err)
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(NORMAL)", "secure_delete(ON)", "busy_timeout(10000)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	dsn := "file:" + filepath.Join(dir, FileName) + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open search index: %w", err)
	}
	ix := &Index{db: db}
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("open search index: %w", err)
	}
	// Deletes rewrite the index pages that held the terms instead of
	// leaving delete markers, and set bm25 weights: text over caption
	// over file name; the chat column only filters.
	if _, err := db.Exec(`INSERT INTO fts(fts, rank) VALUES('secure-delete', 1);
		INSERT INTO fts(fts, rank) VALUES('rank', 'bm25(1.0, 0.8, 0.6, 0.0)')`); err != nil {
		db.Close()
		return nil, fmt.Errorf("open search index: %w", err)
	}
	return ix, nil
}

// Close closes the index. Later calls return an error wrapping ErrClosed.
func (ix *Index) Close() error {
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	if err := ix.db.Close(); err != nil {
		return fmt.Errorf("close search index: %w", err)
	}
	return nil
}

// Batch collects changes that Apply makes in one transaction, in order.
// The zero Batch is empty and ready to use.
type Batch struct {
	ops     []op
	mark    uint64
	hasMark bool
}

type opKind uint8

const (
	opPut opKind = iota
	opDelete
	opDeleteChat
)

type op struct {
	kind opKind
	doc  Doc
}

// Put adds d, or replaces the document with d.ID (an edit).
func (b *Batch) Put(d Doc) { b.ops = append(b.ops, op{kind: opPut, doc: d}) }

// Delete removes the document id (a delete or an expiry); a missing one is
// no error.
func (b *Batch) Delete(id storage.MessageID) {
	b.ops = append(b.ops, op{kind: opDelete, doc: Doc{ID: id}})
}

// DeleteChat removes every document of chat.
func (b *Batch) DeleteChat(chat storage.Account) {
	b.ops = append(b.ops, op{kind: opDeleteChat, doc: Doc{Chat: chat}})
}

// SetMark records mark as the index's high-water mark when the batch
// commits (see Index.Mark).
func (b *Batch) SetMark(mark uint64) { b.mark, b.hasMark = mark, true }

// Len is the number of changes in the batch.
func (b *Batch) Len() int { return len(b.ops) }

// Reset empties the batch for reuse.
func (b *Batch) Reset() { *b = Batch{ops: b.ops[:0]} }

// Apply makes the batch's changes in one transaction: all or none. Queries
// that start after Apply returns see them.
func (ix *Index) Apply(ctx context.Context, b *Batch) error {
	for _, o := range b.ops {
		if o.kind != opPut {
			continue
		}
		if o.doc.ID.IsZero() {
			return fmt.Errorf("apply search batch: %w: document without an ID", ErrInvalid)
		}
		if len(o.doc.Text) > MaxFieldBytes || len(o.doc.Caption) > MaxFieldBytes || len(o.doc.FileName) > MaxFieldBytes {
			return fmt.Errorf("apply search batch: %w: document %s has a field over %d bytes", ErrInvalid, o.doc.ID, MaxFieldBytes)
		}
	}
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	tx, err := ix.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("apply search batch: %w", wrapClosed(err))
	}
	defer tx.Rollback()
	w, err := prepareWriter(ctx, tx)
	if err != nil {
		return fmt.Errorf("apply search batch: %w", err)
	}
	defer w.close()
	for _, o := range b.ops {
		switch o.kind {
		case opPut:
			err = w.put(ctx, &o.doc)
		case opDelete:
			err = w.delete(ctx, o.doc.ID)
		case opDeleteChat:
			err = w.deleteChat(ctx, o.doc.Chat)
		}
		if err != nil {
			return fmt.Errorf("apply search batch: %w", err)
		}
	}
	if b.hasMark {
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta(k, v) VALUES('mark', ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v`, int64(b.mark)); err != nil {
			return fmt.Errorf("apply search batch: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("apply search batch: %w", err)
	}
	return nil
}

// Mark returns the high-water mark of the last batch that set one (0 when
// none did). See the package doc for how the node uses it.
func (ix *Index) Mark(ctx context.Context) (uint64, error) {
	var v int64
	err := ix.db.QueryRowContext(ctx, `SELECT v FROM meta WHERE k = 'mark'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("search mark: %w", wrapClosed(err))
	}
	return uint64(v), nil
}

// Count returns the number of documents in the index.
func (ix *Index) Count(ctx context.Context) (int, error) {
	var n int
	if err := ix.db.QueryRowContext(ctx, `SELECT count(*) FROM docs`).Scan(&n); err != nil {
		return 0, fmt.Errorf("search count: %w", wrapClosed(err))
	}
	return n, nil
}

// Purge makes deleted text leave the files: it merges the full-text index
// into one segment, rewrites the database without free pages (VACUUM;
// freed pages are zeroed anyway, secure_delete is on) and truncates the
// write-ahead log. It takes time proportional to the index; call it after
// deletions, not after each one (the node schedules it, as it does the
// store's compaction).
func (ix *Index) Purge(ctx context.Context) error {
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	conn, err := ix.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("purge search index: %w", wrapClosed(err))
	}
	defer conn.Close()
	for _, stmt := range []string{`INSERT INTO fts(fts) VALUES('optimize')`, `VACUUM`} {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("purge search index: %s: %w", stmt, err)
		}
	}
	// The log still holds the pages as they were before the purge until
	// a checkpoint copies them and truncates it. A reader holding an old
	// snapshot makes the checkpoint report busy (not an error): then the
	// text may still be in the log, and the caller must try again.
	var busy, logPages, done int
	if err := conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logPages, &done); err != nil {
		return fmt.Errorf("purge search index: checkpoint: %w", err)
	}
	if busy != 0 {
		return fmt.Errorf("purge search index: %w", ErrBusy)
	}
	return nil
}

func wrapClosed(err error) error {
	if err != nil && strings.Contains(err.Error(), "database is closed") {
		return fmt.Errorf("%w: %w", ErrClosed, err)
	}
	return err
}

// writer holds one transaction's prepared statements.
type writer struct {
	insDoc, selDoc, updDoc, delDoc, insFTS, delFTS, selChat *sql.Stmt
	z                                                       segmenter
}

func prepareWriter(ctx context.Context, tx *sql.Tx) (*writer, error) {
	w := &writer{}
	for _, p := range []struct {
		s   **sql.Stmt
		sql string
	}{
		{&w.insDoc, `INSERT INTO docs(rowid, id, chat, sender, at, text, caption, file) VALUES(?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`},
		{&w.selDoc, `SELECT rowid FROM docs WHERE id = ?`},
		{&w.updDoc, `UPDATE docs SET chat = ?, sender = ?, at = ?, text = ?, caption = ?, file = ? WHERE rowid = ?`},
		{&w.delDoc, `DELETE FROM docs WHERE rowid = ?`},
		{&w.insFTS, `INSERT INTO fts(rowid, text, caption, file, chat) VALUES(?, ?, ?, ?, ?)`},
		{&w.delFTS, `DELETE FROM fts WHERE rowid = ?`},
		{&w.selChat, `SELECT rowid FROM docs WHERE chat = ?`},
	} {
		s, err := tx.PrepareContext(ctx, p.sql)
		if err != nil {
			w.close()
			return nil, err
		}
		*p.s = s
	}
	return w, nil
}

func (w *writer) close() {
	for _, s := range []*sql.Stmt{w.insDoc, w.selDoc, w.updDoc, w.delDoc, w.insFTS, w.delFTS, w.selChat} {
		if s != nil {
			s.Close()
		}
	}
}

// rowidOf maps a message ID to its row: the 48-bit millisecond time and
// the next 15 bits, so that rows sort as IDs do (newest last). Two IDs of
// one millisecond that share those bits take the next free row.
func rowidOf(id storage.MessageID) int64 {
	return int64(binary.BigEndian.Uint64(id[:8]) >> 1)
}

func chatTerm(chat storage.Account) string { return "c" + hex.EncodeToString(chat[:]) }

func (w *writer) put(ctx context.Context, d *Doc) error {
	at := d.At.UnixMilli()
	if d.At.IsZero() {
		at = 0
	}
	row := rowidOf(d.ID)
	for {
		res, err := w.insDoc.ExecContext(ctx, row, d.ID[:], d.Chat[:], d.Sender[:], at, d.Text, d.Caption, d.FileName)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			break
		}
		// Either the ID is indexed (replace it) or the row is taken by
		// another ID (probe the next).
		var have int64
		err = w.selDoc.QueryRowContext(ctx, d.ID[:]).Scan(&have)
		if errors.Is(err, sql.ErrNoRows) {
			row++
			continue
		}
		if err != nil {
			return err
		}
		row = have
		if _, err := w.delFTS.ExecContext(ctx, row); err != nil {
			return err
		}
		if _, err := w.updDoc.ExecContext(ctx, d.Chat[:], d.Sender[:], at, d.Text, d.Caption, d.FileName, row); err != nil {
			return err
		}
		break
	}
	_, err := w.insFTS.ExecContext(ctx, row, w.z.terms(d.Text), w.z.terms(d.Caption), w.z.terms(d.FileName), chatTerm(d.Chat))
	return err
}

func (w *writer) deleteRow(ctx context.Context, row int64) error {
	if _, err := w.delFTS.ExecContext(ctx, row); err != nil {
		return err
	}
	_, err := w.delDoc.ExecContext(ctx, row)
	return err
}

func (w *writer) delete(ctx context.Context, id storage.MessageID) error {
	var row int64
	err := w.selDoc.QueryRowContext(ctx, id[:]).Scan(&row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return w.deleteRow(ctx, row)
}

func (w *writer) deleteChat(ctx context.Context, chat storage.Account) error {
	rows, err := w.selChat.QueryContext(ctx, chat[:])
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var r int64
		if err := rows.Scan(&r); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range ids {
		if err := w.deleteRow(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

// Package store keeps the bot's durable state in SQLite: webhook events, conversations, the
// outbox of calls toward Chatwoot and the router update jobs.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3"
)

//go:embed migration/*.sql
var migrationFS embed.FS

// ErrNotFound is returned when a row does not exist.
var ErrNotFound = errors.New("store: not found")

// DB is the bot's database.
type DB struct {
	db   *sql.DB
	path string

	// Now is the clock; tests replace it.
	Now func() time.Time

	ingest   *ingester
	onEvents atomic.Pointer[func([]*Event)]
	onCommit atomic.Pointer[func(units int, took time.Duration, err error)]
	health   writeHealth // see Writable
}

// OnEvents sets what is told of every event stored from then on (by Ingest or inside an
// Update): after the commit that made them durable, before their callers hear of it, in
// the order of their ids. fn runs on the single writer's goroutine, so it must be quick
// and must not use the database; it may keep the events.
func (db *DB) OnEvents(fn func(evs []*Event)) {
	db.onEvents.Store(&fn)
}

// OnCommit sets what is told of every transaction of the single writer, once it is
// durable or has failed: how many units it carried (webhooks stored and Updates) and how
// long it took from its start to the end of its commit, fsync included. A webhook is
// answered after its transaction, so this is the floor of its acknowledgement, and it
// shows a slow disk. fn runs on the writer's goroutine and must be quick.
func (db *DB) OnCommit(fn func(units int, took time.Duration, err error)) {
	db.onCommit.Store(&fn)
}

// Open opens (creating if needed) the SQLite database at path and applies the migrations.
// WAL, a busy timeout, foreign keys and synchronous=FULL are set in the DSN so that every
// connection of the pool has them, not only the first one.
func Open(ctx context.Context, path string) (*DB, error) {
	return open(ctx, path, true)
}

// OpenExisting opens a database the service created, for the admin commands: it creates
// no file and applies no migration. Another SQLite file, or one whose migrations differ
// from this binary's (an older or newer cwbot's), is refused before anything is written:
// a mistyped path must not look like an empty queue, and a list command must not change
// the schema under a running service of another version.
func OpenExisting(ctx context.Context, path string) (*DB, error) {
	if err := checkSchema(ctx, path); err != nil {
		return nil, err
	}
	return open(ctx, path, false)
}

// checkSchema reads, on a read-only connection, which migrations path has.
func checkSchema(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	ro, err := sql.Open("sqlite3", "file:"+uriPath.Replace(path)+"?mode=ro")
	if err != nil {
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	defer ro.Close()
	var tables int
	if err := ro.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'migrations'`).Scan(&tables); err != nil {
		return fmt.Errorf("store: %s is not a cwbot database: %w", path, err)
	}
	if tables == 0 {
		return fmt.Errorf("store: %s is not a cwbot database (it has no migrations table)", path)
	}
	rows, err := ro.QueryContext(ctx, `SELECT name FROM migrations`)
	if err != nil {
		return fmt.Errorf("store: %s: %w", path, err)
	}
	defer rows.Close()
	var applied []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return err
		}
		applied = append(applied, name)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	embedded := migrationNames()
	for _, name := range applied {
		if !slices.Contains(embedded, name) {
			return fmt.Errorf("store: %s was migrated by a newer cwbot (%s): use that version", path, name)
		}
	}
	for _, name := range embedded {
		if !slices.Contains(applied, name) {
			return fmt.Errorf("store: %s is older than this cwbot (it lacks %s): use the version that runs the service, or let this one's serve migrate it", path, name)
		}
	}
	return nil
}

func open(ctx context.Context, path string, migrate bool) (*DB, error) {
	if path == "" {
		return nil, errors.New("store: empty database path")
	}
	if dir := filepath.Dir(path); migrate && dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("store: create folder for %s: %w", path, err)
		}
	}
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "5000")
	q.Set("_foreign_keys", "on")
	// FULL, not NORMAL: an acknowledged webhook must survive a power cut. Group commit
	// (see ingester) pays for the extra fsync.
	q.Set("_synchronous", "FULL")
	// Write transactions take the write lock at BEGIN, so two writers never deadlock
	// upgrading from a read lock.
	q.Set("_txlock", "immediate")
	// Each connection keeps its statements prepared: the same few queries run for every
	// event and every outbox row.
	q.Set("_stmt_cache_size", "32")
	// The path goes into a URI: a '#' would end the file name there and a '?' start the
	// options, opening another file than the one named.
	dsn := "file:" + uriPath.Replace(path) + "?" + q.Encode()
	sdb, err := sql.Open(driverName, dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	// Connections are kept, not reopened per query (database/sql keeps 2 idle by default,
	// and opening one costs its pragmas and a schema parse). The writer holds one for
	// good; the rest serve reads.
	sdb.SetMaxOpenConns(maxConns)
	sdb.SetMaxIdleConns(maxConns)
	db := &DB{db: sdb, path: path, Now: time.Now}
	if err := sdb.PingContext(ctx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if migrate {
		if err := db.migrate(ctx); err != nil {
			sdb.Close()
			return nil, err
		}
	}
	if db.ingest, err = newIngester(ctx, db); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return db, nil
}

// uriPath escapes what a file: URI gives a meaning to in a path.
var uriPath = strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23")

// maxConns bounds the pool: the writer's own connection and readers.
const maxConns = 12

// driverName is go-sqlite3 with a smaller page cache per connection: readers touch few
// pages, and a dozen connections at SQLite's default of 2 MB each would be most of the
// bot's memory. The writer's own connection sets a larger one.
const driverName = "sqlite3_cwbot"

func init() {
	sql.Register(driverName, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		_, err := c.Exec("PRAGMA cache_size = -512", nil)
		return err
	}})
}

// Close stops the ingester and closes the database.
func (db *DB) Close() error {
	if db.ingest != nil {
		db.ingest.close()
	}
	return db.db.Close()
}

// Path is the database file.
func (db *DB) Path() string { return db.path }

// SQL exposes the handle for read-only tools and tests.
func (db *DB) SQL() *sql.DB { return db.db }

func (db *DB) now() time.Time { return db.Now() }

// migrationNames are the embedded migrations, in the order they apply.
func migrationNames() []string {
	names, err := fs.Glob(migrationFS, "migration/*.sql")
	if err != nil {
		panic(err) // only a malformed pattern fails
	}
	sort.Strings(names)
	return names
}

func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("store: create migrations table: %w", err)
	}
	for _, name := range migrationNames() {
		if err := db.migrateFile(ctx, name); err != nil {
			return fmt.Errorf("store: migration %s: %w", name, err)
		}
	}
	return nil
}

func (db *DB) migrateFile(ctx context.Context, name string) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM migrations WHERE name = ?`, name).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	buf, err := migrationFS.ReadFile(name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(buf)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (name, applied_at) VALUES (?, ?)`, name, db.now().Unix()); err != nil {
		return err
	}
	return tx.Commit()
}

// Ready reports whether the database answers and every embedded migration is applied.
func (db *DB) Ready(ctx context.Context) error {
	names := migrationNames()
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM migrations`).Scan(&n); err != nil {
		return fmt.Errorf("store: not ready: %w", err)
	}
	if n < len(names) {
		return fmt.Errorf("store: not ready: %d of %d migrations applied", n, len(names))
	}
	return nil
}

func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMilli(v.Int64)
}

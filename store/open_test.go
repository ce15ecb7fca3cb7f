package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cwbot/cwbot/store"
)

// OpenExisting opens only a database this binary's serve would run on, and writes nothing
// to any other file.
func TestOpenExisting(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "bot.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = store.OpenExisting(ctx, path); err != nil {
		t.Fatalf("a database this cwbot created: %v", err)
	}
	db.Close()

	exec := func(path, q string) {
		t.Helper()
		d, err := sql.Open("sqlite3", path)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		if _, err := d.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	exec(path, `INSERT INTO migrations (name, applied_at) VALUES ('migration/999_future.sql', 0)`)
	if _, err := store.OpenExisting(ctx, path); err == nil || !strings.Contains(err.Error(), "newer cwbot") {
		t.Fatalf("a database with a migration this cwbot lacks: %v, want a newer cwbot named", err)
	}
	exec(path, `DELETE FROM migrations WHERE name IN ('migration/999_future.sql', 'migration/003_outbox_heads.sql')`)
	if _, err := store.OpenExisting(ctx, path); err == nil || !strings.Contains(err.Error(), "older than this cwbot") {
		t.Fatalf("a database missing a migration: %v, want it called older", err)
	}

	foreign := filepath.Join(dir, "crm.db")
	exec(foreign, `CREATE TABLE customers (id INTEGER PRIMARY KEY)`)
	if _, err := store.OpenExisting(ctx, foreign); err == nil || !strings.Contains(err.Error(), "not a cwbot database") {
		t.Fatalf("another SQLite file: %v, want it refused", err)
	}
	d, err := sql.Open("sqlite3", foreign)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var mode string
	var tables int
	if err := d.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if err := d.QueryRow(`SELECT COUNT(*) FROM sqlite_master`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if mode != "delete" || tables != 1 {
		t.Fatalf("the other file was changed: journal mode %s, %d objects", mode, tables)
	}
	if _, err := store.OpenExisting(ctx, filepath.Join(dir, "missing.db")); err == nil {
		t.Fatal("a missing file was opened")
	}
}

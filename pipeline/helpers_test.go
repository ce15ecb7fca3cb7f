package pipeline

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cwbot/cwbot/store"
)

// openDB opens a fresh database closed when the test ends (after the cleanups registered
// later, which stop the workers using it).
func openDB(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "bot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// testLogWriter sends log lines to the test's log, shown when it fails.
type testLogWriter struct{ t *testing.T }

func (w testLogWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// waitUntil polls cond every few milliseconds until it holds or the deadline passes.
func waitUntil(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", within, what)
		}
		time.Sleep(3 * time.Millisecond)
	}
}

// holdReaders takes every free connection of the database's pool, so that any query
// outside the single writer (which keeps its own connection) waits until release is
// called. It returns the pool's wait count at that point: a later count above it means
// someone is waiting for a connection.
func holdReaders(t *testing.T, db *store.DB) (waits int64, release func()) {
	t.Helper()
	var conns []*sql.Conn
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
		c, err := db.SQL().Conn(ctx)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		if len(conns) > 100 {
			t.Fatal("the pool does not seem bounded")
		}
	}
	released := false
	release = func() {
		if released {
			return
		}
		released = true
		for _, c := range conns {
			c.Close()
		}
	}
	t.Cleanup(release)
	return db.SQL().Stats().WaitCount, release
}

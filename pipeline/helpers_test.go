package pipeline

import (
	"context"
	"database/sql"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cwbot/cwbot/internal/hang"
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

// hangGuard is how long a test waits for something that must happen before it calls it
// a hang: a minute, or longer under a long go test -timeout (hang.Guard); TestMain sets it.
var hangGuard = time.Minute

func TestMain(m *testing.M) {
	flag.Parse()
	hangGuard = hang.Guard(hangGuard)
	os.Exit(m.Run())
}

// waitUntil polls cond every few milliseconds until it holds. within is how long that
// takes on an idle machine (for the reader); the test fails only after hangGuard, or
// within if that is longer.
func waitUntil(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	limit := max(within, hangGuard)
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", limit, what)
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
	// The pool's size is known: take connections until every one is in use (the writer
	// keeps its own), rather than until taking one is slow, which a loaded machine
	// mistakes for a full pool.
	var conns []*sql.Conn
	for db.SQL().Stats().InUse < db.SQL().Stats().MaxOpenConnections {
		ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
		c, err := db.SQL().Conn(ctx)
		cancel()
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

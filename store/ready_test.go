package store

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// testClock is a clock the test moves.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }
func newTestClock() *testClock               { return &testClock{t: time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)} }

// immutable makes path unwritable even for root (chattr +i: as a full or read-only disk
// would) until the returned function is called; the test is skipped where chattr cannot.
func immutable(t *testing.T, path string) (release func()) {
	t.Helper()
	if out, err := exec.Command("chattr", "+i", path).CombinedOutput(); err != nil {
		t.Skipf("cannot make %s immutable here (chattr: %v: %s)", path, err, bytes.TrimSpace(out))
	}
	done := false
	release = func() {
		if done {
			return
		}
		done = true
		if out, err := exec.Command("chattr", "-i", path).CombinedOutput(); err != nil {
			t.Errorf("chattr -i: %v: %s", err, out)
		}
	}
	t.Cleanup(release)
	return release
}

// lastProbe is the time (unix ms) of the last probe write that landed, 0 for none.
func lastProbe(t *testing.T, db *DB) int64 {
	t.Helper()
	var at int64
	if err := db.SQL().QueryRow(`SELECT COALESCE(MAX(at), 0) FROM ready_probe`).Scan(&at); err != nil {
		t.Fatal(err)
	}
	return at
}

// With the WAL unwritable the store says it cannot store, and says it can again once it
// is writable; while commits land, asking costs no write.
func TestWritableFollowsTheWAL(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bot.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clock := newTestClock()
	db.Now = clock.now

	// A commit just landed: ready without a probe.
	if _, err := db.Ingest(ctx, &Event{Source: "chatwoot", Name: "message_created", DedupeKey: "m1", ConversationID: 1, Body: []byte("{}")}); err != nil {
		t.Fatal(err)
	}
	if err := db.Writable(ctx); err != nil {
		t.Fatalf("writable after a commit: %v", err)
	}
	if n := lastProbe(t, db); n != 0 {
		t.Fatalf("a probe was written while commits land")
	}

	release := immutable(t, path+"-wal")
	// Fresh from the last commit, the store cannot know yet; past WritableFresh it probes.
	clock.advance(WritableFresh)
	if err := db.Writable(ctx); err == nil {
		t.Fatal("writable with the WAL immutable")
	}
	// Between probes, the last one's answer stands: no write on every check.
	release()
	if err := db.Writable(ctx); err == nil {
		t.Fatal("writable again before any write landed")
	}
	clock.advance(ProbeEvery)
	if err := db.Writable(ctx); err != nil {
		t.Fatalf("not writable once the WAL is writable again: %v", err)
	}
	if lastProbe(t, db) == 0 {
		t.Fatal("no probe row: the recovery was not seen by a write")
	}
}

// A failed commit of a webhook makes the store not writable at once, without waiting for
// the freshness window, and the next landed commit makes it writable again.
func TestWritableAfterAFailedCommit(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bot.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clock := newTestClock()
	db.Now = clock.now
	ev := func(key string) *Event {
		return &Event{Source: "chatwoot", Name: "message_created", DedupeKey: key, ConversationID: 1, Body: []byte("{}")}
	}
	if _, err := db.Ingest(ctx, ev("m1")); err != nil {
		t.Fatal(err)
	}
	release := immutable(t, path+"-wal")
	if _, err := db.Ingest(ctx, ev("m2")); err == nil {
		t.Fatal("a webhook was stored with the WAL immutable")
	}
	if err := db.Writable(ctx); err == nil {
		t.Fatal("writable right after a failed commit")
	}
	release()
	if _, err := db.Ingest(ctx, ev("m3")); err != nil {
		t.Fatal(err)
	}
	if err := db.Writable(ctx); err != nil {
		t.Fatalf("not writable after a commit landed: %v", err)
	}
}

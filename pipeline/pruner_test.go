package pipeline

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/cwbot/cwbot/store"
)

// TestPrunerRun deletes at start what is older than the retention, again at each
// interval as the clock moves on, and stops with its context.
func TestPrunerRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db := openDB(t)
	var mu sync.Mutex
	start := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	now := start
	db.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	setNow := func(t time.Time) { mu.Lock(); now = t; mu.Unlock() }
	handled := func(name string) int64 {
		ev := &store.Event{Source: "chatwoot", Name: name, ConversationID: 5, Body: []byte(`{}`)}
		if _, err := db.Ingest(ctx, ev); err != nil {
			t.Fatal(err)
		}
		if err := db.FinishEvent(ctx, ev.ID, "handled", ""); err != nil {
			t.Fatal(err)
		}
		return ev.ID
	}
	handled("old")
	setNow(start.Add(48 * time.Hour))
	handled("recent")
	newest := handled("newest")
	events := func() int64 { n, _, _ := db.EventCounts(ctx); return n }

	p := &Pruner{DB: db, Logger: quietLogger(), Retention: 24 * time.Hour, Interval: 20 * time.Millisecond}
	done := make(chan struct{})
	go func() { p.Run(ctx); close(done) }()
	waitUntil(t, 3*time.Second, "the old event pruned at start", func() bool { return events() == 2 })
	setNow(start.Add(73 * time.Hour)) // the recent ones age past the retention
	// The newest row is kept whatever its age, so that its id is never handed out again.
	waitUntil(t, 3*time.Second, "the recent event pruned at a later round", func() bool { return events() == 1 })
	var left int64
	if err := db.SQL().QueryRow(`SELECT id FROM events`).Scan(&left); err != nil || left != newest {
		t.Fatalf("left event %d (%v), want the newest, %d", left, err, newest)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(hangGuard):
		t.Fatal("Run did not return after its context was cancelled")
	}
}

package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// openTemp opens a database in a temporary folder, closed when the test ends.
func openTemp(tb testing.TB) *DB {
	tb.Helper()
	db, err := Open(context.Background(), filepath.Join(tb.TempDir(), "bot.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// A panic in one Update's fn runs on the single writer's goroutine, where nobody can
// recover it: the whole process dies, with every webhook of the batch unanswered, and the
// same event panics again after the restart. The writer should survive it (recover,
// roll the unit back to its savepoint, and report the panic to that unit's caller only).
// The scenario runs in a child process, as the panic would kill the test binary.
func TestPanicInAUnitFailsThatUnitAlone(t *testing.T) {
	if os.Getenv("CWBOT_STORE_PANIC_CHILD") == "1" {
		ctx := context.Background()
		db := openTemp(t)
		err := func() (err error) {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("panic handed to the caller: %v", r)
				}
			}()
			return db.Update(ctx, func(tx *Tx) error {
				if err := tx.PutConversation(ctx, 1, 2, []byte(`{}`)); err != nil {
					return err
				}
				var m map[string]int
				m["boom"]++ // a bug in a unit: nil map write
				return nil
			})
		}()
		if err == nil {
			t.Fatal("a unit that panicked was reported as done")
		}
		if _, err := db.Conversation(ctx, 1, 2); !errors.Is(err, ErrNotFound) {
			t.Fatalf("the panicking unit's write was kept: %v", err)
		}
		if _, err := db.Ingest(ctx, &Event{Source: "chatwoot", Name: "message_created", DeliveryID: "after-panic", ConversationID: 2, Body: []byte(`{}`)}); err != nil {
			t.Fatalf("the writer is dead after a unit's panic: %v", err)
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestPanicInAUnitFailsThatUnitAlone$", "-test.count=1")
	cmd.Env = append(os.Environ(), "CWBOT_STORE_PANIC_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		lines := strings.SplitN(string(out), "\n", 6)
		t.Fatalf("a panic in one Update's fn killed the whole process (%v):\n%s", err, strings.Join(lines[:min(len(lines), 5)], "\n"))
	}
}

// The context of one unit, cancelled while its statement runs, makes go-sqlite3 call
// sqlite3_interrupt on the writer's connection. An interrupted write inside an explicit
// transaction makes SQLite roll back the whole transaction, not the unit's savepoint:
// every other unit and webhook of the batch is lost with it and told an error, although
// the unit's savepoint is meant to isolate its failure ("a failing fn rolls back alone").
// The pipeline's units run with the processor's, pruner's and workers' contexts, all
// cancelled at shutdown. The slow statement only widens the race window.
func TestCancelledUnitDoesNotFailItsBatch(t *testing.T) {
	waiting := withCompany(t, time.Hour) // the unit waits for the webhook: one batch
	db := openTemp(t)
	ctx := context.Background()

	uctx, cancel := context.WithCancel(ctx)
	defer cancel()
	started := make(chan struct{})
	unitErr := make(chan error, 1)
	go func() {
		unitErr <- db.Update(uctx, func(tx *Tx) error {
			close(started)
			// A write statement that takes a while (it counts before inserting one row).
			_, err := tx.tx.unitExec(uctx, `INSERT INTO conversations (account_id, conversation_id, state, created_at, updated_at)
				SELECT 1, n, '{}', 0, 0 FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000000)
				SELECT COUNT(*) AS n FROM c)`)
			return err
		})
	}()
	within(t, waiting, "the writer holding the unit, waiting for company")
	hookErr := make(chan error, 1)
	go func() {
		_, err := db.Ingest(ctx, &Event{Source: "chatwoot", Name: "message_created", DeliveryID: "w1", ConversationID: 3, Body: []byte(`{}`)})
		hookErr <- err
	}()
	<-started
	time.Sleep(50 * time.Millisecond)
	cancel()
	// The unit whose caller gave up runs to its end: what it is told must be true.
	uerr := <-unitErr
	var rows int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM conversations`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if (uerr == nil) != (rows == 1) {
		t.Fatalf("the cancelled unit was told %v, and %d of its rows are stored", uerr, rows)
	}
	if err := <-hookErr; err != nil {
		t.Fatalf("a webhook failed because another unit of its batch was cancelled: %v", err)
	}
	total, _, err := db.EventCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if total != 1 {
		t.Fatalf("%d events stored, want the webhook", total)
	}
}

// Outbox ids are SQLite rowids without AUTOINCREMENT: once Prune deletes the newest
// rows, the next row takes a pruned row's id again. The deliverer names each message in
// Chatwoot after its row id (content_attributes.cwbot_ref = "cwbot-outbox-<id>") and, on
// a retry or after a restart, skips a row whose ref it finds among the conversation's
// latest messages: a new reply reusing an old id in the same (quiet) conversation is
// taken for already posted and never sent.
func TestPruneNeverHandsAnOutboxIDOutAgain(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }

	dead := &OutboxRow{AccountID: 1, ConversationID: 6, Kind: "message", Payload: []byte(`{}`)}
	older := &OutboxRow{AccountID: 1, ConversationID: 8, Kind: "message", Payload: []byte(`{"text":"older"}`)}
	old := &OutboxRow{AccountID: 1, ConversationID: 7, Kind: "message", Payload: []byte(`{"text":"old"}`)}
	if err := db.Update(ctx, func(tx *Tx) error {
		for _, r := range []*OutboxRow{dead, older, old} {
			if err := tx.AddOutbox(ctx, r); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkOutboxDead(ctx, dead.ID, "refused"); err != nil {
		t.Fatal(err)
	}
	for _, r := range []*OutboxRow{older, old} {
		if err := db.MarkOutboxSent(ctx, r.ID); err != nil {
			t.Fatal(err)
		}
	}
	// A quiet week, then the default retention (7 days) prunes the delivered rows but
	// the newest.
	now = now.Add(8 * 24 * time.Hour)
	if res, err := db.Prune(ctx, now.Add(-7*24*time.Hour)); err != nil || res.Outbox != 1 {
		t.Fatalf("prune: %+v %v, want the older delivered row deleted", res, err)
	}
	// The customer of conversation 7 writes again; the bot replies.
	reply := &OutboxRow{AccountID: 1, ConversationID: 7, Kind: "message", Payload: []byte(`{"text":"new"}`)}
	if err := db.Update(ctx, func(tx *Tx) error { return tx.AddOutbox(ctx, reply) }); err != nil {
		t.Fatal(err)
	}
	if reply.ID == old.ID {
		t.Fatalf("outbox id %d reused after prune: the new reply's ref cwbot-outbox-%d names a message Chatwoot already has in conversation 7", reply.ID, reply.ID)
	}
}

// Open builds a "file:" URI from the path without escaping it, so SQLite's URI parser
// cuts the name at a '#' (or '?'): a database path with one opens, and writes to, another
// file (here the folder's namesake "…/a"), and the file at path never exists. Backups or
// a second instance configured with a sibling path ("…/a#2/bot.db") meet the wrong data.
func TestOpenPathWithHash(t *testing.T) {
	for _, dir := range []string{"a#b", "a?b", "a%20b", "a b"} {
		t.Run(dir, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), dir, "bot.db")
			db, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Ingest(ctx, &Event{Source: "chatwoot", Name: "message_created", DeliveryID: "d1", ConversationID: 1, Body: []byte(`{}`)}); err != nil {
				t.Fatal(err)
			}
			db.Close()
			if _, err := os.Stat(path); err != nil {
				other, _ := filepath.Glob(filepath.Join(filepath.Dir(filepath.Dir(path)), "*"))
				t.Fatalf("the acknowledged event is not in the database at %s (%v); files beside: %v", path, err, other)
			}
			// Opened again, the same file holds the event.
			db, err = Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if total, _, err := db.EventCounts(ctx); err != nil || total != 1 {
				t.Fatalf("reopened: %d events, %v; want the one stored", total, err)
			}
		})
	}
}

package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cwbot/cwbot/store"
)

// MustOpenDB opens a database in a temporary folder, closed when the test ends.
func MustOpenDB(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), "sub", "bot.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestOpen(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		if err := db.Ready(context.Background()); err != nil {
			t.Fatal(err)
		}
		var mode string
		if err := db.SQL().QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if got, want := mode, "wal"; got != want {
			t.Fatalf("journal_mode=%v, want %v", got, want)
		}
		var fk, sync int
		if err := db.SQL().QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil {
			t.Fatal(err)
		}
		if err := db.SQL().QueryRow(`PRAGMA synchronous`).Scan(&sync); err != nil {
			t.Fatal(err)
		}
		if fk != 1 || sync != 2 {
			t.Fatalf("foreign_keys=%d synchronous=%d, want 1 and 2 (FULL)", fk, sync)
		}
	})
	t.Run("ReopenKeepsData", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "bot.db")
		ctx := context.Background()
		db, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Ingest(ctx, &store.Event{Source: "chatwoot", Name: "message_created", DeliveryID: "d1", ConversationID: 1, Body: []byte(`{}`)}); err != nil {
			t.Fatal(err)
		}
		db.Close()
		db, err = store.Open(ctx, path) // migrations run again: must be a no-op
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		total, unprocessed, err := db.EventCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if total != 1 || unprocessed != 1 {
			t.Fatalf("total=%d unprocessed=%d, want 1 and 1", total, unprocessed)
		}
	})
	t.Run("ErrEmptyPath", func(t *testing.T) {
		if _, err := store.Open(context.Background(), ""); err == nil {
			t.Fatal("want an error for an empty path")
		}
	})
}

func TestIngest(t *testing.T) {
	ctx := context.Background()
	t.Run("DedupeByDelivery", func(t *testing.T) {
		db := MustOpenDB(t)
		ev := func() *store.Event {
			return &store.Event{Source: "chatwoot", Name: "conversation_opened", DeliveryID: "abc", ConversationID: 3, Body: []byte(`{}`)}
		}
		for i, want := range []bool{true, false} {
			got, err := db.Ingest(ctx, ev())
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Fatalf("ingest #%d inserted=%v, want %v", i, got, want)
			}
		}
	})
	t.Run("DedupeByMessage", func(t *testing.T) {
		db := MustOpenDB(t)
		for i, tc := range []struct {
			delivery string
			want     bool
		}{{"d1", true}, {"d2", false}, {"", false}} {
			got, err := db.Ingest(ctx, &store.Event{Source: "chatwoot", Name: "message_created", DeliveryID: tc.delivery,
				DedupeKey: "message:9001", ConversationID: 3, Body: []byte(`{}`)})
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("ingest #%d inserted=%v, want %v", i, got, tc.want)
			}
		}
	})
	t.Run("NoKeysNeverDuplicate", func(t *testing.T) {
		db := MustOpenDB(t)
		for i := 0; i < 2; i++ {
			got, err := db.Ingest(ctx, &store.Event{Source: "chatwoot", Name: "conversation_opened", ConversationID: 3, Body: []byte(`{}`)})
			if err != nil || !got {
				t.Fatalf("ingest #%d inserted=%v err=%v, want true", i, got, err)
			}
		}
	})
	t.Run("ConcurrentGroupCommit", func(t *testing.T) {
		db := MustOpenDB(t)
		const n = 300
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				ok, err := db.Ingest(ctx, &store.Event{Source: "chatwoot", Name: "message_created",
					DeliveryID: fmt.Sprint("d", i%(n/2)), ConversationID: int64(i % 7), Body: []byte(`{}`)})
				if err != nil {
					errs <- err
				}
				_ = ok
			}(i)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		total, _, err := db.EventCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := total, int64(n/2); got != want {
			t.Fatalf("stored=%d, want %d (each delivery once)", got, want)
		}
	})
	t.Run("ErrClosed", func(t *testing.T) {
		db, err := store.Open(ctx, filepath.Join(t.TempDir(), "bot.db"))
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		if _, err := db.Ingest(ctx, &store.Event{Source: "chatwoot", Name: "x", Body: []byte(`{}`)}); err == nil {
			t.Fatal("want an error after Close")
		}
	})
}

func TestEventsInOrder(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	for i, conv := range []int64{5, 6, 5, 5} {
		if _, err := db.Ingest(ctx, &store.Event{Source: "chatwoot", Name: fmt.Sprint("e", i), ConversationID: conv, Body: []byte(`{}`)}); err != nil {
			t.Fatal(err)
		}
	}
	convs, err := db.PendingConversations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(convs) != "[5 6]" {
		t.Fatalf("pending conversations=%v, want [5 6]", convs)
	}
	var names []string
	for {
		evs, err := db.NextEvents(ctx, 5, 2) // two at a time: the batches keep the order
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) == 0 {
			break
		}
		for _, ev := range evs {
			names = append(names, ev.Name)
			if err := db.FinishEvent(ctx, ev.ID, "handled", ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got, want := fmt.Sprint(names), "[e0 e2 e3]"; got != want {
		t.Fatalf("events=%v, want %v", got, want)
	}
}

// TestOnEvents checks what the processor is handed: every stored event once, after its
// commit, in the order of the ids, from Ingest and from Updates alike; not a duplicate,
// not an event of a unit that rolled back.
func TestOnEvents(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	var mu sync.Mutex
	var got []*store.Event
	db.OnEvents(func(evs []*store.Event) {
		for _, ev := range evs {
			// Committed: another connection reads it.
			var n int
			if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM events WHERE id = ?`, ev.ID).Scan(&n); err != nil || n != 1 {
				t.Errorf("event %d handed on before its commit (n=%d, err=%v)", ev.ID, n, err)
			}
		}
		mu.Lock()
		got = append(got, evs...)
		mu.Unlock()
	})
	// Concurrent writers share a batch: the hook still sees id order.
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			ev := &store.Event{Source: "chatwoot", Name: "message_created", DeliveryID: fmt.Sprint("d", i%30), ConversationID: int64(i % 3), Body: []byte(`{}`)}
			if _, err := db.Ingest(ctx, ev); err != nil {
				t.Error(err)
			}
		})
		if i%5 == 0 {
			wg.Go(func() {
				err := db.Update(ctx, func(tx *store.Tx) error {
					if err := tx.AddEvent(ctx, &store.Event{Source: "bot", Name: "kept", ConversationID: 9, Body: []byte(`{}`)}); err != nil {
						return err
					}
					return nil
				})
				if err != nil {
					t.Error(err)
				}
			})
			wg.Go(func() {
				_ = db.Update(ctx, func(tx *store.Tx) error {
					if err := tx.AddEvent(ctx, &store.Event{Source: "bot", Name: "rolled_back", ConversationID: 9, Body: []byte(`{}`)}); err != nil {
						return err
					}
					return errors.New("boom")
				})
			})
		}
	}
	// An event whose dedupe key was stored before is neither stored nor handed on.
	for range 2 {
		err := db.Update(ctx, func(tx *store.Tx) error {
			return tx.AddEvent(ctx, &store.Event{Source: "telco", Name: "job", DedupeKey: "job-1-step-2", ConversationID: 9, Body: []byte(`{}`)})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	total, _, err := db.EventCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// 30 distinct deliveries, 8 kept bot events and one telco event; 10 duplicate
	// deliveries, 8 rollbacks and one duplicate telco event stored nothing.
	if len(got) != 39 || total != 39 {
		t.Fatalf("handed on %d events, stored %d; want 39 and 39", len(got), total)
	}
	seen := map[int64]bool{}
	for i, ev := range got {
		if ev.Name == "rolled_back" {
			t.Fatalf("an event of a rolled-back unit was handed on: %+v", ev)
		}
		if seen[ev.ID] || ev.ID == 0 || (i > 0 && ev.ID <= got[i-1].ID) {
			t.Fatalf("events out of order or twice: %d after %d", ev.ID, got[max(i-1, 0)].ID)
		}
		seen[ev.ID] = true
	}
}

func TestUpdateRollsBack(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	boom := errors.New("boom")
	err := db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.PutConversation(ctx, 1, 2, []byte(`{"a":1}`)); err != nil {
			return err
		}
		if err := tx.AddOutbox(ctx, &store.OutboxRow{AccountID: 1, ConversationID: 2, Kind: "message", Payload: []byte(`{}`)}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err=%v, want boom", err)
	}
	if _, err := db.Conversation(ctx, 1, 2); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("conversation written despite rollback: err=%v", err)
	}
	st, err := db.OutboxStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Pending != 0 {
		t.Fatalf("pending=%d after rollback, want 0", st.Pending)
	}
}

func TestOutbox(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	now := time.Date(2026, 4, 20, 13, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	add := func(conv int64, kind string) int64 {
		var row store.OutboxRow
		err := db.Update(ctx, func(tx *store.Tx) error {
			row = store.OutboxRow{AccountID: 1, ConversationID: conv, Kind: kind, Payload: []byte(`{"k":"` + kind + `"}`)}
			return tx.AddOutbox(ctx, &row)
		})
		if err != nil {
			t.Fatal(err)
		}
		if row.ID == 0 {
			t.Fatal("AddOutbox left the row without its id")
		}
		return row.ID
	}
	a1, a2, b1 := add(10, "a1"), add(10, "a2"), add(11, "b1")

	// due lists the heads the deliverer would send now.
	due := func() string {
		rows, err := db.OutboxHeads(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, r := range rows {
			if !r.NextAttemptAt.After(now) {
				s = append(s, r.Kind)
			}
		}
		return fmt.Sprint(s)
	}
	t.Run("HeadOfEachConversation", func(t *testing.T) {
		if got, want := due(), "[a1 b1]"; got != want {
			t.Fatalf("due=%v, want %v", got, want)
		}
	})
	t.Run("RetryHoldsTheConversation", func(t *testing.T) {
		if err := db.MarkOutboxRetry(ctx, a1, now.Add(time.Minute), "503"); err != nil {
			t.Fatal(err)
		}
		if got, want := due(), "[b1]"; got != want {
			t.Fatalf("due=%v, want %v (a2 waits behind a1)", got, want)
		}
		heads, err := db.OutboxHeads(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(heads) != 2 || heads[0].Kind != "b1" || heads[1].Kind != "a1" || !heads[1].NextAttemptAt.Equal(now.Add(time.Minute)) {
			t.Fatalf("heads=%+v, want b1 now then a1 in a minute", heads)
		}
		r, err := db.GetOutbox(ctx, a1)
		if err != nil {
			t.Fatal(err)
		}
		if r.Attempts != 1 || r.LastError != "503" {
			t.Fatalf("attempts=%d last_error=%q, want 1 and 503", r.Attempts, r.LastError)
		}
	})
	t.Run("DeadUnblocks", func(t *testing.T) {
		if err := db.MarkOutboxDead(ctx, a1, "422 validation"); err != nil {
			t.Fatal(err)
		}
		if err := db.MarkOutboxSent(ctx, b1); err != nil {
			t.Fatal(err)
		}
		if got, want := due(), "[a2]"; got != want {
			t.Fatalf("due=%v, want %v", got, want)
		}
		st, err := db.OutboxStats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Pending != 1 || st.Dead != 1 {
			t.Fatalf("stats=%+v, want 1 pending and 1 dead", st)
		}
		dead, err := db.ListOutbox(ctx, store.OutboxDead, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(dead) != 1 || dead[0].ID != a1 || dead[0].LastError != "422 validation" {
			t.Fatalf("dead rows=%+v", dead)
		}
	})
	t.Run("RetryDead", func(t *testing.T) {
		if err := db.RetryOutbox(ctx, a1); err != nil {
			t.Fatal(err)
		}
		if got, want := due(), "[a1]"; got != want {
			t.Fatalf("due=%v, want %v (a1 back at the head)", got, want)
		}
		if err := db.RetryOutbox(ctx, a2); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("retry of a pending row: err=%v, want ErrNotFound", err)
		}
	})
}

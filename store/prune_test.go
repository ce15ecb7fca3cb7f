package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cwbot/cwbot/store"
)

// TestPrune ages a database by its clock: old handled events and old delivered rows go;
// unhandled events, dead rows, and anything younger than the cut stay, however many
// batches the walk takes.
func TestPrune(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }

	type kept struct{ events, outbox map[int64]bool }
	want := kept{map[int64]bool{}, map[int64]bool{}}
	add := func(i int, old bool) {
		ev := &store.Event{Source: "chatwoot", Name: "message_created", DeliveryID: fmt.Sprint("d", i, old), ConversationID: int64(i % 7), Body: []byte(`{}`)}
		if _, err := db.Ingest(ctx, ev); err != nil {
			t.Fatal(err)
		}
		row := &store.OutboxRow{AccountID: 1, ConversationID: int64(i % 7), Kind: "message", Payload: []byte(`{}`)}
		handled := i%5 != 0 // every fifth event is left unhandled
		err := db.Update(ctx, func(tx *store.Tx) error {
			if handled {
				if err := tx.FinishEvent(ctx, ev.ID, "handled", ""); err != nil {
					return err
				}
			}
			return tx.AddOutbox(ctx, row)
		})
		if err != nil {
			t.Fatal(err)
		}
		switch i % 3 { // sent, dead or pending
		case 0:
			err = db.MarkOutboxSent(ctx, row.ID)
		case 1:
			err = db.MarkOutboxDead(ctx, row.ID, "refused")
		}
		if err != nil {
			t.Fatal(err)
		}
		if !old || !handled {
			want.events[ev.ID] = true
		}
		if !old || i%3 != 0 {
			want.outbox[row.ID] = true
		}
	}
	// 1,200 rows of each a week old (more than two batches), then 300 from today.
	for i := range 1200 {
		add(i, true)
	}
	now = now.Add(7 * 24 * time.Hour)
	for i := range 300 {
		add(i, false)
	}

	res, err := db.Prune(ctx, now.Add(-24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if res.Events != 960 || res.Outbox != 400 {
		t.Fatalf("pruned %d events and %d outbox rows, want 960 (old and handled) and 400 (old and sent)", res.Events, res.Outbox)
	}
	got := kept{map[int64]bool{}, map[int64]bool{}}
	for table, m := range map[string]map[int64]bool{"events": got.events, "outbox": got.outbox} {
		rows, err := db.SQL().QueryContext(ctx, "SELECT id FROM "+table)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			m[id] = true
		}
		rows.Close()
	}
	for name, pair := range map[string][2]map[int64]bool{"events": {want.events, got.events}, "outbox": {want.outbox, got.outbox}} {
		if len(pair[0]) != len(pair[1]) {
			t.Fatalf("%s: %d rows left, want %d", name, len(pair[1]), len(pair[0]))
		}
		for id := range pair[0] {
			if !pair[1][id] {
				t.Fatalf("%s: row %d was deleted, want it kept", name, id)
			}
		}
	}
	// Unhandled events are still there to be handled, dead rows still listed.
	if _, unhandled, _ := db.EventCounts(ctx); unhandled != 300 {
		t.Fatalf("%d unhandled events left, want 300", unhandled)
	}
	if st, _ := db.OutboxStats(ctx); st.Dead != 500 {
		t.Fatalf("%d dead rows left, want 500", st.Dead)
	}
	// Nothing more to do: a second call deletes nothing.
	if res, err := db.Prune(ctx, now.Add(-24*time.Hour)); err != nil || res != (store.PruneResult{}) {
		t.Fatalf("second prune: %+v, %v", res, err)
	}
}

package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// Units of work alone wait (unitCompany) for a webhook to share its commit; a webhook
// never waits.
func TestUnitsWaitForAWebhook(t *testing.T) {
	ctx := context.Background()
	open := func(t *testing.T, wait time.Duration) *DB {
		old := unitCompany
		unitCompany = wait
		t.Cleanup(func() { unitCompany = old })
		db, err := Open(ctx, filepath.Join(t.TempDir(), "bot.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	t.Run("SharesTheWebhooksCommit", func(t *testing.T) {
		db := open(t, 10*time.Second)
		unitNow := make(chan time.Time, 1)
		done := make(chan error, 1)
		go func() {
			done <- db.Update(ctx, func(tx *Tx) error {
				unitNow <- tx.Now()
				return tx.PutConversation(ctx, 1, 7, []byte(`{}`))
			})
		}()
		time.Sleep(50 * time.Millisecond) // the writer has taken the unit and waits
		select {
		case err := <-done:
			t.Fatalf("the unit committed alone (err %v) before the wait was over", err)
		default:
		}
		start := time.Now()
		ev := &Event{Source: "chatwoot", Name: "message_created", ConversationID: 7, Body: []byte(`{}`)}
		if _, err := db.Ingest(ctx, ev); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("the webhook waited %v", d)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		// One batch, one clock reading: the unit ran in the webhook's transaction.
		if got := <-unitNow; !got.Equal(ev.ReceivedAt) {
			t.Fatalf("unit's transaction at %v, webhook's at %v: not one commit", got, ev.ReceivedAt)
		}
	})
	t.Run("AloneCommitsAfterTheWait", func(t *testing.T) {
		db := open(t, 100*time.Millisecond)
		start := time.Now()
		if err := db.Update(ctx, func(tx *Tx) error { return tx.PutConversation(ctx, 1, 8, []byte(`{}`)) }); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d < 100*time.Millisecond || d > 5*time.Second {
			t.Fatalf("a unit alone committed after %v, want the 100ms wait", d)
		}
	})
	t.Run("AWebhookNeverWaits", func(t *testing.T) {
		db := open(t, 10*time.Second)
		start := time.Now()
		ev := &Event{Source: "chatwoot", Name: "message_created", ConversationID: 9, Body: []byte(`{}`)}
		if _, err := db.Ingest(ctx, ev); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("a webhook alone waited %v", d)
		}
	})
}

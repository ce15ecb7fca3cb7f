package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// hangGuard is how long a test waits for something that must happen before it calls it
// a hang: no measure of speed, since a loaded machine may take many times longer than an
// idle one.
const hangGuard = time.Minute

// withCompany sets how long units alone wait for a webhook, and returns a channel told
// each time a batch of units starts waiting, for the test's duration. Set before Open:
// the writer reads both.
func withCompany(t *testing.T, wait time.Duration) <-chan struct{} {
	waiting := make(chan struct{}, 16)
	oldWait, oldHook := unitCompany, companyWaits
	unitCompany = wait
	companyWaits = func() {
		select {
		case waiting <- struct{}{}:
		default:
		}
	}
	t.Cleanup(func() { unitCompany, companyWaits = oldWait, oldHook })
	return waiting
}

// within waits for ch, failing the test with what after hangGuard.
func within[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(hangGuard):
		t.Fatalf("%s: nothing after %v", what, hangGuard)
		panic("unreachable")
	}
}

// Units of work alone wait (unitCompany) for a webhook to share its commit; a webhook
// never waits. The waits the tests need not see end are an hour: nothing here depends on
// how fast the machine is.
func TestUnitsWaitForAWebhook(t *testing.T) {
	ctx := context.Background()
	open := func(t *testing.T, wait time.Duration) (*DB, <-chan struct{}) {
		waiting := withCompany(t, wait)
		db, err := Open(ctx, filepath.Join(t.TempDir(), "bot.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db, waiting
	}
	t.Run("SharesTheWebhooksCommit", func(t *testing.T) {
		db, waiting := open(t, time.Hour)
		unitNow := make(chan time.Time, 1)
		done := make(chan error, 1)
		go func() {
			done <- db.Update(ctx, func(tx *Tx) error {
				unitNow <- tx.Now()
				return tx.PutConversation(ctx, 1, 7, []byte(`{}`))
			})
		}()
		within(t, waiting, "the writer waiting with the unit")
		select {
		case err := <-done:
			t.Fatalf("the unit committed alone (err %v) before the wait was over", err)
		default:
		}
		ev := &Event{Source: "chatwoot", Name: "message_created", ConversationID: 7, Body: []byte(`{}`)}
		ingested := make(chan error, 1)
		go func() { _, err := db.Ingest(ctx, ev); ingested <- err }()
		if err := within(t, ingested, "the webhook (did it wait out the unit's hour?)"); err != nil {
			t.Fatal(err)
		}
		if err := within(t, done, "the unit"); err != nil {
			t.Fatal(err)
		}
		// One batch, one clock reading: the unit ran in the webhook's transaction.
		if got := <-unitNow; !got.Equal(ev.ReceivedAt) {
			t.Fatalf("unit's transaction at %v, webhook's at %v: not one commit", got, ev.ReceivedAt)
		}
	})
	t.Run("AloneCommitsAfterTheWait", func(t *testing.T) {
		db, _ := open(t, 100*time.Millisecond)
		// The wait starts once the writer has the unit, after start: the commit comes no
		// sooner than 100 ms after it, on any machine. How much later is the machine's.
		start := time.Now()
		if err := db.Update(ctx, func(tx *Tx) error { return tx.PutConversation(ctx, 1, 8, []byte(`{}`)) }); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d < 100*time.Millisecond {
			t.Fatalf("a unit alone committed after %v, want the 100ms wait", d)
		}
	})
	t.Run("AWebhookNeverWaits", func(t *testing.T) {
		db, _ := open(t, time.Hour)
		ev := &Event{Source: "chatwoot", Name: "message_created", ConversationID: 9, Body: []byte(`{}`)}
		ingested := make(chan error, 1)
		go func() { _, err := db.Ingest(ctx, ev); ingested <- err }()
		if err := within(t, ingested, "a webhook alone (did it wait the units' hour?)"); err != nil {
			t.Fatal(err)
		}
	})
}

package pipeline

import (
	"context"
	"testing"

	"github.com/cwbot/cwbot/bot"
	"github.com/cwbot/cwbot/store"
)

// cancel applies the bot's CancelJob for attempt 1 of conversation 7 as handleUnit does,
// in one transaction with the asking event's id.
func (e *ownerEnv) cancel(t *testing.T, askingEvent int64) {
	t.Helper()
	ctx := context.Background()
	ev := &store.Event{ID: askingEvent, ConversationID: 7}
	if err := e.db.Update(ctx, func(tx *store.Tx) error {
		return cancelJob(ctx, tx, 1, ev, &bot.StartUpdate{Attempt: 1})
	}); err != nil {
		t.Fatal(err)
	}
}

// A customer's cancel that comes before any worker claimed the job: the conversation is
// told it was cancelled, and a worker that read the job as due just before never sends
// it to the telco.
func TestJobsCancelBeforeClaimIsNeverSent(t *testing.T) {
	e := newOwnerEnv(t)
	e.w.init()
	e.add(t, store.Job{RouterID: "ZX-9900-AB12", ContactID: 1203})
	ctx := context.Background()
	due, err := e.db.DueJobs(ctx, e.db.Now(), 10) // the worker's read, before the cancel
	if err != nil || len(due) != 1 {
		t.Fatalf("due=%d (%v)", len(due), err)
	}
	e.cancel(t, 501)
	if u := <-e.told; u.State != bot.JobCancelled || u.Attempt != 1 || u.JobID != due[0].ID {
		t.Fatalf("the conversation is told %+v, want cancelled for job %d", u, due[0].ID)
	}
	if err := e.w.check(ctx, due[0]); err != nil {
		t.Fatal(err)
	}
	if starts := e.sim.Starts(); len(starts) != 0 {
		t.Fatalf("the telco was asked %+v, want nothing after the cancel", starts)
	}
	if j := e.job(t, due[0].ID); j.State != store.JobCancelled || !j.Final() {
		t.Fatalf("job %+v, want cancelled and final", j)
	}
}

// A cancel after the worker sent the job: the conversation is told it goes on, the job
// stays running, and a second cancel is answered too (one answer per cancel).
func TestJobsCancelAfterSendIsRefused(t *testing.T) {
	e := newOwnerEnv(t)
	e.add(t, store.Job{RouterID: "ZX-9900-AB12", ContactID: 1203})
	e.run(t)
	if u := <-e.told; u.State != bot.JobQueued {
		t.Fatalf("told %+v, want queued at the telco", u)
	}
	e.cancel(t, 501)
	e.cancel(t, 502)
	for range 2 {
		if u := <-e.told; u.State != bot.JobCancelRefused {
			t.Fatalf("told %+v, want cancel_refused", u)
		}
	}
	ops := e.sim.Operations()
	if len(ops) != 1 {
		t.Fatalf("%d operations at the telco, want 1", len(ops))
	}
	jobs, err := e.db.ListJobs(context.Background(), true, 10)
	if err != nil || len(jobs) != 1 || jobs[0].State != "queued" {
		t.Fatalf("active jobs %+v (%v), want the one job still queued", jobs, err)
	}
}

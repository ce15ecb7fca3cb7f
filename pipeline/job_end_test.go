package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cwbot/cwbot/bot"
	"github.com/cwbot/cwbot/process"
	"github.com/cwbot/cwbot/store"
)

// scriptedACS is a telco for the jobs worker that answers as GenieACSRunner does: it checks
// the router, starts, reports what the test scripts, and records what it was asked to clean
// up. Each Status answers a new operation id, as GenieACS's ids carry what they learned.
type scriptedACS struct {
	mu        sync.Mutex
	unknown   bool
	starts    int
	statuses  []process.Status // answered in turn; the last one repeats
	polls     int
	cancelled []string
}

func (s *scriptedACS) Check(_ context.Context, router string) error {
	if s.unknown {
		return fmt.Errorf("genieacs: device %q: %w", router, process.ErrUnknownRouter)
	}
	return nil
}

func (s *scriptedACS) RestartOnly() bool { return true }

func (s *scriptedACS) Start(context.Context, string, string) (process.Status, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.starts++
	return s.next(), nil
}

func (s *scriptedACS) Status(context.Context, string) (process.Status, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.next(), nil
}

func (s *scriptedACS) next() process.Status {
	st := s.statuses[min(s.polls, len(s.statuses)-1)]
	s.polls++
	st.ID = fmt.Sprintf("acs1.op-%d", s.polls)
	return st
}

func (s *scriptedACS) Cancel(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cancelled = append(s.cancelled, id)
	return nil
}

// jobEnv is the jobs worker over a real database, checked by hand, one call at a time.
type jobEnv struct {
	t   *testing.T
	db  *store.DB
	w   *Jobs
	acs *scriptedACS
	now time.Time
	job store.Job
}

func newJobEnv(t *testing.T, acs *scriptedACS) *jobEnv {
	e := &jobEnv{t: t, db: openDB(t), acs: acs, now: time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)}
	e.db.Now = func() time.Time { return e.now }
	e.w = &Jobs{DB: e.db, Runner: acs, Logger: quietLogger(), PollInterval: time.Second}
	e.w.init()
	ctx := context.Background()
	if err := e.db.Update(ctx, func(tx *store.Tx) error {
		e.job = store.Job{AccountID: 1, ConversationID: 7, RouterID: "202BC1-BM632w-000000", Attempt: 1,
			Reference: NewReference(), DeadlineAt: tx.Now().Add(15 * time.Minute)}
		return tx.AddJob(ctx, &e.job)
	}); err != nil {
		t.Fatal(err)
	}
	return e
}

// check makes the worker's next call for the job.
func (e *jobEnv) check() *store.Job {
	e.t.Helper()
	ctx := context.Background()
	j, err := e.db.Job(ctx, e.job.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.w.check(ctx, j); err != nil {
		e.t.Fatal(err)
	}
	if j, err = e.db.Job(ctx, e.job.ID); err != nil {
		e.t.Fatal(err)
	}
	return j
}

// told is what the conversation was told, as "state/step/reason" per event.
func (e *jobEnv) told() ([]string, []bot.JobUpdate) {
	e.t.Helper()
	evs, err := e.db.NextEvents(context.Background(), 7, 100)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	var upds []bot.JobUpdate
	for _, ev := range evs {
		var u bot.JobUpdate
		if err := json.Unmarshal(ev.Body, &u); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, u.State+"/"+u.Step+"/"+u.Reason)
		upds = append(upds, u)
	}
	return out, upds
}

// An unknown router is told alone: nothing says the update was asked for, nothing starts.
func TestJobsUnknownRouterIsToldBeforeAnyAnnouncement(t *testing.T) {
	e := newJobEnv(t, &scriptedACS{unknown: true, statuses: []process.Status{{State: process.StateQueued}}})
	j := e.check()
	told, _ := e.told()
	if !slices.Equal(told, []string{"failed//unknown_router"}) || e.acs.starts != 0 || !j.Final() {
		t.Fatalf("told %q, starts=%d, job %s: want the unknown router alone, nothing started", told, e.acs.starts, j.State)
	}
}

// A known router: the conversation hears "accepted" before the start's own report, and
// every report says the operation is a restart.
func TestJobsKnownRouterIsAcceptedThenReported(t *testing.T) {
	e := newJobEnv(t, &scriptedACS{statuses: []process.Status{{State: process.StateRunning, Step: process.StepRebooting}}})
	e.check()
	told, upds := e.told()
	if !slices.Equal(told, []string{"accepted//", "running/rebooting/"}) {
		t.Fatalf("told %q", told)
	}
	for _, u := range upds {
		if !u.Restart {
			t.Fatalf("update %+v does not say it is a restart", u)
		}
	}
}

// A router GenieACS reports offline is told once, however many polls see it offline.
func TestJobsOfflineRouterIsToldOnce(t *testing.T) {
	offline := process.Status{State: process.StateQueued, Unreachable: true}
	e := newJobEnv(t, &scriptedACS{statuses: []process.Status{offline, offline, offline, {State: process.StateRunning, Step: process.StepRebooting}}})
	for range 4 {
		e.check()
	}
	told, _ := e.told()
	if !slices.Equal(told, []string{"accepted//", "offline//", "running/rebooting/"}) {
		t.Fatalf("told %q", told)
	}
}

// The worker keeps the operation id the latest reading answered.
func TestJobsKeepTheLatestOperationID(t *testing.T) {
	q := process.Status{State: process.StateQueued}
	e := newJobEnv(t, &scriptedACS{statuses: []process.Status{q, q, q}})
	e.check()
	e.check()
	if j := e.check(); j.OperationID != "acs1.op-3" {
		t.Fatalf("operation id %q, want the latest answered (acs1.op-3)", j.OperationID)
	}
}

// Every end that is not a success removes the operation's work at the telco; a success
// removes nothing.
func TestJobsEndWithoutSuccessCancelsTheOperation(t *testing.T) {
	queued := process.Status{State: process.StateQueued}
	for _, tc := range []struct {
		name       string
		statuses   []process.Status
		deadline   bool
		wantCancel bool
		wantReason string
	}{
		{"failed", []process.Status{queued, {State: process.StateFailed, Step: process.StepRebooting, Cause: process.CauseUnsupported}}, false, true, bot.ReasonUnsupported},
		{"offline", []process.Status{queued, {State: process.StateFailed, Cause: process.CauseOffline}}, false, true, bot.ReasonOffline},
		{"timeout", []process.Status{queued}, true, true, bot.ReasonTimeout},
		{"succeeded", []process.Status{queued, {State: process.StateSucceeded}}, false, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newJobEnv(t, &scriptedACS{statuses: tc.statuses})
			e.check()
			if tc.deadline {
				e.now = e.now.Add(15 * time.Minute)
			}
			j := e.check()
			if !j.Final() {
				t.Fatalf("job %s/%s not ended", j.State, j.Step)
			}
			told, _ := e.told()
			if last := told[len(told)-1]; tc.wantReason != "" && last != "failed/"+string(j.Step)+"/"+tc.wantReason {
				t.Fatalf("told %q, want it to end with reason %s", told, tc.wantReason)
			}
			want := []string(nil)
			if tc.wantCancel {
				want = []string{j.OperationID}
			}
			if !slices.Equal(e.acs.cancelled, want) {
				t.Fatalf("cancelled %q, want %q", e.acs.cancelled, want)
			}
		})
	}
}

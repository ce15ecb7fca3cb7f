package pipeline

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"runtime/debug"
	"sync"
	"time"

	"github.com/cwbot/cwbot/bot"
	"github.com/cwbot/cwbot/process"
	"github.com/cwbot/cwbot/store"
)

// Jobs drives router update jobs: it starts each remote operation, polls it while it runs
// (callbacks get lost, repeated and reordered), fails it at its deadline, and turns every
// forward move into an event in the conversation's lane. Jobs are rows, so a restart
// resumes them: the next check runs at once and tells only what was not told yet.
type Jobs struct {
	DB     *store.DB
	Runner process.Runner
	Logger *slog.Logger

	PollInterval time.Duration // default 15s
	// DelayedAfter is how many failed calls in a row make the customer hear that the
	// telco is slow (once); default 3.
	DelayedAfter int
	// Observed, when set, is told each job's new state (metrics).
	Observed func(j *store.Job)

	initOnce sync.Once
	wake     chan struct{}

	mu       sync.Mutex
	inflight map[int64]bool // jobs whose call is under way: never two calls for one job
	checks   sync.WaitGroup
}

// callBudget is how long a call toward the telco may take, unless the runner needs longer
// (process.Patient: GenieACS holds a task request until the router's session ends).
var callBudget = 30 * time.Second // a variable for the tests

func (w *Jobs) budget() time.Duration {
	if p, ok := w.Runner.(process.Patient); ok && p.CallTimeout() > callBudget {
		return p.CallTimeout()
	}
	return callBudget
}

func (w *Jobs) init() {
	w.initOnce.Do(func() {
		w.wake = make(chan struct{}, 1)
		w.inflight = map[int64]bool{}
		if w.PollInterval <= 0 {
			w.PollInterval = 15 * time.Second
		}
		if w.DelayedAfter <= 0 {
			w.DelayedAfter = 3
		}
		if w.Logger == nil {
			w.Logger = slog.Default()
		}
	})
}

// Wake makes the worker look for due jobs now.
func (w *Jobs) Wake() {
	w.init()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run checks due jobs until ctx is cancelled.
func (w *Jobs) Run(ctx context.Context) error {
	w.init()
	if n, err := w.DB.ResumeJobs(ctx); err != nil {
		w.Logger.Error("resuming jobs failed (continuing)", slog.Any("error", err))
	} else if n > 0 {
		w.Logger.Info("resuming router updates", slog.Int64("jobs", n))
	}
	defer w.checks.Wait()
	for {
		wait := w.checkDue(ctx)
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-w.wake:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// checkDue starts a call for every due job that has none under way, and returns how long
// to wait before looking again. A slow call (a GenieACS session can hold one for minutes)
// holds its own job only: the worker is woken when it ends.
func (w *Jobs) checkDue(ctx context.Context) time.Duration {
	w.mu.Lock()
	busy := len(w.inflight)
	w.mu.Unlock()
	jobs, err := w.DB.DueJobs(ctx, w.DB.Now(), 32+busy)
	if err != nil {
		if ctx.Err() == nil {
			w.Logger.Error("reading due jobs failed (continuing)", slog.Any("error", err))
		}
		return time.Second
	}
	for _, j := range jobs {
		w.mu.Lock()
		if w.inflight[j.ID] {
			w.mu.Unlock()
			continue
		}
		w.inflight[j.ID] = true
		w.mu.Unlock()
		w.checks.Add(1)
		go func() {
			defer w.checks.Done()
			if err := w.checkSafely(ctx, j); err != nil && ctx.Err() == nil {
				w.Logger.Error("checking job failed (continuing)", slog.Int64("job_id", j.ID), slog.Any("error", err))
			}
			w.mu.Lock()
			delete(w.inflight, j.ID)
			w.mu.Unlock()
			w.Wake()
		}()
	}
	w.mu.Lock()
	skip := maps.Clone(w.inflight)
	w.mu.Unlock()
	next, ok, err := w.DB.NextJobAt(ctx, func(id int64) bool { return skip[id] })
	if err != nil || !ok {
		return w.PollInterval
	}
	d := next.Sub(w.DB.Now())
	switch {
	case d < 10*time.Millisecond:
		return 10 * time.Millisecond
	case d > w.PollInterval:
		return w.PollInterval
	}
	return d
}

// checkSafely is check, with a panic (a bug, on this job or the telco's answer) counted as
// a failed call: the job backs off and still ends at its deadline.
func (w *Jobs) checkSafely(ctx context.Context, j *store.Job) (err error) {
	defer func() {
		if p := recover(); p != nil {
			perr := fmt.Errorf("checking the job panicked: %v\n%s", p, debug.Stack())
			w.Logger.Error("checking a router update panicked (backing off)", slog.Int64("job_id", j.ID), slog.Any("error", perr))
			err = w.failedCall(ctx, j.ID, perr)
		}
	}()
	return w.check(ctx, j)
}

// check makes one call toward the telco for a job: start it, or poll it.
func (w *Jobs) check(ctx context.Context, j *store.Job) error {
	log := w.Logger.With(slog.Int64("job_id", j.ID), slog.Int64("conversation_id", j.ConversationID))
	defer w.cleanUp(ctx, j.ID) // whichever way this call ends the job
	now := w.DB.Now()
	if !now.Before(j.DeadlineAt) {
		// A telco that failed the last calls is not answering; one that answered
		// without finishing took too long. The customer is told which.
		reason := bot.ReasonTimeout
		if j.Failures > 0 {
			reason = bot.ReasonUnavailable
		}
		log.Warn("router update ended at its deadline", slog.String("reason", reason), slog.String("last_error", j.LastError))
		return w.apply(ctx, j.ID, nil, reason, j.LastError)
	}
	var st process.Status
	var err error
	cctx, cancel := context.WithTimeout(ctx, w.budget())
	defer cancel()
	if j.State == store.JobStarting || j.State == store.JobSending {
		// The customer hears that the update was asked for at the job's first report, never
		// before the telco knows the router. A runner that can check the router quickly does
		// so first, and its check is that report: its Start may hold for minutes (GenieACS).
		// A router id that may not reach a URL never gets that far.
		err = process.CheckRouterID(j.RouterID)
		if c, ok := w.Runner.(process.CheckerFor); ok && err == nil {
			if err = c.CheckFor(cctx, j.RouterID, requester(j)); err == nil {
				err = w.accepted(ctx, j.ID)
			}
		} else if c, ok := w.Runner.(process.Checker); ok && err == nil {
			if err = c.Check(cctx, j.RouterID); err == nil {
				err = w.accepted(ctx, j.ID)
			}
		}
		if err == nil {
			// Claimed before it is sent, in the database: a customer's cancel that came
			// first ended the job (it is not sent), one that comes after is told it is sent.
			var claimed bool
			if claimed, err = w.DB.ClaimJobStart(ctx, j.ID); err == nil && !claimed {
				log.Info("router update called off before it was sent")
				return nil
			} else if err == nil {
				st, err = w.start(cctx, j)
			}
		}
		var running *process.AlreadyRunningError
		if errors.As(err, &running) {
			// An update already runs for this router: follow it instead of starting another.
			log.Info("attaching to the router's running update", slog.String("operation_id", running.OperationID))
			st, err = process.Status{ID: running.OperationID, State: process.StateQueued}, nil
		}
	} else {
		st, err = w.Runner.Status(cctx, j.OperationID)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	switch {
	case err == nil:
		return w.apply(ctx, j.ID, &st, "", "")
	case errors.Is(err, process.ErrUnknownRouter):
		return w.apply(ctx, j.ID, nil, bot.ReasonUnknownRouter, err.Error())
	case errors.Is(err, process.ErrNotYours):
		log.Warn("the router is not the contact's: refused", slog.String("router_id", j.RouterID), slog.Bool("typed", j.Typed), slog.Any("error", err))
		return w.apply(ctx, j.ID, nil, bot.ReasonNotYours, err.Error())
	case errors.Is(err, process.ErrOwnerUnverified):
		log.Warn("a typed router id cannot be checked against the contact: refused", slog.Any("error", err))
		return w.apply(ctx, j.ID, nil, bot.ReasonUnverified, err.Error())
	case errors.Is(err, process.ErrRejected):
		log.Error("telco refused the update", slog.Any("error", err))
		return w.apply(ctx, j.ID, nil, bot.ReasonRejected, err.Error())
	case errors.Is(err, process.ErrUnknownOperation):
		// The telco lost the operation (a restore, a purge): this attempt is over, but a new
		// one may well go through, so it is no refusal.
		log.Error("telco no longer knows the update", slog.Any("error", err))
		lost := process.Status{ID: j.OperationID, State: process.StateFailed, Detail: "the telco no longer knows this update"}
		return w.apply(ctx, j.ID, &lost, "", err.Error())
	}
	// Down, slow or garbage: try again (a start is safe to repeat: same Idempotency-Key).
	log.Warn("telco call failed (will retry)", slog.Any("error", err))
	return w.failedCall(ctx, j.ID, err)
}

// accepted tells the conversation, once per job, that the update is being asked for.
func (w *Jobs) accepted(ctx context.Context, id int64) error {
	return w.DB.Update(ctx, func(tx *store.Tx) error {
		j, err := tx.Job(ctx, id)
		if err != nil || j.Final() {
			return err
		}
		return w.addJobEvent(ctx, tx, j, bot.JobUpdate{State: bot.JobAccepted})
	})
}

// cleanUp asks the runner to remove what a job that ended without success left at the
// telco (process.Canceler): a queued task would run later, a fault would be retried, and
// the customer was told it failed. A failed clean-up is logged; the next start for the
// router cleans up again.
func (w *Jobs) cleanUp(ctx context.Context, id int64) {
	c, ok := w.Runner.(process.Canceler)
	if !ok || ctx.Err() != nil {
		return
	}
	j, err := w.DB.Job(ctx, id)
	if err != nil || !j.Final() || j.State == string(process.StateSucceeded) || j.OperationID == "" {
		return
	}
	// Another job for the router may follow the same task (one task per router): the last
	// one to end cleans up.
	active, err := w.DB.ListJobs(ctx, true, 1000)
	if err != nil {
		return
	}
	for _, other := range active {
		if other.RouterID == j.RouterID && other.ID != j.ID {
			return
		}
	}
	cctx, cancel := context.WithTimeout(ctx, w.budget())
	defer cancel()
	if err := c.Cancel(cctx, j.OperationID); err != nil {
		w.Logger.Error("removing a failed update's work at the telco failed", slog.Int64("job_id", id),
			slog.String("operation_id", j.OperationID), slog.Any("error", err))
	}
}

// requester is who asks for j's update.
func requester(j *store.Job) process.Requester {
	return process.Requester{ContactID: j.ContactID, Phone: j.Phone, Typed: j.Typed}
}

// start asks the telco to start j's update, naming who asks when the runner can say it.
// A router id that may not reach a URL (process.CheckRouterID) is refused here, whatever
// the runner: it came from a contact attribute or a payload, and is the telco's business
// only once it is a plain id.
func (w *Jobs) start(ctx context.Context, j *store.Job) (process.Status, error) {
	if err := process.CheckRouterID(j.RouterID); err != nil {
		return process.Status{}, err
	}
	if s, ok := w.Runner.(process.StarterFor); ok {
		return s.StartFor(ctx, j.RouterID, j.Reference, requester(j))
	}
	return w.Runner.Start(ctx, j.RouterID, j.Reference)
}

// Observe applies a status the telco reported by callback.
func (w *Jobs) Observe(ctx context.Context, st process.Status) (known bool, err error) {
	var id int64
	err = w.DB.Update(ctx, func(tx *store.Tx) error {
		j, err := tx.JobByOperation(ctx, st.ID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		id = j.ID
		return w.advance(ctx, tx, j, &st, "", "")
	})
	if err != nil {
		return false, err
	}
	if id != 0 {
		w.cleanUp(ctx, id)
	}
	return id != 0, nil
}

// apply moves a job forward with a status (st) or ends it with a reason of ours.
func (w *Jobs) apply(ctx context.Context, id int64, st *process.Status, reason, errText string) error {
	return w.DB.Update(ctx, func(tx *store.Tx) error {
		j, err := tx.Job(ctx, id)
		if err != nil {
			return err
		}
		return w.advance(ctx, tx, j, st, reason, errText)
	})
}

// advance records progress on j and queues the event that tells it. Progress only grows:
// a report at or behind what is known changes nothing but the next poll time.
func (w *Jobs) advance(ctx context.Context, tx *store.Tx, j *store.Job, st *process.Status, reason, errText string) error {
	if j.Final() {
		return nil
	}
	now := tx.Now()
	j.NextCheckAt = checkBy(j, now.Add(w.PollInterval))
	j.Failures = 0
	j.LastError = errText
	var upd bot.JobUpdate
	switch {
	case reason != "":
		j.State, j.Detail, j.Progress = string(process.StateFailed), reason, process.Progress(process.Status{State: process.StateFailed})
		j.FinishedAt = now
		upd = bot.JobUpdate{State: bot.JobFailed, Reason: reason}
	case st != nil:
		// The operation's id may change as the runner learns (GenieACS encodes its
		// observations in it): the latest is the one to ask about.
		if st.ID != "" {
			j.OperationID = st.ID
		}
		if j.State == store.JobStarting || j.State == store.JobSending {
			j.State = string(process.StateQueued)
		}
		p := process.Progress(*st)
		if st.Unreachable && st.State == process.StateQueued && p >= j.Progress {
			// Told once (the event's dedupe key): the router cannot be reached now.
			j.Progress = p
			if err := tx.SaveJob(ctx, j); err != nil {
				return err
			}
			return w.addJobEvent(ctx, tx, j, bot.JobUpdate{State: bot.JobOffline})
		}
		if p <= j.Progress {
			return tx.SaveJob(ctx, j)
		}
		j.State, j.Step, j.Detail, j.Progress = string(st.State), string(st.Step), st.Detail, p
		if st.Final() {
			j.FinishedAt = now
		}
		upd = bot.JobUpdate{State: string(st.State), Step: string(st.Step), Detail: st.Detail}
		if st.State == process.StateFailed {
			upd.Reason = causeReason[st.Cause]
		}
	default:
		return tx.SaveJob(ctx, j)
	}
	if err := tx.SaveJob(ctx, j); err != nil {
		return err
	}
	if w.Observed != nil {
		w.Observed(j)
	}
	return w.addJobEvent(ctx, tx, j, upd)
}

// causeReason names a runner's failure cause in the bot's terms.
var causeReason = map[string]string{
	process.CauseOffline:     bot.ReasonOffline,
	process.CauseUnsupported: bot.ReasonUnsupported,
}

// checkBy is when to check j next, at or before its deadline: a telco's long Retry-After
// or a long poll interval must not keep the customer waiting past it.
func checkBy(j *store.Job, at time.Time) time.Time {
	if !j.DeadlineAt.IsZero() && at.After(j.DeadlineAt) {
		return j.DeadlineAt
	}
	return at
}

func (w *Jobs) addJobEvent(ctx context.Context, tx *store.Tx, j *store.Job, upd bot.JobUpdate) error {
	upd.JobID, upd.AccountID, upd.Attempt, upd.RouterID = j.ID, j.AccountID, j.Attempt, j.RouterID
	if r, ok := w.Runner.(process.Restarter); ok {
		upd.Restart = r.RestartOnly()
	}
	body, err := json.Marshal(upd)
	if err != nil {
		return err
	}
	return tx.AddEvent(ctx, &store.Event{Source: SourceTelco, Name: "job_" + upd.State, ConversationID: j.ConversationID, Body: body,
		DedupeKey: fmt.Sprintf("job:%d:%d:%s", j.ID, j.Progress, upd.State)})
}

// failedCall records a failed call; after DelayedAfter in a row the customer hears once
// that the telco is slow. The deadline still ends the job.
func (w *Jobs) failedCall(ctx context.Context, id int64, callErr error) error {
	return w.DB.Update(ctx, func(tx *store.Tx) error {
		j, err := tx.Job(ctx, id)
		if err != nil || j.Final() {
			return err
		}
		j.Failures++
		j.LastError = callErr.Error()
		delay := Backoff(j.Failures, time.Second, w.PollInterval)
		if ra := process.RetryAfter(callErr); ra > delay {
			delay = ra
		}
		j.NextCheckAt = checkBy(j, tx.Now().Add(delay))
		if err := tx.SaveJob(ctx, j); err != nil {
			return err
		}
		if j.Failures == w.DelayedAfter {
			return w.addJobEvent(ctx, tx, j, bot.JobUpdate{State: bot.JobDelayed})
		}
		return nil
	})
}

// SourceTelco marks events the jobs worker produces.
const SourceTelco = "telco"

// NewReference makes a job's idempotency key toward the telco.
func NewReference() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return "cwbot-" + hex.EncodeToString(b[:])
}

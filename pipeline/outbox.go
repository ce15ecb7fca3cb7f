package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/cwbot/cwbot/bot"
	"github.com/cwbot/cwbot/chatwoot"
	"github.com/cwbot/cwbot/store"
)

// Outbox delivers the outbox rows to Chatwoot: each conversation's rows in order, different
// conversations in parallel. A 4xx other than 408 and 429 is not retried: the row is parked
// as dead with its error. Other failures are retried for RetryFor from the row's first
// failed call, then the row is parked:
//
//   - Chatwoot not answering (no answer, a timeout, 502, 503, 504) or throttling (429)
//     pauses every call: one row, from the conversations in line in turn, probes Chatwoot
//     after 1, 2, 4, then every 5 s, and the first call it takes resumes them all, at once
//     and paced by the shared limiter, with no backoff left over. A 429 is Chatwoot's
//     back-pressure, not the row's failure: it counts toward no attempt nor budget.
//   - Any other failure (500, 408) is the row's own: it is retried with capped exponential
//     backoff and jitter, while the other conversations go on.
//
// Conversations with rows to send wait in a ready queue for one of Parallel workers, which
// sends a conversation's rows one after the other. The processor hands over the rows it
// commits (Added), and a conversation whose rows all came that way is sent from memory,
// reading nothing back. The database stays the truth: a scan of every conversation's
// oldest pending row, at start, when a retry falls due and every few seconds when idle,
// puts in line the conversations it finds, and those read their rows from the database
// (so do conversations with a row waiting for its retry, and any past maxOutboxBytes).
type Outbox struct {
	DB     *store.DB
	Client *chatwoot.Client
	Logger *slog.Logger

	// RetryFor is how long a row is retried after its first failed call before it is parked
	// as dead (default DefaultRetryFor).
	RetryFor  time.Duration
	BaseDelay time.Duration // first backoff, and first probe of a paused Chatwoot; default 1s
	MaxDelay  time.Duration // cap of a row's own backoff; default 5m
	// Parallel is how many conversations are delivered at once (default DefaultParallel).
	// Each call waits for Chatwoot and then for the commit that records it, so this bounds
	// how many replies a second go out, and how many a kill can leave unrecorded after
	// Chatwoot took them (posted again after a restart without CHATWOOT_USER_TOKEN).
	Parallel int
	// Clock is the time the outbox reads and waits on (default: the database's clock and
	// real timers).
	Clock Clock
	// Delivered, when set, is called after each attempt (metrics, tests).
	Delivered func(row *store.OutboxRow, err error, dead bool)
	// Paused, when set, is told when every call is paused ("unreachable", "rate_limited")
	// and when calls resume (""). It is called with the outbox's lock held: it must not
	// call the outbox.
	Paused func(reason string)

	wake     chan struct{}
	initOnce sync.Once
	mu       sync.Mutex
	running  *outboxRun              // nil unless Run is running
	convs    map[convKey]*outboxConv // conversations with rows pending
	ready    []convKey               // conversations in line, in order
	workers  int
	held     int // payload bytes of the rows held in memory
	rnd      func() float64
	started  time.Time // when Run started: rows older may have been sent by an earlier run
	clock    Clock
	gate     outboxGate
	// idle says Run waits for its timer with no wake pending: set by Run, cleared by
	// whoever wakes it, both under mu (a test on a fake clock tells by it, and the clock's
	// sleepers, that nothing happens until the clock moves).
	idle bool
	// stopped, when set, is called after a worker has stopped (a test on a fake clock
	// waits on it, and the clock's sleepers, for the outbox to settle).
	stopped func()
	// scanned is set once Run's first scan has read every conversation with rows pending.
	// Before that, a conversation unknown to memory may have older rows in the database,
	// so rows handed over are read from it.
	scanned bool
}

// outboxGate holds every call while Chatwoot does not answer or throttles. Guarded by
// Outbox.mu.
type outboxGate struct {
	reason  string    // "" while open; pauseUnreachable or pauseRateLimited
	since   time.Time // when it closed
	until   time.Time // no probe before
	probes  int       // failed probes since it closed
	prober  bool      // a worker waits to make the probe
	probing bool      // a probe is under way
}

// Why every call is paused.
const (
	pauseUnreachable = "unreachable"
	pauseRateLimited = "rate_limited"
)

// maxProbeDelay caps the time between probes of a paused Chatwoot: once it answers again,
// delivery resumes within this.
const maxProbeDelay = 5 * time.Second

// DefaultRetryFor is how long a row is retried by default (BOT_OUTBOX_RETRY_FOR).
const DefaultRetryFor = 6 * time.Hour

// outboxRun is what the workers of one Run share.
type outboxRun struct {
	ctx context.Context
	wg  sync.WaitGroup
}

// convKey names a conversation: its display id is only unique within its account, and
// every account has a conversation 1.
type convKey struct{ account, id int64 }

// outboxConv is a conversation with rows pending. Guarded by Outbox.mu.
type outboxConv struct {
	// rows are the conversation's pending rows, in order, when fromDB is false.
	rows []*store.OutboxRow
	// fromDB says the database may hold pending rows that rows lacks: they are read from
	// it, one at a time, and rows stays empty.
	fromDB bool
	queued bool // in the ready queue
	busy   bool // a worker is at it
	dirty  bool // rows were added while busy: look again before letting go
	// retry says the oldest row waits for its next attempt: the scan puts the
	// conversation back in line when it falls due.
	retry bool
	// notBefore holds the conversation back until then whatever its rows say: the
	// backoff of a failed call whose outcome the database did not take.
	notBefore time.Time
}

// maxOutboxBytes bounds the payloads held in memory. Past it, conversations read their
// rows from the database.
var maxOutboxBytes = 2 << 20 // a variable for the tests

// outboxTurn is how many rows a worker sends for one conversation before it lets the
// others in line go first.
const outboxTurn = 8

func (o *Outbox) init() {
	o.initOnce.Do(func() {
		o.wake = make(chan struct{}, 1)
		o.convs = map[convKey]*outboxConv{}
		if o.RetryFor <= 0 {
			o.RetryFor = DefaultRetryFor
		}
		if o.BaseDelay <= 0 {
			o.BaseDelay = time.Second
		}
		if o.MaxDelay <= 0 {
			o.MaxDelay = 5 * time.Minute
		}
		if o.Parallel <= 0 {
			o.Parallel = DefaultParallel
		}
		if o.Logger == nil {
			o.Logger = slog.Default()
		}
		o.rnd = rand.Float64
		o.clock = o.Clock
		if o.clock == nil {
			o.clock = realClock{now: o.DB.Now}
		}
	})
}

// wakeLocked makes the deliverer scan for due rows now. o.mu is held.
func (o *Outbox) wakeLocked() {
	o.idle = false
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// Added hands the deliverer a conversation's new rows, once they are committed, in order.
func (o *Outbox) Added(rows []*store.OutboxRow) {
	if len(rows) == 0 {
		return
	}
	o.init()
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.running == nil || o.running.ctx.Err() != nil {
		return // not running: the scan at start finds the rows
	}
	k := convKey{rows[0].AccountID, rows[0].ConversationID}
	c := o.convs[k]
	if c == nil {
		c = &outboxConv{fromDB: !o.scanned}
		o.convs[k] = c
	}
	if c.busy {
		c.dirty = true
	}
	if !c.fromDB {
		for _, r := range rows {
			if o.held+len(r.Payload) > maxOutboxBytes {
				o.dropRowsLocked(c)
				c.fromDB = true
				break
			}
			c.rows = append(c.rows, r)
			o.held += len(r.Payload)
		}
	}
	if !c.retry {
		o.lineUpLocked(k, c)
	}
}

// Run delivers until ctx is cancelled, then waits for the calls under way.
func (o *Outbox) Run(ctx context.Context) error {
	o.init()
	run := &outboxRun{ctx: ctx}
	o.mu.Lock()
	o.running, o.started, o.scanned = run, o.clock.Now(), false
	o.mu.Unlock()
	defer func() {
		run.wg.Wait()
		o.mu.Lock()
		o.running = nil
		o.convs, o.ready, o.held = map[convKey]*outboxConv{}, nil, 0
		o.gate = outboxGate{}
		o.mu.Unlock()
	}()
	for {
		// The first scan reads every conversation with rows pending (until one succeeds):
		// from then on, one unknown to memory has none in the database either, and new
		// rows may go from memory.
		o.mu.Lock()
		limit := 8 * o.Parallel
		if !o.scanned {
			limit = 0
		}
		o.mu.Unlock()
		wait := o.scan(ctx, limit)
		o.mu.Lock()
		woken := false
		select {
		case <-o.wake:
			woken = true
		default:
			o.idle = true
		}
		o.mu.Unlock()
		if woken {
			continue
		}
		timer, stop := o.clock.Timer(wait)
		select {
		case <-ctx.Done():
			stop()
			return nil
		case <-o.wake:
		case <-timer:
		}
		stop()
		o.mu.Lock()
		o.idle = false
		o.mu.Unlock()
	}
}

// scan puts in line the conversations whose oldest pending row is due, at most limit of
// them (0: all), and returns how long to sleep before looking again: until the next head
// waiting for a retry falls due.
func (o *Outbox) scan(ctx context.Context, limit int) time.Duration {
	const idle = 5 * time.Second
	heads, err := o.DB.OutboxHeads(ctx, limit)
	if err != nil {
		if ctx.Err() == nil {
			o.Logger.Error("reading the outbox failed (continuing)", slog.Any("error", err))
		}
		return time.Second
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.running == nil || o.running.ctx.Err() != nil {
		return idle
	}
	if limit <= 0 {
		// Every conversation with rows pending is now known: a conversation unknown to
		// memory from here on has none in the database.
		o.scanned = true
	}
	wait, lined := idle, 0
	now := o.clock.Now()
	for _, r := range heads {
		k := convKey{r.AccountID, r.ConversationID}
		c := o.convs[k]
		if c == nil {
			// Unknown to memory: rows from before the start, or put back by hand.
			c = &outboxConv{fromDB: true, retry: true}
			o.convs[k] = c
		}
		if !c.retry {
			continue // in line, or a worker is at it
		}
		if d := later(r.NextAttemptAt, c.notBefore).Sub(now); d > 0 {
			wait = min(wait, d)
			continue
		}
		c.retry, c.notBefore = false, time.Time{}
		o.lineUpLocked(k, c)
		lined++
	}
	if limit > 0 && len(heads) == limit {
		// Cut at the limit: heads past it may be due. A scan reads every pending row, so
		// it is not run after each call. Soon when this one found work (rows put back by
		// hand, retries falling due after an outage); when every head it read was already
		// in memory (a backlog of fresh replies), once a second is enough: heads come
		// soonest first, so what is past the cut moves up as the backlog drains.
		if lined > 0 {
			wait = min(wait, 100*time.Millisecond)
		} else {
			wait = min(wait, time.Second)
		}
	}
	return wait
}

// lineUpLocked puts a conversation in line unless it is already or a worker is at it,
// and starts a worker if one is free.
func (o *Outbox) lineUpLocked(k convKey, c *outboxConv) {
	if c.queued || c.busy {
		return
	}
	c.queued = true
	o.ready = append(o.ready, k)
	o.startLocked()
}

// startLocked starts workers for the conversations in line: up to Parallel, or, while
// every call is paused, the one that will probe.
func (o *Outbox) startLocked() {
	want := min(o.Parallel, len(o.ready))
	if o.gate.reason != "" {
		want = min(1, want)
	}
	for o.workers < want {
		o.workers++
		o.running.wg.Add(1)
		go o.worker(o.running)
	}
}

// worker delivers conversations from the line until it is empty.
func (o *Outbox) worker(run *outboxRun) {
	defer run.wg.Done()
	for {
		k, c, probe, ok := o.take(run)
		if !ok {
			if o.stopped != nil {
				o.stopped()
			}
			return
		}
		o.turn(run.ctx, k, c, probe)
	}
}

// take hands the worker the next conversation in line, or tells it to stop. While every
// call is paused, one worker waits for the time to probe and takes the conversation
// first in line as the probe; the others stop.
func (o *Outbox) take(run *outboxRun) (k convKey, c *outboxConv, probe, ok bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for run.ctx.Err() == nil && len(o.ready) > 0 {
		g := &o.gate
		if g.reason != "" {
			if g.prober || g.probing {
				break
			}
			if wait := g.until.Sub(o.clock.Now()); wait > 0 {
				g.prober = true
				o.mu.Unlock()
				err := o.clock.Sleep(run.ctx, wait)
				o.mu.Lock()
				g.prober = false
				if err != nil {
					break
				}
				continue // resumed meanwhile, or the time to probe has come
			}
			g.probing, probe = true, true
		}
		k = o.ready[0]
		o.ready = o.ready[1:]
		c = o.convs[k]
		c.queued, c.busy = false, true
		return k, c, probe, true
	}
	o.workers--
	return convKey{}, nil, false, false
}

// next is the conversation's next row to send: from memory, or its oldest pending row in
// the database. ok is false when there is none, or it waits for a retry; the
// conversation is then let go.
func (o *Outbox) next(ctx context.Context, k convKey, c *outboxConv) (r *store.OutboxRow, ok bool) {
	for {
		o.mu.Lock()
		c.dirty = false
		if !c.fromDB {
			if len(c.rows) > 0 {
				r = c.rows[0]
				o.mu.Unlock()
				return r, true
			}
			o.doneLocked(k, c)
			o.mu.Unlock()
			return nil, false
		}
		o.mu.Unlock()
		// Read the head now that the conversation is ours: whatever put it in line may
		// have been overtaken by an earlier turn.
		r, err := o.DB.OutboxHead(ctx, k.account, k.id)
		o.mu.Lock()
		notBefore := c.notBefore
		o.mu.Unlock()
		switch {
		case err == nil && !later(r.NextAttemptAt, notBefore).After(o.clock.Now()):
			return r, true
		case err == nil:
			o.waitRetry(c, notBefore) // the scan puts it back in line when due
			return nil, false
		case errors.Is(err, store.ErrNotFound):
			o.mu.Lock()
			if c.dirty {
				o.mu.Unlock()
				continue // a row was added meanwhile
			}
			o.doneLocked(k, c)
			o.mu.Unlock()
			return nil, false
		default:
			if ctx.Err() == nil {
				o.Logger.Error("reading the outbox failed (continuing)", slog.Int64("conversation_id", k.id), slog.Any("error", err))
			}
			o.waitRetry(c, notBefore)
			return nil, false
		}
	}
}

// turn sends a conversation's due rows in order, up to outboxTurn of them, then lets it
// go or puts it back in line. probe says its first call probes a paused Chatwoot.
func (o *Outbox) turn(ctx context.Context, k convKey, c *outboxConv, probe bool) {
	if probe {
		defer func() {
			o.mu.Lock()
			o.gate.probing = false
			o.mu.Unlock()
		}()
	}
	for sent := 0; sent < outboxTurn; sent++ {
		r, ok := o.next(ctx, k, c)
		if !ok {
			return
		}
		switch out, retryAt := o.deliver(ctx, r, probe && sent == 0); out {
		case outcomeHeld:
			// Every call is paused: back in line, behind the others, until a probe gets
			// through.
			o.hold(k, c)
			return
		case outcomeLater:
			// To be retried later, or shutting down: the row stays pending.
			o.waitRetry(c, retryAt)
			return
		}
		o.mu.Lock()
		if !c.fromDB && len(c.rows) > 0 && c.rows[0] == r {
			o.held -= len(r.Payload)
			c.rows[0] = nil
			c.rows = c.rows[1:]
		}
		o.mu.Unlock()
	}
	o.mu.Lock()
	c.busy = false
	o.lineUpLocked(k, c) // more may wait: back in line, behind the others
	o.mu.Unlock()
}

// hold puts a conversation whose call was refused while every call is paused back in
// line, at its end: the probes go round the conversations in line, so one row Chatwoot
// keeps timing out on cannot keep the others paused. Its rows are read back from the
// database: the head's failure, or a handoff's progress, was recorded there.
func (o *Outbox) hold(k convKey, c *outboxConv) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.dropRowsLocked(c)
	c.fromDB, c.busy = true, false
	o.lineUpLocked(k, c)
}

// doneLocked forgets a conversation with nothing pending. o.mu is held.
func (o *Outbox) doneLocked(k convKey, c *outboxConv) {
	o.dropRowsLocked(c)
	delete(o.convs, k)
}

// waitRetry parks a conversation whose oldest row waits for its next attempt (or could
// not be read): from now on its rows are read from the database, and the scan, woken to
// time the retry, puts it back in line.
func (o *Outbox) waitRetry(c *outboxConv, notBefore time.Time) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.dropRowsLocked(c)
	c.fromDB, c.retry, c.busy = true, true, false
	c.notBefore = notBefore
	o.wakeLocked()
}

func (o *Outbox) dropRowsLocked(c *outboxConv) {
	for _, r := range c.rows {
		o.held -= len(r.Payload)
	}
	c.rows = nil
}

// outcome is what became of a row's call.
type outcome int

const (
	outcomeDone  outcome = iota // sent or parked dead: the conversation's next row may go
	outcomeLater                // to be tried again at the time given, or shutting down
	outcomeHeld                 // every call is paused: to be tried again once they resume
)

// deliver makes one row's call and records the outcome. When the row is not done with, it
// says when to try it again at the soonest: the backoff holds even when the database did
// not take the failed attempt. probe says the call probes a paused Chatwoot.
func (o *Outbox) deliver(ctx context.Context, r *store.OutboxRow, probe bool) (out outcome, retryAt time.Time) {
	// A copy: a handoff records its progress in the payload, and the row in memory is
	// shared with Added's accounting of the bytes held.
	row := *r
	r = &row
	err := o.sendSafely(ctx, r)
	// Built only when something is logged: With copies the handler each time.
	log := func() *slog.Logger {
		return o.Logger.With(slog.Int64("outbox_id", r.ID), slog.Int64("conversation_id", r.ConversationID), slog.String("kind", r.Kind))
	}
	if ctx.Err() != nil && err != nil {
		return outcomeLater, time.Time{} // shutting down: the row stays pending and the next run sends it
	}
	now := o.clock.Now()
	pause := pauseReason(err)
	o.gateAfter(err, pause, probe, now)
	spent := !r.FailingSince.IsZero() && now.Sub(r.FailingSince) >= o.RetryFor
	dead := false
	// A write error below, after a failed call, leaves the row pending: it is tried again.
	switch {
	case err == nil:
		// Chatwoot took the call: keep trying to record it while the conversation is ours, or
		// the row would be sent twice. Only a shutdown gives up (the next run resends it).
		for try := 1; ; try++ {
			werr := o.DB.MarkOutboxSent(context.WithoutCancel(ctx), r.ID)
			if werr == nil {
				out = outcomeDone
				break
			}
			log().Error("recording a delivered row failed (retrying)", slog.Int("try", try), slog.Any("error", werr))
			if o.clock.Sleep(ctx, Backoff(try, 100*time.Millisecond, 5*time.Second)) != nil {
				out = outcomeLater
				break
			}
		}
	case pause == pauseRateLimited:
		// Chatwoot's back-pressure, not the row's failure: nothing is recorded, and the row
		// waits with every other for the pause to end.
		log().Debug("outbox call throttled (429): every call paused", slog.Any("error", err))
		out = outcomeHeld
	case !chatwoot.Retryable(err) || spent:
		dead = true
		if spent {
			log().Error("outbox row is dead: failing for longer than BOT_OUTBOX_RETRY_FOR", slog.Int("attempts", r.Attempts+1),
				slog.Time("failing_since", r.FailingSince), slog.Any("error", err))
		} else {
			log().Error("outbox row is dead: Chatwoot refused it", slog.Int("attempts", r.Attempts+1), slog.Any("error", err))
		}
		out = outcomeDone
		if werr := o.markDead(context.WithoutCancel(ctx), r, err); werr != nil {
			log().Error("recording a dead row failed", slog.Any("error", werr))
			out, retryAt = outcomeLater, now.Add(Jitter(o.BaseDelay, o.rnd()))
		}
	case pause != "":
		// Chatwoot is not answering: the row is tried again once a probe gets through, at
		// once. Its failure is recorded: its budget runs, and a retry looks whether the call
		// was taken after all (a timeout) before posting again.
		log().Debug("outbox call failed: Chatwoot is not answering, every call paused", slog.Any("error", err))
		out = outcomeHeld
		if werr := o.DB.MarkOutboxRetry(context.WithoutCancel(ctx), r.ID, now, err.Error()); werr != nil {
			log().Error("recording a failed attempt failed", slog.Any("error", werr))
		}
	default:
		delay := Jitter(Backoff(r.Attempts+1, o.BaseDelay, o.MaxDelay), o.rnd())
		if ra, ok := chatwoot.RetryAfter(err); ok {
			delay = ra
		}
		log().Warn("outbox delivery failed (will retry)", slog.Int("attempts", r.Attempts+1), slog.Duration("retry_in", delay), slog.Any("error", err))
		out, retryAt = outcomeLater, now.Add(delay)
		if werr := o.DB.MarkOutboxRetry(context.WithoutCancel(ctx), r.ID, retryAt, err.Error()); werr != nil {
			log().Error("recording a failed attempt failed", slog.Any("error", werr))
		}
	}
	if o.Delivered != nil {
		o.Delivered(r, err, dead)
	}
	return out, retryAt
}

// pauseReason says whether err shows Chatwoot as a whole not answering (no answer, a
// timeout, 502, 503, 504) or throttling (429): every call is then paused. "" for an
// answer about the call itself.
func pauseReason(err error) string {
	if err == nil {
		return ""
	}
	if errors.Is(err, chatwoot.ErrRateLimited) {
		return pauseRateLimited
	}
	var ae *chatwoot.APIError
	if errors.As(err, &ae) {
		switch ae.StatusCode {
		case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return pauseUnreachable
		}
		return ""
	}
	if chatwoot.Retryable(err) { // no answer
		return pauseUnreachable
	}
	return ""
}

// gateAfter opens or closes the gate after a call: any answer but a pause opens it (Chatwoot
// answers), a pause closes it, and a failed probe puts the next one off.
func (o *Outbox) gateAfter(err error, pause string, probe bool, now time.Time) {
	o.mu.Lock()
	defer o.mu.Unlock()
	g := &o.gate
	if o.running == nil {
		return
	}
	switch {
	case pause == "" && g.reason != "":
		o.Logger.Info("Chatwoot answers again: resuming every call", slog.String("paused_for", now.Sub(g.since).Round(time.Millisecond).String()),
			slog.String("reason", g.reason), slog.Int("conversations_in_line", len(o.ready)))
		*g = outboxGate{probing: g.probing, prober: g.prober}
		o.startLocked()
		if o.Paused != nil {
			o.Paused("")
		}
	case pause == "":
	case g.reason == "":
		g.reason, g.since, g.probes = pause, now, 0
		g.until = now.Add(o.BaseDelay)
		o.Logger.Warn("Chatwoot is not taking calls: every call paused until a probe gets through", slog.String("reason", pause), slog.Any("error", err))
		if o.Paused != nil {
			o.Paused(pause)
		}
	case probe:
		g.probes++
		g.until = now.Add(min(o.BaseDelay<<min(g.probes, 16), maxProbeDelay, o.MaxDelay))
		if g.reason != pause {
			g.reason = pause
			if o.Paused != nil {
				o.Paused(pause)
			}
		}
	}
	if ra, ok := chatwoot.RetryAfter(err); ok && pause != "" {
		g.until = later(g.until, now.Add(ra))
	}
}

// sendSafely is send, with a panic (a bug, on this row's payload) made the row's
// permanent error: the row is parked dead, and the deliverer goes on.
func (o *Outbox) sendSafely(ctx context.Context, r *store.OutboxRow) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: sending it panicked: %v\n%s", errBadRow, p, debug.Stack())
		}
	}()
	return o.send(ctx, r)
}

// later returns the later of two times.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// markDead parks the row and tells its conversation's lane, so the domain can take back
// what depended on it (a refused handoff leaves the customer with the bot).
func (o *Outbox) markDead(ctx context.Context, r *store.OutboxRow, cause error) error {
	return o.DB.Update(ctx, func(tx *store.Tx) error {
		if err := tx.MarkOutboxDead(ctx, r.ID, cause.Error()); err != nil {
			return err
		}
		if r.Kind != string(bot.Handoff) && r.Kind != string(bot.SendMessage) {
			return nil
		}
		return tx.AddEvent(ctx, &store.Event{Source: SourceBot, Name: "action_failed", ConversationID: r.ConversationID,
			Body: failedBody(r, cause)})
	})
}

// SourceBot marks events the bot's own workers produce about Chatwoot calls.
const SourceBot = "bot"

// botEvent is the body of the bot's own events (a refused call, agents available): the
// conversation's account, and the refused action and why, when there is one.
type botEvent struct {
	AccountID int64           `json:"account_id"`
	Action    json.RawMessage `json:"action,omitempty"`
	Error     string          `json:"error,omitempty"`
}

func failedBody(r *store.OutboxRow, cause error) []byte {
	b, _ := json.Marshal(botEvent{AccountID: r.AccountID, Action: r.Payload, Error: cause.Error()})
	return b
}

// DefaultParallel is how many calls toward Chatwoot are under way at once by default
// (BOT_OUTBOX_PARALLEL). Each waits for Chatwoot and then for the commit that records it:
// 8 keep up with Chatwoot's default rate limit for calls of up to 170 ms (8 / 0.175 s is
// 45 a second), and bound the replies a kill can leave posted but not recorded.
const DefaultParallel = 8

// errBadRow marks a row that can never be sent; it is parked at once.
var errBadRow = errors.New("outbox: unusable row")

func (o *Outbox) send(ctx context.Context, r *store.OutboxRow) error {
	var a bot.Action
	if err := json.Unmarshal(r.Payload, &a); err != nil {
		return fmt.Errorf("%w: %v", errBadRow, err)
	}
	acc, conv := r.AccountID, r.ConversationID
	// A row tried before, or left pending by an earlier run (which may have died between
	// Chatwoot taking the call and recording it), may have been posted already.
	recheck := r.Attempts > 0 || !r.CreatedAt.After(o.started)
	switch a.Kind {
	case bot.Handoff:
		return o.handoff(ctx, r, &a, recheck)
	case bot.SendMessage, bot.SendNote:
		return o.message(ctx, r, a, "", recheck)
	case bot.SetStatus:
		_, err := o.Client.ToggleStatus(ctx, acc, conv, a.Status)
		return err
	case bot.AssignTeam:
		return o.Client.AssignTeam(ctx, acc, conv, a.TeamID)
	case bot.SetAttributes:
		return o.setAttributes(ctx, r, a.Attributes, a.Changed, a.Unless)
	case bot.SetLabels:
		return o.setLabels(ctx, r, a.Labels, a.Changed)
	case bot.Typing:
		return o.Client.ToggleTyping(ctx, acc, conv, a.On)
	}
	return fmt.Errorf("%w: unknown kind %q", errBadRow, a.Kind)
}

// rowRef is the reference a row's message carries in Chatwoot (content_attributes
// .cwbot_ref), one per message a row posts.
func rowRef(r *store.OutboxRow, part string) string {
	ref := "cwbot-outbox-" + strconv.FormatInt(r.ID, 10)
	if part != "" {
		ref += "-" + part
	}
	return ref
}

// message posts a message or note of row r (part names it among the row's messages). With
// recheck, it first looks among the conversation's messages since the row for one
// carrying the row's reference, and posts nothing if it is there: a reply is
// posted once even when the bot died, or Chatwoot's answer was lost, after Chatwoot took
// it. That needs the user token (CHATWOOT_USER_TOKEN): without it, such a message may be
// posted twice.
func (o *Outbox) message(ctx context.Context, r *store.OutboxRow, a bot.Action, part string, recheck bool) error {
	acc, conv, ref := r.AccountID, r.ConversationID, rowRef(r, part)
	if recheck {
		posted, err := o.posted(ctx, acc, conv, ref, r.CreatedAt)
		if err != nil {
			return err
		}
		if posted {
			o.Logger.Warn("message already posted before a restart or a lost answer: not posting it again", slog.Int64("conversation_id", conv), slog.String("ref", ref))
			return nil
		}
	}
	m := chatwoot.NewMessage{Content: a.Text, Private: a.Kind == bot.SendNote, Ref: ref}
	if len(a.Items) > 0 {
		m.ContentType = "input_select"
		for _, it := range a.Items {
			m.Items = append(m.Items, chatwoot.Item{Title: it.Title, Value: it.Value})
		}
	}
	if a.Template != nil {
		m.TemplateParams = &chatwoot.TemplateParams{Name: a.Template.Name, Language: a.Template.Language,
			Category: a.Template.Category, Body: a.Template.Body}
	}
	_, err := o.Client.PostMessage(ctx, acc, conv, m)
	return err
}

// recheckSkew is how far Chatwoot's clock may be behind ours: a message created that long
// before the outbox row cannot carry its reference, so the search stops there.
const recheckSkew = 10 * time.Minute

// recheckPages bounds the search (20 messages a page) in a conversation that went on
// long after the row: past it the message is posted, perhaps twice, with a warning.
const recheckPages = 50

// posted reports whether a message carrying ref is in the conversation, paging back from
// the latest message (Chatwoot answers 20 at a time) to those older than the row (since);
// false when that cannot be known (no user token, or one that may not read the
// conversation).
func (o *Outbox) posted(ctx context.Context, acc, conv int64, ref string, since time.Time) (bool, error) {
	var before int64
	for page := 0; page < recheckPages; page++ {
		msgs, err := o.Client.ListMessages(ctx, acc, conv, before)
		switch {
		case errors.Is(err, chatwoot.ErrNoUserToken):
			return false, nil
		case err != nil && !chatwoot.Retryable(err):
			// The token may not read this conversation (an agent's, for an inbox the agent is
			// not in): the check cannot be made, and the reply goes out as without the token,
			// rather than being parked for good.
			o.Logger.Warn("cannot look for a message posted before (posting it, perhaps twice): give CHATWOOT_USER_TOKEN an administrator's token",
				slog.Int64("conversation_id", conv), slog.Any("error", err))
			return false, nil
		case err != nil:
			return false, err
		}
		for _, m := range msgs {
			if m.ContentAttributes.Ref == ref {
				return true, nil
			}
		}
		// Pages come oldest first; a short page is the conversation's beginning.
		if len(msgs) < 20 || msgs[0].CreatedAt.Before(since.Add(-recheckSkew)) {
			return false, nil
		}
		if before > 0 && msgs[0].ID >= before {
			return false, nil // a server that ignores before would be read again and again
		}
		before = msgs[0].ID
	}
	o.Logger.Warn("message not found among the conversation's latest: posting it, perhaps twice",
		slog.Int64("conversation_id", conv), slog.String("ref", ref), slog.Int("messages_read", 20*recheckPages))
	return false, nil
}

// handoff makes the handoff's steps in order, from the first not yet made. After each step
// the row records its progress, so a retry resumes there instead of posting the note twice.
// The customer is told only once the conversation is open: a refusal before that leaves
// them with the bot (the dead row becomes an ActionFailed event).
func (o *Outbox) handoff(ctx context.Context, r *store.OutboxRow, a *bot.Action, recheck bool) error {
	p := a.Handoff
	acc, conv := r.AccountID, r.ConversationID
	// The first bot.HandoffStepsToOpen steps put the conversation in the agents' hands; the
	// message to the customer comes last (a refusal of it alone leaves them handed off).
	steps := []func() error{
		func() error {
			if p.TeamID == 0 {
				return nil
			}
			return o.Client.AssignTeam(ctx, acc, conv, p.TeamID)
		},
		func() error {
			if p.Labels == nil {
				return nil
			}
			return o.setLabels(ctx, r, p.Labels, p.LabelsChanged)
		},
		func() error { return o.setAttributes(ctx, r, p.Attributes, p.AttributesChanged, nil) },
		func() error {
			return o.message(ctx, r, bot.Action{Kind: bot.SendNote, Text: p.Note}, "note", recheck)
		},
		func() error {
			status, err := o.Client.ToggleStatus(ctx, acc, conv, bot.StatusOpen)
			if err == nil && status != "" && status != bot.StatusOpen {
				return fmt.Errorf("%w: chatwoot left the conversation %s", errBadRow, status)
			}
			return err
		},
		func() error {
			if p.Message == nil {
				return nil
			}
			return o.message(ctx, r, *p.Message, "message", recheck)
		},
	}
	save := func() {
		if payload, err := json.Marshal(a); err == nil {
			r.Payload = payload
			if err := o.DB.SetOutboxPayload(context.WithoutCancel(ctx), r.ID, payload); err != nil {
				o.Logger.Error("recording handoff progress failed", slog.Int64("outbox_id", r.ID), slog.Any("error", err))
			}
		}
	}
	for p.Done < len(steps) {
		if err := steps[p.Done](); err != nil {
			save()
			return err
		}
		p.Done++
		if p.Done < len(steps) {
			// Recorded after each step, not only on a failure: after a crash the next run
			// resumes here instead of making the steps again over what agents changed.
			save()
		}
	}
	return nil
}

// setAttributes writes the bot's change of a conversation's custom attributes. Chatwoot
// replaces the whole hash, so the change is applied to the hash Chatwoot holds now, read
// with the user token: an agent's or an automation's attribute set since the bot's payload
// stays. Without that token, or for a row written before rows named their changes, it
// writes the hash the bot saw.
func (o *Outbox) setAttributes(ctx context.Context, r *store.OutboxRow, seen map[string]any, changed []string, unless map[string]any) error {
	attrs := seen
	if len(changed) > 0 {
		now, err := o.current(ctx, r)
		if err != nil {
			return err
		}
		if now != nil {
			attrs = make(map[string]any, len(now.CustomAttributes)+len(changed))
			for k, v := range now.CustomAttributes {
				attrs[k] = v
			}
			for _, k := range changed {
				if v, ok := seen[k]; ok {
					attrs[k] = v
				} else if want, ok := unless[k]; !ok || attrString(attrs[k]) == attrString(want) {
					delete(attrs, k)
				}
			}
		}
	}
	return o.Client.SetCustomAttributes(ctx, r.AccountID, r.ConversationID, attrs)
}

// attrString is a custom attribute's value as text: Chatwoot gives a number attribute as a
// JSON number.
func attrString(v any) string {
	if f, ok := v.(float64); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// setLabels writes the bot's change of a conversation's labels onto the labels Chatwoot
// holds now, as setAttributes does for attributes.
func (o *Outbox) setLabels(ctx context.Context, r *store.OutboxRow, seen, changed []string) error {
	labels := seen
	if len(changed) > 0 {
		now, err := o.current(ctx, r)
		if err != nil {
			return err
		}
		if now != nil {
			labels = slices.DeleteFunc(slices.Clone(now.Labels), func(l string) bool { return slices.Contains(changed, l) })
			for _, l := range changed {
				if slices.Contains(seen, l) {
					labels = append(labels, l)
				}
			}
		}
	}
	return o.Client.SetLabels(ctx, r.AccountID, r.ConversationID, labels)
}

// current reads the conversation as Chatwoot holds it now, to apply the bot's change to
// it. nil means the bot's view is written instead: without the user token, with one that
// may not read the conversation, or when the read keeps failing. A read that fails the
// first time (a 503, a timeout) is retried with the row, since writing the bot's view
// would undo an agent's labels; one that fails again does not hold the write back any
// longer: Chatwoot may fail to show a conversation it still takes writes to (a 500 for an
// attachment it cannot render, chatwoot/chatwoot#6723), and a handoff must not be given
// up for it.
func (o *Outbox) current(ctx context.Context, r *store.OutboxRow) (*chatwoot.Conversation, error) {
	c, err := o.Client.GetConversation(ctx, r.AccountID, r.ConversationID)
	switch {
	case errors.Is(err, chatwoot.ErrNoUserToken):
		return nil, nil
	case err != nil && chatwoot.Retryable(err) && r.Attempts == 0:
		return nil, err
	case err != nil:
		o.Logger.Warn("cannot read the conversation to keep attributes and labels set since the bot's payload: writing the bot's view",
			slog.Int64("conversation_id", r.ConversationID), slog.Any("error", err))
		return nil, nil
	}
	return c, nil
}

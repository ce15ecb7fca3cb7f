// Package pipeline moves work through the bot: it hands each conversation's stored events
// to the domain in order, one at a time, and delivers the outbox toward Chatwoot.
package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/cwbot/cwbot/bot"
	"github.com/cwbot/cwbot/chatwoot"
	"github.com/cwbot/cwbot/store"
)

// Processor handles stored events. Each conversation is a lane: its events run in the order
// they arrived, one at a time; different conversations run in parallel, up to Lanes at once.
// A lane is the only writer of its conversation's state, so handling needs no locks.
//
// The database tells the processor of every event it stores, after the commit (see
// store.DB.OnEvents), and the lane takes the event from memory: the common path reads
// nothing back. The database stays the truth: at Start, after a storage error, and when
// more than maxQueuedBytes of bodies wait, a lane reads its conversation's unhandled
// events from it instead.
//
// Lanes with work wait in a ready queue for one of Lanes workers, which takes a few
// events of a lane at a time and puts it back in line if more wait: a burst over ten
// thousand conversations costs a queue entry each, not a goroutine each.
type Processor struct {
	DB     *store.DB
	Bot    *bot.Bot
	Logger *slog.Logger
	// DefaultAccountID is used for conversation events of conversations not seen before,
	// as those payloads carry no account.
	DefaultAccountID int64
	// Lanes bounds how many conversations are handled at once (default 64). A lane spends
	// most of its time waiting for the group commit of its event's outcome, so more lanes
	// make bigger batches, not more CPU.
	Lanes int
	// Handled, when set, is called after each event is handled (metrics, tests).
	Handled func(ev *store.Event, outcome string)
	// OutboxAdded hands the deliverer a conversation's new calls, after their commit.
	OutboxAdded func(rows []*store.OutboxRow)
	// JobsAdded wakes the jobs worker after a commit that created a job.
	JobsAdded func()
	// JobTimeout is how long a router update may run before it is failed (default 15m).
	JobTimeout time.Duration
	// TurnWindow, when above 0, reads a customer's messages that follow each other with
	// less than this between them as one turn, answered once (see turn.go); 0 answers
	// each message.
	TurnWindow time.Duration
	// Clock measures the turn window; nil is the database's clock and real timers.
	Clock TurnClock
	// PayloadProblem, when set, is told of each webhook value read leniently or ignored
	// (dropped false) and each event dropped as unusable (dropped true), with why (metrics).
	PayloadProblem func(dropped bool, reason string)

	once    sync.Once
	ctx     context.Context
	mu      sync.Mutex
	lanes   map[int64]*lane // conversations with work, queued or being handled
	ready   []int64         // lanes waiting for a worker, in order
	workers int             // running workers
	max     int             // Lanes, or its default
	queued  int             // bytes of event bodies waiting in lanes' queues
	// resumed is set once Start has found every conversation left with unhandled events.
	// Before that, a conversation unknown to memory may have older events in the
	// database, so a new lane reads from it.
	resumed bool
	wg      sync.WaitGroup
}

// lane is one conversation's work. Its fields are guarded by Processor.mu, but for last,
// which only the worker holding the lane touches.
//
// A lane holding a customer's turn (see turn.go) is parked: in lanes, not in line, with
// a timer that puts it back in line when the turn's window has passed.
type lane struct {
	// queue holds events handed over by the database, in the order of their ids.
	queue []*store.Event
	// fromDB says the database may hold unhandled events that queue lacks.
	fromDB bool
	// last is the id of the last event the lane handled: an event met again (in the
	// queue after reading it from the database) is skipped.
	last int64
	// failures counts storage errors in a row, for the backoff.
	failures int
	// woken says an event of the conversation arrived since the lane took its batch: a
	// turn it holds may have grown or ended.
	woken bool
	// parked says the lane holds a turn, out of line; stopTimer cancels its wake-up, and
	// parks numbers the parkings, so a late timer of an earlier one does nothing.
	parked    bool
	stopTimer func() bool
	parks     uint64
}

// maxQueuedBytes bounds the event bodies held in memory for the lanes. Past it, lanes
// read their events back from the database, which holds them anyway: a burst costs
// reads, not memory.
var maxQueuedBytes = 4 << 20 // a variable for the tests

// Outcomes recorded on events.
const (
	OutcomeHandled    = "handled"
	OutcomeIgnored    = "ignored"
	OutcomeBadPayload = "bad_payload"
	// OutcomeFailed marks an event whose handling panicked: a bug, recorded on the event
	// with its cause, so that one poisoned event does not stop its conversation for good
	// (or, before, the whole process at every start).
	OutcomeFailed = "failed"
)

func (p *Processor) init(ctx context.Context) {
	p.once.Do(func() {
		if p.Logger == nil {
			p.Logger = slog.Default()
		}
		p.mu.Lock()
		p.ctx = ctx
		p.lanes = map[int64]*lane{}
		p.max = p.Lanes
		if p.max <= 0 {
			p.max = 64
		}
		p.mu.Unlock()
		p.DB.OnEvents(p.enqueue)
		// Parked lanes hold no worker: they are let go here when stopping.
		context.AfterFunc(ctx, p.dropParked)
	})
}

// Start resumes every conversation with events left unhandled by an earlier run, and
// from then on handles every event the database stores, under ctx until it is cancelled.
func (p *Processor) Start(ctx context.Context) error {
	p.init(ctx)
	ids, err := p.DB.PendingConversations(ctx)
	if err != nil {
		return err
	}
	if len(ids) > 0 {
		p.Logger.Info("resuming unhandled events", slog.Int("conversations", len(ids)))
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, id := range ids {
		if l := p.laneFor(id); l != nil {
			l.fromDB = true
		}
	}
	// Every conversation with older events now has a lane that reads them: a lane
	// started from here on may take its events from memory.
	p.resumed = true
	return nil
}

// enqueue takes the events the database just stored (store.DB.OnEvents).
func (p *Processor) enqueue(evs []*store.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, ev := range evs {
		l := p.laneFor(ev.ConversationID)
		if l != nil {
			l.woken = true
			p.unparkLocked(ev.ConversationID, l) // a held turn grew or ended
		}
		switch {
		case l == nil || l.fromDB:
			// Not running (the next Start finds the event), or the lane reads the
			// database anyway, where the event is.
		case p.queued+len(ev.Body) > maxQueuedBytes:
			l.fromDB = true
		default:
			l.queue = append(l.queue, ev)
			p.queued += len(ev.Body)
		}
	}
}

// laneFor returns the conversation's lane, putting a new one in the ready queue; nil
// when the processor is not running. p.mu is held.
func (p *Processor) laneFor(id int64) *lane {
	if p.ctx == nil || p.ctx.Err() != nil {
		return nil // not started, or stopping: Start of the next run picks the events up
	}
	l := p.lanes[id]
	if l == nil {
		l = &lane{fromDB: !p.resumed}
		p.lanes[id] = l
		p.readyLocked(id)
	}
	return l
}

// readyLocked puts a lane in line and starts a worker if one is free. p.mu is held.
func (p *Processor) readyLocked(id int64) {
	p.ready = append(p.ready, id)
	if p.workers < p.max {
		p.workers++
		p.wg.Add(1)
		go p.worker()
	}
}

// Wait blocks until every worker has stopped; cancel Start's context first.
func (p *Processor) Wait() { p.wg.Wait() }

// worker takes lanes from the ready queue until it is empty.
func (p *Processor) worker() {
	defer p.wg.Done()
	for {
		id, l, ok := p.take()
		if !ok {
			return
		}
		if delay := p.turn(id, l); delay > 0 {
			// Storage errors: the lane waits out its backoff away from the workers.
			p.wg.Add(1)
			go p.backoff(id, l, delay)
		}
	}
}

// backoff puts a lane back in line after delay, or drops it when stopping.
func (p *Processor) backoff(id int64, l *lane, delay time.Duration) {
	defer p.wg.Done()
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-t.C:
	case <-p.ctx.Done():
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ctx.Err() != nil {
		p.dropLocked(id, l)
		return
	}
	p.readyLocked(id)
}

// take hands the worker the next lane in line, or tells it to stop.
func (p *Processor) take() (int64, *lane, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.ready) > 0 && p.ctx.Err() == nil {
		id := p.ready[0]
		p.ready = p.ready[1:]
		if l := p.lanes[id]; l != nil {
			return id, l, true
		}
	}
	if p.ctx.Err() != nil {
		for _, id := range p.ready {
			if l := p.lanes[id]; l != nil {
				p.dropLocked(id, l)
			}
		}
		p.ready = nil
	}
	p.workers--
	return 0, nil, false
}

// turn handles a few of a lane's events, then puts the lane back in line if it has more
// or lets it go. It returns the backoff to wait after a storage error, the lane still
// held.
func (p *Processor) turn(id int64, l *lane) time.Duration {
	ctx := p.ctx
	evs, fromDB, more, ok := p.next(id, l)
	if !ok {
		return 0
	}
	var err error
	if fromDB {
		// A few events at a time: most lanes have one.
		evs, err = p.DB.NextEvents(ctx, id, laneBatch)
		if err == nil && len(evs) == laneBatch {
			more = true
			p.mu.Lock()
			l.fromDB = true // there may be more
			p.mu.Unlock()
		}
	}
	var hold time.Duration
	if err == nil {
		hold, err = p.run(ctx, l, evs, more)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.dropHandled(l)
	if err == nil {
		l.failures = 0
		if hold > 0 && fromDB {
			l.fromDB = true // the held turn is in the database only
		}
		if hold > 0 && !l.woken {
			p.parkLocked(id, l, hold) // nothing came since the batch was taken
			return 0
		}
		if l.fromDB || len(l.queue) > 0 {
			p.readyLocked(id) // more: back in line, behind the others
		} else {
			delete(p.lanes, id)
		}
		return 0
	}
	l.fromDB = true // the event is still in the database, unhandled
	if ctx.Err() != nil {
		p.dropLocked(id, l)
		return 0
	}
	// The database is busy or unwritable: the event stays stored, so wait and try it
	// again rather than skip it.
	l.failures++
	delay := Backoff(l.failures, 100*time.Millisecond, 10*time.Second)
	p.Logger.Error("handling event failed (continuing)", slog.Int64("conversation_id", id),
		slog.Any("error", err), slog.Duration("retry_in", delay))
	return delay
}

// next says what the lane does next: read the database, or handle the events at the
// head of its queue (more: the queue holds more than those). ok is false when nothing is
// left: the lane is gone.
func (p *Processor) next(id int64, l *lane) (evs []*store.Event, fromDB, more, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	l.woken = false
	if l.fromDB {
		l.fromDB = false
		return nil, true, false, true
	}
	if len(l.queue) == 0 {
		delete(p.lanes, id)
		return nil, false, false, false
	}
	n := min(len(l.queue), laneBatch)
	return slices.Clone(l.queue[:n]), false, len(l.queue) > n, true
}

// dropHandled removes from the queue what the lane has handled. p.mu is held.
func (p *Processor) dropHandled(l *lane) {
	n := 0
	for n < len(l.queue) && l.queue[n].ID <= l.last {
		p.queued -= len(l.queue[n].Body)
		n++
	}
	if n > 0 {
		clear(l.queue[:n])
		l.queue = l.queue[n:]
	}
}

// dropLocked forgets a lane when stopping: its events stay in the database for the next
// run. p.mu is held.
func (p *Processor) dropLocked(id int64, l *lane) {
	for _, ev := range l.queue {
		p.queued -= len(ev.Body)
	}
	l.queue = nil
	delete(p.lanes, id)
}

var errHandlerPanicked = errors.New("pipeline: handling the event panicked")

// laneBatch is how many events a lane handles in one turn.
const laneBatch = 8

// handle runs one event through the domain and writes the outcome in one transaction.
// A permanent problem with the event itself is recorded on it and returns nil, so the
// lane goes on; only storage errors are returned (and retried).
func (p *Processor) handle(ctx context.Context, ev *store.Event) error {
	return p.handleUnit(ctx, []*store.Event{ev}, nil)
}

// handleUnit hands the domain one event, or a customer's turn of several messages (evs,
// in is their merged message: see turn.go), and writes the outcome in one transaction:
// every event of the unit is marked handled in the commit of the state and the calls.
// in nil: the one event is decoded here.
func (p *Processor) handleUnit(ctx context.Context, evs []*store.Event, in *decoded) (err error) {
	ev := evs[len(evs)-1] // a turn answers as of its last message
	// Built only when something is logged: With copies the handler each time.
	log := func() *slog.Logger {
		return p.Logger.With(slog.Int64("event_id", ev.ID), slog.Int64("conversation_id", ev.ConversationID), slog.String("event", ev.Name))
	}
	defer func() {
		r := recover()
		if r != nil {
			err = fmt.Errorf("%w: %v\n%s", errHandlerPanicked, r, debug.Stack())
		}
		if errors.Is(err, errHandlerPanicked) || errors.Is(err, store.ErrUnitPanicked) {
			log().Error("handling the event panicked: recorded as failed, the conversation goes on", slog.Any("error", err), slog.Int("events", len(evs)))
			err = p.finishAll(ctx, evs, OutcomeFailed, err.Error())
		}
	}()
	var bev *bot.Event
	var account int64
	if in != nil {
		bev, account = in.ev, in.account
	} else {
		bev, account, err = p.decode(ev, log)
		if err != nil {
			reason := chatwoot.DropReason(err)
			log().Warn("event payload unusable: dropped without an answer", slog.String("reason", reason), slog.Any("error", err))
			if p.PayloadProblem != nil {
				p.PayloadProblem(true, reason)
			}
			return p.finish(ctx, ev, OutcomeBadPayload, err.Error())
		}
		if bev == nil {
			return p.finish(ctx, ev, OutcomeIgnored, "")
		}
	}
	if account, err = p.accountOf(ctx, ev.ConversationID, account); err != nil {
		return err
	}
	if account == 0 {
		log().Warn("event for a conversation of unknown account ignored")
		return p.finishAll(ctx, evs, OutcomeIgnored, "unknown account")
	}
	conv, err := p.conversation(ctx, account, ev.ConversationID)
	if err != nil {
		return err
	}
	bev.Now = ev.ReceivedAt
	acts := p.Bot.Handle(ctx, conv, *bev)
	conv.UpdatedAt = ev.ReceivedAt
	state, err := json.Marshal(conv)
	if err != nil {
		return err
	}
	// The calls are encoded here, not in the unit of work, which runs on the single writer.
	var rows []*store.OutboxRow
	var updates, cancels []*bot.StartUpdate
	for _, a := range acts {
		if a.Kind == bot.StartJob {
			updates = append(updates, a.Update)
			continue
		}
		if a.Kind == bot.CancelJob {
			cancels = append(cancels, a.Update)
			continue
		}
		payload, err := json.Marshal(a)
		if err != nil {
			return err
		}
		rows = append(rows, &store.OutboxRow{AccountID: account, ConversationID: ev.ConversationID, Kind: string(a.Kind), Payload: payload, EventID: ev.ID})
	}
	err = p.DB.Update(ctx, func(tx *store.Tx) error {
		if err := tx.PutConversation(ctx, account, ev.ConversationID, state); err != nil {
			return err
		}
		for _, u := range updates {
			timeout := p.JobTimeout
			if timeout <= 0 {
				timeout = 15 * time.Minute
			}
			j := &store.Job{AccountID: account, ConversationID: ev.ConversationID, RouterID: u.RouterID,
				Attempt: u.Attempt, Reference: NewReference(), DeadlineAt: tx.Now().Add(timeout),
				ContactID: u.ContactID, Phone: u.Phone, Typed: u.Typed}
			if err := tx.AddJob(ctx, j); err != nil {
				return err
			}
		}
		for _, row := range rows {
			if err := tx.AddOutbox(ctx, row); err != nil {
				return err
			}
		}
		for _, u := range cancels {
			if err := cancelJob(ctx, tx, account, ev, u); err != nil {
				return err
			}
		}
		for _, e := range evs {
			if err := tx.FinishEvent(ctx, e.ID, OutcomeHandled, ""); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	p.logTurn(ctx, evs)
	if len(acts) > 0 && p.Logger.Enabled(ctx, slog.LevelDebug) {
		log().Debug("event handled", slog.Int("actions", len(acts)))
	}
	if len(rows) > 0 && p.OutboxAdded != nil {
		p.OutboxAdded(rows)
	}
	if len(updates) > 0 && p.JobsAdded != nil {
		p.JobsAdded()
	}
	if p.Handled != nil {
		for _, e := range evs {
			p.Handled(e, OutcomeHandled)
		}
	}
	return nil
}

// accountOf is the conversation's account: the event's, else the one stored for the
// conversation, else DefaultAccountID; 0 when none is known.
func (p *Processor) accountOf(ctx context.Context, conv, account int64) (int64, error) {
	if account != 0 {
		return account, nil
	}
	account, err := p.DB.AccountOf(ctx, conv)
	if err != nil {
		return 0, err
	}
	if account == 0 {
		account = p.DefaultAccountID
	}
	return account, nil
}

// conversation reads the bot's state of a conversation; a new one when none is stored.
func (p *Processor) conversation(ctx context.Context, account, id int64) (*bot.Conversation, error) {
	conv := &bot.Conversation{AccountID: account, ID: id}
	switch raw, err := p.DB.Conversation(ctx, account, id); {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return nil, err
	default:
		// The one-pass decoder: half the time of encoding/json on a state document.
		if err := chatwoot.DecodeJSON(raw, conv); err != nil {
			return nil, fmt.Errorf("pipeline: conversation %d state: %w", id, err)
		}
	}
	return conv, nil
}

// decode reads a stored event into the domain's terms; nil when the domain has no use for it.
func (p *Processor) decode(ev *store.Event, log func() *slog.Logger) (*bot.Event, int64, error) {
	if ev.Source == SourceTelco {
		var upd bot.JobUpdate
		if err := json.Unmarshal(ev.Body, &upd); err != nil {
			return nil, 0, err
		}
		return &bot.Event{Kind: bot.JobProgress, Job: &upd}, upd.AccountID, nil
	}
	if ev.Source == SourceOutage {
		var f outageEvent
		if err := json.Unmarshal(ev.Body, &f); err != nil {
			return nil, 0, err
		}
		return &bot.Event{Kind: bot.OutageEnded, OutageID: f.OutageID}, f.AccountID, nil
	}
	if ev.Source == SourceBot && ev.Name == "agents_available" {
		var f botEvent
		if err := json.Unmarshal(ev.Body, &f); err != nil {
			return nil, 0, err
		}
		return &bot.Event{Kind: bot.AgentsAvailable}, f.AccountID, nil
	}
	if ev.Source == SourceBot {
		var f botEvent
		var a bot.Action
		if err := json.Unmarshal(ev.Body, &f); err != nil {
			return nil, 0, err
		}
		if err := json.Unmarshal(f.Action, &a); err != nil {
			return nil, 0, err
		}
		return &bot.Event{Kind: bot.ActionFailed, Failed: &a, FailedBecause: f.Error}, f.AccountID, nil
	}
	ce, err := chatwoot.ParseEvent(ev.Body)
	if err != nil {
		return nil, 0, err
	}
	p.repaired(ce, log)
	bev, ok := translate(ce)
	if !ok {
		return nil, 0, nil
	}
	return &bev, ce.AccountID, nil
}

// finishAll records one outcome on every event of a unit, in one commit.
func (p *Processor) finishAll(ctx context.Context, evs []*store.Event, outcome, errText string) error {
	if len(evs) == 1 {
		return p.finish(ctx, evs[0], outcome, errText)
	}
	err := p.DB.Update(ctx, func(tx *store.Tx) error {
		for _, ev := range evs {
			if err := tx.FinishEvent(ctx, ev.ID, outcome, errText); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if p.Handled != nil {
		for _, ev := range evs {
			p.Handled(ev, outcome)
		}
	}
	return nil
}

func (p *Processor) finish(ctx context.Context, ev *store.Event, outcome, errText string) error {
	if err := p.DB.FinishEvent(ctx, ev.ID, outcome, errText); err != nil {
		return err
	}
	if p.Handled != nil {
		p.Handled(ev, outcome)
	}
	return nil
}

// cancelJob calls off the conversation's update attempt u when no worker has claimed it
// to send it (store.CancelUnsentJob), and tells the bot which it was as the job's next
// event, in the conversation's lane after the message that asked. An attempt that ended
// meanwhile has its own final event coming: nothing more is told.
func cancelJob(ctx context.Context, tx *store.Tx, account int64, ev *store.Event, u *bot.StartUpdate) error {
	j, cancelled, err := tx.CancelUnsentJob(ctx, account, ev.ConversationID, u.Attempt)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	upd := bot.JobUpdate{JobID: j.ID, AccountID: j.AccountID, Attempt: j.Attempt, RouterID: j.RouterID, State: bot.JobCancelRefused}
	if cancelled {
		upd.State = bot.JobCancelled
	}
	body, err := json.Marshal(upd)
	if err != nil {
		return err
	}
	// One answer per cancel asked: the asking event's id keys it.
	return tx.AddEvent(ctx, &store.Event{Source: SourceTelco, Name: "job_" + upd.State, ConversationID: ev.ConversationID,
		Body: body, DedupeKey: fmt.Sprintf("job:%d:cancel:%d", j.ID, ev.ID)})
}

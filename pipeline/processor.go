// Package pipeline moves work through the bot: it hands each conversation's stored events
// to the domain in order, one at a time, and delivers the outbox toward Chatwoot.
package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/cwbot/cwbot/bot"
	"github.com/cwbot/cwbot/chatwoot"
	"github.com/cwbot/cwbot/store"
)

// Processor handles stored events. Each conversation is a lane: its events run in the order
// they arrived, one at a time; different conversations run in parallel, up to Lanes at once.
// A lane is the only writer of its conversation's state, so handling needs no locks.
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
	// OutboxAdded wakes the deliverer after a commit that queued calls.
	OutboxAdded func()
	// JobsAdded wakes the jobs worker after a commit that created a job.
	JobsAdded func()
	// JobTimeout is how long a router update may run before it is failed (default 15m).
	JobTimeout time.Duration

	once    sync.Once
	ctx     context.Context
	mu      sync.Mutex
	running map[int64]bool
	dirty   map[int64]bool
	sem     chan struct{}
	wg      sync.WaitGroup
}

// Outcomes recorded on events.
const (
	OutcomeHandled    = "handled"
	OutcomeIgnored    = "ignored"
	OutcomeBadPayload = "bad_payload"
)

func (p *Processor) init(ctx context.Context) {
	p.once.Do(func() {
		p.ctx = ctx
		p.running = map[int64]bool{}
		p.dirty = map[int64]bool{}
		n := p.Lanes
		if n <= 0 {
			n = 64
		}
		p.sem = make(chan struct{}, n)
		if p.Logger == nil {
			p.Logger = slog.Default()
		}
	})
}

// Start resumes every conversation with events left unhandled by an earlier run.
// Events notified afterwards run under ctx until it is cancelled.
func (p *Processor) Start(ctx context.Context) error {
	p.init(ctx)
	ids, err := p.DB.PendingConversations(ctx)
	if err != nil {
		return err
	}
	if len(ids) > 0 {
		p.Logger.Info("resuming unhandled events", slog.Int("conversations", len(ids)))
	}
	for _, id := range ids {
		p.Notify(id)
	}
	return nil
}

// Notify tells the processor a conversation has new events.
func (p *Processor) Notify(conversationID int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ctx == nil || p.ctx.Err() != nil {
		return // not started, or stopping: Start of the next run picks the events up
	}
	if p.running[conversationID] {
		p.dirty[conversationID] = true
		return
	}
	p.running[conversationID] = true
	p.wg.Add(1)
	go p.lane(conversationID)
}

// Wait blocks until every lane has stopped; cancel Start's context first.
func (p *Processor) Wait() { p.wg.Wait() }

func (p *Processor) lane(id int64) {
	defer p.wg.Done()
	ctx := p.ctx
	select {
	case p.sem <- struct{}{}:
	case <-ctx.Done():
		p.release(id)
		return
	}
	defer func() { <-p.sem }()
	failures := 0
	for {
		// A few events at a time: most lanes have one, and knowing it was the last saves
		// asking again. An event stored later was notified, which marks the lane dirty.
		evs, err := p.DB.NextEvents(ctx, id, laneBatch)
		if err == nil && len(evs) == 0 {
			if p.finished(id) {
				return
			}
			continue
		}
		for _, ev := range evs {
			if err = p.handle(ctx, ev); err != nil {
				break
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				p.release(id)
				return
			}
			// The database is busy or unwritable: the event stays stored, so wait and
			// try it again rather than skip it.
			failures++
			delay := Backoff(failures, 100*time.Millisecond, 10*time.Second)
			p.Logger.Error("handling event failed (continuing)", slog.Int64("conversation_id", id),
				slog.Any("error", err), slog.Duration("retry_in", delay))
			select {
			case <-time.After(delay):
			case <-ctx.Done():
				p.release(id)
				return
			}
			continue
		}
		failures = 0
		if len(evs) < laneBatch && p.finished(id) {
			return
		}
	}
}

// laneBatch is how many events a lane reads at once.
const laneBatch = 8

// finished ends the lane unless events were notified while it ran; it reports whether
// the lane ended.
func (p *Processor) finished(id int64) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dirty[id] {
		delete(p.dirty, id)
		return false
	}
	delete(p.running, id)
	return true
}

func (p *Processor) release(id int64) {
	p.mu.Lock()
	delete(p.running, id)
	delete(p.dirty, id)
	p.mu.Unlock()
}

// handle runs one event through the domain and writes the outcome in one transaction.
// A permanent problem with the event itself is recorded on it and returns nil, so the
// lane goes on; only storage errors are returned (and retried).
func (p *Processor) handle(ctx context.Context, ev *store.Event) error {
	log := p.Logger.With(slog.Int64("event_id", ev.ID), slog.Int64("conversation_id", ev.ConversationID), slog.String("event", ev.Name))
	bev, account, err := decode(ev)
	if err != nil {
		log.Warn("event payload unusable", slog.Any("error", err))
		return p.finish(ctx, ev, OutcomeBadPayload, err.Error())
	}
	if bev == nil {
		return p.finish(ctx, ev, OutcomeIgnored, "")
	}
	if account == 0 {
		if account, err = p.DB.AccountOf(ctx, ev.ConversationID); err != nil {
			return err
		}
	}
	if account == 0 {
		account = p.DefaultAccountID
	}
	if account == 0 {
		log.Warn("event for a conversation of unknown account ignored")
		return p.finish(ctx, ev, OutcomeIgnored, "unknown account")
	}
	conv := &bot.Conversation{AccountID: account, ID: ev.ConversationID}
	switch raw, err := p.DB.Conversation(ctx, account, ev.ConversationID); {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return err
	default:
		if err := json.Unmarshal(raw, conv); err != nil {
			return fmt.Errorf("pipeline: conversation %d state: %w", ev.ConversationID, err)
		}
	}
	bev.Now = ev.ReceivedAt
	acts := p.Bot.Handle(ctx, conv, *bev)
	conv.UpdatedAt = ev.ReceivedAt
	state, err := json.Marshal(conv)
	if err != nil {
		return err
	}
	res, err := p.DB.Update(ctx, func(tx *store.Tx) error {
		if err := tx.PutConversation(ctx, account, ev.ConversationID, state); err != nil {
			return err
		}
		for _, a := range acts {
			if a.Kind == bot.StartJob {
				timeout := p.JobTimeout
				if timeout <= 0 {
					timeout = 15 * time.Minute
				}
				j := &store.Job{AccountID: account, ConversationID: ev.ConversationID, RouterID: a.Update.RouterID,
					Attempt: a.Update.Attempt, Reference: NewReference(), DeadlineAt: tx.Now().Add(timeout)}
				if err := tx.AddJob(ctx, j); err != nil {
					return err
				}
				continue
			}
			payload, err := json.Marshal(a)
			if err != nil {
				return err
			}
			row := &store.OutboxRow{AccountID: account, ConversationID: ev.ConversationID, Kind: string(a.Kind), Payload: payload, EventID: ev.ID}
			if err := tx.AddOutbox(ctx, row); err != nil {
				return err
			}
		}
		return tx.FinishEvent(ctx, ev.ID, OutcomeHandled, "")
	})
	if err != nil {
		return err
	}
	if len(acts) > 0 {
		log.Debug("event handled", slog.Int("actions", len(acts)))
	}
	if res.OutboxAdded && p.OutboxAdded != nil {
		p.OutboxAdded()
	}
	if res.JobsChanged && p.JobsAdded != nil {
		p.JobsAdded()
	}
	if p.Handled != nil {
		p.Handled(ev, OutcomeHandled)
	}
	return nil
}

// decode reads a stored event into the domain's terms; nil when the domain has no use for it.
func decode(ev *store.Event) (*bot.Event, int64, error) {
	if ev.Source == SourceTelco {
		var upd bot.JobUpdate
		if err := json.Unmarshal(ev.Body, &upd); err != nil {
			return nil, 0, err
		}
		return &bot.Event{Kind: bot.JobProgress, Job: &upd}, upd.AccountID, nil
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
	bev, ok := translate(ce)
	if !ok {
		return nil, 0, nil
	}
	return &bev, ce.AccountID, nil
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

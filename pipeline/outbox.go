package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/cwbot/cwbot/bot"
	"github.com/cwbot/cwbot/chatwoot"
	"github.com/cwbot/cwbot/store"
)

// Outbox delivers the outbox rows to Chatwoot: each conversation's rows in order, different
// conversations in parallel. A failed call is retried with capped exponential backoff and
// jitter, after Retry-After on 429; a 4xx other than 408 and 429 is not retried. After
// MaxAttempts the row is parked as dead with its last error.
type Outbox struct {
	DB     *store.DB
	Client *chatwoot.Client
	Logger *slog.Logger

	MaxAttempts int           // default 8
	BaseDelay   time.Duration // default 1s
	MaxDelay    time.Duration // default 5m
	// Parallel is how many conversations are delivered at once (default 32). Each call waits
	// for Chatwoot and then for the commit that records it, so this, not the CPU, bounds
	// how many replies a second go out.
	Parallel int
	// Delivered, when set, is called after each attempt (metrics, tests).
	Delivered func(row *store.OutboxRow, err error, dead bool)

	wake     chan struct{}
	initOnce sync.Once
	mu       sync.Mutex
	inflight map[int64]bool
	rnd      func() float64
}

func (o *Outbox) init() {
	o.initOnce.Do(func() {
		o.wake = make(chan struct{}, 1)
		o.inflight = map[int64]bool{}
		if o.MaxAttempts <= 0 {
			o.MaxAttempts = 8
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
	})
}

// Wake makes the deliverer look for due rows now.
func (o *Outbox) Wake() {
	o.init()
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx is cancelled, then waits for the calls under way.
func (o *Outbox) Run(ctx context.Context) error {
	o.init()
	var wg sync.WaitGroup
	defer wg.Wait()
	sem := make(chan struct{}, o.Parallel)
	for {
		wait := o.dispatch(ctx, &wg, sem)
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-o.wake:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// dispatch starts the due rows and returns how long to sleep before looking again: until
// the next conversation head not in flight falls due (a head in flight wakes the loop
// itself when its call ends).
func (o *Outbox) dispatch(ctx context.Context, wg *sync.WaitGroup, sem chan struct{}) time.Duration {
	const idle = 5 * time.Second
	heads, err := o.DB.OutboxHeads(ctx, 8*o.Parallel)
	if err != nil {
		if ctx.Err() == nil {
			o.Logger.Error("reading the outbox failed (continuing)", slog.Any("error", err))
		}
		return time.Second
	}
	wait := idle
	now := o.DB.Now()
	for _, r := range heads {
		if d := r.NextAttemptAt.Sub(now); d > 0 {
			if !o.inFlight(r.ConversationID) && d < wait {
				wait = d
			}
			continue
		}
		if !o.claim(r.ConversationID) {
			continue
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			o.unclaim(r.ConversationID)
			return idle
		}
		wg.Add(1)
		go func(r *store.OutboxRow) {
			defer wg.Done()
			defer func() { <-sem }()
			o.deliver(ctx, r)
			o.unclaim(r.ConversationID)
			o.Wake() // the conversation's next row may be due
		}(r)
	}
	return wait
}

func (o *Outbox) inFlight(conv int64) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.inflight[conv]
}

func (o *Outbox) claim(conv int64) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.inflight[conv] {
		return false
	}
	o.inflight[conv] = true
	return true
}

func (o *Outbox) unclaim(conv int64) {
	o.mu.Lock()
	delete(o.inflight, conv)
	o.mu.Unlock()
}

func (o *Outbox) deliver(ctx context.Context, r *store.OutboxRow) {
	// The due list may have been read before another goroutine finished this very row:
	// read it again now that the conversation is ours, and send it only if still due.
	cur, err := o.DB.GetOutbox(ctx, r.ID)
	if err != nil || cur.Status != store.OutboxPending || cur.NextAttemptAt.After(o.DB.Now()) {
		return
	}
	r = cur
	log := o.Logger.With(slog.Int64("outbox_id", r.ID), slog.Int64("conversation_id", r.ConversationID), slog.String("kind", r.Kind))
	err = o.send(ctx, r)
	if ctx.Err() != nil && err != nil {
		return // shutting down: the row stays pending and the next run sends it
	}
	dead := false
	// A write error below, after a failed call, leaves the row pending: it is tried again.
	switch {
	case err == nil:
		// Chatwoot took the call: keep trying to record it while the conversation is ours, or
		// the row would be sent twice. Only a shutdown gives up (the next run resends it).
		for try := 1; ; try++ {
			werr := o.DB.MarkOutboxSent(context.WithoutCancel(ctx), r.ID)
			if werr == nil {
				break
			}
			log.Error("recording a delivered row failed (retrying)", slog.Int("try", try), slog.Any("error", werr))
			timer := time.NewTimer(Backoff(try, 100*time.Millisecond, 5*time.Second))
			select {
			case <-timer.C:
			case <-ctx.Done():
			}
			timer.Stop()
			if ctx.Err() != nil {
				break
			}
		}
	case !chatwoot.Retryable(err) || r.Attempts+1 >= o.MaxAttempts:
		dead = true
		log.Error("outbox row is dead: giving up", slog.Int("attempts", r.Attempts+1), slog.Any("error", err))
		if werr := o.markDead(context.WithoutCancel(ctx), r, err); werr != nil {
			log.Error("recording a dead row failed", slog.Any("error", werr))
		}
	default:
		delay := Jitter(Backoff(r.Attempts+1, o.BaseDelay, o.MaxDelay), o.rnd())
		if ra, ok := chatwoot.RetryAfter(err); ok {
			delay = ra
		}
		log.Warn("outbox delivery failed (will retry)", slog.Int("attempts", r.Attempts+1), slog.Duration("retry_in", delay), slog.Any("error", err))
		if werr := o.DB.MarkOutboxRetry(context.WithoutCancel(ctx), r.ID, o.DB.Now().Add(delay), err.Error()); werr != nil {
			log.Error("recording a failed attempt failed", slog.Any("error", werr))
		}
	}
	if o.Delivered != nil {
		o.Delivered(r, err, dead)
	}
}

// markDead parks the row and tells its conversation's lane, so the domain can take back
// what depended on it (a refused handoff leaves the customer with the bot).
func (o *Outbox) markDead(ctx context.Context, r *store.OutboxRow, cause error) error {
	_, err := o.DB.Update(ctx, func(tx *store.Tx) error {
		if err := tx.MarkOutboxDead(ctx, r.ID, cause.Error()); err != nil {
			return err
		}
		if r.Kind != string(bot.Handoff) && r.Kind != string(bot.SendMessage) {
			return nil
		}
		return tx.AddEvent(ctx, &store.Event{Source: SourceBot, Name: "action_failed", ConversationID: r.ConversationID,
			Body: failedBody(r, cause)})
	})
	return err
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

// DefaultParallel is how many calls toward Chatwoot are under way at once by default: each
// waits for Chatwoot and then for a commit, so fewer would leave replies queued.
const DefaultParallel = 32

// errBadRow marks a row that can never be sent; it is parked at once.
var errBadRow = errors.New("outbox: unusable row")

func (o *Outbox) send(ctx context.Context, r *store.OutboxRow) error {
	var a bot.Action
	if err := json.Unmarshal(r.Payload, &a); err != nil {
		return fmt.Errorf("%w: %v", errBadRow, err)
	}
	acc, conv := r.AccountID, r.ConversationID
	switch a.Kind {
	case bot.Handoff:
		return o.handoff(ctx, r, &a)
	case bot.SendMessage, bot.SendNote:
		return o.message(ctx, acc, conv, a)
	case bot.SetStatus:
		_, err := o.Client.ToggleStatus(ctx, acc, conv, a.Status)
		return err
	case bot.AssignTeam:
		return o.Client.AssignTeam(ctx, acc, conv, a.TeamID)
	case bot.SetAttributes:
		return o.Client.SetCustomAttributes(ctx, acc, conv, a.Attributes)
	case bot.SetLabels:
		return o.Client.SetLabels(ctx, acc, conv, a.Labels)
	case bot.Typing:
		return o.Client.ToggleTyping(ctx, acc, conv, a.On)
	}
	return fmt.Errorf("%w: unknown kind %q", errBadRow, a.Kind)
}

func (o *Outbox) message(ctx context.Context, acc, conv int64, a bot.Action) error {
	{
		m := chatwoot.NewMessage{Content: a.Text, Private: a.Kind == bot.SendNote}
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
		_, err := o.Client.CreateMessage(ctx, acc, conv, m)
		return err
	}
}

// handoff makes the handoff's steps in order, from the first not yet made. After each step
// the row records its progress, so a retry resumes there instead of posting the note twice.
// The customer is told only once the conversation is open: a refusal before that leaves
// them with the bot (the dead row becomes an ActionFailed event).
func (o *Outbox) handoff(ctx context.Context, r *store.OutboxRow, a *bot.Action) error {
	p := a.Handoff
	acc, conv := r.AccountID, r.ConversationID
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
			return o.Client.SetLabels(ctx, acc, conv, p.Labels)
		},
		func() error { return o.Client.SetCustomAttributes(ctx, acc, conv, p.Attributes) },
		func() error {
			_, err := o.Client.CreateMessage(ctx, acc, conv, chatwoot.NewMessage{Content: p.Note, Private: true})
			return err
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
			return o.message(ctx, acc, conv, *p.Message)
		},
	}
	for p.Done < len(steps) {
		if err := steps[p.Done](); err != nil {
			if payload, merr := json.Marshal(a); merr == nil {
				r.Payload = payload
				if serr := o.DB.SetOutboxPayload(context.WithoutCancel(ctx), r.ID, payload); serr != nil {
					o.Logger.Error("recording handoff progress failed", slog.Int64("outbox_id", r.ID), slog.Any("error", serr))
				}
			}
			return err
		}
		p.Done++
	}
	return nil
}

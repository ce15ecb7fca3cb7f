package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/cwbot/cwbot/bot"
	"github.com/cwbot/cwbot/process"
	"github.com/cwbot/cwbot/store"
)

// OutageAPI is the telco's Outage API (process.OutageClient).
type OutageAPI interface {
	Check(ctx context.Context, routerID, phone string) (process.Outage, error)
}

// Outages is outage awareness on the pipeline's side. It answers the bot's question
// (bot.Outages) with the Outage API, bounded by Timeout so that a slow API costs a
// customer's turn at most that. And it watches the customers who asked to hear of an
// outage's end, as the waiting worker watches those waiting for an agent: every Interval
// it asks the API about each of them, and for the telco's callback it finds those of the
// outage that ended; either way it stores an outage_ended event in the conversation's
// lane, where the bot tells the customer, in order with their messages. The event is
// stored (deduplicated), so a restart loses nothing and a callback that races the poller
// tells the customer once.
type Outages struct {
	DB     *store.DB
	API    OutageAPI
	Logger *slog.Logger
	// Interval is how often the watched outages are polled (default 1m).
	Interval time.Duration
	// Timeout bounds each question (default 2s).
	Timeout time.Duration
	// MaxWatch is how long a customer waits to hear of an outage's end before the
	// poller stops asking about it (default 72h): an outage the telco never ends must not
	// be polled for ever.
	MaxWatch time.Duration
	// Checked, when set, is told each question's result: active, none or error (metrics).
	Checked func(result string)
	// Ended, when set, is told each customer found waiting for an outage that ended, and
	// how it was learnt: callback or poll (metrics).
	Ended func(source string)
}

var _ bot.Outages = (*Outages)(nil)

// SourceOutage marks the events that tell the end of an outage.
const SourceOutage = "outage"

// outageEvent is the body of an outage_ended event.
type outageEvent struct {
	AccountID int64  `json:"account_id"`
	OutageID  string `json:"outage_id"`
}

func (o *Outages) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return 2 * time.Second
}

func (o *Outages) logger() *slog.Logger {
	if o.Logger != nil {
		return o.Logger
	}
	return slog.Default()
}

// Outage implements bot.Outages.
func (o *Outages) Outage(ctx context.Context, routerID, phone string) (bot.Outage, error) {
	r, err := o.check(ctx, routerID, phone)
	if err != nil {
		return bot.Outage{}, err
	}
	return bot.Outage{Active: r.Active, ID: r.ID, Message: r.Message, ETA: r.ETA}, nil
}

func (o *Outages) check(ctx context.Context, routerID, phone string) (process.Outage, error) {
	ctx, cancel := context.WithTimeout(ctx, o.timeout())
	defer cancel()
	r, err := o.API.Check(ctx, routerID, phone)
	result := "none"
	switch {
	case err != nil:
		result = "error"
	case r.Active:
		result = "active"
	}
	if o.Checked != nil {
		o.Checked(result)
	}
	return r, err
}

// Run polls the watched outages every Interval until ctx is cancelled.
func (o *Outages) Run(ctx context.Context) error {
	interval := o.Interval
	if interval <= 0 {
		interval = time.Minute
	}
	return every(ctx, interval, o.Check, o.logger(), "checking watched outages failed (continuing)")
}

// Check asks the Outage API once about every customer waiting to hear of an outage's end
// (once per router and phone number), and tells those whose outage is over. An API that
// fails is asked again at the next check.
func (o *Outages) Check(ctx context.Context) error {
	watches, err := o.DB.OutageWatches(ctx, "")
	if err != nil {
		return err
	}
	now := o.DB.Now()
	maxWatch := o.MaxWatch
	if maxWatch <= 0 {
		maxWatch = 72 * time.Hour
	}
	type key struct{ router, phone string }
	answers := map[key]*process.Outage{}
	for _, w := range watches {
		if !w.Since.IsZero() && now.Sub(w.Since) > maxWatch {
			continue
		}
		k := key{w.RouterID, w.Phone}
		ans, asked := answers[k]
		if !asked {
			r, err := o.check(ctx, w.RouterID, w.Phone)
			if err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				o.logger().Warn("outage API failed (asking again at the next check)", slog.Int64("conversation_id", w.ConversationID),
					slog.String("outage_id", w.OutageID), slog.Any("error", err))
			} else {
				ans = &r
			}
			answers[k] = ans
		}
		// Still out, under this outage or another: not over for the customer.
		if ans == nil || ans.Active {
			continue
		}
		if err := o.DB.Update(ctx, func(tx *store.Tx) error { return addOutageEvent(ctx, tx, w) }); err != nil {
			return err
		}
		if o.Ended != nil {
			o.Ended("poll")
		}
	}
	return nil
}

// EndedByCallback tells every customer waiting to hear of outage id that it is over: the
// telco's callback. It returns how many were waiting.
func (o *Outages) EndedByCallback(ctx context.Context, id string) (int, error) {
	watches, err := o.DB.OutageWatches(ctx, id)
	if err != nil {
		return 0, err
	}
	if len(watches) == 0 {
		return 0, nil
	}
	err = o.DB.Update(ctx, func(tx *store.Tx) error {
		for _, w := range watches {
			if err := addOutageEvent(ctx, tx, w); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if o.Ended != nil {
		for range watches {
			o.Ended("callback")
		}
	}
	return len(watches), nil
}

// addOutageEvent stores the end of w's outage in its conversation's lane, once per
// subscription: the poller and the callback may both find it.
func addOutageEvent(ctx context.Context, tx *store.Tx, w store.OutageWatch) error {
	body, err := json.Marshal(outageEvent{AccountID: w.AccountID, OutageID: w.OutageID})
	if err != nil {
		return err
	}
	return tx.AddEvent(ctx, &store.Event{Source: SourceOutage, Name: "outage_ended", ConversationID: w.ConversationID, Body: body,
		DedupeKey: fmt.Sprintf("outage:%d:%s:%d", w.ConversationID, w.OutageID, w.Since.UnixMilli())})
}

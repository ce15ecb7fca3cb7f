package pipeline

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/cwbot/cwbot/bot"
	"github.com/cwbot/cwbot/store"
)

// Waiting watches the customers waiting for an agent: at the next opening, or when an agent
// comes online, it puts an AgentsAvailable event in the conversation's lane, and the bot
// hands the conversation off and tells the customer.
type Waiting struct {
	DB       *store.DB
	Presence bot.Presence
	Logger   *slog.Logger
	Interval time.Duration // default 30s
}

// Run checks every Interval until ctx is cancelled.
func (w *Waiting) Run(ctx context.Context) error {
	if w.Interval <= 0 {
		w.Interval = 30 * time.Second
	}
	if w.Logger == nil {
		w.Logger = slog.Default()
	}
	return every(ctx, w.Interval, w.Check, w.Logger, "checking waiting customers failed (continuing)")
}

// every calls check each interval until ctx is done; a failure is logged as failed, and
// the next tick tries again.
func every(ctx context.Context, interval time.Duration, check func(context.Context) error, logger *slog.Logger, failed string) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		if err := check(ctx); err != nil && ctx.Err() == nil {
			logger.Warn(failed, slog.Any("error", err))
		}
	}
}

// Check looks once at every waiting conversation.
func (w *Waiting) Check(ctx context.Context) error {
	waiting, err := w.DB.WaitingConversations(ctx)
	if err != nil {
		return err
	}
	now := w.DB.Now()
	for _, c := range waiting {
		av, err := w.Presence.Availability(ctx, c.AccountID, c.InboxID, c.TeamID, now)
		if err != nil {
			w.Logger.Warn("agent availability unknown", slog.Int64("conversation_id", c.ConversationID), slog.Any("error", err))
			continue
		}
		if !av.Open || !av.Online {
			continue
		}
		body, _ := json.Marshal(botEvent{AccountID: c.AccountID})
		err = w.DB.Update(ctx, func(tx *store.Tx) error {
			return tx.AddEvent(ctx, &store.Event{Source: SourceBot, Name: "agents_available", ConversationID: c.ConversationID, Body: body})
		})
		if err != nil {
			return err
		}
	}
	return nil
}

package pipeline

import (
	"context"
	"log/slog"
	"time"

	"github.com/cwbot/cwbot/store"
)

// Pruner keeps the database from growing without end: at start and every Interval it
// deletes the handled events and delivered outbox rows older than Retention (see
// store.DB.Prune). Each webhook keeps its 3.4 KB body until then, so a busy inbox would
// otherwise add gigabytes a month.
type Pruner struct {
	DB        *store.DB
	Logger    *slog.Logger
	Retention time.Duration // 0 keeps everything
	Interval  time.Duration // default 1h
}

// Run prunes until ctx is cancelled; with no Retention it returns at once.
func (p *Pruner) Run(ctx context.Context) {
	if p.Retention <= 0 {
		return
	}
	if p.Interval <= 0 {
		p.Interval = time.Hour
	}
	if p.Logger == nil {
		p.Logger = slog.Default()
	}
	t := time.NewTicker(p.Interval)
	defer t.Stop()
	for {
		res, err := p.DB.Prune(ctx, p.DB.Now().Add(-p.Retention))
		switch {
		case err != nil && ctx.Err() == nil:
			p.Logger.Warn("pruning old events failed (continuing)", slog.Any("error", err))
		case res.Events > 0 || res.Outbox > 0:
			p.Logger.Info("pruned old events and delivered calls", slog.Int64("events", res.Events),
				slog.Int64("outbox_rows", res.Outbox), slog.Duration("retention", p.Retention))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

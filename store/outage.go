package store

import (
	"context"
	"fmt"
	"time"
)

// OutageWatch is a conversation whose customer waits to hear that an outage is over.
type OutageWatch struct {
	AccountID, ConversationID int64
	OutageID                  string
	RouterID, Phone           string
	// Since is when the customer asked to be told.
	Since time.Time
}

// OutageWatches lists the conversations whose state says the customer waits to hear of
// an outage's end (bot.OutageWatch.Subscribed); with outageID set, only those of that
// outage.
func (db *DB) OutageWatches(ctx context.Context, outageID string) ([]OutageWatch, error) {
	q := `SELECT account_id, conversation_id, COALESCE(json_extract(state, '$.outage.id'), ''),
		COALESCE(json_extract(state, '$.outage.router_id'), ''), COALESCE(json_extract(state, '$.outage.phone'), ''),
		COALESCE(json_extract(state, '$.outage.subscribed_at'), '')
		FROM conversations WHERE json_extract(state, '$.outage.subscribed') = 1`
	args := []any{}
	if outageID != "" {
		q += ` AND json_extract(state, '$.outage.id') = ?`
		args = append(args, outageID)
	}
	rows, err := db.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: outage watches: %w", err)
	}
	defer rows.Close()
	var out []OutageWatch
	for rows.Next() {
		var w OutageWatch
		var since string
		if err := rows.Scan(&w.AccountID, &w.ConversationID, &w.OutageID, &w.RouterID, &w.Phone, &since); err != nil {
			return nil, err
		}
		w.Since, _ = time.Parse(time.RFC3339Nano, since)
		out = append(out, w)
	}
	return out, rows.Err()
}

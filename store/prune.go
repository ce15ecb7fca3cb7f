package store

import (
	"context"
	"fmt"
	"time"
)

// PruneResult counts what one Prune call deleted.
type PruneResult struct {
	Events, Outbox int64
}

// pruneBatch is how many rows one unit of work deletes: the writer is held for a few
// milliseconds at a time, never long enough to delay a webhook's acknowledgement.
const pruneBatch = 500

// Prune deletes what the bot no longer needs, older than before: handled events (their
// delivery ids and dedupe keys with them: Chatwoot redelivers within minutes) and
// delivered outbox rows. Events not handled yet and dead rows are kept whatever their age:
// the first are a promise, the second wait for an operator.
//
// Rows are walked in id order (their age order) from the oldest, a batch at a time, and
// the walk stops at the first row younger than before, so a call reads little more than
// it deletes.
func (db *DB) Prune(ctx context.Context, before time.Time) (PruneResult, error) {
	var res PruneResult
	var err error
	// The newest row of each table is kept whatever its age: SQLite gives a new row the
	// highest id plus one, so deleting the newest rows would hand their ids out again, and
	// an outbox row's id names its message in Chatwoot (a reused one would be taken for
	// already posted).
	if res.Events, err = db.pruneTable(ctx, before, `SELECT id, received_at, processed_at IS NOT NULL FROM events
		WHERE id > ? AND id < (SELECT MAX(id) FROM events) ORDER BY id LIMIT ?`, `DELETE FROM events WHERE id = ?`); err != nil {
		return res, fmt.Errorf("store: prune events: %w", err)
	}
	if res.Outbox, err = db.pruneTable(ctx, before, `SELECT id, created_at, status = 'sent' FROM outbox
		WHERE id > ? AND id < (SELECT MAX(id) FROM outbox) ORDER BY id LIMIT ?`, `DELETE FROM outbox WHERE id = ?`); err != nil {
		return res, fmt.Errorf("store: prune outbox: %w", err)
	}
	return res, nil
}

// pruneTable deletes, in batches, the rows that list (id, unix ms, deletable) reports
// deletable and older than before, up to the first row that is not older.
func (db *DB) pruneTable(ctx context.Context, before time.Time, list, del string) (int64, error) {
	var total int64
	after := int64(0)
	for {
		ids, next, done, err := db.pruneCandidates(ctx, list, after, ms(before))
		if err != nil {
			return total, err
		}
		if len(ids) > 0 {
			err := db.Update(ctx, func(tx *Tx) error {
				for _, id := range ids {
					if _, err := tx.tx.unitExec(ctx, del, id); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return total, err
			}
			total += int64(len(ids))
		}
		if done {
			return total, nil
		}
		after = next
	}
}

// pruneCandidates reads the next batch after id after: the deletable ids, the last id
// read, and whether the walk is over (a row not older than cutoff, or the table's end).
func (db *DB) pruneCandidates(ctx context.Context, list string, after, cutoff int64) (ids []int64, last int64, done bool, err error) {
	rows, err := db.db.QueryContext(ctx, list, after, pruneBatch)
	if err != nil {
		return nil, 0, false, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, at int64
		var deletable bool
		if err := rows.Scan(&id, &at, &deletable); err != nil {
			return nil, 0, false, err
		}
		n++
		last = id
		if at >= cutoff {
			return ids, last, true, rows.Err()
		}
		if deletable {
			ids = append(ids, id)
		}
	}
	return ids, last, n < pruneBatch, rows.Err()
}

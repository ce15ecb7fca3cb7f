package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Outbox statuses.
const (
	OutboxPending = "pending"
	OutboxSent    = "sent"
	OutboxDead    = "dead"
)

// OutboxRow is one call toward Chatwoot waiting to be made, made, or given up on.
type OutboxRow struct {
	ID             int64
	AccountID      int64
	ConversationID int64
	Kind           string
	Payload        []byte
	Status         string
	Attempts       int
	NextAttemptAt  time.Time
	LastError      string
	EventID        int64
	CreatedAt      time.Time
	SentAt         time.Time
	// FailingSince is when the row's first failed call was made (zero while none has
	// failed): the outbox gives up on it BOT_OUTBOX_RETRY_FOR later.
	FailingSince time.Time
}

// AddOutbox queues a call; it runs after every earlier row of the same conversation.
func (tx *Tx) AddOutbox(ctx context.Context, r *OutboxRow) error {
	at := r.NextAttemptAt
	if at.IsZero() {
		at = tx.now
	}
	out, err := tx.tx.unitExec(ctx, `INSERT INTO outbox (account_id, conversation_id, kind, payload, next_attempt_at, event_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		r.AccountID, r.ConversationID, r.Kind, string(r.Payload), ms(at), sql.NullInt64{Int64: r.EventID, Valid: r.EventID != 0}, ms(tx.now))
	if err != nil {
		return fmt.Errorf("store: add outbox: %w", err)
	}
	r.ID, _ = out.LastInsertId()
	r.Status = OutboxPending
	r.CreatedAt = tx.now
	return nil
}

const outboxCols = `o.id, o.account_id, o.conversation_id, o.kind, o.payload, o.status, o.attempts, o.next_attempt_at,
	COALESCE(o.last_error, ''), COALESCE(o.event_id, 0), o.created_at, o.sent_at, o.failing_since`

func scanOutbox(s interface{ Scan(...any) error }) (*OutboxRow, error) {
	var r OutboxRow
	var payload string
	var next, created int64
	var sent, failing sql.NullInt64
	if err := s.Scan(&r.ID, &r.AccountID, &r.ConversationID, &r.Kind, &payload, &r.Status, &r.Attempts, &next,
		&r.LastError, &r.EventID, &created, &sent, &failing); err != nil {
		return nil, err
	}
	r.Payload = []byte(payload)
	r.NextAttemptAt = time.UnixMilli(next)
	r.CreatedAt = time.UnixMilli(created)
	r.SentAt = fromMS(sent)
	r.FailingSince = fromMS(failing)
	return &r, nil
}

// OutboxHeads returns each conversation's oldest pending row, due or not, soonest first:
// the rows that may be sent next, and when. Rows behind a conversation's head wait for it,
// which keeps each conversation in order. A limit of 0 or less returns them all.
func (db *DB) OutboxHeads(ctx context.Context, limit int) ([]*OutboxRow, error) {
	if limit <= 0 {
		limit = -1 // SQLite's "no limit"
	}
	rows, err := db.db.QueryContext(ctx, `SELECT `+outboxCols+`
		FROM (SELECT MIN(id) AS id FROM outbox INDEXED BY outbox_heads WHERE status = 'pending' GROUP BY account_id, conversation_id) h
		JOIN outbox o ON o.id = h.id
		ORDER BY o.next_attempt_at, o.id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: due outbox: %w", err)
	}
	defer rows.Close()
	var out []*OutboxRow
	for rows.Next() {
		r, err := scanOutbox(rows)
		if err != nil {
			return nil, fmt.Errorf("store: due outbox: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// OutboxHead returns a conversation's oldest pending row, due or not, or ErrNotFound.
func (db *DB) OutboxHead(ctx context.Context, accountID, conversationID int64) (*OutboxRow, error) {
	r, err := scanOutbox(db.db.QueryRowContext(ctx, `SELECT `+outboxCols+` FROM outbox o INDEXED BY outbox_heads
		WHERE o.account_id = ? AND o.conversation_id = ? AND o.status = 'pending' ORDER BY o.id LIMIT 1`, accountID, conversationID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: outbox head: %w", err)
	}
	return r, nil
}

// MarkOutboxSent records a delivered row.
func (db *DB) MarkOutboxSent(ctx context.Context, id int64) error {
	return db.exec(ctx, "mark outbox sent", `UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = ?, last_error = NULL WHERE id = ?`,
		ms(db.now()), id)
}

// SetOutboxPayload rewrites a row's payload, for composite calls that record progress.
func (db *DB) SetOutboxPayload(ctx context.Context, id int64, payload []byte) error {
	return db.exec(ctx, "set outbox payload", `UPDATE outbox SET payload = ? WHERE id = ?`, string(payload), id)
}

// MarkOutboxRetry records a failed attempt and when to try again. The row's first failure
// sets its failing_since, from which its retry budget counts.
func (db *DB) MarkOutboxRetry(ctx context.Context, id int64, next time.Time, errText string) error {
	return db.exec(ctx, "mark outbox retry", `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?,
		failing_since = COALESCE(failing_since, ?) WHERE id = ?`,
		ms(next), errText, ms(db.now()), id)
}

// MarkOutboxDead parks a row that will not be tried again, keeping its last error.
func (db *DB) MarkOutboxDead(ctx context.Context, id int64, errText string) error {
	return db.Update(ctx, func(tx *Tx) error { return tx.MarkOutboxDead(ctx, id, errText) })
}

// MarkOutboxDead parks a row inside a wider transaction.
func (tx *Tx) MarkOutboxDead(ctx context.Context, id int64, errText string) error {
	_, err := tx.tx.unitExec(ctx, `UPDATE outbox SET status = 'dead', attempts = attempts + 1, last_error = ? WHERE id = ?`, errText, id)
	if err != nil {
		return fmt.Errorf("store: mark outbox dead: %w", err)
	}
	return nil
}

// RetryOutbox puts a dead row back in line to be tried at once, with a fresh retry budget.
func (db *DB) RetryOutbox(ctx context.Context, id int64) error {
	out, err := db.db.ExecContext(ctx, `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, failing_since = NULL
		WHERE id = ? AND status = 'dead'`,
		ms(db.now()), id)
	if err != nil {
		return fmt.Errorf("store: retry outbox: %w", err)
	}
	if n, _ := out.RowsAffected(); n == 0 {
		return fmt.Errorf("store: retry outbox %d: %w (no dead row with that id)", id, ErrNotFound)
	}
	return nil
}

// ListOutbox lists rows with the given status (all when empty), newest first.
func (db *DB) ListOutbox(ctx context.Context, status string, limit int) ([]*OutboxRow, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+outboxCols+` FROM outbox o
		WHERE (? = '' OR o.status = ?) ORDER BY o.id DESC LIMIT ?`, status, status, limit)
	if err != nil {
		return nil, fmt.Errorf("store: list outbox: %w", err)
	}
	defer rows.Close()
	var out []*OutboxRow
	for rows.Next() {
		r, err := scanOutbox(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// GetOutbox returns one row.
func (db *DB) GetOutbox(ctx context.Context, id int64) (*OutboxRow, error) {
	r, err := scanOutbox(db.db.QueryRowContext(ctx, `SELECT `+outboxCols+` FROM outbox o WHERE o.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return r, err
}

// OutboxStats summarises the queue for metrics and health.
type OutboxStats struct {
	Pending, Dead int64
	OldestPending time.Time
}

// OutboxStats reads the queue's depth, oldest pending row and dead rows.
func (db *DB) OutboxStats(ctx context.Context) (OutboxStats, error) {
	var s OutboxStats
	var oldest sql.NullInt64
	err := db.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(status = 'pending'), 0), COALESCE(SUM(status = 'dead'), 0),
		MIN(CASE WHEN status = 'pending' THEN created_at END) FROM outbox`).Scan(&s.Pending, &s.Dead, &oldest)
	if err != nil {
		return s, fmt.Errorf("store: outbox stats: %w", err)
	}
	s.OldestPending = fromMS(oldest)
	return s, nil
}

// exec runs one statement as a unit of work, in the writer's next batch.
func (db *DB) exec(ctx context.Context, what, q string, args ...any) error {
	return db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.tx.unitExec(ctx, q, args...); err != nil {
			return fmt.Errorf("store: %s: %w", what, err)
		}
		return nil
	})
}

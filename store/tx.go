package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Tx is one unit of work: the conversation's new state, the outbox rows and jobs it causes
// and the event that caused them are written together or not at all.
type Tx struct {
	tx  unitTx
	now time.Time

	events []*Event
}

// unitTx runs a unit's statements on the batch's shared transaction, deaf to the caller's
// cancellation: go-sqlite3 answers a cancelled context by interrupting the connection, and
// an interrupted write rolls back the whole transaction, every other unit and webhook of
// the batch with it. A unit whose caller gave up runs to its end all the same; the caller
// hears whether it landed (see ingester.do).
type unitTx struct{ tx *sql.Tx }

func (u unitTx) unitExec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return u.tx.ExecContext(context.WithoutCancel(ctx), query, args...)
}

func (u unitTx) unitQueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return u.tx.QueryRowContext(context.WithoutCancel(ctx), query, args...)
}

// Now is the time the transaction started.
func (tx *Tx) Now() time.Time { return tx.now }

// Update runs fn as one unit of work: everything it writes is committed together or not at
// all. Concurrent Updates share one transaction (group commit), each inside its own
// savepoint, so a failing fn rolls back alone and the fsync is paid once per batch rather
// than once per unit. fn must only touch the database: it runs on the writer's goroutine.
func (db *DB) Update(ctx context.Context, fn func(tx *Tx) error) error {
	return db.ingest.update(ctx, fn)
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Conversation returns the stored state document of a conversation, or ErrNotFound.
func (tx *Tx) Conversation(ctx context.Context, accountID, conversationID int64) ([]byte, error) {
	return getConversation(context.WithoutCancel(ctx), tx.tx.tx, accountID, conversationID)
}

// Conversation returns the stored state document of a conversation, or ErrNotFound.
func (db *DB) Conversation(ctx context.Context, accountID, conversationID int64) ([]byte, error) {
	return getConversation(ctx, db.db, accountID, conversationID)
}

func getConversation(ctx context.Context, q queryer, accountID, conversationID int64) ([]byte, error) {
	var state []byte
	err := q.QueryRowContext(ctx, `SELECT state FROM conversations WHERE account_id = ? AND conversation_id = ?`,
		accountID, conversationID).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: get conversation: %w", err)
	}
	return state, nil
}

// PutConversation writes a conversation's state document.
func (tx *Tx) PutConversation(ctx context.Context, accountID, conversationID int64, state []byte) error {
	_, err := tx.tx.unitExec(ctx, `INSERT INTO conversations (account_id, conversation_id, state, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (account_id, conversation_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
		accountID, conversationID, state, ms(tx.now), ms(tx.now))
	if err != nil {
		return fmt.Errorf("store: put conversation: %w", err)
	}
	return nil
}

// AccountOf finds the account of a conversation known by its display id alone, as
// conversation events carry no account. It returns 0 when unknown or ambiguous.
func (db *DB) AccountOf(ctx context.Context, conversationID int64) (int64, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT account_id FROM conversations WHERE conversation_id = ? LIMIT 2`, conversationID)
	if err != nil {
		return 0, fmt.Errorf("store: account of conversation: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return 0, err
		}
		ids = append(ids, id)
	}
	if len(ids) != 1 {
		return 0, rows.Err()
	}
	return ids[0], rows.Err()
}

// FinishEvent marks an event handled with its outcome (and error text, if handling failed
// for good), so it is never handled again.
func (tx *Tx) FinishEvent(ctx context.Context, id int64, outcome, errText string) error {
	_, err := tx.tx.unitExec(ctx, `UPDATE events SET processed_at = ?, outcome = ?, error = ? WHERE id = ?`,
		ms(tx.now), outcome, nullString(errText), id)
	if err != nil {
		return fmt.Errorf("store: finish event: %w", err)
	}
	return nil
}

// FinishEvent marks an event handled outside any other change, for events that failed
// to be handled for good (bad payload) and must not block their conversation.
func (db *DB) FinishEvent(ctx context.Context, id int64, outcome, errText string) error {
	return db.Update(ctx, func(tx *Tx) error { return tx.FinishEvent(ctx, id, outcome, errText) })
}

// WaitingConversation is a conversation whose customer waits for an agent.
type WaitingConversation struct {
	AccountID, ConversationID, InboxID, TeamID int64
}

// WaitingConversations lists the conversations whose state says the customer waits for an
// agent.
func (db *DB) WaitingConversations(ctx context.Context) ([]WaitingConversation, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT account_id, conversation_id, COALESCE(json_extract(state, '$.inbox_id'), 0),
		COALESCE(json_extract(state, '$.handoff_team'), 0)
		FROM conversations WHERE json_extract(state, '$.waiting') = 1`)
	if err != nil {
		return nil, fmt.Errorf("store: waiting conversations: %w", err)
	}
	defer rows.Close()
	var out []WaitingConversation
	for rows.Next() {
		var w WaitingConversation
		if err := rows.Scan(&w.AccountID, &w.ConversationID, &w.InboxID, &w.TeamID); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

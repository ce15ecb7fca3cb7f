package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Event is one webhook delivery kept until it is handled.
type Event struct {
	ID             int64
	Source         string // "chatwoot" or "telco"
	Name           string
	DeliveryID     string // empty when the sender gave none
	DedupeKey      string // empty when the event cannot be recognised twice by its content
	ConversationID int64
	Body           []byte
	ReceivedAt     time.Time
	ProcessedAt    time.Time
	Outcome        string
	Error          string
}

// Ingest durably stores ev and reports whether it is new. A delivery id or dedupe key seen
// before makes it a duplicate: nothing is written and inserted is false.
//
// Concurrent calls are batched into one transaction (group commit), so the cost of the
// fsync that makes an acknowledged webhook survive a power cut is shared.
func (db *DB) Ingest(ctx context.Context, ev *Event) (inserted bool, err error) {
	return db.ingest.submit(ctx, ev)
}

type ingestReq struct {
	ev   *Event
	done chan ingestRes
}

type ingestRes struct {
	inserted bool
	err      error
}

// ingester is the single writer of the events table. One goroutine takes every waiting
// request, writes them in one transaction and answers each after the commit.
type ingester struct {
	db   *DB
	reqs chan ingestReq
	quit chan struct{}
	wg   sync.WaitGroup

	// mu makes close and submit exclusive: once closed, nothing is queued that the
	// writer would never answer.
	mu     sync.RWMutex
	closed bool
}

const maxIngestBatch = 512

func newIngester(db *DB) *ingester {
	in := &ingester{db: db, reqs: make(chan ingestReq, maxIngestBatch), quit: make(chan struct{})}
	in.wg.Add(1)
	go in.run()
	return in
}

func (in *ingester) close() {
	in.mu.Lock()
	if !in.closed {
		in.closed = true
		close(in.quit)
	}
	in.mu.Unlock()
	in.wg.Wait()
}

var errClosed = errors.New("store: closed")

func (in *ingester) submit(ctx context.Context, ev *Event) (bool, error) {
	req := ingestReq{ev: ev, done: make(chan ingestRes, 1)}
	in.mu.RLock()
	if in.closed {
		in.mu.RUnlock()
		return false, errClosed
	}
	select {
	case in.reqs <- req:
	case <-ctx.Done():
		in.mu.RUnlock()
		return false, ctx.Err()
	}
	in.mu.RUnlock()
	select {
	case res := <-req.done:
		return res.inserted, res.err
	case <-ctx.Done():
		// The write may still land; the sender will redeliver and dedupe catches it.
		return false, ctx.Err()
	}
}

func (in *ingester) run() {
	defer in.wg.Done()
	batch := make([]ingestReq, 0, maxIngestBatch)
	for {
		select {
		case <-in.quit:
			// Answer whoever is still waiting: their events were not written.
			for {
				select {
				case r := <-in.reqs:
					r.done <- ingestRes{err: errClosed}
				default:
					return
				}
			}
		case r := <-in.reqs:
			batch = append(batch[:0], r)
		drain:
			for len(batch) < maxIngestBatch {
				select {
				case r := <-in.reqs:
					batch = append(batch, r)
				default:
					break drain
				}
			}
			in.write(batch)
		}
	}
}

func (in *ingester) write(batch []ingestReq) {
	res := make([]ingestRes, len(batch))
	err := in.writeTx(batch, res)
	for i, r := range batch {
		if err != nil {
			r.done <- ingestRes{err: err}
			continue
		}
		r.done <- res[i]
	}
}

func (in *ingester) writeTx(batch []ingestReq, res []ingestRes) error {
	ctx := context.Background()
	tx, err := in.db.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: ingest: %w", err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO events (source, name, delivery_id, dedupe_key, conversation_id, body, received_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
	if err != nil {
		return fmt.Errorf("store: ingest: %w", err)
	}
	defer stmt.Close()
	now := in.db.now()
	for i, r := range batch {
		ev := r.ev
		if ev.ReceivedAt.IsZero() {
			ev.ReceivedAt = now
		}
		out, err := stmt.ExecContext(ctx, ev.Source, ev.Name, nullString(ev.DeliveryID), nullString(ev.DedupeKey),
			ev.ConversationID, ev.Body, ms(ev.ReceivedAt))
		if err != nil {
			return fmt.Errorf("store: ingest: %w", err)
		}
		n, err := out.RowsAffected()
		if err != nil {
			return fmt.Errorf("store: ingest: %w", err)
		}
		if n == 1 {
			if ev.ID, err = out.LastInsertId(); err != nil {
				return fmt.Errorf("store: ingest: %w", err)
			}
			res[i].inserted = true
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: ingest: %w", err)
	}
	return nil
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// PendingConversations lists the conversations with events not yet handled, oldest first.
func (db *DB) PendingConversations(ctx context.Context) ([]int64, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT conversation_id FROM events WHERE processed_at IS NULL
		GROUP BY conversation_id ORDER BY MIN(id)`)
	if err != nil {
		return nil, fmt.Errorf("store: pending conversations: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// NextEvent returns the oldest unhandled event of a conversation, or ErrNotFound.
func (db *DB) NextEvent(ctx context.Context, conversationID int64) (*Event, error) {
	row := db.db.QueryRowContext(ctx, `SELECT id, source, name, COALESCE(delivery_id, ''), COALESCE(dedupe_key, ''),
		conversation_id, body, received_at FROM events
		WHERE conversation_id = ? AND processed_at IS NULL ORDER BY id LIMIT 1`, conversationID)
	var ev Event
	var received int64
	err := row.Scan(&ev.ID, &ev.Source, &ev.Name, &ev.DeliveryID, &ev.DedupeKey, &ev.ConversationID, &ev.Body, &received)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: next event: %w", err)
	}
	ev.ReceivedAt = time.UnixMilli(received)
	return &ev, nil
}

// EventCounts reports how many events are stored and how many wait to be handled.
func (db *DB) EventCounts(ctx context.Context) (total, unprocessed int64, err error) {
	err = db.db.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(processed_at IS NULL), 0) FROM events`).Scan(&total, &unprocessed)
	return total, unprocessed, err
}

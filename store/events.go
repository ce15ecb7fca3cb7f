package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
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

// ingestReq is one unit of work for the writer: an event to store, or an Update's fn.
type ingestReq struct {
	ev   *Event
	fn   func(tx *Tx) error
	done chan ingestRes
}

type ingestRes struct {
	inserted bool
	err      error
}

// ingester is the database's single writer. One goroutine takes every waiting unit of
// work, runs them in one transaction and answers each after the commit.
type ingester struct {
	db *DB
	// conn is the writer's own connection, held for good: readers can never take the last
	// one from it, and its statements stay prepared.
	conn   *sql.Conn
	insert *sql.Stmt
	reqs   chan ingestReq
	quit   chan struct{}
	wg     sync.WaitGroup

	// mu makes close and submit exclusive: once closed, nothing is queued that the
	// writer would never answer.
	mu     sync.RWMutex
	closed bool
}

const maxIngestBatch = 512

func newIngester(ctx context.Context, db *DB) (*ingester, error) {
	in := &ingester{db: db, reqs: make(chan ingestReq, maxIngestBatch), quit: make(chan struct{})}
	var err error
	if in.conn, err = db.db.Conn(ctx); err != nil {
		return nil, err
	}
	// A larger page cache for the writer: it touches every table and index.
	_, err = in.conn.ExecContext(ctx, "PRAGMA cache_size = -8192")
	if err == nil {
		in.insert, err = in.conn.PrepareContext(ctx, insertEvent)
	}
	if err != nil {
		in.conn.Close()
		return nil, err
	}
	in.wg.Add(1)
	go in.run()
	return in, nil
}

func (in *ingester) close() {
	in.mu.Lock()
	if !in.closed {
		in.closed = true
		close(in.quit)
	}
	in.mu.Unlock()
	in.wg.Wait()
	if in.conn != nil {
		in.insert.Close()
		in.conn.Close()
	}
}

var errClosed = errors.New("store: closed")

func (in *ingester) submit(ctx context.Context, ev *Event) (bool, error) {
	res, err := in.do(ctx, ingestReq{ev: ev})
	return res.inserted, err
}

func (in *ingester) update(ctx context.Context, fn func(tx *Tx) error) error {
	_, err := in.do(ctx, ingestReq{fn: fn})
	return err
}

func (in *ingester) do(ctx context.Context, req ingestReq) (ingestRes, error) {
	req.done = make(chan ingestRes, 1)
	in.mu.RLock()
	if in.closed {
		in.mu.RUnlock()
		return ingestRes{}, errClosed
	}
	select {
	case in.reqs <- req:
	case <-ctx.Done():
		in.mu.RUnlock()
		return ingestRes{}, ctx.Err()
	}
	in.mu.RUnlock()
	// Wait for the answer whatever ctx says: the unit may be committing, and the caller
	// must know whether it landed.
	res := <-req.done
	return res, res.err
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
			in.drain(&batch)
			in.company(&batch)
			in.write(batch)
		}
	}
}

// drain adds to batch whatever is waiting, up to maxIngestBatch.
func (in *ingester) drain(batch *[]ingestReq) {
	for len(*batch) < maxIngestBatch {
		select {
		case r := <-in.reqs:
			*batch = append(*batch, r)
		default:
			return
		}
	}
}

// unitCompany is how long a batch of units alone (no webhook to store) waits for a webhook
// to commit with. Each commit costs an fsync and rewrites the pages the batch shares, and
// under a steady load the handling of events and the marks of delivered replies would
// otherwise commit on their own between webhooks (at 1,000 events/s, 0.97 → 0.81 ms of
// the bot's CPU per event in one interleaved comparison), for about a millisecond more
// before each reply. A webhook never waits: it ends the wait, and a batch holding one
// commits at once.
var unitCompany = time.Millisecond // a variable for the tests

// companyWaits, when set (tests, before Open), is called as a batch of units alone starts
// waiting for a webhook: the moment a test may send one, on any machine.
var companyWaits func()

// company holds a batch of units alone for up to unitCompany, until a webhook arrives.
func (in *ingester) company(batch *[]ingestReq) {
	if unitCompany <= 0 || len(*batch) >= maxIngestBatch {
		return
	}
	for _, r := range *batch {
		if r.ev != nil {
			return
		}
	}
	if companyWaits != nil {
		companyWaits()
	}
	t := time.NewTimer(unitCompany)
	defer t.Stop()
	for len(*batch) < maxIngestBatch {
		select {
		case r := <-in.reqs:
			*batch = append(*batch, r)
			if r.ev != nil {
				in.drain(batch)
				return
			}
		case <-t.C:
			return
		case <-in.quit:
			return
		}
	}
}

func (in *ingester) write(batch []ingestReq) {
	res := make([]ingestRes, len(batch))
	start := time.Now()
	stored, err := in.writeTx(batch, res)
	in.db.health.record(err, in.db.now())
	if fn := in.db.onCommit.Load(); fn != nil {
		(*fn)(len(batch), time.Since(start), err)
	}
	// The events go to their handler before anyone hears of the commit, in the order of
	// their ids, from this one goroutine: the handler sees them in the order they landed.
	if fn := in.db.onEvents.Load(); err == nil && len(stored) > 0 && fn != nil {
		(*fn)(stored)
	}
	for i, r := range batch {
		if err != nil {
			r.done <- ingestRes{err: err}
			continue
		}
		r.done <- res[i]
	}
}

// writeTx runs the batch in one transaction and returns the events it stored.
func (in *ingester) writeTx(batch []ingestReq, res []ingestRes) ([]*Event, error) {
	ctx := context.Background()
	stx, err := in.conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: begin: %w", err)
	}
	var stored []*Event
	defer stx.Rollback()
	now := in.db.now()
	var insert *sql.Stmt
	for i, r := range batch {
		if r.ev != nil {
			if insert == nil {
				insert = stx.StmtContext(ctx, in.insert)
				defer insert.Close()
			}
			if res[i].inserted, err = insertEventRow(ctx, insert, r.ev, now); err != nil {
				return nil, err
			}
			if res[i].inserted {
				stored = append(stored, r.ev)
			}
			continue
		}
		// A savepoint per unit: a unit that fails is undone alone and told so.
		if _, err := stx.ExecContext(ctx, "SAVEPOINT unit"); err != nil {
			return nil, fmt.Errorf("store: savepoint: %w", err)
		}
		tx := &Tx{tx: unitTx{stx}, now: now}
		if ferr := runUnit(r.fn, tx); ferr != nil {
			if _, err := stx.ExecContext(ctx, "ROLLBACK TO unit"); err != nil {
				return nil, fmt.Errorf("store: rollback to savepoint: %w", err)
			}
			res[i].err = ferr
		} else {
			stored = append(stored, tx.events...)
		}
		if _, err := stx.ExecContext(ctx, "RELEASE unit"); err != nil {
			return nil, fmt.Errorf("store: release savepoint: %w", err)
		}
	}
	if err := stx.Commit(); err != nil {
		return nil, fmt.Errorf("store: commit: %w", err)
	}
	return stored, nil
}

// runUnit runs one unit of work. A panic in it is that unit's error: it must not take
// the single writer down, and the process with it, with every webhook of the batch
// unanswered (and, at the next start, the same event panicking again).
func runUnit(fn func(*Tx) error, tx *Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v\n%s", ErrUnitPanicked, p, debug.Stack())
		}
	}()
	return fn(tx)
}

// ErrUnitPanicked is the error of an Update whose fn panicked: nothing it wrote was kept.
// Unlike a storage error, trying the same unit again would panic again.
var ErrUnitPanicked = errors.New("store: the unit of work panicked")

const insertEvent = `INSERT INTO events (source, name, delivery_id, dedupe_key, conversation_id, body, received_at)
	VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`

func insertEventRow(ctx context.Context, stmt *sql.Stmt, ev *Event, now time.Time) (bool, error) {
	if ev.ReceivedAt.IsZero() {
		ev.ReceivedAt = now
	}
	out, err := stmt.ExecContext(ctx, ev.Source, ev.Name, nullString(ev.DeliveryID), nullString(ev.DedupeKey),
		ev.ConversationID, ev.Body, ms(ev.ReceivedAt))
	if err != nil {
		return false, fmt.Errorf("store: ingest: %w", err)
	}
	n, err := out.RowsAffected()
	if err != nil || n != 1 {
		return false, err
	}
	if ev.ID, err = out.LastInsertId(); err != nil {
		return false, fmt.Errorf("store: ingest: %w", err)
	}
	return true, nil
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

// NextEvents returns up to limit of the oldest unhandled events of a conversation, in order.
func (db *DB) NextEvents(ctx context.Context, conversationID int64, limit int) ([]*Event, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, source, name, COALESCE(delivery_id, ''), COALESCE(dedupe_key, ''),
		conversation_id, body, received_at FROM events
		WHERE conversation_id = ? AND processed_at IS NULL ORDER BY id LIMIT ?`, conversationID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: next events: %w", err)
	}
	defer rows.Close()
	var out []*Event
	for rows.Next() {
		var ev Event
		var received int64
		if err := rows.Scan(&ev.ID, &ev.Source, &ev.Name, &ev.DeliveryID, &ev.DedupeKey, &ev.ConversationID, &ev.Body, &received); err != nil {
			return nil, fmt.Errorf("store: next events: %w", err)
		}
		ev.ReceivedAt = time.UnixMilli(received)
		out = append(out, &ev)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: next events: %w", err)
	}
	return out, nil
}

// EventCounts reports how many events are stored and how many wait to be handled.
func (db *DB) EventCounts(ctx context.Context) (total, unprocessed int64, err error) {
	err = db.db.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(processed_at IS NULL), 0) FROM events`).Scan(&total, &unprocessed)
	return total, unprocessed, err
}

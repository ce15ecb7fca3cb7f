package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Job states beyond the telco's own (queued, running, succeeded, failed).
const (
	// JobStarting: asked for, not yet claimed by a worker; the customer may still call it
	// off (CancelUnsentJob).
	JobStarting = "starting"
	// JobSending: a worker claimed it to send it to the telco (ClaimJobStart); from then on
	// it may have reached the router, and it can no longer be called off.
	JobSending = "sending"
	// JobCancelled: called off by the customer before it was sent; no worker runs it.
	JobCancelled = "cancelled"
)

// Job is one attempt at a router update.
type Job struct {
	ID             int64
	AccountID      int64
	ConversationID int64
	RouterID       string
	Attempt        int
	Reference      string
	OperationID    string
	State          string
	Step           string
	Detail         string
	Progress       int
	Failures       int
	LastError      string
	NextCheckAt    time.Time
	DeadlineAt     time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
	FinishedAt     time.Time

	// ContactID, Phone and Typed say who asked: the contact, and whether the router id was
	// typed by the customer rather than taken from the contact's attribute.
	ContactID int64
	Phone     string
	Typed     bool
}

// Final reports whether the job has ended.
func (j *Job) Final() bool { return !j.FinishedAt.IsZero() }

// AddJob creates a job to be started at once.
func (tx *Tx) AddJob(ctx context.Context, j *Job) error {
	j.State = JobStarting
	j.Progress = -1
	j.CreatedAt, j.UpdatedAt, j.NextCheckAt = tx.now, tx.now, tx.now
	out, err := tx.tx.unitExec(ctx, `INSERT INTO jobs (account_id, conversation_id, router_id, attempt, reference, state,
		progress, next_check_at, deadline_at, created_at, updated_at, contact_id, phone, typed)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		j.AccountID, j.ConversationID, j.RouterID, j.Attempt, j.Reference, j.State, j.Progress,
		ms(j.NextCheckAt), ms(j.DeadlineAt), ms(tx.now), ms(tx.now), j.ContactID, j.Phone, j.Typed)
	if err != nil {
		return fmt.Errorf("store: add job: %w", err)
	}
	j.ID, _ = out.LastInsertId()
	return nil
}

// SaveJob writes a job's progress back.
func (tx *Tx) SaveJob(ctx context.Context, j *Job) error {
	j.UpdatedAt = tx.now
	_, err := tx.tx.unitExec(ctx, `UPDATE jobs SET operation_id = ?, state = ?, step = ?, detail = ?, progress = ?,
		failures = ?, last_error = ?, next_check_at = ?, deadline_at = ?, updated_at = ?, finished_at = ? WHERE id = ?`,
		nullString(j.OperationID), j.State, j.Step, j.Detail, j.Progress, j.Failures, nullString(j.LastError),
		ms(j.NextCheckAt), ms(j.DeadlineAt), ms(j.UpdatedAt), nullTime(j.FinishedAt), j.ID)
	if err != nil {
		return fmt.Errorf("store: save job: %w", err)
	}
	return nil
}

// CancelUnsentJob calls off the conversation's unfinished job for attempt when no worker
// has claimed it yet (still JobStarting): it ends as JobCancelled and is never sent. The
// claim (ClaimJobStart) and the cancel are single-row updates on the one writer, so exactly
// one of them wins. cancelled is false, with the job, when it was claimed first; the error
// is ErrNotFound when the attempt has no unfinished job (it ended meanwhile).
func (tx *Tx) CancelUnsentJob(ctx context.Context, accountID, conversationID int64, attempt int) (j *Job, cancelled bool, err error) {
	j, err = scanJob(tx.tx.unitQueryRow(ctx, `SELECT `+jobCols+` FROM jobs WHERE account_id = ? AND conversation_id = ?
		AND attempt = ? AND finished_at IS NULL ORDER BY id DESC LIMIT 1`, accountID, conversationID, attempt))
	if err != nil {
		return nil, false, err
	}
	out, err := tx.tx.unitExec(ctx, `UPDATE jobs SET state = ?, detail = ?, finished_at = ?, updated_at = ?
		WHERE id = ? AND state = ? AND finished_at IS NULL`, JobCancelled, "cancelled by the customer before it was sent",
		ms(tx.now), ms(tx.now), j.ID, JobStarting)
	if err != nil {
		return nil, false, fmt.Errorf("store: cancel job: %w", err)
	}
	if n, err := out.RowsAffected(); err != nil || n != 1 {
		return j, false, err
	}
	j.State, j.FinishedAt, j.UpdatedAt = JobCancelled, tx.now, tx.now
	return j, true, nil
}

// ClaimJobStart claims a job for sending it to the telco: JobStarting becomes JobSending,
// after which the customer can no longer call it off. ok is false when the job was
// cancelled or has ended; a job already claimed (a start retried after a failed call, or
// resumed after a restart) is claimed again: its start is safe to repeat.
func (db *DB) ClaimJobStart(ctx context.Context, id int64) (ok bool, err error) {
	err = db.Update(ctx, func(tx *Tx) error {
		out, err := tx.tx.unitExec(ctx, `UPDATE jobs SET state = ?, updated_at = ? WHERE id = ? AND state IN (?, ?)
			AND finished_at IS NULL`, JobSending, ms(tx.now), id, JobStarting, JobSending)
		if err != nil {
			return fmt.Errorf("store: claim job: %w", err)
		}
		n, err := out.RowsAffected()
		ok = n == 1
		return err
	})
	return ok, err
}

// Job reads one job in the transaction.
func (tx *Tx) Job(ctx context.Context, id int64) (*Job, error) {
	return scanJob(tx.tx.unitQueryRow(ctx, `SELECT `+jobCols+` FROM jobs WHERE id = ?`, id))
}

// JobByOperation finds the job following a telco operation (for callbacks).
func (tx *Tx) JobByOperation(ctx context.Context, operationID string) (*Job, error) {
	return scanJob(tx.tx.unitQueryRow(ctx, `SELECT `+jobCols+` FROM jobs WHERE operation_id = ? ORDER BY id DESC LIMIT 1`, operationID))
}

// AddEvent stores an event produced inside the bot (a job's progress) so the
// conversation's lane handles it in order with the customer's messages.
func (tx *Tx) AddEvent(ctx context.Context, ev *Event) error {
	if ev.ReceivedAt.IsZero() {
		ev.ReceivedAt = tx.now
	}
	out, err := tx.tx.unitExec(ctx, `INSERT INTO events (source, name, dedupe_key, conversation_id, body, received_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		ev.Source, ev.Name, nullString(ev.DedupeKey), ev.ConversationID, ev.Body, ms(ev.ReceivedAt))
	if err != nil {
		return fmt.Errorf("store: add event: %w", err)
	}
	// A dedupe key seen before stores nothing, and LastInsertId would name another row.
	if n, err := out.RowsAffected(); err != nil || n != 1 {
		return err
	}
	if ev.ID, err = out.LastInsertId(); err != nil {
		return fmt.Errorf("store: add event: %w", err)
	}
	tx.events = append(tx.events, ev)
	return nil
}

// Job reads one job.
func (db *DB) Job(ctx context.Context, id int64) (*Job, error) {
	return scanJob(db.db.QueryRowContext(ctx, `SELECT `+jobCols+` FROM jobs WHERE id = ?`, id))
}

// DueJobs returns unfinished jobs whose next check is due.
func (db *DB) DueJobs(ctx context.Context, now time.Time, limit int) ([]*Job, error) {
	return db.queryJobs(ctx, `SELECT `+jobCols+` FROM jobs WHERE finished_at IS NULL AND next_check_at <= ?
		ORDER BY next_check_at LIMIT ?`, ms(now), limit)
}

// ResumeJobs makes every unfinished job due now, so that after a restart each running
// update is polled at once (a callback may have been missed while the bot was down).
func (db *DB) ResumeJobs(ctx context.Context) (int64, error) {
	var n int64
	err := db.Update(ctx, func(tx *Tx) error {
		out, err := tx.tx.unitExec(ctx, `UPDATE jobs SET next_check_at = ? WHERE finished_at IS NULL AND next_check_at > ?`,
			ms(tx.now), ms(tx.now))
		if err != nil {
			return fmt.Errorf("store: resume jobs: %w", err)
		}
		n, _ = out.RowsAffected()
		return nil
	})
	return n, err
}

// NextJobAt is when the earliest unfinished job is due, passing over those skip reports
// (jobs with a call under way) when skip is not nil; ok is false with none.
func (db *DB) NextJobAt(ctx context.Context, skip func(id int64) bool) (time.Time, bool, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, next_check_at FROM jobs WHERE finished_at IS NULL ORDER BY next_check_at`)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: next job: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, at int64
		if err := rows.Scan(&id, &at); err != nil {
			return time.Time{}, false, fmt.Errorf("store: next job: %w", err)
		}
		if skip == nil || !skip(id) {
			return time.UnixMilli(at), true, nil
		}
	}
	return time.Time{}, false, rows.Err()
}

// ListJobs lists jobs, newest first; only unfinished ones when active is set.
func (db *DB) ListJobs(ctx context.Context, active bool, limit int) ([]*Job, error) {
	return db.queryJobs(ctx, `SELECT `+jobCols+` FROM jobs WHERE (? = 0 OR finished_at IS NULL) ORDER BY id DESC LIMIT ?`, active, limit)
}

// ConversationJobs lists a conversation's jobs, oldest first.
func (db *DB) ConversationJobs(ctx context.Context, accountID, conversationID int64) ([]*Job, error) {
	return db.queryJobs(ctx, `SELECT `+jobCols+` FROM jobs WHERE account_id = ? AND conversation_id = ? ORDER BY id`, accountID, conversationID)
}

func (db *DB) queryJobs(ctx context.Context, q string, args ...any) ([]*Job, error) {
	rows, err := db.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: jobs: %w", err)
	}
	defer rows.Close()
	var out []*Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

const jobCols = `id, account_id, conversation_id, router_id, attempt, reference, COALESCE(operation_id, ''), state, step, detail,
	progress, failures, COALESCE(last_error, ''), next_check_at, deadline_at, created_at, updated_at, finished_at,
	contact_id, phone, typed`

func scanJob(s interface{ Scan(...any) error }) (*Job, error) {
	var j Job
	var next, deadline, created, updated int64
	var finished sql.NullInt64
	err := s.Scan(&j.ID, &j.AccountID, &j.ConversationID, &j.RouterID, &j.Attempt, &j.Reference, &j.OperationID, &j.State,
		&j.Step, &j.Detail, &j.Progress, &j.Failures, &j.LastError, &next, &deadline, &created, &updated, &finished,
		&j.ContactID, &j.Phone, &j.Typed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: job: %w", err)
	}
	j.NextCheckAt, j.DeadlineAt = time.UnixMilli(next), time.UnixMilli(deadline)
	j.CreatedAt, j.UpdatedAt, j.FinishedAt = time.UnixMilli(created), time.UnixMilli(updated), fromMS(finished)
	return &j, nil
}

func nullTime(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: ms(t), Valid: true}
}

package store

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Readiness: whether the bot can store a webhook now. The single writer notes the outcome of
// every commit; while commits succeed, readiness costs nothing. After WritableFresh without
// one (an idle bot), or after a failed one, Writable makes a small probe write, at most one
// every ProbeEvery and one at a time, and answers from it.
var (
	WritableFresh = 30 * time.Second
	ProbeEvery    = time.Second
)

// writeHealth is what the writer last learned about storing.
type writeHealth struct {
	mu      sync.Mutex
	okAt    time.Time     // the last commit that landed
	err     error         // the last failure, nil once a commit lands after it
	probeAt time.Time     // when the last probe started
	probing chan struct{} // closed when the probe in flight ends; nil when none
}

func (h *writeHealth) record(err error, at time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if err != nil {
		h.err = err
		return
	}
	h.okAt, h.err = at, nil
}

// Writable reports whether the bot can store now: nil when the last commit landed less than
// WritableFresh ago, else what a probe write says (a disk full, an unwritable WAL, a lock
// held past the busy timeout). A probe that outlasts ctx is a failure: a webhook would not
// be stored in time either.
func (db *DB) Writable(ctx context.Context) error {
	h := &db.health
	now := db.now()
	h.mu.Lock()
	if h.err == nil && !h.okAt.IsZero() && now.Sub(h.okAt) < WritableFresh {
		h.mu.Unlock()
		return nil
	}
	if h.probing == nil && (h.probeAt.IsZero() || now.Sub(h.probeAt) >= ProbeEvery) {
		h.probeAt = now
		done := make(chan struct{})
		h.probing = done
		go db.probe(done)
	}
	wait := h.probing
	h.mu.Unlock()
	if wait != nil {
		select {
		case <-wait:
		case <-ctx.Done():
			return fmt.Errorf("store: not writable: a write did not land in time: %w", ctx.Err())
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.err != nil {
		return fmt.Errorf("store: not writable: %w", h.err)
	}
	return nil
}

// probe writes the probe row through the single writer, like any webhook. The commit's
// outcome is noted by the writer; a statement that failed inside a commit that landed
// (nothing to commit then) is noted here.
func (db *DB) probe(done chan struct{}) {
	h := &db.health
	err := db.Update(context.Background(), func(tx *Tx) error {
		_, err := tx.tx.unitExec(context.Background(), `INSERT INTO ready_probe (id, at) VALUES (1, ?)
			ON CONFLICT (id) DO UPDATE SET at = excluded.at`, ms(tx.now))
		return err
	})
	if err != nil {
		h.record(err, db.now())
	}
	h.mu.Lock()
	h.probing = nil
	h.mu.Unlock()
	close(done)
}

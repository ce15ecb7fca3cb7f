package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cwbot/cwbot/store"
)

func addJob(t *testing.T, db *store.DB, conv int64, attempt int) *store.Job {
	t.Helper()
	ctx := context.Background()
	j := &store.Job{AccountID: 1, ConversationID: conv, RouterID: "ZX-9900-AB12", Attempt: attempt,
		Reference: fmt.Sprintf("ref-%d-%d", conv, attempt), DeadlineAt: time.Now().Add(time.Hour)}
	if err := db.Update(ctx, func(tx *store.Tx) error { return tx.AddJob(ctx, j) }); err != nil {
		t.Fatal(err)
	}
	return j
}

func cancelJob(t *testing.T, db *store.DB, conv int64, attempt int) (*store.Job, bool, error) {
	t.Helper()
	ctx := context.Background()
	var j *store.Job
	var cancelled bool
	err := db.Update(ctx, func(tx *store.Tx) error {
		var err error
		j, cancelled, err = tx.CancelUnsentJob(ctx, 1, conv, attempt)
		return err
	})
	return j, cancelled, err
}

// A job no worker has claimed is cancelled for good: it ends, no worker can claim it, it
// is never due again, and a restart (reopening the file, ResumeJobs) does not bring it back.
func TestCancelUnsentJobEndsItForGood(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bot.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	j := addJob(t, db, 7, 1)
	got, cancelled, err := cancelJob(t, db, 7, 1)
	if err != nil || !cancelled || got.ID != j.ID {
		t.Fatalf("cancel=%v, %v (job %+v), want job %d cancelled", cancelled, err, got, j.ID)
	}
	if ok, err := db.ClaimJobStart(ctx, j.ID); err != nil || ok {
		t.Fatalf("claim after cancel=%v, %v; want refused", ok, err)
	}
	db.Close()

	db = MustOpenAt(t, path)
	if n, err := db.ResumeJobs(ctx); err != nil || n != 0 {
		t.Fatalf("resumed %d jobs (%v), want none", n, err)
	}
	due, err := db.DueJobs(ctx, time.Now().Add(2*time.Hour), 10)
	if err != nil || len(due) != 0 {
		t.Fatalf("due=%d (%v), want no due job", len(due), err)
	}
	back, err := db.Job(ctx, j.ID)
	if err != nil || back.State != store.JobCancelled || !back.Final() {
		t.Fatalf("job after restart %+v (%v), want cancelled and final", back, err)
	}
	if _, _, err := cancelJob(t, db, 7, 1); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("second cancel: %v, want ErrNotFound (no unfinished job)", err)
	}
}

// Once a worker claimed a job to send it, a cancel is refused and the job goes on; a
// claimed job can be claimed again (a start retried after a failed call, or a restart).
func TestCancelAfterClaimIsRefused(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	j := addJob(t, db, 7, 1)
	if ok, err := db.ClaimJobStart(ctx, j.ID); err != nil || !ok {
		t.Fatalf("claim=%v, %v; want claimed", ok, err)
	}
	got, cancelled, err := cancelJob(t, db, 7, 1)
	if err != nil || cancelled || got.ID != j.ID {
		t.Fatalf("cancel=%v, %v; want refused for job %d", cancelled, err, j.ID)
	}
	back, _ := db.Job(ctx, j.ID)
	if back.State != store.JobSending || back.Final() {
		t.Fatalf("job %+v, want still sending", back)
	}
	if ok, err := db.ClaimJobStart(ctx, j.ID); err != nil || !ok {
		t.Fatalf("claim again=%v, %v; want claimed", ok, err)
	}
}

// Claims (several workers) and cancels racing on the same jobs: for each job exactly one
// of "claimed" and "cancelled" holds, and the row agrees.
func TestClaimAndCancelNeverBothWin(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	const n = 40
	jobs := make([]*store.Job, n)
	for i := range jobs {
		jobs[i] = addJob(t, db, int64(100+i), 1)
	}
	claimed := make([]bool, n)
	cancelled := make([]bool, n)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i, j := range jobs {
		for w := 0; w < 2; w++ { // two workers claim
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := db.ClaimJobStart(ctx, j.ID)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				claimed[i] = claimed[i] || ok
				mu.Unlock()
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := db.Update(ctx, func(tx *store.Tx) error {
				_, ok, err := tx.CancelUnsentJob(ctx, 1, j.ConversationID, 1)
				mu.Lock()
				cancelled[i] = ok
				mu.Unlock()
				return err
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for i, j := range jobs {
		back, err := db.Job(ctx, j.ID)
		if err != nil {
			t.Fatal(err)
		}
		if claimed[i] == cancelled[i] {
			t.Fatalf("job %d: claimed=%v cancelled=%v, want exactly one", j.ID, claimed[i], cancelled[i])
		}
		if want := map[bool]string{true: store.JobCancelled, false: store.JobSending}[cancelled[i]]; back.State != want {
			t.Fatalf("job %d state %s, want %s", j.ID, back.State, want)
		}
	}
}

func MustOpenAt(tb testing.TB, path string) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

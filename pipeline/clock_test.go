package pipeline

import (
	"context"
	"sync"
	"testing"
	"time"
)

// fakeClock is a Clock that moves only when told to. It knows every goroutine asleep on
// it, so a test can move it only once all the outbox's workers are asleep: what a worker
// does between two sleeps happens at one instant, however slow the machine.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	waits  map[*fakeWait]bool
	asleep int // waits made by Sleep (not Timer)
	// changed is closed, and replaced, whenever a wait is added: a test waiting for the
	// outbox's workers to fall asleep waits on it instead of on time.
	changed chan struct{}
}

type fakeWait struct {
	at    time.Time
	ch    chan time.Time
	sleep bool
}

func newFakeClock(start time.Time) *fakeClock {
	return &fakeClock{now: start, waits: map[*fakeWait]bool{}, changed: make(chan struct{})}
}

// poke wakes the tests waiting in until, to check their condition again.
func (c *fakeClock) poke() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pokeLocked()
}

func (c *fakeClock) pokeLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// until returns once cond holds, checking it again each time a wait is added to the clock
// (the hang guard only catches a test that would wait forever).
func (c *fakeClock) until(t testing.TB, cond func() bool) {
	t.Helper()
	guard := time.NewTimer(hangGuard)
	defer guard.Stop()
	for {
		c.mu.Lock()
		ch := c.changed
		c.mu.Unlock()
		if cond() {
			return
		}
		select {
		case <-ch:
		case <-guard.C:
			t.Fatal("the clock's sleepers never got there")
		}
	}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) add(d time.Duration, sleep bool) *fakeWait {
	c.mu.Lock()
	defer c.mu.Unlock()
	w := &fakeWait{at: c.now.Add(d), ch: make(chan time.Time, 1), sleep: sleep}
	if d <= 0 {
		w.ch <- c.now
		return w
	}
	c.waits[w] = true
	if sleep {
		c.asleep++
	}
	c.pokeLocked()
	return w
}

func (c *fakeClock) remove(w *fakeWait) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.waits[w] {
		delete(c.waits, w)
		if w.sleep {
			c.asleep--
		}
	}
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil || d <= 0 {
		return err
	}
	w := c.add(d, true)
	select {
	case <-w.ch:
		return nil
	case <-ctx.Done():
		c.remove(w)
		return ctx.Err()
	}
}

func (c *fakeClock) Timer(d time.Duration) (<-chan time.Time, func()) {
	w := c.add(d, false)
	return w.ch, func() { c.remove(w) }
}

// Timers is how many timers wait.
func (c *fakeClock) Timers() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waits) - c.asleep
}

// Asleep is how many goroutines are in Sleep.
func (c *fakeClock) Asleep() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.asleep
}

// Next is the soonest time a sleeper or a timer waits for.
func (c *fakeClock) Next() (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var next time.Time
	for w := range c.waits {
		if next.IsZero() || w.at.Before(next) {
			next = w.at
		}
	}
	return next, !next.IsZero()
}

// AdvanceTo moves the clock to t (never back) and wakes, before it returns, every sleeper
// and timer due by then.
func (c *fakeClock) AdvanceTo(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.now) {
		c.now = t
	}
	for w := range c.waits {
		if !w.at.After(c.now) {
			delete(c.waits, w)
			if w.sleep {
				c.asleep--
			}
			w.ch <- c.now
		}
	}
}

// The fake clock wakes a sleeper only once it is moved to the sleeper's time, and counts
// it asleep until then.
func TestFakeClockWakesSleepersInTime(t *testing.T) {
	start := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	c := newFakeClock(start)
	done := make(chan error, 1)
	go func() { done <- c.Sleep(context.Background(), time.Second) }()
	c.until(t, func() bool { return c.Asleep() == 1 })
	c.AdvanceTo(start.Add(999 * time.Millisecond))
	if c.Asleep() != 1 {
		t.Fatal("woken before its time")
	}
	c.AdvanceTo(start.Add(time.Second))
	if c.Asleep() != 0 {
		t.Fatal("still counted asleep once its time came")
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

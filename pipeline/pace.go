package pipeline

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Clock is the time the outbox and its limiter read and wait on. Tests inject a fake one to
// play an outage of minutes, or a minute of throttling, without waiting for it.
type Clock interface {
	Now() time.Time
	// Sleep returns once d has passed, or at once with ctx's error when ctx is done.
	Sleep(ctx context.Context, d time.Duration) error
	// Timer returns a channel that receives once d has passed, and a func that stops it.
	Timer(d time.Duration) (<-chan time.Time, func())
}

// realClock is the wall clock; now, when set, replaces time.Now (the database's clock).
type realClock struct{ now func() time.Time }

func (c realClock) Now() time.Time {
	if c.now != nil {
		return c.now()
	}
	return time.Now()
}

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (realClock) Timer(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTimer(d)
	return t.C, func() { t.Stop() }
}

// DefaultRateLimit is CHATWOOT_RATE_LIMIT's default, in requests a minute: under the
// 3,000 a minute per IP address Chatwoot allows by default (RACK_ATTACK_LIMIT), leaving
// room for the agents and other clients behind the same address.
const DefaultRateLimit = 2700

// Limiter paces every call toward Chatwoot: one shared token bucket of perMinute/60
// requests a second, holding one second's worth. In any minute, fixed as Chatwoot's
// rack-attack counts it, it lets through at most perMinute plus that second: 2,745 for
// the default 2,700, under Chatwoot's 3,000.
type Limiter struct {
	clock Clock
	mu    sync.Mutex
	lim   *rate.Limiter
}

// NewLimiter returns a limiter of perMinute requests a minute; 0 or less lets every call
// go at once. clock nil is the wall clock.
func NewLimiter(perMinute int, clock Clock) *Limiter {
	if clock == nil {
		clock = realClock{}
	}
	l := &Limiter{clock: clock}
	if perMinute > 0 {
		l.lim = rate.NewLimiter(rate.Limit(float64(perMinute)/60), max(1, perMinute/60))
	}
	return l
}

// Wait blocks until the next call may go (its turn is taken: the caller must make the
// call), or ctx is done.
func (l *Limiter) Wait(ctx context.Context) error {
	if l == nil || l.lim == nil {
		return ctx.Err()
	}
	l.mu.Lock()
	now := l.clock.Now()
	r := l.lim.ReserveN(now, 1)
	l.mu.Unlock()
	d := r.DelayFrom(now)
	if d <= 0 {
		return nil
	}
	if err := l.clock.Sleep(ctx, d); err != nil {
		// Give the turn back for the calls behind.
		l.mu.Lock()
		r.CancelAt(l.clock.Now())
		l.mu.Unlock()
		return err
	}
	return nil
}

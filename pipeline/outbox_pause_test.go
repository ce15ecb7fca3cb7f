package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cwbot/cwbot/bot"
	"github.com/cwbot/cwbot/chatwoot"
	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
	"github.com/cwbot/cwbot/store"
)

var clockStart = time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)

// clockedEnv is an outboxEnv on a fake clock: the database, the fake Chatwoot (its rate
// limit's minutes, the time it records each request at), the outbox and the shared
// limiter all read it.
type clockedEnv struct {
	*outboxEnv
	clock *fakeClock

	pmu    sync.Mutex
	pauses []string // what the Paused hook was told, in order
}

// newClockedEnv builds it: the fake Chatwoot throttles at chatwootLimit requests a minute
// (0: never), the outbox's limiter allows botLimit (0: no limit).
func newClockedEnv(t *testing.T, chatwootLimit, botLimit int) *clockedEnv {
	t.Helper()
	clock := newFakeClock(clockStart)
	db := openDB(t)
	db.Now = clock.Now
	fake := chatwoottest.NewServer(t, &chatwoottest.Options{NoEcho: true, Logf: func(string, ...any) {}, Now: clock.Now, RateLimit: chatwootLimit})
	lim := NewLimiter(botLimit, clock)
	client := chatwoot.NewClient(fake.URL, "bot-token", "", chatwoot.WithTimeout(5*time.Second), chatwoot.WithPacer(lim.Wait))
	e := &clockedEnv{outboxEnv: &outboxEnv{t: t, db: db, fake: fake, url: fake.URL}, clock: clock}
	e.o = &Outbox{DB: db, Client: client, Logger: quietLogger(), Parallel: 4, Clock: clock, Delivered: e.delivered,
		Paused:  func(reason string) { e.pmu.Lock(); e.pauses = append(e.pauses, reason); e.pmu.Unlock() },
		stopped: clock.poke}
	return e
}

// settled reports whether the outbox waits for the clock alone: Run for its timer, with no
// wake pending, and every worker asleep on the clock (or none running). Nothing happens
// until the clock moves. It can only become true when a wait is added to the clock or a
// worker stops, both of which poke the clock.
func (e *clockedEnv) settled() bool {
	e.o.mu.Lock()
	workers, idle := e.o.workers, e.o.idle
	e.o.mu.Unlock()
	return idle && e.clock.Timers() == 1 && e.clock.Asleep() == workers
}

// step waits until the outbox has settled, then moves the clock to the soonest time
// anything waits for, but not past limit. It reports whether the clock moved.
func (e *clockedEnv) step(limit time.Time) bool {
	e.clock.until(e.t, e.settled)
	next, ok := e.clock.Next()
	if !ok || next.After(limit) {
		next = limit
	}
	if !next.After(e.clock.Now()) {
		return false
	}
	e.clock.AdvanceTo(next)
	return true
}

// runUntil moves the clock, a settled step at a time, until t.
func (e *clockedEnv) runUntil(t time.Time) {
	for e.step(t) {
	}
}

// drain moves the clock until no row is pending, and returns the time it took (to the
// step that found none pending).
func (e *clockedEnv) drain() time.Duration {
	start := e.clock.Now()
	for {
		st, err := e.db.OutboxStats(context.Background())
		if err != nil {
			e.t.Fatal(err)
		}
		if st.Pending == 0 {
			return e.clock.Now().Sub(start)
		}
		if e.clock.Now().Sub(start) > 24*time.Hour {
			e.t.Fatalf("%d rows still pending after a day of the fake clock", st.Pending)
		}
		e.step(e.clock.Now().Add(time.Hour))
	}
}

// requestsBetween counts the calls the fake Chatwoot answered in [from, to) of the clock.
func (e *clockedEnv) requestsBetween(from, to time.Time) (n int) {
	for _, r := range e.fake.Requests() {
		if !r.At.Before(from) && r.At.Before(to) {
			n++
		}
	}
	return n
}

// checkNoneGivenUp asserts that no row is dead and that no conversation was told to the
// lane as unreachable (which hands it to the agents).
func (e *clockedEnv) checkNoneGivenUp() {
	e.t.Helper()
	e.checkStats(0, 0)
	total, _, err := e.db.EventCounts(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	if total != 0 {
		e.t.Errorf("%d action_failed events: conversations handed to the agents", total)
	}
}

// Chatwoot down for 10 minutes while replies keep coming: nothing is given up, Chatwoot is
// probed every few seconds instead of every row hammering it, and once it answers again
// every reply goes out within 10 s, each conversation's in order, paced by the limiter.
func TestOutboxOutageOfTenMinutesDrainsWithinSecondsOfReturn(t *testing.T) {
	for _, tc := range []struct {
		name string
		down chatwoottest.Down
	}{{"503", chatwoottest.DownUnavailable}, {"no answer", chatwoottest.DownNoAnswer}} {
		t.Run(tc.name, func(t *testing.T) {
			e := newClockedEnv(t, 0, DefaultRateLimit)
			e.fake.SetDown(tc.down)
			e.run()
			e.waitRunning()
			convs := e.conversations(20)
			want := map[int64][]string{}
			add := func(conv int64, text string) {
				want[conv] = append(want[conv], text)
				e.addAndHand(conv, text)
			}
			// Under load: every conversation writes at first, then a few every minute.
			for _, conv := range convs {
				add(conv, fmt.Sprintf("c%d first", conv))
			}
			downUntil := clockStart.Add(10 * time.Minute)
			for minute := 1; minute <= 10; minute++ {
				e.runUntil(clockStart.Add(time.Duration(minute) * time.Minute))
				for i, conv := range convs[(minute%4)*5 : (minute%4)*5+5] {
					add(conv, fmt.Sprintf("c%d minute %d (%d)", conv, minute, i))
				}
			}
			if got := e.clock.Now(); !got.Equal(downUntil) {
				t.Fatalf("clock at %v, want %v", got, downUntil)
			}
			for _, conv := range convs {
				if got := e.sent(conv); len(got) != 0 {
					t.Fatalf("conversation %d got %q while Chatwoot was down", conv, got)
				}
			}
			// Probes, not every row: at most one call every second at first, then one every 5 s.
			if n := e.requestsBetween(clockStart, downUntil); n < 10 || n > 10*60/5+10 {
				t.Errorf("%d calls to a Chatwoot down for 10 minutes, want one probe every 5 s or so (about 120)", n)
			}
			e.fake.SetDown(chatwoottest.Up)
			back := e.clock.Now()
			e.drain()
			e.waitOutboxIdle()
			e.checkSent(want)
			e.checkNoneGivenUp()
			var first, last time.Time
			for _, r := range e.fake.Requests() {
				if r.Status == http.StatusOK && !r.At.Before(back) {
					if first.IsZero() {
						first = r.At
					}
					last = r.At
				}
			}
			t.Logf("%d calls while down; a backlog of %d replies: the first delivered %v after Chatwoot's return, all within %v",
				e.requestsBetween(clockStart, downUntil), e.requestsBetween(back, e.clock.Now().Add(time.Second)), first.Sub(back), last.Sub(back))
			if first.Sub(back) > maxProbeDelay {
				t.Errorf("first reply %v after Chatwoot was back, want within the probe interval (%v)", first.Sub(back), maxProbeDelay)
			}
			if last.Sub(back) > 10*time.Second {
				t.Errorf("last reply %v after Chatwoot was back, want within 10 s", last.Sub(back))
			}
			e.pmu.Lock()
			defer e.pmu.Unlock()
			if !slices.Equal(e.pauses, []string{pauseUnreachable, ""}) {
				t.Errorf("Paused told %q, want one pause (unreachable), then the resume", e.pauses)
			}
		})
	}
}

// A call Chatwoot fails on its own (a 500, while it answers the others) is retried with
// backoff for BOT_OUTBOX_RETRY_FOR from its first failure, far past the 8 attempts that
// used to park it, and only then given up: dead, and told to its conversation's lane.
// The other conversations go on meanwhile.
func TestOutboxGivesUpOnlyAfterRetryFor(t *testing.T) {
	e := newClockedEnv(t, 0, 0)
	e.o.RetryFor = time.Hour
	convs := e.conversations(2)
	stuck, free := convs[0], convs[1]
	e.fake.FailPath(fmt.Sprintf("/conversations/%d/messages", stuck), 1000, http.StatusInternalServerError)
	e.run()
	e.waitRunning()
	e.addAndHand(stuck, "refused for an hour")
	e.runUntil(clockStart.Add(59 * time.Minute))
	e.checkStats(1, 0)
	e.addAndHand(free, "meanwhile")
	e.runUntil(clockStart.Add(59*time.Minute + time.Second))
	e.checkSent(map[int64][]string{free: {"meanwhile"}})
	e.drain()
	dead, err := e.db.ListOutbox(context.Background(), store.OutboxDead, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(dead) != 1 {
		t.Fatalf("%d dead rows, want the refused one", len(dead))
	}
	r := dead[0]
	var lastTry time.Time
	for _, q := range e.fake.Requests() {
		if q.Status == http.StatusInternalServerError {
			lastTry = q.At
		}
	}
	t.Logf("dead after %d attempts, the last %v after the first failure", r.Attempts, lastTry.Sub(r.FailingSince))

	if r.Attempts <= 8 || lastTry.Sub(r.FailingSince) < time.Hour || !strings.Contains(r.LastError, "status=500") {
		t.Errorf("dead row: %d attempts, last %v after its first failure, error %q; want more than 8, given up an hour on, the 500",
			r.Attempts, lastTry.Sub(r.FailingSince), r.LastError)
	}
	if lastTry.Sub(r.FailingSince) > time.Hour+e.o.MaxDelay*6/5 {
		t.Errorf("given up %v after its first failure: retried past its budget of an hour", lastTry.Sub(r.FailingSince))
	}
	if total, _, _ := e.db.EventCounts(context.Background()); total != 1 {
		t.Errorf("%d events, want the one action_failed of the dead row", total)
	}
}

// The limiter lets through one second's worth at once, then perMinute/60 a second: in any
// minute as rack-attack counts them (fixed, from the clock's whole minutes), never more
// than perMinute plus that second, under Chatwoot's 3,000 for the default.
func TestLimiterKeepsUnderChatwootsMinute(t *testing.T) {
	clock := newFakeClock(clockStart.Add(59 * time.Second)) // a full minute starts a second later
	lim := NewLimiter(DefaultRateLimit, clock)
	const calls = 3000
	done := make(chan []time.Time, 1)
	go func() {
		var at []time.Time
		for range calls {
			if err := lim.Wait(context.Background()); err != nil {
				t.Error(err)
				break
			}
			at = append(at, clock.Now())
		}
		done <- at
		clock.poke() // the caller is done: the loop below looks again
	}()
	var at []time.Time
	for at == nil {
		clock.until(t, func() bool { return clock.Asleep() == 1 || len(done) > 0 })
		select {
		case at = <-done:
		default:
			next, _ := clock.Next()
			clock.AdvanceTo(next)
		}
	}
	perMinute := map[int64]int{}
	for _, t := range at {
		perMinute[t.Unix()/60]++
	}
	busiest := 0
	for _, n := range perMinute {
		busiest = max(busiest, n)
	}
	took := at[len(at)-1].Sub(at[0])
	t.Logf("%d calls in %v of the clock; busiest minute %d", calls, took, busiest)
	if busiest > DefaultRateLimit+DefaultRateLimit/60 || busiest >= 3000 {
		t.Errorf("%d calls in one minute, want at most %d (under Chatwoot's 3,000)", busiest, DefaultRateLimit+DefaultRateLimit/60)
	}
	if want := time.Duration(calls-DefaultRateLimit/60) * time.Minute / DefaultRateLimit; took < want-time.Second || took > want+time.Second {
		t.Errorf("%d calls took %v, want about %v: the pace is the limit", calls, took, want)
	}
}

// Replies coming faster than Chatwoot's rate limit lets through (100 webhooks/s for 150 s
// against rack-attack's 3,000 a minute, here at a twentieth of the scale): every call is
// paced by the one limiter, every reply is delivered, each conversation's in order, none
// given up. When Chatwoot's limit is under the limiter's (another client behind the same
// address, a lower RACK_ATTACK_LIMIT), its 429s pause every call until it takes them again,
// and count toward no row's attempts nor budget.
func TestOutboxPacedUnderChatwootsRateLimit(t *testing.T) {
	for _, tc := range []struct {
		name                      string
		chatwootLimit, botLimit   int
		perSecond, seconds, nconv int
		throttled                 bool
	}{
		{"the limiter under Chatwoot's limit", 3000 / 20, DefaultRateLimit / 20, 100 / 20, 150, 50, false},
		{"Chatwoot's limit under the limiter", 1200 / 20, DefaultRateLimit / 20, 100 / 20, 60, 20, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newClockedEnv(t, tc.chatwootLimit, tc.botLimit)
			e.run()
			e.waitRunning()
			convs := e.conversations(tc.nconv)
			start := e.clock.Now()
			want := map[int64][]string{}
			n := 0
			for s := range tc.seconds {
				e.runUntil(start.Add(time.Duration(s) * time.Second))
				for range tc.perSecond {
					conv := convs[n%len(convs)]
					text := fmt.Sprintf("c%d-%03d", conv, len(want[conv]))
					want[conv] = append(want[conv], text)
					e.addAndHand(conv, text)
					n++
				}
			}
			e.drain()
			e.waitOutboxIdle()
			e.checkSent(want)
			e.checkNoneGivenUp()
			perMinute := map[int64]int{}
			var last time.Time
			for _, r := range e.fake.Requests() {
				perMinute[r.At.Unix()/60]++
				last = r.At
			}
			busiest := 0
			for _, c := range perMinute {
				busiest = max(busiest, c)
			}
			t.Logf("%d replies over %ds: all delivered %v after the first; %d calls answered 429; busiest minute %d calls (Chatwoot allows %d)",
				n, tc.seconds, last.Sub(start).Round(time.Second), e.fake.Throttled(), busiest, tc.chatwootLimit)
			sent, err := e.db.ListOutbox(context.Background(), store.OutboxSent, n+1)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range sent {
				if r.Attempts != 1 || !r.FailingSince.IsZero() {
					t.Fatalf("row %d sent after %d attempts, failing since %v: a 429 counted against it", r.ID, r.Attempts, r.FailingSince)
				}
			}
			e.pmu.Lock()
			pauses := slices.Clone(e.pauses)
			e.pmu.Unlock()
			if !tc.throttled {
				if e.fake.Throttled() != 0 || len(pauses) != 0 {
					t.Errorf("%d calls answered 429, pauses %q: the limiter let through more than Chatwoot allows", e.fake.Throttled(), pauses)
				}
				return
			}
			if e.fake.Throttled() == 0 || len(pauses) < 2 || pauses[0] != pauseRateLimited || pauses[len(pauses)-1] != "" {
				t.Errorf("%d calls answered 429, pauses %q: want 429s, each pausing every call (rate_limited) until Chatwoot took them again", e.fake.Throttled(), pauses)
			}
			// Paused, not hammering: each 429 after the first few is a probe.
			if e.fake.Throttled() > 20*len(perMinute) {
				t.Errorf("%d calls answered 429 in %d minutes: the calls went on while Chatwoot refused them", e.fake.Throttled(), len(perMinute))
			}
		})
	}
}

// A handoff throttled (429) after its note was posted resumes after the pause from the step
// it reached: the note is not posted twice, and the 429 counts toward no attempt.
func TestOutboxThrottledHandoffResumesWhereItStopped(t *testing.T) {
	e := newClockedEnv(t, 0, 0)
	conv := e.conversations(1)[0]
	e.fake.FailPath(fmt.Sprintf("/conversations/%d/toggle_status", conv), 1, http.StatusTooManyRequests)
	e.run()
	e.waitRunning()
	plan := bot.Action{Kind: bot.Handoff, Handoff: &bot.HandoffPlan{Note: "customer wants an agent",
		Message: &bot.Action{Kind: bot.SendMessage, Text: "an agent will answer"}, Reason: bot.ReasonIntent}}
	payload, _ := json.Marshal(plan)
	row := &store.OutboxRow{AccountID: testAccount, ConversationID: conv, Kind: string(bot.Handoff), Payload: payload}
	ctx := context.Background()
	if err := e.db.Update(ctx, func(tx *store.Tx) error { return tx.AddOutbox(ctx, row) }); err != nil {
		t.Fatal(err)
	}
	e.o.Added([]*store.OutboxRow{row})
	e.drain()
	e.waitOutboxIdle()
	e.checkNoneGivenUp()
	var texts []string
	for _, m := range e.fake.Messages(conv) {
		texts = append(texts, m.Content)
	}
	if !slices.Equal(texts, []string{"customer wants an agent", "an agent will answer"}) || e.fake.Conversation(conv).Status != chatwoot.StatusOpen {
		t.Errorf("messages %q, status %s: want the note once, the message, the conversation open", texts, e.fake.Conversation(conv).Status)
	}
	got, err := e.db.GetOutbox(ctx, row.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Attempts != 1 || !got.FailingSince.IsZero() {
		t.Errorf("handoff sent after %d attempts, failing since %v: the 429 counted", got.Attempts, got.FailingSince)
	}
	e.pmu.Lock()
	defer e.pmu.Unlock()
	if !slices.Equal(e.pauses, []string{pauseRateLimited, ""}) {
		t.Errorf("Paused told %q, want rate_limited then the resume", e.pauses)
	}
}

package pipeline

import (
	"context"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cwbot/cwbot/bot"
	"github.com/cwbot/cwbot/chatwoot"
	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
	"github.com/cwbot/cwbot/intents"
	"github.com/cwbot/cwbot/server"
	"github.com/cwbot/cwbot/store"
)

// fakeClock is a Clock that moves only when told: a window passes when the test says so,
// never because the machine is slow.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	at   time.Time
	f    func()
	done bool // fired or stopped
}

func newFakeClock() *fakeClock {
	// An hour back: whatever compares the database's times with the real clock finds
	// them due.
	return &fakeClock{now: time.Now().Add(-time.Hour).Truncate(time.Millisecond)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) func() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		was := !t.done
		t.done = true
		return was
	}
}

// Advance moves the clock and runs the timers that came due, on the caller's goroutine.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	var due []func()
	for _, t := range c.timers {
		if !t.done && !t.at.After(c.now) {
			t.done = true
			due = append(due, t.f)
		}
	}
	c.timers = slices.DeleteFunc(c.timers, func(t *fakeTimer) bool { return t.done })
	c.mu.Unlock()
	for _, f := range due {
		f()
	}
}

// pending is how many timers wait: a parked lane holds one.
func (c *fakeClock) pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, t := range c.timers {
		if !t.done {
			n++
		}
	}
	return n
}

// recordingNLU is the built-in classifier, noting every text it is asked about.
type recordingNLU struct {
	clf  *intents.Classifier
	mu   sync.Mutex
	seen []string
}

func (r *recordingNLU) Classify(ctx context.Context, text string) (intents.Result, error) {
	r.mu.Lock()
	r.seen = append(r.seen, text)
	r.mu.Unlock()
	return r.clf.Classify(ctx, text)
}

func (r *recordingNLU) texts() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.seen)
}

// turnEnv is the whole path of a customer's message: the fake Chatwoot posts webhooks
// over loopback HTTP to the real intake, which stores them; the processor hands them to
// a real bot; the outbox posts the replies back to the fake. The turn window runs on a
// fake clock, which also stamps the events.
type turnEnv struct {
	t     *testing.T
	db    *store.DB
	clock *fakeClock
	fake  *chatwoottest.Server
	nlu   *recordingNLU
	bot   *bot.Bot
	h     *handledLog
	p     *Processor
	o     *Outbox
	stop  func()
}

const testTurnWindow = 2 * time.Second

// turnClassifier is the built-in classifier, trained once for the tests.
var turnClassifier = sync.OnceValues(intents.DefaultClassifier)

func newTurnEnv(t *testing.T, window time.Duration) *turnEnv {
	t.Helper()
	clf, err := turnClassifier()
	if err != nil {
		t.Fatal(err)
	}
	db := openDB(t)
	clock := newFakeClock()
	db.Now = clock.Now
	const secret = "turn-secret"
	fake := chatwoottest.NewServer(t, &chatwoottest.Options{WebhookSecret: secret, NoEcho: true, Logf: func(string, ...any) {}})
	intake := httptest.NewServer(server.New(server.Config{WebhookSecret: secret}, db, quietLogger()).Echo())
	t.Cleanup(intake.Close)
	fake.SetWebhookURL(intake.URL + "/webhooks/chatwoot")
	e := &turnEnv{t: t, db: db, clock: clock, fake: fake, nlu: &recordingNLU{clf: clf}}
	e.bot = &bot.Bot{NLU: e.nlu, Logger: quietLogger(), RouterAttribute: "router_id", MaxAttempts: 3}
	e.o = &Outbox{DB: db, Client: chatwoot.NewClient(fake.URL, "bot-token", "", chatwoot.WithTimeout(5*time.Second)),
		Logger: quietLogger(), MaxAttempts: 1000, BaseDelay: 20 * time.Millisecond, MaxDelay: 100 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); e.o.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	e.start(window)
	return e
}

// start runs a new processor on the environment's database (again, after stop: a restart).
func (e *turnEnv) start(window time.Duration) {
	e.t.Helper()
	e.h = newHandledLog()
	e.p = &Processor{DB: e.db, Bot: e.bot, Logger: quietLogger(), DefaultAccountID: 1, Lanes: 4, Handled: e.h.record,
		OutboxAdded: e.o.Added, TurnWindow: window, Clock: e.clock}
	e.stop = startProcessor(e.t, e.p)
}

func (e *turnEnv) conversation() int64 {
	return e.fake.NewConversation(chatwoottest.ConversationSpec{ContactName: "Lucía",
		ContactAttributes: map[string]any{"router_id": "ZX-9900-AB12"}})
}

// say is the customer sending text; the webhook is stored (and its lane told) when it
// returns.
func (e *turnEnv) say(conv int64, text string) int64 {
	e.t.Helper()
	d, err := e.fake.CustomerSays(context.Background(), conv, text)
	if err != nil || !d.OK() {
		e.t.Fatalf("customer message %q: %v, HTTP %d", text, err, d.Status)
	}
	return e.lastEventID(conv)
}

func (e *turnEnv) lastEventID(conv int64) int64 {
	e.t.Helper()
	var id int64
	if err := e.db.SQL().QueryRow(`SELECT MAX(id) FROM events WHERE conversation_id = ?`, conv).Scan(&id); err != nil {
		e.t.Fatal(err)
	}
	return id
}

// held waits until the conversation's lane holds its turn: parked, with its timer.
func (e *turnEnv) held() {
	e.t.Helper()
	waitUntil(e.t, 20*time.Second, "the lane to hold the turn", func() bool { return e.clock.pending() == 1 })
}

// handled waits until every event of the conversation is handled and its replies sent.
func (e *turnEnv) handled(conv int64) {
	e.t.Helper()
	waitUntil(e.t, 20*time.Second, "the conversation's events handled and replies sent", func() bool {
		var unhandled int
		if err := e.db.SQL().QueryRow(`SELECT COUNT(*) FROM events WHERE conversation_id = ? AND processed_at IS NULL`, conv).Scan(&unhandled); err != nil {
			e.t.Fatal(err)
		}
		st, err := e.db.OutboxStats(context.Background())
		return unhandled == 0 && err == nil && st.Pending == 0
	})
}

// checkHandledOnce checks that the processor reported each event handled once, in order.
func (e *turnEnv) checkHandledOnce(ids ...int64) {
	e.t.Helper()
	waitUntil(e.t, 20*time.Second, "the processor to report the events", func() bool {
		return !slices.ContainsFunc(ids, func(id int64) bool { return !e.h.has(id) })
	})
	conv := e.convOf(ids[0])
	e.h.mu.Lock()
	defer e.h.mu.Unlock()
	for _, id := range ids {
		if e.h.times[id] != 1 || e.h.outcomes[id] != OutcomeHandled {
			e.t.Errorf("event %d: handled %d times, outcome %q", id, e.h.times[id], e.h.outcomes[id])
		}
	}
	var order []int64
	for _, id := range e.h.byConv[conv] {
		if slices.Contains(ids, id) {
			order = append(order, id)
		}
	}
	if !slices.Equal(order, ids) {
		e.t.Errorf("handled in the order %v, want %v", order, ids)
	}
}

func (e *turnEnv) convOf(event int64) int64 {
	e.t.Helper()
	var conv int64
	if err := e.db.SQL().QueryRow(`SELECT conversation_id FROM events WHERE id = ?`, event).Scan(&conv); err != nil {
		e.t.Fatal(err)
	}
	return conv
}

func (e *turnEnv) unhandled(conv int64) int {
	e.t.Helper()
	var n int
	if err := e.db.SQL().QueryRow(`SELECT COUNT(*) FROM events WHERE conversation_id = ? AND processed_at IS NULL`, conv).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// repliesByEvent counts the outbox rows of the conversation by the event that caused them.
func (e *turnEnv) repliesByEvent(conv int64) map[int64]int {
	e.t.Helper()
	rows, err := e.db.ListOutbox(context.Background(), "", 1000)
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[int64]int{}
	for _, r := range rows {
		if r.ConversationID == conv {
			out[r.EventID]++
		}
	}
	return out
}

// botSaid is what the bot posted in the conversation, in order.
func (e *turnEnv) botSaid(conv int64) []string {
	var out []string
	for _, m := range e.fake.Messages(conv) {
		if m.SenderType == chatwoot.SenderAgentBot && !m.Private {
			out = append(out, m.Content)
		}
	}
	return out
}

// Three messages within the window are one turn: the bot is handed their joined text
// once, answers once (every reply comes from the turn, recorded against its last
// message), and the reply budget counts one message.
func TestTurnWindowJoinsFragments(t *testing.T) {
	e := newTurnEnv(t, testTurnWindow)
	conv := e.conversation()
	var ids []int64
	for i, text := range []string{"hola", "mi router", "no anda"} {
		if i > 0 {
			e.clock.Advance(time.Second) // under the window since the last one
		}
		ids = append(ids, e.say(conv, text))
		e.held()
		if len(e.nlu.texts()) != 0 || e.unhandled(conv) != i+1 {
			t.Fatalf("after fragment %d: the bot read %q, %d events unhandled; want nothing read while the turn is held",
				i+1, e.nlu.texts(), e.unhandled(conv))
		}
	}
	e.clock.Advance(testTurnWindow)
	e.handled(conv)
	if got, want := e.nlu.texts(), "hola\nmi router\nno anda"; !slices.Contains(got, want) || slices.ContainsFunc(got, func(s string) bool { return s != want }) {
		t.Fatalf("the classifier read %q; want only the whole turn %q", got, want)
	}
	replies := e.repliesByEvent(conv)
	if len(replies) != 1 || replies[ids[2]] == 0 {
		t.Fatalf("replies by event %v; want all from the turn's last event %d", replies, ids[2])
	}
	if len(e.botSaid(conv)) == 0 {
		t.Fatal("the bot posted nothing")
	}
	e.checkHandledOnce(ids...)
	if c := stateOf(t, e.db, 1, conv); c.Flood.Count != 1 {
		t.Errorf("the reply budget counted %d messages for one turn", c.Flood.Count)
	}
}

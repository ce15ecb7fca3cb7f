package pipeline

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"slices"
	"strings"
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

// fakeTurnClock is a TurnClock that moves only when told: a window passes when the test says so,
// never because the machine is slow.
type fakeTurnClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	at   time.Time
	f    func()
	done bool // fired or stopped
}

func newFakeTurnClock() *fakeTurnClock {
	// An hour back: whatever compares the database's times with the real clock finds
	// them due.
	return &fakeTurnClock{now: time.Now().Add(-time.Hour).Truncate(time.Millisecond)}
}

func (c *fakeTurnClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeTurnClock) AfterFunc(d time.Duration, f func()) func() bool {
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
func (c *fakeTurnClock) Advance(d time.Duration) {
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
func (c *fakeTurnClock) pending() int {
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
	clock *fakeTurnClock
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
	clock := newFakeTurnClock()
	db.Now = clock.Now
	const secret = "turn-secret"
	fake := chatwoottest.NewServer(t, &chatwoottest.Options{WebhookSecret: secret, NoEcho: true, Logf: func(string, ...any) {}})
	intake := httptest.NewServer(server.New(server.Config{WebhookSecret: secret}, db, quietLogger()).Echo())
	t.Cleanup(intake.Close)
	fake.SetWebhookURL(intake.URL + "/webhooks/chatwoot")
	e := &turnEnv{t: t, db: db, clock: clock, fake: fake, nlu: &recordingNLU{clf: clf}}
	e.bot = &bot.Bot{NLU: e.nlu, Logger: quietLogger(), RouterAttribute: "router_id", MaxAttempts: 3}
	e.o = &Outbox{DB: db, Client: chatwoot.NewClient(fake.URL, "bot-token", "", chatwoot.WithTimeout(5*time.Second)),
		Logger: quietLogger(), BaseDelay: 20 * time.Millisecond, MaxDelay: 100 * time.Millisecond}
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

// Messages further apart than the window are turns of their own: each is read alone and
// answered.
func TestTurnWindowAnswersSlowMessagesApart(t *testing.T) {
	e := newTurnEnv(t, testTurnWindow)
	conv := e.conversation()
	texts := []string{"hola", "mi router", "no anda"}
	var ids []int64
	for _, text := range texts {
		ids = append(ids, e.say(conv, text))
		e.held()
		e.clock.Advance(testTurnWindow) // quiet for the window: the turn ends
		e.handled(conv)
	}
	if got := e.nlu.texts(); !slices.Equal(got, texts) {
		t.Fatalf("the classifier read %q; want each message alone %q", got, texts)
	}
	replies := e.repliesByEvent(conv)
	for _, id := range ids {
		if replies[id] == 0 {
			t.Errorf("event %d was not answered (replies by event %v)", id, replies)
		}
	}
	e.checkHandledOnce(ids...)
}

// With the window at 0 every message is read and answered as it comes, with no timer.
func TestTurnWindowZeroAnswersEachMessage(t *testing.T) {
	e := newTurnEnv(t, 0)
	conv := e.conversation()
	texts := []string{"hola", "mi router", "no anda"}
	var ids []int64
	for _, text := range texts {
		ids = append(ids, e.say(conv, text))
	}
	e.handled(conv)
	if got := e.nlu.texts(); !slices.Equal(got, texts) {
		t.Fatalf("the classifier read %q; want each message alone %q", got, texts)
	}
	replies := e.repliesByEvent(conv)
	for _, id := range ids {
		if replies[id] == 0 {
			t.Errorf("event %d was not answered (replies by event %v)", id, replies)
		}
	}
	if n := e.clock.pending(); n != 0 {
		t.Errorf("%d timers armed with the window off", n)
	}
	e.checkHandledOnce(ids...)
}

// A router update's progress arriving while a turn is held ends the window at once: the
// turn is handled first, then the progress, with no wait for the window.
func TestTurnWindowJobProgressKeepsOrder(t *testing.T) {
	e := newTurnEnv(t, testTurnWindow)
	conv := e.conversation()
	a := e.say(conv, "hola")
	e.held()
	b := e.say(conv, "mi router no anda")
	e.held()
	body, err := json.Marshal(bot.JobUpdate{JobID: 1, AccountID: 1, Attempt: 1, RouterID: "ZX-9900-AB12", State: bot.JobRunning, Step: "downloading"})
	if err != nil {
		t.Fatal(err)
	}
	addEvent(t, e.db, SourceTelco, "job_running", conv, body)
	progress := e.lastEventID(conv)
	e.handled(conv) // the clock never moved
	e.checkHandledOnce(a, b, progress)
	if got, want := e.nlu.texts(), "hola\nmi router no anda"; !slices.Equal(got, []string{want}) {
		t.Fatalf("the classifier read %q; want the held turn %q once", got, want)
	}
}

// A restart while a turn is held loses nothing: the events stay unhandled in the
// database, and the next run answers the turn once.
func TestTurnWindowRestartWhileHolding(t *testing.T) {
	e := newTurnEnv(t, testTurnWindow)
	conv := e.conversation()
	var ids []int64
	for _, text := range []string{"hola", "mi router", "no anda"} {
		ids = append(ids, e.say(conv, text))
		e.held()
	}
	e.stop()
	if n := e.unhandled(conv); n != 3 {
		t.Fatalf("%d events unhandled after stopping while holding; want 3", n)
	}
	if got := e.nlu.texts(); len(got) != 0 {
		t.Fatalf("the bot read %q before the restart", got)
	}
	e.clock.Advance(time.Second)
	e.start(testTurnWindow)
	e.held() // read back from the database and held for the rest of the window
	e.clock.Advance(testTurnWindow)
	e.handled(conv)
	if got, want := e.nlu.texts(), "hola\nmi router\nno anda"; !slices.Equal(got, []string{want}) {
		t.Fatalf("the classifier read %q; want the held turn %q once", got, want)
	}
	if replies := e.repliesByEvent(conv); len(replies) != 1 || replies[ids[2]] == 0 {
		t.Fatalf("replies by event %v; want all from the turn's last event %d", replies, ids[2])
	}
	e.checkHandledOnce(ids...)
}

// The whole turn is what the bot reads: its language and its classification. A turn
// opening with an English "hello" and going on in Spanish is answered exactly as the one
// message of its joined text is, not as "hello" alone.
func TestTurnWindowReadsTheWholeTurn(t *testing.T) {
	e := newTurnEnv(t, testTurnWindow)
	fragments := []string{"hello", "quiero actualizar el router", "porfa"}
	whole := strings.Join(fragments, "\n")

	answer := func(texts ...string) (conv int64, said []string) {
		conv = e.conversation()
		for _, text := range texts {
			e.say(conv, text)
			e.held()
		}
		e.clock.Advance(testTurnWindow)
		e.handled(conv)
		return conv, e.botSaid(conv)
	}
	turn, gotTurn := answer(fragments...)
	_, gotWhole := answer(whole)
	_, gotFirst := answer(fragments[0])
	if slices.Equal(gotWhole, gotFirst) {
		t.Fatalf("premise: the bot answers %q as it answers %q: %q", whole, fragments[0], gotWhole)
	}
	if !slices.Equal(gotTurn, gotWhole) {
		t.Fatalf("the turn %q was answered\n%q\nthe one message of its text is answered\n%q", fragments, gotTurn, gotWhole)
	}
	if c := stateOf(t, e.db, 1, turn); c.Language != "es" {
		t.Errorf("the turn's language: %q, want es (the whole turn's, not its first message's)", c.Language)
	}
	if got := e.nlu.texts(); slices.Contains(got, "quiero actualizar el router") || slices.Contains(got, "porfa") {
		t.Errorf("the classifier read a fragment alone: %q", got)
	}
}

// A button tap is a whole answer: it skips the window and is answered at once, after
// the turn held before it.
func TestTurnWindowTapSkipsTheWindow(t *testing.T) {
	e := newTurnEnv(t, testTurnWindow)
	conv := e.conversation()
	first := e.say(conv, "hola")
	e.held()
	e.clock.Advance(testTurnWindow)
	e.handled(conv)
	var menu chatwoottest.Message
	for _, m := range e.fake.Messages(conv) {
		if m.SenderType == chatwoot.SenderAgentBot && len(m.Items) > 0 {
			menu = m
		}
	}
	if len(menu.Items) == 0 {
		t.Fatalf("premise: the bot shows no menu after hola: %q", e.botSaid(conv))
	}
	typed := e.say(conv, "ok")
	e.held()
	d, err := e.fake.CustomerTaps(context.Background(), conv, menu.Items[0].Title, menu.ID)
	if err != nil || !d.OK() {
		t.Fatalf("tap: %v, HTTP %d", err, d.Status)
	}
	tap := e.lastEventID(conv)
	e.handled(conv) // the clock never moved
	e.checkHandledOnce(first, typed, tap)
	got := e.nlu.texts()
	if slices.ContainsFunc(got, func(s string) bool { return strings.Contains(s, "\n") }) {
		t.Errorf("the classifier read a joined text %q: the tap was merged into the turn before it", got)
	}
	if replies := e.repliesByEvent(conv); replies[tap] == 0 {
		t.Errorf("the tap was not answered (replies by event %v)", replies)
	}
}

// A customer who never pauses is still answered: the hold ends turnHoldWindows windows
// after the turn's first message, though the last came less than a window ago.
func TestTurnWindowCapsTheHold(t *testing.T) {
	e := newTurnEnv(t, testTurnWindow)
	conv := e.conversation()
	step := testTurnWindow * 3 / 4
	texts := []string{"hola", "mi router", "no anda", "desde ayer"}
	var ids []int64
	for i, text := range texts {
		if i > 0 {
			e.clock.Advance(step) // under the window since the last: the turn goes on
		}
		ids = append(ids, e.say(conv, text))
		e.held()
	}
	// 3 windows since the first message, 3/4 of one since the last.
	e.clock.Advance(turnHoldWindows*testTurnWindow - time.Duration(len(texts)-1)*step)
	e.handled(conv)
	if got, want := e.nlu.texts(), strings.Join(texts, "\n"); !slices.Equal(got, []string{want}) {
		t.Fatalf("the classifier read %q; want the capped turn %q once", got, want)
	}
	e.checkHandledOnce(ids...)
	// The next message starts a turn of its own.
	e.say(conv, "ayuda")
	e.held()
}

// A merged turn is the last message with the texts joined: its snapshot, contact and
// message id (a payload without a snapshot or contact takes the latest earlier one's).
func TestMergeTurnKeepsTheLastMessage(t *testing.T) {
	s1, s3 := &bot.Snapshot{Status: "open"}, &bot.Snapshot{Status: "pending"}
	c1, c2 := &bot.Contact{Name: "first"}, &bot.Contact{Name: "second"}
	turn := []decoded{
		{ev: &bot.Event{Kind: bot.CustomerMessage, Text: "hola", MessageID: 1, Snapshot: s1, Contact: c1}, account: 1},
		{ev: &bot.Event{Kind: bot.CustomerMessage, Text: "mi router", MessageID: 2, Contact: c2}, account: 1},
		{ev: &bot.Event{Kind: bot.CustomerMessage, Text: "no anda", MessageID: 3, Snapshot: s3}},
	}
	got := mergeTurn(turn)
	if got.ev.Text != "hola\nmi router\nno anda" || got.ev.MessageID != 3 || got.ev.Snapshot != s3 || got.ev.Contact != c2 || got.account != 1 {
		t.Fatalf("merged: text %q, message %d, snapshot %+v, contact %+v, account %d", got.ev.Text, got.ev.MessageID, got.ev.Snapshot, got.ev.Contact, got.account)
	}
	if turn[2].ev.Text != "no anda" {
		t.Fatal("merging changed the last message")
	}
}

func TestIsTap(t *testing.T) {
	c := &bot.Conversation{Menu: &bot.Menu{Items: []bot.Item{{Title: "Update my router", Value: "update_router"}, {Title: "Talk to an agent", Value: "agent"}}}}
	for text, want := range map[string]bool{"Update my router": true, " talk to an AGENT ": true, "2": true, "3": false,
		"update my router please": false, "update_router": false} {
		if got := isTap(c, text); got != want {
			t.Errorf("isTap(%q) = %v, want %v", text, got, want)
		}
	}
	if isTap(&bot.Conversation{}, "1") {
		t.Error("a tap with no menu open")
	}
}

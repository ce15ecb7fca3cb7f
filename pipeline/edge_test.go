package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cwbot/cwbot/bot"
	"github.com/cwbot/cwbot/chatwoot"
	"github.com/cwbot/cwbot/intents"
	"github.com/cwbot/cwbot/process"
	"github.com/cwbot/cwbot/store"
)

// A telco that answers 503 with a long Retry-After (maintenance) must not keep a router
// update past its deadline: the job ends at TELCO_JOB_TIMEOUT ("Nothing hangs"), and the
// customer hears that the telco is not answering. failedCall schedules the next check at
// the Retry-After with no regard for the deadline, and the deadline is only looked at
// when a job is checked.
func TestJobRetryAfterDoesNotOutliveDeadline(t *testing.T) {
	db := openDB(t)
	telco := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		http.Error(w, `{"error":"maintenance"}`, http.StatusServiceUnavailable)
	}))
	t.Cleanup(telco.Close)
	w := &Jobs{DB: db, Runner: process.NewHTTPRunner(telco.URL, "", "", nil), Logger: quietLogger(),
		PollInterval: 100 * time.Millisecond}
	ctx := context.Background()
	j := runJob(t, w, "R1", 500*time.Millisecond)

	// The hang guard (a minute) is far below the Retry-After (an hour): a job that waits
	// for the telco fails the test however slow the machine.
	deadline := time.Now().Add(hangGuard)
	for {
		got, err := db.Job(ctx, j.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Final() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("job still %q a minute after its 500ms deadline (failures=%d, next check in %v): the customer waits for the telco's Retry-After",
				got.State, got.Failures, time.Until(got.NextCheckAt).Round(time.Second))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// When recording a failed attempt fails (a storage error), the row keeps its old, due
// next_attempt_at and its attempt count: the conversation is parked for a retry, the scan
// is woken at once, finds the head due and sends it again at once. Chatwoot is hammered
// as fast as it answers, with no backoff and no attempt ever counted toward MaxAttempts.
func TestOutboxRetryWriteFailureHasNoBackoff(t *testing.T) {
	e := newOutboxEnv(t, func(fake http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, `{"error":"service unavailable"}`, http.StatusServiceUnavailable)
		})
	})
	e.o.BaseDelay, e.o.MaxDelay = 200*time.Millisecond, time.Second
	// The storage error: recording a failed attempt (attempts+1 on a row left pending) fails.
	if _, err := e.db.SQL().Exec(`CREATE TRIGGER fail_retry BEFORE UPDATE OF attempts ON outbox
		WHEN NEW.status = 'pending' BEGIN SELECT RAISE(ABORT, 'injected: disk I/O error'); END`); err != nil {
		t.Fatal(err)
	}
	stop := e.run()
	e.waitRunning()
	conv := e.conversations(1)[0]
	e.addAndHand(conv, "hello")
	time.Sleep(time.Second)
	stop()
	failed, _ := e.attemptsOf("hello")
	// With a 200 ms base delay doubling, a second allows about 3 attempts; allow 10.
	if failed > 10 {
		t.Errorf("%d calls to Chatwoot in 1s for one row (base delay 200ms): retried with no backoff after a storage error", failed)
	}
}

// A handoff row whose status step has opened the conversation, and whose last step (the
// message to the customer) is then refused, is reported to the lane as a refused handoff.
// The bot then tells the customer it could not pass them to an agent and shows the menu,
// in a conversation Chatwoot has already opened for the agents (and forgets it handed
// off). The handoff's own contract: "The customer is told only once the conversation is
// open: a refusal before that leaves them with the bot."
func TestHandoffRefusedAfterOpenTellsCustomerItFailed(t *testing.T) {
	const agentComing = "AGENT-COMING: an agent will answer you here"
	e := newOutboxEnv(t, func(fake http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			if bytes.Contains(body, []byte("AGENT-COMING")) {
				http.Error(w, `{"error":"Unprocessable"}`, http.StatusUnprocessableEntity)
				return
			}
			fake.ServeHTTP(w, r)
		})
	})
	conv := e.conversations(1)[0]
	ctx := context.Background()
	// The bot's memory at the time of the handoff.
	state, _ := json.Marshal(&bot.Conversation{AccountID: testAccount, ID: conv, Status: bot.StatusPending,
		HandedOff: true, CanReply: true, Language: "en"})
	plan := bot.Action{Kind: bot.Handoff, Handoff: &bot.HandoffPlan{Note: "customer wants an agent",
		Message: &bot.Action{Kind: bot.SendMessage, Text: agentComing}, Reason: bot.ReasonIntent}}
	payload, _ := json.Marshal(plan)
	row := &store.OutboxRow{AccountID: testAccount, ConversationID: conv, Kind: string(bot.Handoff), Payload: payload}
	if err := e.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.PutConversation(ctx, testAccount, conv, state); err != nil {
			return err
		}
		return tx.AddOutbox(ctx, row)
	}); err != nil {
		t.Fatal(err)
	}
	h := newHandledLog()
	p := newTestProcessor(e.db, h)
	p.OutboxAdded = e.o.Added
	e.run()
	startProcessor(t, p)
	waitUntil(t, 5*time.Second, "the handoff row to die", func() bool {
		st, err := e.db.OutboxStats(ctx)
		return err == nil && st.Dead == 1
	})
	if st := e.fake.Conversation(conv).Status; st != chatwoot.StatusOpen {
		t.Fatalf("conversation is %q after the handoff's status step, want open", st)
	}
	// Give the lane the action_failed event and the outbox its replies.
	waitUntil(t, 5*time.Second, "the action_failed event to be handled", func() bool { return h.total() >= 1 })
	e.waitDrained(5 * time.Second)
	for _, m := range e.fake.Messages(conv) {
		if !m.Private && strings.Contains(m.Content, "couldn't reach an agent") {
			t.Errorf("the bot told the customer %q in a conversation already open for the agents", m.Content)
		}
	}
	raw, err := e.db.Conversation(ctx, testAccount, conv)
	if err != nil {
		t.Fatal(err)
	}
	var c bot.Conversation
	json.Unmarshal(raw, &c)
	if !c.HandedOff {
		t.Errorf("the bot's state says it no longer handed off, though Chatwoot opened the conversation")
	}
}

// A handoff row handed over in memory records its progress by rewriting r.Payload, with
// no lock, on the deliverer's goroutine, while the same *OutboxRow is held in the
// conversation's rows, whose payload lengths the processor's goroutine reads under o.mu
// (Added: the memory budget, dropRowsLocked). That is a data race (go test -race), and
// the accounting goes wrong: the row was counted with its old payload and is discounted
// with the new, longer one ("done":N), so held ends below zero for good.
//
// Added is called here without a commit (the row handed over stands for one the
// processor committed before the deliverer's progress write reached the writer), so the
// only synchronisation between the two goroutines is what the Outbox itself provides.
func TestOutboxHandoffProgressRacesBudget(t *testing.T) {
	old := maxOutboxBytes
	maxOutboxBytes = 2000
	t.Cleanup(func() { maxOutboxBytes = old })
	hit := make(chan struct{}, 1)
	var toggles atomic.Int32
	e := newOutboxEnv(t, func(fake http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.Contains(r.URL.Path, "toggle_status") {
				if toggles.Add(1) == 1 {
					select {
					case hit <- struct{}{}:
					default:
					}
					http.Error(w, `{"error":"service unavailable"}`, http.StatusServiceUnavailable)
					return
				}
			}
			fake.ServeHTTP(w, r)
		})
	})
	// Hold the deliverer after its first failed attempt, as a slow commit would.
	var first atomic.Bool
	first.Store(true)
	e.o.Delivered = func(r *store.OutboxRow, err error, dead bool) {
		if err != nil && first.Swap(false) {
			time.Sleep(300 * time.Millisecond)
		}
	}
	stop := e.run()
	e.waitRunning()
	conv := e.conversations(1)[0]
	ctx := context.Background()
	plan := bot.Action{Kind: bot.Handoff, Handoff: &bot.HandoffPlan{Attributes: map[string]any{"bot_intent": "agent"},
		Note: "customer wants an agent", Message: &bot.Action{Kind: bot.SendMessage, Text: "an agent will answer"}, Reason: bot.ReasonIntent}}
	payload, _ := json.Marshal(plan)
	row := &store.OutboxRow{AccountID: testAccount, ConversationID: conv, Kind: string(bot.Handoff), Payload: payload}
	if err := e.db.Update(ctx, func(tx *store.Tx) error { return tx.AddOutbox(ctx, row) }); err != nil {
		t.Fatal(err)
	}
	e.o.Added([]*store.OutboxRow{row})
	select {
	case <-hit:
	case <-time.After(hangGuard):
		t.Fatal("the handoff's status step was never tried")
	}
	time.Sleep(50 * time.Millisecond) // the deliverer records the handoff's progress in r.Payload
	// The processor hands over a large reply of the same conversation: over the budget.
	big, _ := json.Marshal(bot.Action{Kind: bot.SendMessage, Text: strings.Repeat("x", 2500)})
	e.o.mu.Lock()
	t.Logf("held before the large row: %d (the row was counted at %d bytes)", e.o.held, len(payload))
	e.o.mu.Unlock()
	e.o.Added([]*store.OutboxRow{{ID: row.ID + 1000, AccountID: testAccount, ConversationID: conv, Kind: string(bot.SendMessage), Payload: big}})
	e.waitDrained(5 * time.Second)
	// The deliverer lets the conversation go after its last row: wait for that (a leak
	// keeps the count above 0 for good) rather than sleep for it.
	var held, convs int
	waitUntil(t, time.Second, "the outbox to let the conversation go", func() bool {
		e.o.mu.Lock()
		held, convs = e.o.held, len(e.o.convs)
		e.o.mu.Unlock()
		return held == 0 && convs == 0
	})
	stop() // (Run's end resets the count)
	if held != 0 || convs != 0 {
		t.Errorf("outbox holds %d payload bytes for %d conversations once drained, want 0 and 0", held, convs)
	}
}

// Every Chatwoot account numbers its conversations from 1, so with several accounts the
// same display id names different conversations. A row of account 1's conversation 5
// waiting out a long backoff must not hold back account 2's conversation 5: the deliverer
// kept conversations by display id alone, and read only the first account's rows.
func TestOutboxAccountsShareDisplayIDs(t *testing.T) {
	const other = testAccount + 1
	var delivered atomic.Int64
	e := newOutboxEnv(t, func(fake http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			acc := fmt.Sprintf("/api/v1/accounts/%d/", testAccount)
			switch {
			case strings.HasPrefix(r.URL.Path, acc):
				// Chatwoot fails on this call alone (a 500): the row waits for its own retry.
				http.Error(w, `{"error":"internal server error"}`, http.StatusInternalServerError)
			case strings.HasPrefix(r.URL.Path, fmt.Sprintf("/api/v1/accounts/%d/", other)):
				// The other account's Chatwoot answers; the fake serves one account.
				r.URL.Path = acc + strings.TrimPrefix(r.URL.Path, fmt.Sprintf("/api/v1/accounts/%d/", other))
				delivered.Add(1)
				fake.ServeHTTP(w, r)
			default:
				fake.ServeHTTP(w, r)
			}
		})
	})
	// Account 1's row waits an hour after its failure, far past the hang guard: account
	// 2's row is delivered while it waits, however slow the machine.
	e.o.BaseDelay, e.o.MaxDelay = time.Hour, time.Hour
	conv := e.conversations(1)[0]
	add := func(account int64, text string) *store.OutboxRow {
		payload, _ := json.Marshal(bot.Action{Kind: bot.SendMessage, Text: text})
		r := &store.OutboxRow{AccountID: account, ConversationID: conv, Kind: string(bot.SendMessage), Payload: payload}
		if err := e.db.Update(context.Background(), func(tx *store.Tx) error { return tx.AddOutbox(context.Background(), r) }); err != nil {
			t.Fatal(err)
		}
		e.o.Added([]*store.OutboxRow{r})
		return r
	}
	stop := e.run()
	defer stop()
	add(testAccount, "to account 1")
	waitUntil(t, 2*time.Second, "account 1's row to fail once", func() bool { failed, _ := e.attemptsOf("to account 1"); return failed > 0 })
	start := time.Now()
	add(other, "to account 2")
	waitUntil(t, 2*time.Second, "account 2's row to be delivered while account 1's waits", func() bool { return delivered.Load() > 0 })
	t.Logf("account 2's row went %v after it was added", time.Since(start).Round(time.Millisecond))
}

// A bug that panics while one event is handled (here a classifier that panics on a
// customer's text) crashed the process, and at every start the same event panicked
// again: every conversation stopped. The event is now recorded as failed, with the
// panic, and its conversation goes on with the next event.
// panickingNLU stands for a bug in the handling of an event.
type panickingNLU struct{}

func (panickingNLU) Classify(context.Context, string) (intents.Result, error) {
	panic("a bug in the classifier")
}

func TestProcessorPanicFailsTheEventAlone(t *testing.T) {
	db := openDB(t)
	body, err := os.ReadFile("../chatwoot/testdata/payloads/message_created_incoming_whatsapp.json")
	if err != nil {
		t.Fatal(err)
	}
	const conv = 318 // the payload's conversation
	poisoned := &store.Event{Source: "chatwoot", Name: "message_created", ConversationID: conv, Body: body}
	if _, err := db.Ingest(context.Background(), poisoned); err != nil {
		t.Fatal(err)
	}
	set := newEventSet()
	if !ingestEvent(t, db, set, conv, 1, false) { // the conversation's next event
		t.FailNow()
	}
	h := newHandledLog()
	p := newTestProcessor(db, h)
	p.Bot.NLU = panickingNLU{}
	startProcessor(t, p)
	next := set.sorted()[conv][0]
	waitUntil(t, 5*time.Second, "both events to be done with", func() bool { return h.has(poisoned.ID) && h.has(next) })
	h.mu.Lock()
	got := h.outcomes[poisoned.ID]
	h.mu.Unlock()
	if got != OutcomeFailed {
		t.Fatalf("the poisoned event's outcome: %q, want %q", got, OutcomeFailed)
	}
	var outcome, errText string
	if err := db.SQL().QueryRow(`SELECT outcome, error FROM events WHERE id = ?`, poisoned.ID).Scan(&outcome, &errText); err != nil {
		t.Fatal(err)
	}
	if outcome != OutcomeFailed || !strings.Contains(errText, "panicked") {
		t.Fatalf("stored outcome %q, error %q: want failed, with the panic", outcome, errText)
	}
	waitIdle(t, p)
}

// runJob adds a router update of router to conversation 7, due now and ending after
// deadline, and runs w until the test ends.
func runJob(t *testing.T, w *Jobs, router string, deadline time.Duration) store.Job {
	t.Helper()
	ctx := context.Background()
	var j store.Job
	if err := w.DB.Update(ctx, func(tx *store.Tx) error {
		j = store.Job{AccountID: 1, ConversationID: 7, RouterID: router, Attempt: 1, Reference: NewReference(),
			DeadlineAt: tx.Now().Add(deadline)}
		return tx.AddJob(ctx, &j)
	}); err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { w.Run(rctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return j
}

// A handoff records its progress after each step, not only when one fails: after a crash
// (which no failure path sees) the next run resumes at the step it had reached instead of
// assigning, labelling and noting again over what agents changed meanwhile. Here Chatwoot
// holds the status change; the row must already say the first four steps are made.
func TestHandoffRecordsProgressAfterEachStep(t *testing.T) {
	release := make(chan struct{})
	var once sync.Once
	e := newOutboxEnv(t, func(fake http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/toggle_status") {
				<-release
			}
			fake.ServeHTTP(w, r)
		})
	})
	conv := e.conversations(1)[0]
	ctx := context.Background()
	plan := bot.Action{Kind: bot.Handoff, Handoff: &bot.HandoffPlan{TeamID: 0, Note: "customer wants an agent",
		Attributes: map[string]any{"bot_intent": "human_agent"}, Reason: bot.ReasonIntent}}
	payload, _ := json.Marshal(plan)
	row := &store.OutboxRow{AccountID: testAccount, ConversationID: conv, Kind: string(bot.Handoff), Payload: payload}
	if err := e.db.Update(ctx, func(tx *store.Tx) error { return tx.AddOutbox(ctx, row) }); err != nil {
		t.Fatal(err)
	}
	e.run()
	t.Cleanup(func() { once.Do(func() { close(release) }) }) // first of the cleanups: lets the run stop
	waitUntil(t, 5*time.Second, "the handoff to reach the status change with its progress recorded", func() bool {
		got, err := e.db.GetOutbox(ctx, row.ID)
		if err != nil {
			return false
		}
		var a bot.Action
		return json.Unmarshal(got.Payload, &a) == nil && a.Handoff != nil && a.Handoff.Done == bot.HandoffStepsToOpen-1
	})
	once.Do(func() { close(release) })
	e.waitDrained(5 * time.Second)
}

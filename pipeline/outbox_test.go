package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cwbot/cwbot/bot"
	"github.com/cwbot/cwbot/chatwoot"
	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
	"github.com/cwbot/cwbot/store"
)

const testAccount = 1 // the fake's default account

// outboxEnv is a database, the fake Chatwoot and an Outbox delivering to it.
type outboxEnv struct {
	t    *testing.T
	db   *store.DB
	fake *chatwoottest.Server
	url  string // where the client calls: the fake, or the front put before it
	o    *Outbox

	mu       sync.Mutex
	attempts []attempt // what Delivered was told, in order
}

type attempt struct {
	row  int64
	text string
	ok   bool
	dead bool
	err  string
}

// newOutboxEnv builds the environment; front, when set, wraps the fake's handler (to
// make Chatwoot fail). The Outbox is not running yet: see run.
func newOutboxEnv(t *testing.T, front func(fake http.Handler) http.Handler) *outboxEnv {
	t.Helper()
	db := openDB(t)
	fake := chatwoottest.NewServer(t, &chatwoottest.Options{NoEcho: true, Logf: func(string, ...any) {}})
	url := fake.URL
	if front != nil {
		hs := httptest.NewServer(front(fake))
		t.Cleanup(hs.Close)
		url = hs.URL
	}
	client := chatwoot.NewClient(url, "bot-token", "", chatwoot.WithTimeout(5*time.Second))
	e := &outboxEnv{t: t, db: db, fake: fake, url: url}
	e.o = &Outbox{DB: db, Client: client, Logger: quietLogger(),
		BaseDelay: 20 * time.Millisecond, MaxDelay: 100 * time.Millisecond, Parallel: 4, Delivered: e.delivered}
	return e
}

func (e *outboxEnv) delivered(r *store.OutboxRow, err error, dead bool) {
	var a bot.Action
	json.Unmarshal(r.Payload, &a)
	at := attempt{row: r.ID, text: a.Text, ok: err == nil, dead: dead}
	if err != nil {
		at.err = err.Error()
	}
	e.mu.Lock()
	e.attempts = append(e.attempts, at)
	e.mu.Unlock()
}

func (e *outboxEnv) attemptsOf(text string) (failed, ok int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, a := range e.attempts {
		if a.text == text {
			if a.ok {
				ok++
			} else {
				failed++
			}
		}
	}
	return failed, ok
}

// run starts the Outbox under a context cancelled when the test ends; stop cancels it
// and waits for Run to return.
func (e *outboxEnv) run() (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.o.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					e.t.Errorf("Run: %v", err)
				}
			case <-time.After(hangGuard):
				e.t.Errorf("Run did not return within %v of the cancellation", hangGuard)
			}
		})
	}
	e.t.Cleanup(stop)
	return stop
}

// add commits one message row per text for the conversation, in one transaction, as the
// processor does for an event's actions. Safe from any goroutine (reports with t.Error).
func (e *outboxEnv) add(conv int64, texts ...string) []*store.OutboxRow {
	var rows []*store.OutboxRow
	for _, text := range texts {
		payload, err := json.Marshal(bot.Action{Kind: bot.SendMessage, Text: text})
		if err != nil {
			e.t.Error(err)
			return nil
		}
		rows = append(rows, &store.OutboxRow{AccountID: testAccount, ConversationID: conv, Kind: string(bot.SendMessage), Payload: payload})
	}
	err := e.db.Update(context.Background(), func(tx *store.Tx) error {
		for _, r := range rows {
			if err := tx.AddOutbox(context.Background(), r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		e.t.Errorf("add outbox rows: %v", err)
		return nil
	}
	return rows
}

// addAndHand commits the rows and hands them to the Outbox, as the processor does.
func (e *outboxEnv) addAndHand(conv int64, texts ...string) {
	if rows := e.add(conv, texts...); rows != nil {
		e.o.Added(rows)
	}
}

func (e *outboxEnv) sent(conv int64) []string {
	var out []string
	for _, m := range e.fake.Messages(conv) {
		out = append(out, m.Content)
	}
	return out
}

// waitSent waits until every conversation has at least as many messages as want says.
func (e *outboxEnv) waitSent(within time.Duration, want map[int64][]string) {
	e.t.Helper()
	waitUntil(e.t, within, "the messages to be delivered", func() bool {
		for conv, texts := range want {
			if len(e.fake.Messages(conv)) < len(texts) {
				return false
			}
		}
		return true
	})
}

// waitDrained waits until no row is pending.
func (e *outboxEnv) waitDrained(within time.Duration) {
	e.t.Helper()
	waitUntil(e.t, within, "the outbox to drain", func() bool {
		st, err := e.db.OutboxStats(context.Background())
		return err == nil && st.Pending == 0
	})
}

// checkSent asserts each conversation got exactly its texts, in order.
func (e *outboxEnv) checkSent(want map[int64][]string) {
	e.t.Helper()
	for conv, texts := range want {
		if got := e.sent(conv); !slices.Equal(got, texts) {
			e.t.Errorf("conversation %d got %q\nwant %q (in order, each once)", conv, got, texts)
		}
	}
}

// checkStats asserts how many rows are pending and dead.
func (e *outboxEnv) checkStats(pending, dead int64) {
	e.t.Helper()
	st, err := e.db.OutboxStats(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	if st.Pending != pending || st.Dead != dead {
		e.t.Errorf("outbox: %d pending, %d dead; want %d, %d", st.Pending, st.Dead, pending, dead)
	}
}

// waitOutboxIdle waits until the Outbox holds no conversation and no payload bytes.
func (e *outboxEnv) waitOutboxIdle() {
	e.t.Helper()
	waitUntil(e.t, 3*time.Second, "the outbox to let every conversation go", func() bool {
		e.o.mu.Lock()
		defer e.o.mu.Unlock()
		return len(e.o.convs) == 0 && len(e.o.ready) == 0 && e.o.held == 0
	})
}

// waitRunning waits until Run has started, so that rows handed over are taken in memory
// rather than dropped for the first scan to find.
func (e *outboxEnv) waitRunning() {
	e.t.Helper()
	waitUntil(e.t, 2*time.Second, "Run to start", func() bool {
		e.o.mu.Lock()
		defer e.o.mu.Unlock()
		return e.o.running != nil
	})
}

func (e *outboxEnv) conversations(n int) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = e.fake.NewConversation(chatwoottest.ConversationSpec{ContactName: fmt.Sprint("C", i)})
	}
	return out
}

// handConcurrently hands each conversation its rows from its own goroutine, a few at a
// time, as the processor's lanes do; conversations run at once. It returns what each
// conversation must receive.
func (e *outboxEnv) handConcurrently(convs []int64, perConv int) map[int64][]string {
	want := map[int64][]string{}
	for _, conv := range convs {
		for i := range perConv {
			want[conv] = append(want[conv], fmt.Sprintf("c%d-%02d", conv, i))
		}
	}
	var wg sync.WaitGroup
	for _, conv := range convs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			texts := want[conv]
			for i := 0; i < len(texts); {
				n := min(1+i%3, len(texts)-i) // 1, 2 or 3 rows per event
				e.addAndHand(conv, texts[i:i+n]...)
				i += n
			}
		}()
	}
	wg.Wait()
	return want
}

// Rows handed over in memory are delivered, each conversation's in order and each
// once, many conversations at once.
func TestOutboxDeliversHandedRowsInOrderOnce(t *testing.T) {
	e := newOutboxEnv(t, nil)
	stop := e.run()
	e.waitRunning()
	convs := e.conversations(12)
	want := e.handConcurrently(convs, 15)
	if t.Failed() {
		t.FailNow()
	}
	e.waitSent(5*time.Second, want)
	e.waitDrained(2 * time.Second)
	e.waitOutboxIdle()
	stop()
	e.checkSent(want)
	e.checkStats(0, 0)
	e.mu.Lock()
	defer e.mu.Unlock()
	if n := len(convs) * 15; len(e.attempts) != n {
		t.Errorf("%d calls made for %d rows", len(e.attempts), n)
	}
}

// A conversation whose first row keeps failing (a 500: Chatwoot fails on that call, and
// answers the others) holds its later rows, handed over meanwhile, behind it: none goes
// before it, while other conversations are not held up. Once Chatwoot takes the first
// row, the rest follow in order.
func TestOutboxFailedHeadHoldsLaterRows(t *testing.T) {
	var down atomic.Bool
	down.Store(true)
	e := newOutboxEnv(t, func(fake http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			if down.Load() && bytes.Contains(body, []byte("FIRST")) {
				http.Error(w, `{"error":"internal server error"}`, http.StatusInternalServerError)
				return
			}
			fake.ServeHTTP(w, r)
		})
	})
	stop := e.run()
	e.waitRunning()
	stuck := e.conversations(4)
	free := e.conversations(4)
	want := map[int64][]string{}
	for _, conv := range stuck {
		first := fmt.Sprintf("FIRST c%d", conv)
		want[conv] = []string{first}
		e.addAndHand(conv, first)
	}
	// The first rows have failed at least once: later rows now arrive behind them, some
	// while the conversation waits for its retry, some while a retry is under way.
	waitUntil(t, 3*time.Second, "the first rows to fail", func() bool {
		for _, conv := range stuck {
			if failed, _ := e.attemptsOf(want[conv][0]); failed == 0 {
				return false
			}
		}
		return true
	})
	var wg sync.WaitGroup
	for _, conv := range stuck {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 6 {
				text := fmt.Sprintf("c%d-%02d", conv, i)
				e.addAndHand(conv, text)
				time.Sleep(7 * time.Millisecond) // spread over the retries
			}
		}()
		for i := range 6 {
			want[conv] = append(want[conv], fmt.Sprintf("c%d-%02d", conv, i))
		}
	}
	wantFree := e.handConcurrently(free, 8)
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	// The other conversations go through while the stuck ones wait.
	e.waitSent(3*time.Second, wantFree)
	// Down until every stuck head has failed three times.
	waitUntil(t, 3*time.Second, "the first rows to fail 3 times", func() bool {
		for _, conv := range stuck {
			if failed, _ := e.attemptsOf(want[conv][0]); failed < 3 {
				return false
			}
		}
		return true
	})
	for _, conv := range stuck {
		if got := e.sent(conv); len(got) != 0 {
			t.Errorf("conversation %d: %q delivered while its first row was failing", conv, got)
		}
	}
	down.Store(false)
	e.waitSent(3*time.Second, want)
	e.waitDrained(2 * time.Second)
	e.waitOutboxIdle()
	stop()
	e.checkSent(want)
	e.checkSent(wantFree)
	e.checkStats(0, 0)
}

// Rows left pending in the database by an earlier run are delivered when Run starts,
// each conversation in order; rows handed over for those conversations once Run has
// started go after them.
func TestOutboxDeliversPendingRowsFirst(t *testing.T) {
	e := newOutboxEnv(t, nil)
	e.fake.SetLatency(2 * time.Millisecond)
	convs := e.conversations(6)
	want := map[int64][]string{}
	for _, conv := range convs {
		for i := range 12 {
			text := fmt.Sprintf("old c%d-%02d", conv, i)
			want[conv] = append(want[conv], text)
			e.add(conv, text) // not handed over: an earlier run's rows
		}
	}
	// Rows handed over before Run are dropped (Run's scan finds them).
	e.o.Added(e.add(convs[0], fmt.Sprintf("old c%d-12", convs[0])))
	want[convs[0]] = append(want[convs[0]], fmt.Sprintf("old c%d-12", convs[0]))
	stop := e.run()
	// Once a call has been made, Run's first scan is over.
	waitUntil(t, 3*time.Second, "a first delivery", func() bool {
		for _, conv := range convs {
			if len(e.fake.Messages(conv)) > 0 {
				return true
			}
		}
		return false
	})
	stillPending := 0
	for _, conv := range convs {
		if len(e.fake.Messages(conv)) < len(want[conv]) {
			stillPending++
		}
		for i := range 3 {
			text := fmt.Sprintf("new c%d-%02d", conv, i)
			want[conv] = append(want[conv], text)
			e.addAndHand(conv, text)
		}
	}
	if stillPending == 0 {
		t.Log("every old row was delivered before the new ones were handed over: the test proves little")
	}
	e.waitSent(5*time.Second, want)
	e.waitDrained(2 * time.Second)
	e.waitOutboxIdle()
	stop()
	e.checkSent(want)
	e.checkStats(0, 0)
}

// A row handed over after Run has started, for a conversation with an older row left
// pending by an earlier run, must not be delivered before that older row, even when Run
// has not finished its first scan of the database yet.
//
// The test holds every reader connection of the pool so that the first scan waits; the
// in-memory path (Added, the call, MarkOutboxSent on the writer's own connection) needs
// none.
func TestOutboxRowAddedDuringFirstScanWaitsForOlderRows(t *testing.T) {
	e := newOutboxEnv(t, nil)
	conv := e.conversations(1)[0]
	e.add(conv, "older") // left pending by an earlier run
	waits, release := holdReaders(t, e.db)
	stop := e.run()
	waitUntil(t, 2*time.Second, "Run's first scan to query the database", func() bool {
		return e.db.SQL().Stats().WaitCount > waits
	})
	e.addAndHand(conv, "newer")
	// A correct deliverer may hold "newer" back until the scan is done; give a wrong one
	// the time to send it.
	deadline := time.Now().Add(300 * time.Millisecond)
	for len(e.fake.Messages(conv)) == 0 && time.Now().Before(deadline) {
		time.Sleep(3 * time.Millisecond)
	}
	early := e.sent(conv)
	if len(early) > 0 {
		// Let the worker finish with the conversation (record the call, let it go), so
		// that the scan, once released, finds "older" at once: were the conversation
		// still held, the scan would skip it and leave "older" to the next idle scan,
		// 5 s later.
		for deadline := time.Now().Add(time.Second); time.Now().Before(deadline); time.Sleep(3 * time.Millisecond) {
			e.o.mu.Lock()
			n := len(e.o.convs)
			e.o.mu.Unlock()
			if n == 0 {
				break
			}
		}
	}
	release()
	want := map[int64][]string{conv: {"older", "newer"}}
	e.waitSent(3*time.Second, want)
	e.waitDrained(2 * time.Second)
	stop()
	if len(early) > 0 {
		t.Errorf("%q delivered while the older row of its conversation was still pending", early)
	}
	e.checkSent(want)
	e.checkStats(0, 0)
}

// With the memory budget lowered to about two payloads, most conversations read their
// rows back from the database: still all delivered, in order, each once, the budget
// never exceeded and every byte accounted given back.
func TestOutboxOverBudgetReadsDatabase(t *testing.T) {
	old := maxOutboxBytes
	maxOutboxBytes = 100
	t.Cleanup(func() { maxOutboxBytes = old })
	e := newOutboxEnv(t, nil)
	stop := e.run()
	e.waitRunning()

	watchDone := make(chan struct{})
	var over, maxSeen int
	var watchWG sync.WaitGroup
	watchWG.Add(1)
	go func() {
		defer watchWG.Done()
		for {
			e.o.mu.Lock()
			h := e.o.held
			e.o.mu.Unlock()
			maxSeen = max(maxSeen, h)
			if h > maxOutboxBytes || h < 0 {
				over++
			}
			select {
			case <-watchDone:
				return
			case <-time.After(500 * time.Microsecond):
			}
		}
	}()

	convs := e.conversations(10)
	want := e.handConcurrently(convs, 15)
	if t.Failed() {
		t.FailNow()
	}
	e.waitSent(5*time.Second, want)
	e.waitDrained(2 * time.Second)
	e.waitOutboxIdle()
	close(watchDone)
	watchWG.Wait()
	stop()
	if over > 0 {
		t.Errorf("held bytes outside [0, %d] %d times (max seen %d)", maxOutboxBytes, over, maxSeen)
	}
	e.checkSent(want)
	e.checkStats(0, 0)
	e.mu.Lock()
	defer e.mu.Unlock()
	if n := len(convs) * 15; len(e.attempts) != n {
		t.Errorf("%d calls made for %d rows", len(e.attempts), n)
	}
}

// A 4xx answer (422 for the row, or 404 for a conversation Chatwoot does not know) parks
// the row dead at once, with its error, and the conversation's next row still goes.
func TestOutboxClientErrorParksRowAndGoesOn(t *testing.T) {
	e := newOutboxEnv(t, nil)
	stop := e.run()
	e.waitRunning()
	conv := e.conversations(1)[0]
	const unknown = 99999 // no such conversation in the fake
	e.fake.FailPath(fmt.Sprintf("/conversations/%d/messages", conv), 1, http.StatusUnprocessableEntity)
	e.addAndHand(conv, "refused", "second")
	e.addAndHand(conv, "third")
	e.addAndHand(unknown, "u1", "u2")
	e.addAndHand(unknown, "u3")
	e.waitSent(3*time.Second, map[int64][]string{conv: {"second", "third"}})
	e.waitDrained(3 * time.Second)
	e.waitOutboxIdle()
	stop()
	e.checkSent(map[int64][]string{conv: {"second", "third"}})
	e.checkStats(0, 4)
	dead, err := e.db.ListOutbox(context.Background(), store.OutboxDead, 10)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range dead {
		var a bot.Action
		json.Unmarshal(r.Payload, &a)
		got[a.Text] = r.LastError
		if r.Attempts != 1 {
			t.Errorf("dead row %q: %d attempts, want 1 (a 4xx is not retried)", a.Text, r.Attempts)
		}
	}
	for text, status := range map[string]string{"refused": "422", "u1": "404", "u2": "404", "u3": "404"} {
		if !strings.Contains(got[text], "status="+status) {
			t.Errorf("dead row %q: last error %q, want status=%s", text, got[text], status)
		}
	}
	e.mu.Lock()
	order := []string{}
	for _, a := range e.attempts {
		if strings.HasPrefix(a.text, "u") {
			order = append(order, a.text)
		}
	}
	e.mu.Unlock()
	if !slices.Equal(order, []string{"u1", "u2", "u3"}) {
		t.Errorf("unknown conversation's rows tried %q, want each once in order", order)
	}
	// Each dead message became an action_failed event for the conversation's lane.
	total, _, err := e.db.EventCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if total != 4 {
		t.Errorf("%d events recorded for 4 dead rows", total)
	}
}

// After Chatwoot failed on many conversations' calls (500s, each row's own failure, so
// each waits for its own retry), more conversations wait for their retry than one scan
// reads (8 × Parallel): the scan comes back soon while it finds work, so they all go out
// within a few retry delays, not one scan period (1 s) per batch of 8.
func TestOutboxRetriesPastTheScanLimit(t *testing.T) {
	var down atomic.Bool
	down.Store(true)
	e := newOutboxEnv(t, func(fake http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if down.Load() {
				http.Error(w, `{"error":"internal server error"}`, http.StatusInternalServerError)
				return
			}
			fake.ServeHTTP(w, r)
		})
	})
	e.o.Parallel = 1 // the scan reads 8 heads
	e.run()
	e.waitRunning()
	convs := e.conversations(48)
	want := map[int64][]string{}
	for _, conv := range convs {
		text := fmt.Sprintf("after the outage c%d", conv)
		want[conv] = []string{text}
		e.addAndHand(conv, text)
	}
	waitUntil(t, 5*time.Second, "every conversation to fail once", func() bool {
		for _, conv := range convs {
			if failed, _ := e.attemptsOf(want[conv][0]); failed == 0 {
				return false
			}
		}
		return true
	})
	down.Store(false)
	// Six scans of 8: one scan period (1 s) per batch would take 5 s at least. The bound
	// leaves room for a loaded machine (the race detector, other packages' tests).
	e.waitSent(4500*time.Millisecond, want)
	e.waitDrained(2 * time.Second)
	e.checkSent(want)
	e.checkStats(0, 0)
}

package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cwbot/cwbot/bot"
	"github.com/cwbot/cwbot/store"
)

// handledLog records what a Processor's Handled hook is told.
type handledLog struct {
	mu       sync.Mutex
	byConv   map[int64][]int64 // event ids in the order handled
	times    map[int64]int     // event id -> times handled
	outcomes map[int64]string
	n        int
}

func newHandledLog() *handledLog {
	return &handledLog{byConv: map[int64][]int64{}, times: map[int64]int{}, outcomes: map[int64]string{}}
}

func (h *handledLog) record(ev *store.Event, outcome string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.byConv[ev.ConversationID] = append(h.byConv[ev.ConversationID], ev.ID)
	h.times[ev.ID]++
	h.outcomes[ev.ID] = outcome
	h.n++
}

func (h *handledLog) total() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n
}

func (h *handledLog) has(id int64) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.times[id] > 0
}

// eventSet is what a test stored: each conversation's event ids, and the outcome
// each event should get.
type eventSet struct {
	mu     sync.Mutex
	byConv map[int64][]int64
	want   map[int64]string
}

func newEventSet() *eventSet {
	return &eventSet{byConv: map[int64][]int64{}, want: map[int64]string{}}
}

func (s *eventSet) add(ev *store.Event, outcome string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byConv[ev.ConversationID] = append(s.byConv[ev.ConversationID], ev.ID)
	s.want[ev.ID] = outcome
}

func (s *eventSet) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.want)
}

// sorted returns each conversation's ids in id order: the order they must be handled in.
func (s *eventSet) sorted() map[int64][]int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[int64][]int64{}
	for conv, ids := range s.byConv {
		out[conv] = slices.Sorted(slices.Values(ids))
	}
	return out
}

// ingestEvent stores one event of the conversation: a conversation_updated the bot
// handles (without answering: the conversation is open), or, when ignored, a
// webwidget_triggered the domain has no use for. It returns the outcome it must get.
// Safe to call from any goroutine: failures are reported with t.Error.
func ingestEvent(t *testing.T, db *store.DB, set *eventSet, conv int64, seq int, ignored bool) bool {
	name, outcome := "conversation_updated", OutcomeHandled
	if ignored {
		name, outcome = "webwidget_triggered", OutcomeIgnored
	}
	body := fmt.Sprintf(`{"event":%q,"id":%d,"inbox_id":7,"status":"open","account":{"id":1},"custom_attributes":{"seq":%d}}`,
		name, conv, seq)
	ev := &store.Event{Source: "chatwoot", Name: name, ConversationID: conv, Body: []byte(body)}
	inserted, err := db.Ingest(context.Background(), ev)
	if err != nil || !inserted {
		t.Errorf("ingest conversation %d #%d: inserted=%v err=%v", conv, seq, inserted, err)
		return false
	}
	set.add(ev, outcome)
	return true
}

func newTestProcessor(db *store.DB, h *handledLog) *Processor {
	return &Processor{DB: db, Bot: &bot.Bot{}, Logger: quietLogger(), DefaultAccountID: 1, Lanes: 4, Handled: h.record}
}

// startProcessor starts p under a context cancelled (and waited for) when the test ends,
// and returns a function that stops it now.
func startProcessor(t *testing.T, p *Processor) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	if err := p.Start(ctx); err != nil {
		cancel()
		t.Fatal(err)
	}
	stop = func() {
		cancel()
		p.Wait()
	}
	t.Cleanup(stop)
	return stop
}

// checkHandled asserts that every stored event was handled exactly once, with the
// expected outcome, each conversation's in id order, and that the database agrees.
func checkHandled(t *testing.T, db *store.DB, set *eventSet, logs ...*handledLog) {
	t.Helper()
	want := set.sorted()
	got := map[int64][]int64{}
	times := map[int64]int{}
	outcomes := map[int64]string{}
	for _, h := range logs { // the runs one after the other
		h.mu.Lock()
		for conv, ids := range h.byConv {
			got[conv] = append(got[conv], ids...)
		}
		for id, n := range h.times {
			times[id] += n
		}
		maps.Copy(outcomes, h.outcomes)
		h.mu.Unlock()
	}
	for id, n := range times {
		if n != 1 {
			t.Errorf("event %d handled %d times", id, n)
		}
	}
	for conv, ids := range want {
		if !slices.Equal(got[conv], ids) {
			t.Errorf("conversation %d: handled %v, want %v (in id order, each once)", conv, got[conv], ids)
		}
	}
	for conv := range got {
		if _, ok := want[conv]; !ok {
			t.Errorf("conversation %d handled but never stored", conv)
		}
	}
	set.mu.Lock()
	for id, outcome := range set.want {
		if outcomes[id] != outcome {
			t.Errorf("event %d: outcome %q, want %q", id, outcomes[id], outcome)
		}
	}
	set.mu.Unlock()
	total, unprocessed, err := db.EventCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if total != int64(set.len()) || unprocessed != 0 {
		t.Errorf("database: %d events, %d unprocessed; want %d, 0", total, unprocessed, set.len())
	}
}

// waitIdle waits until the processor holds no lane and no queued bytes: what it took
// from memory it also gave back.
func waitIdle(t *testing.T, p *Processor) {
	t.Helper()
	waitUntil(t, 3*time.Second, "the processor to let every lane go", func() bool {
		p.mu.Lock()
		defer p.mu.Unlock()
		return len(p.lanes) == 0 && len(p.ready) == 0 && p.queued == 0
	})
}

// ingestConcurrently stores perWorker events from each of workers goroutines, spread
// over the conversations so that several goroutines write to each at once.
func ingestConcurrently(t *testing.T, db *store.DB, set *eventSet, convs []int64, workers, perWorker int) {
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWorker {
				conv := convs[(w+i)%len(convs)]
				if !ingestEvent(t, db, set, conv, w*1000+i, (w+i)%3 == 0) {
					return
				}
			}
		}()
	}
	wg.Wait()
}

// Events that arrive while the processor runs are taken from memory, each
// conversation's in id order and exactly once, though many goroutines store them at
// once and lanes of different conversations run side by side.
func TestProcessorHandlesLiveEventsInOrderOnce(t *testing.T) {
	db := openDB(t)
	h := newHandledLog()
	p := newTestProcessor(db, h)
	stop := startProcessor(t, p)
	set := newEventSet()
	convs := []int64{101, 102, 103, 104, 105, 106, 107}
	ingestConcurrently(t, db, set, convs, 12, 20)
	if t.Failed() {
		t.FailNow()
	}
	waitUntil(t, 5*time.Second, "every event handled", func() bool { return h.total() >= set.len() })
	waitIdle(t, p)
	stop()
	checkHandled(t, db, set, h)
}

// With the memory budget lowered to a couple of bodies, most events do not fit: their
// lanes read them back from the database. Every event is still handled once, in order,
// the budget is never exceeded, and the bytes accounted all come back.
func TestProcessorOverBudgetReadsDatabase(t *testing.T) {
	old := maxQueuedBytes
	maxQueuedBytes = 300 // about two bodies
	t.Cleanup(func() { maxQueuedBytes = old })
	db := openDB(t)
	h := newHandledLog()
	p := newTestProcessor(db, h)
	stop := startProcessor(t, p)

	// Watch the accounting while the burst runs.
	watchDone := make(chan struct{})
	var over, maxSeen int
	var watchWG sync.WaitGroup
	watchWG.Add(1)
	go func() {
		defer watchWG.Done()
		for {
			p.mu.Lock()
			q := p.queued
			p.mu.Unlock()
			maxSeen = max(maxSeen, q)
			if q > maxQueuedBytes || q < 0 {
				over++
			}
			select {
			case <-watchDone:
				return
			case <-time.After(500 * time.Microsecond):
			}
		}
	}()

	set := newEventSet()
	convs := []int64{201, 202, 203, 204, 205}
	ingestConcurrently(t, db, set, convs, 10, 20)
	if t.Failed() {
		t.FailNow()
	}
	waitUntil(t, 5*time.Second, "every event handled", func() bool { return h.total() >= set.len() })
	waitIdle(t, p)
	close(watchDone)
	watchWG.Wait()
	stop()
	if over > 0 {
		t.Errorf("queued bytes outside [0, %d] %d times (max seen %d)", maxQueuedBytes, over, maxSeen)
	}
	checkHandled(t, db, set, h)
}

// Events stored while no processor ran are resumed from the database at Start, and
// events arriving while those lanes are still reading the database (more than a
// batch each) join behind them: all handled once, each conversation in id order.
func TestProcessorResumesStoredEvents(t *testing.T) {
	db := openDB(t)
	set := newEventSet()
	old := []int64{301, 302, 303, 304}
	for _, conv := range old {
		for i := range 3*laneBatch + 3 {
			if !ingestEvent(t, db, set, conv, i, i%4 == 1) {
				t.FailNow()
			}
		}
	}
	h := newHandledLog()
	p := newTestProcessor(db, h)
	startProcessor(t, p)
	// New events for the resumed conversations and for fresh ones, while resuming.
	convs := append(slices.Clone(old), 305, 306)
	ingestConcurrently(t, db, set, convs, 6, 12)
	if t.Failed() {
		t.FailNow()
	}
	waitUntil(t, 5*time.Second, "every event handled", func() bool { return h.total() >= set.len() })
	waitIdle(t, p)
	checkHandled(t, db, set, h)
}

// An event that arrives after Start has begun (the processor takes events from memory
// from then on) but before Start has found the conversations left with unhandled
// events must not be handled before those older events.
//
// The test holds every reader connection of the pool, so that Start waits in
// PendingConversations, then stores a new event of a conversation that has an older
// unhandled event. The new event is one the domain ignores, which is handled without
// reading the database.
func TestProcessorEventDuringStartWaitsForOlderEvents(t *testing.T) {
	db := openDB(t)
	set := newEventSet()
	const conv = 401
	if !ingestEvent(t, db, set, conv, 0, true) { // older, stored before Start
		t.FailNow()
	}
	h := newHandledLog()
	p := newTestProcessor(db, h)
	waits, release := holdReaders(t, db)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() { cancel(); p.Wait() })
	started := make(chan error, 1)
	go func() { started <- p.Start(ctx) }()
	// Start registers for new events, then looks for unhandled ones: wait until it is
	// stuck looking.
	waitUntil(t, 2*time.Second, "Start to query the database", func() bool { return db.SQL().Stats().WaitCount > waits })
	if !ingestEvent(t, db, set, conv, 1, true) { // newer, stored while Start resumes
		t.FailNow()
	}
	newer := set.sorted()[conv][1]
	// A correct processor may hold the newer event back until it knows of the older
	// one; give a wrong one the time to handle it.
	deadline := time.Now().Add(300 * time.Millisecond)
	for !h.has(newer) && time.Now().Before(deadline) {
		time.Sleep(3 * time.Millisecond)
	}
	handledEarly := h.has(newer)
	if handledEarly {
		// Let the lane go before Start finds the older event: were it still held, the
		// older event, read from the database behind a newer one, would be skipped (its id
		// is below the lane's last) and left unhandled until the next Start.
		for deadline := time.Now().Add(time.Second); time.Now().Before(deadline); time.Sleep(3 * time.Millisecond) {
			p.mu.Lock()
			n := len(p.lanes)
			p.mu.Unlock()
			if n == 0 {
				break
			}
		}
	}
	release()
	if err := <-started; err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 3*time.Second, "both events handled", func() bool { return h.total() >= 2 })
	waitIdle(t, p)
	if handledEarly {
		t.Errorf("event %d was handled while the older event of its conversation was still unhandled (Start had not yet resumed it)", newer)
	}
	checkHandled(t, db, set, h)
}

// Cancelling the context stops the processor promptly: Wait returns, the events not
// handled stay unprocessed in the database (none lost, none marked without being
// handled), and a new processor on the same database handles exactly those, in order.
func TestProcessorStopAndResume(t *testing.T) {
	db := openDB(t)
	set := newEventSet()
	convs := []int64{501, 502, 503, 504, 505, 506, 507, 508}
	for i := range 40 {
		for _, conv := range convs {
			if !ingestEvent(t, db, set, conv, i, (i+int(conv))%3 == 0) {
				t.FailNow()
			}
		}
	}
	h1 := newHandledLog()
	p1 := newTestProcessor(db, h1)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() { cancel(); p1.Wait() })
	// The lanes stop at the 20th event handled and wait there for the cancellation: the
	// test cancels with events left whatever the machine's speed (polling the count let
	// the lanes finish everything on a loaded machine before the poller ran again).
	reached := make(chan struct{})
	var reachedOnce sync.Once
	p1.Handled = func(ev *store.Event, outcome string) {
		h1.record(ev, outcome)
		if h1.total() >= 20 {
			reachedOnce.Do(func() { close(reached) })
			<-ctx.Done()
		}
	}
	if err := p1.Start(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case <-reached:
	case <-time.After(hangGuard):
		t.Fatal("20 events not handled")
	}
	cancel()
	stopped := make(chan struct{})
	go func() { p1.Wait(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(hangGuard):
		t.Fatalf("Wait did not return within %v of the cancellation", hangGuard)
	}
	handled := h1.total()
	if handled >= set.len() {
		t.Fatalf("all %d events handled before the cancellation took effect: nothing left to resume", handled)
	}
	total, unprocessed, err := db.EventCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if total != int64(set.len()) || unprocessed != total-int64(handled) {
		t.Fatalf("after stopping: %d events, %d unprocessed; handled %d of %d", total, unprocessed, handled, set.len())
	}
	// Nothing more happens once stopped, even for new events.
	if !ingestEvent(t, db, set, convs[0], 999, true) {
		t.FailNow()
	}
	p1.mu.Lock()
	lanes := len(p1.lanes)
	p1.mu.Unlock()
	if lanes != 0 || h1.total() != handled {
		t.Fatalf("stopped processor: %d lanes, handled %d then %d", lanes, handled, h1.total())
	}

	h2 := newHandledLog()
	p2 := newTestProcessor(db, h2)
	startProcessor(t, p2)
	waitUntil(t, 5*time.Second, "the rest handled", func() bool { return h1.total()+h2.total() >= set.len() })
	waitIdle(t, p2)
	checkHandled(t, db, set, h1, h2)
}

// countingHandler counts the log records whose message starts with a prefix.
type countingHandler struct {
	prefix string
	n      *atomic.Int64
}

func (h countingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h countingHandler) Handle(_ context.Context, r slog.Record) error {
	if strings.HasPrefix(r.Message, h.prefix) {
		h.n.Add(1)
	}
	return nil
}
func (h countingHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h countingHandler) WithGroup(string) slog.Handler      { return h }

// A storage error while handling an event leaves it unhandled: its lane waits out a
// backoff and tries it again, and the conversation's later events (which would succeed)
// wait behind it, while other conversations go on. Once the database works again, the
// conversation's events are handled in order, each once.
func TestProcessorStorageErrorRetriesInOrder(t *testing.T) {
	db := openDB(t)
	h := newHandledLog()
	p := newTestProcessor(db, h)
	var failures atomic.Int64
	p.Logger = slog.New(countingHandler{prefix: "handling event failed", n: &failures})
	startProcessor(t, p)
	// Handling a conversation_updated reads and writes the conversation's state: without
	// its table, that fails. Ignored events need no state and still go.
	if _, err := db.SQL().Exec(`ALTER TABLE conversations RENAME TO conversations_away`); err != nil {
		t.Fatal(err)
	}
	restored := false
	restore := func() {
		if !restored {
			restored = true
			if _, err := db.SQL().Exec(`ALTER TABLE conversations_away RENAME TO conversations`); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Cleanup(restore)
	set := newEventSet()
	const stuck, other = 601, 602
	if !ingestEvent(t, db, set, stuck, 0, false) { // fails while the table is away
		t.FailNow()
	}
	waitUntil(t, 2*time.Second, "a storage error", func() bool { return failures.Load() >= 1 })
	// Events arriving while the lane waits out its backoff: ignored ones, which would be
	// handled at once were they not behind the failing one, and one more that fails.
	for i := 1; i <= 4; i++ {
		if !ingestEvent(t, db, set, stuck, i, i != 3) {
			t.FailNow()
		}
	}
	for i := range 5 {
		if !ingestEvent(t, db, set, other, i, true) {
			t.FailNow()
		}
	}
	otherIDs := set.sorted()[other]
	waitUntil(t, 2*time.Second, "the other conversation's events", func() bool { return h.has(otherIDs[len(otherIDs)-1]) })
	waitUntil(t, 2*time.Second, "a retry of the failing event", func() bool { return failures.Load() >= 2 })
	h.mu.Lock()
	early := slices.Clone(h.byConv[stuck])
	h.mu.Unlock()
	if len(early) > 0 {
		t.Errorf("events %v handled while an earlier event of their conversation was failing", early)
	}
	restore()
	waitUntil(t, 3*time.Second, "every event handled", func() bool { return h.total() >= set.len() })
	waitIdle(t, p)
	checkHandled(t, db, set, h)
}

// The same start-up window, when the lane that handled the newer event still holds the
// conversation as Start finds the older one: the older event must still be handled. The
// Handled hook, run by the lane's worker, holds the lane until Start has returned.
func TestProcessorEventDuringStartDoesNotStrandOlderEvents(t *testing.T) {
	db := openDB(t)
	set := newEventSet()
	const conv = 402
	if !ingestEvent(t, db, set, conv, 0, true) { // older, stored before Start
		t.FailNow()
	}
	h := newHandledLog()
	p := newTestProcessor(db, h)
	p.Logger = slog.New(slog.NewTextHandler(testLogWriter{t}, nil)) // a retry shows up in a failure
	gate := make(chan struct{})
	var gateOnce sync.Once
	openGate := func() { gateOnce.Do(func() { close(gate) }) }
	t.Cleanup(openGate)
	var newer atomic.Int64
	p.Handled = func(ev *store.Event, outcome string) {
		h.record(ev, outcome)
		if ev.ID == newer.Load() {
			<-gate // the lane stays busy with the conversation until the gate opens
		}
	}
	waits, release := holdReaders(t, db)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() { openGate(); cancel(); p.Wait() })
	started := make(chan error, 1)
	go func() { started <- p.Start(ctx) }()
	waitUntil(t, 2*time.Second, "Start to query the database", func() bool { return db.SQL().Stats().WaitCount > waits })
	// The id the next event gets: events are numbered in order, one so far.
	newer.Store(set.sorted()[conv][0] + 1)
	if !ingestEvent(t, db, set, conv, 1, true) { // newer, stored while Start resumes
		t.FailNow()
	}
	if got := set.sorted()[conv][1]; got != newer.Load() {
		t.Fatalf("newer event got id %d, expected %d", got, newer.Load())
	}
	deadline := time.Now().Add(300 * time.Millisecond)
	for !h.has(newer.Load()) && time.Now().Before(deadline) {
		time.Sleep(3 * time.Millisecond)
	}
	handledEarly := h.has(newer.Load())
	release()
	if err := <-started; err != nil { // Start has found the older event and told the lane
		t.Fatal(err)
	}
	openGate()
	if handledEarly {
		t.Errorf("event %d was handled while the older event of its conversation was still unhandled", newer.Load())
	}
	older := set.sorted()[conv][0]
	// Generous: a lane that met a transient error retries after 0.1, 0.2, 0.4 s...
	for deadline := time.Now().Add(hangGuard); !h.has(older) && time.Now().Before(deadline); {
		time.Sleep(3 * time.Millisecond)
	}
	if !h.has(older) {
		_, unprocessed, _ := db.EventCounts(context.Background())
		t.Fatalf("older event %d never handled (%d events left unprocessed): the lane skipped it", older, unprocessed)
	}
	waitIdle(t, p)
	checkHandled(t, db, set, h)
}

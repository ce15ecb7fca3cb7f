package main

// Fault injection, loopback only: the process killed with SIGKILL under load, Chatwoot
// down, the telco down, slow or answering garbage, the database locked.

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
	"github.com/cwbot/cwbot/pipeline"
	"github.com/cwbot/cwbot/process"
	"github.com/cwbot/cwbot/process/telcosim"
	"github.com/cwbot/cwbot/server"
	"github.com/cwbot/cwbot/store"
)

// TestFaultKill9 kills the real binary with SIGKILL while webhooks come in and replies go
// out, restarts it on the same database and port, redelivers what was not acknowledged
// (as Chatwoot's retry would), and checks that every customer message is answered, and
// answered once.
//
// Each conversation sends "hi" then "thanks", each answered by exactly one message (the
// greeting with its menu, then "You're welcome"), so anything beyond one reply per message
// is a reply sent twice, and the order of the two shows the replies kept their order. A
// "thanks" is not sent after a "hi" whose delivery failed: Chatwoot would have opened the
// conversation to the agents.
//
// A reply Chatwoot accepted is marked sent only after the answer comes back, so a kill
// between the two leaves it pending. With the user token, the restarted bot looks for the
// reply's reference among the conversation's messages before posting it again: no reply
// is sent twice. With the bot token alone it cannot look, and the outbox is at-least-once:
// the bound is the rows whose calls were under way at the kill, at most
// pipeline.DefaultParallel (BOT_OUTBOX_PARALLEL) per kill. The test asserts that bound and
// logs the count it measured.
func TestFaultKill9(t *testing.T) {
	t.Run("with the user token", func(t *testing.T) { faultKill9(t, "CHATWOOT_USER_TOKEN=user-token") })
	t.Run("bot token only", func(t *testing.T) { faultKill9(t) })
}

func faultKill9(t *testing.T, env ...string) {
	userToken := len(env) > 0
	cw := chatwoottest.New(chatwoottest.Options{WebhookSecret: testSecret, NoEcho: true})
	t.Cleanup(cw.Close)
	c := newChild(t, cw.URL, env...)
	const (
		rounds        = 3
		perRnd        = 60 // conversations whose "hi" and "thanks" are sent in each round
		senders       = 4
		maxDupPerKill = pipeline.DefaultParallel // calls under way at once
	)
	ctx := context.Background()
	var (
		mu       sync.Mutex
		acked    = map[int64]bool{}                    // conversation → its messages were acknowledged 200 at first try
		unacked  = map[int64][]chatwoottest.Delivery{} // not acknowledged yet: to redeliver, in order
		sent     = map[int64]int{}                     // conversation → messages the customer sent
		allConvs []int64
	)
	redeliverAll := func() {
		t.Helper()
		mu.Lock()
		todo := make([]chatwoottest.Delivery, 0, len(unacked))
		for _, ds := range unacked {
			todo = append(todo, ds...)
		}
		mu.Unlock()
		for _, d := range todo {
			var got chatwoottest.Delivery
			var err error
			// Chatwoot retries; so do we, for as long as a loaded machine needs.
			for deadline := time.Now().Add(hangGuard); ; time.Sleep(50 * time.Millisecond) {
				if got, err = cw.Redeliver(ctx, d); err == nil && got.OK() || time.Now().After(deadline) {
					break
				}
			}
			if err != nil || !got.OK() {
				t.Fatalf("redelivery of conversation %d: status=%d err=%v transport=%v", d.ConversationID, got.Status, err, got.Err)
			}
			mu.Lock()
			delete(unacked, d.ConversationID)
			mu.Unlock()
		}
	}
	for r := 0; r <= rounds; r++ {
		c.start()
		cw.SetWebhookURL(c.URL() + "/webhooks/chatwoot")
		redeliverAll()
		if r == rounds {
			break // the last run only finishes what the kills left
		}
		convs := make([]int64, perRnd)
		for i := range convs {
			convs[i] = cw.NewConversation(chatwoottest.ConversationSpec{ContactName: fmt.Sprintf("K%d-%d", r, i)})
		}
		allConvs = append(allConvs, convs...)
		// Kill once half of this round's messages are acknowledged: by then the outbox is
		// busy with their replies.
		var acks atomic.Int64
		killed := make(chan struct{})
		var killOnce sync.Once
		work := make(chan int64)
		var wg sync.WaitGroup
		for s := 0; s < senders; s++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for conv := range work {
					for _, text := range []string{"hi", "thanks"} {
						d, err := cw.CustomerSays(ctx, conv, text)
						if err != nil {
							t.Errorf("conversation %d: %v", conv, err)
							break
						}
						mu.Lock()
						sent[conv]++
						acked[conv] = d.OK()
						if !d.OK() {
							unacked[conv] = append(unacked[conv], d)
						}
						mu.Unlock()
						if !d.OK() {
							// Chatwoot opens the conversation when a message's delivery fails
							// for good (FACTS): a customer writing after that has an agent.
							break
						}
						if acks.Add(1) == perRnd {
							killOnce.Do(func() { c.kill(); close(killed) })
						}
					}
				}
			}()
		}
		for _, conv := range convs {
			work <- conv
		}
		close(work)
		wg.Wait()
		killOnce.Do(func() { c.kill(); close(killed) })
		<-killed
		if err := cw.Drain(ctx); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	nAcked, nMessages := 0, 0
	for _, conv := range allConvs {
		if acked[conv] {
			nAcked++
		}
		nMessages += sent[conv]
	}
	nUnacked := len(allConvs) - nAcked
	mu.Unlock()

	// Quiet: every conversation answered, then no new call toward Chatwoot for a while.
	waitCtx, cancel := context.WithTimeout(ctx, hangGuard)
	defer cancel()
	err := cw.WaitFor(waitCtx, func(s *chatwoottest.Server) bool {
		for _, conv := range allConvs {
			if len(botPublic(s, conv)) < sent[conv] {
				return false
			}
		}
		return true
	})
	if err != nil {
		for _, conv := range allConvs {
			if n := len(botPublic(cw, conv)); n < sent[conv] {
				t.Errorf("conversation %d: %d replies %q, want %d (acknowledged at first try: %v)", conv, n, contents(botPublic(cw, conv)), sent[conv], acked[conv])
			}
		}
		t.Fatalf("not every conversation was answered: %v", err)
	}
	for n, stable := len(cw.Requests()), 0; stable < 5; {
		time.Sleep(100 * time.Millisecond)
		if m := len(cw.Requests()); m == n {
			stable++
		} else {
			n, stable = m, 0
		}
	}
	c.stop()

	dups := 0
	for _, conv := range allConvs {
		got := botPublic(cw, conv)
		if len(got) > sent[conv] {
			dups += len(got) - sent[conv]
			t.Logf("conversation %d got %d replies: %q", conv, len(got), contents(got))
		}
		// Whatever was sent twice, the answer itself is right and in order: a resent row
		// repeats right after itself.
		var uniq []chatwoottest.Message
		for _, m := range got {
			if len(uniq) == 0 || uniq[len(uniq)-1].Content != m.Content {
				uniq = append(uniq, m)
			}
		}
		if len(uniq) != sent[conv] || !strings.HasPrefix(uniq[0].Content, "Hi") || uniq[0].ContentType != "input_select" ||
			len(uniq) == 2 && !strings.HasPrefix(uniq[1].Content, "You're welcome") {
			t.Errorf("conversation %d: replies %q, want the greeting with its menu, then the thanks answered if sent", conv, contents(got))
		}
	}
	// The database agrees: every event handled, every row sent once as far as it knows.
	db, err := store.Open(ctx, c.dbPath())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	total, unprocessed, err := db.EventCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st, err := db.OutboxStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.ListOutbox(ctx, store.OutboxSent, 100000)
	if err != nil {
		t.Fatal(err)
	}
	if int(total) != nMessages || unprocessed != 0 || st.Pending != 0 || st.Dead != 0 || len(rows) != nMessages {
		t.Errorf("database: %d events (%d unhandled), %d sent, %d pending, %d dead rows; want %d events, all handled, %d sent",
			total, unprocessed, len(rows), st.Pending, st.Dead, nMessages, nMessages)
	}
	t.Logf("%d conversations, %d messages over %d kills: %d conversations acknowledged at first try, %d redelivered; %d replies sent twice (%.2f%% of %d)",
		len(allConvs), nMessages, rounds, nAcked, nUnacked, dups, 100*float64(dups)/float64(nMessages), nMessages)
	if userToken {
		if dups > 0 {
			t.Fatalf("%d replies sent twice with the user token, want none", dups)
		}
		t.Logf("%d replies found already posted after a kill, not posted again",
			strings.Count(c.logs.String(), "message already posted"))
	}
	if dups > rounds*maxDupPerKill {
		t.Fatalf("%d replies sent twice, more than the %d calls that can be under way at %d kills", dups, rounds*maxDupPerKill, rounds)
	}
}

// botPublic is what the bot posted to the customer in a conversation of the fake.
func botPublic(s *chatwoottest.Server, conv int64) []chatwoottest.Message {
	var out []chatwoottest.Message
	for _, m := range s.Messages(conv) {
		if m.SenderType == "agent_bot" && !m.Private {
			out = append(out, m)
		}
	}
	return out
}

// TestFaultChatwootDown takes Chatwoot's API away (every call answered 503) while customers
// write, long enough for Chatwoot to be probed several times, then brings it back: every
// reply is delivered, once, none given up, and each conversation's replies arrive in the
// order of its outbox rows.
func TestFaultChatwootDown(t *testing.T) {
	t.Parallel()
	var down atomic.Bool
	var fake atomic.Pointer[chatwoottest.Server]
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			http.Error(w, `{"error":"service unavailable"}`, http.StatusServiceUnavailable)
			return
		}
		fake.Load().ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	h := newHarness(t, &chatwoottest.Options{NoEcho: true}, func(c *Config) {
		c.ChatwootURL = front.URL
	})
	fake.Store(h.cw)
	const nConv = 20
	texts := []string{"hi", "thanks", "help", "hello"}
	down.Store(true)
	var convs []int64
	for i := 0; i < nConv; i++ {
		convs = append(convs, h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: fmt.Sprint("D", i)}))
	}
	var wg sync.WaitGroup
	for _, conv := range convs {
		wg.Add(1)
		go func(conv int64) { // each customer writes in order; conversations at once
			defer wg.Done()
			for _, text := range texts {
				if d, err := h.cw.CustomerSays(h.ctx, conv, text); err != nil || d.Status != http.StatusOK {
					t.Errorf("conversation %d %q: status=%d err=%v", conv, text, d.Status, err)
				}
			}
		}(conv)
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	// Down until every event is handled and Chatwoot has refused at least 3 calls after the
	// first: the outbox pauses every call and probes, rather than each row failing on its
	// own.
	deadline := time.Now().Add(hangGuard)
	for {
		heads, err := h.app.DB.OutboxHeads(h.ctx, 1000)
		if err != nil {
			t.Fatal(err)
		}
		_, unprocessed, _ := h.app.DB.EventCounts(h.ctx)
		attempts := 0
		for _, r := range heads {
			attempts += r.Attempts
		}
		if unprocessed == 0 && len(heads) == nConv && attempts >= 4 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d heads, %d failed attempts, %d events unhandled: the outbox did not keep probing", len(heads), attempts, unprocessed)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := len(h.cw.Messages(convs[0])); got != 0 {
		t.Fatalf("%d messages got through while Chatwoot was down", got)
	}
	down.Store(false)
	h.settle()
	if dead := h.outbox(store.OutboxDead); len(dead) != 0 {
		t.Fatalf("%d dead rows, want none: %s", len(dead), dead[0].LastError)
	}
	rows := h.outbox(store.OutboxSent)
	perConv := map[int64][]*store.OutboxRow{}
	for i := len(rows) - 1; i >= 0; i-- { // ListOutbox is newest first
		perConv[rows[i].ConversationID] = append(perConv[rows[i].ConversationID], rows[i])
	}
	for _, conv := range convs {
		rs, posted := perConv[conv], h.public(conv)
		if len(rs) < len(texts) || len(posted) != len(rs) {
			t.Fatalf("conversation %d: %d rows sent, %d messages posted; want equal and at least %d", conv, len(rs), len(posted), len(texts))
		}
		for i := range rs {
			if i > 0 && (rs[i].EventID < rs[i-1].EventID || rs[i].SentAt.Before(rs[i-1].SentAt)) {
				t.Fatalf("conversation %d: row %d (event %d) sent before row %d (event %d)", conv, rs[i].ID, rs[i].EventID, rs[i-1].ID, rs[i-1].EventID)
			}
			if !bytes.Contains(rs[i].Payload, []byte(jsonText(posted[i].Content))) {
				t.Fatalf("conversation %d: message %d is %q, row %d says %s", conv, i, posted[i].Content, rs[i].ID, rs[i].Payload)
			}
		}
		if !strings.HasPrefix(posted[0].Content, "Hi") {
			t.Fatalf("conversation %d: first reply %q, want the greeting", conv, posted[0].Content)
		}
	}
}

// TestFaultDatabaseLocked holds SQLite's write lock from another connection (a backup, an
// admin command, a stuck process) for longer than the store's busy timeout while a
// customer writes. The webhook must be answered server.StatusStoreUnavailable (500: the
// status Chatwoot retries, see its comment) before Chatwoot's 5 s webhook timeout: a
// timeout is not retried, it hands the conversation to the agents at once. Throughout,
// the process keeps serving /healthz; once the lock is gone, Chatwoot's retry of the same
// delivery is stored and answered once.
//
// Nothing here is timed: the lock is held until the test lets it go, so an answer while
// it is held is the server's own bound (server.StoreWait, checked against Chatwoot's
// timeout) at work, and the lock is let go once the store has counted the transaction
// that gave up on it, not after a sleep.
//
// "Unwritable" is not covered: the tests run as root, who writes through a read-only
// folder or file, and the service keeps its database files open from the start.
func TestFaultDatabaseLocked(t *testing.T) {
	t.Parallel()
	const chatwootTimeout = 5 * time.Second // lib/webhooks/trigger.rb: timeout: 5
	if server.StoreWait >= chatwootTimeout {
		t.Fatalf("server.StoreWait is %v: a webhook waiting that long for a locked database is answered after Chatwoot's %v timeout", server.StoreWait, chatwootTimeout)
	}
	h := newHarness(t, nil, nil)
	conv := h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Maria"})
	first := h.says(conv, "hi")
	h.settle()
	// The customer's next message, as Chatwoot would deliver it, posted by hand: the fake
	// opens the conversation for the agents on any failed delivery (Chatwoot before
	// 4.13), where 4.13 first retries a 500.
	deliver := redelivery(h, nextMessage(t, first.Body, "thanks"), "5b0b1a39-8a8d-4b43-9d0e-3a1f3c8b7e11")
	healthz := func(when string) {
		t.Helper()
		resp, err := (&http.Client{Timeout: hangGuard}).Get(h.app.URL() + "/healthz")
		if err != nil {
			t.Fatalf("/healthz %s: %v", when, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("/healthz %s answered %d", when, resp.StatusCode)
		}
	}

	// Another connection takes the write lock and keeps it.
	lock := holdWriteLock(t, h.ctx, h.cfg.DB)
	failed := commitFailures(h)
	locked := true
	defer func() {
		if locked {
			lock.ExecContext(h.ctx, "ROLLBACK")
		}
	}()
	healthz("with the database locked")

	start := time.Now()
	code, err := deliver()
	took := time.Since(start)
	if err != nil {
		t.Fatalf("webhook with the database locked: %v after %v", err, took.Round(time.Millisecond))
	}
	if code != server.StatusStoreUnavailable {
		t.Fatalf("webhook with the database locked answered %d, want %d", code, server.StatusStoreUnavailable)
	}
	t.Logf("answered %d after %v with the database locked", code, took.Round(time.Millisecond))
	// Chatwoot's retries while the lock is still held: refused the same way.
	if code, err := deliver(); err != nil || code != server.StatusStoreUnavailable {
		t.Fatalf("retry with the database locked: status=%d err=%v, want %d", code, err, server.StatusStoreUnavailable)
	}
	healthz("while webhooks are refused")
	// Hold the lock until a write queued behind it has given up (the store's busy
	// timeout), so that it fails rather than goes through late.
	waitCommitFailed(t, failed)
	if _, err := lock.ExecContext(h.ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	locked = false

	// Recovered by itself: the next retry is taken and answered once.
	recovered(t, h, conv, deliver)
	// The transactions that gave up on the lock are counted for the admin to see.
	metricIs(t, metricsScrape(t, h), `cwbot_store_commit_errors_total`, 1, true)
	healthz("after recovery")
	resp, err := http.Get(h.app.URL() + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/readyz answered %d after recovery", resp.StatusCode)
	}
}

// TestFaultDatabaseUnwritable makes the database's write-ahead log immutable (chattr +i,
// which even root cannot write through: a full or read-only disk, a lost mount) while a
// customer writes. The webhook must be answered server.StatusStoreUnavailable before
// Chatwoot's timeout, the process must live on, and once the file is writable again the
// redelivery is stored and answered once, with nothing else to do by hand.
func TestFaultDatabaseUnwritable(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil, nil)
	conv := h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Maria"})
	first := h.says(conv, "hi")
	h.settle()
	deliver := redelivery(h, nextMessage(t, first.Body, "thanks"), "0f3c9a51-2b9e-4a0e-8d1e-6b1c2a7d9e44")
	wal := h.cfg.DB + "-wal"
	if out, err := exec.Command("chattr", "+i", wal).CombinedOutput(); err != nil {
		t.Skipf("cannot make %s immutable here (chattr: %v: %s)", wal, err, bytes.TrimSpace(out))
	}
	immutable := true
	release := func() {
		if immutable {
			if out, err := exec.Command("chattr", "-i", wal).CombinedOutput(); err != nil {
				t.Errorf("chattr -i: %v: %s", err, out)
			}
			immutable = false
		}
	}
	defer release()

	start := time.Now()
	code, err := deliver()
	took := time.Since(start)
	if err != nil {
		t.Fatalf("webhook with the database unwritable: %v after %v: Chatwoot would not retry a timeout", err, took.Round(time.Millisecond))
	}
	if code != server.StatusStoreUnavailable {
		t.Fatalf("webhook with the database unwritable answered %d, want %d", code, server.StatusStoreUnavailable)
	}
	t.Logf("answered %d after %v with the database unwritable", code, took.Round(time.Millisecond))
	if code, err := deliver(); err != nil || code != server.StatusStoreUnavailable {
		t.Fatalf("retry with the database unwritable: status=%d err=%v, want %d", code, err, server.StatusStoreUnavailable)
	}
	resp, err := http.Get(h.app.URL() + "/healthz")
	if err != nil {
		t.Fatalf("/healthz with the database unwritable: %v", err)
	}
	resp.Body.Close()
	release()
	recovered(t, h, conv, deliver)
}

// redelivery returns a function that posts body as Chatwoot's delivery deliveryID would
// be posted (again), and returns the status. It waits as long as a loaded machine needs
// (hangGuard): that the service answers before Chatwoot's 5 s timeout is its own bound,
// server.StoreWait, checked in TestFaultDatabaseLocked.
func redelivery(h *harness, body []byte, deliveryID string) func() (int, error) {
	chatwoot := &http.Client{Timeout: hangGuard}
	return func() (int, error) {
		req, _ := http.NewRequest(http.MethodPost, h.app.URL()+"/webhooks/chatwoot", bytes.NewReader(body))
		req.Header = chatwoottest.SignedHeaders(testSecret, time.Now(), body, deliveryID)
		resp, err := chatwoot.Do(req)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}
}

// recovered redelivers the customer's "thanks" (after "hi") until it is taken, then checks
// it was stored and answered once.
func recovered(t *testing.T, h *harness, conv int64, deliver func() (int, error)) {
	t.Helper()
	deadline := time.Now().Add(hangGuard)
	for {
		code, err := deliver()
		if err == nil && code == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the database is back but the webhook still answers status=%d err=%v", code, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	h.settle()
	got := h.public(conv)
	if len(got) != 2 || !strings.Contains(got[1].Content, "welcome") {
		t.Fatalf("posted %q, want the greeting with its menu and one answer to the thanks", contents(got))
	}
	total, unprocessed, err := h.app.DB.EventCounts(h.ctx)
	if err != nil || total != 2 || unprocessed != 0 {
		t.Fatalf("events: %d stored, %d unhandled, err=%v; want 2 stored, all handled", total, unprocessed, err)
	}
}

// nextMessage derives, from the body of a message_created delivery, the body of the same
// customer's next message saying text.
func nextMessage(t *testing.T, body []byte, text string) []byte {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	id, err := m["id"].(json.Number).Int64()
	if err != nil {
		t.Fatalf("message id %v: %v", m["id"], err)
	}
	m["id"], m["content"] = id+1000, text
	if conv, ok := m["conversation"].(map[string]any); ok {
		if msgs, ok := conv["messages"].([]any); ok && len(msgs) > 0 {
			if last, ok := msgs[0].(map[string]any); ok {
				last["id"], last["content"], last["processed_message_content"] = id+1000, text, text
			}
		}
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// telcoCallTimeout is the telco client's timeout in the fault tests: the service's
// default is 10 s, too long for a test of a slow telco; far shorter, and a call to a
// healthy telco on a loaded machine would count as failed.
const telcoCallTimeout = time.Second

// newTelcoFaultHarness is newRouterHarness with a telco client that gives up after
// telcoCallTimeout, jobs that end an hour after they start, and a poll every 30 ms so a
// run of failed calls happens quickly. The service's clock is the test's: real time plus
// what later has added, so that a job's deadline passes when the test says, not when the
// machine gets round to it.
func newTelcoFaultHarness(t *testing.T) (h *routerHarness, later func(time.Duration)) {
	t.Helper()
	sim := telcosim.New(telcosim.Options{Manual: true, Token: "telco-token", CallbackSecret: telcoSecret, Logf: t.Logf})
	srv := httptest.NewServer(sim)
	t.Cleanup(func() { sim.Close(); srv.Close() })
	cw := chatwoottest.NewServer(t, &chatwoottest.Options{WebhookSecret: testSecret})
	cfg := testConfig(t, cw.URL)
	addr := freeAddr(t)
	cfg.Addr, cfg.PublicURL = addr, "http://"+addr
	cfg.TelcoURL, cfg.TelcoToken, cfg.TelcoCallbackSecret = srv.URL, "telco-token", telcoSecret
	cfg.TelcoPollInterval = 30 * time.Millisecond
	cfg.TelcoJobTimeout = time.Hour
	var offset atomic.Int64
	later = func(d time.Duration) { offset.Add(int64(d)) }
	hh := &harness{t: t, cw: cw, cfg: cfg, ctx: context.Background()}
	app, err := NewApp(hh.ctx, cfg, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	app.DB.Now = func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	app.Outbox.BaseDelay, app.Outbox.MaxDelay = 20*time.Millisecond, 200*time.Millisecond
	runner := process.NewHTTPRunner(srv.URL, "telco-token", cfg.PublicURL+"/webhooks/telco", &http.Client{Timeout: telcoCallTimeout})
	app.Runner, app.Jobs.Runner = runner, runner
	if err := app.Start(hh.ctx); err != nil {
		t.Fatal(err)
	}
	hh.app = app
	cw.SetWebhookURL(app.URL() + "/webhooks/chatwoot")
	t.Cleanup(func() { app.Close() })
	return &routerHarness{harness: hh, sim: sim}, later
}

// telcoFault is one way the telco misbehaves, and its cure.
type telcoFault struct {
	name      string
	on, off   func(sim *telcosim.Sim, router string)
	startOnly bool // the fault is in the answer to the start, not to polls
}

var telcoFaults = []telcoFault{
	{name: "Down", on: func(s *telcosim.Sim, _ string) { s.SetDown(true) }, off: func(s *telcosim.Sim, _ string) { s.SetDown(false) }},
	// Slower than the client's timeout: the same as down. The telco holds each call until
	// the client gives up, however long the machine takes to.
	{name: "Slow", on: func(s *telcosim.Sim, _ string) { s.SetSlow(time.Minute) }, off: func(s *telcosim.Sim, _ string) { s.SetSlow(0) }},
	{name: "Garbage", on: func(s *telcosim.Sim, _ string) { s.SetGarbage(true) }, off: func(s *telcosim.Sim, _ string) { s.SetGarbage(false) }},
	{name: "Start503", startOnly: true,
		on: func(s *telcosim.Sim, r string) {
			s.SetScenario(r, telcosim.Scenario{StartStatus: http.StatusServiceUnavailable})
		},
		off: func(s *telcosim.Sim, r string) { s.SetScenario(r, telcosim.Scenario{}) }},
	{name: "StartGarbage", startOnly: true,
		on:  func(s *telcosim.Sim, r string) { s.SetScenario(r, telcosim.Scenario{Garbage: true}) },
		off: func(s *telcosim.Sim, r string) { s.SetScenario(r, telcosim.Scenario{}) }},
}

const telcoSlowText = "Our update service is slow to answer"

// waitText waits until the conversation's last message contains want.
func (h *routerHarness) waitText(conv int64, want string) {
	h.t.Helper()
	deadline := time.Now().Add(hangGuard)
	for !strings.Contains(h.lastText(conv), want) {
		if time.Now().After(deadline) {
			h.t.Fatalf("posted %q, want a last message with %q", contents(h.public(conv)), want)
		}
		time.Sleep(20 * time.Millisecond)
		h.settle()
	}
}

// closesQuickly closes the service and fails the test if that hangs (hangGuard): no
// call toward a misbehaving telco may hold it.
func closesQuickly(h *routerHarness) {
	h.t.Helper()
	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- h.app.Close() }()
	select {
	case err := <-done:
		if err != nil {
			h.t.Fatal(err)
		}
	case <-time.After(hangGuard):
		h.t.Fatalf("the service did not close within %v", hangGuard)
	}
	h.t.Logf("closed in %v", time.Since(start).Round(time.Millisecond))
}

// TestFaultTelcoRecovers: the telco is down, slow or answers garbage when the customer
// confirms an update. After a few failed calls the customer is told plainly that the
// service is slow (once); when the telco is back the update starts and runs to success.
// One case breaks the telco in the middle of an update instead.
func TestFaultTelcoRecovers(t *testing.T) {
	t.Parallel()
	h, _ := newTelcoFaultHarness(t)
	for i, f := range telcoFaults {
		t.Run(f.name, func(t *testing.T) {
			h.t = t
			router := fmt.Sprintf("RECOVER%02d", i)
			conv := h.conv(router)
			ops := len(h.sim.Operations())
			f.on(h.sim, router)
			h.askAndConfirm(conv)
			h.waitText(conv, telcoSlowText)
			if n := len(h.sim.Operations()); n != ops {
				t.Fatalf("%d operations started while the telco was broken", n-ops)
			}
			f.off(h.sim, router)
			op := h.started(ops + 1)
			h.advance(op, 5)
			// Slow before anything was asked for; the start told once the telco answered.
			if got := h.afterConfirm(conv); len(got) < 2 || !strings.HasPrefix(got[0], telcoSlowText) || !strings.HasPrefix(got[1], "OK, I've asked for the update") {
				t.Fatalf("told %q, want the service is slow, then the start", got)
			}
			assertSteps(t, h.afterStart(conv), successSteps)
			jobs, err := h.app.DB.ListJobs(h.ctx, false, 100)
			if err != nil {
				t.Fatal(err)
			}
			if jobs[0].RouterID != router || jobs[0].State != "succeeded" {
				t.Fatalf("job %+v, want the update of %s succeeded", jobs[0], router)
			}
		})
	}
	t.Run("MidUpdate", func(t *testing.T) {
		h.t = t
		for _, f := range telcoFaults {
			if f.startOnly {
				continue
			}
			router := "MIDWAY" + strings.ToUpper(f.name)
			conv := h.conv(router)
			h.askAndConfirm(conv)
			op := h.started(len(h.sim.Operations()))
			h.advance(op, 2) // queued, downloading, installing told
			f.on(h.sim, router)
			h.waitText(conv, telcoSlowText)
			f.off(h.sim, router)
			h.advance(op, 3)
			want := append(append(append([]string{}, successSteps[:2]...), telcoSlowText), successSteps[2:]...)
			assertSteps(t, h.afterStart(conv), want)
		}
	})
	h.t = t
	closesQuickly(h)
}

// TestFaultTelcoGivesUp: the telco stays down, slow or broken until the job's deadline
// (TELCO_JOB_TIMEOUT). The customer hears that the service is slow, then that it is not
// answering, with the failure menu; the job ends failed as unavailable. Once the telco is
// back, Retry starts a new update. The deadline passes when the customer has heard that
// the service is slow: the service's clock jumps past it.
func TestFaultTelcoGivesUp(t *testing.T) {
	t.Parallel()
	h, later := newTelcoFaultHarness(t)
	for i, f := range telcoFaults {
		t.Run(f.name, func(t *testing.T) {
			h.t = t
			router := fmt.Sprintf("GIVEUP%02d", i)
			conv := h.conv(router)
			ops := len(h.sim.Operations())
			f.on(h.sim, router)
			defer f.off(h.sim, router)
			h.askAndConfirm(conv)
			h.waitText(conv, telcoSlowText)
			later(2 * h.cfg.TelcoJobTimeout)
			h.waitText(conv, "isn't answering right now")
			got := h.afterConfirm(conv) // nothing was asked for: no start message
			if len(got) != 2 || !strings.HasPrefix(got[0], telcoSlowText) {
				t.Fatalf("told %q, want the service is slow, then that it is not answering", got)
			}
			last := h.public(conv)[len(h.public(conv))-1]
			var values []string
			for _, it := range last.Items {
				values = append(values, it.Value)
			}
			if fmt.Sprint(values) != "[retry agent cancel]" {
				t.Fatalf("failure menu %v, want [retry agent cancel]", values)
			}
			if n := len(h.sim.Operations()); n != ops {
				t.Fatalf("%d operations started while the telco was broken", n-ops)
			}
			jobs, err := h.app.DB.ListJobs(h.ctx, false, 100)
			if err != nil {
				t.Fatal(err)
			}
			if j := jobs[0]; j.RouterID != router || j.State != "failed" || j.Detail != "unavailable" || j.FinishedAt.IsZero() {
				t.Fatalf("job %+v, want the update of %s failed as unavailable", j, router)
			}
			if active, err := h.app.DB.ListJobs(h.ctx, true, 100); err != nil || len(active) != 0 {
				t.Fatalf("active jobs %d (err %v), want none", len(active), err)
			}
			if i == len(telcoFaults)-1 {
				f.off(h.sim, router)
				h.tap(conv, "retry")
				h.started(ops + 1)
			}
		})
	}
	h.t = t
	closesQuickly(h)
}

// TestFaultDatabaseLockedMidDelivery locks the database while a reply is on its way to
// Chatwoot, for longer than the store's busy timeout, so the bot cannot record that
// Chatwoot took it. The reply must still be posted once: the bot keeps trying to record
// it rather than send it again.
//
// Chatwoot holds the greeting's call until the test has the lock, and the lock is let go
// once the store has counted the write that gave up on it: the same order of things on
// any machine, where a second of latency and sleeps of 0.2 and 6.5 s left it to chance.
func TestFaultDatabaseLockedMidDelivery(t *testing.T) {
	t.Parallel()
	var fake atomic.Pointer[chatwoottest.Server]
	held, gate := make(chan struct{}), make(chan struct{})
	var holdOnce, gateOnce sync.Once
	openGate := func() { gateOnce.Do(func() { close(gate) }) }
	t.Cleanup(openGate)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/messages") {
			first := false
			holdOnce.Do(func() { first = true })
			if first { // the greeting's call: under way until the test says
				close(held)
				select {
				case <-gate:
				case <-r.Context().Done():
					return
				}
			}
		}
		fake.Load().ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	h := newHarness(t, &chatwoottest.Options{NoEcho: true}, func(c *Config) { c.ChatwootURL = front.URL })
	fake.Store(h.cw)
	conv := h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Maria"})
	h.says(conv, "hi")
	h.says(conv, "thanks") // its answer waits behind the greeting
	select {
	case <-held:
	case <-time.After(hangGuard):
		t.Fatal("the greeting was never sent")
	}
	lock := holdWriteLock(t, h.ctx, h.cfg.DB)
	failed := commitFailures(h)
	openGate() // Chatwoot takes the greeting; recording it waits out the busy timeout and fails
	waitCommitFailed(t, failed)
	if _, err := lock.ExecContext(h.ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	h.settle()
	if got := h.public(conv); len(got) != 2 || !strings.HasPrefix(got[0].Content, "Hi Maria") || !strings.Contains(got[1].Content, "welcome") {
		t.Fatalf("posted %q, want the greeting and the answer to the thanks once each, in order", contents(got))
	}
	if sent := h.outbox(store.OutboxSent); len(sent) != 2 {
		t.Fatalf("%d rows recorded sent, want 2", len(sent))
	}
}

// holdWriteLock takes SQLite's write lock on path from a connection of its own, as another
// process would; the caller ends it with ROLLBACK. The connection closes with the test.
func holdWriteLock(t *testing.T, ctx context.Context, path string) *sql.Conn {
	t.Helper()
	lockDB, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lockDB.Close() })
	lock, err := lockDB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lock.Close() })
	if _, err := lock.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	return lock
}

// commitFailures tells of every transaction of h's database that fails, beside the
// metrics' own count: a test waits on it rather than polling the metric.
func commitFailures(h *harness) <-chan struct{} {
	failed := make(chan struct{}, 1)
	h.app.DB.OnCommit(func(units int, took time.Duration, err error) {
		h.app.Metrics.CommitObserved(units, took, err)
		if err != nil {
			select {
			case failed <- struct{}{}:
			default:
			}
		}
	})
	return failed
}

func waitCommitFailed(t *testing.T, failed <-chan struct{}) {
	t.Helper()
	select {
	case <-failed:
	case <-time.After(hangGuard):
		t.Fatalf("no transaction gave up on the lock within %v", hangGuard)
	}
}

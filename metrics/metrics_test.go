package metrics

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cwbot/cwbot/store"
)

// scrape fetches the handler's exposition and returns each sample as `name{labels}` → value.
func scrape(t *testing.T, h http.Handler) map[string]float64 {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics: status=%d: %s", rec.Code, rec.Body)
	}
	return parse(t, rec.Body)
}

func parse(t *testing.T, r io.Reader) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("bad sample line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

func want(t *testing.T, got map[string]float64, series string, v float64) {
	t.Helper()
	g, ok := got[series]
	if !ok {
		t.Errorf("%s: missing", series)
		return
	}
	if g != v {
		t.Errorf("%s = %v, want %v", series, g, v)
	}
}

func TestMetrics(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "bot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	t0 := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return t0 }
	var rows []*store.OutboxRow
	if err := db.Update(ctx, func(tx *store.Tx) error {
		for i := range 3 {
			r := &store.OutboxRow{AccountID: 1, ConversationID: int64(10 + i), Kind: "message", Payload: []byte(`{}`)}
			if err := tx.AddOutbox(ctx, r); err != nil {
				return err
			}
			rows = append(rows, r)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkOutboxDead(ctx, rows[2].ID, "422 refused"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Ingest(ctx, &store.Event{Source: "chatwoot", Name: "message_created", ConversationID: 10, Body: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	db.Now = func() time.Time { return t0.Add(90 * time.Second) }

	m := New(db)
	m.WebhookObserved("message_created", "stored", 2*time.Millisecond)
	m.WebhookObserved("message_created", "stored", 3*time.Millisecond)
	m.WebhookObserved("", "unauthorized", time.Millisecond)
	m.WebhookObserved("something_new", "ignored", time.Millisecond)
	m.ChatwootCall("create_message", 200, 40*time.Millisecond)
	m.ChatwootCall("create_message", 0, 10*time.Second)
	m.OutboxDelivered(&store.OutboxRow{Kind: "message"}, nil, false)
	m.OutboxDelivered(&store.OutboxRow{Kind: "message"}, errors.New("503"), false)
	m.OutboxDelivered(&store.OutboxRow{Kind: "labels"}, errors.New("422"), true)
	m.JobObserved(&store.Job{State: "queued"})
	m.JobObserved(&store.Job{State: "running"})
	m.JobObserved(&store.Job{State: "succeeded", FinishedAt: t0})
	m.JobObserved(&store.Job{State: "failed", Detail: "timeout", FinishedAt: t0})
	m.JobObserved(&store.Job{State: "failed", Detail: "firmware image corrupt", FinishedAt: t0})
	m.JobObserved(&store.Job{State: "weird"})
	m.Handoff("intent", "handed_off")
	m.Intent("greeting")
	m.Intent("greeting")
	m.EventHandled(&store.Event{Source: "chatwoot"}, "handled")
	m.EventHandled(&store.Event{Source: "telco"}, "handled")

	got := scrape(t, m.Handler())
	want(t, got, `cwbot_webhooks_total{event="message_created",outcome="stored"}`, 2)
	want(t, got, `cwbot_webhooks_total{event="unknown",outcome="unauthorized"}`, 1)
	want(t, got, `cwbot_webhooks_total{event="other",outcome="ignored"}`, 1)
	want(t, got, `cwbot_webhook_ack_seconds_count`, 4)
	want(t, got, `cwbot_webhook_ack_seconds_bucket{le="0.0005"}`, 0)
	want(t, got, `cwbot_webhook_ack_seconds_bucket{le="0.0025"}`, 3)
	want(t, got, `cwbot_webhook_ack_seconds_bucket{le="5"}`, 4)
	want(t, got, `cwbot_chatwoot_requests_total{endpoint="create_message",status="200"}`, 1)
	want(t, got, `cwbot_chatwoot_requests_total{endpoint="create_message",status="error"}`, 1)
	want(t, got, `cwbot_chatwoot_request_seconds_count{endpoint="create_message"}`, 2)
	want(t, got, `cwbot_outbox_deliveries_total{kind="message",result="sent"}`, 1)
	want(t, got, `cwbot_outbox_deliveries_total{kind="message",result="retry"}`, 1)
	want(t, got, `cwbot_outbox_deliveries_total{kind="labels",result="dead"}`, 1)
	want(t, got, `cwbot_router_jobs_total{state="queued"}`, 1)
	want(t, got, `cwbot_router_jobs_total{state="failed"}`, 2)
	want(t, got, `cwbot_router_jobs_total{state="other"}`, 1)
	want(t, got, `cwbot_router_job_outcomes_total{reason="none",result="succeeded"}`, 1)
	want(t, got, `cwbot_router_job_outcomes_total{reason="timeout",result="failed"}`, 1)
	want(t, got, `cwbot_router_job_outcomes_total{reason="telco",result="failed"}`, 1)
	want(t, got, `cwbot_handoffs_total{reason="intent",result="handed_off"}`, 1)
	want(t, got, `cwbot_intents_total{intent="greeting"}`, 2)
	want(t, got, `cwbot_events_handled_total{outcome="handled",source="chatwoot"}`, 1)
	want(t, got, `cwbot_events_handled_total{outcome="handled",source="telco"}`, 1)
	want(t, got, `cwbot_store_up`, 1)
	want(t, got, `cwbot_outbox_pending`, 2)
	want(t, got, `cwbot_outbox_dead`, 1)
	want(t, got, `cwbot_outbox_oldest_pending_age_seconds`, 90)
	want(t, got, `cwbot_events_unhandled`, 1)
	if _, ok := got["go_goroutines"]; !ok {
		t.Error("go collector missing")
	}
	if _, ok := got["process_open_fds"]; !ok {
		t.Error("process collector missing")
	}

	// A database that does not answer still leaves a scrape that works, saying so.
	db.Close()
	got = scrape(t, m.Handler())
	want(t, got, `cwbot_store_up`, 0)
	if _, ok := got["cwbot_outbox_pending"]; ok {
		t.Error("outbox gauge reported without a database")
	}
	want(t, got, `cwbot_intents_total{intent="greeting"}`, 2)
}

func TestEmptyQueue(t *testing.T) {
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "bot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	got := scrape(t, New(db).Handler())
	want(t, got, `cwbot_outbox_pending`, 0)
	want(t, got, `cwbot_outbox_oldest_pending_age_seconds`, 0)
	want(t, got, `cwbot_outbox_dead`, 0)
	want(t, got, `cwbot_events_unhandled`, 0)
}

package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
	"github.com/cwbot/cwbot/process"
	"github.com/cwbot/cwbot/process/telcosim"
)

// metricsScrape GETs /metrics from the running service and returns each sample as
// `name{labels}` → value.
func metricsScrape(t *testing.T, h *harness) map[string]float64 {
	t.Helper()
	resp, err := http.Get(h.app.URL() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET /metrics: %d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
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
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// metricIs checks one sample; min makes it a lower bound.
func metricIs(t *testing.T, got map[string]float64, series string, v float64, min bool) {
	t.Helper()
	g, ok := got[series]
	switch {
	case !ok:
		t.Errorf("%s: missing", series)
	case min && g < v:
		t.Errorf("%s = %v, want at least %v", series, g, v)
	case !min && g != v:
		t.Errorf("%s = %v, want %v", series, g, v)
	}
}

func TestMetricsEndpoint(t *testing.T) {
	h := newHarness(t, nil, nil)
	got := metricsScrape(t, h)
	metricIs(t, got, `cwbot_store_up`, 1, false)
	metricIs(t, got, `cwbot_outbox_pending`, 0, false)
	if _, ok := got[`cwbot_webhooks_total{event="message_created",outcome="stored"}`]; ok {
		t.Error("a webhook counted before any was sent")
	}

	conv := h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Maria Silva"})
	h.says(conv, "hello")
	h.settle()
	body := []byte(`{"event":"message_created"}`)
	req, _ := http.NewRequest(http.MethodPost, h.app.URL()+"/webhooks/chatwoot", bytes.NewReader(body))
	req.Header = chatwoottest.SignedHeaders("not-the-secret", time.Now(), body, "d-401")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("badly signed webhook: %d, want 401", resp.StatusCode)
	}

	got = metricsScrape(t, h)
	metricIs(t, got, `cwbot_webhooks_total{event="message_created",outcome="stored"}`, 1, false)
	metricIs(t, got, `cwbot_webhooks_total{event="unknown",outcome="unauthorized"}`, 1, false)
	// The bot's own message comes back as a webhook, answered and dropped.
	metricIs(t, got, `cwbot_webhooks_total{event="message_created",outcome="ignored"}`, 1, true)
	metricIs(t, got, `cwbot_webhook_ack_seconds_count`, 3, true)
	metricIs(t, got, `cwbot_webhook_ack_seconds_bucket{le="5"}`, got[`cwbot_webhook_ack_seconds_count`], false)
	metricIs(t, got, `cwbot_chatwoot_requests_total{endpoint="create_message",status="200"}`, 1, true)
	metricIs(t, got, `cwbot_chatwoot_request_seconds_count{endpoint="create_message"}`, 1, true)
	metricIs(t, got, `cwbot_outbox_deliveries_total{kind="message",result="sent"}`, 1, true)
	metricIs(t, got, `cwbot_intents_total{intent="greeting"}`, 1, false)
	metricIs(t, got, `cwbot_dialogue_rules_total{rule="greeted",state="idle"}`, 1, false)
	metricIs(t, got, `cwbot_events_handled_total{outcome="handled",source="chatwoot"}`, 1, false)
	metricIs(t, got, `cwbot_outbox_pending`, 0, false)
	metricIs(t, got, `cwbot_outbox_oldest_pending_age_seconds`, 0, false)
	metricIs(t, got, `cwbot_outbox_dead`, 0, false)
	metricIs(t, got, `cwbot_events_unhandled`, 0, false)
	// The writer's transactions: the webhook stored, its handling and the two marks of
	// sent replies, whichever commits they shared.
	metricIs(t, got, `cwbot_store_commit_units_sum`, 4, true)
	metricIs(t, got, `cwbot_store_commit_seconds_count`, got[`cwbot_store_commit_units_count`], false)
	metricIs(t, got, `cwbot_store_commit_seconds_count`, 1, true)
	metricIs(t, got, `cwbot_store_commit_seconds_bucket{le="5"}`, got[`cwbot_store_commit_seconds_count`], false)
	metricIs(t, got, `cwbot_store_commit_errors_total`, 0, false)
	metricIs(t, got, `go_goroutines`, 1, true)
	metricIs(t, got, `process_resident_memory_bytes`, 1, true)

	// A Chatwoot that refuses a call for good leaves a dead row, counted and gauged.
	h.cw.FailNext(1, http.StatusUnprocessableEntity)
	h.says(conv, "hello")
	h.settle()
	got = metricsScrape(t, h)
	metricIs(t, got, `cwbot_chatwoot_requests_total{endpoint="create_message",status="422"}`, 1, false)
	metricIs(t, got, `cwbot_outbox_deliveries_total{kind="message",result="dead"}`, 1, false)
	metricIs(t, got, `cwbot_outbox_dead`, 1, false)
	metricIs(t, got, `cwbot_webhooks_total{event="message_created",outcome="stored"}`, 2, false)
}

func TestMetricsRouterJobs(t *testing.T) {
	t.Parallel()
	h := newRouterHarness(t, nil)
	conv := h.conv("ABC123456")
	h.sim.SetNextScenario(telcosim.Scenario{FailAt: process.StepDownloading, Detail: "no space left on device"})
	h.askAndConfirm(conv)
	h.advance(h.started(1), 3)
	h.tap(conv, "retry")
	h.advance(h.started(2), 5)
	got := metricsScrape(t, h.harness)
	metricIs(t, got, `cwbot_router_job_outcomes_total{reason="telco",result="failed"}`, 1, false)
	metricIs(t, got, `cwbot_router_job_outcomes_total{reason="none",result="succeeded"}`, 1, false)
	metricIs(t, got, `cwbot_router_jobs_total{state="succeeded"}`, 1, false)
	metricIs(t, got, `cwbot_router_jobs_total{state="failed"}`, 1, false)
	metricIs(t, got, `cwbot_router_jobs_total{state="running"}`, 1, true)
	metricIs(t, got, `cwbot_events_handled_total{outcome="handled",source="telco"}`, 1, true)
}

// syncBuffer is a log destination the test can read while the service writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLogsKeepSecrets runs the service at debug level, in both log formats, through
// replies, failures and refused webhooks, and checks that no secret reaches a log line.
func TestLogsKeepSecrets(t *testing.T) {
	const (
		webhookSecret = "wh-secret-Zq81xKp"
		botToken      = "bot-token-Hf27mWd"
		userToken     = "user-token-Lr94tBn"
		webhookToken  = "webhook-token-Qa55yVe"
	)
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			var logs syncBuffer
			cw := chatwoottest.NewServer(t, &chatwoottest.Options{WebhookSecret: webhookSecret, BotToken: botToken, UserToken: userToken})
			cfg := testConfig(t, cw.URL)
			cfg.WebhookSecret, cfg.BotToken, cfg.UserToken, cfg.WebhookToken = webhookSecret, botToken, userToken, webhookToken
			cfg.LogLevel, cfg.LogFormat = "debug", format
			logger, err := cfg.NewLogger(&logs)
			if err != nil {
				t.Fatal(err)
			}
			app, err := NewApp(context.Background(), cfg, logger)
			if err != nil {
				t.Fatal(err)
			}
			app.Outbox.BaseDelay, app.Outbox.MaxDelay = 20*time.Millisecond, 200*time.Millisecond
			if err := app.Start(context.Background()); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { app.Close() })
			cw.SetWebhookURL(app.URL() + "/webhooks/chatwoot")
			h := &harness{t: t, cw: cw, app: app, cfg: cfg, ctx: context.Background()}
			// What serve logs at start.
			logger.Info("cwbot serving", slog.String("addr", app.Addr()), slog.Any("config", cfg))

			conv := cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Maria Silva"})
			h.says(conv, "hello")
			cw.FailNext(1, http.StatusInternalServerError) // retried
			h.says(conv, "I want to talk to a human")
			cw.FailNext(1, http.StatusUnauthorized) // given up on
			h.says(conv, "what's the weather like on mars")
			h.settle()
			body := []byte(`{"event":"message_created","id":1}`)
			for _, url := range []string{
				app.URL() + "/webhooks/chatwoot",
				app.URL() + "/webhooks/chatwoot?token=" + webhookToken,
			} {
				req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
				req.Header = chatwoottest.SignedHeaders("wrong-"+webhookSecret, time.Now(), body, "")
				req.Header.Set("api_access_token", botToken)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusUnauthorized {
					t.Fatalf("webhook signed with the wrong secret: %d, want 401", resp.StatusCode)
				}
			}
			if err := app.Close(); err != nil {
				t.Fatal(err)
			}

			out := logs.String()
			for _, want := range []string{"webhook rejected", "event handled", "[redacted]"} {
				if !strings.Contains(out, want) {
					t.Errorf("logs lack %q: the test did not exercise what it means to:\n%s", want, out)
				}
			}
			for name, secret := range map[string]string{"webhook secret": webhookSecret, "bot token": botToken,
				"user token": userToken, "webhook token": webhookToken} {
				if strings.Contains(out, secret) {
					for _, l := range strings.Split(out, "\n") {
						if strings.Contains(l, secret) {
							t.Errorf("the %s is in a log line: %s", name, l)
						}
					}
				}
			}
		})
	}
}

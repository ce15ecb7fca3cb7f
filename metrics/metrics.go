// Package metrics exposes the bot's Prometheus metrics. Counters and histograms are fed by
// the hooks of the other parts (server, pipeline, bot, chatwoot client); the queue gauges are
// read from the database at scrape time, so they are right even across restarts.
package metrics

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/cwbot/cwbot/chatwoot"
	"github.com/cwbot/cwbot/store"
)

// Namespace prefixes every metric of the bot.
const Namespace = "cwbot"

// Job failure reasons the bot itself decides; any other failure is the telco's ("telco").
var jobReasons = map[string]bool{"unknown_router": true, "timeout": true, "unavailable": true, "rejected": true}

// Job states the telco reports, plus the bot's own (starting, sending, cancelled); anything else is "other".
var jobStates = map[string]bool{store.JobStarting: true, store.JobSending: true, store.JobCancelled: true, "queued": true, "running": true, "succeeded": true, "failed": true}

// Chatwoot webhook events; any other name (the event comes from the payload) is "other".
var webhookEvents = map[string]bool{
	"message_created": true, "message_updated": true,
	"conversation_created": true, "conversation_opened": true, "conversation_resolved": true,
	"conversation_status_changed": true, "conversation_updated": true,
	"conversation_typing_on": true, "conversation_typing_off": true,
	"contact_created": true, "contact_updated": true, "webwidget_triggered": true,
}

// storeTimeout bounds the queries run at scrape time.
const storeTimeout = 3 * time.Second

// Metrics holds the bot's collectors in their own registry.
type Metrics struct {
	// Logger, when set, is told of scrape-time failures (a database that does not answer).
	Logger *slog.Logger

	reg *prometheus.Registry

	webhooks      *prometheus.CounterVec
	webhookAck    prometheus.Histogram
	chatwootCalls *prometheus.CounterVec
	chatwootTime  *prometheus.HistogramVec
	deliveries    *prometheus.CounterVec
	paused        *prometheus.GaugeVec
	jobStates     *prometheus.CounterVec
	jobOutcomes   *prometheus.CounterVec
	handoffs      *prometheus.CounterVec
	intents       *prometheus.CounterVec
	rules         *prometheus.CounterVec
	eventsHandled *prometheus.CounterVec
	outageChecks  *prometheus.CounterVec
	outagesEnded  *prometheus.CounterVec
	commitTime    prometheus.Histogram
	commitUnits   prometheus.Histogram
	commitErrors  prometheus.Counter

	payloadsDropped, payloadRepairs *prometheus.CounterVec // payloads.go
}

// fastBuckets are for what a disk's fsync bounds from below: a webhook's acknowledgement
// and a commit of the single writer, from half a millisecond to 5 s.
var fastBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}

// New builds the metrics. db, when not nil, is read at each scrape for the queue gauges.

func New(db *store.DB) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.webhooks = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "webhooks_total",
		Help: "Chatwoot webhooks received, by event and outcome (stored, duplicate, ignored, unauthorized, too_large, bad_request, unavailable).",
	}, []string{"event", "outcome"})
	m.webhookAck = prometheus.NewHistogram(prometheus.HistogramOpts{
		Namespace: Namespace, Name: "webhook_ack_seconds",
		Help:    "Time taken to answer a Chatwoot webhook.",
		Buckets: fastBuckets,
	})
	m.chatwootCalls = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "chatwoot_requests_total",
		Help: `Calls to the Chatwoot API, by endpoint and HTTP status ("error" when no answer came).`,
	}, []string{"endpoint", "status"})
	m.chatwootTime = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: Namespace, Name: "chatwoot_request_seconds",
		Help:    "Latency of calls to the Chatwoot API, by endpoint.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"endpoint"})
	m.deliveries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "outbox_deliveries_total",
		Help: "Outbox delivery attempts, by kind and result (sent, retry, throttled: a 429, dead).",
	}, []string{"kind", "result"})
	m.paused = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: Namespace, Name: "outbox_paused",
		Help: "1 while every call toward Chatwoot is paused, by reason: unreachable (no answer, 502, 503, 504) or rate_limited (429).",
	}, []string{"reason"})
	for _, r := range pauseReasons {
		m.paused.WithLabelValues(r)
	}
	m.jobStates = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "router_jobs_total",
		Help: "Router update job transitions, by the state entered.",
	}, []string{"state"})
	m.jobOutcomes = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "router_job_outcomes_total",
		Help: "Router update jobs finished, by result (succeeded, failed) and reason (unknown_router, timeout, unavailable, rejected, not_yours, unverified, telco; none on success).",
	}, []string{"result", "reason"})
	m.handoffs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "handoffs_total",
		Help: "Handoff decisions, by reason (why a person was asked for) and result (as the bot reports it: handed_off, waiting, failed, ...).",
	}, []string{"reason", "result"})
	m.intents = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "intents_total",
		Help: "Customer messages classified, by intent.",
	}, []string{"intent"})
	m.rules = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "dialogue_rules_total",
		Help: "Dialogue rules fired, by the state the conversation was in and the rule's name (bot/dialogue.go).",
	}, []string{"state", "rule"})
	m.eventsHandled = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "events_handled_total",
		Help: "Stored events handled by the processor, by source (chatwoot, telco) and outcome.",
	}, []string{"source", "outcome"})
	m.outageChecks = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "outage_checks_total",
		Help: "Questions to the Outage API, by result: active, none, error (failed or slow: the bot answered as without it).",
	}, []string{"result"})
	m.outagesEnded = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "outages_ended_total",
		Help: "Customers found waiting to hear of an outage's end once it ended, by how it was learnt: callback or poll.",
	}, []string{"source"})
	m.commitTime = prometheus.NewHistogram(prometheus.HistogramOpts{
		Namespace: Namespace, Name: "store_commit_seconds",
		Help:    "Time of each transaction of the database's single writer, from its start to the end of its commit (fsync included): the floor of a webhook's acknowledgement, and a slow disk's first sign.",
		Buckets: fastBuckets,
	})
	m.commitUnits = prometheus.NewHistogram(prometheus.HistogramOpts{
		Namespace: Namespace, Name: "store_commit_units",
		Help:    "Units of work per transaction of the single writer (webhooks stored, handled events, outbox marks): group commit at work.",
		Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256, 512},
	})
	m.commitErrors = prometheus.NewCounter(prometheus.CounterOpts{
		Namespace: Namespace, Name: "store_commit_errors_total",
		Help: "Transactions of the single writer that failed (locked, full or unwritable database): nothing in them was written, and a webhook among them was answered 500.",
	})

	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.webhooks, m.webhookAck, m.chatwootCalls, m.chatwootTime, m.deliveries, m.paused,
		m.jobStates, m.jobOutcomes, m.handoffs, m.intents, m.rules, m.eventsHandled, m.outageChecks, m.outagesEnded,
		m.commitTime, m.commitUnits, m.commitErrors,
	)
	m.registerPayloads()
	if db != nil {
		m.reg.MustRegister(&storeCollector{m: m, db: db})
	}
	return m
}

// Registry is the metrics' own registry (not the global default).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		Registry:            m.reg, // counts the handler's own errors
		ErrorHandling:       promhttp.ContinueOnError,
		Timeout:             10 * time.Second,
		MaxRequestsInFlight: 4,
	})
}

// CommitObserved is store.DB's OnCommit hook.
func (m *Metrics) CommitObserved(units int, took time.Duration, err error) {
	if err != nil {
		m.commitErrors.Inc()
		return
	}
	m.commitTime.Observe(took.Seconds())
	m.commitUnits.Observe(float64(units))
}

// WebhookObserved is server.Server's Observe hook.
func (m *Metrics) WebhookObserved(event, outcome string, d time.Duration) {
	switch {
	case event == "":
		event = "unknown" // refused before the event was read
	case !webhookEvents[event]:
		event = "other"
	}
	m.webhooks.WithLabelValues(event, outcome).Inc()
	m.webhookAck.Observe(d.Seconds())
}

// ChatwootCall is the chatwoot client's observer (chatwoot.WithObserver).
func (m *Metrics) ChatwootCall(endpoint string, status int, d time.Duration) {
	s := "error"
	if status > 0 {
		s = strconv.Itoa(status)
	}
	m.chatwootCalls.WithLabelValues(endpoint, s).Inc()
	m.chatwootTime.WithLabelValues(endpoint).Observe(d.Seconds())
}

// OutboxDelivered is pipeline.Outbox's Delivered hook.
func (m *Metrics) OutboxDelivered(row *store.OutboxRow, err error, dead bool) {
	result := "sent"
	switch {
	case dead:
		result = "dead"
	case errors.Is(err, chatwoot.ErrRateLimited):
		result = "throttled"
	case err != nil:
		result = "retry"
	}
	m.deliveries.WithLabelValues(row.Kind, result).Inc()
}

// pauseReasons are the reasons pipeline.Outbox pauses every call for.
var pauseReasons = []string{"unreachable", "rate_limited"}

// OutboxPaused is pipeline.Outbox's Paused hook: reason is why every call is paused, ""
// once they resume.
func (m *Metrics) OutboxPaused(reason string) {
	for _, r := range pauseReasons {
		v := 0.0
		if r == reason {
			v = 1
		}
		m.paused.WithLabelValues(r).Set(v)
	}
}

// JobObserved is pipeline.Jobs' Observed hook: each state a job enters, and its outcome
// once final.
func (m *Metrics) JobObserved(j *store.Job) {
	state := j.State
	if !jobStates[state] {
		state = "other"
	}
	m.jobStates.WithLabelValues(state).Inc()
	if !j.Final() {
		return
	}
	switch j.State {
	case "succeeded":
		m.jobOutcomes.WithLabelValues("succeeded", "none").Inc()
	default:
		reason := "telco"
		if jobReasons[j.Detail] {
			reason = j.Detail
		}
		m.jobOutcomes.WithLabelValues("failed", reason).Inc()
	}
}

// Handoff is bot.Bot's OnHandoff hook.
func (m *Metrics) Handoff(reason, result string) { m.handoffs.WithLabelValues(reason, result).Inc() }

// Intent is bot.Bot's OnIntent hook.
func (m *Metrics) Intent(name string) { m.intents.WithLabelValues(name).Inc() }

// Rule is bot.Bot's OnRule hook.
func (m *Metrics) Rule(state, name string) { m.rules.WithLabelValues(state, name).Inc() }

// OutageChecked is pipeline.Outages' Checked hook.
func (m *Metrics) OutageChecked(result string) { m.outageChecks.WithLabelValues(result).Inc() }

// OutageEnded is pipeline.Outages' Ended hook.
func (m *Metrics) OutageEnded(source string) { m.outagesEnded.WithLabelValues(source).Inc() }

// EventHandled is pipeline.Processor's Handled hook.
func (m *Metrics) EventHandled(ev *store.Event, outcome string) {
	m.eventsHandled.WithLabelValues(ev.Source, outcome).Inc()
}

// storeCollector reads the queues from the database at each scrape.
type storeCollector struct {
	m  *Metrics
	db *store.DB
}

var (
	descStoreUp = prometheus.NewDesc(Namespace+"_store_up",
		"1 when the database answered the scrape's queries, else 0 (and the queue gauges are absent).", nil, nil)
	descPending = prometheus.NewDesc(Namespace+"_outbox_pending",
		"Outbox rows waiting to be delivered to Chatwoot.", nil, nil)
	descOldest = prometheus.NewDesc(Namespace+"_outbox_oldest_pending_age_seconds",
		"Age of the oldest pending outbox row (0 when none is pending).", nil, nil)
	descDead = prometheus.NewDesc(Namespace+"_outbox_dead",
		"Outbox rows given up on (see `cwbot outbox list --dead`).", nil, nil)
	descUnhandled = prometheus.NewDesc(Namespace+"_events_unhandled",
		"Stored webhook and telco events not handled yet.", nil, nil)
)

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descStoreUp
	ch <- descPending
	ch <- descOldest
	ch <- descDead
	ch <- descUnhandled
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	st, err := c.db.OutboxStats(ctx)
	var unhandled int64
	if err == nil {
		_, unhandled, err = c.db.EventCounts(ctx)
	}
	if err != nil {
		if c.m.Logger != nil {
			c.m.Logger.Warn("metrics: reading the queues failed", slog.Any("error", err))
		}
		ch <- prometheus.MustNewConstMetric(descStoreUp, prometheus.GaugeValue, 0)
		return
	}
	age := 0.0
	if st.Pending > 0 && !st.OldestPending.IsZero() {
		age = max(c.db.Now().Sub(st.OldestPending).Seconds(), 0)
	}
	ch <- prometheus.MustNewConstMetric(descStoreUp, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(descPending, prometheus.GaugeValue, float64(st.Pending))
	ch <- prometheus.MustNewConstMetric(descOldest, prometheus.GaugeValue, age)
	ch <- prometheus.MustNewConstMetric(descDead, prometheus.GaugeValue, float64(st.Dead))
	ch <- prometheus.MustNewConstMetric(descUnhandled, prometheus.GaugeValue, float64(unhandled))
}

package metrics

import (
	"errors"
	"testing"

	"github.com/cwbot/cwbot/chatwoot"
	"github.com/cwbot/cwbot/store"
)

// cwbot_outbox_paused tells why every call toward Chatwoot is paused, and a 429 is counted
// as throttled rather than as a failed attempt to retry.
func TestOutboxPausedAndThrottled(t *testing.T) {
	m := New(nil)
	got := scrape(t, m.Handler())
	want(t, got, `cwbot_outbox_paused{reason="unreachable"}`, 0)
	want(t, got, `cwbot_outbox_paused{reason="rate_limited"}`, 0)
	m.OutboxPaused("rate_limited")
	m.OutboxDelivered(&store.OutboxRow{Kind: "send_message"}, &chatwoot.APIError{Endpoint: "create_message", StatusCode: 429}, false)
	m.OutboxDelivered(&store.OutboxRow{Kind: "send_message"}, errors.New("chatwoot: create_message: connection refused"), false)
	got = scrape(t, m.Handler())
	want(t, got, `cwbot_outbox_paused{reason="unreachable"}`, 0)
	want(t, got, `cwbot_outbox_paused{reason="rate_limited"}`, 1)
	want(t, got, `cwbot_outbox_deliveries_total{kind="send_message",result="throttled"}`, 1)
	want(t, got, `cwbot_outbox_deliveries_total{kind="send_message",result="retry"}`, 1)
	m.OutboxPaused("unreachable")
	got = scrape(t, m.Handler())
	want(t, got, `cwbot_outbox_paused{reason="unreachable"}`, 1)
	want(t, got, `cwbot_outbox_paused{reason="rate_limited"}`, 0)
	m.OutboxPaused("")
	got = scrape(t, m.Handler())
	want(t, got, `cwbot_outbox_paused{reason="unreachable"}`, 0)
	want(t, got, `cwbot_outbox_paused{reason="rate_limited"}`, 0)
}

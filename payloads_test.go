package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
	"github.com/cwbot/cwbot/pipeline"
)

// editBody applies edit to a webhook body decoded with its numbers kept as written.
func editBody(t *testing.T, body []byte, edit func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// eventOutcomes lists the stored outcome of every Chatwoot event, oldest first.
func eventOutcomes(t *testing.T, h *harness) []string {
	t.Helper()
	rows, err := h.app.DB.SQL().Query(`SELECT COALESCE(outcome, '') FROM events WHERE source = 'chatwoot' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var o string
		if err := rows.Scan(&o); err != nil {
			t.Fatal(err)
		}
		out = append(out, o)
	}
	return out
}

// A customer message whose id comes as text, its content as a number, its created_at
// malformed and the contact's attributes as a string is read, answered, and counted; one
// whose id cannot be read is dropped, counted and logged with why, instead of silently.
func TestOddPayloadsAreAnsweredOrCountedAsDropped(t *testing.T) {
	h := newHarness(t, nil, nil)
	conv := h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Maria"})
	first := h.says(conv, "hi")
	h.settle()
	before := len(h.public(conv))

	odd := editBody(t, nextMessage(t, first.Body, "x"), func(m map[string]any) {
		id, _ := m["id"].(json.Number)
		m["id"], m["content"], m["created_at"] = id.String(), 2, "yesterday"
		if s, ok := m["sender"].(map[string]any); ok {
			s["custom_attributes"] = "router_id=ZX-9900-AB12"
		}
	})
	if code, err := redelivery(h, odd, "7d1c1f0e-3b2a-4c5d-9e8f-0a1b2c3d4e5f")(); err != nil || code != http.StatusOK {
		t.Fatalf("odd webhook: status=%d err=%v", code, err)
	}
	h.settle()
	if got := len(h.public(conv)); got <= before {
		t.Fatalf("the odd message was not answered: %q", contents(h.public(conv)))
	}

	unreadable := editBody(t, nextMessage(t, first.Body, "y"), func(m map[string]any) { m["id"] = "nine thousand" })
	if code, err := redelivery(h, unreadable, "1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b")(); err != nil || code != http.StatusOK {
		t.Fatalf("unreadable webhook: status=%d err=%v", code, err)
	}
	h.settle()
	outcomes := eventOutcomes(t, h)
	want := []string{pipeline.OutcomeHandled, pipeline.OutcomeHandled, pipeline.OutcomeBadPayload}
	if len(outcomes) != len(want) || outcomes[1] != want[1] || outcomes[2] != want[2] {
		t.Fatalf("event outcomes %q, want %q", outcomes, want)
	}
	got := metricsScrape(t, h)
	metricIs(t, got, `cwbot_payload_repairs_total{reason="number_as_text"}`, 1, false)
	metricIs(t, got, `cwbot_payload_repairs_total{reason="text_as_other"}`, 1, false)
	metricIs(t, got, `cwbot_payload_repairs_total{reason="bad_time"}`, 1, false)
	metricIs(t, got, `cwbot_payload_repairs_total{reason="ignored"}`, 1, false)
	metricIs(t, got, `cwbot_payloads_dropped_total{reason="unreadable_id"}`, 1, false)
}

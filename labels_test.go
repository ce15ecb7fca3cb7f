package main

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cwbot/cwbot/chatwoot"
	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
)

// An agent or an automation rule labels the conversation and sets an attribute, and the
// bot does not hear of it (the conversation_updated webhook is late or lost). Chatwoot
// replaces the whole label list and attribute hash on every write, so a bot writing what it
// last saw would undo the agent's change. With the user token, the bot applies only its own
// changes to what Chatwoot holds at the moment it writes.
func TestHandoffKeepsLabelsAndAttributesSetMeanwhile(t *testing.T) {
	t.Parallel()
	// Chatwoot holds the handoff's first call (the assignment) until the change below is
	// made, then refuses it: the labels and attributes are written on the retry, after the
	// change, however fast the machine (a refusal at once left it to the retry's 20 ms
	// backoff against the test's own speed).
	var fake atomic.Pointer[chatwoottest.Server]
	arrived, changed := make(chan struct{}), make(chan struct{})
	var arrivedOnce, changedOnce sync.Once
	letGo := func() { changedOnce.Do(func() { close(changed) }) }
	t.Cleanup(letGo)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/assignments") {
			first := false
			arrivedOnce.Do(func() { first = true })
			if first {
				close(arrived)
				select {
				case <-changed:
				case <-r.Context().Done():
				}
				http.Error(w, `{"error":"service unavailable"}`, http.StatusServiceUnavailable)
				return
			}
		}
		if f := fake.Load(); f != nil {
			f.ServeHTTP(w, r)
			return
		}
		http.Error(w, `{"error":"starting"}`, http.StatusServiceUnavailable)
	}))
	t.Cleanup(front.Close)
	h := newHandoffHarness(t, saoPaulo(t, 16, 10, 0), true, func(c *Config) { c.ChatwootURL = front.URL })
	fake.Store(h.cw)
	conv := h.conv("ABC123456")
	h.says(conv, "I want to talk to a human")
	h.settle()
	h.says(conv, "no internet since yesterday")
	select {
	case <-arrived:
	case <-time.After(hangGuard):
		t.Fatal("the handoff never called assignments")
	}

	// The change the bot does not see.
	h.cw.SetWebhookURL("http://127.0.0.1:1/webhooks/chatwoot")
	agent := chatwoot.NewClient(h.cw.URL, "", "user-token")
	if err := agent.SetLabels(h.ctx, 1, conv, []string{"vip"}); err != nil {
		t.Fatal(err)
	}
	if err := agent.SetCustomAttributes(h.ctx, 1, conv, map[string]any{"plan": "gold"}); err != nil {
		t.Fatal(err)
	}
	h.cw.SetWebhookURL(h.app.URL() + "/webhooks/chatwoot")
	letGo()

	h.waitStatus(conv, "open")
	c := h.cw.Conversation(conv)
	if !slices.Contains(c.Labels, "vip") || !slices.Contains(c.Labels, "bot_handoff") {
		t.Fatalf("labels=%v, want the agent's vip kept beside bot_handoff", c.Labels)
	}
	if c.CustomAttributes["plan"] != "gold" || c.CustomAttributes["bot_intent"] != "human_agent" {
		t.Fatalf("custom attributes=%v, want the agent's plan kept beside the bot's", c.CustomAttributes)
	}
}

// Without the user token the bot cannot read what Chatwoot holds: it writes the attributes
// as it last saw them, with its change (labels need the user token anyway).
func TestAttributesWithoutUserTokenWriteTheBotsView(t *testing.T) {
	h := newRouterHarness(t, func(c *Config) { c.UserToken = "" })
	conv := h.conv("")
	h.says(conv, "update my router")
	h.settle()
	h.says(conv, "ZX9900AB12")
	h.settle()
	if got := h.cw.Conversation(conv).CustomAttributes["router_id"]; got != "ZX9900AB12" {
		t.Fatalf("router_id attribute=%v, want the typed serial; posted %q", got, contents(h.public(conv)))
	}
	for _, r := range h.cw.Requests() {
		if r.Method == "GET" && strings.HasSuffix(r.Path, "/conversations/"+strconv.FormatInt(conv, 10)) {
			t.Fatalf("read the conversation without a user token: %s", r.Path)
		}
	}
}

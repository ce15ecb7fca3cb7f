package main

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cwbot/cwbot/chatwoot"
)

// An agent or an automation rule labels the conversation and sets an attribute, and the
// bot does not hear of it (the conversation_updated webhook is late or lost). Chatwoot
// replaces the whole label list and attribute hash on every write, so a bot writing what it
// last saw would undo the agent's change. With the user token, the bot applies only its own
// changes to what Chatwoot holds at the moment it writes.
func TestHandoffKeepsLabelsAndAttributesSetMeanwhile(t *testing.T) {
	h := newHandoffHarness(t, saoPaulo(t, 16, 10, 0), true, nil)
	conv := h.conv("ABC123456")
	h.says(conv, "I want to talk to a human")
	h.settle()
	// The handoff's first call fails, so that its labels and attributes are written after
	// the change below, which no payload the bot handled carries.
	h.cw.FailPath("/assignments", 1, 503)
	h.says(conv, "no internet since yesterday")
	deadline := time.Now().Add(10 * time.Second)
	for refused := false; !refused; {
		for _, r := range h.cw.Requests() {
			refused = refused || strings.HasSuffix(r.Path, "/assignments") && r.Status == 503
		}
		if time.Now().After(deadline) {
			t.Fatal("the handoff never called assignments")
		}
		time.Sleep(5 * time.Millisecond)
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

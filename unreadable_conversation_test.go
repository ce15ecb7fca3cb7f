package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
)

// conversationShowPath is GET conversations/{id} alone, not its sub-resources.
var conversationShowPath = regexp.MustCompile(`^/api/v1/accounts/\d+/conversations/\d+$`)

// newShowFailingHarness is the service with the user token in front of a Chatwoot whose
// GET conversations/{id} answers 500 every time, while every other call works. Chatwoot
// does this for a conversation it cannot render (chatwoot/chatwoot#6723: an attachment
// whose blob URL cannot be built fails the whole conversation view with a 500; writes to
// the conversation are not affected).
func newShowFailingHarness(t *testing.T) *routerHarness {
	t.Helper()
	cw := chatwoottest.NewServer(t, &chatwoottest.Options{WebhookSecret: testSecret, Logf: func(string, ...any) {}})
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && conversationShowPath.MatchString(r.URL.Path) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			w.Write([]byte(`{"status":500,"error":"Internal Server Error"}`))
			return
		}
		cw.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	cfg := testConfig(t, front.URL)
	cfg.UserToken = "user-token"
	h := &harness{t: t, cw: cw, cfg: cfg, ctx: context.Background()}
	h.start()
	cw.AddAgent(chatwoottest.Agent{ID: agentID, Name: "John Agent", AvailabilityStatus: "online"})
	cw.AddInboxMember(7, agentID)
	return &routerHarness{harness: h}
}

// The outbox now reads the conversation (GET conversations/{id}, user token) before each
// write of labels or custom attributes, to keep what agents set meanwhile. When that read
// fails with a 5xx, the row is retried like a failed write, and in the end parked dead:
// for a handoff that means the whole handoff is given up and the customer is told the bot
// could not reach an agent, although every call the handoff makes (assignments, labels,
// custom_attributes, messages, toggle_status) works. Before the change the handoff went
// through. A read made only to preserve others' changes should not cost the customer the
// agent they asked for: when it cannot be made, the write should go on as without the
// user token (the bot's view), as it already does for a 4xx.
func TestHandoffSurvivesUnreadableConversation(t *testing.T) {
	h := newShowFailingHarness(t)
	conv := h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Maria Silva"})
	h.says(conv, "I want to talk to a person")
	h.settle()
	h.tap(conv, "skip") // the intake question
	h.settle()
	got := contents(h.public(conv))
	if st := h.cw.Conversation(conv).Status; st != "open" {
		t.Fatalf("status=%s after the customer asked for an agent, want open (handed off); posted %q", st, got)
	}
	if strings.Contains(strings.Join(got, "|"), "couldn't reach an agent") {
		t.Fatalf("posted %q: the customer was told the handoff failed", got)
	}
}

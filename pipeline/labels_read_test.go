package pipeline

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cwbot/cwbot/bot"
	"github.com/cwbot/cwbot/chatwoot"
	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
	"github.com/cwbot/cwbot/store"
)

// Commit 7f343bc makes the outbox's read of the conversation (GET conversations/{id},
// made only to keep what agents set since the bot's payload, because Chatwoot's labels and
// custom_attributes calls replace the whole list) fall back on the bot's view on ANY
// error, transient ones included. Its comment argues "when Chatwoot is down altogether,
// the write fails too and is retried", but one 503 (a proxy blip, a restarting Puma
// worker) on the read, with the write a moment later going through, now replaces the
// labels an agent set with the bot's stale list, for good. Before the commit a retryable
// read error retried the row, and the next read kept the agent's label.
func TestTransientReadKeepsAgentLabels(t *testing.T) {
	show := regexp.MustCompile(`^/api/v1/accounts/\d+/conversations/\d+$`)
	var failed atomic.Bool
	e := newOutboxEnv(t, func(fake http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && show.MatchString(r.URL.Path) && failed.CompareAndSwap(false, true) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusServiceUnavailable) // once
				w.Write([]byte(`{"error":"Service Unavailable"}`))
				return
			}
			fake.ServeHTTP(w, r)
		})
	})
	e.o.Client = chatwoot.NewClient(e.url, "bot-token", "user-token", chatwoot.WithTimeout(5*time.Second))
	conv := e.fake.NewConversation(chatwoottest.ConversationSpec{})
	// An agent labels the conversation after the payload the bot last saw (no labels).
	if err := chatwoot.NewClient(e.fake.URL, "", "user-token").SetLabels(context.Background(), testAccount, conv, []string{"vip"}); err != nil {
		t.Fatal(err)
	}
	// The bot puts the customer in line: its view plus waiting_for_agent.
	payload, _ := json.Marshal(bot.Action{Kind: bot.SetLabels, Labels: []string{"waiting_for_agent"}, Changed: []string{"waiting_for_agent"}})
	row := &store.OutboxRow{AccountID: testAccount, ConversationID: conv, Kind: string(bot.SetLabels), Payload: payload}
	if err := e.db.Update(context.Background(), func(tx *store.Tx) error { return tx.AddOutbox(context.Background(), row) }); err != nil {
		t.Fatal(err)
	}
	e.run()
	waitUntil(t, 5*time.Second, "the labels written", func() bool {
		return slices.Contains(e.fake.Conversation(conv).Labels, "waiting_for_agent")
	})
	if !failed.Load() {
		t.Fatal("the read was never made")
	}
	if got := e.fake.Conversation(conv).Labels; !slices.Contains(got, "vip") {
		t.Fatalf("labels after one failed read: %q, want the agent's \"vip\" kept beside waiting_for_agent", got)
	}
}

// A serial number the customer typed is removed from the conversation when the telco knows
// no such router; if an agent typed the right one meanwhile, Chatwoot's value is not the
// bot's any more and stays.
func TestTypedSerialRemovalKeepsAgentsCorrection(t *testing.T) {
	for _, tc := range []struct {
		name    string
		current any
		kept    bool
	}{
		{"still the customer's", "NOPE12345", false},
		{"an agent's correction", "ABC123456", true},
		{"an agent's number", float64(20231234), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newOutboxEnv(t, nil)
			e.o.Client = chatwoot.NewClient(e.url, "bot-token", "user-token", chatwoot.WithTimeout(5*time.Second))
			conv := e.fake.NewConversation(chatwoottest.ConversationSpec{})
			agent := chatwoot.NewClient(e.fake.URL, "", "user-token")
			if err := agent.SetCustomAttributes(context.Background(), testAccount, conv, map[string]any{"router_id": tc.current, "plan": "gold"}); err != nil {
				t.Fatal(err)
			}
			payload, _ := json.Marshal(bot.Action{Kind: bot.SetAttributes, Attributes: map[string]any{}, Changed: []string{"router_id"},
				Unless: map[string]any{"router_id": "NOPE12345"}})
			row := &store.OutboxRow{AccountID: testAccount, ConversationID: conv, Kind: string(bot.SetAttributes), Payload: payload}
			if err := e.db.Update(context.Background(), func(tx *store.Tx) error { return tx.AddOutbox(context.Background(), row) }); err != nil {
				t.Fatal(err)
			}
			e.run()
			waitUntil(t, 5*time.Second, "the row delivered", func() bool {
				st, _ := e.db.OutboxStats(context.Background())
				return st.Pending == 0
			})
			got := e.fake.Conversation(conv).CustomAttributes
			if _, has := got["router_id"]; has != tc.kept || got["plan"] != "gold" {
				t.Fatalf("attributes %v, want router_id kept=%v and the agent's plan kept", got, tc.kept)
			}
		})
	}
}

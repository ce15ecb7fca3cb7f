package main

import (
	"encoding/json"
	"net/http"
	"os"
	"testing"

	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
)

// With BOT_ACCOUNT_ID=1 and BOT_INBOX_IDS=7, a customer writing from another account or
// another inbox gets no answer: Chatwoot hears 200, nothing is stored, nothing is posted.
func TestUnknownAccountOrInbox(t *testing.T) {
	only := func(c *Config) { c.AccountID, c.InboxIDs = 1, []int64{7} }
	for name, opts := range map[string]*chatwoottest.Options{
		"Account2": {AccountID: 2},
		"Inbox9":   {InboxID: 9},
	} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, opts, only)
			conv := h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Mallory"})
			h.says(conv, "hello")
			h.says(conv, "I want to update my router")
			h.settle()
			if total, _, err := h.app.DB.EventCounts(h.ctx); err != nil || total != 0 {
				t.Fatalf("stored %d events (%v), want none", total, err)
			}
			for _, r := range h.cw.Requests() {
				if r.Method != http.MethodGet {
					t.Fatalf("the bot called %s %s", r.Method, r.Path)
				}
			}
			if got := h.public(conv); len(got) != 0 {
				t.Fatalf("posted %q", contents(got))
			}
		})
	}
	// A conversation event without an account (no messages yet) passes the account filter
	// and is stored under its conversation id; for a conversation the bot has never seen it
	// is handled under BOT_ACCOUNT_ID and changes nothing.
	t.Run("ConversationWithoutAccount", func(t *testing.T) {
		h := newHarness(t, nil, only)
		b, err := os.ReadFile("chatwoot/testdata/payloads/conversation_opened.json")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		json.Unmarshal(b, &m)
		m["id"], m["messages"] = 4242, []any{}
		b, _ = json.Marshal(m)
		d, err := h.cw.SendRaw(h.ctx, b, "")
		if err != nil || d.Status != http.StatusOK {
			t.Fatalf("delivery: %d %v", d.Status, err)
		}
		h.settle()
		if total, unprocessed, err := h.app.DB.EventCounts(h.ctx); err != nil || total != 1 || unprocessed != 0 {
			t.Fatalf("events %d, unhandled %d (%v), want 1 handled", total, unprocessed, err)
		}
		for _, r := range h.cw.Requests() {
			if r.Method != http.MethodGet {
				t.Fatalf("the bot called %s %s", r.Method, r.Path)
			}
		}
	})
}

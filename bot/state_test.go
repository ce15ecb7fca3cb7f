package bot_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/cwbot/cwbot/bot"
)

// A conversation stored by the version before explicit states (a menu kind and an awaited
// answer, no state) is read into its state: the customer's answer after the upgrade
// answers the question they were asked before it.
func TestConversationStoredBeforeStatesGoesOn(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	for _, tc := range []struct {
		name, stored, say string
		want              func(*bot.Conversation, []bot.Action) bool
	}{
		{"confirmation", `{"id":318,"account_id":1,"status":"pending","can_reply":true,"language":"en",
			"contact":{"attributes":{"router_id":"ZX-9900-AB12"}},"router_id":"ZX-9900-AB12",
			"menu":{"kind":"confirm_update","items":[{"title":"Yes, update it","value":"yes"},{"title":"No","value":"no"}]}}`,
			"1", func(c *bot.Conversation, acts []bot.Action) bool { return started(acts) }},
		{"serial question", `{"id":318,"account_id":1,"status":"pending","can_reply":true,"language":"es","awaiting":"router_id"}`,
			"ZX-9900-AB12", func(c *bot.Conversation, _ []bot.Action) bool {
				return c.State == bot.StateConfirmUpdate && c.RouterID == "ZX-9900-AB12"
			}},
		{"intake", `{"id":318,"account_id":1,"status":"pending","can_reply":true,"language":"pt","awaiting":"intake",
			"menu":{"kind":"intake_skip","items":[{"title":"Pular","value":"skip"}]}}`,
			"o roteador não liga", func(c *bot.Conversation, acts []bot.Action) bool {
				return c.HandedOff && len(c.Intake) == 1 && c.Intake[0].Text == "o roteador não liga"
			}},
		{"wait or keep chatting", `{"id":318,"account_id":1,"status":"pending","can_reply":true,"language":"en",
			"menu":{"kind":"handoff_wait","items":[{"title":"Wait for an agent","value":"wait"},{"title":"Keep chatting","value":"continue"}]}}`,
			"Wait for an agent", func(c *bot.Conversation, _ []bot.Action) bool { return c.Waiting }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c bot.Conversation
			if err := json.Unmarshal([]byte(tc.stored), &c); err != nil {
				t.Fatal(err)
			}
			if tc.name == "intake" {
				b.Handoff.Intake = bot.DefaultIntake()
				defer func() { b.Handoff.Intake = nil }()
			}
			acts := b.Handle(ctx, &c, customer(tc.say))
			if !tc.want(&c, acts) {
				t.Fatalf("%q after the upgrade: %q state=%q, want the stored question answered", tc.say, texts(acts), c.State)
			}
			if c.Awaiting != "" || c.Menu != nil && c.Menu.Kind != "" {
				t.Fatalf("the old fields stay: awaiting=%q menu=%+v", c.Awaiting, c.Menu)
			}
		})
	}
}

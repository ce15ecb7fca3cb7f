package pipeline

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cwbot/cwbot/bot"
	"github.com/cwbot/cwbot/chatwoot"
	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
	"github.com/cwbot/cwbot/store"
)

// waitingPayload reads one of the webhook bodies shipped with the chatwoot package and
// lets the test change it.
func waitingPayload(t *testing.T, name string, edit func(m map[string]any)) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "chatwoot", "testdata", "payloads", name))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(m)
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func putState(t *testing.T, db *store.DB, c *bot.Conversation) {
	t.Helper()
	ctx := context.Background()
	state, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(ctx, func(tx *store.Tx) error { return tx.PutConversation(ctx, c.AccountID, c.ID, state) }); err != nil {
		t.Fatal(err)
	}
}

func addEvent(t *testing.T, db *store.DB, source, name string, conv int64, body []byte) {
	t.Helper()
	ctx := context.Background()
	if err := db.Update(ctx, func(tx *store.Tx) error {
		return tx.AddEvent(ctx, &store.Event{Source: source, Name: name, ConversationID: conv, Body: body})
	}); err != nil {
		t.Fatal(err)
	}
}

// drainLane hands every unhandled event of conv to the processor's lane logic, in order,
// and returns their names.
func drainLane(t *testing.T, p *Processor, conv int64) []string {
	t.Helper()
	ctx := context.Background()
	evs, err := p.DB.NextEvents(ctx, conv, 100)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, ev := range evs {
		names = append(names, ev.Name)
		if err := p.handle(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	return names
}

func unhandledNamed(t *testing.T, db *store.DB, conv int64, name string) int {
	t.Helper()
	evs, err := db.NextEvents(context.Background(), conv, 1000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ev := range evs {
		if ev.Name == name {
			n++
		}
	}
	return n
}

func stateOf(t *testing.T, db *store.DB, account, conv int64) bot.Conversation {
	t.Helper()
	raw, err := db.Conversation(context.Background(), account, conv)
	if err != nil {
		t.Fatal(err)
	}
	var c bot.Conversation
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func outboxActions(t *testing.T, db *store.DB, conv int64) []bot.Action {
	t.Helper()
	rows, err := db.ListOutbox(context.Background(), "", 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []bot.Action
	for i := len(rows) - 1; i >= 0; i-- {
		if rows[i].ConversationID != conv {
			continue
		}
		var a bot.Action
		if err := json.Unmarshal(rows[i].Payload, &a); err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

// A customer waits in line; an agent then takes the conversation in Chatwoot (opens and
// assigns it to themselves). The customer has left the line, but nothing clears the
// conversation's waiting mark (observe only resets it on a hand-back to pending), and the
// waiting worker looks at the mark alone: every Interval, for as long as an agent is online,
// it puts another agents_available event in the lane of a conversation the bot no longer
// owns, for good (a resolved conversation whose customer never writes again stays marked).
func TestWaitingWorkerForgetsConversationAnAgentTook(t *testing.T) {
	db := openDB(t)
	const account, conv = 1, 318 // the payload's
	putState(t, db, &bot.Conversation{AccountID: account, ID: conv, InboxID: 7, Status: bot.StatusPending,
		StatusAt: 1776690131, CanReply: true, Language: "en", Waiting: true, HandoffReason: bot.ReasonIntent})
	// The agent opens the conversation and assigns it to themselves.
	addEvent(t, db, "chatwoot", "conversation_status_changed", conv,
		waitingPayload(t, "conversation_status_changed.json", nil))
	p := &Processor{DB: db, Bot: &bot.Bot{}, Logger: quietLogger(), DefaultAccountID: account}
	drainLane(t, p, conv)
	st := stateOf(t, db, account, conv)
	t.Logf("after the agent took it: status=%s human_assigned=%v waiting=%v bot_owns=%v", st.Status, st.HumanAssigned, st.Waiting, st.BotOwns())

	w := &Waiting{DB: db, Presence: &Presence{}, Logger: quietLogger()} // no user token: open, present
	ctx := context.Background()
	for range 3 {
		if err := w.Check(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := unhandledNamed(t, db, conv, "agents_available"); n != 0 {
		t.Errorf("3 checks of the waiting worker put %d agents_available events in the lane of a conversation an agent owns (waiting mark still %v); it keeps doing so every interval", n, st.Waiting)
	}
}

// The waiting worker asks whether the team the customer waits for (HandoffTeam, saved when
// they joined the line) has someone online, but the bot, handling the agents_available event,
// asks again for teamFor(c), which follows the customer's *last* intent. The customer may go
// on chatting while waiting ("The customer may go on using the bot"); a "thanks" moves the
// team from human_agent's (4, online) to the default one (9, nobody online): the worker wakes
// the lane every interval, the bot declines every time, and the customer who waits for team 4
// is never handed off although its agent is online.
func TestWaitingHandoffChecksTheTeamTheCustomerWaitsFor(t *testing.T) {
	db := openDB(t)
	fake := chatwoottest.NewServer(t, &chatwoottest.Options{NoEcho: true, Logf: func(string, ...any) {}})
	fake.AddAgent(chatwoottest.Agent{ID: 12, Name: "Router Agent", AvailabilityStatus: "online"})
	fake.AddAgent(chatwoottest.Agent{ID: 13, Name: "Front Desk", AvailabilityStatus: "offline"})
	fake.SetInbox(chatwoot.Inbox{ID: 7, Name: "WhatsApp Support", Timezone: "UTC"}) // no working hours: open
	fake.AddInboxMember(7, 12)
	fake.AddInboxMember(7, 13)
	fake.AddTeam(4, "agents")
	fake.AddTeamMember(4, 12)
	fake.AddTeam(9, "front desk")
	fake.AddTeamMember(9, 13)
	client := chatwoot.NewClient(fake.URL, "bot-token", "user-token", chatwoot.WithTimeout(5*time.Second))
	pres := &Presence{Client: client, UserToken: true}

	const account, conv = 1, 501
	// In line for team 4 (asked for a person); then said "thanks" while waiting.
	putState(t, db, &bot.Conversation{AccountID: account, ID: conv, InboxID: 7, Status: bot.StatusPending,
		CanReply: true, Language: "en", LastCustomerAt: time.Now(), Waiting: true, HandoffTeam: 4,
		HandoffReason: bot.ReasonIntent, LastIntent: "thanks"})
	b := &bot.Bot{Logger: quietLogger(), Presence: pres,
		Handoff: bot.HandoffConfig{Teams: map[string]int64{"human_agent": 4, "default": 9}}}
	p := &Processor{DB: db, Bot: b, Logger: quietLogger(), DefaultAccountID: account}
	w := &Waiting{DB: db, Presence: pres, Logger: quietLogger()}
	ctx := context.Background()
	var woken []string
	for range 2 {
		if err := w.Check(ctx); err != nil {
			t.Fatal(err)
		}
		woken = append(woken, drainLane(t, p, conv)...)
	}
	t.Logf("events the worker put in the lane: %v", woken)
	st := stateOf(t, db, account, conv)
	var handoffs []*bot.HandoffPlan
	for _, a := range outboxActions(t, db, conv) {
		if a.Kind == bot.Handoff {
			handoffs = append(handoffs, a.Handoff)
		}
	}
	if len(handoffs) != 1 {
		t.Fatalf("team 4's agent is online and the customer waits for team 4: want one handoff, got %d (waiting=%v handed_off=%v; the worker woke the lane %d times)",
			len(handoffs), st.Waiting, st.HandedOff, len(woken))
	}
	if handoffs[0].TeamID != 4 {
		t.Errorf("handed off to team %d, want 4 (the team the customer waited for)", handoffs[0].TeamID)
	}
}

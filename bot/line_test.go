package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cwbot/cwbot/bot"
)

// teamPresence: within hours, and an agent is online only in the teams listed.
type teamPresence map[int64]bool

func (p teamPresence) Availability(_ context.Context, _, _, teamID int64, _ time.Time) (bot.Availability, error) {
	return bot.Availability{Open: true, Online: p[teamID]}, nil
}

// HANDOFF_TEAMS=human_agent=1,update_router=2. The customer asks for a person; team 1 has
// nobody online, so they tap "Wait for an agent" and are put in line for team 1 (the
// waiting worker watches team 1). While waiting they keep using the bot, as the bot
// invites them to ("update my router"), which changes LastIntent. An agent of team 1
// comes online: the worker fires AgentsAvailable, but onAgentsAvailable re-checks the
// availability of teamFor(c), now team 2, finds nobody and does nothing. Every 30 s the
// same: the customer stays in line while the team they wait for is online.
func TestWaitingCustomerKeepsTheirTeam(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	b.Handoff.Teams = map[string]int64{"human_agent": 1, "update_router": 2}
	presence := teamPresence{}
	b.Presence = presence
	c := newConv()
	c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}

	acts := b.Handle(ctx, c, customer("I want to talk to a human"))
	if len(acts) != 1 || len(acts[0].Items) != 2 {
		t.Fatalf("handoff request with nobody online: %q, want Wait / Keep chatting", texts(acts))
	}
	b.Handle(ctx, c, customer("Wait for an agent"))
	if !c.Waiting || c.HandoffTeam != 1 {
		t.Fatalf("after Wait: waiting=%v team=%d, want in line for team 1", c.Waiting, c.HandoffTeam)
	}
	b.Handle(ctx, c, customer("update my router")) // meanwhile, using the bot
	presence[1] = true                             // an agent of team 1 comes online
	acts = b.Handle(ctx, c, bot.Event{Kind: bot.AgentsAvailable, Now: time.Now()})
	if len(acts) != 1 || acts[0].Kind != bot.Handoff {
		t.Fatalf("team 1 online, customer waiting for team 1: %q waiting=%v, want the handoff", texts(acts), c.Waiting)
	}
	if got := acts[0].Handoff.TeamID; got != 1 {
		t.Fatalf("handoff to team %d, want team 1, the team the customer waited for", got)
	}
}

// ROUTER_MAX_UPDATES_PER_HOUR is "updates a router may get in an hour". The customer
// types a serial with a typo three times; each time the telco answers that no such
// router exists (nothing was updated, nothing restarted). Then the customer types the
// right serial and confirms: the bot refuses, "Your router has been updated several
// times in the last hour", for a router never touched.
func TestHourlyLimitCountsOnlyRealUpdates(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	c := newConv()
	start := time.Date(2026, 11, 16, 10, 0, 0, 0, time.UTC)
	at := func(ev bot.Event, min int) bot.Event { ev.Now = start.Add(time.Duration(min) * time.Minute); return ev }
	min := 0
	for i, serial := range []string{"ZX99OOAB12", "ZX99O0AB12", "ZX990OAB12"} { // O for 0
		b.Handle(ctx, c, at(customer("update my router"), min))
		b.Handle(ctx, c, at(customer(serial), min))
		acts := b.Handle(ctx, c, at(customer("yes"), min))
		if len(acts) != 1 || acts[0].Kind != bot.StartJob { // told at the job's first report
			t.Fatalf("attempt %d: %q, want the update started", i+1, texts(acts))
		}
		b.Handle(ctx, c, at(bot.Event{Kind: bot.JobProgress, Job: &bot.JobUpdate{Attempt: acts[0].Update.Attempt,
			State: bot.JobFailed, Reason: bot.ReasonUnknownRouter, RouterID: serial}}, min+1))
		min += 2
	}
	b.Handle(ctx, c, at(customer("update my router"), min))
	b.Handle(ctx, c, at(customer("ZX9900AB12"), min))
	acts := b.Handle(ctx, c, at(customer("yes"), min))
	started := false
	for _, a := range acts {
		started = started || a.Kind == bot.StartJob
	}
	if !started {
		t.Fatalf("right serial after three unknown ones: %q, want the update started: no router was updated in the last hour", texts(acts))
	}
}

// Outside WhatsApp's 24 hour window a router failure goes out as the approved template,
// its body parameter being the failure text plus the numbered options, joined by
// newlines. Meta refuses a template parameter with a newline or a tab ("Param text cannot
// have new-line/tab characters or more than 4 consecutive spaces", error 132018): the
// message fails, the customer never learns the update failed, and the delivery failure
// hands the conversation off.
func TestTemplateParamHasNoNewlines(t *testing.T) {
	ctx := context.Background()
	b, c, start := updateWithTemplate(ctx, t)
	acts := b.Handle(ctx, c, bot.Event{Kind: bot.JobProgress, Now: start.Add(25 * time.Hour),
		Job: &bot.JobUpdate{Attempt: 1, State: bot.JobFailed, Detail: "checksum mismatch"}})
	if len(acts) != 1 || acts[0].Template == nil {
		t.Fatalf("failure 25 h after the last message: %q, want the template", texts(acts))
	}
	for k, v := range acts[0].Template.Body {
		if strings.ContainsAny(v, "\n\t") || strings.Contains(v, "     ") {
			t.Fatalf("template parameter %s = %q: WhatsApp refuses new-line/tab characters in a parameter", k, v)
		}
	}
}

// A customer waits for an agent over a long weekend (more than 24 h since they last
// wrote). The waiting worker hands off; the handoff goes out with the template for the
// customer, but Chatwoot refuses an early step (say, the team was deleted). The bot then
// tells the customer "Sorry, I couldn't reach an agent" as free-form text, which
// WhatsApp refuses outside the window (FACTS), so the customer, taken out of the line,
// hears nothing at all.
func TestHandoffRefusedOutsideWindow(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	b.Template = &bot.TemplateConfig{Name: "router_update", Language: "en_US"}
	presence := teamPresence{}
	b.Presence = presence
	c := newConv()
	start := time.Date(2026, 11, 13, 18, 0, 0, 0, time.UTC)
	for _, text := range []string{"I want to talk to a human", "Wait for an agent"} {
		ev := customer(text)
		ev.Now = start
		b.Handle(ctx, c, ev)
	}
	if !c.Waiting {
		t.Fatal("want the customer in line")
	}
	presence[0] = true
	later := start.Add(63 * time.Hour) // Monday 09:00
	acts := b.Handle(ctx, c, bot.Event{Kind: bot.AgentsAvailable, Now: later})
	if len(acts) != 1 || acts[0].Kind != bot.Handoff || acts[0].Handoff.Message == nil || acts[0].Handoff.Message.Template == nil {
		t.Fatalf("agents available 63 h later: %q, want the handoff telling the customer with the template", texts(acts))
	}
	row := acts[0]
	row.Handoff.Done = 0 // the team assignment was refused
	acts = b.Handle(ctx, c, bot.Event{Kind: bot.ActionFailed, Now: later, Failed: &row, FailedBecause: "status=404"})
	if text, ok := freeForm(acts); ok {
		t.Fatalf("handoff refused outside the 24 h window: free-form %q sent, want the template (or a note)", text)
	}
}

// A customer waiting in line could not leave it: "cancel" answered "There is nothing to
// cancel", and they were handed off later all the same. Cancel now takes them out of the
// line (mark, attribute), and a later wake-up of the waiting worker does nothing.
func TestCancelLeavesTheLine(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	presence := teamPresence{}
	b.Presence = presence
	c := newConv()
	b.Handle(ctx, c, customer("I want to talk to a human"))
	b.Handle(ctx, c, customer("Wait for an agent"))
	if !c.Waiting {
		t.Fatal("not in line after Wait")
	}
	acts := b.Handle(ctx, c, customer("cancel"))
	if c.Waiting || len(acts) != 2 || acts[0].Kind != bot.SetAttributes || acts[0].Attributes["waiting_for_agent"] != nil ||
		!strings.Contains(acts[1].Text, "out of the line") || len(acts[1].Items) == 0 {
		t.Fatalf("cancel while waiting: %q waiting=%v, want out of the line", texts(acts), c.Waiting)
	}
	presence[0] = true // someone comes online
	if acts := b.Handle(ctx, c, bot.Event{Kind: bot.AgentsAvailable, Now: time.Now()}); len(acts) != 0 {
		t.Fatalf("agents available after leaving the line: %q, want nothing", texts(acts))
	}
}

// Before Chatwoot 4.13 the bot learns that an agent took a waiting conversation from the
// customer's next message. Handle computed the way out of the line (mark, attribute) and
// then returned nil for a conversation the bot does not own: the attribute stayed in
// Chatwoot for good.
func TestAgentTakingWaitingCustomerClearsTheMark(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	b.Presence = teamPresence{}
	c := newConv()
	b.Handle(ctx, c, customer("I want to talk to a human"))
	b.Handle(ctx, c, customer("Wait for an agent"))
	if !c.Waiting {
		t.Fatal("not in line after Wait")
	}
	ev := customer("hello?")
	ev.Snapshot = &bot.Snapshot{Status: bot.StatusOpen, UpdatedAt: 50, AssigneeID: 12, AssigneeHuman: true}
	acts := b.Handle(ctx, c, ev)
	if c.Waiting || len(acts) != 1 || acts[0].Kind != bot.SetAttributes || acts[0].Attributes["waiting_for_agent"] != nil {
		t.Fatalf("customer message after an agent took the waiting conversation: %q waiting=%v, want only the mark removed", texts(acts), c.Waiting)
	}
}

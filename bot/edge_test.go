package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cwbot/cwbot/bot"
)

// Edge cases found in review: each failed on a behaviour a customer or an agent would
// call wrong, and passes since its fix.

func snap(status string, at float64, assignee int64, canReply bool) *bot.Snapshot {
	return &bot.Snapshot{Status: status, UpdatedAt: at, AssigneeID: assignee, AssigneeHuman: assignee != 0, CanReply: canReply}
}

// An agent writes "handing you back to our assistant" and sets the conversation to
// pending. Chatwoot's deliveries are queued jobs that arrive out of order (FACTS), so the
// agent's message (updated_at 15, status open) may arrive after the hand-back (updated_at
// 20). observe() sees it is stale, but Handle still sets AgentReplied, and the bot stays
// silent for good: the customer is welcomed back and then never answered.
func TestLateAgentMessageAfterHandBack(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	c := newConv()
	b.Handle(ctx, c, bot.Event{Kind: bot.ConversationChanged, StatusChanged: true, Snapshot: snap(bot.StatusOpen, 10, 12, true)})
	acts := b.Handle(ctx, c, bot.Event{Kind: bot.ConversationChanged, StatusChanged: true, Snapshot: snap(bot.StatusPending, 20, 12, true)})
	if len(acts) != 1 || !strings.HasPrefix(acts[0].Text, "You're back") || len(acts[0].Items) == 0 {
		t.Fatalf("hand-back: %q, want the welcome back with the menu", texts(acts))
	}
	// The agent's message written before the hand-back, delivered after it.
	b.Handle(ctx, c, bot.Event{Kind: bot.AgentMessage, Snapshot: snap(bot.StatusOpen, 15, 12, true)})
	ev := customer("update my router")
	ev.Snapshot = snap(bot.StatusPending, 30, 12, true)
	acts = b.Handle(ctx, c, ev)
	if len(acts) == 0 || !c.BotOwns() {
		t.Fatalf("customer after the hand-back: %q BotOwns=%v, want an answer: the agent's message predates the hand-back", texts(acts), c.BotOwns())
	}
}

// The intake question is skippable and shows one button, "Skip". The README promises a
// button can be chosen by its number; typing "1" (the shell even shows it as [1] Skip)
// is read as "Cancel" and the customer who asked for an agent is sent back to the menu.
func TestIntakeSkipByNumber(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	b.Handoff.Intake = bot.DefaultIntake()
	c := newConv()
	b.Handle(ctx, c, customer("hi"))
	acts := b.Handle(ctx, c, customer("Talk to an agent"))
	if len(acts) != 1 || len(acts[0].Items) != 1 || acts[0].Items[0].Title != "Skip" {
		t.Fatalf("handoff request: %q, want the intake question with the one button Skip", texts(acts))
	}
	acts = b.Handle(ctx, c, customer("1"))
	if len(acts) != 1 || acts[0].Kind != bot.Handoff || !c.HandedOff {
		t.Fatalf("\"1\" (button 1, Skip): %q handed_off=%v, want the question skipped and the handoff", texts(acts), c.HandedOff)
	}
	if in := c.Intake; len(in) != 1 || !in[0].Skipped {
		t.Fatalf("intake %+v, want the question recorded as skipped", in)
	}
}

// An agent hands back a conversation whose customer last wrote more than 24 hours ago:
// Chatwoot's payload says can_reply false. The welcome back goes out as free-form text,
// which WhatsApp refuses (FACTS), though a template is configured. Its delivery failure
// then makes the bot hand the conversation straight back to the agents.
func TestHandBackOutsideWindow(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	b.Template = &bot.TemplateConfig{Name: "router_update", Language: "en_US"}
	c := newConv()
	b.Handle(ctx, c, bot.Event{Kind: bot.ConversationChanged, StatusChanged: true, Snapshot: snap(bot.StatusOpen, 10, 12, false)})
	acts := b.Handle(ctx, c, bot.Event{Kind: bot.ConversationChanged, StatusChanged: true, Snapshot: snap(bot.StatusPending, 20, 12, false)})
	if text, ok := freeForm(acts); ok {
		t.Fatalf("hand-back outside the 24 h window (can_reply=false): free-form %q sent, want the template (or a note)", text)
	}
}

// The handoff row made its steps up to the status change (the conversation is open with
// the agents), then its last step, the message to the customer, died (Chatwoot down for
// its 8 attempts). The bot tells the customer "You're still with me" and shows the menu,
// in a conversation the agents own, and then ignores the customer's answer.
func TestHandoffRefusedAfterOpen(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	c := newConv()
	acts := b.Handle(ctx, c, customer("I want to talk to a human"))
	if len(acts) != 1 || acts[0].Kind != bot.Handoff {
		t.Fatalf("handoff request: %q, want the handoff", texts(acts))
	}
	row := acts[0]
	b.Handle(ctx, c, bot.Event{Kind: bot.ConversationChanged, StatusChanged: true, Snapshot: snap(bot.StatusOpen, 10, 0, true)})
	row.Handoff.Done = 5 // team, labels, attributes, note, toggle_status open: made; the message: not
	acts = b.Handle(ctx, c, bot.Event{Kind: bot.ActionFailed, Failed: &row, FailedBecause: "status=503 after 8 attempts"})
	for _, a := range acts {
		if a.Kind == bot.SendMessage {
			t.Fatalf("conversation already open with the agents: the bot says %q, want silence (or a note)", texts(acts))
		}
	}
}

// During a router update the customer asks for an agent and gets the intake question.
// The update then fails: the failure message offers Retry / Talk to an agent / Cancel.
// The customer taps "Retry": the tap is taken as the intake answer and the customer is
// handed off; no retry is started.
func TestFailureMenuDuringIntake(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	b.Handoff.Intake = bot.DefaultIntake()
	c := newConv()
	c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
	b.Handle(ctx, c, customer("update my router"))
	b.Handle(ctx, c, customer("yes"))
	b.Handle(ctx, c, customer("I want to talk to a human"))
	acts := b.Handle(ctx, c, bot.Event{Kind: bot.JobProgress, Now: time.Now(), Job: &bot.JobUpdate{Attempt: 1, State: bot.JobFailed, Detail: "checksum mismatch"}})
	if len(acts) != 1 || len(acts[0].Items) != 3 || acts[0].Items[0].Title != "Try again" {
		t.Fatalf("failure: %q, want the menu Retry / Talk to an agent / Cancel", texts(acts))
	}
	acts = b.Handle(ctx, c, customer("Retry"))
	started := false
	for _, a := range acts {
		started = started || a.Kind == bot.StartJob
	}
	if !started {
		t.Fatalf("tap on Retry: %q intake=%+v, want the update retried", texts(acts), c.Intake)
	}
}

// The Router Operations API reports "running" with no step (valid: process.StepNone).
// Asking how the update goes then gets an unfinished sentence, and asking for an update
// again gets empty parentheses.
func TestRunningWithoutStep(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	c := newConv()
	c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
	b.Handle(ctx, c, customer("update my router"))
	b.Handle(ctx, c, customer("yes"))
	b.Handle(ctx, c, bot.Event{Kind: bot.JobProgress, Now: time.Now(), Job: &bot.JobUpdate{Attempt: 1, State: bot.JobRunning}})
	for _, ask := range []string{"how is my update going?", "update my router"} {
		acts := b.Handle(ctx, c, customer(ask))
		if len(acts) != 1 {
			t.Fatalf("%q: %q, want one answer", ask, texts(acts))
		}
		if txt := acts[0].Text; strings.HasSuffix(txt, ": ") || strings.Contains(txt, "()") {
			t.Errorf("%q: the customer reads %q, a sentence with the step left out", ask, txt)
		}
	}
}

// A Spanish customer taps "Seguir aquí" ("keep chatting here") on a menu
// that is no longer the current one (a double tap: WhatsApp leaves the buttons active).
// The classifier reads the bot's own button title as a request for a human, and the
// customer who chose to stay with the bot is handed to an agent.
func TestStaleKeepChattingTap(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	c := newConv()
	c.Language = "es"
	var acts []bot.Action
	for i := 0; i < 3; i++ {
		acts = b.Handle(ctx, c, customer("el florero azul de la abuela"))
	}
	if len(acts) != 1 || len(acts[0].Items) != 2 || acts[0].Items[1].Title != "Seguir aquí" {
		t.Fatalf("third misunderstanding: %q, want the offer of an agent", texts(acts))
	}
	b.Handle(ctx, c, customer("Seguir aquí"))
	acts = b.Handle(ctx, c, customer("Seguir aquí"))
	for _, a := range acts {
		if a.Kind == bot.Handoff {
			t.Fatalf("second tap on \"Seguir aquí\": handed off to an agent (%q), want to stay with the bot", texts(acts))
		}
	}
}

// A contact's router_id custom attribute of Chatwoot's type "number" arrives as a JSON
// number (float64). fmt.Sprint prints it in exponent form: the customer is asked to
// confirm router "2.0231234e+07", and that id goes to the telco.
func TestNumericRouterAttribute(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	c := newConv()
	c.Contact.Attributes = map[string]any{"router_id": float64(20231234)}
	acts := b.Handle(ctx, c, customer("update my router"))
	if len(acts) != 1 || !strings.Contains(acts[0].Text, "router 20231234 ") {
		t.Fatalf("confirmation %q, want router 20231234", texts(acts))
	}
}

// On the days clocks change, NextOpening adds the opening's minutes to local midnight as
// a duration, so it is an hour off: at 07:00 on 2026-03-29 in Madrid, agents who start at
// 09:00 are announced for 10:00 (and on 2026-10-25 for 08:00).
func TestNextOpeningOnDSTDay(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		t.Skip("no time zone database")
	}
	s, err := bot.ParseSchedule("sun 09:00-13:00", loc)
	if err != nil {
		t.Fatal(err)
	}
	for _, day := range []int{29 /* March */, 25 /* October */} {
		month := time.March
		if day == 25 {
			month = time.October
		}
		now := time.Date(2026, month, day, 7, 0, 0, 0, loc)
		got := s.NextOpening(now)
		if h, m := got.In(loc).Hour(), got.In(loc).Minute(); h != 9 || m != 0 {
			t.Errorf("%s: NextOpening=%s, want 09:00 local", now.Format("2006-01-02 15:04 MST"), got.In(loc).Format("15:04 MST"))
		}
	}
}

// "Anything else I can do for you?" after thanks: a no ends the chat politely, in the
// customer's language, instead of "There is nothing to cancel" and the menu; a yes gets
// the menu; anything else is a new request.
func TestAnythingElseAfterThanks(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	for _, tc := range []struct {
		lang, thanks, answer string
		want                 string // the start of the one reply
		menu                 bool
	}{
		{"en", "thanks", "no", "All right! I'm here", false},
		{"en", "thank you!", "no thanks", "All right! I'm here", false},
		{"es", "gracias", "no gracias", "¡De acuerdo! Aquí estoy", false},
		{"pt", "obrigado", "não", "Combinado! Estou aqui", false},
		{"en", "thanks", "👍", "All right! I'm here", false}, // done, not a yes to more
		{"pt", "valeu", "ok", "Combinado! Estou aqui", false},
		{"en", "thanks", "yes", "What would you like to do?", true},
		{"es", "gracias", "sí", "¿Qué quieres hacer?", true},
	} {
		t.Run(tc.lang+"/"+tc.answer, func(t *testing.T) {
			c := newConv()
			c.Language = tc.lang
			acts := b.Handle(ctx, c, customer(tc.thanks))
			if len(acts) != 1 || acts[0].Kind != bot.SendMessage {
				t.Fatalf("%q: %q, want the thanks and the question", tc.thanks, texts(acts))
			}
			acts = b.Handle(ctx, c, customer(tc.answer))
			if len(acts) != 1 || !strings.HasPrefix(acts[0].Text, tc.want) || (len(acts[0].Items) > 0) != tc.menu {
				t.Fatalf("%q after thanks: %q (items %v), want %q, menu %v", tc.answer, texts(acts), acts[0].Items, tc.want, tc.menu)
			}
		})
	}
	// Anything else is a new request: the question does not swallow it.
	c := newConv()
	b.Handle(ctx, c, customer("thanks"))
	c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
	acts := b.Handle(ctx, c, customer("update my router"))
	if len(acts) != 1 || len(acts[0].Items) != 2 || !strings.Contains(acts[0].Text, "ABC123456") {
		t.Fatalf("update my router after thanks: %q, want the confirmation", texts(acts))
	}
	// And a later "no" is an answer to that menu, not to the old question.
	acts = b.Handle(ctx, c, customer("no"))
	if len(acts) != 1 || !strings.HasPrefix(acts[0].Text, "OK, I'll leave your router") || len(acts[0].Items) == 0 {
		t.Fatalf("no to the confirmation: %q, want the update declined and the menu", texts(acts))
	}
}

// fixedPresence answers the same availability whatever is asked: the bot's view of the
// inbox's hours and agents, as pipeline.Presence reads them from Chatwoot.
type fixedPresence bot.Availability

func (p fixedPresence) Availability(context.Context, int64, int64, int64, time.Time) (bot.Availability, error) {
	return bot.Availability(p), nil
}

// BOT_HANDOFF_WHEN_CLOSED=open hands off even when nobody can answer now. Within opening
// hours with every agent away, the customer is told the agents are busy, not that they
// "are not working right now; they are back soon".
func TestHandoffOpenAnywayWhileBusy(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		av   bot.Availability
		want string
	}{
		{"open, nobody online", bot.Availability{Open: true, Online: false}, "All our agents are busy right now."},
		{"closed", bot.Availability{Open: false, Online: true, NextOpening: time.Now().Add(3 * time.Hour)}, "Our agents are offline right now; they'll be back"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBot(t)
			b.Presence = fixedPresence(tc.av)
			b.Handoff.WhenClosed = "open"
			c := newConv()
			acts := b.Handle(ctx, c, customer("I want to talk to a human"))
			// One message, sent by the handoff once the conversation is open.
			if len(acts) != 1 || acts[0].Kind != bot.Handoff || acts[0].Handoff.Message == nil || !strings.HasPrefix(acts[0].Handoff.Message.Text, tc.want) {
				t.Fatalf("%q, want the handoff telling %q", texts(acts), tc.want)
			}
		})
	}
}

// A serial number the customer typed that the telco does not know is forgotten: a new
// request asks for it again, where it reused the wrong one for good, and the conversation
// attribute that kept it is removed. One the contact carries, set by an agent or a CRM, is
// kept: it is theirs to correct. Either way the answer is permanent: no Try again.
func TestUnknownTypedSerialIsAskedAgain(t *testing.T) {
	ctx := context.Background()
	unknown := func(id string) bot.Event {
		return bot.Event{Kind: bot.JobProgress, Now: time.Now(), Job: &bot.JobUpdate{Attempt: 1, State: bot.JobFailed,
			Reason: bot.ReasonUnknownRouter, RouterID: id}}
	}
	t.Run("typed", func(t *testing.T) {
		b := newBot(t)
		c := newConv()
		b.Handle(ctx, c, customer("update my router"))
		b.Handle(ctx, c, customer("ZX9900AB12"))
		b.Handle(ctx, c, customer("yes"))
		acts := b.Handle(ctx, c, unknown("ZX9900AB12"))
		if len(acts) != 2 || acts[0].Kind != bot.SetAttributes || acts[0].Attributes["router_id"] != nil || len(acts[1].Items) != 2 ||
			!strings.Contains(acts[1].Text, "check the serial number") {
			t.Fatalf("unknown router: %q, want the attribute removed, then the failure menu without Try again, asking to check the serial", texts(acts))
		}
		// Removed only while it is still the customer's: an agent's correction stays.
		if acts[0].Unless["router_id"] != "ZX9900AB12" {
			t.Fatalf("removal %+v, want it conditional on the typed serial", acts[0])
		}
		acts = b.Handle(ctx, c, customer("update my router"))
		if len(acts) != 1 || !strings.Contains(acts[0].Text, "serial number") {
			t.Fatalf("update my router: %q, want the serial number asked again", texts(acts))
		}
		acts = b.Handle(ctx, c, customer("ZX9900AB13"))
		if len(acts) != 2 || !strings.Contains(acts[1].Text, "ZX9900AB13") {
			t.Fatalf("the right serial: %q, want it confirmed", texts(acts))
		}
	})
	t.Run("the contact's", func(t *testing.T) {
		b := newBot(t)
		c := newConv()
		c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
		b.Handle(ctx, c, customer("update my router"))
		b.Handle(ctx, c, customer("yes"))
		acts := b.Handle(ctx, c, unknown("ABC123456"))
		if len(acts) != 1 || len(acts[0].Items) != 2 || strings.Contains(acts[0].Text, "check the serial") {
			t.Fatalf("unknown router: %q, want the failure menu alone, without Try again", texts(acts))
		}
		acts = b.Handle(ctx, c, customer("Retry"))
		for _, a := range acts {
			if a.Kind == bot.StartJob {
				t.Fatalf("Retry: %q, the same unknown router tried again", texts(acts))
			}
		}
	})
}

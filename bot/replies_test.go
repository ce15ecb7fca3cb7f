package bot_test

// Found in review of the replies to open questions: each test failed on a defect a
// customer would meet and passes since its fix.

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cwbot/cwbot/bot"
)

// To "Anything else I can do for you?" the customer answers "yes, update my router" /
// "sim, atualiza o roteador": the request is the classifier's, and the update's
// confirmation comes at once (a yes of yes words alone would get the main menu).
func TestAnythingElseYesWithTheRequest(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	for _, text := range []string{"yes, update my router", "sim, atualiza o roteador"} {
		c := newConv()
		c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
		b.Handle(ctx, c, customer("thanks"))
		if c.State != bot.StateAnythingElse {
			t.Fatalf("setup: awaiting %q, want anything_else", c.Awaiting)
		}
		acts := b.Handle(ctx, c, customer(text))
		if len(acts) != 1 || !strings.Contains(acts[0].Text, "ABC123456") {
			t.Errorf("%q to \"Anything else?\": %q, want the update's confirmation", text, texts(acts))
		}
	}
}

// After a failed update the customer asks for an agent and describes the problem: "the
// router won't update", "el router no se actualiza" (classified update_router) are the
// description, not a request to update: the customer is handed off with it. (The default
// question is not asked after a failure the bot saw: an intake file's question that is
// asked whatever the bot knows is.)
func TestIntakeDescriptionOfAnUpdateProblem(t *testing.T) {
	ctx := context.Background()
	for _, text := range []string{"the router won't update", "el router no se actualiza", "o modem não atualiza", "my router keeps restarting"} {
		t.Run(text, func(t *testing.T) {
			b, c, _ := failedUpdate(ctx, t, "")
			b.Handoff.Intake = bot.DefaultIntake()
			b.Handoff.Intake[0].Described = false
			b.Handle(ctx, c, customer("Talk to an agent"))
			if c.State != bot.StateIntake {
				t.Fatalf("setup: awaiting %q, want the intake question", c.Awaiting)
			}
			acts := b.Handle(ctx, c, customer(text))
			if !c.HandedOff {
				t.Errorf("description %q: %q handed_off=false, want it recorded and the customer handed off", text, texts(acts))
			}
		})
	}
}

// "no quiero cancelar" / "não cancela" (don't cancel) to the intake question, which the
// classifier is sure is a cancel, does not call the handoff off.
func TestIntakeDontCancel(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	b.Handoff.Intake = bot.DefaultIntake()
	for _, text := range []string{"no quiero cancelar", "não cancela"} {
		c := newConv()
		b.Handle(ctx, c, customer("hi"))
		b.Handle(ctx, c, customer("Talk to an agent"))
		acts := b.Handle(ctx, c, customer(text))
		if !c.HandedOff {
			t.Errorf("%q to the intake question: %q handed_off=false, want the handoff to go on", text, texts(acts))
		}
	}
}

// "no hablo inglés" / "não falo inglês" (I don't speak English) names English but asks
// for nothing: the customer stays in their language.
func TestLanguageRequestNegated(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	for _, tc := range []struct{ greet, text, lang string }{
		{"hola", "no hablo inglés", "es"},
		{"oi", "não falo inglês", "pt"},
		{"hola", "el menú del router está en inglés", "es"}, // the router is in English: not a request for English
	} {
		c := newConv()
		b.Handle(ctx, c, customer(tc.greet))
		acts := b.Handle(ctx, c, customer(tc.text))
		if c.Language == "en" {
			t.Errorf("%q: %q language=%q, want %q", tc.text, texts(acts), c.Language, tc.lang)
		}
	}
}

// An English customer whose update failed asks "mejor en español xfa": the failure's
// buttons come again in Spanish, not "Try again" / "Talk to an agent" / "Cancel".
func TestLanguageSwitchRetitlesButtons(t *testing.T) {
	ctx := context.Background()
	b, c, _ := failedUpdate(ctx, t, "")
	if c.Menu == nil || len(c.Menu.Items) == 0 || c.Menu.Items[0].Title != "Try again" {
		t.Fatalf("setup: menu %+v, want the English failure menu", c.Menu)
	}
	acts := b.Handle(ctx, c, customer("mejor en español xfa"))
	for _, a := range acts {
		for _, it := range a.Items {
			switch it.Title {
			case "Try again", "Talk to an agent", "Cancel":
				t.Errorf("after switching to Spanish: %q with button %q, want the buttons in Spanish", texts(acts), it.Title)
			}
		}
	}
}

// While the serial number is asked, "acho melhor falar com um atendente" ("acho": I think,
// not I find) and "where can I talk to an agent?" ask for a person, not for the label.
func TestSerialQuestionAskingForAnAgent(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	for _, text := range []string{"acho melhor falar com um atendente", "where can I talk to an agent?"} {
		c := newConv()
		b.Handle(ctx, c, customer("update my router"))
		if c.State != bot.StateAskSerial {
			t.Fatalf("setup: awaiting %q, want the serial question", c.Awaiting)
		}
		acts := b.Handle(ctx, c, customer(text))
		if !c.HandedOff {
			t.Errorf("%q to the serial question: %q handed_off=false, want the handoff", text, texts(acts))
		}
	}
}

// During an update, "hola, me pueden llamar?" / "good morning, can someone call me?"
// (classified greeting) keep the way to a person: a longer greeting is not taken for
// "how is it going".
func TestGreetingRequestDuringUpdate(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	for _, text := range []string{"hola, me pueden llamar?", "good morning, can someone call me?"} {
		c := newConv()
		c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
		confirmUpdateAt(ctx, b, c, time.Now())
		acts := b.Handle(ctx, c, customer(text))
		agent := c.HandedOff || c.State == bot.StateIntake
		for _, a := range acts {
			for _, it := range a.Items {
				agent = agent || it.Value == "agent"
			}
		}
		if !agent {
			t.Errorf("%q during an update: %q intent=%q, want a way to an agent", text, texts(acts), c.LastIntent)
		}
	}
}

// "my internet is slow" is out of the classifier's scope but what the bot is for: it
// says what it can do (update and restart, or an agent) instead of "I didn't understand",
// and after an update that succeeded it offers the agent.
func TestConnectionComplaint(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	for _, text := range []string{"my internet is slow", "no tengo internet", "minha internet tá lenta", "o wifi ta caindo toda hora"} {
		c := greeted(ctx, b)
		acts := b.Handle(ctx, c, customer(text))
		if len(acts) != 1 || len(acts[0].Items) != 2 || acts[0].Items[0].Value != "update_router" || c.Misunderstood != 0 ||
			strings.Contains(acts[0].Text, "understand") || strings.Contains(acts[0].Text, "entend") {
			t.Errorf("%q: %q misunderstood=%d, want what the bot can do and the main menu", text, texts(acts), c.Misunderstood)
		}
	}
	c := succeededUpdate(ctx, b)
	acts := b.Handle(ctx, c, customer("the internet is still really slow, nothing changed"))
	if len(acts) != 1 || len(acts[0].Items) != 3 || acts[0].Items[0].Value != "agent" || acts[0].Items[1].Value != "update_router" ||
		!strings.Contains(acts[0].Text, "was updated") {
		t.Fatalf("a complaint after a successful update: %q, want the update named, the agent offered first and the update again second", texts(acts))
	}
}

// To the confirmation naming the router on the contact's record, "that's not my router"
// or another serial changes nothing: only the contact's router may be updated (an agent
// corrects it in Chatwoot), or a customer could restart someone else's router. With no
// router on record, the serial typed earlier is corrected: "that's not my router" asks
// for it again, and a serial typed there replaces it.
func TestConfirmationWrongRouter(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	for _, text := range []string{"that's not my router", "ese no es", "esse não é o meu roteador", "no, the other one! AB-5555-1234"} {
		c := newConv()
		c.Contact.Attributes = map[string]any{"router_id": "ZX-9900-AB12"}
		b.Handle(ctx, c, customer("update my router"))
		acts := b.Handle(ctx, c, customer(text))
		acts = append(acts, b.Handle(ctx, c, customer("yes"))...)
		if started(acts) || c.RouterID != "ZX-9900-AB12" || c.TypedRouter != "" || c.State == bot.StateConfirmUpdate {
			t.Errorf("%q to the confirmation of the contact's router, then yes: %q router=%q, want nothing started and the agent offered", text, texts(acts), c.RouterID)
		}
	}
	typed := func() *bot.Conversation {
		c := newConv()
		b.Handle(ctx, c, customer("update my router"))
		b.Handle(ctx, c, customer("ZX-9900-AB12"))
		return c
	}
	for _, text := range []string{"that's not my router", "ese no es", "esse não é o meu roteador"} {
		c := typed()
		acts := b.Handle(ctx, c, customer(text))
		// the serial typed wrong is dropped (an attribute written) and asked for again
		if started(acts) || c.State != bot.StateAskSerial || len(acts) == 0 || acts[len(acts)-1].Text == "" || len(acts[len(acts)-1].Items) != 0 ||
			c.TypedRouter != "" {
			t.Errorf("%q to the confirmation of a typed serial: %q state=%q, want the serial asked", text, texts(acts), c.State)
		}
	}
	c := typed()
	acts := b.Handle(ctx, c, customer("wrong router number, it is ZX-9900-CD34"))
	if started(acts) || c.RouterID != "ZX-9900-CD34" || len(acts) != 2 || !strings.Contains(acts[1].Text, "ZX-9900-CD34") {
		t.Fatalf("a serial to the confirmation: %q router=%q, want it to confirm instead", texts(acts), c.RouterID)
	}
	if acts := b.Handle(ctx, c, customer("yes")); !started(acts) {
		t.Fatalf("yes: %q, want the update started", texts(acts))
	}
}

// A customer in line while the inbox is closed who asks when an agent comes, or asks for
// one again, is told when the agents are back, not only that they are in line.
func TestInLineWhenClosed(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	now := time.Date(2026, 11, 22, 4, 0, 0, 0, time.UTC)
	b.Presence = fixedPresence{Open: false, NextOpening: now.Add(5 * time.Hour)}
	c := newConv()
	for _, text := range []string{"I want to talk to a human", "Wait for an agent"} {
		ev := customer(text)
		ev.Now = now
		b.Handle(ctx, c, ev)
	}
	if !c.Waiting {
		t.Fatal("not in line")
	}
	for _, text := range []string{"when will the agent come?", "how long?", "I want an agent"} {
		ev := customer(text)
		ev.Now = now
		acts := b.Handle(ctx, c, ev)
		if len(acts) != 1 || !strings.Contains(acts[0].Text, "in line") || !strings.Contains(acts[0].Text, "back") {
			t.Errorf("%q in line, agents offline: %q, want in line and when they are back", text, texts(acts))
		}
	}
}

// succeededUpdate is a conversation whose router update (ABC123456) has just succeeded.
func succeededUpdate(ctx context.Context, b *bot.Bot) *bot.Conversation {
	c := newConv()
	c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
	confirmUpdateAt(ctx, b, c, time.Now())
	b.Handle(ctx, c, bot.Event{Kind: bot.JobProgress, Now: time.Now(), Job: &bot.JobUpdate{Attempt: 1, State: bot.JobSucceeded}})
	return c
}

// After a failed update, a person asked for (the button, or angry words) is no cue to ask
// "describe the problem": the bot saw it fail. The agent's note says so rather than taking
// the anger ("this is useless. get me a human") for the problem, and the customer is told
// the agent has what happened. Before, a tap asked the question and typed anger skipped
// it, storing the anger as the problem (es 05, en 04, pt 04).
func TestHandoffAfterFailureAsksNothingTheBotSaw(t *testing.T) {
	ctx := context.Background()
	for _, text := range []string{"Talk to an agent", "this is useless. get me a human", "sério? falhou de novo?? quero falar com atendente"} {
		t.Run(text, func(t *testing.T) {
			b, c, _ := failedUpdate(ctx, t, "")
			b.Handoff.Intake = bot.DefaultIntake()
			acts := b.Handle(ctx, c, customer(text))
			if c.State == bot.StateIntake || !c.HandedOff {
				t.Fatalf("%q after a failed update: %q, want the handoff without the intake question", text, texts(acts))
			}
			var plan *bot.HandoffPlan
			for _, a := range acts {
				if a.Kind == bot.Handoff {
					plan = a.Handoff
				}
			}
			if plan == nil || !strings.Contains(plan.Note, "- problem: not asked: the router update failed") || strings.Contains(plan.Note, "- problem: "+text) {
				t.Fatalf("note %q, want the known failure as the problem, not the customer's words", plan.Note)
			}
			if plan.Message == nil || !strings.Contains(plan.Message.Text, "update") && !strings.Contains(plan.Message.Text, "atualização") {
				t.Errorf("told %+v, want to hear the agent has what happened with the update", plan.Message)
			}
		})
	}
}

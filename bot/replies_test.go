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
		if c.Awaiting != "anything_else" {
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
// description, not a request to update: the customer is handed off with it.
func TestIntakeDescriptionOfAnUpdateProblem(t *testing.T) {
	ctx := context.Background()
	for _, text := range []string{"the router won't update", "el router no se actualiza", "o modem não atualiza", "my router keeps restarting"} {
		t.Run(text, func(t *testing.T) {
			b, c, _ := failedUpdate(ctx, t, "")
			b.Handoff.Intake = bot.DefaultIntake()
			b.Handle(ctx, c, customer("Talk to an agent"))
			if c.Awaiting != "intake" {
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
		if c.Awaiting != "router_id" {
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
		agent := c.HandedOff || c.Awaiting == "intake"
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
	if len(acts) != 1 || len(acts[0].Items) != 2 || acts[0].Items[0].Value != "agent" || !strings.Contains(acts[0].Text, "after the update") {
		t.Fatalf("a complaint after a successful update: %q, want the agent offered", texts(acts))
	}
}

// Found by customers played through the shell, second round.
func TestJourneyFixesSecondRound(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	t.Run("a refusal naming the router starts nothing", func(t *testing.T) {
		for _, text := range []string{"no quiero actualizar el router", "nao quero atualizar o roteador", "that's not my router", "wrong router number", "my router is fine"} {
			c := newConv()
			c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
			b.Handle(ctx, c, customer("update my router"))
			if acts := b.Handle(ctx, c, customer(text)); started(acts) {
				t.Errorf("%q to the confirmation: %q, want no update started", text, texts(acts))
			}
		}
	})
	t.Run("a serial inside a sentence", func(t *testing.T) {
		for _, text := range []string{"S/N: ZX-9900-CD34", "S/N:ZX-9900-CD34", "SN ZX-9900-CD34", "the serial number is ZX-9900-CD34", "é ZX-9900-CD34", "it's ZX-9900-CD34.", "ZX 9900 CD34"} {
			c := newConv()
			b.Handle(ctx, c, customer("update my router"))
			acts := b.Handle(ctx, c, customer(text))
			want := "ZX-9900-CD34"
			if text == "ZX 9900 CD34" {
				want = "ZX9900CD34"
			}
			if c.RouterID != want || c.Language != "en" || len(acts) != 2 || !strings.Contains(acts[1].Text, want) {
				t.Errorf("%q: router %q language %q %q, want %s to confirm, in English", text, c.RouterID, c.Language, texts(acts), want)
			}
		}
	})
	t.Run("cancel leaves the line after a reply not understood", func(t *testing.T) {
		b2 := newBot(t)
		b2.Presence = teamPresence{}
		c := newConv()
		b2.Handle(ctx, c, customer("I want to talk to a human"))
		b2.Handle(ctx, c, customer("Wait for an agent"))
		b2.Handle(ctx, c, customer("asdf qwer"))
		b2.Handle(ctx, c, customer("I don't need the agent anymore, cancel"))
		if c.Waiting {
			t.Fatal("still in line after cancel")
		}
	})
	t.Run("a question while in line", func(t *testing.T) {
		b2 := newBot(t)
		b2.Presence = teamPresence{}
		c := newConv()
		b2.Handle(ctx, c, customer("I want to talk to a human"))
		b2.Handle(ctx, c, customer("Wait for an agent"))
		acts := b2.Handle(ctx, c, customer("how long?"))
		if len(acts) != 1 || !strings.Contains(acts[0].Text, "in line") {
			t.Fatalf("\"how long?\" in line: %q, want the line", texts(acts))
		}
	})
	t.Run("a longer greeting during an update gets the status and the menu", func(t *testing.T) {
		c := newConv()
		c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
		confirmUpdateAt(ctx, b, c, time.Now())
		acts := b.Handle(ctx, c, customer("hello, how is it going?"))
		if len(acts) != 1 || !strings.Contains(acts[0].Text, "is queued") || len(acts[0].Items) != 2 {
			t.Fatalf("greeting during an update: %q, want the status and the menu", texts(acts))
		}
	})
	t.Run("complaints", func(t *testing.T) {
		for _, text := range []string{"still not working", "continua igual", "sigue sin funcionar", "didn't help"} {
			c := succeededUpdate(ctx, b)
			acts := b.Handle(ctx, c, customer(text))
			if len(acts) != 1 || len(acts[0].Items) != 2 || acts[0].Items[0].Value != "agent" {
				t.Errorf("%q after an update: %q, want the agent offered", text, texts(acts))
			}
		}
		c := newConv()
		c.Language = ""
		acts := b.Handle(ctx, c, customer("se cayó el internet"))
		if c.Language != "es" || len(acts) != 1 || !strings.HasPrefix(acts[0].Text, "Lamento") {
			t.Fatalf("\"se cayó el internet\" first: %q (%s), want the complaint answered in Spanish", texts(acts), c.Language)
		}
	})
	t.Run("help keeps the failure's choices", func(t *testing.T) {
		b2, c, _ := failedUpdate(ctx, t, "")
		acts := b2.Handle(ctx, c, customer("help"))
		if len(acts) != 1 || len(acts[0].Items) != 3 || acts[0].Items[0].Value != "retry" {
			t.Fatalf("help after a failure: %q, want the help and Try again / Talk to an agent / Cancel", texts(acts))
		}
	})
	t.Run("ok is no description", func(t *testing.T) {
		b2 := newBot(t)
		b2.Handoff.Intake = bot.DefaultIntake()
		c := greeted(ctx, b2)
		b2.Handle(ctx, c, customer("Talk to an agent"))
		b2.Handle(ctx, c, customer("ok"))
		if len(c.Intake) != 0 || c.HandedOff {
			t.Fatalf("\"ok\" to the intake question: intake %+v, want the question again", c.Intake)
		}
	})
}

// To the confirmation naming a router, "that's not my router" asks for the serial, and a
// serial typed there replaces the one named: before, "wrong router number, it is
// ZX-9900-CD34" confirmed the wrong router.
func TestConfirmationWrongRouter(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	for _, text := range []string{"that's not my router", "ese no es", "esse não é o meu roteador", "wrong router number"} {
		c := newConv()
		c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
		b.Handle(ctx, c, customer("update my router"))
		acts := b.Handle(ctx, c, customer(text))
		if started(acts) || c.Awaiting != "router_id" || len(acts) != 1 || len(acts[0].Items) != 0 {
			t.Errorf("%q to the confirmation: %q awaiting=%q, want the serial asked", text, texts(acts), c.Awaiting)
		}
	}
	c := newConv()
	c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
	b.Handle(ctx, c, customer("update my router"))
	acts := b.Handle(ctx, c, customer("wrong router number, it is ZX-9900-CD34"))
	if started(acts) || c.RouterID != "ZX-9900-CD34" || len(acts) != 2 || !strings.Contains(acts[1].Text, "ZX-9900-CD34") {
		t.Fatalf("a serial to the confirmation: %q router=%q, want it to confirm instead", texts(acts), c.RouterID)
	}
	if acts := b.Handle(ctx, c, customer("yes")); !started(acts) {
		t.Fatalf("yes: %q, want the update started", texts(acts))
	}
}

// Found by customers played through the shell, third round.
func TestJourneyFixesThirdRound(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	b.Handoff.Intake = bot.DefaultIntake()
	t.Run("a change of mind to the update during the intake", func(t *testing.T) {
		for _, text := range []string{"actually I want to update my router", "mejor actualiza el router", "na verdade quero atualizar o roteador"} {
			c := greeted(ctx, b)
			c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
			b.Handle(ctx, c, customer("Talk to an agent"))
			acts := b.Handle(ctx, c, customer(text))
			if c.HandedOff || len(c.Intake) != 0 || len(acts) != 1 || len(acts[0].Items) != 2 || !strings.Contains(acts[0].Text, "ABC123456") {
				t.Errorf("%q to the intake question: %q handed_off=%v, want the update's confirmation", text, texts(acts), c.HandedOff)
			}
		}
	})
	t.Run("a language asked as a question", func(t *testing.T) {
		c := greeted(ctx, b)
		acts := b.Handle(ctx, c, customer("can we speak spanish?"))
		if c.Language != "es" || c.Awaiting != "" || len(acts) != 1 || !strings.HasPrefix(acts[0].Text, "¡Claro!") {
			t.Fatalf("\"can we speak spanish?\": %q (%s, awaiting %q), want Spanish and the menu", texts(acts), c.Language, c.Awaiting)
		}
		c = greeted(ctx, b)
		b.Handle(ctx, c, customer("Talk to an agent"))
		acts = b.Handle(ctx, c, customer("en español por favor"))
		if c.Language != "es" || len(c.Intake) != 0 || c.HandedOff || len(acts) != 1 || !strings.HasPrefix(acts[0].Text, "¡Claro!") {
			t.Fatalf("\"en español por favor\" to the intake question: %q intake=%+v, want the question again in Spanish", texts(acts), c.Intake)
		}
	})
	t.Run("can't find the serial, in Portuguese", func(t *testing.T) {
		for _, text := range []string{"não achei", "não acho", "não encontrei", "não tô achando", "I don't see it", "help"} {
			c := newConv()
			b.Handle(ctx, c, customer("update my router"))
			acts := b.Handle(ctx, c, customer(text))
			if c.Awaiting != "router_id" || len(acts) != 1 || !strings.Contains(acts[0].Text, "S/N") {
				t.Errorf("%q: %q awaiting=%q, want where the serial is", text, texts(acts), c.Awaiting)
			}
		}
	})
	t.Run("complaints after an update, and during one", func(t *testing.T) {
		for _, text := range []string{"continua lento", "continua caindo", "ainda continua lento"} {
			c := succeededUpdate(ctx, b)
			if acts := b.Handle(ctx, c, customer(text)); len(acts) != 1 || len(acts[0].Items) != 2 || acts[0].Items[0].Value != "agent" {
				t.Errorf("%q after an update: %q, want the agent offered", text, texts(acts))
			}
		}
		c := newConv()
		c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
		confirmUpdateAt(ctx, b, c, time.Now())
		acts := b.Handle(ctx, c, customer("my internet is down"))
		if len(acts) != 1 || !strings.HasPrefix(acts[0].Text, "That's expected during the update") || len(acts[0].Items) != 0 {
			t.Fatalf("\"my internet is down\" during an update: %q, want it is expected", texts(acts))
		}
		c = greeted(ctx, b)
		c.Language = "es"
		if acts := b.Handle(ctx, c, customer("hola buenas, mi internet anda lento")); len(acts) != 1 || !strings.HasPrefix(acts[0].Text, "Lamento") {
			t.Fatalf("a greeting with a complaint: %q, want the complaint answered", texts(acts))
		}
	})
	t.Run("a correction naming both serials", func(t *testing.T) {
		for _, text := range []string{"it's ZX-1234-CD56 not ABC123456", "not ABC123456, it's ZX-1234-CD56"} {
			c := newConv()
			c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
			b.Handle(ctx, c, customer("update my router"))
			acts := b.Handle(ctx, c, customer(text))
			if started(acts) || c.RouterID != "ZX-1234-CD56" {
				t.Errorf("%q: %q router=%q, want ZX-1234-CD56 to confirm", text, texts(acts), c.RouterID)
			}
		}
	})
	t.Run("no, that's all", func(t *testing.T) {
		for _, text := range []string{"no that's all", "não, só isso", "i'm good", "no, nada más", "nada não"} {
			c := newConv()
			b.Handle(ctx, c, customer("thanks"))
			acts := b.Handle(ctx, c, customer(text))
			if len(acts) != 1 || len(acts[0].Items) != 0 || strings.Contains(acts[0].Text, "cancel") || strings.Contains(acts[0].Text, "Hi ") {
				t.Errorf("%q to \"Anything else?\": %q, want the goodbye", text, texts(acts))
			}
		}
	})
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

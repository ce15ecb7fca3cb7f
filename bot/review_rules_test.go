package bot_test

// Found in the review of the rules around the classifier: each test failed on the defect
// its comment tells (what the customer saw) and passes since the fix.

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cwbot/cwbot/bot"
)

// To "Anything else I can do for you?", a reply that opens with "no" but goes on with a new
// request is that request, not "no, that's all". The customer writes "no tengo internet
// desde ayer" ("I've had no internet since yesterday") or "no, but my internet is slow"
// and sees only "All right! I'm here if you need anything else." (in their language): the
// complaint or request is dropped (intents.StartsWithNo in bot.go's awaitAnythingElse).
// They should see the answer to what they asked (the connection complaint's reply, the
// handoff, the update's confirmation).
func TestAnythingElseNoPlusRequest(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	bye := map[string]string{} // the goodbye, in each language: the answer to 👍
	thanks := map[string]string{"en": "thanks", "es": "gracias", "pt": "obrigado"}
	for lang := range thanks {
		c := newConv()
		c.Language = lang
		b.Handle(ctx, c, customer(thanks[lang]))
		bye[lang] = b.Handle(ctx, c, customer("👍"))[0].Text
	}
	for _, tc := range []struct{ lang, text string }{
		{"en", "no, but my internet is slow"},
		{"es", "no tengo internet desde ayer"},
		{"pt", "não, quero falar com um atendente"},
		{"en", "no, update my router"},
	} {
		c := newConv()
		c.Language = tc.lang
		c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
		b.Handle(ctx, c, customer(thanks[tc.lang]))
		acts := b.Handle(ctx, c, customer(tc.text))
		if len(acts) == 1 && acts[0].Text == bye[tc.lang] {
			t.Errorf("%q to \"Anything else?\": %q (the goodbye), want the request answered", tc.text, texts(acts))
		}
	}
}

func startedRouter(acts []bot.Action) string {
	for _, a := range acts {
		if a.Kind == bot.StartJob && a.Update != nil {
			return a.Update.RouterID
		}
	}
	return ""
}

// The contact carries ABC123456; to "Shall I update router ABC123456?" the customer says
// "it's ZX-1234-CD56, not ABC123456", confirms, and the update of ZX-1234-CD56 fails (the
// service was unavailable). "Try again" then restarts ABC123456, the router the customer
// said is not theirs, without asking: retryUpdate takes routerID(c), where the contact's
// attribute comes first, over the serial typed at the confirmation (bot.go otherSerial).
// The customer should see ZX-1234-CD56 tried again.
func TestRetryKeepsSerialTypedAtConfirmation(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	c := newConv()
	c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
	b.Handle(ctx, c, customer("update my router"))
	b.Handle(ctx, c, customer("it's ZX-1234-CD56, not ABC123456"))
	if r := startedRouter(b.Handle(ctx, c, customer("yes"))); r != "ZX-1234-CD56" {
		t.Fatalf("first attempt on %q, want ZX-1234-CD56", r)
	}
	b.Handle(ctx, c, bot.Event{Kind: bot.JobProgress, Now: time.Now(),
		Job: &bot.JobUpdate{Attempt: 1, State: bot.JobFailed, Reason: bot.ReasonUnavailable}})
	acts := b.Handle(ctx, c, customer("Try again"))
	if r := startedRouter(acts); r != "ZX-1234-CD56" {
		t.Errorf("Try again: %q, retried router %q, want ZX-1234-CD56 (the customer said ABC123456 is not theirs)", texts(acts), r)
	}
}

// A phone number typed to the confirmation is not a serial. To "Shall I update router
// ABC123456?" the customer answers "yes, my number is 11987654321 if you need to call" or
// "sim, meu telefone é (11) 98765-4321": the bot now asks "Shall I update router
// 11987654321?" (and a "yes" would update a router of that name) because the default
// ROUTER_ID_PATTERN takes any 6+ digits. They should get the update of ABC123456 (or the
// same confirmation again), never their phone number as the router.
func TestPhoneNumberAtConfirmationIsNoSerial(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	for _, tc := range []struct{ lang, text string }{
		{"en", "yes, my number is 11987654321 if you need to call"},
		{"pt", "sim, meu telefone é (11) 98765-4321"},
	} {
		c := newConv()
		c.Language = tc.lang
		c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
		b.Handle(ctx, c, customer("update my router"))
		acts := b.Handle(ctx, c, customer(tc.text))
		if c.RouterID != "ABC123456" || strings.Contains(strings.Join(texts(acts), " "), "98765") {
			t.Errorf("%q to the confirmation: %q router=%q, want ABC123456 kept", tc.text, texts(acts), c.RouterID)
		}
	}
}

// During the intake ("briefly describe the problem"), a description that says "actually",
// "melhor" or "na verdade" and names the router is the problem, not a change of mind.
// "atualizei o roteador mas não ficou melhor" ("I updated the router but it didn't get
// better") or "actually I already updated the router" calls the handoff off, and the
// customer, who asked for a person, sees "Shall I update router ABC123456?" instead. They
// should see their description taken and be passed on (bot.go notAnIntakeAnswer,
// intents.ChangeOfMind + update_router), as "the router keeps rebooting" is.
func TestIntakeDescriptionIsNoChangeOfMind(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	b.Handoff.Intake = bot.DefaultIntake()
	for _, text := range []string{
		"the router keeps rebooting", // the baseline: taken as the description
		"actually the router update didn't fix it",
		"actually I already updated the router",
		"atualizei o roteador mas não ficou melhor",
		"na verdade já atualizei o roteador",
	} {
		c := greeted(ctx, b)
		c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
		b.Handle(ctx, c, customer("Talk to an agent"))
		acts := b.Handle(ctx, c, customer(text))
		if len(c.Intake) != 1 || c.Intake[0].Text != text || strings.Contains(strings.Join(texts(acts), " "), "ABC123456") {
			t.Errorf("%q to the intake question: %q intake=%+v, want it taken as the description and the handoff to go on", text, texts(acts), c.Intake)
		}
	}
}

// A sentence that names a language with a polite word is no request for it. A Spanish
// customer writing "el router está en inglés, ayuda por favor" ("the router is in English,
// help please") now gets "Sure, let's go on in English." and the rest of the chat in
// English: "favor" counts as a cue (intents.LanguageRequest's languageCues). The same in
// Portuguese. They should stay in their own language.
func TestLanguageNamedIsNoRequest(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	for _, tc := range []struct{ lang, text string }{
		{"es", "el router está en inglés, ayuda por favor"},
		{"pt", "o roteador está em inglês, ajuda por favor"},
	} {
		c := greeted(ctx, b)
		c.Language = tc.lang
		acts := b.Handle(ctx, c, customer(tc.text))
		if c.Language != tc.lang {
			t.Errorf("%q: %q, language now %q, want %q kept", tc.text, texts(acts), c.Language, tc.lang)
		}
	}
}

// "can I talk to an agent in spanish?" asks for a person. The language rule now answers it
// first ("talk" is a cue): the customer sees "¡Claro! Sigamos en español." and the main
// menu, and nobody is asked for; before this change it started the handoff. They should be
// passed on (the intake question), in Spanish.
func TestAgentInALanguageStillHandsOff(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	b.Handoff.Intake = bot.DefaultIntake()
	c := greeted(ctx, b)
	acts := b.Handle(ctx, c, customer("can I talk to an agent in spanish?"))
	if c.State != bot.StateIntake && !c.HandedOff {
		t.Errorf("\"can I talk to an agent in spanish?\": %q awaiting=%q handed_off=%v, want the handoff started", texts(acts), c.Awaiting, c.HandedOff)
	}
}

// During an update, "my internet is down, I want an agent" asks for a person. The new rule
// for connection complaints during an update answers it before the classifier's intent
// (human_agent): the customer sees only "That's expected during the update…" and is not
// passed on, though they said they want an agent; before this change the handoff started.
// They should be passed on (the intake question), the expected drop told or not.
func TestAgentAskedDuringUpdateWithComplaint(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	b.Handoff.Intake = bot.DefaultIntake()
	c := newConv()
	c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
	confirmUpdateAt(ctx, b, c, time.Now())
	if c.Update == nil || !c.Update.Active {
		t.Fatal("no update running")
	}
	acts := b.Handle(ctx, c, customer("my internet is down, I want an agent"))
	if c.State != bot.StateIntake && !c.HandedOff {
		t.Errorf("\"my internet is down, I want an agent\" during an update: %q awaiting=%q, want the handoff started", texts(acts), c.Awaiting)
	}
}

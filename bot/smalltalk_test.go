package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cwbot/cwbot/bot"
)

// greeted is a new conversation whose customer said "hi" and got the main menu.
func greeted(ctx context.Context, b *bot.Bot) *bot.Conversation {
	c := newConv()
	b.Handle(ctx, c, customer("hi"))
	return c
}

func started(acts []bot.Action) bool {
	for _, a := range acts {
		if a.Kind == bot.StartJob {
			return true
		}
	}
	return false
}

// failedUpdate is a conversation whose router update failed with reason (the telco's
// own failure when empty) and whose failure menu the customer left for the main menu.
func failedUpdate(ctx context.Context, t *testing.T, reason string) (*bot.Bot, *bot.Conversation, []bot.Action) {
	t.Helper()
	b := newBot(t)
	c := newConv()
	c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
	confirmUpdateAt(ctx, b, c, time.Now())
	acts := b.Handle(ctx, c, bot.Event{Kind: bot.JobProgress, Now: time.Now(),
		Job: &bot.JobUpdate{Attempt: 1, State: bot.JobFailed, Reason: reason, Detail: "boom"}})
	return b, c, acts
}

// "Try again" typed after the failure menu was left (the customer said "hi" and got the
// main menu) retries the update: before, the classifier read it as a greeting.
func TestTryAgainTypedAfterTheMenuMovedOn(t *testing.T) {
	ctx := context.Background()
	for _, text := range []string{"try again", "Try again", "intentar de nuevo", "tentar de novo"} {
		t.Run(text, func(t *testing.T) {
			b, c, _ := failedUpdate(ctx, t, "")
			b.Handle(ctx, c, customer("hi"))
			if acts := b.Handle(ctx, c, customer(text)); !started(acts) {
				t.Fatalf("%q after a failed update: %q, want the update retried", text, texts(acts))
			}
		})
	}
	t.Run("no failed update", func(t *testing.T) {
		b := newBot(t)
		c := newConv()
		if acts := b.Handle(ctx, c, customer("try again")); started(acts) {
			t.Fatalf("\"try again\" with no update behind: %q, want no update started", texts(acts))
		}
	})
}

// A failure the telco refused outright ("I can't update this router from here") offers
// no Try again: the same request would be refused again.
func TestRejectedUpdateOffersNoRetry(t *testing.T) {
	ctx := context.Background()
	b, c, acts := failedUpdate(ctx, t, bot.ReasonRejected)
	if len(acts) != 1 || len(acts[0].Items) != 2 || acts[0].Items[0].Value == "retry" {
		t.Fatalf("rejected update: %q items=%+v, want Talk to an agent / Cancel", texts(acts), acts[0].Items)
	}
	b.Handle(ctx, c, customer("hi"))
	if acts := b.Handle(ctx, c, customer("try again")); started(acts) || len(acts) != 1 || len(acts[0].Items) != 2 ||
		!strings.HasPrefix(acts[0].Text, "I can't try again from here") {
		t.Fatalf("\"try again\" after a rejected update: %q, want no update started, an agent offered", texts(acts))
	}
	// A failure of the telco's own is worth another try.
	_, _, acts = failedUpdate(ctx, t, "")
	if len(acts) != 1 || len(acts[0].Items) != 3 || acts[0].Items[0].Value != "retry" {
		t.Fatalf("failed update: %q, want Try again / Talk to an agent / Cancel", texts(acts))
	}
}

// "ok", "vale", "beleza", 👍 after the bot spoke say "understood", and "bye", "kkkk", 🙏
// close the chat: none is a misunderstanding, and three of them do not offer an agent.
func TestAcknowledgementIsNotMisunderstood(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	// Two conversations: one customer's 14 messages in a row would meet the flood limit.
	for _, group := range [][]string{
		{"ok", "vale", "beleza", "👍", "got it", "ok 👍", "ah ok"},
		{"bye", "kkkk", "jajaja", "🙏", "❤️", "só isso", "that's all"},
	} {
		c := greeted(ctx, b)
		last := ""
		for i, text := range group {
			acts := b.Handle(ctx, c, customer(text))
			// The first is answered shortly; the ones after it in a row are not answered
			// with the same sentence again (or at all).
			if i == 0 && len(acts) != 1 || len(acts) > 1 {
				t.Fatalf("%q: %q, want one short answer, then at most one each", text, texts(acts))
			}
			for _, a := range acts {
				if a.Kind != bot.SendMessage || len(a.Items) != 0 || a.Text == last ||
					strings.Contains(a.Text, "understand") || strings.Contains(a.Text, "entend") {
					t.Fatalf("%q: %q after %q, want a short answer without a menu, not the same sentence again", text, texts(acts), last)
				}
				last = a.Text
			}
		}
		if c.Misunderstood != 0 {
			t.Fatalf("misunderstood=%d after acknowledgements, want 0", c.Misunderstood)
		}
	}
	// An acknowledgement the open menu understands is the menu's answer.
	c2 := newConv()
	c2.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
	b.Handle(ctx, c2, customer("update my router"))
	if acts := b.Handle(ctx, c2, customer("ok")); !started(acts) {
		t.Fatalf("\"ok\" to the confirmation: %q, want the update started", texts(acts))
	}
	// As the first message, "beleza" is a Brazilian hello: greeted with the menu.
	c3 := newConv()
	if acts := b.Handle(ctx, c3, customer("beleza")); len(acts) != 1 || len(acts[0].Items) == 0 {
		t.Fatalf("\"beleza\" first: %q, want the greeting and its menu", texts(acts))
	}
}

// A greeting typed as the answer to the intake question is not the problem's
// description: the question is asked again.
func TestGreetingIsNotAnIntakeAnswer(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	b.Handoff.Intake = bot.DefaultIntake()
	c := greeted(ctx, b)
	question := b.Handle(ctx, c, customer("Talk to an agent"))
	if len(question) != 1 {
		t.Fatalf("handoff request: %q", texts(question))
	}
	acts := b.Handle(ctx, c, customer("hello"))
	if len(c.Intake) != 0 || c.HandedOff || len(acts) != 1 || acts[0].Text != question[0].Text {
		t.Fatalf("\"hello\" to the intake question: %q intake=%+v, want the question again", texts(acts), c.Intake)
	}
	acts = b.Handle(ctx, c, customer("my internet drops every night"))
	if len(c.Intake) != 1 || c.Intake[0].Text != "my internet drops every night" {
		t.Fatalf("the real answer: %q intake=%+v", texts(acts), c.Intake)
	}
}

// "ok" or "got it" to the question for the serial number neither leaves the question
// (the classifier reads "got it" as cancel) nor counts as a wrong serial: it is asked again.
func TestAcknowledgementKeepsTheSerialQuestion(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	c := newConv()
	ask := b.Handle(ctx, c, customer("update my router"))
	for _, text := range []string{"got it", "ok", "ok 👍", "got it", "k"} {
		acts := b.Handle(ctx, c, customer(text))
		if len(acts) != 1 || acts[0].Text != ask[0].Text || c.BadAnswers != 0 {
			t.Fatalf("%q to the serial question: %q bad_answers=%d, want the question again", text, texts(acts), c.BadAnswers)
		}
	}
	if acts := b.Handle(ctx, c, customer("ABC123456")); len(acts) != 2 || !strings.Contains(acts[1].Text, "ABC123456") {
		t.Fatalf("the serial: %q, want it taken and the update to confirm", texts(acts))
	}
}

// An acknowledgement to the confirmation's Yes / No is a yes ("👍", "perfect", "tá bom"):
// before, only those that were also typed yes variants were, and the others got "All
// right! I'm here if you need anything else." with nothing started.
func TestAcknowledgementConfirmsTheUpdate(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	for _, tc := range []struct{ ask, ack string }{
		{"update my router", "👍"},
		{"update my router", "perfect"},
		{"update my router", "sounds good"},
		{"quero atualizar o roteador", "tá bom"},
		{"quero atualizar o roteador", "perfeito"},
		{"quiero actualizar mi router", "perfecto"},
	} {
		t.Run(tc.ack, func(t *testing.T) {
			c := newConv()
			c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
			if confirm := b.Handle(ctx, c, customer(tc.ask)); len(confirm) != 1 || len(confirm[0].Items) != 2 {
				t.Fatalf("%q: %q, want the confirmation with Yes / No", tc.ask, texts(confirm))
			}
			if acts := b.Handle(ctx, c, customer(tc.ack)); !started(acts) {
				t.Fatalf("%q to the confirmation: %q, want the update started", tc.ack, texts(acts))
			}
		})
	}
}

// Short replies a customer types mid-conversation that the classifier once took for
// something else: "continua igual" (still the same) was a confident cancel, "un momento"
// a request for a person, "funcionou" (it worked) a request for help.
func TestShortRepliesKeepTheirMeaning(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	t.Run("a wait while the serial is asked is no handoff", func(t *testing.T) {
		for _, text := range []string{"un momento", "pera", "one sec", "deixa eu ver"} {
			c := newConv()
			b.Handle(ctx, c, customer("update my router"))
			acts := b.Handle(ctx, c, customer(text))
			if c.State.Resting() || c.HandedOff || len(acts) != 1 || acts[0].Kind == bot.Handoff {
				t.Errorf("%q while the serial is asked: %q awaiting=%q, want the question kept", text, texts(acts), c.Awaiting)
			}
		}
	})
	t.Run("not a cancel", func(t *testing.T) {
		for _, text := range []string{"continua igual", "no problem", "sigue igual", "still the same"} {
			c := greeted(ctx, b)
			acts := b.Handle(ctx, c, customer(text))
			for _, a := range acts {
				if strings.Contains(a.Text, "cancel") || strings.Contains(a.Text, "Cancel") || strings.Contains(a.Text, "nothing to") {
					t.Errorf("%q: %q, want no cancel", text, texts(acts))
				}
			}
		}
	})
	t.Run("it worked is thanks", func(t *testing.T) {
		for _, text := range []string{"funcionou", "funcionó", "it worked"} {
			c := greeted(ctx, b)
			b.Handle(ctx, c, customer(text))
			if c.LastIntent != "thanks" {
				t.Errorf("%q: intent %q, want thanks", text, c.LastIntent)
			}
		}
	})
}

// A reply the bot does not understand while it asks to confirm the update keeps the
// question: before, the main menu took its place, and a plain "yes" after it was not
// understood either.
func TestNotUnderstoodKeepsTheConfirmation(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	c := newConv()
	c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
	confirm := b.Handle(ctx, c, customer("update my router"))
	acts := b.Handle(ctx, c, customer("qwerty asdf"))
	if len(acts) != 1 || len(acts[0].Items) != 2 || !strings.Contains(acts[0].Text, "ABC123456") || !strings.HasPrefix(acts[0].Text, "Sorry") {
		t.Fatalf("not understood: %q, want it said and the confirmation %q again", texts(acts), confirm[0].Text)
	}
	if acts := b.Handle(ctx, c, customer("yes")); !started(acts) {
		t.Fatalf("yes after that: %q, want the update started", texts(acts))
	}
}

// Asking for a language switches to it and repeats the open question in it; before, the
// classifier took "mejor en español xfa" for a request for a person and handed off.
func TestLanguageRequest(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	for _, tc := range []struct{ text, want string }{
		{"perdon mejor en español xfa", "¡Claro! Sigamos en español."},
		{"pode falar em português?", "Claro! Vamos continuar em português."},
		{"hablas español?", "¡Claro! Sigamos en español."},
		{"english please", "Sure, let's go on in English."},
	} {
		c := newConv()
		c.Language = "pt"
		if tc.want == "Sure, let's go on in English." {
			c.Language = "es"
		}
		b.Handle(ctx, c, customer("oi"))
		acts := b.Handle(ctx, c, customer(tc.text))
		if c.HandedOff || len(acts) != 1 || !strings.HasPrefix(acts[0].Text, tc.want) || len(acts[0].Items) != 2 {
			t.Errorf("%q: %q, want %q and the menu", tc.text, texts(acts), tc.want)
		}
	}
}

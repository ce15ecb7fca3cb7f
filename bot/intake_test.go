package bot_test

import (
	"context"
	"testing"

	"github.com/cwbot/cwbot/bot"
)

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

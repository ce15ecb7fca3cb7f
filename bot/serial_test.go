package bot_test

import (
	"context"
	"testing"
)

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

package bot_test

import (
	"context"
	"strings"
	"testing"
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

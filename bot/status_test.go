package bot_test

import (
	"context"
	"testing"
	"time"
)

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

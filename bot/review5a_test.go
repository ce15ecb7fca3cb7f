package bot_test

import (
	"context"
	"testing"
)

func TestExploreNo(t *testing.T) {
	b := newBot(t)
	ctx := context.Background()
	for _, text := range []string{"no 1", "n 1", "no 2", "n 2", "nº 2", "no. 2", "No, 1", "não 1", "nao 2", "no 1 please"} {
		c := newConv()
		c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
		b.Handle(ctx, c, customer("update my router"))
		acts := b.Handle(ctx, c, customer(text))
		var kinds []string
		for _, a := range acts {
			kinds = append(kinds, string(a.Kind)+":"+a.Text)
		}
		t.Logf("%q -> %q intent=%s", text, kinds, c.LastIntent)
	}
}

package bot_test

import (
	"context"
	"testing"
)

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

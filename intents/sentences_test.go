package intents

import (
	"slices"
	"testing"
)

// An unless phrase rules its act out of its own sentence only: "it's working now" takes
// back no trouble told in the next sentence, and still rules the complaint out of a text
// that only says it works.
func TestUnlessRulesOutItsOwnSentenceOnly(t *testing.T) {
	lex := DefaultLexicon()
	for _, c := range []struct {
		text      string
		complaint bool
	}{
		{"Ok it's working now. But the wifi network is gone from my phone", true},
		{"ya funciona. pero el wifi sigue lento", true},
		{"ok it's working now", false},
		{"ok, it's working now, thanks", false},
		{"It's working now. Thanks so much!", false},
		{"great, internet is back and working now", false},
	} {
		acts, refused := lex.read(c.text)
		if got := acts.Has(ActConnectionComplaint); got != c.complaint {
			t.Errorf("%q: connection complaint %v, want %v (acts %v)", c.text, got, c.complaint, acts)
		}
		if c.complaint && refused.Has(ActConnectionComplaint) {
			t.Errorf("%q: the complaint is refused to the learned reader", c.text)
		}
	}
}

// Of two asks_about lists found, one found only inside the other's longer phrase is
// within: "network name" (wifi_name) in "the wifi network name is gone" (wifi_gone).
func TestAsksWithinALongerPhrase(t *testing.T) {
	lex := DefaultLexicon()
	asks, within := lex.asks(newText("the wifi network name is gone from my phone list", lex))
	if !slices.Contains(asks, "wifi_gone") || !slices.Equal(within, []string{"wifi_name"}) {
		t.Errorf("asks %v within %v; want wifi_gone asked and wifi_name within", asks, within)
	}
	asks, within = lex.asks(newText("what is my wifi network name?", lex))
	if !slices.Equal(asks, []string{"wifi_name"}) || len(within) != 0 {
		t.Errorf("asks %v within %v; want wifi_name alone", asks, within)
	}
}

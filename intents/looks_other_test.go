package intents

import (
	"context"
	"testing"
)

// TestLooksAtOtherAndNamesTime: "ok let me check the black one" says the customer will look
// at another box (looks_at with other_box); "so thats it? 2 days?" names a length of time
// (time_units); neither is read in texts that say something else.
func TestLooksAtOtherAndNamesTime(t *testing.T) {
	rd := &Reader{}
	for text, want := range map[string][2]bool{
		"ok let me check the black one":         {true, false},
		"i'll look at the other box":            {true, false},
		"a ver, déjame revisar el otro aparato": {true, false},
		"peraí, vou olhar o preto":              {true, false},
		"ok let me check":                       {false, false},
		"the black one is the telco's":          {false, false},
		"so thats it? 2 days?":                  {false, true},
		"¿y eso es todo? ¿2 semanas?":           {false, true},
		"é só isso? 2 dias?":                    {false, true},
		"so thats it?":                          {false, false},
	} {
		r := rd.Read(context.Background(), text, Context{})
		if r.LooksAtOther != want[0] || r.NamesTime != want[1] {
			t.Errorf("%q: LooksAtOther %v, NamesTime %v; want %v, %v", text, r.LooksAtOther, r.NamesTime, want[0], want[1])
		}
	}
}

package bot

import (
	"strings"
	"testing"
)

func TestWithMenus(t *testing.T) {
	items := []Item{{Title: "Update my router", Value: valUpdateRouter}, {Title: "Talk to an agent", Value: valAgent}}
	long := strings.Repeat("é", maxMenuBody-len("\n\nWhat?")+1) // one character too many
	for _, tc := range []struct {
		name string
		in   []Action
		want []Action
	}{
		{"TextThenMenu", []Action{say("Hi!"), menu("What?", items)},
			[]Action{menu("Hi!\n\nWhat?", items)}},
		{"OnlyTheTextJustBefore", []Action{say("Back."), say("Hi!"), menu("What?", items)},
			[]Action{say("Back."), menu("Hi!\n\nWhat?", items)}},
		{"NoteStaysApart", []Action{note("for the agent"), menu("What?", items)},
			[]Action{note("for the agent"), menu("What?", items)}},
		{"TextAfterMenuStaysApart", []Action{menu("What?", items), say("Hi!")},
			[]Action{menu("What?", items), say("Hi!")}},
		{"TwoMenus", []Action{menu("A?", items), menu("B?", items)},
			[]Action{menu("A?", items), menu("B?", items)}},
		{"TemplateStaysApart", []Action{{Kind: SendMessage, Text: "Hi", Template: &Template{Name: "t"}}, menu("What?", items)},
			[]Action{{Kind: SendMessage, Text: "Hi", Template: &Template{Name: "t"}}, menu("What?", items)}},
		{"OverWhatsAppsBodyLimit", []Action{say(long), menu("What?", items)},
			[]Action{say(long), menu("What?", items)}},
		{"AtTheLimit", []Action{say(long[len("é"):]), menu("What?", items)},
			[]Action{menu(long[len("é"):]+"\n\nWhat?", items)}},
		{"Nothing", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := withMenus(tc.in)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d actions %+v, want %d", len(got), got, len(tc.want))
			}
			for i := range got {
				if got[i].Kind != tc.want[i].Kind || got[i].Text != tc.want[i].Text || len(got[i].Items) != len(tc.want[i].Items) ||
					(got[i].Template == nil) != (tc.want[i].Template == nil) {
					t.Fatalf("action %d = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

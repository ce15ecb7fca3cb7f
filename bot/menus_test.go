package bot

import (
	"strings"
	"testing"
	"unicode/utf8"
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

// A telco's long failure detail (a stack trace, a log line) is clipped, so the failure
// menu stays within WhatsApp's body limit and readable.
func TestFailureDetailClipped(t *testing.T) {
	detail := "firmware download failed: " + strings.Repeat("at com.telco.acs.Download(Download.java:42)\n", 60)
	text := (&Bot{}).failureText("en", JobUpdate{Detail: detail})
	if n := utf8.RuneCountInString(text); n > maxDetail+100 || !strings.Contains(text, "firmware download failed") || !strings.HasSuffix(strings.TrimRight(text, "."), "…") {
		t.Fatalf("failure text (%d characters) %q, want the detail clipped to about %d", n, text, maxDetail)
	}
	if got := clip("short  detail\n", maxDetail); got != "short detail" {
		t.Fatalf("clip of a short detail = %q", got)
	}
	b := &Bot{}
	c := &Conversation{Language: "en"}
	if m := b.failureMenu(c, text); utf8.RuneCountInString(m.Text) > maxMenuBody {
		t.Fatalf("failure menu body of %d characters", utf8.RuneCountInString(m.Text))
	}
}

// An intake question longer than WhatsApp takes in a message with buttons is refused when
// the file is read, not discovered when a customer asks for an agent.
func TestIntakeQuestionTooLong(t *testing.T) {
	long := strings.Repeat("a", maxMenuBody+1)
	_, err := ParseIntake([]byte("- id: problem\n  skippable: true\n  text:\n    en: ok\n    es: " + long + "\n"))
	if err == nil || !strings.Contains(err.Error(), "problem") || !strings.Contains(err.Error(), "es") {
		t.Fatalf("ParseIntake with a %d-character question: %v, want it refused naming the question and language", maxMenuBody+1, err)
	}
	if _, err := ParseIntake([]byte("- id: problem\n  text:\n    en: " + long[:maxMenuBody] + "\n")); err != nil {
		t.Fatalf("a question at the limit: %v", err)
	}
}

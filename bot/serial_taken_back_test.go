package bot

import (
	"context"
	"strings"
	"testing"
	"time"
)

// A serial taken back ("oh wait sorry that's my mum's old one") is no description of the
// problem: the agent's note keeps the trouble told before as the intake's problem, and
// lists the serial taken back with the customer's words.
func TestSerialTakenBackNotTheProblem(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		lang                                  string
		trouble, update, serial, back, person string
	}{
		{"en", "Internet keeps dropping out every half hour or so, it's doing my head in", "update my router",
			"zx 99OO ab12", "oh wait sorry that's my mum's old one", "I want to talk to a person"},
		{"es", "el internet se me cae cada media hora, ya no aguanto", "quiero actualizar mi router",
			"zx 99OO ab12", "ay perdón, ese es el de mi mamá", "quiero hablar con una persona"},
		{"pt", "a internet fica caindo toda hora, não aguento mais", "quero atualizar meu roteador",
			"zx 99OO ab12", "ah pera, esse é o da minha mãe", "quero falar com um atendente"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			b := internalBot(t)
			b.Handoff.Intake = DefaultIntake()
			c := &Conversation{AccountID: 1, ID: 320, Status: StatusPending, CanReply: true, Language: tc.lang}
			now := time.Now()
			var acts []Action
			for i, text := range []string{tc.trouble, tc.update, tc.serial, tc.back, tc.person} {
				acts = b.Handle(ctx, c, internalSay(text, now.Add(time.Duration(i)*time.Minute)))
			}
			var note string
			for _, a := range acts {
				if a.Kind == Handoff {
					note = a.Handoff.Note
				}
			}
			if note == "" {
				t.Fatalf("no handoff to %q: %+v", tc.person, acts)
			}
			if !strings.Contains(note, "- problem: "+tc.trouble) {
				t.Errorf("the note's problem is not the trouble told:\n%s", note)
			}
			if strings.Contains(note, "problem: "+tc.back) {
				t.Errorf("the serial taken back is the note's problem:\n%s", note)
			}
			if !strings.Contains(note, "ZX-9900-AB12 (taken back by the customer: ") {
				t.Errorf("the note does not list the serial taken back:\n%s", note)
			}
		})
	}
}

package intents

import (
	"context"
	"testing"
)

// TestReadFailureAftermathQuestions checks that what customers ask right after a failed
// update (is the router broken, did I lose anything, should I unplug it) is read in the
// three languages, each apart, and that a "no" in "o no lo toco?" does not undo the question.
func TestReadFailureAftermathQuestions(t *testing.T) {
	rd := &Reader{Lexicon: DefaultLexicon()}
	for _, tc := range []struct {
		in                   string
		broken, lost, unplug bool
	}{
		{in: "are u serious. did i lose my settings? should i unplug it?", unplug: true},
		{in: "did i lose anything?", lost: true},
		{in: "is my router broken?", broken: true},
		{in: "lo desenchufo y lo vuelvo a enchufar o no lo toco?", unplug: true},
		{in: "perdí algo? las claves del wifi y eso siguen igual?", lost: true},
		{in: "se me rompió el router?", broken: true},
		{in: "meu roteador estragou? perdi alguma coisa? tiro da tomada?", broken: true, lost: true, unplug: true},
		{in: "nao é fatura, é o roteador! ele ta ok??", broken: true},
		{in: "ok thanks", broken: false},
	} {
		r := rd.Read(context.Background(), tc.in, Context{State: "update_failed"})
		if r.AsksBroken != tc.broken || r.AsksLost != tc.lost || r.AsksUnplug != tc.unplug {
			t.Errorf("%q: broken=%v lost=%v unplug=%v, want %v %v %v", tc.in, r.AsksBroken, r.AsksLost, r.AsksUnplug, tc.broken, tc.lost, tc.unplug)
		}
	}
}

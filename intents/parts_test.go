package intents

import (
	"context"
	"slices"
	"testing"
)

// partsNLU knows the texts it is given, surely; any other is out of scope.
type partsNLU map[string]string

// InProcess: the table runs in the test's process; it reads a long message's parts.
func (n partsNLU) InProcess() bool { return true }

func (n partsNLU) Classify(_ context.Context, text string) (Result, error) {
	if in, ok := n[Normalize(text)]; ok {
		return Result{Intent: in, Confidence: 1}, nil
	}
	return Result{Intent: OutOfScope, Confidence: 0.3}, nil
}

// countingNLU is an NLU out of this process (no InProcess), counting its calls.
type countingNLU struct{ calls int }

func (n *countingNLU) Classify(context.Context, string) (Result, error) {
	n.calls++
	return Result{Intent: OutOfScope}, nil
}

func TestExternalNLUIsAskedOncePerTurn(t *testing.T) {
	nlu := &countingNLU{}
	rd := &Reader{NLU: nlu, Lexicon: DefaultLexicon()}
	r := rd.Read(context.Background(), "Good afternoon. The internet is very slow, could you update the router? Also, why did my bill go up?", TurnContext("idle"))
	if nlu.calls != 1 || r.Parts != nil {
		t.Errorf("external NLU asked %d times, parts %v; want once, no parts", nlu.calls, r.Parts)
	}
}

func TestLongMessageReadsEachRequest(t *testing.T) {
	nlu := partsNLU{
		Normalize("I am writing because the internet is very slow, could you update the router"):    UpdateRouter,
		Normalize("Also, why did my bill go up from 45 to 52 dollars"):                              "billing",
		Normalize("Meu filho falou que eu precisava atualizar o roteador"):                          UpdateRouter,
		Normalize("e também queria saber por que a minha conta veio mais cara"):                     "billing",
		Normalize("¿Y lo de la factura?"):                                                           "billing",
		Normalize("Y que es un router"):                                                             UpdateRouter,
		Normalize("Muchas gracias"):                                                                 Thanks,
		Normalize("Good afternoon, I hope you are well"):                                            Greeting,
		Normalize("Good afternoon, I hope you are well. I am writing because the internet is slow"): UpdateRouter,
	}
	rd := &Reader{NLU: nlu, Lexicon: DefaultLexicon()}
	for _, tc := range []struct {
		in     string
		parts  []string
		intent string
	}{
		{in: "Good afternoon, I hope you are well. I am writing because the internet is very slow, could you update the router? Also, why did my bill go up from 45 to 52 dollars?",
			parts: []string{Greeting, UpdateRouter, "billing"}, intent: OutOfScope},
		// a turn to another request inside a sentence opens a part
		{in: "Meu filho falou que eu precisava atualizar o roteador, e também queria saber por que a minha conta veio mais cara.",
			parts: []string{UpdateRouter, "billing"}, intent: OutOfScope},
		// thanks and one request: the request is the message's
		{in: "Muchas gracias. ¿Y lo de la factura?", parts: []string{Thanks, "billing"}, intent: "billing"},
		// one part: none
		{in: "¿Y lo de la factura?", intent: "billing"},
		// the bot's own request in a part is no request of the message's
		{in: "Y que es un router? yo no se de esas cosas", parts: []string{UpdateRouter}, intent: OutOfScope},
	} {
		r := rd.Read(context.Background(), tc.in, TurnContext("idle"))
		var got []string
		for _, p := range r.Parts {
			got = append(got, p.Intent)
		}
		if !slices.Equal(got, tc.parts) {
			t.Errorf("%q: parts %v, want %v", tc.in, got, tc.parts)
		}
		if r.Intent != tc.intent {
			t.Errorf("%q: intent %s, want %s", tc.in, r.Intent, tc.intent)
		}
	}
}

func TestPartsSplitAtSentencesAndTurns(t *testing.T) {
	lex := DefaultLexicon()
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{in: "It costs 45.99 now: why?", want: []string{"it costs 45 99 now", "why"}},
		{in: "a internet anda devagar, e também queria saber da conta", want: []string{"a internet anda devagar", "e tambem queria saber da conta"}},
		{in: "el internet anda lento y aprovecho para preguntarle algo: la factura", want: []string{"el internet anda lento y", "aprovecho para preguntarle algo", "la factura"}},
		{in: "ok", want: []string{"ok"}},
	} {
		if got := lex.parts(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("%q: parts %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestConnectorsInARowAreUnfinished(t *testing.T) {
	// "ah e mais uma coisa" announces the next message, as "ah" or "mais uma coisa" alone
	rd := &Reader{Lexicon: DefaultLexicon()}
	for _, in := range []string{"ah e mais uma coisa", "oh and one more thing", "ah, y otra cosa", "y una pregunta más", "tenho uma pergunta"} {
		if r := rd.Read(context.Background(), in, TurnContext("main_menu")); !r.Unfinished {
			t.Errorf("%q: not unfinished", in)
		}
	}
	for _, in := range []string{"ah e mais uma coisa: a fatura", "one more thing is broken"} {
		if r := rd.Read(context.Background(), in, TurnContext("main_menu")); r.Unfinished {
			t.Errorf("%q: unfinished", in)
		}
	}
}

func TestOpeningFillerChangesNoReading(t *testing.T) {
	// "va" alone sounds like "no va" (the connection's trouble) to the learned reader: an
	// opening "va," reads as the question it opens; an "ok" or "blz" opening it is the
	// acknowledgement the labelling guide says it is, and nothing more
	rd := &Reader{NLU: topicNLU("contact"), Lexicon: DefaultLexicon()}
	for _, in := range []string{"va, y la tienda abre los domingos?", "va y la tienda abre los domingos?", "ok, and is the store open on sunday?", "blz, e a loja abre domingo?"} {
		for _, state := range []string{"main_menu", "idle"} {
			if r := rd.Read(context.Background(), in, TurnContext(state)); r.Acts.Without(ActAcknowledge) != 0 {
				t.Errorf("%s %q: acts %s, want none but an acknowledgement", state, in, r.Acts)
			}
		}
	}
	// the trouble told after an opener stays the trouble
	if r := rd.Read(context.Background(), "bueno, el internet va lentísimo", TurnContext("idle")); !r.Has(ActConnectionComplaint) {
		t.Errorf("acts %s, want connection_complaint", r.Acts)
	}
}

func TestProtocolNumberAsked(t *testing.T) {
	lex := DefaultLexicon()
	for _, in := range []string{"o número de protocolo do cancelamento, vcs não vão me dar??", "can I get a reference number?", "¿me dan un número de reclamo?"} {
		if !lex.asksProtocol(in) {
			t.Errorf("%q: no protocol asked", in)
		}
	}
	if lex.asksProtocol("quero cancelar meu plano") {
		t.Error("a cancellation alone asks for no protocol")
	}
}

func TestFirmAngerIsNotVetoed(t *testing.T) {
	// an insult to the service is anger whatever the request beside it: the learned reader,
	// which may overrule a list's act in a longer text, does not overrule these
	clf, err := DefaultClassifier()
	if err != nil {
		t.Fatal(err)
	}
	rd := &Reader{NLU: clf, Lexicon: DefaultLexicon()}
	for _, in := range []string{"quiero dar de baja esta porquería", "quero cancelar essa porcaria", "this service is garbage, can I cancel"} {
		if r := rd.Read(context.Background(), in, TurnContext("offer_agent")); !r.Has(ActFrustration) {
			t.Errorf("%q: acts %s, want frustration", in, r.Acts)
		}
	}
}

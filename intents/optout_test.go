package intents

import (
	"context"
	"testing"
)

// TestReadOptOut checks that a customer asking for no more messages reads as opt_out in
// the three languages, and that neither cancelling the service nor a "stop" inside a
// sentence does.
func TestReadOptOut(t *testing.T) {
	rd := &Reader{Lexicon: DefaultLexicon()}
	for _, tc := range []struct {
		state, in string
		has, not  []Act
	}{
		{state: "idle", in: "stop messaging me", has: []Act{ActOptOut}},
		{state: "idle", in: "STOP", has: []Act{ActOptOut}},
		{state: "updating", in: "stop", has: []Act{ActOptOut}},
		{state: "idle", in: "unsubscribe", has: []Act{ActOptOut}},
		{state: "idle", in: "don't text me anymore", has: []Act{ActOptOut}},
		{state: "outage_notice", in: "no me escriban más", has: []Act{ActOptOut}},
		{state: "idle", in: "dejen de mandarme mensajes", has: []Act{ActOptOut}},
		{state: "idle", in: "no quiero recibir más mensajes", has: []Act{ActOptOut}},
		{state: "idle", in: "para de me mandar mensagem", has: []Act{ActOptOut}},
		{state: "idle", in: "não quero mais receber mensagens", has: []Act{ActOptOut}},
		{state: "idle", in: "parem de me mandar msg", has: []Act{ActOptOut}},
		{state: "idle", in: "cancel my subscription", not: []Act{ActOptOut}},
		{state: "idle", in: "quiero dar de baja el servicio", not: []Act{ActOptOut}},
		{state: "idle", in: "quero cancelar minha assinatura", not: []Act{ActOptOut}},
		{state: "idle", in: "the internet keeps stopping", has: []Act{ActConnectionComplaint}, not: []Act{ActOptOut}},
		{state: "confirm_update", in: "stop, don't update", has: []Act{ActCancel}, not: []Act{ActOptOut}},
		{state: "updating", in: "stop the update", has: []Act{ActCancel}, not: []Act{ActOptOut}},
		{state: "idle", in: "don't send me a technician, just fix it", not: []Act{ActOptOut}},
	} {
		r := rd.Read(context.Background(), tc.in, TurnContext(tc.state))
		checkActs(t, tc.state, tc.in, r, tc.has, tc.not)
	}
}

// TestReadWorksNow checks that a customer telling their service is back reads as
// works_now, not as a yes, and that asking whether it works, or saying it does not, is
// no such news.
func TestReadWorksNow(t *testing.T) {
	rd := &Reader{Lexicon: DefaultLexicon()}
	for _, tc := range []struct {
		state, in string
		has, not  []Act
	}{
		{state: "outage_notice", in: "great it works now", has: []Act{ActWorksNow}},
		{state: "outage_notice", in: "¡Genial, ya funciona!", has: []Act{ActWorksNow}, not: []Act{ActStatusQuestion}},
		{state: "outage_notice", in: "ótimo, voltou", has: []Act{ActWorksNow}},
		{state: "idle", in: "ya volvió el internet, gracias", has: []Act{ActWorksNow, ActThanks}},
		{state: "idle", in: "it's not working now", not: []Act{ActWorksNow}},
		{state: "idle", in: "ainda não voltou", not: []Act{ActWorksNow}},
		{state: "idle", in: "voltou a cair", not: []Act{ActWorksNow}},
		{state: "idle", in: "let me know if it works", not: []Act{ActWorksNow}},
		// in words of the plain list works_again (round 18's customers)
		{state: "idle", in: "ahora anda joya", has: []Act{ActWorksNow}},
		{state: "idle", in: "Buenas tardes, ya me llamaron y ya quedó el internet", has: []Act{ActWorksNow}},
		{state: "idle", in: "ahi si ya carga mas rapido", has: []Act{ActWorksNow}},
		{state: "offer_agent", in: "Ya lo he apagado y encendido y ahora si tengo internet", has: []Act{ActWorksNow}, not: []Act{ActConnectionComplaint}},
		{state: "offer_agent", in: "I turned it off and on and now I have internet", has: []Act{ActWorksNow}, not: []Act{ActConnectionComplaint}},
		{state: "offer_agent", in: "desliguei e liguei e agora tenho internet", has: []Act{ActWorksNow}, not: []Act{ActConnectionComplaint}},
		{state: "idle", in: "ok now its loading way faster", has: []Act{ActWorksNow}},
		{state: "idle", in: "agora sim ta carregando bem mais rapido", has: []Act{ActWorksNow}},
		{state: "idle", in: "sigue lento, no carga mas rapido", not: []Act{ActWorksNow}},
		// slow in slang (slow_slang): a complaint
		{state: "idle", in: "pero ahora esta lentazo", has: []Act{ActConnectionComplaint}, not: []Act{ActWorksNow}},
		{state: "idle", in: "mas agora ta lentão", has: []Act{ActConnectionComplaint}},
	} {
		r := rd.Read(context.Background(), tc.in, TurnContext(tc.state))
		checkActs(t, tc.state, tc.in, r, tc.has, tc.not)
		if tc.state == "outage_notice" && r.Question {
			t.Errorf("%s %q: read as a question", tc.state, tc.in)
		}
	}
}

// TestReadProblemUntold checks that a problem told and nothing of what it is, a hello
// aside, is read as such in the three languages, and a problem named is not.
func TestReadProblemUntold(t *testing.T) {
	rd := &Reader{Lexicon: DefaultLexicon()}
	for in, want := range map[string]bool{
		"tengo un problema":                true,
		"hola, tengo un problema":          true,
		"buenas tardes tengo un problema":  true,
		"I have a problem":                 true,
		"hi, I have an issue please":       true,
		"tenho um problema":                true,
		"oi, tô com um problema":           true,
		"tengo un problema con mi factura": false,
		"I have a problem with my bill":    false,
		"tenho um problema no wifi":        false,
	} {
		if r := rd.Read(context.Background(), in, TurnContext("main_menu")); r.ProblemUntold != want {
			t.Errorf("%q: ProblemUntold %v, want %v", in, r.ProblemUntold, want)
		}
	}
}

// TestReadNoNeedAsked checks that "so nothing more is needed, right?" is read as that
// question in the three languages, and a need told is not.
func TestReadNoNeedAsked(t *testing.T) {
	rd := &Reader{Lexicon: DefaultLexicon()}
	for in, want := range map[string]bool{
		"Ah bueno. Entonces ya no hace falta verdad?": true,
		"Oh ok. So there's no need anymore, right?":   true,
		"ah ta. entao nao precisa mais ne?":           true,
		"hace falta que actualices el router":         false,
		"I need the update":                           false,
	} {
		if r := rd.Read(context.Background(), in, TurnContext("main_menu")); r.AsksNoNeed != want {
			t.Errorf("%q: AsksNoNeed %v, want %v", in, r.AsksNoNeed, want)
		}
	}
}

// TestReadWorksOrNot checks that "does it work or not?" right after a failure asks the
// update's status in the three languages: a question, whatever words of news it has
// ("tá funcionando"), which the dialogue takes as news only when the message asks nothing.
func TestReadWorksOrNot(t *testing.T) {
	rd := &Reader{Lexicon: DefaultLexicon()}
	for _, in := range []string{"so does my internet work or not?", "¿y entonces? ¿funciona o no?", "e aí, tá funcionando ou não?"} {
		r := rd.Read(context.Background(), in, TurnContext("update_failed"))
		checkActs(t, "update_failed", in, r, []Act{ActStatusQuestion}, []Act{ActAcknowledge})
		if !r.Question {
			t.Errorf("update_failed %q: not read as a question", in)
		}
		if r.Choice != 0 {
			t.Errorf("update_failed %q: choice %d, want none", in, r.Choice)
		}
	}
}

func checkActs(t *testing.T, state, in string, r Reading, has, not []Act) {
	t.Helper()
	for _, a := range has {
		if !r.Has(a) {
			t.Errorf("%s %q: acts %s, want %s", state, in, r.Acts, a)
		}
	}
	for _, a := range not {
		if r.Has(a) {
			t.Errorf("%s %q: acts %s, want no %s", state, in, r.Acts, a)
		}
	}
}

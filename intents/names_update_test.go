package intents

import (
	"context"
	"testing"
)

// A request for the router's update beside another answer is read from the words, not
// negated, whatever menu is open: the classifier may hear only the other answer.
func TestReadingNamesTheUpdateInWords(t *testing.T) {
	rd := Reader{}
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"ah nao, deixa pra la. vc mesmo consegue reiniciar meu roteador?", true},
		{"no no, lo de la mudanza ya lo miro otro día. lo que quiero es que actualicéis el router", true},
		{"never mind, can you restart my router yourself?", true},
		{"Não quero operador para já. Quero que actualize o router", true}, // pt-PT spelling
		{"no, no actualices nada", false},
		{"don't restart it", false},
		{"me cobraron dos veces la factura", false},
	} {
		if got := rd.Read(context.Background(), tc.text, Context{State: "intake"}).NamesUpdate; got != tc.want {
			t.Errorf("%q: NamesUpdate %v, want %v", tc.text, got, tc.want)
		}
	}
}

package intents

import (
	"context"
	"slices"
	"testing"
)

// TestReadUnpaidAsked checks that "is it slow because I didn't pay?" asks the bill's unpaid
// question, beside the complaint, in the three languages, and that a payment to come ("si
// no pago me cortan?") asks not_paying, not it.
func TestReadUnpaidAsked(t *testing.T) {
	rd := &Reader{Lexicon: DefaultLexicon()}
	for in, want := range map[string]bool{
		"oiga y sera que esta lento porque no he pagado la boleta?":                                                        true,
		"el internet esta lentisimo desde que no pague la factura del mes pasado sera que por eso me bajaron la velocidad": true,
		"is it slow cause I didn't pay the bill?":                                                                          true,
		"ta lento pq nao paguei a conta?":                                                                                  true,
		"si no pago me cortan?":                                                                                            false,
		"what happens if I pay late?":                                                                                      false,
	} {
		r := rd.Read(context.Background(), in, TurnContext("main_menu"))
		if got := slices.Contains(r.Asks, "unpaid"); got != want {
			t.Errorf("%q: asks %v, unpaid %v, want %v", in, r.Asks, got, want)
		}
		if want && !r.Has(ActConnectionComplaint) {
			t.Errorf("%q: acts %s, want the complaint too", in, r.Acts)
		}
	}
}

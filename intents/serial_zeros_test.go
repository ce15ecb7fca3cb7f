package intents

import (
	"context"
	"regexp"
	"slices"
	"testing"
)

func TestSerialLetterOInDigitGroupReadAsZero(t *testing.T) {
	strict := regexp.MustCompile(`^[A-Z]{2}-[0-9]{4}-[A-Z]{2}[0-9]{2}$`)
	for _, tc := range []struct {
		pattern *regexp.Regexp
		text    string
		want    []string
		zeros   bool
	}{
		{DefaultSerialPattern, "ZX 99OO AB12", []string{"ZX-9900-AB12"}, true},
		{DefaultSerialPattern, "zx-99oo-ab12", []string{"ZX-9900-AB12"}, true},
		{strict, "zx 99OO ab12", []string{"ZX-9900-AB12"}, true},                              // only the zeros make it one
		{DefaultSerialPattern, "o do quarto é ZX-9900-AB12", []string{"ZX-9900-AB12"}, false}, // the word "o" is no digit
		{DefaultSerialPattern, "KT-2231-XB09", []string{"KT-2231-XB09"}, false},
		{DefaultSerialPattern, "ZX99OOAB12", []string{"ZX99OOAB12"}, false}, // no group of digits of its own
	} {
		rd := Reader{Lexicon: DefaultLexicon(), SerialPattern: tc.pattern}
		r := rd.Read(context.Background(), tc.text, Context{State: "ask_serial"})
		if !slices.Equal(r.Serials, tc.want) || r.SerialZeros != tc.zeros {
			t.Errorf("%q: serials %v zeros %v, want %v %v", tc.text, r.Serials, r.SerialZeros, tc.want, tc.zeros)
		}
	}
}

func TestAnotherRouterSpokenOf(t *testing.T) {
	for text, want := range map[string]bool{
		"che y tengo otro router en el living, ese tambien se puede?":  true,
		"aqui em casa tem dois roteadores, o do quarto é ZX-9900-AB12": true,
		"ok wait the other router upstairs says KT-2231-XB09":          true,
		"KT-2231-XB09":  false,
		"not my router": false,
	} {
		rd := Reader{Lexicon: DefaultLexicon()}
		r := rd.Read(context.Background(), text, Context{State: "confirm_update"})
		if r.AnotherRouter != want {
			t.Errorf("%q: AnotherRouter %v, want %v", text, r.AnotherRouter, want)
		}
	}
}

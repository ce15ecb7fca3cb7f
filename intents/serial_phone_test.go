package intents

import (
	"regexp"
	"slices"
	"testing"
)

// A phone number typed in groups is never a serial, nor the word before it one of a
// serial's groups: "O numero dela eh outro, 81 3333 4444" named no router OUTRO-81-3333
// (play19 pt/07). A serial beside a phone number is still read.
func TestPhoneNumberIsNoSerial(t *testing.T) {
	for _, pattern := range []*regexp.Regexp{DefaultSerialPattern, nil} {
		rd := Reader{Lexicon: DefaultLexicon(), SerialPattern: pattern, SerialShape: "AA-0000-AA00"}
		for _, text := range []string{
			"O numero dela eh outro, 81 3333 4444",
			"o telefone dela é (81) 99999-8888",
			"her number is different, 555 123 4567",
			"El número de ella es otro, 55 1234 5678",
			"+55 81 3333-4444",
		} {
			if got := rd.serials(text); len(got) > 0 {
				t.Errorf("%v: serials(%q) = %v, want none", pattern, text, got)
			}
		}
		for text, want := range map[string]string{
			"serial zx 9900 ab12, o telefone dela 81 3333 4444": "ZX-9900-AB12",
			"ZX-4471-QP08, my number is 555 123 4567":           "ZX-4471-QP08",
			"kt 2231 xb09": "KT-2231-XB09",
		} {
			if got := rd.serials(text); !slices.Equal(got, []string{want}) {
				t.Errorf("%v: serials(%q) = %v, want [%s]", pattern, text, got, want)
			}
		}
	}
}

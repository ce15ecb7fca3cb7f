package intents

import (
	"context"
	"regexp"
	"slices"
	"testing"
)

// A label's prefix typed before the serial is never part of it: N-KT-2231-XB09 would be
// another router, updated in the customer's name.
func TestSerialLabelPrefixIsNoPartOfTheSerial(t *testing.T) {
	strict := regexp.MustCompile(`^[A-Z]{2}-[0-9]{4}-[A-Z]{2}[0-9]{2}$`)
	texts := []string{
		"ok i found a sticker on the bottom, it says S/N kt 2231 xb09",
		"S/N kt 2231 xb09",
		"s/n: kt 2231 xb09",
		"S / N kt 2231 xb09",
		"SN kt 2231 xb09",
		"SN: KT 2231 XB09",
		"sn kt-2231-xb09",
		"S/N:KT-2231-XB09",
		"N/S kt 2231 xb09",
		"NS kt 2231 xb09",
		"N kt 2231 xb09",
		"Serial No. KT 2231 XB09",
		"serial nr kt 2231 xb09",
		"serial number: kt 2231 xb09",
		"dice N° de serie kt 2231 xb09",
		"Nº de série: KT 2231 XB09",
		"nro kt 2231 xb09",
		"num kt 2231 xb09",
		"tá escrito nº kt 2231 xb09",
		"no de serie kt 2231 xb09",
		"KT 2231 XB09",
	}
	for _, pattern := range []*regexp.Regexp{DefaultSerialPattern, strict, nil} {
		for _, text := range texts {
			rd := Reader{Lexicon: DefaultLexicon(), SerialPattern: pattern}
			for _, state := range []string{"ask_serial", "main_menu", "offer_agent", "confirm_update", "idle"} {
				r := rd.Read(context.Background(), text, Context{State: state})
				if want := []string{"KT-2231-XB09"}; !slices.Equal(r.Serials, want) {
					t.Errorf("pattern %v, %s, %q: serials %v, want %v", pattern, state, text, r.Serials, want)
				}
			}
		}
	}
}

// A serial that merely begins with the letters of a label, typed in one piece, is read
// whole: only a label typed apart from it is dropped.
func TestSerialBeginningWithLabelLettersReadWhole(t *testing.T) {
	rd := Reader{Lexicon: DefaultLexicon(), SerialPattern: DefaultSerialPattern}
	for text, want := range map[string]string{
		"SN-2231-XB09":          "SN-2231-XB09",
		"my serial is NS8812AB": "NS8812AB",
		"S/N SN-2231-XB09":      "SN-2231-XB09",
	} {
		r := rd.Read(context.Background(), text, Context{State: "ask_serial"})
		if !slices.Equal(r.Serials, []string{want}) {
			t.Errorf("%q: serials %v, want [%s]", text, r.Serials, want)
		}
	}
}

func TestRouterAskedAndDescribed(t *testing.T) {
	rd := Reader{Lexicon: DefaultLexicon()}
	for _, tc := range []struct {
		text            string
		asks, describes bool
	}{
		{"What is a router?", true, false},
		{"Y que es un router? yo no se de esas cosas", true, false},
		{"¿qué es un router?", true, false},
		{"o que é roteador?", true, false},
		{"nao sei o que é um roteador", true, false},
		{"El aparatico ese que tiene las lucecitas?", false, true},
		{"é uma caixinha preta com umas luzinhas, fica do lado da tv", false, true},
		{"the black box with the lights?", false, true},
		{"update my router", false, false},
		{"what is a router update?", true, false}, // the update's own answer comes first (update_safe)
	} {
		r := rd.Read(context.Background(), tc.text, Context{State: "main_menu"})
		if r.AsksWhatRouter != tc.asks || r.DescribesRouter != tc.describes {
			t.Errorf("%q: asks %v describes %v, want %v %v", tc.text, r.AsksWhatRouter, r.DescribesRouter, tc.asks, tc.describes)
		}
	}
}

// A serial typed with a space inside its last group ("zx-9900-ab 12") is read whole: the
// part before the space, ZX-9900-AB, would be another router, or none, updated in the
// customer's name.
func TestSerialCutBySpaceReadWhole(t *testing.T) {
	strict := regexp.MustCompile(`^[A-Z]{2}-[0-9]{4}-[A-Z]{2}[0-9]{2}$`)
	for _, pattern := range []*regexp.Regexp{DefaultSerialPattern, strict, nil} {
		rd := Reader{Lexicon: DefaultLexicon(), SerialPattern: pattern}
		for text, want := range map[string]string{
			"O número é zx-9900-ab 12":      "ZX-9900-AB12",
			"KT-2231-XB 09":                 "KT-2231-XB09",
			"my serial is ZX-9900-AB12 2":   "ZX-9900-AB12",
			"es el ZX-9900-AB12, gracias 1": "ZX-9900-AB12",
		} {
			r := rd.Read(context.Background(), text, Context{State: "ask_serial"})
			if !slices.Equal(r.Serials, []string{want}) {
				t.Errorf("pattern %v, %q: serials %v, want [%s]", pattern, text, r.Serials, want)
			}
		}
	}
}

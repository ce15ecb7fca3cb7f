package intents

import (
	"context"
	"testing"
)

// A speed or a size ("50mbps", "100MB", "300 megas") is never a router's serial, in any
// state and with any pattern: "50MBPS isn't registered to your account" is nonsense.
func TestSpeedIsNoSerial(t *testing.T) {
	texts := []string{
		"still slow po, i checked speedtest only 3mbps but my plan is 50mbps",
		"hello again po, sorry. how do i upgrade my plan to 100mbps? and how much?",
		"my plan is 100MB but i get 10mb",
		"tengo 300megas y me llegan 20 megas",
		"contratei 500mega e chega 50mbps",
		"is 1gb available",
		"only 2.5mbps today",
		"100-mbps plan",
	}
	for _, text := range texts {
		for _, pattern := range []*Reader{{Lexicon: DefaultLexicon(), SerialPattern: DefaultSerialPattern}, {Lexicon: DefaultLexicon()}} {
			for _, state := range []string{"ask_serial", "offer_agent", "idle"} {
				if r := pattern.Read(context.Background(), text, Context{State: state}); len(r.Serials) != 0 {
					t.Errorf("%s, %q: serials %v, want none", state, text, r.Serials)
				}
			}
		}
	}
	rd := Reader{Lexicon: DefaultLexicon(), SerialPattern: DefaultSerialPattern}
	if r := rd.Read(context.Background(), "my plan is 50mbps and the router is ZX-9900-AB12", Context{State: "idle"}); len(r.Serials) != 1 || r.Serials[0] != "ZX-9900-AB12" {
		t.Errorf("serials %v, want [ZX-9900-AB12]", r.Serials)
	}
}

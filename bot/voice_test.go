package bot

import (
	"strings"
	"testing"
)

// A conversation is answered in its language's variant for where the contact is, when
// the catalog has one: the locale's region first, else the phone number's country.
func TestVoiceIsTheVariantOfTheContactsRegion(t *testing.T) {
	b := &Bot{}
	for _, tc := range []struct {
		lang, phone, locale, want string
	}{
		{"pt", "+351912345678", "", "pt-PT"},
		{"pt", "351912345678", "", "pt-PT"},
		{"pt", "+5511987654321", "", "pt"},
		{"pt", "+351912345678", "pt_BR", "pt"},     // the locale's region wins
		{"pt", "+5511987654321", "pt_PT", "pt-PT"}, // a Portuguese locale on a Brazilian number
		{"pt", "+351912345678", "pt", "pt-PT"},     // a locale without a region tells none
		{"es", "+351912345678", "", "es"},          // no Spanish of Portugal: Spanish
		{"en", "+351912345678", "", "en"},
		{"pt", "+244923456789", "", "pt"}, // Angola: no variant of its own here
		{"pt", "", "", "pt"},
	} {
		c := &Conversation{Language: tc.lang, Contact: Contact{Phone: tc.phone, Locale: tc.locale}}
		if got := b.voice(c); got != tc.want {
			t.Errorf("%s from %q (locale %q): voice %q, want %q", tc.lang, tc.phone, tc.locale, got, tc.want)
		}
	}
}

// The longest calling code wins: +1 809 is the Dominican Republic, +1 the United States.
func TestContactRegionByCallingCode(t *testing.T) {
	for phone, want := range map[string]string{
		"+18095551234": "DO", "+14155550123": "US", "+351912345678": "PT", "+34612345678": "ES",
		"+5215512345678": "MX", "+99912345": "", "": "",
	} {
		if got := (Contact{Phone: phone}).region(); got != want {
			t.Errorf("region of %q = %q, want %q", phone, got, want)
		}
	}
}

// An operator's variant holds only what it says otherwise: the rest, brand included, is
// its base language's; a customer in Spain is answered from it, one in Mexico is not.
func TestOperatorVariantFallsBackToItsBase(t *testing.T) {
	c, err := LoadCatalog("mine.yaml", []byte("languages: [es-ES]\ntexts:\n  hello_name:\n    es-ES: \"¡Buenas, {name}!\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	b := &Bot{Content: NewContent(c)}
	spain := &Conversation{Language: "es", Contact: Contact{Name: "Pilar", Phone: "+34612345678"}}
	mexico := &Conversation{Language: "es", Contact: Contact{Name: "Lupita", Phone: "+5215512345678"}}
	if v := b.voice(spain); v != "es-ES" {
		t.Fatalf("voice in Spain %q", v)
	}
	if got := b.greeting(b.voice(spain), "Pilar"); !strings.HasPrefix(got, "¡Buenas, Pilar! Soy el asistente virtual.") {
		t.Errorf("greeting in Spain %q: want the variant's hello, the rest (brand too) Spanish", got)
	}
	if got := b.greeting(b.voice(mexico), "Lupita"); !strings.HasPrefix(got, "¡Hola, Lupita! Soy el asistente virtual.") {
		t.Errorf("greeting in Mexico %q", got)
	}
	if got := c.Text("es-ES", msgMenuPrompt); got != c.Text("es", msgMenuPrompt) || got == "" {
		t.Errorf("a text the variant leaves out: %q, want the Spanish %q", got, c.Text("es", msgMenuPrompt))
	}
}

// A variant needs its base language; a language code is written as pt-PT.
func TestVariantChecks(t *testing.T) {
	for file, want := range map[string]string{
		"languages: [fr-CA]\n":             "fr-CA is a variant of fr, which is not a language of the catalog: add fr to languages",
		"languages: [pt_PT]\n":             `"pt_PT" is not a language code`,
		"texts:\n  hello:\n    es-ES: x\n": "es-ES is not a language of the catalog",
	} {
		_, err := LoadCatalog("mine.yaml", []byte(file))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", file, err, want)
		}
	}
}

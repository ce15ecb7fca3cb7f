package bot

import (
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/cwbot/cwbot/intents"
)

// The embedded catalog passes its own check: every key in every language, the same
// placeholders in each, WhatsApp's limits.
func TestDefaultCatalogChecks(t *testing.T) {
	c, err := buildDefault()
	if err != nil {
		t.Fatalf("the default catalog:\n%v", err)
	}
	if got := c.Languages(); !slices.Equal(got, []string{"en", "es", "pt", "pt-PT"}) {
		t.Fatalf("languages %v", got)
	}
	for k, m := range c.texts {
		if m["pt-PT"] == "" {
			t.Errorf("%s: the embedded European Portuguese says it as the Brazilian: a default variant says every text itself", k)
		}
	}
	for k, m := range c.rendered {
		for _, lang := range c.languages {
			if strings.Contains(string(k), "button") && utf8.RuneCountInString(m[lang]) > maxButtonTitle {
				t.Errorf("%s in %s: %q is too long for a button", k, lang, m[lang])
			}
			if strings.Contains(m[lang], "{bot_name}") || strings.Contains(m[lang], "{company}") {
				t.Errorf("%s in %s: the brand is not filled in: %q", k, lang, m[lang])
			}
		}
	}
}

// Every key the Go code names is in the catalog, and every key of the catalog is one the
// code names: no text the bot cannot find, none it never says.
func TestCatalogKeysMatchTheCode(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	inCode := map[msgKey]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok || vs.Type == nil || len(vs.Values) != len(vs.Names) {
				return true
			}
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "msgKey" {
				return true
			}
			for _, v := range vs.Values {
				if lit, ok := v.(*ast.BasicLit); ok {
					s, _ := strconv.Unquote(lit.Value)
					inCode[msgKey(s)] = true
				}
			}
			return true
		})
	}
	c := DefaultCatalog()
	for k := range inCode {
		if _, ok := c.rendered[k]; !ok {
			t.Errorf("the code names %q, which the catalog lacks", k)
		}
	}
	for k := range c.rendered {
		if !inCode[k] {
			t.Errorf("the catalog has %q, which no msgKey constant names", k)
		}
	}
}

// The default catalog says what the Go maps said: the brand's default values fill in
// today's words.
func TestDefaultCatalogWords(t *testing.T) {
	b := &Bot{}
	for _, tc := range []struct{ got, want string }{
		{b.greeting("en", "Maria Silva"), "Hi Maria! I'm the virtual assistant. I can update and restart your router, or put you through to an agent."},
		{b.greeting("es", "Javier"), "¡Hola, Javier! Soy el asistente virtual. Puedo actualizar y reiniciar tu router, o pasarte con un agente."},
		{b.greeting("pt", ""), "Olá! Sou o assistente virtual. Posso atualizar e reiniciar o seu roteador, ou te transferir para um atendente."},
		{b.tf("es", msgConfirmUpdate, "router", "ZX-1"), "Voy a actualizar el software del router ZX-1 y reiniciarlo. ¿Continúo?"},
		{b.t("fr", msgCancelled), "No problem, I've called it off. I'm here if you need me."}, // a language the catalog lacks: English
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// A value is filled in as it is: a customer named "{bot_name}" is not the brand.
func TestFormatDoesNotReadValues(t *testing.T) {
	b := &Bot{}
	if got := b.greeting("en", "{bot_name}"); !strings.HasPrefix(got, "Hi {bot_name}! I'm the virtual assistant.") {
		t.Fatalf("greeting = %q", got)
	}
}

func TestLoadCatalogOverride(t *testing.T) {
	c, err := LoadCatalog("mine.yaml", []byte(`
brand:
  bot_name: {en: Lia, es: Lía, pt: Lia}
  company: Acme
texts:
  help:
    es: "Soy {bot_name}, de {company}."
  button_agent:
    pt: "Falar com alguém"
`))
	if err != nil {
		t.Fatal(err)
	}
	b := &Bot{Content: NewContent(c)}
	for _, tc := range []struct{ got, want string }{
		{b.greeting("en", "Maria"), "Hi Maria! I'm Lia. I can update and restart your router, or put you through to an agent."},
		{b.t("es", msgHelp), "Soy Lía, de Acme."},
		{b.t("en", msgHelp)[:30], "I'm Lia from Acme. I can updat"},
		{b.t("pt", btnAgent), "Falar com alguém"},
		{b.t("es", btnAgent), "Hablar con un agente"}, // left out: the default's
		{b.t("en", msgBackWithBot), "You're back with Lia."},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	// The default is untouched.
	if got := (&Bot{}).t("en", msgBackWithBot); got != "You're back with the virtual assistant." {
		t.Fatalf("default after an override: %q", got)
	}
}

// A language writes the time on either clock, whatever the default's: Spanish on a
// 12-hour one, English on a 24-hour one.
func TestClockTextsChooseTheirClock(t *testing.T) {
	c, err := LoadCatalog("mine.yaml", []byte(`
texts:
  clock: {es: "{hour12}:{minute} {ampm}", en: "{hour}:{minute}"}
  clock_on_the_hour: {es: "{hour12} {ampm}", en: "{hour}:00"}
`))
	if err != nil {
		t.Fatal(err)
	}
	b := &Bot{Content: NewContent(c)}
	for _, tc := range []struct {
		lang    string
		minutes int
		want    string
	}{
		{"es", 16*60 + 21, "4:21 p. m."}, {"es", 9 * 60, "9 a. m."}, {"es", 12 * 60, "12 p. m."}, {"es", 30, "12:30 a. m."},
		{"en", 16*60 + 21, "16:21"}, {"en", 9 * 60, "9:00"}, {"en", 47, "00:47"},
		{"pt", 13*60 + 30, "13h30"}, {"pt", 9 * 60, "9h"},
	} {
		if got := b.clockText(tc.lang, tc.minutes); got != tc.want {
			t.Errorf("clockText(%s, %d) = %q, want %q", tc.lang, tc.minutes, got, tc.want)
		}
	}
	if got := (&Bot{}).clockText("en", 16*60+21); got != "4:21 PM" {
		t.Errorf("the default English clock: %q, want 4:21 PM", got)
	}
}

// Each fault of a file is an error naming its line and key.
func TestLoadCatalogErrors(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		want       []string
	}{
		{"UnknownKey", "texts:\n  greetng:\n    en: Hi\n", []string{"mine.yaml:2: greetng: unknown key (did you mean greeting?)"}},
		{"UnknownSection", "topicz: {}\n", []string{"mine.yaml:1: topicz: unknown section"}},
		{"PlaceholderLost", "texts:\n  confirm_update:\n    en: Update it?\n", []string{"mine.yaml:3: confirm_update: en text lacks {router}"}},
		{"PlaceholderUnknown", "texts:\n  cancelled:\n    es: \"Listo, {name}.\"\n", []string{"mine.yaml:3: cancelled: es text has {name}, which the bot does not fill in"}},
		{"ButtonTooLong", "texts:\n  button_agent:\n    en: Talk to one of our agents\n", []string{"mine.yaml:3: button_agent: en text has 25 characters; a button title takes at most 20"}},
		{"MenuBodyTooLong", "texts:\n  menu_prompt:\n    en: " + strings.Repeat("a", 1025) + "\n", []string{"mine.yaml:3: menu_prompt: en text has 1025 characters; a question with buttons takes at most 1024"}},
		{"TextTooLong", "texts:\n  cancelled:\n    en: " + strings.Repeat("a", 4097) + "\n", []string{"mine.yaml:3: cancelled: en text has 4097 characters"}},
		{"LanguageNotListed", "texts:\n  cancelled:\n    fr: D'accord.\n", []string{"mine.yaml:3: cancelled: fr is not a language of the catalog"}},
		{"NewLanguageIncomplete", "languages: [fr]\ntexts:\n  cancelled:\n    fr: D'accord, annulé.\n", []string{"mine.yaml:1: greeting: no fr text", "mine.yaml:1: brand.bot_name: no fr value"}},
		{"Empty", "texts:\n  cancelled:\n    en:\n", []string{"mine.yaml:3: cancelled: the en text is empty"}},
		{"NotText", "texts:\n  cancelled: OK\n", []string{"mine.yaml:2: cancelled: want a text for each language"}},
		{"Twice", "texts:\n  cancelled: {en: A}\n  cancelled: {en: B}\n", []string{"mine.yaml:3: cancelled: appears twice"}},
		{"Syntax", "texts:\n  cancelled:\n    en: \"open\n", []string{"mine.yaml:3:"}},
		{"SameButtonTitles", "texts:\n  button_yes_update:\n    es: Sí\n", []string{"mine.yaml:3: button_yes_update: es title \"Sí\" is also button_yes's"}},
		{"BadBrand", "brand:\n  slogan: Fast\n", []string{"mine.yaml:2: brand.slogan: unknown brand variable"}},
		{"BrandTooLong", "brand:\n  bot_name: " + strings.Repeat("Lia", 1400) + "\n", []string{"mine.yaml: greeting: en text has"}},
		{"ClockWithoutHour", "texts:\n  clock:\n    es: \"{minute}\"\n", []string{"mine.yaml:3: clock: es text lacks the hour"}},
		{"ClockWithoutMinute", "texts:\n  clock:\n    pt: \"{hour}h\"\n", []string{"mine.yaml:3: clock: pt text lacks {minute}"}},
		{"ClockUnknown", "texts:\n  clock_on_the_hour:\n    en: \"{hour} {minute}\"\n", []string{"mine.yaml:3: clock_on_the_hour: en text has {minute}, which the bot does not fill in"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadCatalog("mine.yaml", []byte(tc.file))
			var errs ContentErrors
			if !errors.As(err, &errs) {
				t.Fatalf("err = %v, want ContentErrors", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("errors:\n%v\nwant one with %q", err, w)
				}
			}
		})
	}
}

// A language added with every text works: the bot speaks it.
func TestLoadCatalogNewLanguage(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("languages: [fr]\nbrand:\n  bot_name: {fr: l'assistant virtuel}\n  company: {fr: votre opérateur}\n  phone: {fr: 3900}\n  website: {fr: notre site}\ntexts:\n")
	d := DefaultCatalog()
	for _, k := range sortedKeys(d.texts) {
		text := "FR " + d.texts[k]["en"]
		if strings.Contains(string(k), "button") {
			text = "FR " + string(k[len(k)-5:])
		}
		sb.WriteString("  " + string(k) + ":\n    fr: " + yamlQuote(text) + "\n")
	}
	c, err := LoadCatalog("fr.yaml", []byte(sb.String()))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Languages(), []string{"en", "es", "pt", "pt-PT", "fr"}) {
		t.Fatalf("languages %v", c.Languages())
	}
	b := &Bot{Content: NewContent(c)}
	if got := b.greeting("fr", "Anne"); got != "FR FR Hi Anne! I'm l'assistant virtuel. I can update and restart your router, or put you through to an agent." {
		// hello_name is "FR Hi {name}!", greeting "FR {hello} I'm {bot_name}..."
		t.Fatalf("greeting in fr = %q", got)
	}
	if b.staleButton("FR agent") != valAgent {
		t.Fatal("a button of the new language is not known as a button")
	}
	// A contact whose locale is the new language is answered in it from the first message,
	// though detection does not know it (it has no intents/langs file).
	b.NLU = tableNLUForContent{}
	conv := &Conversation{AccountID: 1, ID: 9, Status: StatusPending, CanReply: true, Contact: Contact{Name: "Anne", Locale: "fr_FR"}}
	acts := b.Handle(context.Background(), conv, Event{Kind: CustomerMessage, Text: "bonjour", Now: time.Now(),
		Snapshot: &Snapshot{Status: StatusPending, CanReply: true}})
	if conv.Language != "fr" || len(acts) == 0 || !strings.HasPrefix(acts[0].Text, "FR ") {
		t.Fatalf("first message from a fr_FR contact: language %q, %+v; want it answered in fr", conv.Language, acts)
	}
}

// tableNLUForContent knows no text: every message is out of scope.
type tableNLUForContent struct{}

func (tableNLUForContent) Classify(context.Context, string) (intents.Result, error) {
	return intents.Result{Intent: intents.OutOfScope}, nil
}

// Export is the default catalog: read back, alone with the exported variants or over the
// default, it is the same catalog.
func TestExportReadsBackAsTheDefault(t *testing.T) {
	alone, err := buildBase("export.yaml", ExportContent())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(Variants(), []string{"pt-PT"}) {
		t.Fatalf("variants %v", Variants())
	}
	for _, v := range Variants() {
		data, ok := ExportVariant(v)
		if !ok {
			t.Fatalf("no export of %s", v)
		}
		if alone, err = loadOver(alone, "export-"+v+".yaml", data); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := ExportVariant("es-ES"); ok {
		t.Fatal("an export of a variant the catalog has not")
	}
	over, err := LoadCatalog("export.yaml", ExportContent())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []*Catalog{alone, over} {
		if !reflect.DeepEqual(c, DefaultCatalog()) {
			t.Fatal("the export read back is not the default catalog")
		}
	}
}

// The default catalog is held to the same rules, whole: a text in every language with the
// English placeholders, a brand value in every language.
func TestBaseCatalogErrors(t *testing.T) {
	_, err := buildBase("base.yaml", []byte(`languages: [en, es]
brand:
  bot_name: {en: Bot}
texts:
  confirm_update:
    en: "Update {router}?"
    es: "¿Actualizo?"
  cancelled:
    en: OK
`))
	for _, want := range []string{
		"base.yaml:3: brand.bot_name: no es value",
		"base.yaml: brand.company: no en value",
		"base.yaml:7: confirm_update: es text lacks {router} (en has {router})",
		"base.yaml:8: cancelled: no es text",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("errors:\n%v\nwant %q", err, want)
		}
	}
}

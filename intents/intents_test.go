package intents

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
)

var (
	trainOnce sync.Once
	trained   *Classifier
)

// defaultClassifier trains the embedded intents once for all tests.
func defaultClassifier(t *testing.T) *Classifier {
	t.Helper()
	trainOnce.Do(func() {
		c, err := Train(Default(), Options{})
		if err != nil {
			t.Fatalf("Train(Default()): %v", err)
		}
		trained = c
	})
	if trained == nil {
		t.Fatal("default classifier failed to train")
	}
	return trained
}

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Holaaaa!!!", "hola"},
		{"  ¿Cómo   estás?  ", "como estas"},
		{"ATUALIZAÇÃO", "atualizacao"},
		{"kiero actualizar el router xfa", "kiero actualizar el router por favor"},
		{"pq no anda", "porque no anda"},
		{"vc pode reiniciar o modem pra mim", "voce pode reiniciar o modem para mim"},
		{"q tal", "que tal"},
		{"tmb quiero", "tambien quiero"},
		{"tbm quero", "tambem quero"},
		{"obg", "obrigado"},
		{"vlw", "valeu"},
		{"grax", "gracias"},
		{"upd8 my router pls", "update my router please"},
		{"thx plz", "thanks please"},
		{"don't", "do not"},
		{"I'm here", "i am here"},
		{"router 👍🏽 ok", "router ok"},
		{"hellooo plsss", "hello please"},
		{"cool carro", "cool carro"},
		{"opción 2.", "opcion 2"},
		{"100000", "100000"},
		{"", ""},
		{"🙏🙏", ""},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got, want := Normalize(tc.in), tc.want; got != want {
				t.Fatalf("Normalize(%q)=%q, want %q", tc.in, got, want)
			}
		})
	}
}

func TestChatSpellingIdempotent(t *testing.T) {
	// An expansion that contained a key would be expanded again by a second Normalize.
	for k, v := range chatSpelling {
		for _, w := range strings.Fields(v) {
			if _, ok := chatSpelling[w]; ok {
				t.Errorf("expansion %q of %q contains key %q", v, k, w)
			}
		}
		if got := strings.Join(fold(k), " "); got != k {
			t.Errorf("key %q folds to %q; it would never match", k, got)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"Holaaaa!!", "kiero actualizar el router xfa", "ＡＢＣ", "ﬁ", "İ", "ǅ", "\xff\xfe", "a\u0301", "ℌ", "ß", "🙏 ok", "1.", "ℵ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if got := Normalize(n); got != n {
			t.Fatalf("Normalize not idempotent: %q -> %q -> %q", s, n, got)
		}
		if strings.Contains(n, "  ") || strings.TrimSpace(n) != n {
			t.Fatalf("Normalize(%q)=%q has stray spaces", s, n)
		}
		if n != strings.ToLower(n) {
			t.Fatalf("Normalize(%q)=%q not lower case", s, n)
		}
		MatchMenu(s, []MenuItem{{"Yes", "yes"}, {"No", "no"}})
		DetectLanguage(s)
	})
}

func TestDetectLanguage(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"I want to update my router", "en"},
		{"hello, how are you", "en"},
		{"thanks a lot", "en"},
		{"can u help me pls", "en"},
		{"the internet is not working", "en"},
		{"upd8 my router pls", "en"},
		{"quiero actualizar el router", "es"},
		{"kiero actualizar el router xfa", "es"},
		{"hola", "es"},
		{"q onda", "es"},
		{"q tal", "es"},
		{"muchas gracias", "es"},
		{"¿Cómo va la actualización?", "es"},
		{"pasame con un agente porfa", "es"},
		{"mañana", "es"},
		{"buenos dias", "es"},
		{"reinicia o modem pra mim", "pt"},
		{"quero falar com um atendente", "pt"},
		{"vc pode me ajudar", "pt"},
		{"obrigado", "pt"},
		{"valeu", "pt"},
		{"não funciona", "pt"},
		{"bom dia", "pt"},
		{"oi tudo bem", "pt"},
		{"oi", "pt"}, // alone: a Brazilian's first word, answered in English before
		{"Oi!", "pt"},
		{"opa", "pt"},
		{"eae", "pt"},
		{"holi", "es"},
		{"obrigadaa", "pt"},
		{"jajajaja", "es"},
		{"jajaja gracias", "es"},
		{"buen dia", "es"},
		{"atualização do roteador", "pt"},
		{"ok", ""},
		{"1", ""},
		{"router", ""},
		{"", ""},
		{"👍", ""},
		{"wifi modem", ""},
		{"zzz yyy", ""},        // squeezed to "z y": no Spanish "y" in it
		{"y el router?", "es"}, // a real one still counts
		{"e o roteador?", "pt"},
		{"intentar de nuevo", "es"},
		{"tentar de novo", "pt"},
		{"try again", "en"},
		{"me cobraron de mas este mes", "es"},
		{"é este router", "pt"}, // "é" is a word, unlike the "e" squeezed from "eee"
		{"este mês é a terceira vez", "pt"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, conf := DetectLanguage(tc.in)
			if got != tc.want {
				t.Fatalf("DetectLanguage(%q)=%q (%.2f), want %q", tc.in, got, conf, tc.want)
			}
			if (got == "") != (conf == 0) || conf < 0 || conf > 1 {
				t.Fatalf("DetectLanguage(%q) confidence %v for %q", tc.in, conf, got)
			}
		})
	}
}

func TestDetectLanguageLabelled(t *testing.T) {
	// The labelled set records each line's language; short lines may be undecided, but
	// a decided one must be right.
	data, err := os.ReadFile("testdata/labelled.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var right, undecided, n int
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var e struct{ Text, Lang string }
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatal(err)
		}
		n++
		switch got, _ := DetectLanguage(e.Text); got {
		case e.Lang:
			right++
		case "":
			undecided++
		default:
			t.Logf("DetectLanguage(%q)=%q, want %q", e.Text, got, e.Lang)
		}
	}
	if got, want := float64(right)/float64(n-undecided), 0.95; got < want {
		t.Fatalf("language accuracy on decided lines %.3f (%d undecided of %d), want >= %.2f", got, undecided, n, want)
	}
	if got, want := float64(undecided)/float64(n), 0.15; got > want {
		t.Fatalf("undecided rate %.3f, want <= %.2f", got, want)
	}
}

func TestLanguageFromLocale(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"pt_BR", "pt"}, {"pt-PT", "pt"}, {"es-AR", "es"}, {"es_419", "es"}, {"ES", "es"},
		{"en", "en"}, {"en_US.UTF-8", "en"}, {"fr_FR", ""}, {"", ""}, {"spa", "es"}, {"pt", "pt"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got, want := LanguageFromLocale(tc.in), tc.want; got != want {
				t.Fatalf("LanguageFromLocale(%q)=%q, want %q", tc.in, got, want)
			}
		})
	}
}

func TestMatchMenu(t *testing.T) {
	yesNo := []MenuItem{{"✅ Sí, actualizar", "yes"}, {"❌ No", "no"}}
	main := []MenuItem{{"🔄 Update router", "update_router"}, {"👤 Talk to an agent", "agent"}, {"Keep chatting", "keep_chatting"}}
	misc := []MenuItem{{"Try again", "retry"}, {"Wait", "wait"}, {"Skip", "skip"}, {"Cancel", "cancel"}}
	for _, tc := range []struct {
		text  string
		items []MenuItem
		want  int
		ok    bool
	}{
		{"✅ Sí, actualizar", yesNo, 0, true},
		{"si, actualizar", yesNo, 0, true},
		{"❌ No", yesNo, 1, true},
		{"1", yesNo, 0, true},
		{"2.", yesNo, 1, true},
		{"opcion 2", yesNo, 1, true},
		{"opção 1", yesNo, 0, true},
		{"option 2", yesNo, 1, true},
		{"no 1", yesNo, 0, false}, // a refusal as much as "No. 1": never Yes
		{"n 1", yesNo, 0, false},
		{"no 2", main, 1, true}, // no "no" button: "No. 2"
		{"3", yesNo, 0, false},
		{"0", yesNo, 0, false},
		{"yes", yesNo, 0, true},
		{"Yeah!", yesNo, 0, true},
		{"ok", yesNo, 0, true},
		{"sure", yesNo, 0, true},
		{"Sí", yesNo, 0, true},
		{"si xfa", yesNo, 0, true},
		{"dale", yesNo, 0, true},
		{"de acuerdo", yesNo, 0, true},
		{"sim", yesNo, 0, true},
		{"pode sim", yesNo, 0, true},
		{"bora", yesNo, 0, true},
		{"claro que sim", yesNo, 0, true},
		{"si dale", yesNo, 0, true}, // yes words only: a yes
		{"yep go ahead", yesNo, 0, true},
		{"sim pode", yesNo, 0, true},
		{"sí, por favor", yesNo, 0, true},
		{"ss", yesNo, 0, true},
		{"yes update my router", yesNo, 0, true}, // a yes typed before the request it answers
		{"no gracias, ahora no", yesNo, 1, true},
		{"nao obrigada", yesNo, 1, true},
		{"si no", yesNo, 0, false},          // both: neither
		{"yes but not now", yesNo, 1, true}, // the no after "but" stands (README: "sí pero ahora no" picks No)
		{"go ahead", main, 0, false},        // no yes on this menu
		{"👍", yesNo, 0, true},               // an acknowledgement is a yes where there is one
		{"perfeito", yesNo, 0, true},
		{"👍", main, 0, false},
		{"🙏", yesNo, 0, false}, // thanks, love, laughter, goodbye: never a yes
		{"kkkk", yesNo, 0, false},
		{"bye", yesNo, 0, false},
		{"yes please", yesNo, 0, true},
		{"no", yesNo, 1, true},
		{"nope", yesNo, 1, true},
		{"Não", yesNo, 1, true},
		{"nao obrigado", yesNo, 1, true},
		{"ahora no", yesNo, 1, true},
		{"agora não", yesNo, 1, true},
		{"n", yesNo, 1, true},
		{"no internet since yesterday", yesNo, 0, false},
		{"no internet", yesNo, 0, false},
		{"no funciona el wifi desde ayer", yesNo, 0, false},
		{"yes but my router is broken since monday", yesNo, 0, false},
		{"🔄 Update router", main, 0, true},
		{"update router", main, 0, true},
		{"talk to an agent", main, 1, true},
		{"agent", main, 1, true},
		{"humano", main, 1, true},
		{"atendente", main, 1, true},
		{"keep chatting", main, 2, true},
		{"continuar", main, 2, true},
		{"seguir", main, 2, true},
		{"how much is my bill", main, 0, false},
		{"tentar de novo", misc, 0, true},
		{"reintentar", misc, 0, true},
		{"otra vez", misc, 0, true},
		{"aguardar", misc, 1, true},
		{"esperar", misc, 1, true},
		{"pular", misc, 2, true},
		{"omitir", misc, 2, true},
		{"parar", misc, 3, true},
		{"deixa", misc, 3, true},
		{"stop", misc, 3, true},
		{"", misc, 0, false},
		{"🙏", misc, 0, false},
		{"yes", misc, 0, false},
	} {
		t.Run(tc.text, func(t *testing.T) {
			got, ok := readChoice(tc.text, tc.items)
			if ok != tc.ok || ok && got != tc.want {
				t.Fatalf("MatchMenu(%q)=%d,%v, want %d,%v", tc.text, got, ok, tc.want, tc.ok)
			}
		})
	}
}

// readChoice reads text as the reader does against a menu, without a classifier: a yes
// or a no picks the menu's Yes or No button.
func readChoice(text string, items []MenuItem) (int, bool) {
	in := Context{Menu: items}
	for _, it := range items {
		switch it.Value {
		case "yes":
			in.Yes = "yes"
		case "no":
			in.No = "no"
		}
	}
	r := (&Reader{Lexicon: DefaultLexicon()}).Read(context.Background(), text, in)
	return r.Choice - 1, r.Choice > 0
}

// MatchChoice is MatchMenu without numbers: for choices not shown as numbered buttons.
func TestMatchChoice(t *testing.T) {
	cancel := []MenuItem{{"Cancel", "cancel"}}
	for _, tc := range []struct {
		text string
		ok   bool
	}{
		{"Cancel", true}, {"cancelar", true}, {"deixa", true}, {"stop", true},
		{"1", false}, {"option 1", false}, {"1.", false}, {"my router is broken", false},
	} {
		if _, ok := MatchChoice(tc.text, cancel); ok != tc.ok {
			t.Errorf("MatchChoice(%q) = %v, want %v", tc.text, ok, tc.ok)
		}
		if _, ok := MatchMenu(tc.text, cancel); !ok && tc.ok {
			t.Errorf("MatchMenu(%q) does not match where MatchChoice does", tc.text)
		}
	}
}

func TestDefault(t *testing.T) {
	ds := Default()
	want := []string{UpdateRouter, UpdateStatus, HumanAgent, Cancel, Greeting, Thanks, Help,
		"billing", "outage", "plans", "wifi", "cancel_service", "technician", "moving", "contact"} // the bot's own, then the topics
	got := map[string]Intent{}
	for _, in := range ds.Intents {
		got[in.Name] = in
	}
	for _, name := range want {
		t.Run(name, func(t *testing.T) {
			in, ok := got[name]
			if !ok {
				t.Fatalf("default intents lack %q", name)
			}
			min := 25
			if name == UpdateRouter || name == UpdateStatus || name == HumanAgent {
				min = 40
			}
			for _, l := range languages {
				if n := len(in.Examples[l]); n < min {
					t.Errorf("%s/%s has %d examples, want >= %d", name, l, n, min)
				}
			}
		})
	}
	if got, want := len(ds.Intents), len(want); got != want {
		t.Errorf("len(Intents)=%d, want %d", got, want)
	}
	for _, l := range languages {
		if n := len(ds.OOS[l]); n < 30 {
			t.Errorf("oos/%s has %d examples, want >= 30", l, n)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, data, want string
	}{
		{"syntax", "intents:\n  a:\n    en: [x\n", "bad.yaml:2: did not find expected"},
		{"indent", "intents:\n  a: {en: [hi]}\n b: {en: [bye]}\n", "bad.yaml:2: did not find expected key"},
		{"language", "intents:\n  a:\n    en: [hi]\n    fr: [salut]\n  b:\n    en: [bye]\n", `bad.yaml:4: unknown language "fr"`},
		{"top key", "intents:\n  a: {en: [hi]}\n  b: {en: [bye]}\nextra: 1\n", `bad.yaml:4: unknown key "extra"`},
		{"intent name", "intents:\n  a: {en: [hi]}\n  Bad Name: {en: [bye]}\n", `bad.yaml:3: bad intent name "Bad Name"`},
		{"oos as intent", "intents:\n  a: {en: [hi]}\n  oos: {en: [bye]}\n", `bad.yaml:3: bad intent name "oos"`},
		{"duplicate", "intents:\n  a: {en: [hi]}\n  a: {en: [bye]}\n", `bad.yaml:3: intent "a" defined twice`},
		{"not a list", "intents:\n  a: {en: [hi]}\n  b:\n    en: bye\n", "bad.yaml:4: en: want a list"},
		{"empty example", "intents:\n  a: {en: [hi]}\n  b:\n    en:\n      - ok\n      - '!!'\n", `bad.yaml:6: example "!!" has no words`},
		{"nested example", "intents:\n  a: {en: [hi]}\n  b:\n    en:\n      - [x]\n", "bad.yaml:5: example must be text"},
		{"one intent", "intents:\n  a: {en: [hi]}\n", "bad.yaml:1: need at least two intents"},
		{"no examples", "intents:\n  a: {en: [hi]}\n  b: {}\n", `bad.yaml:3: intent "b" has no examples`},
		{"empty", "", "bad.yaml: empty file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("bad.yaml", []byte(tc.data))
			if err == nil {
				t.Fatalf("Parse succeeded, want error %q", tc.want)
			}
			if got := err.Error(); !strings.HasPrefix(got, tc.want) {
				t.Fatalf("error %q, want prefix %q", got, tc.want)
			}
		})
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	if err := os.WriteFile(good, []byte("intents:\n  a:\n    en: [hi, hello]\n    es: [hola]\n  b:\n    pt: [tchau]\noos:\n  en: [weather]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ds, err := LoadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(ds.Examples())
	want := `[{"text":"hi","intent":"a"},{"text":"hello","intent":"a"},{"text":"hola","intent":"a"},{"text":"tchau","intent":"b"},{"text":"weather","intent":"oos"}]`
	if string(got) != want {
		t.Fatalf("Examples()=%s, want %s", got, want)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("intents:\n  a: {en: [hi]}\n  b: {xx: [bye]}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFile(bad); err == nil || !strings.HasPrefix(err.Error(), bad+":3: ") {
		t.Fatalf("LoadFile(bad) error %v, want prefix %s:3:", err, bad)
	}
	if _, err := LoadFile(filepath.Join(dir, "missing.yaml")); err == nil {
		t.Fatal("LoadFile(missing) succeeded")
	}
}

func TestPredict(t *testing.T) {
	c := defaultClassifier(t)
	for _, tc := range []struct{ text, want, lang string }{
		{"kiero actualizar el router xfa", UpdateRouter, "es"},
		{"reinicia o modem pra mim", UpdateRouter, "pt"},
		{"upd8 my router pls", UpdateRouter, "en"},
		{"quero falar com um atendente", HumanAgent, "pt"},
		{"como va mi actualizacion?", UpdateStatus, "es"},
		{"holaaaa", Greeting, "es"},
		{"obg", Thanks, "pt"},
		{"cancel", Cancel, "en"},
		{"cancelar", Cancel, ""},
		{"what can you do", Help, "en"},
		{"tell me a joke about cats", OutOfScope, "en"},
		{"🙏", OutOfScope, ""},
		{"", OutOfScope, ""},
	} {
		t.Run(tc.text, func(t *testing.T) {
			r := c.Predict(tc.text)
			if got, want := r.Intent, tc.want; got != want {
				t.Fatalf("Predict(%q).Intent=%q (%.2f), want %q", tc.text, got, r.Confidence, want)
			}
			if got, want := r.Language, tc.lang; got != want {
				t.Fatalf("Predict(%q).Language=%q, want %q", tc.text, got, want)
			}
			var sum float64
			for i, s := range r.Ranked {
				sum += s.Confidence
				if i > 0 && s.Confidence > r.Ranked[i-1].Confidence {
					t.Fatalf("Ranked not sorted: %v", r.Ranked)
				}
			}
			// The intents share what the out-of-scope class leaves: at most 1, and
			// nearly all of it for a text that is clearly one of them.
			if len(r.Ranked) > 0 && (sum > 1.001 || (tc.want != OutOfScope && sum < 0.99) || r.Confidence != r.Ranked[0].Confidence) {
				t.Fatalf("Ranked=%v sums to %v, Confidence %v", r.Ranked, sum, r.Confidence)
			}
		})
	}
}

func TestTrainDeterministic(t *testing.T) {
	t.Parallel()
	a, err := Train(Default(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := defaultClassifier(t)
	if a.Threshold() != b.Threshold() || a.Temperature() != b.Temperature() {
		t.Fatalf("threshold/temperature %v/%v vs %v/%v", a.Threshold(), a.Temperature(), b.Threshold(), b.Temperature())
	}
	for _, text := range []string{"hola", "update my router", "quanto custa o plano"} {
		if ra, rb := a.Predict(text), b.Predict(text); ra.Confidence != rb.Confidence {
			t.Fatalf("Predict(%q) differs: %v vs %v", text, ra, rb)
		}
	}
}

func TestPredictConcurrent(t *testing.T) {
	c := defaultClassifier(t)
	texts := []string{"kiero actualizar el router xfa", "obg", "how is my update going", "zzz unseen wordz"}
	want := make([]string, len(texts))
	for i, s := range texts {
		want[i] = c.Predict(s).Intent
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				j := (i + g) % len(texts)
				if got := c.Predict(texts[j]).Intent; got != want[j] {
					t.Errorf("Predict(%q)=%q concurrently, want %q", texts[j], got, want[j])
				}
			}
		}()
	}
	wg.Wait()
}

func TestTrainOptions(t *testing.T) {
	t.Parallel()
	ex := Default().Examples()
	for _, tc := range []struct {
		name string
		opts Options
		want float64 // threshold; -1 means chosen from data (strictly between 0 and 1)
	}{
		{"fixed", Options{Threshold: 0.42}, 0.42},
		{"disabled", Options{Threshold: -1}, 0},
		{"no cross-validation", Options{Folds: 1}, 0},
		{"from data", Options{}, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := TrainExamples(ex, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			got := c.Threshold()
			if tc.want >= 0 && got != tc.want || tc.want < 0 && (got <= 0 || got >= 1) {
				t.Fatalf("Threshold()=%v, want %v", got, tc.want)
			}
		})
	}
	if _, err := TrainExamples([]Example{{"hi", "a"}, {"weather", OutOfScope}}, Options{}); err == nil {
		t.Fatal("TrainExamples with one intent succeeded")
	}
}

func TestCalibrate(t *testing.T) {
	t.Parallel()
	c, err := TrainExamples(Default().Examples(), Options{Folds: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Threshold(); got != 0 {
		t.Fatalf("Threshold()=%v before Calibrate, want 0", got)
	}
	valid, err := ReadExamples("testdata/labelled.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	c.Calibrate(valid)
	if got := c.Threshold(); got <= 0 || got >= 1 {
		t.Fatalf("Threshold()=%v after Calibrate, want in (0,1)", got)
	}
	if got := c.Temperature(); got == 1 {
		t.Fatalf("Temperature()=%v after Calibrate, want fitted", got)
	}
}

func TestChooseThreshold(t *testing.T) {
	in := []scored{{0.9, true}, {0.8, true}, {0.7, true}, {0.4, false}, {0.95, true}}
	oos := []scored{{0.3, false}, {0.5, false}, {0.6, false}}
	got := chooseThreshold(in, oos, 1)
	if got <= 0.6 || got > 0.7 {
		t.Fatalf("chooseThreshold=%v, want in (0.6, 0.7]", got)
	}
}

func TestEvalCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name string, ex []Example) string {
		var b bytes.Buffer
		for _, e := range ex {
			json.NewEncoder(&b).Encode(e)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	train := write("train.jsonl", []Example{
		{"turn on the lights", "lights"}, {"switch the light on", "lights"}, {"lights on please", "lights"},
		{"lights off", "lights"}, {"play some music", "music"}, {"put on a song", "music"},
		{"play jazz", "music"}, {"music please", "music"}, {"what is the capital of peru", OutOfScope},
	})
	test := write("test.jsonl", []Example{{"turn the lights on", "lights"}, {"play a song", "music"}, {"how tall is everest", OutOfScope}})
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"train", []string{"--train", train, "--test", test}},
		{"valid", []string{"--train", train, "--valid", train, "--test", test}},
		{"default", []string{"--test", filepath.Join("testdata", "labelled.jsonl")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if err := EvalCommand(tc.args, &out, &errb); err != nil {
				t.Fatalf("EvalCommand: %v (%s)", err, errb.String())
			}
			var m map[string]any
			if err := json.Unmarshal(out.Bytes(), &m); err != nil {
				t.Fatalf("output %q is not one JSON object: %v", out.String(), err)
			}
			for _, k := range []string{"in_scope_accuracy", "oos_recall", "oos_precision", "n", "per_intent", "train_ms", "query_us"} {
				if _, ok := m[k]; !ok {
					t.Errorf("output lacks %q: %s", k, out.String())
				}
			}
			if tc.name == "train" {
				if got, want := m["n"], 3.0; got != want {
					t.Errorf("n=%v, want %v", got, want)
				}
				if got := m["in_scope_accuracy"].(float64); got != 1 {
					t.Errorf("in_scope_accuracy=%v on an easy set, want 1", got)
				}
			}
		})
	}
	for _, args := range [][]string{{"-h"}, {"--train", train}, {"--test", filepath.Join(dir, "missing")}, {"--bogus"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			if err := EvalCommand(args, &out, &errb); err == nil {
				t.Fatalf("EvalCommand(%v) succeeded", args)
			}
			if args[0] == "-h" && !strings.Contains(errb.String(), "usage: intents eval") {
				t.Fatalf("-h printed %q, want usage", errb.String())
			}
		})
	}
}

func TestCheckCommand(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := CheckCommand([]string{"kiero", "actualizar el router xfa"}, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"language: es", "intent: update_router", "  update_router ", "acts by the word lists: polite"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	// In a state, the whole reading: "ok" at the update's confirmation is the yes button.
	out.Reset()
	if err := CheckCommand([]string{"--state", "confirm_update", "ok"}, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"learned reader in confirm_update", "reading: intent oos, acts affirm, choice 1"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--state confirm_update: output lacks %q:\n%s", want, out.String())
		}
	}
	if prob := regexp.MustCompile(`affirm [01]\.\d\d/0\.\d\d`); !prob.MatchString(out.String()) {
		t.Errorf("--state confirm_update: output lacks the affirm's probability and threshold (%s):\n%s", prob, out.String())
	}
	var ue UsageError
	if err := CheckCommand([]string{"--state", "nope", "ok"}, &out); !errors.As(err, &ue) || !strings.Contains(err.Error(), "want one of idle") {
		t.Errorf("--state nope: %v, want a usage error naming the states", err)
	}
	out.Reset()
	if err := CheckCommand([]string{"-h"}, &out); err == nil || !strings.Contains(out.String(), "usage: intents check") {
		t.Fatalf("-h: err %v, output %q", err, out.String())
	}
	if err := CheckCommand(nil, &out); err == nil {
		t.Fatal("CheckCommand with no text succeeded")
	}
}

func BenchmarkPredict(b *testing.B) {
	c, err := Train(Default(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.Predict("kiero actualizar el router xfa, no anda el wifi")
	}
}

func BenchmarkTrainDefault(b *testing.B) {
	ds := Default()
	for i := 0; i < b.N; i++ {
		if _, err := Train(ds, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestActsFromWords checks the acts' word lists on the phrasings that once went wrong.
func TestActsFromWords(t *testing.T) {
	lex := DefaultLexicon()
	for _, tc := range []struct {
		in       string
		has, not []Act
	}{
		{in: "ok", has: []Act{ActAcknowledge}}, {in: "OK!", has: []Act{ActAcknowledge}}, {in: "Okayyy", has: []Act{ActAcknowledge}},
		{in: "vale", has: []Act{ActAcknowledge}}, {in: "tá bom", has: []Act{ActAcknowledge}}, {in: "beleza", has: []Act{ActAcknowledge}},
		{in: "got it", has: []Act{ActAcknowledge}}, {in: "👍", has: []Act{ActAcknowledge}}, {in: "👍🏽", has: []Act{ActAcknowledge}},
		{in: "ok update my router", not: []Act{ActAcknowledge}}, {in: "😡", not: []Act{ActAcknowledge, ActThanks}},
		{in: "bye", has: []Act{ActGoodbye}}, {in: "🙏", has: []Act{ActThanks}}, {in: "só isso", has: []Act{ActGoodbye}, not: []Act{ActCancel}},
		{in: "hasta luego", has: []Act{ActGoodbye}}, {in: "que tenga buen día", has: []Act{ActGoodbye}}, {in: "tchau", has: []Act{ActGoodbye}},
		{in: "até mais", has: []Act{ActGoodbye}}, {in: "see you", has: []Act{ActGoodbye}},
		{in: "my internet is slow", has: []Act{ActConnectionComplaint}}, {in: "no tengo internet", has: []Act{ActConnectionComplaint}},
		{in: "o wifi tá caindo toda hora", has: []Act{ActConnectionComplaint}}, {in: "how do i change my wifi password", not: []Act{ActConnectionComplaint}},
		{in: "update my router", not: []Act{ActConnectionComplaint, ActLanguageRequest, ActCancel}},
		{in: "no lo canceles", not: []Act{ActCancel}}, {in: "não cancela", not: []Act{ActCancel}}, {in: "don't cancel it", not: []Act{ActCancel}},
		{in: "I don't need the agent anymore, cancel", has: []Act{ActCancel}}, {in: "cancel", has: []Act{ActCancel}},
		{in: "no, cancel it", has: []Act{ActCancel}}, {in: "no espera no lo canceles", not: []Act{ActCancel}},
		{in: "porfa", has: []Act{ActPolite}, not: []Act{ActAskPerson}}, {in: "xfa", has: []Act{ActPolite}}, {in: "please", has: []Act{ActPolite}},
		{in: "skip", has: []Act{ActSkip}}, {in: "n/a", has: []Act{ActSkip}}, {in: "pular", has: []Act{ActSkip}}, {in: "omitir", has: []Act{ActSkip}},
		{in: "that's not my router", has: []Act{ActWrongRouter}}, {in: "ese no es", has: []Act{ActWrongRouter}},
		{in: "I can't find it", has: []Act{ActWhereSerial}}, {in: "não achei", has: []Act{ActWhereSerial}},
		{in: "quiero hablar con una persona", has: []Act{ActAskPerson}}, {in: "this is ridiculous", has: []Act{ActFrustration}},
		{in: "no hay internet en todo el barrio", has: []Act{ActOutageArea}},
		{in: "can you just restart my router? don't update anything", has: []Act{ActDeclineUpdate}},
		{in: "reinicia el módem nomás, no lo actualices", has: []Act{ActDeclineUpdate}},
		{in: "só reinicia o roteador, não precisa atualizar", has: []Act{ActDeclineUpdate}},
		{in: "update my router please", not: []Act{ActDeclineUpdate}},
		{in: "are you a real person?", has: []Act{ActAboutBot}}, {in: "sos un bot?", has: []Act{ActAboutBot}},
		{in: "vc é um robô?", has: []Act{ActAboutBot}},
		// politeness anywhere, a "no" of its own clause, "but"
		{in: "si dale porfa", has: []Act{ActAffirm, ActPolite}}, {in: "HUMAN PLEASE", has: []Act{ActAskPerson, ActPolite}},
		{in: "no, the other one!", has: []Act{ActDeny, ActWrongRouter}}, {in: "yeah but not right now, i'm on a call", has: []Act{ActDeny}},
		{in: "não, mas a internet continua lenta", has: []Act{ActDeny, ActConnectionComplaint}},
		{in: "don't try again, it'll just fail", has: []Act{ActDeny}, not: []Act{ActRetry}},
		{in: "no espera, queria actualizar, no agente", not: []Act{ActDeny, ActAskPerson}},
		// an "again" that is no retry, thanks that are none
		{in: "thanks again", has: []Act{ActThanks}, not: []Act{ActRetry}}, {in: "obrigado de novo", not: []Act{ActRetry}},
		{in: "falhou de novo, ótimo.", has: []Act{ActFrustration}, not: []Act{ActRetry}},
		{in: "gracias por nada", has: []Act{ActFrustration}, not: []Act{ActThanks, ActGoodbye}},
		// speaking of an agent, asking for one
		{in: "i'll explain in spanish to the agent later", not: []Act{ActAskPerson, ActLanguageRequest}},
		{in: "pass, i'll give it to the agent", has: []Act{ActSkip}, not: []Act{ActAskPerson}},
		{in: "porfa pasame ya", has: []Act{ActAskPerson, ActPolite}}, {in: "hmm melhor não, me passa pro suporte", has: []Act{ActAskPerson, ActChangeOfMind}},
		// a change of mind needs another request
		{in: "actually, update my router instead", has: []Act{ActChangeOfMind}}, {in: "mejor actualiza el router", has: []Act{ActChangeOfMind}},
		{in: "actually I already restarted it myself", not: []Act{ActChangeOfMind}}, {in: "on second thought i'll wait", not: []Act{ActChangeOfMind}},
		{in: "na verdade já voltou", not: []Act{ActChangeOfMind}}, {in: "mejor en español xfa", has: []Act{ActLanguageRequest, ActPolite}, not: []Act{ActChangeOfMind}},
		// the label, the serial
		{in: "I know where it is, give me a sec", has: []Act{ActAcknowledge}, not: []Act{ActWhereSerial}},
		{in: "não sei onde tá", has: []Act{ActWhereSerial}}, {in: "es el S/N o la MAC?", has: []Act{ActWhereSerial}},
		{in: "encontré la etiqueta pero está en blanco", has: []Act{ActWhereSerial}},
		{in: "you updated the wrong router, mine is AB-4821-0077", has: []Act{ActWrongRouter}},
		{in: "foi mal, número errado", not: []Act{ActWrongRouter}}, {in: "wrong number sorry", not: []Act{ActWrongRouter}},
		// someone else's router, a router not known, an old one, one elsewhere
		{in: "that's my neighbours router lol", has: []Act{ActWrongRouter}, not: []Act{ActOutageArea}},
		{in: "ese es el de mi vecino jajaja", has: []Act{ActWrongRouter}, not: []Act{ActOutageArea}},
		{in: "esse é do meu vizinho kkkkk", has: []Act{ActWrongRouter}, not: []Act{ActOutageArea}},
		{in: "ese router no lo conozco", has: []Act{ActWrongRouter}}, {in: "não reconheço esse aparelho", has: []Act{ActWrongRouter}},
		{in: "esse roteador tá errado", has: []Act{ActWrongRouter}}, {in: "no, the one at my office. ZX-7100-KP09", has: []Act{ActDeny, ActWrongRouter}},
		{in: "do i have internet now? mine is super slow", has: []Act{ActConnectionComplaint}, not: []Act{ActWrongRouter}},
		// the whole town, the neighbour's wifi borrowed
		{in: "tío, en todo mi pueblo no va internet, qué pasa?", has: []Act{ActOutageArea}},
		{in: "parece que a quadra inteira tá sem internet", has: []Act{ActOutageArea}},
		{in: "mi vecino me presta el wifi", not: []Act{ActOutageArea}},
		// trying again in other words
		{in: "lets try that again", has: []Act{ActRetry}}, {in: "puedes volver a intentarlo?", has: []Act{ActRetry}},
		{in: "yes try the update again", has: []Act{ActAffirm, ActRetry}}, {in: "atualiza de novo", has: []Act{ActRetry}},
		// fed up in other words, a connection that stops
		{in: "everyone on my street is offline, how is nobody working on this", has: []Act{ActOutageArea, ActFrustration}},
		{in: "pa q lo quieren si ya lo tienen, q pesados", has: []Act{ActFrustration}},
		{in: "ainda atualizando?? já são 20 min", has: []Act{ActFrustration}},
		{in: "not sure how to describe it, internet just randomly stops", has: []Act{ActConnectionComplaint}},
		{in: "se me desconecta a cada rato", has: []Act{ActConnectionComplaint}},
		// status in other words, a label found
		{in: "did the update finish?", has: []Act{ActStatusQuestion}}, {in: "is my router update done?", has: []Act{ActStatusQuestion}},
		{in: "todavía no termina?", has: []Act{ActStatusQuestion}},
		{in: "se donde esta, espera", has: []Act{ActAcknowledge}, not: []Act{ActWhereSerial}},
		{in: "nem sei o que é isso", has: []Act{ActWhereSerial}},
		// giving it to the agent later, a wrong tap
		{in: "paso, se lo doy al agente", not: []Act{ActAskPerson}}, {in: "depois explico em português pro atendente", not: []Act{ActAskPerson}},
		{in: "i live on my block since 2010", not: []Act{ActOutageArea}}, {in: "i want to start over with a new plan", not: []Act{ActRetry}},
		{in: "moro no condomínio x, tem fibra aí?", not: []Act{ActOutageArea}}, {in: "nenhum desses é meu", has: []Act{ActWrongRouter}},
		{in: "that's the router at my old flat", has: []Act{ActWrongRouter}}, {in: "this isn't even working", not: []Act{ActWrongRouter}},
		{in: "si no funciona que hago?", not: []Act{ActConnectionComplaint}}, {in: "a net tá uma carroça", has: []Act{ActConnectionComplaint}},
		{in: "worst customer service ever", has: []Act{ActFrustration}, not: []Act{ActAskPerson}},
		{in: "boludo, hace una hora que espero", has: []Act{ActFrustration}}, {in: "mano, faz meia hora que tô aqui", has: []Act{ActFrustration}},
		{in: "dale otra chance", has: []Act{ActRetry}}, {in: "redo it", has: []Act{ActRetry}},
		{in: "o meu termina com 1234", has: []Act{ActWrongRouter}}, {in: "hay varios números, cuál es?", has: []Act{ActWhereSerial}},
		{in: "my old router is still in a box, do i return it?", not: []Act{ActWrongRouter}},
		{in: "el plan de mi casa anterior era más barato", not: []Act{ActWrongRouter}}, {in: "that's my old router", has: []Act{ActWrongRouter}},
		{in: "el soporte me dijo que reinicie", not: []Act{ActAskPerson}}, {in: "the support guy told me to restart it", not: []Act{ActAskPerson}},
		{in: "actually the agent told me to update it", not: []Act{ActChangeOfMind}},
		{in: "es mejor que lo reinicies de noche?", not: []Act{ActChangeOfMind}}, {in: "é melhor reiniciar de noite?", not: []Act{ActChangeOfMind}},
		{in: "try agn pls", has: []Act{ActRetry, ActPolite}}, {in: "intentalo d nuevo x fa", has: []Act{ActRetry, ActPolite}},
		{in: "ya fue, chau", has: []Act{ActCancel, ActGoodbye}}, {in: "q onda, se puede hablar con un asesor?", has: []Act{ActGreeting, ActAskPerson}},
		// complaints, words that are no goodbye or skip
		{in: "nada funciona", has: []Act{ActConnectionComplaint}}, {in: "my wifi just died lol", has: []Act{ActConnectionComplaint}},
		{in: "o técnico falou pra eu atualizar o roteador", not: []Act{ActGoodbye}},
		{in: "i don't want to skip anything", not: []Act{ActSkip}}, {in: "não quero pular nada, vou explicar", not: []Act{ActSkip}},
		{in: "saltalo porfa", has: []Act{ActSkip, ActPolite}},
		// WhatsApp shorthand and doubled letters, read as the lists write the words
		{in: "idk where it is", has: []Act{ActWhereSerial}}, {in: "dnd esta el serial?", has: []Act{ActWhereSerial}},
		{in: "agr n", has: []Act{ActDeny}}, {in: "no x ahora", has: []Act{ActDeny}}, {in: "not rn", has: []Act{ActDeny}},
		{in: "graciass", has: []Act{ActThanks}}, {in: "valeuu", has: []Act{ActThanks}}, {in: "buenass 👋", has: []Act{ActGreeting}},
	} {
		got := lex.Acts(tc.in)
		for _, a := range tc.has {
			if !got.Has(a) {
				t.Errorf("%q: acts %s, want %s", tc.in, got, a)
			}
		}
		for _, a := range tc.not {
			if got.Has(a) {
				t.Errorf("%q: acts %s, want no %s", tc.in, got, a)
			}
		}
	}
}

// TestReadInContext checks the readings that depend on the question open: a yes, a
// skip, a button picked by the acts or by words.
func TestReadInContext(t *testing.T) {
	rd := &Reader{Lexicon: DefaultLexicon()}
	for _, tc := range []struct {
		state, in string
		has, not  []Act
		choice    int
	}{
		{state: "confirm_update", in: "ok", has: []Act{ActAffirm}, choice: 1},
		{state: "offer_wait", in: "ok", has: []Act{ActAcknowledge}, not: []Act{ActAffirm}},
		{state: "confirm_update", in: "no lo canceles, dale", has: []Act{ActAffirm}, not: []Act{ActCancel}, choice: 1},
		{state: "confirm_update", in: "don't cancel, go ahead", has: []Act{ActAffirm}, choice: 1},
		{state: "update_failed", in: "vuelve a probar, venga", has: []Act{ActRetry}, not: []Act{ActAffirm}, choice: 1},
		{state: "confirm_update", in: "never mind", has: []Act{ActCancel}, choice: 2},
		{state: "offer_agent", in: "esquece", has: []Act{ActCancel}},
		{state: "offer_agent", in: "nah sigo intentando contigo", has: []Act{ActDeny}, choice: 2},
		{state: "confirm_update", in: "sí pero ahora no", has: []Act{ActDeny}, not: []Act{ActAffirm}, choice: 2},
		{state: "confirm_update", in: "sí pero ahora no q estoy en una llamada", has: []Act{ActDeny}, choice: 2},
		{state: "anything_else", in: "no but my internet is still slow", has: []Act{ActDeny, ActConnectionComplaint}},
		{state: "offer_agent", in: "hmm no, can u speak portuguese", has: []Act{ActDeny, ActLanguageRequest}},
		{state: "confirm_update", in: "ok va", has: []Act{ActAffirm}, choice: 1},
		{state: "confirm_update", in: "hazlo tío", has: []Act{ActAffirm}, choice: 1},
		{state: "offer_agent", in: "sí, con una persona mejor", has: []Act{ActAffirm, ActAskPerson}, not: []Act{ActChangeOfMind}, choice: 1},
		{state: "anything_else", in: "yeah actually can i talk to someone about my plan", has: []Act{ActAffirm, ActAskPerson}, not: []Act{ActChangeOfMind}},
		{state: "update_failed", in: "sabes q, mejor no, quiero hablar con alguien", has: []Act{ActChangeOfMind, ActAskPerson}, not: []Act{ActDeny}, choice: 2},
		{state: "confirm_update", in: "mmm mejor no, pasame con soporte", has: []Act{ActDeny, ActChangeOfMind, ActAskPerson}, choice: 2},
		{state: "main_menu", in: "neither, i want to know about my bill", has: []Act{ActDeny}},
		{state: "main_menu", in: "nenhuma, caiu o serviço na região toda", has: []Act{ActOutageArea}, not: []Act{ActDeny}},
		{state: "intake", in: "ni idea, omitir", has: []Act{ActSkip}, not: []Act{ActWhereSerial}, choice: 1},
		{state: "confirm_update", in: "es mio ZX-9900-AB12? ni idea", not: []Act{ActWhereSerial}},
		{state: "update_failed", in: "maybe i gave the wrong serial, where exactly is it printed?", has: []Act{ActWhereSerial}},
		{state: "update_failed", in: "dale, una vez más", has: []Act{ActRetry}, not: []Act{ActAcknowledge}, choice: 1},
		{state: "updating", in: "holaa, sigue todo bien?", has: []Act{ActGreeting, ActStatusQuestion}},
		{state: "updating", in: "lights are blinking orange, that ok?", has: []Act{ActStatusQuestion}},
		{state: "updating", in: "todo bien?", has: []Act{ActStatusQuestion}, not: []Act{ActAcknowledge}},
		{state: "offer_wait", in: "mejor espero al agente", has: []Act{ActAskPerson}, not: []Act{ActChangeOfMind}, choice: 1},
		{state: "update_failed", in: "mejor espero a una persona", has: []Act{ActAskPerson, ActChangeOfMind}, choice: 2},
		{state: "intake", in: "prefiro não responder", has: []Act{ActSkip}, choice: 1},
		{state: "confirm_update", in: "alright go", has: []Act{ActAffirm}, choice: 1},
		{state: "confirm_update", in: "no, mine is ZX-7100-KP09", has: []Act{ActDeny, ActWrongRouter}},
		{state: "confirm_update", in: "sim, mas depois", has: []Act{ActDeny}, choice: 2},
		{state: "offer_agent", in: "sí, pero en inglés porfa", has: []Act{ActAffirm, ActLanguageRequest}},
		{state: "confirm_update", in: "o meu é ZX-7100-KP09", has: []Act{ActWrongRouter}},
		{state: "ask_serial", in: "mine is ZX-7100-KP09", not: []Act{ActWrongRouter}},
		{state: "confirm_update", in: "stop, don't update", has: []Act{ActCancel}, choice: 2},
		{state: "confirm_update", in: "para, no lo actualices", has: []Act{ActDeclineUpdate}, choice: 2}, // the No: a cancel, or a refusal of the update
		{state: "confirm_update", in: "para, não atualiza", has: []Act{ActCancel}, choice: 2},
		{state: "updating", in: "todavía no termina?", has: []Act{ActStatusQuestion}, not: []Act{ActDeny}},
		{state: "anything_else", in: "no, i'm all good, have a great evening", has: []Act{ActDeny, ActGoodbye}},
		{state: "in_line", in: "el agente ya me atendió ayer", not: []Act{ActAskPerson}},
		{state: "idle", in: "hola, todo bien?", has: []Act{ActGreeting}, not: []Act{ActStatusQuestion}},
		{state: "updating", in: "ugh how long is this going to take", has: []Act{ActStatusQuestion, ActFrustration}},
		{state: "in_line", in: "cuánto falta para que me atiendan?", not: []Act{ActStatusQuestion, ActAskPerson}},
		{state: "in_line", in: "how long do i have to wait for an agent?", not: []Act{ActStatusQuestion, ActAskPerson}},
		{state: "anything_else", in: "buenas noches", has: []Act{ActGoodbye}, not: []Act{ActGreeting}},
		{state: "idle", in: "buenas noches", has: []Act{ActGreeting}},
		{state: "anything_else", in: "no eso es todo", has: []Act{ActDeny, ActGoodbye}},
		{state: "idle", in: "no hay internet en todo el barrio", has: []Act{ActOutageArea}, not: []Act{ActConnectionComplaint}},
		{state: "idle", in: "no tengo internet y mis vecinos tampoco", has: []Act{ActOutageArea, ActConnectionComplaint}},
		{state: "idle", in: "the whole neighbourhood is down and so am I", has: []Act{ActOutageArea, ActConnectionComplaint}},
		{state: "updating", in: "gracias por nada", has: []Act{ActFrustration}, not: []Act{ActThanks, ActSkip, ActGoodbye}},
		{state: "intake", in: "i'd rather not", has: []Act{ActSkip}, not: []Act{ActDeny}, choice: 1},
		{state: "intake", in: "no, skip it", has: []Act{ActSkip}, not: []Act{ActDeny}, choice: 1},
		{state: "intake", in: "nada, cancela", has: []Act{ActCancel}, not: []Act{ActSkip}},
		{state: "main_menu", in: "ninguna, es por la factura", not: []Act{ActSkip}},
		{state: "updating", in: "en realidad ya funciona", not: []Act{ActStatusQuestion}},
		{state: "updating", in: "ya quedó?", has: []Act{ActStatusQuestion}},
		{state: "in_line", in: "how long do i have to wait", not: []Act{ActStatusQuestion}},
		{state: "offer_wait", in: "se me corta mientras espero, q fastidio", has: []Act{ActConnectionComplaint, ActFrustration}},
		{state: "offer_wait", in: "eu espero", choice: 1},
		{state: "offer_wait", in: "I'll wait for an agent", has: []Act{ActAskPerson}, choice: 1},
		{state: "main_menu", in: "the first one", choice: 1},
		{state: "main_menu", in: "option 2 pls", has: []Act{ActPolite}, choice: 2},
		{state: "main_menu", in: "Hablar con un agente", has: []Act{ActAskPerson}, choice: 2},
		{state: "main_menu", in: "atualiza aí por favor", has: []Act{ActPolite}, choice: 1},
		{state: "update_failed", in: "cancela e me passa pro atendente", has: []Act{ActCancel, ActAskPerson}},
		{state: "update_failed", in: "olvidalo", has: []Act{ActCancel}, choice: 3},
	} {
		r := rd.Read(context.Background(), tc.in, TurnContext(tc.state))
		checkReading(t, tc.state, tc.in, r, tc.has, tc.not, tc.choice)
	}
}

// checkReading reports a reading of text in state without one of the acts has, with one
// of not, or with another button than choice.
func checkReading(t *testing.T, state, text string, r Reading, has, not []Act, choice int) {
	t.Helper()
	checkActs(t, state, text, r, has, not)
	if r.Choice != choice {
		t.Errorf("%s %q: choice %d, want %d", state, text, r.Choice, choice)
	}
}

func TestUnderstoodIsNoYes(t *testing.T) {
	rd := &Reader{Lexicon: DefaultLexicon()}
	for _, tc := range []struct {
		state, in  string
		understood bool
		has, not   []Act
		choice     int
	}{
		// "got it" to "shall I put you through?" acknowledges and consents to nothing
		{state: "offer_agent", in: "entendi, obrigado", understood: true, has: []Act{ActAcknowledge, ActThanks}, not: []Act{ActAffirm}},
		{state: "offer_agent", in: "entendi", understood: true, has: []Act{ActAcknowledge}, not: []Act{ActAffirm}},
		{state: "offer_agent", in: "entendido", understood: true, has: []Act{ActAcknowledge}, not: []Act{ActAffirm}},
		{state: "offer_agent", in: "got it", understood: true, has: []Act{ActAcknowledge}, not: []Act{ActAffirm}},
		{state: "offer_agent", in: "understood", understood: true, has: []Act{ActAcknowledge}, not: []Act{ActAffirm}},
		{state: "offer_agent", in: "I see", understood: true, has: []Act{ActAcknowledge}, not: []Act{ActAffirm}},
		{state: "offer_agent", in: "ya veo", understood: true, has: []Act{ActAcknowledge}, not: []Act{ActAffirm}},
		{state: "confirm_update", in: "entendí", understood: true, has: []Act{ActAcknowledge}, not: []Act{ActAffirm}},
		// an "ok" is the yes, and a yes beside the understanding is one too
		{state: "offer_agent", in: "ok", has: []Act{ActAffirm}, choice: 1},
		{state: "confirm_update", in: "ok", has: []Act{ActAffirm}, choice: 1},
		{state: "confirm_update", in: "ok entendi, pode fazer", has: []Act{ActAffirm}, choice: 1},
		{state: "offer_agent", in: "got it, yes please", has: []Act{ActAffirm}, choice: 1},
		// not understanding is no understanding
		{state: "offer_agent", in: "não entendi", not: []Act{ActAffirm, ActAcknowledge}},
		{state: "confirm_update", in: "no entiendo nada", not: []Act{ActAffirm, ActAcknowledge, ActDeny}},
		{state: "confirm_update", in: "I don't get it", not: []Act{ActAffirm, ActAcknowledge, ActDeny}},
		// a no beside it stays a no
		{state: "offer_agent", in: "no, I don't understand why you need it, just put me through", has: []Act{ActDeny, ActAskPerson}},
	} {
		r := rd.Read(context.Background(), tc.in, TurnContext(tc.state))
		if r.Understood != tc.understood {
			t.Errorf("%s %q: understood %v, want %v", tc.state, tc.in, r.Understood, tc.understood)
		}
		checkReading(t, tc.state, tc.in, r, tc.has, tc.not, tc.choice)
	}
}

// topicNLU classifies every text as one topic, surely.
type topicNLU string

func (n topicNLU) Classify(context.Context, string) (Result, error) {
	return Result{Intent: string(n), Confidence: 1}, nil
}

func TestTopicQuestionIsNoYes(t *testing.T) {
	// "tem plano de 500 mega?" to "shall I put you through?" asks about plans, whatever yes
	// the learned reader hears in it
	rd := &Reader{NLU: topicNLU("plans"), Lexicon: DefaultLexicon()}
	for _, in := range []string{"tem plano de 500 mega?", "do you have a 500 mega plan?", "¿tienen plan de 500 megas?"} {
		r := rd.Read(context.Background(), in, TurnContext("offer_agent"))
		if r.Has(ActAffirm) || r.Choice != 0 {
			t.Errorf("%q: acts %s, choice %d; want no yes", in, r.Acts, r.Choice)
		}
	}
	// a yes with it stays one
	if r := rd.Read(context.Background(), "sim, tem plano de 500 mega?", TurnContext("offer_agent")); !r.Has(ActAffirm) {
		t.Errorf("%q: acts %s, want affirm", "sim, tem plano de 500 mega?", r.Acts)
	}
}

func TestConnectorAloneIsUnfinished(t *testing.T) {
	rd := &Reader{Lexicon: DefaultLexicon()}
	for _, tc := range []struct {
		state, in  string
		unfinished bool
		choice     int
	}{
		{state: "main_menu", in: "Also", unfinished: true},
		{state: "main_menu", in: "and...", unfinished: true},
		{state: "idle", in: "y", unfinished: true},
		{state: "idle", in: "tambien", unfinished: true},
		{state: "main_menu", in: "e também", unfinished: true},
		{state: "intake", in: "ah", unfinished: true},
		{state: "idle", in: "also my wifi is slow"},
		// "y" to a yes-or-no question is the yes
		{state: "confirm_update", in: "y", choice: 1},
	} {
		r := rd.Read(context.Background(), tc.in, TurnContext(tc.state))
		if r.Unfinished != tc.unfinished {
			t.Errorf("%s %q: unfinished %v, want %v", tc.state, tc.in, r.Unfinished, tc.unfinished)
		}
		if r.Unfinished && r.Acts != 0 {
			t.Errorf("%s %q: acts %s, want none", tc.state, tc.in, r.Acts)
		}
		if r.Choice != tc.choice {
			t.Errorf("%s %q: choice %d, want %d", tc.state, tc.in, r.Choice, tc.choice)
		}
	}
}

func TestRouterLightAndUpdateQuestions(t *testing.T) {
	rd := &Reader{Lexicon: DefaultLexicon()}
	for _, tc := range []struct {
		state, in string
		complaint bool
	}{
		// a router light that is orange or red is connection trouble
		{state: "main_menu", in: "the little light on the front of the box is orange", complaint: true},
		{state: "idle", in: "the router light went red", complaint: true},
		{state: "idle", in: "la lucecita del router está naranja", complaint: true},
		{state: "idle", in: "a luzinha do roteador tá laranja", complaint: true},
		{state: "idle", in: "o modem ficou vermelho, a luz vermelha acesa", complaint: true},
		// what an update cuts is a question, not a complaint
		{state: "idle", in: "¿se me va a cortar la tele también?"},
		{state: "idle", in: "will my TV be cut too?"},
		{state: "idle", in: "a TV vai cair também?"},
	} {
		r := rd.Read(context.Background(), tc.in, TurnContext(tc.state))
		if got := r.Has(ActConnectionComplaint); got != tc.complaint {
			t.Errorf("%s %q: acts %s, connection complaint %v, want %v", tc.state, tc.in, r.Acts, got, tc.complaint)
		}
	}
}

func TestGrievanceIsFrustrationAndNoYes(t *testing.T) {
	rd := &Reader{Lexicon: DefaultLexicon()}
	for _, tc := range []struct{ state, in string }{
		{"offer_agent", "y encima pago puntual todos los meses"},
		{"offer_agent", "and on top of that I pay on time every month"},
		{"offer_agent", "e ainda por cima pago tudo em dia"},
		{"intake", "ay no, mejor no, ya fue, igual nunca resuelven nada"},
		{"intake", "deixa pra lá, vocês nunca resolvem nada"},
	} {
		r := rd.Read(context.Background(), tc.in, TurnContext(tc.state))
		if !r.Has(ActFrustration) || r.Has(ActAffirm) || r.Choice == 1 && tc.state == "offer_agent" {
			t.Errorf("%s %q: acts %s, choice %d; want frustration, no yes", tc.state, tc.in, r.Acts, r.Choice)
		}
	}
}

func TestLanguageRequest(t *testing.T) {
	lex := DefaultLexicon()
	for _, tc := range []struct{ in, want string }{
		{"perdon mejor en español xfa", "es"}, {"pode falar em português?", "pt"}, {"English please", "en"},
		{"en ingles", "en"}, {"falo portugues", "pt"}, {"do you speak english or spanish", ""},
		{"update my router", ""}, {"my router came with a manual in english and i cant find the reset button anywhere", ""},
		{"no hablo inglés", ""}, {"não falo inglês", ""}, {"el menú del router está en inglés", ""}, {"o manual do modem está em inglês", ""},
		{"can we speak spanish?", "es"}, {"do you speak portuguese?", "pt"}, {"pode falar em espanhol?", "es"}, {"me hablas en inglés?", "en"},
		{"sorry, my english is bad, can we speak spanish?", "es"}, {"el router está en inglés, ayuda por favor", ""},
		{"English please, not spanish", "en"}, {"em inglês pfv, o atendente não fala português", "en"},
		{"can u explain in portuguese?", "pt"}, {"I speak spanish and english, either is fine", ""},
		{"le explico en español al agente luego", ""},
	} {
		if got, _ := lex.LanguageRequest(tc.in); got != tc.want {
			t.Errorf("LanguageRequest(%q)=%q, want %q", tc.in, got, tc.want)
		}
	}
}

// The phone's country code and the contact's locale are read from intents/langs: the
// longest prefix wins (+1 809 is the Dominican Republic, not any +1 number).
func TestLanguagePriors(t *testing.T) {
	for _, tc := range []struct{ phone, want string }{
		{"+5511987654321", "pt"}, {"+5215512345678", "es"}, {"+34600111222", "es"}, {"+351912345678", "pt"},
		{"+18095551234", "es"}, {"+14155550100", ""}, {"+447700900123", ""}, {"", ""},
	} {
		if got := LanguageFromPhone(tc.phone); got != tc.want {
			t.Errorf("LanguageFromPhone(%q)=%q, want %q", tc.phone, got, tc.want)
		}
	}
	for _, tc := range []struct{ locale, want string }{{"pt_BR", "pt"}, {"es-AR", "es"}, {"en", "en"}, {"spa", "es"}, {"fr", ""}} {
		if got := LanguageFromLocale(tc.locale); got != tc.want {
			t.Errorf("LanguageFromLocale(%q)=%q, want %q", tc.locale, got, tc.want)
		}
	}
	if got := Languages(); !slices.Equal(got, []string{"en", "es", "pt"}) {
		t.Errorf("Languages()=%v, want en, es, pt from intents/langs", got)
	}
}

func TestContactTopicReadOnlyWhereAsked(t *testing.T) {
	// a classifier that hears the contact topic in everything: it stands only where the
	// words ask how or when to reach the telco
	rd := &Reader{NLU: topicNLU(ContactIntent), Lexicon: DefaultLexicon()}
	for in, want := range map[string]string{
		"toda hora":                       OutOfScope,
		"pelo numero dele":                OutOfScope,
		"which time zone is that?":        OutOfScope,
		"como falo com vcs":               ContactIntent,
		"do you have a whatsapp number?":  ContactIntent,
		"¿cómo hablo con ustedes?":        ContactIntent,
		"what time do you open tomorrow?": ContactIntent,
	} {
		r := rd.Read(context.Background(), in, TurnContext("main_menu"))
		if r.Intent != want {
			t.Errorf("%q: intent %s, want %s", in, r.Intent, want)
		}
		if want == OutOfScope && slices.ContainsFunc(r.Ranked, func(s Scored) bool { return s.Intent == ContactIntent }) {
			t.Errorf("%q: contact still ranked: %v", in, r.Ranked)
		}
	}
}

func TestPersonRefusedIsNoRequestForOne(t *testing.T) {
	// "not to talk to an agent": the person named is the one not wanted, whatever the
	// classifier hears; a person asked for stays one
	rd := &Reader{NLU: topicNLU(HumanAgent), Lexicon: DefaultLexicon()}
	for in, want := range map[string]bool{
		"eu pedi pra atualizar de novo, não pra falar com atendente": false,
		"i asked you to update it again, not to talk to an agent":    false,
		"te pedí que lo actualizaras, no hablar con un agente":       false,
		"quero falar com um atendente":                               true,
		"can i talk to an agent please":                              true,
	} {
		r := rd.Read(context.Background(), in, TurnContext("confirm_update"))
		if r.Has(ActAskPerson) != want || r.NamesAgent != want {
			t.Errorf("%q: acts %s, names agent %v; want a person asked for: %v", in, r.Acts, r.NamesAgent, want)
		}
	}
}

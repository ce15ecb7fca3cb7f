package intents

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

//go:embed langs/*.yaml
var langFiles embed.FS

// Language is what tells one language: its words, its contacts' locales, its phone
// prefixes (intents/langs/CODE.yaml). A language is added by adding its file.
type Language struct {
	Code          string   `yaml:"-"`
	Name          string   `yaml:"name"`
	Locales       []string `yaml:"locales"`
	PhonePrefixes []string `yaml:"phone_prefixes"`
	Words         string   `yaml:"words"`
}

// knownLanguages are the languages of intents/langs, read once, in code order.
var knownLanguages = func() []Language {
	entries, err := fs.ReadDir(langFiles, "langs")
	if err != nil {
		panic(err)
	}
	var out []Language
	for _, e := range entries {
		data, err := fs.ReadFile(langFiles, path.Join("langs", e.Name()))
		if err != nil {
			panic(err)
		}
		l := Language{Code: strings.TrimSuffix(e.Name(), ".yaml")}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&l); err != nil {
			panic(fmt.Sprintf("intents/langs/%s: %v", e.Name(), err))
		}
		out = append(out, l)
	}
	return out
}()

// AddLanguages adds the languages of dir/langs/*.yaml (BOT_LANGUAGES_DIR: an operator's
// own, in the format of intents/langs) to those detection knows, or adds to the words,
// locales and phone prefixes of one it knows. It changes what every caller of the package
// sees: call it once at start, before any text is read or any classifier trained.
func AddLanguages(dir string) error {
	fsys := os.DirFS(dir)
	entries, err := fs.ReadDir(fsys, "langs")
	if err != nil {
		return fmt.Errorf("%s/langs: %w", dir, err)
	}
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".yaml" {
			continue
		}
		data, err := fs.ReadFile(fsys, path.Join("langs", e.Name()))
		if err != nil {
			return err
		}
		l := Language{Code: strings.TrimSuffix(e.Name(), ".yaml")}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&l); err != nil {
			return fmt.Errorf("%s/langs/%s: %w", dir, e.Name(), err)
		}
		if i := slices.IndexFunc(knownLanguages, func(k Language) bool { return k.Code == l.Code }); i >= 0 {
			k := &knownLanguages[i]
			k.Words += " " + l.Words
			k.Locales = append(k.Locales, l.Locales...)
			k.PhonePrefixes = append(k.PhonePrefixes, l.PhonePrefixes...)
			continue
		}
		knownLanguages = append(knownLanguages, l)
		languages = append(languages, l.Code)
	}
	lexOnce = sync.Once{} // detection reads the words anew
	return nil
}

// Languages returns the codes of the languages the bot reads ("en", "es", "pt").
func Languages() []string { return slices.Clone(languages) }

var (
	lexOnce sync.Once
	lexW    map[string]map[string]float64 // word -> language -> weight
	triProf map[string]map[string]float64 // language -> trigram -> log probability
	triUnk  map[string]float64
)

func loadLexicon() {
	lexW = map[string]map[string]float64{}
	for _, lang := range knownLanguages {
		l := lang.Code
		for _, w := range strings.Fields(lang.Words) {
			if lexW[w] == nil {
				lexW[w] = map[string]float64{}
			}
			lexW[w][l] = 1
		}
	}
	for _, m := range lexW {
		for l := range m {
			m[l] = 1 / float64(len(m))
		}
	}
	// Character trigram profiles from the embedded examples settle texts the lexicon
	// cannot, such as "router no funciona" against "router nao funciona".
	triProf, triUnk = map[string]map[string]float64{}, map[string]float64{}
	counts := map[string]map[string]float64{}
	ds := Default()
	add := func(l, text string) {
		if counts[l] == nil {
			counts[l] = map[string]float64{}
		}
		for _, g := range trigrams(fold(text)) {
			counts[l][g]++
		}
	}
	for _, in := range ds.Intents {
		for l, ts := range in.Examples {
			for _, t := range ts {
				add(l, t)
			}
		}
	}
	for l, ts := range ds.OOS {
		for _, t := range ts {
			add(l, t)
		}
	}
	for l, c := range counts {
		var total float64
		for _, n := range c {
			total += n
		}
		v := float64(len(c)) + 1
		triProf[l] = map[string]float64{}
		for g, n := range c {
			triProf[l][g] = math.Log((n + 1) / (total + v))
		}
		triUnk[l] = math.Log(1 / (total + v))
	}
}

func trigrams(ws []string) []string {
	var out []string
	for _, w := range ws {
		p := []rune(" " + w + " ")
		for i := 0; i+3 <= len(p); i++ {
			out = append(out, string(p[i:i+3]))
		}
	}
	return out
}

// DetectLanguage tells whether text is English ("en"), Spanish ("es") or Portuguese ("pt"),
// or "" when it is too short or mixed to tell ("ok", "1", "router"), so that the caller
// keeps the language it had.
func DetectLanguage(text string) (lang string, confidence float64) {
	lexOnce.Do(loadLexicon)
	ws := fold(text)
	if len(ws) == 1 && utf8.RuneCountInString(ws[0]) <= 2 {
		if ws[0] == "oi" {
			return "pt", 1 // the Brazilian "hi", often a customer's first word
		}
		return "", 0 // "y", "k", "n", "ok": a reply too short to tell
	}
	score := wordScore(text, ws)
	best, second := rank(score)
	if score[best] >= 1 && score[best]-score[second] >= 0.5 {
		return best, score[best] / (score[best] + score[second])
	}
	// The lexicon is undecided: fall back on trigrams if there is enough text.
	return byTrigrams(ws, score)
}

// wordScore is the lexicon's score of each language for text (folded to ws).
func wordScore(text string, ws []string) map[string]float64 {
	score := map[string]float64{}
	var unsqueezed []string // the words before squeezing: "yyy" squeezed to "y" is no "y"
	for _, w := range ws {
		if utf8.RuneCountInString(w) == 1 {
			if unsqueezed == nil {
				unsqueezed = strings.Fields(clean(text))
			}
			if !slices.Contains(unsqueezed, w) {
				continue
			}
		}
		m, ok := lexW[w]
		if !ok {
			if e, ok2 := chatSpelling[w]; ok2 {
				m, ok = lexW[strings.Fields(e)[0]]
			}
		}
		if n := len(w); !ok && n >= 4 && w[n-1] == w[n-2] {
			m, ok = lexW[w[:n-1]] // "obrigadaa", "graciass": squeeze keeps a double letter
		}
		if !ok && len(w) >= 4 && strings.Trim(w, "ja") == "" && strings.HasPrefix(w, "ja") {
			m, ok = map[string]float64{"es": 1}, true // "jajaja", how Spanish speakers laugh
		}
		if ok {
			for l, v := range m {
				score[l] += v
			}
		}
	}
	lower := strings.ToLower(text)
	if strings.ContainsAny(lower, "ñ¿¡") {
		score["es"]++
	}
	if strings.ContainsAny(lower, "ãõç") {
		score["pt"]++
	}
	return score
}

// LanguageWords is how much of text each language's words make: a word of one language
// counts 1, a word of several is split evenly among them ("no" is Spanish and English),
// and "ñ¿¡" or "ãõç" count one more. "ok cool, it worked? el internet ya está bien?" has
// words of both English and Spanish; "gracias! valeu" one of Spanish, one of Portuguese.
func LanguageWords(text string) map[string]float64 {
	lexOnce.Do(loadLexicon)
	return wordScore(text, fold(text))
}

// byTrigrams tells the language of ws by character trigrams, with the lexicon's score as
// a prior, or "" when there is too little text or it is undecided.
func byTrigrams(ws []string, score map[string]float64) (lang string, confidence float64) {
	tg := trigrams(ws)
	if len(tg) < 12 {
		return "", 0
	}
	ll := map[string]float64{}
	for _, l := range languages {
		for _, g := range tg {
			if p, ok := triProf[l][g]; ok {
				ll[l] += p
			} else {
				ll[l] += triUnk[l]
			}
		}
		// A lexicon hit still counts, as a prior.
		ll[l] = ll[l]/float64(len(tg)) + 0.2*score[l]
	}
	best, second := rank(ll)
	if d := ll[best] - ll[second]; d >= 0.15 {
		return best, 1 / (1 + math.Exp(-10*d))
	}
	return "", 0
}

// SaysIn reports whether a word of text belongs to lang's lexicon: "ola" says Spanish
// (a common spelling of "hola") as well as Portuguese.
func SaysIn(lang, text string) bool {
	lexOnce.Do(loadLexicon)
	for _, w := range fold(text) {
		if lexW[w][lang] > 0 {
			return true
		}
	}
	return false
}

// rank returns the best and second-best language by score, in a fixed order on ties.
func rank(score map[string]float64) (best, second string) {
	best, second = languages[0], languages[1]
	if score[second] > score[best] {
		best, second = second, best
	}
	for _, l := range languages[2:] {
		switch {
		case score[l] > score[best]:
			best, second = l, best
		case score[l] > score[second]:
			second = l
		}
	}
	return best, second
}

// LanguageFromLocale maps a contact locale ("pt_BR", "es-AR", "en", "spa") to a
// language's code, or "" for none the bot reads.
func LanguageFromLocale(locale string) string {
	l := LocaleCode(locale)
	for _, lang := range knownLanguages {
		if slices.Contains(lang.Locales, l) {
			return lang.Code
		}
	}
	return ""
}

// LocaleCode is a locale's language part, lower case: "pt_BR" -> "pt", "fr-FR" -> "fr".
func LocaleCode(locale string) string {
	l := strings.ToLower(strings.TrimSpace(locale))
	if i := strings.IndexAny(l, "-_.@"); i >= 0 {
		l = l[:i]
	}
	return l
}

// LanguageFromPhone guesses a language from a phone number's country code (E.164, as
// WhatsApp gives it): +55 -> "pt", +52 -> "es", else "". It is a prior for a first
// message too short to tell ("ola", "buenas"), never a verdict.
func LanguageFromPhone(phone string) string {
	digits := strings.TrimLeft(strings.TrimSpace(phone), "+")
	best, code := 0, ""
	for _, lang := range knownLanguages {
		for _, p := range lang.PhonePrefixes {
			if len(p) > best && strings.HasPrefix(digits, p) {
				best, code = len(p), lang.Code
			}
		}
	}
	return code
}

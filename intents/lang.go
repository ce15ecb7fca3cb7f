package intents

import (
	"math"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// lexicon lists words (as fold writes them, shorthand included) that point to a language.
// A word in several lists counts for each, split evenly.
var lexicon = map[string]string{
	"en": `the an and or is are was were be been am i im me my mine you your u ur we our they it its
		this that these those what whats how hows why when where who which with without to of for from
		in on at by not no dont doesnt cant isnt can could would should will do does did have has had
		need want wanna please pls plz thanks thank thx ty tks hello hi hey yes yeah yep nope just get
		got still since yesterday today again now help talk speak someone person real update upgrade
		working work there here some any all good morning afternoon evening night bye goodbye cheers
		sorry know going much very stop cancel never mind lol upd8 idk rn asap gonna try retry same before still change changed anymore nothing`,
	"es": `el la los las lo un una unos unas y en con mi mis tu tus su sus del al si no que q k ke por para
		pa muy bien bn hola gracias grax grcs quiero quisiera hablar esta estoy estas donde dnd cuando
		porque pq xq pk pero mas tambien tb tmb ya ahora hoy ayer dia dias buenos buenas tardes noches
		necesito puedes puede ayuda ayudame actualizar actualiza actualices tengo tiene hace hacer nada
		todo usted ud vos yo mucho funciona cancelar vale dale claro eso esto ese esa aqui sin hasta
		quiere alguien persona agente humano onda tal saludos chao adios xfa porfa pf porfis favor me se
		como cual cuanto va sigue seguir actualizacion enrutador señor senor oye che holi holis buen
		wena wenas ola de este mes otra otro vez nuevo nueva nuevamente intentar intenta intente reintentar cayo lentisimo`,
	"pt": `o os as um uma e em com meu minha meus minhas do da dos das no na nos nas de que q por para pra
		pro muito mto mt bem oi ola obrigado obrigada obg obgd brigado valeu vlw quero queria falar esta
		estou ta onde quando porque pq mas tambem tbm ja agora hoje ontem dia dias bom boa tardes noite
		preciso pode ajuda atualizar atualiza atualizacao tenho tem faz fazer nada tudo td voce vc vcs
		eu cancelar claro isso isto esse essa aqui sem ate alguem pessoa atendente agente humano tchau
		beleza blz nao naum sim hj agr cmg me se como qual quanto vai roteador moca moco cara ai opa
		eae eai iae oii oie salve este mes outra outro vez novo nova novamente tentar tenta tente desisti caiu`,
}

var (
	lexOnce sync.Once
	lexW    map[string]map[string]float64 // word -> language -> weight
	triProf map[string]map[string]float64 // language -> trigram -> log probability
	triUnk  map[string]float64
)

func loadLexicon() {
	lexW = map[string]map[string]float64{}
	for l, ws := range lexicon {
		for _, w := range strings.Fields(ws) {
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
	best, second := rank(score)
	if score[best] >= 1 && score[best]-score[second] >= 0.5 {
		return best, score[best] / (score[best] + score[second])
	}
	// The lexicon is undecided: fall back on trigrams if there is enough text.
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
	best, second = rank(ll)
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

// LanguageFromLocale maps a contact locale ("pt_BR", "es-AR", "en", "spa") to "en", "es",
// "pt", or "" for anything else.
func LanguageFromLocale(locale string) string {
	l := strings.ToLower(strings.TrimSpace(locale))
	if i := strings.IndexAny(l, "-_.@"); i >= 0 {
		l = l[:i]
	}
	switch l {
	case "en", "eng", "english":
		return "en"
	case "es", "spa", "spanish", "español", "espanol":
		return "es"
	case "pt", "por", "portuguese", "português", "portugues":
		return "pt"
	}
	return ""
}

// LanguageFromPhone guesses a language from a phone number's country code (E.164, as
// WhatsApp gives it): +55 and the other Portuguese-speaking codes -> "pt", the
// Spanish-speaking ones -> "es", else "". It is a prior for a first message too short
// to tell ("ola", "buenas"), never a verdict.
func LanguageFromPhone(phone string) string {
	digits := strings.TrimLeft(strings.TrimSpace(phone), "+")
	for _, c := range phonePrefixes {
		if strings.HasPrefix(digits, c.prefix) {
			return c.lang
		}
	}
	return ""
}

// phonePrefixes are the country codes of the Spanish- and Portuguese-speaking countries,
// the longer before any shorter one they start with.
var phonePrefixes = []struct{ prefix, lang string }{
	{"55", "pt"}, {"351", "pt"}, {"244", "pt"}, {"258", "pt"}, {"238", "pt"}, {"245", "pt"}, {"239", "pt"}, {"670", "pt"},
	{"34", "es"}, {"52", "es"}, {"54", "es"}, {"56", "es"}, {"57", "es"}, {"51", "es"}, {"58", "es"}, {"593", "es"},
	{"591", "es"}, {"595", "es"}, {"598", "es"}, {"502", "es"}, {"503", "es"}, {"504", "es"}, {"505", "es"}, {"506", "es"},
	{"507", "es"}, {"53", "es"}, {"1809", "es"}, {"1829", "es"}, {"1849", "es"}, {"1787", "es"}, {"1939", "es"}, {"240", "es"},
}

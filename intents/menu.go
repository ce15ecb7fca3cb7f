package intents

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// MenuItem is one option of an open menu, as sent to WhatsApp (a button or list row).
type MenuItem struct {
	Title, Value string
}

// menuVariants are the typed replies that mean a well-known menu value.
var menuVariants = map[string][]string{
	"yes": {"yes", "y", "yeah", "yea", "yep", "yup", "ok", "okay", "okey", "oki", "k", "sure", "of course", "si",
		"dale", "claro", "vale", "de acuerdo", "por supuesto", "sim", "pode", "pode ser", "bora", "isso",
		"claro que sim", "claro que si", "com certeza", "afirmativo", "s"},
	"no": {"no", "nope", "nah", "nao", "n", "ahora no", "agora nao", "no thanks", "no gracias",
		"nao obrigado", "nao obrigada", "not now", "todavia no", "ainda nao", "negativo"},
	"retry": {"retry", "try again", "again", "try it again", "one more time", "reintentar", "reintenta", "intentar de nuevo",
		"intenta de nuevo", "intentalo de nuevo", "intentalo otra vez", "intenta otra vez", "otra vez", "de nuevo",
		"tentar de novo", "tenta de novo", "tentar novamente", "tenta novamente", "tenta outra vez", "de novo"},
	"agent":    {"agent", "human", "person", "a human", "an agent", "agente", "humano", "atendente", "persona", "pessoa", "un agente", "um atendente", "operator", "operador"},
	"cancel":   {"cancel", "stop", "cancelar", "parar", "para", "deixa", "deixa pra la", "deja", "dejalo", "olvidalo", "esquece"},
	"wait":     {"wait", "esperar", "espero", "aguardar", "aguardo", "espera", "aguarda", "i will wait", "i ll wait"},
	"continue": {"continue", "keep chatting", "keep going", "seguir", "continuar", "sigue", "seguir conversando", "continua", "continuar conversando"},
	"skip":     {"skip", "saltar", "omitir", "pular", "pula", "salta", "skip it"},
}

func init() {
	menuVariants["keep_chatting"] = menuVariants["continue"]
}

// politeness may surround a short menu reply without changing it ("yes please", "si xfa").
var politeness = map[string]bool{
	"please": true, "pls": true, "plz": true, "thanks": true, "thank": true, "you": true, "thx": true,
	"por": true, "favor": true, "xfa": true, "porfa": true, "pf": true, "gracias": true, "grax": true,
	"obrigado": true, "obrigada": true, "obg": true, "valeu": true, "vlw": true,
}

// numberWords introduce an option number: "option 2", "opcion 2", "opção 2", "#2".
var numberWords = map[string]bool{
	"option": true, "opcion": true, "opcao": true, "opc": true, "op": true, "opt": true,
	"number": true, "numero": true, "num": true, "nro": true, "no": true, "n": true, "la": true, "a": true, "el": true, "o": true,
}

// maxVariantWords keeps variants to short replies: "no" matches, "no internet since
// yesterday" goes to the classifier.
const maxVariantWords = 3

// MatchMenu matches a reply to an open menu: the item's title echoed back by a WhatsApp
// button, its 1-based number ("2", "option 2"), its value, or, for well-known values
// ("yes", "no", "retry", "agent", "cancel", "wait", "continue", "keep_chatting", "skip"),
// a short typed variant in English, Spanish or Portuguese. ok is false when nothing
// matches and the caller should classify the text instead.
func MatchMenu(text string, items []MenuItem) (index int, ok bool) {
	return matchMenu(text, items, true)
}

// MatchChoice matches a reply to choices that are not on the screen as numbered buttons
// (a typed "cancel" while a question waits, an old button tapped again): as MatchMenu, but
// a number is not a choice.
func MatchChoice(text string, items []MenuItem) (index int, ok bool) {
	return matchMenu(text, items, false)
}

func matchMenu(text string, items []MenuItem, numbers bool) (index int, ok bool) {
	// "👍", "perfect", "tá bom" to a question with a yes: yes.
	if IsUnderstood(text) {
		for i, it := range items {
			if strings.EqualFold(it.Value, "yes") {
				return i, true
			}
		}
	}
	ws := fold(text)
	if len(ws) == 0 {
		return 0, false
	}
	t := strings.Join(ws, " ")
	for i, it := range items {
		if t == strings.Join(fold(it.Title), " ") {
			return i, true
		}
	}
	for i, it := range items {
		if v := strings.Join(fold(strings.ReplaceAll(it.Value, "_", " ")), " "); v != "" && t == v {
			return i, true
		}
	}
	if n, ok := optionNumber(ws); numbers && ok && n >= 1 && n <= len(items) && !(len(ws) == 2 && offersNo(items) && (ws[0] == "no" || ws[0] == "n")) {
		// "no 1" is "No. 1" only where no button says no: in a yes/no menu it may be a
		// refusal, and taking it for button 1 (Yes) would restart a router.
		return n - 1, true
	}
	if v, ok := yesOrNo(ws); ok {
		for i, it := range items {
			if strings.EqualFold(it.Value, v) {
				return i, true
			}
		}
	}
	core := make([]string, 0, len(ws))
	for _, w := range ws {
		if !politeness[w] {
			core = append(core, w)
		}
	}
	if len(core) == 0 || len(core) > maxVariantWords {
		return 0, false
	}
	c := strings.Join(core, " ")
	for i, it := range items {
		for _, v := range menuVariants[strings.ToLower(it.Value)] {
			if c == v || t == v {
				return i, true
			}
		}
	}
	return 0, false
}

// Words of a typed yes or no: a reply is one when it has a word of yesCore (noCore) and
// every other word is in its filler list ("si dale", "yep go ahead", "sim pode", "no
// gracias, ahora no"); a word of both, or any other word, makes it neither.
var (
	yesCore   = wordSet("yes yeah yea yep yup yas sure ok okay okey oki si sip dale claro vale sim pode bora go hazlo adelante manda afirmativo ss s y isso certo")
	yesFiller = wordSet("please pls plz por favor porfa porfavor xfa pf ahead do it of course ver mete then entonces entao just let lets proceed procede ya va pues")
	noCore    = wordSet("no nope nah nao n not negativo nunca")
	noFiller  = wordSet("thanks thank you gracias obrigado obrigada now ahora agora todavia ainda mejor melhor later despues depois por favor please pls xfa pf thx")
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// yesOrNo reads a short reply made only of yes (or no) words: "yes" or "no", ok.
func yesOrNo(ws []string) (string, bool) {
	if len(ws) > 6 {
		return "", false
	}
	yes, no := false, false
	for _, w := range ws {
		yes, no = yes || yesCore[w], no || noCore[w]
	}
	if yes == no {
		return "", false
	}
	v, core, filler := "yes", yesCore, yesFiller
	if no {
		v, core, filler = "no", noCore, noFiller
	}
	for _, w := range ws {
		if !core[w] && !filler[w] {
			return "", false
		}
	}
	return v, true
}

// offersNo says whether a menu has a button that says no.
func offersNo(items []MenuItem) bool {
	for _, it := range items {
		if strings.EqualFold(it.Value, "no") {
			return true
		}
	}
	return false
}

func optionNumber(ws []string) (int, bool) {
	switch {
	case len(ws) == 1:
		n, err := strconv.Atoi(ws[0])
		return n, err == nil
	case len(ws) == 2 && numberWords[ws[0]]:
		n, err := strconv.Atoi(ws[1])
		return n, err == nil
	}
	return 0, false
}

// acknowledgements are replies that only say "understood", in the three languages.
var acknowledgements = map[string]bool{}

func init() {
	for _, a := range []string{
		"ok", "okay", "okey", "oki", "okk", "oks", "k", "kk", "alright", "all right", "got it", "gotcha",
		"understood", "cool", "fine", "great", "nice", "perfect", "sounds good", "noted", "ok cool", "ok great",
		"vale", "dale", "listo", "perfecto", "bueno", "genial", "entendido", "entiendo", "okas", "okis",
		"ok dale", "ok listo", "ok vale", "va", "sale", "joya", "buenisimo",
		"beleza", "blz", "certo", "ta", "ta bom", "ta certo", "entendi", "perfeito", "show", "joia",
		"fechado", "combinado", "ok beleza", "ok certo", "beleza entao", "suave", "tranquilo",
		"no problem", "no worries", "all good", "sin problema", "no hay problema", "todo bien",
		"sem problema", "de boa", "tudo certo", "tudo bem entao",
		"ah ok", "ok ok", "ntp",
	} {
		acknowledgements[a] = true
	}
	for _, a := range []string{
		"bye", "ok bye", "bye bye", "goodbye", "chao", "chau", "tchau", "flw", "adios", "nothing else", "thats all",
		"that s all", "eso es todo", "nada mas", "nada mais", "so isso", "e so isso", "im good", "i m good",
		"thats it", "that s it", "e so", "nada nao", "i m fine", "im fine", "estoy bien", "to bem",
		"haha", "hahaha", "jaja", "jajaja", "rsrs", "rs", "lol",
	} {
		closings[a] = true
	}
}

// closings end a chat or only laugh ("bye", "só isso", "kkkk"): acknowledgements, but
// never a yes to a question.
var closings = map[string]bool{}

// ackEmoji are emoji that say "understood" on their own (true), or only thank, love or
// laugh (false: a closing, never a yes).
var ackEmoji = map[rune]bool{'👍': true, '👌': true, '✅': true, '💪': true,
	'🙂': false, '😊': false, '👏': false, '😀': false, '😁': false, '🙏': false, '❤': false, '😂': false, '🤣': false, '😅': false}

// IsAcknowledgement reports whether text only says "understood" ("ok", "vale", "beleza",
// "got it", 👍) or closes the chat ("bye", "só isso", "kkkk", 🙏). The caller decides what
// that answers; a menu with a yes takes the first kind as yes (see acknowledges).
func IsAcknowledgement(text string) bool {
	understood, closing := acknowledges(text)
	return understood || closing
}

// IsUnderstood reports the first kind of acknowledgement alone: "ok", "vale", 👍, not
// "bye" or "kkkk".
func IsUnderstood(text string) bool {
	understood, _ := acknowledges(text)
	return understood
}

// acknowledges tells the two kinds of IsAcknowledgement apart.
func acknowledges(text string) (understood, closing bool) {
	if ws := fold(text); len(ws) > 0 {
		t := strings.Join(ws, " ")
		return acknowledgements[t], closings[t]
	}
	understood, seen := true, false
	for _, r := range text {
		yes, isEmoji := ackEmoji[r]
		switch {
		case isEmoji:
			seen = true
			understood = understood && yes
		case unicode.IsSpace(r), r == '\uFE0F', r >= 0x1F3FB && r <= 0x1F3FF: // variation selector, skin tones
		default:
			return false, false
		}
	}
	return seen && understood, seen && !understood
}

// negatedCancel is a negation one or two words before a cancel, with no punctuation
// between: "no lo canceles", "não cancela", "don't cancel it", but not "no, cancel it".
var negatedCancel = regexp.MustCompile(`(?i)(^|[^\pL])(no|n[aã]o|not|don'?t|nunca|never)\s+([^\s,.;:!?]+\s+)?cancel`)

// NegatedCancel reports a text that says not to cancel, which the classifier takes for a
// cancel ("I don't need the agent anymore, cancel" is a cancel).
func NegatedCancel(text string) bool {
	return negatedCancel.MatchString(text)
}

// connectionWords name the connection; troubleWords say something is wrong with it.
var (
	connectionWords = wordSet("internet net wifi conexion conexao connection conection signal senal sinal velocidad velocidade speed")
	troubleWords    = wordSet("slow lento lenta lentissimo lentisimo lag no not nao sin sem without down cae caida caido cayo caindo cai caiu drops dropping cutting cuts falla fallando falha ruim mal bad problem problema problemas funciona funcionar funcionando working works corta cortando offline igual same intermitente didnt doesnt mudou fue foi went gone")
)

// ChangeOfMind reports a customer going back on a request for another ("update my router
// instead", "actually I want to update my router", "mejor actualiza el router", "na
// verdade quero atualizar o roteador"), not a description that only opens with "actually"
// ("actually I already updated the router"): a word of instead anywhere, or an opening
// "actually", "mejor", "melhor", "na verdade" with a word of wanting.
func ChangeOfMind(text string) bool {
	ws := fold(text)
	want := false
	for _, w := range ws {
		switch w {
		case "instead", "rather", "prefiero", "prefiro":
			return true
		case "want", "wanna", "quiero", "quero", "actualiza", "actualizalo", "atualiza", "atualize":
			want = true
		}
	}
	t := strings.Join(ws, " ")
	opens := false
	for _, p := range []string{"actually ", "mejor ", "melhor ", "na verdade ", "en vez ", "em vez "} {
		opens = opens || strings.HasPrefix(t, p) || strings.HasPrefix(t, "no "+p) || strings.HasPrefix(t, "nao "+p)
	}
	return opens && want || strings.Contains(t, "en vez de") || strings.Contains(t, "em vez de")
}

// NoAndClosing reports a no followed by a closing ("no that's all", "não, só isso", "no,
// nada más"); "no tengo internet" or "no, but my internet is slow" are none.
func NoAndClosing(text string) bool {
	ws := fold(text)
	if len(ws) < 2 || !noCore[ws[0]] {
		return false
	}
	rest := strings.Join(ws[1:], " ")
	return closings[rest] || acknowledgements[rest]
}

var negations = wordSet("no not nao sin sem without")

// MentionsTrouble reports a text that says something is still wrong, connection named or
// not ("still not working", "continua igual", "didn't help"): after an update, a complaint.
func MentionsTrouble(text string) bool {
	for _, w := range fold(text) {
		if troubleWords[w] && !negations[w] { // "no sé" is no complaint
			return true
		}
	}
	return false
}

// MentionsConnection reports a complaint about the customer's connection ("my internet is
// slow", "no tengo internet", "o wifi tá caindo"), which the bot cannot classify but can
// answer with what it does; "how do I change my wifi password" is none.
func MentionsConnection(text string) bool {
	connection, trouble := false, false
	for _, w := range fold(text) {
		connection = connection || connectionWords[w]
		trouble = trouble || troubleWords[w]
	}
	return connection && trouble
}

// wrongRouterPhrases say the router named is not the customer's, as fold writes them.
var wrongRouterPhrases = []string{
	"not my router", "not my modem", "wrong router", "wrong modem", "wrong number", "wrong serial", "different router",
	"another router", "not that one", "not this one", "ese no es", "no es mi router", "no es mi modem", "no es ese",
	"otro router", "otro modem", "numero equivocado", "esse nao e", "nao e esse", "nao e meu roteador",
	"nao e o meu roteador", "nao e meu modem", "outro roteador", "outro modem", "numero errado", "roteador errado",
}

// WrongRouter reports a customer saying the router the bot named is not theirs ("that's not
// my router", "ese no es", "esse não é o meu roteador").
func WrongRouter(text string) bool {
	t := " " + strings.Join(fold(text), " ") + " "
	for _, p := range wrongRouterPhrases {
		if strings.Contains(t, " "+p+" ") {
			return true
		}
	}
	return false
}

// agentWords name a person to talk to, as fold writes them.
var agentWords = wordSet("agent agents human person someone somebody representative operator agente agentes humano persona alguien operador atendente pessoa alguem")

// MentionsAgent reports a text that names a person to talk to ("an agent", "alguien",
// "um atendente").
func MentionsAgent(text string) bool {
	for _, w := range fold(text) {
		if agentWords[w] {
			return true
		}
	}
	return false
}

// serialSearchWords say a customer cannot find the serial number or asks where it is, as
// fold writes them ("acho" only after a no: alone it is also "I think").
var serialSearchWords = wordSet("find see where encuentro encontrar encuentra donde encontro encontrei encontrando achei achando onde cade")

// LookingForSerial reports a customer who cannot find the serial number or asks where it
// is: "I can't find it", "no lo encuentro", "onde fica?", "não acho".
func LookingForSerial(text string) bool {
	ws := fold(text)
	for i, w := range ws {
		if serialSearchWords[w] || w == "acho" && i > 0 && ws[i-1] == "nao" {
			return true
		}
	}
	return false
}

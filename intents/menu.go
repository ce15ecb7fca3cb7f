package intents

import (
	"strconv"
	"strings"
)

// MenuItem is one option of an open menu, as sent to WhatsApp (a button or list row).
type MenuItem struct {
	Title, Value string
}

// menuVariants are the typed replies that mean a well-known menu value.
var menuVariants = map[string][]string{
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
// ("retry", "agent", "cancel", "wait", "continue", "keep_chatting", "skip"), a short
// typed variant in English, Spanish or Portuguese. ok is false when nothing
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

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
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

package intents

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// Reading is everything the bot takes from one customer turn, read once: the request
// the classifier tells, the dialogue acts, and the entities (a menu choice, serial
// numbers, a language asked for). The dialogue decides on it and reads nothing else.
type Reading struct {
	Text string
	// Lang is the language the text is written in, "" when it is too short or mixed to tell.
	Lang string
	// Intent and Confidence are the classifier's; Intent is OutOfScope when it did not
	// know, or when it was not asked (a tapped button) or failed (Err).
	Intent     string
	Confidence float64
	Acts       Acts
	// Choice is the 1-based item of the open menu the text picks; 0 for none.
	Choice int
	// Serials are the words that are router serial numbers, upper-cased, each once.
	Serials []string
	// Language is the language asked for, with ActLanguageRequest.
	Language string
	// Words counts the text's words; Question is set when it asks something.
	Words    int
	Question bool
	// Err is the classifier's error, when it failed (the reading goes on without it).
	Err error
}

// Has reports whether the turn performs act a.
func (r Reading) Has(a Act) bool { return r.Acts.Has(a) }

// Context is what the reader needs to know of the conversation: the question open and
// the buttons on the screen.
type Context struct {
	State string
	Menu  []MenuItem
	// Yes and No are the values of the menu items a yes and a no pick ("yes" and "no" on
	// the update's confirmation, "agent" and "continue" on the offer of an agent); "" when
	// the question is no yes-or-no one.
	Yes, No string
}

// Reader reads customer turns: one pass of the classifier, the acts' word lists and the
// entities.
type Reader struct {
	NLU     NLU
	Lexicon *Lexicon
	// SerialPattern checks a router serial number; nil takes any word of six characters
	// or more with a digit.
	SerialPattern *regexp.Regexp
}

// Read reads one turn. The classifier is asked once, and not at all for a button tapped
// (the text is a title or a number of the menu on the screen).
func (rd *Reader) Read(ctx context.Context, raw string, in Context) Reading {
	lex := rd.Lexicon
	if lex == nil {
		lex = defaultLexicon()
	}
	r := Reading{Text: raw, Intent: OutOfScope}
	ws := fold(raw)
	r.Words = len(ws)
	r.Question = strings.Contains(raw, "?") || r.Words > 0 && questionWords[ws[0]]
	r.Acts = lex.Acts(raw)
	if r.Has(ActLanguageRequest) {
		r.Language, _ = lex.LanguageRequest(raw)
	}
	r.Serials = rd.serials(raw)
	if i, ok := MatchMenu(raw, in.Menu); ok {
		r.Choice = i + 1
	}
	tapped := r.Choice > 0 && tappedExactly(raw, in.Menu)
	if !tapped && rd.NLU != nil {
		res, err := rd.NLU.Classify(ctx, raw)
		if err != nil {
			r.Err = err
		} else {
			r.Intent, r.Confidence = res.Intent, res.Confidence
		}
	}
	r.fuse()
	r.inContext(in, lex)
	if !(len(r.Serials) > 0 && r.Words <= 4) { // "S/N: ZX-9900-AB12" says nothing of the language
		r.Lang, _ = DetectLanguage(raw)
	}
	return r
}

// questionWords open a question without a question mark ("how long", "cuanto falta").
var questionWords = wordSet("how what when where why which who is are can could will do does did como cuando cuanto cuanta donde que qual quando quanto onde cade porque por")

// fuse joins what the classifier told to the acts its words said, where the two name the
// same thing, and settles the conflicts between acts.
func (r *Reading) fuse() {
	a := r.Acts
	switch r.Intent {
	case HumanAgent:
		// "un momento", "mejor en español": the classifier takes them for a request for a
		// person; the words did not say so.
		if !a.Has(ActLanguageRequest) && !a.Has(ActPolite) && !a.Has(ActAcknowledge) && r.Confidence >= 0.8 {
			a = a.With(ActAskPerson)
		}
	case Greeting:
		if r.Words <= 3 && !a.Has(ActGoodbye) {
			a = a.With(ActGreeting)
		}
	case Thanks:
		if !a.Has(ActGoodbye) && !a.Has(ActAcknowledge) && !a.Has(ActStatusQuestion) { // "ya quedó?" asks
			a = a.With(ActThanks)
		}
	case UpdateStatus:
		a = a.With(ActStatusQuestion)
	}
	// A goodbye or an acknowledgement is no cancel ("só isso", "ok deixa"), and a
	// request for a person in another language is no request for the language alone.
	if a.Has(ActGoodbye) && a.Has(ActCancel) {
		a = a.Without(ActCancel)
	}
	if a.Has(ActAffirm) && a.Has(ActDeny) {
		a = a.Without(ActAffirm).Without(ActDeny)
	}
	if a.Has(ActWhereSerial) && a.Has(ActCancel) {
		a = a.Without(ActCancel) // "I can't find it, forget it" is still about the label
	}
	r.Acts = a
}

// inContext reads the acts against the question open: to a yes-or-no question, "ok",
// 👍 or "porfa" is the yes; a yes or a no picks its button.
func (r *Reading) inContext(in Context, lex *Lexicon) {
	if in.Yes == "" && in.No == "" {
		return
	}
	a := r.Acts
	if in.Yes != "" && (a.Has(ActAcknowledge) || a.Only(ActPolite)) && !a.Has(ActGoodbye) && !a.Has(ActDeny) && !a.Has(ActThanks) {
		a = a.Without(ActAcknowledge).With(ActAffirm)
	}
	// "no, sigo con el bot", "nope, I'll keep chatting": a no that opens the reply is the
	// answer to a yes-or-no question, whatever follows.
	if first, _, cut := strings.Cut(r.Text, ","); cut && !a.Has(ActAffirm) && lex.Acts(first).Only(ActDeny) {
		a = a.With(ActDeny)
	}
	r.Acts = a
	if r.Choice != 0 {
		return
	}
	for i, it := range in.Menu {
		if a.Has(ActAffirm) && !a.Has(ActWrongRouter) && it.Value == in.Yes || a.Has(ActDeny) && !a.Has(ActWrongRouter) && it.Value == in.No {
			r.Choice = i + 1
		}
	}
}

// tappedExactly reports a text that is a menu item's title as WhatsApp sends it back, or
// its number: a tap, which needs no classifier.
func tappedExactly(raw string, menu []MenuItem) bool {
	t := strings.TrimSpace(raw)
	for i, it := range menu {
		if strings.EqualFold(t, it.Title) || t == string(rune('1'+i)) {
			return true
		}
	}
	return false
}

// serials finds the serial numbers of a text: the words that are one ("S/N:
// ZX-9900-AB12", "el número de serie es ZX-9900-AB12"), else a serial typed in groups
// ("zx 9900 ab12", "o numero é zx 9900 ab12"): two or three short groups in a row, two
// of them with a digit and one with a letter, joined by dashes as labels print them
// (or without, when only that matches the pattern).
func (rd *Reader) serials(text string) []string {
	words := strings.FieldsFunc(text, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(":;,/()\"'", r) })
	for i, w := range words {
		words[i] = strings.ToUpper(strings.TrimRight(w, ".!?"))
	}
	var found []string
	for _, w := range words {
		if rd.isSerial(w) && (rd.SerialPattern != nil || len(w) >= 6) && !slices.Contains(found, w) {
			found = append(found, w)
		}
	}
	if len(found) > 0 {
		return found
	}
	for n := 3; n >= 2; n-- {
		for i := 0; i+n <= len(words); i++ {
			if s, ok := rd.grouped(words[i : i+n]); ok {
				return []string{s}
			}
		}
	}
	return nil
}

// grouped joins the groups of a serial typed with spaces, if they make one.
func (rd *Reader) grouped(groups []string) (string, bool) {
	digits, letters := 0, false
	for _, g := range groups {
		if len(g) > 8 || !isAlnum(g) {
			return "", false
		}
		if strings.ContainsAny(g, "0123456789") {
			digits++
		}
		letters = letters || strings.ContainsFunc(g, unicode.IsLetter)
	}
	if digits < 2 || !letters {
		return "", false
	}
	for _, sep := range []string{"-", ""} {
		if s := strings.Join(groups, sep); rd.isSerial(s) && (rd.SerialPattern != nil || len(s) >= 6) {
			return s, true
		}
	}
	return "", false
}

func isAlnum(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}

// isSerial reports whether s can be a serial number: it has a digit (without that rule,
// "cancel" would match the default pattern) and matches the pattern when there is one.
func (rd *Reader) isSerial(s string) bool {
	return strings.ContainsAny(s, "0123456789") && (rd.SerialPattern == nil || rd.SerialPattern.MatchString(s))
}

// DefaultSerialPattern is ROUTER_ID_PATTERN's default: the serial numbers the bot takes
// when the operator sets none.
var DefaultSerialPattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{5,39}$`)

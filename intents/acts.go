package intents

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"unicode"

	"gopkg.in/yaml.v3"
)

// Act is a dialogue act: what a customer's message does in the conversation (says yes,
// thanks, asks for a person, calls something off), beside the request the intent
// classifier tells. One message may do several ("ok gracias": acknowledge and thanks).
type Act uint8

// The dialogue acts the bot reads. Their words are data: acts/*.yaml, one file a language.
const (
	ActAffirm              Act = iota // yes to the open question: "si dale", "sim pode"
	ActDeny                           // no: "nope", "ahora no", "não obrigado"
	ActAcknowledge                    // only says understood: "ok", "vale", 👍
	ActThanks                         // "gracias", "valeu"
	ActGoodbye                        // closes the chat: "bye", "hasta luego", "só isso"
	ActCancel                         // calls off the current thing, not negated ("no lo canceles" is none)
	ActChangeOfMind                   // goes back on a request for another: "actually, update my router instead"
	ActAskPerson                      // wants a human
	ActSkip                           // skips the question asked: "skip", "n/a", "pular"
	ActConnectionComplaint            // the connection is bad: "no tengo internet"
	ActOutageArea                     // the whole area is down: "no hay internet en todo el barrio"
	ActWrongRouter                    // the router named is not theirs
	ActWhereSerial                    // cannot find the serial number
	ActLanguageRequest                // asks for another language: "mejor en español xfa"
	ActGreeting                       // "hi", "oii", "buenas"
	ActRetry                          // "try again", "tenta de novo"
	ActPolite                         // politeness alone: "porfa", "please"
	ActFrustration                    // fed up: "this is ridiculous", "que absurdo"
	ActStatusQuestion                 // how the update goes: "ya quedó?", "is my router ok now?"
	ActLaugh                          // laughter alone: "kkkk", "jajaja", "lol"; understood, never a yes
	ActDeclineUpdate                  // refuses the update: "don't update it", "no lo actualices", "não precisa atualizar"
	ActAboutBot                       // asks whether they talk to a bot: "are you a real person?", "sos un bot?"
	ActOptOut                         // wants no more messages: "stop", "unsubscribe", "no me escriban más", "parem de me mandar msg"
	ActWorksNow                       // tells the service is back: "great it works now", "ya funciona", "voltou"
	ActSettingsQuestion               // asks whether the update keeps the Wi-Fi and settings: "will i lose my wifi password?", "¿se borra mi contraseña?"
	ActHowLong                        // asks how long it takes or how much is left: "how long?", "¿cuánto falta?", "demora muito?"
	ActUpdateHelps                    // asks whether an update would help: "would updating the router help?", "adianta atualizar?"
	ActComesBack                      // asks what if the problem comes back later: "what if it drops again tomorrow?", "e se cair de novo?"
	ActMyFault                        // asks whether they caused it: "is it my fault?", "¿hice algo mal?", "a culpa é minha?"
	numActs
)

var actNames = [numActs]string{
	"affirm", "deny", "acknowledge", "thanks", "goodbye", "cancel", "change_of_mind", "ask_person", "skip",
	"connection_complaint", "outage_area", "wrong_router", "where_serial", "language_request", "greeting",
	"retry", "polite", "frustration", "status_question", "laugh", "decline_update", "about_bot",
	"opt_out", "works_now", "settings_question", "how_long", "update_helps", "comes_back",
	"my_fault",
}

func (a Act) String() string {
	if a < numActs {
		return actNames[a]
	}
	return fmt.Sprintf("act(%d)", a)
}

// ParseAct returns the act named name ("affirm", "ask_person", ...).
func ParseAct(name string) (Act, bool) {
	i := slices.Index(actNames[:], name)
	return Act(i), i >= 0
}

// AllActs lists every act, in order.
func AllActs() []Act {
	out := make([]Act, numActs)
	for i := range out {
		out[i] = Act(i)
	}
	return out
}

// Acts is a set of acts.
type Acts uint32

// Has reports whether a is in the set.
func (s Acts) Has(a Act) bool { return s&(1<<a) != 0 }

// With returns the set with a added.
func (s Acts) With(a Act) Acts { return s | 1<<a }

// Without returns the set without a.
func (s Acts) Without(a Act) Acts { return s &^ (1 << a) }

// Only reports whether the set holds a and nothing else.
func (s Acts) Only(a Act) bool { return s == 1<<a }

// List returns the acts of the set in order.
func (s Acts) List() []Act {
	var out []Act
	for a := Act(0); a < numActs; a++ {
		if s.Has(a) {
			out = append(out, a)
		}
	}
	return out
}

func (s Acts) String() string {
	names := make([]string, 0, 4)
	for _, a := range s.List() {
		names = append(names, a.String())
	}
	return strings.Join(names, ",")
}

//go:embed acts/*.yaml
var actFiles embed.FS

// actRule is how one act matches, as an acts file writes it (see acts/en.yaml).
type actRule struct {
	Whole     []string `yaml:"whole"`
	Phrases   []string `yaml:"phrases"`
	Starts    []string `yaml:"starts"`
	Words     []string `yaml:"words"`
	Core      []string `yaml:"core"`
	Filler    []string `yaml:"filler"`
	Emoji     []string `yaml:"emoji"`
	Unless    []string `yaml:"unless"`
	Requires  []string `yaml:"requires"`
	MaxWords  int      `yaml:"max_words"`
	Negatable bool     `yaml:"negatable"`
}

type actFile struct {
	Negations     []string            `yaml:"negations"`
	ClauseBreaks  []string            `yaml:"clause_breaks"`
	Politeness    []string            `yaml:"politeness"`
	LanguageNames map[string]string   `yaml:"language_names"`
	LanguageCues  []string            `yaml:"language_cues"`
	Buttons       map[string][]string `yaml:"buttons"`
	Urges         []string            `yaml:"urges"`
	Connectors    []string            `yaml:"connectors"`
	SerialLabels  []string            `yaml:"serial_labels"`
	Openers       []string            `yaml:"openers"`
	Hesitations   []string            `yaml:"hesitations"`
	AsksAbout     map[string][]string `yaml:"asks_about"`
	// Lists are the plain phrase lists, by name (phraseLists).
	Lists map[string][]string `yaml:",inline"`
	Acts  map[string]actRule  `yaml:"acts"`
}

// matcher is one act's rule of every language together, folded.
type matcher struct {
	whole, phrases, unless []string
	starts, requires       []string
	words, core, filler    map[string]bool
	emoji                  map[rune]bool
	maxWords               int
	negatable              bool
}

// Lexicon is the words of the dialogue acts, of every language, ready to match.
type Lexicon struct {
	// lists are the plain phrase lists of the acts files, by name (phraseLists).
	lists      map[string][]string
	acts       [numActs]*matcher
	negations  map[string]bool
	breaks     map[string]bool
	politeness map[string]bool
	langNames  map[string]string
	langCues   map[string]bool
	buttons    map[string][]string // menu value -> typed phrases that pick it
	urges      map[string]bool     // "dale", "go ahead", "bora": a yes only to a yes-or-no question
	connectors map[string]bool     // "also", "y", "e": a message of one of these alone has more to come
	// serialLabels are the words a label prints before the serial ("S/N", "SN", "Nº"),
	// upper-cased as serials reads them: never a group of the serial typed after them.
	serialLabels map[string]bool
	vocab        map[string]bool // every word of the lists, for "graciass" -> "gracias"
	openers      map[string]bool // "va", "ok", "bueno": words that open a message and say nothing by themselves
	hesitations  map[string]bool // "mmm", "hmm", "bueno": words around a maybe that say nothing more
	// asksAbout are the phrases of what a question about a topic asks, by name: a question
	// the catalog's topics answer ("when is it due?": due_date) or a topic itself.
	asksAbout map[string][]string
	// Languages are the languages with an acts file.
	Languages []string
}

// DefaultLexicon is the embedded acts files.
func DefaultLexicon() *Lexicon {
	lex, err := LoadLexicon(actFiles, "acts")
	if err != nil {
		panic(err)
	}
	return lex
}

// LoadLexicon reads every LANG.yaml of dir in fsys.
func LoadLexicon(fsys fs.FS, dir string) (*Lexicon, error) {
	lex := newLexicon()
	return lex, lex.AddFiles(fsys, dir)
}

// WithLanguagesDir is the embedded acts with those of dir/acts/*.yaml added (an
// operator's own language: BOT_LANGUAGES_DIR); a file of an embedded language adds to it.
func WithLanguagesDir(dir string) (*Lexicon, error) {
	lex := DefaultLexicon()
	if _, err := fs.Stat(os.DirFS(dir), "acts"); err != nil {
		return lex, nil // no acts of its own: the language is detected, its acts are the others'
	}
	return lex, lex.AddFiles(os.DirFS(dir), "acts")
}

func newLexicon() *Lexicon {
	lex := &Lexicon{
		negations: map[string]bool{}, breaks: map[string]bool{}, politeness: map[string]bool{}, urges: map[string]bool{},
		connectors: map[string]bool{}, openers: map[string]bool{}, langNames: map[string]string{}, langCues: map[string]bool{}, buttons: map[string][]string{}, vocab: map[string]bool{},
		serialLabels: map[string]bool{}, asksAbout: map[string][]string{}, lists: map[string][]string{}, hesitations: map[string]bool{},
	}
	for i := range lex.acts {
		lex.acts[i] = &matcher{words: map[string]bool{}, core: map[string]bool{}, filler: map[string]bool{}, emoji: map[rune]bool{}}
	}
	return lex
}

// AddFiles adds every LANG.yaml of dir in fsys to the lexicon.
func (lex *Lexicon) AddFiles(fsys fs.FS, dir string) error {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || path.Ext(name) != ".yaml" {
			continue
		}
		data, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			return err
		}
		if err := lex.add(name, data); err != nil {
			return err
		}
		if code := strings.TrimSuffix(name, ".yaml"); !slices.Contains(lex.Languages, code) {
			lex.Languages = append(lex.Languages, code)
		}
		var all map[string]any
		if err := yaml.Unmarshal(data, &all); err == nil {
			addVocab(lex.vocab, all)
		}
	}
	return nil
}

func (lex *Lexicon) add(name string, data []byte) error {
	var f actFile
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return fmt.Errorf("acts file %s: %w", name, err)
	}
	// Word lists take an entry the shorthand expands to several words by its words:
	// "porfa" is "por" and "favor"; a negation by its last ("dont": "do not", "not").
	for _, w := range f.Negations {
		if ws := actWords(w); len(ws) > 0 {
			lex.negations[ws[len(ws)-1]] = true
		}
	}
	for _, w := range f.ClauseBreaks {
		lex.breaks[folded(w)] = true
	}
	for _, w := range f.Politeness {
		for _, x := range actWords(w) {
			lex.politeness[x] = true
		}
	}
	for w, l := range f.LanguageNames {
		lex.langNames[folded(w)] = l
	}
	for _, w := range f.LanguageCues {
		for _, x := range actWords(w) {
			lex.langCues[x] = true
		}
	}
	for list, ps := range f.Lists {
		if !phraseListSet[list] {
			return fmt.Errorf("acts file %s: no list is called %q", name, list)
		}
		lex.lists[list] = append(lex.lists[list], foldAll(ps)...)
	}
	for _, l := range f.SerialLabels {
		// split as serials splits a text, not folded: "n" is no shorthand for "nao" here
		for _, w := range serialWords(l) {
			lex.serialLabels[w] = true
		}
	}
	for _, w := range foldAll(f.Connectors) {
		lex.connectors[w] = true
	}
	for _, w := range foldAll(f.Openers) {
		lex.openers[w] = true
	}
	for _, w := range foldAll(f.Hesitations) {
		lex.hesitations[w] = true
	}
	for _, w := range foldAll(f.Urges) {
		lex.urges[w] = true
	}
	for name, ps := range f.AsksAbout {
		lex.asksAbout[name] = append(lex.asksAbout[name], foldAll(ps)...)
	}
	for v, ps := range f.Buttons {
		lex.buttons[v] = append(lex.buttons[v], foldAll(ps)...)
	}
	for actName, r := range f.Acts {
		a, ok := ParseAct(actName)
		if !ok {
			return fmt.Errorf("acts file %s: unknown act %q (known: %s)", name, actName, strings.Join(actNames[:], ", "))
		}
		m := lex.acts[a]
		m.whole = append(m.whole, foldAll(r.Whole)...)
		m.phrases = append(m.phrases, foldAll(r.Phrases)...)
		m.unless = append(m.unless, foldAll(r.Unless)...)
		m.starts = append(m.starts, foldAll(r.Starts)...)
		m.requires = append(m.requires, foldAll(r.Requires)...)
		for _, w := range foldAll(r.Words) {
			if strings.Contains(w, " ") {
				m.phrases = append(m.phrases, w) // "xfa": "por favor"
				continue
			}
			m.words[w] = true
		}
		for _, w := range foldAll(r.Core) {
			if strings.Contains(w, " ") {
				m.whole = append(m.whole, w) // "claro que sim": a whole reply of its own
				continue
			}
			m.core[w] = true
		}
		for _, w := range r.Filler {
			for _, x := range actWords(w) {
				m.filler[x] = true
			}
		}
		for _, e := range r.Emoji {
			for _, ch := range e {
				m.emoji[ch] = true
			}
		}
		m.maxWords = max(m.maxWords, r.MaxWords)
		m.negatable = m.negatable || r.Negatable
	}
	return nil
}

// actWords are the words the acts match on, of a text and of an acts file's entries alike:
// folded, with the WhatsApp shorthand expanded ("idk" -> "i do not know", "dnd" -> "donde",
// "agr n" -> "agora nao", "x ahora" -> "por ahora"), so that one entry serves both spellings.
func actWords(s string) []string { return words(s) }

// addVocab adds every word of the strings in v (an acts file as YAML values).
func addVocab(vocab map[string]bool, v any) {
	switch v := v.(type) {
	case string:
		for _, w := range actWords(v) {
			vocab[w] = true
		}
	case []any:
		for _, x := range v {
			addVocab(vocab, x)
		}
	case map[string]any:
		for k, x := range v {
			addVocab(vocab, k)
			addVocab(vocab, x)
		}
	}
}

// respell drops a doubled last letter the lists do not know the word with ("graciass",
// "valeuu", "buenass": "gracias", "valeu", "buenas").
func (lex *Lexicon) respell(ws []string) []string {
	for i, w := range ws {
		n := len(w)
		if n >= 3 && w[n-1] == w[n-2] && w[n-1] >= 'a' && w[n-1] <= 'z' && !lex.vocab[w] && lex.vocab[w[:n-1]] {
			ws[i] = w[:n-1]
		}
	}
	return ws
}

func folded(s string) string { return strings.Join(actWords(s), " ") }

func foldAll(in []string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		if f := folded(s); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// text is a message as the matchers see it: its folded words, the same joined and padded
// with spaces, and its clauses (split at punctuation and at the clause breaks, "but",
// "pero", "mas") for the negation scope and the core words.
type text struct {
	raw     string
	ws      []string
	padded  string
	core    string     // the words without politeness, joined
	clauses [][]string // the words of each clause
}

// hasAny reports a text in which one of phrases stands, word for word.
func (t text) hasAny(phrases []string) bool {
	return slices.ContainsFunc(phrases, func(p string) bool { return hasWords(t.padded, p) })
}

func newText(raw string, lex *Lexicon) text {
	t := text{raw: raw, ws: lex.respell(actWords(raw))}
	t.padded = " " + strings.Join(t.ws, " ") + " "
	core := make([]string, 0, len(t.ws))
	for _, w := range t.ws {
		if !lex.politeness[w] {
			core = append(core, w)
		}
	}
	t.core = strings.Join(core, " ")
	t.clauses = lex.clauses(raw)
	return t
}

// clauses splits raw at punctuation and at the clause breaks ("yeah but not now": "yeah",
// "not now"), folded; a break word opening the text stays ("but why").
func (lex *Lexicon) clauses(raw string) [][]string {
	return lex.split(raw, ",.;:!?¿¡\n", false)
}

// split splits raw, folded, at the marks and at the clause breaks; keepBreak keeps a break
// word opening the part after it ("but the wifi is gone"), else it is dropped. A break word
// opening the text always stays ("but why").
func (lex *Lexicon) split(raw, marks string, keepBreak bool) [][]string {
	var out [][]string
	for _, c := range strings.FieldsFunc(raw, func(r rune) bool { return strings.ContainsRune(marks, r) }) {
		var cur []string
		for _, w := range lex.respell(actWords(c)) {
			if lex.breaks[w] && len(cur) > 0 {
				out = append(out, cur)
				cur = nil
				if !keepBreak {
					continue
				}
			}
			cur = append(cur, w)
		}
		if len(cur) > 0 {
			out = append(out, cur)
		}
	}
	return out
}

// Acts reads the acts a message performs from its words alone.
func (lex *Lexicon) Acts(raw string) Acts {
	acts, _ := lex.read(raw)
	return acts
}

// read is, of one folding of raw, its acts and the acts the word lists rule out whatever
// else reads it: an act whose "unless" phrase is there ("sei onde tá" is no where_serial),
// one whose word limit the text passes (a long text is no bare "ok"), and a negatable act
// whose words are there negated ("no lo canceles", "não tenta de novo"). The learned
// reader adds no act they refuse.
func (lex *Lexicon) read(raw string) (acts, refused Acts) {
	t := newText(raw, lex)
	acts = lex.where(t, lex.matches)
	if _, ok := lex.LanguageRequest(raw); ok {
		acts = acts.With(ActLanguageRequest)
	}
	ruled := lex.where(t, lex.ruledOut)
	refused = ruled | lex.where(t, lex.refusesWords)
	if ruled != 0 {
		acts, refused = lex.readSentences(raw, t, ruled, acts, refused)
	}
	return acts, refused
}

// readSentences reads again, sentence by sentence, the acts an unless phrase ruled out of
// a text of several: an unless phrase rules its act out of its own sentence only. "Ok it's
// working now. But the wifi network is gone from my phone" complains in the second; "it
// works now" rules the complaint out of the first alone. A sentence ends at a full stop, a
// question or exclamation mark, a semicolon, a new line or a clause break ("but"). The
// act is in the text when a sentence of it says it; the learned reader may add it when a
// sentence of three words or more (politeness aside) has none of its unless phrases.
func (lex *Lexicon) readSentences(raw string, t text, ruled, acts, refused Acts) (Acts, Acts) {
	sentences := lex.sentences(raw)
	if len(sentences) < 2 {
		return acts, refused
	}
	texts := make([]text, len(sentences))
	for i, s := range sentences {
		texts[i] = newText(s, lex)
	}
	for _, a := range ruled.List() {
		free := false
		for _, st := range texts {
			if lex.matches(a, st) {
				acts = acts.With(a)
			}
			free = free || !lex.ruledOut(a, st) && len(strings.Fields(st.core)) >= 3
		}
		if free && !lex.refusesWords(a, t) {
			refused = refused.Without(a)
		}
	}
	return acts, refused
}

// sentences splits raw into its sentences, folded: at a full stop, a question or
// exclamation mark, a semicolon, a new line and the clause breaks ("but"); commas and
// colons stay inside.
func (lex *Lexicon) sentences(raw string) []string {
	var out []string
	for _, ws := range lex.split(raw, ".;!?¿¡\n", true) {
		out = append(out, strings.Join(ws, " "))
	}
	return out
}

func (lex *Lexicon) matches(a Act, t text) bool {
	m := lex.acts[a]
	if len(t.ws) == 0 {
		return len(m.emoji) > 0 && onlyEmoji(t.raw, m.emoji)
	}
	if m.maxWords > 0 && len(t.ws) > m.maxWords {
		return false
	}
	for _, u := range m.unless {
		if lex.unlessHit(t, u) {
			return false
		}
	}
	if len(m.requires) > 0 && !slices.ContainsFunc(m.requires, func(p string) bool { return lex.hasPhrase(t, p, true) }) {
		return false
	}
	joined := strings.TrimSpace(t.padded)
	for _, w := range m.whole {
		if joined == w || t.core == w {
			return true
		}
	}
	for _, p := range m.phrases {
		if lex.hasPhrase(t, p, m.negatable) {
			return true
		}
	}
	for _, w := range t.ws {
		if m.words[w] && !(m.negatable && lex.negatedWord(t, w)) {
			return true
		}
	}
	for _, p := range m.starts {
		if strings.HasPrefix(t.padded, " "+p+" ") {
			return true
		}
	}
	if len(m.core) > 0 {
		// A clause made only of core and filler words: "yes", "sí, actualízalo", the "not
		// now" of "yeah but not now", the "no" of "no, the other one".
		for _, c := range t.clauses {
			core, other := false, false
			for _, w := range c {
				switch {
				case m.core[w]:
					core = true
				case m.filler[w], lex.politeness[w]:
				default:
					other = true
				}
			}
			if core && !other {
				return true
			}
		}
	}
	return false
}

// where is the acts for which f holds of t.
func (lex *Lexicon) where(t text, f func(Act, text) bool) Acts {
	var s Acts
	for a := Act(0); a < numActs; a++ {
		if f(a, t) {
			s = s.With(a)
		}
	}
	return s
}

// ruledOut reports a text with one of act a's unless phrases.
func (lex *Lexicon) ruledOut(a Act, t text) bool {
	return slices.ContainsFunc(lex.acts[a].unless, func(u string) bool { return lex.unlessHit(t, u) })
}

// refusesWords reports a text that act a's word limit or a negation of its words refuses.
func (lex *Lexicon) refusesWords(a Act, t text) bool {
	m := lex.acts[a]
	if m.maxWords > 0 && len(t.ws) > m.maxWords {
		return true
	}
	if !m.negatable {
		return false
	}
	for _, p := range m.phrases {
		if hasWords(t.padded, p) && !lex.hasPhrase(t, p, true) {
			return true
		}
	}
	for _, w := range t.ws {
		if m.words[w] && lex.negatedWord(t, w) {
			return true
		}
	}
	return false
}

// hasWords reports whether padded, words between single spaces with one at each end,
// has the words of p in a row: strings.Contains(padded, " "+p+" ") without building the
// needle, which most of a message's reading is.
func hasWords(padded, p string) bool {
	for off := 0; off < len(padded); {
		i := strings.Index(padded[off:], p)
		if i < 0 {
			return false
		}
		i += off
		if i > 0 && padded[i-1] == ' ' && i+len(p) < len(padded) && padded[i+len(p)] == ' ' {
			return true
		}
		off = i + 1
	}
	return false
}

// hasPhrase finds p in t; a negatable phrase with a negation one or two words before it
// in the same clause does not count ("no lo canceles", but "no, cancélalo" does).
func (lex *Lexicon) hasPhrase(t text, p string, negatable bool) bool {
	if !hasWords(t.padded, p) {
		return false // nor in any clause, which is a run of the text's words
	}
	if !negatable {
		return true
	}
	needle := " " + p + " "
	for _, cws := range t.clauses {
		c := " " + strings.Join(cws, " ") + " "
		for off := 0; ; {
			i := strings.Index(c[off:], needle)
			if i < 0 {
				break
			}
			i += off
			before := strings.Fields(c[:i+1])
			negated := false
			for k := len(before) - 1; k >= 0 && k >= len(before)-2; k-- {
				negated = negated || lex.negations[before[k]]
			}
			if !negated {
				return true
			}
			off = i + 1
		}
	}
	// A phrase across a clause break ("una vez más": Portuguese "mas" breaks clauses)
	// stands as typed, with the negation before it in the text.
	if strings.Contains(t.padded, needle) && !slices.ContainsFunc(t.clauses, func(c []string) bool {
		return strings.Contains(" "+strings.Join(c, " ")+" ", needle)
	}) {
		before := strings.Fields(t.padded[:strings.Index(t.padded, needle)+1])
		for k := len(before) - 1; k >= 0 && k >= len(before)-2; k-- {
			if lex.negations[before[k]] {
				return false
			}
		}
		return true
	}
	return false
}

// unlessHit finds an unless phrase u in t, not negated, within a sentence: "sei onde tá"
// (I know where it is) is one, "não sei onde tá" is not, nor is "não e só isso" in "não,
// é só isso".
func (lex *Lexicon) unlessHit(t text, u string) bool {
	if !hasWords(t.padded, u) {
		return false
	}
	inSentence := false
	for _, c := range strings.FieldsFunc(t.raw, func(r rune) bool { return strings.ContainsRune(",.;:!?¿¡\n", r) }) {
		inSentence = inSentence || strings.Contains(" "+strings.Join(actWords(c), " ")+" ", " "+u+" ")
	}
	if !inSentence {
		return false
	}
	inClause := slices.ContainsFunc(t.clauses, func(c []string) bool { return strings.Contains(" "+strings.Join(c, " ")+" ", " "+u+" ") })
	return !inClause || lex.hasPhrase(t, u, true) // across "but": as typed
}

// Button returns the menu value among values that raw names in words of the acts files'
// buttons lists ("i'll wait" for wait, "atualiza aí" for update_router), not negated;
// "" when it names none or two. A nil Lexicon is the embedded one.
func (lex *Lexicon) Button(raw string, values []string) string {
	if lex == nil {
		lex = defaultLexicon()
	}
	t := newText(raw, lex)
	if t.hasAny(lex.list("button_unless")) {
		return "" // "se me corta mientras espero" does not choose to wait
	}
	found := ""
	for _, v := range values {
		if slices.ContainsFunc(lex.buttons[v], func(p string) bool { return lex.hasPhrase(t, p, true) }) {
			if found != "" && found != v {
				return ""
			}
			found = v
		}
	}
	return found
}

// ownConnection reports a text that speaks of the customer's own connection beside the
// area's: a phrase of own_connection ("my internet", "yo tb"), or a clause that complains
// of the connection without naming the area ("is there an outage in my area? no internet
// at all").
func (lex *Lexicon) ownConnection(raw string) bool {
	t := newText(raw, lex)
	if t.hasAny(lex.list("own_connection")) {
		return true
	}
	// A sentence of its own about the connection and not the area ("no hay internet en el
	// barrio, y yo tampoco tengo"); one sentence alone says one thing, read by its phrases.
	pieces := strings.FieldsFunc(raw, func(r rune) bool { return strings.ContainsRune(",.;:!?¿¡\n", r) })
	if len(pieces) < 2 {
		return false
	}
	for _, c := range pieces {
		ct := newText(c, lex)
		if lex.matches(ActConnectionComplaint, ct) && !lex.matches(ActOutageArea, ct) {
			return true
		}
	}
	return false
}

// urged reports a text with a clause made only of urging words ("no lo canceles, dale",
// "don't cancel, go ahead"): a yes where a yes-or-no question is open, elsewhere only a
// push ("vuelve a probar, venga").
func (lex *Lexicon) urged(raw string) bool {
	for _, c := range lex.clauses(raw) {
		urge, other := false, false
		for _, w := range c {
			switch {
			case lex.urges[w]:
				urge = true
			case lex.politeness[w]:
			default:
				other = true
			}
		}
		if urge && !other {
			return true
		}
	}
	return false
}

// vetoed reports a text that one of act a's unless phrases rules out: the classifier
// does not add the act to it ("I'll explain it to the agent later" asks for no agent).
func (lex *Lexicon) vetoed(a Act, raw string) bool {
	t := newText(raw, lex)
	return slices.ContainsFunc(lex.acts[a].unless, func(u string) bool { return lex.unlessHit(t, u) })
}

// polite reports a word of politeness as typed: "pls", "porfa", "gracias".
func (lex *Lexicon) polite(w string) bool {
	ws := actWords(w)
	return len(ws) > 0 && !slices.ContainsFunc(ws, func(x string) bool { return !lex.politeness[x] })
}

// namesSerial reports a text that names the serial number or its label ("where do i
// check the serial?", "onde fica o número de série?").
func (lex *Lexicon) namesSerial(raw string) bool {
	return newText(raw, lex).hasAny(lex.list("serial_words"))
}

// understands reports a text that says the customer understood ("entendi, obrigado",
// "got it", "ya veo"): it acknowledges what was said, and to a yes-or-no question it is no
// yes, as a plain "ok" is.
func (lex *Lexicon) understands(raw string) bool { return lex.saysAny(raw, lex.list("understood")) }

// refersBack reports a text that points back to something said before ("now about the
// bill", "y lo de la factura?", "e aquela questão da fibra?").
func (lex *Lexicon) refersBack(raw string) bool {
	return newText(raw, lex).hasAny(lex.list("refers_back"))
}

// putsOff reports a text that puts something off rather than refusing it ("actually no
// hang on, my son is on a call", "nah not rn, maybe tmrw", "agora não dá, pera"): the
// customer wants it, later.
// saysMaybe reports a text that is only a maybe ("maybe", "mmm de pronto", "talvez"), its
// hesitations and politeness aside: a reply that neither says yes nor no. Inside a longer
// text the same words say something else ("de pronto se cayó": suddenly).
func (lex *Lexicon) saysMaybe(t text) bool { return lex.onlySays(t, lex.list("maybe")) }

// onlySays reports a text that is, its hesitations and politeness aside, one of whole.
func (lex *Lexicon) onlySays(t text, whole []string) bool {
	core := make([]string, 0, len(t.ws))
	for _, w := range t.ws {
		if !lex.hesitations[w] && !lex.politeness[w] {
			core = append(core, w)
		}
	}
	return len(core) > 0 && slices.Contains(whole, strings.Join(core, " "))
}

// onlySaysAfterHello is onlySays of a text that may open with a hello ("hola, tengo un
// problema", "hi I have a problem"): the hello, of up to three words, is left aside too.
// The hesitations are left aside or not: one language's ("um") is another's word ("tenho
// um problema").
func (lex *Lexicon) onlySaysAfterHello(t text, whole []string) bool {
	var noPolite, noPoliteNoHesitation []string
	for _, w := range t.ws {
		if !lex.politeness[w] {
			noPolite = append(noPolite, w)
			if !lex.hesitations[w] {
				noPoliteNoHesitation = append(noPoliteNoHesitation, w)
			}
		}
	}
	for _, core := range [][]string{noPoliteNoHesitation, noPolite} {
		for k := 0; k <= 3 && k < len(core); k++ {
			if k > 0 && !lex.Acts(strings.Join(core[:k], " ")).Only(ActGreeting) {
				continue
			}
			if slices.Contains(whole, strings.Join(core[k:], " ")) {
				return true
			}
		}
	}
	return false
}

func (lex *Lexicon) putsOff(raw string) bool {
	t := newText(raw, lex)
	return t.hasAny(lex.list("not_yet")) || lex.onlySays(t, lex.list("not_yet_alone"))
}

// saysAny reports a text with one of phrases, not negated ("i haven't restarted it" says
// no restart).
func (lex *Lexicon) saysAny(raw string, phrases []string) bool {
	return lex.textSays(newText(raw, lex), phrases)
}

// textSays is saysAny of a text already folded: a reading asks a dozen lists of one text.
func (lex *Lexicon) textSays(t text, phrases []string) bool {
	return slices.ContainsFunc(phrases, func(p string) bool { return lex.hasPhrase(t, p, true) })
}

// refusesNotices reports a text that names the bot's notices with a negation anywhere
// ("y los avisos esos de la actualización tampoco quiero", "no notifications either"):
// whatever the negation's place, it speaks against them.
func (lex *Lexicon) refusesNotices(raw string) bool {
	t := newText(raw, lex)
	return t.hasAny(lex.list("notices")) && slices.ContainsFunc(t.ws, func(w string) bool { return lex.negations[w] })
}

// restartOnly reports a text that asks for a restart and names no update ("can u reboot
// the router pls", "reinicia o modem pra mim"): the bot restarts by updating, and says so.
func (lex *Lexicon) restartOnly(raw string) bool {
	t := newText(raw, lex)
	return t.hasAny(lex.list("restart_words")) && !t.hasAny(lex.list("update_words"))
}

// unfinished reports a text that is only words joining what comes next ("Also", "y...",
// "e tambem", "ah e mais uma coisa": connectors one after another): the customer has more
// to say, in the next message.
func (lex *Lexicon) unfinished(raw string) bool {
	ws := actWords(raw)
	// joined[i]: the first i words are connectors, one after another
	joined := make([]bool, len(ws)+1)
	joined[0] = true
	for i := 1; i <= len(ws); i++ {
		for j := 0; j < i && !joined[i]; j++ {
			joined[i] = joined[j] && lex.connectors[strings.Join(ws[j:i], " ")]
		}
	}
	return len(ws) > 0 && joined[len(ws)]
}

// afterOpener is what follows the words that open raw and say nothing by themselves ("va,
// y la tienda abre los domingos?", "ok so is there an outage"): its first clause, up to a
// comma, made only of openers, or openers followed by a connector; "" when raw opens with none, or is only
// them.
func (lex *Lexicon) afterOpener(raw string) string {
	// only before a comma: "ah ok." or "vale!" ending a sentence is an acknowledgement of
	// its own, not a filler ("ah ok. but it's urgent, ...")
	if i := strings.IndexAny(raw, ",.;:!?\n"); i > 0 && raw[i] == ',' {
		ws := actWords(raw[:i])
		if len(ws) > 0 && !slices.ContainsFunc(ws, func(w string) bool { return !lex.openers[w] }) {
			return strings.TrimSpace(raw[i+1:])
		}
	}
	// "va y la tienda...", "ok so is there an outage": openers, then a connector ("so" may
	// be either)
	fs := strings.Fields(raw)
	one := func(set map[string]bool, w string) bool { ws := actWords(w); return len(ws) == 1 && set[ws[0]] }
	for i := 1; i+1 < len(fs) && one(lex.openers, fs[i-1]) && !strings.ContainsAny(fs[i-1], ".!?;:"); i++ {
		if one(lex.connectors, fs[i]) {
			return strings.Join(fs[i:], " ")
		}
	}
	return ""
}

// asksProtocol reports a text that asks for a record of the request: a protocol, reference
// or ticket number ("o número de protocolo do cancelamento, vcs não vão me dar??").
func (lex *Lexicon) asksProtocol(raw string) bool {
	return newText(raw, lex).hasAny(lex.list("protocol_asked"))
}

// namesMine reports a text that says "mine is" ("no, mine is ZX-7100-KP09").
func (lex *Lexicon) namesMine(raw string) bool {
	return newText(raw, lex).hasAny(lex.list("mine_is"))
}

// deniedAfterBreak reports a text whose words after a clause break are a plain no: "sí
// pero ahora no", "yeah but not right now, i'm on a call".
func (lex *Lexicon) deniedAfterBreak(raw string) bool {
	for k, c := range strings.FieldsFunc(raw, func(r rune) bool { return strings.ContainsRune(",.;:!?¿¡\n", r) }) {
		ws := lex.respell(actWords(c))
		// the break inside a sentence, or opening one after the first ("sim, mas depois")
		if i := slices.IndexFunc(ws, func(w string) bool { return lex.breaks[w] }); i >= 0 && (i > 0 || k > 0) && i+1 < len(ws) {
			return lex.matches(ActDeny, newText(strings.Join(ws[i:], " "), lex)) // "pero ahora no ..."
		}
	}
	return false
}

// hasBreak reports a clause break word ("but", "pero") in the folded words ws.
func (lex *Lexicon) hasBreak(ws []string) bool {
	return slices.ContainsFunc(ws, func(w string) bool { return lex.breaks[w] })
}

func (lex *Lexicon) negatedWord(t text, w string) bool {
	return !lex.hasPhrase(t, w, true)
}

// onlyEmoji reports a text made only of the given emoji (skin tones and variation
// selectors allowed), with at least one.
func onlyEmoji(raw string, set map[rune]bool) bool {
	seen := false
	for _, r := range raw {
		switch {
		case set[r]:
			seen = true
		case unicode.IsSpace(r), r == '\uFE0F', r == '\u200D', r >= 0x1F3FB && r <= 0x1F3FF:
		default:
			return false
		}
	}
	return seen
}

// LanguageRequest reports a message asking for one of the languages ("mejor en español
// xfa", "can we speak spanish?", "sorry, my english is bad, can we speak spanish?", "pode
// falar em português?", "en inglés", "English please, not Spanish"): the language, ok. It
// reads the last clause that names a language and asks for it: not a negated one ("no
// hablo inglés"; a language right after the negation, "not Spanish", is only set aside),
// nor one of more than three words without a word of asking or politeness ("el menú está
// en inglés"), nor two languages in one clause ("do you speak english or spanish?").
func (lex *Lexicon) LanguageRequest(raw string) (lang string, ok bool) {
	ws := actWords(raw)
	if len(ws) == 0 || len(ws) > 30 {
		return "", false
	}
	for _, c := range strings.FieldsFunc(raw, func(r rune) bool { return strings.ContainsRune(",.;:!?¿¡\n", r) }) {
		if l, ok := lex.languageAsked(actWords(c)); ok {
			lang = l
		}
	}
	return lang, lang != ""
}

// languageAsked reads one clause of LanguageRequest.
// languageNamed is the language a request names: the one LanguageRequest reads, else the
// only language the text names ("me lo pasas a ingles? no entiendo bien"); "" for none or two.
func (lex *Lexicon) languageNamed(raw string) string {
	if l, ok := lex.LanguageRequest(raw); ok {
		return l
	}
	lang := ""
	for _, w := range actWords(raw) {
		if l := lex.langNames[w]; l != "" {
			if lang != "" && lang != l {
				return ""
			}
			lang = l
		}
	}
	return lang
}

func (lex *Lexicon) languageAsked(clause []string) (lang string, ok bool) {
	negated, cue := false, len(clause) <= 3 // "en inglés", "falo português", "english please"
	for i, w := range clause {
		l, found := lex.langNames[w]
		switch {
		case found && i > 0 && lex.negations[clause[i-1]]:
			// "not spanish": set aside
		case found:
			if lang != "" && lang != l {
				return "", false
			}
			lang = l
		case lex.negations[w] && !(i+1 < len(clause) && lex.langNames[clause[i+1]] != ""):
			negated = true // "no hablo inglés", "I don't speak Spanish"
		}
		cue = cue || lex.langCues[w] || lex.politeness[w] && len(clause) <= 5
	}
	if lang == "" || negated || !cue {
		return "", false
	}
	return lang, true
}

var (
	lexiconOnce sync.Once
	lexicon0    *Lexicon
)

// defaultLexicon is DefaultLexicon, loaded once per process.
func defaultLexicon() *Lexicon {
	lexiconOnce.Do(func() { lexicon0 = DefaultLexicon() })
	return lexicon0
}

// parts splits a text into the parts the classifier reads one by one: its sentences (a
// full stop or a colon before a space, a question or exclamation mark, a semicolon, a
// new line; not "45.99" nor "10:30"), each cut again where a turn to another request
// opens ("..., e também queria saber", "y aprovecho para preguntarle"). A part is its
// words, folded.
func (lex *Lexicon) parts(raw string) []string {
	var sentences []string
	rs := []rune(raw)
	start := 0
	for i, r := range rs {
		end := strings.ContainsRune("!?;\n¿¡", r) ||
			(r == '.' || r == ':') && (i+1 == len(rs) || unicode.IsSpace(rs[i+1]))
		if end {
			sentences = append(sentences, string(rs[start:i]))
			start = i + 1
		}
	}
	sentences = append(sentences, string(rs[start:]))
	var out []string
	for _, s := range sentences {
		ws := lex.respell(actWords(s))
		from, skip := 0, 0
		for i := 0; i < len(ws); i++ {
			if i < skip {
				continue // "e tambem" opens the part; its "tambem" opens none of its own
			}
			padded := " " + strings.Join(ws[i:], " ") + " "
			n := 0
			for _, b := range lex.list("topic_breaks") {
				if strings.HasPrefix(padded, " "+b+" ") {
					n = max(n, len(strings.Fields(b)))
				}
			}
			if n == 0 {
				continue
			}
			if i > from && i != skip { // "also, while I have you, ..." opens one part
				out = append(out, strings.Join(ws[from:i], " "))
				from = i
			}
			skip = i + n
		}
		if from < len(ws) {
			out = append(out, strings.Join(ws[from:], " "))
		}
	}
	return slices.DeleteFunc(out, func(p string) bool { return p == "" })
}

// asks are the names of the asks_about lists a text says, not negated, sorted: "e se eu
// não pagar?" asks not_paying, not how_to_pay; within, those of them whose every phrase
// found lies inside a longer phrase another list found ("network name" in "the wifi
// network name is gone").
func (lex *Lexicon) asks(t text) (asks, within []string) {
	type hit struct{ name, phrase string }
	var hits []hit
	for name, phrases := range lex.asksAbout {
		for _, p := range phrases {
			if lex.hasPhrase(t, p, true) {
				hits = append(hits, hit{name, p})
			}
		}
	}
	var free []string
	for _, h := range hits {
		if !slices.Contains(asks, h.name) {
			asks = append(asks, h.name)
		}
		inLonger := slices.ContainsFunc(hits, func(o hit) bool {
			return o.name != h.name && len(o.phrase) > len(h.phrase) && hasWords(" "+o.phrase+" ", h.phrase)
		})
		if !inLonger && !slices.Contains(free, h.name) {
			free = append(free, h.name)
		}
	}
	for _, name := range asks {
		if !slices.Contains(free, name) {
			within = append(within, name)
		}
	}
	slices.Sort(asks)
	slices.Sort(within)
	return asks, within
}

package intents

import (
	"bufio"
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"math/rand/v2"
	"path"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
)

// The word lists (acts/*.yaml) say what a phrase means; they miss what nobody wrote
// down, and new customers' phrasings are mostly that. Beside them, a learned reader of
// acts: one logistic regression per act (multi-label: a turn may be a yes and a
// thanks) over the classifier's text features (words, stems, character n-grams, word
// context) and the state the bot was in, trained on the labelled turns in turns/. A
// turn performs an act when the lists say so or when the model is sure enough
// (ActThreshold); the dialogue's rules of fuse and inContext then settle the acts
// together, as for the lists alone.

//go:embed turns/*.jsonl
var turnFiles embed.FS

// ActThreshold is the probability from which the learned reader adds an act, unless
// actThresholds names the act. It was chosen on turns_heldout2 (intents/turns/heldout2.jsonl)
// with a reader trained on the other files then: 0.7 had the best precision. A wrong act
// does more harm in a conversation than a missed one, which the bot asks again.
const ActThreshold = 0.7

// actThresholds are the acts whose threshold is not ActThreshold: chosen by 5-fold
// cross-validation over the training turns (cwbot intents turns --cv 5 --threshold P,
// P from 0.4 to 0.7), as the one with the most languages at 0.9 in precision and recall,
// then the best F1, where it beat 0.7 by more than noise. Where the reader is sure of an
// act less often than it is right (a greeting, a change of mind), a lower one
// reads more of them.
var actThresholds = map[Act]float32{
	ActGreeting: 0.4, ActChangeOfMind: 0.4, ActSkip: 0.4, // one more language at 0.9, or F1 +0.006
	ActCancel: 0.5, ActConnectionComplaint: 0.6, ActFrustration: 0.6, // F1 +0.008 to +0.014
}

// listVeto is the probability under which the learned reader overrules the word lists in a
// text of more than shortText words. 5-fold cross-validation over the training turns: 0.05
// read 29 act-and-language cells at 0.9 (26 without the veto), precision 0.936 against
// 0.916 for recall 0.889 against 0.893; 0.03 and 0.08 read 29 and 27, and the veto on
// short texts too one turn worse.
const listVeto = 0.05

// actThreshold is the probability from which the learned reader adds act a.
func actThreshold(a Act) float32 {
	if th, ok := actThresholds[a]; ok {
		return th
	}
	return ActThreshold
}

// actModel is the learned reader of acts.
type actModel struct {
	fz     featurizer
	states map[string]int32 // a state's feature index, after the text's features
	// surface is the index of the first surface cue's feature (surfaceCues), after the states'.
	surface int32
	// pairs are the (state, word) features: a word's meaning in a state ("ok" at a
	// yes-or-no question, "nada" at the intake), after the surface cues'.
	pairs map[uint64]int32
	// inContext are the acts of labelled turns in context: the reader has learned them,
	// not only the lists' entries, and may overrule the lists on them (listVeto).
	inContext Acts
	k         int       // acts
	w         []float32 // feature-major: row f holds the k acts' weights
	b         []float32
}

// actStates are the states the labelled turns name; their feature is the state's
// prior for each act (an "ok" at a yes-or-no question is a yes).
var actStates = []string{"idle", "main_menu", "ask_serial", "confirm_update", "updating", "update_failed",
	"offer_agent", "offer_wait", "intake", "anything_else", "in_line"}

// readTurnsFS reads every *.jsonl of dir in fsys, in name order.
func readTurnsFS(fsys fs.FS, dir string) ([]Turn, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.jsonl"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []Turn
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ts, err := parseTurns(name, bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		for i := range ts {
			ts[i].Group = writersRound(name)
		}
		out = append(out, ts...)
	}
	return out, nil
}

// writersRound names the round of writers a turns file comes from: its name without the
// language ("train4_es.jsonl": train4); the first writer's two thirds and third are one.
func writersRound(name string) string {
	g := strings.TrimSuffix(path.Base(name), ".jsonl")
	for _, lang := range []string{"_en", "_es", "_pt"} {
		g = strings.TrimSuffix(g, lang)
	}
	if g == "heldout1" {
		return "tune"
	}
	return g
}

// parseTurns reads JSON lines of turns; name is for errors.
func parseTurns(name string, r *bytes.Reader) ([]Turn, error) {
	var out []Turn
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for line := 1; sc.Scan(); line++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var t Turn
		if err := json.Unmarshal(sc.Bytes(), &t); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		for _, a := range t.Acts {
			if _, ok := ParseAct(a); !ok {
				return nil, fmt.Errorf("%s:%d: unknown act %q", name, line, a)
			}
		}
		out = append(out, t)
	}
	return out, sc.Err()
}

// TrainingTurns are the labelled turns the learned reader of acts is trained on, each
// (language, state, text) once: files written apart repeat the commonest texts ("skip",
// "hola"), with the same reading.
func TrainingTurns() []Turn {
	ts, err := readTurnsFS(turnFiles, "turns")
	if err != nil {
		panic(err) // embedded files, checked by the tests
	}
	return dedupTurns(ts)
}

// dedupTurns keeps the first turn of each (language, state, text in lower case).
func dedupTurns(ts []Turn) []Turn {
	seen := map[[3]string]bool{}
	out := ts[:0:0]
	for _, t := range ts {
		k := [3]string{t.Lang, t.State, strings.ToLower(t.Text)}
		if !seen[k] {
			seen[k] = true
			out = append(out, t)
		}
	}
	return out
}

var (
	actModelOnce sync.Once
	actModel0    *actModel
)

// defaultActModel is the learned reader trained on the embedded turns and word lists,
// once per process.
func defaultActModel() *actModel {
	actModelOnce.Do(func() {
		lex := defaultLexicon()
		turns := append(TrainingTurns(), lexiconTurns(lex)...)
		actModel0 = trainActModel(append(turns, requestTurns(Default(), lex)...), 1)
	})
	return actModel0
}

// actIntents are the intents whose examples perform a dialogue act ("talk to a person",
// "thanks", "is it done?", "my internet is down"); the others' examples are requests
// that perform none.
var actIntents = map[string]bool{UpdateStatus: true, HumanAgent: true, Cancel: true, Greeting: true, Thanks: true, "outage": true, OutOfScope: true}

// requestTurns are the intents file's examples of plain requests (a bill, the Wi-Fi's
// password, the opening hours, an update) in which the word lists read no act, as turns
// without a state that perform none: the reader learns that "how much is my bill?" while
// the update runs asks nothing of the update, and that "tem telefone pra ligar?" asks
// for a number, not a person.
func requestTurns(ds *Dataset, lex *Lexicon) []Turn {
	var out []Turn
	for _, e := range ds.Examples() {
		if !actIntents[e.Intent] && lex.Acts(e.Text) == 0 {
			out = append(out, Turn{Text: e.Text})
		}
	}
	return out
}

// PrepareReader trains the learned reader of acts now (about a second), which the first
// turn read would otherwise wait for, and gives the training's memory back to the system
// (the model keeps about 5 MB; training needs some 25 MB more for a moment).
func PrepareReader() {
	defaultActModel()
	debug.FreeOSMemory()
}

// lexiconTurns are the word lists' entries as turns without a state, each performing its
// act: the reader learns the lists' words with their stems and character n-grams, and
// so their misspellings and their neighbours ("cancelen" beside "cancela"), which the
// lists only match as written.
func lexiconTurns(lex *Lexicon) []Turn {
	var entries []string
	acts := map[string][]string{} // an entry in two acts' lists is one turn of both ("cuanto tarda": a status question, how long)
	for a := Act(0); a < numActs; a++ {
		m := lex.acts[a]
		es := append(slices.Clone(m.whole), m.phrases...)
		for _, e := range append(es, slices.Sorted(maps.Keys(m.words))...) {
			if len(acts[e]) == 0 {
				entries = append(entries, e)
			}
			if !slices.Contains(acts[e], a.String()) {
				acts[e] = append(acts[e], a.String())
			}
		}
	}
	out := make([]Turn, len(entries))
	for i, e := range entries {
		out[i] = Turn{Text: e, Acts: acts[e]}
	}
	return out
}

// trainActModel trains the acts' logistic regressions by SGD: a linearly decaying rate,
// lazy L2 decay on the rows an example touches, and positives weighed up to balance
// rare acts. It is not watched by the race detector (go:norace): it runs in one goroutine
// on memory of its own, and its inner loops under -race took 23 s of each test binary
// that reads a turn (4.7 s without).
//
//go:norace
func trainActModel(turns []Turn, seed uint64) *actModel {
	m := &actModel{fz: featurizer{minN: 2, maxN: 5, context: true, minDF: actMinDF}, states: map[string]int32{}, k: int(numActs)}
	texts := make([]string, len(turns))
	for i, t := range turns {
		texts[i] = t.Text
	}
	xs := m.fz.fit(texts)
	d := len(m.fz.idf)
	for i, s := range actStates {
		m.states[s] = int32(d + i)
	}
	d += len(actStates)
	m.surface = int32(d)
	d += len(surfaceCues)
	{ // the (state, word) pairs of two training texts or more
		df := map[uint64]int{}
		for _, t := range turns {
			if t.State == "" {
				continue
			}
			seen := map[uint64]bool{}
			for _, w := range words(t.Text) {
				if k := pairKey(m.state(t.State), w); !seen[k] {
					seen[k] = true
					df[k]++
				}
			}
		}
		m.pairs = map[uint64]int32{}
		for _, k := range slices.Sorted(maps.Keys(df)) {
			if df[k] >= actMinDF {
				m.pairs[k] = int32(d)
				d++
			}
		}
	}
	ys := make([]Acts, len(turns))
	pos := make([]float64, m.k)
	for i, t := range turns {
		for _, name := range t.Acts {
			a, _ := ParseAct(name)
			ys[i] = ys[i].With(a)
			pos[a]++
			if t.State != "" {
				m.inContext = m.inContext.With(a)
			}
		}
		xs[i] = m.withState(m.withSurface(xs[i], t.Text), t.State, words(t.Text))
	}
	pw := make([]float32, m.k) // weight of a positive: rare acts count more, up to 4 times
	for c := range pw {
		if pos[c] > 0 {
			pw[c] = float32(min(4, math.Sqrt((float64(len(turns))-pos[c])/pos[c])))
		}
	}
	m.w, m.b = make([]float32, d*m.k), make([]float32, m.k)
	for c := range m.b {
		m.b[c] = -3 // acts are rare: start from "no"
	}
	epochs, rate, l2 := actEpochs, 0.5, float32(1e-5)
	rng := rand.New(rand.NewPCG(seed, 17))
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	z := make([]float32, m.k)
	g := make([]float32, m.k)
	active := make([]int, 0, m.k)
	total, step := float64(epochs*len(xs)), 0.0
	for range epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			lr := float32(rate * (1 - step/total))
			step++
			m.scores(xs[i], z)
			active = active[:0]
			for c := range z {
				p := sigmoid(z[c])
				y, wt := float32(0), float32(1)
				if ys[i].Has(Act(c)) {
					y, wt = 1, pw[c]
				}
				if gr := (p - y) * wt; gr > 1e-4 || gr < -1e-4 {
					g[c] = gr * lr
					active = append(active, c)
				}
			}
			if len(active) == 0 {
				continue
			}
			decay := 1 - lr*l2
			x := xs[i]
			for j, f := range x.idx {
				v := x.val[j]
				row := m.w[int(f)*m.k : int(f+1)*m.k]
				for _, c := range active {
					row[c] = row[c]*decay - v*g[c]
				}
			}
			for _, c := range active {
				m.b[c] -= g[c]
			}
		}
	}
	return m
}

// surfaceCues are what the text's words lose to folding and a reader hears: shouting,
// "!!" and "??", the face an emoji makes. They weigh in anger and impatience ("3 hours in
// line for WHAT", "amanha??? mas eu to sem internet AGORA", "ahora anda mas lento 😡").
var surfaceCues = []func(raw string) bool{
	func(raw string) bool { // a word of three letters or more in capitals, not a serial
		for _, w := range strings.FieldsFunc(raw, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			if n := len([]rune(w)); n >= 3 && strings.ToUpper(w) == w && strings.ToLower(w) != w && !strings.ContainsAny(w, "0123456789") {
				return true
			}
		}
		return false
	},
	func(raw string) bool { return strings.Contains(raw, "!!") },
	func(raw string) bool { return strings.Contains(raw, "??") },
	func(raw string) bool { return strings.ContainsAny(raw, "?¿") },
	func(raw string) bool { return strings.ContainsAny(raw, "😡🤬😤🙄😠💢👎") },
	func(raw string) bool { return strings.ContainsAny(raw, "😭😢😩😫😞😔") },
	func(raw string) bool { return strings.Contains(raw, "...") || strings.Contains(raw, "…") },
}

// withSurface adds the features of the surface cues raw shows.
func (m *actModel) withSurface(x sparse, raw string) sparse {
	for i, cue := range surfaceCues {
		if cue(raw) {
			x.idx = append(x.idx, m.surface+int32(i))
			x.val = append(x.val, 0.5)
		}
	}
	return x
}

// stateAliases are the states of the bot the labelled turns do not name, read as the one
// most like them: "Shall I tell you when the service is back?" is a yes-or-no offer.
var stateAliases = map[string]string{"outage_notice": "offer_agent"}

// state is the labelled turns' name of a state of the bot.
func (m *actModel) state(state string) string {
	if alias, ok := stateAliases[state]; ok {
		return alias
	}
	return state
}

// withState adds the state's feature, and its pairs with the text's words, to a text's
// vector.
func (m *actModel) withState(x sparse, state string, ws []string) sparse {
	state = m.state(state)
	f, ok := m.states[state]
	if !ok {
		return x
	}
	x.idx = append(x.idx, f)
	x.val = append(x.val, 1)
	if len(m.pairs) > 0 && len(ws) > 0 {
		v := float32(pairWeight / math.Sqrt(float64(len(ws))))
		for _, w := range ws {
			if f, ok := m.pairs[pairKey(state, w)]; ok {
				x.idx = append(x.idx, f)
				x.val = append(x.val, v)
			}
		}
	}
	return x
}

// pairWeight is the weight of a text's (state, word) pairs, divided by the root of its
// words: 5-fold cross-validation read as well with 0.5 as with 1 (23 act-and-language
// cells at 0.9 against 22 without the pairs), and worse with 2.
const pairWeight = 0.5

// pairKey is the key of a (state, word) feature.
func pairKey(state, w string) uint64 { return hashStr(hashStr(hashKind('s'), state)^0x5a, w) }

// scores is not watched by the race detector (see trainActModel): it reads the weights,
// written only before the model is shared, into z, the caller's own.
//
//go:norace
func (m *actModel) scores(x sparse, z []float32) {
	copy(z, m.b)
	for j, f := range x.idx {
		v := x.val[j]
		row := m.w[int(f)*m.k : int(f+1)*m.k]
		for c, w := range row {
			z[c] += v * w
		}
	}
}

// vector is a text's words and features, surface cues included (the state's is added
// apart: acts reads the text with and without it).
func (m *actModel) vector(text string) ([]string, sparse) {
	ws, wk, ck := m.fz.keys(text)
	return ws, m.withSurface(m.fz.vectorize(ws, wk, ck), text)
}

// actProbs are a text's probability of each act, in the state the bot was in and from
// the text alone.
type actProbs struct {
	words          int
	inState, alone []float32
}

// read scores a text in a state, once for all that is asked of it.
func (m *actModel) read(text, state string) actProbs {
	ws, x := m.vector(text)
	p := actProbs{words: len(ws), inState: make([]float32, m.k), alone: make([]float32, m.k)}
	m.scores(x, p.alone)
	m.scores(m.withState(x, state, ws), p.inState)
	for c := range p.alone {
		p.alone[c], p.inState[c] = sigmoid(p.alone[c]), sigmoid(p.inState[c])
	}
	return p
}

// probs returns each act's probability for a text in a state.
func (m *actModel) probs(text, state string) []float32 { return m.read(text, state).inState }

// acts returns the acts of a text in a state (actProbs.acts).
func (m *actModel) acts(text, state string, threshold float32) Acts {
	return m.read(text, state).acts(threshold)
}

// acts returns the acts whose probability in the state reaches their threshold (each
// act's own, or threshold for all when it is positive) and, for a short text, whose
// probability from the text alone is at least even: there the state weighs most, and it
// can tip a reading ("ok" at a yes-or-no question is the yes) but not make one from
// nothing ("why?" where updates fail is no frustration, "ok" at "anything else?" no yes).
func (p actProbs) acts(threshold float32) Acts {
	var a Acts
	for c, ps := range p.inState {
		th := threshold
		if th <= 0 {
			th = actThreshold(Act(c))
		}
		if ps >= th && (p.words > shortText || p.alone[c] >= 0.5) {
			a = a.With(Act(c))
		}
	}
	return a
}

// shortText is the most words of a text the state alone cannot read.
const shortText = 3

func sigmoid(z float32) float32 { return float32(1 / (1 + math.Exp(-float64(z)))) }

// actEpochs is how many passes over the turns training makes: on heldout2, 20 read as
// well as 30 (and 10 or 15 a little worse), in two thirds of the time.
const actEpochs = 20

// actMinDF is the fewest training texts a feature must be in: on heldout2, 2 read as
// well as 1 (39 cells at 0.9, one turn's precision apart) with 44,000 features instead of
// 107,000, and 6.5 MB kept instead of 14; 3 read worse (37 cells).
const actMinDF = 2

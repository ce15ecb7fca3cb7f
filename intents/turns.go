package intents

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
)

// Turn is one labelled customer turn in context: the state the bot was in, the text, and
// the reading expected of it (intents/testdata/turns_README.md).
type Turn struct {
	Lang     string   `json:"lang"`
	State    string   `json:"state"`
	Text     string   `json:"text"`
	Acts     []string `json:"acts"`
	Choice   int      `json:"choice"`
	Serial   string   `json:"serial"`
	Language string   `json:"language"`
	Intent   string   `json:"intent"`
	// Group is the writers' round the turn comes from (its file, languages together).
	Group string `json:"-"`
}

// ReadTurns reads a JSON-lines file of turns.
func ReadTurns(path string) ([]Turn, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseTurns(path, bytes.NewReader(data))
}

// turnMenus are the buttons of each state, as the bot shows them in English (the reader
// matches the other languages' titles through typed variants and numbers), with the
// values a yes and a no pick.
var turnMenus = map[string]struct {
	items   []MenuItem
	yes, no string
}{
	"main_menu":      {items: []MenuItem{{"Update my router", "update_router"}, {"Talk to an agent", "agent"}}},
	"confirm_update": {items: []MenuItem{{"Yes, update it", "yes"}, {"No", "no"}}, yes: "yes", no: "no"},
	"update_failed":  {items: []MenuItem{{"Try again", "retry"}, {"Talk to an agent", "agent"}, {"Cancel", "cancel"}}},
	"offer_agent":    {items: []MenuItem{{"Talk to an agent", "agent"}, {"Keep chatting", "continue"}}, yes: "agent", no: "continue"},
	"offer_wait":     {items: []MenuItem{{"Wait for an agent", "wait"}, {"Keep chatting", "continue"}}},
	"intake":         {items: []MenuItem{{"Skip", "skip"}}},
}

// TurnContext is the reader's context for a labelled turn's state.
func TurnContext(state string) Context {
	m := turnMenus[state]
	return Context{State: state, Menu: m.items, Yes: m.yes, No: m.no}
}

// ActScore is one act's precision and recall in one language.
type ActScore struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	N         int     `json:"n"` // turns that have the act
	TP        int     `json:"tp"`
	FP        int     `json:"fp"`
}

// TurnsEvaluation is what "intents turns" prints.
type TurnsEvaluation struct {
	N int `json:"n"`
	// Acts: act -> language -> score.
	Acts           map[string]map[string]ActScore `json:"acts"`
	ChoiceAccuracy float64                        `json:"choice_accuracy"`
	SerialAccuracy float64                        `json:"serial_accuracy"`
	Misses         []string                       `json:"misses,omitempty"`
}

// EvaluateTurns reads every turn with rd and scores the acts per language, the menu
// choices and the serials.
func EvaluateTurns(ctx context.Context, rd *Reader, turns []Turn, misses bool) TurnsEvaluation {
	type count struct{ tp, fp, n int }
	counts := map[Act]map[string]*count{}
	for _, a := range AllActs() {
		counts[a] = map[string]*count{}
	}
	ev := TurnsEvaluation{N: len(turns), Acts: map[string]map[string]ActScore{}}
	var choiceOK, serialOK int
	for _, t := range turns {
		r := rd.Read(ctx, t.Text, TurnContext(t.State))
		var want Acts
		for _, name := range t.Acts {
			a, _ := ParseAct(name)
			want = want.With(a)
		}
		for _, a := range AllActs() {
			c := counts[a][t.Lang]
			if c == nil {
				c = &count{}
				counts[a][t.Lang] = c
			}
			switch {
			case want.Has(a) && r.Has(a):
				c.tp++
				c.n++
			case want.Has(a):
				c.n++
			case r.Has(a):
				c.fp++
			}
		}
		if r.Choice == t.Choice {
			choiceOK++
		}
		serial := ""
		if len(r.Serials) > 0 {
			serial = r.Serials[len(r.Serials)-1]
		}
		if serial == t.Serial || slices.Contains(r.Serials, t.Serial) && t.Serial != "" {
			serialOK++
		}
		if misses && (want != r.Acts || r.Choice != t.Choice) {
			ev.Misses = append(ev.Misses, fmt.Sprintf("%s %-14s %-40q want %-30s got %-30s choice %d/%d intent %s",
				t.Lang, t.State, t.Text, want, r.Acts, t.Choice, r.Choice, r.Intent))
		}
	}
	for a, byLang := range counts {
		ev.Acts[a.String()] = map[string]ActScore{}
		for lang, c := range byLang {
			ev.Acts[a.String()][lang] = actScore(c.tp, c.fp, c.n)
		}
	}
	ev.ChoiceAccuracy, ev.SerialAccuracy = ratio(choiceOK, len(turns)), ratio(serialOK, len(turns))
	sort.Strings(ev.Misses)
	return ev
}

// actScore is the score of tp right, fp wrong among n turns with the act.
func actScore(tp, fp, n int) ActScore {
	return ActScore{Precision: ratio(tp, tp+fp), Recall: ratio(tp, n), N: n, TP: tp, FP: fp}
}

// ratio is a/b, or 1 when b is 0 (nothing to get wrong).
func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// add adds the counts of o, an evaluation of other turns, to ev.
func (ev *TurnsEvaluation) add(o TurnsEvaluation) {
	choice := ev.ChoiceAccuracy*float64(ev.N) + o.ChoiceAccuracy*float64(o.N)
	serial := ev.SerialAccuracy*float64(ev.N) + o.SerialAccuracy*float64(o.N)
	ev.N += o.N
	if ev.N > 0 {
		ev.ChoiceAccuracy, ev.SerialAccuracy = choice/float64(ev.N), serial/float64(ev.N)
	}
	if ev.Acts == nil {
		ev.Acts = map[string]map[string]ActScore{}
	}
	for a, byLang := range o.Acts {
		if ev.Acts[a] == nil {
			ev.Acts[a] = map[string]ActScore{}
		}
		for lang, s := range byLang {
			t := ev.Acts[a][lang]
			ev.Acts[a][lang] = actScore(t.TP+s.TP, t.FP+s.FP, t.N+s.N)
		}
	}
	ev.Misses = append(ev.Misses, o.Misses...)
}

// CrossValidateTurns scores the reader on turns it was not trained on: the turns are
// dealt into k folds, and each fold is read by a learned reader trained on the others
// (the word lists stay as they are: they were tuned on these turns, so their share is
// measured on texts they have seen). threshold 0 is each act's own.
func CrossValidateTurns(ctx context.Context, rd Reader, turns []Turn, k int, threshold float32, misses bool) TurnsEvaluation {
	rng := rand.New(rand.NewPCG(7, 7))
	order := rng.Perm(len(turns))
	var ev TurnsEvaluation
	for f := range k {
		var train, test []Turn
		for i, j := range order {
			if i%k == f {
				test = append(test, turns[j])
			} else {
				train = append(train, turns[j])
			}
		}
		frd := rd
		frd.model, frd.threshold = trainActModel(append(train, lexiconTurns(rd.Lexicon)...), 1), threshold
		ev.add(EvaluateTurns(ctx, &frd, test, misses))
	}
	sort.Strings(ev.Misses)
	return ev
}

// CrossValidateTurnsByRound is CrossValidateTurns with one fold per round of writers
// (Turn.Group): each round is read by a reader trained on the others' turns, as the
// held-apart sets are read by one that never saw their writers.
func CrossValidateTurnsByRound(ctx context.Context, rd Reader, turns []Turn, threshold float32, misses bool) TurnsEvaluation {
	rounds := map[string]bool{}
	for _, t := range turns {
		rounds[t.Group] = true
	}
	var ev TurnsEvaluation
	for _, g := range slices.Sorted(maps.Keys(rounds)) {
		var train, test []Turn
		for _, t := range turns {
			if t.Group == g {
				test = append(test, t)
			} else {
				train = append(train, t)
			}
		}
		frd := rd
		frd.model, frd.threshold = trainActModel(append(train, lexiconTurns(rd.Lexicon)...), 1), threshold
		ev.add(EvaluateTurns(ctx, &frd, test, misses))
	}
	sort.Strings(ev.Misses)
	return ev
}

// TurnsCommand implements "intents turns --test FILE [--misses]": it reads every labelled
// turn with the built-in classifier and the embedded acts, and prints each act's
// precision and recall per language as a table (or JSON with --json).
func TurnsCommand(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("intents turns", flag.ContinueOnError)
	fs.SetOutput(stderr)
	test := fs.String("test", "", "labelled turns, JSON lines (intents/testdata/turns_heldout3.jsonl)")
	cv := fs.Int("cv", 0, "instead of --test: k-fold cross-validation of the learned reader over its training turns (intents/turns)")
	byRound := fs.Bool("cv-rounds", false, "instead of --test: cross-validation leaving one round of writers out at a time (closer to a held-apart set of new writers than --cv)")
	threshold := fs.Float64("threshold", 0, "probability from which the learned reader adds an act, for every act (default each act's own)")
	listsOnly := fs.Bool("lists-only", false, "read the acts by the word lists alone, without the learned reader")
	misses := fs.Bool("misses", false, "list the turns read wrong")
	asJSON := fs.Bool("json", false, "print JSON")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: intents turns (--test FILE | --cv K | --cv-rounds) [--threshold P] [--lists-only] [--misses] [--json]")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if (*test != "") == (*cv >= 2 || *byRound) || (*cv >= 2 && *byRound) || fs.NArg() > 0 {
		fs.Usage()
		return UsageError("intents turns: need one of --test FILE, --cv K (K >= 2) or --cv-rounds, and no other arguments")
	}
	if *threshold < 0 || *threshold >= 1 {
		return UsageError(fmt.Sprintf("intents turns: --threshold %v: want a probability between 0 and 1, such as %v", *threshold, ActThreshold))
	}
	var turns []Turn
	var err error
	if *test != "" {
		turns, err = ReadTurns(*test)
	} else {
		turns = TrainingTurns()
	}
	if err != nil {
		return err
	}
	clf, err := DefaultClassifier()
	if err != nil {
		return err
	}
	rd := Reader{NLU: clf, Lexicon: DefaultLexicon(), SerialPattern: DefaultSerialPattern, ListsOnly: *listsOnly, threshold: float32(*threshold)}
	var ev TurnsEvaluation
	if *byRound {
		ev = CrossValidateTurnsByRound(context.Background(), rd, turns, float32(*threshold), *misses)
	} else if *cv >= 2 {
		ev = CrossValidateTurns(context.Background(), rd, turns, *cv, float32(*threshold), *misses)
	} else {
		ev = EvaluateTurns(context.Background(), &rd, turns, *misses)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(ev)
	}
	fmt.Fprintf(stdout, "%d turns; menu choice %.3f, serial %.3f\n", ev.N, ev.ChoiceAccuracy, ev.SerialAccuracy)
	fmt.Fprintf(stdout, "%-22s %-18s %-18s %-18s\n", "act (precision/recall n)", "en", "es", "pt")
	for _, a := range AllActs() {
		fmt.Fprintf(stdout, "%-22s", a)
		for _, lang := range []string{"en", "es", "pt"} {
			s := ev.Acts[a.String()][lang]
			fmt.Fprintf(stdout, " %.2f/%.2f %-6d", s.Precision, s.Recall, s.N)
		}
		fmt.Fprintln(stdout)
	}
	p, r := ev.Overall("")
	fmt.Fprintf(stdout, "%-22s %.3f/%.3f\n", "all acts, all languages", p, r)
	for _, m := range ev.Misses {
		fmt.Fprintln(stdout, m)
	}
	return nil
}

// Overall is the precision and recall of all the labelled acts together in one language
// ("" for every language). Acts no turn is labelled with (laughter) are left out.
func (ev TurnsEvaluation) Overall(lang string) (precision, recall float64) {
	var tp, fp, n int
	for _, byLang := range ev.Acts {
		labelled := false
		for _, s := range byLang {
			labelled = labelled || s.N > 0
		}
		if !labelled {
			continue
		}
		for l, s := range byLang {
			if lang == "" || l == lang {
				tp, fp, n = tp+s.TP, fp+s.FP, n+s.N
			}
		}
	}
	return ratio(tp, tp+fp), ratio(tp, n)
}

package intents

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// turnsOf makes labelled turns of one state from text -> acts.
func turnsOf(state string, texts map[string][]string) []Turn {
	var out []Turn
	for text, acts := range texts {
		out = append(out, Turn{Lang: "en", State: state, Text: text, Acts: acts})
	}
	return out
}

// A phrasing no word list has is read by the learned reader once labelled turns teach it,
// and not by the lists alone.
func TestLearnedReaderReadsWhatTheListsLack(t *testing.T) {
	train := turnsOf("confirm_update", map[string][]string{
		"send it mate":        {"affirm"},
		"send it":             {"affirm"},
		"yeah send it":        {"affirm"},
		"send it already":     {"affirm", "frustration"},
		"what does it do":     nil,
		"how long":            {"status_question"},
		"whats the serial":    nil,
		"my bill is too high": nil,
		"who are you":         nil,
		"wait what":           nil,
	})
	rd := Reader{Lexicon: DefaultLexicon(), model: trainActModel(train, 1)}
	in := TurnContext("confirm_update")
	if r := rd.Read(context.Background(), "send it bro", in); !r.Has(ActAffirm) || r.Choice != 1 {
		t.Errorf("learned reader: %q read as %v choice %d, want affirm and the yes button", "send it bro", r.Acts, r.Choice)
	}
	rd.ListsOnly = true
	if r := rd.Read(context.Background(), "send it bro", in); r.Has(ActAffirm) {
		t.Fatalf("the word lists alone read %q as %v: the test needs a phrasing they lack", "send it bro", r.Acts)
	}
}

// What the word lists refuse, the learned reader cannot add: a negated cancel or retry.
func TestLearnedReaderAddsNoActTheListsRefuse(t *testing.T) {
	train := turnsOf("update_failed", map[string][]string{
		"try again":             {"retry"},
		"try again pls":         {"retry", "polite"},
		"again":                 {"retry"},
		"cancel":                {"cancel"},
		"cancel it":             {"cancel"},
		"cancel that":           {"cancel"},
		"ugh":                   {"frustration"},
		"what failed":           nil,
		"is my internet ok":     {"status_question"},
		"who do i call":         nil,
		"ok":                    {"acknowledge"},
		"ok thanks":             {"acknowledge", "thanks"},
		"talk to someone":       {"ask_person"},
		"no":                    {"deny"},
		"fine":                  {"acknowledge"},
		"whatever":              {"acknowledge"},
		"my router is blinking": nil,
	})
	rd := Reader{Lexicon: DefaultLexicon(), model: trainActModel(train, 1), threshold: 0.05}
	in := TurnContext("update_failed")
	for text, act := range map[string]Act{
		"don't try again":         ActRetry,
		"no quiero cancelar nada": ActCancel,
		"don't cancel it":         ActCancel,
	} {
		if m := rd.model.acts(text, "update_failed", 0.05); !m.Has(act) {
			t.Fatalf("the model alone does not read %q as %v (%v): the test needs it to", text, act, m)
		}
		if r := rd.Read(context.Background(), text, in); r.Has(act) {
			t.Errorf("%q read as %v: the lists refuse %v there", text, r.Acts, act)
		}
	}
}

// Training is reproducible: the same turns and seed give the same probabilities.
func TestActModelTrainingIsReproducible(t *testing.T) {
	turns := TrainingTurns()[:300]
	a, b := trainActModel(turns, 3), trainActModel(turns, 3)
	for _, text := range []string{"si dale", "no tengo internet", "tchau"} {
		pa, pb := a.probs(text, "idle"), b.probs(text, "idle")
		for c := range pa {
			if pa[c] != pb[c] {
				t.Fatalf("%q: %v %v vs %v", text, Act(c), pa[c], pb[c])
			}
		}
	}
}

// Every embedded training turn is well formed: a known state and language, known acts
// once each, a choice within the state's buttons, a language iff one is asked for, a
// known intent; and no (language, state, text) twice.
func TestTrainingTurnsAreWellFormed(t *testing.T) {
	turns := TrainingTurns()
	if len(turns) < 1000 {
		t.Fatalf("%d training turns, want the labelled files of intents/turns", len(turns))
	}
	intentsOK := map[string]bool{"": true, UpdateRouter: true, UpdateStatus: true, HumanAgent: true, Cancel: true, Greeting: true,
		Thanks: true, Help: true, OutOfScope: true, "billing": true, "outage": true, "plans": true, "wifi": true,
		"cancel_service": true, "technician": true, "moving": true}
	seen := map[string]bool{}
	for _, tr := range turns {
		where := tr.Lang + " " + tr.State + " " + tr.Text
		if tr.Lang != "en" && tr.Lang != "es" && tr.Lang != "pt" {
			t.Errorf("%s: language %q", where, tr.Lang)
		}
		if !contains(actStates, tr.State) {
			t.Errorf("%s: state %q", where, tr.State)
		}
		if tr.Choice < 0 || tr.Choice > len(turnMenus[tr.State].items) {
			t.Errorf("%s: choice %d out of the state's buttons", where, tr.Choice)
		}
		asked := contains(tr.Acts, "language_request")
		if asked != (tr.Language != "") {
			t.Errorf("%s: language %q with acts %v", where, tr.Language, tr.Acts)
		}
		if !intentsOK[tr.Intent] {
			t.Errorf("%s: intent %q", where, tr.Intent)
		}
		key := tr.Lang + "\x00" + tr.State + "\x00" + strings.ToLower(tr.Text)
		if seen[key] {
			t.Errorf("%s: twice", where)
		}
		seen[key] = true
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// Cross-validation scores each fold with a learned reader trained on the other folds: every
// turn is read once, and the counts add up to the turns' acts.
func TestCrossValidateTurnsReadsEveryTurnOnce(t *testing.T) {
	turns := TrainingTurns()[:240]
	want := 0
	for _, tr := range turns {
		want += len(tr.Acts)
	}
	ev := CrossValidateTurns(context.Background(), Reader{Lexicon: DefaultLexicon()}, turns, 3, 0, false)
	if ev.N != len(turns) {
		t.Fatalf("%d turns read, want %d", ev.N, len(turns))
	}
	got := 0
	for _, byLang := range ev.Acts {
		for _, s := range byLang {
			got += s.N
		}
	}
	if got != want {
		t.Errorf("the folds count %d acts, want the turns' %d", got, want)
	}
	if p, r := ev.Overall(""); p < 0.8 || r < 0.8 {
		t.Errorf("cross-validated precision %.2f, recall %.2f: want the reader to read most of its own kind of turns", p, r)
	}
}

// Cross-validation by round reads each round of writers with a reader trained on the
// other rounds: every turn once; a file's round is its name without the language.
func TestCrossValidateTurnsByRoundReadsEveryTurnOnce(t *testing.T) {
	for name, want := range map[string]string{
		"turns/train4_es.jsonl": "train4", "turns/train_pt.jsonl": "train", "turns/heldout2.jsonl": "heldout2",
		"turns/heldout1.jsonl": "tune", "turns/tune.jsonl": "tune",
	} {
		if got := writersRound(name); got != want {
			t.Errorf("writersRound(%q) = %q, want %q", name, got, want)
		}
	}
	per := map[string]int{}
	var turns []Turn
	for _, tr := range TrainingTurns() {
		if tr.Group == "" {
			t.Fatalf("turn %q has no round", tr.Text)
		}
		if g := tr.Group; (g == "train2" || g == "train5" || g == "heldout3") && per[g] < 80 {
			per[g]++
			turns = append(turns, tr)
		}
	}
	ev := CrossValidateTurnsByRound(context.Background(), Reader{Lexicon: DefaultLexicon()}, turns, 0, false)
	if ev.N != len(turns) || len(per) != 3 {
		t.Fatalf("%d turns read of %d from rounds %v, want each once", ev.N, len(turns), per)
	}
	if p, r := ev.Overall(""); p < 0.6 || r < 0.6 {
		t.Errorf("precision %.2f, recall %.2f by round: want most acts of other writers read", p, r)
	}
}

// "intents turns" prints each act's figures for a file of turns; bad flags are usage
// errors that say what is wanted.
func TestTurnsCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("trains the classifier")
	}
	file := filepath.Join(t.TempDir(), "turns.jsonl")
	var lines []string
	for _, tr := range TrainingTurns()[:40] {
		b, err := json.Marshal(tr)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, string(b))
	}
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if err := TurnsCommand([]string{"--test", file, "--misses"}, &out, &errb); err != nil {
		t.Fatalf("intents turns --test: %v\n%s", err, errb.String())
	}
	for _, want := range []string{"40 turns; menu choice", "connection_complaint", "all acts, all languages"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	for _, args := range [][]string{{}, {"--cv", "1"}, {"--cv", "3", "--test", file}, {"--test", file, "--threshold", "1.5"}} {
		err := TurnsCommand(args, &out, &errb)
		var ue UsageError
		if !errors.As(err, &ue) {
			t.Errorf("intents turns %v: error %v, want a usage error", args, err)
		}
	}
}

// The cost of one turn read in its state, with the learned reader and without (the
// classifier left out: BenchmarkPredict has it).
func BenchmarkReadTurn(b *testing.B) {
	for _, listsOnly := range []bool{false, true} {
		name := "lists_and_learned"
		if listsOnly {
			name = "lists_only"
		}
		b.Run(name, func(b *testing.B) {
			rd := &Reader{Lexicon: DefaultLexicon(), ListsOnly: listsOnly}
			in := TurnContext("confirm_update")
			rd.Read(context.Background(), "warm", in)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				rd.Read(context.Background(), "si dale porfa, pero no tengo internet desde ayer", in)
			}
		})
	}
}

// Training the learned reader on the embedded turns, as the bot does at start.
func BenchmarkTrainActModel(b *testing.B) {
	turns := append(append(TrainingTurns(), lexiconTurns(defaultLexicon())...), requestTurns(Default(), defaultLexicon())...)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		trainActModel(turns, 1)
	}
}

// hasWords is strings.Contains(padded, " "+p+" ") without building the needle.
func TestHasWordsIsContainsOfThePaddedPhrase(t *testing.T) {
	texts := []string{" no lo canceles ", " cancela ", " ok ", " a b a b c ", " nao cancela nao ", " x ", " "}
	phrases := []string{"cancela", "no", "lo canceles", "b c", "a b", "ok", "nao", "x", "k", "cancel", "b a", ""}
	for _, padded := range texts {
		for _, p := range phrases {
			if got, want := hasWords(padded, p), strings.Contains(padded, " "+p+" "); got != want {
				t.Errorf("hasWords(%q, %q) = %v, want %v", padded, p, got, want)
			}
		}
	}
}

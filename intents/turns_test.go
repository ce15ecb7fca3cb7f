package intents

import (
	"context"
	"testing"
)

// TestTurnsQuality reads the labelled turns in context with the built-in classifier, the
// embedded word lists and the learned reader (intents/testdata/turns_README.md).
//
// The word lists were tuned on, and the learned reader is trained on, the turns of
// intents/turns: there every act is held to 0.85 precision and recall in every language
// (nine writers labelled them, and they read some cases differently: whether "see you
// tomorrow then" to "wait or keep chatting?" also asks for a person, whether "nada más,
// gracias" also closes).
// turns_heldout4.jsonl to turns_heldout9.jsonl were written by others who saw none of
// those turns nor the lists, and no tuning has looked at them: they are held to the
// figures they gave (each language's acts together), so that a change that reads fresh
// text worse fails here; their per-act figures are in the README.
func TestTurnsQuality(t *testing.T) {
	clf := defaultClassifier(t)
	rd := &Reader{NLU: clf, Lexicon: DefaultLexicon(), SerialPattern: DefaultSerialPattern}
	ev := EvaluateTurns(context.Background(), rd, TrainingTurns(), false)
	for act, byLang := range ev.Acts {
		for lang, s := range byLang {
			if labelled(ev, act) && (s.N > 0 && s.Recall < 0.85 || s.TP+s.FP > 0 && s.Precision < 0.85) {
				t.Errorf("training turns: %s in %s: precision %.2f, recall %.2f (n=%d), want at least 0.85", act, lang, s.Precision, s.Recall, s.N)
			}
		}
	}
	if ev.ChoiceAccuracy < 0.95 {
		t.Errorf("training turns: menu choice accuracy %.3f, want at least 0.95", ev.ChoiceAccuracy)
	}
	for _, h := range heldOut {
		ev := evaluateFile(t, rd, h.file)
		for _, lang := range []string{"en", "es", "pt"} {
			if p, r := ev.Overall(lang); p < h.precision || r < h.recall {
				t.Errorf("%s, %s, all acts: precision %.3f, recall %.3f, want at least %.2f and %.2f", h.file, lang, p, r, h.precision, h.recall)
			}
		}
		if ev.ChoiceAccuracy < h.choice {
			t.Errorf("%s: menu choice accuracy %.3f, want at least %.2f", h.file, ev.ChoiceAccuracy, h.choice)
		}
	}
}

// heldOut are the held-apart sets and their floors, under the figures measured at
// 67c704b (heldout4: precision 0.946 to 0.960, recall 0.950 to 0.954 by language;
// heldout5: 0.934 to 0.935 and 0.913 to 0.928) and, for heldout6 with its labels settled,
// at f34af3f (0.918 to 0.947, 0.899 to 0.934; menu 0.942), and heldout7 with its labels
// settled at 240ecbe (0.905 to 0.935, 0.919 to 0.929; menu 0.952), and heldout8 with its
// labels settled with train9 (0.921 to 0.938, 0.909 to 0.941; menu 0.945), and heldout9 with
// train10 (0.912 to 0.921, 0.886 to 0.906; menu 0.931): a change that reads fresh text worse
// fails here.
var heldOut = []struct {
	file                      string
	precision, recall, choice float64
}{
	{"testdata/turns_heldout4.jsonl", 0.93, 0.93, 0.94},
	{"testdata/turns_heldout5.jsonl", 0.92, 0.90, 0.94},
	{"testdata/turns_heldout6.jsonl", 0.90, 0.89, 0.93},
	{"testdata/turns_heldout7.jsonl", 0.89, 0.90, 0.93},
	{"testdata/turns_heldout8.jsonl", 0.90, 0.89, 0.93},
	{"testdata/turns_heldout9.jsonl", 0.90, 0.87, 0.92},
}

func evaluateFile(t *testing.T, rd *Reader, file string) TurnsEvaluation {
	t.Helper()
	turns, err := ReadTurns(file)
	if err != nil {
		t.Fatal(err)
	}
	return EvaluateTurns(context.Background(), rd, turns, false)
}

// labelled reports an act the file labels at all (laughter is read, never labelled).
func labelled(ev TurnsEvaluation, act string) bool {
	for _, s := range ev.Acts[act] {
		if s.N > 0 {
			return true
		}
	}
	return false
}

package intents

import (
	"context"
	"testing"
)

// TestTurnsQuality reads the labelled turns in context with the built-in classifier and
// the embedded acts, and holds every act's precision and recall in every language to a
// floor: on the tuning file, where the word lists were tuned, and on the held-apart third,
// which no tuning looked at (intents/testdata/turns_README.md).
func TestTurnsQuality(t *testing.T) {
	clf := defaultClassifier(t)
	rd := &Reader{NLU: clf, Lexicon: DefaultLexicon(), SerialPattern: DefaultSerialPattern}
	for _, tc := range []struct {
		file  string
		floor float64
	}{
		{"testdata/turns_tune.jsonl", 0.9},
		{"testdata/turns_heldout.jsonl", heldOutFloor},
	} {
		turns, err := ReadTurns(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		ev := EvaluateTurns(context.Background(), rd, turns, false)
		for act, byLang := range ev.Acts {
			labelled := 0
			for _, s := range byLang {
				labelled += s.N
			}
			if labelled == 0 {
				continue // an act the file does not label (laughter): not scored
			}
			for lang, s := range byLang {
				if s.N > 0 && s.Recall < tc.floor || s.TP+s.FP > 0 && s.Precision < tc.floor {
					t.Errorf("%s: %s in %s: precision %.2f, recall %.2f (n=%d), want at least %.2f", tc.file, act, lang, s.Precision, s.Recall, s.N, tc.floor)
				}
			}
		}
		if ev.ChoiceAccuracy < 0.9 {
			t.Errorf("%s: menu choice accuracy %.3f, want at least 0.9", tc.file, ev.ChoiceAccuracy)
		}
	}
}

// heldOutFloor is the floor on the held-apart turns: the 0.9.
const heldOutFloor = 0.9

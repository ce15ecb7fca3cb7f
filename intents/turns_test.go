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
// turns_heldout4.jsonl was written by others who saw none of those turns nor the lists,
// and no tuning has looked at it: it is held to the figures it gave when measured once
// (each language's acts together), so that a change that reads fresh text worse fails
// here; its per-act figures are in the README.
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
	ev = evaluateFile(t, rd, "testdata/turns_heldout4.jsonl")
	for _, lang := range []string{"en", "es", "pt"} {
		if p, r := ev.Overall(lang); p < heldOutPrecision || r < heldOutRecall {
			t.Errorf("turns_heldout4.jsonl, %s, all acts: precision %.3f, recall %.3f, want at least %.2f and %.2f", lang, p, r, heldOutPrecision, heldOutRecall)
		}
	}
	if ev.ChoiceAccuracy < 0.95 {
		t.Errorf("turns_heldout4.jsonl: menu choice accuracy %.3f, want at least 0.95", ev.ChoiceAccuracy)
	}
}

// The floors on turns_heldout4.jsonl, under the figures measured once (precision 0.920 to
// 0.939, recall 0.923 to 0.925 by language): 34 of the 57 act-and-language cells reach the
// 0.9 that is the goal.
const (
	heldOutPrecision = 0.90
	heldOutRecall    = 0.90
)

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

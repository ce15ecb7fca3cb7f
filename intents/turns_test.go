package intents

import (
	"context"
	"testing"
)

// TestTurnsQuality reads the labelled turns in context with the built-in classifier and
// the embedded acts (intents/testdata/turns_README.md).
//
// The word lists were tuned on turns_tune.jsonl and, once it had been reported, on
// turns_heldout.jsonl: there every act is held to 0.9 precision and recall in every
// language. turns_heldout2.jsonl was written afterwards by someone who saw neither those
// turns nor the word lists, and no tuning has looked at it: it is held to the figures it
// gave when measured once (each language's acts together), so that a change that reads
// fresh text worse fails here; its per-act figures are in the README.
func TestTurnsQuality(t *testing.T) {
	clf := defaultClassifier(t)
	rd := &Reader{NLU: clf, Lexicon: DefaultLexicon(), SerialPattern: DefaultSerialPattern}
	for _, file := range []string{"testdata/turns_tune.jsonl", "testdata/turns_heldout.jsonl"} {
		ev := evaluateFile(t, rd, file)
		for act, byLang := range ev.Acts {
			for lang, s := range byLang {
				if labelled(ev, act) && (s.N > 0 && s.Recall < 0.9 || s.TP+s.FP > 0 && s.Precision < 0.9) {
					t.Errorf("%s: %s in %s: precision %.2f, recall %.2f (n=%d), want at least 0.9", file, act, lang, s.Precision, s.Recall, s.N)
				}
			}
		}
		if ev.ChoiceAccuracy < 0.95 {
			t.Errorf("%s: menu choice accuracy %.3f, want at least 0.95", file, ev.ChoiceAccuracy)
		}
	}
	ev := evaluateFile(t, rd, "testdata/turns_heldout2.jsonl")
	for _, lang := range []string{"en", "es", "pt"} {
		var tp, fp, n int
		for act, byLang := range ev.Acts {
			if s := byLang[lang]; labelled(ev, act) {
				tp, fp, n = tp+s.TP, fp+s.FP, n+s.N
			}
		}
		p, r := float64(tp)/float64(tp+fp), float64(tp)/float64(n)
		if p < heldOut2Precision || r < heldOut2Recall {
			t.Errorf("turns_heldout2.jsonl, %s, all acts: precision %.3f, recall %.3f, want at least %.2f and %.2f", lang, p, r, heldOut2Precision, heldOut2Recall)
		}
	}
	if ev.ChoiceAccuracy < 0.95 {
		t.Errorf("turns_heldout2.jsonl: menu choice accuracy %.3f, want at least 0.95", ev.ChoiceAccuracy)
	}
}

// The floors on turns_heldout2.jsonl, under the figures measured once (precision 0.930 to
// 0.962, recall 0.830 to 0.875 by language): short of the 0.9 per act that is the goal.
const (
	heldOut2Precision = 0.92
	heldOut2Recall    = 0.82
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

package intents
import ("testing";"context")
func TestZZ3(t *testing.T) {
	clf := defaultClassifier(t)
	rd := &Reader{NLU: clf, Lexicon: DefaultLexicon(), SerialPattern: DefaultSerialPattern}
	ev := EvaluateTurns(context.Background(), rd, TrainingTurns(), true)
	for _, m := range ev.Misses { if true { t.Log(m) } }
}

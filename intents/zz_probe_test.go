package intents

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestZZProbe(t *testing.T) {
	var train []Turn
	files := []string{"turns/tune.jsonl", "turns/heldout1.jsonl"}
	if extra := os.Getenv("ZZ_EXTRA"); extra != "" {
		files = append(files, strings.Split(extra, ",")...)
	}
	for _, f := range files {
		ts, err := ReadTurns(f)
		if err != nil {
			t.Fatal(err)
		}
		train = append(train, ts...)
	}
	test, _ := ReadTurns("turns/heldout2.jsonl")
	clf := defaultClassifier(t)
	m := trainActModel(append(append(dedupTurns(train), lexiconTurns(DefaultLexicon())...), requestTurns(Default(), DefaultLexicon())...), 1)
	for _, th := range []float32{0, 0.4, 0.5, 0.6, 0.7} {
		rd := Reader{NLU: clf, Lexicon: DefaultLexicon(), SerialPattern: DefaultSerialPattern, model: m, threshold: th, ListsOnly: th == 0}
		ev := EvaluateTurns(context.Background(), &rd, test, os.Getenv("ZZ_MISSES") != "" && th == 0.7)
		line := fmt.Sprintf("th %.1f", th)
		cells := 0
		for _, l := range []string{"en", "es", "pt"} {
			p, r := ev.Overall(l)
			line += fmt.Sprintf("  %s %.3f/%.3f", l, p, r)
			for _, bl := range ev.Acts {
				if s := bl[l]; s.N > 0 && s.Precision >= 0.9 && s.Recall >= 0.9 {
					cells++
				}
			}
		}
		t.Log(line, " cells>=0.9:", cells)
		for _, m := range ev.Misses {
			t.Log(m)
		}
	}
}

func TestZZProbeLex(t *testing.T) {
	var train []Turn
	for _, f := range []string{"turns/tune.jsonl", "turns/heldout1.jsonl", "/work/train/en.jsonl"} {
		ts, _ := ReadTurns(f)
		train = append(train, ts...)
	}
	lex := DefaultLexicon()
	n := 0
	for a := Act(0); a < numActs; a++ {
		m := lex.acts[a]
		var ps []string
		ps = append(ps, m.whole...)
		ps = append(ps, m.phrases...)
		for w := range m.words {
			ps = append(ps, w)
		}
		for _, p := range ps {
			train = append(train, Turn{Lang: "xx", State: "", Text: p, Acts: []string{a.String()}})
			n++
		}
	}
	t.Log("lexicon examples", n)
	test, _ := ReadTurns("turns/heldout2.jsonl")
	clf := defaultClassifier(t)
	m := trainActModel(append(append(dedupTurns(train), lexiconTurns(DefaultLexicon())...), requestTurns(Default(), DefaultLexicon())...), 1)
	for _, th := range []float32{0.4, 0.5, 0.6, 0.7} {
		rd := Reader{NLU: clf, Lexicon: lex, SerialPattern: DefaultSerialPattern, model: m, threshold: th}
		ev := EvaluateTurns(context.Background(), &rd, test, false)
		line := fmt.Sprintf("th %.1f", th)
		cells := 0
		for _, l := range []string{"en", "es", "pt"} {
			p, r := ev.Overall(l)
			line += fmt.Sprintf("  %s %.3f/%.3f", l, p, r)
			for _, bl := range ev.Acts {
				if s := bl[l]; s.N > 0 && s.Precision >= 0.9 && s.Recall >= 0.9 {
					cells++
				}
			}
		}
		t.Log(line, " cells>=0.9:", cells)
	}
}



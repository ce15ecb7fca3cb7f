package intents

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestBenchmarkSets runs EvalCommand on the shared benchmark files. It takes minutes, so
// it runs only with INTENTS_BENCH=1 (optionally INTENTS_BENCH_ONLY=substring of a name).
func TestBenchmarkSets(t *testing.T) {
	if testing.Short() || os.Getenv("INTENTS_BENCH") != "1" {
		t.Skip("set INTENTS_BENCH=1 to run the benchmark sets")
	}
	dir := os.Getenv("INTENTS_BENCH_DIR")
	if dir == "" {
		dir = "/work/shared/intents-bench"
	}
	p := func(s string) string { return filepath.Join(dir, s) }
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"clinc150_full", []string{"--train", p("clinc150/train.jsonl"), "--valid", p("clinc150/valid.jsonl"), "--test", p("clinc150/test.jsonl")}},
		{"clinc150_full_w0.1", []string{"--train", p("clinc150/train.jsonl"), "--valid", p("clinc150/valid.jsonl"), "--test", p("clinc150/test.jsonl"), "--oos-weight", "0.1"}},
		{"clinc150_full_w0.03", []string{"--train", p("clinc150/train.jsonl"), "--valid", p("clinc150/valid.jsonl"), "--test", p("clinc150/test.jsonl"), "--oos-weight", "0.03"}},
		{"clinc150_full_cv_w0.1", []string{"--train", p("clinc150/train.jsonl"), "--test", p("clinc150/test.jsonl"), "--oos-weight", "0.1"}},
		{"clinc150_10shot", []string{"--train", p("clinc150/train_10.jsonl"), "--valid", p("clinc150/valid.jsonl"), "--test", p("clinc150/test.jsonl")}},
		{"clinc150_10shot_w0.1", []string{"--train", p("clinc150/train_10.jsonl"), "--valid", p("clinc150/valid.jsonl"), "--test", p("clinc150/test.jsonl"), "--oos-weight", "0.1"}},
		{"banking77_full", []string{"--train", p("banking77/train.jsonl"), "--test", p("banking77/test.jsonl")}},
		{"banking77_10shot", []string{"--train", p("banking77/train_10.jsonl"), "--test", p("banking77/test.jsonl")}},
	} {
		if only := os.Getenv("INTENTS_BENCH_ONLY"); only != "" && !strings.Contains(tc.name, only) {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			runtime.GC()
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			if err := EvalCommand(tc.args, &out, &errb); err != nil {
				t.Fatalf("EvalCommand: %v\n%s", err, errb.String())
			}
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			t.Logf("%s: %s(total alloc %d MB)", tc.name, out.String(), (after.TotalAlloc-before.TotalAlloc)>>20)
		})
	}
}

// TestBenchmarkEval runs EvalCommand with the arguments in INTENTS_EVAL_ARGS, for tuning.
func TestBenchmarkEval(t *testing.T) {
	args := strings.Fields(os.Getenv("INTENTS_EVAL_ARGS"))
	if testing.Short() || os.Getenv("INTENTS_BENCH") != "1" || len(args) == 0 {
		t.Skip("set INTENTS_BENCH=1 and INTENTS_EVAL_ARGS")
	}
	var out, errb bytes.Buffer
	if err := EvalCommand(args, &out, &errb); err != nil {
		t.Fatalf("EvalCommand: %v\n%s", err, errb.String())
	}
	t.Log(out.String())
}

// BenchmarkPredictCLINC measures a query against 150 intents (CLINC150 10-shot model).
func BenchmarkPredictCLINC(b *testing.B) {
	dir := "/work/shared/intents-bench/clinc150/"
	train, err := ReadExamples(dir + "train_10.jsonl")
	if err != nil {
		b.Skip(err)
	}
	test, err := ReadExamples(dir + "test.jsonl")
	if err != nil {
		b.Skip(err)
	}
	c, err := TrainExamples(train, Options{Folds: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.Predict(test[i%len(test)].Text)
	}
}

package intents

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadVectors(t *testing.T) {
	v, err := LoadVectors("testdata/vectors.vec", 0)
	if err != nil {
		t.Fatal(err)
	}
	// "," folds to nothing and "CAFE" to the "cafe" already read.
	if v.Dim() != 4 || v.Len() != 6 {
		t.Fatalf("dim %d, %d words; want 4 and 6", v.Dim(), v.Len())
	}
	if c, ok := v.lookup("cafe"); !ok || c[2] != 1 || c[3] != 0 {
		t.Fatalf("cafe = %v, %v; want the first line's vector, folded", c, ok)
	}
	if _, ok := v.lookup(","); ok {
		t.Fatal("punctuation has a vector")
	}
	v, err = LoadVectors("testdata/vectors.vec", 2)
	if err != nil {
		t.Fatal(err)
	}
	if v.Len() != 2 {
		t.Fatalf("maxWords 2 gave %d words", v.Len())
	}
}

func TestLoadVectorsNoHeader(t *testing.T) {
	path := filepath.Join(t.TempDir(), "glove.txt")
	if err := os.WriteFile(path, []byte("hello 1 2\nworld 3 4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	v, err := LoadVectors(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := v.lookup("world"); v.Dim() != 2 || !ok || c[1] != 4 {
		t.Fatalf("dim %d, world = %v", v.Dim(), c)
	}
}

func TestLoadVectorsErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, text, want string }{
		{"short", "2 3\nhello 1 2 3\nworld 1 2\n", ":3: 2 components, want 3"},
		{"number", "hello 1 2\nworld 1 x\n", `:2: component 2: bad number "x"`},
		{"nan", "hello 1 NaN\n", `:1: component 2: bad number "NaN"`},
		{"header", "3 -1\nhello 1\n", ":1: bad header"},
		{"word only", "hello\n", ":1: want a word and its vector"},
		{"empty", "\n", "no word vectors"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".vec")
			if err := os.WriteFile(path, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadVectors(path, 0)
			if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v; want %s and %q", err, path, tc.want)
			}
		})
	}
	if _, err := LoadVectors(filepath.Join(dir, "missing.vec"), 0); err == nil {
		t.Fatal("missing file: no error")
	}
}

// vectorExamples teach two intents whose words the queries below never use.
var vectorExamples = []Example{
	{"i want to buy it", "buy"}, {"buy now", "buy"}, {"let me buy it", "buy"},
	{"i want to sell it", "sell"}, {"sell now", "sell"}, {"let me sell it", "sell"},
}

func TestVectorsChangePredictions(t *testing.T) {
	v, err := LoadVectors("testdata/vectors.vec", 0)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := TrainExamples(vectorExamples, Options{Folds: 1, Threshold: -1})
	if err != nil {
		t.Fatal(err)
	}
	withVec, err := TrainExamples(vectorExamples, Options{Folds: 1, Threshold: -1, Vectors: v})
	if err != nil {
		t.Fatal(err)
	}
	if d := withVec.fz.dims() - len(withVec.fz.idf); d != v.Dim() {
		t.Fatalf("%d dense features, want %d", d, v.Dim())
	}
	if d := plain.fz.dims(); d != len(plain.fz.idf) {
		t.Fatalf("without vectors: %d features, %d in the vocabulary", d, len(plain.fz.idf))
	}
	conf := func(c *Classifier, text, intent string) float64 {
		for _, s := range c.Predict(text).Ranked {
			if s.Intent == intent {
				return s.Confidence
			}
		}
		return 0
	}
	for _, tc := range []struct{ text, want string }{{"purchase", "buy"}, {"vend", "sell"}, {"Purchase!!", "buy"}} {
		r := withVec.Predict(tc.text)
		if r.Intent != tc.want {
			t.Errorf("with vectors, %q -> %s (%v); want %s", tc.text, r.Intent, r.Ranked, tc.want)
		}
		if p, q := conf(plain, tc.text, tc.want), conf(withVec, tc.text, tc.want); q <= p+0.1 {
			t.Errorf("%q: confidence in %s %.3f with vectors, %.3f without; want a clear gain", tc.text, tc.want, q, p)
		}
	}
	// The training texts still come out right.
	if got, want := withVec.Predict("buy now").Intent, "buy"; got != want {
		t.Errorf("training text -> %s, want %s", got, want)
	}
}

func TestEvalCommandVectors(t *testing.T) {
	dir := t.TempDir()
	train := filepath.Join(dir, "train.jsonl")
	var b strings.Builder
	for _, e := range vectorExamples {
		b.WriteString(`{"text": "` + e.Text + `", "intent": "` + e.Intent + `"}` + "\n")
	}
	if err := os.WriteFile(train, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	test := filepath.Join(dir, "test.jsonl")
	if err := os.WriteFile(test, []byte(`{"text": "purchase", "intent": "buy"}`+"\n"+`{"text": "vend", "intent": "sell"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	args := []string{"--train", train, "--test", test, "--folds", "1", "--threshold", "-1", "--vectors", "testdata/vectors.vec"}
	if err := EvalCommand(args, &out, &errb); err != nil {
		t.Fatalf("EvalCommand: %v\n%s", err, errb.String())
	}
	if !strings.Contains(out.String(), `"in_scope_accuracy": 1,`) {
		t.Errorf("with vectors: %s", out.String())
	}
	bad := filepath.Join(dir, "bad.vec")
	if err := os.WriteFile(bad, []byte("a 1 2\nb 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := EvalCommand([]string{"--train", train, "--test", test, "--vectors", bad}, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), bad+":2:") {
		t.Errorf("bad vectors file: err = %v, want %s:2:", err, bad)
	}
}

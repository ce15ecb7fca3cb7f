package intents

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

//go:embed default_intents.yaml
var defaultYAML []byte

// languages the built-in data and language detection cover: those of intents/langs.
var languages = func() []string {
	var out []string
	for _, l := range knownLanguages {
		out = append(out, l.Code)
	}
	return out
}()

// Dataset holds the training examples of an intents file.
type Dataset struct {
	// Name is the file it came from, for messages.
	Name string
	// Intents in file order.
	Intents []Intent
	// OOS holds out-of-scope examples per language: they train a class of their own (see
	// Options.NoOOSClass) and choose the rejection threshold.
	OOS map[string][]string
}

// Intent is one intent's examples per language ("en", "es", "pt").
type Intent struct {
	Name     string
	Examples map[string][]string
}

// With returns a copy of ds changed by change; ds stays as it is.
func (ds *Dataset) With(change func(*Dataset)) *Dataset {
	cp := *ds
	cp.Intents = append([]Intent(nil), ds.Intents...)
	change(&cp)
	return &cp
}

// Examples flattens the dataset; out-of-scope examples get intent OutOfScope.
// The order is fixed so that training is deterministic.
func (ds *Dataset) Examples() []Example {
	var out []Example
	for _, in := range ds.Intents {
		for _, l := range sortedKeys(in.Examples) {
			for _, t := range in.Examples[l] {
				out = append(out, Example{Text: t, Intent: in.Name})
			}
		}
	}
	for _, l := range sortedKeys(ds.OOS) {
		for _, t := range ds.OOS[l] {
			out = append(out, Example{Text: t, Intent: OutOfScope})
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Default returns the intents file embedded in the binary. It panics only if that file is
// broken, which the package tests rule out.
func Default() *Dataset {
	ds, err := Parse("default_intents.yaml", defaultYAML)
	if err != nil {
		panic(err)
	}
	return ds
}

// DefaultClassifier is the classifier of the embedded intents with the default options,
// trained once per process: it is safe for concurrent use, and a process that starts the
// bot many times (the tests, the shell) pays for the training once.
var DefaultClassifier = sync.OnceValues(func() (*Classifier, error) {
	return Train(Default(), Options{})
})

// LoadFile reads an intents file (BOT_INTENTS_FILE) replacing the embedded one.
func LoadFile(path string) (*Dataset, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

var (
	intentName  = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	yamlLineErr = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
)

// Parse reads an intents file. Errors read "name:line: reason" so that a bad file can be
// fixed from the start-up message alone. The format is:
//
//	intents:
//	  update_router:
//	    en: [update my router, ...]
//	    es: [...]
//	oos:
//	  en: [what's my bill, ...]
func Parse(name string, data []byte) (*Dataset, error) {
	// The YAML reader names no line for these: find it first.
	for i, line := range bytes.Split(data, []byte("\n")) {
		if !utf8.Valid(line) {
			return nil, fmt.Errorf("%s:%d: not UTF-8 (save the file as UTF-8, not Latin-1)", name, i+1)
		}
		if j := bytes.IndexFunc(line, func(r rune) bool { return unicode.IsControl(r) && r != '\t' && r != '\r' }); j >= 0 {
			r, _ := utf8.DecodeRune(line[j:])
			return nil, fmt.Errorf("%s:%d: a control character (%U) at byte %d", name, i+1, r, j+1)
		}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		if m := yamlLineErr.FindStringSubmatch(err.Error()); m != nil {
			return nil, fmt.Errorf("%s:%s: %s", name, m[1], m[2])
		}
		// The reader leaves out "line 1".
		return nil, fmt.Errorf("%s:1: %s", name, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	fail := func(n *yaml.Node, format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s", name, n.Line, fmt.Sprintf(format, args...))
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, fmt.Errorf("%s: empty file", name)
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fail(root, "want a mapping with keys intents and oos")
	}
	ds := &Dataset{Name: name, OOS: map[string][]string{}}
	var sawIntents bool
	keys := map[string]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if keys[k.Value] {
			return nil, fail(k, "%s: defined twice (merge the two)", k.Value)
		}
		keys[k.Value] = true
		switch k.Value {
		case "intents":
			sawIntents = true
			if v.Kind != yaml.MappingNode {
				return nil, fail(v, "intents: want a mapping of intent name to languages")
			}
			seen := map[string]bool{}
			for j := 0; j+1 < len(v.Content); j += 2 {
				nk, nv := v.Content[j], v.Content[j+1]
				if !intentName.MatchString(nk.Value) || nk.Value == OutOfScope {
					return nil, fail(nk, "bad intent name %q (want lower case letters, digits, _; not %q)", nk.Value, OutOfScope)
				}
				if seen[nk.Value] {
					return nil, fail(nk, "intent %q defined twice", nk.Value)
				}
				seen[nk.Value] = true
				ex, err := parseLangs(nv, fail)
				if err != nil {
					return nil, err
				}
				if len(ex) == 0 {
					return nil, fail(nk, "intent %q has no examples", nk.Value)
				}
				ds.Intents = append(ds.Intents, Intent{Name: nk.Value, Examples: ex})
			}
		case "oos":
			ex, err := parseLangs(v, fail)
			if err != nil {
				return nil, err
			}
			ds.OOS = ex
		default:
			return nil, fail(k, "unknown key %q (want intents or oos)", k.Value)
		}
	}
	if !sawIntents || len(ds.Intents) < 2 {
		return nil, fail(root, "need at least two intents under intents:")
	}
	return ds, nil
}

func parseLangs(n *yaml.Node, fail func(*yaml.Node, string, ...any) error) (map[string][]string, error) {
	if n.Kind != yaml.MappingNode {
		return nil, fail(n, "want a mapping of language (en, es, pt) to a list of examples")
	}
	out := map[string][]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		lk, lv := n.Content[i], n.Content[i+1]
		if !isLanguage(lk.Value) {
			return nil, fail(lk, "unknown language %q (want en, es or pt)", lk.Value)
		}
		if lv.Kind != yaml.SequenceNode {
			return nil, fail(lv, "%s: want a list of examples", lk.Value)
		}
		for _, e := range lv.Content {
			if e.Kind != yaml.ScalarNode {
				return nil, fail(e, "example must be text")
			}
			if len(words(e.Value)) == 0 {
				return nil, fail(e, "example %s has no words", strconv.Quote(e.Value))
			}
			out[lk.Value] = append(out[lk.Value], e.Value)
		}
	}
	return out, nil
}

func isLanguage(l string) bool {
	for _, x := range languages {
		if x == l {
			return true
		}
	}
	return false
}

var errNoData = errors.New("intents: need examples of at least two intents")

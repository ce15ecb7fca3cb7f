package intents

import (
	"strings"
	"testing"
)

// A list an acts file names that no code reads is a typo or a leftover: loading it fails
// with its name, and nothing of the file is silently lost.
func TestUnknownPhraseListIsAnError(t *testing.T) {
	err := newLexicon().add("acts/xx.yaml", []byte("who_doe: [eso lo hace una persona]\n"))
	if err == nil || !strings.Contains(err.Error(), `"who_doe"`) || !strings.Contains(err.Error(), "acts/xx.yaml") {
		t.Fatalf("err = %v, want the file and the unknown list named", err)
	}
	if err := newLexicon().add("acts/xx.yaml", []byte("who_does: [eso lo hace una persona]\n")); err != nil {
		t.Fatalf("a known list: %v", err)
	}
}

// Every list the code reads has phrases in the embedded acts files, in every language.
func TestEveryPhraseListHasPhrasesInEachLanguage(t *testing.T) {
	for _, lang := range []string{"en", "es", "pt"} {
		data, err := actFiles.ReadFile("acts/" + lang + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		lex := newLexicon()
		if err := lex.add(lang, data); err != nil {
			t.Fatal(err)
		}
		for _, name := range phraseLists {
			if len(lex.lists[name]) == 0 {
				t.Errorf("%s: list %s has no phrases", lang, name)
			}
		}
	}
}

package bot

import (
	"strings"
	"testing"
)

// A topic's question is the operator's to write: a catalog over the default changes one
// language of it, and a question of its own needs a text in every language the topic
// answers in, as the default's have.
func TestTopicQuestionsNeedEveryLanguage(t *testing.T) {
	c, err := LoadCatalog("mine.yaml", []byte("topics:\n  billing:\n    questions:\n      due_date:\n        en: \"Your bill is due on the 10th of each month.\"\n"))
	if err != nil {
		t.Fatalf("an English override of a default question: %v", err)
	}
	if got, want := c.topicQuestion("billing", "due_date", "en"), "Your bill is due on the 10th of each month."; got != want {
		t.Fatalf("due_date in en = %q, want %q", got, want)
	}
	if got := c.topicQuestion("billing", "due_date", "es"); !strings.Contains(got, "vencimiento") {
		t.Fatalf("due_date in es = %q, want the default's Spanish kept", got)
	}
	_, err = LoadCatalog("mine.yaml", []byte("topics:\n  billing:\n    questions:\n      late_fee:\n        en: \"The late fee is $5.\"\n"))
	for _, want := range []string{"topics.billing.questions.late_fee: no es text", "topics.billing.questions.late_fee: no pt text"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("a question in English only: %v, want %q", err, want)
		}
	}
	for name, tp := range DefaultCatalog().Topics() {
		for q, texts := range tp.Questions {
			for _, lang := range DefaultCatalog().Languages() {
				if texts[lang] == "" {
					t.Errorf("the default topic %s's question %s has no %s text", name, q, lang)
				}
			}
		}
	}
}

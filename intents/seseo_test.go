package intents

import "testing"

// "actualisalo", the z written as it sounds in Latin America, is the button's "actualízalo":
// the built-in classifier reads the update in it.
func TestSeseoSpellingReadsTheUpdate(t *testing.T) {
	if got, want := Normalize("actualisalo"), "actualizalo"; got != want {
		t.Fatalf("Normalize(actualisalo)=%q, want %q", got, want)
	}
	c, err := DefaultClassifier()
	if err != nil {
		t.Fatal(err)
	}
	if r := c.Predict("actualisalo"); r.Intent != UpdateRouter {
		t.Fatalf("actualisalo read as %s (%.2f), want %s", r.Intent, r.Confidence, UpdateRouter)
	}
}

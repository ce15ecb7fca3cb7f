package bot

import (
	"strings"
	"testing"
)

// Every update text exists in every language, with the same placeholders as the English.
func TestUpdateTextsInEveryLanguage(t *testing.T) {
	for key, en := range updateTexts[defaultLanguage] {
		for _, lang := range languages {
			text, ok := updateTexts[lang][key]
			if !ok || text == "" {
				t.Fatalf("%s has no %s text", key, lang)
			}
			if strings.Count(text, "%s") != strings.Count(en, "%s") {
				t.Fatalf("%s in %s: %q has other placeholders than %q", key, lang, text, en)
			}
		}
	}
}

// Button titles fit WhatsApp's 20 characters in every language.
func TestUpdateButtonsFitWhatsApp(t *testing.T) {
	for _, lang := range languages {
		for key, text := range updateTexts[lang] {
			if strings.HasPrefix(string(key), "btn_") && len([]rune(text)) > 20 {
				t.Fatalf("%s in %s: %q has %d characters, WhatsApp takes 20", key, lang, text, len([]rune(text)))
			}
		}
	}
}

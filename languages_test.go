package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/cwbot/cwbot/bot"
)

// A language of the operator's own, added without a rebuild: its texts in
// BOT_CONTENT_FILE, how to detect it and its dialogue acts in BOT_LANGUAGES_DIR. A French
// customer writing French is then answered in French, and read in French ("ne marche
// pas" is a complaint about the connection). It runs as a child process: adding a language
// changes the intents package for the whole process.
func TestOperatorLanguageEndToEnd(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("langs/fr.yaml", `name: French
locales: [fr, fra, french, francais]
phone_prefixes: ["33", "32", "41"]
words: >-
  le la les un une des et est je tu il elle nous vous mon ma mes ne pas plus bonjour salut merci oui non
  ça marche internet connexion routeur aide parler avec quelqu un
`)
	write("acts/fr.yaml", `negations: [ne, pas, jamais]
politeness: [merci, svp, stp]
acts:
  greeting:
    whole: [bonjour, salut, bonsoir]
    words: [bonjour, salut]
  connection_complaint:
    phrases: [ne marche pas, ne fonctionne pas, pas d internet, plus d internet, connexion lente]
  thanks:
    words: [merci]
`)
	var def struct {
		Texts map[string]map[string]string `yaml:"texts"`
	}
	if err := yaml.Unmarshal(bot.ExportContent(), &def); err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	sb.WriteString("languages: [fr]\nbrand:\n  bot_name: {fr: \"l'assistant virtuel\"}\n  company: {fr: \"votre opérateur\"}\n  phone: {fr: \"3900\"}\n  website: {fr: \"notre site\"}\ntexts:\n")
	n := 0
	for key, byLang := range def.Texts {
		text := "FR " + byLang["en"]
		if strings.Contains(key, "button") {
			n++
			text = fmt.Sprintf("FR bouton %d", n)
		}
		q, _ := yaml.Marshal(text)
		fmt.Fprintf(&sb, "  %s:\n    fr: %s", key, q)
	}
	write("content.yaml", sb.String())

	cmd := exec.Command(cwbotBinary(t), "shell", "--env", "--phone", "+33612345678", "--step-delay", "10ms")
	cmd.Env = append(os.Environ(), "BOT_LANGUAGES_DIR="+dir, "BOT_CONTENT_FILE="+filepath.Join(dir, "content.yaml"), "BOT_TURN_WINDOW=0")
	cmd.Stdin = strings.NewReader("bonjour\nma connexion internet ne marche pas depuis ce matin\n")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("shell: %v\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{
		"bot> FR FR Hi You! I'm l'assistant virtuel.",    // the greeting, in this catalog's French
		"bot> FR I'm sorry about the connection trouble", // the complaint, read in French
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the shell printed:\n%s\nwant a line with %q", got, want)
		}
	}
}

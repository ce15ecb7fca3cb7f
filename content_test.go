package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cwbot/cwbot/bot"
	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
)

func writeContent(t *testing.T, path, text string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// An operator's file changes the greeting and a button, in all three languages, end to
// end: the webhook in, the bot's message in the fake Chatwoot.
func TestContentOverrideGreeting(t *testing.T) {
	file := writeContent(t, filepath.Join(t.TempDir(), "content.yaml"), `
brand:
  bot_name: {en: "Lia, Acme's assistant", es: "Lía, la asistente de Acme", pt: "Lia, a assistente da Acme"}
texts:
  hello_name:
    en: "Hello {name}!"
    es: "¡Buenas, {name}!"
    pt: "Oi, {name}!"
  button_update_router:
    es: "Actualizar router"
`)
	for _, tc := range []struct {
		lang, text, greeting, button string
	}{
		{"en", "hello", "Hello Maria! I'm Lia, Acme's assistant. I can update", "Update my router"},
		{"es", "hola, buenas tardes", "¡Buenas, Maria! Soy Lía, la asistente de Acme. Puedo actualizar", "Actualizar router"},
		{"pt", "oi, bom dia", "Oi, Maria! Sou Lia, a assistente da Acme. Posso atualizar", "Atualizar roteador"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			h := newHarness(t, nil, func(c *Config) { c.ContentFile = file })
			conv := h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Maria Silva"})
			h.says(conv, tc.text)
			h.settle()
			got := h.public(conv)
			if len(got) != 1 || !strings.HasPrefix(got[0].Content, tc.greeting) {
				t.Fatalf("posted %q, want the greeting starting with %q", contents(got), tc.greeting)
			}
			if len(got[0].Items) != 2 || got[0].Items[0].Title != tc.button {
				t.Fatalf("menu %+v, want its first button %q", got[0].Items, tc.button)
			}
		})
	}
}

// A bad content file stops serve before it listens, with one line naming the file's line
// and the key.
func TestContentBadFileStopsServe(t *testing.T) {
	file := writeContent(t, filepath.Join(t.TempDir(), "content.yaml"), "texts:\n  cancelled:\n    en: OK\n  confirm_update:\n    en: Shall I update it?\n  greetng:\n    en: Hi\n")
	serveEnv(t, "http://127.0.0.1:9", map[string]string{"BOT_CONTENT_FILE": file})
	var stdout, stderr bytes.Buffer
	err := Run(context.Background(), []string{"serve"}, nil, &stdout, &stderr)
	if err == nil {
		t.Fatal("serve started with a bad content file")
	}
	want := "BOT_CONTENT_FILE: " + file + ":5: confirm_update: en text lacks {router}"
	if msg := err.Error(); !strings.HasPrefix(msg, want) || strings.Contains(msg, "\n") || !strings.Contains(msg, "and 1 more: cwbot content check") {
		t.Fatalf("serve: %q, want one line starting %q", msg, want)
	}
	if exitCode(err) != 1 {
		t.Fatalf("exit code %d, want 1", exitCode(err))
	}
}

// A reload swaps the texts in the middle of a conversation: the question open stays open,
// and is answered in the new words. A bad file is refused with a log line, and the texts
// stay.
func TestContentReloadMidConversation(t *testing.T) {
	file := filepath.Join(t.TempDir(), "content.yaml")
	writeContent(t, file, "brand:\n  bot_name: Ana\n")
	h := newHarness(t, nil, func(c *Config) { c.ContentFile = file })
	conv := h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Maria", ContactAttributes: map[string]any{"router_id": "ZX-9900-AB12"}})
	h.says(conv, "hello")
	h.says(conv, "update my router")
	h.settle()
	got := h.public(conv)
	if len(got) != 2 || !strings.Contains(got[0].Content, "I'm Ana.") || !strings.Contains(got[1].Content, "router ZX-9900-AB12") {
		t.Fatalf("before the reload: %q, want Ana's greeting and the confirmation", contents(got))
	}

	writeContent(t, file, `
brand:
  bot_name: Lia
texts:
  update_declined:
    en: "Fine, your router stays as it is."
  button_agent:
    en: "A person, please"
`)
	if err := h.app.ReloadContent(); err != nil {
		t.Fatal(err)
	}
	h.says(conv, "no")
	h.settle()
	got = h.public(conv)[2:]
	if len(got) != 1 || !strings.HasPrefix(got[0].Content, "Fine, your router stays as it is.") || got[0].Items[len(got[0].Items)-1].Title != "A person, please" {
		t.Fatalf("after the reload, no to the confirmation: %q %+v, want the new words for the question asked before", contents(got), got)
	}

	writeContent(t, file, "texts:\n  button_agent:\n    en: Talk to one of our friendly agents\n")
	var logs bytes.Buffer
	h.app.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	err := h.app.ReloadContent()
	if err == nil || !strings.Contains(err.Error(), file+":3: button_agent") {
		t.Fatalf("reload of a bad file: %v, want it refused with file:line", err)
	}
	if !strings.Contains(logs.String(), "content not reloaded") || !strings.Contains(logs.String(), "button_agent") {
		t.Fatalf("log: %q, want the refusal", logs.String())
	}
	// a new conversation, whose hello introduces the bot: by the name of the reload kept
	conv2 := h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Maria"})
	h.says(conv2, "hi")
	h.settle()
	got = h.public(conv2)
	if len(got) != 1 || !strings.Contains(got[0].Content, "I'm Lia.") || got[0].Items[len(got[0].Items)-1].Title != "A person, please" {
		t.Fatalf("after a refused reload: %q, want Lia's words still", contents(got))
	}
}

// SIGHUP reloads: each signal is one reload, until the service stops.
func TestReloadOnSignal(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	sig := make(chan os.Signal)
	reloaded := make(chan struct{})
	done := make(chan struct{})
	go func() {
		reloadOn(ctx, sig, func() error { reloaded <- struct{}{}; return errors.New("bad file") })
		close(done)
	}()
	for range 2 {
		sig <- syscall.SIGHUP
		<-reloaded
	}
	cancel()
	<-done
}

// A change of the file reloads it, looked at on each tick; an unchanged file is not read
// again.
func TestWatchContent(t *testing.T) {
	file := writeContent(t, filepath.Join(t.TempDir(), "content.yaml"), "brand:\n  company: Acme\n")
	ctx, cancel := context.WithCancel(context.Background())
	ticks := make(chan time.Time)
	reloads := 0
	done := make(chan struct{})
	go func() {
		watchContent(ctx, file, ticks, func() error { reloads++; return nil })
		close(done)
	}()
	ticks <- time.Time{} // unchanged
	writeContent(t, file, "brand:\n  company: Acme Telecom\n")
	ticks <- time.Time{} // changed: reloaded
	ticks <- time.Time{} // unchanged since
	cancel()
	<-done
	if reloads != 1 {
		t.Fatalf("%d reloads, want 1", reloads)
	}
}

func TestContentCheckCommand(t *testing.T) {
	dir := t.TempDir()
	good := writeContent(t, filepath.Join(dir, "good.yaml"), "brand:\n  company: Acme\n")
	bad := writeContent(t, filepath.Join(dir, "bad.yaml"), "texts:\n  greetng:\n    en: Hi\n  button_agent:\n    es: Hablar con una persona ya\n")
	run := func(args ...string) (string, error) {
		var stdout, stderr bytes.Buffer
		err := Run(context.Background(), append([]string{"content"}, args...), nil, &stdout, &stderr)
		return stdout.String(), err
	}
	t.Setenv("BOT_CONTENT_FILE", "")
	if out, err := run("check", good); err != nil || !strings.Contains(out, "good.yaml: good") {
		t.Fatalf("check of a good file: %v %q", err, out)
	}
	if out, err := run("check"); err != nil || !strings.Contains(out, "the embedded catalog: good") {
		t.Fatalf("check of the default: %v %q", err, out)
	}
	out, err := run("check", bad)
	if exitCode(err) != 1 {
		t.Fatalf("check of a bad file: exit %d (%v), want 1", exitCode(err), err)
	}
	want := []string{bad + ":2: greetng: unknown key (did you mean greeting?)",
		bad + ":5: button_agent: es text has 25 characters; a button title takes at most 20 on WhatsApp"}
	if lines := strings.Split(strings.TrimSpace(out), "\n"); !reflect.DeepEqual(lines, want) {
		t.Fatalf("check printed:\n%s\nwant:\n%s", out, strings.Join(want, "\n"))
	}
	t.Setenv("BOT_CONTENT_FILE", bad)
	if _, err := run("check"); exitCode(err) != 1 {
		t.Fatalf("check of BOT_CONTENT_FILE: %v, want it checked and refused", err)
	}
	if _, err := run("check", filepath.Join(dir, "missing.yaml")); exitCode(err) != 1 {
		t.Fatalf("check of a missing file: %v", err)
	}
	if _, err := run("check", good, bad); exitCode(err) != 2 {
		t.Fatalf("check of two files: %v, want a usage error", err)
	}
	if _, err := run("frobnicate"); exitCode(err) != 2 {
		t.Fatalf("unknown content command: %v, want a usage error", err)
	}
}

// The export is the default catalog, commented: read back as a content file it changes
// nothing.
func TestContentExport(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := Run(context.Background(), []string{"content", "export"}, nil, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	out := stdout.String()
	if !strings.HasPrefix(out, "# cwbot's content catalog") || !strings.Contains(out, "  # --- Failures") {
		t.Fatalf("export without its comments:\n%.300s", out)
	}
	c, err := bot.LoadCatalog("export.yaml", stdout.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c, bot.DefaultCatalog()) {
		t.Fatal("the export read back differs from the default catalog")
	}
}

// A regional variant's export is its file, which reads back over the default as a content
// file of its own; a variant the catalog has not is a usage error naming those it has.
func TestContentExportVariant(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := Run(context.Background(), []string{"content", "export", "pt-PT"}, nil, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "languages: [pt-PT]") {
		t.Fatalf("pt-PT export:\n%.300s", stdout.String())
	}
	c, err := bot.LoadCatalog("pt-PT.yaml", stdout.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c, bot.DefaultCatalog()) {
		t.Fatal("the pt-PT export read back differs from the default catalog")
	}
	err = Run(context.Background(), []string{"content", "export", "es-ES"}, nil, &stdout, &stderr)
	if exitCode(err) != 2 || !strings.Contains(err.Error(), "pt-PT") {
		t.Fatalf("export of a variant not embedded: %v, want a usage error naming pt-PT", err)
	}
}

// The shell speaks from --content.
func TestShellContent(t *testing.T) {
	file := writeContent(t, filepath.Join(t.TempDir(), "content.yaml"), "brand:\n  bot_name: Lia\n")
	lines := shellRun(t, "hi\n", "--content", file)
	shellExpect(t, lines, "bot> Hi You! I'm Lia.")
}

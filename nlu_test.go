package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
)

// TestExternalNLU runs the service with NLU_KIND=rasa: Rasa's answer decides, and when Rasa
// fails the built-in classifier answers instead.
func TestExternalNLU(t *testing.T) {
	t.Run("RasaDecides", func(t *testing.T) {
		rasa := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/model/parse" || r.Method != http.MethodPost {
				http.NotFound(w, r)
				return
			}
			// Whatever the text, Rasa says: thanks.
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"text":"x","intent":{"name":"thanks","confidence":0.97},"intent_ranking":[{"name":"thanks","confidence":0.97}]}`))
		}))
		defer rasa.Close()
		h := newHarness(t, nil, func(c *Config) { c.NLU, c.RasaURL = "rasa", rasa.URL })
		conv := h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Maria"})
		h.says(conv, "the thing i told you about") // no dialogue act of its own: Rasa's intent decides
		h.settle()
		got := h.public(conv)
		if len(got) != 1 || !strings.Contains(got[0].Content, "welcome") {
			t.Fatalf("posted %q, want Rasa's intent (thanks) answered", contents(got))
		}
	})
	t.Run("RasaDownFallsBack", func(t *testing.T) {
		rasa := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "boom", http.StatusInternalServerError)
		}))
		defer rasa.Close()
		h := newHarness(t, nil, func(c *Config) { c.NLU, c.RasaURL = "rasa", rasa.URL })
		conv := h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Maria"})
		h.says(conv, "hello there")
		h.settle()
		got := h.public(conv)
		if len(got) != 1 || !strings.HasPrefix(got[0].Content, "Hi Maria") {
			t.Fatalf("posted %q, want the built-in classifier's greeting", contents(got))
		}
	})
}

// In embeddings mode the examples embedded are those of BOT_INTENTS_FILE: the adapter took
// the embedded file's, so an intent of a custom file could never be answered.
func TestOpenAIEmbeddingsUseTheIntentsFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "intents.yaml")
	const unique = "where is my parcel zx"
	if err := os.WriteFile(file, []byte("intents:\n  track_parcel:\n    en: [\""+unique+"\", where is my order]\n"+
		"  greeting:\n    en: [hello, hi there]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	inputs := make(chan []any, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Input []any `json:"input"`
		}
		json.NewDecoder(r.Body).Decode(&req)
		select {
		case inputs <- req.Input:
		default:
		}
		var b strings.Builder
		b.WriteString(`{"data":[`)
		for i := range req.Input {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `{"embedding":[1,%d],"index":%d}`, i%3, i)
		}
		b.WriteString(`]}`)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(b.String()))
	}))
	defer srv.Close()
	nlu, err := buildNLU(Config{IntentsFile: file, NLU: "openai", OpenAIMode: "embeddings", OpenAIURL: srv.URL, NLUTimeout: 5 * time.Second}, nil)
	if err != nil {
		t.Fatal(err)
	}
	nlu.Classify(context.Background(), "hello")
	first := <-inputs
	if !slices.ContainsFunc(first, func(v any) bool { return v == unique }) || slices.ContainsFunc(first, func(v any) bool { return v == "update my router" }) {
		t.Fatalf("embedded %d examples %.300v: want BOT_INTENTS_FILE's, not the embedded file's", len(first), first)
	}
}

package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

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
		h.says(conv, "hello there")
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
		if len(got) != 2 || !strings.HasPrefix(got[0].Content, "Hi Maria") {
			t.Fatalf("posted %q, want the built-in classifier's greeting", contents(got))
		}
	})
}

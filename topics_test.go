package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
)

// Each topic's default answer says honestly what the bot cannot do and offers the agent,
// in the customer's language, and is never a misunderstanding; taking the agent hands off
// to the topic's team (team_id in BOT_CONTENT_FILE's topics) with the topic in the note.
// An operator's own topic, with its examples, is recognised and answered as set.
func TestTopicsEndToEnd(t *testing.T) {
	content := filepath.Join(t.TempDir(), "content.yaml")
	if err := os.WriteFile(content, []byte(`topics:
  billing:
    team_id: 9
  roaming:
    answer:
      en: "Roaming is included in every plan of {company}."
      es: "El roaming está incluido en todos los planes de {company}."
      pt: "O roaming está incluído em todos os planos da {company}."
    agent: none
    examples:
      en: [do i have roaming, can i use my phone abroad, is roaming included, roaming in europe]
      es: [tengo roaming, puedo usar el celular en el extranjero, incluye roaming, roaming en europa]
      pt: [tenho roaming, posso usar o celular no exterior, inclui roaming, roaming na europa]
brand:
  company: Acme
`), 0o644); err != nil {
		t.Fatal(err)
	}
	h := newHandoffHarness(t, saoPaulo(t, 16, 10, 0), true, func(c *Config) { c.ContentFile = content })
	h.cw.AddTeam(9, "billing")
	h.cw.AddTeamMember(9, agentID)

	for _, tc := range []struct{ text, want string }{
		{"how much do I owe on my bill this month?", "I can't see bills or payments from here"},
		{"quiero dar de baja el servicio", "no puedo dar de baja tu servicio"},
		{"qual a senha do meu wifi?", "O nome e a senha do seu Wi-Fi"},
		{"i'm moving house next week, can i take my internet with me?", "To move your service to a new address"},
		{"quiero cambiar de plan, cuanto sale la fibra de 500?", "Los precios dependen del plan y de tu dirección"}, // the price asked: its own answer
		{"preciso de um técnico aqui em casa", "Daqui não consigo agendar um técnico"},
		{"is there an outage in my area?", "probably a network outage"},
	} {
		conv := h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Maria Silva"})
		h.says(conv, tc.text)
		h.settle()
		msgs := h.public(conv)
		if len(msgs) == 0 {
			t.Fatalf("%q: no answer", tc.text)
		}
		last := msgs[len(msgs)-1]
		if !strings.Contains(last.Content, tc.want) || len(last.Items) != 2 || last.Items[0].Value != "agent" ||
			strings.Contains(last.Content, "understand") || strings.Contains(last.Content, "entend") {
			t.Fatalf("%q: %q %v, want the topic's answer with Talk to an agent / Keep chatting", tc.text, last.Content, last.Items)
		}
	}

	conv := h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Maria Silva"})
	h.says(conv, "how much do I owe on my bill this month?")
	h.settle()
	h.tap(conv, "agent") // her question is the intake's answer: no "describe the problem"
	h.waitStatus(conv, "open")
	if c := h.cw.Conversation(conv); c.TeamID != 9 {
		t.Fatalf("handed off to team %d, want the billing team 9", c.TeamID)
	}
	notes := h.notes(conv)
	if len(notes) != 1 || !strings.Contains(notes[0].Content, "Topic: billing") ||
		!strings.Contains(notes[0].Content, "- problem: how much do I owe on my bill this month?") {
		t.Fatalf("notes %q, want the topic named and her question as the problem", contents(notes))
	}

	conv = h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Maria Silva"})
	h.says(conv, "puedo usar el celular en el extranjero?")
	h.settle()
	if got := h.lastText(conv); got != "El roaming está incluido en todos los planes de Acme." {
		t.Fatalf("the operator's own topic: %q, want its answer with the brand", got)
	}
}

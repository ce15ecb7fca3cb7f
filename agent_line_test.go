package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/cwbot/cwbot/chatwoot"
)

// In business hours, handed to the agents and no agent has written yet: "hola?" gets that
// the customer is in line; "me salgo de la cola" sets the conversation back to pending in
// Chatwoot, leaves the agents a note, and the bot has the customer again. Chatwoot's echo
// of that pending is no agent's hand-back ("de nuevo con el asistente"), and a late
// delivery that still says open does not take the conversation back from the bot.
func TestAgentLineLeft(t *testing.T) {
	t.Parallel()
	h := newHandoffHarness(t, saoPaulo(t, 16, 10, 0), true, nil)
	conv := h.conv("ABC123456")
	h.says(conv, "quiero hablar con un agente")
	h.settle()
	h.tap(conv, "skip")
	h.waitStatus(conv, "open")
	var opened []byte
	for _, d := range h.cw.Deliveries() {
		if d.ConversationID == conv && d.Event == chatwoot.EventConversationStatusChanged {
			opened = d.Body
		}
	}
	if opened == nil {
		t.Fatal("no status change delivered for the handoff")
	}
	n := len(h.public(conv))
	h.says(conv, "hola? hay alguien?")
	h.settle()
	if got := h.since(conv, n); len(got) != 1 || !strings.Contains(got[0], "Estás en la cola") {
		t.Fatalf("posted %q, want the customer told once they are in line", got)
	}
	h.says(conv, "me salgo de la cola")
	h.waitStatus(conv, "pending")
	h.settle()
	got := h.since(conv, n+1)
	if len(got) != 1 || !strings.Contains(got[0], "te saqué de la cola") {
		t.Fatalf("posted %q, want one message: out of the line (and the menu), no welcome back", got)
	}
	notes := h.notes(conv)
	if last := notes[len(notes)-1].Content; !strings.Contains(last, "left the line") {
		t.Fatalf("last note %q, want the agents told the customer left the line", last)
	}
	// The status change of the handoff, delivered again late under a new id: older than
	// what the bot knows, it changes nothing.
	if _, err := h.cw.SendRaw(h.ctx, append(bytes.TrimRight(opened, "\n"), ' '), "late-opened-1"); err != nil {
		t.Fatal(err)
	}
	h.settle()
	h.says(conv, "gracias")
	h.settle()
	if got := h.lastText(conv); !strings.Contains(got, "De nada") {
		t.Fatalf("posted %q, want the bot answering the customer again", got)
	}
	if s := h.cw.Conversation(conv).Status; s != "pending" {
		t.Fatalf("status %s, want pending", s)
	}
}

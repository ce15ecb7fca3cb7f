package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHandoffNoteNamesContactRouter: a customer whose contact carries the router id
// (ROUTER_ID_ATTRIBUTE) asks for an agent before any update. The agent's note should name
// the router the bot knows of; agentNote prints only c.RouterID, set only once an update
// was asked for.
func TestHandoffNoteNamesContactRouter(t *testing.T) {
	h := newHandoffHarness(t, saoPaulo(t, 16, 10, 0), true, nil)
	conv := h.conv("ABC123456")
	h.handOff(conv)
	notes := h.notes(conv)
	if len(notes) != 1 {
		t.Fatalf("notes=%q, want one", contents(notes))
	}
	if !strings.Contains(notes[0].Content, "ABC123456") {
		t.Fatalf("the agent's note does not name the customer's router ABC123456:\n%s", notes[0].Content)
	}
}

// TestHandoffKeepsTypedRouterAttribute: the customer types the serial and at once
// asks for an agent (two WhatsApp messages in a row). Both payloads were built before the
// bot's write of router_id landed; the second one's custom_attributes (without router_id)
// overwrite what the bot just wrote, and the handoff's custom_attributes (a full
// replacement) wipe router_id from Chatwoot.
func TestHandoffKeepsTypedRouterAttribute(t *testing.T) {
	t.Parallel()
	intake := filepath.Join(t.TempDir(), "intake.yaml")
	if err := os.WriteFile(intake, []byte("[]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	h := newHandoffHarness(t, saoPaulo(t, 16, 10, 0), true, func(c *Config) { c.IntakeFile = intake })
	conv := h.conv("")
	h.says(conv, "update my router")
	h.settle()
	if got := h.lastText(conv); !strings.Contains(strings.ToLower(got), "serial") {
		t.Fatalf("posted %q, want the serial number asked for", got)
	}
	h.cw.SetLatency(300 * time.Millisecond) // Chatwoot a little slow: the write lands after the next message
	h.says(conv, "ABC123456")
	h.says(conv, "talk to an agent")
	h.waitStatus(conv, "open")
	h.cw.SetLatency(0)
	h.settle()
	c := h.cw.Conversation(conv)
	if c.CustomAttributes["router_id"] != "ABC123456" {
		var writes []string
		for _, r := range h.cw.Requests() {
			if strings.HasSuffix(r.Path, "/custom_attributes") {
				writes = append(writes, string(r.Body))
			}
		}
		t.Fatalf("custom attributes after the handoff %v: router_id the customer typed was wiped; writes in order: %s", c.CustomAttributes, strings.Join(writes, " then "))
	}
}

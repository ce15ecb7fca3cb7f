package main

import (
	"bytes"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cwbot/cwbot/chatwoot"
	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
)

const agentID = 12

// handoffHarness is the service with a user token, an inbox with working hours in São Paulo,
// an agent and a team, and a clock the test moves (real time plus an offset, so retry
// timers still run).
type handoffHarness struct {
	*routerHarness
	offset atomic.Int64
}

func newHandoffHarness(t *testing.T, start time.Time, online bool, mod func(*Config)) *handoffHarness {
	t.Helper()
	hh := &handoffHarness{}
	hh.offset.Store(int64(time.Until(start)))
	clock := func() time.Time { return time.Now().Add(time.Duration(hh.offset.Load())) }
	hh.routerHarness = newRouterHarness(t, func(c *Config) {
		c.UserToken = "user-token"
		c.HandoffTeamID = 4
		c.WaitingInterval = 30 * time.Millisecond
		if mod != nil {
			mod(c)
		}
	}, withClock(clock))
	status := "offline"
	if online {
		status = "online"
	}
	hh.cw.AddAgent(chatwoottest.Agent{ID: agentID, Name: "John Agent", AvailabilityStatus: status})
	hh.cw.AddInboxMember(7, agentID)
	hh.cw.AddTeam(4, "routers")
	hh.cw.AddTeamMember(4, agentID)
	wh := []chatwoot.WorkingHour{{DayOfWeek: 0, ClosedAllDay: true}, {DayOfWeek: 6, ClosedAllDay: true}}
	for d := 1; d <= 5; d++ {
		wh = append(wh, chatwoot.WorkingHour{DayOfWeek: d, OpenHour: 9, CloseHour: 17})
	}
	hh.cw.SetInbox(chatwoot.Inbox{ID: 7, Name: "WhatsApp Support", Timezone: "America/Sao_Paulo", WorkingHoursEnabled: true, WorkingHours: wh})
	return hh
}

func (h *handoffHarness) setClock(t time.Time) { h.offset.Store(int64(time.Until(t))) }

// handOff has the customer ask for an agent and skip the intake question, and waits for
// the conversation to open.
func (h *handoffHarness) handOff(conv int64) {
	h.t.Helper()
	h.says(conv, "talk to an agent")
	h.settle()
	h.tap(conv, "skip")
	h.waitStatus(conv, "open")
}

func saoPaulo(t *testing.T, day, hour, minute int) time.Time {
	loc, err := time.LoadLocation("America/Sao_Paulo")
	if err != nil {
		t.Skip("no time zone database")
	}
	return time.Date(2026, 11, day, hour, minute, 0, 0, loc) // 2026-11-16 is a Monday
}

func (h *handoffHarness) waitStatus(conv int64, want string) {
	h.t.Helper()
	deadline := time.Now().Add(hangGuard)
	for h.cw.Conversation(conv).Status != want {
		if time.Now().After(deadline) {
			h.t.Fatalf("conversation status=%s, want %s; posted %q", h.cw.Conversation(conv).Status, want, contents(h.public(conv)))
		}
		time.Sleep(20 * time.Millisecond)
		h.settle()
	}
}

func TestHandoff(t *testing.T) {
	t.Parallel()
	t.Run("OpenAgentsOnline", func(t *testing.T) {
		h := newHandoffHarness(t, saoPaulo(t, 16, 10, 0), true, nil)
		conv := h.conv("ABC123456")
		h.says(conv, "quiero hablar con un agente")
		h.settle()
		if got := h.lastText(conv); !strings.Contains(got, "describe brevemente el problema") {
			t.Fatalf("posted %q, want the intake question in Spanish", got)
		}
		h.says(conv, "no tengo internet desde ayer")
		h.waitStatus(conv, "open")
		c := h.cw.Conversation(conv)
		if c.TeamID != 4 {
			t.Fatalf("team=%d, want 4", c.TeamID)
		}
		if c.CustomAttributes["bot_intent"] != "human_agent" || c.CustomAttributes["language"] != "es" || c.CustomAttributes["router_update_state"] != "none" {
			t.Fatalf("custom attributes=%v", c.CustomAttributes)
		}
		if !containsString(c.Labels, "bot_handoff") {
			t.Fatalf("labels=%v, want bot_handoff", c.Labels)
		}
		notes := h.notes(conv)
		if len(notes) != 1 {
			t.Fatalf("notes=%q, want one", contents(notes))
		}
		for _, want := range []string{"Maria Silva", "Language: Spanish", "Why: the customer asked to talk to a person", "problem: no tengo internet desde ayer", "quiero hablar con un agente"} {
			if !strings.Contains(notes[0].Content, want) {
				t.Fatalf("note %q lacks %q", notes[0].Content, want)
			}
		}
		if got := h.lastText(conv); !strings.Contains(got, "Te paso con un agente") {
			t.Fatalf("last message %q, want the customer told in Spanish", got)
		}
		// The note comes before the status change, and the customer hears after it.
		var order []string
		for _, r := range h.cw.Requests() {
			if strings.Contains(r.Path, fmt.Sprintf("/conversations/%d/", conv)) && r.Method == "POST" {
				order = append(order, r.Path[strings.LastIndex(r.Path, "/")+1:])
			}
		}
		if got := strings.Join(order, ","); !strings.HasSuffix(got, "assignments,labels,custom_attributes,messages,toggle_status,messages") {
			t.Fatalf("calls %s, want team, labels, attributes, note, status, message last", got)
		}
		// With the agents from now on: "hola?" before any agent wrote is told they are in
		// line, once; anything else is the agent's to read.
		n := len(h.public(conv))
		h.says(conv, "hola?")
		h.says(conv, "update my router")
		h.settle()
		if got := h.since(conv, n); len(got) != 1 || !strings.Contains(got[0], "Estás en la cola") {
			t.Fatalf("the bot said %q while the agents have the conversation, want only that the customer is in line", got)
		}
		n++
		// Hand-back by status change: back with the bot, in Spanish, with the menu.
		if _, err := h.cw.SetStatus(h.ctx, conv, "pending"); err != nil {
			t.Fatal(err)
		}
		h.settle()
		got := h.public(conv)[n:]
		if len(got) != 1 || !strings.Contains(got[0].Content, "de nuevo con el asistente") || len(got[0].Items) == 0 {
			t.Fatalf("after hand-back %q, want the welcome back and the menu", contents(got))
		}
		h.says(conv, "gracias")
		h.settle()
		if got := h.lastText(conv); !strings.Contains(got, "De nada") {
			t.Fatalf("posted %q after the hand-back, want the bot answering", got)
		}
	})
	t.Run("ClosedWaitThenOpening", func(t *testing.T) {
		h := newHandoffHarness(t, saoPaulo(t, 16, 20, 0), true, nil) // a Monday evening, closed
		conv := h.conv("ABC123456")
		h.says(conv, "I want to talk to a person")
		h.settle()
		last := h.public(conv)[len(h.public(conv))-1]
		if !strings.Contains(last.Content, "back tomorrow at 9 AM") || len(last.Items) != 2 || last.Items[0].Value != "wait" {
			t.Fatalf("posted %+v, want the next opening and Wait / Keep chatting", last)
		}
		h.tap(conv, "wait")
		h.tap(conv, "skip") // the intake question is skippable
		if got := h.lastText(conv); !strings.Contains(got, "You're in line") {
			t.Fatalf("posted %q, want the customer told they are in line", got)
		}
		c := h.cw.Conversation(conv)
		if c.Status != "pending" || c.CustomAttributes["waiting_for_agent"] != true || !containsString(c.Labels, "waiting_for_agent") {
			t.Fatalf("conversation %+v, want pending and marked waiting", c)
		}
		// Still with the bot meanwhile; asking again says they are in line, and when the
		// agents are back.
		h.says(conv, "thanks")
		h.settle()
		if got := h.lastText(conv); !strings.Contains(got, "welcome") {
			t.Fatalf("posted %q, want the bot still answering", got)
		}
		h.says(conv, "talk to a human please")
		h.settle()
		if got := h.lastText(conv); !strings.Contains(got, "in line for an agent") || !strings.Contains(got, "back tomorrow at 9 AM") {
			t.Fatalf("posted %q, want in line and back tomorrow at 9 AM", got)
		}
		// Tuesday 09:01, within WhatsApp's 24 h window: the waiting worker hands off.
		h.setClock(saoPaulo(t, 17, 9, 1))
		h.waitStatus(conv, "open")
		if got := h.lastText(conv); !strings.Contains(got, "An agent is now available") {
			t.Fatalf("posted %q, want the customer told an agent took over", got)
		}
		c = h.cw.Conversation(conv)
		if containsString(c.Labels, "waiting_for_agent") || c.CustomAttributes["waiting_for_agent"] != nil {
			t.Fatalf("conversation %+v, want the waiting marks cleared", c)
		}
		if notes := h.notes(conv); len(notes) != 1 || !strings.Contains(notes[0].Content, "problem: (skipped)") {
			t.Fatalf("notes=%q, want one note with the skipped intake", contents(notes))
		}
	})
	t.Run("ClosedKeepChatting", func(t *testing.T) {
		h := newHandoffHarness(t, saoPaulo(t, 16, 20, 0), true, nil) // Monday after hours
		conv := h.conv("ABC123456")
		h.says(conv, "falar com um atendente")
		h.settle()
		if got := h.lastText(conv); !strings.Contains(got, "voltam amanhã às 9h") {
			t.Fatalf("posted %q, want the next opening in Portuguese", got)
		}
		h.tap(conv, "continue")
		last := h.public(conv)[len(h.public(conv))-1]
		if len(last.Items) == 0 || last.Items[0].Value != "update_router" {
			t.Fatalf("posted %+v, want the main menu", last)
		}
		c := h.cw.Conversation(conv)
		if c.Status != "pending" || len(c.Labels) != 0 || c.CustomAttributes["waiting_for_agent"] != nil {
			t.Fatalf("conversation %+v, want nothing marked", c)
		}
	})
	t.Run("NobodyOnlineThenAgentComesOnline", func(t *testing.T) {
		h := newHandoffHarness(t, saoPaulo(t, 16, 10, 0), false, nil)
		conv := h.conv("ABC123456")
		h.says(conv, "talk to an agent")
		h.settle()
		if got := h.lastText(conv); !strings.Contains(got, "busy") {
			t.Fatalf("posted %q, want 'all agents busy'", got)
		}
		h.tap(conv, "wait")
		h.says(conv, "my internet is down")
		h.settle()
		h.cw.SetAvailability(agentID, "online")
		h.setClock(saoPaulo(t, 16, 10, 5)) // past the presence cache
		h.waitStatus(conv, "open")
		if notes := h.notes(conv); len(notes) != 1 || !strings.Contains(notes[0].Content, "problem: my internet is down") {
			t.Fatalf("notes=%q, want the intake answer", contents(notes))
		}
	})
	t.Run("TeamOfflineInboxOnline", func(t *testing.T) {
		// The handoff team's agents decide, not every inbox member.
		h := newHandoffHarness(t, saoPaulo(t, 16, 10, 0), false, nil)
		h.cw.AddAgent(chatwoottest.Agent{ID: 13, Name: "Other Team", AvailabilityStatus: "online"})
		h.cw.AddInboxMember(7, 13)
		conv := h.conv("ABC123456")
		h.says(conv, "talk to an agent")
		h.settle()
		if got := h.lastText(conv); !strings.Contains(got, "busy") {
			t.Fatalf("posted %q, want 'all agents busy' (the team's agent is offline)", got)
		}
	})
	t.Run("WhenClosedOpen", func(t *testing.T) {
		h := newHandoffHarness(t, saoPaulo(t, 21, 10, 0), true, func(c *Config) { c.HandoffWhenClosed = "open" })
		conv := h.conv("ABC123456")
		h.says(conv, "talk to an agent")
		h.waitStatus(conv, "open")
		h.settle()
		if got := contents(h.public(conv)); len(got) != 1 || !strings.Contains(got[0], "see it first thing") {
			t.Fatalf("posted %q, want one message: agents will see it first thing", got)
		}
	})
	t.Run("RefusedToggle", func(t *testing.T) {
		h := newHandoffHarness(t, saoPaulo(t, 16, 10, 0), true, nil)
		conv := h.conv("ABC123456")
		h.cw.FailPath("toggle_status", 1, 422)
		h.says(conv, "talk to an agent")
		h.settle()
		h.tap(conv, "skip")
		deadline := time.Now().Add(hangGuard)
		for !strings.Contains(strings.Join(contents(h.public(conv)), "|"), "couldn't reach an agent") && time.Now().Before(deadline) {
			h.settle()
		}
		got := contents(h.public(conv))
		if !strings.Contains(strings.Join(got, "|"), "couldn't reach an agent") || strings.Contains(strings.Join(got, "|"), "I'm passing you") {
			t.Fatalf("posted %q, want the failure told and no promise of an agent", got)
		}
		if st := h.cw.Conversation(conv).Status; st != "pending" {
			t.Fatalf("status=%s, want pending", st)
		}
		h.says(conv, "thanks")
		h.settle()
		if got := h.lastText(conv); !strings.Contains(got, "welcome") {
			t.Fatalf("posted %q, want the bot still answering", got)
		}
	})
	t.Run("HandBackByMessageBefore413", func(t *testing.T) {
		h := newHandoffHarness(t, saoPaulo(t, 16, 10, 0), true, nil)
		conv := h.conv("ABC123456")
		h.handOff(conv)
		// Before 4.13 an agent's change back to pending sends no webhook: the bot learns
		// it from the next message, whose conversation says pending.
		d := h.says(conv, "hello?")
		h.settle()
		n := len(h.public(conv))
		body := bytes.Replace(d.Body, []byte(`"status":"open"`), []byte(`"status":"pending"`), -1)
		body = bytes.Replace(body, []byte(fmt.Sprintf(`"id":%d`, d.MessageID)), []byte(fmt.Sprintf(`"id":%d`, d.MessageID+500)), -1)
		body = bytes.Replace(body, []byte(`"content":"hello?"`), []byte(`"content":"thanks"`), -1)
		if !bytes.Contains(body, []byte(`"status":"pending"`)) {
			t.Fatal("could not rewrite the payload's status")
		}
		if _, err := h.cw.SendRaw(h.ctx, body, "legacy-1"); err != nil {
			t.Fatal(err)
		}
		h.settle()
		got := h.since(conv, n)
		if len(got) < 2 || !strings.Contains(got[0], "You're back with the virtual assistant") {
			t.Fatalf("posted %q, want the welcome back then the answer", got)
		}
	})
	t.Run("TemplateOutsideWindow", func(t *testing.T) {
		for _, template := range []string{"agent_update", ""} {
			h := newHandoffHarness(t, saoPaulo(t, 21, 10, 0), true, func(c *Config) { c.WhatsAppTemplateName = template })
			conv := h.conv("ABC123456")
			h.says(conv, "talk to an agent")
			h.settle()
			h.tap(conv, "wait")
			h.tap(conv, "skip")
			n := len(h.cw.Messages(conv))
			// Monday 09:01: the customer last wrote on Saturday, outside the 24 h window,
			// though the last payload said can_reply true.
			h.setClock(saoPaulo(t, 23, 9, 1))
			h.waitStatus(conv, "open")
			msgs := h.cw.Messages(conv)[n:]
			var tmpl, plain int
			for _, m := range msgs {
				switch {
				case m.TemplateParams != nil:
					tmpl++
					if m.TemplateParams.Name != "agent_update" || !strings.Contains(m.TemplateParams.Body["1"], "An agent is now available") {
						t.Fatalf("template %+v", m.TemplateParams)
					}
				case !m.Private:
					plain++
				}
			}
			if template != "" && (tmpl != 1 || plain != 0) {
				t.Fatalf("with a template: %d template and %d free-form messages, want 1 and 0", tmpl, plain)
			}
			if template == "" {
				if tmpl != 0 || plain != 0 {
					t.Fatalf("without a template: %d template and %d free-form messages, want none", tmpl, plain)
				}
				notes := h.notes(conv)
				if len(notes) == 0 || !strings.Contains(notes[len(notes)-1].Content, "24 hour window") {
					t.Fatalf("notes %q, want one saying the customer was not told", contents(notes))
				}
			}
		}
	})
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestCannotReachCustomer: when WhatsApp refuses the bot's messages (here: outside the 24 h
// window, the fake fails free-form messages as Meta does), the bot hands the conversation to
// the agents with a note saying why, and stops talking.
func TestCannotReachCustomer(t *testing.T) {
	h := newHarness(t, nil, nil)
	conv := h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Maria"})
	h.cw.SetCanReply(conv, false)
	h.says(conv, "hi")
	deadline := time.Now().Add(hangGuard)
	for h.cw.Conversation(conv).Status != "open" && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		h.settle()
	}
	if st := h.cw.Conversation(conv).Status; st != "open" {
		t.Fatalf("status=%s, want open for the agents", st)
	}
	notes := h.notes(conv)
	if len(notes) != 1 || !strings.Contains(notes[0].Content, "cannot reach the customer") || !strings.Contains(notes[0].Content, "Template not found") {
		t.Fatalf("notes=%q, want one explaining WhatsApp's refusal", contents(notes))
	}
}

package bot

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cwbot/cwbot/intents"
)

func internalBot(t *testing.T) *Bot {
	t.Helper()
	clf, err := intents.DefaultClassifier()
	if err != nil {
		t.Fatal(err)
	}
	return &Bot{NLU: clf, RouterAttribute: "router_id", RouterPattern: regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{5,39}$`), MaxAttempts: 3}
}

func internalSay(text string, now time.Time) Event {
	return Event{Kind: CustomerMessage, Text: text, Snapshot: &Snapshot{Status: StatusPending, CanReply: true}, Now: now}
}

// Commit 72105af keeps the telco's failure detail from the customer, with the comment
// "The telco's own words (often English, often technical) stay in the agent's note".
// They reach the agent only in the handoff note, written when a handoff happens. When the
// update fails while the conversation is already with an agent (the customer asked for
// one during the update), or outside WhatsApp's window with no template, the failure
// goes to the agent as a private note built from the customer's text: the agent now
// reads "Router update: The update failed." and no handoff note follows, so the telco's
// reason ("firmware image checksum mismatch") is shown to nobody. Before the commit the
// note carried it.
func TestFailureNoteKeepsTelcoDetail(t *testing.T) {
	const detail = "firmware image checksum mismatch"
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		setup func(b *Bot, c *Conversation, now time.Time)
	}{
		{"agent owns the conversation", func(b *Bot, c *Conversation, now time.Time) {
			acts := b.Handle(ctx, c, internalSay("I want to talk to a human", now))
			if len(acts) != 1 || acts[0].Kind != Handoff || c.BotOwns() {
				t.Fatalf("handoff request: %+v, want the handoff", acts)
			}
			// The handoff note was written before the failure: it cannot carry it.
			if strings.Contains(acts[0].Handoff.Note, detail) {
				t.Fatal("the handoff note already names the failure")
			}
		}},
		{"outside the 24 h window, no template", func(b *Bot, c *Conversation, now time.Time) {
			c.CanReply = false
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := internalBot(t)
			c := &Conversation{AccountID: 1, ID: 318, Status: StatusPending, CanReply: true, Language: "en",
				Contact: Contact{Attributes: map[string]any{"router_id": "ABC123456"}}}
			now := time.Now()
			b.Handle(ctx, c, internalSay("update my router", now))
			acts := b.Handle(ctx, c, internalSay("yes", now))
			if c.Update == nil || !c.Update.Active {
				t.Fatalf("update not started: %+v", acts)
			}
			tc.setup(b, c, now)
			acts = b.Handle(ctx, c, Event{Kind: JobProgress, Now: now.Add(time.Minute),
				Job: &JobUpdate{Attempt: 1, State: JobFailed, Step: "downloading", Detail: detail}})
			var notes []string
			for _, a := range acts {
				if a.Kind == SendMessage {
					t.Fatalf("the customer is sent %q, want only a note to the agent", a.Text)
				}
				if a.Kind == SendNote {
					notes = append(notes, a.Text)
				}
			}
			if len(notes) == 0 || !strings.Contains(strings.Join(notes, "\n"), detail) {
				t.Fatalf("the agent's note on the failed update is %q: the telco's reason %q is shown to nobody", notes, detail)
			}
		})
	}
}

// Commit 18f76ea refuses, when the intake file is read, any question longer than
// maxMenuBody (1,024 characters, WhatsApp's cap on the body of a message with reply
// buttons), "refuse intake questions WhatsApp would refuse". Only a skippable question goes
// out with a button (askIntake: a question that is not skippable is sent with say(), a
// plain text, which WhatsApp takes up to 4,096 characters). The check ignores Skippable,
// so a BOT_INTAKE_FILE with a long question that is not skippable (a consent or privacy
// notice, say), which worked before, now stops serve from starting.
func TestLongQuestionWithoutSkipAccepted(t *testing.T) {
	long := strings.Repeat("a", maxMenuBody+476) // 1,500 characters, sent as plain text
	qs, err := ParseIntake([]byte("- id: consent\n  text:\n    en: " + long + "\n"))
	if err != nil {
		t.Fatalf("a 1,500-character question without a Skip button: %v; it goes out as plain text, not with buttons", err)
	}
	b := &Bot{Handoff: HandoffConfig{Intake: qs}}
	c := &Conversation{Language: "en"}
	if a := b.askIntake(c, 0); len(a.Items) != 0 {
		t.Fatalf("a question that is not skippable went out with buttons %+v", a.Items)
	}
}

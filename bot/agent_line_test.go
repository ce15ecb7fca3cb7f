package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cwbot/cwbot/bot"
)

// agentLine hands a conversation off in hours and has Chatwoot open it at 10 (updated_at),
// with an agent auto-assigned: an assignee alone is no agent writing.
func agentLine(ctx context.Context, t *testing.T) (*bot.Bot, *bot.Conversation, time.Time) {
	t.Helper()
	b := newBot(t)
	c := newConv()
	start := time.Date(2026, 11, 16, 10, 0, 0, 0, time.UTC)
	ev := customer("talk to an agent")
	ev.Now, ev.Snapshot = start, pending(5)
	if acts := b.Handle(ctx, c, ev); len(acts) != 1 || acts[0].Kind != bot.Handoff {
		t.Fatalf("acts %+v, want the handoff", acts)
	}
	b.Handle(ctx, c, bot.Event{Kind: bot.ConversationChanged, StatusChanged: true, Now: start,
		Snapshot: &bot.Snapshot{Status: bot.StatusOpen, UpdatedAt: 10, CanReply: true, AssigneeID: 3, AssigneeHuman: true}})
	return b, c, start
}

func open(at float64) *bot.Snapshot {
	return &bot.Snapshot{Status: bot.StatusOpen, UpdatedAt: at, CanReply: true, AssigneeID: 3, AssigneeHuman: true}
}

func TestAgentLine(t *testing.T) {
	ctx := context.Background()
	say := func(b *bot.Bot, c *bot.Conversation, text string, now time.Time, s *bot.Snapshot) []bot.Action {
		ev := customer(text)
		ev.Now, ev.Snapshot = now, s
		return b.Handle(ctx, c, ev)
	}
	t.Run("HoldingAtMostEveryTenMinutes", func(t *testing.T) {
		b, c, start := agentLine(ctx, t)
		if got := texts(say(b, c, "hello??", start.Add(time.Minute), open(11))); len(got) != 1 || !strings.Contains(got[0], "You're in line") {
			t.Fatalf("said %q, want in line", got)
		}
		if got := say(b, c, "anyone there?", start.Add(5*time.Minute), open(12)); len(got) != 0 {
			t.Fatalf("said %+v within ten minutes, want nothing", got)
		}
		first := c.LineHeld
		got := texts(say(b, c, "anyone there?", start.Add(12*time.Minute), open(13)))
		if len(got) != 1 || c.LineHeld == first {
			t.Fatalf("said %q (%s after %s), want another sentence", got, c.LineHeld, first)
		}
		if got := say(b, c, "my router is the white one", start.Add(30*time.Minute), open(14)); len(got) != 0 {
			t.Fatalf("said %+v, want the agent to read it", got)
		}
	})
	t.Run("SilentOnceAnAgentWrote", func(t *testing.T) {
		b, c, start := agentLine(ctx, t)
		b.Handle(ctx, c, bot.Event{Kind: bot.AgentMessage, Now: start, Snapshot: open(11)})
		for _, text := range []string{"hello??", "take me out of the queue", "cancel"} {
			if got := say(b, c, text, start.Add(time.Hour), open(12)); len(got) != 0 {
				t.Fatalf("%q: said %+v after an agent wrote", text, got)
			}
		}
	})
	t.Run("SilentOnceAnAgentSetTheStatus", func(t *testing.T) {
		b, c, start := agentLine(ctx, t)
		b.Handle(ctx, c, bot.Event{Kind: bot.ConversationChanged, StatusChanged: true, Now: start, Snapshot: &bot.Snapshot{Status: bot.StatusSnoozed, UpdatedAt: 11}})
		b.Handle(ctx, c, bot.Event{Kind: bot.ConversationChanged, StatusChanged: true, Now: start, Snapshot: open(12)})
		if got := say(b, c, "hello??", start.Add(time.Hour), open(13)); len(got) != 0 {
			t.Fatalf("said %+v after an agent snoozed and reopened it", got)
		}
	})
	t.Run("LeftLateOpenAndOwnPendingChangeNothing", func(t *testing.T) {
		b, c, start := agentLine(ctx, t)
		acts := say(b, c, "forget it, take me out of the queue", start.Add(time.Minute), open(11))
		if len(acts) < 3 || acts[0].Kind != bot.SetStatus || acts[0].Status != bot.StatusPending || acts[1].Kind != bot.SendNote ||
			!strings.Contains(acts[2].Text, "taken you out of the line") {
			t.Fatalf("acts %+v, want pending, the note, then out of the line", acts)
		}
		// Before Chatwoot took the pending: a message whose payload still says open, and a
		// late "opened" delivered twice, leave the customer with the bot.
		b.Handle(ctx, c, bot.Event{Kind: bot.ConversationChanged, StatusChanged: true, Now: start, Snapshot: open(10)})
		b.Handle(ctx, c, bot.Event{Kind: bot.ConversationChanged, StatusChanged: true, Now: start, Snapshot: open(10)})
		if got := texts(say(b, c, "thanks", start.Add(2*time.Minute), open(12))); len(got) != 1 || !strings.Contains(got[0], "welcome") {
			t.Fatalf("said %q, want the bot answering", got)
		}
		// Chatwoot's word of the bot's own pending: no "you're back with the virtual assistant".
		if got := b.Handle(ctx, c, bot.Event{Kind: bot.ConversationChanged, StatusChanged: true, Now: start, Snapshot: &bot.Snapshot{Status: bot.StatusPending, UpdatedAt: 13, CanReply: true, AssigneeID: 3, AssigneeHuman: true}}); len(got) != 0 {
			t.Fatalf("acts %+v on the bot's own pending, want none", got)
		}
		if got := texts(say(b, c, "am I still in the queue?", start.Add(3*time.Minute), pending(14))); len(got) != 1 || !strings.Contains(got[0], "not in line any more") {
			t.Fatalf("said %q, want not in line any more", got)
		}
		// The handoff's open, delivered late again: older than the pending, nothing.
		b.Handle(ctx, c, bot.Event{Kind: bot.ConversationChanged, StatusChanged: true, Now: start, Snapshot: open(10)})
		if !c.BotOwns() {
			t.Fatal("a stale open took the conversation from the bot")
		}
	})
	t.Run("PendingRefused", func(t *testing.T) {
		b, c, start := agentLine(ctx, t)
		acts := say(b, c, "desisto", start.Add(time.Minute), open(11))
		got := b.Handle(ctx, c, bot.Event{Kind: bot.ActionFailed, Failed: &acts[0], FailedBecause: "422", Now: start})
		if len(got) != 1 || got[0].Kind != bot.SendNote || c.BotOwns() {
			t.Fatalf("acts %+v, owns %v: want a note and the agents keeping it", got, c.BotOwns())
		}
	})
}

package bot_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cwbot/cwbot/bot"
)

func jobEvent(c *bot.Conversation, state, step, reason string, at time.Time) bot.Event {
	return bot.Event{Kind: bot.JobProgress, Now: at, Job: &bot.JobUpdate{Attempt: len(c.Update.Attempts), RouterID: c.RouterID,
		State: state, Step: step, Reason: reason}}
}

// After "stop", a running update's steps, its end and its failure send the customer
// nothing, in the window or out of it (no template either), and leave no question open;
// once the customer writes again, the bot tells them again.
func TestOptOut_NothingSentUntilCustomerWrites(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct{ lang, stop, again string }{
		{"en", "stop messaging me", "did it work?"},
		{"es", "dejen de mandarme mensajes", "¿ya quedó?"},
		{"pt", "não quero mais receber mensagens", "deu certo?"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			b, c, start := updateWithTemplate(ctx, t)
			c.Language = tc.lang
			b.Handle(ctx, c, jobEvent(c, bot.JobRunning, "downloading", "", start.Add(time.Minute)))
			acts := say(b, c, tc.stop, start.Add(2*time.Minute))
			if len(acts) != 1 || acts[0].Kind != bot.SendMessage || len(acts[0].Items) > 0 {
				t.Fatalf("the opt-out got %q, want one message", texts(acts))
			}
			for i, ev := range []bot.Event{
				jobEvent(c, bot.JobDelayed, "", "", start.Add(3*time.Minute)),
				jobEvent(c, bot.JobRunning, "installing", "", start.Add(4*time.Minute)),
				jobEvent(c, bot.JobFailed, "", bot.ReasonTimeout, start.Add(30*time.Hour)), // out of the window: a template otherwise
			} {
				if acts := b.Handle(ctx, c, ev); len(acts) != 0 {
					t.Fatalf("event %d sent %q to a customer who opted out", i, texts(acts))
				}
			}
			if c.State == bot.StateUpdateFailed || c.Menu != nil {
				t.Fatalf("state %s, menu %+v: a question the customer never saw is open", c.State, c.Menu)
			}
			acts = say(b, c, tc.again, start.Add(31*time.Hour))
			if len(acts) == 0 || c.OptedOut {
				t.Fatalf("the customer wrote again: got %q, opted out %v", texts(acts), c.OptedOut)
			}
			if !strings.Contains(acts[0].Text, b.Content.Load().Text(tc.lang, "last_update_failed")) {
				t.Fatalf("got %q, want the failed update's facts", acts[0].Text)
			}
			confirmUpdateAt(ctx, b, c, start.Add(32*time.Hour))
			if acts := b.Handle(ctx, c, jobEvent(c, bot.JobRunning, "downloading", "", start.Add(32*time.Hour+time.Minute))); len(acts) == 0 {
				t.Fatal("a new update's steps are not told once the customer wrote again")
			}
		})
	}
}

// A second "stop" right after the first is not answered again; the rule is counted both
// times.
func TestOptOut_SaidOnce(t *testing.T) {
	b := newBot(t)
	var fired []string
	b.OnRule = func(_, rule string) { fired = append(fired, rule) }
	c := newConv()
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	if acts := say(b, c, "unsubscribe", now); len(acts) != 1 {
		t.Fatalf("first: got %q, want the confirmation", texts(acts))
	}
	if acts := say(b, c, "STOP", now.Add(time.Minute)); len(acts) != 0 || !c.OptedOut {
		t.Fatalf("second: got %q (opted out %v), want silence", texts(acts), c.OptedOut)
	}
	if got := slices.Compact(fired); !slices.Equal(got, []string{"opted_out"}) || len(fired) != 2 {
		t.Fatalf("rules fired %v, want opted_out twice", fired)
	}
}

// With labels on (a user token), the conversation is labelled opted_out, through the
// outbox's label action; with the bot token alone, nothing but the reply.
func TestOptOut_Labelled(t *testing.T) {
	for _, labels := range []bool{true, false} {
		b := newBot(t)
		b.Handoff.Labels = labels
		c := newConv()
		acts := say(b, c, "don't text me anymore", time.Now())
		i := slices.IndexFunc(acts, func(a bot.Action) bool { return a.Kind == bot.SetLabels })
		if labels && (i < 0 || !slices.Contains(acts[i].Labels, "opted_out") || !slices.Equal(acts[i].Changed, []string{"opted_out"})) {
			t.Fatalf("labels on: got %+v, want the opted_out label added", acts)
		}
		if !labels && i >= 0 {
			t.Fatalf("labels off: got a label action %+v", acts[i])
		}
	}
}

// A customer waiting in line who opts out leaves it: no "an agent is now available"
// later.
func TestOptOut_LeavesTheLine(t *testing.T) {
	b := newBot(t)
	c := newConv()
	c.Waiting = true
	now := time.Now()
	acts := say(b, c, "stop messaging me", now)
	if c.Waiting || !slices.ContainsFunc(acts, func(a bot.Action) bool { return a.Kind == bot.SetAttributes }) {
		t.Fatalf("still waiting %v, acts %q", c.Waiting, texts(acts))
	}
	if acts := b.Handle(context.Background(), c, bot.Event{Kind: bot.AgentsAvailable, Now: now.Add(time.Minute)}); len(acts) != 0 {
		t.Fatalf("agents available: got %q, want nothing", texts(acts))
	}
}

// An agent handing back a conversation whose customer opted out leaves a note; the
// customer is not welcomed back.
func TestOptOut_HandBackNotTold(t *testing.T) {
	b := newBot(t)
	c := newConv()
	say(b, c, "stop", time.Now())
	ctx := context.Background()
	b.Handle(ctx, c, bot.Event{Kind: bot.ConversationChanged, StatusChanged: true, Now: time.Now(),
		Snapshot: &bot.Snapshot{Status: bot.StatusOpen, UpdatedAt: 10, CanReply: true}})
	acts := b.Handle(ctx, c, bot.Event{Kind: bot.ConversationChanged, StatusChanged: true, Now: time.Now(),
		Snapshot: &bot.Snapshot{Status: bot.StatusPending, UpdatedAt: 11, CanReply: true}})
	if len(acts) != 1 || acts[0].Kind != bot.SendNote {
		t.Fatalf("hand-back got %q, want a note only", texts(acts))
	}
}

// "Don't text me, I want to talk to a person": the request for a person wins.
func TestOptOut_PersonAskedWins(t *testing.T) {
	b := newBot(t)
	c := newConv()
	acts := say(b, c, "don't text me, i want to talk to a person", time.Now())
	if c.OptedOut || !slices.ContainsFunc(acts, func(a bot.Action) bool { return a.Kind == bot.Handoff }) {
		t.Fatalf("opted out %v, acts %q: want the handoff", c.OptedOut, texts(acts))
	}
}

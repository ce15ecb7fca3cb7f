package bot_test

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cwbot/cwbot/bot"
	"github.com/cwbot/cwbot/chatwoot"
	"github.com/cwbot/cwbot/intents"
)

var (
	clfOnce sync.Once
	clf     *intents.Classifier
)

// newBot returns a bot with the real built-in classifier, trained once for the package.
func newBot(t *testing.T) *bot.Bot {
	t.Helper()
	clfOnce.Do(func() {
		var err error
		if clf, err = intents.Train(intents.Default(), intents.Options{}); err != nil {
			t.Fatal(err)
		}
	})
	return &bot.Bot{NLU: clf, RouterAttribute: "router_id", RouterPattern: regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{5,39}$`), MaxAttempts: 3}
}

func pending(at float64) *bot.Snapshot {
	return &bot.Snapshot{Status: bot.StatusPending, UpdatedAt: at, CanReply: true}
}

func newConv() *bot.Conversation {
	return &bot.Conversation{AccountID: 1, ID: 318, Status: bot.StatusPending, CanReply: true, Language: "en"}
}

func customer(text string) bot.Event {
	return bot.Event{Kind: bot.CustomerMessage, Text: text, Snapshot: pending(0), Now: time.Now()}
}

// confirmUpdateAt has the customer ask for an update and confirm it, both at at.
func confirmUpdateAt(ctx context.Context, b *bot.Bot, c *bot.Conversation, at time.Time) {
	for _, text := range []string{"update my router", "yes"} {
		ev := customer(text)
		ev.Now = at
		b.Handle(ctx, c, ev)
	}
}

// updateWithTemplate is a bot with a WhatsApp template configured and a conversation
// whose router update the customer confirmed at start.
func updateWithTemplate(ctx context.Context, t *testing.T) (*bot.Bot, *bot.Conversation, time.Time) {
	t.Helper()
	b := newBot(t)
	b.Template = &bot.TemplateConfig{Name: "router_update", Language: "en_US"}
	c := newConv()
	c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
	start := time.Date(2026, 11, 16, 10, 0, 0, 0, time.UTC)
	confirmUpdateAt(ctx, b, c, start)
	return b, c, start
}

// freeForm returns the first customer message that is not a template: outside WhatsApp's
// 24 h window it would fail.
func freeForm(acts []bot.Action) (string, bool) {
	for _, a := range acts {
		if a.Kind == bot.SendMessage && a.Template == nil {
			return a.Text, true
		}
	}
	return "", false
}

func texts(acts []bot.Action) []string {
	var out []string
	for _, a := range acts {
		out = append(out, string(a.Kind)+":"+a.Text)
	}
	return out
}

func TestOwnership(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	for _, tc := range []struct {
		name      string
		conv      func() *bot.Conversation
		events    []bot.Event
		wantOwns  bool
		wantLast  int    // actions from the last event
		wantFirst string // first action's text prefix, when any
	}{
		{name: "PendingNobody", conv: newConv, events: []bot.Event{customer("hi")}, wantOwns: true, wantLast: 1},
		{name: "Open", conv: newConv, events: []bot.Event{
			{Kind: bot.ConversationChanged, Snapshot: &bot.Snapshot{Status: bot.StatusOpen, UpdatedAt: 10}},
			{Kind: bot.CustomerMessage, Text: "hi", Snapshot: &bot.Snapshot{Status: bot.StatusOpen, UpdatedAt: 11}},
		}},
		{name: "PendingHumanAssigned", conv: newConv, events: []bot.Event{
			{Kind: bot.CustomerMessage, Text: "hi", Snapshot: &bot.Snapshot{Status: bot.StatusPending, AssigneeID: 12, AssigneeHuman: true}},
		}},
		{name: "AgentReplied", conv: newConv, events: []bot.Event{
			{Kind: bot.AgentMessage, Snapshot: pending(5)},
			customer("hi"),
		}},
		{name: "HandBackByStatusChange", conv: newConv, events: []bot.Event{
			{Kind: bot.ConversationChanged, Snapshot: &bot.Snapshot{Status: bot.StatusOpen, UpdatedAt: 10, AssigneeID: 12, AssigneeHuman: true}},
			{Kind: bot.ConversationChanged, StatusChanged: true, Snapshot: &bot.Snapshot{Status: bot.StatusPending, UpdatedAt: 20, AssigneeID: 12, AssigneeHuman: true, CanReply: true}},
		}, wantOwns: true, wantLast: 1, wantFirst: "You're back"},
		{name: "HandBackWhilePendingAssigned", conv: newConv, events: []bot.Event{
			{Kind: bot.ConversationChanged, Snapshot: &bot.Snapshot{Status: bot.StatusPending, UpdatedAt: 10, AssigneeID: 12, AssigneeHuman: true}},
			{Kind: bot.ConversationChanged, StatusChanged: true, Snapshot: &bot.Snapshot{Status: bot.StatusPending, UpdatedAt: 20, AssigneeID: 12, AssigneeHuman: true, CanReply: true}},
		}, wantOwns: true, wantLast: 1, wantFirst: "You're back"},
		{name: "HandBackByMessageBefore413", conv: newConv, events: []bot.Event{
			{Kind: bot.ConversationChanged, Snapshot: &bot.Snapshot{Status: bot.StatusOpen, UpdatedAt: 10}},
			{Kind: bot.CustomerMessage, Text: "hello", Snapshot: &bot.Snapshot{Status: bot.StatusPending, UpdatedAt: 20, CanReply: true}},
		}, wantOwns: true, wantLast: 2, wantFirst: "You're back"},
		{name: "LateOpenIgnored", conv: newConv, events: []bot.Event{
			{Kind: bot.ConversationChanged, Snapshot: pending(20)},
			{Kind: bot.ConversationChanged, Snapshot: &bot.Snapshot{Status: bot.StatusOpen, UpdatedAt: 10}},
			customer("hi"),
		}, wantOwns: true, wantLast: 1},
		{name: "ResolvedReopenedStartsFresh", conv: newConv, events: []bot.Event{
			{Kind: bot.ConversationChanged, Snapshot: &bot.Snapshot{Status: bot.StatusResolved, UpdatedAt: 10}},
			{Kind: bot.ConversationChanged, StatusChanged: true, Snapshot: pending(20)},
		}, wantOwns: true, wantLast: 0},
		{name: "HandedOffSilent", conv: newConv, events: []bot.Event{
			customer("I want to talk to a human"),
			customer("hello?"),
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.conv()
			var acts []bot.Action
			for _, ev := range tc.events {
				acts = b.Handle(ctx, c, ev)
			}
			if got := c.BotOwns(); got != tc.wantOwns {
				t.Fatalf("BotOwns=%v, want %v (%+v)", got, tc.wantOwns, c)
			}
			if got := len(acts); got != tc.wantLast {
				t.Fatalf("last event gave %d actions %q, want %d", got, texts(acts), tc.wantLast)
			}
			if tc.wantFirst != "" && !strings.HasPrefix(acts[0].Text, tc.wantFirst) {
				t.Fatalf("first action %q, want prefix %q", acts[0].Text, tc.wantFirst)
			}
		})
	}
}

func TestDialogue(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	t.Run("MenuByTitleNumberAndIntent", func(t *testing.T) {
		for _, reply := range []string{"Talk to an agent", "2", "quiero hablar con una persona"} {
			c := newConv()
			b.Handle(ctx, c, customer("hi"))
			acts := b.Handle(ctx, c, customer(reply))
			if len(acts) != 1 || acts[0].Kind != bot.Handoff || acts[0].Handoff.Message == nil || !strings.Contains(acts[0].Handoff.Note, "Handoff") {
				t.Fatalf("%q: actions %q, want one handoff with a note and a message", reply, texts(acts))
			}
		}
	})
	t.Run("ThreeMisunderstandingsOfferAgent", func(t *testing.T) {
		c := newConv()
		var acts []bot.Action
		for i := 0; i < 3; i++ {
			acts = b.Handle(ctx, c, customer("asdf qwer zxcv"))
		}
		if len(acts) != 1 || len(acts[0].Items) != 2 || acts[0].Items[0].Value != "agent" {
			t.Fatalf("third misunderstanding: %+v, want the offer of an agent", acts)
		}
		acts = b.Handle(ctx, c, customer("Keep chatting"))
		if len(acts) != 1 || acts[0].Items == nil || c.HandedOff {
			t.Fatalf("keep chatting: %q, want the main menu", texts(acts))
		}
	})
	t.Run("LanguageKeptOnShortReplies", func(t *testing.T) {
		c := newConv()
		c.Language = ""
		b.Handle(ctx, c, customer("hola, necesito ayuda con mi internet"))
		if c.Language != "es" {
			t.Fatalf("language=%q, want es", c.Language)
		}
		b.Handle(ctx, c, customer("ok"))
		if c.Language != "es" {
			t.Fatalf("language after 'ok'=%q, want es kept", c.Language)
		}
	})
	t.Run("LocaleBeforeFirstTellingMessage", func(t *testing.T) {
		c := newConv()
		c.Language = ""
		ev := customer("ok")
		ev.Contact = &bot.Contact{Locale: "pt_BR"}
		acts := b.Handle(ctx, c, ev)
		if c.Language != "pt" || len(acts) == 0 {
			t.Fatalf("language=%q acts=%q, want pt from the locale", c.Language, texts(acts))
		}
	})
}

// TestButtonTitles checks every menu the bot can send against WhatsApp's limits, in every
// language, by walking the flows that produce them.
func TestButtonTitles(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	for _, lang := range []string{"en", "es", "pt"} {
		c := newConv()
		c.Language = lang
		c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
		var menus [][]bot.Item
		collect := func(acts []bot.Action) {
			for _, a := range acts {
				if len(a.Items) > 0 {
					menus = append(menus, a.Items)
				}
			}
		}
		c.Language = lang
		collect(b.Handle(ctx, c, bot.Event{Kind: bot.ConversationChanged, StatusChanged: true, Snapshot: pending(1)}))
		c.Menu = nil
		for i := 0; i < 3; i++ {
			collect(b.Handle(ctx, c, customer("zzzz qqqq")))
			c.Language = lang
		}
		collect(b.Handle(ctx, c, customer("update my router")))
		c.Language = lang
		collect(b.Handle(ctx, c, customer("1")))
		collect(b.Handle(ctx, c, bot.Event{Kind: bot.JobProgress, Job: &bot.JobUpdate{Attempt: 1, State: "failed", Detail: "x"}, Snapshot: pending(2)}))
		if len(menus) < 4 {
			t.Fatalf("%s: walked %d menus, want at least 4", lang, len(menus))
		}
		for _, m := range menus {
			items := make([]chatwoot.Item, len(m))
			for i, it := range m {
				items[i] = chatwoot.Item{Title: it.Title, Value: it.Value}
			}
			if err := chatwoot.ValidateItems(items); err != nil {
				t.Errorf("%s: %v", lang, err)
			}
		}
	}
}

func TestFloods(t *testing.T) {
	ctx := context.Background()
	t.Run("MessageFloodIsNotAReplyFlood", func(t *testing.T) {
		b := newBot(t)
		b.MaxRepliesPerMinute = 5
		c := newConv()
		start := time.Date(2026, 11, 16, 10, 0, 0, 0, time.UTC)
		replies, notices := 0, 0
		for i := 0; i < 50; i++ {
			ev := customer("hi")
			ev.Now = start.Add(time.Duration(i) * time.Second)
			for _, a := range b.Handle(ctx, c, ev) {
				if strings.Contains(a.Text, "a lot of messages at once") {
					notices++
				} else {
					replies++
				}
			}
		}
		if replies != 5 || notices != 1 {
			t.Fatalf("50 messages in 50 s: %d replies and %d notices, want 5 and 1", replies, notices)
		}
		ev := customer("hi")
		ev.Now = start.Add(2 * time.Minute)
		if acts := b.Handle(ctx, c, ev); len(acts) != 1 || !strings.Contains(acts[0].Text, "What would you like to do?") {
			t.Fatalf("a minute later: %q, want an answer again", texts(acts))
		}
	})
	t.Run("ThanksOverTheLimitIsNotToldToSlowDown", func(t *testing.T) {
		// A brisk customer's "ok thanks" past the limit asks nothing: no answer, and never
		// "send your request again"; a question after it still gets the notice, once.
		b := newBot(t)
		b.MaxRepliesPerMinute = 3
		c := newConv()
		start := time.Date(2026, 11, 16, 10, 0, 0, 0, time.UTC)
		for i, text := range []string{"hi", "how much is my bill?", "whats my wifi password", "ok thanks", "ty 👍"} {
			ev := customer(text)
			ev.Now = start.Add(time.Duration(i) * 5 * time.Second)
			acts := b.Handle(ctx, c, ev)
			if i >= 3 && len(acts) != 0 {
				t.Fatalf("%q over the limit: %q, want no answer", text, texts(acts))
			}
		}
		ev := customer("is there an outage in my area?")
		ev.Now = start.Add(30 * time.Second)
		if acts := b.Handle(ctx, c, ev); len(acts) != 1 || !strings.Contains(acts[0].Text, "a lot of messages at once") {
			t.Fatalf("a question over the limit: %q, want the notice", texts(acts))
		}
	})
	t.Run("RouterUpdatesPerHour", func(t *testing.T) {
		b := newBot(t)
		b.MaxUpdatesPerHour = 2
		c := newConv()
		c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
		start := time.Date(2026, 11, 16, 10, 0, 0, 0, time.UTC)
		started := 0
		for i := 0; i < 4; i++ {
			now := start.Add(time.Duration(i) * 10 * time.Minute)
			for _, text := range []string{"update my router", "yes"} {
				ev := customer(text)
				ev.Now = now
				for _, a := range b.Handle(ctx, c, ev) {
					if a.Kind == bot.StartJob {
						started++
						// The update succeeds at once.
						b.Handle(ctx, c, bot.Event{Kind: bot.JobProgress, Now: now, Snapshot: pending(0),
							Job: &bot.JobUpdate{Attempt: a.Update.Attempt, State: bot.JobSucceeded}})
					}
				}
			}
		}
		if started != 2 {
			t.Fatalf("%d updates started in 40 minutes, want 2", started)
		}
		if got := c.Recent; len(got) == 0 {
			t.Fatal("no messages remembered")
		}
		ev := customer("update my router")
		ev.Now = start.Add(61 * time.Minute)
		b.Handle(ctx, c, ev)
		ev = customer("yes")
		ev.Now = start.Add(61 * time.Minute)
		acts := b.Handle(ctx, c, ev)
		if len(acts) != 1 || acts[0].Kind != bot.StartJob { // told at the job's first report
			t.Fatalf("an hour later: %q, want the update started", texts(acts))
		}
	})
}

// TestCannotReplyDoesNotLoop: when Chatwoot refuses both the bot's message and the handoff
// that follows, the bot gives up quietly instead of cycling.
func TestCannotReplyDoesNotLoop(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	c := newConv()
	acts := b.Handle(ctx, c, bot.Event{Kind: bot.ActionFailed, FailedBecause: "status=503", Failed: &bot.Action{Kind: bot.SendMessage, Text: "hi"}, Snapshot: pending(1)})
	if len(acts) != 1 || acts[0].Kind != bot.Handoff || acts[0].Handoff.Message != nil || !strings.Contains(acts[0].Handoff.Note, "cannot reach the customer") {
		t.Fatalf("actions %q, want a silent handoff with a note", texts(acts))
	}
	acts = b.Handle(ctx, c, bot.Event{Kind: bot.ActionFailed, Failed: &acts[0], Snapshot: pending(2)})
	if len(acts) != 0 || c.HandedOff {
		t.Fatalf("after the refused handoff: %q handed_off=%v, want nothing more", texts(acts), c.HandedOff)
	}
}

// TestWhatsAppWindow: a proactive message more than 24 hours after the customer last wrote
// goes as the template, though the last payload said can_reply true.
func TestWhatsAppWindow(t *testing.T) {
	ctx := context.Background()
	b, c, start := updateWithTemplate(ctx, t)
	for _, tc := range []struct {
		after    time.Duration
		step     string
		template bool
	}{{time.Hour, "downloading", false}, {25 * time.Hour, "installing", true}} {
		acts := b.Handle(ctx, c, bot.Event{Kind: bot.JobProgress, Now: start.Add(tc.after),
			Job: &bot.JobUpdate{Attempt: 1, State: bot.JobRunning, Step: tc.step}})
		if len(acts) != 1 || (acts[0].Template != nil) != tc.template {
			t.Fatalf("%v after the last message: %+v, want template=%v", tc.after, acts, tc.template)
		}
	}
}

// While the bot waits for the serial number, only asking for an agent, to cancel or for
// help leaves the question; anything else is a wrong answer, whatever intent its words
// resemble.
func TestSerialQuestion(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	for _, tc := range []struct {
		say       string
		wantStays bool
		want      string // a kind or a text the answer has
	}{
		{"how is my update going?", true, "doesn't look like a serial"},
		{"it's in the living room", true, "doesn't look like a serial"},
		{"está en el living", true, "no parece un número de serie"},
		{"thanks", true, "Which router should I update?"},
		{"zx-9900-ab12", false, "router ZX-9900-AB12"},
		{"I want to talk to a person", false, string(bot.Handoff)},
		{"cancel", false, "called it off"},
	} {
		t.Run(tc.say, func(t *testing.T) {
			c := newConv()
			if acts := b.Handle(ctx, c, customer("update my router")); len(acts) != 1 || !strings.Contains(acts[0].Text, "serial number") {
				t.Fatalf("update my router: %q, want the question for the serial", texts(acts))
			}
			if strings.HasPrefix(tc.say, "está") {
				c.Language = "es"
			}
			acts := b.Handle(ctx, c, customer(tc.say))
			if stays := c.State == bot.StateAskSerial; stays != tc.wantStays {
				t.Fatalf("%q: still waiting for the serial = %v, want %v (actions %q)", tc.say, stays, tc.wantStays, texts(acts))
			}
			if got := strings.Join(texts(acts), " | "); !strings.Contains(got, tc.want) {
				t.Fatalf("%q: actions %q, want %q", tc.say, got, tc.want)
			}
		})
	}
}

package bot

import (
	"context"
	"strings"
	"time"

	"github.com/cwbot/cwbot/intents"
)

// The agents' line in business hours. The bot handed the conversation off (it is open), and
// no agent has written yet nor set its status: the customer waits for the agent they were
// handed to (StateAgentLine). The agents read every message, so the bot answers only two
// things there, each by a named rule, and is silent to everything else:
//
//   - "hello??", "how long is this gonna take", "cadê?? ninguém vai responder?", anger at
//     the wait: they are in line, an agent writes here as soon as one is free, and how to
//     leave it (agent_line_asked); at most once every ten minutes, never the same sentence
//     twice in a row;
//   - "forget it, take me out of the queue", "deixa, desisto", "me salgo de la cola": the bot
//     sets the conversation back to pending, tells the agents in a private note, says they
//     are out of the line, and has them again (agent_line_left). Its own change to pending
//     is no agent's hand-back (Conversation.PendingAsked).
//
// Once an agent writes, or sets the status, the conversation is theirs: the bot is silent
// (StateWithAgent), as it always is to agents' messages and private notes.

const (
	msgAgentLineHolding      msgKey = "agent_line_holding"
	msgAgentLineHoldingAgain msgKey = "agent_line_holding_again"
	msgAgentLineSorry        msgKey = "agent_line_sorry"
)

// agentLineHoldEvery is the least time between two "you're in line" of the agents' line:
// more questions meanwhile are the agent's to read, not a reply each.
const agentLineHoldEvery = 10 * time.Minute

// waitsForAgent reports a conversation the bot handed to the agents (open) in which no
// agent has written nor set the status since: an assignee alone (Chatwoot's
// auto-assignment) is no agent writing.
func (c *Conversation) waitsForAgent() bool {
	return c.HandedOff && c.AgentLine && !c.AgentReplied && c.Status == StatusOpen
}

var agentLineRules = []rule{
	{"agent_line_left", leavesAgentLine, func(t *turn) []Action { return t.b.leaveAgentLine(t.c, t.r.Text) }},
	agentLineCallRule, // "y me van a llamar o es por acá?": the agent writes here (call_back.go)
	agentLineWhyRule,  // "why do you need that" right after the intake's answer (intake_line.go)
	{"agent_line_asked", asksAboutAgentLine, func(t *turn) []Action { return t.b.agentLineHolding(t) }},
}

// leavesAgentLine reports the line left, or given up: "take me out of the queue", "forget
// it", "desisto", "me salgo de la cola", a bare "cancel"; not "I want to cancel my
// contract", a request for the agent, nor anger the lists hear a cancel in ("ya me cansé de
// esperar, esto es una burla"): that is the wait complained of.
func leavesAgentLine(t *turn) bool {
	r := t.r
	if r.Tapped || r.RejoinsLine {
		return false
	}
	return r.LeavesLine || r.GivesUp || r.Has(intents.ActCancel) && !asks(t) && !r.Question && !r.Has(intents.ActAskPerson) &&
		!r.Has(intents.ActFrustration)
}

// asksAboutAgentLine reports the wait asked about or complained of: whether anyone is there
// ("hello??", "where are you"), how long, a person asked for again, "I don't understand"
// (what happens now), or anger.
func asksAboutAgentLine(t *turn) bool {
	r := t.r
	if r.Tapped || len(r.Serials) > 0 {
		return false
	}
	updating := t.c.Update != nil && t.c.Update.Active // "how long?" then is the update's: the agent's to answer
	greetingOnly := r.Acts.Without(intents.ActPolite).Only(intents.ActGreeting) && r.Words <= 3
	return r.StillThere || r.AsksWait || r.Lost || greetingOnly || puzzled(r.Text) ||
		r.Has(intents.ActAskPerson) || r.Intent == intents.HumanAgent || r.Has(intents.ActFrustration) ||
		!updating && (r.Has(intents.ActHowLong) || r.Has(intents.ActStatusQuestion) && r.Acts.Without(intents.ActPolite).Only(intents.ActStatusQuestion))
}

// agentLineHolding tells the customer they are in line, and how to leave it (heldText).
func (b *Bot) agentLineHolding(t *turn) []Action {
	if text := b.heldText(t, t.r.Has(intents.ActFrustration)); text != "" {
		return []Action{say(text)}
	}
	return nil
}

// lineHeldAgain is the holding reply said after the answer to a question in the agents'
// line ("y me van a llamar?") (heldText).
func (b *Bot) lineHeldAgain(t *turn) string { return b.heldText(t, false) }

// heldText is the holding reply of the agents' line, sorry for the wait when the customer
// is angry; "" when it was said less than agentLineHoldEvery ago. The same sentence is never
// said twice in a row.
func (b *Bot) heldText(t *turn, sorry bool) string {
	c := t.c
	if !c.LineHeldAt.IsZero() && t.now.Sub(c.LineHeldAt) < agentLineHoldEvery {
		return ""
	}
	key := pick(c.LineHeld == "", msgAgentLineHolding, msgAgentLineHoldingAgain)
	if sorry {
		key = msgAgentLineSorry
	}
	if key == c.LineHeld {
		key = pick(key == msgAgentLineHoldingAgain, msgAgentLineHolding, msgAgentLineHoldingAgain)
	}
	c.LineHeldAt, c.LineHeld = t.now, key
	return t.text(key)
}

// leaveAgentLine takes the customer out of the agents' line at their request: the
// conversation back to pending, a note for the agents, and the bot has them again.
func (b *Bot) leaveAgentLine(c *Conversation, words string) []Action {
	c.HandedOff, c.AgentLine, c.HumanAssigned = false, false, false
	c.Status, c.PendingAsked = StatusPending, true
	c.LineHeldAt, c.LineHeld = time.Time{}, ""
	b.leftLineAsked(c)
	n := "The customer left the line before an agent wrote to them (\"" + strings.TrimSpace(words) + "\"): " +
		"the conversation is back with the virtual assistant (pending). Nothing to do unless they ask for an agent again."
	return []Action{
		{Kind: SetStatus, Status: StatusPending},
		note(n),
		say(b.t(b.voice(c), msgLeftLine)),
		b.mainMenu(c),
	}
}

// onPendingRefused: Chatwoot refused to set the conversation back to pending when the
// customer left the agents' line. It is still open with the agents: the bot leaves it to
// them and tells them.
func (b *Bot) onPendingRefused(c *Conversation) []Action {
	if !c.PendingAsked {
		return nil
	}
	c.PendingAsked = false
	c.HandedOff, c.Status = true, StatusOpen
	c.closeQuestion()
	return []Action{note("The customer asked to leave the line and was told they were out of it, but Chatwoot refused to set the conversation back to pending: it is still open with you. Please check with the customer.")}
}

// agentLineTurn reads a customer message in the agents' line and answers it by the line's
// rules alone, or not at all.
func (b *Bot) agentLineTurn(ctx context.Context, c *Conversation, ev Event, optedOut bool) []Action {
	text := strings.TrimSpace(ev.Text)
	if text == "" {
		return nil
	}
	c.remember(text)
	if limited, _ := c.overBudget(ev.Now, b.maxReplies()); limited {
		return nil
	}
	t := &turn{ctx: ctx, b: b, c: c, now: ev.Now, optedOut: optedOut}
	t.r = b.read(ctx, c, text)
	return b.fire(t)
}

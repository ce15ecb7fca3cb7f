package bot

import (
	"strings"

	"github.com/cwbot/cwbot/intents"
)

// The line around the intake's question ("Before I put you through: briefly describe the
// problem"): the customer is not in line yet while it is open, asks to leave a line they
// are about to join, asks why right after answering it, or asks for someone sooner than
// the agents' return.

const (
	msgIntakeNotInLineYet msgKey = "intake_not_in_line_yet"
	msgLineNoSooner       msgKey = "line_no_sooner"
)

// intakeLineLeftRule: "me salgo de la cola", "forget it" at the intake's question: the
// handoff called off, never taken as the problem the agent is told.
var intakeLineLeftRule = rule{"intake_line_left", func(t *turn) bool {
	r := t.r
	return (r.LeavesLine || r.GivesUp) && !r.Tapped && !r.RejoinsLine && !r.Has(intents.ActAskPerson) && !r.Has(intents.ActConnectionComplaint)
}, func(t *turn) []Action {
	t.b.callOffHandoff(t.c)
	return []Action{say(t.text(msgHandoffCalledOff)), t.b.mainMenu(t.c)}
}}

// intakeLineAskedRule: "am I still in the queue?", "sigo en la cola?" at the intake's
// question: not yet, they will be once they answer or skip it; the question again.
var intakeLineAskedRule = rule{"intake_line_asked", func(t *turn) bool {
	r := t.r
	return r.AsksInLine && !r.Tapped && !r.Has(intents.ActCancel) && !r.LeavesLine && !r.Has(intents.ActConnectionComplaint)
}, intakeAside("intake_line_asked", func(t *turn) []Action {
	return leadWith(t.text(msgIntakeNotInLineYet), []Action{t.b.askIntake(t.c, len(t.c.Intake))})
})}

// justAnsweredIntake reports the customer's last message answered the intake's question
// (or skipped it): a "why?" now asks why it was asked.
func (c *Conversation) justAnsweredIntake() bool {
	return strings.HasPrefix(c.LastRule, "intake_") && c.LastRule != "intake_line_left"
}

// lineWhyAskedRule: "why do you need that" right after answering the intake, now in line
// (the agents away): why it was asked, and where the line stands.
var lineWhyAskedRule = rule{"line_why_asked", func(t *turn) bool {
	return t.r.WhyAsked && t.c.justAnsweredIntake() && !t.r.Has(intents.ActCancel)
}, func(t *turn) []Action {
	return leadWith(t.text(msgIntakeWhy), []Action{t.b.inLine(t.ctx, t.c, t.now)})
}}

// agentLineWhyRule: the same in the agents' line, in hours: why, and that they are in line.
var agentLineWhyRule = rule{"agent_line_why_asked", func(t *turn) bool {
	return t.r.WhyAsked && t.c.justAnsweredIntake() && !t.r.Tapped
}, func(t *turn) []Action {
	return []Action{say(joinText(t.text(msgIntakeWhy), t.b.lineHeldAgain(t)))}
}}

// lineSoonerAskedRule: "nao tem nenhum jeito de falar com alguem antes nao?" in line while
// the agents are away: no, plainly, nobody before then; their place kept, and what the bot
// can do meanwhile. In line whatever the bot asked last (the menu after a sorry): a global
// rule, before the person asked for.
var lineSoonerAskedRule = rule{"line_sooner_asked", func(t *turn) bool {
	r := t.r
	if !t.c.Waiting || !r.AsksSooner || r.Has(intents.ActCancel) || r.LeavesLine || !(r.Question || r.Has(intents.ActAskPerson) || r.NamesPerson) {
		return false
	}
	av := t.b.availability(t.ctx, t.c, t.now)
	return !av.Open && !av.NextOpening.IsZero()
}, func(t *turn) []Action {
	av := t.b.availability(t.ctx, t.c, t.now)
	return []Action{say(t.textf(msgLineNoSooner, "when", t.b.whenText(t.b.voice(t.c), av.NextOpening, t.now)))}
}}

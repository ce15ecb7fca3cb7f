package bot

import (
	"slices"

	"github.com/cwbot/cwbot/intents"
)

// Questions about other things while an update runs, or after an agent handed the
// conversation back: answered, or told who can answer them; a running update is only
// mentioned beside the answer, never said instead of it.

// The acts files' asks_about names of what this file answers.
const (
	askAgentPending = "agent_pending" // "is the move all sorted then?", "alguém retornará?"
	// "e as quedas de noite? o Rafael falou q ia ver isso": what an agent said they would do, cited
	askAgentPromised = "agent_promised"
	askUpdateCost    = "update_cost" // "is there any charge for this update?"
	askLandline      = "landline"    // "will my landline still work during the restart?"
)

// ReasonAgentPending: after a hand-back, the customer asks about what an agent arranged
// or was checking, which the bot cannot see.
const ReasonAgentPending = "agent_pending"

const (
	msgAgentLeftOpen    msgKey = "agent_left_open"
	msgAgentPromised    msgKey = "agent_promised"
	msgUpdateMeanwhile  msgKey = "update_meanwhile"
	msgUpdateCost       msgKey = "update_cost"
	msgLandlineRestart  msgKey = "landline_restart"
	msgUpdatingNoted    msgKey = "updating_noted"
	msgTroubleToldAsked msgKey = "trouble_told_asked"
)

// agentLeftOpenRule: "E a questão do plano com TV, alguém retornará?" after the agent who
// said she would check handed back. The bot cannot see what the agent arranged or is
// checking: it says so, and offers the customer back to an agent, whose note tells what
// is pending (the question among the last messages). Never the topic's stock answer, nor
// the update's step.
var agentLeftOpenRule = rule{"agent_left_open", func(t *turn) bool {
	c := t.c
	return c.BackFromAgent && slices.Contains(t.r.Asks, askAgentPending) && !t.r.Tapped && !t.r.Has(intents.ActAskPerson) &&
		!t.r.Has(intents.ActCancel) && !c.Waiting && (c.State.Resting() || c.State == StateAnythingElse || c.State == StateMainMenu)
}, func(t *turn) []Action {
	text := t.text(msgAgentLeftOpen)
	if u := t.c.Update; u != nil && u.Active {
		text = joinText(text, t.text(msgUpdateMeanwhile))
	}
	return []Action{t.b.offerAgentMenu(t.c, text, ReasonAgentPending)}
}}

// agentPromisedRule: "e as quedas de noite? o Rafael falou q ia ver isso" after the agent
// handed back: the customer cites what the agent said they would check. Taken in (the agent
// said so, and their answer comes in this chat), and the agent offered again; never the
// trouble's stock answer, as if nobody had looked at it.
var agentPromisedRule = rule{"agent_promised", func(t *turn) bool {
	c := t.c
	return c.BackFromAgent && slices.Contains(t.r.Asks, askAgentPromised) && !t.r.Tapped && !t.r.Has(intents.ActAskPerson) &&
		!t.r.Has(intents.ActCancel) && !c.Waiting && (c.State.Resting() || c.State == StateAnythingElse || c.State == StateMainMenu)
}, func(t *turn) []Action {
	text := t.text(msgAgentPromised)
	if u := t.c.Update; u != nil && u.Active {
		text = joinText(text, t.text(msgUpdateMeanwhile))
	}
	return []Action{t.b.offerAgentMenu(t.c, text, ReasonAgentPending)}
}}

// msgAgentAnswerDoubted: "so thats it?" after an agent handed back, and msgAgentWaitDoubted
// when it names a length of time ("so thats it? 2 days?") (content.yaml).
const (
	msgAgentAnswerDoubted msgKey = "agent_answer_doubted"
	msgAgentWaitDoubted   msgKey = "agent_wait_doubted"
)

// agentAnswerDoubtedRule: "so thats it? 2 days?", "¿y eso es todo?", "é só isso?" right
// after an agent handed back: the customer doubts what the agent said. Sorry (that it takes
// that long, when a time is named), and an agent again to ask more; never "didn't
// understand" to an easy follow-up from an upset customer, nor a "scroll up" to an angry one.
var agentAnswerDoubtedRule = rule{"agent_answer_doubted", func(t *turn) bool {
	c, r := t.c, t.r
	return c.BackFromAgent && r.DoubtsAnswer && r.Question && !r.Tapped && !r.Has(intents.ActAskPerson) && !r.Has(intents.ActCancel) &&
		!r.Has(intents.ActThanks) && !r.Has(intents.ActGoodbye) && !asks(t) && !c.Waiting &&
		(c.State.Resting() || c.State == StateAnythingElse || c.State == StateMainMenu)
}, func(t *turn) []Action {
	key := msgAgentAnswerDoubted
	if t.r.NamesTime {
		key = msgAgentWaitDoubted
	}
	return []Action{t.b.offerAgentMenu(t.c, t.text(key), ReasonAgentPending)}
}}

// updatingCostRule: "is there any charge for this update?" while it runs: no, and where
// it is; never the step alone.
var updatingCostRule = rule{"updating_cost", func(t *turn) bool {
	return slices.Contains(t.r.Asks, askUpdateCost) && !t.r.Has(intents.ActCancel) && !t.r.Has(intents.ActAskPerson)
}, func(t *turn) []Action {
	return []Action{say(joinText(t.text(msgUpdateCost), t.text(msgUpdateMeanwhile)))}
}}

// updatingLandlineRule: "will my landline still work during the restart?": a phone
// through the router is cut while it restarts and comes back on its own.
var updatingLandlineRule = rule{"updating_landline", func(t *turn) bool {
	return slices.Contains(t.r.Asks, askLandline) && !t.r.Has(intents.ActCancel) && !t.r.Has(intents.ActAskPerson)
}, func(t *turn) []Action {
	return []Action{say(t.text(msgLandlineRestart))}
}}

// updatingRemarkRule: "Very well.", "...", "😴" while the update runs: a remark that asks
// nothing, never "didn't understand"; that it will be told, once, and to more nothing.
var updatingRemarkRule = rule{"updating_remark", func(t *turn) bool { return remark(t, 3) }, func(t *turn) []Action {
	switch t.c.LastRule {
	case "updating_remark", "updating_acknowledged", "updating_ok":
		return nil
	}
	return []Action{say(t.text(msgUpdatingNoted))}
}}

// offerAgentRemarkRule: "😴" to an agent offered while the update runs: the offer is not
// taken, and the customer waits for the router; that it will be told, not "didn't
// understand" and the offer again.
var offerAgentRemarkRule = rule{"offer_agent_remark", func(t *turn) bool {
	return remark(t, 0) && t.c.Update != nil && t.c.Update.Active
}, func(t *turn) []Action {
	t.c.closeQuestion()
	return []Action{say(t.text(msgUpdatingNoted))}
}}

// remark reports a message of at most words words that asks and tells nothing the bot
// reads: "Very well.", "...", an emoji with no meaning of its own.
func remark(t *turn, words int) bool {
	r := t.r
	return !r.Question && r.Acts == 0 && r.Words <= words && len(r.Serials) == 0 && len(r.Asks) == 0 && !asks(t) && !r.Tapped &&
		(r.Intent == intents.OutOfScope || r.Intent == "")
}

// updatingTroubleToldRule: "y lo de la lentitud? como te dije al principio" while the
// update runs: the trouble told before it, asked after, is no drop the restart causes;
// what the update may do for it, and the agent if it stays.
var updatingTroubleToldRule = rule{"updating_trouble_told", func(t *turn) bool {
	c := t.c
	return t.r.Has(intents.ActConnectionComplaint) && t.r.Question && c.described() != "" && c.Described != t.r.Text &&
		!t.r.Has(intents.ActAskPerson) && !t.r.Has(intents.ActCancel)
}, func(t *turn) []Action { return []Action{say(t.text(msgTroubleToldAsked))} }}

// runningStatusAfter is lead, then where the running update is (updateStatus, one plain
// message while it runs) and that each step is told here.
func (t *turn) runningStatusAfter(lead string) string {
	status := t.b.updateStatus(t.c)[0].Text
	if statusTellsSteps(t.c) { // "...começa em breve. Vou avisando aqui a cada etapa.": said once
		return joinText(lead, status)
	}
	return joinText(lead, status, t.text(msgUpdatingNoted))
}

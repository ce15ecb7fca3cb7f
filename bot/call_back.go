package bot

import "github.com/cwbot/cwbot/intents"

// A phone call asked for ("can someone call me back on this number", "necesito que alguien
// me llame", "y me van a llamar o es por acá?"): the agents answer here in the chat and
// nobody calls, said plainly, so that no one waits for a call that never comes; then the
// handoff goes on as for any request for a person.

const msgCallInChat msgKey = "call_in_chat"

// callAskedRule: a call asked for, with a person (or the line, the intake) in view: that the
// agents answer here, then the request for a person (asks_for_person), the intake's
// question again, or the line.
var callAskedRule = rule{"call_back_asked", func(t *turn) bool {
	r := t.r
	if !r.AsksCall || r.Tapped || r.Choice != 0 && t.choice() != valAgent { // "can someone call me" names the agent's button
		return false
	}
	switch t.c.State {
	case StateIntake, StateInLine:
		return true
	}
	return asksForPerson(t) || r.Intent == intents.HumanAgent || t.choice() == valAgent
}, func(t *turn) []Action {
	lead := t.text(msgCallInChat)
	switch t.c.State {
	case StateIntake:
		return leadWith(lead, []Action{t.b.questionAgain(t.c)})
	case StateInLine:
		return leadWith(lead, []Action{t.b.inLine(t.ctx, t.c, t.now)})
	}
	return leadWithMessage(lead, askedForPerson(t))
}}

// leadWithMessage is leadWith that leads a handoff's message to the customer too.
func leadWithMessage(text string, acts []Action) []Action {
	if len(acts) > 0 && acts[0].Kind == Handoff && acts[0].Handoff != nil && acts[0].Handoff.Message != nil {
		acts[0].Handoff.Message.Text = joinText(text, acts[0].Handoff.Message.Text)
		return acts
	}
	return leadWith(text, acts)
}

// agentLineCallRule: "y me van a llamar o es por acá?" in the agents' line: the agent writes
// here, nobody calls; once, not to the same question again in a row.
var agentLineCallRule = rule{"agent_line_call_asked", func(t *turn) bool {
	return t.r.AsksCall && !t.r.Tapped
}, func(t *turn) []Action {
	if t.c.LastRule == "agent_line_call_asked" {
		return nil
	}
	return []Action{say(joinText(t.text(msgCallInChat), t.b.lineHeldAgain(t)))}
}}

package bot

import "github.com/cwbot/cwbot/intents"

// "Y sigo en la cola o que?", "am I still in the queue?" from a customer who left the line
// for an agent: no, they left it when they asked, and the way back in (the wait while
// the agents are away, else an agent now); never the update's status or "didn't
// understand". In line, line_wait_asked answers: yes, and when an agent writes.

const (
	msgLineLeftAskedAgent     msgKey = "line_left_asked_agent"
	msgLineLeftAskedWait      msgKey = "line_left_asked_wait"
	msgLineLeftAskedWaitUntil msgKey = "line_left_asked_wait_until"
)

var lineLeftAskedRule = rule{"line_left_asked", func(t *turn) bool {
	r := t.r
	return t.c.LeftLine && !t.c.Waiting && r.AsksWait && !r.LeavesLine && !r.Tapped && !r.Has(intents.ActCancel) &&
		!r.Has(intents.ActAskPerson) && len(r.Serials) == 0 && t.c.State != StateIntake && t.c.State != StateWithAgent
}, func(t *turn) []Action {
	reason := t.c.HandoffReason
	if reason == "" {
		reason = ReasonIntent
	}
	av := t.b.availability(t.ctx, t.c, t.now)
	if av.Open && av.Online || t.b.Handoff.WhenClosed == "open" {
		return []Action{t.b.offerAgentMenu(t.c, t.text(msgLineLeftAskedAgent), reason)}
	}
	text := t.b.inLineText(t.ctx, t.c, t.now, msgLineLeftAskedWait, msgLineLeftAskedWaitUntil)
	t.c.HandoffReason = reason
	t.c.awayNoted(av)
	t.c.ask(StateOfferWait, []Item{
		{Title: t.text(btnWait), Value: valWait},
		{Title: t.text(btnKeepChatting), Value: valContinue},
	})
	return []Action{menu(text, t.c.Menu.Items)}
}}

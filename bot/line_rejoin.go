package bot

import "github.com/cwbot/cwbot/intents"

// A customer who left the line for an agent and asks to be put back in it ("ok put me back
// in the queue then", "vuelve a ponerme en la cola", "me coloca na fila de novo").

// Texts of the way back into the line while the agents are away (content.yaml).
const (
	msgLineRejoinClosed msgKey = "line_rejoin_closed"
	msgLineRejoinBusy   msgKey = "line_rejoin_busy"
)

// lineRejoinRule: the line asked for again, out of it: back to an agent as a request for a
// person is, what they told before passed on (Conversation.LeftLineTold); with the agents
// away, when they are back and whether to wait, in words that take up the request; at that
// very question, the wait it asks. Never "didn't understand", with the customer left to
// find the button.
var lineRejoinRule = rule{"line_rejoin_asked", func(t *turn) bool {
	r := t.r
	return r.RejoinsLine && !t.c.Waiting && !r.Has(intents.ActCancel) && !r.Has(intents.ActDeny) && r.Choice == 0 &&
		t.c.State != StateIntake && t.c.State != StateInLine && t.c.State != StateWithAgent
}, func(t *turn) []Action {
	if t.c.State == StateOfferWait {
		return t.b.startIntake(t.c, true, t.now)
	}
	acts := t.b.requestHandoff(t.ctx, t.c, ReasonIntent, t.now)
	if t.c.State != StateOfferWait || len(acts) != 1 {
		return acts // agents there: the handoff, or the intake's question
	}
	av := t.b.availability(t.ctx, t.c, t.now)
	key := msgLineRejoinBusy
	if !av.Open {
		key = msgLineRejoinClosed
	}
	acts[0].Text = t.textf(key, "when", t.b.whenText(t.b.voice(t.c), av.NextOpening, t.now))
	return acts
}}

package bot

import (
	"slices"

	"github.com/cwbot/cwbot/intents"
)

// A customer may ask the bot to stop messaging them ("stop", "unsubscribe", "no me
// escriban más", "parem de me mandar msg"). The bot says once that it will not write
// again unless they do, and calls off whatever it would still have sent on its own: the
// notice of an outage's end, the steps and the end of a running router update (the update
// itself goes on: stopping a router halfway is not safe), and the handoff from the line
// for an agent ("an agent is now available"). Until the customer writes again it sends
// them nothing (Conversation.OptedOut, honoured by proactive); their next message is
// answered as any other.
//
// With a user token (labels on), the conversation is labelled opted_out for the agents,
// through the same outbox row as every label. The label stays when the customer writes
// again: it records that they asked, for whoever plans messages to them.

// Texts of the opt-out (content.yaml): the confirmation, then what applies of the rest.
const (
	msgOptedOut       msgKey = "opted_out"
	msgOptedOutOutage msgKey = "opted_out_outage"
	msgOptedOutUpdate msgKey = "opted_out_update"
	msgOptedOutLine   msgKey = "opted_out_line"
	msgOptedOutCancel msgKey = "opted_out_cancel"
)

// labelOptedOut marks a conversation whose customer asked for no more messages.
const labelOptedOut = "opted_out"

// optOutRule answers "stop messaging me". A request for a person in the same message
// ("don't text me, call me") is the request: the agents read the rest in their note.
var optOutRule = rule{"opted_out", func(t *turn) bool {
	return t.r.Has(intents.ActOptOut) && !t.r.Has(intents.ActAskPerson)
}, optOut}

func optOut(t *turn) []Action {
	c := t.c
	if t.optedOut {
		// "stop" again, with nothing between: it was said once; silence keeps the word.
		c.OptedOut = true
		return nil
	}
	tell := []string{t.text(msgOptedOut)}
	var acts []Action
	if c.Outage != nil && c.Outage.Subscribed {
		c.Outage.Subscribed = false
		tell = append(tell, t.text(msgOptedOutOutage))
	}
	if c.Update != nil && c.Update.Active {
		tell = append(tell, t.text(msgOptedOutUpdate))
	}
	if c.Waiting {
		acts = append(acts, t.b.leaveLine(c)...)
		if t.b.OnHandoff != nil {
			t.b.OnHandoff(c.HandoffReason, "left_line")
		}
		tell = append(tell, t.text(msgOptedOutLine))
	}
	if t.r.Intent == topicCancelService {
		// "BAJA": the word to stop messages, and the word to end a contract; the
		// messages stop, and the other meaning gets its way to a person.
		tell = append(tell, t.text(msgOptedOutCancel))
	}
	if c.State == StateIntake {
		t.b.callOffHandoff(c) // the questions before an agent: no agent is wanted now
	}
	c.closeQuestion()
	c.Misunderstood = 0
	c.OptedOut = true
	if t.b.Handoff.Labels && !slices.Contains(c.Labels, labelOptedOut) {
		acts = append(acts, c.setLabels([]string{labelOptedOut}))
	}
	return append(acts, say(joinText(tell...)))
}

package bot

import "github.com/cwbot/cwbot/intents"

// More of an outage told, in the customer's words (outageRules).

// msgOutageNotWarned answers "why weren't we warned?" about the outage told (content.yaml).
const msgOutageNotWarned msgKey = "outage_not_warned"

// outageNotWarnedRule: "pq n avisaram antes", "why weren't we warned?" once told of the
// outage: they are right, sorry, what is known, and when it should be over; never "didn't
// understand" nor the estimate alone, as if they had asked when.
var outageNotWarnedRule = rule{"outage_not_warned", func(t *turn) bool {
	return outageTold(t) && t.r.NotWarned && !t.r.Has(intents.ActAskPerson)
}, func(t *turn) []Action {
	return outageTellMore(t, t.text(msgOutageNotWarned)+" "+outageWhen(t, t.c.Outage.ETA))
}}

// msgIAmBotOutage answers "am i talking to a person?" during an outage told (content.yaml).
const msgIAmBotOutage msgKey = "i_am_bot_outage"

// outageAboutBotRule: "wait am i talking to a person now?" once told of an outage not over:
// the truth, and only what helps: a person, and the notice offered, or, to one waiting for
// it, that they will be told; never the update just said not to help during the outage.
var outageAboutBotRule = rule{"outage_about_bot", func(t *turn) bool {
	return t.r.Has(intents.ActAboutBot) && !t.r.NothingAsked && outageTold(t) && !t.r.Has(intents.ActAskPerson)
}, func(t *turn) []Action {
	return outageTellMore(t, t.text(msgIAmBotOutage))
}}

// outageHelloAgainRule: a hello in a word or two once told of the outage ("td", which the
// shorthand makes "tudo", after "caiu"; "oi" again): the outage goes on, and is the
// conversation; never the welcome again, with the update offered that will not help.
var outageHelloAgainRule = rule{"outage_hello_again", func(t *turn) bool {
	return outageTold(t) && len(t.c.Recent) > 1 && !t.r.Tapped && t.r.Words <= 2 && t.r.Choice == 0 &&
		(t.r.Has(intents.ActGreeting) || t.r.Intent == intents.Greeting) && t.r.Acts.Without(intents.ActGreeting) == 0
}, func(t *turn) []Action {
	return outageTellMore(t, t.text(msgOutageStillOn)+" "+outageWhen(t, t.c.Outage.ETA))
}}

// outageNotifyTakenTopicRule: "righto. while i've got ya, we're moving house, can i take
// the service with me" to "Shall I tell you when the service is back?": the yes taken, and
// the other matter answered in the same reply; never the notice alone, the move dropped.
var outageNotifyTakenTopicRule = rule{"outage_notify_taken_topic", inOutageNotice(func(t *turn) bool {
	_, topic := t.b.catalog().Topics()[t.r.Intent]
	return topic && t.r.Intent != topicOutage && saysYes(t) && t.choice() != valAgent && !t.r.Has(intents.ActAskPerson)
}), func(t *turn) []Action {
	told := subscribeOutage(t)
	answer := t.b.answerTopic(t, t.r.Intent)
	if len(told) == 1 && len(told[0].Items) == 0 && len(answer) > 0 && answer[0].Text != "" {
		return leadWith(told[0].Text, answer)
	}
	return append(told, answer...)
}}

// intakeOutageRule answers a connection complaint given as the problem at the handoff's
// question ("Está sem internet aqui em casa desde o almoço.") while the Outage API reports
// an outage in the customer's area: the outage and when it should be over, then the
// handoff goes on as it would, the complaint noted for the agent. Never a customer put in
// line with no word of the outage the bot knows of.
var intakeOutageRule = rule{"intake_outage_told", func(t *turn) bool {
	r := t.r
	if t.b.Outages == nil || !(r.Has(intents.ActConnectionComplaint) || r.Has(intents.ActOutageArea) || r.Intent == topicOutage) ||
		r.Has(intents.ActCancel) || t.c.Update != nil && t.c.Update.Active {
		return false
	}
	o, ok := t.outageNow()
	return ok && o.Active
}, func(t *turn) []Action {
	c, lang := t.c, t.b.voice(t.c)
	o, _ := t.outageNow()
	text := t.text(msgOutageNoETA)
	if !o.ETA.IsZero() && o.ETA.After(t.now) {
		text = t.b.tf(lang, msgOutageETA, "when", t.b.etaText(lang, o.ETA, t.now))
	}
	prev := c.Outage
	c.Outage = &OutageWatch{ID: o.ID, Message: o.Message, ETA: o.ETA, RouterID: t.b.routerID(c), Phone: c.Contact.Phone, ToldAt: t.now}
	if prev != nil && prev.ID == o.ID {
		c.Outage.Subscribed, c.Outage.SubscribedAt, c.Outage.UpdateWarned = prev.Subscribed, prev.SubscribedAt, prev.UpdateWarned
	}
	acts := t.b.onIntakeAnswer(c, t.r.Text, false, t.now)
	if len(acts) > 0 && acts[0].Handoff != nil && acts[0].Handoff.Message != nil {
		acts[0].Handoff.Message.Text = joinText(text, acts[0].Handoff.Message.Text)
		return acts
	}
	return leadWith(text, acts)
}}

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

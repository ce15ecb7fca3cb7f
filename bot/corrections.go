package bot

import "github.com/cwbot/cwbot/intents"

// A customer who corrects themselves ("no wait, it's the bill not the wifi", "nao pera, na
// vdd é a conta, não o wifi") replaces what they said: the matter they name now is answered,
// and its "no" refuses nothing the bot offered for the one they took back. (A serial
// corrected the same way replaces the serial: secondRouterNamed, serialTypedRule.)

// correctedTopic is the topic a correction names: the one its words ask about, else the
// one the classifier clearly reads; "" when the turn corrects nothing or names no topic.
func (t *turn) correctedTopic() string {
	if !t.r.Corrects || t.r.Tapped || len(t.r.Serials) > 0 || t.r.Has(intents.ActAskPerson) || t.r.NamesAgent {
		return ""
	}
	if name, _ := t.askedAbout(); name != "" {
		return name
	}
	if _, ok := t.b.catalog().Topics()[t.r.Intent]; ok && clearRequest(t) {
		return t.r.Intent
	}
	return ""
}

// topicCorrectedRule answers the matter a correction moves to, whatever was open: never
// its "no" taken for "not now" to the agent offered for the other matter.
var topicCorrectedRule = rule{"topic_corrected", func(t *turn) bool {
	return t.correctedTopic() != ""
}, func(t *turn) []Action {
	return welcomed(t, t.b.answerTopic(t, t.correctedTopic()))
}}

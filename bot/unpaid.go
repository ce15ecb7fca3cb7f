package bot

import (
	"slices"
	"strings"

	"github.com/cwbot/cwbot/intents"
)

// The bill's topic, and its question of a service slowed or cut for a bill not paid.
const (
	topicBilling      = "billing"
	questionUnpaid    = "unpaid"
	questionNotPaying = "not_paying"
)

// msgUnpaidTrouble is what the bot can do for the connection, after the bill's answer
// (content.yaml).
const msgUnpaidTrouble msgKey = "unpaid_trouble"

// unpaidTroubleRule answers "¿será que está lento porque no he pagado la boleta?", "is it
// slow cause I didn't pay the bill?", "tá lento pq não paguei a conta?" (or "...por no
// pagar?", words of the bill's not_paying): both questions.
// The bill's first (the bot cannot see the account or its payments; an unpaid bill may
// limit the service; the billing team can check it), then the connection's (the update,
// or an agent), with the main menu's buttons. The bill is raised, for the agent who takes
// it up. Where the update is no answer to the trouble (it runs, it was just done, it
// failed) the trouble's own rules answer.
var unpaidTroubleRule = rule{"unpaid_trouble_asked", func(t *turn) bool {
	c := t.c
	q := t.topicQuestion(topicBilling)
	return t.r.Has(intents.ActConnectionComplaint) && (hasQuestion(q, questionUnpaid) || hasQuestion(q, questionNotPaying)) &&
		!t.r.Tapped && !t.r.Has(intents.ActAskPerson) && !(c.Update != nil && c.Update.Active) &&
		!c.updatedRecently(t.now) && !c.lastFailed() && !c.Waiting &&
		!cardMachineNamed(t) // "the card machine cannot connect, customers cannot pay by card": the shop's customers, no bill
}, func(t *turn) []Action {
	c, cat := t.c, t.b.catalog()
	agent := t.raiseUnpaid()
	if agent && (c.Described == "" || !slices.Contains(c.Recent, c.Described)) {
		c.Described, c.DescribedTopic = t.r.Text, topicBilling // what the agent is told; the intake asks it no more
	}
	said := joinLines(cat.topicQuestion(topicBilling, questionUnpaid, t.b.voice(c)), t.text(msgUnpaidTrouble))
	m := t.b.mainMenu(c)
	c.Proposed = valUpdateRouter // a yes now takes the update offered
	return []Action{say(said), m}
}}

// raiseUnpaid makes the bill's question of a bill not paid the topic answered, raised
// with the turn's words for its agent; it reports whether the bill has an agent.
func (t *turn) raiseUnpaid() (agent bool) {
	c := t.c
	agent = t.b.catalog().Topics()[topicBilling].Agent != TopicNone
	c.Topic, c.TopicSaid, c.TopicFollowedUp = topicBilling, questionUnpaid, false
	c.raiseWith(topicBilling, t.r.Text, agent)
	return agent
}

// hasQuestion reports q among the questions of a topicQuestion ("due_date+unpaid").
func hasQuestion(asked, q string) bool { return slices.Contains(strings.Split(asked, "+"), q) }

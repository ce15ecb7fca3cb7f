package bot

import (
	"regexp"
	"slices"

	"github.com/cwbot/cwbot/intents"
)

// Requests the bot cannot do itself, asked where it would otherwise answer something else:
// a refund or credit for days without service with no outage on record (the trouble's
// update is no answer to money asked back), a technician's visit asked inside a complaint
// about the connection, and the bot asked to do itself what it just said an agent does.
// Each is said plainly, with what the telco does and the agent who does it.

// Texts of them (content.yaml). A credit asked for reuses the outage's compensation texts.
const (
	msgTechnicianUpdateFirst msgKey = "technician_update_first"
	msgOnlyAgentCan          msgKey = "only_agent_can"
)

// ReasonCredit: the customer asks for a refund or credit for time without service, with no
// outage on record; the bot cannot grant one (billing takes it, as an outage's
// compensation).
const ReasonCredit = "credit_asked"

// raisedCredit is the refund or credit asked for, among the topics raised: the agent's note
// tells it with them ("Also asked about: cancel service, refund or credit").
const raisedCredit = "refund_or_credit"

// creditRule answers "I want a refund for the 4 days we had no internet", "me tenéis que
// devolver el dinero de los días sin conexión" where no outage was told (an outage's
// compensation is outage.go's, and an outage the Outage API reports now is told first):
// sorry, the bot cannot apply a credit, an agent logs the request and the team reviews it;
// an agent offered, routed to billing. Money asked back needs the trouble named beside it
// ("a discount on the 500 plan?" is the plans'), and at the intake it is the answer.
var creditRule = rule{"credit_asked", func(t *turn) bool {
	r := t.r
	if !r.AsksCompensation || r.Has(intents.ActAskPerson) || !r.Has(intents.ActConnectionComplaint) && !r.Has(intents.ActOutageArea) {
		return false
	}
	switch t.c.State {
	case StateIntake, StateAskSerial, StateWithAgent:
		return false
	}
	return !compensationAsked(t) && !outageAsked(t)
}, func(t *turn) []Action {
	c := t.c
	c.Described, c.DescribedTopic = t.r.Text, "" // what the agent is asked for: the intake takes it
	c.raise(raisedCredit)
	key := msgOutageCompensation
	if c.ForOther { // the line is someone else's: the credit is the holder's to ask for
		key = msgCompensationNotHolder
	}
	text := t.text(key) + "\n\n" + t.text(msgOutageCompensationAsk)
	return []Action{t.b.offerAgentMenu(c, text, ReasonCredit)}
}}

// complaintTechnicianRule answers trouble with the connection told with a technician
// asked for ("a internet tá caindo desde sábado... queria ver se vocês mandam um técnico
// aqui em casa"): the visit is an agent's to book, said first, and the update the bot can
// try now, which often spares the visit; never the update alone, as if the visit had not
// been asked. Where the update is no answer (it just worked, or failed every time), the
// complaint's own rules offer the agent.
var complaintTechnicianRule = rule{"complaint_technician_asked", func(t *turn) bool {
	return t.r.Has(intents.ActConnectionComplaint) && t.r.AsksTechnician && !t.c.updatedRecently(t.now) &&
		!t.b.retriesSpent(t.c) && !t.c.lastFailed() && !t.r.Has(intents.ActDeclineUpdate)
}, func(t *turn) []Action {
	t.c.raise(topicTechnician)
	m := t.b.mainMenu(t.c)
	m.Text = t.text(msgTechnicianUpdateFirst) + "\n\n" + m.Text
	t.c.Proposed = valUpdateRouter // a yes now takes the update
	return []Action{m}
}}

// offerAgentItselfRule answers "não quero falar com ninguém, quero que vc mude", "can't you
// just do it yourself?" to an agent offered for what the bot cannot do (a topic, a
// credit): it cannot, said plainly, and the choice stays the customer's; never a handoff
// they just refused.
var offerAgentItselfRule = rule{"offer_agent_itself_asked", func(t *turn) bool {
	return t.r.AsksItself && !t.r.Has(intents.ActAskPerson) && !t.r.Tapped &&
		slices.Contains([]string{ReasonTopic, ReasonCompensation, ReasonCredit}, t.c.HandoffReason)
}, func(t *turn) []Action {
	return []Action{t.b.offerAgentMenu(t.c, t.text(msgOnlyAgentCan), t.c.HandoffReason)}
}}

// protocolRule answers "o número de protocolo do cancelamento, vcs não vão me dar??", "can I
// get a reference number?": the bot registers nothing and gives no number; an agent does
// both, said plainly (the cancellation named when it was asked for), and an agent offered.
// Never the same sorry as before: the customer asked something precise. At the intake it is
// the answer; in line or with an agent, the agent gives it.
var protocolRule = rule{"protocol_asked", func(t *turn) bool {
	switch t.c.State {
	case StateIntake, StateAskSerial, StateWithAgent, StateInLine:
		return false
	}
	return t.r.AsksProtocol && !t.r.Has(intents.ActAskPerson) && !t.c.Waiting
}, func(t *turn) []Action {
	c := t.c
	cancelling := slices.Contains(c.Raised, topicCancelService) || t.r.Intent == topicCancelService ||
		len(t.r.Ranked) > 0 && t.r.Ranked[0].Intent == topicCancelService
	if _, ok := t.b.catalog().Topics()[topicCancelService]; ok && cancelling {
		c.Topic, c.TopicFollowedUp = topicCancelService, false
		c.raise(topicCancelService)
		return []Action{t.b.offerAgentMenu(c, t.text(msgProtocolNotHereCancel), ReasonTopic)}
	}
	if c.AgentGaveNumber {
		// "y el numero de reclamo me lo repetis?" after an agent gave one here: it is above
		return []Action{t.b.offerAgentMenu(c, t.text(msgProtocolGivenAbove), ReasonProtocol)}
	}
	return []Action{t.b.offerAgentMenu(c, t.text(msgProtocolNotHere), ReasonProtocol)}
}}

// agentNumber is a number in an agent's message that may be a claim's or a reference's
// (three digits or more: "n° 55821", "#4410", "protocolo 2024-118"), never a time or a
// price's few digits.
var agentNumber = regexp.MustCompile(`\d{3,}`)

// msgCancelServiceAgent answers "just cancel it" where the service's cancellation was the
// matter (content.yaml).
const msgCancelServiceAgent msgKey = "cancel_service_agent"

// offerAgentCancelServiceRule: "actually forget it just cancel it" to the agent offered for
// a cancellation ("and if I cancel is there a fee"): the service is what they want
// cancelled, which only an agent does; the offer again, with the fee they asked about.
// Never "No problem, I've called it off", which reads as the service cancelled.
var offerAgentCancelServiceRule = rule{"offer_agent_cancel_service", func(t *turn) bool {
	return t.c.Topic == topicCancelService && t.r.Has(intents.ActCancel) && t.r.Intent != intents.UpdateRouter && !t.r.NamesUpdate &&
		!t.r.Has(intents.ActDeclineUpdate) && !t.c.Waiting && !(t.c.Update != nil && t.c.Update.Active)
}, func(t *turn) []Action {
	return []Action{t.b.offerAgentMenu(t.c, t.text(msgCancelServiceAgent), ReasonTopic)}
}}

// refusesBotRule: "não quero robô não", "I don't want a bot": a person asked for, in the
// words of one who refuses the bot; the handoff, never the bot's menu. The offer's own
// reason stands where one was open (an angry customer offered an agent). Its "não" picks
// no button: the bot is what it refuses.
var refusesBotRule = rule{"refuses_bot", func(t *turn) bool {
	return t.r.RefusesBot && !t.r.Tapped && t.c.State != StateIntake && t.c.State != StateInLine && !t.c.Waiting
}, func(t *turn) []Action {
	reason := ReasonIntent
	if t.c.State == StateOfferAgent && t.c.HandoffReason != "" {
		reason = t.c.HandoffReason
	}
	return t.b.requestHandoff(t.ctx, t.c, reason, t.now)
}}

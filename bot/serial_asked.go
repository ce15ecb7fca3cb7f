package bot

import "github.com/cwbot/cwbot/intents"

// The question for the serial, answered with something else than a serial: why it is
// needed ("y para qué queréis el número de serie?"), a refusal to give it ("no pienso
// daros nada, reinicialo y punto"), where it is, or a second answer that is no serial.
// Each gets its own answer, never "that doesn't look like a serial number" to a question or
// a refusal, and never the same sentence twice in a row.

const (
	// why the serial is needed: to find the router and be sure it is theirs
	msgSerialWhy msgKey = "serial_why"
	// the serial refused: without it no router to update; an agent offered
	msgSerialWithheld msgKey = "serial_withheld"
	// "where is it?" after answers that were no serial: where, and an agent offered
	msgSerialWhereAgent msgKey = "serial_where_agent"
	// a second answer in a row that is no serial
	msgBadSerialAgain msgKey = "bad_serial_again"
	// the bot asked to find the router itself: it cannot from here, an agent can
	msgSerialLookup msgKey = "serial_lookup"
	// the router out of reach now: the serial when they can, or an agent
	msgSerialLater msgKey = "serial_later"
)

// ReasonSerialWithheld: the customer would rather not give the router's serial, and no
// router is on their record.
const ReasonSerialWithheld = "serial_withheld"

// serialWhyRule answers "y para qué queréis el número de serie? ya tenéis mis datos",
// "why do you need that?" at the question for the serial: to find their router and be
// sure it is theirs (none is on this contact), where it is, and that a person can help
// instead; the question stays open.
var serialWhyRule = rule{"serial_why_asked", func(t *turn) bool {
	return t.r.WhyAsked && len(t.r.Serials) == 0 && !t.r.Has(intents.ActAskPerson) && !t.r.Has(intents.ActCancel)
}, func(t *turn) []Action {
	return []Action{say(t.text(msgSerialWhy))}
}}

// serialWithheldRule answers "no pienso daros nada, reinicialo y punto", "I'm not giving
// you anything" at the question for the serial: without it the bot cannot find the router
// to update, so an agent is offered; never "that doesn't look like a serial number".
var serialWithheldRule = rule{"serial_withheld", func(t *turn) bool {
	return t.r.Withholds && len(t.r.Serials) == 0 && !t.r.Has(intents.ActAskPerson) && !t.r.Has(intents.ActCancel)
}, func(t *turn) []Action {
	t.c.BadAnswers = 0
	return []Action{t.b.offerAgentMenu(t.c, t.text(msgSerialWithheld), ReasonSerialWithheld)}
}}

// serialLookupRule answers "cant u just look it up from my number? im not crawling under
// the desk" at the question for the serial: the bot cannot (no router is linked to the
// number), an agent can find it on the account, offered; never where the label is again.
var serialLookupRule = rule{"serial_lookup_asked", func(t *turn) bool {
	return t.r.AsksLookup && len(t.r.Serials) == 0 && !t.r.Has(intents.ActAskPerson) && !t.r.Has(intents.ActCancel)
}, func(t *turn) []Action {
	t.c.BadAnswers = 0
	return []Action{t.b.offerAgentMenu(t.c, t.text(msgSerialLookup), ReasonSerialWithheld)}
}}

// serialUnreachableRule answers "Es que el router está en el cuarto de mi hijo y está
// cerrado", "I'm at work" at the question for the serial: no problem, the serial when they
// can get to it, or an agent now; never "that doesn't look like a serial number".
var serialUnreachableRule = rule{"serial_unreachable", func(t *turn) bool {
	return t.r.CantReach && len(t.r.Serials) == 0 && !t.r.Has(intents.ActAskPerson) && !t.r.Has(intents.ActCancel)
}, func(t *turn) []Action {
	t.c.BadAnswers = 0
	return []Action{t.b.offerAgentMenu(t.c, t.text(msgSerialLater), ReasonSerialWithheld)}
}}

// serialWhere answers "where is it?" at the question for the serial: where the label is;
// told already and still lost ("no sé, el que tiene lucecitas"), not the same hint again
// but a person; after answers that were no serial, where it is and a person offered.
func serialWhere(t *turn) []Action {
	c := t.c
	c.BadAnswers++
	switch {
	case c.LastRule == "serial_where":
		c.BadAnswers = 0
		return []Action{t.b.offerAgentMenu(c, t.text(msgSerialNotFound), ReasonNoSerial)}
	case c.BadAnswers >= maxBadSerials:
		c.BadAnswers = 0
		return []Action{t.b.offerAgentMenu(c, t.text(msgSerialWhereAgent), ReasonNoSerial)}
	}
	return []Action{say(t.text(msgSerialHint))}
}

// noSerialReason reports an agent offered because no serial came: not found, or not given.
func noSerialReason(reason string) bool {
	return reason == ReasonNoSerial || reason == ReasonSerialWithheld
}

// msgSerialFound answers "ok found it" at the serial's question: type it as on the label.
const msgSerialFound msgKey = "serial_found"

// serialFoundRule answers "ok found it", "ya la encontré", "achei" at the question for the
// serial: the label found, the serial still to come; asked for as it appears on the label,
// never "that doesn't look like a serial number" nor the question again word for word.
var serialFoundRule = rule{"serial_found", func(t *turn) bool {
	return t.r.SerialFound && !t.r.Has(intents.ActAskPerson) && !t.r.Has(intents.ActCancel)
}, func(t *turn) []Action {
	return []Action{say(t.text(msgSerialFound))}
}}

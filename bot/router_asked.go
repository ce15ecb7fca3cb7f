package bot

import (
	"slices"
	"strings"
	"unicode"

	"github.com/cwbot/cwbot/intents"
)

// The router itself, asked about by a customer who does not know the word ("What is a
// router?", "y qué es un router? yo no sé de esas cosas", "o que é roteador?"): the box
// named plainly, then what was pending (the offer, the serial, the confirmation); never
// the update it names taken for a request. A serial, wherever the bot could take one, is
// the router to update of a contact with none on file.

// Texts of them (content.yaml).
const (
	msgRouterIs           msgKey = "router_is"
	msgRouterOffer        msgKey = "router_offer"
	msgRouterThatOne      msgKey = "router_that_one"
	msgRouterThatOneLabel msgKey = "router_that_one_label"
	msgSerialNeeded       msgKey = "serial_needed"
)

// routerAskedRule answers "What is a router?" in any state: what it is, then the question
// that was open. "What is a router update?" is the update's own question (update_safe).
var routerAskedRule = rule{"router_asked", func(t *turn) bool {
	r := t.r
	return r.AsksWhatRouter && !r.AsksUpdateSafe && !r.Has(intents.ActAskPerson) && len(r.Serials) == 0
}, func(t *turn) []Action { return t.b.routerExplained(t, false) }}

// routerDescribedRule answers "el aparatico ese que tiene las lucecitas?", "é uma caixinha
// preta com umas luzinhas" right after the router was explained: yes, that one; never a
// technician's visit the classifier half heard in it.
var routerDescribedRule = rule{"router_described", func(t *turn) bool {
	r := t.r
	return t.c.LastRule == routerAskedRule.name && r.DescribesRouter && !r.AsksTechnician && len(r.Serials) == 0 && !r.Tapped &&
		!r.Has(intents.ActAskPerson) && !r.Has(intents.ActCancel) && !r.Has(intents.ActGoodbye) && !r.Has(intents.ActDeny)
}, func(t *turn) []Action { return t.b.routerExplained(t, true) }}

// msgWhichBox tells which device is the router: the one from us (content.yaml).
const msgWhichBox msgKey = "which_box"

// whichBoxRule answers "which one, there is the one from you and one the card company gave
// me" at the question for the serial: the one from us, what it looks like, and where its
// serial is; never "that doesn't look like a serial number". Two routers of the
// customer's own are the other routers' question (another_router).
var whichBoxRule = rule{"which_box_asked", func(t *turn) bool {
	r := t.r
	return r.AsksWhichBox && len(r.Serials) == 0 && !r.AnotherRouter && !r.Tapped && !r.Has(intents.ActAskPerson) &&
		!r.Has(intents.ActCancel) && !r.Has(intents.ActGoodbye)
}, func(t *turn) []Action {
	t.c.ask(StateAskSerial, nil)
	return []Action{say(t.text(msgWhichBox))}
}}

// routerExplained says what the router is (or, found, that it is that one) and goes on
// with what was pending: at the question for the serial, where it is on the router; at
// the menu or with nothing open, what the bot can do with it; at another question, that
// question again; while an update runs, nothing more.
func (b *Bot) routerExplained(t *turn, found bool) []Action {
	c := t.c
	lead := t.text(msgRouterIs)
	if found {
		lead = t.text(msgRouterThatOne)
	}
	switch {
	case c.State == StateAskSerial || c.State == StateOfferAgent && noSerialReason(c.HandoffReason):
		c.ask(StateAskSerial, nil)
		if found {
			return []Action{say(t.text(msgRouterThatOneLabel))}
		}
		return []Action{say(joinText(lead, t.text(msgSerialHint)))}
	case c.State == StateUpdating || c.State == StateInLine:
		return []Action{say(lead)}
	case c.State.Resting() || c.State == StateMainMenu || c.State == StateAnythingElse:
		m := b.mainMenu(c)
		if slices.ContainsFunc(c.Menu.Items, func(it Item) bool { return it.Value == valUpdateRouter }) {
			m.Text = joinText(lead, t.text(msgRouterOffer))
			c.Proposed = valUpdateRouter // "ok do it": the offer taken
		} else {
			m.Text = joinText(lead, m.Text)
		}
		return []Action{m}
	}
	return leadWith(lead, []Action{b.questionAgain(c)})
}

// serialTypedRule takes a serial typed where no question asks for it ("Dice KT-2231-XB09 en
// un papelito pegado abajo" at the menu, "tá escrito KT-2231-XB09" at "the label is hard
// to find, want an agent?") from a contact with no router on file: the router to update,
// confirmed first. Not while an update runs, nor in line (the serial is for the agent).
// "that's not my router" beside it is no serial to take, unless it corrects what was said
// ("desculpa, me confundi, o do escritório é XX-0000-ZZ00") or gives the customer's own
// ("el mío es zx-4410-cd07", after the one refused was told to be someone else's), or
// follows the refusal of another one (refusedOther).
var serialTypedRule = rule{"serial_typed", func(t *turn) bool {
	r := t.r
	return len(r.Serials) == 1 && strings.ContainsFunc(r.Serials[0], unicode.IsLetter) && t.b.contactRouter(t.c) == "" &&
		!(t.c.Update != nil && t.c.Update.Active) && !t.c.Waiting && !r.Has(intents.ActCancel) && !r.Has(intents.ActDeclineUpdate) &&
		!(r.Has(intents.ActWrongRouter) && !r.Corrects && !r.MineIs && !refusedOther(t, r.Serials[0])) && !r.Has(intents.ActAskPerson)
}, func(t *turn) []Action {
	t.c.closeQuestion()
	return t.b.confirmTyped(t, t.r.Serials[0])
}}

// refusedOther reports a serial other than the one the telco just refused as not the
// customer's (or unknown): "ah pera, esse papel era do dono antigo da loja. embaixo do
// aparelho ta escrito S/N ZX-4471-QP08" disowns the refused one and gives their own, the
// serial the bot asked them to check on the label.
func refusedOther(t *turn, serial string) bool {
	cur := t.c.Update.current()
	return cur != nil && !t.c.Update.Active && (cur.Reason == ReasonNotYours || cur.Reason == ReasonUnknownRouter) &&
		!sameSerial(cur.RouterID, serial)
}

// offerAgentSerialWhereRule answers "onde eu acho esse número?" at "the label can be hard
// to find, want an agent?", and "Bueno vale. Y dónde viene eso?" at the agent offered to a
// customer who would not give the serial: where it is, and the serial asked for again.
var offerAgentSerialWhereRule = rule{"offer_agent_serial_where", func(t *turn) bool {
	return noSerialReason(t.c.HandoffReason) && len(t.r.Serials) == 0 && !t.r.Tapped &&
		(t.r.Has(intents.ActWhereSerial) || t.r.WhereAsked || t.r.Intent == intents.Help && t.r.Question)
}, func(t *turn) []Action {
	t.c.ask(StateAskSerial, nil)
	t.c.BadAnswers = 0
	return []Action{say(t.text(msgSerialHint))}
}}

// offerAgentSerialWhyRule answers "pq precisa disso?" at the agent offered for want of the
// serial: why the bot needs it (to find the router and be sure it is theirs), where it is,
// and a person instead; the serial's question open again. Never "didn't understand" to a
// question that follows from the bot's own words.
var offerAgentSerialWhyRule = rule{"offer_agent_serial_why", func(t *turn) bool {
	return noSerialReason(t.c.HandoffReason) && t.r.WhyAsked && len(t.r.Serials) == 0 && !t.r.Tapped &&
		!t.r.Has(intents.ActAskPerson) && !t.r.Has(intents.ActCancel)
}, func(t *turn) []Action {
	t.c.ask(StateAskSerial, nil)
	t.c.BadAnswers = 0
	return []Action{say(t.text(msgSerialWhy))}
}}

// mainMenuSerialWhereRule answers "y dónde encuentro eso que me pide?" at the menu of a
// contact with no router on file: what the bot needs to update it is the serial, so where
// the label is, and the serial asked for.
var mainMenuSerialWhereRule = rule{"main_menu_serial_where", func(t *turn) bool {
	return t.r.WhereAsked && t.b.contactRouter(t.c) == "" && len(t.r.Serials) == 0 && t.r.Choice == 0 &&
		slices.ContainsFunc(t.c.Menu.Items, func(it Item) bool { return it.Value == valUpdateRouter })
}, func(t *turn) []Action {
	t.c.ask(StateAskSerial, nil)
	t.c.BadAnswers = 0
	return []Action{say(joinText(t.text(msgSerialNeeded), t.text(msgSerialHint)))}
}}

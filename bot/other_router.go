package bot

import (
	"slices"
	"strings"
	"unicode"

	"github.com/cwbot/cwbot/intents"
)

// Another router than the one on the contact's record: "tengo dos routers en la casa, el de
// arriba es el que anda mal", "eu tenho dois roteadores em casa", or its serial typed
// ("el de arriba es el XX-0000-ZZ00 creo", "the main one downstairs is KT-2231-XB09"). The
// bot updates the router on record only (a typed serial never replaces it), so it says
// which one that is, offers it, and for the other takes the serial for an agent, who finds
// it in the handoff's note.

const (
	// one router on record, another spoken of: that one offered, the other's serial asked
	// for the agent
	msgOneRouterOnRecord msgKey = "one_router_on_record"
	// the same, to a customer who said the one on record is not theirs: only the serial
	msgOtherRouterSerialAsked msgKey = "other_router_serial_asked"
	// a serial typed that is not the router on record, of a second router (or said out of
	// the blue): an agent can check it and add it
	msgSerialOtherRouter msgKey = "serial_other_router"
	// another router spoken of after one was updated, no router on record: its serial
	msgOtherRouterSerial msgKey = "other_router_serial"
)

// otherRouterSpokenRule answers a second router spoken of, with no serial, by a contact
// with a router on record: which one the bot has, offered; the other's serial asked for.
var otherRouterSpokenRule = rule{"other_router_spoken", func(t *turn) bool {
	r := t.r
	_, other := otherSerial(r.Serials, t.b.contactRouter(t.c))
	return r.AnotherRouter && t.b.contactRouter(t.c) != "" && !other && !r.Tapped && otherRouterFree(t)
}, func(t *turn) []Action { return t.b.otherRouterSpoken(t) }}

// otherRouterAskedRule answers another router spoken of, with no serial, by a contact with
// no router on record once a router typed in this conversation was updated (or tried):
// "y el del cuarto también se puede?" after the one in the living room. Yes: its serial
// asked for, to confirm it as the first was; while the update runs, one at a time, and
// the serial asked for once it is done (nextRouterAfter). Never that router's update again,
// nor "I didn't understand".
var otherRouterAskedRule = rule{"other_router_asked", func(t *turn) bool {
	r := t.r
	cur := t.c.Update.current()
	return r.AnotherRouter && len(r.Serials) == 0 && t.b.contactRouter(t.c) == "" && cur != nil && t.c.NextRouter == nil &&
		!r.Tapped && !r.Has(intents.ActAskPerson) && !r.Has(intents.ActCancel) && !r.Has(intents.ActGoodbye) && !t.c.Waiting
}, func(t *turn) []Action {
	c := t.c
	if c.Update.Active {
		c.NextRouter = &NextRouter{}
		return []Action{say(t.b.tf(c.Language, msgOtherRouterAfter, "router", c.Update.current().RouterID))}
	}
	c.RouterID, c.TypedRouter = "", ""
	c.ask(StateAskSerial, nil)
	c.BadAnswers = 0
	return []Action{say(t.text(msgOtherRouterSerial))}
}}

// serialNotOnRecordRule answers a serial typed by a contact with a router on record that
// is not that router: it is not updated from here; an agent can check it, and is told it.
// Only a serial typed whole: groups the reader joins ("from 45 to 52", "119,90. pq") may be
// a bill's figures.
var serialNotOnRecordRule = rule{"serial_not_on_record", func(t *turn) bool {
	serial, other := otherSerial(t.r.Serials, t.b.contactRouter(t.c))
	return other && t.b.contactRouter(t.c) != "" && typedWhole(t.r.Text, serial) && otherRouterFree(t)
}, func(t *turn) []Action {
	serial, _ := otherSerial(t.r.Serials, t.b.contactRouter(t.c))
	return []Action{t.b.serialNotOnRecord(t, serial)}
}}

// typedWhole reports a serial written as one word of text, with its letters and digits.
func typedWhole(text, serial string) bool {
	return strings.Contains(strings.ToUpper(text), serial) && strings.ContainsFunc(serial, unicode.IsLetter) &&
		strings.ContainsFunc(serial, unicode.IsDigit)
}

// otherRouterFree reports a turn that asks nothing else first: no person, cancel or
// goodbye, and no update running or agent awaited (the serial is then for them).
func otherRouterFree(t *turn) bool {
	r := t.r
	return !r.Has(intents.ActAskPerson) && !r.Has(intents.ActCancel) && !r.Has(intents.ActGoodbye) &&
		!(t.c.Update != nil && t.c.Update.Active) && !t.c.Waiting
}

// otherRouterSpoken says which router is on record: offered (at the confirmation, that
// question again; else the menu), and the other's serial asked for; to a customer who
// said the one on record is not theirs, only the serial, with an agent offered.
func (b *Bot) otherRouterSpoken(t *turn) []Action {
	c := t.c
	own := b.contactRouter(c)
	c.SecondRouter = true
	if c.DisownedRouter == own {
		text := b.tf(c.Language, msgOtherRouterSerialAsked, "router", own)
		return []Action{b.offerAgentMenu(c, text, ReasonNotOnRecord)}
	}
	lead := b.tf(c.Language, msgOneRouterOnRecord, "router", own)
	if c.State == StateConfirmUpdate {
		m := b.confirmMenu(c)
		m.Text = lead + "\n\n" + m.Text
		return []Action{m}
	}
	m := b.mainMenu(c)
	if slices.ContainsFunc(c.Menu.Items, func(it Item) bool { return it.Value == valUpdateRouter }) {
		c.Proposed = valUpdateRouter // "ok, do that one": the offer taken
	}
	m.Text = lead + "\n\n" + m.Text
	return []Action{m}
}

// serialNotOnRecord tells a serial that is not the router on record: not updated from
// here, and an agent offered, who is told the serial. A new router of the customer's
// (the one on record disowned) is the agent's to register; a second one, to check.
func (b *Bot) serialNotOnRecord(t *turn, serial string) Action {
	c := t.c
	own := b.contactRouter(c)
	c.nameSerial(serial)
	if t.r.AnotherRouter {
		c.SecondRouter = true
	}
	key := msgSerialOtherRouter
	if c.DisownedRouter == own && !c.SecondRouter {
		key = msgSerialNotOnRecord
	}
	return b.offerAgentMenu(c, b.tf(c.Language, key, "serial", serial, "router", own), ReasonNotOnRecord)
}

// nameSerial keeps a serial the customer named that the bot does not update, for the
// agent's note.
func (c *Conversation) nameSerial(serial string) {
	if !slices.ContainsFunc(c.NamedSerials, func(s string) bool { return sameSerial(s, serial) }) {
		c.NamedSerials = append(c.NamedSerials, serial)
	}
}

// namedOtherSerials are the serials the customer named that are not router, for the
// agent's note.
func namedOtherSerials(c *Conversation, router string) []string {
	return slices.DeleteFunc(slices.Clone(c.NamedSerials), func(s string) bool { return sameSerial(s, router) })
}

// notYoursInsistedRule answers a customer who insists on a typed serial the telco says is
// another customer's ("but it IS my router", "mas é esse mesmo, tá na etiqueta"): never
// "I didn't understand", nor the serial asked for again; it may not be linked to their
// account yet, and an agent, told the serial, can check it.
var notYoursInsistedRule = rule{"failed_not_yours_insisted", func(t *turn) bool {
	cur := t.c.Update.current()
	r := t.r
	return cur != nil && cur.Reason == ReasonNotYours && cur.RouterID != t.b.contactRouter(t.c) && len(r.Serials) == 0 &&
		!r.Tapped && !onlyPleasantries(t) && !r.Has(intents.ActCancel) && !r.Has(intents.ActAskPerson) &&
		!r.Has(intents.ActGoodbye) && !r.Has(intents.ActRetry) && !r.Has(intents.ActThanks) && !saysNo(t)
}, func(t *turn) []Action {
	c := t.c
	c.nameSerial(c.Update.current().RouterID)
	return []Action{t.b.offerAgentMenu(c, t.text(msgNotYoursInsisted), ReasonRouterFailure)}
}}

// msgNotYoursForOther: the refused router is someone else's, the holder's (content.yaml).
const msgNotYoursForOther msgKey = "not_yours_for_other"

// notYoursForOtherRule answers "como que no, es el router de mi mamá, ella es la titular"
// to a typed serial the telco says is not the contact's: someone writing for the account
// holder, understood as such; only this number's routers can be updated, and an agent,
// told the serial, verifies it with the holder. Never "your router", "your account", nor
// a router promised to be added to the account of the one who writes.
var notYoursForOtherRule = rule{"failed_not_yours_for_other", func(t *turn) bool {
	return t.r.ForOther && notYoursInsistedRule.when(t)
}, func(t *turn) []Action {
	c := t.c
	c.ForOther = true
	c.nameSerial(c.Update.current().RouterID)
	return []Action{t.b.offerAgentMenu(c, t.text(msgNotYoursForOther), ReasonRouterFailure)}
}}

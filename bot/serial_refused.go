package bot

import (
	"slices"
	"strings"
	"unicode"

	"github.com/cwbot/cwbot/intents"
)

// A serial the telco refused in this conversation (another customer's router, or one it
// does not know) gets the same answer whenever it is typed again, however it is written:
// "KT2231XB99", "kt 2231 xb99" and KT-2231-XB99 are one router to a telco, and retyping it
// without its dashes is no way around the refusal. The customer hears it is the same
// serial, as it was first written, and an agent, told the serial, is offered.

const (
	// the serial refused as another customer's, typed again
	msgSerialRefusedAgain msgKey = "serial_refused_again"
	// the serial the telco does not know, typed again
	msgSerialNotFoundAgain msgKey = "serial_not_found_again"
	// "what does that mean?" to a typed serial the telco does not know
	msgUnknownSerialMeans msgKey = "unknown_serial_means"
	// "but that IS the one on the label" to a typed serial the telco does not know
	msgNotFoundInsisted msgKey = "not_found_insisted"
	// "that router isn't mine, I swapped it" after the router on record was updated
	msgUpdatedRouterNotYours msgKey = "updated_router_not_yours"
	// the update told as not done ("consegui atualizar não"): offered again
	msgUpdateTryAgain msgKey = "update_try_again"
	// "I'm telling you it's mine" once more, after not_yours_insisted
	msgNotYoursInsistedAgain msgKey = "not_yours_insisted_again"
	// "oh wait, that one is my mom's" of the serial just refused: their own asked for
	msgRefusedSerialDisowned msgKey = "refused_serial_disowned"
	// "but it's my mum's router, she is the account holder" of the serial just refused
	msgRefusedSerialHolder msgKey = "refused_serial_holder"
	// "ok let me check the black one" after the serial was refused: its serial asked for
	msgRefusedLookOther msgKey = "refused_look_other"
)

// serialRefusedAgainRule answers a serial typed again that the telco refused in this
// conversation: never a new confirmation of it. Not while an update runs, in line, at the
// intake (the description the agent reads), nor with a person asked for (the handoff goes
// on, the serial in its note); nor a router on file, which is for an agent to correct.
var serialRefusedAgainRule = rule{"serial_refused_again", func(t *turn) bool {
	r := t.r
	_, ok := refusedSerial(t)
	return ok && !r.Tapped && !(t.c.Update != nil && t.c.Update.Active) && !t.c.Waiting &&
		t.c.State != StateIntake && t.c.State != StateInLine && t.c.State != StateWithAgent &&
		!r.Has(intents.ActAskPerson) && !r.Has(intents.ActCancel)
}, func(t *turn) []Action {
	a, _ := refusedSerial(t)
	t.c.nameSerial(a.RouterID)
	t.c.RouterID, t.c.TypedRouter = t.b.contactRouter(t.c), ""
	key := msgSerialRefusedAgain
	if a.Reason == ReasonUnknownRouter {
		key = msgSerialNotFoundAgain
	}
	return []Action{t.b.offerAgentMenu(t.c, t.textf(key, "serial", a.RouterID), ReasonRouterFailure)}
}}

// refusedSerial is the attempt that refused the serial the turn types (its one serial
// with a letter), as another customer's or unknown, since the bot last took the
// conversation, with no attempt on it that worked since; not the router on file.
func refusedSerial(t *turn) (UpdateAttempt, bool) {
	if t.c.Update == nil || len(t.r.Serials) != 1 || !strings.ContainsFunc(t.r.Serials[0], unicode.IsLetter) {
		return UpdateAttempt{}, false
	}
	typed := t.r.Serials[0]
	if !slices.ContainsFunc(t.c.RefusedSerials, func(s string) bool { return sameSerial(s, typed) }) {
		return UpdateAttempt{}, false
	}
	if own := t.b.contactRouter(t.c); own != "" && sameSerial(typed, own) {
		return UpdateAttempt{}, false
	}
	attempts := t.c.Update.Attempts
	i := slices.IndexFunc(attempts, func(a UpdateAttempt) bool {
		return sameSerial(a.RouterID, typed) && (a.Reason == ReasonNotYours || a.Reason == ReasonUnknownRouter)
	})
	if i < 0 || slices.ContainsFunc(attempts[i:], func(a UpdateAttempt) bool {
		return sameSerial(a.RouterID, typed) && a.Result == JobSucceeded
	}) {
		return UpdateAttempt{}, false
	}
	return attempts[i], true
}

// unconfirmedNote marks, in the agent's note, a router the customer typed and never
// confirmed (they asked for a person at the confirmation): a serial no one checked.
func unconfirmedNote(c *Conversation, router string) string {
	if c.TypedRouter == "" || !sameSerial(c.TypedRouter, router) {
		return ""
	}
	if c.Update != nil && slices.ContainsFunc(c.Update.Attempts, func(a UpdateAttempt) bool { return sameSerial(a.RouterID, router) }) {
		return ""
	}
	return " (typed by the customer, not confirmed)"
}

// refusedNote says, in the agent's note, what the telco answered of a serial the
// customer gave: another customer's, or unknown; "" when it was never tried.
func refusedNote(c *Conversation, serial string) string {
	if c.Update == nil {
		return ""
	}
	for _, a := range slices.Backward(c.Update.Attempts) {
		if !sameSerial(a.RouterID, serial) {
			continue
		}
		switch a.Reason {
		case ReasonNotYours:
			return " (refused: another customer's)"
		case ReasonUnknownRouter:
			return " (not found by the telco)"
		}
		return ""
	}
	return ""
}

// failedSerialTypedRule takes the serial a customer with no router on file types after
// the one they typed was refused and they were asked to check the label and type it
// ("oh wait wrong one, thats my old router in the drawer. its ZX-4410-QP77"): the router
// to update, confirmed first, whatever words of a wrong router come with it.
var failedSerialTypedRule = rule{"failed_serial_typed", func(t *turn) bool {
	r := t.r
	return len(r.Serials) == 1 && strings.ContainsFunc(r.Serials[0], unicode.IsLetter) && t.b.contactRouter(t.c) == "" &&
		!r.Tapped && !r.Has(intents.ActAskPerson) && !r.Has(intents.ActCancel) && !r.Has(intents.ActDeclineUpdate)
}, func(t *turn) []Action {
	t.c.closeQuestion()
	return t.b.confirmTyped(t, t.r.Serials[0])
}}

// notFoundInsistedRule answers a customer who insists that the serial the telco did not
// find is the one on the label ("é esse mesmo que ta na etiqueta oxe", "that's what the
// sticker says", "but that is what is written on it"): never "I didn't understand"; the
// router may not be in the systems yet,
// and an agent, told the serial, can check it. As notYoursInsistedRule for another's.
var notFoundInsistedRule = rule{"failed_not_found_insisted", func(t *turn) bool {
	cur := t.c.Update.current()
	r := t.r
	return cur != nil && cur.Reason == ReasonUnknownRouter && cur.RouterID != t.b.contactRouter(t.c) && len(r.Serials) == 0 &&
		(r.NamesSerial || r.LabelSays) && !r.Tapped && !r.NotYet && !r.Has(intents.ActCancel) && !r.Has(intents.ActAskPerson) &&
		!r.Has(intents.ActGoodbye) && !r.Has(intents.ActRetry) && !r.Has(intents.ActThanks) && !saysNo(t) &&
		!(r.Question && r.Has(intents.ActWhereSerial))
}, func(t *turn) []Action {
	c := t.c
	serial := c.Update.current().RouterID
	c.nameSerial(serial)
	return []Action{t.b.offerAgentMenu(c, t.b.tf(t.b.voice(c), msgNotFoundInsisted, "serial", serial), ReasonRouterFailure)}
}}

// updatedRouterNotMineRule answers "that router isn't mine any more, I swapped it"
// right after an update of the router on record worked: that is the router on the
// account, and the one updated; the new one's serial, or an agent, corrects the account.
// Never "I didn't understand" for the sentence that before the update is understood.
var updatedRouterNotMineRule = rule{"updated_router_not_mine", func(t *turn) bool {
	r := t.r
	own := t.b.contactRouter(t.c)
	cur := t.c.Update.current()
	return own != "" && cur != nil && !t.c.Update.Active && cur.Result == JobSucceeded && sameSerial(cur.RouterID, own) &&
		r.Has(intents.ActWrongRouter) && len(r.Serials) == 0 && !r.Tapped && !r.Has(intents.ActAskPerson) && !r.Has(intents.ActCancel)
}, func(t *turn) []Action {
	c := t.c
	own := t.b.contactRouter(c)
	if c.DisownedRouter == own {
		// told once already: not the same words again, an agent straight away
		return append([]Action{say(t.b.tf(t.b.voice(c), msgStillNotYourRouter, "router", own))},
			t.b.requestHandoff(t.ctx, c, ReasonNotOnRecord, t.now)...)
	}
	c.DisownedRouter = own
	return []Action{t.b.offerAgentMenu(c, t.b.tf(t.b.voice(c), msgUpdatedRouterNotYours, "router", own), ReasonNotOnRecord)}
}}

// updateNotDoneRule answers a customer who tells that the update was not done or did not
// work ("Voltei. Consegui atualizar não. Agora quero saber a senha do wifi...", back after
// an agent told them to try again): the update offered again, and a question asked
// beside it answered too; never only the question.
var updateNotDoneRule = rule{"update_not_done_told", func(t *turn) bool {
	r := t.r
	return r.UpdateNotDone && !(t.c.Update != nil && t.c.Update.Active) && !t.c.Waiting && !r.Tapped &&
		!r.Has(intents.ActAskPerson) && !r.Has(intents.ActDeclineUpdate) && len(r.Serials) == 0
}, func(t *turn) []Action {
	// the update first, as the customer's trouble; the question beside it after, then the
	// update's own question
	return leadWith(t.text(msgUpdateTryAgain), askUpdateSorryAfter(t, ""))
}}

// serialTopicAskedRule answers, at the question for the serial, a question of a topic
// asked in words ("e como eu troco essa senha?" after the Wi-Fi's answer): that answer,
// and the serial asked for again; never where the label is, for a question not about it.
var serialTopicAskedRule = rule{"serial_topic_asked", func(t *turn) bool {
	name, _ := t.askedAbout()
	return name != "" && !t.r.NamesSerial && !t.r.Has(intents.ActAskPerson) && !t.r.Has(intents.ActCancel)
}, func(t *turn) []Action {
	name, _ := t.askedAbout()
	return []Action{say(joinLines(t.b.alsoTopicOf(t, name), t.text(msgAskSerial)))}
}}

// refusedSerialHolderRule answers a customer who writes for the account holder and says
// the router just refused as another's is theirs ("but it is my mums router, she is the
// account holder. she is 74 she cant do whatsapp"): not a router of their own to look
// for (refused_serial_disowned), but the holder's, which the bot cannot change for
// another number; an agent, told the serial, can see with them how to help. Never the
// serial "taken back" in the agent's note.
var refusedSerialHolderRule = rule{"refused_serial_holder", func(t *turn) bool {
	r := t.r
	cur := t.c.Update.current()
	return cur != nil && !t.c.Update.Active && cur.Reason == ReasonNotYours && !sameSerial(cur.RouterID, t.b.contactRouter(t.c)) &&
		(t.c.State == StateUpdateFailed || t.c.State == StateOfferAgent && t.c.HandoffReason == ReasonRouterFailure) &&
		(r.ForOther || t.c.ForOther && (r.Has(intents.ActWrongRouter) || r.SomeoneElses)) && len(r.Serials) == 0 && !r.Tapped &&
		!r.Has(intents.ActAskPerson) && !r.Has(intents.ActCancel) && !r.Has(intents.ActWhereSerial)
}, func(t *turn) []Action {
	t.c.ForOther = true
	t.c.nameSerial(t.c.Update.current().RouterID)
	return []Action{t.b.offerAgentMenu(t.c, t.text(msgRefusedSerialHolder), ReasonRouterFailure)}
}}

// refusedSerialDisownedRule answers a customer who says the serial just refused is not
// their router after all ("ah no pere, ese es el de mi mamá que vive al lado", "oh wait,
// that's my neighbour's", "esse é o antigo"): taken back, and their own router's serial
// asked for; never an offer to have someone else's router added to their account. At the
// failure's question, or at the agent offered after it. The word lists must say it: the
// learned reader also hears a wrong router in "pero es mío", which insists
// (failed_not_yours_insisted), and so does "what do you mean it's not mine?? we've had it
// 3 years", the bot's words asked back.
var refusedSerialDisownedRule = rule{"refused_serial_disowned", func(t *turn) bool {
	r := t.r
	cur := t.c.Update.current()
	return cur != nil && !t.c.Update.Active && (cur.Reason == ReasonNotYours || cur.Reason == ReasonUnknownRouter) &&
		!sameSerial(cur.RouterID, t.b.contactRouter(t.c)) && (t.c.State == StateUpdateFailed || t.c.State == StateOfferAgent && t.c.HandoffReason == ReasonRouterFailure) &&
		(r.Has(intents.ActWrongRouter) && !r.OnlyLearned(intents.ActWrongRouter) && !r.Question || r.SomeoneElses) && len(r.Serials) == 0 && !r.Tapped &&
		!r.Has(intents.ActAskPerson) && !r.Has(intents.ActCancel) && !r.Has(intents.ActWhereSerial)
}, func(t *turn) []Action {
	t.c.takeBackSerial(t.c.Update.current().RouterID, t.r.Text)
	t.c.ask(StateAskSerial, nil)
	t.c.BadAnswers = 0
	return []Action{say(t.text(msgRefusedSerialDisowned))}
}}

// refusedLookOtherRule answers a customer who will look at another box for its serial
// after the one typed was refused ("ok let me check the black one", "voy a ver el otro
// aparato", "vou olhar o preto"): that box's serial asked for, when they have it; never
// read as waiting to be put through to the agent offered. At the failure's question, or at
// the agent offered after it.
var refusedLookOtherRule = rule{"refused_look_other", func(t *turn) bool {
	r := t.r
	cur := t.c.Update.current()
	return cur != nil && !t.c.Update.Active && (cur.Reason == ReasonNotYours || cur.Reason == ReasonUnknownRouter) &&
		(t.c.State == StateUpdateFailed || t.c.State == StateOfferAgent && t.c.HandoffReason == ReasonRouterFailure) &&
		r.LooksAtOther && !r.SomeoneElses && len(r.Serials) == 0 && !r.Tapped && !r.Question && // "that's my mum's, let me check the other one": refused_serial_disowned
		!r.Has(intents.ActAskPerson) && !r.Has(intents.ActCancel) && !r.Has(intents.ActWhereSerial)
}, func(t *turn) []Action {
	t.c.ask(StateAskSerial, nil)
	t.c.BadAnswers = 0
	return []Action{say(t.text(msgRefusedLookOther))}
}}

// notYoursInsistedAgainRule answers a customer who insists once more that the refused
// router is theirs ("te digo que es mío, lo pago todos los meses"), right after being
// told it may not be linked to their account: believed, in other words than the first
// time (never the same offer word for word, nor a bare "sorry"), and the agent offered.
var notYoursInsistedAgainRule = rule{"not_yours_insisted_again", func(t *turn) bool {
	r := t.r
	return t.c.LastRule == notYoursInsistedRule.name && len(r.Serials) == 0 && !r.Tapped && !r.NotYet && !onlyPleasantries(t) &&
		!r.Has(intents.ActCancel) && !r.Has(intents.ActAskPerson) && !r.Has(intents.ActGoodbye) && !r.Has(intents.ActThanks) &&
		!saysYes(t) && !saysNo(t) && t.choice() == ""
}, func(t *turn) []Action {
	return []Action{t.b.offerAgentMenu(t.c, t.text(msgNotYoursInsistedAgain), ReasonRouterFailure)}
}}

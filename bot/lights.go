package bot

import "github.com/cwbot/cwbot/intents"

// The router's lights right after an update that worked: "e a luz laranja é normal?",
// "as luzinha tão piscando, é normal?" ask what they mean (blinking or orange while it
// starts, green or steady when all is well, a red one that stays is to be told); "agora a
// luz ficou verde 😊" is good news. Never the update's status again word for word, nor
// "didn't understand".

const (
	msgLightsAfterUpdate msgKey = "lights_after_update"
	msgLightsAgain       msgKey = "lights_again"
	msgLightsGreen       msgKey = "lights_green"
)

// afterUpdateQuiet reports a turn right after an update that worked, with nothing running
// or waited for and no question of the update's own open.
func afterUpdateQuiet(t *turn) bool {
	r := t.r
	return !r.Tapped && !r.Has(intents.ActAskPerson) && len(r.Serials) == 0 &&
		t.c.updatedRecently(t.now) && !t.c.Waiting && // (an update running is none that worked recently)
		t.c.State != StateIntake && t.c.State != StateAskSerial && t.c.State != StateConfirmUpdate
}

// lightsAskedRule: what the router's lights mean right after an update; the update done
// said first; asked again right after, in fewer words.
var lightsAskedRule = rule{"lights_asked", func(t *turn) bool {
	r := t.r
	// asked, or told with nothing else ("las lucecitas están parpadeando es normal"); a
	// complaint only of a light's colour ("a luz ainda tá laranja"), not of the internet
	rest := r.Acts.Without(intents.ActStatusQuestion).Without(intents.ActAcknowledge).Without(intents.ActPolite).Without(intents.ActThanks)
	if r.LightTrouble {
		rest = rest.Without(intents.ActConnectionComplaint)
	}
	good := r.LightsGood && !r.Question && !r.Has(intents.ActStatusQuestion)
	return r.NamesLights && rest == 0 && !good && r.Intent != intents.UpdateRouter && afterUpdateQuiet(t)
}, func(t *turn) []Action {
	if t.c.LastRule == "lights_asked" { // asked again: in fewer words, not the same text twice
		return welcomed(t, []Action{say(t.text(msgLightsAgain))})
	}
	return welcomed(t, leadWith(t.b.updateStatus(t.c)[0].Text, []Action{say(t.text(msgLightsAfterUpdate))}))
}}

// lightsGoodRule: "agora a luz ficou verde 😊" right after an update: good news, told back.
var lightsGoodRule = rule{"lights_good", func(t *turn) bool {
	r := t.r
	return r.LightsGood && !r.Question && !r.Has(intents.ActStatusQuestion) && !r.Has(intents.ActConnectionComplaint) &&
		!r.LightTrouble && !asks(t) && afterUpdateQuiet(t)
}, func(t *turn) []Action {
	t.c.closeQuestion()
	return []Action{say(t.text(msgLightsGreen))}
}}

// A red or orange light told after an update that worked ("luz do roteador piscando
// laranja", a photo's caption) or after one that failed ("e essa luz vermelha é normal").
const (
	msgLightsTroubleUpdated msgKey = "lights_trouble_updated"
	msgLightsFailed         msgKey = "lights_failed"
	msgLightsFailedUnplug   msgKey = "lights_failed_unplug"
	// the same asked again later, after other answers: fewer words
	msgLightsFailedAgain       msgKey = "lights_failed_again"
	msgLightsFailedAgainUnplug msgKey = "lights_failed_again_unplug"
)

// lightsTroubleUpdatedRule: a red or orange light told right after an update that worked,
// in words lights_asked does not take (a photo's caption the classifier reads as the
// update, the connection complained of beside it), or any at the agent offered for trouble
// after the update: what it means right after an update,
// and an agent if it stays; never a second update offered for a router just updated.
var lightsTroubleUpdatedRule = rule{"lights_trouble_updated", func(t *turn) bool {
	r := t.r
	return r.LightTrouble && !r.LightsGood && !r.NamesUpdate && !r.Has(intents.ActRetry) && !r.Has(intents.ActCancel) &&
		!r.NamesAgent && afterUpdateQuiet(t) &&
		(t.c.State == StateOfferAgent || !lightsAskedRule.when(t)) // trouble told already: the light is more of it
}, func(t *turn) []Action {
	return []Action{t.b.offerAgentMenu(t.c, t.text(msgLightsTroubleUpdated), ReasonStillTrouble)}
}}

// lightsFailedRule: a red or orange light told or asked about after a failed update ("e
// essa luz vermelha é normal", "a luzinha tá vermelha"): it is not normal, what it usually
// means, what to do (unplug it, unless the router may still be finishing) and an agent.
// Told with the internet down, a failure after it never says the internet should work.
var lightsFailedRule = rule{"lights_after_failure", func(t *turn) bool {
	r := t.r
	if !t.c.lastFailed() || !r.LightTrouble || r.LightsGood || r.Tapped || len(r.Serials) > 0 || r.Has(intents.ActAskPerson) ||
		r.NamesAgent || r.Has(intents.ActRetry) || r.Has(intents.ActCancel) || t.c.Waiting {
		return false
	}
	switch t.c.State {
	case StateUpdateFailed, StateOfferAgent, StateIdle, StateMainMenu, StateAnythingElse:
		return true
	}
	return false
}, func(t *turn) []Action {
	if t.r.Has(intents.ActConnectionComplaint) {
		t.c.InternetDownTold = true
	}
	if t.repeats > 0 { // told again right after: not the same words
		return []Action{t.b.offerAgentMenu(t.c, t.text(msgStillTrouble), ReasonRouterFailure)}
	}
	what, then := msgLightsFailed, msgLightsFailedUnplug
	if t.c.LightsFailedTold { // asked again later: "as I told you", in fewer words
		what, then = msgLightsFailedAgain, msgLightsFailedAgainUnplug
	}
	if failedAs(t.c.Update.current().failure()).left == leftFinishing {
		then = msgInternetLeaveOn // it may still be at it: unplugging it could harm it
	}
	t.c.LightsFailedTold = true
	return []Action{t.b.offerAgentMenu(t.c, joinText(t.text(what), t.text(then)), ReasonRouterFailure)}
}}

const msgLightsWhatNow msgKey = "lights_what_now"

// lightsWhatNowRule: "e agora?" right after lights_trouble_updated: what to do next (wait
// and look again; the agent if a light stays orange or red), the offer kept; never
// "didn't understand".
var lightsWhatNowRule = rule{"lights_what_now", func(t *turn) bool {
	r := t.r
	short := r.Question && r.Words <= 4 && r.Acts.Without(intents.ActStatusQuestion).Without(intents.ActAcknowledge) == 0 && !asks(t)
	return t.c.LastRule == lightsTroubleUpdatedRule.name && t.c.State == StateOfferAgent && t.c.Menu != nil && !r.Tapped &&
		(r.AsksWhatNow || short) && !r.Has(intents.ActAskPerson) && !r.NamesAgent
}, func(t *turn) []Action {
	m := t.b.questionAgain(t.c)
	m.Text = t.textf(msgLightsWhatNow, "agent", t.text(btnAgent))
	return []Action{m}
}}

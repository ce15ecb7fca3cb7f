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

package bot

import "github.com/cwbot/cwbot/intents"

// An outage at the update's confirmation ("Shall I go on?"): the Outage API asked, as it is
// before the update is offered, so the bot never answers with what it would be if there
// were one, nor cuts a customer's internet for an update that cannot bring it back.

// confirmOutageAskedRule: "¿hay algún corte en mi zona?", "is there an outage in my area?"
// at the confirmation: the Outage API's answer, never a hypothesis. With an outage on, it is
// told (when it should be over; a restart won't help) and the notice offered instead of the
// update; with none, said plainly, and the confirmation again. Without an answer from the
// API, the outage topic's own answer, and the confirmation again; never taken for a yes.
var confirmOutageAskedRule = rule{"confirm_outage_asked", func(t *turn) bool {
	r := t.r
	// "mas vai cair a internet? quanto tempo fica sem?" asks about the update's own cut, however
	// the classifier reads it
	area := r.Has(intents.ActOutageArea) || r.Intent == topicOutage && r.Question && !r.Has(intents.ActHowLong) && !r.Has(intents.ActStatusQuestion)
	return area && !r.Tapped && len(r.Serials) == 0 &&
		!saysNo(t) && !r.Has(intents.ActCancel) && !r.Has(intents.ActDeclineUpdate) && !r.Has(intents.ActAskPerson) &&
		(r.Question || outageOnNow(t))
}, func(t *turn) []Action {
	o, ok := t.outageNow()
	switch {
	case ok && o.Active:
		return tellOutageAtConfirm(t, o)
	case ok:
		return []Action{t.b.confirmAgain(t.c, t.text(msgNoOutageAtConfirm), false)}
	}
	return answerSideTopicNamed(t, topicOutage)
}}

// confirmOutageUntoldRule: a yes at the confirmation ("ya dale nomas") while an outage the
// customer was not warned of affects them (it began after the update was offered): the
// outage told, that the update won't bring the service back, and the notice offered; the
// update is theirs if they ask for it again (outage_update_anyway).
var confirmOutageUntoldRule = rule{"confirm_outage_untold", func(t *turn) bool {
	if t.b.Outages == nil || !(saysYes(t) || t.r.Intent == intents.UpdateRouter && !t.r.Question) || saysNo(t) ||
		t.r.Has(intents.ActCancel) || t.r.Has(intents.ActDeclineUpdate) || len(t.r.Serials) > 0 {
		return false
	}
	if w := t.c.Outage; w != nil && w.UpdateWarned && outageRecent(t) {
		o, ok := t.outageNow()
		return ok && o.Active && o.ID != w.ID // warned of this one: the update is their choice
	}
	return outageOnNow(t)
}, func(t *turn) []Action {
	o, _ := t.outageNow()
	return tellOutageAtConfirm(t, o)
}}

// msgNoOutageAtConfirm: no outage known, asked at the confirmation (content.yaml).
const msgNoOutageAtConfirm msgKey = "no_outage_at_confirm"

// outageOnNow reports an outage the Outage API reports now for the customer.
func outageOnNow(t *turn) bool {
	if t.b.Outages == nil {
		return false
	}
	o, ok := t.outageNow()
	return ok && o.Active
}

// tellOutageAtConfirm tells the outage o in place of the confirmation: the update will not
// help, so it is no longer asked; the notice is. Asked for again, it is the customer's.
func tellOutageAtConfirm(t *turn, o Outage) []Action {
	t.c.closeQuestion()
	t.c.checked = &o
	acts := tellOutage(t)
	t.c.Outage.UpdateWarned = true
	return acts
}

package bot

import "github.com/cwbot/cwbot/intents"

// An explicit request for the update always starts the update's path, however it is said:
// angrily ("atualiza essa porcaria logo"), or to an agent offered for the customer's anger
// ("bora atualizar o roteador"). The bot can do it itself; a person is no answer to it,
// and "bora" no yes to the transfer.

// msgUpdateAskedUpset leads the update's confirmation asked for angrily.
const msgUpdateAskedUpset msgKey = "update_asked_upset"

// updateAskedOutright reports a turn that asks for the router's update in so many words:
// the classifier's clear request or the update named, with no person, refusal, cancel or
// serial beside it.
func updateAskedOutright(t *turn) bool {
	r := t.r
	return (r.Intent == intents.UpdateRouter && clearRequest(t) || r.NamesUpdate) && !r.Tapped &&
		!r.Has(intents.ActAskPerson) && !r.NamesAgent && !r.Has(intents.ActDeclineUpdate) && !r.Has(intents.ActCancel) &&
		len(r.Serials) == 0 && !(t.c.Update != nil && t.c.Update.Active) && !t.c.lastFailed()
}

// updateAskedUpsetRule answers the update asked for angrily: its confirmation, never the
// sorry and the agent offered again as if the request were not there.
var updateAskedUpsetRule = rule{"update_asked_upset", func(t *turn) bool {
	return t.r.Has(intents.ActFrustration) && updateAskedOutright(t) && !t.c.updatedRecently(t.now)
}, func(t *turn) []Action { return askUpdateSorryAfter(t, msgUpdateAskedUpset) }}

// offerAgentUpdateAskedRule answers the update asked for at an agent offered for the
// customer's anger: the update, not the agent.
var offerAgentUpdateAskedRule = rule{"offer_agent_update_asked", func(t *turn) bool {
	return t.c.HandoffReason == ReasonFrustrated && updateAskedOutright(t) && !t.c.updatedRecently(t.now)
}, func(t *turn) []Action {
	if t.r.Has(intents.ActFrustration) {
		return askUpdateSorryAfter(t, msgUpdateAskedUpset)
	}
	return askUpdateSorry(t)
}}

// offerAgentUpdateAgainAskedRule answers the update asked for in words ("actualizalo otra
// vez porfa", "update it again please", "atualiza de novo") at an agent offered with the
// update beside it ("Update it again", after trouble that goes on after an update): that
// button, confirmed first; never the agent a yes-word in it would pick.
var offerAgentUpdateAgainAskedRule = rule{"offer_agent_update_again_asked", func(t *turn) bool {
	r := t.r
	asked := r.Has(intents.ActRetry) || r.NamesUpdate || r.Intent == intents.UpdateRouter && clearRequest(t)
	return updateOnOffer(t.c) && asked && !r.Tapped && !r.Has(intents.ActAskPerson) && !r.NamesAgent && !r.Has(intents.ActDeclineUpdate) &&
		!r.Has(intents.ActCancel) && !saysNo(t) && len(r.Serials) == 0 && !(t.c.Update != nil && t.c.Update.Active)
}, func(t *turn) []Action { return t.b.askUpdate(t.c) }}

package bot

import "github.com/cwbot/cwbot/intents"

// msgServiceBack is the glad reply to "great, it works now" (content.yaml).
const msgServiceBack msgKey = "service_back"

// serviceBackRule answers a customer telling that their service works again ("great it
// works now", "¡genial, ya funciona!", "ótimo, voltou"): glad, and no question. It is
// news, not a yes: to "Shall I tell you when the service is back?" it subscribes to
// nothing, and a subscription made before is dropped (the end would tell them what they
// told us). A question ("is it working now?") asks instead, a complaint in the same
// message ("it works now but it's slow") is the complaint, and at the intake questions
// it is the answer. A typed yes beside it ("ahora sí, ya agarró. gracias" to "shall I put
// you through?") is the news's "now", no yes: only a tap picks a button here.
var serviceBackRule = rule{"service_back", func(t *turn) bool {
	r := t.r
	return r.Has(intents.ActWorksNow) && !r.Question && !r.Has(intents.ActConnectionComplaint) && !r.Has(intents.ActAskPerson) &&
		!r.Has(intents.ActDeny) && !r.Has(intents.ActFrustration) && !r.Tapped && !asksForMore(t) && t.c.State != StateIntake &&
		!r.Has(intents.ActRetry) // "funcionou. atualiza mais uma vez só pra ver": the update asked again (update_again_took)
}, func(t *turn) []Action {
	if t.c.Outage != nil {
		t.c.Outage.Subscribed = false
	}
	t.c.closeQuestion()
	t.c.Misunderstood, t.c.InternetDownTold, t.c.TroubleTold = 0, false, false
	return []Action{say(t.text(msgServiceBack))}
}}

// msgNoNeed says yes to "so nothing more is needed?" (content.yaml).
const msgNoNeed msgKey = "no_need"

// noNeedAskedRule answers "Ah bueno. Entonces ya no hace falta verdad?", "so there's no
// need anymore, right?", "então não precisa mais né?" (asked after the internet came back,
// or of the update offered): yes, nothing more to do if it works, and what to do if it
// fails again; no question left open. Not at the handoff's questions, in line, or while an
// update runs, nor of an agent offered (that is a no to the offer), nor beside a complaint
// or a request for a person.
var noNeedAskedRule = rule{"no_need_asked", func(t *turn) bool {
	r, c := t.r, t.c
	switch c.State {
	case StateIdle, StateMainMenu, StateConfirmUpdate, StateAnythingElse:
	default:
		return false
	}
	return r.AsksNoNeed && r.Question && !r.Tapped && !c.Waiting && !(c.Update != nil && c.Update.Active) &&
		!r.Has(intents.ActConnectionComplaint) && !r.Has(intents.ActAskPerson) && !r.Has(intents.ActFrustration) && !asksForMore(t)
}, func(t *turn) []Action {
	t.c.closeQuestion()
	t.c.Misunderstood = 0
	return []Action{say(t.text(msgNoNeed))}
}}

// asksForMore reports a request beside the news: the update or a topic ("ya funciona, pero
// quiero saber de mi factura"). The classifier's update_status is no request here: it
// takes "ya funciona" for one.
// Nor is the technician's topic beside a past visit told ("the technician come today and
// fix it everything working now"): the visit is the news, no visit asked for.
func asksForMore(t *turn) bool {
	if t.r.Intent == topicTechnician && t.r.TechnicianCame && !t.r.AsksTechnician {
		return false
	}
	_, topic := t.b.catalog().Topics()[t.r.Intent]
	return topic || t.r.Intent == intents.UpdateRouter
}

// Texts of the service back while an update is queued or running (content.yaml).
const (
	msgServiceBackUpdateAhead  msgKey = "service_back_update_ahead"
	msgServiceBackRestartAhead msgKey = "service_back_restart_ahead"
	msgServiceBackUpdateSent   msgKey = "service_back_update_sent"
	msgServiceBackRestarted    msgKey = "service_back_restarted"
	msgUpdateGoesOn            msgKey = "update_goes_on"
)

// valCancelUpdate marks the offer to call off an update the customer may no longer want
// (Proposed): a yes takes it.
const valCancelUpdate = "cancel_update"

// serviceBackUpdatingRule answers "voltou a net aqui" while the update asked for is queued
// or running: glad, but it is not over. Before the restart the connection will drop again
// for a few minutes, which a customer whose trouble went away may not want: they hear so,
// and, while it can still be called off, are offered that. At the restart or after it,
// the connection back is the router back: nearly done. Never the closing line, as if it
// were over.
var serviceBackUpdatingRule = rule{"service_back_updating", func(t *turn) bool {
	return t.c.Update != nil && t.c.Update.Active && serviceBackRule.when(t)
}, func(t *turn) []Action {
	u := t.c.Update
	t.c.closeQuestion()
	t.c.Misunderstood = 0
	switch {
	case u.Step == "rebooting" || u.Step == "verifying":
		return []Action{say(t.text(msgServiceBackRestarted))}
	case u.current() != nil && u.Told == 0: // not sent yet: it can be called off (cancelUpdate)
		t.c.Proposed = valCancelUpdate
		return []Action{say(t.text(pick(u.current().Restart, msgServiceBackRestartAhead, msgServiceBackUpdateAhead)))}
	}
	return []Action{say(t.text(msgServiceBackUpdateSent))}
}}

// updatingCancelTakenRule: "sim" to "shall I call it off?" (serviceBackUpdatingRule): the
// cancel, as if asked for.
var updatingCancelTakenRule = rule{"updating_cancel_offer_taken", func(t *turn) bool {
	return t.c.Proposed == valCancelUpdate && saysYes(t) && !t.r.Has(intents.ActAskPerson) && !t.r.Question
}, func(t *turn) []Action { return t.b.cancelUpdate(t.c) }}

// updatingCancelDeclinedRule: "não, pode seguir" to it: the update goes on, and is told.
// The offer's own words beside the no ("no, don't cancel", "no, let it run") cancel nothing.
var updatingCancelDeclinedRule = rule{"updating_cancel_offer_declined", func(t *turn) bool {
	return t.c.Proposed == valCancelUpdate && saysNo(t) && !t.r.Has(intents.ActAskPerson)
}, func(t *turn) []Action { return []Action{say(t.text(msgUpdateGoesOn))} }}

// Texts of a thanks meant for the agent who closed the conversation (content.yaml).
const (
	msgAgentClosedThanks      msgKey = "agent_closed_thanks"
	msgAgentClosedThanksWorks msgKey = "agent_closed_thanks_works"
)

// agentClosedThanksRule answers the message that reopens a conversation an agent resolved,
// when it thanks ("muchas gracias joven ya nos llego el internet 🙏"): the thanks was for
// the agent. Glad it works, when it says so; that the agent closed the conversation and the
// virtual assistant is here now; never a "You're welcome!" that takes the thanks itself.
var agentClosedThanksRule = rule{"agent_closed_thanks", func(t *turn) bool {
	// the service back told beside it is part of the thanks, nothing more asked
	glad := t.r.Has(intents.ActWorksNow) && !t.r.Question && t.r.Acts.Without(intents.ActThanks).Without(intents.ActPolite).
		Without(intents.ActAcknowledge).Without(intents.ActGreeting).Without(intents.ActAffirm).Without(intents.ActLaugh).
		Without(intents.ActWorksNow) == 0
	return t.c.ClosedByAgent && t.r.Has(intents.ActThanks) && (glad || !thanksAndMore(t)) && !t.r.Has(intents.ActAskPerson) &&
		!t.r.Has(intents.ActConnectionComplaint) && len(t.r.Serials) == 0 && t.r.Choice == 0
}, func(t *turn) []Action {
	t.c.closeQuestion()
	if t.r.Has(intents.ActWorksNow) {
		return []Action{say(t.text(msgAgentClosedThanksWorks))}
	}
	return []Action{say(t.text(msgAgentClosedThanks))}
}}

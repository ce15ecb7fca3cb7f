package bot

import (
	"slices"

	"github.com/cwbot/cwbot/intents"
)

// At the failure's question (Try again / Talk to an agent / Cancel), two replies that choose
// nothing yet: "otra vez???" in disbelief, and a bare "sí". A retry cuts the internet
// again, so neither starts one: each gets the choice as a yes-or-no question, and the next
// yes takes it (Conversation.Proposed).

// failedAgainAskedRule: "otra vez???", "again??", "de novo???" right after a failure: yes,
// it failed (again), what failed, and whether to try again or have an agent look; never a
// third try started unasked.
var failedAgainAskedRule = rule{"failed_again_asked", func(t *turn) bool {
	return t.r.AgainAsked && t.c.lastFailed() && t.c.Menu != nil && !t.r.Has(intents.ActAskPerson) && !t.r.Has(intents.ActCancel) &&
		len(t.r.Serials) == 0
}, func(t *turn) []Action {
	lead := msgFailedAskedOnce
	if t.b.failedInARow(t.c) > 1 {
		lead = msgFailedAgainAsked
	}
	what, _ := t.b.failureFacts(t.b.voice(t.c), t.c.Update.current().failure())
	ask := msgFailedAgainAgent
	t.c.Proposed = valAgent
	if failureOffersRetry(t.c) {
		ask, t.c.Proposed = msgFailedAgainChoice, valRetry
	}
	return []Action{menu(joinText(t.text(lead), what, t.text(ask)), t.c.Menu.Items)}
}}

// Texts of a short outburst at the failure (content.yaml).
const (
	msgFailedDisbeliefOnce  msgKey = "failed_disbelief_once"
	msgFailedDisbeliefAgain msgKey = "failed_disbelief_again"
)

// failedDisbeliefRule: "you're kidding", "no puede ser", "não acredito" right after a
// failure, and nothing else: sorry, and the failure's own choice (try once more, or an
// agent), its buttons kept; never the frustration's bare agent offer, which drops the
// Try again still allowed. Not twice in a row: a second outburst gets the agent offered
// for the anger. What failed was just said, so it is not said again. Only where a retry
// is still offered: with the tries spent the agent is the one choice, and a serial the
// telco refused is the serial's to correct.
var failedDisbeliefRule = rule{"failed_disbelief", func(t *turn) bool {
	rest := t.r.Acts.Without(intents.ActFrustration).Without(intents.ActPolite).Without(intents.ActLaugh)
	return t.r.Has(intents.ActFrustration) && rest == 0 && t.r.Words <= 6 && !asks(t) && len(t.r.Serials) == 0 && t.r.Choice == 0 &&
		t.c.lastFailed() && t.c.Menu != nil && t.c.LastRule != "failed_disbelief" &&
		failureOffersRetry(t.c)
}, func(t *turn) []Action {
	lead := msgFailedDisbeliefOnce
	if t.b.failedInARow(t.c) > 1 {
		lead = msgFailedDisbeliefAgain
	}
	t.c.Proposed = valRetry
	return []Action{menu(joinText(t.text(lead), t.text(msgFailedAgainChoice)), t.c.Menu.Items)}
}}

// failedYesRule: "sí", "yes", "sim" alone to "What would you like to do?" after a failure:
// the retry asked as a question (or the agent, once the retries are spent), and the next yes
// takes it; never "All right! I'm here if you need anything", with nothing done.
var failedYesRule = rule{"failed_yes", func(t *turn) bool {
	rest := t.r.Acts.Without(intents.ActAffirm).Without(intents.ActAcknowledge).Without(intents.ActPolite)
	return t.r.Has(intents.ActAffirm) && rest == 0 && t.r.Choice == 0 && !asks(t) && !t.r.Question && len(t.r.Serials) == 0 &&
		t.c.lastFailed() && t.c.Menu != nil
}, func(t *turn) []Action {
	retry := failureOffersRetry(t.c)
	switch {
	case t.proposed == valRetry && retry:
		return t.b.retryUpdate(t.c, t.now)
	case t.proposed == valAgent && hasItem(t.c.Menu, valAgent):
		return t.b.requestHandoff(t.ctx, t.c, ReasonRouterFailure, t.now)
	case retry:
		t.c.Proposed = valRetry
		return []Action{menu(t.text(msgFailedYesRetry), t.c.Menu.Items)}
	}
	t.c.Proposed = valAgent
	return []Action{menu(t.text(msgFailedYesAgent), t.c.Menu.Items)}
}}

// failureOffersRetry reports a failure's question with its "Try again" button.
func failureOffersRetry(c *Conversation) bool { return hasItem(c.Menu, valRetry) }

func hasItem(m *Menu, v string) bool {
	return m != nil && slices.ContainsFunc(m.Items, func(it Item) bool { return it.Value == v })
}

// failedInternetAskedRule: "y ahora anda el internet?", "is my internet working now?" at the
// failure's question: what the failure left the connection in, what failed, and the
// choices; never "I'm sorry your internet isn't back" for a question (the learned reader
// hears the trouble in it). Said outright ("mi internet no volvió"), it is the trouble's.
var failedInternetAskedRule = rule{"failed_internet_asked", func(t *turn) bool {
	rest := t.r.Acts.Without(intents.ActStatusQuestion).Without(intents.ActAcknowledge).Without(intents.ActPolite).Without(intents.ActAffirm)
	if t.r.OnlyLearned(intents.ActConnectionComplaint) {
		rest = rest.Without(intents.ActConnectionComplaint)
	}
	return t.r.Question && t.r.NamesInternet && rest == 0 && t.r.Words <= 8 && !asks(t) && len(t.r.Serials) == 0 &&
		t.c.lastFailed() && t.c.Menu != nil
}, func(t *turn) []Action { return t.b.failureWhy(t.c, true, false) }}

package bot

import (
	"slices"

	"github.com/cwbot/cwbot/intents"
)

// questionReturnRouter is the cancellation's question whether the router has to go back.
const questionReturnRouter = "return_router"

// returnRouterRule answers "ok whatever. one last thing, do I need to return the router",
// "¿tengo que devolver el módem?", "preciso devolver o roteador?": whether it goes back
// depends on the contract, which an agent checks; never the frustration's offer that
// drops the question ("whatever"), nor "didn't understand". Upset, sorry first. Taking the
// router along on a move is the move's question (take_router), never this one.
var returnRouterRule = rule{"return_router_asked", func(t *turn) bool {
	tp, ok := t.b.catalog().Topics()[topicCancelService]
	return ok && tp.Questions[questionReturnRouter] != nil && slices.Contains(t.r.Asks, questionReturnRouter) &&
		!slices.Contains(t.r.AsksWithin, questionReturnRouter) && !slices.Contains(t.r.Asks, "take_router") &&
		!t.r.Tapped && !t.r.Has(intents.ActAskPerson) && !t.r.Has(intents.ActGoodbye) && len(t.r.Serials) == 0 &&
		t.c.State != StateIntake && t.c.State != StateAskSerial && t.c.State != StateConfirmUpdate
}, func(t *turn) []Action {
	acts := welcomed(t, t.b.answerTopic(t, topicCancelService))
	if t.r.Has(intents.ActFrustration) {
		acts = leadWith(t.text(msgSorryTopic), acts)
	}
	return acts
}}

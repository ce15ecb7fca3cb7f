package bot

import "github.com/cwbot/cwbot/intents"

// A customer who writes for someone else (a mother, a father), or whose line is someone
// else's (a tenant's is the landlord's), or who says who sent them here: context, taken in,
// never "I didn't understand". Whether the account holder must be there is answered (not
// for the update: it changes nothing on the contract); the router on this contact is named
// before it is updated; who does what the bot cannot is answered, the agent offered, and
// nobody is put through for asking.

// Texts of them (content.yaml).
const (
	msgContextForOther       msgKey = "context_for_other"
	msgContextSentHere       msgKey = "context_sent_here"
	msgHolderNotNeeded       msgKey = "holder_not_needed"
	msgHolderNotNeededAgain  msgKey = "holder_not_needed_again"
	msgAgentDoesIt           msgKey = "agent_does_it"
	msgConfirmUpdateForOther msgKey = "confirm_update_for_other"
)

// notHolderSuffix names a topic's question as asked by a customer whose line is someone
// else's ("take_router_not_holder"): where the catalog has one, it answers instead.
const notHolderSuffix = "_not_holder"

// holderAskedRule answers "¿hace falta que esté él para esto?", "can I get the router
// serviced without him?", "posso atualizar mesmo não sendo o titular?", and "she isn't
// here right now" from a customer writing for her: the holder is not needed for the
// update; then the open question again, the update's confirmation kept, or the update
// asked for in the same breath.
var holderAskedRule = rule{"holder_asked", func(t *turn) bool {
	return (t.r.AsksHolder || t.r.HolderAway && (t.r.ForOther || t.c.ForOther)) && !t.r.Has(intents.ActAskPerson) &&
		len(t.r.Serials) == 0 && t.c.State != StateIntake && len(t.r.Asks) == 0
}, func(t *turn) []Action {
	key := msgHolderNotNeeded
	if t.c.LastRule == "holder_asked" { // "he is abroad", then "can I do it without him?": not the same words twice
		key = msgHolderNotNeededAgain
	}
	acts := []Action{say(t.text(key))}
	switch {
	case t.c.State == StateConfirmUpdate:
		acts = append(acts, t.b.confirmMenu(t.c))
	case t.c.Update != nil && t.c.Update.Active:
	case t.r.NamesUpdate || t.r.Intent == intents.UpdateRouter:
		acts = append(acts, t.b.askUpdate(t.c)...)
	default:
		acts = append(acts, t.b.questionAgain(t.c))
	}
	return introducedFirst(t, acts)
}}

// contextToldRule takes in a message that only tells the context ("le escribo por el
// internet de mi mamá, ella no sabe usar whatsapp", "a ver, vivo de alquiler y la fibra
// está a nombre del casero", "MI NIETA ME DIJO QUE ESCRIBA POR AQUI"): a short
// acknowledgement, and the open question again. A request beside it is that request's.
var contextToldRule = rule{"context_told", func(t *turn) bool {
	rest := t.r.Acts.Without(intents.ActGreeting).Without(intents.ActPolite).Without(intents.ActThanks).Without(intents.ActAcknowledge)
	return (t.r.ForOther || t.r.SentHere) && rest == 0 && !t.r.Question && len(t.r.Serials) == 0 && len(t.r.Asks) == 0 &&
		!(asks(t) && t.r.Confidence >= clearConfidence) && !t.r.NamesUpdate && t.c.State != StateIntake && t.c.State != StateAskSerial
}, func(t *turn) []Action {
	key := msgContextSentHere
	if t.r.ForOther {
		key = msgContextForOther
	}
	return introducedFirst(t, []Action{say(t.text(key)), t.b.questionAgain(t.c)})
}}

// whoDoesRule answers "vale pero eso lo hace una persona no? xq tu no puedes": yes, an
// agent does it, offered now or later. A question, no request: nobody is put through
// until they say so ("no no, ahora no me pases, q estoy en el curro").
var whoDoesRule = rule{"who_does_asked", func(t *turn) bool {
	return t.r.AsksWhoDoes && !t.c.Waiting && t.c.State != StateIntake
}, func(t *turn) []Action {
	reason := t.c.HandoffReason
	switch {
	case t.c.State == StateOfferAgent && reason != "": // the agent just offered, for what it was offered
	case t.c.Topic != "":
		reason = ReasonTopic
	default:
		reason = ReasonIntent
	}
	return []Action{t.b.offerAgentMenu(t.c, t.text(msgAgentDoesIt), reason)}
}}

// introducedFirst leads acts with who the bot is and what it does, in a conversation whose
// first message it answers this way.
func introducedFirst(t *turn, acts []Action) []Action {
	if t.c.Introduced {
		return acts
	}
	t.c.Introduced = true
	return append([]Action{say(t.b.greetingAs(t.b.voice(t.c), t.c.Contact.Name, msgGreeting))}, acts...)
}

// msgOtherNumber answers whether another person writes from their own number.
const msgOtherNumber msgKey = "other_number"

// otherNumberRule answers "ah e se o cunhado quiser atualizar o dele ele tem que chamar vcs
// pelo numero dele ne?", "so my brother has to message you from his own number?": yes,
// each router is updated for its own holder, so from their own number, where the bot helps
// them; then the open question again. Never "I didn't understand", nor the agents' hours
// the classifier hears in "número".
var otherNumberRule = rule{"other_number_asked", func(t *turn) bool {
	return t.r.AsksOtherNumber && !t.r.Has(intents.ActAskPerson) && len(t.r.Serials) == 0 && t.c.State != StateIntake
}, func(t *turn) []Action {
	acts := []Action{say(t.text(msgOtherNumber))}
	switch {
	case t.c.State == StateConfirmUpdate:
		acts = append(acts, t.b.confirmMenu(t.c))
	case !t.c.State.Resting() && t.c.State != StateAnythingElse:
		acts = append(acts, t.b.questionAgain(t.c))
	}
	return acts
}}

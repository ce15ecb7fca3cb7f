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
	msgHolderCanAct          msgKey = "holder_can_act"
	msgHolderCanActNoRouter  msgKey = "holder_can_act_no_router"
	msgHolderRouterHere      msgKey = "holder_router_here"
	msgHolderRouterAgain     msgKey = "holder_router_here_again"
	msgHolderPhoneTold       msgKey = "holder_phone_told"
	msgHolderPhoneToldAgain  msgKey = "holder_phone_told_again"
	msgHolderRouterNotTheirs msgKey = "holder_router_not_holders"
	// who the holder is in them: "do titular", or the relative named ("da sua mãe")
	msgHolderOf            msgKey = "holder_of"
	msgHolderOfMother      msgKey = "holder_of_mother"
	msgHolderOfFather      msgKey = "holder_of_father"
	msgHolderOfGrandmother msgKey = "holder_of_grandmother"
	msgHolderOfGrandfather msgKey = "holder_of_grandfather"
	msgHolderOfHusband     msgKey = "holder_of_husband"
	msgHolderOfWife        msgKey = "holder_of_wife"
)

// holderOfKeys are the holder's words for each relative the reader knows (HolderKin).
var holderOfKeys = map[string]msgKey{
	"mother": msgHolderOfMother, "father": msgHolderOfFather, "grandmother": msgHolderOfGrandmother,
	"grandfather": msgHolderOfGrandfather, "husband": msgHolderOfHusband, "wife": msgHolderOfWife,
}

// holderText is a text about the holder's router with {of_holder} said as the customer
// named the holder ("da sua mãe"), or "do titular".
func (t *turn) holderText(key msgKey, args ...string) string {
	of := msgHolderOf
	if k, ok := holderOfKeys[t.c.HolderKin]; ok {
		of = k
	}
	return t.textf(key, append([]string{"of_holder", t.text(of)}, args...)...)
}

// ReasonHolderAccount: the customer writes for the account holder, whose router is on
// another account than this contact's; an agent finds it (offered by holderRouterRule).
const ReasonHolderAccount = "holder_account"

// notHolderSuffix names a topic's question as asked by a customer whose line is someone
// else's ("take_router_not_holder"): where the catalog has one, it answers instead.
const notHolderSuffix = "_not_holder"

// holderAskedRule answers "¿hace falta que esté él para esto?", "can I get the router
// serviced without him?", "posso atualizar mesmo não sendo o titular?", and "she isn't
// here right now" from a customer writing for her: the holder is not needed for the
// update; then the open question again, the update's confirmation kept, or the update
// asked for in the same breath. Whether they may act for the holder at all ("eu posso
// resolver por ela?", "yo alquilo y el internet está a nombre del dueño, ¿puedo hacer
// reclamos yo?"), from a customer whose line is someone else's: yes for a fault, with what
// the bot can do now; the contract and the bill are the holder's.
var holderAskedRule = rule{"holder_asked", func(t *turn) bool {
	forOther := t.r.ForOther || t.c.ForOther
	return (t.r.AsksHolder || (t.r.AsksActForHolder || t.r.HolderAway) && forOther) && !t.r.Has(intents.ActAskPerson) &&
		len(t.r.Serials) == 0 && t.c.State != StateIntake && len(t.r.Asks) == 0
}, func(t *turn) []Action {
	key := msgHolderNotNeeded
	switch {
	case t.r.AsksActForHolder && !t.r.AsksHolder && t.b.contactRouter(t.c) == "":
		key = msgHolderCanActNoRouter // no router on this number to name
	case t.r.AsksActForHolder && !t.r.AsksHolder:
		key = msgHolderCanAct
	case t.c.LastRule == "holder_asked": // "he is abroad", then "can I do it without him?": not the same words twice
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

// holderRouterRule answers a customer writing for the account holder who asks whether the
// router spoken of is the holder's, or says they are at another house ("e esse roteador
// ai eh o dela msm? eu to em outra casa", "is that her router? I don't live with her"):
// the router on this WhatsApp number named, likely the one where they are; the holder's is
// on another account, which an agent finds with them (or the holder writes from their own
// number); the agent offered. Never the move of house the classifier hears in "outra
// casa", nor that router offered for an update as if it were the holder's.
var holderRouterRule = rule{"holder_router_asked", func(t *turn) bool {
	r := t.r
	return (r.AsksHolderRouter || r.NotHolders && t.c.LastRule == "holder_router_asked") && (r.ForOther || t.c.ForOther) && t.b.contactRouter(t.c) != "" && len(r.Serials) == 0 &&
		!r.Has(intents.ActAskPerson) && !(t.c.Update != nil && t.c.Update.Active) && !t.c.Waiting && holderRouterFree(t)
}, func(t *turn) []Action {
	key := msgHolderRouterHere
	switch {
	case t.c.LastRule == "holder_router_asked" && t.r.NotHolders:
		// "Entao nao eh o dela. Eu quero q vc reinicie o roteador da casa da minha mae":
		// what she concluded, taken in; the agent offered again, with its buttons, not asked again
		return []Action{t.b.offerAgentMenu(t.c, t.holderText(msgHolderRouterNotTheirs), ReasonHolderAccount)}
	case t.c.LastRule == "holder_router_asked": // asked again in other words: not the same words twice
		key = msgHolderRouterAgain
	}
	return []Action{t.b.offerAgentMenu(t.c, t.holderText(key, "router", t.b.contactRouter(t.c)), ReasonHolderAccount)}
}}

// holderPhoneRule answers the account holder's phone number typed by a customer writing
// for them ("o número dela é outro, 81 3333 4444"): the bot finds a router by its serial,
// never by a phone number, nor takes it for a router not theirs any more; an agent finds
// the holder's account by it, offered.
var holderPhoneRule = rule{"holder_phone_told", func(t *turn) bool {
	r := t.r
	return r.NamesPhone && (r.ForOther || t.c.ForOther) && len(r.Serials) == 0 && !r.Has(intents.ActAskPerson) &&
		!(t.c.Update != nil && t.c.Update.Active) && !t.c.Waiting && holderRouterFree(t)
}, func(t *turn) []Action {
	if t.c.State == StateOfferAgent && t.c.HandoffReason == ReasonHolderAccount {
		// the agent for the holder's account offered just before: not a third long answer
		// ending with the same question, but the number taken, the offer kept
		return []Action{t.b.offerAgentMenu(t.c, t.holderText(msgHolderPhoneToldAgain), ReasonHolderAccount)}
	}
	return []Action{t.b.offerAgentMenu(t.c, t.holderText(msgHolderPhoneTold), ReasonHolderAccount)}
}}

// holderRouterFree reports a conversation whose open question a rule about the holder's router may
// replace: not the intake (the description the agent reads), nor in line or with an agent.
func holderRouterFree(t *turn) bool {
	switch t.c.State {
	case StateIntake, StateInLine, StateWithAgent:
		return false
	}
	return true
}

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

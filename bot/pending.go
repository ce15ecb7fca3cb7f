package bot

import (
	"slices"

	"github.com/cwbot/cwbot/intents"
)

// The update's confirmation kept open: a question on something else at the confirmation
// is answered and the confirmation asked again in short, so that a later "sí" or "update
// it" is the yes it means (not a yes to an agent the answer offered); a question or a
// "not now" asked twice in a row gets something new, never the same sentence; and a
// customer who leaves before saying yes is told plainly that the router was not updated.

// sideTopic reports a question at the confirmation that a topic answers ("¿cuánto pago al
// mes?", "cual es la contraseña del wifi?"): answered without leaving the confirmation. A
// topic that hands off hands off (answerTopic), and a no, a cancel, anger or a goodbye
// beside the question are the common rules'.
func sideTopic(t *turn) bool {
	tp, ok := t.b.catalog().Topics()[t.r.Intent]
	return ok && tp.Agent != TopicHandoff && clearRequest(t) && !t.r.Tapped && len(t.r.Serials) == 0 &&
		!saysNo(t) && !t.r.Has(intents.ActCancel) && !t.r.Has(intents.ActFrustration) && !t.r.Has(intents.ActGoodbye) &&
		!t.r.Has(intents.ActDeclineUpdate)
}

// answerSideTopic answers the topic and asks the confirmation again in short; a topic that
// offers an agent has the agent as a third button, so the offer in its answer stands.
func answerSideTopic(t *turn) []Action { return answerSideTopicNamed(t, t.r.Intent) }

// answerSideTopicNamed is answerSideTopic for the topic name (one raised before: "e a
// conta?"). Words that raised it before stay what the agent is told.
func answerSideTopicNamed(t *turn, name string) []Action {
	cat, c := t.b.catalog(), t.c
	tp := cat.Topics()[name]
	text := t.b.fillHours(t, cat.topicAnswer(name, t.b.voice(c)))
	c.Topic, c.TopicFollowedUp = name, false
	if w := c.RaisedWith[name]; tp.Agent != TopicNone && w != "" && slices.Contains(c.Recent, w) {
		c.Described, c.DescribedTopic = w, name
	} else if tp.Agent != TopicNone {
		c.Described = t.r.Text // what an agent would be told, if the customer taps for one
	}
	return []Action{t.b.confirmAgain(c, text, tp.Agent != TopicNone)}
}

// confirmAgain asks the update's confirmation again in short, after lead (the answer to
// what the customer asked meanwhile), with an agent's button when lead offers one.
func (b *Bot) confirmAgain(c *Conversation, lead string, withAgent bool) Action {
	m := b.confirmMenu(c)
	if withAgent {
		c.Menu.Items = append(c.Menu.Items, Item{Title: b.t(b.voice(c), btnAgent), Value: valAgent})
		m.Items = c.Menu.Items
	}
	question := b.tf(b.voice(c), pick(b.RestartOnly, msgConfirmRestartAgain, msgConfirmUpdateAgain), "router", c.RouterID)
	m.Text = question
	if lead != "" {
		m.Text = lead + "\n\n" + question
	}
	return m
}

// confirmTapYes asks the confirmation with what to tap, for a second question in a row at
// it ("?", then "e agora?"): not the same explanation again.
func (b *Bot) confirmTapYes(c *Conversation) Action {
	m := b.confirmMenu(c)
	yes, no := m.Items[0].Title, m.Items[1].Title
	m.Text = b.tf(b.voice(c), msgConfirmTapYes, "yes", yes, "no", no)
	return m
}

// asksAtConfirm reports a question at the confirmation that wants what the update means
// ("will my internet go off?", "how much longer?", "¿y ahora qué?", "?").
//
// A short exasperated question ("vaya... ¿y ahora qué?") asks all the same: what it means
// is the answer, not an agent's offer.
func asksAtConfirm(t *turn) bool {
	acts := t.r.Acts.Without(intents.ActPolite)
	if t.r.Words <= 4 {
		acts = acts.Without(intents.ActFrustration)
	}
	return t.r.Has(intents.ActStatusQuestion) || t.r.Intent == intents.UpdateStatus ||
		t.r.Question && !clearRequest(t) && acts == 0 && len(t.r.Serials) == 0
}

// putOffBefore reports that the bot's last answer was to a "not yet" at the confirmation.
func (c *Conversation) putOffBefore() bool {
	return c.LastRule == "confirm_not_yet" || c.LastRule == "confirm_not_yet_asked" || c.LastRule == "main_menu_offer_not_yet"
}

// serialTypedWrong reports "acho que errei", "I typed it wrong" at the confirmation of a
// serial the customer typed, naming no other: the serial is asked for again.
func serialTypedWrong(t *turn) bool {
	return t.r.Has(intents.ActWrongRouter) && len(t.r.Serials) == 0 && t.b.contactRouter(t.c) == "" &&
		t.c.TypedRouter != "" && sameSerial(t.c.TypedRouter, t.c.RouterID)
}

// askSerialAgain drops the serial typed wrong and asks for it again.
func askSerialAgain(t *turn) []Action {
	t.c.takeBackSerial(t.c.RouterID, t.r.Text)
	acts := t.b.forgetTypedSerial(t.c, t.c.RouterID)
	t.c.ask(StateAskSerial, nil)
	t.c.BadAnswers = 0
	return append(acts, say(t.text(msgSerialRetype)))
}

// troubleToldAgain reports the bot's last answer offered the update for the connection's
// trouble: the trouble told once more gets a shorter offer, not the same text. So does the
// trouble told right after "what's the problem?", which offered it already.
func (c *Conversation) troubleToldAgain() bool {
	switch c.LastRule {
	case "connection_complaint", "complaint_restarted", "main_menu_offer_detail", "problem_untold":
		return c.State == StateMainMenu
	}
	return false
}

// The update's confirmation interrupted by an agent offered in its place ("vcs são uns
// inúteis" at "Shall I go ahead?": sorry, and an agent offered; or the third message in a
// row not understood): "Keep chatting", or a no to the agent, goes back to the
// confirmation, with its buttons; never the bare menu that drops the update the customer
// was about to say yes to.

// msgKeepGoingHere leads the confirmation asked again once the agent is declined.
const msgKeepGoingHere msgKey = "keep_going_here"

// interruptedBy is the question an agent offered now takes the place of, kept for
// offerAgentDeclinedResumeRule: the update's confirmation open (or under an agent offered
// already: anger again at the offer, still that question under it); "" for none.
func (c *Conversation) interruptedBy() State {
	switch c.State {
	case StateConfirmUpdate:
		return StateConfirmUpdate
	case StateOfferAgent:
		return c.Interrupted
	}
	return ""
}

// offerAgentDeclinedResumeRule: the agent declined ("Continuar aqui", "no gracias") where it
// was offered over the update's confirmation: the confirmation again, in short, with its
// buttons; a later "sí" is the yes to it.
var offerAgentDeclinedResumeRule = rule{"offer_agent_declined_resume", func(t *turn) bool {
	c := t.c
	return c.Interrupted == StateConfirmUpdate && c.RouterID != "" && !(c.Update != nil && c.Update.Active) &&
		!t.b.retriesSpent(c) && declinesAgent(t)
}, func(t *turn) []Action {
	return []Action{t.b.confirmAgain(t.c, t.text(msgKeepGoingHere), false)}
}}

// maxNothingYetWords is the most words of a short "did anything happen?" at the
// confirmation; a longer question asks about the update ahead ("is my internet going to go
// off? I'm on a work call in 10 min"), which confirm_asked answers.
const maxNothingYetWords = 6

// Texts of a status asked before the update's yes (content.yaml).
const (
	msgNothingDoneYet      msgKey = "nothing_done_yet"
	msgNothingDoneYetAgain msgKey = "nothing_done_yet_again"
)

// confirmNothingYetRule answers "y ahora? anda o no anda??", "que paso?", "is it done?" at
// the update's confirmation, before any update ran here, from a customer whose internet has
// trouble or who asks about it: plainly, nothing was done yet, and
// the question again; asked again, in short. Never what the update means (confirm_asked),
// which leaves them wondering whether something happened.
var confirmNothingYetRule = rule{"confirm_nothing_yet", func(t *turn) bool {
	r := t.r
	u := t.c.Update
	return r.Has(intents.ActStatusQuestion) && r.Question && r.Words <= maxNothingYetWords && (t.c.TroubleTold || r.Has(intents.ActConnectionComplaint) || r.NamesInternet) && !r.AsksWhatNow && !r.Has(intents.ActHowLong) && !r.Tapped &&
		(u == nil || u.current() == nil) && !saysYes(t) && !saysNo(t) && len(r.Serials) == 0 && !r.Has(intents.ActAskPerson) && !r.NamesAgent
}, func(t *turn) []Action {
	if t.c.LastRule == "confirm_nothing_yet" {
		m := t.b.confirmMenu(t.c)
		m.Text = t.text(msgNothingDoneYetAgain)
		return []Action{m}
	}
	return []Action{t.b.confirmAgain(t.c, t.text(msgNothingDoneYet), false)}
}}

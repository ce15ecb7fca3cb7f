package bot

import (
	"slices"

	"github.com/cwbot/cwbot/intents"
)

// A customer who has not decided about the update: "maybe", "what's the difference between
// updating and restarting?", "which one do you recommend?", "yes but later, I'm on a call".
// Each gets what helps decide, and the question stays open; a go-ahead later starts it.

// Texts of the undecided customer (content.yaml).
const (
	msgMaybeUpdate      msgKey = "maybe_update"
	msgUpdateOrRestart  msgKey = "update_or_restart"
	msgRecommendUpdate  msgKey = "recommend_update"
	msgRecommendAgent   msgKey = "recommend_agent"
	msgRecommendOutage  msgKey = "recommend_outage"
	msgUpdateLaterOffer msgKey = "update_later_offer"
	msgStillHereConfirm msgKey = "still_here_confirm"
	msgUpdatedWhy       msgKey = "updated_why"
)

// updateOnOffer reports an open menu with the update among its buttons.
func updateOnOffer(c *Conversation) bool {
	return c.Menu != nil && slices.ContainsFunc(c.Menu.Items, func(it Item) bool { return it.Value == valUpdateRouter })
}

// deciding reports a conversation where the customer may be deciding about the update: its
// confirmation, the menu offering it, an agent offered beside it, or nothing open.
func deciding(t *turn) bool {
	if t.c.Update != nil && t.c.Update.Active {
		return false
	}
	switch t.c.State {
	case StateConfirmUpdate, StateMainMenu, StateAnythingElse, StateIdle, StateOutageNotice:
		return true
	case StateOfferAgent:
		return updateOnOffer(t.c)
	}
	return false
}

// decisionAgain is the question the customer was deciding, open again: the confirmation,
// the menu or the offer; with nothing open, the menu offering the update ("ok do it" then
// takes it).
func (t *turn) decisionAgain() Action {
	switch t.c.State {
	case StateConfirmUpdate, StateOfferAgent, StateOutageNotice:
		t.c.Proposed = t.proposed
		return t.b.questionAgain(t.c)
	}
	m := t.b.mainMenu(t.c)
	if t.c.State == StateMainMenu {
		t.c.Proposed = valUpdateRouter
	}
	return m
}

// updateOrRestartRule: "whats the difference between updating and restarting?" while the
// update is being decided: the two told apart, never the update's status; the question
// stays open.
var updateOrRestartRule = rule{"update_or_restart_asked", func(t *turn) bool {
	return t.r.AsksUpdateOrRestart && deciding(t) && !t.r.Has(intents.ActAskPerson)
}, func(t *turn) []Action {
	return []Action{say(t.text(msgUpdateOrRestart)), t.decisionAgain()}
}}

// recommendRule: "which one do you recommend?", "usted qué me recomienda?": the bot's
// honest advice for where things stand. During an outage in the area, to wait for it (a
// restart won't help); once the update was tried (it worked a while ago and the trouble
// goes on, or it failed), an agent; otherwise the update first, at a moment nobody needs the
// internet, and an agent if it doesn't help.
var recommendRule = rule{"recommend_asked", func(t *turn) bool {
	return t.r.AsksRecommend && deciding(t) && !t.r.Has(intents.ActAskPerson) && !t.r.NamesAgent &&
		len(t.r.Serials) == 0
}, func(t *turn) []Action {
	c := t.c
	switch {
	case c.State == StateOutageNotice || outageTold(t) && c.Outage.EndedAt.IsZero():
		if c.State == StateOutageNotice {
			return []Action{say(t.text(msgRecommendOutage)), t.b.questionAgain(c)}
		}
		return []Action{say(t.text(msgRecommendOutage))}
	case c.updatedRecently(t.now) || c.lastFailed() || t.b.retriesSpent(c):
		reason := ReasonStillTrouble
		if c.lastFailed() {
			reason = ReasonRouterFailure
		}
		return []Action{t.b.offerAgentMenu(c, t.text(msgRecommendAgent), reason)}
	}
	return []Action{say(t.text(msgRecommendUpdate)), t.decisionAgain()}
}}

// mainMenuMaybeRule: "maybe", "talvez" to the menu offering the update: what the update
// does and how long the internet is off, which is what helps decide; the menu stays open.
var mainMenuMaybeRule = rule{"main_menu_maybe", func(t *turn) bool {
	return t.r.Maybe && updateOnOffer(t.c)
}, func(t *turn) []Action {
	m := t.b.mainMenu(t.c)
	t.c.Proposed = valUpdateRouter // "ok go ahead" then takes it
	return []Action{say(t.text(msgMaybeUpdate)), m}
}}

// mainMenuOfferNotYetRule: "yes but later, im on a zoom call rn" to the update offered:
// no refusal, a put-off. The bot waits and says how to come back; the confirmation of the
// router on file is what stays open, so "ok call's done, go ahead" starts it.
var mainMenuOfferNotYetRule = rule{"main_menu_offer_not_yet", func(t *turn) bool {
	return t.c.Proposed == valUpdateRouter && putsOff(t) && !t.r.Has(intents.ActDeclineUpdate) && !t.r.Has(intents.ActAskPerson) &&
		!t.r.NamesAgent && !t.r.Question && len(t.r.Serials) == 0 && updateOnOffer(t.c)
}, func(t *turn) []Action {
	id := t.b.routerID(t.c)
	if id == "" || t.b.retriesSpent(t.c) {
		t.c.Proposed = valUpdateRouter // the serial is asked once they are ready
		return []Action{say(t.text(msgUpdateLater))}
	}
	t.c.RouterID = id
	t.b.confirmMenu(t.c) // the question left open, not asked again now
	return []Action{say(t.textf(msgUpdateLaterOffer, "router", id))}
}}

// mainMenuUpdateHelpsRule: "y eso de actualizar el router sirve de algo?" at the menu: the
// answer, then the confirmation; never the confirmation alone, as if they had asked for it.
var mainMenuUpdateHelpsRule = rule{"main_menu_update_helps", func(t *turn) bool {
	return t.r.AsksUpdateHelps && !t.r.Tapped && !t.r.Has(intents.ActAskPerson) && !t.c.updatedRecently(t.now)
}, func(t *turn) []Action { return leadWith(t.text(msgUpdateHelps), t.b.askUpdate(t.c)) }}

// updatedTroubleRule: "Will it fix the slowness?", "what about the other thing I asked, why
// does it keep dropping?", "mas pq deu erro na primeira vez? vou ter q ficar fazendo isso td
// semana?" right after an update that worked: whether it helps shows in use (the words of
// updated_helps_asked); why it happens, an agent finds, offered. Never "didn't understand",
// the update offered again for the router just updated, nor "nothing else will drop".
var updatedTroubleRule = rule{"updated_trouble_asked", func(t *turn) bool {
	r := t.r
	why := r.AsksWhy && r.Question && r.Acts.Without(intents.ActPolite).Without(intents.ActFrustration) == 0 && !clearRequest(t)
	// "e as quedas de noite? o Rafael falou q ia ver isso": the recurring trouble asked about
	drops := r.AsksDrops && r.Question && !r.Has(intents.ActCancel) && !r.Has(intents.ActGoodbye)
	return (r.AsksUpdateHelps && !r.Has(intents.ActUpdateHelps) || r.AsksTroubleAfter || why || drops) && afterUpdateQuiet(t)
}, func(t *turn) []Action {
	if t.r.AsksWhy || t.r.AsksDrops { // "why does it keep dropping?": the cause is for an agent to find
		return []Action{t.b.offerAgentMenu(t.c, t.text(msgUpdatedWhy), ReasonStillTrouble)}
	}
	return welcomed(t, []Action{say(t.text(msgUpdatedShouldHelp))})
}}

// msgUpdatedIfNot: "and if it doesnt?" to "it should, yes" (content.yaml).
const msgUpdatedIfNot msgKey = "updated_if_not"

// updatedIfNotRule: "and if it doesnt?", "¿y si no se arregla?", "e se não resolver?" right
// after the bot said the update should help: what then (an agent checks the line, without
// the customer telling it all again), and the agent offered now for who would rather not
// wait to see; never an answer to a question not asked ("the update won't cut anything else").
var updatedIfNotRule = rule{"updated_if_not", func(t *turn) bool {
	r := t.r
	return r.AsksIfNot && (t.c.LastRule == "updated_trouble_asked" || t.c.LastRule == "updated_helps_asked") &&
		!r.Has(intents.ActCancel) && !r.Has(intents.ActGoodbye) && !clearRequest(t) && afterUpdateQuiet(t)
}, func(t *turn) []Action {
	return []Action{t.b.offerAgentMenu(t.c, t.text(msgUpdatedIfNot), ReasonStillTrouble)}
}}

// updatedLukewarmRule: "ok done i guess. still meh tho", "sigue más o menos", "não melhorou
// muito" right after an update that worked: the trouble goes on, said mildly; what a
// complaint then gets (an agent first: connection_complaint), or at that offer already,
// the offer again (offer_agent_same_trouble). Never "didn't understand" with the update
// offered first, nor an "ok" taken for the end.
var updatedLukewarmRule = rule{"updated_lukewarm", func(t *turn) bool {
	r := t.r
	return r.Lukewarm && !r.Has(intents.ActConnectionComplaint) && !r.Question && !r.Has(intents.ActGoodbye) && !r.Has(intents.ActCancel) &&
		!clearRequest(t) && afterUpdateQuiet(t)
}, func(t *turn) []Action {
	if t.c.State == StateOfferAgent && t.c.HandoffReason == ReasonStillTrouble {
		m := t.b.questionAgain(t.c)
		m.Text = t.text(msgStillTroubleNoted) + "\n\n" + m.Text
		return []Action{m}
	}
	return []Action{t.b.stillTroubleMenu(t.c, "", t.now)}
}}

// updatedToDoRule: "Thank you dear. Is there anything else I need to do now?", "¿tengo que
// hacer algo más?" right after an update that worked: no, nothing, and to write here if it
// is still slow or drops; the thanks welcomed. Never "didn't understand" with the menu,
// which leaves the customer unsure something is still needed.
var updatedToDoRule = rule{"updated_anything_to_do", func(t *turn) bool {
	r := t.r
	return r.AsksToDo && !r.Has(intents.ActConnectionComplaint) && !r.Has(intents.ActCancel) && !r.Has(intents.ActRetry) && afterUpdateQuiet(t)
}, func(t *turn) []Action {
	t.c.closeQuestion()
	return welcomed(t, []Action{say(t.text(pick(t.c.Update.current().Restart, msgNothingToDoRestarted, msgNothingToDoUpdated)))})
}}

// confirmMaybeRule: "talvez", "mmm de pronto" to "shall I update router X?": what helps
// decide (what it does, how long the internet is off), and the question again; a second
// maybe in a row, what to tap, in short.
var confirmMaybeRule = rule{"confirm_maybe", func(t *turn) bool { return t.r.Maybe }, func(t *turn) []Action {
	if t.c.LastRule == "confirm_maybe" {
		return []Action{t.b.confirmTapYes(t.c)}
	}
	return []Action{say(t.text(msgMaybeUpdate)), t.b.confirmMenu(t.c)}
}}

// languageGoAheadRule: "perdon, mejor en español. sí, dale, actualízalo" at the
// confirmation: the language, and the yes beside it, which starts the update; not the
// confirmation asked again in the new language.
var languageGoAheadRule = rule{"language_asked_go_ahead", func(t *turn) bool {
	return t.r.Has(intents.ActLanguageRequest) && !t.r.Has(intents.ActAskPerson) && t.c.State == StateConfirmUpdate &&
		t.r.Has(intents.ActAffirm) && !saysNo(t) && !putsOff(t) && !t.r.Question && !t.r.Has(intents.ActCancel) &&
		!t.r.Has(intents.ActDeclineUpdate) && len(t.r.Serials) == 0
}, func(t *turn) []Action {
	return append([]Action{say(t.text(msgLanguageSwitched))}, t.b.startUpdate(t.c, t.now)...)
}}

// stillThereConfirmRule: "alo??" again at the confirmation, right after "Yes, I'm here!" and
// the question: not the same words again, but what the bot waits for; a third gets the first
// answer, and so on, never three the same in a row.
var stillThereConfirmRule = rule{"still_there_confirm_again", func(t *turn) bool {
	return t.c.State == StateConfirmUpdate && t.c.LastRule == "still_there_asked" && stillThereAsked(t)
}, func(t *turn) []Action {
	m := t.b.confirmMenu(t.c)
	m.Text = t.textf(msgStillHereConfirm, "yes", m.Items[0].Title, "no", m.Items[1].Title)
	return []Action{m}
}}

// updateLeaned reports the router's update asked for in words the classifier leans to under
// its threshold ("ta, mas aproveita e atualiza meu roteador enquanto isso", 0.597; its
// "enquanto isso" keeps the words from naming a button): with no serial and no other
// request beside it.
func updateLeaned(t *turn) bool {
	if len(t.r.Ranked) == 0 || t.r.Ranked[0].Intent != intents.UpdateRouter || len(t.r.Serials) > 0 ||
		t.r.Has(intents.ActAskPerson) || t.r.Has(intents.ActDeclineUpdate) || t.r.Has(intents.ActCancel) {
		return false
	}
	c := t.r.Ranked[0].Confidence
	return t.r.NamesUpdate && c >= updateLean || c >= updateLeanUnnamed
}

// updateLeanUnnamed is the classifier's confidence in the update, under its threshold, from
// which it is taken for a request of it without words of the buttons lists naming it.
const updateLeanUnnamed = 0.5

// Texts of a maybe to an agent offered (content.yaml).
const (
	msgMaybeAgent    msgKey = "maybe_agent"
	msgMaybeAgentTap msgKey = "maybe_agent_tap"
)

// offerAgentMaybeRule: "maybe", "talvez", "quizás" to "Shall I put you through to an
// agent?": neither a yes nor a no; what taking it does (a person here, told what was said),
// and the offer again with its buttons. A second maybe in a row, what to tap, in short.
var offerAgentMaybeRule = rule{"offer_agent_maybe", func(t *turn) bool {
	return t.r.Maybe && t.c.Menu != nil
}, func(t *turn) []Action {
	m := t.b.questionAgain(t.c)
	t.c.Proposed = t.proposed // an offer of the update beside the agent stays open
	if t.c.LastRule == "offer_agent_maybe" {
		agent, keep := t.text(btnAgent), t.text(btnKeepChatting)
		for _, it := range m.Items {
			switch it.Value {
			case valAgent:
				agent = it.Title
			case valContinue:
				keep = it.Title
			}
		}
		m.Text = t.textf(msgMaybeAgentTap, "agent", agent, "keep", keep)
		return []Action{m}
	}
	m.Text = t.text(msgMaybeAgent)
	return []Action{m}
}}

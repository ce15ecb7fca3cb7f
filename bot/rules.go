package bot

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/cwbot/cwbot/intents"
)

// The dialogue's rules, in the order fire consults them (see dialogue.go): the global
// rules, the rules of each state, and the common rules. A rule's name is what the logs and
// cwbot_dialogue_rules_total call it.

// globalRules run first, whatever the state.
var globalRules = []rule{
	optOutRule,            // "stop messaging me" (optout.go)
	agentClosedThanksRule, // "muchas gracias joven ya nos llego el internet 🙏" after an agent resolved it (service_back.go)
	{"about_bot_annoyed", func(t *turn) bool { return t.r.Has(intents.ActAboutBot) && t.r.Has(intents.ActFrustration) }, func(t *turn) []Action {
		// "why am i getting messages from a bot?? never signed up": who writes and why, and
		// how to make it stop; no agent offered for the anger, no menu.
		return []Action{say(t.text(msgBotWritesBack))}
	}},
	outageAboutBotRule, // "wait am i talking to a person now?" once told of an outage (outage_more.go)
	{"about_bot", func(t *turn) bool { return t.r.Has(intents.ActAboutBot) && !t.r.NothingAsked }, func(t *turn) []Action {
		// "are you a real person?", "quién me está escribiendo?": the truth, and what it
		// can do; a person if they ask. With "why are you texting me", nothing_asked.
		// Asked again ("y con quién estoy hablando entonces"), said shorter, not word for word.
		if t.c.LastRule == "about_bot" {
			return []Action{say(t.text(msgIAmBotAgain)), t.b.questionAgain(t.c)}
		}
		return []Action{say(t.text(msgIAmBot)), t.b.questionAgain(t.c)}
	}},
	gotMessageRule,           // "Boa tarde. Recebi mensagem de vcs?" first (about_you.go)
	scamWhatAskedRule,        // "Vocês vão pedir meu cpf ou senha do banco?" (about_you.go)
	scamAskedRule,            // "how do i know this is not scam", "isso aqui é golpe?", "me llegó un sms pidiéndome la clave del banco" (about_you.go)
	dataAskedRule,            // "what do you know about me?", "please delete my data" (about_you.go)
	offTopicRule,             // "tell me a joke", "¿cómo va a estar el clima mañana?" (about_you.go)
	introducedRule,           // "Le escribe Mª Carmen Álvarez, titular de la línea." (about_you.go)
	holderAskedRule,          // "¿hace falta que esté él para esto?" (for_other.go)
	otherNumberRule,          // "se o cunhado quiser atualizar o dele ele tem que chamar vcs pelo numero dele?" (for_other.go)
	refusedSerialHolderRule,  // "but it is my mums router, she is the account holder" of the serial just refused (serial_refused.go)
	holderRouterRule,         // "esse roteador eh o dela msm? eu to em outra casa" (for_other.go)
	holderPhoneRule,          // "o número dela é outro, 81 3333 4444" (for_other.go)
	contextToldRule,          // "le escribo por el internet de mi mamá" (for_other.go)
	whoDoesRule,              // "eso lo hace una persona, no?" (for_other.go)
	languageGoAheadRule,      // "perdon, mejor en español. sí, dale, actualízalo" at the confirmation (undecided.go)
	agentPromisedRule,        // "e as quedas de noite? o Rafael falou q ia ver isso" after a hand-back (meanwhile.go)
	wifi5GRule,               // "pq meu celular não acha a rede 5g?", before the trouble after an update (wifi_5g.go)
	updatedTroubleRule,       // "Will it fix the slowness?" right after an update that worked (undecided.go)
	updatedIfNotRule,         // "and if it doesnt?" right after "it should, yes" (undecided.go)
	lightsTroubleUpdatedRule, // a photo captioned "luz do roteador piscando laranja" right after one (lights.go)
	lightsAskedRule,          // "e a luz laranja é normal?" right after an update that worked (lights.go)
	lightsGoodRule,           // "agora a luz ficou verde 😊" right after one (lights.go)
	lightsFailedRule,         // "e essa luz vermelha é normal" after a failed update (lights.go)
	lightsWhatNowRule,        // "e agora?" right after lights_trouble_updated (lights.go)
	updatedLukewarmRule,      // "ok done i guess. still meh tho" right after an update that worked (undecided.go)
	updatedToDoRule,          // "Is there anything else I need to do now?" right after an update that worked (undecided.go)
	{"language_asked", func(t *turn) bool {
		return t.r.Has(intents.ActLanguageRequest) && !t.r.Has(intents.ActAskPerson)
	}, func(t *turn) []Action {
		// "mejor en español xfa": the language, and the open question again in it. (With a
		// request for a person, "an agent in spanish", the language is set and the
		// handoff goes on: see Bot.turn.)
		// An offer made in the other language stays open ("sí, actualízalo" takes it).
		acts := []Action{say(t.text(msgLanguageSwitched)), t.b.questionAgain(t.c)}
		t.c.Proposed = t.proposed
		return acts
	}},
	{"line_wait_asked", func(t *turn) bool {
		// "how long i have to wait", "a que hora me atienden?" from a customer in line,
		// whatever was asked since (the update offered meanwhile): the queue's answer, with
		// the agents' next opening when they are away.
		// Asked at "wait for an agent or keep chatting?", the same answer for who would
		// wait, and the question again.
		return (t.c.Waiting || t.c.State == StateOfferWait) && t.r.AsksWait && !t.r.Has(intents.ActCancel)
	}, func(t *turn) []Action {
		if !t.c.Waiting {
			return leadWith(t.b.inLineText(t.ctx, t.c, t.now, msgOfferWaitSoon, msgOfferWaitUntil), []Action{t.b.questionAgain(t.c)})
		}
		return []Action{t.b.inLine(t.ctx, t.c, t.now)}
	}},
	{"line_left_told", func(t *turn) bool {
		// "Mira paso, me salgo de la cola", "I'm leaving the queue" from a customer in line,
		// whatever was asked since (an agent offered for their anger meanwhile): out of the
		// line, as at "take me out of the line"; never "didn't understand" with them left in
		// it. The update asked for beside it is confirmed.
		return t.c.Waiting && t.r.LeavesLine && !t.r.Has(intents.ActAskPerson) && !t.r.NamesAgent
	}, func(t *turn) []Action {
		if (t.r.Intent == intents.UpdateRouter || t.r.NamesUpdate) && !t.r.Has(intents.ActDeclineUpdate) && !(t.c.Update != nil && t.c.Update.Active) {
			acts := t.b.leftLine(t.c)
			return append(acts, leadWith(t.text(msgLeftLine), t.b.askUpdate(t.c))...)
		}
		return t.b.leaveLineAsked(t.c)
	}},
	lineRejoinRule,    // "ok put me back in the queue then" out of it (line_rejoin.go)
	lineLeftAskedRule, // "Y sigo en la cola o que?" after leaving the line (line_asked.go)
	{"asks_to_wait", func(t *turn) bool {
		// "na verdade quero esperar sim, pode me colocar na fila" after declining to wait:
		// a person asked for, and the wait chosen in words; not the same question again.
		return (t.r.Has(intents.ActAskPerson) && t.r.Choice == 0 || t.choice() == valAgent) && !t.r.Tapped && !t.c.Waiting &&
			t.b.Lexicon.Button(t.r.Text, []string{valWait}) == valWait &&
			t.c.State != StateIntake && t.c.State != StateInLine && t.c.State != StateOfferWait
	}, func(t *turn) []Action {
		reason := ReasonIntent
		if t.c.State == StateOfferAgent && t.c.HandoffReason != "" {
			reason = t.c.HandoffReason // "Aguardo retorno." to the bill's agent offered: the bill's
		}
		av := t.b.availability(t.ctx, t.c, t.now)
		if av.Open && av.Online || t.b.Handoff.WhenClosed == "open" {
			return t.b.requestHandoff(t.ctx, t.c, reason, t.now) // nobody to wait for: the handoff as asked
		}
		t.c.closeQuestion()
		t.c.HandoffReason = reason
		t.c.awayNoted(av)
		return t.b.startIntake(t.c, true, t.now)
	}},
	{"wait_chosen_later", func(t *turn) bool {
		// "Ok I will wait for the executive only", "ya, espero entonces" after keeping on
		// with the bot at "wait for the agents or keep chatting?": the wait it offered,
		// chosen in words whatever was said since; not "didn't understand". Not at the
		// update's own questions, where "I'll wait" waits for the router.
		return t.c.WaitOffered && !t.c.Waiting && !t.r.Tapped && !t.r.NotYet && !t.r.Has(intents.ActCancel) && !saysNo(t) &&
			t.b.Lexicon.Button(t.r.Text, []string{valWait}) == valWait &&
			t.c.State != StateIntake && t.c.State != StateOfferWait && t.c.State != StateConfirmUpdate && t.c.State != StateUpdating
	}, func(t *turn) []Action {
		av := t.b.availability(t.ctx, t.c, t.now)
		if av.Open && av.Online || t.b.Handoff.WhenClosed == "open" {
			return t.b.requestHandoff(t.ctx, t.c, ReasonIntent, t.now) // back meanwhile: the handoff
		}
		t.c.closeQuestion()
		if t.c.HandoffReason == "" {
			t.c.HandoffReason = ReasonIntent
		}
		t.c.awayNoted(av)
		return t.b.startIntake(t.c, true, t.now)
	}},
	mediaAlbumRule,        // a voice note or photo: the bot reads text only (media.go)
	mediaSentAgainRule,    // "did u see the pic?" once told
	mediaLightsRule,       // "i sent u a photo of the lights, the red one is blinking"
	mediaSentRule,         // "te mandei um áudio explicando"
	stillThereConfirmRule, // "alo??" again at the confirmation (undecided.go)
	{"still_there_again", func(t *turn) bool {
		// "hola??" once more right after "Yes, I'm here!" with a question open: other words
		// (a third gets the first again: never the same twice in a row)
		c := t.c
		return c.LastRule == "still_there_asked" && stillThereAsked(t) && !c.Waiting && c.State != StateUpdating &&
			c.State != StateOfferWait && !(c.updatedRecently(t.now) && (c.State.Resting() || c.State == StateMainMenu))
	}, func(t *turn) []Action {
		return leadWith(t.text(msgStillHereAgain), []Action{t.b.questionAgain(t.c)})
	}},
	{"still_there_asked", stillThereAsked, func(t *turn) []Action {
		// "hello?", "anyone there?", "oi? alguém aí?" after the first message: the bot is
		// here, and where things stand (still in line and when an agent writes, the
		// update's step, or the question open again); never the welcome again, nor an
		// agent offered to one already in line.
		switch {
		case t.c.Waiting && t.c.State.Resting() && !(t.c.Update != nil && t.c.Update.Active):
			return []Action{say(t.b.inLineText(t.ctx, t.c, t.now, msgStillHereInLine, msgStillHereInLineUntil))}
		case t.c.State == StateUpdating:
			return leadWith(t.text(msgStillHere), t.b.updateStatus(t.c))
		case t.c.State == StateOfferWait:
			again := t.b.inLineText(t.ctx, t.c, t.now, msgWaitAsk, msgWaitAskUntil)
			return []Action{menu(joinText(t.text(msgStillHere), again), t.b.questionAgain(t.c).Items)}
		case t.c.updatedRecently(t.now) && (t.c.State.Resting() || t.c.State == StateMainMenu):
			// just after an update that worked, nothing asked: not the menu offering it
			// again, but the update done and whether the internet works
			t.c.closeQuestion()
			return []Action{say(t.text(msgStillHereUpdated))}
		}
		return leadWith(t.text(msgStillHere), []Action{t.b.questionAgain(t.c)})
	}},
	problemUntoldRule,     // "tengo un problema", and nothing of what it is (problem_untold.go)
	complaintNoPersonRule, // "the card machine cannot connect since morning", a person only the learned reader hears (complaint_no_person.go)
	callAskedRule,         // "can someone call me back on this number": the agents answer here, no call (call_back.go)
	lineSoonerAskedRule,   // "nao tem nenhum jeito de falar com alguem antes nao?" in line, whatever was asked last (intake_line.go)
	{"asks_for_person", asksForPerson, askedForPerson},
	refusesBotRule,          // "não quero robô não" (cannot_do.go)
	serviceBackUpdatingRule, // "voltou a net aqui" while the update is queued or running (service_back.go)
	serviceBackRule,         // "great, it works now" (service_back.go)
	noNeedAskedRule,         // "Entonces ya no hace falta verdad?" (service_back.go)
	{"unfinished", func(t *turn) bool { return t.r.Unfinished }, func(t *turn) []Action {
		// "Also", the rest in the next message: no misunderstanding, and the open
		// question stays open; to a second one in a row, nothing.
		if t.c.LastRule == "unfinished" {
			return nil
		}
		return []Action{say(t.text(msgGoOn))}
	}},
	creditRule,             // "I want a refund for the days without internet" with no outage told (cannot_do.go)
	returnRouterRule,       // "one last thing, do I need to return the router" (return_router.go)
	routerAskedRule,        // "What is a router?" (router_asked.go)
	routerDescribedRule,    // "el aparatico ese que tiene las lucecitas?" right after (router_asked.go)
	protocolRule,           // "o número de protocolo do cancelamento, vcs não vão me dar??" (cannot_do.go)
	serialRefusedAgainRule, // "KT2231XB99", the serial just refused typed without its dashes (serial_refused.go)
	updateOrRestartRule,    // "whats the difference between updating and restarting?" (undecided.go)
	recommendRule,          // "which one do you recommend?" (undecided.go)
	agentLeftOpenRule,      // "is the move all sorted then?" after an agent handed back (meanwhile.go)
	agentAnswerDoubtedRule, // "so thats it? 2 days?" after an agent handed back (meanwhile.go)
}

// stateRules answer what belongs to the open question.
var stateRules = map[State][]rule{
	StateMainMenu: {
		topicCorrectedRule, // "nao pera, na vdd é a conta" at the menu (corrections.go)
		{"main_menu_confirm_taken_back", func(t *turn) bool {
			// "ok hes done now, go ahead", "ahora sí actualícelo porfa" right after "no" to
			// the confirmation naming the router: the yes it held back, so the update.
			return t.c.Proposed == valYes && t.c.RouterID != "" && consents(t) &&
				slices.ContainsFunc(t.c.Menu.Items, func(it Item) bool { return it.Value == valUpdateRouter })
		}, func(t *turn) []Action { return t.b.startUpdate(t.c, t.now) }},
		{"main_menu_offer_repeated", func(t *turn) bool {
			// "my network no dey work since morning" sent again, word for word, right after
			// the update was offered for it: no news to thank for; the message seen, sorry,
			// and the offer put plainly (then, sent once more, in fewer words).
			return t.c.Proposed == valUpdateRouter && t.sameAsLast() && t.r.Choice == 0 &&
				slices.ContainsFunc(t.c.Menu.Items, func(it Item) bool { return it.Value == valUpdateRouter })
		}, func(t *turn) []Action {
			m := t.b.mainMenu(t.c)
			m.Text = t.text(msgOfferSameMessage)
			if t.c.LastRule == "main_menu_offer_repeated" {
				m.Text = t.textf(msgOfferSameMessageAgain, "update", t.text(btnUpdateRouter), "agent", t.text(btnAgent))
			}
			t.c.Proposed = valUpdateRouter
			return []Action{m}
		}},
		{"main_menu_polite_again", func(t *turn) bool {
			// "Please" once more right after: the buttons named (then the question again:
			// never the same sentence twice in a row)
			return t.c.LastRule == "main_menu_polite" && politeAtMenu(t)
		}, func(t *turn) []Action {
			m := t.b.mainMenu(t.c)
			m.Text = t.textf(msgOfferSameMessageAgain, "update", t.text(btnUpdateRouter), "agent", t.text(btnAgent))
			t.c.Proposed = t.proposed
			return []Action{m}
		}},
		{"main_menu_polite", politeAtMenu, func(t *turn) []Action {
			m := t.b.mainMenu(t.c)
			m.Text = t.text(msgMenuPolite)
			t.c.Proposed = t.proposed
			return []Action{m}
		}},
		mainMenuMaybeRule,       // "maybe" to the update offered (undecided.go)
		mainMenuOfferNotYetRule, // "yes but later, im on a zoom call rn" (undecided.go)
		{"main_menu_back_what_now", func(t *turn) bool {
			// "ok so what do I do now" right after an agent handed back (play19 en/06): the
			// menu's next step (tap the update and the bot does it, or the agent), never
			// "didn't understand" at the hand-over.
			return (t.c.Proposed == valBackUpdate || t.c.Proposed == valBackMenu) && t.r.AsksWhatNow && t.r.Choice == 0 &&
				!t.r.Has(intents.ActAskPerson) && !t.r.NamesAgent && !t.r.Has(intents.ActDeclineUpdate) && len(t.r.Serials) == 0 &&
				!asks(t) && updateOnOffer(t.c) && t.r.Words <= 8 && (t.r.Intent == intents.OutOfScope || t.r.Intent == intents.Help) // "el wifi casi no llega, qué puedo hacer?" asks of the Wi-Fi
		}, func(t *turn) []Action {
			m := t.b.mainMenu(t.c)
			m.Text = t.textf(msgOfferWhatNow, "update", t.text(btnUpdateRouter), "agent", t.text(btnAgent))
			t.c.Proposed = valUpdateRouter // "yes please go ahead" now takes the update
			return []Action{m}
		}},
		{"main_menu_offer_what_now", func(t *turn) bool {
			// "q tengo q hacer", "what do i need to do?" right after the update was offered
			// for the trouble: the next step (tap the update; the bot does the rest), never
			// "thanks for the detail" for a question.
			return t.c.Proposed == valUpdateRouter && t.r.AsksWhatNow && t.r.Choice == 0 && !t.r.Has(intents.ActAskPerson) &&
				!t.r.NamesAgent && !t.r.Has(intents.ActDeclineUpdate) && len(t.r.Serials) == 0 && !asks(t) && updateOnOffer(t.c)
		}, func(t *turn) []Action {
			m := t.b.mainMenu(t.c)
			m.Text = t.textf(msgOfferWhatNow, "update", t.text(btnUpdateRouter), "agent", t.text(btnAgent))
			t.c.Proposed = valUpdateRouter // "ok dale" now takes the update
			return []Action{m}
		}},
		{"main_menu_offer_detail", func(t *turn) bool {
			// "y el aparato es uno blanco que me instalaron hace dos años", "like every nite
			// around 9pm smh" right after the update was offered for the trouble: more about
			// it, asking nothing; the offer stands (an agent is one of its buttons). How
			// often it comes is more of it however short ("toda hora", "a cada rato").
			rest := t.r.Acts.Without(intents.ActFrustration).Without(intents.ActConnectionComplaint).Without(intents.ActPolite)
			return t.c.Proposed == valUpdateRouter && rest == 0 && !asks(t) && !t.r.Question && t.r.Choice == 0 &&
				len(t.r.Serials) == 0 && (t.r.Words > 2 || t.r.TellsHowOften) && !t.r.AsksFix // "cn u fix it 2day": the yes (main_menu_offer_taken)
		}, func(t *turn) []Action {
			text := msgOfferKeptDetail
			if t.r.Has(intents.ActFrustration) && !t.r.OnlyLearned(intents.ActFrustration) {
				text = msgOfferKeptAnnoyed // "smh": annoyed, and said so
			}
			m := t.b.mainMenu(t.c)
			if t.r.Restarted { // "ja reiniciei e nada": a restart is no news to them; and the menu's question
				m.Text = t.text(msgRestartedNotUpdate) + "\n\n" + m.Text
			} else {
				m.Text = t.text(text)
			}
			t.c.Proposed = valUpdateRouter
			return []Action{m}
		}},
		{"main_menu_offer_taken", func(t *turn) bool {
			// "dale" to "restarting your router often fixes it: I can do that now", "mmm mejor
			// sí, hazlo" right after declining it: the update. A plain "ok" or 👍 to the offer
			// takes it too (okToOffer), and so does "cn u fix it 2day": the fix asked for.
			return t.c.Proposed == valUpdateRouter && (t.r.Has(intents.ActAffirm) || okToOffer(t) || t.r.AsksFix) && !t.r.Has(intents.ActDeny) &&
				!t.r.Has(intents.ActDeclineUpdate) && !t.r.Has(intents.ActAskPerson) &&
				slices.ContainsFunc(t.c.Menu.Items, func(it Item) bool { return it.Value == valUpdateRouter })
		}, takeUpdateOffer},
		mainMenuBackSerialRule, // "ta bom entao, é zx9900ab12" right after a hand-back (serial_with_agent.go)
		{"main_menu_back_ok", func(t *turn) bool {
			// "bueno dale", "ok" right after an agent handed back a conversation about the
			// router ("te devuelvo con el asistente para que actualice el router"): the
			// update, confirmed first; not "anything else?" as to a goodbye.
			rest := t.r.Acts.Without(intents.ActAcknowledge).Without(intents.ActAffirm).Without(intents.ActPolite)
			return t.c.Proposed == valBackUpdate && saysYes(t) && rest == 0 && !asks(t) && !t.r.Question && t.r.Choice == 0
		}, func(t *turn) []Action { return t.b.askUpdate(t.c) }},
		{"main_menu_update_other_router", func(t *turn) bool {
			// "update my router, but the one you have isn't mine any more": never that one.
			return (t.choice() == valUpdateRouter || t.r.Intent == intents.UpdateRouter) && t.r.Has(intents.ActWrongRouter)
		}, func(t *turn) []Action { return t.b.otherRouter(t) }},
		mainMenuUpdateHelpsRule, // "y eso de actualizar el router sirve de algo?" (undecided.go)
		{"main_menu_update", chose(valUpdateRouter), askUpdateSorry},
		mainMenuSerialWhereRule, // "y dónde encuentro eso?" with no router on file (router_asked.go)
		{"main_menu_agent", chose(valAgent), func(t *turn) []Action {
			reason := ReasonIntent // "quiero hablar con alguien" picks the button too
			if t.r.Tapped {
				reason = ReasonMenu
			} else if t.personTold() != "" {
				reason = ReasonTopic // "...tengo un cobro que no reconozco en mi factura": the bill's
			}
			return t.b.requestHandoff(t.ctx, t.c, reason, t.now)
		}},
		{"main_menu_declined", func(t *turn) bool {
			// "no", "no, mejor no, gracias" to "update your router or talk to an agent?":
			// neither, understood; never "didn't understand", nor "you're welcome" for a
			// thanks that only softens the no.
			rest := t.r.Acts.Without(intents.ActDeny).Without(intents.ActThanks).Without(intents.ActPolite).Without(intents.ActAcknowledge)
			return t.r.Has(intents.ActDeny) && rest == 0 && !asks(t) && len(t.r.Serials) == 0 &&
				t.r.Intent != intents.UpdateRouter && t.r.Intent != intents.HumanAgent
		}, declined},
	},
	StateAskSerial: {
		whichBoxRule, // "which one, there is the one from you and one the card company gave me" (router_asked.go)
		{"serial_given", func(t *turn) bool { return len(t.r.Serials) == 1 }, func(t *turn) []Action {
			serial := t.r.Serials[0]
			if mine := t.b.contactRouter(t.c); mine != "" && sameSerial(serial, mine) {
				serial = mine // typed without its dashes: the router on file, as it is written there
			}
			return t.b.confirmTyped(t, serial)
		}},
		serialTopicAskedRule,  // "e como eu troco essa senha?" while the serial is asked for (serial_refused.go)
		serialWhyRule,         // "y para qué queréis el número de serie?" (serial_asked.go)
		serialLookupRule,      // "cant u just look it up from my number?", before a refusal beside it (serial_asked.go)
		serialUnreachableRule, // "el router está en el cuarto de mi hijo y está cerrado" (serial_asked.go)
		serialWithheldRule,    // "no pienso daros nada, reinicialo y punto" (serial_asked.go)
		{"serial_where", either(has(intents.ActWhereSerial), intentIs(intents.Help)), serialWhere}, // (serial_asked.go)
		{"serial_cancelled", has(intents.ActCancel), cancelQuestion},
		serialFoundRule, // "ok found it", "ya la encontré", "achei" (serial_asked.go)
		{"serial_looking", func(t *turn) bool {
			// "let me check", "a ver deja ver bien", "deixa eu ver aqui": looking for the
			// label; time, and where to type it, not the question again.
			return t.r.NotYet && len(t.r.Serials) == 0 && !asks(t) && !t.r.Has(intents.ActAskPerson) && !t.r.Has(intents.ActWhereSerial)
		}, func(t *turn) []Action { return []Action{say(t.text(msgSerialTakeYourTime))} }},
		{"serial_question_kept", onlyPleasantries, func(t *turn) []Action { return welcomed(t, []Action{say(t.text(msgAskSerial))}) }},
		{"serial_bad", func(t *turn) bool {
			// A customer describing the router ("the white one") is still answering; a
			// goodbye, thanks or anger leave the question to the common rules.
			return !t.r.Has(intents.ActGoodbye) && !t.r.Has(intents.ActFrustration)
		}, func(t *turn) []Action {
			t.c.BadAnswers++
			if t.c.BadAnswers >= maxBadSerials {
				t.c.BadAnswers = 0
				return []Action{t.b.offerAgent(t.c)}
			}
			if t.c.LastRule == "serial_bad" { // never the same sentence twice in a row
				return []Action{say(t.text(msgBadSerialAgain))}
			}
			return []Action{say(t.text(msgBadSerial))}
		}},
	},
	StateConfirmUpdate: {
		// "xi acho q errei" after the serial they typed: that serial is dropped and asked for
		// again, never the wrong one confirmed.
		// "tengo otro router en el living, ese también se puede?", "aqui em casa tem dois
		// roteadores... o do quarto é ZX-9900-AB12": another router besides, not a
		// correction; one at a time, the order said, the other offered after.
		{"confirm_second_router", secondRouterNamed, func(t *turn) []Action { return t.b.secondRouter(t) }},
		{"confirm_serial_typed_wrong", serialTypedWrong, askSerialAgain},
		{"confirm_other_router", func(t *turn) bool {
			_, ok := otherSerial(t.r.Serials, t.c.RouterID)
			return ok || t.r.Has(intents.ActWrongRouter)
		}, func(t *turn) []Action { return t.b.otherRouter(t) }},
		confirmCaptionRule,      // a photo captioned "asi estan las lucecitas del router" (media.go)
		confirmOutageAskedRule,  // "¿hay algún corte en mi zona?" (outage_confirm.go)
		confirmOutageUntoldRule, // "ya dale nomas" with an outage on, not told (outage_confirm.go)
		confirmMaybeRule,        // "talvez", "mmm de pronto" (undecided.go)
		{"confirm_not_yet_asked", func(t *turn) bool {
			// "actually hang on, my husband is on a work call, will it cut him off?": the
			// question answered (what the update cuts, and for how long), and the wait.
			return putsOff(t) && !t.r.Has(intents.ActDeclineUpdate) && t.r.Question && t.c.LastRule != "confirm_not_yet_asked"
		}, func(t *turn) []Action { return []Action{say(t.text(msgUpdateLaterMeaning))} }},
		{"confirm_not_yet_again", func(t *turn) bool {
			// "ok then not now please" right after "I'll wait": not the same sentence again;
			// to a third in a row ("I'll message back later"), nothing: it was said.
			return putsOff(t) && !t.r.Has(intents.ActDeclineUpdate) && (t.c.putOffBefore() || t.c.LastRule == "confirm_not_yet_again")
		}, func(t *turn) []Action {
			if t.c.LastRule == "confirm_not_yet_again" {
				return nil
			}
			return []Action{say(t.text(msgUpdateLaterAgain))}
		}},
		{"confirm_not_yet", func(t *turn) bool {
			// "actually no hang on, my son is on a call", "nah not rn, maybe tmrw": not a
			// refusal; the question stays open for the go-ahead.
			return putsOff(t) && !t.r.Has(intents.ActDeclineUpdate)
		}, func(t *turn) []Action { return []Action{say(t.text(msgUpdateLater))} }},
		{"confirm_safe_asked", func(t *turn) bool {
			// "is it safe? will it delete anything?" before saying yes: what the update is and
			// leaves alone, and the question again.
			return t.r.AsksUpdateSafe && !t.r.Has(intents.ActDeclineUpdate) && !t.r.Has(intents.ActCancel) && !t.r.Has(intents.ActSettingsQuestion)
		}, func(t *turn) []Action { return []Action{say(t.text(msgUpdateSafe)), t.b.confirmMenu(t.c)} }},
		{"confirm_yes", either(saysYes, func(t *turn) bool {
			// "atualiza aí então", "ok update it then": the update asked for again is the yes;
			// "Não quero operador para já. Quero que actualize o router" too, its no the
			// operator's and its update a part's
			return (t.r.Intent == intents.UpdateRouter || t.r.NamesUpdate && slices.ContainsFunc(t.r.Parts, func(p intents.Scored) bool {
				return p.Intent == intents.UpdateRouter
			})) && !t.r.Question && !saysNo(t) &&
				!t.r.Has(intents.ActCancel) && !t.r.Has(intents.ActDeclineUpdate) && len(t.r.Serials) == 0
		}), func(t *turn) []Action {
			// "sí, otra cosa: me voy a cambiar de casa, qué hago con el servicio?": the yes
			// starts the update, and the question beside it is answered, not dropped.
			name, also := t.alsoAsked(false), t.b.alsoTopic(t)
			if also != "" && t.b.catalog().Topics()[name].Agent != TopicNone {
				also = joinText(also, t.text(msgAgentAfterUpdate))
				t.c.promiseAgentAfter(name) // before the attempt starts, which keeps it
			}
			acts := t.b.startUpdate(t.c, t.now)
			if also == "" {
				return acts
			}
			return append([]Action{say(also)}, acts...)
		}},
		{"confirm_update_insisted", func(t *turn) bool {
			// "no no, lo de la mudanza ya lo miro otro día. lo que quiero es que actualicéis
			// el router": a no beside words that ask for the update is no plain no; not
			// taken for a yes either (a "no" is in it): asked once more.
			return saysNo(t) && !t.r.Tapped && t.r.NamesUpdate && !t.r.Has(intents.ActCancel) && !t.r.Has(intents.ActDeclineUpdate)
		}, func(t *turn) []Action { return []Action{t.b.confirmMenu(t.c)} }},
		{"confirm_update_asked", func(t *turn) bool {
			// "eu pedi pra atualizar de novo, não pra falar com atendente", "I asked you to
			// update it, not to talk to an agent" at its confirmation: the update asked for
			// outright is the yes to it, the person named the one not wanted; never "didn't
			// understand" with the question again. A question about it asks.
			return updateAskedOutright(t) && !t.r.Question && !saysNo(t) && t.r.Acts.Without(intents.ActChangeOfMind).Without(intents.ActFrustration).Without(intents.ActPolite) == 0
		}, func(t *turn) []Action { return t.b.startUpdate(t.c, t.now) }},
		{"confirm_no_agent_asked", func(t *turn) bool {
			// "no sorry not the update, just the agent thing for the cancellation": the
			// update refused and a person asked for in one breath; both are done.
			return (saysNo(t) || t.r.Has(intents.ActCancel) || t.r.Has(intents.ActDeclineUpdate)) && t.r.NamesAgent && !t.r.Tapped
		}, func(t *turn) []Action {
			reason := ReasonIntent
			if t.c.Topic != "" && slices.Contains(t.c.Raised, t.c.Topic) {
				reason = ReasonTopic // the agent for what was asked before ("the cancellation")
			}
			t.c.LastIntent = "" // the update refused is no request of theirs
			return append([]Action{say(t.text(msgUpdateDeclined))}, t.b.requestHandoff(t.ctx, t.c, reason, t.now)...)
		}},
		{"confirm_no", either(saysNo, has(intents.ActCancel), has(intents.ActDeclineUpdate)), func(t *turn) []Action {
			t.c.closeQuestion()
			if _, ok := t.b.catalog().Topics()[t.r.Intent]; ok && clearRequest(t) && !t.r.Tapped {
				// "no, how much is my bill?", "now about the bill": the update left as it is,
				// and the bill answered, not the menu over it
				return append([]Action{say(t.text(msgUpdateDeclined))}, t.b.answerTopic(t, t.r.Intent)...)
			}
			if t.c.AgentAfter != "" {
				// the agent promised for the other question after the update: now, as
				// there is no update
				topic := t.c.AgentAfter
				t.c.AgentAfter = ""
				return []Action{say(t.text(msgUpdateDeclined)), t.b.agentAfterOffer(t.c, topic, "")}
			}
			acts := []Action{say(t.text(msgUpdateDeclined)), t.b.mainMenu(t.c)}
			t.c.Proposed = valYes // "mmm, mejor sí": a yes now takes it back, and starts it
			return acts
		}},
		{"confirm_same_router", func(t *turn) bool {
			// the serial of the router asked about, typed back ("zx9900ab12"): that one, yes;
			// the question stays open
			return len(t.r.Serials) > 0 && !slices.ContainsFunc(t.r.Serials, func(s string) bool { return !sameSerial(s, t.c.RouterID) })
		}, func(t *turn) []Action {
			return []Action{say(t.textf(msgSameRouter, "router", t.c.RouterID)), t.b.confirmMenu(t.c)}
		}},
		{"confirm_asked_done", func(t *turn) bool {
			// "¿ya terminó? ¿tengo que hacer algo?" at a confirmation asked right after an
			// update that worked (an old "Update my router" tapped): that one is done, and
			// nothing is left to do; not "tap Yes" for another.
			u := t.c.Update
			return (t.r.Has(intents.ActStatusQuestion) || t.r.Intent == intents.UpdateStatus) && !t.r.Has(intents.ActHowLong) &&
				t.c.updatedRecently(t.now) && !u.current().Restart
		}, func(t *turn) []Action {
			t.c.closeQuestion()
			return []Action{say(t.text(msgUpdateDoneNothingToDo))}
		}},
		confirmNothingYetRule, // "y ahora? anda o no anda??", "que paso?" before the yes (pending.go)
		{"confirm_asked_again", func(t *turn) bool {
			// "?", then "e agora?": what the update means was just said; what to tap, in short.
			return asksAtConfirm(t) && t.c.LastRule == "confirm_asked"
		}, func(t *turn) []Action { return []Action{t.b.confirmTapYes(t.c)} }},
		{"confirm_topic_returned", func(t *turn) bool {
			// "e a conta?" after a first message that asked about the bill too: the bill,
			// which the classifier leans to, or words that point back to it; not a question
			// about the update. The confirmation stays open.
			name := t.c.raisedBefore(t.r)
			tp, ok := t.b.catalog().Topics()[name]
			return ok && tp.Agent != TopicHandoff && (t.r.Intent == name || t.r.RefersBack) && !t.r.Tapped &&
				len(t.r.Serials) == 0 && !saysYes(t) && !saysNo(t) && !t.r.Has(intents.ActCancel) && !t.r.Has(intents.ActDeclineUpdate) &&
				!t.r.Has(intents.ActStatusQuestion) && !t.r.Has(intents.ActGoodbye)
		}, func(t *turn) []Action { return welcomed(t, answerSideTopicNamed(t, t.c.raisedBefore(t.r))) }},
		{"confirm_asked", func(t *turn) bool {
			// "will my internet go off? I'm on a call in 10 min", "how much longer?", "¿y ahora
			// qué?" before saying yes: what the update means, and the question again (the
			// customer may say later).
			return asksAtConfirm(t)
		}, func(t *turn) []Action { return []Action{say(t.text(msgConfirmMeaning)), t.b.confirmMenu(t.c)} }},
		// "¿cuánto pago al mes?" before saying yes: the answer, and the confirmation again in
		// short (the agent the answer offers as a third button); a later "sí" is the yes.
		{"confirm_side_topic", sideTopic, func(t *turn) []Action { return welcomed(t, answerSideTopic(t)) }},
		{"confirm_agent", chose(valAgent), func(t *turn) []Action {
			return t.b.requestHandoff(t.ctx, t.c, ReasonTopic, t.now) // the button the side topic's answer offered
		}},
		{"confirm_goodbye", has(intents.ActGoodbye), func(t *turn) []Action {
			// "gracias, hasta luego" before saying yes: plainly, the router was not updated.
			t.c.closeQuestion()
			if t.c.Waiting || t.c.updatedRecently(t.now) { // updated already: another one was not asked for
				return t.bye()
			}
			return t.b.closing(t.c, msgByeNotUpdated)
		}},
		{"confirm_thanked", func(t *turn) bool {
			// "obrigado, gracias jaja" before saying yes: the thanks taken, and the question
			// still open, said again; never "anything else?" with the router not updated.
			rest := t.r.Acts.Without(intents.ActThanks).Without(intents.ActPolite).Without(intents.ActAcknowledge).Without(intents.ActLaugh)
			// "Muchas gracias, ha sido usted muy amable": longer, and thanks all the same
			return t.r.Has(intents.ActThanks) && rest == 0 && !asks(t) && (t.r.Words <= 4 || t.r.Intent == intents.Thanks) && len(t.r.Serials) == 0
		}, func(t *turn) []Action {
			// Shorter than the first time, and plain that nothing started yet.
			m := t.b.confirmMenu(t.c)
			m.Text = t.text(msgNotStartedYet) + " " + t.textf(pick(t.b.RestartOnly, msgConfirmRestartAgain, msgConfirmUpdateAgain), "router", t.c.RouterID)
			return welcomed(t, []Action{m})
		}},
	},
	StateUpdateFailed: {
		failedAgainAskedRule, // "otra vez???" in disbelief: not a retry (failed_again.go)
		failedDisbeliefRule,  // "you're kidding" alone: sorry, and the same choice (failed_again.go)
		failedIfAgainRule,    // "what if it fails again?", a question, not the retry its "again" sounds like (failure_aftermath.go)
		{"failed_retry", either(chose(valRetry), has(intents.ActRetry)), func(t *turn) []Action { return t.b.retryUpdate(t.c, t.now) }},
		{"failed_agent", chose(valAgent), func(t *turn) []Action {
			return t.b.requestHandoff(t.ctx, t.c, ReasonRouterFailure, t.now)
		}},
		failedYesRule,             // "sí" alone: which one, asked (failed_again.go)
		refusedLookOtherRule,      // "ok let me check the black one" after the serial was refused (serial_refused.go)
		refusedSerialDisownedRule, // "ah no pere, ese es el de mi mamá" of the serial just refused (serial_refused.go)
		failureAftermathRule,      // "lo desenchufo o no lo toco?", "did i lose my settings?" (failure_aftermath.go)
		failedExplainedRule,       // "eu nao entendi nada o que foi que aconteceu" (failure_aftermath.go)
		{"failed_cancelled", either(chose(valCancel), has(intents.ActCancel), saysNo), cancelQuestion},
		{"failed_why_asked", func(t *turn) bool {
			// "pq deu erro", "porque dio error", "why did it fail": the failure's cause, short,
			// whatever the classifier makes of "erro" (a bill's error); never the billing team.
			return t.r.AsksWhy && t.r.NamesFailure && t.r.Words <= 4 && t.c.lastFailed() && !t.r.Has(intents.ActAskPerson) &&
				!t.r.NamesAgent && !t.r.Has(intents.ActRetry) && !t.r.Has(intents.ActCancel) && len(t.r.Serials) == 0
		}, func(t *turn) []Action {
			if t.r.Has(intents.ActMyFault) {
				return leadWith(t.text(msgFailedNotYourFault), t.b.failureWhy(t.c, t.r.NamesInternet, true))
			}
			if acts := t.b.failedExactlyAsked(t); acts != nil { // "o que deu errado?"
				return acts
			}
			return t.b.failureWhy(t.c, t.r.NamesInternet, true)
		}},
		{"failed_status", either(has(intents.ActStatusQuestion), intentIs(intents.UpdateStatus), func(t *turn) bool {
			// "why?", "qué pasó?", "e agora?", "¿y entonces?", "ok??": what failed, in plain
			// words. An opening "y", "ok" or "so" asks all the same: no acknowledgement.
			rest := t.r.Acts.Without(intents.ActAffirm).Without(intents.ActAcknowledge).Without(intents.ActPolite).Without(intents.ActGreeting).Without(intents.ActMyFault)
			if t.r.Words <= 3 && strings.Contains(t.r.Text, "?") {
				// "¿y entonces??", "e aí??": impatient, and asking ("que absurdo" only is angry)
				rest = rest.Without(intents.ActFrustration)
			}
			return t.r.Question && rest == 0 && t.r.Words <= 8 && (t.r.Intent == intents.OutOfScope || t.r.Intent == intents.Help)
		}), func(t *turn) []Action {
			if t.r.Has(intents.ActMyFault) { // "was it something I did?": no, then what failed
				return leadWith(t.text(msgFailedNotYourFault), t.b.failureWhy(t.c, t.r.NamesInternet, true))
			}
			if acts := t.b.failedExactlyAsked(t); acts != nil { // "que es lo que ha fallado exactamente"
				return acts
			}
			return t.b.failureWhy(t.c, t.r.NamesInternet, t.r.AsksWhy)
		}},
		failedInternetAskedRule, // "y ahora anda el internet?", heard as the trouble (failed_again.go)
		notYoursInsistedRule,    // "mas é esse mesmo, tá na etiqueta" (other_router.go)
		failedSerialTypedRule,   // "oh wait wrong one, thats my old router. its ZX-4410-QP77" (serial_refused.go)
		notFoundInsistedRule,    // "é esse mesmo que ta na etiqueta oxe", of a serial not found (serial_refused.go)
		{"failed_what_now", func(t *turn) bool {
			// "y ahora que hago", "so what do I do now?": the failure's options in words, with
			// its buttons; never "didn't understand" for the question a failure most raises.
			// Upset ("what do I do now?? I have no internet at all 😭"), the same after a
			// sorry: the step to take is what they asked, and the agent is one of its buttons.
			return t.r.AsksWhatNow && !t.r.Has(intents.ActAskPerson) && !t.r.NamesAgent && len(t.r.Serials) == 0 &&
				(!asks(t) || t.r.Intent == intents.UpdateStatus) && t.c.lastFailed() && t.c.Menu != nil
		}, func(t *turn) []Action {
			if t.r.Has(intents.ActFrustration) || t.r.Has(intents.ActConnectionComplaint) {
				// "I have no internet at all": what the failure left it in, and the step
				acts := t.b.failureWhy(t.c, true, false)
				if t.r.Has(intents.ActFrustration) {
					acts = leadWith(t.text(msgSorryTopic), acts)
				}
				return acts
			}
			return []Action{t.b.failureHint(t.c, "")}
		}},
		{"failed_acknowledged", func(t *turn) bool {
			// "oka", "vale" at the failure's question: nothing is chosen; the question stays
			// open, put again once with its buttons, and to more of them nothing. Never "I'm here if you need anything else", as if all were well.
			return onlyPleasantries(t) && !t.r.Has(intents.ActGreeting) && !t.r.Has(intents.ActThanks) && t.c.lastFailed() && t.c.Menu != nil
		}, func(t *turn) []Action {
			if t.c.LastRule == "failed_acknowledged" {
				return nil
			}
			// the choices again with their buttons: a "tap below" with none under it is lost
			if slices.ContainsFunc(t.c.Menu.Items, func(it Item) bool { return it.Value == valRetry }) {
				return []Action{menu(t.text(msgFailedAckRetry), t.c.Menu.Items)}
			}
			return []Action{menu(t.text(msgFailedAckAgent), t.c.Menu.Items)}
		}},
	},
	StateOfferAgent: {
		refusedLookOtherRule,      // "ok let me check the black one" after the serial was refused (serial_refused.go)
		refusedSerialDisownedRule, // "ah no pera, é o da minha mãe" to the agent offered after the serial was refused (serial_refused.go)
		topicCorrectedRule,        // "no wait, it's the bill not the wifi" to the agent offered for the Wi-Fi (corrections.go)
		failureAftermathRule,      // "meu roteador estragou? perdi alguma coisa?" to an agent offered after a failure (failure_aftermath.go)
		failedWhatNowOfferedRule,  // "so what now" to it (failure_aftermath.go)
		offerAgentMaybeRule,       // "maybe", "talvez" to the agent offered (undecided.go)
		{"offer_agent_serial_not_on_record", func(t *turn) bool {
			// The serial of the customer's new router, typed after "I can only update the
			// router registered to your account": taken, and still that router only.
			_, ok := otherSerial(t.r.Serials, t.b.contactRouter(t.c))
			return ok && t.c.HandoffReason == ReasonNotOnRecord && t.b.contactRouter(t.c) != ""
		}, func(t *turn) []Action {
			serial, _ := otherSerial(t.r.Serials, t.b.contactRouter(t.c))
			return []Action{t.b.serialNotOnRecord(t, serial)}
		}},
		{"offer_agent_comes_back", func(t *turn) bool {
			// "will this happen again?", "e se acontecer de novo amanhã?" to the agent offered
			// for trouble that goes on after the update: no promise, the agent who can check
			// the line now, the offer open; never a yes, a "not now" nor a topic read into it.
			return t.c.HandoffReason == ReasonStillTrouble && t.r.Has(intents.ActComesBack) && !t.r.Has(intents.ActAskPerson) &&
				!t.r.NamesAgent && !t.r.Tapped
		}, func(t *turn) []Action {
			m := t.b.questionAgain(t.c)
			m.Text = t.text(msgComesBackStillTrouble) + "\n\n" + m.Text
			return []Action{m}
		}},
		{"offer_agent_my_fault", func(t *turn) bool {
			// "Is it something I did wrong?" there: almost certainly not, and the agent for
			// what goes on; the offer open.
			return t.c.HandoffReason == ReasonStillTrouble && t.r.Has(intents.ActMyFault) && !t.r.Has(intents.ActAskPerson) &&
				!t.r.NamesAgent && !t.r.Tapped
		}, func(t *turn) []Action {
			m := t.b.questionAgain(t.c)
			m.Text = joinText(t.text(msgNotYourFault), t.text(msgNotYourFaultStillTrouble)) + "\n\n" + m.Text
			return []Action{m}
		}},
		{"offer_agent_not_yet", func(t *turn) bool {
			// "no espere, mejor no, que ahora está mi nieto con la computadora": not now; the
			// offer stays open for the go-ahead. "Vou ver isso então. Ah, e o roteador eu levo
			// ou devolvo?": the question beside it is answered (topic_question_asked).
			// "hmm let me check again... oh its KT-2231-XB09": the serial found is no "not
			// yet" (serial_typed takes it).
			name, q := t.askedAbout()
			return putsOff(t) && !t.r.Has(intents.ActAskPerson) && (name == "" || q == "") && len(t.r.Serials) == 0
		}, func(t *turn) []Action { return []Action{say(t.text(msgAgentLater))} }},
		{"offer_agent_cancel_detail", func(t *turn) bool {
			// "we're moving abroad in March" right after "cancel my contract": why and when
			// they cancel, not a move of the service; the offer stays for the cancellation.
			return t.c.HandoffReason == ReasonTopic && t.c.Topic == topicCancelService && t.r.Intent == topicMoving &&
				!t.r.Has(intents.ActAskPerson) && t.r.Choice == 0
		}, func(t *turn) []Action {
			t.c.Described, t.c.DescribedTopic = t.r.Text, t.c.Topic                                     // what the agent is told of the cancellation
			t.c.Raised = slices.DeleteFunc(t.c.Raised, func(s string) bool { return s == topicMoving }) // the cancellation's, no move
			return []Action{t.b.offerAgentMenu(t.c, t.text(msgCancelDetail), ReasonTopic)}
		}},
		{"offer_agent_question_answered", func(t *turn) bool {
			// "Also what are your opening hours? I'd rather speak to someone on the
			// telephone": a question a topic answers in full (the contact), answered; the
			// offer stays open, and no "someone" in it takes it.
			tp, ok := t.b.catalog().Topics()[t.r.Intent]
			return ok && tp.Agent == TopicNone && t.r.Question && clearRequest(t) && !t.r.Tapped && t.r.Intent != t.c.Topic
		}, func(t *turn) []Action {
			text := t.b.fillHours(t, t.b.topicReply(t, t.r.Intent))
			return []Action{say(text), t.b.questionAgain(t.c)}
		}},
		{"offer_agent_update_taken", func(t *turn) bool {
			// "yes do it" to "an update often fixes this, and I can do it right now. Or I can
			// put you through to an agent": the "it" the bot can do now, the update; a yes that
			// names a person is the agent's.
			// (The reader takes a typed yes here for the agent's button: not a tap.)
			return t.c.Proposed == valUpdateRouter && !t.r.Tapped && saysYes(t) && !t.r.Has(intents.ActAskPerson) && !t.r.NamesAgent &&
				slices.ContainsFunc(t.c.Menu.Items, func(it Item) bool { return it.Value == valUpdateRouter })
		}, takeUpdateOffer},
		{"offer_agent_update_named", func(t *turn) bool {
			// "sim, pode atualizar, digo, sí, actualízalo" to an agent offered for a topic: a
			// yes that names the update is its consent (takeUpdateOffer), not a question
			// about it to confirm again.
			// The yes is the words' own: "ok whatever. also ... can you fix the router" asks.
			return t.c.HandoffReason == ReasonTopic && t.r.Has(intents.ActAffirm) && !t.r.OnlyLearned(intents.ActAffirm) && !t.r.Tapped && !t.r.Has(intents.ActAskPerson) &&
				!t.r.NamesAgent && !t.r.Has(intents.ActDeclineUpdate) && !t.r.Has(intents.ActCancel) && len(t.r.Serials) == 0 &&
				namedYesStarts(t)
		}, takeUpdateOffer},
		{"offer_agent_router_asked", func(t *turn) bool {
			// "ok whatever. also my internet has been super slow, can you fix the router" to an
			// agent offered for the bill: the router, which the bot does itself, first; never
			// the "ok" taken for the bill's agent. The topic stays raised for after.
			return t.c.HandoffReason == ReasonTopic && (t.r.NamesUpdate || t.r.Intent == intents.UpdateRouter && clearRequest(t)) &&
				!t.r.Tapped && !t.r.Has(intents.ActAskPerson) && !t.r.NamesAgent && !t.r.Has(intents.ActDeclineUpdate) &&
				!t.r.Has(intents.ActCancel) && len(t.r.Serials) == 0 && !(t.c.Update != nil && t.c.Update.Active)
		}, func(t *turn) []Action {
			if t.b.retriesSpent(t.c) {
				// "da pra tentar atualizar dnv pelo menos?" after the tries are spent: why
				// not, and the agent; no "the router first" that cannot follow
				return t.b.askUpdate(t.c)
			}
			if t.r.Has(intents.ActThanks) || t.r.Has(intents.ActAcknowledge) {
				// "ok gracias. otra cosa, el internet anda lento...": the other question
				// closed by the customer; no "you can still ask for an agent about it"
				return askUpdateSorry(t)
			}
			t.c.promiseAgentAfter(t.c.Topic) // kept when the update is done (agentAfterDone)
			return askUpdateSorryAfter(t, msgRouterFirst)
		}},
		{"offer_agent_trouble_told", func(t *turn) bool {
			// "ok thanks. also my internet has been slow since yesterday" to an agent offered
			// for the bill: a new trouble, which the update often fixes now; never the "ok"
			// taken for the bill's agent. (After an update, or one that failed, the trouble's
			// own answers offer the agent: connection_complaint.)
			// Fed up with it ("the speed has been rubbish lately"), it is the frustration's.
			return t.c.HandoffReason == ReasonTopic && t.r.Has(intents.ActConnectionComplaint) && !t.r.Has(intents.ActFrustration) && !t.r.Tapped &&
				!t.r.Has(intents.ActAskPerson) && !t.r.NamesAgent && t.c.Topic != "outage" && t.c.Topic != topicTechnician &&
				!(t.c.Update != nil && t.c.Update.Active) && !t.c.updatedRecently(t.now) && !t.c.lastFailed() && !t.b.retriesSpent(t.c) &&
				!t.c.Waiting && !slices.Contains(t.r.Asks, questionDevices) && !slices.Contains(t.r.Asks, questionWifiGone) // "15 devices, is that why net is slow?": devices_asked
		}, func(t *turn) []Action {
			t.c.closeQuestion()
			m := t.b.mainMenu(t.c)
			t.c.Proposed = valUpdateRouter // a yes now takes the offer
			return []Action{say(t.text(msgConnectionTrouble)), m}
		}},
		{"offer_agent_pleaded", func(t *turn) bool {
			// 🙏 alone to an agent offered, a topic's too ("I can put you through to our
			// billing team"): the "please" that takes it, never "You're welcome!"
			return t.r.Words == 0 && t.r.Has(intents.ActPolite) &&
				t.r.Acts.Without(intents.ActThanks).Without(intents.ActAffirm).Only(intents.ActPolite)
		}, func(t *turn) []Action {
			reason := t.c.HandoffReason
			if reason == "" {
				reason = ReasonMisunderstood
			}
			return t.b.requestHandoff(t.ctx, t.c, reason, t.now)
		}},
		serialTypedRule,                // "ok what about XX-0000-ZZ00, that's on the other box": the serial, not an ok to the offer (router_asked.go)
		notYoursInsistedAgainRule,      // "te digo que es mío, lo pago todos los meses", once more (serial_refused.go)
		offerAgentUpdateAskedRule,      // "bora atualizar o roteador" to an agent offered for anger (update_asked.go)
		offerAgentUpdateAgainAskedRule, // "actualizalo otra vez porfa" where "Update it again" is a button (update_asked.go)
		{"offer_agent_retry_instead", func(t *turn) bool {
			// "não, tenta mais uma vez" to "shall I put you through to an agent?" after a
			// failed update: the no is the agent's, the try asked for is the answer (within
			// the budget; spent, it says so); never the bare menu.
			// (The reader takes the typed yes of "I said GO AGAIN" for the agent's button: the
			// try named beside it is what it says yes to; the button tapped is the agent's.)
			return t.r.Has(intents.ActRetry) && t.c.lastFailed() && !t.r.Has(intents.ActAskPerson) && !t.r.NamesAgent &&
				!t.r.Has(intents.ActCancel) && !(t.r.Tapped && t.choice() == valAgent)
		}, func(t *turn) []Action { return t.b.retryUpdate(t.c, t.now) }},
		{"offer_agent_taken", either(chose(valAgent), func(t *turn) bool {
			// "ok" to a topic's answer ("an agent can guide you") acknowledges the answer;
			// to "shall I put you through?" it is the yes. A yes beside a request of
			// another kind ("vale. otra cosa, el router va fatal, podéis actualizarlo?")
			// leaves the offer for the request. Nor is "ok gracias" a yes from a customer who
			// left the line themselves and is told the way back in: that acknowledges it.
			return saysYes(t) && (t.c.HandoffReason != ReasonTopic && t.c.LastRule != lineLeftAskedRule.name || t.r.Has(intents.ActAffirm)) && !asksElse(t)
		}), func(t *turn) []Action {
			reason := t.c.HandoffReason
			if reason == "" {
				reason = ReasonMisunderstood
			}
			return t.b.requestHandoff(t.ctx, t.c, reason, t.now)
		}},
		offerAgentItselfRule, // "não quero falar com ninguém, quero que vc mude" (cannot_do.go)
		{"offer_agent_declined_bye", func(t *turn) bool {
			// "não, era isso", "no, that's all": the offer declined and the customer done;
			// a goodbye, not the menu.
			return (chose(valContinue)(t) || saysNo(t)) && t.r.Has(intents.ActGoodbye) && !asks(t) &&
				!t.r.Has(intents.ActConnectionComplaint)
		}, func(t *turn) []Action {
			t.c.closeQuestion()
			return t.bye()
		}},
		// "no, ya no quiero nada, den de baja la línea": a no with a request is the request.
		// "gracias mi amor. y otra cosa el internet esta lentisimo no carga ni el yutub": the
		// "no" is the trouble's, not the offer's (connection_complaint answers it).
		{"offer_agent_refused_in_words", func(t *turn) bool {
			// "no no quiero hablar con nadie, ya estuve una hora al teléfono la otra vez" at a
			// topic's agent offer: no agent, and no menu offering one again; that one is here,
			// in this chat, if they change their mind. A bare "no" is the "Keep chatting" tap.
			return t.c.HandoffReason == ReasonTopic && !t.r.Tapped && saysNo(t) && !asks(t) &&
				t.r.Words > maxTopicNameWords && !t.r.Has(intents.ActConnectionComplaint)
		}, func(t *turn) []Action {
			t.c.closeQuestion()
			return []Action{say(t.text(msgAgentRefused))}
		}},
		offerAgentDeclinedResumeRule, // "Keep chatting" to an agent offered over the update's confirmation (pending.go)
		{"offer_agent_declined", declinesAgent, agentDeclined},
		// "Update it again", the second choice after trouble following an update.
		{"offer_agent_update_again", chose(valUpdateRouter), func(t *turn) []Action { return t.b.askUpdate(t.c) }},
		offerAgentSerialWhereRule, // "onde eu acho esse número?" at "the label can be hard to find" (router_asked.go)
		offerAgentSerialWhyRule,   // "pq precisa disso?" at the agent offered for want of the serial (router_asked.go)
		noOutageKnownRule,         // "y no será cosa de la zona?" at it, where the Outage API knows of none
		{"offer_agent_same_trouble", func(t *turn) bool {
			// "o mesmo de antes" to trouble after an update: understood, and the same offer.
			return t.r.Has(intents.ActConnectionComplaint) && t.c.HandoffReason == ReasonStillTrouble
		}, func(t *turn) []Action {
			m := t.b.questionAgain(t.c)
			m.Text = t.text(msgStillTroubleNoted) + "\n\n" + m.Text
			return []Action{m}
		}},
		offerAgentCancelServiceRule, // "just cancel it" to the agent offered for a cancellation (cannot_do.go)
		offerAgentRemarkRule,        // "😴" to it while the update runs (meanwhile.go)
	},
	StateOfferWait: {
		{"offer_wait_update_taken", func(t *turn) bool {
			// "Update my router", or a yes, once the trouble told at the wait offer had the
			// update offered first (offer_wait_trouble): the update, confirmed first.
			return t.choice() == valUpdateRouter ||
				t.c.Proposed == valUpdateRouter && saysYes(t) && t.choice() != valWait && !t.r.Has(intents.ActAskPerson) && !t.r.NamesAgent
		}, func(t *turn) []Action { return t.b.askUpdate(t.c) }},
		{"offer_wait_trouble_more", func(t *turn) bool {
			// "no sé, es como que se conecta y se desconecta" right after the trouble was
			// answered at the wait offer: more detail of the same trouble, taken in and the
			// same choice put in fewer words, never the same message word for word.
			return t.c.LastRule == "offer_wait_trouble" && offerWaitTrouble(t)
		}, func(t *turn) []Action { return updateOrWait(t, msgOfferWaitTroubleMore, msgOfferWaitTroubleMoreUntil) }},
		{"offer_wait_trouble", offerWaitTrouble, func(t *turn) []Action {
			return updateOrWait(t, msgOfferWaitTrouble, msgOfferWaitTroubleUntil)
		}},
		{"offer_wait_annoyed", func(t *turn) bool {
			// "como assim só às 9?? eu trabalho cedo" at "wait for the agents or keep
			// chatting?": sorry, when they are back, and the same choice; never a transfer
			// just said not to be there.
			return t.r.Has(intents.ActFrustration) && t.r.Choice == 0 && !t.r.Has(intents.ActAskPerson) && !t.r.NamesAgent &&
				!t.r.Has(intents.ActCancel) && !t.r.Has(intents.ActConnectionComplaint)
		}, func(t *turn) []Action {
			m := t.b.questionAgain(t.c)
			m.Text = t.text(msgSorryWaitAgents) + " " + t.b.inLineText(t.ctx, t.c, t.now, msgOfferWaitSoon, msgOfferWaitUntil) + "\n\n" + m.Text
			return []Action{m}
		}},
		// "ok" to "wait or keep chatting?" picks neither: the question is asked again.
		{"offer_wait_taken", either(chose(valWait), has(intents.ActAffirm)), func(t *turn) []Action { return t.b.startIntake(t.c, true, t.now) }},
		{"offer_wait_declined", either(chose(valContinue), saysNo), keepChatting},
		{"offer_wait_question_answered", func(t *turn) bool {
			// "ah caray y a que hora abren mañana": a question a topic answers in full (the
			// hours), answered; the choice stays open and is asked again in words, so the
			// customer does not believe she is in line when she is not.
			tp, ok := t.b.catalog().Topics()[t.r.Intent]
			return ok && tp.Agent == TopicNone && clearRequest(t) && !t.r.Tapped
		}, func(t *turn) []Action {
			text := t.b.fillHours(t, t.b.topicReply(t, t.r.Intent))
			again := t.b.inLineText(t.ctx, t.c, t.now, msgWaitAsk, msgWaitAskUntil)
			return []Action{say(text), menu(again, t.b.questionAgain(t.c).Items)}
		}},
		{"offer_wait_thanked", offerWaitLeaving, func(t *turn) []Action {
			// "bueno ps gracias", "Thank you very much for your assistance." to "wait or keep
			// chatting?": thanks, and no choice yet. It may end the chat, so it is said
			// plainly that no agent will write until they choose to wait, and how; not
			// "Anything else?" that lets an older customer leave believing staff will call.
			text := t.textf(msgWaitNotYet, "wait", t.text(btnWait))
			if av := t.b.availability(t.ctx, t.c, t.now); !av.Open && !av.NextOpening.IsZero() {
				text = t.textf(msgWaitNotYetUntil, "wait", t.text(btnWait), "when", t.b.whenText(t.b.voice(t.c), av.NextOpening, t.now))
			}
			return welcomed(t, []Action{menu(text, t.b.questionAgain(t.c).Items)})
		}},
		{"offer_wait_detail", func(t *turn) bool {
			return !t.r.Question && (agentMatter(t) != "" || t.r.Intent == intents.OutOfScope && statesMore(t))
		}, func(t *turn) []Action {
			// "Shifting connection to new flat on 15th" at "wait or keep chatting?": what it is
			// about, kept for the agent (the intake takes it), and the choice asked again.
			t.c.Described, t.c.DescribedTopic = t.r.Text, agentMatter(t)
			t.c.raise(t.c.DescribedTopic)
			again := t.b.inLineText(t.ctx, t.c, t.now, msgWaitAsk, msgWaitAskUntil)
			return []Action{menu(joinText(t.text(msgWaitDetailNoted), again), t.b.questionAgain(t.c).Items)}
		}},
	},
	StateIntake: {
		{"intake_update_instead", func(t *turn) bool {
			// "mejor quiero actualizar el router", "no no, lo que quiero es que actualicéis
			// el router", "ah não, deixa pra lá. vc mesmo consegue reiniciar meu roteador?":
			// a turn back from the agent to the update, which the bot does itself; the
			// classifier may hear only the turn back (a cancel), the words name the update.
			back := t.r.Has(intents.ActChangeOfMind) || t.r.Has(intents.ActCancel) || t.r.Intent == intents.Cancel
			return back && (t.r.Intent == intents.UpdateRouter || t.r.NamesUpdate) && t.r.Intent != intents.HumanAgent &&
				!t.r.Has(intents.ActDeclineUpdate)
		}, func(t *turn) []Action {
			t.b.callOffHandoff(t.c)
			return leadWith(t.text(msgHandoffCalledOff), t.b.askUpdate(t.c))
		}},
		{"intake_topic_instead", func(t *turn) bool {
			// "no espere mejor no, primero dígame cuánto debo de la factura" at "describe the
			// problem": the handoff taken back, and a question asked instead; it is answered
			// (an agent offered where the topic has one), never filed as the problem with
			// the handoff going on.
			_, topic := t.b.catalog().Topics()[t.r.Intent]
			return (t.r.Has(intents.ActChangeOfMind) || t.r.Has(intents.ActCancel)) && topic && clearRequest(t) && !t.r.Tapped &&
				!t.r.Has(intents.ActAskPerson) && !t.r.NamesAgent
		}, func(t *turn) []Action {
			t.b.callOffHandoff(t.c)
			return leadWith(t.text(msgIntakeTopicInstead), t.b.answerTopic(t, t.r.Intent))
		}},
		{"intake_update_asked", func(t *turn) bool {
			// "ah pera, antes disso da pra vc mesmo reiniciar o aparelho?": the update asked
			// for, as a question, at the intake: no description of the problem but the bot
			// asked to do it first; the update, confirmed, and the agent still there after.
			return t.r.Question && (t.r.Intent == intents.UpdateRouter || t.r.NamesUpdate) && !t.r.Has(intents.ActAskPerson) &&
				!t.r.NamesAgent && !t.r.Has(intents.ActConnectionComplaint) && !t.r.Has(intents.ActDeclineUpdate) && !t.r.Has(intents.ActCancel) &&
				len(t.r.Serials) == 0 && !(t.c.Update != nil && t.c.Update.Active) && !t.b.retriesSpent(t.c)
		}, func(t *turn) []Action {
			after := agentAsked // "se não resolver, você ainda pode pedir um atendente": offered again once done
			if t.c.HandoffReason == ReasonTopic && t.c.Topic != "" {
				after = t.c.Topic
			}
			t.b.callOffHandoff(t.c)
			t.c.promiseAgentAfter(after)
			return leadWith(t.text(msgUpdateBeforeAgent), t.b.askUpdate(t.c))
		}},
		intakeLineAskedRule, // "am I still in the queue?" at it: not yet, until answered or skipped (intake_line.go)
		// "mejor no, olvídalo": a clear cancel calls the handoff off; a bare no or a skip
		// only declines to describe, and the handoff goes on.
		{"intake_called_off", has(intents.ActCancel), func(t *turn) []Action {
			t.b.callOffHandoff(t.c)
			if t.r.Has(intents.ActFrustration) { // "mejor no, igual nunca resuelven nada": not curt
				return []Action{say(t.text(msgCalledOffSorry)), t.b.mainMenu(t.c)}
			}
			return []Action{say(t.text(msgCancelled)), t.b.mainMenu(t.c)}
		}},
		intakeLineLeftRule, // "me salgo de la cola" at the intake's question, no cancel heard: the handoff called off (intake_line.go)
		{"intake_skipped", either(intakeSkip, func(t *turn) bool { return t.r.Acts.Only(intents.ActDeny) }),
			func(t *turn) []Action { return t.b.onIntakeAnswer(t.c, "", true, t.now) }},
		// "Agradeço a atenção.", "ok thanks": nothing to add; the handoff goes on rather than
		// the same question again. A hello or an "ok" has not seen the question: it is asked again.
		{"intake_thanked", func(t *turn) bool { return onlyPleasantries(t) && t.r.Has(intents.ActThanks) }, func(t *turn) []Action {
			return t.b.onIntakeAnswer(t.c, "", true, t.now)
		}},
		{"intake_goodbye", func(t *turn) bool {
			// "cheers, bye" at the intake's question: leaving, not the problem; the handoff
			// goes on without it, and the agent writes here.
			rest := t.r.Acts.Without(intents.ActGoodbye).Without(intents.ActThanks).Without(intents.ActPolite).Without(intents.ActAcknowledge)
			return t.r.Has(intents.ActGoodbye) && rest == 0 && t.r.Words <= 5 && !asks(t) && len(t.r.Serials) == 0
		}, func(t *turn) []Action { return t.b.onIntakeAnswer(t.c, "", true, t.now) }},
		{"intake_asked_again", onlyPleasantries, func(t *turn) []Action { return []Action{t.b.askIntake(t.c, len(t.c.Intake))} }},
		{"intake_in_a_hurry", either(has(intents.ActAskPerson), intentIs(intents.HumanAgent)), func(t *turn) []Action {
			// "just put me through": the questions left are skipped.
			return t.b.onIntakeAnswer(t.c, "", true, t.now)
		}},
		{"intake_no_words", func(t *turn) bool {
			// "2" or "👍" to "describe the problem": no description, most likely a button of a
			// menu gone; asked once more, then the handoff goes on without one.
			i := len(t.c.Intake)
			return i < len(t.b.Handoff.Intake) && t.b.Handoff.Intake[i].Described && !strings.ContainsFunc(t.r.Text, unicode.IsLetter)
		}, func(t *turn) []Action {
			if t.c.LastRule == "intake_no_words" {
				return t.b.onIntakeAnswer(t.c, "", true, t.now)
			}
			return []Action{t.b.askIntake(t.c, len(t.c.Intake))}
		}},
		{"intake_wait_asked", func(t *turn) bool { return t.r.AsksWait && !t.r.Has(intents.ActCancel) }, intakeAside("intake_wait_asked", func(t *turn) []Action {
			// "vai demorar muito pra me atenderem?" at "describe the problem": when an agent
			// writes (the agents' next opening when they are away), and the question again.
			text := t.b.inLineText(t.ctx, t.c, t.now, msgIntakeWait, msgIntakeWaitUntil)
			return leadWith(text, []Action{t.b.askIntake(t.c, len(t.c.Intake))})
		})},
		{"intake_what_to_write", func(t *turn) bool {
			i := len(t.c.Intake)
			return t.r.AsksWhatToWrite && !t.r.WhyAsked && i < len(t.b.Handoff.Intake) && t.b.Handoff.Intake[i].Described
		}, intakeAside("intake_what_to_write", func(t *turn) []Action {
			// "What sort of thing do you need to know?" at "describe the problem": an example
			// of an answer, with the question's buttons.
			a := t.b.askIntake(t.c, len(t.c.Intake))
			a.Text = t.text(msgIntakeExample)
			return []Action{a}
		})},
		{"intake_why_asked", func(t *turn) bool { return t.r.WhyAsked }, intakeAside("intake_why_asked", func(t *turn) []Action {
			// "y eso para qué lo necesitan?": why it is asked, and the question again.
			return leadWith(t.text(msgIntakeWhy), []Action{t.b.askIntake(t.c, len(t.c.Intake))})
		})},
		{"intake_question_answered", func(t *turn) bool {
			// "peraí, antes disso: vcs atendem sábado?" at "describe the problem": a question
			// a topic answers in full (the hours), answered, and the intake's question asked
			// again; never taken for the problem, with the handoff going on unanswered.
			tp, ok := t.b.catalog().Topics()[t.r.Intent]
			return ok && tp.Agent == TopicNone && clearRequest(t) && !t.r.Tapped && !t.r.Has(intents.ActAskPerson)
		}, func(t *turn) []Action {
			text := t.b.fillHours(t, t.b.topicReply(t, t.r.Intent))
			return []Action{say(text), t.b.askIntake(t.c, len(t.c.Intake))}
		}},
		intakeOutageRule, // "Está sem internet aqui em casa desde o almoço." with an outage in the area (outage_more.go)
		{"intake_answered", func(*turn) bool { return true }, func(t *turn) []Action {
			return t.b.onIntakeAnswer(t.c, t.r.Text, false, t.now)
		}},
	},
	StateChooseRouter: chooseRouterRules,
	StateAnythingElse: {
		{"anything_else_done", either(saysNo, has(intents.ActGoodbye), func(t *turn) bool {
			return t.r.Has(intents.ActAcknowledge) || t.r.Acts.Only(intents.ActThanks)
		}), func(t *turn) []Action {
			t.c.closeQuestion()
			if t.r.Has(intents.ActGoodbye) {
				return t.bye()
			}
			return t.b.closing(t.c, msgGoodbye)
		}},
		{"anything_else_yes", func(t *turn) bool {
			return t.r.Acts.Only(intents.ActAffirm) && t.r.Intent != intents.UpdateRouter // "sim, atualiza o roteador": the request
		}, func(t *turn) []Action {
			return []Action{t.b.mainMenu(t.c)}
		}},
		{"anything_else_notify_asked", func(t *turn) bool {
			// "me avisas cuando termine?" to "anything else?" while the update runs: told
			// where it is and that each step comes here, never "didn't understand" first
			return t.c.Update != nil && t.c.Update.Active && t.r.Acts.Without(intents.ActPolite) == 0 &&
				t.b.Lexicon.Button(t.r.Text, []string{valNotify}) == valNotify
		}, func(t *turn) []Action {
			t.c.closeQuestion()
			return []Action{say(t.b.statusTellingSteps(t.c))}
		}},
	},
	StateInLine: {
		{"line_left_update_instead", func(t *turn) bool {
			// "actually never mind, cancel the agent. can you just update the router
			// instead": out of the line, and the update asked for confirmed; not the menu.
			return t.r.Has(intents.ActCancel) && (t.r.Intent == intents.UpdateRouter || t.r.NamesUpdate) &&
				!t.r.Has(intents.ActDeclineUpdate) && !(t.c.Update != nil && t.c.Update.Active)
		}, func(t *turn) []Action {
			acts := t.b.leftLine(t.c)
			return append(acts, leadWith(t.text(msgLeftLine), t.b.askUpdate(t.c))...)
		}},
		{"line_left", has(intents.ActCancel), func(t *turn) []Action { return t.b.leaveLineAsked(t.c) }},
		lineWhyAskedRule, // "why do you need that" right after the intake's answer (intake_line.go)
		lineFrustratedRule,
		{"line_asked_about", either(has(intents.ActAskPerson), intentIs(intents.HumanAgent), has(intents.ActStatusQuestion), func(t *turn) bool {
			return t.r.Question && t.r.Intent == intents.OutOfScope && t.r.Acts == 0
		}), func(t *turn) []Action { return []Action{t.b.inLine(t.ctx, t.c, t.now)} }},
		{"line_detail", has(intents.ActConnectionComplaint), func(t *turn) []Action {
			// "a luz está vermelha, já desliguei da tomada e nada": more for the agent, who
			// reads it, not a second offer of the agent they wait for; meanwhile the update,
			// where it may help.
			if t.c.updatedRecently(t.now) || t.b.retriesSpent(t.c) || t.c.lastFailed() {
				return []Action{say(t.text(msgLineNoted))}
			}
			items := []Item{{Title: t.text(btnUpdateRouter), Value: valUpdateRouter}}
			t.c.ask(StateMainMenu, items)
			t.c.Proposed = valUpdateRouter // a yes now takes the offer
			return []Action{menu(t.text(msgLineNotedUpdate), items)}
		}},
		{"line_topic_noted", func(t *turn) bool { return agentMatter(t) != "" || t.r.Intent == intents.OutOfScope && statesMore(t) }, func(t *turn) []Action {
			// "moving to new flat on 15th, need connection shifted", "new address is Flat
			// 402, Green Meadows" from a customer in line: for the agent they wait for, who
			// reads it in the note; not "an agent can help you [Talk to an agent]". To more of
			// it in a row, shorter.
			if topic := agentMatter(t); topic != "" {
				t.c.raise(topic)
			}
			added := slices.ContainsFunc(t.c.Intake, func(a Answer) bool { return a.ID == addedInLine })
			t.c.Intake = append(t.c.Intake, Answer{ID: addedInLine, Text: t.r.Text})
			if added {
				return []Action{say(t.text(msgLineNotedToo))}
			}
			return []Action{say(t.b.inLineText(t.ctx, t.c, t.now, msgLineTopicNoted, msgLineTopicNotedUntil))}
		}},
	},
	StateIdle: {
		otherRouterAskedRule, // "y el del cuarto también se puede?" right after the typed one was updated: not a question about it (other_router.go)
		{"comes_back_question", func(t *turn) bool {
			// "e se cair de novo amanhã?": the problem coming back later, not the update's
			// own drop; no promise that nothing will drop, what to do if it does.
			return t.r.Has(intents.ActComesBack) && !t.r.Has(intents.ActAskPerson)
		}, func(t *turn) []Action { return []Action{say(t.text(msgComesBack))} }},
		cardMachineAfterUpdateRule, // "a maquininha vai voltar?" right after it: the machine, not what the update cut (card_machine.go)
		{"updated_question", func(t *turn) bool {
			// "se me va a cortar la tele también?" after an update that succeeded: what it
			// cut, and that it is over; no complaint and no topic.
			return t.c.updatedRecently(t.now) && t.r.Question && !clearRequest(t) && t.r.Acts.Without(intents.ActPolite) == 0 && !t.r.AsksUpdateSafe &&
				!onlyPleasantries(t) && len(t.r.Serials) == 0 && !t.c.topicAnswered() &&
				t.c.raisedBefore(t.r) == "" // "y lo de la factura?": the bill raised before (topic_returned)
		}, func(t *turn) []Action { return []Action{say(t.text(msgInternetAfterUpdate))} }},
		{"updated_helps_asked", func(t *turn) bool {
			// "Perfecto, muchas gracias. ¿Entonces ya debería ir más rápido el wifi?" after an
			// update that worked: what it usually does, and what to do if it is still slow;
			// never another update offered.
			return t.c.updatedRecently(t.now) && t.r.Has(intents.ActUpdateHelps) && !t.r.Has(intents.ActConnectionComplaint)
		}, func(t *turn) []Action { return welcomed(t, []Action{say(t.text(msgUpdatedShouldHelp))}) }},
	},
	StateUpdating: {
		otherRouterAskedRule,       // "and the one upstairs too?" while the typed one updates: after it (other_router.go)
		updatingCancelTakenRule,    // "sim" to "shall I call it off?" (service_back.go)
		updatingCancelDeclinedRule, // "não, pode seguir" to it (service_back.go)
		{"updating_cancel", has(intents.ActCancel), func(t *turn) []Action {
			if t.c.Waiting { // what a waiting customer can cancel is their place in line
				return t.b.leaveLineAsked(t.c)
			}
			return t.b.cancelUpdate(t.c)
		}},
		{"updating_my_fault", func(t *turn) bool {
			// "is it something I did wrong?" while the update runs: no, and how it goes;
			// never the status alone, as if the question were how it goes.
			return t.r.Has(intents.ActMyFault) && !t.r.Has(intents.ActAskPerson) && !t.r.Has(intents.ActCancel)
		}, func(t *turn) []Action { return leadWith(t.text(msgFailedNotYourFault), t.b.updateStatus(t.c)) }},
		{"updating_comes_back", func(t *turn) bool {
			// "will this happen again?" while the update runs: what it usually does and what
			// to do if it comes back; never a topic read into it.
			return t.r.Has(intents.ActComesBack) && !t.r.Has(intents.ActAskPerson) && !t.r.Has(intents.ActCancel)
		}, func(t *turn) []Action { return []Action{say(t.text(msgComesBack))} }},
		{"updating_will_it_work", func(t *turn) bool { return t.r.AsksWorkThisTime && !t.r.Has(intents.ActCancel) }, func(t *turn) []Action {
			// "e dessa vez vai dar certo?" during the retry: the reassurance asked for, where
			// it is, and that each step is told; no menu.
			return []Action{say(t.b.willItWork(t.c))}
		}},
		backAgainRule, // "voltei, é o Kauã de novo" while it runs: hello again, and its step (back_again.go)
		{"updating_greeting", func(t *turn) bool {
			// "beleza" after a step is an acknowledgement, not a hello.
			return (t.r.Has(intents.ActGreeting) || t.r.Intent == intents.Greeting) && !t.r.Has(intents.ActAcknowledge)
		}, func(t *turn) []Action {
			// "hi", "e aí?": how it goes; a longer greeting ("hello, how is it going?",
			// "hola, me pueden llamar?") may ask something more, and gets the menu too.
			if t.r.Words <= 2 {
				return t.b.updateStatus(t.c)
			}
			return append(t.b.updateStatus(t.c), t.b.mainMenu(t.c))
		}},
		{"updating_safe_asked", func(t *turn) bool {
			return t.r.AsksUpdateSafe && !t.r.Has(intents.ActCancel) && !t.r.Has(intents.ActSettingsQuestion)
		}, func(t *turn) []Action {
			// "e o que é esse software? vai apagar minhas fotos do celular?": what it is and
			// what it leaves alone, not the step again.
			return []Action{say(t.text(msgUpdateSafe))}
		}},
		{"updating_ok", func(t *turn) bool {
			// "ya" after an answer, with no question mark, is an "ok", not "done yet?" asked
			// again for the same status word for word: that it will be told, once.
			return t.r.Has(intents.ActAcknowledge) && t.r.Has(intents.ActStatusQuestion) && !t.r.Question && t.r.Words <= 2 &&
				!t.r.Has(intents.ActCancel) && !t.r.Has(intents.ActThanks)
		}, func(t *turn) []Action {
			if t.c.LastRule == "updating_ok" || t.c.LastRule == "updating_acknowledged" {
				return nil
			}
			return []Action{say(t.text(msgUpdatingWaiting))}
		}},
		updatingCostRule,        // "is there any charge for this update?" (meanwhile.go)
		updatingLandlineRule,    // "will my landline still work during the restart?" (meanwhile.go)
		updatingCardMachineRule, // "a maquininha vai voltar a funcionar?" (card_machine.go)
		{"updating_mobile_data", func(t *turn) bool {
			// "y mientras tanto puedo usar los datos del celular no?": yes, they do not go
			// through the router; never the update's status read into "mientras tanto".
			return slices.Contains(t.r.Asks, askMobileData) && !t.r.Has(intents.ActCancel) && !t.r.Has(intents.ActAskPerson)
		}, func(t *turn) []Action { return []Action{say(t.text(msgMobileDataMeanwhile))} }},
		{"updating_status", either(has(intents.ActStatusQuestion), intentIs(intents.UpdateStatus)), func(t *turn) []Action {
			// "¿cuánto falta?": the step and what is left after it; "e agora já dá?" after
			// the restart, "is my internet going to go off?" at any step: the step, and what
			// it means for their internet.
			if t.r.Has(intents.ActHowLong) {
				return t.b.statusWithTimeLeft(t.c)
			}
			// "¿puedo seguir viendo netflix mientras?": the internet named, by what runs on it
			aboutInternet := t.r.Has(intents.ActConnectionComplaint) || t.r.Intent == "outage" || t.r.Intent == "wifi" || t.r.NamesInternet
			if u := t.c.Update; u != nil && (aboutInternet || u.Step == "rebooting" || u.Step == "verifying") {
				return t.b.updateMeaning(t.c)
			}
			return t.b.updateStatus(t.c)
		}},
		{"updating_question", func(t *turn) bool {
			// "can I still watch netflix meanwhile?", "dá pra jogar enquanto isso?": what the
			// update means for their internet, not a topic the classifier half saw in it.
			return t.r.Question && !clearRequest(t) && t.r.Acts.Without(intents.ActPolite) == 0 && len(t.r.Serials) == 0 &&
				!t.c.topicAnswered() && t.c.raisedBefore(t.r) == ""
		}, func(t *turn) []Action { return t.b.updateMeaning(t.c) }},
		{"updating_again", has(intents.ActRetry), func(t *turn) []Action {
			return t.b.askUpdate(t.c) // "atualiza de novo" while it runs: it is running
		}},
		noOutageKnownRule,       // "is there an outage in my area? my neighbour's is down too"
		updatingTroubleToldRule, // "y lo de la lentitud? como te dije al principio" (meanwhile.go)
		{"updating_drop_expected", has(intents.ActConnectionComplaint), func(t *turn) []Action {
			return []Action{say(t.text(msgDropExpected))}
		}},
		{"updating_acknowledged", func(t *turn) bool {
			// "blz, to esperando aqui" while it runs: it is not over, so no closing line;
			// that it will be told, once, and to more of them nothing.
			return !asks(t) && !t.r.Has(intents.ActThanks) && !t.r.Has(intents.ActGoodbye) &&
				(t.r.Has(intents.ActAcknowledge) || t.r.Acts.Only(intents.ActPolite) || t.r.Acts.Without(intents.ActPolite).Only(intents.ActAffirm))
		}, func(t *turn) []Action {
			if t.c.LastRule == "updating_acknowledged" {
				return nil
			}
			return []Action{say(t.text(msgUpdatingWaiting))}
		}},
		updatingRemarkRule, // "Very well.", "...", "😴" (meanwhile.go)
	},
}

// commonRules answer what no state took, in every state.
var commonRules = []rule{
	topicCorrectedRule,    // "no wait, it's the bill not the wifi" (corrections.go)
	serialTypedRule,       // "Dice KT-2231-XB09 en un papelito" where no question asks for it (router_asked.go)
	serialNotOnRecordRule, // "el de arriba es el XX-0000-ZZ00 creo", a router on record (other_router.go)
	otherRouterSpokenRule, // "tengo dos routers en la casa", a router on record (other_router.go)
	otherRouterAskedRule,  // "y el del cuarto también se puede?" after the one typed was updated (other_router.go)
	{"retry_typed", func(t *turn) bool { return t.r.Has(intents.ActRetry) && t.c.lastFailed() }, func(t *turn) []Action {
		t.c.Menu = nil
		return t.b.retryUpdate(t.c, t.now)
	}},
	{"update_again_took", func(t *turn) bool {
		// "do it once more just to be sure it took", "atualiza mais uma vez só pra ver se ta
		// tudo ok", an old "Try again" tapped, right after an update that worked: it took,
		// and another would only cut the internet again. Asked again after that, the
		// update is confirmed (update_again).
		u := t.c.Update
		// Trouble told since ("fiquei sem internet??"), the bot offered the update again
		// itself: "tenta de novo" takes that offer.
		offered := t.c.Menu != nil && slices.ContainsFunc(t.c.Menu.Items, func(it Item) bool { return it.Value == valUpdateRouter })
		return t.r.Has(intents.ActRetry) && t.c.updatedRecently(t.now) && !u.current().Restart && !u.current().TookTold &&
			!t.r.Has(intents.ActFrustration) && !t.r.Has(intents.ActConnectionComplaint) && !offered
	}, func(t *turn) []Action {
		t.c.closeQuestion()
		t.c.Update.current().TookTold = true
		return welcomed(t, []Action{say(t.text(msgUpdateTook))})
	}},
	{"update_again", func(t *turn) bool {
		// "atualiza de novo" after an update that succeeded: another one, confirmed first.
		// "oi de novo, ficou lento de novo" is no request for one: the trouble after it
		// (connection_complaint), unless an update is asked for in words.
		return t.r.Has(intents.ActRetry) && t.c.Update != nil && !t.r.Has(intents.ActFrustration) &&
			!(t.r.Has(intents.ActConnectionComplaint) && t.c.updatedRecently(t.now) && t.r.Intent != intents.UpdateRouter && !t.r.NamesUpdate)
	}, func(t *turn) []Action { return t.b.askUpdate(t.c) }},
	{"update_insisted_after_took", func(t *turn) bool {
		// "entendi, mas atualiza mesmo assim, quero garantir" right after "it took": the
		// update asked for in words, whatever "entendi" says; confirmed first.
		return t.c.LastRule == "update_again_took" && t.r.NamesUpdate && !t.r.Has(intents.ActDeclineUpdate) &&
			!t.r.Has(intents.ActGoodbye)
	}, func(t *turn) []Action { return t.b.askUpdate(t.c) }},
	updateNotDoneRule,    // "Voltei. Consegui atualizar não. Agora quero saber a senha...": the update first (serial_refused.go)
	failureAftermathRule, // "tiro da tomada?" after a failed update, the failure's question closed (failure_aftermath.go)
	technicianCameRule,   // "la semana pasada vino el técnico y me cambió el módem" (technician_came.go)
	{"phone_unanswered", func(t *turn) bool {
		// "I rang your helpline three times this week and nobody picks up" (play19 en/02):
		// sorry, and an agent right here, in this chat; never the number that went
		// unanswered. In line, the agent they wait for (line rules).
		return t.r.PhoneUnanswered && !t.r.Has(intents.ActAskPerson) && !t.c.Waiting && t.r.Choice == 0 && len(t.r.Serials) == 0
	}, func(t *turn) []Action {
		return []Action{t.b.offerAgentMenu(t.c, t.text(msgPhoneUnanswered), ReasonFrustrated)}
	}},
	{"frustrated_topic_question", func(t *turn) bool {
		// "o sea me cobraron dos veces... un cargo que no tengo idea que es", upset: the
		// answer with sorry, as topic_question_asked gives it, named apart so that a 👍 to
		// the agent offered with sorry takes it (Bot.read)
		return t.r.Has(intents.ActFrustration) && topicQuestionAsked(t)
	}, answerTopicQuestion},
	{"topic_question_asked", topicQuestionAsked, answerTopicQuestion},
	unpaidTroubleRule,          // "¿será que está lento porque no he pagado la boleta?" (unpaid.go)
	cardMachineAfterUpdateRule, // "e a maquininha? ainda não passou" after the update (card_machine.go)
	{"wifi_reach_asked", func(t *turn) bool {
		// "el wifi en la recámara de arriba casi no llega, qué puedo hacer?": where to put
		// the router, and an extender or mesh for a room still out of reach, with the agent
		// who tells the options; whatever topic the classifier half hears, never "didn't
		// understand". No internet at all is the connection's trouble (the update).
		tp, ok := t.b.catalog().Topics()[topicWifi]
		return ok && tp.Questions[questionWifiReach] != nil && slices.Contains(t.r.Asks, questionWifiReach) &&
			!t.r.Has(intents.ActAskPerson) && !t.r.Has(intents.ActConnectionComplaint) && !t.r.Has(intents.ActGoodbye)
	}, func(t *turn) []Action { return welcomed(t, t.b.answerTopic(t, topicWifi)) }},
	{"goodbye", has(intents.ActGoodbye), func(t *turn) []Action {
		t.c.closeQuestion()
		return t.bye()
	}},
	{"thanks", func(t *turn) bool {
		if thanksAndMore(t) { // "gracias. ¿y cómo hago para saber la clave del wifi?": the question, below
			return false
		}
		return t.r.Has(intents.ActThanks) ||
			t.r.Intent == intents.Thanks && t.r.Acts == 0 // an external NLU's thanks, the words saying nothing else
	}, func(t *turn) []Action {
		t.c.ask(StateAnythingElse, nil) // "Anything else I can do for you?"
		return []Action{say(t.text(msgThanks))}
	}},
	{"first_pleasantry", func(t *turn) bool {
		// "beleza", "ok", "porfa" as the first message: a hello, greeted with the menu.
		return len(t.c.Recent) <= 1 && t.c.Update == nil && onlyPleasantries(t) &&
			!(t.r.Has(intents.ActGreeting) && !t.r.Has(intents.ActAcknowledge)) // a plain hello is greeted below
	}, func(t *turn) []Action { return greet(t) }},
	{"laughed", func(t *turn) bool { return t.r.Acts.Only(intents.ActLaugh) && !asks(t) }, func(*turn) []Action {
		return nil // "kkkk", "jajaja": nothing to answer
	}},
	{"acknowledged", func(t *turn) bool {
		// A yes where no question wants one ("dale", "sure") is an "ok" too. An "ok" before
		// a status question ("ok cool, it worked?") is the question's.
		return !asks(t) && !t.r.Has(intents.ActStatusQuestion) && (t.r.Has(intents.ActAcknowledge) || t.r.Has(intents.ActLaugh) || t.r.Acts.Only(intents.ActPolite) ||
			t.r.Acts.Without(intents.ActPolite).Only(intents.ActAffirm))
	}, func(t *turn) []Action {
		// Understood, not misunderstood; the open question stays open. In line, that they
		// stay in it ("ok" after "you're in line" is no goodbye).
		if t.c.Waiting {
			return t.b.closing(t.c, msgAckInLine)
		}
		return t.b.closing(t.c, msgGoodbye)
	}},
	updateAskedUpsetRule, // "atualiza essa porcaria logo" (update_asked.go)
	{"frustrated_topic_asked", func(t *turn) bool {
		// "quero cancelar essa porcaria": a topic clearly asked for, however fed up; sorry,
		// then its answer (an agent cancels), not "an agent is the best person" that leaves
		// them unsure they were understood.
		// "yo my wifi is trash again" slams the connection: no question of the Wi-Fi's
		// name and password (connection_complaint)
		_, ok := t.b.catalog().Topics()[t.r.Intent]
		return ok && t.r.Has(intents.ActFrustration) && clearRequest(t) && len(t.r.Serials) == 0 &&
			!(t.r.Intent == topicWifi && t.r.Has(intents.ActConnectionComplaint))
	}, func(t *turn) []Action {
		sorry := msgSorryTopic
		if t.c.LastRule == "frustrated" || t.c.LastRule == "frustrated_topic_asked" || t.c.LastRule == "frustrated_topic_question" {
			sorry = msgSorryTopicMore // sorry said just before
		}
		if slices.Contains(t.r.Asks, questionVisitMissed) {
			// "o tecnico nao apareceu ate agora 😡": its answer is the sorry, for the visit missed
			return t.b.answerTopic(t, t.r.Intent)
		}
		return leadWith(t.text(sorry), t.b.answerTopic(t, t.r.Intent))
	}},
	lineFrustratedRule,
	{"frustrated", func(t *turn) bool {
		// "still slow" after an update that succeeded, however fed up: the connection's
		// trouble after it, which offers the agent for that reason (connection_complaint)
		return t.r.Has(intents.ActFrustration) && !(t.r.Has(intents.ActConnectionComplaint) && t.c.updatedRecently(t.now))
	}, func(t *turn) []Action {
		if t.c.lastFailed() && t.c.State == StateUpdateFailed && t.r.Has(intents.ActConnectionComplaint) && !t.r.Question {
			// "now the internet is completely dead. this is ridiculous" at the failure's
			// question: sorry, what the failure left it in and the step to take, with its
			// buttons (the agent one of them); not only the sorry and an agent offer
			t.c.InternetDownTold = true
			return leadWith(t.text(msgSorryTopic), t.b.failureWhy(t.c, true, false))
		}
		reason := ReasonFrustrated
		if t.c.lastFailed() {
			reason = ReasonRouterFailure
		} else if t.c.described() == "" && t.r.Words >= 6 && (t.r.Question || t.r.Has(intents.ActConnectionComplaint) || t.r.Intent != intents.OutOfScope) {
			// "que es ese cargo de 4500? nadie me explica nada, es una verguenza": angry, and
			// what about; the agent is told it, and the intake does not ask it again
			// ("this is useless", anger alone, describes nothing).
			t.c.Described, t.c.DescribedTopic = t.r.Text, ""
		}
		text := msgSorryFrustrated
		if t.c.LastRule == "frustrated" { // "y encima pago puntual...": more of it, not the same words
			text = msgSorryFrustratedMore
		} else if t.r.Has(intents.ActConnectionComplaint) && !t.c.lastFailed() && !t.b.retriesSpent(t.c) && !t.c.Waiting &&
			!(t.c.Update != nil && t.c.Update.Active) { // running: not offered again
			// "the speed has been rubbish lately, paying for 500 and getting 40": an agent
			// first, and the update the bot can do itself, which often fixes it
			m := t.b.offerAgentMenu(t.c, t.text(msgSorryFrustratedUpdate), reason)
			items := []Item{m.Items[0], {Title: t.text(btnUpdateRouter), Value: valUpdateRouter}, m.Items[1]}
			t.c.Menu.Items, m.Items = items, items
			t.c.Proposed = valUpdateRouter // "yes do it": the update it can do right now
			return []Action{m}
		}
		return []Action{t.b.offerAgentMenu(t.c, t.text(text), reason)}
	}},
	noOutageKnownRule, // "is there an outage in my area?" where the Outage API knows of none
	{"outage_in_area", has(intents.ActOutageArea), func(t *turn) []Action {
		if _, ok := t.b.catalog().Topics()["outage"]; ok {
			return t.b.answerTopic(t, "outage")
		}
		return []Action{t.b.offerAgentMenu(t.c, t.text(msgAreaOutage), ReasonAreaOutage)}
	}},
	{"update_asked_with_complaint", func(t *turn) bool {
		// "can you update the router? Netflix keeps buffering": the update asked for, not
		// a menu offering it (unless an update just did not help).
		return t.r.Has(intents.ActConnectionComplaint) && t.r.Intent == intents.UpdateRouter && clearRequest(t) &&
			!t.c.updatedRecently(t.now) && !t.r.Has(intents.ActDeclineUpdate)
	}, askUpdateSorry},
	{"complaint_while_updating", func(t *turn) bool {
		// "my internet is so slow" while the router updates, at a question opened meanwhile
		// (a bill's agent offered): the drop is expected, never "updating and restarting
		// your router often fixes it", which it is doing.
		return t.r.Has(intents.ActConnectionComplaint) && t.c.Update != nil && t.c.Update.Active
	}, func(t *turn) []Action {
		t.c.closeQuestion()
		return []Action{say(t.text(msgDropExpected))}
	}},
	complaintTechnicianRule, // "...a internet tá caindo... vocês mandam um técnico aqui em casa?" (cannot_do.go)
	{"complaint_restarted", func(t *turn) bool {
		// "ja reiniciei e nada", "I already rebooted it, still slow": what the update does
		// beyond the restart they did, never "restarting often fixes it" (once: then the
		// shorter offer below).
		return t.r.Has(intents.ActConnectionComplaint) && t.r.Restarted && !t.c.updatedRecently(t.now) &&
			!t.b.retriesSpent(t.c) && !t.c.lastFailed() && t.c.LastRule != "complaint_restarted"
	}, func(t *turn) []Action {
		menu := t.b.mainMenu(t.c)
		t.c.Proposed = valUpdateRouter // a yes now takes the offer
		return []Action{say(t.text(msgRestartedNotUpdate)), menu}
	}},
	// "Too many devices are connecting, net is very slow", "quantos aparelhos podem
	// conectar?": what many devices do to the speed and what to do about strangers on the
	// Wi-Fi, then the update offered, which can help too.
	wifiAskedRule("devices_asked", questionDevices),
	// "my phone can't see the wifi anymore", "sumiu a rede do celular": the Wi-Fi switched
	// off on the router, and the restart that usually brings it back offered.
	wifiAskedRule("wifi_gone_asked", questionWifiGone),
	connectionComplaintRule,
	{"settings_kept", has(intents.ActSettingsQuestion), func(t *turn) []Action {
		// "will I lose my Wi-Fi password?": no, the update keeps it; "a password mantém-se
		// igual?": yes, the same words after it. An open question stays open.
		// "my wifi password will change after upgrade?" where the plans were talked of: the
		// upgrade may be the plan's, so neither changes it. Asked again right after ("So it
		// will not change na? same password I can use?"): yes, the same, in short.
		key := msgSettingsKept
		switch {
		case t.c.LastRule == "settings_kept":
			key = msgSettingsKeptAgain
		case slices.Contains(t.c.Raised, topicPlans):
			key = msgSettingsKeptPlan
		case t.r.AsksKept:
			key = msgSettingsKeptYes
		}
		acts := []Action{say(t.text(key))}
		if !t.c.State.Resting() {
			acts = append(acts, t.b.questionAgain(t.c))
		}
		return acts
	}},
	{"needs_update_asked", func(t *turn) bool {
		// "¿mi router necesita actualización?", "is my router up to date?" with no update
		// running: what the bot can tell (not the version, but that the update is safe and
		// what it does), and the confirmation; never "no update is in progress".
		return t.r.AsksNeedsUpdate && !(t.c.Update != nil && t.c.Update.Active) && !t.r.Has(intents.ActDeclineUpdate)
	}, func(t *turn) []Action { return welcomed(t, leadWith(t.text(msgNeedsUpdate), t.b.askUpdate(t.c))) }},
	{"update_safe_asked", func(t *turn) bool {
		// "my grandson said I should update the router. I don't know what that means, is it
		// safe?": what it is and leaves alone, then the confirmation; after one that worked,
		// the answer alone.
		return t.r.AsksUpdateSafe && !t.r.Has(intents.ActDeclineUpdate) && !t.r.Has(intents.ActCancel) && !t.r.Has(intents.ActSettingsQuestion)
	}, func(t *turn) []Action {
		if t.c.updatedRecently(t.now) || t.c.Update != nil && t.c.Update.Active {
			return welcomed(t, []Action{say(t.text(msgUpdateSafe))})
		}
		return welcomed(t, leadWith(t.text(msgUpdateSafe), t.b.askUpdate(t.c)))
	}},
	{"status_asked", func(t *turn) bool {
		// "Is it something I did wrong?" sounds like a status question to the classifier:
		// the words ask whose fault it is (my_fault_asked)
		// "y ahora ya funciona el internet" after a failed update, asked with no question
		// mark, where the learned reader hears no status question beside the news: what the
		// failure left, never "glad it works again".
		return t.r.Has(intents.ActStatusQuestion) || t.r.Intent == intents.UpdateStatus && !t.r.Has(intents.ActMyFault) ||
			t.r.Has(intents.ActWorksNow) && t.r.Question && t.c.lastFailed() && t.r.Words <= 8 && !t.r.Has(intents.ActConnectionComplaint) &&
				!t.r.Has(intents.ActAskPerson) && !asksForMore(t)
	}, func(t *turn) []Action {
		if t.c.Waiting && !(t.c.Update != nil && t.c.Update.Active) {
			return []Action{t.b.inLine(t.ctx, t.c, t.now)}
		}
		if t.c.State == StateOfferAgent {
			// "pronto?" after "shall I put you through?": the answer shows no offer, so
			// none is open; a "beleza, valeu" after it thanks, it never takes the agent
			t.c.closeQuestion()
		}
		if t.r.Has(intents.ActHowLong) {
			return t.b.statusWithTimeLeft(t.c)
		}
		return t.b.updateStatus(t.c)
	}},
	{"update_declined", has(intents.ActDeclineUpdate), func(t *turn) []Action {
		// "just restart it, don't update anything", "no quiero actualizar, quiero una
		// compensación": never the update they refused.
		return []Action{t.b.offerAgentMenu(t.c, t.text(msgUpdateNotWanted), ReasonIntent)}
	}},
	{"password_not_here", func(t *turn) bool {
		// "mas n tem como vc me mandar a senha aqui msm?": the bot has no access to it, and
		// says so, where it is, and who resets it; a "how do I change it?" after is the Wi-Fi's.
		return t.r.AsksPassword && !t.r.Has(intents.ActAskPerson)
	}, func(t *turn) []Action {
		t.c.Topic, t.c.TopicFollowedUp = topicWifi, false
		t.c.raise(topicWifi)
		return []Action{t.b.offerAgentMenu(t.c, t.text(msgPasswordNotHere), ReasonTopic)}
	}},
	{"topic_follow_up", func(t *turn) bool {
		// "y cómo la cambio?", "como eu mudo?" right after the Wi-Fi answer: the Wi-Fi.
		// A thanks or an "ok" before it ("ok thanks, and how do I change it?") is welcomed.
		return t.c.topicAnswered() && t.r.Question && t.r.Words <= maxFollowUpWords && (!clearRequest(t) || t.r.Intent == intents.Help) &&
			t.r.Acts.Without(intents.ActPolite).Without(intents.ActThanks).Without(intents.ActAcknowledge) == 0 && len(t.r.Serials) == 0
	}, func(t *turn) []Action { return welcomed(t, t.b.followUp(t)) }},
	{"comes_back_asked", func(t *turn) bool {
		// "will this happen again?" where no state took it: never "didn't understand", nor
		// a topic the classifier half hears in it ("happen" and the bill).
		updating := t.c.Update != nil && t.c.Update.Active
		return t.r.Has(intents.ActComesBack) && !t.r.Has(intents.ActAskPerson) && (!updating || t.c.updatedRecently(t.now))
	}, func(t *turn) []Action {
		switch {
		case t.c.Update != nil && t.c.Update.Active:
			// after an update that worked, another running, a question open since: what
			// comes_back_question says, and the question open stays
			acts := []Action{say(t.text(msgComesBack))}
			switch {
			case t.c.State == StateAnythingElse: // answered: "anything else?" is no question to repeat
				t.c.closeQuestion()
			case !t.c.State.Resting():
				acts = append(acts, t.b.questionAgain(t.c))
			}
			return acts
		case t.c.updatedRecently(t.now):
			return []Action{say(t.text(msgComesBack))}
		}
		// at the menu offering the update, with no update done: no promise, what usually
		// causes it and what helps
		m := t.b.mainMenu(t.c)
		t.c.Proposed = valUpdateRouter // "ok do it then" takes the update it speaks of
		return []Action{say(t.text(msgComesBackNoUpdate)), m}
	}},
	{"my_fault_asked", func(t *turn) bool {
		// "¿es culpa mía? ¿he tocado algo que no debía?" about a slow or dropping
		// connection (an outage and a failed update have their own answers): almost
		// certainly not, and what can help; never a topic read into "debía".
		return t.r.Has(intents.ActMyFault) && !t.r.Has(intents.ActAskPerson) && !(t.c.Update != nil && t.c.Update.Active)
	}, func(t *turn) []Action {
		if t.c.updatedRecently(t.now) {
			return []Action{say(joinText(t.text(msgNotYourFault), t.text(msgNotYourFaultUpdated)))}
		}
		return []Action{say(t.text(msgNotYourFault)), t.b.mainMenu(t.c)}
	}},
	updatedRouterNotMineRule, // "esse número não é o meu não, troquei de aparelho" after the update (serial_refused.go)
	{"topic_asked", func(t *turn) bool {
		_, ok := t.b.catalog().Topics()[t.r.Intent]
		return ok
	}, func(t *turn) []Action { return welcomed(t, t.b.answerTopics(t, t.r.Intent)) }},
	{"update_asked_other_router", func(t *turn) bool {
		// "update my router, but the number you have isn't mine": never that router.
		return t.r.Intent == intents.UpdateRouter && t.r.Has(intents.ActWrongRouter) && !(t.c.Update != nil && t.c.Update.Active)
	}, func(t *turn) []Action { return t.b.otherRouter(t) }},
	{"update_helps_asked", func(t *turn) bool {
		// "would updating the router help tho?": the answer, then the confirmation, in one
		// message; never the confirmation alone, as if they had asked for it.
		return t.r.Has(intents.ActUpdateHelps) && !(t.c.Update != nil && t.c.Update.Active)
	}, func(t *turn) []Action { return leadWith(t.text(msgUpdateHelps), t.b.askUpdate(t.c)) }},
	{"update_asked", intentIs(intents.UpdateRouter), askUpdateSorry},
	backAgainRule, // "voltei, é o Kauã de novo": hello again, and where things stand (back_again.go)
	{"greeted_with_more", func(t *turn) bool {
		// "Good afternoon, my name is Maria, my grandson set up the router..." with nothing
		// the bot knows in it: what it can do, never a hello that ignores what was said.
		return (t.r.Has(intents.ActGreeting) || t.r.Intent == intents.Greeting) && t.r.Words > maxGreetingWords
	}, func(t *turn) []Action {
		t.c.Introduced = true
		return []Action{say(t.b.greetingAs(t.b.voice(t.c), t.c.Contact.Name, msgGreetingUnclear)), t.b.mainMenu(t.c)}
	}},
	{"greeted", either(has(intents.ActGreeting), intentIs(intents.Greeting)), greet},
	{"help_asked", intentIs(intents.Help), func(t *turn) []Action {
		return []Action{say(t.text(msgHelp)), t.b.questionAgain(t.c)}
	}},
	{"cancelled", has(intents.ActCancel), func(t *turn) []Action { return t.b.cancel(t.c) }},
	{"old_button", func(t *turn) bool { return t.b.staleButton(t.r.Text) != "" }, func(t *turn) []Action {
		// A button of a menu no longer open, tapped again (WhatsApp leaves them live).
		switch t.b.staleButton(t.r.Text) {
		case valAgent:
			return t.b.requestHandoff(t.ctx, t.c, ReasonMenu, t.now)
		case valWait:
			// "Wait for an agent" tapped after a question in between: the answer it was
			// (asking again whether to wait would loop while the agents are away)
			return t.b.startIntake(t.c, true, t.now)
		}
		t.c.closeQuestion()
		return []Action{t.b.mainMenu(t.c)}
	}},
	{"topic_returned", func(t *turn) bool {
		// "now about the bill" after the update, "ok so about that fiber thing?" after an
		// agent handed back, "will i need to bring the router?" after the move was booked:
		// a topic raised before, come back to.
		return t.c.raisedBefore(t.r) != "" && len(t.r.Serials) == 0
	}, func(t *turn) []Action { return welcomed(t, t.b.answerTopic(t, t.c.raisedBefore(t.r))) }},
	{"update_leaned", func(t *turn) bool {
		// "ya que estoy, me actualizás el router?": the router's update named in words, and
		// the classifier leaning to it under its threshold (0.596): the update it asks for,
		// confirmed first, rather than "didn't understand".
		// "Então faça lá a atualização do router": a request, not a question, the classifier
		// torn between the update and its status: the update.
		return t.r.NamesUpdate && len(t.r.Ranked) > 0 && (t.r.Ranked[0].Intent == intents.UpdateRouter &&
			t.r.Ranked[0].Confidence >= updateLean || updateOrItsStatus(t)) && len(t.r.Serials) == 0 &&
			t.r.Acts.Without(intents.ActPolite).Without(intents.ActAcknowledge).Without(intents.ActGreeting) == 0
	}, askUpdateSorry},
	{"no_such_option", func(t *turn) bool {
		// "3" to two buttons: which there are, and the question again; no misunderstanding
		_, ok := noSuchOption(t)
		return ok
	}, func(t *turn) []Action {
		n, _ := noSuchOption(t)
		text := t.textf(msgNoSuchOptionTwo, "number", n)
		if last := len(t.c.Menu.Items); last != 2 {
			text = t.textf(msgNoSuchOption, "number", n, "last", strconv.Itoa(last))
		}
		return []Action{say(text), t.b.questionAgain(t.c)}
	}},
	{"puzzled", func(t *turn) bool {
		return puzzled(t.r.Text) || t.r.Lost && t.r.Acts.Without(intents.ActPolite) == 0
	}, func(t *turn) []Action {
		// "?", "??", "¿?", "🤔", "não entendi": the customer is lost, not misunderstood; the
		// question again, sorry for not being clear, and no count toward an agent's offer.
		return []Action{say(t.text(msgUnclear)), t.b.questionAgain(t.c)}
	}},
	{"not_understood", func(*turn) bool { return true }, func(t *turn) []Action {
		t.c.Misunderstood++
		if t.c.Misunderstood >= misunderstandingsBeforeAgent {
			t.c.Misunderstood = 0
			return welcomed(t, []Action{t.b.offerAgent(t.c)})
		}
		text := msgNotUnderstood
		if t.r.Has(intents.ActThanks) { // "gracias. ¿y el pago se puede hacer en efectivo?": the thanks taken, the question not
			text = msgThanksQuestionUnclear
		}
		return []Action{say(t.text(text)), t.b.questionAgain(t.c)}
	}},
}

// updateOrItsStatus reports a text that is no question the classifier reads as the
// update's status or the update itself, together at least updateLean ("Então faça lá a
// atualização do router": 0.51 and 0.49).
func updateOrItsStatus(t *turn) bool {
	rk := t.r.Ranked
	return !t.r.Question && len(rk) > 1 && rk[0].Intent == intents.UpdateStatus && rk[1].Intent == intents.UpdateRouter &&
		rk[0].Confidence+rk[1].Confidence >= updateLean
}

// politeAtMenu reports "Please", "porfa", 🙏 alone to "update your router or talk to an
// agent?": nothing chosen, and no goodbye; what they need is asked again in other words
// (main_menu_polite), and an offer of the update, if one was made, stays open.
func politeAtMenu(t *turn) bool {
	return t.r.Acts.Only(intents.ActPolite) && t.r.Choice == 0 && !asks(t) && len(t.r.Serials) == 0 && updateOnOffer(t.c)
}

// offerWaitLeaving reports a thanks or a goodbye, and nothing more, at "wait or keep
// chatting?", however long and formal ("Thank you very much for your assistance."), told
// the first time: one said again after it is the end of the chat (the common rules).
func offerWaitLeaving(t *turn) bool {
	if !t.r.Has(intents.ActThanks) && !t.r.Has(intents.ActGoodbye) || t.c.LastRule == "offer_wait_thanked" {
		return false
	}
	rest := t.r.Acts.Without(intents.ActThanks).Without(intents.ActGoodbye).Without(intents.ActPolite).
		Without(intents.ActAcknowledge).Without(intents.ActGreeting)
	return rest == 0 && t.r.Choice == 0 && !t.r.Question && !asks(t) && len(t.r.Serials) == 0
}

// noOutageKnownRule answers "is there an outage in my area?", "no internet in the whole
// neighborhood" where the Outage API knows of none: said plainly, never "it's probably a
// network outage". During an update it comes before "the drop is expected", which is
// about the customer's own line, not the neighbour's; at the agent offered for trouble
// after an update, before "the same trouble noted".
// lineFrustratedRule answers anger from a customer already in line, in line or at an
// offer made to them there (the update, while they wait).
var lineFrustratedRule = rule{"line_frustrated", func(t *turn) bool {
	// "pera, sabado??? hj eh segunda feira", "this is a joke": fed up with the wait
	// they are already in; the trouble told with it is line_detail's, a matter for
	// the agent line_topic_noted's.
	return t.c.Waiting && t.r.Has(intents.ActFrustration) && !t.r.Has(intents.ActConnectionComplaint) && agentMatter(t) == ""
}, func(t *turn) []Action {
	switch {
	case t.repeats == 1:
		return []Action{say(t.text(msgLineSorryMore))}
	case t.repeats > 1:
		return nil // said twice: the agent reads the rest, no third apology
	}
	return []Action{say(t.b.inLineText(t.ctx, t.c, t.now, msgLineSorry, msgLineSorryUntil))}
}}

var noOutageKnownRule = rule{"no_outage_known", func(t *turn) bool {
	if !t.r.Has(intents.ActOutageArea) || t.b.Outages == nil || t.c.Outage != nil || t.c.OutageOver != nil {
		return false
	}
	o, ok := t.outageNow()
	return ok && !o.Active
}, func(t *turn) []Action {
	if !t.r.Question {
		// the neighbourhood down, told: an agent confirms it and reports it
		return []Action{t.b.offerAgentMenu(t.c, t.text(msgNoOutageReported), ReasonAreaOutage)}
	}
	if t.c.Update != nil && t.c.Update.Active {
		// asked while the router updates: that is under way, and the agent after it; an
		// offer still open (a bill's agent) is left, as the customer moved on
		t.c.closeQuestion()
		return []Action{say(t.text(msgNoOutageUpdating))}
	}
	if t.c.updatedRecently(t.now) {
		// asked after an update that worked ("y no será cosa de la zona?"): the line, which
		// an agent checks, first; the update again beside it
		return []Action{t.b.stillTroubleMenuWith(t.c, t.text(msgNoOutageUpdated), t.now)}
	}
	return []Action{say(t.text(msgNoOutageKnown)), t.b.mainMenu(t.c)} // asked: what can help instead
}}

// stillThereAsked reports "hello?", "anyone there?", "¿hay alguien?" after the first
// message: whether the bot still listens, asked, with nothing else in it.
func stillThereAsked(t *turn) bool {
	if len(t.c.Recent) <= 1 || t.r.Tapped || len(t.r.Serials) > 0 || t.r.Words > 6 || t.r.HowAreYou {
		return false
	}
	if t.r.Acts.Without(intents.ActGreeting).Without(intents.ActAskPerson).Without(intents.ActFrustration).Without(intents.ActPolite) != 0 {
		return false
	}
	return t.r.StillThere || t.r.Acts.Only(intents.ActGreeting) && t.r.Question && t.r.Words <= 2
}

// addedInLine names, in the agent's note, what the customer added while in line.
const addedInLine = "added while in line"

// agentMatter is the topic a turn is about when an agent answers it (a move, a bill): the
// classifier's reading, or the topic it leans to under its threshold in a statement
// ("Shifting connection to new flat on 15th"); "" for none.
func agentMatter(t *turn) string {
	if t.r.Tapped || len(t.r.Serials) > 0 || t.r.Acts.Without(intents.ActPolite) != 0 {
		return ""
	}
	topics := t.b.catalog().Topics()
	if tp, ok := topics[t.r.Intent]; ok && tp.Agent != TopicNone && clearRequest(t) {
		return t.r.Intent
	}
	if len(t.r.Ranked) > 0 && !t.r.Question && t.r.Ranked[0].Confidence >= updateLean {
		if tp, ok := topics[t.r.Ranked[0].Intent]; ok && tp.Agent != TopicNone && t.r.Intent == intents.OutOfScope {
			return t.r.Ranked[0].Intent
		}
	}
	return ""
}

// statesMore reports a statement of a few words with no act the dialogue knows: more
// about the customer's matter ("the address is Flat 402, Green Meadows").
func statesMore(t *turn) bool {
	return !t.r.Question && !t.r.Tapped && t.r.Words >= 3 && len(t.r.Serials) == 0 && t.r.Acts.Without(intents.ActPolite) == 0 &&
		!t.r.Unfinished
}

// sameAsLast reports a message of a few words or more sent again word for word: the
// customer's last message before it says the same (WhatsApp users resend what they feel
// went unread).
func (t *turn) sameAsLast() bool {
	n := len(t.c.Recent)
	return n >= 2 && t.r.Words > 2 && !t.r.Tapped && intents.Normalize(t.c.Recent[n-2]) == intents.Normalize(t.c.Recent[n-1])
}

// offerWaitTrouble reports trouble with the connection told at "wait for the agents or keep
// chatting?" ("ah entendi. mas é urgente, trabalho de casa amanhã cedo e a internet ta
// lenta demais"), where the update may fix it now.
func offerWaitTrouble(t *turn) bool {
	return t.r.Has(intents.ActConnectionComplaint) && !t.r.Has(intents.ActAskPerson) && t.r.Choice == 0 &&
		!(t.c.Update != nil && t.c.Update.Active) && !t.c.updatedRecently(t.now) && !t.c.lastFailed() && !t.b.retriesSpent(t.c)
}

// updateOrWait answers trouble at the wait offer: the update, which often fixes it now,
// and the line kept open (soon: agents online; until: back later); no "ok" closing it.
// A yes takes the update.
func updateOrWait(t *turn, soon, until msgKey) []Action {
	text := t.b.inLineText(t.ctx, t.c, t.now, soon, until)
	t.c.ask(StateOfferWait, []Item{
		{Title: t.text(btnUpdateRouter), Value: valUpdateRouter},
		{Title: t.text(btnWait), Value: valWait},
	})
	t.c.Proposed = valUpdateRouter
	return []Action{menu(text, t.c.Menu.Items)}
}

// thanksAndMore reports thanks beside something more that wants an answer: a topic the
// classifier clearly reads ("ay gracias mija. mire es que mi nieto me cambio la clave del
// wifi"), a question of more than a few words ("Perfecto, muchas gracias. ¿Entonces ya
// debería ir más rápido el wifi?"), or an act beyond the courtesies (a complaint, a
// question about the update): "¡De nada!" alone would drop it.
func thanksAndMore(t *turn) bool {
	if !t.r.Has(intents.ActThanks) && t.r.Intent != intents.Thanks {
		return false
	}
	courtesies := t.r.Acts.Without(intents.ActThanks).Without(intents.ActPolite).Without(intents.ActAcknowledge).
		Without(intents.ActGreeting).Without(intents.ActAffirm).Without(intents.ActDeny).Without(intents.ActLaugh)
	_, topic := t.b.catalog().Topics()[t.r.Intent]
	return courtesies != 0 || topic && t.r.Confidence >= clearConfidence || t.r.Question && t.r.Words > maxThanksWords ||
		partAsksTopic(t)
}

// partAsksTopic reports a part of a longer message that the classifier clearly reads as a
// topic of the catalog: "thnks. wat r ur timings btw" asks the hours, whatever the thanks
// before it (no question mark, and the whole text read less clearly than its part).
func partAsksTopic(t *turn) bool {
	for _, p := range t.r.Parts {
		if _, ok := t.b.catalog().Topics()[p.Intent]; ok {
			return true
		}
	}
	return false
}

// welcomed leads an answer to thanks and a question with "You're welcome!", in the same
// message.
func welcomed(t *turn, acts []Action) []Action {
	if !t.r.Has(intents.ActThanks) {
		return acts
	}
	return leadWith(t.text(msgWelcome), acts)
}

// askUpdateSorry asks to confirm the update, sorry first when the turn complains of the
// connection, in the same message (two may show in either order): "minha net tá
// horrível... atualiza o roteador?"
func askUpdateSorry(t *turn) []Action { return askUpdateSorryAfter(t, "") }

// askUpdateSorryAfter is askUpdateSorry with the text of lead (when not "") after the
// sorry: "let's sort out the router first" when an agent was offered for something else.
func askUpdateSorryAfter(t *turn, lead msgKey) []Action {
	acts := t.b.askUpdate(t.c)
	if t.r.RestartOnly && !t.b.RestartOnly {
		// "can u reboot the router pls": what the bot does is an update and a restart, said
		// once, in the confirmation's question itself
		switch t.c.State {
		case StateConfirmUpdate:
			if t.c.Proposed == valSerialWithAgent {
				break // "the one you gave a moment ago?": what it is, asked
			}
			acts[0].Text = t.textf(msgConfirmRestartWithUpdate, "router", t.c.RouterID)
		case StateAskSerial:
			acts = leadWith(t.text(msgRestartWithUpdate), acts)
		}
	}
	if lead != "" {
		acts = leadWith(t.text(lead), acts)
	}
	if also := t.b.alsoInParts(t); also != "" && !t.r.Tapped {
		// "update my router please. And why did my bill go up?": the other question too,
		// before the confirmation, and its agent after the update
		if name := t.alsoAsked(true); t.b.catalog().Topics()[name].Agent != TopicNone {
			also = joinText(also, t.text(msgAgentAfterUpdate))
			t.c.promiseAgentAfter(name)
		}
		acts = leadWith(also, acts)
	}
	if t.r.Has(intents.ActConnectionComplaint) {
		acts = leadWith(t.text(msgSorryTrouble), acts)
	}
	return acts
}

// takeUpdateOffer answers a yes to the bot's own offer of the update ("I can do that
// now"). A yes that names the update ("yes please go ahead with the update", "sim, pode
// atualizar") is the consent the confirmation would ask for: the update starts, on the
// router on file (the only one the bot updates for a contact who has one, so naming it
// first would add nothing). A bare "yes do it", or a router typed in this conversation,
// gets the confirmation naming the router.
func takeUpdateOffer(t *turn) []Action {
	if namedYesStarts(t) {
		t.c.RouterID = t.b.contactRouter(t.c)
		return t.b.startUpdate(t.c, t.now)
	}
	return t.b.askUpdate(t.c)
}

// okToOffer reports a plain acknowledgement ("ok", 👍, 👌) of the offer just made: its
// yes, as to a yes-or-no question; not "got it" (understood), nor "ok, later".
func okToOffer(t *turn) bool {
	return t.r.Acts.Without(intents.ActPolite).Only(intents.ActAcknowledge) && t.r.Words <= 4 && !t.r.Question &&
		!t.r.Understood && !t.r.NotYet && len(t.r.Serials) == 0
}

// namedYesStarts reports a yes that names the update ("sí, actualízalo") where it starts
// the update at once: on the contact's router on file, none running, tries left.
func namedYesStarts(t *turn) bool {
	own := t.b.contactRouter(t.c)
	return t.r.NamesUpdate && t.r.Has(intents.ActAffirm) && !t.r.Question && own != "" && t.b.routerID(t.c) == own &&
		!t.b.retriesSpent(t.c) && !(t.c.Update != nil && t.c.Update.Active)
}

// noSuchOption is the number typed alone that names no button of the open menu ("3" to
// two buttons), as the customer wrote it.
func noSuchOption(t *turn) (string, bool) {
	text := strings.TrimSpace(t.r.Text)
	n, err := strconv.Atoi(text)
	if err != nil || t.c.Menu == nil || len(t.c.Menu.Items) == 0 || t.r.Choice != 0 || (n >= 1 && n <= len(t.c.Menu.Items)) {
		return "", false
	}
	return text, true
}

// asksForPerson reports a person asked for in words. A button tapped ("Wait for an agent")
// is its menu's answer; an old "Wait for an agent" tapped after a question in between is
// the wait it chose (old_button), not a new request that would ask it again.
func asksForPerson(t *turn) bool {
	return t.r.Has(intents.ActAskPerson) && t.r.Choice == 0 && t.c.State != StateIntake && t.c.State != StateInLine &&
		t.b.staleButton(t.r.Text) != valWait
}

// askedForPerson hands off, or asks the intake, or offers the wait, for a person asked for.
func askedForPerson(t *turn) []Action {
	reason := ReasonIntent
	switch t.c.State {
	case StateUpdateFailed:
		reason = ReasonRouterFailure
	case StateOfferAgent:
		// the offer's own reason: "the customer is frustrated", not "did not understand
		// the customer" when it offered a person to an angry customer who takes it
		if t.c.HandoffReason != "" {
			reason = t.c.HandoffReason
		}
	}
	if reason == ReasonIntent && (t.personAbout() != "" || t.personTold() != "") {
		reason = ReasonTopic // "...quero falar com alguém sobre essa cobrança a mais": the bill's
	}
	return t.b.requestHandoff(t.ctx, t.c, reason, t.now)
}

// leadWith puts text before the first message of acts, in the same message (two sent
// together may show in either order); acts with no message first are left as they are.
func leadWith(text string, acts []Action) []Action {
	if len(acts) > 0 && acts[0].Text != "" {
		acts[0].Text = joinText(text, acts[0].Text)
	}
	return acts
}

func (t *turn) text(key msgKey) string { return t.b.t(t.b.voice(t.c), key) }

// textf is the text of key in the conversation's voice, its placeholders filled in from
// name, value pairs (Bot.tf).
func (t *turn) textf(key msgKey, pairs ...string) string {
	return t.b.tf(t.b.voice(t.c), key, pairs...)
}

const (
	// clearConfidence is the classifier's confidence from which a request is clearly
	// one: below it, a question during an update or right after a topic's answer is read
	// in their context. The built-in classifier gives the topics' own phrasings 0.9 and
	// more, and a word or two that merely sound like one ("netflix" and billing) less.
	clearConfidence = 0.85
	// updateLean is the classifier's confidence in the update, under its threshold, from
	// which words that name the update are taken for a request of it.
	updateLean = 0.4
	// maxFollowUpWords is the longest question read as a follow-up of the topic just
	// answered ("and how do I change it?").
	maxFollowUpWords = 8
	// maxGreetingWords is the longest greeting that is only one ("hi, good morning, how
	// are you doing?"); a longer one says something more.
	maxGreetingWords = 9
	// maxThanksWords is the longest question that is only thanks ("muchas gracias, ¿ok?");
	// a longer one asks something more.
	maxThanksWords = 4
)

// clearRequest reports a turn the classifier clearly reads as a request of its own: the
// update, its status, a person, help or a topic.
func clearRequest(t *turn) bool {
	if t.r.Confidence < clearConfidence {
		return false
	}
	switch t.r.Intent {
	case intents.UpdateRouter, intents.UpdateStatus, intents.HumanAgent, intents.Help:
		return true
	}
	_, topic := t.b.catalog().Topics()[t.r.Intent]
	return topic
}

// putsOff reports a turn that puts the question off rather than answering it ("actually no
// hang on", "no espere, ahora no puedo", "maybe tmrw"): a not-yet without a yes, no cancel
// and no goodbye ("vale, hasta luego" leaves).
func putsOff(t *turn) bool {
	// "a password do wifi mantém-se igual depois da atualização?": the "depois" is the
	// settings question's, which puts nothing off
	return t.r.NotYet && !t.r.Tapped && !t.r.Has(intents.ActCancel) && !t.r.Has(intents.ActGoodbye) && (saysNo(t) || !saysYes(t)) &&
		!t.r.Has(intents.ActSettingsQuestion)
}

// asksElse reports a turn that clearly asks for something other than the agent offered:
// the update, its status, or another topic than the one the offer is for.
func asksElse(t *turn) bool {
	if !clearRequest(t) {
		return false
	}
	switch t.r.Intent {
	case intents.HumanAgent, intents.Help:
		return false
	case intents.UpdateRouter, intents.UpdateStatus:
		return true
	}
	return !(t.c.HandoffReason == ReasonTopic && t.r.Intent == t.c.Topic)
}

// greet answers a hello: who the bot is and what it can do, the first time in a
// conversation; a hello again ("oi de novo" after an agent handed back) and the menu.
// A "how are you?" beside the hello ("oii tudo bem?") is answered in it.
func greet(t *turn) []Action {
	key := msgGreeting
	if t.c.Introduced {
		key = msgGreetingAgain
	}
	t.c.Introduced = true
	text := t.b.greetingAs(t.b.voice(t.c), t.c.Contact.Name, key)
	if t.r.HowAreYou {
		text = t.b.greetingWell(t.b.voice(t.c), t.c.Contact.Name, key)
	}
	return []Action{say(text), t.b.mainMenu(t.c)}
}

// cancelQuestion calls off the open question.
func cancelQuestion(t *turn) []Action {
	t.c.closeQuestion()
	return []Action{say(t.text(msgCancelled)), t.b.mainMenu(t.c)}
}

// keepChatting declines an agent: the customer stays with the bot.
func keepChatting(t *turn) []Action {
	t.c.closeQuestion()
	return []Action{t.b.mainMenu(t.c)}
}

// declinesAgent reports the agent offered declined: "Keep chatting" tapped, or a no that
// asks nothing else; never trouble told beside it ("no, and the internet is still slow").
func declinesAgent(t *turn) bool {
	if t.r.Has(intents.ActConnectionComplaint) && !t.r.Tapped {
		return false
	}
	return chose(valContinue)(t) || saysNo(t) && !asks(t)
}

// agentDeclined declines an agent offered: "no gracias" typed is understood, with whether
// there is anything else, never a bare "what would you like to do?" offering the agent just
// refused; "Keep chatting" tapped, or a no with more in it, gets the menu.
func agentDeclined(t *turn) []Action {
	if !t.r.Tapped && t.r.Has(intents.ActDeny) && t.r.Acts.Without(intents.ActDeny).Without(intents.ActThanks).Without(intents.ActPolite) == 0 {
		t.c.closeQuestion()
		return declined(t)
	}
	return keepChatting(t)
}

// declined answers a no to what the bot offered: understood, and "anything else?".
func declined(t *turn) []Action {
	t.c.ask(StateAnythingElse, nil)
	return []Action{say(t.text(msgMenuDeclined))}
}

// closing answers an acknowledgement or a goodbye once: to a second in a row that would
// get the same reply the bot says nothing, rather than the same sentence again.
func (b *Bot) closing(c *Conversation, key msgKey) []Action {
	return b.closingWith(c, key, b.t(b.voice(c), key))
}

// closingWith is closing with the reply of key written out (its {when} filled in).
func (b *Bot) closingWith(c *Conversation, key msgKey, text string) []Action {
	if c.Closed == string(key) {
		return nil
	}
	c.Closed = string(key)
	return []Action{say(text)}
}

// bye answers a goodbye once; a customer in line ("vale, pues nada, hasta mañana") hears
// that they stay in it and will be told here, not "write to me whenever you need".
// A thanks with it ("obrigada meu filho, Deus te abençoe") is answered first.
func (t *turn) bye() []Action {
	key, text := msgBye, t.text(msgBye)
	if t.c.Waiting {
		key, text = msgByeInLine, t.b.inLineText(t.ctx, t.c, t.now, msgByeInLine, msgByeInLineUntil)
	}
	if t.r.Has(intents.ActThanks) {
		text = t.text(msgWelcome) + " " + text
	}
	return t.b.closingWith(t.c, key, text)
}

// staleButton is the value of a button of the bot's menus, in any language, whose title
// is text: one tapped on a menu no longer open. Only buttons whose meaning does not
// depend on their menu count.
func (b *Bot) staleButton(text string) string {
	for _, lang := range b.catalog().Languages() {
		for _, k := range []struct {
			key   msgKey
			value string
		}{{btnKeepChatting, valContinue}, {btnAgent, valAgent}, {btnWait, valWait}} {
			if text == b.t(lang, k.key) {
				return k.value
			}
		}
	}
	return ""
}

// otherRouter answers a serial, or "that's not my router", typed to the confirmation.
// The router of a contact who has one is the only one the bot updates for them: an agent
// corrects it in Chatwoot.
func (b *Bot) otherRouter(t *turn) []Action {
	c := t.c
	if own := b.contactRouter(c); own != "" {
		if serial, ok := otherSerial(t.r.Serials, own); ok {
			// "not my router, I have two, the main one is KT-2231-XB09": that serial
			// answered, not the router on record said again
			if t.r.Has(intents.ActWrongRouter) && !t.r.AnotherRouter {
				c.DisownedRouter = own // "that's not my router, mine is ...": a new one
			}
			return []Action{b.serialNotOnRecord(t, serial)}
		}
		if t.r.AnotherRouter && c.DisownedRouter != own {
			return b.otherRouterSpoken(t) // "I have another one upstairs": which one is on record
		}
		if c.DisownedRouter == own {
			// told once already, and still on file (an agent said it was changed): not the
			// same words again, an agent straight away
			return append([]Action{say(b.tf(b.voice(c), msgStillNotYourRouter, "router", own))},
				b.requestHandoff(t.ctx, c, ReasonNotOnRecord, t.now)...)
		}
		c.DisownedRouter = own
		return []Action{say(b.tf(b.voice(c), msgOnlyYourRouter, "router", own)), b.offerAgentMenu(c, b.t(b.voice(c), msgWhatNow), ReasonNotOnRecord)}
	}
	if serial, ok := otherSerial(t.r.Serials, c.RouterID); ok {
		return b.confirmTyped(t, serial)
	}
	c.ask(StateAskSerial, nil)
	c.BadAnswers = 0
	return []Action{say(b.t(b.voice(c), msgAskSerial))}
}

// otherSerial reads a serial typed to the confirmation naming current: the one serial of
// the text, or of two the one that is not current ("it's ZX-1234-CD56, not ZX-9900-AB12").
// A phone number is no correction: a serial typed here must have a letter too.
func otherSerial(serials []string, current string) (string, bool) {
	found := slices.DeleteFunc(slices.Clone(serials), func(s string) bool {
		return !sameSerial(s, current) && !strings.ContainsFunc(s, unicode.IsLetter)
	})
	switch {
	case len(found) == 1 && !sameSerial(found[0], current):
		return found[0], true
	case len(found) == 2 && sameSerial(found[0], current):
		return found[1], true
	case len(found) == 2 && sameSerial(found[1], current):
		return found[0], true
	}
	return "", false
}

// sameSerial reports whether two serials are one, written with or without their dashes
// ("zx9900ab12" is ZX-9900-AB12).
func sameSerial(a, b string) bool {
	return strings.EqualFold(serialSeparators.Replace(a), serialSeparators.Replace(b))
}

// serialSeparators are what a serial may be typed with or without.
var serialSeparators = strings.NewReplacer("-", "", " ", "")

// callOffHandoff drops a handoff the customer no longer wants.
func (b *Bot) callOffHandoff(c *Conversation) {
	c.Intake, c.IntakeThenWait, c.HandoffReason = nil, false, ""
	c.closeQuestion()
}

// leaveLineAsked takes a waiting customer out of line at their request.
func (b *Bot) leaveLineAsked(c *Conversation) []Action {
	return append(b.leftLine(c), say(b.t(b.voice(c), msgLeftLine)), b.mainMenu(c))
}

// leftLine takes a waiting customer out of line at their request, before anything is said.
func (b *Bot) leftLine(c *Conversation) []Action {
	acts := b.leaveLine(c)
	b.leftLineAsked(c)
	return acts
}

// leftLineAsked notes a customer out of line at their request, the bot's (leftLine) or the
// agents' (leaveAgentLine): what they told is kept for a return to it, the metric counts
// it, and no question stays open.
func (b *Bot) leftLineAsked(c *Conversation) {
	c.LeftLine = true
	if told := toldAnswers(c.Intake); len(told) > 0 {
		c.LeftLineTold = told // what they told is kept for a return to the line
	}
	if b.OnHandoff != nil {
		b.OnHandoff(c.HandoffReason, "left_line")
	}
	c.closeQuestion()
}

// puzzled reports a message of question marks or a thinking face alone: "?", "¿?", "🤔".
func puzzled(text string) bool {
	text = strings.TrimSpace(text)
	return text != "" && strings.Trim(text, "?¿ 🤔") == ""
}

// intakeAside answers, with answer, a question the customer asks back at the intake ("why
// do you need that?", "how long will it take?"): never stored as the description the agent
// reads. The same question twice in a row, the customer would rather not say: the handoff
// goes on without a description. name is the rule's own.
func intakeAside(name string, answer func(*turn) []Action) func(*turn) []Action {
	return func(t *turn) []Action {
		if t.c.LastRule == name {
			return t.b.onIntakeAnswer(t.c, "", true, t.now)
		}
		return answer(t)
	}
}

// wifiAskedRule answers a question of the Wi-Fi whose remedy is also the update and
// restart: the catalog's answer, then the update offered.
func wifiAskedRule(name, question string) rule {
	return rule{name, func(t *turn) bool {
		tp, ok := t.b.catalog().Topics()[topicWifi]
		return ok && tp.Questions[question] != nil && slices.Contains(t.r.Asks, question) && !superseded(t.r.Asks, question) && !t.r.Has(intents.ActAskPerson) &&
			!(t.c.Update != nil && t.c.Update.Active) && !t.c.updatedRecently(t.now) && !t.b.retriesSpent(t.c)
	}, func(t *turn) []Action {
		text := t.b.catalog().topicQuestion(topicWifi, question, t.b.voice(t.c))
		m := t.b.mainMenu(t.c)
		t.c.Proposed = valUpdateRouter // "ok do it" takes the update it speaks of
		return welcomed(t, []Action{say(text), m})
	}}
}

// topicQuestionAsked reports "y cuándo vence?", "e se eu nn pagar, vcs cortam?" after the
// bill, "how much is the 500?" after the plans, "or just cancel altogether tbh": a question
// the topic answers (where it is told, who can tell it), or a topic named in words; never
// "I can't do that" to a question, nor an "ok" before it taken for the end, nor a worry
// taken for a complaint. A trouble with the connection beside it is answered first (the
// update).
func topicQuestionAsked(t *turn) bool {
	name, q := t.askedAbout()
	return name != "" && (q != "" || !clearRequest(t)) && !t.r.Has(intents.ActGoodbye) && !t.r.Has(intents.ActAskPerson) &&
		!t.r.Has(intents.ActConnectionComplaint)
}

// answerTopicQuestion answers the topic a question asks about.
func answerTopicQuestion(t *turn) []Action {
	name, _ := t.askedAbout()
	acts := welcomed(t, t.b.answerTopics(t, name))
	if t.r.Has(intents.ActFrustration) && !slices.Contains(t.r.Asks, questionVisitMissed) { // "...nadie me explica nada, es una verguenza"; a visit missed gets its own sorry
		acts = leadWith(t.text(msgSorryTopic), acts)
	}
	return acts
}

// intakeSkip reports the intake's question skipped: Skip tapped, or a skip in words ("no
// sé, sáltalo", "prefer not to say"). A skip only the learned reader hears in a longer
// answer ("es por lo del datáfono, necesito saber si puedo seguir cobrando") is no skip,
// nor the button it picks: the answer is the problem described, whatever it names.
func intakeSkip(t *turn) bool {
	if !t.r.Has(intents.ActSkip) && t.choice() != valSkip {
		return false
	}
	return t.r.Tapped || !(t.r.OnlyLearned(intents.ActSkip) && t.r.Words > maxLearnedSkipWords)
}

// maxLearnedSkipWords is the most words of an intake answer in which a skip the learned
// reader alone hears ("nah pass", "dejémoslo así") is taken.
const maxLearnedSkipWords = 5

// connectionComplaintRule answers a trouble with the connection told: the update offered,
// or, after one, what comes next. A photo of red lights told in words takes it too (media.go).
var connectionComplaintRule = rule{"connection_complaint", has(intents.ActConnectionComplaint), func(t *turn) []Action {
	if t.c.updatedRecently(t.now) { // an update did not help: a person first, another update second
		// "...aliás, vou me mudar, dá pra levar a internet?": the move answered too
		return []Action{t.b.stillTroubleMenu(t.c, t.b.alsoTopic(t), t.now)}
	}
	if t.c.lastFailed() {
		t.c.InternetDownTold = true // what a failure says next never contradicts it
	}
	if t.b.retriesSpent(t.c) { // the update failed every time: a person
		return []Action{t.b.offerAgentMenu(t.c, t.text(msgTriedEnough), ReasonRouterFailure)}
	}
	if t.c.lastFailed() { // "minha internet não voltou" after a failed update: what failed, and a person
		if t.c.LastRule == "connection_complaint" && t.c.State == StateOfferAgent {
			return []Action{t.b.offerAgentMenu(t.c, t.text(msgStillTrouble), ReasonRouterFailure)}
		}
		return []Action{t.b.offerAgentMenu(t.c, t.b.stillDownText(t.c), ReasonRouterFailure)}
	}
	text := msgConnectionTrouble
	switch {
	case cardMachineNamed(t):
		// "the card machine cannot connect since morning, customers cannot pay by card":
		// understood as the shop's card payments, which hang on its internet (card_machine.go)
		text = msgCardMachineTrouble
	case t.c.troubleToldAgain(): // "el internet", then "lento": the offer, not the same words
		text = msgConnectionTroubleMore
	}
	said := t.text(text)
	if also := t.b.alsoInParts(t); also != "" {
		// "...the internet has been very slow... Also, why did my bill go up?": the
		// other question answered too, and its agent after the update
		if name := t.alsoAsked(true); t.b.catalog().Topics()[name].Agent != TopicNone {
			also = joinText(also, t.text(msgAgentAfterUpdateOffered))
			t.c.promiseAgentAfter(name)
		}
		said += "\n\n" + also
	}
	menu := t.b.mainMenu(t.c)
	t.c.Proposed = valUpdateRouter // a yes now takes the offer
	return []Action{say(said), menu}
}}

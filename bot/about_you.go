package bot

import (
	"github.com/cwbot/cwbot/intents"
)

// Questions beside the service: what the bot knows of the customer, a request to delete
// it, small talk, a customer who says who writes. Each gets an honest answer: what the bot
// sees (the contact's name and number as WhatsApp gives them, the router on the account,
// what was written here), that only an agent takes a privacy request (offered, never
// pretended done), that the bot cannot help with the weather or a joke, and a hello back.

// Texts of them (content.yaml).
const (
	msgDataHeld         msgKey = "data_held"
	msgDataHeldNoRouter msgKey = "data_held_no_router"
	msgDataHeldMore     msgKey = "data_held_more"
	msgDataDelete       msgKey = "data_delete"
	msgDataDeleteInLine msgKey = "data_delete_in_line"
	msgOffTopic         msgKey = "off_topic"
	msgOffTopicAgain    msgKey = "off_topic_again"
	msgIAmBotAgain      msgKey = "i_am_bot_again"
	msgNeverMind        msgKey = "never_mind"
	msgScamAsked        msgKey = "scam_asked"
	msgScamAskedAgain   msgKey = "scam_asked_again"
	msgScamWhatAsked    msgKey = "scam_what_asked"
	msgGotMessage       msgKey = "got_message"
	msgPhoneUnanswered  msgKey = "phone_unanswered"
)

// ReasonPrivacy: the customer asks to see or delete their personal data; the bot cannot
// act on it, an agent takes the request.
const ReasonPrivacy = "privacy_request"

// scamAskedRule answers "wait before i say yes. how do i know this is not scam", "isso é
// golpe?", "no es una estafa no? me llegó un sms pidiéndome la clave del banco": who
// writes, that this is the company's own chat, that bank details are never asked for, here
// or by text, and a message asking for them is not to be answered; then the question that was open (the update's confirmation waits for the yes).
// Never the frustration its word "scam" reads, nor an agent offered for it. While an
// update runs or in line, the answer only: the open question is theirs to come.
var scamAskedRule = rule{"scam_asked", func(t *turn) bool {
	r := t.r
	return r.AsksScam && !r.Has(intents.ActAskPerson) && len(r.Serials) == 0 && !r.Tapped
}, func(t *turn) []Action {
	said := say(t.text(msgScamAsked))
	if t.c.ScamTold { // asked again, right after or later: shorter, not word for word
		said = say(t.text(msgScamAskedAgain))
	}
	t.c.ScamTold = true
	if t.c.State == StateUpdating || t.c.Waiting {
		return []Action{said}
	}
	return []Action{said, t.b.questionAgain(t.c)}
}}

// scamWhatAskedRule answers "Vocês vão pedir meu cpf ou senha do banco?", "will you ask
// for my bank password?": the question itself (a bank password never; no ID number asked
// here; an agent may ask for one to confirm the holder, never passwords, codes or card
// details), not the scam paragraph again.
var scamWhatAskedRule = rule{"scam_what_asked", func(t *turn) bool {
	r := t.r
	return r.AsksWhatAsked && !r.Has(intents.ActAskPerson) && len(r.Serials) == 0 && !r.Tapped
}, func(t *turn) []Action {
	t.c.ScamTold = true
	said := say(t.text(msgScamWhatAsked))
	if t.c.State == StateUpdating || t.c.Waiting {
		return []Action{said}
	}
	return []Action{said, t.b.questionAgain(t.c)}
}}

// gotMessageRule answers a first message that asks of a message from us ("Boa tarde.
// Recebi mensagem de vcs?"): this is the official channel, no message from us is here
// before it, what to do with one asking for passwords, and what the bot can do; never the
// welcome alone, as if nothing was asked.
var gotMessageRule = rule{"got_message", func(t *turn) bool {
	r := t.r
	return r.GotMessage && len(t.c.Recent) <= 1 && !t.c.Introduced && !r.Has(intents.ActAskPerson) && len(r.Serials) == 0 &&
		!r.Tapped && !asks(t)
}, func(t *turn) []Action {
	t.c.Introduced = true
	lang := t.b.voice(t.c)
	return []Action{say(t.b.tf(lang, msgGotMessage, "hello", t.b.hello(lang, t.c.Contact.Name))), t.b.mainMenu(t.c)}
}}

// dataAskedRule answers "what do you know about me?", "quisiera que borren mis datos",
// "o que vcs sabem sobre mim? quero que apaguem meus dados": what the bot sees, and for a
// request to delete it an agent offered (in line, the agent they wait for). Never "All
// right!", which reads as done. At the intake a request to delete is the problem told.
var dataAskedRule = rule{"data_asked", func(t *turn) bool {
	if t.r.Has(intents.ActAskPerson) || t.c.State == StateAskSerial {
		return false
	}
	if t.r.AsksDataDeleted {
		return t.c.State != StateIntake
	}
	return t.r.AsksData
}, func(t *turn) []Action {
	held := ""
	if t.r.AsksData {
		held = t.b.dataHeld(t.c)
	}
	switch {
	case t.r.AsksDataDeleted && t.c.Waiting:
		return []Action{say(joinText(held, t.text(msgDataDeleteInLine)))}
	case t.r.AsksDataDeleted:
		return []Action{t.b.offerAgentMenu(t.c, joinText(held, t.text(msgDataDelete)), ReasonPrivacy)}
	}
	return []Action{say(joinText(held, t.text(msgDataHeldMore))), t.b.questionAgain(t.c)}
}}

// dataHeld says what the bot sees of the customer: the contact's name and number, the
// router on the account when there is one, and what they write.
func (b *Bot) dataHeld(c *Conversation) string {
	contact := c.Contact.Name
	if c.Contact.Phone != "" {
		contact = joinWith(", ", contact, c.Contact.Phone)
	}
	if id := b.routerID(c); id != "" {
		return b.tf(b.voice(c), msgDataHeld, "contact", contact, "router", id)
	}
	return b.tf(b.voice(c), msgDataHeldNoRouter, "contact", contact)
}

// offTopicRule answers small talk and what the service has nothing to do with ("tell me a
// joke", "¿cómo va a estar el clima mañana?", "quanto foi o jogo do flamengo?"): it cannot
// help with that here, what it can do, and the open question again. Never the update's
// status its words may sound like, nor a sorry for anger, nor a count toward "I keep
// misunderstanding". Anything of the service beside it is that instead.
var offTopicRule = rule{"off_topic", func(t *turn) bool {
	return t.r.OffTopic && !asks(t) && !t.r.NamesInternet && !t.r.Has(intents.ActAskPerson) &&
		!t.r.Has(intents.ActConnectionComplaint) && !t.r.Has(intents.ActOutageArea) && len(t.r.Serials) == 0 && t.r.Choice == 0
}, func(t *turn) []Action {
	if t.c.LastRule == "off_topic" { // a second in a row: shorter, not word for word
		return []Action{say(t.text(msgOffTopicAgain)), t.b.questionAgain(t.c)}
	}
	return []Action{say(t.text(msgOffTopic)), t.b.questionAgain(t.c)}
}}

// introducedRule answers a customer who says who writes and asks nothing yet ("Buenos
// días. Le escribe Mª Carmen Álvarez, titular de la línea."): a hello, and how the bot can
// help. The classifier, which hears a cancellation in "titular de la línea", reads a request
// clearly only where one is made. Another person named the holder ("I'm writing for my
// mum, she's the account holder") is the context told (context_told), not who writes.
var introducedRule = rule{"introduced", func(t *turn) bool {
	rest := t.r.Acts.Without(intents.ActGreeting).Without(intents.ActPolite).Without(intents.ActThanks)
	clear := t.r.Intent != intents.OutOfScope && t.r.Intent != intents.Greeting && t.r.Intent != intents.Thanks &&
		t.r.Confidence >= clearConfidence
	return t.r.Introduces && !t.r.ForOther && !clear && rest == 0 && len(t.r.Serials) == 0 && t.r.Words <= maxIntroductionWords &&
		t.c.State != StateIntake && t.c.State != StateAskSerial
}, func(t *turn) []Action {
	if !t.c.Introduced {
		return greet(t)
	}
	// greeted already ("Buenas" first, then "Le escribo de la Papelería El Progreso"):
	// pleased to meet them, not a bare hello once more
	return []Action{say(t.text(msgIntroducedAgain)), t.b.mainMenu(t.c)}
}}

// msgIntroducedAgain answers who writes, told after the hello (content.yaml).
const msgIntroducedAgain msgKey = "introduced_again"

// maxIntroductionWords is the longest introduction read as one ("Buenos días. Le escribe
// Mª Carmen Álvarez, titular de la línea." is ten words); a longer message says more.
const maxIntroductionWords = 14

package bot

import "github.com/cwbot/cwbot/intents"

// A customer wary of a scam ("Isso aqui é golpe?", "is this a scam?", "¿cómo sé que de
// verdad son ustedes?", "Como eu sei que é mesmo da operadora?"): this is the company's
// own channel, it never asks for passwords, codes, bank details or payments here, and how
// to check it by calling the company; the open question again. Never "didn't understand",
// nor a handoff the "operadora" it names was read as.

// Its texts (content.yaml).
const (
	msgTrustAsked      msgKey = "trust_asked"
	msgTrustAskedAgain msgKey = "trust_asked_again"
)

// trustAskedRule answers whether the chat is really the company's, whatever the state;
// asked again right after, shorter, not word for word.
var trustAskedRule = rule{"trust_asked", func(t *turn) bool {
	return t.r.AsksTrust && !t.r.Has(intents.ActAskPerson) && len(t.r.Serials) == 0 && !t.r.Tapped
}, func(t *turn) []Action {
	if t.c.LastRule == "trust_asked" {
		return []Action{say(t.text(msgTrustAskedAgain)), t.b.questionAgain(t.c)}
	}
	return []Action{say(t.text(msgTrustAsked)), t.b.questionAgain(t.c)}
}}

package bot

import "github.com/cwbot/cwbot/intents"

// A customer back in the chat who says so ("voltei, é o Kauã de novo. meu cunhado foi
// embora kkk", "ya volví", "I'm back"): greeted back, with where things stand (the
// update's step while it runs, else the open question or what the bot can do); never
// "didn't understand".

const (
	msgBackAgain     msgKey = "back_again"
	msgBackAgainName msgKey = "back_again_name"
)

// backAgainRule answers a customer back who says so and asks nothing more.
var backAgainRule = rule{"back_again", func(t *turn) bool {
	r := t.r
	rest := r.Acts.Without(intents.ActGreeting).Without(intents.ActLaugh).Without(intents.ActPolite).Without(intents.ActAcknowledge)
	return r.BackAgain && rest == 0 && !r.Question && !asks(t) && len(r.Asks) == 0 && len(r.Serials) == 0 && r.Choice == 0
}, func(t *turn) []Action {
	hello := t.text(msgBackAgain)
	if first := firstName(t.c.Contact.Name); first != "" {
		hello = t.textf(msgBackAgainName, "name", first)
	}
	t.c.Introduced = true
	if u := t.c.Update; u != nil && u.Active {
		return []Action{say(t.runningStatusAfter(hello))}
	}
	return leadWith(hello, []Action{t.b.questionAgain(t.c)})
}}

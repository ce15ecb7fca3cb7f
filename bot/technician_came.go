package bot

import "github.com/cwbot/cwbot/intents"

// A technician's visit that already took place, told ("Le comento que la semana pasada vino
// el técnico y me cambió el módem"): a fact, often why the router is new, and the start of
// what the customer writes about. The classifier hears the technician topic in it; the bot
// takes the fact in and asks what goes on now, with what it can do; never a visit to book.

// msgTechnicianCame takes the visit in and asks what goes on now (content.yaml).
const msgTechnicianCame msgKey = "technician_came"

// technicianCameRule answers a past visit told with nothing else in it but courtesies: no
// trouble with the connection (its own rules answer it, the visit told beside it or not),
// no router disowned ("esse número não é o meu, o técnico veio e trocou"), no new visit, no
// question of a topic ("¿tengo que pagar la visita?") and no person.
var technicianCameRule = rule{"technician_came", func(t *turn) bool {
	r := t.r
	_, topic := t.b.catalog().Topics()[r.Intent]
	more := r.Acts.Without(intents.ActPolite).Without(intents.ActGreeting).Without(intents.ActAcknowledge).Without(intents.ActThanks)
	return r.TechnicianCame && more == 0 && !r.AsksTechnician && !r.AnotherRouter && !r.NamesAgent && len(r.Asks) == 0 && len(r.Serials) == 0 &&
		(r.Intent == topicTechnician || !topic || !clearRequest(t)) && r.Intent != intents.UpdateRouter
}, func(t *turn) []Action {
	m := t.b.mainMenu(t.c)
	m.Text = t.text(msgTechnicianCame) + "\n\n" + m.Text
	return welcomed(t, []Action{m})
}}

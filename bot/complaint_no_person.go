package bot

import "github.com/cwbot/cwbot/intents"

// complaintNoPersonRule answers "I have a small provision shop, the card machine cannot
// connect since morning, customers cannot pay by card": a trouble with the connection told,
// in which only the learned reader hears a person asked for, and no words name one
// (person_words: "i want to talk to customer care executive" asks for one). The trouble is what was said: the outage, when the Outage API reports one, else the
// update the bot can do itself, beside an agent; never a handoff nobody asked for, filed
// under whatever topic "pay by card" sounds like.
var complaintNoPersonRule = rule{"complaint_no_person", func(t *turn) bool {
	return t.r.Has(intents.ActConnectionComplaint) && t.r.OnlyLearned(intents.ActAskPerson) && !t.r.NamesAgent && !t.r.NamesPerson &&
		!t.r.AsksBillingPerson && !t.r.Tapped && !t.c.Waiting && !(t.c.Update != nil && t.c.Update.Active) &&
		t.c.State != StateIntake && t.c.State != StateInLine && t.c.State != StateUpdating && t.c.State != StateOfferAgent
}, func(t *turn) []Action {
	if outageAsked(t) {
		return tellOutage(t)
	}
	return connectionComplaintRule.do(t)
}}

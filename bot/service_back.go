package bot

import "github.com/cwbot/cwbot/intents"

// msgServiceBack is the glad reply to "great, it works now" (content.yaml).
const msgServiceBack msgKey = "service_back"

// serviceBackRule answers a customer telling that their service works again ("great it
// works now", "¡genial, ya funciona!", "ótimo, voltou"): glad, and no question. It is
// news, not a yes: to "Shall I tell you when the service is back?" it subscribes to
// nothing, and a subscription made before is dropped (the end would tell them what they
// told us). A question ("is it working now?") asks instead, a complaint in the same
// message ("it works now but it's slow") is the complaint, and at the intake questions
// it is the answer. A typed yes beside it ("ahora sí, ya agarró. gracias" to "shall I put
// you through?") is the news's "now", no yes: only a tap picks a button here.
var serviceBackRule = rule{"service_back", func(t *turn) bool {
	r := t.r
	return r.Has(intents.ActWorksNow) && !r.Question && !r.Has(intents.ActConnectionComplaint) && !r.Has(intents.ActAskPerson) &&
		!r.Has(intents.ActDeny) && !r.Has(intents.ActFrustration) && !r.Tapped && !asksForMore(t) && t.c.State != StateIntake &&
		!r.Has(intents.ActRetry) // "funcionou. atualiza mais uma vez só pra ver": the update asked again (update_again_took)
}, func(t *turn) []Action {
	if t.c.Outage != nil {
		t.c.Outage.Subscribed = false
	}
	t.c.closeQuestion()
	t.c.Misunderstood = 0
	return []Action{say(t.text(msgServiceBack))}
}}

// asksForMore reports a request beside the news: the update or a topic ("ya funciona, pero
// quiero saber de mi factura"). The classifier's update_status is no request here: it
// takes "ya funciona" for one.
func asksForMore(t *turn) bool {
	_, topic := t.b.catalog().Topics()[t.r.Intent]
	return topic || t.r.Intent == intents.UpdateRouter
}

package bot

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cwbot/cwbot/intents"
)

// Outage awareness (optional): before the bot offers to restart a router, it asks the
// telco's Outage API whether an outage affects the customer's service. With one, it says
// so, with the time the telco expects it over, instead of restarting the router, and
// offers to tell the customer when it is. The end comes as an OutageEnded event (the
// telco's callback or the outage poller), and the customer is told proactively. An API
// that fails or is slow changes nothing: the bot answers as without it.

// Outage is what the Outage API says of a customer's service now.
type Outage struct {
	Active bool
	// ID names the outage; its end is told by it.
	ID string
	// Message is the telco's own words, for the agents (the customer gets ours).
	Message string
	// ETA is when the telco expects it over; zero when it does not say.
	ETA time.Time
}

// Outages tells whether an outage affects a customer's service, by their router or
// their phone number (either may be empty). The pipeline implements it with the Outage
// API, bounded by a short timeout.
type Outages interface {
	Outage(ctx context.Context, routerID, phone string) (Outage, error)
}

// OutageWatch is the outage a customer was told of: whether they wait to hear of its end,
// and what the poller asks the Outage API with.
type OutageWatch struct {
	ID       string    `json:"id"`
	Message  string    `json:"message,omitempty"`
	ETA      time.Time `json:"eta,omitempty"`
	RouterID string    `json:"router_id,omitempty"`
	Phone    string    `json:"phone,omitempty"`
	ToldAt   time.Time `json:"told_at"`
	// Subscribed says the customer asked to be told when it is over, at SubscribedAt.
	Subscribed   bool      `json:"subscribed,omitempty"`
	SubscribedAt time.Time `json:"subscribed_at,omitempty"`
	// UpdateWarned: the customer asked for a router update or restart and was told it
	// will not bring the service back; asked again, it is theirs to have.
	UpdateWarned bool `json:"update_warned,omitempty"`
	// EndedAt is when the bot learned the outage was over (Conversation.OutageOver).
	EndedAt time.Time `json:"ended_at,omitempty"`
}

// The bill asked about during an outage ("is it cos my direct debit bounced?"): not the
// bill, the outage; then the billing team for the payment (content.yaml).
const (
	msgOutageNotTheBill msgKey = "outage_not_the_bill"
	msgOutageBillAgent  msgKey = "outage_bill_agent"
)

// Texts of an outage told again: short, never the whole notice twice (content.yaml).
const (
	msgOutageStillOn       msgKey = "outage_still_on"
	msgOutageWhenETA       msgKey = "outage_when_eta"
	msgOutageWhenNoETA     msgKey = "outage_when_no_eta"
	msgOutageWhenETASame   msgKey = "outage_when_eta_same"
	msgOutageWhenNoETASame msgKey = "outage_when_no_eta_same"
	msgOutageStillWillTell msgKey = "outage_still_will_tell"
	msgOutageRestartNoHelp msgKey = "outage_restart_no_help"
	msgOutageUpdateAnyway  msgKey = "outage_update_anyway"
	msgOutageUpdatePurpose msgKey = "outage_update_purpose"
	msgOutageNoUpdateDone  msgKey = "outage_no_update_done"
	msgUpdateDoneOutage    msgKey = "update_done_outage"
	msgRestartDoneOutage   msgKey = "restart_done_outage"
	msgOutageOverAsked     msgKey = "outage_over_asked"
	// A person asked for at "Shall I tell you when the service is back?": the notice kept.
	msgOutageWillTellToo msgKey = "outage_will_tell_too"
)

// StateOutageNotice is the question "Shall I tell you when the service is back?":
// Tell me when fixed / Talk to an agent.
const StateOutageNotice State = "outage_notice"

// ReasonKnownOutage: handed off from the outage notice.
const ReasonKnownOutage = "known_outage"

const valNotify = "notify"

// outageRules run after the global rules and before the state's: the answers to the
// outage notice, and the notice itself, which takes the place of the restart.
var outageRules = []rule{
	{"outage_compensation", compensationAsked, offerCompensation},
	outageNotWarnedRule,        // "pq n avisaram antes" (outage_more.go)
	outageNotifyTakenTopicRule, // "righto. ... can i take the service with me" to the notice (outage_more.go)
	{"outage_over_asked", func(t *turn) bool {
		// "já voltou?", "is the outage over now? my light is still red" once it ended, the
		// customer not told: yes, plainly, never the estimate of an outage that ended; and
		// what the bot can do now that a restart may help.
		return outageOverAsked(t) || outageWhenAsked(t) && outageEndedNow(t)
	}, func(t *turn) []Action {
		t.c.endOutage(t.now) // over: kept a day for a request of compensation, out of the agent's note
		t.c.closeQuestion()
		return leadWith(t.text(msgOutageOverAsked), t.b.askUpdate(t.c))
	}},
	{"outage_over_still_down", outageOverStillDown, func(t *turn) []Action {
		// "ya volvió?? a mí todavía no me carga nada" after the bot told the outage is over:
		// the area is fine, and the restart that was no use during it may help now; never an
		// agent offered for the annoyance before what the bot can do itself.
		t.c.closeQuestion()
		return leadWith(t.text(msgOutageOverStillDown), t.b.askUpdate(t.c))
	}},
	{"outage_notify_over", func(t *turn) bool {
		// "ok thanks!" to "Shall I tell you when the service is back?", or the notice asked
		// for in words, once the Outage API no longer reports the outage: its end is the
		// answer, never a promise of a message the bot will not send (the end came while
		// nobody waited to hear of it).
		return (notifyTaken(t) || notifyLate(t)) && outageEndedNow(t)
	}, func(t *turn) []Action {
		t.c.endOutage(t.now)
		t.c.closeQuestion()
		return []Action{say(t.text(msgOutageOver))}
	}},
	{"outage_notify_taken", notifyTaken, subscribeOutage},
	{"outage_notify_agent", inOutageNotice(chose(valAgent)), func(t *turn) []Action {
		// Asked in words ("Please can I speak to somebody"), a person, and the notice kept,
		// since nothing refused it: an agent may hand back before the service is back, and
		// the customer still hears it here (with an agent, the agent is told instead). The
		// button tapped is the one chosen of the two.
		if t.r.Tapped || t.c.Outage == nil || t.c.Outage.Subscribed {
			return t.b.requestHandoff(t.ctx, t.c, ReasonKnownOutage, t.now)
		}
		t.c.Outage.Subscribed, t.c.Outage.SubscribedAt = true, t.now
		return append([]Action{say(t.text(msgOutageWillTellToo))}, t.b.requestHandoff(t.ctx, t.c, ReasonKnownOutage, t.now)...)
	}},
	{"outage_notify_declined", inOutageNotice(func(t *turn) bool {
		// "i've already restarted it, so don't tell me to do that" tells a restart done
		// (outage_restarted), whatever "don't" a reader hears as a no to the notice.
		return (saysNo(t) || t.r.Has(intents.ActCancel)) && !t.r.Restarted
	}), func(t *turn) []Action {
		t.c.closeQuestion()
		return []Action{say(t.text(msgOutageNoNotice))}
	}},
	{"outage_notify_late", notifyLate, subscribeOutage},
	{"outage_notify_again", func(t *turn) bool {
		// "text me when it's back ok?" once subscribed: the promise, not the estimate again.
		return t.c.Outage != nil && t.c.Outage.Subscribed && (t.b.isNotifyButton(t.r.Text) || asksToBeTold(t))
	}, func(t *turn) []Action {
		t.c.closeQuestion()
		return []Action{say(t.text(msgOutageStillWillTell))}
	}},
	{"outage_when_annoyed", func(t *turn) bool {
		// "whatever. how long", "¿y hasta cuándo?": sorry, then the estimate.
		return t.r.Has(intents.ActFrustration) && outageWhenAsked(t)
	}, func(t *turn) []Action {
		return []Action{say(t.text(msgOutageSorry) + " " + outageWhen(t, t.c.Outage.ETA))}
	}},
	{"outage_not_your_fault", func(t *turn) bool {
		// "is it my fault?", "fiz algo errado?" once told of the outage: no, and when it
		// should be over.
		return outageTold(t) && t.r.Has(intents.ActMyFault) && !t.r.Has(intents.ActAskPerson)
	}, func(t *turn) []Action {
		return outageTellMore(t, t.text(msgOutageNotYourFault)+" "+outageWhen(t, t.c.Outage.ETA))
	}},
	{"outage_bill_asked", func(t *turn) bool {
		// "is it cos my direct debit bounced last week?", "¿será porque no pagué?" once told
		// of the outage: no, the outage, and when it should be over; the payment is the
		// billing team's, offered. Never how to pay, nor the bill left unanswered.
		q := t.topicQuestion(topicBilling)
		return outageTold(t) && (hasQuestion(q, questionUnpaid) || hasQuestion(q, questionNotPaying)) && !t.r.Has(intents.ActAskPerson)
	}, func(t *turn) []Action {
		c := t.c
		agent := t.raiseUnpaid()
		said := t.text(msgOutageNotTheBill) + " " + outageWhen(t, c.Outage.ETA)
		if !agent {
			return []Action{say(said)}
		}
		return []Action{t.b.offerAgentMenu(c, said+"\n\n"+t.text(msgOutageBillAgent), ReasonTopic)}
	}},
	{"outage_zone_asked", func(t *turn) bool {
		// "ESSE HORARIO AI E DE QUAL FUSO? AQUI E MANAUS" once the outage's end was told:
		// the zone named, the time again, and the notice offered (zones.go)
		return outageTold(t) && t.r.AsksZone && !t.c.Outage.ETA.IsZero() && t.c.Outage.ETA.After(t.now) && !t.r.Has(intents.ActAskPerson)
	}, func(t *turn) []Action {
		eta, lang := t.c.Outage.ETA, t.b.voice(t.c)
		if t.b.Zone != nil {
			eta = eta.In(t.b.Zone)
		}
		return outageTellMore(t, t.b.tf(lang, msgOutageZone, "zone", t.b.zoneNameOrOffset(lang, eta), "when", t.b.etaIn(lang, eta, t.now, false)))
	}},
	{"outage_when", outageWhenAsked, func(t *turn) []Action {
		if t.c.LastRule == "outage_when" { // asked again right after: the same estimate, in other words
			eta := t.c.Outage.ETA
			if eta.IsZero() || !eta.After(t.now) {
				return []Action{say(t.text(msgOutageWhenNoETASame))}
			}
			return []Action{say(t.textf(msgOutageWhenETASame, "when", t.b.etaText(t.b.voice(t.c), eta, t.now)))}
		}
		if t.c.Update != nil && t.c.Update.Active && t.r.NamesUpdate {
			// "is the update done? and when will the outage be fixed?": both answered, in
			// the order asked
			return []Action{say(joinText(t.b.updateStatus(t.c)[0].Text, outageWhen(t, t.c.Outage.ETA)))}
		}
		if t.r.NamesUpdate && t.c.Outage.UpdateWarned && (t.c.Update == nil || !t.c.updatedRecently(t.now) && !t.c.Update.Active) {
			// "is the update done? and when...?" where none was done: none, and why
			return []Action{say(joinText(t.text(msgOutageNoUpdateDone), outageWhen(t, t.c.Outage.ETA)))}
		}
		return []Action{say(outageWhen(t, t.c.Outage.ETA))}
	}},
	{"outage_restarted", func(t *turn) bool {
		// "i've already restarted the router twice so dont tell me to do that" once told of
		// the outage: nothing more to do with the router; the notice offered. An update
		// asked for beside it ("I restarted it, can you update it?") is the request.
		return outageTold(t) && t.r.Restarted && !(t.r.Intent == intents.UpdateRouter && clearRequest(t)) &&
			!t.r.Has(intents.ActAskPerson)
	}, func(t *turn) []Action { return outageTellMore(t, t.text(msgOutageRestarted)) }},
	{"outage_frustrated", func(t *turn) bool {
		// "aff", "que absurdo" once told of the outage: sorry, when it should be over, and
		// the notice offered; more of it in a row goes to the common rules (an agent).
		rest := t.r.Acts.Without(intents.ActFrustration).Without(intents.ActPolite).Without(intents.ActAcknowledge)
		return outageTold(t) && t.r.Has(intents.ActFrustration) && rest == 0 && !asks(t) && t.c.LastRule != "outage_frustrated"
	}, func(t *turn) []Action {
		text := outageWhen(t, t.c.Outage.ETA)
		if t.c.LastRule != "outage_when_annoyed" { // sorry once, not twice in a row
			text = t.text(msgOutageSorry) + " " + text
		}
		return outageTellMore(t, text)
	}},
	{"outage_update_warned", updateAskedInOutage(false), func(t *turn) []Action {
		// "can't you just restart my router?" once told of the outage: it won't help, said
		// plainly, and what will instead.
		c := t.c
		c.Outage.UpdateWarned = true
		text := t.text(msgOutageRestartNoHelp)
		if c.Outage.Subscribed {
			c.closeQuestion()
			return []Action{say(text + "\n\n" + t.text(msgOutageStillWillTell))}
		}
		return append([]Action{say(text)}, askOutageNotice(t)...)
	}},
	{"outage_update_purpose_asked", func(t *turn) bool {
		// "entonces pa que actualizas el router?" once told it won't help: a "why then?",
		// no go-ahead. They are right; the update if they still want it, and the notice
		// offered again, never "All right, I can do it anyway".
		return t.r.Question && (t.r.AsksPurpose || t.r.AsksWhy) && !t.r.Has(intents.ActAffirm) && !t.r.Has(intents.ActAskPerson) &&
			(updateAskedInOutage(true)(t) || outageTold(t) && t.c.Outage.UpdateWarned && t.r.NamesUpdate)
	}, func(t *turn) []Action { return outageTellMore(t, t.text(msgOutageUpdatePurpose)) }},
	{"outage_update_anyway", updateAskedInOutage(true), func(t *turn) []Action {
		// Asked again once told it won't help: the customer's choice, confirmed with what
		// it will not do.
		acts := t.b.askUpdate(t.c)
		if t.c.State == StateConfirmUpdate {
			acts = append([]Action{say(t.text(msgOutageUpdateAnyway))}, acts...)
		}
		return acts
	}},
	outageHelloAgainRule, // "td" after "caiu" (outage_more.go)
	{"outage_active", outageAsked, tellOutage},
}

// Texts of an outage talked about further (content.yaml).
const (
	msgOutageSorry        msgKey = "outage_sorry"
	msgOutageRestarted    msgKey = "outage_restarted"
	msgOutageNotYourFault msgKey = "outage_not_your_fault"
	msgETAInMinutes       msgKey = "eta_in_minutes"
	msgETAInAnHour        msgKey = "eta_in_an_hour"
	msgETAInHours         msgKey = "eta_in_hours"
)

// outageWhenAsked reports a question about when the outage told will be over: "when will
// it be fixed?", "¿y para cuándo?", "vai voltar quando?", "tem previsão de volta?" after
// the outage was told get its expected end in a sentence, not the update's status, the
// outage topic's general answer or "didn't understand"; "whatever. how long", "¿y hasta
// cuándo?" ask it too, however fed up, and "ya y cuando vuelve" with no question mark.
// "y hasta que hora mas o menos?", "so wen e go come back" ask it too, whatever opening
// hours the classifier hears in "hasta que hora": nothing that opens is named.
func outageWhenAsked(t *turn) bool {
	return outageRecent(t) && t.c.State != StateIntake && t.c.State != StateAskSerial &&
		(t.r.Has(intents.ActStatusQuestion) || (t.r.Has(intents.ActHowLong) || t.r.AsksWhenBack || t.r.AsksUntilWhen) && !t.r.Has(intents.ActAskPerson) ||
			t.r.Question && (t.r.Intent == intents.OutOfScope || t.r.Intent == topicOutage) &&
				t.r.Words <= 8 && !t.r.Has(intents.ActAskPerson) && !t.r.Has(intents.ActFrustration) &&
				!t.r.Has(intents.ActOutageArea) && !t.r.Has(intents.ActConnectionComplaint))
}

// outageOverAsked reports a question about the outage told (or the connection, or when it
// ends) once the Outage API no longer reports it: it is over, whatever the notice said.
func outageOverAsked(t *turn) bool {
	if !outageRecent(t) || t.b.Outages == nil || t.c.Update != nil && t.c.Update.Active {
		return false
	}
	switch t.c.State {
	case StateIntake, StateAskSerial, StateConfirmUpdate, StateWithAgent, StateUpdating:
		return false
	}
	about := t.r.Has(intents.ActOutageArea) || t.r.Intent == topicOutage || t.r.Has(intents.ActConnectionComplaint) ||
		t.r.Has(intents.ActStatusQuestion) || t.r.Has(intents.ActHowLong)
	if !about || t.r.Has(intents.ActAskPerson) {
		return false
	}
	now, ok := t.outageNow()
	return ok && !now.Active
}

// outageRecent reports an outage the customer was told of within a day (outageTold adds
// that nothing else holds the conversation).
func outageRecent(t *turn) bool {
	o := t.c.Outage
	return o != nil && t.now.Sub(o.ToldAt) < 24*time.Hour
}

// outageTold reports a customer told of an outage within a day, with no question open that
// wants an answer of its own and no update running.
func outageTold(t *turn) bool {
	if !outageRecent(t) || t.c.Update != nil && t.c.Update.Active {
		return false
	}
	switch t.c.State {
	case StateIntake, StateAskSerial, StateConfirmUpdate, StateWithAgent, StateUpdating:
		return false
	}
	return true
}

// outageTellMore says text about the outage told, then what the customer may have of it:
// the notice offered, or, when they wait for it, that they will be told.
func outageTellMore(t *turn, text string) []Action {
	if t.c.Outage.Subscribed {
		t.c.closeQuestion()
		return []Action{say(text + "\n\n" + t.text(msgOutageStillWillTell))}
	}
	return append([]Action{say(text)}, askOutageNotice(t)...)
}

// etaText says when an outage should be over, from now: within a few hours as a duration
// and the time ("in about 2 hours, around 00:47"), never "tomorrow at 00:47" for something
// two hours away; later, the day and the time. The time is on the business's clock
// (Bot.Zone, BOT_TIMEZONE, the zone of the agents' hours), or, without one, in the eta's
// own UTC offset.
//
// In a country of several time zones the zone is named with the time ("around 9:49 AM
// Eastern time"): the customer may live in another (zones.go).
func (b *Bot) etaText(lang string, eta, now time.Time) string { return b.etaIn(lang, eta, now, true) }

// etaIn is etaText, the zone named with the time when named is set.
func (b *Bot) etaIn(lang string, eta, now time.Time, named bool) string {
	if b.Zone != nil {
		eta = eta.In(b.Zone)
	}
	clock := b.clockText(lang, eta.Hour()*60+eta.Minute())
	if named {
		clock = b.zoned(lang, clock, eta)
	}
	switch d := eta.Sub(now); {
	case d < 50*time.Minute:
		n := max(5, int((d+4*time.Minute+59*time.Second)/(5*time.Minute))*5) // up to the next 5 minutes
		return b.tf(lang, msgETAInMinutes, "n", strconv.Itoa(n), "time", clock)
	case d < 90*time.Minute:
		return b.tf(lang, msgETAInAnHour, "time", clock)
	case d < maxETAHours*time.Hour:
		return b.tf(lang, msgETAInHours, "n", strconv.Itoa(int((d+29*time.Minute)/time.Hour)), "time", clock)
	}
	return b.whenIn(lang, eta, now, named)
}

// maxETAHours is the farthest expected end said as a duration; beyond it, a day and a time
// say it better ("tomorrow at 09:00").
const maxETAHours = 10

// topicOutage is the catalog's topic, and the classifier's intent, of an outage asked
// about.
const topicOutage = "outage"

// outageWhen is when the telco expects the outage over, in a sentence.
func outageWhen(t *turn, eta time.Time) string {
	if eta.IsZero() || !eta.After(t.now) {
		return t.text(msgOutageWhenNoETA)
	}
	return t.textf(msgOutageWhenETA, "when", t.b.etaText(t.b.voice(t.c), eta, t.now))
}

// updateAskedInOutage reports a router update (or restart) asked for by a customer
// already told of the outage that still affects them: the first time (warned false) or
// once told it will not help (warned true).
func updateAskedInOutage(warned bool) func(*turn) bool {
	return func(t *turn) bool {
		o := t.c.Outage
		if o == nil || t.b.Outages == nil || o.UpdateWarned != warned {
			return false
		}
		if t.r.Intent != intents.UpdateRouter && t.choice() != valUpdateRouter && !updateLeaned(t) {
			return false
		}
		switch t.c.State {
		case StateIntake, StateAskSerial, StateConfirmUpdate, StateWithAgent, StateUpdating:
			return false
		}
		if t.c.Update != nil && t.c.Update.Active {
			return false
		}
		now, ok := t.outageNow()
		if ok && (!now.Active || now.ID != o.ID) {
			o.UpdateWarned = false // that outage is over: what was said of it no longer holds
			return false
		}
		return ok
	}
}

// outageNow is the Outage API's answer for this turn, asked once however many rules
// want it.
func (t *turn) outageNow() (Outage, bool) {
	if !t.outageAsked {
		t.outageAsked = true
		t.outage, t.outageKnown = t.b.outageNow(t.ctx, t.c)
	}
	return t.outage, t.outageKnown
}

// askOutageNotice asks whether to tell the customer when the service is back.
func askOutageNotice(t *turn) []Action { return []Action{t.b.outageNoticeMenu(t.c)} }

// outageNoticeMenu asks "Shall I tell you here when the service is back?", with an agent
// beside it.
func (b *Bot) outageNoticeMenu(c *Conversation) Action {
	c.ask(StateOutageNotice, []Item{
		{Title: b.t(b.voice(c), btnNotifyFixed), Value: valNotify},
		{Title: b.t(b.voice(c), btnAgent), Value: valAgent},
	})
	return menu(b.t(b.voice(c), msgOutageAsk), c.Menu.Items)
}

func inOutageNotice(cond func(*turn) bool) func(*turn) bool {
	return func(t *turn) bool { return t.c.State == StateOutageNotice && cond(t) }
}

// outageAsked reports a turn the bot answers with an outage: a complaint about the
// connection, an outage in the area or asked about, a router update asked for, or, from a
// customer who told of a problem in this conversation, when it will be over ("e quando
// volta?": the outage may have begun since) or what is going on ("ABEG WHAT IS HAPPENING
// NOW", "¿qué está pasando?"), when the Outage API reports one. The API is asked only then,
// and its answer is kept for tellOutage.
func outageAsked(t *turn) bool {
	if t.b.Outages == nil {
		return false
	}
	complaint := t.r.Has(intents.ActConnectionComplaint) || t.r.Has(intents.ActOutageArea) || t.r.Intent == topicOutage ||
		t.c.Described != "" && (t.r.Has(intents.ActStatusQuestion) || t.r.Has(intents.ActHowLong) || t.r.AsksWhenBack || t.r.AsksUntilWhen ||
			t.r.AsksWhy && !t.r.Has(intents.ActAskPerson))
	update := t.r.Intent == intents.UpdateRouter || t.choice() == valUpdateRouter
	if !complaint && !update {
		return false
	}
	switch t.c.State {
	case StateIntake, StateAskSerial, StateConfirmUpdate, StateWithAgent, StateUpdating:
		return false // an answer to the open question, or the drop of a running update
	}
	if t.c.Update != nil && t.c.Update.Active {
		return false
	}
	o, ok := t.outageNow()
	if !ok || !o.Active {
		return false
	}
	t.c.checked = &o
	return true
}

// outageNow asks the Outage API about the conversation's router and phone number. ok is
// false when there is nothing to ask with, or the API failed (logged): the bot goes on
// as without it.
func (b *Bot) outageNow(ctx context.Context, c *Conversation) (Outage, bool) {
	router, phone := b.routerID(c), c.Contact.Phone
	if router == "" && phone == "" {
		return Outage{}, false
	}
	o, err := b.Outages.Outage(ctx, router, phone)
	if err != nil {
		b.logger().Warn("outage API failed (answering as without it)", slog.Int64("conversation_id", c.ID), slog.Any("error", err))
		return Outage{}, false
	}
	return o, true
}

// tellOutage says an outage affects the customer, with the time the telco expects it
// over, and offers to tell them when it is. Told again (the same outage, within a day),
// it is said short: still on, and when it should be over.
func tellOutage(t *turn) []Action {
	c, lang := t.c, t.b.voice(t.c)
	o := *c.checked
	c.checked = nil
	text := t.text(msgOutageNoETA)
	if !o.ETA.IsZero() && o.ETA.After(t.now) {
		text = t.b.tf(lang, msgOutageETA, "when", t.b.etaText(lang, o.ETA, t.now))
	}
	prev := c.Outage
	again := prev != nil && prev.ID == o.ID && t.now.Sub(prev.ToldAt) < 24*time.Hour
	if again {
		text = t.text(msgOutageStillOn) + " " + outageWhen(t, o.ETA)
	}
	c.Outage = &OutageWatch{ID: o.ID, Message: o.Message, ETA: o.ETA, RouterID: t.b.routerID(c), Phone: c.Contact.Phone, ToldAt: t.now}
	// The notice says a restart won't help: an update asked for is answered.
	c.Outage.UpdateWarned = again && prev.UpdateWarned || t.r.Intent == intents.UpdateRouter || t.choice() == valUpdateRouter
	if prev != nil && prev.ID == o.ID && prev.Subscribed {
		// Told before, and waiting to hear of the end: no question again.
		c.Outage.Subscribed, c.Outage.SubscribedAt = true, prev.SubscribedAt
		c.closeQuestion()
		told := msgOutageWillTell
		if again {
			told = msgOutageStillWillTell
		}
		return []Action{say(text + "\n\n" + t.text(told))}
	}
	if again && c.State == StateOutageNotice {
		return []Action{say(text)} // its question is still open, its buttons just above
	}
	return append([]Action{say(text)}, askOutageNotice(t)...)
}

// notifyTaken reports a yes to "Shall I tell you here when the service is back?": "can
// you restart my router please" is the restart asked for, not a polite yes; "Please can I
// speak to somebody" a person asked for (outage_notify_agent).
var notifyTaken = inOutageNotice(either(chose(valNotify), func(t *turn) bool {
	return saysYes(t) && t.r.Intent != intents.UpdateRouter && t.choice() != valAgent && !t.r.Has(intents.ActAskPerson)
}))

// notifyLate reports "Tell me when fixed" tapped once the question is closed, or typed
// ("can you text me when it's fixed?"): still a yes.
func notifyLate(t *turn) bool {
	return t.c.Outage != nil && !t.c.Outage.Subscribed && (t.b.isNotifyButton(t.r.Text) || asksToBeTold(t))
}

// subscribeOutage notes that the customer waits to hear of the outage's end: the outage
// poller (or the telco's callback) will bring it.
func subscribeOutage(t *turn) []Action {
	c := t.c
	c.closeQuestion()
	if c.Outage == nil {
		return []Action{t.b.mainMenu(c)}
	}
	c.Outage.Subscribed, c.Outage.SubscribedAt = true, t.now
	return []Action{say(t.text(msgOutageWillTell))}
}

// Compensation asked for an outage (content.yaml), and the handoff it offers.
const (
	msgOutageCompensation     msgKey = "outage_compensation"
	msgOutageCompensationOver msgKey = "outage_compensation_over"
	msgOutageBackGlad         msgKey = "outage_back_glad"
	msgOutageBackNews         msgKey = "outage_back_news"
	msgOutageCompensationAsk  msgKey = "outage_compensation_ask"
	// the compensation asked by a customer whose line is someone else's: the holder's bill,
	// so the holder's to ask; during the outage, and once it is over
	msgCompensationNotHolder     msgKey = "compensation_not_holder"
	msgCompensationNotHolderOver msgKey = "compensation_not_holder_over"

	// ReasonCompensation: the customer asks for a credit for an outage, which the bot
	// cannot grant.
	ReasonCompensation = "outage_compensation"
)

// compensationAsked reports a request for money back ("vou ter desconto pelos dias sem
// internet?", "¿me van a compensar?") from a customer told of an outage within a day,
// whether or not it is over; at the intake it is the answer, and with an agent the bot
// is silent.
func compensationAsked(t *turn) bool {
	if !t.r.AsksCompensation || t.r.Has(intents.ActAskPerson) {
		return false
	}
	switch t.c.State {
	case StateIntake, StateAskSerial, StateWithAgent:
		return false
	}
	return outageRecent(t) || t.c.OutageOver != nil && t.now.Sub(t.c.OutageOver.EndedAt) < 24*time.Hour
}

// offerCompensation answers a request for compensation as a support lead would: sorry,
// the bot cannot apply a credit, an agent logs the request and the team reviews it; an
// agent offered. Once the outage is over (told, said by the customer, or the API's), the
// answer starts from that, never from an estimate of an outage that ended; while it is
// on, a customer waiting to hear of its end is told they still will.
func offerCompensation(t *turn) []Action {
	c := t.c
	over := c.Outage == nil || t.r.Has(intents.ActWorksNow) || t.c.LastRule == "service_back" || outageEndedNow(t)
	during, after := msgOutageCompensation, msgOutageCompensationOver
	if c.ForOther {
		// "is there any compensation for this" from a tenant whose line is the landlord's: a
		// credit is the holder's, on the holder's bill; never "your bill", "log your request"
		during, after = msgCompensationNotHolder, msgCompensationNotHolderOver
	}
	var text string
	switch {
	case !over:
		text = t.text(during)
		if c.Outage.Subscribed {
			text += " " + t.text(msgOutageStillWillTell)
		}
	case t.r.Has(intents.ActWorksNow) || t.c.LastRule == "service_back":
		c.endOutage(t.now)
		text = t.text(msgOutageBackGlad) + " " + t.text(after)
	case c.Outage == nil: // its end came before this turn (and was told, to one waiting for it)
		text = t.text(after)
	default: // ended, and nobody told the customer yet
		c.endOutage(t.now)
		text = t.text(msgOutageBackNews) + " " + t.text(after)
	}
	c.Described, c.DescribedTopic = t.r.Text, "" // what the agent is asked for: the intake takes it
	return []Action{t.b.offerAgentMenu(c, text+"\n\n"+t.text(msgOutageCompensationAsk), ReasonCompensation)}
}

// outageEndedNow reports that the Outage API no longer has the outage the customer was
// told of: it ended, and the customer, not waiting to hear of it, was not told.
func outageEndedNow(t *turn) bool {
	o := t.c.Outage
	if o == nil || t.b.Outages == nil {
		return false
	}
	now, ok := t.outageNow()
	return ok && (!now.Active || now.ID != o.ID)
}

// endOutage notes the outage told as over: kept a day as OutageOver, for a request of
// compensation and the agent's note.
func (c *Conversation) endOutage(now time.Time) {
	if c.Outage == nil {
		return
	}
	o := *c.Outage
	o.Subscribed, o.EndedAt = false, now
	c.Outage, c.OutageOver = nil, &o
}

// onOutageEnded tells a customer who asked for it that their outage is over. An agent
// holding the conversation gets a note instead; anyone else, nothing. A conversation an
// agent resolved meanwhile is nobody's: the customer is told, as the bot (and often the
// agent: "you will get a message here when it is fixed") promised.
func (b *Bot) onOutageEnded(c *Conversation, id string, now time.Time) []Action {
	o := c.Outage
	if o == nil || id != "" && o.ID != id {
		return nil
	}
	c.endOutage(now)
	if !o.Subscribed {
		return nil
	}
	c.ensureLanguage()
	if c.Status == StatusResolved {
		return b.sendUnasked(c, now, say(b.t(b.voice(c), msgOutageOver)))
	}
	if !c.BotOwns() {
		return []Action{note(fmt.Sprintf("The outage the customer asked to hear about (%s) is over. They were not told, since the conversation is with an agent.", o.ID))}
	}
	return b.proactive(c, now, say(b.t(b.voice(c), msgOutageOver)))
}

// outageNote is the agent's note line about an outage the customer was told of: one
// they wait to hear the end of, or one told within a day of their last message (an old
// one the customer did not ask about says nothing of today).
func outageNote(c *Conversation) string {
	o := c.Outage
	if o == nil && c.OutageOver != nil && c.LastCustomerAt.Sub(c.OutageOver.EndedAt) <= 24*time.Hour {
		o = c.OutageOver // over, and the customer talks of it still (a credit for it)
	}
	if o == nil || !o.Subscribed && o.EndedAt.IsZero() && c.LastCustomerAt.Sub(o.ToldAt) > 24*time.Hour {
		return ""
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "Outage: %s", o.ID)
	if o.Message != "" {
		fmt.Fprintf(&sb, ", %s", clip(o.Message, maxDetail))
	}
	switch {
	case !o.EndedAt.IsZero():
		fmt.Fprintf(&sb, " (over %s)", o.EndedAt.Format("2006-01-02 15:04 MST"))
	case !o.ETA.IsZero():
		fmt.Fprintf(&sb, " (expected over %s)", o.ETA.Format("2006-01-02 15:04 MST"))
	}
	if o.Subscribed {
		sb.WriteString("; the customer waits to be told when it is over")
	}
	sb.WriteString("\n")
	return sb.String()
}

// asksToBeTold reports a typed request to hear of the outage's end, in the words of the
// acts files' notify button ("let me know when it's back", "me avisa quando voltar").
func asksToBeTold(t *turn) bool {
	return t.c.State != StateIntake && t.c.State != StateAskSerial && t.r.Choice == 0 &&
		t.b.Lexicon.Button(t.r.Text, []string{valNotify}) == valNotify
}

func (b *Bot) isNotifyButton(text string) bool {
	text = strings.TrimSpace(text)
	return slices.ContainsFunc(b.catalog().Languages(), func(lang string) bool { return text == b.t(lang, btnNotifyFixed) })
}

// msgOutageOverStillDown: the customer's internet still down once the outage's end was told.
const msgOutageOverStillDown msgKey = "outage_over_still_down"

// outageOverStillDown reports trouble told ("todavía no me carga", "ya volvió?? a mí no")
// within a day of an outage's end the customer was told of, no outage on now, and nothing
// the bot did since (an update, one that failed) to answer for it instead.
func outageOverStillDown(t *turn) bool {
	o := t.c.OutageOver
	if o == nil || t.c.Outage != nil || t.now.Sub(o.EndedAt) >= 24*time.Hour || t.b.Outages == nil ||
		t.c.Update != nil && (t.c.Update.Active || t.c.updatedRecently(t.now) || t.c.lastFailed()) || t.b.retriesSpent(t.c) {
		return false
	}
	switch t.c.State {
	case StateIntake, StateAskSerial, StateConfirmUpdate, StateWithAgent, StateUpdating, StateOfferWait:
		return false
	}
	r := t.r
	down := r.Has(intents.ActConnectionComplaint) || r.Question && (r.Has(intents.ActStatusQuestion) || r.Has(intents.ActOutageArea))
	if !down || r.Has(intents.ActAskPerson) || r.NamesAgent || r.Has(intents.ActCancel) || asksForMore(t) && !r.Has(intents.ActConnectionComplaint) {
		return false
	}
	now, ok := t.outageNow()
	return ok && !now.Active
}

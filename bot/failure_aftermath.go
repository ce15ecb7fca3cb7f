package bot

import "github.com/cwbot/cwbot/intents"

// What customers ask right after a failed update: is my router broken, did I lose
// anything, should I unplug it. Each question asked is answered for the failure it was
// (nothing changed on the router, back online but unconfirmed, not back), then what is
// left to do: the failure's buttons again (a retry while tries are left, else an agent).
// Never "didn't understand", a bare sorry or a topic the classifier half hears.

const (
	msgFailedNextAgent          msgKey = "failed_next_agent"
	msgFailedNotBroken          msgKey = "failed_not_broken"
	msgFailedNotBrokenBack      msgKey = "failed_not_broken_back"
	msgFailedBrokenUnlikely     msgKey = "failed_broken_unlikely"
	msgFailedNothingLost        msgKey = "failed_nothing_lost"
	msgFailedUnplugNotNeeded    msgKey = "failed_unplug_not_needed"
	msgFailedUnplugNoNeedToo    msgKey = "failed_unplug_not_needed_either"
	msgFailedUnplugIfNotBack    msgKey = "failed_unplug_if_not_back"
	msgFailedUnplugIfNotWorking msgKey = "failed_unplug_if_not_working"
	msgFailedUnplugLeaveOn      msgKey = "failed_unplug_leave_on"
	msgFailedPlain              msgKey = "failed_plain"
	msgFailedPlainRestart       msgKey = "failed_plain_restart"
	msgFailedPlainUnchanged     msgKey = "failed_plain_unchanged"
	msgFailedPlainBack          msgKey = "failed_plain_back"
	msgFailedPlainNotBack       msgKey = "failed_plain_not_back"
	msgFailedPlainFinishing     msgKey = "failed_plain_finishing"
	msgFailedPlainAgain         msgKey = "failed_plain_again"
	msgFailedIfAgain            msgKey = "failed_if_again"
	msgFailedExactly            msgKey = "failed_exactly"
	msgFailedStepsDone          msgKey = "failed_steps_done"
	msgInternetBackAsked        msgKey = "failed_internet_back_asked"
)

// failedExplainedRule answers "eu nao entendi nada o que foi que aconteceu", "what does
// that even mean mate", "?" at the failure's question: the customer is lost, so what
// happened is told again, short and in other words than the failure's (what was done,
// what did not pass, what to do), then the choice; never the failure's sentences again
// under a "more simply". Asked a second time, an agent is offered to go through it with
// them, not the same words. A serial the telco refused has its own "what does that mean"
// (failureWhy).
var failedExplainedRule = rule{"failed_explained", func(t *turn) bool {
	r := t.r
	return (r.Lost || r.AsksMeaning && !t.c.Update.current().Restart && plainKey(t.c.Update.current().failure()) != "" || puzzled(r.Text)) && t.c.lastFailed() && t.c.Menu != nil && !r.Tapped && len(r.Serials) == 0 &&
		!r.Has(intents.ActAskPerson) && !r.NamesAgent && !r.Has(intents.ActRetry) && !r.Has(intents.ActCancel) &&
		checkSerialAgain(t.c, t.c.Update.current()) == ""
}, func(t *turn) []Action {
	c := t.c
	cur := c.Update.current()
	if c.LastRule == "failed_explained" { // the plain words did not help either: a person
		c.Proposed = valAgent
		return []Action{menu(t.textf(msgFailedPlainAgain, "agent", t.text(btnAgent)), c.Menu.Items)}
	}
	var plain string
	if key := plainKey(cur.failure()); key != "" && !cur.Restart {
		plain = t.text(key)
	} else { // refused before anything ran ("I couldn't find router X"): that reason is the plain word
		what, internet := t.b.failureFactsFor(c, t.b.voice(c), cur.failure())
		plain = joinText(t.text(pick(cur.Restart, msgFailedPlainRestart, msgFailedPlain)), what, internet)
	}
	ask := msgFailedAgainAgent
	c.Proposed = valAgent
	if failureOffersRetry(c) {
		ask, c.Proposed = msgFailedAgainChoice, valRetry
	}
	return []Action{menu(joinText(plain, t.text(ask)), c.Menu.Items)}
}}

// plainKey is failure j put simply, by how it left the router (failedExplainedRule); ""
// for an update refused or not started, whose reason says it plainly.
func plainKey(j JobUpdate) msgKey {
	switch j.Reason {
	case ReasonUnknownRouter, ReasonRejected, ReasonUnsupported, ReasonOffline, ReasonNotYours, ReasonUnverified:
		return ""
	case ReasonUnavailable, ReasonTimeout:
		if j.Step == "" {
			return ""
		}
	}
	switch failedAs(j).left {
	case leftUnchanged:
		return msgFailedPlainUnchanged
	case leftBack:
		return msgFailedPlainBack
	case leftFinishing:
		return msgFailedPlainFinishing
	case leftNotBack:
		return msgFailedPlainNotBack
	}
	return ""
}

// failureAftermathRule answers "did i lose my settings? should i unplug it?", "lo
// desenchufo o no lo toco?", "meu roteador estragou? perdi alguma coisa? tiro da
// tomada?" after a failed update, however upset. "What happened? is my router ok?"
// asks the cause first: failed_status tells it. Not with a person asked for, a retry
// or a cancel, which their own rules take.
var failureAftermathRule = rule{"failed_aftermath_asked", func(t *turn) bool {
	r := t.r
	if !t.c.lastFailed() || r.Tapped || len(r.Serials) > 0 || r.Has(intents.ActAskPerson) || r.NamesAgent ||
		r.Has(intents.ActRetry) || r.Has(intents.ActCancel) || r.Has(intents.ActGoodbye) {
		return false
	}
	switch t.c.State {
	case StateUpdateFailed, StateOfferAgent, StateIdle, StateMainMenu, StateAnythingElse:
	default:
		return false
	}
	return r.AsksUnplug || r.AsksLost || r.Has(intents.ActSettingsQuestion) || r.AsksBroken && !r.AsksWhy
}, func(t *turn) []Action {
	c := t.c
	cur := c.Update.current()
	j := cur.failure()
	var said []string
	if t.r.AsksBroken {
		said = append(said, t.text(brokenAnswer(j)))
	}
	if t.r.AsksLost || t.r.Has(intents.ActSettingsQuestion) {
		said = append(said, t.text(msgFailedNothingLost))
	}
	if t.r.AsksBroken && !t.r.AsksUnplug && failedAs(j).left == leftFinishing {
		said = append(said, t.text(msgInternetLeaveOn)) // it may still be at it: what to do meanwhile
	}
	if t.r.AsksUnplug {
		key := unplugAnswer(j)
		if key == msgFailedUnplugNotNeeded && t.r.AsksBroken {
			key = msgFailedUnplugNoNeedToo // "nothing was changed" just said
		}
		said = append(said, t.text(key))
	}
	if t.r.Has(intents.ActFrustration) {
		said = append([]string{t.text(msgSorryTopic)}, said...)
	}
	if c.State != StateUpdateFailed || c.Menu == nil {
		t.b.failureMenu(c, "") // the failure's question open again: retry while tries are left, an agent
	}
	return []Action{t.b.failureHint(c, joinText(said...))}
}}

// brokenAnswer is "is my router broken?" answered for failure j.
func brokenAnswer(j JobUpdate) msgKey {
	switch failedAs(j).left {
	case leftUnchanged:
		return msgFailedNotBroken
	case leftBack:
		return msgFailedNotBrokenBack
	}
	return msgFailedBrokenUnlikely
}

// unplugAnswer is "should I unplug it?" answered for failure j.
func unplugAnswer(j JobUpdate) msgKey {
	if j.Reason == ReasonOffline {
		return msgFailedUnplugIfNotWorking // not reached: a restart may bring it online
	}
	switch failedAs(j).left {
	case leftUnchanged:
		return msgFailedUnplugNotNeeded
	case leftBack, leftUnknown:
		return msgFailedUnplugIfNotWorking
	case leftFinishing:
		return msgFailedUnplugLeaveOn
	}
	return msgFailedUnplugIfNotBack
}

// How a failed update left the router.
type routerLeft int

const (
	leftUnchanged routerLeft = iota // nothing was changed on it
	leftFinishing                   // it timed out downloading or installing: it may still be at it
	leftBack                        // it restarted and is online, unconfirmed
	leftNotBack                     // it did not come back, or how it ended is not known
	leftUnknown                     // the telco told neither the step nor why
)

// failed is what a failed attempt's last update means, read once for everything said of
// it: what failed and whether the internet should work now (each empty when the telco did
// not say), and how it left the router ("is it broken?", "should I unplug it?").
type failed struct {
	what, internet msgKey
	left           routerLeft
}

// failedAs reads failure j by its reason, then by the step it stopped at.
func failedAs(j JobUpdate) failed {
	switch j.Reason {
	case ReasonUnknownRouter: // nothing was touched, and nothing is said of the internet
		return failed{msgFailUnknownRouter, "", leftUnchanged}
	case ReasonRejected:
		return failed{pick(j.Restart, msgFailRejectedRestart, msgFailRejected), msgInternetAsBefore, leftUnchanged}
	case ReasonUnsupported:
		return failed{pick(j.Restart, msgFailUnsupportedRestart, msgFailUnsupported), msgInternetAsBefore, leftUnchanged}
	case ReasonOffline:
		return failed{msgFailOffline, "", leftUnchanged}
	case ReasonNotYours:
		// nothing was touched, and nothing said of an internet that may well be down (the
		// reason the customer wrote): "should work as before" would promise it works
		return failed{msgFailNotYours, "", leftUnchanged}
	case ReasonUnverified:
		return failed{msgFailUnverified, "", leftUnchanged}
	case ReasonUnavailable:
		if j.Step == "" { // no answer before it started: nothing was changed
			return failed{msgFailUnavailable, msgInternetAsBefore, leftUnchanged}
		}
		return failed{msgFailUnavailableMidway, msgInternetSwitchOff, leftNotBack} // how it ended is not known
	case ReasonTimeout:
		switch j.Step {
		case "":
			return failed{msgFailTimeoutNoAnswer, msgInternetAsBefore, leftUnchanged}
		case "downloading", "installing":
			return failed{msgFailTimeout, msgInternetLeaveOn, leftFinishing}
		}
		return failed{msgFailTimeoutNotBack, msgInternetSwitchOff, leftNotBack}
	}
	switch j.Step {
	case "downloading":
		return failed{msgFailDownload, msgInternetAsBefore, leftUnchanged}
	case "installing":
		return failed{msgFailInstall, msgInternetAsBefore, leftUnchanged}
	case "rebooting":
		return failed{msgFailNotBack, msgInternetSwitchOff, leftNotBack}
	case "verifying":
		return failed{msgFailUnconfirmed, msgInternetShouldWork, leftBack}
	case "": // the telco named no step: nothing is claimed of the router
		return failed{"", "", leftUnknown}
	}
	return failed{"", "", leftNotBack}
}

// failedWhatNowOfferedRule answers "so what now", "¿y ahora qué hago?" to the agent offered
// to a customer upset by a failed update: the failure's next step and its buttons (a retry
// while tries are left, else the agent); never the list of what the bot can do, update
// included, right after it said it would not try again.
var failedWhatNowOfferedRule = rule{"offer_agent_failed_what_now", func(t *turn) bool {
	r := t.r
	return r.AsksWhatNow && t.c.HandoffReason == ReasonRouterFailure && t.c.lastFailed() && !r.Tapped && len(r.Serials) == 0 &&
		!r.Has(intents.ActAskPerson) && !r.NamesAgent && !r.Has(intents.ActRetry) && !r.Has(intents.ActCancel)
}, func(t *turn) []Action {
	t.b.failureMenu(t.c, "")
	return []Action{t.b.failureHint(t.c, "")}
}}

// failedIfAgainRule answers "y si vuelve a fallar que hago?" at the failure's question:
// what to do then (switch the router off 10 seconds; if it still fails, an agent), and the
// choice; never the failure's hint again, which answers another question, nor a retry
// started for the "again" in it ("what if it fails again?").
var failedIfAgainRule = rule{"failed_if_again", func(t *turn) bool {
	r := t.r
	return r.AsksIfFailsAgain && (r.Question || !r.Has(intents.ActRetry)) && t.c.lastFailed() && t.c.Menu != nil && !r.Tapped && len(r.Serials) == 0 &&
		!r.Has(intents.ActAskPerson) && !r.NamesAgent && !r.Has(intents.ActCancel)
}, func(t *turn) []Action {
	c := t.c
	ask := msgFailedAgainAgent
	c.Proposed = valAgent
	if failureOffersRetry(c) {
		ask, c.Proposed = msgFailedAgainChoice, valRetry
	}
	return []Action{menu(joinText(t.text(msgFailedIfAgain), t.text(ask)), c.Menu.Items)}
}}

// failedExactly is "que es lo que ha fallado exactamente" answered: what the bot knows of
// the failure (the steps that went through, the one that failed), and that it sees no more;
// "" when the telco named no step.
func (b *Bot) failedExactly(c *Conversation) string {
	lang := b.voice(c)
	cur := c.Update.current()
	what, _ := b.failureFacts(lang, cur.failure())
	if what == "" {
		return ""
	}
	if cur.FailedAt == "rebooting" || cur.FailedAt == "verifying" {
		what = joinText(b.t(lang, msgFailedStepsDone), what)
	}
	return b.tf(lang, msgFailedExactly, "what", what)
}

// failedExactlyAsked answers "que es lo que ha fallado exactamente", "o que deu errado?" at
// the failure's question with the facts the bot has (failedExactly) and the buttons; never
// only "another try may well work". nil when it was not asked, or nothing is known.
func (b *Bot) failedExactlyAsked(t *turn) []Action {
	if !t.r.AsksWhatFailed || checkSerialAgain(t.c, t.c.Update.current()) != "" {
		return nil
	}
	exactly := b.failedExactly(t.c)
	if exactly == "" {
		return nil
	}
	return []Action{b.failureHint(t.c, exactly)}
}

package bot

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	valYes    = "yes"
	valNo     = "no"
	valRetry  = "retry"
	valCancel = "cancel"
)

// maxBadSerials is how many malformed serial numbers the bot takes before offering an agent.
const maxBadSerials = 3

// routerID is the router to update. A contact who has a router attribute (set by an
// agent or a CRM) has that router and no other: a serial they type never replaces it, or
// a customer could restart someone else's router. Without one, the serial the customer
// typed.
func (b *Bot) routerID(c *Conversation) string {
	if own := b.contactRouter(c); own != "" {
		return own
	}
	if c.TypedRouter != "" {
		return c.TypedRouter
	}
	if s := attrText(c.Attributes[b.routerAttribute()]); s != "" {
		return s
	}
	return c.RouterID
}

// contactRouter is the router id the contact carries (set by an agent or a CRM), if any.
func (b *Bot) contactRouter(c *Conversation) string {
	return attrText(c.Contact.Attributes[b.routerAttribute()])
}

// keepTypedSerial puts back in the conversation's attributes the serial the customer
// typed, when a payload built before the bot wrote it brought a hash without it: every
// write of the attributes replaces Chatwoot's whole hash, and would delete it there.
func (b *Bot) keepTypedSerial(c *Conversation) {
	attr := b.routerAttribute()
	if c.RouterID == "" || b.contactRouter(c) == c.RouterID {
		return
	}
	if _, ok := c.Attributes[attr]; !ok {
		attrs := copyAttrs(c.Attributes)
		attrs[attr] = c.RouterID
		c.Attributes = attrs
	}
}

func (b *Bot) routerAttribute() string {
	if b.RouterAttribute == "" {
		return "router_id"
	}
	return b.RouterAttribute
}

// attrText is a custom attribute's value as text. One of Chatwoot's type number comes as
// a JSON number: 20231234, not 2.0231234e+07.
func attrText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strings.TrimSpace(fmt.Sprint(v))
}

func (b *Bot) maxAttempts() int {
	if b.MaxAttempts > 0 {
		return b.MaxAttempts
	}
	return 3
}

// askUpdate answers "update my router": attach to a running update, ask for the serial
// number, or ask to confirm.
func (b *Bot) askUpdate(c *Conversation) []Action {
	lang := b.voice(c)
	if c.Update != nil && c.Update.Active {
		c.closeQuestion()
		if c.Update.State == JobQueued || c.Update.State == "" {
			// asked for and not begun (an old "Try again" tapped meanwhile): that it is
			// queued, never "already under way" and "will start shortly" together
			return b.updateStatus(c)
		}
		if step, ok := runningStep(c.Update); ok {
			// where it is, in the sentence, never its progress line ("Installing the new
			// software…") pasted into it
			return []Action{say(b.t(lang, step.already))}
		}
		step := b.stepText(lang, c.Update.State, c.Update.Step)
		if step == "" {
			return []Action{say(b.t(lang, msgUpdateRunningNoStep))}
		}
		return []Action{say(b.tf(lang, msgUpdateAlreadyRunning, "step", step))}
	}
	if b.retriesSpent(c) {
		// The same update failed every time it was tried: an agent, not another try.
		return []Action{b.offerAgentMenu(c, b.noMoreRetries(c), ReasonRouterFailure)}
	}
	id := b.routerID(c)
	if id == "" && c.SerialWithAgent != "" && b.contactRouter(c) == "" {
		return b.proposeSerialWithAgent(c)
	}
	if id == "" {
		c.ask(StateAskSerial, nil)
		c.BadAnswers = 0
		return []Action{say(b.t(lang, msgAskSerial))}
	}
	c.RouterID = id
	return []Action{b.confirmMenu(c)}
}

func (b *Bot) confirmMenu(c *Conversation) Action {
	lang := b.voice(c)
	c.ask(StateConfirmUpdate, []Item{
		{Title: b.t(lang, pick(b.RestartOnly, btnYesRestart, btnYesUpdate)), Value: valYes},
		{Title: b.t(lang, btnNo), Value: valNo},
	})
	key := pick(b.RestartOnly, msgConfirmRestart, msgConfirmUpdate)
	if c.ForOther && !c.OtherRouterNamed && !b.RestartOnly && c.RouterID != "" && c.RouterID == b.contactRouter(c) {
		// "it's my mum's router": the one on this contact is named, and another one can be typed
		key, c.OtherRouterNamed = msgConfirmUpdateForOther, true
	}
	return menu(b.tf(lang, key, "router", c.RouterID), c.Menu.Items)
}

func (b *Bot) startUpdate(c *Conversation, now time.Time) []Action {
	if c.Update == nil {
		c.Update = &RouterUpdate{}
	}
	if next, limited := b.updatesLimited(c, now); limited {
		return []Action{say(b.tf(b.voice(c), msgTooManyUpdates, "when", b.whenText(b.voice(c), next, now))), b.mainMenu(c)}
	}
	attempt := len(c.Update.Attempts) + 1
	c.Update.Active = true
	c.Update.JobID = 0
	c.Update.State, c.Update.Step = JobQueued, ""
	c.Update.Told = 0
	// The customer hears that the update was asked for at the job's first report (onJob),
	// once the telco knows the router: never "I've asked for the update" and, the same
	// instant, "I couldn't find your router".
	a := UpdateAttempt{Attempt: attempt, Started: now, RouterID: c.RouterID, Announce: true, AgentAfter: c.AgentAfter}
	c.AgentAfter = ""
	if c.Outage != nil && c.Outage.UpdateWarned {
		a.Outage = c.Outage.ID // asked for anyway, once told it won't help
	}
	c.Update.Attempts = append(c.Update.Attempts, a)
	c.closeQuestion()
	// The telco is told who asks, and whether the serial was typed, so it can refuse a
	// router that is not the contact's.
	return []Action{{Kind: StartJob, Update: &StartUpdate{RouterID: c.RouterID, Attempt: attempt,
		ContactID: c.Contact.ID, Phone: c.Contact.Phone, Typed: c.RouterID != b.contactRouter(c)}}}
}

// noMoreRetries is why the bot does not try the update again, asked for once more: the
// tries spent, said with their number ("da pra tentar atualizar dnv pelo menos?" the next
// day gets the reason, never a bare "I can't try again from here"), and an agent.
func (b *Bot) noMoreRetries(c *Conversation) string {
	if n := b.failedInARow(c); n >= b.maxAttempts() {
		return b.tf(b.voice(c), msgNoMoreRetriesTried, "tries", strconv.Itoa(n))
	}
	return b.t(b.voice(c), msgNoMoreRetries) // refused outright: the failure said why
}

func (b *Bot) retryUpdate(c *Conversation, now time.Time) []Action {
	if c.lastFailed() && !b.canRetry(c) {
		return []Action{b.failureMenu(c, b.noMoreRetries(c))}
	}
	if c.RouterID = b.routerID(c); c.RouterID == "" {
		return b.askUpdate(c) // the serial was wrong and forgotten: ask for it again
	}
	return b.startUpdate(c, now)
}

// forgetTypedSerial drops a serial number the customer typed once the telco knows no such
// router, so that the next try asks for it again instead of reusing the wrong one. One
// the contact carries (set by an agent or a CRM) stays: it is for them to correct.
func (b *Bot) forgetTypedSerial(c *Conversation, id string) []Action {
	attr := b.routerAttribute()
	if c.TypedRouter == id {
		c.TypedRouter = ""
	}
	if b.contactRouter(c) == id {
		return nil
	}
	c.RouterID = ""
	if _, ok := c.Attributes[attr]; !ok {
		return nil
	}
	a := c.setAttributes(nil, attr)
	a.Unless = map[string]any{attr: id} // an agent may have typed the right serial meanwhile
	return []Action{a}
}

// failedInARow counts the attempts since the last success: the retry budget.
func (b *Bot) failedInARow(c *Conversation) int {
	n := 0
	for i := len(c.Update.Attempts) - 1; i >= 0 && c.Update.Attempts[i].Result != JobSucceeded; i-- {
		if c.Update.Attempts[i].Result != JobCancelled { // called off: no try
			n++
		}
	}
	return n
}

// updatesLimited applies the hourly limit of router updates for the conversation's router:
// a customer (or a script) cannot restart a router over and over. next is when one more
// update is allowed.
func (b *Bot) updatesLimited(c *Conversation, now time.Time) (next time.Time, limited bool) {
	max := b.MaxUpdatesPerHour
	if max <= 0 {
		max = 3
	}
	var recent []time.Time
	for _, a := range c.Update.Attempts {
		// This router's updates of the last hour; an attempt the telco refused outright
		// (a mistyped serial) touched no router.
		if !a.Started.IsZero() && now.Sub(a.Started) < time.Hour && a.touchedRouter() &&
			(a.RouterID == "" || a.RouterID == c.RouterID) {
			recent = append(recent, a.Started)
		}
	}
	if len(recent) < max {
		return time.Time{}, false
	}
	return recent[len(recent)-max].Add(time.Hour), true
}

// Texts of "will it work this time?" during an update (content.yaml).
const (
	msgUpdateRetryLikely  msgKey = "update_retry_likely"
	msgUpdateFirstLikely  msgKey = "update_first_likely"
	msgUpdateTellEachStep msgKey = "update_tell_each_step"
)

// willItWork answers "will it work this time?" while an update runs: how likely, honestly
// (a retry after a failure usually works; so does a first try), then the step it is at,
// and that each step is told here.
func (b *Bot) willItWork(c *Conversation) string {
	lang := b.voice(c)
	likely := msgUpdateFirstLikely
	if n := len(c.Update.Attempts); n >= 2 && c.Update.Attempts[n-2].Result == JobFailed {
		likely = msgUpdateRetryLikely
	}
	return joinText(b.t(lang, likely), b.statusTellingSteps(c))
}

// statusTellingSteps is a running update's step, and that each step is told here.
func (b *Bot) statusTellingSteps(c *Conversation) string {
	status := b.updateStatus(c)[0].Text
	if tell := b.t(b.voice(c), msgUpdateTellEachStep); !strings.Contains(status, tell) {
		return joinText(status, tell)
	}
	return status
}

func (b *Bot) updateStatus(c *Conversation) []Action {
	lang := b.voice(c)
	u := c.Update
	cur := u.current()
	restart := cur != nil && cur.Restart
	running, stepped := runningStep(u)
	switch {
	case u != nil && u.Active && u.State == JobQueued && cur != nil && cur.Offline:
		return []Action{say(b.t(lang, msgUpdateWaitingRouter))}
	case u != nil && u.Active && (u.State == JobQueued || u.State == ""):
		return []Action{say(b.t(lang, pick(restart, msgRestartQueuedNow, msgUpdateQueuedNow)))}
	case stepped:
		return []Action{say(b.t(lang, running.status))}
	case u != nil && u.Active:
		step := b.stepText(lang, u.State, u.Step)
		if step == "" {
			return []Action{say(b.t(lang, pick(restart, msgRestartInProgress, msgUpdateInProgress)))}
		}
		return []Action{say(b.tf(lang, pick(restart, msgRestartAt, msgUpdateAt), "step", step))}
	case cur != nil && cur.Result == JobSucceeded:
		return []Action{say(b.t(lang, pick(restart, msgLastRestartOK, msgLastUpdateOK)))}
	case cur != nil && cur.Result == JobCancelled:
		return []Action{say(b.t(lang, pick(restart, msgLastRestartCancelled, msgLastUpdateCancelled)))}
	case cur != nil && cur.Result == JobFailed:
		// The last attempt's facts: what failed, whether the internet should work, and
		// what the customer can do now.
		what, internet := b.failureFactsFor(c, lang, cur.failure())
		text := joinText(b.t(lang, pick(restart, msgLastRestartFailed, msgLastUpdateFailed)), what, b.unlessUnchanged(lang, internet))
		if b.canRetry(c) {
			return []Action{say(joinText(text, b.t(lang, msgRetryHint)))}
		}
		return []Action{say(joinText(text, b.t(lang, msgAgentHint)))}
	}
	if cur == nil && !c.Waiting {
		// None ran here, and the customer asks as if one had ("is it done now? i don't see
		// anything different"): said plainly, and offered; a yes takes the offer.
		m := b.mainMenu(c)
		m.Text = b.t(lang, msgNotUpdatedYet)
		c.Proposed = valUpdateRouter
		return []Action{m}
	}
	return []Action{say(b.t(lang, msgNoUpdate)), b.mainMenu(c)}
}

// statusTellsSteps reports an updateStatus text that already says each step will be told
// here (queued, or running with no step known): nothing after it says so again.
func statusTellsSteps(c *Conversation) bool {
	u := c.Update
	if u == nil || !u.Active {
		return false
	}
	cur := u.current()
	if u.State == JobQueued || u.State == "" {
		return !(u.State == JobQueued && cur != nil && cur.Offline)
	}
	_, stepped := runningStep(u)
	return !stepped && stepKeys[u.Step].now == ""
}

// timeLeft tells what is left of an active update or restart, for "how long?": the
// step it is at decides. "" when none is running.
func (b *Bot) timeLeft(lang string, u *RouterUpdate) string {
	if u == nil || !u.Active {
		return ""
	}
	if k, ok := stepKeys[u.Step]; ok {
		return b.t(lang, k.left)
	}
	if u.State == JobQueued || u.State == "" {
		if cur := u.current(); cur != nil && cur.Offline {
			return "" // waiting for the router: nobody knows how long
		}
		return b.t(lang, msgLeftQueued)
	}
	return ""
}

// statusWithTimeLeft answers "how long?": where a running update is and what is left of
// it, in one message (the step alone was just said); the status when nothing runs.
func (b *Bot) statusWithTimeLeft(c *Conversation) []Action {
	if left := b.timeLeft(b.voice(c), c.Update); left != "" {
		return []Action{say(left)}
	}
	return b.updateStatus(c)
}

// stillDownText answers "my internet isn't back" after a failed update: what failed, in
// plain words, and that an agent can look into it.
func (b *Bot) stillDownText(c *Conversation) string {
	what, _ := b.failureFacts(b.voice(c), c.Update.current().failure())
	return strings.Join(strings.Fields(b.tf(b.voice(c), msgFailedStillDown, "what", what)), " ")
}

// updateMeaning answers a question during an update with its status and what it means
// for the customer's internet now: it works until the restart, is down during it, and is
// back once the router is. One message: two sent together may show in either order.
func (b *Bot) updateMeaning(c *Conversation) []Action {
	acts := b.updateStatus(c)
	u := c.Update
	if u == nil || !u.Active || len(acts) != 1 || len(acts[0].Items) > 0 {
		return acts
	}
	var key msgKey
	switch {
	case u.State == JobQueued && u.current() != nil && u.current().Offline:
		return acts // the router is not reachable: the status says so
	case u.Step == "rebooting":
		key = msgInternetDownRestarting
	case u.Step == "verifying":
		key = msgInternetBackChecking
	default:
		key = msgInternetUntilRestart
	}
	// "Installing the new software…" ends a step's message; with more said after it, a full stop
	if first, ok := strings.CutSuffix(acts[0].Text, "…"); ok {
		acts[0].Text = first + "."
	}
	acts[0].Text = joinText(acts[0].Text, b.t(b.voice(c), key))
	return acts
}

// pick is restartKey for a restart, else updateKey.
func pick(restart bool, restartKey, updateKey msgKey) msgKey {
	if restart {
		return restartKey
	}
	return updateKey
}

// joinText joins sentences with a space, leaving out empty ones.
func joinText(parts ...string) string { return joinWith(" ", parts...) }

// joinWith joins the parts that are not empty with sep.
func joinWith(sep string, parts ...string) string {
	out := ""
	for _, p := range parts {
		switch {
		case p == "":
		case out == "":
			out = p
		default:
			out += sep + p
		}
	}
	return out
}

// cancel answers a cancel with no question of its own open: the place in line, a
// running update (which cannot be stopped), the menu, or nothing.
func (b *Bot) cancel(c *Conversation) []Action {
	lang := b.voice(c)
	switch {
	case c.Waiting:
		return b.leaveLineAsked(c)
	case c.Update != nil && c.Update.Active:
		return b.cancelUpdate(c)
	case c.State == StateMainMenu || c.State == StateOfferAgent || c.State == StateAnythingElse:
		// "ok never mind. thanks" to a menu or an offer: nothing was under way, so nothing
		// was called off; never "I've called it off"
		c.closeQuestion()
		return []Action{say(b.t(lang, msgNeverMind)), b.mainMenu(c)}
	case !c.State.Resting():
		c.closeQuestion()
		return []Action{say(b.t(lang, msgCancelled)), b.mainMenu(c)}
	}
	return []Action{say(b.t(lang, msgNothingToCancel)), b.mainMenu(c)}
}

// cancelUpdate answers a cancel while an update runs. One the telco has not reported on
// yet may not have been sent: the bot asks to call it off (CancelJob), and the pipeline,
// which alone knows whether a worker claimed it, answers with the job's next event
// (onJob: JobCancelled or JobCancelRefused). One that was sent cannot be stopped: the
// customer hears so, and when their internet will drop.
func (b *Bot) cancelUpdate(c *Conversation) []Action {
	u := c.Update
	if cur := u.current(); cur != nil && u.Told == 0 {
		return []Action{{Kind: CancelJob, Update: &StartUpdate{RouterID: cur.RouterID, Attempt: cur.Attempt}}}
	}
	return []Action{say(b.cannotStopText(c))}
}

// cannotStopText says that the running update cannot be called off, and what is ahead of
// the customer's internet: the restart, and roughly when, from the step it is at. The
// same facts as the status ("queued, starts shortly"), never "it has started" to a queued one.
func (b *Bot) cannotStopText(c *Conversation) string {
	lang, u := b.voice(c), c.Update
	switch u.Step {
	case "":
		if cur := u.current(); cur != nil && cur.Offline {
			return b.t(lang, msgCannotStopWaitingRouter)
		}
		return b.t(lang, msgCannotStopSent)
	case "downloading", "installing":
		return joinText(b.t(lang, msgCannotStopRunning), b.timeLeft(lang, u), b.t(lang, msgDropAtRestart))
	}
	return b.t(lang, msgCannotStop)
}

// onJob tells the customer how their update moves on. A step is told once, and only
// forward: late or repeated reports change nothing.
func (b *Bot) onJob(c *Conversation, j JobUpdate, now time.Time) []Action {
	u := c.Update
	if u == nil || !u.Active {
		return nil
	}
	cur := u.current()
	if cur == nil || cur.Attempt != j.Attempt {
		return nil // a report about an earlier attempt
	}
	cur.JobID, u.JobID = j.JobID, j.JobID
	lang := b.voice(c)
	if j.Restart {
		cur.Restart = true
	}
	if j.State == JobDelayed {
		return b.proactive(c, now, say(b.t(lang, msgTelcoSlow)))
	}
	// The job's first report tells that the update was asked for, in one message with
	// what the report says; a failure is told alone. Being asked for, it is queued: that
	// step is not told again.
	var started string
	if cur.Announce {
		cur.Announce = false
		if j.State != JobFailed {
			started = b.t(lang, pick(cur.Restart, msgRestartStarted, msgUpdateStarted))
			if u.retriedAfterTold(cur, now) { // heard in full minutes ago: in short
				started = b.t(lang, pick(cur.Restart, msgRestartRetried, msgUpdateRetried))
			}
			cur.StartTold = true
		}
	}
	tell := func(text string) []Action {
		if text = joinLines(started, text); text == "" {
			return nil
		}
		return b.proactive(c, now, say(text))
	}
	switch j.State {
	case JobAccepted:
		return tell("")
	case JobCancelled:
		// Called off before it was sent: nothing happened to the router, and nothing was
		// asked for that the customer still has to hear of.
		u.Active = false
		cur.Result, cur.Announce = JobCancelled, false
		return b.proactive(c, now, say(b.t(lang, pick(cur.Restart || b.RestartOnly, msgRestartCancelled, msgUpdateCancelled))))
	case JobCancelRefused:
		return tell(b.cannotStopText(c))
	case JobOffline:
		if cur.Offline {
			return tell("")
		}
		cur.Offline = true
		return tell(b.t(lang, msgRouterOffline))
	}
	r := rank(j.State, j.Step)
	if r <= u.Told {
		return tell("")
	}
	u.Told = r
	u.State, u.Step = j.State, j.Step
	if j.Step != "" && (len(cur.Steps) == 0 || cur.Steps[len(cur.Steps)-1] != j.Step) {
		cur.Steps = append(cur.Steps, j.Step) // a failure reports the step it failed in again
	}
	switch j.State {
	case JobSucceeded:
		u.Active = false
		cur.Result = JobSucceeded
		c.InternetDownTold, c.TroubleTold = false, false
		c.LightsFailedTold = false
		if cur.Outage != "" && c.Outage != nil && c.Outage.ID == cur.Outage {
			// Done during an outage not yet over: the router is, the internet is not.
			return tell(b.t(lang, pick(cur.Restart, msgRestartDoneOutage, msgUpdateDoneOutage)))
		}
		done := b.t(lang, pick(cur.Restart, msgRestartDone, msgUpdateDone))
		if next, ok := b.nextRouterAfter(c, joinLines(started, done), now); ok { // the second router, now the first is done
			return next
		}
		if acts, ok := b.agentAfterDone(c, cur.AgentAfter, joinLines(started, done), now); ok {
			return acts
		}
		return tell(done)
	case JobFailed:
		u.Active = false
		cur.Result = JobFailed
		// A failure the bot ended (a timeout, say) names no step: it is the last one reached.
		if j.Step == "" && j.Reason != "" {
			j.Step = cur.lastStep()
		}
		j.Restart = cur.Restart
		cur.FailedAt = j.Step
		cur.Failure = b.failureText(defaultLanguage, j)
		cur.Reason = j.Reason
		var acts []Action
		why := b.customerFailureText(c, lang, j)
		if (j.Reason == ReasonUnknownRouter || j.Reason == ReasonNotYours) && j.RouterID != b.contactRouter(c) {
			c.RefusedSerials = append(c.RefusedSerials, j.RouterID) // typed again, the same answer
		}
		if j.Reason == ReasonUnknownRouter {
			if c.TypedRouter == j.RouterID { // a typo, most likely: the customer can type it again
				why = joinText(why, b.t(lang, msgCheckSerial))
			}
			acts = b.forgetTypedSerial(c, j.RouterID)
		}
		if j.Reason == ReasonNotYours || j.Reason == ReasonUnverified {
			if j.Reason == ReasonNotYours && c.TypedRouter == j.RouterID { // a typo, maybe: another customer's
				why = joinText(why, b.t(lang, msgCheckSerialNotYours))
			}
			acts = b.forgetTypedSerial(c, j.RouterID) // the next try asks for the serial anew
		}
		if !b.canRetry(c) && !cur.permanent() {
			// the failure that spends the retries: why "Try again" is gone, said plainly
			why = joinText(why, b.t(lang, msgRetriesSpentTold))
		}
		// The telco's own words (often English, often technical) are for the agents: in the
		// handoff's note, or here when the failure itself goes to them as a note.
		told := b.proactive(c, now, b.failureMenu(c, why))
		if len(told) == 1 && told[0].Kind == SendNote && j.Detail != "" {
			told[0].Text += "\nThe telco's detail: " + clip(j.Detail, maxDetail)
		}
		return append(acts, told...)
	}
	text := b.stepText(lang, j.State, j.Step)
	switch {
	case j.State == JobQueued && started != "":
		text = ""
	case j.State == JobQueued && cur.Restart:
		text = b.t(lang, msgStepQueuedRestart)
	}
	return tell(text)
}

// agentAfterDone tells the update done and keeps the promise made when it was asked for
// beside another question ("the router first; once it's done, an agent for your other
// question"): the agent for that topic offered, with its buttons, in the same message.
// Not over a question open, to a customer in line or while an agent has the chat (false):
// the topic stays raised for the agent's note.
func (b *Bot) agentAfterDone(c *Conversation, topic, done string, now time.Time) ([]Action, bool) {
	if topic == "" || !c.State.Resting() || !c.BotOwns() || c.Waiting {
		return nil, false
	}
	return b.proactive(c, now, b.agentAfterOffer(c, topic, done)), true
}

// retryToldWithin is how recent a failed attempt whose start the customer heard must be
// for the next one to be told in short: the same sitting, the long words still on screen.
const retryToldWithin = 30 * time.Minute

// retriedAfterTold reports an attempt that retries one that failed a little while ago,
// whose start (what it takes, that the internet drops) the customer heard.
func (u *RouterUpdate) retriedAfterTold(cur *UpdateAttempt, now time.Time) bool {
	i := slices.IndexFunc(u.Attempts, func(a UpdateAttempt) bool { return a.Attempt == cur.Attempt })
	if i < 1 {
		return false
	}
	prev := u.Attempts[i-1]
	return prev.Result == JobFailed && prev.StartTold && prev.Restart == cur.Restart && now.Sub(prev.Started) < retryToldWithin
}

// joinLines joins texts as paragraphs, leaving out empty ones.
func joinLines(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n\n")
}

// lastFailed reports whether the conversation's last update failed.
func (c *Conversation) lastFailed() bool {
	u := c.Update
	return u != nil && !u.Active && u.current() != nil && u.current().Result == JobFailed
}

// retriesSpent reports an update that failed as many times in a row as it may be tried,
// the last time within a day: the bot offers it no more, only an agent.
func (b *Bot) retriesSpent(c *Conversation) bool {
	if !c.lastFailed() {
		return false
	}
	n := 0 // failures in a row that reached the router: a mistyped serial is no try
	for i := len(c.Update.Attempts) - 1; i >= 0 && c.Update.Attempts[i].Result == JobFailed; i-- {
		if c.Update.Attempts[i].touchedRouter() {
			n++
		}
	}
	return n >= b.maxAttempts() && c.LastCustomerAt.Sub(c.Update.current().Started) < 24*time.Hour
}

// canRetry reports whether the last update failed and trying it again may help: the
// telco did not refuse it outright (ErrRejected: a 4xx, the same request would be refused
// again), and the retry budget is not spent.
func (b *Bot) canRetry(c *Conversation) bool {
	return c.lastFailed() && !c.Update.current().permanent() && b.failedInARow(c) < b.maxAttempts()
}

// failureWhy answers "what happened? why did it fail?" at the failure's own buttons: what
// is known of it (the telco's detail is for the agents), and which button does what, in
// the menu's one message; not the failure told again with "say 'update my router'".
//
// A question about the connection ("is my internet ok now?") is answered first with what
// the failure left it in, even when the failure message just said so; asked again ("was
// it something I did?" after "why?"), the facts just given are not repeated.
//
// "I can't see the exact cause from here" leads only the answer to a why ("why??", "¿qué
// pasó?"); "¿y ahora qué hago?" gets the facts and what the buttons do.
func (b *Bot) failureWhy(c *Conversation, aboutInternet, asksWhy bool) []Action {
	lang := b.voice(c)
	if !c.lastFailed() || c.Menu == nil {
		return append(b.updateStatus(c), b.questionAgain(c))
	}
	cur := c.Update.current()
	what, internet := b.failureFactsFor(c, lang, cur.failure())
	// "so what now" right after the failure's aftermath was answered: what it left was said
	again := c.LastRule == "failed_status" || c.LastRule == failureAftermathRule.name && !asksWhy
	switch {
	case aboutInternet && internet != "":
		if again {
			what = ""
		}
		if failedAs(cur.failure()).left == leftBack && internet == b.t(lang, msgInternetShouldWork) {
			// "is my internet working or not": what the bot cannot tell, and what to do,
			// in other words than the failure's
			return []Action{b.failureHint(c, b.t(lang, msgInternetBackAsked))}
		}
		if internet == b.t(lang, msgInternetUnchanged) {
			// "y ahora anda?" from a customer whose internet had trouble: nothing changed,
			// and so neither did their connection; the failure's words are in it
			return []Action{b.failureHint(c, b.t(lang, msgInternetUnchangedAsked))}
		}
		if !b.asBefore(lang, internet) {
			// "switch it off and on if it isn't back": advice after the fact it follows from
			return []Action{b.failureHint(c, joinText(what, internet))}
		}
		return []Action{b.failureHint(c, joinText(internet, what))}
	case again:
		what, internet = "", ""
	case b.asBefore(lang, internet):
		internet = "" // just said, and nothing to do; "leave it switched on" is worth saying again
	}
	if what == "" && !again {
		what = b.t(lang, pick(cur.Restart, msgFailRestart, msgFailGeneric))
	}
	lead := ""
	if asksWhy && !(cur.permanent() && !again) { // "I couldn't find router X" is the reason itself
		lead = b.t(lang, msgFailedWhy)
	}
	if check := checkSerialAgain(c, cur); check != "" {
		// a typed serial the telco refused: type the right one here, as just asked; never
		// "I can't try again from here"
		if cur.Reason == ReasonUnknownRouter && what != "" {
			what = b.tf(lang, msgUnknownSerialMeans, "router", cur.RouterID) // "what does that mean?"
		}
		m := b.questionAgain(c)
		m.Text = joinText(lead, what, internet, b.t(lang, check))
		return []Action{m}
	}
	return []Action{b.failureHint(c, joinText(lead, what, internet))}
}

// checkSerialAgain is the request to check the label and type the serial again, after a
// typed serial the telco does not know or says is another's (forgotten, so the customer
// types the right one); "" for any other failure.
func checkSerialAgain(c *Conversation, cur *UpdateAttempt) msgKey {
	if c.RouterID != "" || cur.RouterID == "" {
		return ""
	}
	switch cur.Reason {
	case ReasonUnknownRouter:
		return msgCheckSerial
	case ReasonNotYours:
		return msgCheckSerialNotYours
	}
	return ""
}

// failureHint is the failure's menu again, with text and what the buttons do.
func (b *Bot) failureHint(c *Conversation, text string) Action {
	lang := b.voice(c)
	m := b.questionAgain(c)
	title := func(v string) string {
		for _, it := range m.Items {
			if it.Value == v {
				return it.Title
			}
		}
		return ""
	}
	hint := b.tf(lang, msgFailedWhyAgent, "agent", title(valAgent))
	if text == "" && hintSaidLast(c) {
		// "so what now" right after the hint closed the last message: the same step in
		// other words, never the same sentence again
		hint = b.tf(lang, msgFailedNextAgent, "agent", title(valAgent))
	}
	if retry := title(valRetry); retry != "" {
		hint = b.tf(lang, msgFailedWhyRetry, "retry", retry, "agent", title(valAgent))
	}
	m.Text = joinText(text, hint)
	return m
}

// hintSaidLast reports a conversation whose last answer ended with the failure's hint.
func hintSaidLast(c *Conversation) bool {
	switch c.LastRule {
	case "failed_aftermath_asked", "failed_status", "failed_what_now", "offer_agent_failed_what_now", "failed_explained":
		return true
	}
	return false
}

func (b *Bot) failureMenu(c *Conversation, why string) Action {
	lang := b.voice(c)
	items := []Item{{Title: b.t(lang, btnRetry), Value: valRetry}, {Title: b.t(lang, btnAgent), Value: valAgent}, {Title: b.t(lang, btnCancel), Value: valCancel}}
	if !b.canRetry(c) {
		items = items[1:]
	}
	c.ask(StateUpdateFailed, items)
	return menu(why+"\n\n"+b.t(lang, msgWhatNow), items)
}

// whatsappWindow is how long after the customer's last message WhatsApp accepts free-form
// messages from the business.
const whatsappWindow = 24 * time.Hour

// inWindow reports whether a free-form message may reach the customer now: Chatwoot's
// can_reply from the last payload, and 24 hours since the customer last wrote (the payload
// is stale when nobody wrote for a day).
func (c *Conversation) inWindow(now time.Time) bool {
	if !c.CanReply {
		return false
	}
	return c.LastCustomerAt.IsZero() || now.IsZero() || now.Sub(c.LastCustomerAt) < whatsappWindow
}

// proactive adapts a message the customer did not ask for just now. While a human owns
// the conversation the bot stays silent: the agent gets a private note instead. A
// customer who asked for no more messages gets none (see optout.go). Outside
// WhatsApp's 24 hour window a free-form message would fail, so it goes as the approved
// template, or, with none configured, as a note saying it could not be sent.
func (b *Bot) proactive(c *Conversation, now time.Time, a Action) []Action {
	if !c.BotOwns() {
		c.Menu = nil
		return []Action{note("Router update: " + a.Text)}
	}
	return b.sendUnasked(c, now, a)
}

// sendUnasked sends a message the customer did not ask for just now, as proactive does
// once the bot holds the conversation: nothing to one who asked for no more messages, and
// the template outside WhatsApp's 24 hour window.
func (b *Bot) sendUnasked(c *Conversation, now time.Time, a Action) []Action {
	inWindow := c.inWindow(now)
	switch {
	case c.OptedOut:
		// The customer asked for no more messages: nothing goes out, and a question that
		// was not asked is not open ("how did it go?" gets the facts: updateStatus).
		if len(a.Items) > 0 {
			c.closeQuestion()
		}
		return nil
	case !inWindow && b.Template != nil:
		text := a.Text
		for i, it := range a.Items {
			text += fmt.Sprintf(" %d. %s", i+1, it.Title)
		}
		// WhatsApp refuses a template parameter with a new line, a tab or more than four
		// spaces in a row (error 132018): one line, single spaces.
		text = strings.Join(strings.Fields(text), " ")
		return []Action{{Kind: SendMessage, Text: text, Template: &Template{
			Name: b.Template.Name, Language: b.Template.Language, Body: map[string]string{"1": text},
		}}}
	case !inWindow:
		return []Action{note("Not sent to the customer (outside WhatsApp's 24 hour window, no template configured): " + a.Text)}
	}
	return []Action{a}
}

// stepKeys are the texts of an update's steps: the step as it starts, and what is left
// from it ("how long?").
var stepKeys = map[string]struct{ now, left msgKey }{
	"downloading": {msgStepDownloading, msgLeftDownloading},
	"installing":  {msgStepInstalling, msgLeftInstalling},
	"rebooting":   {msgStepRebooting, msgLeftRebooting},
	"verifying":   {msgStepBackOnline, msgLeftVerifying},
}

func (b *Bot) stepText(lang, state, step string) string {
	if k, ok := stepKeys[step]; ok {
		return b.t(lang, k.now)
	}
	if state == JobQueued {
		return b.t(lang, msgStepQueued)
	}
	return ""
}

// customerFailureText is failureText without the telco's detail, told to the customer of
// c: after they said their internet does not work, never that it should (failureFactsFor).
func (b *Bot) customerFailureText(c *Conversation, lang string, j JobUpdate) string {
	j.Detail = ""
	return b.failureTextFor(c, lang, j)
}

// failureText tells a failed job in plain words: that it failed (with the telco's own
// words, when there are any: for the agents), what failed, and whether the customer's
// internet should work now.
func (b *Bot) failureText(lang string, j JobUpdate) string { return b.failureTextFor(nil, lang, j) }

// failureTextFor is failureText told to the customer of c (nil: to nobody in particular).
func (b *Bot) failureTextFor(c *Conversation, lang string, j JobUpdate) string {
	head := b.t(lang, pick(j.Restart, msgFailRestart, msgFailGeneric))
	if j.Reason == ReasonUnknownRouter || j.Reason == ReasonRejected || j.Reason == ReasonNotYours || j.Reason == ReasonUnverified {
		head = "" // nothing was started: "nothing was changed" says it all
	}
	if j.Detail != "" {
		head = b.tf(lang, pick(j.Restart, msgFailRestartDetail, msgFailDetail), "detail", clip(j.Detail, maxDetail))
	}
	what, internet := b.failureFactsFor(c, lang, j)
	return joinText(head, what, b.unlessUnchanged(lang, internet))
}

// failureFacts says what failed and whether the internet should work now (failedAs); both
// may be empty when the telco did not say.
func (b *Bot) failureFacts(lang string, j JobUpdate) (what, internet string) {
	f := failedAs(j)
	if f.what != "" {
		what = b.tf(lang, f.what, "router", j.RouterID)
	}
	if f.internet != "" {
		internet = b.t(lang, f.internet)
	}
	return what, internet
}

// failureFactsFor is failureFacts told to the customer of c: once they said their internet
// does not work (Conversation.InternetDownTold), "it should work (as before)" would
// contradict them; what to do instead (unplug it) and the agent are said.
func (b *Bot) failureFactsFor(c *Conversation, lang string, j JobUpdate) (what, internet string) {
	what, internet = b.failureFacts(lang, j)
	switch {
	case c == nil:
	case c.InternetDownTold:
		switch failedAs(j).internet {
		case msgInternetAsBefore, msgInternetShouldWork:
			internet = b.t(lang, msgInternetToldDown)
		}
	case c.TroubleTold && failedAs(j).internet == msgInternetAsBefore:
		// "no me anda desde ayer", then a failure that changed nothing: the router stayed
		// as it was, never "your internet should work as before" (it did not). A failure
		// whose words say "so nothing was changed" needs no more.
		internet = ""
		if f := failedAs(j).what; f == msgFailDownload || f == msgFailInstall {
			internet = b.t(lang, msgInternetUnchanged)
		}
	}
	return what, internet
}

// unlessUnchanged is internet, a failure's word on the connection, but for "your router
// is just as it was": beside the failure's own words ("so nothing was installed", "keeps
// the software it had") it says the same twice. Asked whether the internet works, it is
// the answer (failed_internet_unchanged_asked).
func (b *Bot) unlessUnchanged(lang, internet string) string {
	if internet == b.t(lang, msgInternetUnchanged) {
		return ""
	}
	return internet
}

// asBefore reports internet, a failure's word on the connection, as "nothing changed":
// just said with the failure, and nothing to do about it.
func (b *Bot) asBefore(lang, internet string) bool {
	return internet == b.t(lang, msgInternetAsBefore) || internet == b.t(lang, msgInternetUnchanged)
}

// maxDetail bounds the telco's own words in the failure message: its text goes out with
// the Retry / Agent / Cancel buttons, whose body WhatsApp caps at 1,024 characters, and a
// stack trace or a long log line tells the customer nothing.
const maxDetail = 200

// clip shortens s to at most n characters, at a space when there is one near the end.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n-1])
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)*3/4 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " .,;:") + "…"
}

func copyAttrs(in map[string]any) map[string]any {
	out := make(map[string]any, len(in)+1)
	for k, v := range in {
		out[k] = v
	}
	return out
}

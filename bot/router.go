package bot

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/cwbot/cwbot/intents"
)

const (
	menuConfirmUpdate = "confirm_update"
	menuUpdateFailed  = "update_failed"

	awaitRouterID = "router_id"

	valYes    = "yes"
	valNo     = "no"
	valRetry  = "retry"
	valCancel = "cancel"
)

// maxBadSerials is how many malformed serial numbers the bot takes before offering an agent.
const maxBadSerials = 3

// routerID is the router to update: the contact's attribute, or what the customer typed.
func (b *Bot) routerID(c *Conversation) string {
	if c.TypedRouter != "" {
		return c.TypedRouter
	}
	attr := b.routerAttribute()
	for _, attrs := range []map[string]any{c.Contact.Attributes, c.Attributes} {
		if v, ok := attrs[attr]; ok {
			if s := attrText(v); s != "" {
				return s
			}
		}
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
	lang := c.Language
	if c.Update != nil && c.Update.Active {
		step := b.stepText(lang, c.Update.State, c.Update.Step)
		if step == "" {
			return []Action{say(t(lang, msgUpdateRunningNoStep))}
		}
		return []Action{say(fmt.Sprintf(t(lang, msgUpdateAlreadyRunning), step))}
	}
	id := b.routerID(c)
	if id == "" {
		c.Awaiting = awaitRouterID
		c.BadAnswers = 0
		c.Menu = nil
		return []Action{say(t(lang, msgAskSerial))}
	}
	c.RouterID = id
	return []Action{b.confirmMenu(c)}
}

func (b *Bot) confirmMenu(c *Conversation) Action {
	lang := c.Language
	c.Menu = &Menu{Kind: menuConfirmUpdate, Items: []Item{
		{Title: t(lang, btnYesUpdate), Value: valYes},
		{Title: t(lang, btnNo), Value: valNo},
	}}
	return menu(fmt.Sprintf(t(lang, msgConfirmUpdate), c.RouterID), c.Menu.Items)
}

// onRouterID reads a typed serial number. ok is false when the text asks to leave the
// question (an agent, to cancel, help), which the caller then handles as usual. Any other
// text is taken as a wrong answer: a customer describing the router ("the white one",
// "it's in the living room") is still answering, whatever intent the words resemble.
func (b *Bot) onRouterID(ctx context.Context, c *Conversation, text string, now time.Time) ([]Action, bool) {
	lang := c.Language
	if serial, ok := b.findSerial(text); ok {
		c.Awaiting = ""
		c.RouterID, c.TypedRouter = serial, serial
		return []Action{c.setAttributes(map[string]any{b.routerAttribute(): serial}), b.confirmMenu(c)}, true
	}
	if intents.IsAcknowledgement(text) { // "ok", "got it" (the classifier takes it for cancel)
		return []Action{say(t(lang, msgAskSerial))}, true
	}
	if l, ok := intents.LanguageRequest(text); ok { // "español por favor": the question in it
		c.Language = l
		return []Action{say(t(l, msgLanguageSwitched)), say(t(l, msgAskSerial))}, true
	}
	res, err := b.NLU.Classify(ctx, text)
	leaves := err == nil && leavesQuestion(res.Intent) && !(res.Intent == intents.Cancel && intents.NegatedCancel(text))
	// "I can't find it", "não achei", "help": where the label is. Asking for a person is
	// answered first ("where can I talk to an agent?"); the classifier takes "I can't find
	// it" for cancel.
	if (intents.LookingForSerial(text) || res.Intent == intents.Help) && !(leaves && res.Intent == intents.HumanAgent) {
		return []Action{say(t(lang, msgSerialHint))}, true
	}
	if leaves {
		c.Awaiting, c.BadAnswers = "", 0
		if res.Intent == intents.Cancel { // what is cancelled is the question itself
			return []Action{say(t(lang, msgCancelled)), b.mainMenu(c)}, true
		}
		return nil, false
	}
	c.BadAnswers++
	if c.BadAnswers >= maxBadSerials {
		c.Awaiting = ""
		c.BadAnswers = 0
		return []Action{b.offerAgent(c)}, true
	}
	return []Action{say(t(lang, msgBadSerial))}, true
}

// findSerial reads the serial number in an answer to the question for it: the one word
// that is a serial ("S/N: ZX-9900-AB12", "el número de serie es ZX-9900-AB12", "it's
// ZX-9900-AB12"), or else the whole answer without its spaces ("ZX 9900 AB12"); see
// isSerial. Without a pattern, a word of 6 characters or more, or a one-word answer, is one.
func (b *Bot) findSerial(text string) (string, bool) {
	found := b.serials(text)
	if len(found) == 1 {
		return found[0], true
	}
	fields := strings.Fields(text)
	if whole := strings.ToUpper(strings.Join(fields, "")); len(found) == 0 && len(fields) <= 3 && b.isSerial(whole) &&
		(b.RouterPattern != nil || len(fields) == 1) {
		return whole, true
	}
	return "", false
}

// serials are the words of text that are serial numbers (see findSerial), each once.
func (b *Bot) serials(text string) []string {
	var found []string
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(":;,/()\"'", r) }) {
		w = strings.ToUpper(strings.TrimRight(w, ".!?"))
		if b.isSerial(w) && (b.RouterPattern != nil || len(w) >= 6) && !slices.Contains(found, w) {
			found = append(found, w)
		}
	}
	return found
}

// isSerial reports whether s can be a serial number: it has a digit (without that rule,
// "cancel" would match the default pattern) and matches ROUTER_ID_PATTERN when there is one.
func (b *Bot) isSerial(s string) bool {
	return strings.ContainsAny(s, "0123456789") && (b.RouterPattern == nil || b.RouterPattern.MatchString(s))
}

// otherSerial reads a serial typed to the confirmation naming current: the one serial of
// the text, or of two the one that is not current ("it's ZX-1234-CD56, not ZX-9900-AB12").
func (b *Bot) otherSerial(text, current string) (string, bool) {
	// A phone number ("my number is 11987654321") is no correction: a serial typed here
	// must have a letter too.
	found := slices.DeleteFunc(b.serials(text), func(s string) bool {
		return s != current && !strings.ContainsFunc(s, unicode.IsLetter)
	})
	switch {
	case len(found) == 1 && found[0] != current:
		return found[0], true
	case len(found) == 2 && found[0] == current:
		return found[1], true
	case len(found) == 2 && found[1] == current:
		return found[0], true
	}
	return "", false
}

// leavesQuestion says whether an intent, said while the bot waits for an answer, leaves
// the question.
func leavesQuestion(intent string) bool {
	switch intent {
	case intents.HumanAgent, intents.Cancel, intents.Help:
		return true
	}
	return false
}

func (b *Bot) startUpdate(c *Conversation, now time.Time) []Action {
	if c.Update == nil {
		c.Update = &RouterUpdate{}
	}
	if next, limited := b.updatesLimited(c, now); limited {
		return []Action{say(fmt.Sprintf(t(c.Language, msgTooManyUpdates), whenText(c.Language, next, now))), b.mainMenu(c)}
	}
	attempt := len(c.Update.Attempts) + 1
	c.Update.Active = true
	c.Update.JobID = 0
	c.Update.State, c.Update.Step = JobQueued, ""
	c.Update.Told = 0
	c.Update.Attempts = append(c.Update.Attempts, UpdateAttempt{Attempt: attempt, Started: now, RouterID: c.RouterID})
	return []Action{
		say(t(c.Language, msgUpdateStarted)),
		{Kind: StartJob, Update: &StartUpdate{RouterID: c.RouterID, Attempt: attempt,
			ContactID: c.Contact.ID, Phone: c.Contact.Phone, Typed: c.RouterID != b.contactRouter(c)}},
	}
}

func (b *Bot) retryUpdate(c *Conversation, now time.Time) []Action {
	if c.lastFailed() && !b.canRetry(c) {
		return []Action{b.failureMenu(c, t(c.Language, msgNoMoreRetries))}
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
		n++
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

func (b *Bot) updateStatus(c *Conversation) []Action {
	lang := c.Language
	u := c.Update
	switch {
	case u != nil && u.Active:
		step := b.stepText(lang, u.State, u.Step)
		if step == "" {
			return []Action{say(t(lang, msgUpdateInProgress))}
		}
		return []Action{say(fmt.Sprintf(t(lang, msgUpdateAt), step))}
	case u != nil && u.current() != nil && u.current().Result == JobSucceeded:
		return []Action{say(t(lang, msgLastUpdateOK))}
	case u != nil && u.current() != nil && u.current().Result == JobFailed:
		return []Action{say(t(lang, msgLastUpdateFailed))}
	}
	return []Action{say(t(lang, msgNoUpdate)), b.mainMenu(c)}
}

func (b *Bot) cancel(c *Conversation) []Action {
	lang := c.Language
	switch {
	case c.Waiting && (c.Menu == nil || c.Menu.Kind == menuMain) && c.Awaiting == "":
		// What a waiting customer can cancel is their place in line.
		acts := b.leaveLine(c)
		if b.OnHandoff != nil {
			b.OnHandoff(c.HandoffReason, "left_line")
		}
		return append(acts, say(t(lang, msgLeftLine)), b.mainMenu(c))
	case c.Update != nil && c.Update.Active:
		return []Action{say(t(lang, msgCannotStop))}
	case c.Menu != nil || c.Awaiting != "":
		c.Menu, c.Awaiting = nil, ""
		return []Action{say(t(lang, msgCancelled)), b.mainMenu(c)}
	}
	return []Action{say(t(lang, msgNothingToCancel)), b.mainMenu(c)}
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
	lang := c.Language
	if j.State == JobDelayed {
		return b.proactive(c, now, say(t(lang, msgTelcoSlow)))
	}
	r := rank(j.State, j.Step)
	if r <= u.Told {
		return nil
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
		return b.proactive(c, now, say(t(lang, msgUpdateDone)))
	case JobFailed:
		u.Active = false
		cur.Result = JobFailed
		cur.Failure = failureText(defaultLanguage, j)
		cur.Reason = j.Reason
		var acts []Action
		if j.Reason == ReasonUnknownRouter {
			acts = b.forgetTypedSerial(c, j.RouterID)
		}
		// The telco's own words (often English, often technical) are for the agents: in the
		// handoff's note, or here when the failure itself goes to them as a note.
		told := b.proactive(c, now, b.failureMenu(c, customerFailureText(lang, j)))
		if len(told) == 1 && told[0].Kind == SendNote && j.Detail != "" {
			told[0].Text += "\nThe telco's detail: " + clip(j.Detail, maxDetail)
		}
		return append(acts, told...)
	}
	text := b.stepText(lang, j.State, j.Step)
	if text == "" {
		return nil
	}
	return b.proactive(c, now, say(text))
}

// lastFailed reports whether the conversation's last update failed.
func (c *Conversation) lastFailed() bool {
	u := c.Update
	return u != nil && !u.Active && u.current() != nil && u.current().Result == JobFailed
}

// canRetry reports whether the last update failed and trying it again may help: the
// telco did not refuse it outright (ErrRejected: a 4xx, the same request would be refused
// again), and the retry budget is not spent.
func (b *Bot) canRetry(c *Conversation) bool {
	return c.lastFailed() && !finalRefusal(c.Update.current().Reason) && b.failedInARow(c) < b.maxAttempts()
}

func (b *Bot) failureMenu(c *Conversation, why string) Action {
	lang := c.Language
	items := []Item{{Title: t(lang, btnRetry), Value: valRetry}, {Title: t(lang, btnAgent), Value: valAgent}, {Title: t(lang, btnCancel), Value: valCancel}}
	if !b.canRetry(c) {
		items = items[1:]
	}
	c.Menu = &Menu{Kind: menuUpdateFailed, Items: items}
	return menu(why+"\n\n"+t(lang, msgWhatNow), items)
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
// the conversation the bot stays silent: the agent gets a private note instead. Outside
// WhatsApp's 24 hour window a free-form message would fail, so it goes as the approved
// template, or, with none configured, as a note saying it could not be sent.
func (b *Bot) proactive(c *Conversation, now time.Time, a Action) []Action {
	inWindow := c.inWindow(now)
	switch {
	case !c.BotOwns():
		c.Menu = nil
		return []Action{note("Router update: " + a.Text)}
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

func (b *Bot) stepText(lang, state, step string) string {
	switch step {
	case "downloading":
		return t(lang, msgStepDownloading)
	case "installing":
		return t(lang, msgStepInstalling)
	case "rebooting":
		return t(lang, msgStepRebooting)
	case "verifying":
		return t(lang, msgStepBackOnline)
	}
	if state == JobQueued {
		return t(lang, msgStepQueued)
	}
	return ""
}

// customerFailureText is failureText without the telco's detail.
func customerFailureText(lang string, j JobUpdate) string {
	j.Detail = ""
	return failureText(lang, j)
}

func failureText(lang string, j JobUpdate) string {
	switch j.Reason {
	case ReasonUnknownRouter:
		return fmt.Sprintf(t(lang, msgFailUnknownRouter), j.RouterID)
	case ReasonTimeout:
		return t(lang, msgFailTimeout)
	case ReasonUnavailable:
		return t(lang, msgFailUnavailable)
	case ReasonRejected:
		return t(lang, msgFailRejected)
	case ReasonNotYours:
		return t(lang, msgFailNotYours)
	case ReasonUnverified:
		return t(lang, msgFailUnverified)
	}
	if j.Detail != "" {
		return fmt.Sprintf(t(lang, msgFailDetail), clip(j.Detail, maxDetail))
	}
	return t(lang, msgFailGeneric)
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

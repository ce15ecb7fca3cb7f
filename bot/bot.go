package bot

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cwbot/cwbot/intents"
)

// NLU tells what a customer's text means. The built-in classifier and the external
// adapters of package intents satisfy it.
type NLU interface {
	Classify(ctx context.Context, text string) (intents.Result, error)
}

// Bot decides what to say. It holds no per-conversation state: that is the Conversation
// passed to Handle, which Handle updates in place.
type Bot struct {
	NLU    NLU
	Logger *slog.Logger

	// RouterAttribute names the contact custom attribute holding the router's id.
	RouterAttribute string
	// RouterPattern checks a serial number the customer types; nil accepts any.
	RouterPattern *regexp.Regexp
	// MaxAttempts is the router update retry budget (attempts in all).
	MaxAttempts int
	// Template, when set, carries proactive messages outside WhatsApp's 24 hour window.
	Template *TemplateConfig

	// OnIntent and OnHandoff, when set, are told each classified intent and each handoff
	// decision (reason: intent, menu, misunderstood, error; result: handed_off, waiting,
	// declined, failed), for metrics.
	OnIntent  func(intent string)
	OnHandoff func(reason, result string)

	// MaxRepliesPerMinute bounds how many customer messages a minute the bot answers in one
	// conversation, so a flood of messages never becomes a flood of replies (default 12).
	MaxRepliesPerMinute int
	// MaxUpdatesPerHour bounds router updates a router may get in an hour (default 3).
	MaxUpdatesPerHour int

	// Presence tells whether agents can take a conversation; nil means always.
	Presence Presence
	Handoff  HandoffConfig
}

// TemplateConfig names an approved WhatsApp template whose body's one parameter is the text.
type TemplateConfig struct {
	Name     string
	Language string
}

// Menu kinds, so an answer is read against the question it answers.
const (
	menuMain       = "main"
	menuOfferAgent = "offer_agent"
)

// Menu values. The intents package knows the typed variants of the well-known ones
// ("yes", "no", "agent", "cancel", "continue", ...).
const (
	valUpdateRouter = "update_router"
	valAgent        = "agent"
	valContinue     = "continue"
)

// misunderstandingsBeforeAgent is how many replies in a row the bot may fail to understand
// before it offers an agent rather than repeating the menu.
const misunderstandingsBeforeAgent = 3

// Handle applies ev to c and returns what to do, in order.
func (b *Bot) Handle(ctx context.Context, c *Conversation, ev Event) []Action {
	return withMenus(b.handle(ctx, c, ev))
}

// maxMenuBody is the most characters WhatsApp takes in the body of a reply-button message;
// Chatwoot does not check it, and a longer one fails after Chatwoot accepted it.
const maxMenuBody = 1024

// maxTextBody is the most characters WhatsApp takes in a text message.
const maxTextBody = 4096

// withMenus puts a text said just before a menu into the menu's own message: one bubble
// with its buttons, rather than two messages that WhatsApp may show in either order
// (Chatwoot sends each from its own job) and that cost the conversation two calls.
func withMenus(acts []Action) []Action {
	out := acts[:0]
	for i := 0; i < len(acts); i++ {
		a := acts[i]
		if i+1 < len(acts) && plainText(a) {
			next := acts[i+1]
			if next.Kind == SendMessage && len(next.Items) > 0 && next.Template == nil {
				text := a.Text + "\n\n" + next.Text
				if utf8.RuneCountInString(text) <= maxMenuBody {
					next.Text = text
					out = append(out, next)
					i++
					continue
				}
			}
		}
		out = append(out, a)
	}
	return out
}

func plainText(a Action) bool {
	return a.Kind == SendMessage && len(a.Items) == 0 && a.Template == nil && a.Text != ""
}

func (b *Bot) handle(ctx context.Context, c *Conversation, ev Event) []Action {
	// Chatwoot's deliveries may arrive out of order: a payload older than what the bot
	// knows changes nothing of the conversation's ownership.
	stale := c.stale(ev.Snapshot)
	handedBack := c.observe(ev)
	if ev.Contact != nil {
		c.mergeContact(*ev.Contact)
	}
	b.keepTypedSerial(c)
	var acts []Action
	if c.Waiting && !c.BotOwns() {
		// An agent took the conversation while the customer waited: the line is over, for
		// the waiting worker and in Chatwoot.
		acts = append(acts, b.leaveLine(c)...)
	}
	switch ev.Kind {
	case AgentMessage:
		// An agent's message written before a hand-back does not take the conversation
		// back from the bot.
		if !stale {
			c.AgentReplied = true
		}
	case ConversationChanged:
		if handedBack {
			acts = append(acts, b.welcomeBack(c, ev.Now)...)
		}
	case ActionFailed:
		switch {
		case ev.Failed == nil:
		case ev.Failed.Kind == Handoff && ev.Failed.Handoff != nil:
			acts = append(acts, b.onHandoffRefused(c, ev.Failed.Handoff, ev.Now)...)
		case ev.Failed.Kind == SendMessage:
			acts = append(acts, b.onCannotReply(c, "Chatwoot refused the bot's message ("+ev.FailedBecause+"): "+ev.Failed.Text, ev.Now)...)
		}
	case DeliveryFailed:
		acts = append(acts, b.onCannotReply(c, "WhatsApp did not deliver the bot's message: "+ev.Text, ev.Now)...)
	case AgentsAvailable:
		acts = append(acts, b.onAgentsAvailable(ctx, c, ev.Now)...)
	case JobProgress:
		if ev.Job != nil {
			acts = append(acts, b.onJob(c, *ev.Job, ev.Now)...)
		}
	case CustomerMessage:
		// WhatsApp's 24 hour window reopens with every customer message, whoever has the
		// conversation: the bot may need it after a hand-back.
		if !ev.Now.IsZero() && ev.Now.After(c.LastCustomerAt) {
			c.LastCustomerAt = ev.Now
		}
		if !c.BotOwns() {
			return acts // leaving the line, when an agent took the conversation
		}
		text := strings.TrimSpace(ev.Text)
		if text == "" {
			return acts // attachments and reactions without text: nothing to answer
		}
		b.updateLanguage(c, text)
		c.remember(text)
		if limited, notice := c.overBudget(ev.Now, b.maxReplies()); limited {
			if notice {
				return append(acts, say(t(c.Language, msgSlowDown)))
			}
			return acts
		}
		if handedBack {
			// Before Chatwoot 4.13 the bot learns of a hand-back from the next message.
			acts = append(acts, say(t(c.Language, msgBackWithBot)))
		}
		acts = append(acts, b.reply(ctx, c, text, ev.Now)...)
	}
	return acts
}

// observe updates what the bot knows of the conversation from a payload and reports a
// hand-back: the conversation set back to pending after a human had it.
func (c *Conversation) observe(ev Event) (handedBack bool) {
	s := ev.Snapshot
	if s == nil || c.stale(s) {
		return false // none, or a late delivery: what it says is older than what we know
	}
	if s.UpdatedAt != 0 {
		c.StatusAt = s.UpdatedAt
	}
	if s.InboxID != 0 {
		c.InboxID = s.InboxID
	}
	c.CanReply = s.CanReply
	if s.Attributes != nil {
		c.Attributes = s.Attributes
	}
	if s.Labels != nil {
		c.Labels = s.Labels
	}
	prev := c.Status
	humanHad := prev != "" && prev != StatusPending || c.HumanAssigned || c.AgentReplied || c.HandedOff
	if s.Status != "" {
		c.Status = s.Status
	}
	switch {
	case s.AssigneeID == 0:
		c.HumanAssigned = false
	case s.AssigneeHuman && s.AssigneeID != c.AssigneeID:
		c.HumanAssigned = true
	}
	c.AssigneeID = s.AssigneeID
	if c.Status != StatusPending {
		return false
	}
	if prev == StatusResolved {
		// A resolved conversation reopened by the customer starts fresh.
		c.startFresh()
		return false
	}
	if !humanHad {
		return false
	}
	if prev != StatusPending || ev.StatusChanged {
		// Chatwoot keeps the assignee when an agent hands back: the change to pending is
		// what hands the conversation back, so it clears the human claim.
		c.startFresh()
		return true
	}
	return false
}

// stale reports a snapshot older than what the conversation already knows.
func (c *Conversation) stale(s *Snapshot) bool {
	return s != nil && s.UpdatedAt != 0 && s.UpdatedAt < c.StatusAt
}

func (c *Conversation) startFresh() {
	c.HumanAssigned = false
	c.AgentReplied = false
	c.HandedOff = false
	c.Menu = nil
	c.Misunderstood = 0
	c.Awaiting = ""
	c.BadAnswers = 0
	c.Waiting = false
	c.Intake = nil
	c.IntakeThenWait = false
	c.HandoffReason = ""
}

func (c *Conversation) mergeContact(in Contact) {
	if in.ID != 0 {
		c.Contact.ID = in.ID
	}
	if in.Name != "" {
		c.Contact.Name = in.Name
	}
	if in.Phone != "" {
		c.Contact.Phone = in.Phone
	}
	if in.Locale != "" {
		c.Contact.Locale = in.Locale
	}
	if len(in.Attributes) > 0 {
		c.Contact.Attributes = in.Attributes
	}
}

// updateLanguage keeps the customer's language: a message too short or mixed to tell, or a
// serial number answering the question for it, keeps the last one; the contact's locale
// decides before the first telling message.
func (b *Bot) updateLanguage(c *Conversation, text string) {
	if c.Awaiting == awaitRouterID {
		if _, serial := b.findSerial(text); serial {
			c.ensureLanguage() // "S/N: ZX-9900-AB12" says nothing of the language
			return
		}
	}
	if lang, _ := intents.DetectLanguage(text); lang != "" {
		c.Language = lang
		return
	}
	c.ensureLanguage()
}

// ensureLanguage gives a conversation without a language the contact's locale's, or the
// default.
func (c *Conversation) ensureLanguage() {
	if c.Language == "" {
		c.Language = intents.LanguageFromLocale(c.Contact.Locale)
	}
	if c.Language == "" {
		c.Language = defaultLanguage
	}
}

func (b *Bot) reply(ctx context.Context, c *Conversation, text string, now time.Time) []Action {
	switch c.Awaiting {
	case awaitRouterID:
		if acts, ok := b.onRouterID(ctx, c, text, now); ok {
			return acts
		}
	case awaitAnythingElse:
		// The answer to "Anything else I can do for you?": "no" ("no, that's all"), or "ok"
		// and 👍 (the customer is done), ends the chat politely, "yes" gets the menu;
		// anything else is a new request.
		c.Awaiting = ""
		switch i, ok := matchChoice(text, yesNoChoices); {
		case ok && yesNoChoices[i].Value == valNo, intents.IsAcknowledgement(text), intents.NoAndClosing(text):
			c.Menu = nil
			return []Action{say(t(c.Language, msgGoodbye))}
		case ok:
			return []Action{b.mainMenu(c)}
		}
	case awaitIntake:
		// A menu sent since the question (an update that failed meanwhile) is answered
		// first: the question is put aside for it.
		if c.Menu != nil && c.Menu.Kind != menuIntakeSkip {
			if i, ok := matchItems(text, c.Menu.Items); ok {
				kind, value := c.Menu.Kind, c.Menu.Items[i].Value
				c.Awaiting, c.Menu, c.Intake = "", nil, nil
				c.Misunderstood = 0
				return b.choose(ctx, c, kind, value, now)
			}
		}
		// Cancel is not a button here: "1" is the question's own Skip.
		if _, cancel := matchChoice(text, []Item{{Title: t(c.Language, btnCancel), Value: valCancel}}); cancel {
			c.Awaiting, c.Menu, c.Intake = "", nil, nil
			return []Action{say(t(c.Language, msgCancelled)), b.mainMenu(c)}
		}
		if acts, ok := b.notAnIntakeAnswer(ctx, c, text); ok {
			return acts
		}
		return b.onIntakeAnswer(c, text, now)
	}
	if c.Menu != nil {
		if i, ok := matchItems(text, c.Menu.Items); ok {
			kind, value := c.Menu.Kind, c.Menu.Items[i].Value
			c.Menu = nil
			c.Misunderstood = 0
			return b.choose(ctx, c, kind, value, now)
		}
	}
	// "Keep chatting" tapped again on a menu no longer current (WhatsApp leaves old buttons
	// live): the classifier would read "Seguir con el bot" as asking for a person.
	if _, ok := matchChoice(text, keepChattingTitles); ok {
		c.Misunderstood = 0
		return []Action{b.mainMenu(c)}
	}
	// To "Shall I update router X?": another serial, or "that's not my router".
	if c.Menu != nil && c.Menu.Kind == menuConfirmUpdate {
		if serial, ok := b.otherSerial(text, c.RouterID); ok {
			c.RouterID, c.TypedRouter = serial, serial
			return []Action{c.setAttributes(map[string]any{b.routerAttribute(): serial}), b.confirmMenu(c)}
		}
		if intents.WrongRouter(text) {
			c.Menu, c.Awaiting, c.BadAnswers = nil, awaitRouterID, 0
			return []Action{say(t(c.Language, msgAskSerial))}
		}
	}
	// "mejor en español xfa", "pode falar em português?": the language, and the open
	// question again in it. No classifier: it took such a request for one for a person.
	if lang, ok := intents.LanguageRequest(text); ok {
		c.Language = lang
		// "can I talk to an agent in spanish?": the handoff, in Spanish. (The classifier
		// takes "can we speak spanish?" for a request for a person too.)
		if !intents.MentionsAgent(text) {
			return []Action{say(t(lang, msgLanguageSwitched)), b.menuAgain(c)}
		}
	}
	// "Try again" typed, or tapped on a failure menu another menu has replaced.
	if c.lastFailed() {
		if _, ok := matchChoice(text, []Item{{Title: t(c.Language, btnRetry), Value: valRetry}}); ok {
			c.Menu, c.Misunderstood = nil, 0
			return b.retryUpdate(c, now)
		}
	}
	// "ok", "vale", 👍 after the bot spoke: understood, not misunderstood. The open menu
	// stays open.
	if (c.Menu != nil || c.Update != nil || c.LastIntent != "") && intents.IsAcknowledgement(text) {
		c.Misunderstood = 0
		return []Action{say(t(c.Language, msgGoodbye))}
	}
	res, err := b.NLU.Classify(ctx, text)
	if err != nil {
		b.logger().Warn("classify failed (continuing as not understood)", slog.Int64("conversation_id", c.ID), slog.Any("error", err))
		res = intents.Result{Intent: intents.OutOfScope}
	}
	// During an update, "hi", "q tal va?", "ya quedó?", "how long will it take?" ask how it
	// goes: the greeting's menu would offer an update that is running.
	n := len(strings.Fields(text))
	updating := c.Update != nil && c.Update.Active
	if updating && (res.Intent == intents.Greeting && n <= 3 ||
		strings.Contains(text, "?") && n <= 6 && (res.Intent == intents.Thanks || res.Intent == intents.OutOfScope)) {
		res.Intent = intents.UpdateStatus
	}
	// A longer greeting during an update ("e aí, já foi?", "hola, me pueden llamar?"): how
	// it goes, and the menu for whatever else it asks.
	if updating && res.Intent == intents.Greeting {
		c.LastIntent, c.Misunderstood = res.Intent, 0
		return append(b.updateStatus(c), b.mainMenu(c))
	}
	// "how long?", "vai demorar?" while waiting in line for an agent, with no update: the
	// line, not "there is no update running".
	if c.Waiting && !updating && (res.Intent == intents.UpdateStatus || res.Intent == intents.OutOfScope && strings.Contains(text, "?")) {
		c.LastIntent, c.Misunderstood = res.Intent, 0
		return []Action{b.inLine(ctx, c, now)}
	}
	// "no lo canceles", "don't cancel": not a cancel (the classifier is sure it is).
	if res.Intent == intents.Cancel && intents.NegatedCancel(text) {
		res.Intent = intents.OutOfScope
	}
	c.LastIntent = res.Intent
	if b.OnIntent != nil {
		b.OnIntent(res.Intent)
	}
	// "my internet is slow", "no tengo internet": out of scope, but what the bot is for.
	recent := c.updatedRecently(now)
	unsure := res.Intent == intents.OutOfScope || res.Intent == intents.Help || res.Intent == intents.Cancel
	// "my internet is down" while the router restarts: expected, and said so.
	if updating && unsure && (intents.MentionsConnection(text) || intents.MentionsTrouble(text)) {
		c.Misunderstood = 0
		return []Action{say(t(c.Language, msgDropExpected))}
	}
	if (res.Intent == intents.OutOfScope || res.Intent == intents.Greeting) && intents.MentionsConnection(text) ||
		recent && unsure && intents.MentionsTrouble(text) {
		c.Misunderstood = 0
		if recent {
			return []Action{say(t(c.Language, msgStillTrouble)), b.offerAgentMenu(c, t(c.Language, msgWhatNow))}
		}
		return []Action{say(t(c.Language, msgConnectionTrouble)), b.mainMenu(c)}
	}
	return b.onIntent(ctx, c, res.Intent, now)
}

func (b *Bot) onIntent(ctx context.Context, c *Conversation, intent string, now time.Time) []Action {
	lang := c.Language
	if intent != intents.OutOfScope {
		c.Misunderstood = 0
	}
	switch intent {
	case intents.Greeting:
		return []Action{say(fmt.Sprintf(t(lang, msgGreeting), firstName(c.Contact.Name))), b.mainMenu(c)}
	case intents.Help:
		return []Action{say(t(lang, msgHelp)), b.menuAgain(c)} // the open question stays
	case intents.Thanks:
		c.Awaiting = awaitAnythingElse // "Anything else I can do for you?"
		return []Action{say(t(lang, msgThanks))}
	case intents.HumanAgent:
		return b.requestHandoff(ctx, c, ReasonIntent, now)
	case intents.UpdateRouter:
		return b.askUpdate(c)
	case intents.UpdateStatus:
		return b.updateStatus(c)
	case intents.Cancel:
		return b.cancel(c)
	}
	c.Misunderstood++
	if c.Misunderstood >= misunderstandingsBeforeAgent {
		c.Misunderstood = 0
		return []Action{b.offerAgent(c)}
	}
	return []Action{say(t(lang, msgNotUnderstood)), b.menuAgain(c)}
}

// notAnIntakeAnswer handles a short reply to an intake question that answers something
// else: "hi" or "ok" (the question is asked again), a request for a language (asked again
// in it), "never mind" (the handoff is called off, when the classifier is sure and it is
// more than a bare "no" or "don't cancel"), or "actually I want to update my router" (a
// change of mind: the update instead). Anything else is the customer's description, "the
// router won't update" included.
func (b *Bot) notAnIntakeAnswer(ctx context.Context, c *Conversation, text string) ([]Action, bool) {
	n := len(strings.Fields(text))
	if len(c.Intake) >= len(b.Handoff.Intake) || n > 8 {
		return nil, false
	}
	if lang, ok := intents.LanguageRequest(text); ok { // "en español por favor": the question in it
		c.Language = lang
		return []Action{say(t(lang, msgLanguageSwitched)), b.askIntake(c, len(c.Intake))}, true
	}
	res, err := b.NLU.Classify(ctx, text)
	switch {
	case err != nil:
		return nil, false
	case res.Intent == intents.Greeting && n <= 3, intents.IsUnderstood(text):
		return []Action{b.askIntake(c, len(c.Intake))}, true // "hi", "ok": no description
	case res.Intent == intents.Cancel && res.Confidence >= 0.9 && !plainNo(text) && !intents.NegatedCancel(text),
		res.Intent == intents.UpdateRouter && intents.ChangeOfMind(text):
		c.Awaiting, c.Menu, c.Intake = "", nil, nil
		c.IntakeThenWait, c.HandoffReason = false, ""
		if res.Intent == intents.UpdateRouter { // "actually I want to update my router"
			return b.askUpdate(c), true
		}
		return []Action{say(t(c.Language, msgCancelled)), b.mainMenu(c)}, true
	}
	return nil, false
}

// plainNo reports a bare "no" ("no", "não", "nope"): to a question for a description it
// declines to give one, it does not call the handoff off.
func plainNo(text string) bool {
	_, ok := matchChoice(text, []Item{{Title: "No", Value: valNo}})
	return ok
}

// menuAgain repeats the open question after a reply the bot did not understand: the
// update's confirmation or the failure's choices stay on the screen, instead of the main
// menu taking their place and the request being lost.
func (b *Bot) menuAgain(c *Conversation) Action {
	switch {
	case c.Menu == nil || c.Menu.Kind == menuMain || c.Menu.Kind == menuIntakeSkip:
		return b.mainMenu(c)
	case c.Menu.Kind == menuConfirmUpdate:
		return b.confirmMenu(c)
	}
	// The buttons in the conversation's language, which may have changed since.
	items := slices.Clone(c.Menu.Items)
	for i, it := range items {
		if key, ok := buttonKey(c.Menu.Kind, it.Value); ok {
			items[i].Title = t(c.Language, key)
		}
	}
	c.Menu.Items = items
	return menu(t(c.Language, msgWhatNow), items)
}

// buttonKey is the text of the button of value in a menu of kind.
func buttonKey(kind, value string) (msgKey, bool) {
	switch value {
	case valUpdateRouter:
		return btnUpdateRouter, true
	case valAgent:
		return btnAgent, true
	case valContinue:
		return btnKeepChatting, true
	case valWait:
		return btnWait, true
	case valSkip:
		return btnSkip, true
	case valRetry:
		return btnRetry, true
	case valCancel:
		return btnCancel, true
	case valNo:
		return btnNo, true
	case valYes:
		if kind == menuConfirmUpdate {
			return btnYesUpdate, true
		}
		return btnYes, true
	}
	return "", false
}

func (b *Bot) choose(ctx context.Context, c *Conversation, kind, value string, now time.Time) []Action {
	switch {
	case value == valUpdateRouter:
		return b.onIntent(ctx, c, intents.UpdateRouter, now)
	case value == valAgent && kind == menuUpdateFailed:
		return b.requestHandoff(ctx, c, ReasonRouterFailure, now)
	case value == valAgent && kind == menuOfferAgent:
		return b.requestHandoff(ctx, c, ReasonMisunderstood, now)
	case value == valAgent:
		return b.requestHandoff(ctx, c, ReasonMenu, now)
	case kind == menuHandoffWait && value == valWait:
		return b.startIntake(c, true, now)
	case value == valContinue:
		return []Action{b.mainMenu(c)}
	case kind == menuConfirmUpdate && value == valYes:
		return b.startUpdate(c, now)
	case kind == menuConfirmUpdate && value == valNo:
		return []Action{say(t(c.Language, msgUpdateDeclined)), b.mainMenu(c)}
	case kind == menuUpdateFailed && value == valRetry:
		return b.retryUpdate(c, now)
	case value == valCancel:
		return []Action{say(t(c.Language, msgCancelled)), b.mainMenu(c)}
	}
	b.logger().Warn("menu answer with no meaning", slog.String("menu", kind), slog.String("value", value))
	return []Action{b.mainMenu(c)}
}

func (b *Bot) mainMenu(c *Conversation) Action {
	lang := c.Language
	c.Menu = &Menu{Kind: menuMain, Items: []Item{
		{Title: t(lang, btnUpdateRouter), Value: valUpdateRouter},
		{Title: t(lang, btnAgent), Value: valAgent},
	}}
	return menu(t(lang, msgMenuPrompt), c.Menu.Items)
}

func (b *Bot) offerAgent(c *Conversation) Action {
	return b.offerAgentMenu(c, t(c.Language, msgOfferAgent))
}

// offerAgentMenu asks text with the buttons Talk to an agent / Keep chatting.
func (b *Bot) offerAgentMenu(c *Conversation, text string) Action {
	lang := c.Language
	c.Menu = &Menu{Kind: menuOfferAgent, Items: []Item{
		{Title: t(lang, btnAgent), Value: valAgent},
		{Title: t(lang, btnKeepChatting), Value: valContinue},
	}}
	return menu(text, c.Menu.Items)
}

// updatedRecently reports a router update that succeeded in the last day: a complaint
// about the connection then needs a person, not another update.
func (c *Conversation) updatedRecently(now time.Time) bool {
	u := c.Update
	if u == nil || u.Active || u.current() == nil {
		return false
	}
	last := u.current()
	return last.Result == JobSucceeded && now.Sub(last.Started) < 24*time.Hour
}

// welcomeBack tells the customer the bot has them again. Outside WhatsApp's 24 hour
// window a free-form message would fail, and a template for it would be spam: the agent
// gets a note instead, and the bot answers the customer's next message.
func (b *Bot) welcomeBack(c *Conversation, now time.Time) []Action {
	c.ensureLanguage()
	if !c.inWindow(now) {
		return []Action{note("Handed back to the virtual assistant. The customer was not told (outside WhatsApp's 24 hour window): the assistant answers their next message.")}
	}
	return []Action{say(t(c.Language, msgBackWithBot)), b.mainMenu(c)}
}

func agentNote(c *Conversation, router string) string {
	var sb strings.Builder
	sb.WriteString("Handoff from the virtual assistant.\n")
	fmt.Fprintf(&sb, "Customer: %s", orDash(c.Contact.Name))
	if c.Contact.Phone != "" {
		fmt.Fprintf(&sb, " (%s)", c.Contact.Phone)
	}
	fmt.Fprintf(&sb, "\nLanguage: %s\nDetected intent: %s\nWhy: %s\n", orDash(c.Language), orDash(c.LastIntent), orDash(c.HandoffReason))
	if router != "" {
		fmt.Fprintf(&sb, "Router: %s\n", router)
	}
	if c.Update != nil && len(c.Update.Attempts) > 0 {
		sb.WriteString("Router update history:\n")
		for _, a := range c.Update.Attempts {
			result := a.Result
			if result == "" {
				result = "running"
			}
			fmt.Fprintf(&sb, "- attempt %d: %s; steps: %s", a.Attempt, result, orDash(strings.Join(a.Steps, ", ")))
			if a.Failure != "" {
				fmt.Fprintf(&sb, "; failure: %s", a.Failure)
			}
			sb.WriteString("\n")
		}
	}
	if len(c.Intake) > 0 {
		sb.WriteString("Intake:\n")
		for _, a := range c.Intake {
			ans := a.Text
			if a.Skipped {
				ans = "(skipped)"
			}
			fmt.Fprintf(&sb, "- %s: %s\n", a.ID, ans)
		}
	}
	if len(c.Recent) > 0 {
		sb.WriteString("Last messages:\n")
		for _, m := range c.Recent {
			fmt.Fprintf(&sb, "- %s\n", m)
		}
	}
	return strings.TrimRight(sb.String(), "\n")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func firstName(name string) string {
	f := strings.Fields(name)
	if len(f) == 0 {
		return ""
	}
	return " " + f[0]
}

// matchItems matches a reply to a menu: the title as WhatsApp echoes it, the number, the
// value and typed variants.
func matchItems(text string, items []Item) (int, bool) {
	return intents.MatchMenu(text, menuItems(items))
}

// matchChoice matches choices that are not numbered buttons on the screen: no numbers.
func matchChoice(text string, items []Item) (int, bool) {
	return intents.MatchChoice(text, menuItems(items))
}

// yesNoChoices are a typed yes or no to a question without buttons.
var yesNoChoices = []Item{{Value: valYes}, {Value: valNo}}

// awaitAnythingElse marks the question after thanks: "Anything else I can do for you?".
const awaitAnythingElse = "anything_else"

// keepChattingTitles are the "Keep chatting" button's titles in every language, matched
// by title only (no value, so that "continue" typed alone still goes to the classifier).
var keepChattingTitles = func() []Item {
	var items []Item
	for _, lang := range []string{"en", "es", "pt"} {
		items = append(items, Item{Title: t(lang, btnKeepChatting)})
	}
	return items
}()

func menuItems(items []Item) []intents.MenuItem {
	out := make([]intents.MenuItem, len(items))
	for i, it := range items {
		out[i] = intents.MenuItem{Title: it.Title, Value: it.Value}
	}
	return out
}

func (b *Bot) maxReplies() int {
	if b.MaxRepliesPerMinute > 0 {
		return b.MaxRepliesPerMinute
	}
	return 12
}

// overBudget counts a customer message against the conversation's reply budget: limited
// when the bot must not answer it, notice when it should say once that it slows down.
func (c *Conversation) overBudget(now time.Time, max int) (limited, notice bool) {
	if now.IsZero() {
		return false, false
	}
	if now.Sub(c.Flood.Since) >= time.Minute {
		c.Flood = Flood{Since: now}
	}
	c.Flood.Count++
	if c.Flood.Count <= max {
		return false, false
	}
	notice = !c.Flood.Warned
	c.Flood.Warned = true
	return true, notice
}

func (b *Bot) logger() *slog.Logger {
	if b.Logger != nil {
		return b.Logger
	}
	return slog.Default()
}

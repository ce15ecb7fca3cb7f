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
	// RouterShape is the usual shape of the serials ("AA-0000-AA00": A a letter, 0 a
	// digit), or "" for none: a serial a character short of it is asked to be checked
	// (serial_short.go).
	RouterShape string
	// MaxAttempts is the router update retry budget (attempts in all).
	MaxAttempts int
	// Template, when set, carries proactive messages outside WhatsApp's 24 hour window.
	Template *TemplateConfig

	// RestartOnly says the telco only restarts routers (GenieACS without a firmware file):
	// the confirmation asks to restart, not to update the software.
	RestartOnly bool

	// Lexicon is the words of the dialogue acts; nil means the embedded one.
	Lexicon *intents.Lexicon

	// Content holds the texts the bot says (the content catalog), swapped whole by a
	// reload; nil means the embedded default.
	Content *Content
	// cat is the catalog a message is answered from, taken once per message (Handle).
	cat *Catalog

	// OnRule, when set, is told the state and the name of every dialogue rule fired.
	OnRule func(state, rule string)
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

	// Outages tells whether an outage affects a customer's service; nil: the bot never
	// asks (see outage.go).
	Outages Outages
	// Zone is the business's time zone (BOT_TIMEZONE, that of the agents' hours): the
	// clock an outage's expected end is said in. Nil: the telco's eta's own UTC offset.
	Zone *time.Location
}

// TemplateConfig names an approved WhatsApp template whose body's one parameter is the text.
type TemplateConfig struct {
	Name     string
	Language string
}

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
	if b.cat == nil {
		// One catalog for the whole message, even when a reload swaps it meanwhile.
		mb := *b
		mb.cat = b.Content.Load()
		b = &mb
	}
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
			if next.Kind == SendMessage && (len(next.Items) > 0 || next.asks) && next.Template == nil {
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
	c.settle()
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
			c.AgentLine = false // an agent wrote: theirs from now on
		}
		if agentNumber.MatchString(ev.Text) {
			c.AgentGaveNumber = true
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
		case ev.Failed.Kind == SetStatus && ev.Failed.Status == StatusPending:
			acts = append(acts, b.onPendingRefused(c)...)
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
	case OutageEnded:
		acts = append(acts, b.onOutageEnded(c, ev.OutageID, ev.Now)...)
	case CustomerMessage:
		// WhatsApp's 24 hour window reopens with every customer message, whoever has the
		// conversation: the bot may need it after a hand-back.
		if !ev.Now.IsZero() && ev.Now.After(c.LastCustomerAt) {
			c.LastCustomerAt = ev.Now
		}
		// The customer wrote: an opt-out is over, and they are answered as anyone else
		// (a second "stop" in a row is answered by silence: see optOut).
		optedOut := c.OptedOut
		c.OptedOut = false
		if !c.BotOwns() {
			b.followLanguage(c, ev.Text) // the hand-back speaks the language they last wrote in
			b.keepSerialWithAgent(c, ev.Text)
			if c.waitsForAgent() {
				// handed off, and no agent has written yet: the wait asked about, or the
				// line left, is answered; anything else is the agent's to read
				return append(acts, b.agentLineTurn(ctx, c, ev, optedOut)...)
			}
			return acts // leaving the line, when an agent took the conversation
		}
		text := strings.TrimSpace(ev.Text)
		media := mediaKind(ev.Media)
		if text == "" && media == "" {
			return acts // reactions and the like without text: nothing to answer
		}
		if text != "" {
			c.remember(text)
		}
		if limited, notice := c.overBudget(ev.Now, b.maxReplies()); limited {
			if notice && b.onlyCourtesy(ctx, c, text) {
				// "ok thanks" over the limit asks nothing: no answer, and no "slow down" to
				// someone who is saying thanks; the notice waits for a message that asks
				c.Flood.Warned = false
				return acts
			}
			if notice {
				c.ensureLanguage()
				return append(acts, say(b.t(b.voice(c), msgSlowDown)))
			}
			return acts
		}
		t := &turn{ctx: ctx, b: b, c: c, now: ev.Now, optedOut: optedOut, media: media}
		if text != "" {
			t.r = b.read(ctx, c, text)
		} else {
			t.r = intents.Reading{Intent: intents.OutOfScope} // a voice note or photo alone: no words to read
		}
		if t.media == "" {
			t.media = t.r.SentMedia // "te mandei um áudio explicando"
		}
		b.updateLanguage(c, t.r)
		if t.r.ForOther {
			c.ForOther = true // "le escribo por el internet de mi mamá": whatever answers it
			if t.r.HolderKin != "" {
				c.HolderKin = t.r.HolderKin // "...da minha mae, ela eh a titular": the texts say "da sua mãe"
			}
		}
		if (t.r.Has(intents.ActConnectionComplaint) || t.r.TellsTrouble || t.r.Has(intents.ActOutageArea) || t.r.Has(intents.ActWrongRouter)) &&
			!(t.r.Question && c.Described != "" && slices.Contains(c.Recent, c.Described)) &&
			!(t.r.AnotherRouter && !t.r.Has(intents.ActConnectionComplaint) && c.described() != "") &&
			!b.takesBackSerial(c, t.r) {
			// what the intake would ask: "describe the problem" ("the router on file is not
			// mine"); anger at a failed update ("this is useless. get me a human") describes
			// nothing the bot does not know (Conversation.knownProblem), and a question about
			// it ("what do you mean outage? is it my fault?") less than what was told before,
			// and "eu tenho dois roteadores em casa" says which router, not the problem told;
			// nor does a serial taken back ("oh wait sorry that's my mum's old one")
			c.Described, c.DescribedTopic = text, ""
		}
		if t.r.Has(intents.ActConnectionComplaint) && !t.r.Question {
			c.TroubleTold = true // a failure after it never says the internet "should work as before"
		}
		if handedBack {
			// Before Chatwoot 4.13 the bot learns of a hand-back from the next message.
			acts = append(acts, say(b.t(b.voice(c), msgBackWithBot)))
			c.Introduced = true
		}
		if t.r.Intent != intents.OutOfScope && t.r.Intent != intents.HumanAgent && t.r.Intent != intents.Cancel && t.r.Confidence >= clearConfidence {
			// the request of the message that hands off is the agent's "last request" (a
			// person asked for is the handoff's why: the request before it stays)
			c.LastIntent = t.r.Intent
			// "a culpa é minha? fiz alguma coisa errada?" asks about the trouble, whatever
			// topic the classifier hears in it: nothing raised for the agent; nor "vino el
			// técnico la semana pasada", a visit told, no visit asked for; nor "eu to em outra
			// casa" from a customer writing for the account holder, no move of house
			raisesNoTopic := t.r.Has(intents.ActMyFault) || t.r.Has(intents.ActComesBack) || t.r.TechnicianCame && !t.r.AsksTechnician ||
				t.r.AsksHolderRouter && c.ForOther
			if _, ok := b.catalog().Topics()[t.r.Intent]; ok && !raisesNoTopic && c.State == StateIntake {
				// "I'm moving house..." told at the intake: raised, though no rule answers it (the
				// agent reads it). Elsewhere the rule that answers a topic raises it (answerTopic,
				// alsoTopic); one that answers the message as something else raises nothing:
				// "internets been off for like an hour" (an outage), "y esto es oficial? no es una
				// estafa? me pidieron la clave del banco" (a scam), "pq deu erro" (the failure),
				// whatever topic the classifier leans to, are no plans or bill asked about.
				c.raise(t.r.Intent)
			}
		}
		acts = append(acts, b.fire(t)...)
		c.ClosedByAgent = false // only the message that reopened it
		if text != "" && t.r.Intent != intents.Cancel && !(t.r.Intent == intents.HumanAgent && t.r.Has(intents.ActDeny) && !t.r.Has(intents.ActAskPerson)) {
			// "cancel", "não, era isso" call off what was asked or offered, and "não quero
			// falar com ninguém" refuses a person: no request of theirs ("Last request: to
			// cancel" would read as the service's cancellation)
			c.LastIntent = t.r.Intent
		}
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
	agentHad := c.HumanAssigned || c.AgentReplied || c.HandedOff
	humanHad := prev != "" && prev != StatusPending || agentHad
	status, own := s.Status, false
	if c.PendingAsked && status != "" {
		switch status {
		case StatusOpen:
			status = "" // from before Chatwoot took the bot's pending (the customer left the line)
		case StatusPending:
			c.PendingAsked, own = false, true // the bot's own change, no hand-back
		default:
			c.PendingAsked = false // an agent resolved or snoozed it meanwhile
		}
	}
	if status != "" {
		c.Status = status
	}
	if c.Status != StatusOpen && c.Status != StatusPending {
		c.AgentLine = false // an agent set the status: theirs from now on
	}
	switch {
	case s.AssigneeID == 0:
		c.HumanAssigned = false
	case s.AssigneeHuman && s.AssigneeID != c.AssigneeID:
		c.HumanAssigned = true
	}
	c.AssigneeID = s.AssigneeID
	if c.Status != StatusPending || own {
		return false
	}
	if prev == StatusResolved {
		// A resolved conversation reopened by the customer starts fresh.
		c.startFresh()
		c.ClosedByAgent = agentHad
		return false
	}
	if !humanHad {
		return false
	}
	if prev != StatusPending || ev.StatusChanged {
		// Chatwoot keeps the assignee when an agent hands back: the change to pending is
		// what hands the conversation back, so it clears the human claim.
		c.startFresh()
		c.BackFromAgent = true
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
	c.AgentLine, c.LineHeldAt, c.LineHeld, c.PendingAsked = false, time.Time{}, "", false
	c.RefusedSerials = nil // an agent may have registered them since
	c.State = StateIdle
	c.Closed = ""
	c.Topic = ""
	c.AgentAfter = ""
	c.Menu = nil
	c.Misunderstood = 0
	c.Awaiting = ""
	c.BadAnswers = 0
	c.Waiting = false
	c.Intake = nil
	c.IntakeThenWait = false
	c.LeftLineTold = nil
	c.HandoffReason = ""
	c.WaitOffered, c.AgentsBack = false, time.Time{}
	c.BackFromAgent = false
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

// updateLanguage keeps the customer's language. A turn that tells none (too short or
// mixed, a serial number, a button tapped, a skip) keeps the last one. The first message, when
// short ("ola", "buenas", "oii"), is read with the contact's locale and the phone
// number's country code as a prior; a language asked for wins over all of it.
func (b *Bot) updateLanguage(c *Conversation, r intents.Reading) {
	switch {
	case r.Language != "":
		c.Language = r.Language
	case c.Language == "" && r.Words <= 2 && c.prior() != "" && (r.Lang == "" || intents.SaysIn(c.prior(), r.Text)):
		c.Language = c.prior()
	case c.Language == "" && !c.languageHeard() && mixedWithPrior(c.prior(), r):
		c.Language = c.prior()
	case r.Lang != "" && !r.Tapped && len(r.Serials) == 0 && !pleasantry(r) && (!c.languageHeard() || switchesTo(c.Language, r)):
		c.Language = r.Lang
	case c.Language == "" && c.prior() == "":
		// A language of the catalog that language detection does not know (an operator's
		// own, added in BOT_CONTENT_FILE): the contact's locale names it ("fr_FR").
		if l := intents.LocaleCode(c.Contact.Locale); slices.Contains(b.catalog().Languages(), l) {
			c.Language = l
		}
	}
	c.ensureLanguage()
}

// languageHeard reports a conversation where the customer was answered before (this
// message is the last remembered): from then on only a clear switch changes the language.
// The first message sets it from whatever it tells.
func (c *Conversation) languageHeard() bool { return len(c.Recent) > 1 }

// switchesTo reports a turn that clearly changes the conversation's language from from:
// three words or more, two of them at least of the new language, and less than one of the
// old; or five of the new and one at most of the old (Spanglish with an "update" in it). A
// mixed message ("ok cool, it worked? el internet ya está bien?" in an English
// chat, "ok gracias. y una pregunta, what time are you guys open?" in a Spanish one) or a
// short one ("gracias! valeu" in a Portuguese one) keeps the language the customer was
// answered in: answers flipping between two languages read as a bot that does not listen.
func switchesTo(from string, r intents.Reading) bool {
	if r.Lang == from {
		return true
	}
	w := intents.LanguageWords(r.Text)
	if r.Words >= 3 && w[r.Lang] >= 2 && w[from] < 1 {
		return true
	}
	// "necesito hacer un update al router porfa, el wifi esta super slow" after "hi": all
	// but a word of it in the new language, and long enough to tell
	return w[r.Lang] >= clearSwitchWords && w[from] <= 1
}

// mixedWithPrior reports a first message mixed about evenly of the language its sender's
// number (or locale) suggests and another ("hola, good morning jaja" from a Chilean
// number, "oi, good morning kkk" from a Brazilian one): everyday Spanglish or Portuglish,
// answered in the prior's language, as the rest of the chat will be. A message mostly of
// the other language ("Hi, hola! my wifi isn't working") is answered in it.
func mixedWithPrior(prior string, r intents.Reading) bool {
	if prior == "" || r.Lang == "" || r.Lang == prior || r.Tapped || len(r.Serials) > 0 {
		return false
	}
	w := intents.LanguageWords(r.Text)
	return w[prior] > 0 && w[r.Lang] <= w[prior]+mixedMargin
}

// mixedMargin is how many more words of another language an evenly mixed first message may
// have than of its sender's prior language: a greeting's two ("good morning").
const mixedMargin = 1.5

// clearSwitchWords is how many words of a new language make a clear switch to it, despite
// a word of the old one among them.
const clearSwitchWords = 5

// followLanguage keeps the language of a customer talking with an agent, whom the bot does
// not answer: "disculpa, mejor en español..." to the agent, and the hand-back is said in
// Spanish. A short message ("ok", "sí") keeps the language it had, and so does one whose
// words lean only a little to another ("es lento a la noche, de 20 a 24 mas o menos",
// whose "mas", "a" and "menos" Portuguese has too): only a clear switch changes it, as
// with the bot (switchesTo), never the hand-back in a language the customer never wrote.
func (b *Bot) followLanguage(c *Conversation, text string) {
	n := len(strings.Fields(text))
	if n <= 3 {
		return
	}
	lang, _ := intents.DetectLanguage(text)
	if lang == "" || !slices.Contains(b.catalog().Languages(), lang) {
		return
	}
	if c.Language == "" || switchesTo(c.Language, intents.Reading{Lang: lang, Text: text, Words: n}) {
		c.Language = lang
	}
}

// pleasantry reports a turn too thin to change the language by: a skip, politeness,
// an acknowledgement, laughter, or a short yes, no or goodbye ("por favor" and "ok dale"
// are said in Portuguese too; "sale, bye" closes a chat in Spanish).
func pleasantry(r intents.Reading) bool {
	thin := r.Acts.Without(intents.ActSkip).Without(intents.ActPolite).Without(intents.ActAcknowledge).Without(intents.ActLaugh)
	if r.Words <= 3 {
		thin = thin.Without(intents.ActAffirm).Without(intents.ActDeny).Without(intents.ActGoodbye)
	}
	return r.Acts != 0 && thin == 0
}

// prior is the language the contact's locale, or else their phone number, suggests.
func (c *Conversation) prior() string {
	if l := intents.LanguageFromLocale(c.Contact.Locale); l != "" {
		return l
	}
	return intents.LanguageFromPhone(c.Contact.Phone)
}

// ensureLanguage gives a conversation without a language the contact's, or the default.
func (c *Conversation) ensureLanguage() {
	if c.Language == "" {
		c.Language = c.prior()
	}
	if c.Language == "" {
		c.Language = defaultLanguage
	}
}

// questionAgain repeats the open question after a reply that did not answer it: the
// update's confirmation or the failure's choices stay on the screen, in the
// conversation's language (which may have changed), instead of the main menu taking
// their place and the request being lost. With no question open, the main menu.
func (b *Bot) questionAgain(c *Conversation) Action {
	lang := b.voice(c)
	switch c.State {
	case StateConfirmUpdate:
		return b.confirmMenu(c)
	case StateAskSerial:
		return say(b.t(lang, msgAskSerial))
	case StateChooseRouter:
		return b.chooseRouterAgain(c)
	case StateIntake:
		return b.askIntake(c, len(c.Intake))
	case StateOutageNotice: // "Shall I tell you when the service is back?", not a menu offering a restart
		if c.Menu != nil {
			return menu(b.t(lang, msgOutageAsk), c.Menu.Items)
		}
	case StateUpdateFailed, StateOfferAgent, StateOfferWait:
		if c.Menu != nil {
			items := slices.Clone(c.Menu.Items)
			for i, it := range items {
				if key, ok := buttonKey(c, it.Value); ok {
					items[i].Title = b.t(lang, key)
				}
			}
			c.Menu.Items = items
			return menu(b.t(lang, msgWhatNow), items)
		}
	}
	return b.mainMenu(c)
}

// buttonKey is the text of the button of value in the menu of the conversation's state.
func buttonKey(c *Conversation, value string) (msgKey, bool) {
	s := c.State
	switch value {
	case valUpdateRouter:
		if s == StateOfferAgent && c.HandoffReason == ReasonStillTrouble { // trouble after an update: the update again (stillTroubleMenu)
			return btnUpdateAgain, true
		}
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
		if s == StateConfirmUpdate {
			return btnYesUpdate, true // questionAgain asks the confirmation anew, with its own title
		}
		return btnYes, true
	}
	return "", false
}

// mainMenu offers what the bot does. Once the update's retries are spent, it offers
// only the agent: the update would fail again.
func (b *Bot) mainMenu(c *Conversation) Action {
	lang := b.voice(c)
	items := []Item{
		{Title: b.t(lang, btnUpdateRouter), Value: valUpdateRouter},
		{Title: b.t(lang, btnAgent), Value: valAgent},
	}
	if b.retriesSpent(c) || c.Update != nil && c.Update.Active {
		// Spent, or running: the update is not on offer, and a menu of one button ("What
		// would you like to do? [Talk to an agent]") looks broken. What is left is said in
		// words, and no question stays open: "agent" typed is a person asked for.
		c.ask(c.rest(), nil)
		return prompt(b.t(lang, pick(c.Update != nil && c.Update.Active, msgMenuUpdating, msgMenuNoUpdate)))
	}
	c.ask(StateMainMenu, items)
	return menu(b.t(lang, msgMenuPrompt), items)
}

func (b *Bot) offerAgent(c *Conversation) Action {
	return b.offerAgentMenu(c, b.t(b.voice(c), msgOfferAgent), ReasonMisunderstood)
}

// offerAgentMenu asks text with the buttons Talk to an agent / Keep chatting; reason is
// why, for the agent's note if the customer takes it.
func (b *Bot) offerAgentMenu(c *Conversation, text, reason string) Action {
	lang := b.voice(c)
	c.HandoffReason = reason
	interrupted := c.interruptedBy()
	c.ask(StateOfferAgent, []Item{
		{Title: b.t(lang, btnAgent), Value: valAgent},
		{Title: b.t(lang, btnKeepChatting), Value: valContinue},
	})
	c.Interrupted = interrupted
	return menu(text, c.Menu.Items)
}

// stillTroubleMenu answers trouble with the connection within a day of an update that
// worked: the update named, an agent first (the handoff's reason says why), another
// update second, or keep chatting; one message with its buttons. After two or more that
// worked ("ok done i guess. still meh tho" after the second), the router is most likely
// not the cause: the agent, and no update again. also is the answer to a topic the same
// message asked about ("...e dá pra levar a internet na mudança?"), or "".
func (b *Bot) stillTroubleMenu(c *Conversation, also string, now time.Time) Action {
	text := b.t(b.voice(c), pick(c.updatedOften(now), msgStillTroubleAfterUpdates, msgStillTroubleAfterUpdate))
	if also != "" {
		text += "\n\n" + also
	}
	return b.stillTroubleMenuWith(c, text, now)
}

// stillTroubleMenuWith is stillTroubleMenu with its own text before the question.
func (b *Bot) stillTroubleMenuWith(c *Conversation, text string, now time.Time) Action {
	lang := b.voice(c)
	m := b.offerAgentMenu(c, text+"\n\n"+b.t(lang, msgWhatNow), ReasonStillTrouble)
	if c.updatedOften(now) {
		return m
	}
	items := []Item{m.Items[0], {Title: b.t(lang, btnUpdateAgain), Value: valUpdateRouter}, m.Items[1]}
	c.Menu.Items, m.Items = items, items
	return m
}

// updatesWorked counts the updates of the router last updated that succeeded in the last
// day (a second router's update is no second try of the first's).
func (c *Conversation) updatesWorked(now time.Time) int {
	if c.Update == nil || len(c.Update.Attempts) == 0 {
		return 0
	}
	router := c.Update.Attempts[len(c.Update.Attempts)-1].RouterID
	n := 0
	for _, a := range c.Update.Attempts {
		if a.Result == JobSucceeded && a.RouterID == router && now.Sub(a.Started) < 24*time.Hour {
			n++
		}
	}
	return n
}

// updatedOften reports two or more updates of the router that worked in the last day:
// the router is most likely not the cause, and a third is not offered.
func (c *Conversation) updatedOften(now time.Time) bool { return c.updatesWorked(now) > 1 }

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
	if c.OptedOut {
		return []Action{note("Handed back to the virtual assistant. The customer was not told (they asked for no more messages): the assistant answers their next message.")}
	}
	c.Introduced = true // "you're back with the virtual assistant", and the menu: a hello after it is a hello
	if o := c.Outage; o != nil {
		// the outage the customer was told of is still on: no menu offering the update
		// it said would not help; the end told as promised, or offered
		acts := []Action{say(b.t(b.voice(c), msgBackWithBot) + " " + b.t(b.voice(c), msgOutageStillOn))}
		if o.Subscribed {
			c.ask(c.rest(), nil)
			return append(acts, say(b.t(b.voice(c), msgOutageStillWillTell)))
		}
		return append(acts, b.outageNoticeMenu(c))
	}
	acts := []Action{say(b.t(b.voice(c), msgBackWithBot)), b.mainMenu(c)}
	if c.routerTrouble() && !b.retriesSpent(c) && !c.updatedRecently(now) && c.Outage == nil {
		c.Proposed = valBackUpdate // "bueno dale": the update the conversation was about, not a goodbye
	} else {
		c.Proposed = valBackMenu // "ok so what do I do now": the menu's next step (main_menu_back_what_now)
	}
	return acts
}

// valBackMenu marks the hand-back's menu in any other conversation (Proposed): only a
// question of what to do now reads it.
const valBackMenu = "back_menu"

// valBackUpdate marks the hand-back's menu in a conversation about the router (Proposed):
// an "ok" or "dale" to it takes the update, which an agent most likely handed back for.
const valBackUpdate = "back_update"

// routerTrouble reports a conversation about the router: the update asked for last, or
// trouble with the connection told.
func (c *Conversation) routerTrouble() bool {
	return !(c.Update != nil && c.Update.Active) &&
		(c.LastIntent == intents.UpdateRouter || c.Described != "" && c.DescribedTopic == "" && slices.Contains(c.Recent, c.Described))
}

func agentNote(c *Conversation, router, raised string) string {
	var sb strings.Builder
	sb.WriteString("Handoff from the virtual assistant.\n")
	fmt.Fprintf(&sb, "Customer: %s", orDash(c.Contact.Name))
	if c.Contact.Phone != "" {
		fmt.Fprintf(&sb, " (%s)", c.Contact.Phone)
	}
	fmt.Fprintf(&sb, "\nLanguage: %s\nWhy: %s\n", languageName(c.Language), c.whyWords())
	if c.HandoffReason == ReasonTopic && c.Topic != "" {
		fmt.Fprintf(&sb, "Topic: %s\n", strings.ReplaceAll(c.Topic, "_", " "))
	}
	if w := intentWords(c.LastIntent); w != "" && !slices.Contains(c.Raised, c.LastIntent) && builtInIntent(c.LastIntent) {
		// a topic the customer raised is told below, with the others; one the classifier
		// only half heard ("bro wtf it failed??" as billing) is no request
		fmt.Fprintf(&sb, "Last request: %s\n", w)
	}
	if raised != "" {
		fmt.Fprintf(&sb, "Also asked about: %s\n", raised)
	}
	sb.WriteString(outageNote(c))
	if router != "" {
		fmt.Fprintf(&sb, "Router: %s%s\n", router, unconfirmedNote(c, router))
	}
	if named := namedOtherSerials(c, router); len(named) > 0 {
		// "el de arriba es el XX-0000-ZZ00": the serial the customer was told is passed on,
		// with what the telco said of it
		for i, s := range named {
			named[i] += serialNote(c, s)
		}
		label := "Other router serial the customer gave"
		if router == "" {
			label = "Router serials the customer gave" // none updated: every one, taken back or refused
		}
		fmt.Fprintf(&sb, "%s: %s\n", label, strings.Join(named, ", "))
	}
	if c.Update != nil && len(c.Update.Attempts) > 0 {
		sb.WriteString("Router update history:\n")
		for _, a := range c.Update.Attempts {
			result := a.Result
			if result == "" {
				result = "running"
			}
			fmt.Fprintf(&sb, "- attempt %d", a.Attempt)
			if a.RouterID != "" && a.RouterID != router {
				fmt.Fprintf(&sb, " (router %s)", a.RouterID) // a serial typed, refused or typed anew since
			}
			fmt.Fprintf(&sb, ": %s; steps: %s", result, orDash(strings.Join(a.Steps, ", ")))
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
			switch {
			case a.Skipped:
				ans = "(skipped)"
			case a.Known != "":
				ans = "not asked: " + a.Known + " (see the history above)"
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

// whyWords says why the customer was handed off, for the agent: an update refused for the
// router the customer typed (another account's, or unknown to the telco) is that, not an
// update that failed on the router.
func (c *Conversation) whyWords() string {
	if c.HandoffReason == ReasonRouterFailure && c.lastFailed() {
		switch c.Update.current().Reason {
		case ReasonNotYours:
			return "the router the customer gave is registered to another account, so its update was refused"
		case ReasonUnknownRouter:
			return "the router serial the customer gave is not known, so its update could not start"
		}
	}
	return reasonWords(c.HandoffReason)
}

// reasonWords says why a customer was handed off, for the agent.
func reasonWords(reason string) string {
	switch reason {
	case ReasonIntent:
		return "the customer asked to talk to a person"
	case ReasonMenu:
		return "the customer tapped \"Talk to an agent\""
	case ReasonMisunderstood:
		return "the assistant did not understand the customer several times"
	case ReasonRouterFailure:
		return "the router update failed"
	case ReasonError:
		return "the assistant cannot reach the customer"
	case ReasonAreaOutage:
		return "the customer reports that their whole area is without service"
	case ReasonKnownOutage:
		return "an outage the telco knows of affects the customer's service"
	case ReasonCompensation:
		return "the customer asks for a credit for the outage (the assistant cannot grant one)"
	case ReasonCredit:
		return "the customer asks for a refund or credit for time without service; no outage is on record for them (the assistant cannot grant one)"
	case ReasonNotOnRecord:
		return "the customer says the router on their record is not theirs, or names another router of theirs (check the contact's router attribute)"
	case ReasonHolderAccount:
		return "the customer writes for the account holder, whose router is on another account than this contact's (find it by the holder's name or phone number, in the conversation)"
	case ReasonNoSerial:
		return "the customer cannot find the router's serial number"
	case ReasonSerialWithheld:
		return "the customer would rather not give the router's serial number, and no router is on their record"
	case ReasonFrustrated:
		return "the customer is frustrated"
	case ReasonStillTrouble:
		return "the connection is still bad after a router update that succeeded"
	case ReasonTopic:
		return "the customer asked about something the assistant does not handle"
	case ReasonMedia:
		return "the customer sent a voice note or photo the assistant cannot open (see it in the conversation)"
	case ReasonProtocol:
		return "the customer asks for a protocol or reference number of their request (the assistant cannot register one)"
	case ReasonPrivacy:
		return "the customer asks to see or delete their personal data: a privacy request (the assistant cannot act on it)"
	case ReasonAgentPending:
		return "the customer asks about what an agent arranged or was checking before handing back (the assistant cannot see it: see their question below)"
	}
	return orDash(reason)
}

// intentWords says what the customer last asked, for the agent; "" when the assistant
// could not tell.
// builtInIntent reports one of the bot's own intents, not a topic's.
func builtInIntent(intent string) bool {
	switch intent {
	case intents.UpdateRouter, intents.UpdateStatus, intents.HumanAgent, intents.Cancel, intents.Help:
		return true
	}
	return false
}

func intentWords(intent string) string {
	switch intent {
	case intents.UpdateRouter:
		return "update or restart their router"
	case intents.UpdateStatus:
		return "how their router update is going"
	case intents.HumanAgent:
		return "a person"
	case intents.Cancel:
		return "to cancel"
	case intents.Help:
		return "what the assistant can do"
	case "", intents.OutOfScope, intents.Greeting, intents.Thanks:
		return ""
	}
	return strings.ReplaceAll(intent, "_", " ")
}

func languageName(lang string) string {
	switch lang {
	case "en":
		return "English"
	case "es":
		return "Spanish"
	case "pt":
		return "Portuguese"
	}
	return orDash(lang)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// greeting greets the customer by their first name when the contact has one: "Hi Maria!
// I'm the virtual assistant...".
func (b *Bot) greeting(lang, name string) string { return b.greetingAs(lang, name, msgGreeting) }

// greetingAs is the greeting of key (greeting, greeting_unclear), its {hello} with the
// contact's first name.
func (b *Bot) greetingAs(lang, name string, key msgKey) string {
	return b.tf(lang, key, "hello", b.hello(lang, name))
}

// greetingWell is greetingAs with the hello answering a "how are you?" ("Olá, Ana! Tudo
// bem por aqui, obrigado!").
func (b *Bot) greetingWell(lang, name string, key msgKey) string {
	return b.tf(lang, key, "hello", b.hello(lang, name)+" "+b.t(lang, msgDoingWell))
}

// hello is the hello with the contact's first name, where there is one.
func (b *Bot) hello(lang, name string) string {
	if first := firstName(name); first != "" {
		return b.tf(lang, msgHelloName, "name", first)
	}
	return b.t(lang, msgHello)
}

// firstName is a contact's first name, past an honorific ("Dona Márcia" is Márcia, "Sr.
// Pérez" has none the bot would use), and "" for a name that is no name (a phone number).
func firstName(name string) string {
	f := strings.Fields(name)
	for _, w := range f {
		if businessWord(strings.ToLower(strings.Trim(w, ".,&()"))) {
			return "" // "Droguería San Rafael", "Kiosco Don Pepe", "Dona Socorro Modas": a shop, no first name
		}
	}
	for len(f) > 0 && honorifics[strings.ToLower(strings.TrimRight(f[0], "."))] {
		f = f[1:]
	}
	if len(f) == 0 || len(f) == 1 && len(strings.Fields(name)) > 1 || strings.ContainsAny(f[0], "0123456789+@") {
		return "" // "Sr. Pérez": a surname after an honorific is no first name
	}
	return f[0]
}

// businessWords mark a contact name that is a business's ("¡Hola, Droguería!" would greet
// the shop by its trade): the kinds of shop and the company suffixes of the three languages.
var businessWords = map[string]bool{
	"ltda": true, "s.a": true, "sa": true, "s/a": true, "sac": true, "s.a.c": true, "srl": true, "s.r.l": true, "sas": true, "s.a.s": true,
	"eireli": true, "mei": true, "epp": true, "ltd": true, "llc": true, "inc": true, "plc": true, "cía": true, "cia": true, "hnos": true,
	"shop": true, "store": true, "loja": true, "tienda": true, "market": true, "mercado": true, "minimercado": true, "minimarket": true,
	"supermercado": true, "supermarket": true, "mercearia": true, "mercadinho": true, "almacén": true, "almacen": true, "bodega": true,
	"kiosco": true, "kiosko": true, "quiosque": true, "droguería": true, "drogueria": true, "drogaria": true, "farmacia": true, "farmácia": true,
	"pharmacy": true, "chemist": true, "panadería": true, "panaderia": true, "padaria": true, "bakery": true, "pastelería": true,
	"pasteleria": true, "confeitaria": true, "ferretería": true, "ferreteria": true, "hardware": true, "boutique": true, "modas": true,
	"salón": true, "salon": true, "salão": true, "peluquería": true, "peluqueria": true, "barbería": true, "barberia": true, "barbearia": true,
	"restaurante": true, "restaurant": true, "pizzaria": true, "pizzería": true, "pizzeria": true, "lanchonete": true, "cafetería": true,
	"cafeteria": true, "papelería": true, "papeleria": true, "papelaria": true, "librería": true, "libreria": true, "livraria": true,
	"óptica": true, "optica": true, "ótica": true, "otica": true, "veterinaria": true, "veterinária": true, "clínica": true, "clinica": true,
	"clinic": true, "consultorio": true, "consultório": true, "taller": true, "oficina": true, "hotel": true, "pousada": true, "hostal": true,
	"distribuidora": true, "comercial": true, "inmobiliaria": true, "imobiliária": true, "imobiliaria": true, "lavandería": true,
	"lavanderia": true, "carnicería": true, "carniceria": true, "açougue": true, "acougue": true, "floristería": true, "floricultura": true,
	"heladería": true, "heladeria": true, "sorveteria": true, "autopeças": true, "autopartes": true, "services": true, "servicios": true,
	"serviços": true, "servicos": true, "miscelánea": true, "miscelanea": true, "comercio": true, "comércio": true, "abarrotes": true,
	"variedades": true, "bazar": true, "bazaar": true, "empório": true, "emporio": true, "emporium": true, "depósito": true, "deposito": true,
	"armarinho": true, "co": true, "company": true, "limited": true, "enterprise": true, "venture": true, "trading": true, "trader": true,
	"supply": true, "supplies": true, "wholesale": true, "café": true, "cafe": true, "kitchen": true, "motors": true,
	"electronics": true, "agency": true, "agencia": true, "agência": true,
}

// businessWord reports a word of businessWords, or its plural ("Mama Tolu Stores",
// "Lojas Silva", "Papelerías El Sol").
func businessWord(w string) bool {
	if businessWords[w] {
		return true
	}
	if one, ok := strings.CutSuffix(w, "s"); ok && len(one) > 2 && businessWords[one] {
		return true
	}
	one, ok := strings.CutSuffix(w, "es")
	return ok && len(one) > 2 && businessWords[one]
}

var honorifics = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "miss": true, "dr": true, "sr": true, "sra": true, "srta": true,
	"don": true, "dona": true, "doña": true, "dom": true, "seu": true, "senhor": true, "senhora": true,
	"señor": true, "señora": true, "señorita": true, "dra": true, "prof": true,
}

func menuItems(items []Item) []intents.MenuItem {
	out := make([]intents.MenuItem, len(items))
	for i, it := range items {
		out[i] = intents.MenuItem{Title: it.Title, Value: it.Value}
	}
	return out
}

// onlyCourtesy reports a short message that only thanks, acknowledges, says goodbye or
// laughs ("ok thanks", "👍", "kkkk"): over the reply budget it goes unanswered, and unwarned.
// It is read by the word lists and the learned reader alone: the classifier (maybe a
// remote one) is not called for a message the budget leaves unanswered.
func (b *Bot) onlyCourtesy(ctx context.Context, c *Conversation, text string) bool {
	rd := intents.Reader{Lexicon: b.Lexicon, SerialPattern: b.RouterPattern, SerialShape: b.RouterShape}
	r := rd.Read(ctx, text, intents.Context{State: string(c.State)})
	rest := r.Acts.Without(intents.ActThanks).Without(intents.ActAcknowledge).Without(intents.ActGoodbye).
		Without(intents.ActLaugh).Without(intents.ActPolite)
	return r.Acts != 0 && rest == 0 && r.Words <= 4 && !r.Question && len(r.Serials) == 0
}

func (b *Bot) maxReplies() int {
	if b.MaxRepliesPerMinute > 0 {
		return b.MaxRepliesPerMinute
	}
	return DefaultMaxRepliesPerMinute
}

// DefaultMaxRepliesPerMinute is the reply budget of a conversation when none is set: a
// customer replying to each answer and tapping its buttons writes a message every 4 or 5
// seconds in a long chat (play17: 15 in a minute and more, every one answered), far from a
// flood.
const DefaultMaxRepliesPerMinute = 20

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

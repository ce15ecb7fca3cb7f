package bot

import (
	"context"
	_ "embed"
	"fmt"
	"log/slog"
	"slices"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Availability is whether agents can take a conversation now.
type Availability struct {
	Open        bool      // within business hours
	Online      bool      // an agent is online (true when it cannot be known)
	NextOpening time.Time // zero when unknown or always open
	// Hours are when agents work (the inbox's working hours, or BOT_BUSINESS_HOURS), as
	// the contact topic tells them; nil when always open or unknown.
	Hours *Schedule
}

// Presence tells whether agents can take a conversation: the inbox's working hours and the
// agents' availability. The pipeline implements it with Chatwoot's API and a cache.
type Presence interface {
	Availability(ctx context.Context, accountID, inboxID, teamID int64, now time.Time) (Availability, error)
}

// HandoffConfig is how the bot hands conversations to agents.
type HandoffConfig struct {
	// TeamID routes every handoff to one team; Teams routes by intent ("default" too).
	TeamID int64
	Teams  map[string]int64
	// WhenClosed is "wait" (offer to wait or keep chatting) or "open" (open at once so
	// agents find the conversation first thing).
	WhenClosed string
	// Intake are the questions asked before handing off.
	Intake []Question
	// Labels is set when a user token lets the bot label conversations.
	Labels bool
}

// Question is one intake question, in each language.
type Question struct {
	ID        string            `yaml:"id"`
	Skippable bool              `yaml:"skippable"`
	Text      map[string]string `yaml:"text"`
	// Described: the customer's own description of the problem in their last messages
	// ("a net ta caindo toda hora faz uma semana") answers it, and it is not asked.
	Described bool `yaml:"described"`
}

// Answer is a customer's answer to an intake question.
type Answer struct {
	ID      string `json:"id"`
	Text    string `json:"text,omitempty"`
	Skipped bool   `json:"skipped,omitempty"`
	// Known is what the bot itself knows of the problem, for the agent, when it did not
	// ask ("the router update failed 3 times in a row"): the customer is not asked to tell
	// what the bot saw happen.
	Known string `json:"known,omitempty"`
}

//go:embed intake.yaml
var defaultIntake []byte

// DefaultIntake is the embedded intake: one skippable question.
func DefaultIntake() []Question {
	qs, err := ParseIntake(defaultIntake)
	if err != nil {
		panic(err)
	}
	return qs
}

// ParseIntake reads a YAML list of questions.
func ParseIntake(data []byte) ([]Question, error) {
	var qs []Question
	if err := yaml.Unmarshal(data, &qs); err != nil {
		return nil, fmt.Errorf("intake questions: %w", err)
	}
	for i, q := range qs {
		if q.ID == "" || q.Text[defaultLanguage] == "" {
			return nil, fmt.Errorf("intake question %d: needs an id and an English text", i+1)
		}
		// A skippable question goes out with a Skip button, whose message body WhatsApp caps
		// at 1,024 characters; another as text, capped at 4,096. A longer one is refused
		// by WhatsApp after Chatwoot accepted it.
		limit := maxTextBody
		if q.Skippable {
			limit = maxMenuBody
		}
		for lang, text := range q.Text {
			if n := utf8.RuneCountInString(text); n > limit {
				return nil, fmt.Errorf("intake question %d (%s), %s text: %d characters, WhatsApp takes at most %d", i+1, q.ID, lang, n, limit)
			}
		}
	}
	return qs, nil
}

// HandoffPlan is the whole handoff, delivered as one outbox row whose steps run in order:
// team, labels, attributes, the note for the agent, the status change, and only then the
// message to the customer. Done counts the steps already made, so a retry resumes and a
// refusal leaves the customer with the bot rather than half handed off.
type HandoffPlan struct {
	TeamID     int64          `json:"team_id,omitempty"`
	Labels     []string       `json:"labels,omitempty"`
	Attributes map[string]any `json:"attributes,omitempty"`
	// LabelsChanged and AttributesChanged are what the handoff changes: see Action.Changed.
	LabelsChanged     []string `json:"labels_changed,omitempty"`
	AttributesChanged []string `json:"attributes_changed,omitempty"`
	Note              string   `json:"note"`
	Message           *Action  `json:"message,omitempty"`
	Reason            string   `json:"reason"`
	Done              int      `json:"done,omitempty"`
}

// HandoffStepsToOpen is how many of a handoff's steps put the conversation in the
// agents' hands: team, labels, attributes, note and the status change. Once Done reaches
// it, only the message to the customer is left.
const HandoffStepsToOpen = 5

// Handoff reasons, for metrics and the agent's note.
const (
	ReasonIntent        = "intent"
	ReasonMenu          = "menu"
	ReasonMisunderstood = "misunderstood"
	ReasonRouterFailure = "router_failure"
	ReasonError         = "error"
	// The bot offered the agent, for what it cannot do itself:
	ReasonAreaOutage   = "area_outage"          // the whole area is without service
	ReasonNotOnRecord  = "router_not_on_record" // the customer says the router on record isn't theirs
	ReasonNoSerial     = "serial_not_found"     // the customer cannot find the router's serial number
	ReasonFrustrated   = "frustrated"           // the customer is fed up
	ReasonStillTrouble = "trouble_after_update" // still wrong after an update that succeeded
	ReasonTopic        = "topic"                // a topic answered with an agent (Conversation.Topic)
)

const (
	valWait = "wait"
	valSkip = "skip"

	labelWaiting = "waiting_for_agent"
	labelHandoff = "bot_handoff"
	attrWaiting  = "waiting_for_agent"
)

// requestHandoff answers a wish to talk to a person: never promise an agent who is not
// there; ask the intake questions; then hand off, or offer to wait.
func (b *Bot) requestHandoff(ctx context.Context, c *Conversation, reason string, now time.Time) []Action {
	lang := b.voice(c)
	c.closeQuestion()
	if c.Waiting {
		return []Action{b.inLine(ctx, c, now)}
	}
	c.HandoffReason = reason
	av := b.availability(ctx, c, now)
	if av.Open && av.Online {
		return b.startIntake(c, false, now)
	}
	when := b.whenText(lang, av.NextOpening, now)
	if b.Handoff.WhenClosed == "open" {
		text := b.t(lang, msgBusyOpenAnyway) // within hours, nobody online
		if !av.Open {
			text = b.tf(lang, msgClosedOpenAnyway, "when", when)
		}
		// One message, in place of the usual "I'm passing you to an agent", and sent, like
		// it, once the conversation is open: a refused handoff promises nothing.
		acts := b.handoffNow(c, now, false)
		if plan := acts[0].Handoff; plan.Message != nil {
			plan.Message.Text = text
		}
		return acts
	}
	c.awayNoted(av)
	text := b.tf(lang, msgNobodyOnline, "when", when)
	if !av.Open {
		text = b.tf(lang, msgClosed, "when", when)
	}
	c.ask(StateOfferWait, []Item{
		{Title: b.t(lang, btnWait), Value: valWait},
		{Title: b.t(lang, btnKeepChatting), Value: valContinue},
	})
	if b.OnHandoff != nil {
		b.OnHandoff(reason, "offered_wait")
	}
	return []Action{menu(text, c.Menu.Items)}
}

// inLine answers a customer waiting in line who asks for an agent again or how long it
// takes: in line, and when the agents are back if the inbox is closed now.
func (b *Bot) inLine(ctx context.Context, c *Conversation, now time.Time) Action {
	if av := b.availability(ctx, c, now); !av.Open && !av.NextOpening.IsZero() {
		return say(b.tf(b.voice(c), msgWaitingUntil, "when", b.whenText(b.voice(c), av.NextOpening, now)))
	}
	return say(b.t(b.voice(c), msgAlreadyWaiting))
}

func (b *Bot) availability(ctx context.Context, c *Conversation, now time.Time) Availability {
	if b.Presence == nil {
		return Availability{Open: true, Online: true}
	}
	av, err := b.Presence.Availability(ctx, c.AccountID, c.InboxID, b.teamFor(c), now)
	if err != nil {
		// Unknown counts as present: better an agent finds the conversation than the
		// customer is told nobody is there when someone is.
		b.logger().Warn("agent availability unknown (continuing as available)", slog.Int64("conversation_id", c.ID), slog.Any("error", err))
		return Availability{Open: true, Online: true}
	}
	return av
}

func (b *Bot) teamFor(c *Conversation) int64 {
	if c.Waiting && c.HandoffTeam != 0 {
		// The team the customer waits for, whatever they said since: "thanks" must not
		// move them to another line.
		return c.HandoffTeam
	}
	if c.HandoffReason == ReasonTopic && c.Topic != "" {
		if id := b.catalog().Topics()[c.Topic].TeamID; id != 0 {
			return id // skill routing: billing to billing
		}
		if id, ok := b.Handoff.Teams[c.Topic]; ok {
			return id
		}
	}
	if id, ok := b.Handoff.Teams[c.LastIntent]; ok && c.LastIntent != "" {
		return id
	}
	if c.HandoffReason == ReasonRouterFailure {
		if id, ok := b.Handoff.Teams["update_router"]; ok {
			return id
		}
	}
	if c.HandoffReason == ReasonCompensation || c.HandoffReason == ReasonCredit { // a credit on the bill: the billing team's
		if id := b.catalog().Topics()["billing"].TeamID; id != 0 {
			return id
		}
		if id, ok := b.Handoff.Teams["billing"]; ok {
			return id
		}
	}
	if b.Handoff.TeamID != 0 {
		return b.Handoff.TeamID
	}
	return b.Handoff.Teams["default"]
}

// startIntake asks the intake questions; then hands off now, or puts the customer in line.
func (b *Bot) startIntake(c *Conversation, thenWait bool, now time.Time) []Action {
	c.Intake = nil
	c.IntakeThenWait = thenWait
	return b.nextIntake(c, now)
}

// nextIntake asks the next intake question the customer has not answered already by
// describing their problem, or hands off when none is left.
func (b *Bot) nextIntake(c *Conversation, now time.Time) []Action {
	for i := len(c.Intake); i < len(b.Handoff.Intake); i++ {
		q := b.Handoff.Intake[i]
		if d := c.described(); q.Described && d != "" {
			c.Intake = append(c.Intake, Answer{ID: q.ID, Text: d})
			continue
		}
		if k := c.knownProblem(); q.Described && k != "" {
			c.Intake = append(c.Intake, Answer{ID: q.ID, Known: k})
			continue
		}
		if j := slices.IndexFunc(c.LeftLineTold, func(a Answer) bool { return a.ID == q.ID }); j >= 0 {
			// back in the line they left: what they answered then, never asked again
			c.Intake = append(c.Intake, c.LeftLineTold[j])
			continue
		}
		return []Action{b.askIntake(c, i)}
	}
	for _, a := range c.LeftLineTold {
		if a.ID == addedInLine && !slices.Contains(c.Intake, a) {
			c.Intake = append(c.Intake, a) // what they added in line then, for the agent too
		}
	}
	c.closeQuestion()
	return b.finishIntake(c, now)
}

// toldAnswers are the intake answers in the customer's own words.
func toldAnswers(intake []Answer) []Answer {
	var told []Answer
	for _, a := range intake {
		if a.Text != "" && !a.Skipped {
			told = append(told, a)
		}
	}
	return told
}

func (b *Bot) askIntake(c *Conversation, i int) Action {
	q := b.Handoff.Intake[i]
	text := pickText(q.Text, b.voice(c))
	if !q.Skippable {
		c.ask(StateIntake, nil)
		return say(text)
	}
	c.ask(StateIntake, []Item{{Title: b.t(b.voice(c), btnSkip), Value: valSkip}})
	return menu(text, c.Menu.Items)
}

// onIntakeAnswer records the answer to the open intake question (skipped: none) and asks
// the next, or hands off.
func (b *Bot) onIntakeAnswer(c *Conversation, text string, skipped bool, now time.Time) []Action {
	i := len(c.Intake)
	if i >= len(b.Handoff.Intake) {
		c.closeQuestion()
		return b.finishIntake(c, now)
	}
	c.Intake = append(c.Intake, Answer{ID: b.Handoff.Intake[i].ID, Text: text, Skipped: skipped})
	return b.nextIntake(c, now)
}

// finishIntake hands off, or puts the customer in line. When the intake has their own
// words (what they described before, or typed to a question), they are told these go to
// the agent: "I literally just told you" is never the answer to a handoff. When it has
// what the bot saw instead (the update that failed), they are told the agent has that.
func (b *Bot) finishIntake(c *Conversation, now time.Time) []Action {
	waiting, handoff := msgWaiting, msgHandoff
	noted := slices.ContainsFunc(c.Intake, func(a Answer) bool { return a.Text != "" })
	switch {
	case noted:
		waiting, handoff = msgWaitingNoted, msgHandoffNoted
	case slices.ContainsFunc(c.Intake, func(a Answer) bool { return a.Known != "" }):
		waiting, handoff = msgWaitingFailureNoted, msgHandoffFailureNoted
	}
	if c.IntakeThenWait {
		back := c.AgentsBack
		acts := b.markWaiting(c)
		switch {
		case back.After(now) && noted: // out of hours: when they are back, as the offer said
			acts[len(acts)-1] = say(b.tf(b.voice(c), msgWaitingNotedUntil, "when", b.whenText(b.voice(c), back, now)))
		case back.After(now):
			acts[len(acts)-1] = say(b.tf(b.voice(c), msgWaitingBack, "when", b.whenText(b.voice(c), back, now)))
		default:
			acts[len(acts)-1] = say(b.t(b.voice(c), waiting))
		}
		return acts
	}
	acts := b.handoffNow(c, now, false)
	if plan := acts[0].Handoff; handoff != msgHandoff && plan.Message != nil {
		plan.Message.Text = b.t(b.voice(c), handoff)
	}
	return acts
}

// inLineText is key said to a customer in line, or keyUntil with when the agents are back
// when the inbox is closed now.
func (b *Bot) inLineText(ctx context.Context, c *Conversation, now time.Time, key, keyUntil msgKey) string {
	if av := b.availability(ctx, c, now); !av.Open && !av.NextOpening.IsZero() {
		return b.tf(b.voice(c), keyUntil, "when", b.whenText(b.voice(c), av.NextOpening, now))
	}
	return b.t(b.voice(c), key)
}

// leaveLine takes a waiting customer out of line: the mark, its attribute and its label.
func (b *Bot) leaveLine(c *Conversation) []Action {
	c.Waiting, c.HandoffTeam = false, 0
	acts := []Action{c.setAttributes(nil, attrWaiting)}
	if b.Handoff.Labels && slices.Contains(c.Labels, labelWaiting) {
		acts = append(acts, c.setLabels(nil, labelWaiting))
	}
	return acts
}

// markWaiting puts the customer in line: the conversation stays with the bot, marked for
// the agents, and the waiting worker hands it off when someone can take it.
func (b *Bot) markWaiting(c *Conversation) []Action {
	c.Waiting, c.LeftLine = true, false
	c.HandoffTeam = b.teamFor(c)
	c.closeQuestion()
	acts := []Action{c.setAttributes(map[string]any{attrWaiting: true})}
	if b.Handoff.Labels {
		acts = append(acts, c.setLabels([]string{labelWaiting}))
	}
	if b.OnHandoff != nil {
		b.OnHandoff(c.HandoffReason, "waiting")
	}
	return append(acts, say(b.t(b.voice(c), msgWaiting)))
}

// onCannotReply hands the conversation to the agents when the bot cannot reach the
// customer any more: an agent sees the note saying why and takes it from there. The
// customer is not told by the bot, whose messages do not get through.
func (b *Bot) onCannotReply(c *Conversation, why string, now time.Time) []Action {
	if !c.BotOwns() {
		return nil
	}
	c.HandoffReason = ReasonError
	acts := b.handoffNow(c, now, false)
	plan := acts[0].Handoff
	plan.Message = nil
	plan.Note = "The virtual assistant cannot reach the customer: " + why + "\n\n" + plan.Note
	return acts
}

// handoffNow hands the conversation to the agents as one composite action.
func (b *Bot) handoffNow(c *Conversation, now time.Time, proactive bool) []Action {
	lang := b.voice(c)
	c.AgentAfter = "" // the agent promised for after the update is this one
	msg := say(b.t(lang, msgHandoff))
	if proactive {
		msg = say(b.t(lang, msgAgentAvailable))
		if acts := b.proactive(c, now, msg); len(acts) == 1 && acts[0].Kind == SendMessage {
			msg = acts[0]
		} else {
			msg = Action{} // outside the window with no template: the note says so
		}
	}
	attrs := c.setAttributes(map[string]any{
		"bot_intent":          orDash(c.LastIntent),
		"language":            lang,
		"router_update_state": updateState(c),
	}, attrWaiting)
	plan := &HandoffPlan{TeamID: b.teamFor(c), Attributes: attrs.Attributes, AttributesChanged: attrs.Changed, Reason: c.HandoffReason}
	if b.Handoff.Labels {
		labels := c.setLabels([]string{labelHandoff}, labelWaiting)
		plan.Labels, plan.LabelsChanged = labels.Labels, labels.Changed
	}
	plan.Note = agentNote(c, b.routerID(c), b.raisedForNote(c))
	if msg.Kind != "" {
		plan.Message = &msg
	} else {
		plan.Note += "\n(The customer was not told: outside WhatsApp's 24 hour window and no template configured.)"
	}
	c.HandedOff, c.Waiting = true, false
	c.AgentLine, c.LineHeldAt, c.LineHeld, c.PendingAsked = true, time.Time{}, "", false
	c.closeQuestion()
	if b.OnHandoff != nil {
		b.OnHandoff(c.HandoffReason, "handed_off")
	}
	return []Action{{Kind: Handoff, Handoff: plan}}
}

// onAgentsAvailable hands off a waiting customer once an agent can take them.
func (b *Bot) onAgentsAvailable(ctx context.Context, c *Conversation, now time.Time) []Action {
	if !c.Waiting || !c.BotOwns() {
		return nil
	}
	if av := b.availability(ctx, c, now); !av.Open || !av.Online {
		return nil
	}
	return b.handoffNow(c, now, true)
}

// onHandoffRefused takes the customer back when Chatwoot refused a step of the handoff.
func (b *Bot) onHandoffRefused(c *Conversation, plan *HandoffPlan, now time.Time) []Action {
	if !c.HandedOff {
		return nil
	}
	if plan.Done >= HandoffStepsToOpen {
		// The conversation is open with the agents; only the message telling the customer
		// failed. The bot stays out of it and says so to the agent.
		return []Action{note("The customer was not told of the handoff: Chatwoot refused the message. Please greet them yourself.")}
	}
	c.HandedOff, c.AgentLine = false, false
	if b.OnHandoff != nil {
		b.OnHandoff(plan.Reason, "failed")
	}
	if plan.Reason == ReasonError {
		// The customer could not be reached before, and Chatwoot refuses now too: saying
		// so would only fail again, and start the same handoff over and over.
		return nil
	}
	if !c.inWindow(now) {
		// A customer handed off from the line after a weekend: free text would fail.
		return b.proactive(c, now, say(b.t(b.voice(c), msgHandoffFailed)))
	}
	return []Action{say(b.t(b.voice(c), msgHandoffFailed)), b.mainMenu(c)}
}

func updateState(c *Conversation) string {
	u := c.Update
	switch {
	case u == nil || len(u.Attempts) == 0:
		return "none"
	case u.Active:
		return "running"
	}
	return u.current().Result
}

func appendUnique(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(slices.Clone(list), s)
}

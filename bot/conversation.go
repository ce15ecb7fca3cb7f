// Package bot is the domain: what the bot remembers of each conversation, when it may speak,
// and what it says. It is a state machine: Handle takes a conversation's state and an event
// and returns the actions to take. It does no I/O of its own; the classifier it is given is
// the only thing it calls.
package bot

import (
	"fmt"
	"slices"
	"time"
)

// Conversation statuses, as Chatwoot names them.
const (
	StatusPending  = "pending"
	StatusOpen     = "open"
	StatusResolved = "resolved"
	StatusSnoozed  = "snoozed"
)

// Conversation is the bot's memory of one Chatwoot conversation, stored as JSON.
type Conversation struct {
	AccountID int64 `json:"account_id"`
	ID        int64 `json:"id"`
	InboxID   int64 `json:"inbox_id,omitempty"`

	// What Chatwoot last told us, and when (the payload's updated_at), so that a delivery
	// that arrives late cannot roll the status back.
	Status     string  `json:"status,omitempty"`
	StatusAt   float64 `json:"status_at,omitempty"`
	AssigneeID int64   `json:"assignee_id,omitempty"`
	CanReply   bool    `json:"can_reply"`

	// Ownership: a human owns the conversation when it is not pending, when a human was
	// assigned and it was not handed back since, or when an agent replied since the last
	// hand-back. Chatwoot keeps the assignee on hand-back, so the assignee alone can't tell.
	HumanAssigned bool `json:"human_assigned,omitempty"`
	AgentReplied  bool `json:"agent_replied,omitempty"`
	HandedOff     bool `json:"handed_off,omitempty"`
	// AgentLine: the bot handed the conversation off, and since then no agent has written
	// nor set its status: the customer waits for the agent they were handed to (see
	// waitsForAgent). LineHeldAt and LineHeld are when the bot last told them they are in
	// that line, and in which words (agent_line.go).
	AgentLine  bool      `json:"agent_line,omitempty"`
	LineHeldAt time.Time `json:"line_held_at,omitempty"`
	LineHeld   msgKey    `json:"line_held,omitempty"`
	// PendingAsked: the bot set the conversation back to pending itself (the customer left
	// the agents' line) and Chatwoot has not said so yet: a payload saying open is from
	// before, and the pending that comes is the bot's own, no agent's hand-back.
	PendingAsked bool `json:"pending_asked,omitempty"`

	Contact  Contact `json:"contact"`
	Language string  `json:"language,omitempty"`

	// The dialogue: its state (see state.go), and the buttons of the open question.
	State         State    `json:"state,omitempty"`
	Menu          *Menu    `json:"menu,omitempty"`
	Misunderstood int      `json:"misunderstood,omitempty"`
	Recent        []string `json:"recent,omitempty"`
	// LastCustomerAt is when the customer last wrote: WhatsApp's 24 hour window runs from it.
	LastCustomerAt time.Time `json:"last_customer_at,omitempty"`
	LastIntent     string    `json:"last_intent,omitempty"`
	// Awaiting is the typed answer an earlier version waited for ("router_id"): read
	// once into State (see settle), never written.
	Awaiting string `json:"awaiting,omitempty"`
	// BadAnswers counts answers to the serial question that did not fit.
	BadAnswers int `json:"bad_answers,omitempty"`
	// LastRule is the dialogue rule that answered the customer's last message.
	LastRule string `json:"last_rule,omitempty"`
	// RuleRuns is how many messages in a row LastRule answered.
	RuleRuns int `json:"rule_runs,omitempty"`
	// Proposed is what the bot's last answer offered in words ("I can do that now"): a bare
	// yes to the next message takes it.
	Proposed string `json:"proposed,omitempty"`
	// Interrupted is the question an agent offer took the place of (the update's
	// confirmation, "Shall I go ahead?", when the customer got angry at it): keeping on
	// with the bot asks it again, rather than the menu (offerAgentMenu keeps it).
	Interrupted State `json:"interrupted,omitempty"`
	// Closed is the short reply the bot gave the acknowledgements and goodbyes in a row
	// ("" after anything else): it says one once, not the same sentence to every "ok";
	// a goodbye after an "ok" still hears its own.
	Closed string `json:"closed,omitempty"`
	// Introduced: the bot has said who it is and what it can do in this conversation; a
	// hello after that gets a hello and the menu.
	Introduced bool `json:"introduced,omitempty"`
	// ForOther: the customer said the line or the router is someone else's (a mother's, a
	// landlord's): the router on the contact is named and checked before it is updated,
	// and a tenant is not told to take the router when moving (for_other.go).
	ForOther bool `json:"for_other,omitempty"`
	// HolderKin is who the customer writing for someone else said the holder is ("minha
	// mãe": "mother"): the texts about the holder's router say "da sua mãe", not "do titular".
	HolderKin string `json:"holder_kin,omitempty"`
	// OtherRouterNamed: the confirmation has named the contact's router to such a customer
	// once; asked again, it is the usual short one.
	OtherRouterNamed bool `json:"other_router_named,omitempty"`
	// MediaTold are the kinds of media (audio, image) the bot has said it cannot open,
	// once each; MediaAt is when it last answered a voice note or photo, so that an album's
	// photos, sent together, get one answer.
	MediaTold []string  `json:"media_told,omitempty"`
	MediaAt   time.Time `json:"media_at,omitempty"`

	RouterID string `json:"router_id,omitempty"`
	// DisownedRouter is the router on the contact that the customer said is not theirs: a
	// second time (after an agent, say) gets an agent at once, not the same words.
	DisownedRouter string `json:"disowned_router,omitempty"`
	// TypedRouter is a serial the customer typed in this conversation (asked for it, or
	// correcting the one named): it wins over the contact's attribute here.
	TypedRouter string `json:"typed_router,omitempty"`
	// NextRouter is the customer's second router, offered once the first is updated.
	NextRouter *NextRouter    `json:"next_router,omitempty"`
	Update     *RouterUpdate  `json:"update,omitempty"`
	Attributes map[string]any `json:"attributes,omitempty"`
	Labels     []string       `json:"labels,omitempty"`

	// SecondRouter: the customer, who has a router on record, spoke of another one of
	// theirs besides it (other_router.go).
	SecondRouter bool `json:"second_router,omitempty"`
	// NamedSerials are serials the customer named that the bot does not update (not the
	// router on record): the agent's note lists them.
	NamedSerials []string `json:"named_serials,omitempty"`
	// TakenBack are the serials the customer typed and took back, with their words ("oh
	// wait sorry that's my mum's old one"): the agent's note tells them (serial_taken_back.go).
	TakenBack map[string]string `json:"taken_back,omitempty"`
	// SerialWithAgent is the serial the customer typed while an agent had the
	// conversation, which the bot read and did not answer: after the hand-back it is
	// proposed, never taken without a yes (serial_with_agent.go).
	SerialWithAgent string `json:"serial_with_agent,omitempty"`
	// ShortSerial is the serial typed a character short of the usual shape that the bot
	// asked to check: typed the same again, it is taken (serial_short.go).
	ShortSerial string `json:"short_serial,omitempty"`
	// RefusedSerials are the serials the telco refused (another customer's, or unknown)
	// since the bot last took the conversation: typed again, in any spelling, the same
	// answer (serial_refused.go). An agent may put them right, so a handback forgets them.
	RefusedSerials []string `json:"refused_serials,omitempty"`

	// Handoff: why it was asked for, the intake answers, and whether the customer waits
	// in line for an agent.
	HandoffReason string `json:"handoff_reason,omitempty"`
	// Topic is the topic last answered (billing, outage, ...): its team takes the handoff.
	Topic string `json:"topic,omitempty"`
	// Described is the customer's message that last described their problem (a complaint
	// about the connection, an outage): the intake takes it rather than asking again.
	Described string `json:"described,omitempty"`
	// DescribedTopic is the topic Described asked about ("" for a complaint): it describes
	// a handoff for that topic, not one for a failed update.
	DescribedTopic string `json:"described_topic,omitempty"`
	// Raised are the topics the customer raised in this conversation, oldest first: one
	// pointed back to later ("now about the bill") is that topic, and the agent is told
	// of them all.
	Raised []string `json:"raised,omitempty"`
	// RaisedWith are the customer's words that first raised each topic answered with an
	// agent offered: a person asked for later about it ("quero falar com alguém sobre essa
	// cobrança a mais") takes them as the problem the agent is told.
	RaisedWith map[string]string `json:"raised_with,omitempty"`
	// AgentAfter is the topic whose agent was promised for after the update ("the router
	// first; once it's done, an agent for your other question") while the update is asked
	// for or offered: the attempt started takes it (UpdateAttempt.AgentAfter), and it is
	// dropped with the update (fire) or by a handoff.
	AgentAfter string `json:"agent_after,omitempty"`
	// TopicFollowedUp: the last answer of the topic was its follow-up, not its answer.
	TopicFollowedUp bool `json:"topic_followed_up,omitempty"`
	// TopicSaid is what the last answer of the topic said: "answer", a question of the
	// topic's ("due_date"), "follow_up", or "again" (an agent offered for what it cannot
	// tell); the next answer never says the same words again.
	TopicSaid      string   `json:"topic_said,omitempty"`
	Intake         []Answer `json:"intake,omitempty"`
	IntakeThenWait bool     `json:"intake_then_wait,omitempty"`
	Waiting        bool     `json:"waiting,omitempty"`
	// LeftLine: the customer left the line for an agent at their request, and has not
	// been put back in it: "am I still in the queue?" is told no, and offered it again.
	LeftLine bool `json:"left_line,omitempty"`
	// InternetDownTold: after a failed update the customer said their internet does not
	// work ("não tá funcionando não"): a failure told after it never says it should work,
	// but what to do (unplug it) and the agent. An update that works, or the service back
	// told, ends it.
	InternetDownTold bool `json:"internet_down_told,omitempty"`
	// TroubleTold: the customer said their connection has trouble ("el internet no me anda
	// desde ayer"), before an update or after one: a failure that changed nothing on the
	// router says so, never that their internet "should work as before". An update that
	// works, or the service back told, ends it.
	TroubleTold bool `json:"trouble_told,omitempty"`
	// LightsFailedTold: the bot has said what a red or orange light after a failed update
	// means; asked again later ("e essa luz vermelha é normal"), it says so in fewer words
	// ("Como te falei, não é normal"), not the same paragraph. An update that works ends it.
	LightsFailedTold bool `json:"lights_failed_told,omitempty"`
	// ScamTold: the bot has said this is the official channel and what it never asks for;
	// asked again, later too, it says so in fewer words, never the same paragraph.
	ScamTold bool `json:"scam_told,omitempty"`
	// LeftLineTold are the customer's own words the intake held when they left the line
	// (the problem described, what they added in line): rejoining it, they are not asked
	// again, however many messages came between, since they were told they would not have
	// to repeat it. A fresh start forgets them.
	LeftLineTold []Answer `json:"left_line_told,omitempty"`
	// HandoffTeam is the team a waiting customer is routed to, for the waiting worker.
	HandoffTeam int64 `json:"handoff_team,omitempty"`
	// WaitOffered: the bot offered to wait for the agents, who were away; "ok I'll wait for
	// the agent" later, after keeping on with the bot, takes that offer. AgentsBack is when
	// they were told to be back (zero when only busy, or unknown): the line's
	// acknowledgement tells it.
	WaitOffered bool      `json:"wait_offered,omitempty"`
	AgentsBack  time.Time `json:"agents_back,omitempty"`

	// OptedOut says the customer asked for no more messages ("stop"): until they write
	// again, the bot sends nothing they did not just ask for (see optOut).
	OptedOut bool `json:"opted_out,omitempty"`

	// Flood is the current minute's reply budget.
	Flood Flood `json:"flood,omitempty"`

	// Outage is the outage the customer was told of, and whether they wait to hear of its
	// end (see outage.go); checked is the Outage API's answer during a turn, never stored.
	Outage  *OutageWatch `json:"outage,omitempty"`
	checked *Outage
	// OutageOver is the outage the customer was told of once it is over (EndedAt): what a
	// request for compensation is about, and the agent's note tells.
	OutageOver *OutageWatch `json:"outage_over,omitempty"`

	// BackFromAgent says an agent had the conversation and handed it back: what the agent
	// arranged or was checking may be asked about, and the bot cannot see it.
	BackFromAgent bool `json:"back_from_agent,omitempty"`

	// AgentGaveNumber says an agent wrote a number in this chat (a claim's, a reference's:
	// "ya abrí un reclamo técnico (n° 55821)"): a number asked for later is above, in the
	// agent's messages. The chat keeps them, so a hand-back keeps it too.
	AgentGaveNumber bool `json:"agent_gave_number,omitempty"`

	// ClosedByAgent says an agent resolved the conversation and the customer's message
	// that reopened it is being answered: a thanks in it was meant for the agent.
	ClosedByAgent bool `json:"closed_by_agent,omitempty"`

	UpdatedAt time.Time `json:"updated_at"`
}

// Contact is who the bot talks to.
type Contact struct {
	ID         int64          `json:"id,omitempty"`
	Name       string         `json:"name,omitempty"`
	Phone      string         `json:"phone,omitempty"`
	Locale     string         `json:"locale,omitempty"`
	Attributes map[string]any `json:"attributes,omitempty"`
}

// Flood counts the customer messages of the current minute.
type Flood struct {
	Since  time.Time `json:"since"`
	Count  int       `json:"count"`
	Warned bool      `json:"warned,omitempty"`
}

// Menu is the buttons of the open question.
type Menu struct {
	// Kind is the question an earlier version's menu asked: read once into State.
	Kind  string `json:"kind,omitempty"`
	Items []Item `json:"items"`
}

// Item is one choice of a menu; WhatsApp shows Title on a reply button.
type Item struct {
	Title string `json:"title"`
	Value string `json:"value"`
}

// BotOwns reports whether the bot may answer the customer now.
func (c *Conversation) BotOwns() bool {
	return c.Status == StatusPending && !c.HumanAssigned && !c.AgentReplied && !c.HandedOff
}

const maxRecent = 10

func (c *Conversation) remember(text string) {
	c.Recent = append(c.Recent, text)
	if len(c.Recent) > maxRecent {
		c.Recent = c.Recent[len(c.Recent)-maxRecent:]
	}
}

// described is the customer's description of their problem among their last messages,
// "" when none of them described it.
func (c *Conversation) described() string {
	if c.Described == "" || !slices.Contains(c.Recent, c.Described) {
		return ""
	}
	if c.DescribedTopic != "" && c.HandoffReason != ReasonTopic && c.HandoffReason != ReasonIntent && c.HandoffReason != ReasonMenu &&
		c.HandoffReason != ReasonFrustrated { // "...vcs são uns ladrões!!!" after the bill: angry about it
		// "do u do fiber in my area?" describes no failed update: the agent gets the
		// failure, not a question about plans
		return ""
	}
	return c.Described
}

// knownProblem is what the bot saw go wrong, for an agent taking a handoff about it: the
// router update that failed (the last thing the customer tried), "" when there is none.
// A handoff for a topic, or for another reason the bot offered an agent, is about that.
func (c *Conversation) knownProblem() string {
	if !c.lastFailed() {
		return ""
	}
	switch c.HandoffReason {
	case ReasonRouterFailure, ReasonIntent, ReasonMenu, ReasonFrustrated:
	default:
		return ""
	}
	failed := 0
	for i := len(c.Update.Attempts) - 1; i >= 0 && c.Update.Attempts[i].Result == JobFailed; i-- {
		failed++
	}
	if failed == 1 {
		return "the router update failed"
	}
	return fmt.Sprintf("the router update failed %d times in a row", failed)
}

// awayNoted notes that the wait for the agents was offered, with when they are back.
func (c *Conversation) awayNoted(av Availability) {
	c.WaitOffered, c.AgentsBack = true, time.Time{}
	if !av.Open {
		c.AgentsBack = av.NextOpening
	}
}

// raise notes a topic the customer raised.
func (c *Conversation) raise(topic string) {
	if topic != "" && !slices.Contains(c.Raised, topic) {
		c.Raised = append(c.Raised, topic)
	}
}

// raiseWith raises topic (raise) with the customer's words that raised it when the topic
// has an agent: what that agent is told the problem is. Words that raised it before and
// are still among the recent messages are kept.
func (c *Conversation) raiseWith(topic, words string, agent bool) {
	c.raise(topic)
	if w, ok := c.RaisedWith[topic]; !agent || ok && slices.Contains(c.Recent, w) {
		return
	}
	if c.RaisedWith == nil {
		c.RaisedWith = map[string]string{}
	}
	c.RaisedWith[topic] = words
}

// promiseAgentAfter records the agent promised for topic once the update is done; a
// promise already made is kept, not replaced by a second.
func (c *Conversation) promiseAgentAfter(topic string) {
	if c.AgentAfter == "" {
		c.AgentAfter = topic
	}
}

// agentAsked is the AgentAfter of a person asked for with no topic ("me passa pro
// suporte", then "antes disso da pra vc mesmo reiniciar?"): the agent they asked for is
// offered again once the update is done, not forgotten.
const agentAsked = "_agent_asked"

// agentAfterOffer is the agent promised for after the update, offered now: for a topic, its
// team's (the topic named again); for a person asked for, that request again.
func (b *Bot) agentAfterOffer(c *Conversation, topic, lead string) Action {
	lang := b.voice(c)
	if topic == agentAsked {
		return b.offerAgentMenu(c, joinLines(lead, b.t(lang, msgAgentAfterAsked)), ReasonIntent)
	}
	c.Topic = topic
	return b.offerAgentMenu(c, joinLines(lead, b.t(lang, msgAgentAfterDone)), ReasonTopic)
}

package bot

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/cwbot/cwbot/intents"
)

// The dialogue. A customer message is read once (intents.Reader: the request, the
// dialogue acts, a menu choice, serial numbers) and answered by the first rule that
// applies, in this order:
//
//  1. the global rules: a language asked for, a request for a person; then a customer
//     who wants nothing of the bot (unasked.go), and a known outage (outage.go);
//  2. the rules of the conversation's state (the question open, or what it is doing);
//  3. the common rules, which answer what no state took: goodbyes, thanks, complaints,
//     requests, and at last "I didn't understand".
//
// A first message that greets and asks more gets its hello back before the rule's answer
// (greetedBack); one that tells of a photo or voice note beside other words hears once that
// the bot reads text only (mediaNoted).
//
// A rule is a name, a condition on the turn and what to do; what it does sets the next
// state. Every rule fired is logged and counted (Bot.OnRule) by its name. To add a
// phrasing, add it to intents/acts/*.yaml; to add a behaviour, add a rule where it belongs.

// turn is one customer message being answered.
type turn struct {
	ctx context.Context
	b   *Bot
	c   *Conversation
	r   intents.Reading
	now time.Time
	// optedOut: the customer had asked for no more messages before this one.
	optedOut bool
	// media is the kind of voice note or photo the message carries or tells of ("audio",
	// "image"; "" for none): the bot cannot open it (media.go).
	media string
	// proposed is the offer the bot's last message made (Conversation.Proposed), which
	// only the rule that repeats the question keeps open.
	proposed string
	// repeats is how many messages in a row before this one the rule now answering
	// answered (Conversation.RuleRuns): 0 the first time.
	repeats int
	// The Outage API's answer for this turn, once asked (turn.outageNow).
	outage                   Outage
	outageAsked, outageKnown bool
}

// rule is one named answer: when holds, do answers.
type rule struct {
	name string
	when func(t *turn) bool
	do   func(t *turn) []Action
}

// fire answers the turn with the first rule that applies.
func (b *Bot) fire(t *turn) []Action {
	state := t.c.State
	tables := [][]rule{globalRules, unaskedRules, outageRules, stateRules[state], commonRules}
	if state == StateAgentLine {
		tables = [][]rule{agentLineRules} // the agent's conversation: only the line's own rules, or silence
	}
	for _, table := range tables {
		for _, r := range table {
			if !r.when(t) {
				continue
			}
			b.logger().Debug("dialogue rule", slog.Int64("conversation_id", t.c.ID), slog.String("state", string(state)),
				slog.String("rule", r.name), slog.String("acts", t.r.Acts.String()), slog.String("intent", t.r.Intent))
			if b.OnRule != nil {
				b.OnRule(string(state), r.name)
			}
			if r.name != "acknowledged" && r.name != "goodbye" {
				t.c.Closed = ""
			}
			t.proposed, t.c.Proposed = t.c.Proposed, "" // an offer is taken by the next message or not at all
			if t.c.LastRule == r.name {
				t.repeats = t.c.RuleRuns
			}
			acts := r.do(t)
			if t.c.State != StateConfirmUpdate && t.c.State != StateAskSerial && t.c.Proposed != valUpdateRouter {
				t.c.AgentAfter = "" // the update it waited for was started (its attempt keeps it) or dropped
			}
			t.c.LastRule, t.c.RuleRuns = r.name, t.repeats+1
			return greetedBack(t, mediaNoted(t, r.name, acts))
		}
	}
	return nil // commonRules ends with a rule that always applies; in the agents' line, silence
}

// greetedBack returns the hello of a first message that asks more ("Boa tarde, tudo bem?
// Minha internet está lenta..."), before the answer to the rest, as a person would: the
// rules that answer the request never say it, and those that answer a hello already do.
func greetedBack(t *turn, acts []Action) []Action {
	if len(t.c.Recent) > 1 || t.r.Tapped || !(t.r.Has(intents.ActGreeting) || t.r.HowAreYou) || len(acts) == 0 || acts[0].Text == "" {
		return acts
	}
	hello := t.b.hello(t.b.voice(t.c), t.c.Contact.Name)
	for _, a := range acts {
		if strings.Contains(a.Text, hello) {
			return acts
		}
	}
	if t.r.HowAreYou {
		hello += " " + t.text(msgDoingWell)
	}
	return leadWith(hello, acts)
}

// read reads a customer message once, in the context of the open question.
func (b *Bot) read(ctx context.Context, c *Conversation, text string) intents.Reading {
	in := intents.Context{State: string(c.State)}
	if c.State == StateAgentLine {
		in.State = string(StateInLine) // the reader knows the line (out of hours) by that name
	}
	if c.Menu != nil {
		in.Menu = menuItems(c.Menu.Items)
	}
	switch c.State { // the buttons a yes and a no pick
	case StateConfirmUpdate:
		in.Yes, in.No = valYes, valNo
	case StateOfferAgent:
		in.No = valContinue
		// "ok" to a topic's answer acknowledges it; said with sorry to a customer upset about
		// it ("me cobraron dos veces... 👍"), the offer is what the ok takes
		if c.HandoffReason != ReasonTopic || c.LastRule == "frustrated_topic_asked" || c.LastRule == "frustrated_topic_question" {
			in.Yes = valAgent
		}
	case StateOfferWait:
		in.No = valContinue // a yes to "wait or keep chatting?" picks neither
	case StateChooseRouter:
		in.Yes = valBoth // "ok" to "which router first?": both, in the order shown
	}
	rd := intents.Reader{NLU: b.NLU, Lexicon: b.Lexicon, SerialPattern: b.RouterPattern, SerialShape: b.RouterShape}
	r := rd.Read(ctx, text, in)
	if r.Err != nil {
		b.logger().Warn("classify failed (continuing as not understood)", slog.Int64("conversation_id", c.ID), slog.Any("error", r.Err))
	}
	if r.Intent != "" && b.OnIntent != nil {
		b.OnIntent(r.Intent)
	}
	return r
}

// --- conditions -------------------------------------------------------------------

func has(a intents.Act) func(*turn) bool { return func(t *turn) bool { return t.r.Has(a) } }

func intentIs(in string) func(*turn) bool { return func(t *turn) bool { return t.r.Intent == in } }

// chose reports a tap (or typed equivalent) on the open menu's button of value v.
func chose(v string) func(*turn) bool {
	return func(t *turn) bool { return t.choice() == v }
}

func (t *turn) choice() string {
	if t.r.Choice == 0 || t.c.Menu == nil || t.r.Choice > len(t.c.Menu.Items) {
		return ""
	}
	return t.c.Menu.Items[t.r.Choice-1].Value
}

func either(conds ...func(*turn) bool) func(*turn) bool {
	return func(t *turn) bool {
		for _, c := range conds {
			if c(t) {
				return true
			}
		}
		return false
	}
}

// saysYes reports a yes to a question: the Yes button, a typed yes, "ok" or 👍, or
// politeness alone ("porfa" to "Shall I?" is the yes); not "entendi" or "got it", which
// say the customer understood and consent to nothing, nor "hang on", which puts it off.
func saysYes(t *turn) bool {
	return t.choice() == valYes || t.r.Has(intents.ActAffirm) ||
		(t.r.Has(intents.ActAcknowledge) && !t.r.Understood && !t.r.NotYet || t.r.Acts.Only(intents.ActPolite)) &&
			!t.r.Has(intents.ActGoodbye) && !t.r.Has(intents.ActDeny)
}

func saysNo(t *turn) bool { return t.choice() == valNo || t.r.Has(intents.ActDeny) }

// consents reports a go-ahead where no yes-or-no question is open: a typed yes ("ok go
// ahead"), or the update asked for again ("pode atualizar agora"); not a bare "ok".
func consents(t *turn) bool {
	if saysNo(t) || t.r.Has(intents.ActCancel) || t.r.Has(intents.ActDeclineUpdate) || t.r.Has(intents.ActAskPerson) ||
		t.r.Question || len(t.r.Serials) > 0 || t.r.Has(intents.ActWrongRouter) {
		return false
	}
	return t.r.Has(intents.ActAffirm) || t.r.Intent == intents.UpdateRouter
}

// onlyPleasantries reports a turn that only acknowledges, thanks, greets or is polite:
// no answer to a question that wants words.
func onlyPleasantries(t *turn) bool {
	rest := t.r.Acts.Without(intents.ActAcknowledge).Without(intents.ActPolite).Without(intents.ActGreeting).Without(intents.ActThanks)
	return t.r.Acts != 0 && rest == 0 && t.r.Words <= 4 && len(t.r.Serials) == 0 && !asks(t)
}

// asks reports a turn that asks for something the classifier knows: the update, its
// status or a topic ("update my router please" is a request, whatever its politeness). The
// classifier's cancel, help or greeting on a short reply ("got it") are no request: the
// acts tell those.
func asks(t *turn) bool {
	if t.r.Intent == intents.UpdateRouter || t.r.Intent == intents.UpdateStatus {
		return true
	}
	_, topic := t.b.catalog().Topics()[t.r.Intent]
	return topic
}

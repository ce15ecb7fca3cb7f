package bot

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/cwbot/cwbot/intents"
)

// Topic is how the bot answers one of the requests it does not handle itself (bills,
// outages, plans, ...): see topics.yaml.
type Topic struct {
	Answer map[string]string `yaml:"answer"`
	// Agent is what follows the answer: TopicOffer (the default), TopicHandoff or TopicNone.
	Agent  string `yaml:"agent"`
	TeamID int64  `yaml:"team_id"`
	// FollowUp answers a short question right after the answer ("and how do I change
	// it?"); without one, such a question gets an agent offered for the topic.
	FollowUp map[string]string `yaml:"follow_up"`
	// Examples train the classifier for a topic of the operator's own.
	Examples map[string][]string `yaml:"examples"`
}

// What follows a topic's answer.
const (
	TopicOffer   = "offer"
	TopicHandoff = "handoff"
	TopicNone    = "none"
)

// Topics are the topics by name; the name is the classifier's intent.
type Topics map[string]Topic

// DefaultTopics are the default catalog's topics: billing, outage, plans, wifi,
// cancel_service, technician, moving and contact.
func DefaultTopics() Topics { return DefaultCatalog().Topics() }

// readTopics reads the topics section of a catalog file over base's topics: a topic the
// file names changes only what it sets (an answer's languages, agent, team_id, examples).
func readTopics(f *contentFile, base Topics) (Topics, ContentErrors) {
	out := Topics{}
	for name, tp := range base {
		out[name] = tp.clone()
	}
	if f.topics == nil {
		return out, nil
	}
	var errs ContentErrors
	for i := 0; i+1 < len(f.topics.Content); i += 2 {
		k, v := f.topics.Content[i], f.topics.Content[i+1]
		key := "topics." + k.Value
		raw, err := yaml.Marshal(v)
		var tp Topic
		if err == nil {
			dec := yaml.NewDecoder(bytes.NewReader(raw))
			dec.KnownFields(true)
			err = dec.Decode(&tp)
		}
		if err != nil {
			msg := "want answer (a text by language), agent (offer, handoff or none), team_id, follow_up and examples"
			if m := unknownField.FindStringSubmatch(err.Error()); m != nil {
				msg = "unknown field " + m[1] + " (a topic has answer, agent, team_id, follow_up and examples)"
			}
			errs = append(errs, ContentError{File: f.name, Line: k.Line, Key: key, Msg: msg})
			continue
		}
		merged := out[k.Value].clone()
		for lang, text := range tp.Answer {
			merged.Answer[lang] = text
		}
		for lang, text := range tp.FollowUp {
			merged.FollowUp[lang] = text
		}
		if tp.Agent != "" {
			merged.Agent = tp.Agent
		}
		if tp.TeamID != 0 {
			merged.TeamID = tp.TeamID
		}
		if tp.Examples != nil {
			merged.Examples = tp.Examples
		}
		if err := merged.check(k.Value); err != nil {
			errs = append(errs, ContentError{File: f.name, Line: k.Line, Key: key, Msg: err.Error()})
			continue
		}
		out[k.Value] = merged
	}
	return out, errs
}

var unknownField = regexp.MustCompile(`field (\S+) not found`)

// checkTopics holds the topics' answers to the catalog's languages and WhatsApp's limit
// (an offered agent goes out with its buttons), the brand filled in.
func (c *Catalog) checkTopics(f *contentFile) ContentErrors {
	var errs ContentErrors
	line := func(name string) int {
		for i := 0; f.topics != nil && i+1 < len(f.topics.Content); i += 2 {
			if f.topics.Content[i].Value == name {
				return f.topics.Content[i].Line
			}
		}
		return 0
	}
	for _, name := range sortedKeys(c.topics) {
		for _, lang := range sortedKeys(c.topics[name].FollowUp) {
			if !slices.Contains(c.languages, lang) {
				errs = append(errs, ContentError{File: f.name, Line: line(name), Key: "topics." + name,
					Msg: "follow_up: " + lang + " is not a language of the catalog (languages: " + strings.Join(c.languages, ", ") + ")"})
				continue
			}
			if n := utf8.RuneCountInString(c.topicFollowUp(name, lang)); n > maxMenuBody {
				errs = append(errs, ContentError{File: f.name, Line: line(name), Key: "topics." + name,
					Msg: fmt.Sprintf("the %s follow_up has %d characters: WhatsApp takes at most %d with buttons", lang, n, maxMenuBody)})
			}
		}
		for _, lang := range sortedKeys(c.topics[name].Answer) {
			if !slices.Contains(c.languages, lang) {
				errs = append(errs, ContentError{File: f.name, Line: line(name), Key: "topics." + name,
					Msg: lang + " is not a language of the catalog (languages: " + strings.Join(c.languages, ", ") + ")"})
				continue
			}
			if n := utf8.RuneCountInString(c.topicAnswer(name, lang)); n > maxMenuBody {
				errs = append(errs, ContentError{File: f.name, Line: line(name), Key: "topics." + name,
					Msg: fmt.Sprintf("the %s answer has %d characters: WhatsApp takes at most %d with buttons", lang, n, maxMenuBody)})
			}
		}
	}
	return errs
}

func (tp Topic) clone() Topic {
	out := tp
	out.Answer = cloneTexts(tp.Answer)
	out.FollowUp = cloneTexts(tp.FollowUp)
	return out
}

func (tp Topic) check(name string) error {
	switch tp.Agent {
	case "", TopicOffer, TopicHandoff, TopicNone:
	default:
		return fmt.Errorf("topic %s: agent %q: want offer, handoff or none", name, tp.Agent)
	}
	if tp.Answer[defaultLanguage] == "" && tp.Agent != TopicHandoff {
		return fmt.Errorf("topic %s: needs an English answer", name)
	}
	if slices.Contains([]string{intents.UpdateRouter, intents.UpdateStatus, intents.HumanAgent, intents.Cancel,
		intents.Greeting, intents.Thanks, intents.Help, intents.OutOfScope}, name) {
		return fmt.Errorf("topic %s: the name of one of the bot's own intents", name)
	}
	return nil
}

// AddExamples adds the examples of the operator's own topics to ds, so the classifier
// learns them; a topic whose intent ds already has keeps ds's examples.
func (ts Topics) AddExamples(ds *intents.Dataset) {
	for _, name := range sortedKeys(ts) {
		tp := ts[name]
		if len(tp.Examples) == 0 || slices.ContainsFunc(ds.Intents, func(in intents.Intent) bool { return in.Name == name }) {
			continue
		}
		ds.Intents = append(ds.Intents, intents.Intent{Name: name, Examples: tp.Examples})
	}
}

// topicAnswered reports that the last message was answered with a topic (c.Topic).
func (c *Conversation) topicAnswered() bool {
	switch c.LastRule {
	case "topic_asked", "outage_in_area", "topic_follow_up", "password_not_here":
		return c.Topic != ""
	}
	return false
}

// answerTopic answers a topic as it is set: its answer, then the agent offered, the
// handoff, or nothing more. It is never a misunderstanding. Asked again right after the
// answer ("y cómo la pago?"), a topic that offers an agent answers the follow-up
// (followUp).
func (b *Bot) answerTopic(t *turn, name string) []Action {
	cat := b.catalog()
	c, tp := t.c, cat.Topics()[name]
	if c.topicAnswered() && c.Topic == name && (tp.Agent != TopicNone || cat.topicFollowUp(name, c.Language) != "") {
		// An answer that offers more than itself: the rest the second time. One that is
		// all there is says its shorter form, never the same words twice in a row ("a loja
		// do shopping abre domingo?" after the hours); without one, it is said again.
		return b.followUp(t)
	}
	text := b.fillHours(t, cat.topicAnswer(name, c.Language))
	c.Topic, c.TopicFollowedUp = name, false
	c.raise(name)
	if tp.Agent != TopicNone && (c.Described == "" || !slices.Contains(c.Recent, c.Described) || t.r.Words > maxTopicNameWords) {
		// "charged twice this month, $89.99 two times": what an agent would be told, so
		// the intake takes it rather than asking again (a question of hours tells nothing,
		// nor "o técnico" after a long description)
		c.Described, c.DescribedTopic = t.r.Text, name
	}
	if w, ok := c.RaisedWith[name]; tp.Agent != TopicNone && (!ok || !slices.Contains(c.Recent, w)) {
		if c.RaisedWith == nil {
			c.RaisedWith = map[string]string{}
		}
		c.RaisedWith[name] = t.r.Text
	}
	switch tp.Agent {
	case TopicNone:
		c.closeQuestion()
		return []Action{say(text)}
	case TopicHandoff:
		acts := b.requestHandoff(t.ctx, c, ReasonTopic, t.now)
		if text != "" {
			acts = append([]Action{say(text)}, acts...)
		}
		return acts
	}
	return []Action{b.offerAgentMenu(c, text, ReasonTopic)}
}

// The catalog's topics some rules know by name: a move told while cancelling is the
// cancellation's detail.
const (
	topicCancelService = "cancel_service"
	topicMoving        = "moving"
	topicWifi          = "wifi"
	topicTechnician    = "technician"
	topicContact       = "contact"
)

// msgPasswordNotHere answers the Wi-Fi password asked of the bot (content.yaml).
const msgPasswordNotHere msgKey = "password_not_here"

// maxTopicNameWords is the longest message that only names a topic ("o técnico", "the
// bill"): it describes nothing an earlier message did not.
const maxTopicNameWords = 3

// raisedBefore is the topic an unclear turn points back to: one the customer raised
// before in this conversation, which the classifier leans to ("now about the bill",
// below its threshold), or, in words that point back ("ok so about that fiber thing?"),
// the raised topic it leans to most. "" when none.
func (c *Conversation) raisedBefore(r intents.Reading) string {
	best, score := "", -1.0
	for _, s := range r.Ranked {
		if slices.Contains(c.Raised, s.Intent) && s.Confidence > score {
			best, score = s.Intent, s.Confidence
		}
	}
	if r.Intent != intents.OutOfScope && slices.Contains(c.Raised, r.Intent) && r.Confidence > score {
		best, score = r.Intent, r.Confidence
	}
	switch {
	case best != "" && score >= leanConfidence:
		return best
	case r.RefersBack && best != "":
		return best
	case r.RefersBack && len(c.Raised) == 1:
		return c.Raised[0]
	}
	return ""
}

// personTold is the topic a request for a person tells in the same message ("necesito
// hablar con una persona por favor, tengo un cobro que no reconozco en mi factura"): the
// handoff is that topic's, to its team, and the message is the problem the agent is told,
// not asked again; "" when the classifier leans to no topic an agent takes.
func (t *turn) personTold() string {
	if t.r.Words <= maxTopicNameWords || t.r.Tapped {
		return ""
	}
	best, score := "", leanConfidence
	for _, s := range t.r.Ranked {
		tp, ok := t.b.catalog().Topics()[s.Intent]
		if ok && tp.Agent != TopicNone && s.Confidence >= score {
			best, score = s.Intent, s.Confidence
		}
	}
	if best == "" {
		return ""
	}
	t.c.Topic, t.c.TopicFollowedUp = best, false
	t.c.Described, t.c.DescribedTopic = t.r.Text, best
	t.c.raise(best)
	return best
}

// leanConfidence is the classifier's confidence in a topic, below its threshold, from
// which a turn that nothing else answers is read as that topic when the customer raised
// it before ("will i need to bring the router with me?" after a move was booked).
const leanConfidence = 0.25

// alsoTopic is the answer of a topic the turn clearly asks about beside what another rule
// answers ("ficou lento de novo... aliás, vou me mudar, dá pra levar a internet?"): said
// after it, so no part of the message goes unanswered, and noted as raised, with the words
// that raised it for the agent who takes it up; "" when none.
func (b *Bot) alsoTopic(t *turn) string { return b.alsoTopicOf(t, t.alsoAsked(false)) }

// alsoInParts is alsoTopic for a topic asked in another part of a longer message than the
// trouble or the update another rule answers ("the internet is slow, could you update the
// router... Also, why did my bill go up?"); never the trouble's own (an outage).
func (b *Bot) alsoInParts(t *turn) string { return b.alsoTopicOf(t, t.alsoAsked(true)) }

func (b *Bot) alsoTopicOf(t *turn, name string) string {
	if name == "" {
		return ""
	}
	t.c.raise(name)
	if b.catalog().Topics()[name].Agent != TopicNone {
		if t.c.RaisedWith == nil {
			t.c.RaisedWith = map[string]string{}
		}
		t.c.RaisedWith[name] = t.r.Text
	}
	return b.fillHours(t, b.catalog().topicAnswer(name, t.c.Language))
}

// alsoAsked is the topic the turn clearly asks about, whole or (partsOnly, only) in a part
// of a longer message, that no agent takes at once; "" when none.
func (t *turn) alsoAsked(partsOnly bool) string {
	name := ""
	if _, ok := t.b.catalog().Topics()[t.r.Intent]; ok && clearRequest(t) && !partsOnly {
		name = t.r.Intent
	} else if partsOnly {
		for _, p := range t.r.Parts {
			if _, ok := t.b.catalog().Topics()[p.Intent]; ok && p.Intent != "outage" {
				name = p.Intent
				break
			}
		}
	}
	if tp, ok := t.b.catalog().Topics()[name]; !ok || tp.Agent == TopicHandoff {
		return ""
	}
	return name
}

// followUp answers a question right after a topic's answer, in that topic: the topic's
// follow-up the first time, then (or when it has none) an agent offered for the topic,
// rather than the same sentence again. A topic that hands off hands off.
func (b *Bot) followUp(t *turn) []Action {
	c := t.c
	tp := b.catalog().Topics()[c.Topic]
	if tp.Agent == TopicHandoff {
		return b.requestHandoff(t.ctx, c, ReasonTopic, t.now)
	}
	if text := b.catalog().topicFollowUp(c.Topic, c.Language); text != "" && !c.TopicFollowedUp {
		text = b.fillHours(t, text)
		c.TopicFollowedUp = true
		if tp.Agent == TopicNone {
			c.closeQuestion()
			return []Action{say(text)}
		}
		return []Action{b.offerAgentMenu(c, text, ReasonTopic)}
	}
	if tp.Agent == TopicNone && c.TopicFollowedUp {
		// A topic that is all there is, asked a third time: its answer again, after the
		// follow-up (no agent offered for what an agent would only repeat).
		c.TopicFollowedUp = false
		return []Action{say(b.fillHours(t, b.catalog().topicAnswer(c.Topic, c.Language)))}
	}
	return []Action{b.offerAgentMenu(c, b.t(c.Language, msgTopicAgain), ReasonTopic)}
}

// fillHours fills a topic's {hours} with the agents' hours in the customer's language.
func (b *Bot) fillHours(t *turn, text string) string {
	if !strings.Contains(text, "{hours}") {
		return text
	}
	hours := b.hoursText(t.c.Language, b.availability(t.ctx, t.c, t.now).Hours)
	return strings.ReplaceAll(text, "{hours}", hours)
}

// raisedForNote are the topics the customer raised that an agent takes up, beside the one
// the handoff is for, in words: "moving, technician".
func (b *Bot) raisedForNote(c *Conversation) string {
	var out []string
	for _, name := range c.Raised {
		tp, ok := b.catalog().Topics()[name]
		if name == raisedCredit {
			ok = c.HandoffReason != ReasonCredit && c.HandoffReason != ReasonCompensation // not when it is the Why
		}
		if !ok || tp.Agent == TopicNone || c.HandoffReason == ReasonTopic && name == c.Topic {
			continue
		}
		out = append(out, strings.ReplaceAll(name, "_", " "))
	}
	return strings.Join(out, ", ")
}

// personAbout is the topic a request for a person points back to ("quero falar com alguém
// sobre essa cobrança a mais" after the bill was answered, then the router, then a move):
// the handoff is that topic's, to its team, and the words that raised it are the problem
// the agent is told (not the last question answered); "" when it points to none.
func (t *turn) personAbout() string {
	name := t.c.raisedBefore(t.r)
	tp, ok := t.b.catalog().Topics()[name]
	if !ok || tp.Agent == TopicNone {
		return ""
	}
	t.c.Topic, t.c.TopicFollowedUp = name, false
	if w := t.c.RaisedWith[name]; w != "" && slices.Contains(t.c.Recent, w) {
		t.c.Described, t.c.DescribedTopic = w, name
	}
	return name
}

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
	// Questions answer what is often asked of the topic, by name ("due_date": "when is it
	// due?"), each a text by language: the acts files' asks_about lists read the question,
	// asked of the topic or right after its answer. A question names what the bot cannot
	// see (the customer's account) and says where it is told, and who can tell it.
	Questions map[string]map[string]string `yaml:"questions"`
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
			msg := "want answer (a text by language), agent (offer, handoff or none), team_id, follow_up, questions and examples"
			if m := unknownField.FindStringSubmatch(err.Error()); m != nil {
				msg = "unknown field " + m[1] + " (a topic has answer, agent, team_id, follow_up, questions and examples)"
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
		for q, texts := range tp.Questions {
			if merged.Questions == nil {
				merged.Questions = map[string]map[string]string{}
			}
			if merged.Questions[q] == nil {
				merged.Questions[q] = map[string]string{}
			}
			for lang, text := range texts {
				merged.Questions[q][lang] = text
			}
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
		for _, q := range sortedKeys(c.topics[name].Questions) {
			texts := c.topics[name].Questions[q]
			for _, lang := range c.languages {
				// every language the topic answers in answers its questions too
				if c.topics[name].Answer[lang] != "" && texts[lang] == "" && baseLanguage(lang) == "" {
					errs = append(errs, ContentError{File: f.name, Line: line(name), Key: "topics." + name + ".questions." + q,
						Msg: "no " + lang + " text"})
				}
			}
			for _, lang := range sortedKeys(texts) {
				if !slices.Contains(c.languages, lang) {
					errs = append(errs, ContentError{File: f.name, Line: line(name), Key: "topics." + name + ".questions." + q,
						Msg: lang + " is not a language of the catalog (languages: " + strings.Join(c.languages, ", ") + ")"})
					continue
				}
				if n := utf8.RuneCountInString(c.topicQuestion(name, q, lang)); n > maxMenuBody {
					errs = append(errs, ContentError{File: f.name, Line: line(name), Key: "topics." + name + ".questions." + q,
						Msg: fmt.Sprintf("the %s text has %d characters: WhatsApp takes at most %d with buttons", lang, n, maxMenuBody)})
				}
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
	if tp.Questions != nil {
		out.Questions = map[string]map[string]string{}
		for q, texts := range tp.Questions {
			out.Questions[q] = cloneTexts(texts)
		}
	}
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
	case "topic_asked", "outage_in_area", "topic_follow_up", "password_not_here", "topic_question_asked", "frustrated_topic_question":
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
	q := t.topicQuestion(name)
	// Asked again right after the answer, or the same question of the topic as the last
	// one answered, even a few messages later ("que es ese cargo de 4500?" after the
	// double charge's answer): never the same words again.
	again := c.Topic == name && (c.topicAnswered() || q != "" && q == c.TopicSaid)
	if again && tp.Agent != TopicNone && (c.DescribedTopic != name || !slices.Contains(c.Recent, c.Described)) && t.r.Words > maxTopicNameWords {
		// "what about the other thing I asked, the double charge?" after a slow connection
		// was told: the matter an agent would take now is this one, not the problem before
		c.Described, c.DescribedTopic = t.r.Text, name
	}
	if again && (q == "" || q == c.TopicSaid) && (tp.Agent != TopicNone || cat.topicFollowUp(name, b.voice(c)) != "") {
		// An answer that offers more than itself: the rest the second time. One that is
		// all there is says its shorter form, never the same words twice in a row ("a loja
		// do shopping abre domingo?" after the hours); without one, it is said again.
		return b.followUp(t)
	}
	text, said := cat.topicAnswer(name, b.voice(c)), "answer"
	if _, ok := tp.Questions[q+notHolderSuffix]; ok && c.ForOther && q != "" {
		q += notHolderSuffix // "me puedo llevar el router?" from a tenant: the landlord's line keeps it
	}
	if q != "" { // "e qdo vence?": the due date, where it is told and who tells it
		text, said = cat.topicQuestion(name, q, b.voice(c)), q
	}
	text = b.fillHours(t, text)
	if !again {
		c.TopicFollowedUp = false
	}
	c.Topic, c.TopicSaid = name, said
	if tp.Agent != TopicNone && (c.Described == "" || !slices.Contains(c.Recent, c.Described) || t.r.Words > maxTopicNameWords) {
		// "charged twice this month, $89.99 two times": what an agent would be told, so
		// the intake takes it rather than asking again (a question of hours tells nothing,
		// nor "o técnico" after a long description)
		c.Described, c.DescribedTopic = t.r.Text, name
	}
	c.raiseWith(name, t.r.Text, tp.Agent != TopicNone)
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
	topicContact       = intents.ContactIntent
	topicPlans         = "plans"
	// questionDevices is the Wi-Fi's question of many devices on it (devices_asked).
	questionDevices = "too_many_devices"
	// questionWifiGone is the Wi-Fi's question of a network gone from the phone's list
	// (wifi_gone_asked).
	questionWifiGone = "wifi_gone"
	// questionVisitMissed is the technician's question of a visit booked and missed: its
	// answer says sorry itself (frustrated_topic_asked adds none).
	questionVisitMissed = "visit_missed"
	// questionWifiReach is the Wi-Fi's question of a room it does not reach
	// (wifi_reach_asked).
	questionWifiReach = "wifi_reach"
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
//
// Billing named as the team to be put through to ("me passa pro financeiro", "pásame con
// facturación") tells the bill's topic, however short, whatever the classifier leans to.
func (t *turn) personTold() string {
	if tp, ok := t.b.catalog().Topics()[topicBilling]; ok && tp.Agent != TopicNone && t.r.AsksBillingPerson && !t.r.Tapped {
		t.c.Topic, t.c.TopicFollowedUp = topicBilling, false
		if t.r.Words > maxTopicNameWords {
			t.c.Described, t.c.DescribedTopic = t.r.Text, topicBilling
		}
		t.c.raise(topicBilling)
		return topicBilling
	}
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
	t.c.raiseWith(name, t.r.Text, b.catalog().Topics()[name].Agent != TopicNone)
	text := b.catalog().topicAnswer(name, t.b.voice(t.c))
	if q := t.topicQuestion(name); q != "" {
		// "...and also I wanted to ask when my bill is due": that question's answer
		text = b.catalog().topicQuestion(name, q, t.b.voice(t.c))
		t.c.Topic, t.c.TopicSaid = name, q
	}
	return b.fillHours(t, text)
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
	q := t.topicQuestion(c.Topic)
	if q != "" && q != c.TopicSaid {
		// "and how do I pay it?" after the due date: that question's answer
		return b.answerTopic(t, c.Topic)
	}
	// The follow-up is for a question right after the answer: after a question of the
	// topic answered ("how do I change my wifi password?"), it would say it again.
	afterAnswer := c.TopicSaid == "answer" || c.TopicSaid == ""
	if text := b.catalog().topicFollowUp(c.Topic, b.voice(c)); text != "" && !c.TopicFollowedUp && q == "" && afterAnswer {
		text = b.fillHours(t, text)
		c.TopicFollowedUp, c.TopicSaid = true, "follow_up"
		if tp.Agent == TopicNone {
			c.closeQuestion()
			return []Action{say(text)}
		}
		return []Action{b.offerAgentMenu(c, text, ReasonTopic)}
	}
	if tp.Agent == TopicNone && (c.TopicFollowedUp || !afterAnswer) {
		// A topic that is all there is, asked a third time: its answer again, after the
		// follow-up or a question of it (no agent offered for what an agent would only
		// repeat).
		c.TopicFollowedUp, c.TopicSaid = false, "answer"
		return []Action{say(b.fillHours(t, b.catalog().topicAnswer(c.Topic, b.voice(c))))}
	}
	// what it cannot tell from here, and the agent who can; asked again right after, in
	// fewer words
	key := msgTopicAgain
	if c.TopicSaid == "again" {
		key = msgTopicAgainShort
	}
	c.TopicSaid = "again"
	return []Action{b.offerAgentMenu(c, b.t(b.voice(c), key), ReasonTopic)}
}

// topicQuestion is the question of topic name the turn asks in words (Reading.Asks: "e qdo
// vence?" of the bill is due_date); several asked at once ("qual o horário da loja? e o
// telefone de vcs?") are joined by "+", each answered; "" for none.
func (t *turn) topicQuestion(name string) string {
	qs := t.b.catalog().Topics()[name].Questions
	var asked, within []string
	for _, q := range t.r.Asks {
		switch {
		case qs[q] == nil:
		case slices.Contains(t.r.AsksWithin, q):
			within = append(within, q)
		default:
			asked = append(asked, q)
		}
	}
	if len(asked) == 0 {
		// only words inside a longer phrase of another topic's: still this topic's
		asked = within
	}
	asked = slices.DeleteFunc(asked, func(q string) bool { return superseded(asked, q) })
	return strings.Join(asked, "+")
}

// superseded reports question q asked with another whose answer replaces it (supersedes).
func superseded(asked []string, q string) bool {
	return slices.ContainsFunc(asked, func(o string) bool { return slices.Contains(supersedes[o], q) })
}

// supersedes are questions, each with the wider ones its answer replaces when they are
// asked together: "nao sei qual e a senha, aparecem dois numeros na etiqueta" is which of
// the label's two passwords is the Wi-Fi's, not the forgotten password's whole answer
// before it.
var supersedes = map[string][]string{
	"which_password": {"password_forgotten", "default_password"},
	questionWifi5G:   {questionWifiGone}, // "meu celular não acha a rede 5g": that one, not the Wi-Fi gone
}

// askedAbout is the topic a turn asks about in words (Reading.Asks), and the question of
// it asked ("" for the topic itself): of the topic the classifier clearly reads; else of
// the topic just answered ("y cuándo vence?" after the bill); else a topic named in words
// the classifier does not know ("or just cancel altogether tbh", "what faster broadband
// packages do you do?"); else the one topic with that question, raised before or leaned
// to ("how much is the 500?"). "" when none.
func (t *turn) askedAbout() (name, question string) {
	if len(t.r.Asks) == 0 || t.r.Tapped || len(t.r.Serials) > 0 {
		return "", ""
	}
	topics := t.b.catalog().Topics()
	if name := t.raisedOwner(); name != "" {
		// "e vou ter que pagar multa?" while cancelling: the cancellation's fee, not a
		// late payment's, whatever topic the classifier hears in "pagar"
		return name, t.topicQuestion(name)
	}
	if _, ok := topics[t.r.Intent]; ok && clearRequest(t) {
		return t.r.Intent, t.topicQuestion(t.r.Intent)
	}
	if t.c.topicAnswered() {
		if q := t.topicQuestion(t.c.Topic); q != "" {
			return t.c.Topic, q
		}
	}
	for _, q := range t.r.Asks {
		if _, ok := topics[q]; ok {
			return q, t.topicQuestion(q)
		}
	}
	for _, q := range t.r.Asks {
		var owners []string
		for _, name := range sortedKeys(topics) {
			if topics[name].Questions[q] != nil {
				owners = append(owners, name)
			}
		}
		if len(owners) == 1 && (slices.Contains(t.c.Raised, owners[0]) || t.leansTo(owners[0])) {
			return owners[0], q
		}
	}
	return "", ""
}

// raisedOwner is the topic of this conversation whose question the turn asks in words
// that two topics' questions read ("multa": a late payment's or a cancellation's): the
// topic talked about last, else the one of them raised before; "" when the words read
// one topic's question only, or none of them was raised.
func (t *turn) raisedOwner() string {
	var owners []string
	for _, name := range sortedKeys(t.b.catalog().Topics()) {
		if t.topicQuestion(name) != "" {
			owners = append(owners, name)
		}
	}
	if len(owners) < 2 {
		return ""
	}
	if slices.Contains(owners, t.c.Topic) {
		return t.c.Topic
	}
	var raised []string
	for _, name := range owners {
		if slices.Contains(t.c.Raised, name) {
			raised = append(raised, name)
		}
	}
	if len(raised) == 1 {
		return raised[0]
	}
	return ""
}

// leansTo reports the classifier leaning to topic name, under its threshold: among its
// first three candidates, with some confidence.
func (t *turn) leansTo(name string) bool {
	for i, s := range t.r.Ranked {
		if i < 3 && s.Intent == name && s.Confidence >= questionLean {
			return true
		}
	}
	return false
}

// questionLean is the classifier's confidence in a topic from which a question only that
// topic answers ("how much is the 500?": plans, 0.34) is read as its.
const questionLean = 0.1

// fillHours fills a topic's {hours} with the agents' hours in the customer's language.
func (b *Bot) fillHours(t *turn, text string) string {
	if !strings.Contains(text, "{hours}") {
		return text
	}
	hours := b.hoursText(t.b.voice(t.c), b.availability(t.ctx, t.c, t.now).Hours)
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
	} else if t.r.Intent == name && t.r.Words > maxTopicNameWords {
		// "can i talk to someone about moving house next month" raises it as it asks: the
		// message tells the agent what it is about, and no intake asks "the problem" again
		t.c.Described, t.c.DescribedTopic = t.r.Text, name
	}
	return name
}

// topicReply is what a topic answers the turn, said beside an open question: the answer
// to the question of it asked ("whats your hotline number": the phone), else its answer.
func (b *Bot) topicReply(t *turn, name string) string {
	if q := t.topicQuestion(name); q != "" {
		return b.catalog().topicQuestion(name, q, t.b.voice(t.c))
	}
	return b.catalog().topicAnswer(name, t.b.voice(t.c))
}

// besideTopic is another topic the turn asks about beside name: a topic named in words
// (asks_about), or one the classifier reads in a part of a longer message, or leans to,
// whose question the words ask ("...minha fatura veio com um valor muito acima do
// habitual, e também saber se existe algum plano mais em conta"); never the trouble's own
// (an outage); "" when none.
func (t *turn) besideTopic(name string) string {
	topics := t.b.catalog().Topics()
	inParts := func(n string) bool {
		return slices.ContainsFunc(t.r.Parts, func(p intents.Scored) bool { return p.Intent == n })
	}
	for _, q := range t.r.Asks {
		if _, ok := topics[q]; ok && q != name && q != "outage" {
			return q
		}
	}
	for _, q := range t.r.Asks {
		if t.raisedOwner() != "" {
			break // words two topics' questions read ("multa"): the one talked about answers them
		}
		for _, n := range sortedKeys(topics) {
			if n != name && n != "outage" && topics[n].Questions[q] != nil && t.topicQuestion(name) != q && (inParts(n) || t.leansTo(n)) {
				return n
			}
		}
	}
	for _, p := range t.r.Parts {
		if _, ok := topics[p.Intent]; ok && p.Intent != name && p.Intent != "outage" {
			return p.Intent
		}
	}
	return ""
}

// answerTopics answers topic name and, asked in the same message, another beside it
// (besideTopic), so no part of it goes unanswered: the other's words after the answer,
// with the agent offered once; a topic whose answer is all there is (the hours) first,
// before one an agent takes. Both are noted as raised, for the agent who takes them up.
func (b *Bot) answerTopics(t *turn, name string) []Action {
	other := t.besideTopic(name)
	if other == "" {
		return b.answerTopic(t, name)
	}
	topics := b.catalog().Topics()
	first, second := name, other
	if topics[name].Agent == TopicNone && topics[other].Agent != TopicNone {
		first, second = other, name
	}
	also := b.fillHours(t, b.topicReply(t, second))
	t.c.raiseWith(second, t.r.Text, topics[second].Agent != TopicNone)
	acts := b.answerTopic(t, first)
	if second == name { // the hours asked first: said first
		return leadWith(also, acts)
	}
	if len(acts) > 0 && acts[0].Kind == SendMessage && acts[0].Text != "" {
		acts[0].Text += "\n\n" + also
	}
	return acts
}

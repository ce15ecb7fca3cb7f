package bot

import (
	_ "embed"
	"fmt"
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

//go:embed topics.yaml
var defaultTopics []byte

// DefaultTopics are the embedded topics: billing, outage, plans, wifi, cancel_service,
// technician and moving.
func DefaultTopics() Topics {
	ts, err := ParseTopics(defaultTopics)
	if err != nil {
		panic(err)
	}
	return ts
}

// ParseTopics reads and checks a topics YAML mapping.
func ParseTopics(data []byte) (Topics, error) {
	var ts Topics
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&ts); err != nil {
		return nil, fmt.Errorf("topics: %w", err)
	}
	for name, tp := range ts {
		if err := tp.check(name); err != nil {
			return nil, err
		}
	}
	return ts, nil
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
	for lang, text := range tp.Answer {
		// An offered agent goes out with its buttons: WhatsApp caps that body at 1,024.
		if n := utf8.RuneCountInString(text); n > maxMenuBody {
			return fmt.Errorf("topic %s, %s answer: %d characters, WhatsApp takes at most %d with buttons", name, lang, n, maxMenuBody)
		}
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
	for _, name := range sortedTopicNames(ts) {
		tp := ts[name]
		if len(tp.Examples) == 0 || slices.ContainsFunc(ds.Intents, func(in intents.Intent) bool { return in.Name == name }) {
			continue
		}
		ds.Intents = append(ds.Intents, intents.Intent{Name: name, Examples: tp.Examples})
	}
}

func sortedTopicNames(ts Topics) []string {
	names := make([]string, 0, len(ts))
	for n := range ts {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// answer is the topic's answer in lang, or in English.
func (tp Topic) answer(lang string) string {
	if s := tp.Answer[lang]; s != "" {
		return s
	}
	return tp.Answer[defaultLanguage]
}

// answerTopic answers a topic as it is set: its answer, then the agent offered, the
// handoff, or nothing more. It is never a misunderstanding.
func (b *Bot) answerTopic(t *turn, name string) []Action {
	c, tp := t.c, b.Topics[name]
	c.Topic = name
	text := tp.answer(c.Language)
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

// Package intents tells what a customer's WhatsApp message means: a built-in multilingual
// (en/es/pt) intent classifier trained at start from YAML examples, language detection,
// menu-reply matching, and adapters to external NLU services (Rasa, OpenAI-compatible).
package intents

import "context"

// Built-in intent names. The bot switches on these, so a replacement intents file should keep them.
const (
	UpdateRouter = "update_router"
	UpdateStatus = "update_status"
	HumanAgent   = "human_agent"
	Cancel       = "cancel"
	Greeting     = "greeting"
	Thanks       = "thanks"
	Help         = "help"
	// OutOfScope is the intent of a text the bot should not act on.
	OutOfScope = "oos"
)

// Result is what an NLU made of a text. Intent is OutOfScope when the text was rejected;
// Ranked still lists the candidates so a caller can log near misses.
type Result struct {
	Intent     string
	Confidence float64
	Ranked     []Scored
	Language   string
}

// Scored is one candidate intent with its confidence in [0, 1].
type Scored struct {
	Intent     string
	Confidence float64
}

// Example is one labelled text, the JSON-lines format of the evaluation files.
type Example struct {
	Text   string `json:"text"`
	Intent string `json:"intent"`
}

// NLU is anything that classifies a text. External services fail, so Classify returns
// an error; wrap them with WithFallback to keep answering.
type NLU interface {
	Classify(ctx context.Context, text string) (Result, error)
}

package bot

// ActionKind names a side effect toward Chatwoot.
type ActionKind string

// The actions the bot takes. Each becomes one outbox row.
const (
	SendMessage   ActionKind = "message"    // public text, or a menu when Items is set
	SendNote      ActionKind = "note"       // private note for the agents
	SetStatus     ActionKind = "status"     // toggle_status
	AssignTeam    ActionKind = "team"       // assignments {team_id}
	SetAttributes ActionKind = "attributes" // custom_attributes (replaces the hash)
	SetLabels     ActionKind = "labels"     // labels (user token)
	Typing        ActionKind = "typing"     // toggle_typing_status

	// StartJob is not a Chatwoot call: it becomes a router update job row.
	StartJob ActionKind = "start_update"
	// Handoff is the whole handoff as one row: see HandoffPlan.
	Handoff ActionKind = "handoff"
)

// Action is one call toward Chatwoot, stored in the outbox as JSON.
type Action struct {
	Kind       ActionKind     `json:"kind"`
	Text       string         `json:"text,omitempty"`
	Items      []Item         `json:"items,omitempty"`
	Template   *Template      `json:"template,omitempty"`
	Status     string         `json:"status,omitempty"`
	TeamID     int64          `json:"team_id,omitempty"`
	Attributes map[string]any `json:"attributes,omitempty"`
	Labels     []string       `json:"labels,omitempty"`
	On         bool           `json:"on,omitempty"`
	Update     *StartUpdate   `json:"update,omitempty"`
	Handoff    *HandoffPlan   `json:"handoff,omitempty"`
}

// Template is an approved WhatsApp template, for messages outside the 24 hour window.
type Template struct {
	Name     string            `json:"name"`
	Language string            `json:"language"`
	Category string            `json:"category,omitempty"`
	Body     map[string]string `json:"body,omitempty"`
}

func say(text string) Action { return Action{Kind: SendMessage, Text: text} }

func menu(text string, items []Item) Action {
	return Action{Kind: SendMessage, Text: text, Items: items}
}

func note(text string) Action { return Action{Kind: SendNote, Text: text} }

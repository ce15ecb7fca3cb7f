package bot

import "slices"

// ActionKind names a side effect toward Chatwoot.
type ActionKind string

// The actions the bot takes. Each becomes one outbox row.
const (
	SendMessage   ActionKind = "message"    // public text, or a menu when Items is set
	SendNote      ActionKind = "note"       // private note for the agents
	SetStatus     ActionKind = "status"     // toggle_status
	AssignTeam    ActionKind = "team"       // assignments {team_id}
	SetAttributes ActionKind = "attributes" // custom_attributes (Chatwoot replaces the hash)
	SetLabels     ActionKind = "labels"     // labels (user token; Chatwoot replaces the list)
	Typing        ActionKind = "typing"     // toggle_typing_status

	// StartJob is not a Chatwoot call: it becomes a router update job row.
	StartJob ActionKind = "start_update"
	// CancelJob is not a Chatwoot call either: it asks to call off the update attempt
	// Update names, when it has not been sent to the telco yet. The pipeline applies it
	// with the conversation's state and reports which it was (JobCancelled or
	// JobCancelRefused) as the job's next event.
	CancelJob ActionKind = "cancel_update"
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
	// Changed names the attributes or labels this action sets or removes. Attributes and
	// Labels are the whole hash or list as the bot last saw it, but Chatwoot replaces the
	// whole of either: an agent's or an automation's change since that payload would be
	// undone. So the outbox applies only Changed to what Chatwoot holds when it can read it
	// (with the user token), and writes the whole of the bot's view only when it cannot.
	Changed []string `json:"changed,omitempty"`
	// Unless names, among the attributes Changed removes, those to remove only while
	// Chatwoot still holds the given value: an agent's correction made meanwhile stays.
	Unless  map[string]any `json:"unless,omitempty"`
	On      bool           `json:"on,omitempty"`
	Update  *StartUpdate   `json:"update,omitempty"`
	Handoff *HandoffPlan   `json:"handoff,omitempty"`
	// asks marks a question put in words, without buttons (see prompt): what is said just
	// before it goes in its message, as before a menu.
	asks bool
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

// prompt is a question put in words, where a menu would have one button only: one bubble
// with what is said just before it (withMenus), as a menu is.
func prompt(text string) Action { return Action{Kind: SendMessage, Text: text, asks: true} }

func note(text string) Action { return Action{Kind: SendNote, Text: text} }

// setAttributes changes custom attributes in the bot's view of the conversation and returns
// the action that makes the same change in Chatwoot.
func (c *Conversation) setAttributes(set map[string]any, unset ...string) Action {
	attrs := copyAttrs(c.Attributes)
	changed := make([]string, 0, len(set)+len(unset))
	for k, v := range set {
		attrs[k] = v
		changed = append(changed, k)
	}
	for _, k := range unset {
		delete(attrs, k)
		changed = append(changed, k)
	}
	slices.Sort(changed)
	c.Attributes = attrs
	return Action{Kind: SetAttributes, Attributes: attrs, Changed: slices.Compact(changed)}
}

// setLabels adds and removes labels in the bot's view of the conversation and returns the
// action that makes the same change in Chatwoot.
func (c *Conversation) setLabels(add []string, remove ...string) Action {
	labels := slices.DeleteFunc(slices.Clone(c.Labels), func(l string) bool { return slices.Contains(remove, l) })
	for _, l := range add {
		labels = appendUnique(labels, l)
	}
	changed := slices.Concat(add, remove)
	slices.Sort(changed)
	c.Labels = labels
	return Action{Kind: SetLabels, Labels: labels, Changed: slices.Compact(changed)}
}

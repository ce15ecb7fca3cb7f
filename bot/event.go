package bot

import "time"

// EventKind says what happened in a conversation.
type EventKind string

// The events the bot reacts to.
const (
	// CustomerMessage: the contact wrote (or tapped a button).
	CustomerMessage EventKind = "customer_message"
	// AgentMessage: a human agent replied publicly.
	AgentMessage EventKind = "agent_message"
	// ConversationChanged: status, assignee or attributes changed.
	ConversationChanged EventKind = "conversation_changed"
	// JobProgress: a router update moved on (or ended).
	JobProgress EventKind = "job_progress"
	// ActionFailed: Chatwoot refused a call for good (the outbox row is dead).
	ActionFailed EventKind = "action_failed"
	// AgentsAvailable: the waiting worker saw agents able to take a waiting customer.
	AgentsAvailable EventKind = "agents_available"
	// DeliveryFailed: WhatsApp did not deliver one of the bot's messages (Text says why).
	DeliveryFailed EventKind = "delivery_failed"
	// OutageEnded: the telco reported the end of an outage (OutageID) a customer asked to
	// hear about, by callback or to the outage poller.
	OutageEnded EventKind = "outage_ended"
)

// Event is one thing that happened, already translated from Chatwoot's payload.
type Event struct {
	Kind EventKind
	Now  time.Time

	// Snapshot is the conversation as the payload showed it; nil when the payload had none.
	Snapshot *Snapshot
	// StatusChanged is set for Chatwoot's status change events, which tell a hand-back
	// even when the status we hold is already pending (a missed or late "opened").
	StatusChanged bool

	Text string
	// Media is what a customer's message carries besides words: its attachment's kind as
	// Chatwoot's file_type tells it (image, audio, video, file, location...), "" for none.
	// Text is then the caption, often "".
	Media     string
	MessageID int64
	Contact   *Contact
	Job       *JobUpdate
	// Failed is the action Chatwoot refused, for ActionFailed; FailedBecause is why.
	Failed        *Action
	FailedBecause string
	// OutageID is the outage that ended, for OutageEnded.
	OutageID string
}

// Snapshot is what a payload says of the conversation.
type Snapshot struct {
	InboxID       int64
	Status        string
	UpdatedAt     float64
	AssigneeID    int64
	AssigneeHuman bool
	CanReply      bool
	// Attributes are the conversation's custom attributes; nil when the payload had none.
	Attributes map[string]any
	// Labels are the conversation's labels; nil when the payload had none.
	Labels []string
}

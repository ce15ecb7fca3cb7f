// Package chatwoot speaks to Chatwoot as an AgentBot: it parses and verifies the webhooks
// Chatwoot sends and calls the account API the bot needs.
package chatwoot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Event names the bot receives. Chatwoot never sends conversation_created to a bot.
const (
	EventMessageCreated            = "message_created"
	EventMessageUpdated            = "message_updated"
	EventConversationOpened        = "conversation_opened"
	EventConversationResolved      = "conversation_resolved"
	EventConversationStatusChanged = "conversation_status_changed"
	EventConversationUpdated       = "conversation_updated"
	EventWebwidgetTriggered        = "webwidget_triggered"
)

// MessageType is the kind of a message. Chatwoot writes it as a string at the top of a
// message payload and as an int (0..3) inside conversation.messages and API responses;
// both decode to the same value.
type MessageType string

// Message types, in the order of Chatwoot's enum (their int values are 0..3).
const (
	MessageIncoming MessageType = "incoming"
	MessageOutgoing MessageType = "outgoing"
	MessageActivity MessageType = "activity"
	MessageTemplate MessageType = "template"
)

var messageTypes = [...]MessageType{MessageIncoming, MessageOutgoing, MessageActivity, MessageTemplate}

// Int returns Chatwoot's enum value, or -1 for an unknown type.
func (t MessageType) Int() int {
	for i, v := range messageTypes {
		if v == t {
			return i
		}
	}
	return -1
}

// UnmarshalJSON accepts the string and the int forms; an unknown int is kept as its
// decimal text rather than failing the whole payload.
func (t *MessageType) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = MessageType(s)
		return nil
	}
	var n int
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("chatwoot: message_type %s: %w", b, err)
	}
	if n >= 0 && n < len(messageTypes) {
		*t = messageTypes[n]
	} else {
		*t = MessageType(strconv.Itoa(n))
	}
	return nil
}

// Conversation statuses.
const (
	StatusOpen     = "open"
	StatusPending  = "pending"
	StatusResolved = "resolved"
	StatusSnoozed  = "snoozed"
)

// Sender types as Chatwoot writes sender.type.
const (
	SenderContact  = "contact"
	SenderUser     = "user"
	SenderAgentBot = "agent_bot"
)

// Parse errors. ErrNoEvent is valid JSON that is not a webhook (nothing to do); ErrBadPayload
// is a body that cannot be read at all.
var (
	ErrNoEvent    = errors.New("chatwoot: payload has no event")
	ErrBadPayload = errors.New("chatwoot: bad payload")
)

// Event is a webhook normalised from Chatwoot's two shapes: message events carry the message
// at the top with the conversation nested; conversation events are the conversation itself.
type Event struct {
	Name string
	// AccountID is 0 when the payload does not carry it (conversation events whose
	// messages list is empty): the caller falls back to what it stored or configured.
	AccountID int64
	InboxID   int64
	// Conversation is nil for webwidget_triggered before the visitor's first message.
	Conversation *Conversation
	// Message is set for message_created and message_updated.
	Message *Message
	// Contact is the customer: the sender of an incoming message, else the conversation's
	// contact, or the visitor of webwidget_triggered.
	Contact *Contact
	// ChangedAttributes is what conversation_updated says changed, keyed by attribute.
	ChangedAttributes map[string]Change
	// EventInfo is webwidget_triggered's event_info (widget and browser language).
	EventInfo map[string]any
}

// Change is one entry of changed_attributes.
type Change struct {
	Previous any `json:"previous_value"`
	Current  any `json:"current_value"`
}

// Conversation is a conversation as webhooks and GET conversations/{id} describe it.
type Conversation struct {
	// ID is the display id, the one API paths take.
	ID      int64
	InboxID int64
	Status  string
	// CanReply is false outside WhatsApp's 24 h window: only templates get through then.
	CanReply bool
	Channel  string
	// Assignee is nil when nobody is assigned; AssigneeType tells a User from an AgentBot.
	Assignee             *Agent
	AssigneeType         string
	TeamID               int64
	Contact              *Contact
	CustomAttributes     map[string]any
	AdditionalAttributes map[string]any
	Labels               []string
	Priority             string
	// UpdatedAt is epoch seconds with fractions, the ordering key for out-of-order deliveries.
	UpdatedAt float64
	Messages  []Message
}

type conversationWire struct {
	ID                   int64          `json:"id"`
	InboxID              int64          `json:"inbox_id"`
	Status               string         `json:"status"`
	CanReply             *bool          `json:"can_reply"`
	Channel              string         `json:"channel"`
	CustomAttributes     map[string]any `json:"custom_attributes"`
	AdditionalAttributes map[string]any `json:"additional_attributes"`
	Labels               []string       `json:"labels"`
	Priority             string         `json:"priority"`
	UpdatedAt            flexTime       `json:"updated_at"`
	Messages             []Message      `json:"messages"`
	Meta                 struct {
		Sender       *Contact `json:"sender"`
		Assignee     *Agent   `json:"assignee"`
		AssigneeType string   `json:"assignee_type"`
		Channel      string   `json:"channel"`
		Team         *struct {
			ID int64 `json:"id"`
		} `json:"team"`
	} `json:"meta"`
}

// UnmarshalJSON flattens meta and defaults can_reply to true, since only channels with a
// reply window (WhatsApp and friends) ever say false.
func (c *Conversation) UnmarshalJSON(b []byte) error {
	var w conversationWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*c = Conversation{
		ID: w.ID, InboxID: w.InboxID, Status: w.Status, CanReply: w.CanReply == nil || *w.CanReply,
		Channel: w.Channel, Assignee: w.Meta.Assignee, AssigneeType: w.Meta.AssigneeType,
		Contact: w.Meta.Sender, CustomAttributes: w.CustomAttributes,
		AdditionalAttributes: w.AdditionalAttributes, Labels: w.Labels, Priority: w.Priority,
		UpdatedAt: w.UpdatedAt.epoch, Messages: w.Messages,
	}
	if c.Channel == "" {
		c.Channel = w.Meta.Channel
	}
	if w.Meta.Team != nil {
		c.TeamID = w.Meta.Team.ID
	}
	for i := range c.Messages {
		if c.Messages[i].ConversationID == 0 {
			c.Messages[i].ConversationID = c.ID
		}
	}
	return nil
}

// Message is one message of a conversation.
type Message struct {
	ID                int64             `json:"id"`
	ConversationID    int64             `json:"conversation_id"`
	AccountID         int64             `json:"account_id"`
	InboxID           int64             `json:"inbox_id"`
	Content           string            `json:"content"`
	MessageType       MessageType       `json:"message_type"`
	ContentType       string            `json:"content_type"`
	ContentAttributes ContentAttributes `json:"content_attributes"`
	Private           bool              `json:"private"`
	// Status is sent, delivered, read or failed (see ContentAttributes.ExternalError).
	Status    string    `json:"status"`
	Sender    *Sender   `json:"sender"`
	SourceID  string    `json:"source_id"`
	CreatedAt time.Time `json:"created_at"`
}

// UnmarshalJSON accepts created_at as an RFC 3339 string (message payloads) or epoch
// seconds (conversation.messages and API responses).
func (m *Message) UnmarshalJSON(b []byte) error {
	type plain Message
	var w struct {
		plain
		CreatedAt flexTime `json:"created_at"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*m = Message(w.plain)
	m.CreatedAt = w.CreatedAt.t
	return nil
}

// ContentAttributes holds the parts of content_attributes a bot acts on.
type ContentAttributes struct {
	// Items are the choices of an input_select the bot sent.
	Items []Item `json:"items,omitempty"`
	// SubmittedValues is how the web widget answers an input_select: on the bot's own
	// message, in message_updated.
	SubmittedValues []Item `json:"submitted_values,omitempty"`
	// InReplyTo is the id of the message a WhatsApp button tap or quoted reply answers.
	InReplyTo           int64  `json:"in_reply_to,omitempty"`
	InReplyToExternalID string `json:"in_reply_to_external_id,omitempty"`
	// ExternalError is why the channel (Meta) refused a message Chatwoot accepted.
	ExternalError string `json:"external_error,omitempty"`
}

// UnmarshalJSON reads each attribute on its own: cards, forms and other channels put
// differently shaped values here, and one odd field must not lose the whole event.
func (a *ContentAttributes) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		if bytes.Equal(bytes.TrimSpace(b), []byte("null")) || isTypeError(err) {
			return nil
		}
		return err
	}
	*a = ContentAttributes{}
	a.Items, a.SubmittedValues = itemsOf(raw["items"]), itemsOf(raw["submitted_values"])
	var id flexInt
	if json.Unmarshal(raw["in_reply_to"], &id) == nil {
		a.InReplyTo = int64(id)
	}
	_ = json.Unmarshal(raw["in_reply_to_external_id"], &a.InReplyToExternalID)
	if err := json.Unmarshal(raw["external_error"], &a.ExternalError); err != nil && raw["external_error"] != nil {
		a.ExternalError = string(raw["external_error"])
	}
	return nil
}

// itemsOf decodes a list of items, or nothing when they are not title/value pairs.
func itemsOf(raw json.RawMessage) []Item {
	var items []Item
	if json.Unmarshal(raw, &items) != nil {
		return nil
	}
	return items
}

func isTypeError(err error) bool {
	var te *json.UnmarshalTypeError
	return errors.As(err, &te)
}

// Item is one choice of an input_select (a WhatsApp reply button or list row).
type Item struct {
	Title string `json:"title"`
	Value string `json:"value"`
}

// Sender is who wrote a message: a contact, a user (agent) or an agent bot.
type Sender struct {
	ID                   int64          `json:"id"`
	Name                 string         `json:"name"`
	Type                 string         `json:"type"`
	AvailableName        string         `json:"available_name,omitempty"`
	Email                string         `json:"email,omitempty"`
	PhoneNumber          string         `json:"phone_number,omitempty"`
	Identifier           string         `json:"identifier,omitempty"`
	CustomAttributes     map[string]any `json:"custom_attributes,omitempty"`
	AdditionalAttributes map[string]any `json:"additional_attributes,omitempty"`
}

// Contact is the customer side of a conversation.
type Contact struct {
	ID                   int64          `json:"id"`
	Name                 string         `json:"name"`
	Email                string         `json:"email"`
	PhoneNumber          string         `json:"phone_number"`
	Identifier           string         `json:"identifier"`
	CustomAttributes     map[string]any `json:"custom_attributes"`
	AdditionalAttributes map[string]any `json:"additional_attributes"`
}

// Agent is a user of the account (an assignee, an inbox member).
type Agent struct {
	ID                 int64  `json:"id"`
	Name               string `json:"name"`
	AvailableName      string `json:"available_name"`
	Email              string `json:"email"`
	Role               string `json:"role"`
	AvailabilityStatus string `json:"availability_status"`
}

// envelope holds the keys that tell the shapes apart and those only some events carry.
type envelope struct {
	Event   string `json:"event"`
	Account *struct {
		ID int64 `json:"id"`
	} `json:"account"`
	Inbox *struct {
		ID int64 `json:"id"`
	} `json:"inbox"`
	Conversation        *Conversation   `json:"conversation"`
	CurrentConversation *Conversation   `json:"current_conversation"`
	Contact             *Contact        `json:"contact"`
	EventInfo           map[string]any  `json:"event_info"`
	ChangedAttributes   json.RawMessage `json:"changed_attributes"`
}

// ParseEvent reads a webhook body. It returns ErrNoEvent for JSON without an event name
// and an error wrapping ErrBadPayload for anything it cannot decode.
func ParseEvent(body []byte) (*Event, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadPayload, err)
	}
	if env.Event == "" {
		return nil, ErrNoEvent
	}
	ev := &Event{Name: env.Event, EventInfo: env.EventInfo}
	if env.Account != nil {
		ev.AccountID = env.Account.ID
	}
	if env.Inbox != nil {
		ev.InboxID = env.Inbox.ID
	}
	var err error
	switch {
	// Case 1: a message event; the message is the top level.
	case strings.HasPrefix(ev.Name, "message_"):
		err = parseMessageEvent(body, &env, ev)
	// Case 2: a conversation event; the conversation is the top level.
	case strings.HasPrefix(ev.Name, "conversation_"):
		err = parseConversationEvent(body, &env, ev)
	// Case 3: webwidget_triggered and anything newer: what the envelope holds.
	default:
		ev.Contact = env.Contact
		ev.Conversation = env.CurrentConversation
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrBadPayload, ev.Name, err)
	}
	if ev.InboxID == 0 && ev.Conversation != nil {
		ev.InboxID = ev.Conversation.InboxID
	}
	return ev, nil
}

func parseMessageEvent(body []byte, env *envelope, ev *Event) error {
	m := new(Message)
	// The envelope read the body already, so it is valid JSON: decode straight into the
	// message rather than through json.Unmarshal, which would check it all over again.
	if err := m.UnmarshalJSON(body); err != nil {
		return err
	}
	ev.Message, ev.Conversation = m, env.Conversation
	if c := ev.Conversation; c != nil {
		m.ConversationID = c.ID
		// The top level has no status; the same message inside the conversation does.
		for _, cm := range c.Messages {
			if cm.ID == m.ID && m.Status == "" {
				m.Status = cm.Status
			}
		}
	}
	m.AccountID, m.InboxID = ev.AccountID, ev.InboxID
	// A contact sender carries no type; only contacts write incoming messages.
	if s := m.Sender; s != nil && s.Type == "" && m.MessageType == MessageIncoming {
		s.Type = SenderContact
	}
	switch {
	case m.MessageType == MessageIncoming && m.Sender != nil && m.Sender.Type == SenderContact:
		s := m.Sender
		ev.Contact = &Contact{ID: s.ID, Name: s.Name, Email: s.Email, PhoneNumber: s.PhoneNumber,
			Identifier: s.Identifier, CustomAttributes: s.CustomAttributes, AdditionalAttributes: s.AdditionalAttributes}
	case ev.Conversation != nil:
		ev.Contact = ev.Conversation.Contact
	}
	return nil
}

func parseConversationEvent(body []byte, env *envelope, ev *Event) error {
	c := new(Conversation)
	if err := json.Unmarshal(body, c); err != nil {
		return err
	}
	ev.Conversation, ev.Contact = c, c.Contact
	if ev.AccountID == 0 && len(c.Messages) > 0 {
		ev.AccountID = c.Messages[0].AccountID
	}
	changes, err := parseChanges(env.ChangedAttributes)
	ev.ChangedAttributes = changes
	return err
}

// parseChanges turns Chatwoot's list of single-key objects into a map; a plain object is
// accepted too.
func parseChanges(raw json.RawMessage) (map[string]Change, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	out := map[string]Change{}
	if raw[0] == '{' {
		if err := json.Unmarshal(raw, &out); err != nil {
			return nil, fmt.Errorf("changed_attributes: %w", err)
		}
		return out, nil
	}
	var list []map[string]Change
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("changed_attributes: %w", err)
	}
	for _, m := range list {
		for k, v := range m {
			out[k] = v
		}
	}
	return out, nil
}

// flexTime decodes an RFC 3339 string or epoch seconds (int or float), keeping both forms.
type flexTime struct {
	t     time.Time
	epoch float64
}

func (f *flexTime) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if s == "" {
			return nil
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return err
		}
		f.t, f.epoch = t, float64(t.UnixNano())/1e9
		return nil
	}
	var n float64
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	sec := int64(n)
	f.epoch, f.t = n, time.Unix(sec, int64((n-float64(sec))*1e9)).UTC()
	return nil
}

// flexInt decodes a number or a numeric string: ids in content_attributes come either way.
type flexInt int64

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "null" || s == "" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return err
	}
	*f = flexInt(n)
	return nil
}

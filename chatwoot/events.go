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
		if err := DecodeJSON(b, &s); err != nil {
			return err
		}
		*t = MessageType(s)
		return nil
	}
	var n int
	if err := DecodeJSON(b, &n); err != nil {
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
	// Repairs are the values of the payload that were read leniently or ignored (see
	// ParseEvent), for the log and the metrics.
	Repairs []Repair
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
	// Attachments are the files the message carries (a WhatsApp photo, voice note, video,
	// document, location): Chatwoot writes them beside the content, which is then the
	// caption, or null.
	Attachments []Attachment `json:"attachments,omitempty"`
}

// Attachment is one file of a message, as Chatwoot's Attachment#push_event_data writes it.
type Attachment struct {
	ID int64 `json:"id"`
	// FileType is image, audio, video, file, location, fallback, share, story_mention,
	// contact or ig_reel.
	FileType string `json:"file_type"`
	DataURL  string `json:"data_url,omitempty"`
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
	// Ref is the bot's own reference for a message it posted (NewMessage.Ref).
	Ref string `json:"cwbot_ref,omitempty"`
}

// UnmarshalJSON reads each attribute on its own: cards, forms and other channels put
// differently shaped values here, and one odd field must not lose the whole event.
func (a *ContentAttributes) UnmarshalJSON(b []byte) error {
	a.read(b)
	return nil
}

// read keeps what it understands of content_attributes and drops the rest: anything but
// an object (null, a list, a string) reads as no attributes.
func (a *ContentAttributes) read(b []byte) {
	*a = ContentAttributes{}
	var raw map[string]json.RawMessage
	if DecodeJSON(b, &raw) != nil {
		return
	}
	a.Items, a.SubmittedValues = itemsOf(raw["items"]), itemsOf(raw["submitted_values"])
	var id flexInt
	if DecodeJSON(raw["in_reply_to"], &id) == nil {
		a.InReplyTo = int64(id)
	}
	_ = DecodeJSON(raw["in_reply_to_external_id"], &a.InReplyToExternalID)
	_ = DecodeJSON(raw["cwbot_ref"], &a.Ref)
	if err := DecodeJSON(raw["external_error"], &a.ExternalError); err != nil && raw["external_error"] != nil {
		a.ExternalError = string(raw["external_error"])
	}
}

// itemsOf decodes a list of items, or nothing when they are not title/value pairs.
func itemsOf(raw json.RawMessage) []Item {
	var items []Item
	if DecodeJSON(raw, &items) != nil {
		return nil
	}
	return items
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

// conversationWire is a conversation as Chatwoot writes it, meta and all.
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
	Messages             []messageWire  `json:"messages"`
	Meta                 metaWire       `json:"meta"`
}

type metaWire struct {
	Sender       *Contact `json:"sender"`
	Assignee     *Agent   `json:"assignee"`
	AssigneeType string   `json:"assignee_type"`
	Channel      string   `json:"channel"`
	Team         *struct {
		ID int64 `json:"id"`
	} `json:"team"`
}

// conversation flattens meta and defaults can_reply to true, since only channels with a
// reply window (WhatsApp and friends) ever say false.
func (w *conversationWire) conversation() *Conversation {
	c := &Conversation{
		ID: w.ID, InboxID: w.InboxID, Status: w.Status, CanReply: w.CanReply == nil || *w.CanReply,
		Channel: w.Channel, Assignee: w.Meta.Assignee, AssigneeType: w.Meta.AssigneeType,
		Contact: w.Meta.Sender, CustomAttributes: w.CustomAttributes,
		AdditionalAttributes: w.AdditionalAttributes, Labels: w.Labels, Priority: w.Priority,
		UpdatedAt: w.UpdatedAt.epoch,
	}
	if c.Channel == "" {
		c.Channel = w.Meta.Channel
	}
	if w.Meta.Team != nil {
		c.TeamID = w.Meta.Team.ID
	}
	if w.Messages != nil {
		c.Messages = make([]Message, len(w.Messages))
		for i := range w.Messages {
			c.Messages[i] = w.Messages[i].message()
			if c.Messages[i].ConversationID == 0 {
				c.Messages[i].ConversationID = c.ID
			}
		}
	}
	return c
}

// UnmarshalJSON reads a conversation of the API (GET conversations/{id}).
func (c *Conversation) UnmarshalJSON(b []byte) error {
	var w conversationWire
	if err := DecodeJSON(b, &w); err != nil {
		return err
	}
	*c = *w.conversation()
	return nil
}

// messageWire is a message as Chatwoot writes it: created_at as an RFC 3339 string
// (message payloads) or epoch seconds (conversation.messages and API responses), and
// content_attributes in whatever shape the channel left them.
type messageWire struct {
	ID                int64           `json:"id"`
	ConversationID    int64           `json:"conversation_id"`
	AccountID         int64           `json:"account_id"`
	InboxID           int64           `json:"inbox_id"`
	Content           string          `json:"content"`
	MessageType       MessageType     `json:"message_type"`
	ContentType       string          `json:"content_type"`
	ContentAttributes json.RawMessage `json:"content_attributes"`
	Private           bool            `json:"private"`
	Status            string          `json:"status"`
	Sender            *Sender         `json:"sender"`
	SourceID          string          `json:"source_id"`
	CreatedAt         flexTime        `json:"created_at"`
	Attachments       []Attachment    `json:"attachments"`
}

func (w *messageWire) message() Message {
	m := Message{ID: w.ID, ConversationID: w.ConversationID, AccountID: w.AccountID, InboxID: w.InboxID,
		Content: w.Content, MessageType: w.MessageType, ContentType: w.ContentType, Private: w.Private,
		Status: w.Status, Sender: w.Sender, SourceID: w.SourceID, CreatedAt: w.CreatedAt.t, Attachments: w.Attachments}
	m.ContentAttributes.read(w.ContentAttributes)
	return m
}

// UnmarshalJSON reads a message of the API or of conversation.messages.
func (m *Message) UnmarshalJSON(b []byte) error {
	var w messageWire
	if err := DecodeJSON(b, &w); err != nil {
		return err
	}
	*m = w.message()
	return nil
}

// eventWire is every top-level key of the webhook shapes, read in one pass: a message
// event is a message with the conversation nested, a conversation event is the
// conversation itself, and both carry the envelope's keys beside.
type eventWire struct {
	Event   string `json:"event"`
	Account *struct {
		ID int64 `json:"id"`
	} `json:"account"`
	Inbox *struct {
		ID int64 `json:"id"`
	} `json:"inbox"`
	Conversation        *conversationWire `json:"conversation"`
	CurrentConversation *conversationWire `json:"current_conversation"`
	Contact             *Contact          `json:"contact"`
	EventInfo           map[string]any    `json:"event_info"`
	ChangedAttributes   json.RawMessage   `json:"changed_attributes"`

	// The message of a message event, or the conversation of a conversation event: the
	// keys both have (id, inbox_id, status) are read once, with the message's, and used
	// by either.
	messageWire
	CanReply             *bool          `json:"can_reply"`
	Channel              string         `json:"channel"`
	CustomAttributes     map[string]any `json:"custom_attributes"`
	AdditionalAttributes map[string]any `json:"additional_attributes"`
	Labels               []string       `json:"labels"`
	Priority             string         `json:"priority"`
	UpdatedAt            flexTime       `json:"updated_at"`
	Messages             []messageWire  `json:"messages"`
	Meta                 metaWire       `json:"meta"`
}

// parseEvent reads a webhook body as Chatwoot writes it (ParseEvent adds the repairs).
//
// The body is read in one pass (every webhook is parsed, so this is the bot's hottest
// path): the wire types nest no UnmarshalJSON but tiny ones (see DecodeJSON).
func parseEvent(body []byte) (*Event, error) {
	var w eventWire
	if err := DecodeJSON(body, &w); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadPayload, err)
	}
	if w.Event == "" {
		return nil, ErrNoEvent
	}
	ev := &Event{Name: w.Event, EventInfo: w.EventInfo}
	if w.Account != nil {
		ev.AccountID = w.Account.ID
	}
	if w.Inbox != nil {
		ev.InboxID = w.Inbox.ID
	}
	switch {
	// Case 1: a message event; the message is the top level.
	case strings.HasPrefix(ev.Name, "message_"):
		messageEvent(&w, ev)
	// Case 2: a conversation event; the conversation is the top level.
	case strings.HasPrefix(ev.Name, "conversation_"):
		conversationEvent(&w, ev)
	// Case 3: webwidget_triggered and anything newer: what the envelope holds.
	default:
		ev.Contact = w.Contact
		if w.CurrentConversation != nil {
			ev.Conversation = w.CurrentConversation.conversation()
		}
	}
	if ev.InboxID == 0 && ev.Conversation != nil {
		ev.InboxID = ev.Conversation.InboxID
	}
	return ev, nil
}

func messageEvent(w *eventWire, ev *Event) {
	m := w.message()
	ev.Message = &m
	if w.Conversation != nil {
		ev.Conversation = w.Conversation.conversation()
	}
	if c := ev.Conversation; c != nil {
		m.ConversationID = c.ID
		// The top level has no status; the same message inside the conversation does, but
		// conversation.messages holds only the conversation's last message.
		for _, cm := range c.Messages {
			if cm.ID == m.ID && m.Status == "" {
				m.Status = cm.Status
			}
		}
	}
	// A message Meta refused carries why, whether or not it is still the last one.
	if m.Status == "" && m.ContentAttributes.ExternalError != "" {
		m.Status = "failed"
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
}

// conversationEvent reads a conversation event. changed_attributes in a shape it does not
// know is ignored (a repair): the conversation itself says its status.
func conversationEvent(w *eventWire, ev *Event) {
	cw := conversationWire{ID: w.ID, InboxID: w.InboxID, Status: w.Status, CanReply: w.CanReply,
		Channel: w.Channel, CustomAttributes: w.CustomAttributes, AdditionalAttributes: w.AdditionalAttributes,
		Labels: w.Labels, Priority: w.Priority, UpdatedAt: w.UpdatedAt, Messages: w.Messages, Meta: w.Meta}
	c := cw.conversation()
	ev.Conversation, ev.Contact = c, c.Contact
	if ev.AccountID == 0 && len(c.Messages) > 0 {
		ev.AccountID = c.Messages[0].AccountID
	}
	changes, err := parseChanges(w.ChangedAttributes)
	if err != nil {
		ev.Repairs = append(ev.Repairs, Repair{Field: "/changed_attributes", Reason: RepairIgnored, Detail: err.Error()})
		changes = nil
	}
	ev.ChangedAttributes = changes
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
		if err := DecodeJSON(raw, &out); err != nil {
			return nil, fmt.Errorf("changed_attributes: %w", err)
		}
		return out, nil
	}
	var list []map[string]Change
	if err := DecodeJSON(raw, &list); err != nil {
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
		if err := DecodeJSON(b, &s); err != nil {
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
	if err := DecodeJSON(b, &n); err != nil {
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

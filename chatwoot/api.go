package chatwoot

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// Content types the bot sends.
const (
	ContentText        = "text"
	ContentInputSelect = "input_select"
)

// WhatsApp limits Chatwoot does not check: an over-long title is accepted with 200 and
// then fails at Meta (issue #8288), so the client refuses it before sending.
const (
	MaxButtons        = 3  // up to this many items go out as reply buttons
	MaxButtonTitle    = 20 // characters per reply button title
	MaxListItems      = 10 // rows of a list message
	MaxListTitleRunes = 24 // characters per list row title
)

// NewMessage is a message the bot posts.
type NewMessage struct {
	Content string
	// Private makes it a note only agents see.
	Private bool
	// ContentType defaults to text, or to input_select when Items are given.
	ContentType string
	Items       []Item
	// TemplateParams sends an approved WhatsApp template, the only thing that gets
	// through outside the 24 h window.
	TemplateParams *TemplateParams
	// Ref is the sender's own reference for the message. Chatwoot keeps content_attributes
	// as given, so ListMessages shows it (ContentAttributes.Ref): after a crash or a timeout,
	// the sender can tell whether the message was posted before posting it again.
	Ref string
}

// TemplateParams names a WhatsApp template and fills its body variables ("1", "2", ...).
type TemplateParams struct {
	Name     string            `json:"name"`
	Category string            `json:"category,omitempty"`
	Language string            `json:"language"`
	Body     map[string]string `json:"-"`
}

type templateParamsWire struct {
	TemplateParams
	ProcessedParams struct {
		Body map[string]string `json:"body,omitempty"`
	} `json:"processed_params"`
}

type createMessageRequest struct {
	Content           string              `json:"content"`
	MessageType       string              `json:"message_type"`
	Private           bool                `json:"private"`
	ContentType       string              `json:"content_type,omitempty"`
	ContentAttributes *attributesWire     `json:"content_attributes,omitempty"`
	TemplateParams    *templateParamsWire `json:"template_params,omitempty"`
}

type attributesWire struct {
	Items []Item `json:"items,omitempty"`
	Ref   string `json:"cwbot_ref,omitempty"`
}

// ValidateItems checks input_select choices against WhatsApp's limits: 1 to 10 items,
// titles non-empty and unique, at most 20 characters for up to 3 (reply buttons) and 24
// for more (a list).
func ValidateItems(items []Item) error {
	if len(items) == 0 || len(items) > MaxListItems {
		return fmt.Errorf("%w: input_select needs 1 to %d items, got %d", ErrValidation, MaxListItems, len(items))
	}
	limit, kind := MaxButtonTitle, "button"
	if len(items) > MaxButtons {
		limit, kind = MaxListTitleRunes, "list row"
	}
	seen := make(map[string]bool, len(items))
	for _, it := range items {
		switch n := utf8.RuneCountInString(it.Title); {
		case n == 0:
			return fmt.Errorf("%w: input_select item with value %q has an empty title", ErrValidation, it.Value)
		case n > limit:
			return fmt.Errorf("%w: %s title %q has %d characters, the limit is %d", ErrValidation, kind, it.Title, n, limit)
		case seen[it.Title]:
			return fmt.Errorf("%w: duplicate title %q", ErrValidation, it.Title)
		}
		seen[it.Title] = true
	}
	return nil
}

// CreateMessage posts an outgoing message (or a private note) to a conversation.
//
// Specs: POST /api/v1/accounts/{account_id}/conversations/{conversation_id}/messages
// (swagger operationId create-a-new-message-in-a-conversation)
func (c *Client) CreateMessage(ctx context.Context, accountID, conversationID int64, m NewMessage) (*Message, error) {
	k, err := createMessageCall(accountID, conversationID, m)
	if err != nil {
		return nil, err
	}
	return do[Message](ctx, c, k)
}

// PostMessage posts like CreateMessage and reads only the new message's id from the
// answer: the outbox's call, which has no use for the rest of the message.
func (c *Client) PostMessage(ctx context.Context, accountID, conversationID int64, m NewMessage) (int64, error) {
	k, err := createMessageCall(accountID, conversationID, m)
	if err != nil {
		return 0, err
	}
	posted, err := do[struct {
		ID int64 `json:"id"`
	}](ctx, c, k)
	if err != nil {
		return 0, err
	}
	return posted.ID, nil
}

func createMessageCall(accountID, conversationID int64, m NewMessage) (call, error) {
	req := createMessageRequest{Content: m.Content, MessageType: string(MessageOutgoing), Private: m.Private, ContentType: m.ContentType}
	if req.ContentType == "" && len(m.Items) > 0 {
		req.ContentType = ContentInputSelect
	}
	if req.ContentType == ContentInputSelect {
		if err := ValidateItems(m.Items); err != nil {
			return call{}, fmt.Errorf("chatwoot: create_message: %w", err)
		}
	}
	if len(m.Items) > 0 || m.Ref != "" {
		req.ContentAttributes = &attributesWire{Items: m.Items, Ref: m.Ref}
	}
	if tp := m.TemplateParams; tp != nil {
		w := &templateParamsWire{TemplateParams: *tp}
		w.ProcessedParams.Body = tp.Body
		req.TemplateParams = w
	}
	return call{endpoint: "create_message", method: http.MethodPost, account: accountID,
		path: fmt.Sprintf("conversations/%d/messages", conversationID), body: req}, nil
}

// ToggleStatus sets a conversation's status and returns the status Chatwoot reports.
// When a bot moves pending to open Chatwoot runs its handoff and answers success: null,
// so only current_status is trusted.
//
// Specs: POST /api/v1/accounts/{account_id}/conversations/{conversation_id}/toggle_status
// (swagger operationId toggle-status-of-a-conversation)
func (c *Client) ToggleStatus(ctx context.Context, accountID, conversationID int64, status string) (string, error) {
	type answer struct {
		Payload struct {
			CurrentStatus string `json:"current_status"`
		} `json:"payload"`
	}
	a, err := do[answer](ctx, c, call{endpoint: "toggle_status", method: http.MethodPost, account: accountID,
		path: fmt.Sprintf("conversations/%d/toggle_status", conversationID), body: map[string]string{"status": status}})
	if err != nil {
		return "", err
	}
	return a.Payload.CurrentStatus, nil
}

// AssignTeam hands the conversation to a team. Chatwoot lets assignee_id win when both
// are sent, hence one call each.
//
// Specs: POST /api/v1/accounts/{account_id}/conversations/{conversation_id}/assignments
// (swagger operationId assign-a-conversation)
func (c *Client) AssignTeam(ctx context.Context, accountID, conversationID, teamID int64) error {
	_, err := do[struct{}](ctx, c, call{endpoint: "assign_team", method: http.MethodPost, account: accountID,
		path: fmt.Sprintf("conversations/%d/assignments", conversationID), body: map[string]int64{"team_id": teamID}})
	return err
}

// AssignAgent assigns the conversation to an agent.
//
// Specs: POST /api/v1/accounts/{account_id}/conversations/{conversation_id}/assignments
// (swagger operationId assign-a-conversation)
func (c *Client) AssignAgent(ctx context.Context, accountID, conversationID, agentID int64) error {
	_, err := do[struct{}](ctx, c, call{endpoint: "assign_agent", method: http.MethodPost, account: accountID,
		path: fmt.Sprintf("conversations/%d/assignments", conversationID), body: map[string]int64{"assignee_id": agentID}})
	return err
}

// SetCustomAttributes replaces the conversation's whole custom_attributes hash: pass every
// key to keep.
//
// Specs: POST /api/v1/accounts/{account_id}/conversations/{conversation_id}/custom_attributes
// (swagger operationId update-custom-attributes-of-a-conversation)
func (c *Client) SetCustomAttributes(ctx context.Context, accountID, conversationID int64, attrs map[string]any) error {
	if attrs == nil {
		attrs = map[string]any{}
	}
	_, err := do[struct{}](ctx, c, call{endpoint: "set_custom_attributes", method: http.MethodPost, account: accountID,
		path: fmt.Sprintf("conversations/%d/custom_attributes", conversationID), body: map[string]any{"custom_attributes": attrs}})
	return err
}

// ToggleTyping shows or hides the typing indicator (bot tokens since Chatwoot 4.12).
//
// Specs: POST /api/v1/accounts/{account_id}/conversations/{conversation_id}/toggle_typing_status
// (swagger operationId toggle-typing-status-of-a-conversation)
func (c *Client) ToggleTyping(ctx context.Context, accountID, conversationID int64, on bool) error {
	status := "off"
	if on {
		status = "on"
	}
	_, err := do[struct{}](ctx, c, call{endpoint: "toggle_typing", method: http.MethodPost, account: accountID,
		path: fmt.Sprintf("conversations/%d/toggle_typing_status", conversationID), body: map[string]string{"typing_status": status}})
	return err
}

// SetLabels replaces the conversation's labels. Needs the user token.
//
// Specs: POST /api/v1/accounts/{account_id}/conversations/{conversation_id}/labels
// (swagger operationId conversation-add-labels)
func (c *Client) SetLabels(ctx context.Context, accountID, conversationID int64, labels []string) error {
	if labels == nil {
		labels = []string{}
	}
	_, err := do[struct{}](ctx, c, call{endpoint: "set_labels", method: http.MethodPost, account: accountID, token: userOnly,
		path: fmt.Sprintf("conversations/%d/labels", conversationID), body: map[string][]string{"labels": labels}})
	return err
}

// ListMessages reads a page of a conversation's messages, oldest first: the latest 20
// with before 0, else the 20 just before the message of id before (Chatwoot's
// MessageFinder). Needs the user token.
//
// Specs: GET /api/v1/accounts/{account_id}/conversations/{conversation_id}/messages
// (swagger operationId list-all-messages)
func (c *Client) ListMessages(ctx context.Context, accountID, conversationID, before int64) ([]Message, error) {
	type answer struct {
		Payload []Message `json:"payload"`
	}
	path := fmt.Sprintf("conversations/%d/messages", conversationID)
	if before > 0 {
		path += "?before=" + strconv.FormatInt(before, 10)
	}
	a, err := do[answer](ctx, c, call{endpoint: "list_messages", method: http.MethodGet, account: accountID, token: userOnly, path: path})
	if err != nil {
		return nil, err
	}
	return a.Payload, nil
}

// GetConversation reads a conversation. Needs the user token.
//
// Specs: GET /api/v1/accounts/{account_id}/conversations/{conversation_id}
// (swagger operationId get-details-of-a-conversation)
func (c *Client) GetConversation(ctx context.Context, accountID, conversationID int64) (*Conversation, error) {
	return do[Conversation](ctx, c, call{endpoint: "get_conversation", method: http.MethodGet, account: accountID, token: userOnly,
		path: fmt.Sprintf("conversations/%d", conversationID)})
}

// ListAgents lists the account's agents with their availability. Needs the user token.
//
// Specs: GET /api/v1/accounts/{account_id}/agents (swagger operationId get-account-agents)
func (c *Client) ListAgents(ctx context.Context, accountID int64) ([]Agent, error) {
	a, err := do[[]Agent](ctx, c, call{endpoint: "list_agents", method: http.MethodGet, account: accountID, token: userOnly, path: "agents"})
	if err != nil {
		return nil, err
	}
	return *a, nil
}

// ListInboxMembers lists the agents of an inbox. Needs the user token.
//
// Specs: GET /api/v1/accounts/{account_id}/inbox_members/{inbox_id} (swagger operationId get-inbox-members)
func (c *Client) ListInboxMembers(ctx context.Context, accountID, inboxID int64) ([]Agent, error) {
	type answer struct {
		Payload []Agent `json:"payload"`
	}
	a, err := do[answer](ctx, c, call{endpoint: "list_inbox_members", method: http.MethodGet, account: accountID, token: userOnly,
		path: fmt.Sprintf("inbox_members/%d", inboxID)})
	if err != nil {
		return nil, err
	}
	return a.Payload, nil
}

// ListTeamMembers lists a team's agents with their availability (user token).
//
// Specs: GET /api/v1/accounts/{account_id}/teams/{team_id}/team_members (get-team-members)
func (c *Client) ListTeamMembers(ctx context.Context, accountID, teamID int64) ([]Agent, error) {
	a, err := do[[]Agent](ctx, c, call{endpoint: "list_team_members", method: http.MethodGet, account: accountID, token: userOnly,
		path: fmt.Sprintf("teams/%d/team_members", teamID)})
	if err != nil {
		return nil, err
	}
	return *a, nil
}

// Inbox is what the bot needs of an inbox: its channel and business hours.
type Inbox struct {
	ID                  int64         `json:"id"`
	Name                string        `json:"name"`
	ChannelType         string        `json:"channel_type"`
	Timezone            string        `json:"timezone"`
	OutOfOfficeMessage  string        `json:"out_of_office_message"`
	WorkingHoursEnabled bool          `json:"working_hours_enabled"`
	WorkingHours        []WorkingHour `json:"working_hours"`
}

// WorkingHour is one weekday of an inbox's business hours; Chatwoot's nulls read as 0.
type WorkingHour struct {
	DayOfWeek    int  `json:"day_of_week"` // 0 is Sunday
	ClosedAllDay bool `json:"closed_all_day"`
	OpenAllDay   bool `json:"open_all_day"`
	OpenHour     int  `json:"open_hour"`
	OpenMinutes  int  `json:"open_minutes"`
	CloseHour    int  `json:"close_hour"`
	CloseMinutes int  `json:"close_minutes"`
}

// GetInbox reads an inbox. Needs the user token.
//
// Specs: GET /api/v1/accounts/{account_id}/inboxes/{id} (swagger operationId GetInbox)
func (c *Client) GetInbox(ctx context.Context, accountID, inboxID int64) (*Inbox, error) {
	return do[Inbox](ctx, c, call{endpoint: "get_inbox", method: http.MethodGet, account: accountID, token: userOnly,
		path: fmt.Sprintf("inboxes/%d", inboxID)})
}

// ListInboxes lists the account's inboxes. Needs the user token.
//
// Specs: GET /api/v1/accounts/{account_id}/inboxes (swagger operationId listAllInboxes)
func (c *Client) ListInboxes(ctx context.Context, accountID int64) ([]Inbox, error) {
	type answer struct {
		Payload []Inbox `json:"payload"`
	}
	a, err := do[answer](ctx, c, call{endpoint: "list_inboxes", method: http.MethodGet, account: accountID, token: userOnly, path: "inboxes"})
	if err != nil {
		return nil, err
	}
	return a.Payload, nil
}

// AgentBot is a bot registered in the account. Secret is only returned on creation and
// on reset.
type AgentBot struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	OutgoingURL string `json:"outgoing_url"`
	AccessToken string `json:"access_token"`
	Secret      string `json:"secret"`
}

// AgentBotInput registers or updates a webhook bot.
type AgentBotInput struct {
	Name        string
	Description string
	OutgoingURL string
}

func (in AgentBotInput) wire() map[string]string {
	return map[string]string{"name": in.Name, "description": in.Description, "outgoing_url": in.OutgoingURL, "bot_type": "webhook"}
}

// ListAgentBots lists the account's bots. Needs an administrator's user token.
//
// Specs: GET /api/v1/accounts/{account_id}/agent_bots (swagger operationId list-all-account-agent-bots)
func (c *Client) ListAgentBots(ctx context.Context, accountID int64) ([]AgentBot, error) {
	a, err := do[[]AgentBot](ctx, c, call{endpoint: "list_agent_bots", method: http.MethodGet, account: accountID, token: userOnly, path: "agent_bots"})
	if err != nil {
		return nil, err
	}
	return *a, nil
}

// CreateAgentBot registers a webhook bot; the answer holds its access token and secret.
//
// Specs: POST /api/v1/accounts/{account_id}/agent_bots (swagger operationId create-an-account-agent-bot)
func (c *Client) CreateAgentBot(ctx context.Context, accountID int64, in AgentBotInput) (*AgentBot, error) {
	return do[AgentBot](ctx, c, call{endpoint: "create_agent_bot", method: http.MethodPost, account: accountID, token: userOnly,
		path: "agent_bots", body: in.wire()})
}

// UpdateAgentBot changes a bot's name, description or outgoing URL.
//
// Specs: PATCH /api/v1/accounts/{account_id}/agent_bots/{id} (swagger operationId update-an-account-agent-bot)
func (c *Client) UpdateAgentBot(ctx context.Context, accountID, botID int64, in AgentBotInput) (*AgentBot, error) {
	return do[AgentBot](ctx, c, call{endpoint: "update_agent_bot", method: http.MethodPatch, account: accountID, token: userOnly,
		path: fmt.Sprintf("agent_bots/%d", botID), body: in.wire()})
}

// ResetAgentBotSecret issues a new webhook signing secret (Chatwoot 4.13+).
//
// Specs: POST /api/v1/accounts/{account_id}/agent_bots/{id}/reset_secret (not in swagger at
// v4.13.0; see api-examples.json reset_agent_bot_secret_admin_token)
func (c *Client) ResetAgentBotSecret(ctx context.Context, accountID, botID int64) (*AgentBot, error) {
	return do[AgentBot](ctx, c, call{endpoint: "reset_agent_bot_secret", method: http.MethodPost, account: accountID, token: userOnly,
		path: fmt.Sprintf("agent_bots/%d/reset_secret", botID)})
}

// SetInboxAgentBot connects a bot to an inbox; botID 0 disconnects it.
//
// Specs: POST /api/v1/accounts/{account_id}/inboxes/{id}/set_agent_bot (swagger operationId updateAgentBot)
func (c *Client) SetInboxAgentBot(ctx context.Context, accountID, inboxID, botID int64) error {
	body := map[string]any{"agent_bot": nil}
	if botID != 0 {
		body["agent_bot"] = botID
	}
	_, err := do[struct{}](ctx, c, call{endpoint: "set_inbox_agent_bot", method: http.MethodPost, account: accountID, token: userOnly,
		path: fmt.Sprintf("inboxes/%d/set_agent_bot", inboxID), body: body})
	return err
}

// GetInboxAgentBot returns the bot connected to an inbox, nil when there is none.
//
// Specs: GET /api/v1/accounts/{account_id}/inboxes/{id}/agent_bot (swagger operationId getInboxAgentBot)
func (c *Client) GetInboxAgentBot(ctx context.Context, accountID, inboxID int64) (*AgentBot, error) {
	type answer struct {
		AgentBot *AgentBot `json:"agent_bot"`
	}
	a, err := do[answer](ctx, c, call{endpoint: "get_inbox_agent_bot", method: http.MethodGet, account: accountID, token: userOnly,
		path: fmt.Sprintf("inboxes/%d/agent_bot", inboxID)})
	if err != nil {
		return nil, err
	}
	if a.AgentBot == nil || a.AgentBot.ID == 0 {
		return nil, nil
	}
	return a.AgentBot, nil
}

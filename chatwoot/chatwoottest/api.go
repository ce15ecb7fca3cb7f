package chatwoottest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/cwbot/cwbot/chatwoot"
)

// floodLimit is Chatwoot's conversation_message_per_minute_limit.
const floodLimit = 200

func (s *Server) routes() {
	// Allowed to bots (app/controllers/api/v1/accounts/base_controller allowlist).
	s.handle("POST conversations/{id}/messages", true, s.createMessage)
	s.handle("POST conversations/{id}/toggle_status", true, s.toggleStatus)
	s.handle("POST conversations/{id}/assignments", true, s.assign)
	s.handle("POST conversations/{id}/custom_attributes", true, s.setCustomAttributes)
	s.handle("POST conversations/{id}/toggle_typing_status", true, s.conversationOnly(func(*conversation, *apiCall) answer { return ok(nil) }))
	s.handle("POST conversations/{id}/toggle_priority", true, s.setPriority(false))
	s.handle("PATCH conversations/{id}", true, s.setPriority(true))
	// User tokens only.
	s.handle("GET conversations/{id}", false, s.conversationOnly(func(c *conversation, _ *apiCall) answer { return ok(s.conversationShowLocked(c)) }))
	s.handle("GET conversations/{id}/messages", false, s.listMessages)
	s.handle("GET conversations/{id}/labels", false, s.conversationOnly(func(c *conversation, _ *apiCall) answer { return ok(map[string]any{"payload": c.labels}) }))
	s.handle("POST conversations/{id}/labels", false, s.setLabels)
	s.handle("GET agents", false, s.listAgents)
	s.handle("GET inbox_members/{id}", false, s.listInboxMembers)
	s.handle("GET inboxes", false, s.listInboxes)
	s.handle("GET inboxes/{id}", false, s.getInbox)
	s.handle("GET inboxes/{id}/agent_bot", false, s.getInboxAgentBot)
	s.handle("POST inboxes/{id}/set_agent_bot", false, s.setInboxAgentBot)
	s.handle("GET teams", false, s.listTeams)
	s.handle("GET teams/{id}/team_members", false, s.listTeamMembers)
	s.handle("GET agent_bots", false, s.listAgentBots)
	s.handle("POST agent_bots", false, s.createAgentBot)
	s.handle("GET agent_bots/{id}", false, s.agentBot(func(b *chatwoot.AgentBot, _ *apiCall) answer { return ok(botJSON(s.opts.AccountID, b, false)) }))
	s.handle("PATCH agent_bots/{id}", false, s.agentBot(s.updateAgentBot))
	s.handle("POST agent_bots/{id}/reset_secret", false, s.agentBot(func(b *chatwoot.AgentBot, _ *apiCall) answer {
		b.Secret = randomHex(16)
		return ok(botJSON(s.opts.AccountID, b, true))
	}))
}

// conversationOnly looks the conversation up and runs h with s.mu held.
func (s *Server) conversationOnly(h func(*conversation, *apiCall) answer) func(*apiCall) answer {
	return func(call *apiCall) answer {
		s.mu.Lock()
		defer s.mu.Unlock()
		c := s.conversations[call.id("id")]
		if c == nil {
			return notFound
		}
		return h(c, call)
	}
}

// changeConversation decodes the call's body into req, runs change on the conversation
// under the lock, and sends the webhooks change returns once the lock is released.
func (s *Server) changeConversation(call *apiCall, req any, change func(c *conversation) (answer, []job)) answer {
	if err := call.decode(req); err != nil {
		return answer{http.StatusBadRequest, errorBody(err.Error())}
	}
	var jobs []job
	defer func() { s.enqueueAll(jobs) }()
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.conversations[call.id("id")]
	if c == nil {
		return notFound
	}
	var res answer
	res, jobs = change(c)
	return res
}

func (s *Server) createMessage(call *apiCall) answer {
	var req struct {
		Content           string                     `json:"content"`
		Private           bool                       `json:"private"`
		ContentType       string                     `json:"content_type"`
		ContentAttributes map[string]json.RawMessage `json:"content_attributes"`
		TemplateParams    *struct {
			chatwoot.TemplateParams
			ProcessedParams struct {
				Body map[string]string `json:"body"`
			} `json:"processed_params"`
		} `json:"template_params"`
	}
	return s.changeConversation(call, &req, func(c *conversation) (answer, []job) {
		if req.ContentType == "" {
			req.ContentType = chatwoot.ContentText
		}
		var items []chatwoot.Item
		if raw := req.ContentAttributes["items"]; raw != nil {
			if err := json.Unmarshal(raw, &items); err != nil {
				return unprocessable("Validation failed: Content attributes items are not a list of title and value."), nil
			}
		}
		var attrs map[string]any
		for k, raw := range req.ContentAttributes {
			var v any
			if k == "items" || json.Unmarshal(raw, &v) != nil {
				continue
			}
			if attrs == nil {
				attrs = map[string]any{}
			}
			attrs[k] = v
		}
		if req.ContentType == chatwoot.ContentInputSelect && len(items) == 0 {
			return unprocessable("Validation failed: Content attributes At least one item is required."), nil
		}
		if s.recentMessagesLocked(c) >= floodLimit {
			return unprocessable("Validation failed: Too many messages"), nil
		}
		m := &Message{Content: req.Content, MessageType: chatwoot.MessageOutgoing, ContentType: req.ContentType, Private: req.Private,
			Items: items, Attributes: attrs, SenderType: chatwoot.SenderUser, SenderID: adminID}
		if call.auth.kind == "bot" {
			m.SenderType, m.SenderID = chatwoot.SenderAgentBot, call.auth.botID
		}
		if tp := req.TemplateParams; tp != nil {
			p := tp.TemplateParams
			p.Body = tp.ProcessedParams.Body
			m.TemplateParams = &p
		}
		jobs := s.postLocked(c, m, !s.opts.NoEcho)
		return ok(s.messageJSONLocked(c, m)), jobs
	})
}

func (s *Server) recentMessagesLocked(c *conversation) int {
	since, n := s.now().Add(-time.Minute), 0
	for _, m := range c.messages {
		if m.CreatedAt.After(since) {
			n++
		}
	}
	return n
}

// postLocked stores an outgoing message and returns the webhooks Chatwoot would send:
// message_created, then message_updated when WhatsApp refuses what Chatwoot accepted.
func (s *Server) postLocked(c *conversation, m *Message, echo bool) []job {
	s.addMessageLocked(c, m)
	var jobs []job
	if echo { // built only when sent: a payload costs more than the rest of the call
		jobs = append(jobs, s.messageJobLocked(chatwoot.EventMessageCreated, c, m))
	}
	if reason := s.whatsappRejectsLocked(c, m); reason != "" {
		m.Status, m.ExternalError = "failed", reason
		if echo {
			jobs = append(jobs, s.messageJobLocked(chatwoot.EventMessageUpdated, c, m))
		}
	}
	return jobs
}

func (s *Server) addMessageLocked(c *conversation, m *Message) {
	s.nextMessage++
	m.ID, m.ConversationID, m.CreatedAt = s.nextMessage, c.id, s.now()
	if m.Status == "" {
		m.Status = "sent"
	}
	if m.SourceID == "" && m.MessageType == chatwoot.MessageOutgoing && !m.Private && s.isWhatsAppLocked(c) {
		m.SourceID = fmt.Sprintf("wamid.fake%d", m.ID)
	}
	c.messages = append(c.messages, m)
	s.notifyLocked()
}

func (s *Server) isWhatsAppLocked(c *conversation) bool {
	return s.inboxes[c.inboxID].ChannelType == "Channel::Whatsapp"
}

// whatsappRejectsLocked is what Meta answers for a message Chatwoot passed on unchecked
// (issue #8288 for titles; the 24 h window for free-form text).
func (s *Server) whatsappRejectsLocked(c *conversation, m *Message) string {
	if m.Private || m.MessageType != chatwoot.MessageOutgoing || !s.isWhatsAppLocked(c) {
		return ""
	}
	if !c.canReply && m.TemplateParams == nil {
		return "Template not found or invalid template name"
	}
	if m.ContentType == chatwoot.ContentInputSelect {
		if err := chatwoot.ValidateItems(m.Items); err != nil {
			return "(#131009) Parameter value is not valid: " + err.Error()
		}
	}
	return ""
}

func (s *Server) toggleStatus(call *apiCall) answer {
	var req struct {
		Status string `json:"status"`
	}
	return s.changeConversation(call, &req, func(c *conversation) (answer, []job) {
		if !slices.Contains([]string{chatwoot.StatusOpen, chatwoot.StatusPending, chatwoot.StatusResolved, chatwoot.StatusSnoozed}, req.Status) {
			return unprocessable(fmt.Sprintf("'%s' is not a valid status", req.Status)), nil
		}
		// A bot's pending->open is bot_handoff!, which leaves @status unset: success is null.
		var success any = true
		if call.auth.kind == "bot" && c.status == chatwoot.StatusPending && req.Status == chatwoot.StatusOpen {
			success = nil
		}
		jobs := s.setStatusLocked(c, req.Status)
		if s.opts.NoEcho {
			jobs = nil
		}
		return ok(map[string]any{"meta": map[string]any{}, "payload": map[string]any{
			"success": success, "conversation_id": c.id, "current_status": c.status, "snoozed_until": nil}}), jobs
	})
}

// setStatusLocked changes the status and returns what Chatwoot 4.13 sends about it.
func (s *Server) setStatusLocked(c *conversation, status string) []job {
	prev := c.status
	if prev == status {
		return nil
	}
	c.status = status
	prevUpdated := c.updatedAt
	c.updatedAt = s.now()
	s.notifyLocked()
	var jobs []job
	switch status {
	case chatwoot.StatusOpen:
		jobs = append(jobs, s.conversationJobLocked(chatwoot.EventConversationOpened, c, nil))
	case chatwoot.StatusResolved:
		jobs = append(jobs, s.conversationJobLocked(chatwoot.EventConversationResolved, c, nil))
	}
	return append(jobs,
		s.conversationJobLocked(chatwoot.EventConversationStatusChanged, c, json.RawMessage("null")),
		s.conversationJobLocked(chatwoot.EventConversationUpdated, c, []any{
			change("status", prev, status), change("updated_at", isoTime(prevUpdated), isoTime(c.updatedAt))}))
}

func change(attr string, prev, cur any) map[string]any {
	return map[string]any{attr: map[string]any{"previous_value": prev, "current_value": cur}}
}

// updatedLocked returns the conversation_updated Chatwoot sends after any other change.
func (s *Server) updatedLocked(c *conversation, attr string, prev, cur any) []job {
	prevUpdated := c.updatedAt
	c.updatedAt = s.now()
	s.notifyLocked()
	if s.opts.NoEcho {
		return nil
	}
	return []job{s.conversationJobLocked(chatwoot.EventConversationUpdated, c, []any{
		change(attr, prev, cur), change("updated_at", isoTime(prevUpdated), isoTime(c.updatedAt))})}
}

func (s *Server) assign(call *apiCall) answer {
	var req struct {
		AssigneeID *int64 `json:"assignee_id"`
		TeamID     *int64 `json:"team_id"`
	}
	return s.changeConversation(call, &req, func(c *conversation) (answer, []job) {
		switch {
		// Case 1: an agent; assignee_id wins over team_id. An unknown id unassigns, as
		// Chatwoot's find_by returns nil.
		case req.AssigneeID != nil:
			a, known := s.agents[*req.AssigneeID]
			prev := c.assigneeID
			c.assigneeID = a.ID
			jobs := s.updatedLocked(c, "assignee_id", nullID(prev), nullID(c.assigneeID))
			if !known {
				return ok(nil), jobs
			}
			return ok(agentJSON(s.opts.AccountID, a)), jobs
		// Case 2: a team.
		case req.TeamID != nil:
			t, known := s.teams[*req.TeamID]
			prev := c.teamID
			c.teamID = t.id
			jobs := s.updatedLocked(c, "team_id", nullID(prev), nullID(c.teamID))
			if !known {
				return ok(nil), jobs
			}
			return ok(teamJSON(s.opts.AccountID, t)), jobs
		}
		return ok(nil), nil
	})
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func (s *Server) setCustomAttributes(call *apiCall) answer {
	var req struct {
		CustomAttributes map[string]any `json:"custom_attributes"`
	}
	return s.changeConversation(call, &req, func(c *conversation) (answer, []job) {
		prev := c.custom
		c.custom = req.CustomAttributes
		if c.custom == nil {
			c.custom = map[string]any{}
		}
		jobs := s.updatedLocked(c, "custom_attributes", prev, cloneMap(c.custom))
		return ok(map[string]any{"custom_attributes": c.custom}), jobs
	})
}

// setPriority serves toggle_priority (empty answer) and PATCH (the conversation).
func (s *Server) setPriority(patch bool) func(*apiCall) answer {
	return func(call *apiCall) answer {
		var req struct {
			Priority *string `json:"priority"`
		}
		return s.changeConversation(call, &req, func(c *conversation) (answer, []job) {
			prev := c.priority
			c.priority = ""
			if req.Priority != nil {
				c.priority = *req.Priority
			}
			var jobs []job
			if prev != c.priority {
				jobs = s.updatedLocked(c, "priority", nullString(prev), nullString(c.priority))
			}
			if patch {
				return ok(s.conversationShowLocked(c)), jobs
			}
			return ok(nil), jobs
		})
	}
}

func (s *Server) setLabels(call *apiCall) answer {
	var req struct {
		Labels []string `json:"labels"`
	}
	return s.changeConversation(call, &req, func(c *conversation) (answer, []job) {
		prev := c.labels
		c.labels = append([]string{}, req.Labels...)
		jobs := s.updatedLocked(c, "label_list", prev, c.labels)
		return ok(map[string]any{"payload": c.labels}), jobs
	})
}

func (s *Server) listMessages(call *apiCall) answer {
	return s.conversationOnly(func(c *conversation, call *apiCall) answer {
		payload := []any{}
		for _, m := range pageMessages(c.messages, call.query("after"), call.query("before")) {
			payload = append(payload, s.messageJSONLocked(c, m))
		}
		return ok(map[string]any{"meta": map[string]any{"labels": c.labels, "additional_attributes": map[string]any{},
			"contact": s.contactPush(c.contact), "agent_last_seen_at": nil, "assignee_last_seen_at": nil}, "payload": payload})
	})(call)
}

// pageMessages picks the page Chatwoot's MessageFinder answers (messages are in creation
// order, so in id order): the latest 20; with before, the 20 before that id; with after,
// up to 100 after it; with both, up to 1,000 from after (included) to before.
func pageMessages(msgs []*Message, after, before int64) []*Message {
	var out []*Message
	switch {
	case after > 0 && before > 0:
		for _, m := range msgs {
			if m.ID >= after && m.ID < before && len(out) < 1000 {
				out = append(out, m)
			}
		}
		return out
	case after > 0:
		for _, m := range msgs {
			if m.ID > after && len(out) < 100 {
				out = append(out, m)
			}
		}
		return out
	case before > 0:
		for _, m := range msgs {
			if m.ID < before {
				out = append(out, m)
			}
		}
	default:
		out = msgs
	}
	return out[max(0, len(out)-20):]
}

func (s *Server) listAgents(*apiCall) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []any{}
	for _, id := range sortedKeys(s.agents) {
		out = append(out, agentJSON(s.opts.AccountID, s.agents[id]))
	}
	return ok(out)
}

func (s *Server) listInboxMembers(call *apiCall) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, known := s.inboxes[call.id("id")]; !known {
		return notFound
	}
	out := []any{}
	for _, id := range s.members[call.id("id")] {
		if a, known := s.agents[id]; known {
			out = append(out, agentJSON(s.opts.AccountID, a))
		}
	}
	return ok(map[string]any{"payload": out})
}

func (s *Server) listTeamMembers(call *apiCall) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, known := s.teams[call.id("id")]
	if !known {
		return notFound
	}
	out := []any{}
	for _, id := range t.members {
		if a, known := s.agents[id]; known {
			out = append(out, agentJSON(s.opts.AccountID, a))
		}
	}
	return ok(out)
}

func (s *Server) listInboxes(*apiCall) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []any{}
	for _, id := range sortedKeys(s.inboxes) {
		out = append(out, inboxJSON(s.inboxes[id]))
	}
	return ok(map[string]any{"payload": out})
}

func (s *Server) getInbox(call *apiCall) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, known := s.inboxes[call.id("id")]
	if !known {
		return notFound
	}
	return ok(inboxJSON(in))
}

func (s *Server) getInboxAgentBot(call *apiCall) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, known := s.inboxes[call.id("id")]; !known {
		return notFound
	}
	b := s.bots[s.inboxBot[call.id("id")]]
	if b == nil {
		return ok(map[string]any{"agent_bot": nil})
	}
	return ok(map[string]any{"agent_bot": botJSON(s.opts.AccountID, b, false)})
}

func (s *Server) setInboxAgentBot(call *apiCall) answer {
	var req struct {
		AgentBot *int64 `json:"agent_bot"`
	}
	if err := call.decode(&req); err != nil {
		return answer{http.StatusBadRequest, errorBody(err.Error())}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := call.id("id")
	if _, known := s.inboxes[id]; !known {
		return notFound
	}
	if req.AgentBot == nil {
		delete(s.inboxBot, id)
		return ok(nil)
	}
	if s.bots[*req.AgentBot] == nil {
		return notFound
	}
	s.inboxBot[id] = *req.AgentBot
	return ok(nil)
}

func (s *Server) listTeams(*apiCall) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []any{}
	for _, id := range sortedKeys(s.teams) {
		out = append(out, teamJSON(s.opts.AccountID, s.teams[id]))
	}
	return ok(out)
}

func (s *Server) listAgentBots(*apiCall) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []any{}
	for _, id := range sortedKeys(s.bots) {
		out = append(out, botJSON(s.opts.AccountID, s.bots[id], false))
	}
	return ok(out)
}

type agentBotRequest struct {
	Name        *string `json:"name"`
	Description *string `json:"description"`
	OutgoingURL *string `json:"outgoing_url"`
	BotType     any     `json:"bot_type"`
}

func (r agentBotRequest) apply(b *chatwoot.AgentBot) {
	for dst, src := range map[*string]*string{&b.Name: r.Name, &b.Description: r.Description, &b.OutgoingURL: r.OutgoingURL} {
		if src != nil {
			*dst = *src
		}
	}
}

func (s *Server) createAgentBot(call *apiCall) answer {
	var req agentBotRequest
	if err := call.decode(&req); err != nil {
		return answer{http.StatusBadRequest, errorBody(err.Error())}
	}
	if req.Name == nil || *req.Name == "" {
		return unprocessable("Validation failed: Name can't be blank")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b := &chatwoot.AgentBot{ID: s.nextBot, AccessToken: randomHex(12), Secret: randomHex(16)}
	s.nextBot++
	req.apply(b)
	s.bots[b.ID] = b
	return ok(botJSON(s.opts.AccountID, b, true))
}

func (s *Server) agentBot(h func(*chatwoot.AgentBot, *apiCall) answer) func(*apiCall) answer {
	return func(call *apiCall) answer {
		s.mu.Lock()
		defer s.mu.Unlock()
		b := s.bots[call.id("id")]
		if b == nil {
			return notFound
		}
		return h(b, call)
	}
}

func (s *Server) updateAgentBot(b *chatwoot.AgentBot, call *apiCall) answer {
	var req agentBotRequest
	if err := call.decode(&req); err != nil {
		return answer{http.StatusBadRequest, errorBody(err.Error())}
	}
	req.apply(b)
	return ok(botJSON(s.opts.AccountID, b, false))
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func sortedKeys[V any](m map[int64]V) []int64 {
	keys := make([]int64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

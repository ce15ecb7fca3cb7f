package chatwoottest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/cwbot/cwbot/chatwoot"
)

// UserAgent is what Chatwoot's RestClient sends with webhooks.
const UserAgent = "rest-client/2.1.0 (linux x86_64) ruby/3.4.4p34"

// Errors of the scripting methods.
var (
	ErrNoWebhook = errors.New("chatwoottest: the inbox has no bot with an outgoing URL")
	ErrClosed    = errors.New("chatwoottest: server closed")
)

// Delivery is one webhook POST.
type Delivery struct {
	// ID is the X-Chatwoot-Delivery UUID, the same on redelivery.
	ID             string
	Event          string
	ConversationID int64
	MessageID      int64
	Body           []byte
	Status         int   // 0 when no answer came
	Err            error // transport error
	Latency        time.Duration
	URL            string
	secret         string
}

// OK reports whether the receiver answered 2xx.
func (d Delivery) OK() bool { return d.Err == nil && d.Status >= 200 && d.Status < 300 }

// job is a queued delivery; done is nil for echoes nobody waits for.
type job struct {
	d    Delivery
	done chan Delivery
}

// queue sends deliveries one at a time in order, like a single Sidekiq worker, so echoes
// never block the API answer that caused them.
type queue struct {
	mu      sync.Mutex
	cond    *sync.Cond
	jobs    []job
	pending int
	closing bool
	done    chan struct{}
}

func (s *Server) enqueueAll(jobs []job) {
	for _, j := range jobs {
		s.enqueue(j)
	}
}

func (s *Server) enqueue(j job) {
	s.q.mu.Lock()
	defer s.q.mu.Unlock()
	if s.q.closing {
		if j.done != nil {
			j.d.Err = ErrClosed
			j.done <- j.d
		}
		return
	}
	s.q.jobs = append(s.q.jobs, j)
	s.q.pending++
	s.q.cond.Signal()
}

func (s *Server) worker() {
	defer close(s.q.done)
	for {
		s.q.mu.Lock()
		for len(s.q.jobs) == 0 && !s.q.closing {
			s.q.cond.Wait()
		}
		if len(s.q.jobs) == 0 {
			s.q.mu.Unlock()
			return
		}
		j := s.q.jobs[0]
		s.q.jobs = s.q.jobs[1:]
		s.q.mu.Unlock()
		d := s.deliver(j.d)
		s.q.mu.Lock()
		s.q.pending--
		s.q.mu.Unlock()
		s.mu.Lock()
		s.notifyLocked()
		s.mu.Unlock()
		if j.done != nil {
			j.done <- d
		}
	}
}

// send queues deliveries and waits for them.
func (s *Server) send(ctx context.Context, ds []Delivery) ([]Delivery, error) {
	dones := make([]chan Delivery, len(ds))
	for i, d := range ds {
		dones[i] = make(chan Delivery, 1)
		s.enqueue(job{d: d, done: dones[i]})
	}
	out := make([]Delivery, 0, len(ds))
	for _, ch := range dones {
		select {
		case d := <-ch:
			if errors.Is(d.Err, ErrClosed) || errors.Is(d.Err, ErrNoWebhook) {
				return out, d.Err
			}
			out = append(out, d)
		case <-ctx.Done():
			return out, ctx.Err()
		}
	}
	return out, nil
}

func (s *Server) sendOne(ctx context.Context, jobs []job) (Delivery, error) {
	ds := make([]Delivery, len(jobs))
	for i, j := range jobs {
		ds[i] = j.d
	}
	out, err := s.send(ctx, ds)
	if err != nil {
		return Delivery{}, err
	}
	return out[len(out)-1], nil
}

// deliver POSTs one webhook as lib/webhooks/trigger.rb does and records the outcome.
func (s *Server) deliver(d Delivery) Delivery {
	// Chatwoot sends nothing when the inbox has no bot; only a waiting caller hears of it.
	if d.URL == "" {
		d.Err = ErrNoWebhook
		return d
	}
	req, err := http.NewRequest(http.MethodPost, d.URL, bytes.NewReader(d.Body))
	if err != nil {
		d.Err = err
		return s.recordDelivery(d)
	}
	for k, v := range s.headers(d.secret, s.now(), d.Body, d.ID) {
		req.Header[k] = v
	}
	start := time.Now()
	resp, err := s.hc.Do(req)
	d.Latency = time.Since(start)
	if err != nil {
		d.Err = err
	} else {
		d.Status = resp.StatusCode
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	d = s.recordDelivery(d)
	s.logf("delivered %s conversation=%d status=%d err=%v", d.Event, d.ConversationID, d.Status, d.Err)
	if !d.OK() && (d.Event == chatwoot.EventMessageCreated || d.Event == chatwoot.EventMessageUpdated) {
		s.botFailed(d.ConversationID)
	}
	return d
}

func (s *Server) recordDelivery(d Delivery) Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deliveries = append(s.deliveries, d)
	return d
}

// botFailed is Chatwoot giving up on a bot: a pending conversation goes to the agents.
func (s *Server) botFailed(convID int64) {
	s.mu.Lock()
	c := s.conversations[convID]
	if c == nil || c.status != chatwoot.StatusPending {
		s.mu.Unlock()
		return
	}
	s.addMessageLocked(c, &Message{Content: "Conversation was marked open by system due to an error with the agent bot.",
		MessageType: chatwoot.MessageActivity, ContentType: chatwoot.ContentText})
	jobs := s.setStatusLocked(c, chatwoot.StatusOpen)
	s.mu.Unlock()
	s.logf("conversation %d marked open: the bot failed a message event", convID)
	s.enqueueAll(jobs)
}

// headers are a delivery's headers: signed when there is a secret.
func (s *Server) headers(secret string, now time.Time, body []byte, id string) http.Header {
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("Accept", "*/*")
	h.Set("User-Agent", UserAgent)
	h.Set(chatwoot.HeaderDelivery, id)
	if secret != "" && !s.opts.Unsigned {
		h.Set(chatwoot.HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
		h.Set(chatwoot.HeaderSignature, chatwoot.Sign(secret, now.Unix(), body))
	}
	return h
}

// SignedHeaders returns the headers Chatwoot sends with body, signed with secret at ts:
// for crafting stale or wrongly signed requests.
func SignedHeaders(secret string, ts time.Time, body []byte, deliveryID string) http.Header {
	return (&Server{}).headers(secret, ts, body, deliveryID)
}

// SignedRequest returns the headers of a delivery of body signed now with the own bot's
// secret, as Chatwoot would send it.
func (s *Server) SignedRequest(body []byte) http.Header {
	s.mu.Lock()
	secret := s.bots[s.ownBotID].Secret
	s.mu.Unlock()
	return s.headers(secret, s.now(), body, newUUID())
}

// Deliveries returns the webhooks sent so far, in order.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.deliveries)
}

// SendRaw delivers body to the own bot; an empty deliveryID gets a fresh UUID.
func (s *Server) SendRaw(ctx context.Context, body []byte, deliveryID string) (Delivery, error) {
	if deliveryID == "" {
		deliveryID = newUUID()
	}
	var env struct {
		Event string `json:"event"`
	}
	json.Unmarshal(body, &env)
	s.mu.Lock()
	d := s.targetLocked(s.bots[s.ownBotID])
	s.mu.Unlock()
	d.ID, d.Event, d.Body = deliveryID, env.Event, slices.Clone(body)
	return s.sendOne(ctx, []job{{d: d}})
}

// Redeliver sends a delivery again as a Chatwoot retry does: same body and delivery id,
// fresh timestamp and signature.
func (s *Server) Redeliver(ctx context.Context, d Delivery) (Delivery, error) {
	d.Status, d.Err, d.Latency = 0, nil, 0
	return s.sendOne(ctx, []job{{d: d}})
}

func (s *Server) targetLocked(b *chatwoot.AgentBot) Delivery {
	if b == nil || b.OutgoingURL == "" {
		return Delivery{}
	}
	u := b.OutgoingURL
	if s.opts.WebhookToken != "" {
		if parsed, err := url.Parse(u); err == nil {
			q := parsed.Query()
			q.Set("token", s.opts.WebhookToken)
			parsed.RawQuery = q.Encode()
			u = parsed.String()
		}
	}
	return Delivery{URL: u, secret: b.Secret}
}

// newJobLocked addresses a webhook to the bot of the conversation's inbox; with no bot
// it still queues, to be recorded as ErrNoWebhook.
func (s *Server) newJobLocked(event string, c *conversation, msgID int64, body map[string]any) job {
	d := s.targetLocked(s.bots[s.inboxBot[c.inboxID]])
	b, _ := json.Marshal(body)
	d.ID, d.Event, d.ConversationID, d.MessageID, d.Body = newUUID(), event, c.id, msgID, b
	return job{d: d}
}

func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// Scripted customer and agent actions. Each stores what happened and delivers the
// webhooks Chatwoot sends, waiting for them, in order behind any queued echoes.

// CustomerSays is an incoming text from the contact. A resolved or snoozed conversation
// reopens as pending first, as it does with a bot on the inbox.
func (s *Server) CustomerSays(ctx context.Context, convID int64, text string) (Delivery, error) {
	return s.incoming(ctx, convID, text, 0)
}

// CustomerTaps is a WhatsApp reply-button tap: an incoming text whose content is the
// button title, answering message inReplyTo (the value is lost, as on WhatsApp).
func (s *Server) CustomerTaps(ctx context.Context, convID int64, title string, inReplyTo int64) (Delivery, error) {
	return s.incoming(ctx, convID, title, inReplyTo)
}

// CustomerSendsFile is a WhatsApp photo, voice note, video or document (fileType image,
// audio, video, file) with its caption ("" for none): an incoming message with an attachment.
func (s *Server) CustomerSendsFile(ctx context.Context, convID int64, fileType, caption string) (Delivery, error) {
	return s.incomingMessage(ctx, convID, &Message{Content: caption, FileType: fileType})
}

func (s *Server) incoming(ctx context.Context, convID int64, text string, inReplyTo int64) (Delivery, error) {
	return s.incomingMessage(ctx, convID, &Message{Content: text, InReplyTo: inReplyTo})
}

func (s *Server) incomingMessage(ctx context.Context, convID int64, m *Message) (Delivery, error) {
	s.mu.Lock()
	c := s.conversations[convID]
	if c == nil {
		s.mu.Unlock()
		return Delivery{}, errNotFound
	}
	var jobs []job
	if c.status == chatwoot.StatusResolved || c.status == chatwoot.StatusSnoozed {
		jobs = s.setStatusLocked(c, chatwoot.StatusPending)
	}
	m.MessageType, m.ContentType, m.SenderType, m.SenderID = chatwoot.MessageIncoming, chatwoot.ContentText, chatwoot.SenderContact, c.contact.id
	s.addMessageLocked(c, m)
	if s.isWhatsAppLocked(c) {
		m.SourceID = fmt.Sprintf("wamid.in%d", m.ID)
	}
	jobs = append(jobs, s.messageJobLocked(chatwoot.EventMessageCreated, c, m))
	s.mu.Unlock()
	return s.sendOne(ctx, jobs)
}

// WidgetSubmits is a web-widget visitor choosing item title of the bot's input_select
// message: Chatwoot writes the choice into the message's content_attributes.submitted_values
// and sends message_updated for that message; no new message is created (FACTS).
func (s *Server) WidgetSubmits(ctx context.Context, convID, messageID int64, title string) (Delivery, error) {
	s.mu.Lock()
	c := s.conversations[convID]
	var m *Message
	if c != nil {
		for _, o := range c.messages {
			if o.ID == messageID {
				m = o
			}
		}
	}
	if m == nil || m.ContentType != chatwoot.ContentInputSelect {
		s.mu.Unlock()
		return Delivery{}, fmt.Errorf("chatwoottest: conversation %d has no input_select message %d", convID, messageID)
	}
	for _, it := range m.Items {
		if it.Title == title {
			m.Submitted = []chatwoot.Item{it}
		}
	}
	if len(m.Submitted) == 0 {
		s.mu.Unlock()
		return Delivery{}, fmt.Errorf("chatwoottest: message %d has no item %q", messageID, title)
	}
	jobs := []job{s.messageJobLocked(chatwoot.EventMessageUpdated, c, m)}
	s.mu.Unlock()
	return s.sendOne(ctx, jobs)
}

// AgentSays is an agent's reply from the dashboard.
func (s *Server) AgentSays(ctx context.Context, convID, agentID int64, text string) (Delivery, error) {
	return s.post(ctx, convID, &Message{Content: text, MessageType: chatwoot.MessageOutgoing, SenderType: chatwoot.SenderUser, SenderID: agentID})
}

// AgentNote is an agent's private note; the bot receives those too.
func (s *Server) AgentNote(ctx context.Context, convID, agentID int64, text string) (Delivery, error) {
	return s.post(ctx, convID, &Message{Content: text, MessageType: chatwoot.MessageOutgoing, Private: true, SenderType: chatwoot.SenderUser, SenderID: agentID})
}

// TemplateMessage is one of Chatwoot's own automatic messages (greeting, out of office).
func (s *Server) TemplateMessage(ctx context.Context, convID int64, text string) (Delivery, error) {
	return s.post(ctx, convID, &Message{Content: text, MessageType: chatwoot.MessageTemplate})
}

func (s *Server) post(ctx context.Context, convID int64, m *Message) (Delivery, error) {
	m.ContentType = chatwoot.ContentText
	s.mu.Lock()
	c := s.conversations[convID]
	if c == nil {
		s.mu.Unlock()
		return Delivery{}, errNotFound
	}
	jobs := s.postLocked(c, m, true)
	s.mu.Unlock()
	ds, err := s.send(ctx, deliveriesOf(jobs))
	if err != nil || len(ds) == 0 {
		return Delivery{}, err
	}
	return ds[0], nil
}

func deliveriesOf(jobs []job) []Delivery {
	out := make([]Delivery, len(jobs))
	for i, j := range jobs {
		out[i] = j.d
	}
	return out
}

// SetStatus changes the status as an agent does and delivers what Chatwoot 4.13 sends:
// conversation_opened or conversation_resolved, conversation_status_changed and
// conversation_updated.
func (s *Server) SetStatus(ctx context.Context, convID int64, status string) ([]Delivery, error) {
	s.mu.Lock()
	c := s.conversations[convID]
	if c == nil {
		s.mu.Unlock()
		return nil, errNotFound
	}
	jobs := s.setStatusLocked(c, status)
	s.mu.Unlock()
	return s.send(ctx, deliveriesOf(jobs))
}

// Assign assigns an agent (0 unassigns) and delivers conversation_updated.
func (s *Server) Assign(ctx context.Context, convID, agentID int64) (Delivery, error) {
	s.mu.Lock()
	c := s.conversations[convID]
	if c == nil {
		s.mu.Unlock()
		return Delivery{}, errNotFound
	}
	prev := c.assigneeID
	c.assigneeID = agentID
	prevUpdated := c.updatedAt
	c.updatedAt = s.now()
	s.notifyLocked()
	j := s.conversationJobLocked(chatwoot.EventConversationUpdated, c, []any{
		change("assignee_id", nullID(prev), nullID(agentID)), change("updated_at", isoTime(prevUpdated), isoTime(c.updatedAt))})
	s.mu.Unlock()
	return s.sendOne(ctx, []job{j})
}

// Payloads, field by field from the v4.13 serializers (see chatwoot/testdata/payloads).

func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func epoch(t time.Time) float64 { return float64(t.UnixMicro()) / 1e6 }

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (s *Server) account() map[string]any {
	return map[string]any{"id": s.opts.AccountID, "name": "Acme Ltd"}
}

// contactWebhook is Contact#webhook_data (a message's sender, webwidget_triggered).
func (s *Server) contactWebhook(ct *contact) map[string]any {
	return map[string]any{"account": s.account(), "additional_attributes": cloneMap(ct.additional), "avatar": "",
		"custom_attributes": cloneMap(ct.custom), "email": nullString(ct.email), "id": ct.id, "identifier": nil,
		"name": ct.name, "phone_number": nullString(ct.phone), "thumbnail": "", "blocked": false}
}

// contactPush is Contact#push_event_data (conversation meta.sender).
func (s *Server) contactPush(ct *contact) map[string]any {
	return map[string]any{"additional_attributes": cloneMap(ct.additional), "custom_attributes": cloneMap(ct.custom),
		"email": nullString(ct.email), "id": ct.id, "identifier": nil, "name": ct.name, "phone_number": nullString(ct.phone),
		"thumbnail": "", "blocked": false, "type": chatwoot.SenderContact}
}

func (s *Server) userPushLocked(id int64) map[string]any {
	a, known := s.agents[id]
	if !known {
		a = Agent{ID: id, Name: "Admin", AvailableName: "Admin", AvailabilityStatus: "online"}
	}
	return map[string]any{"id": a.ID, "name": a.Name, "available_name": a.AvailableName, "avatar_url": "",
		"type": chatwoot.SenderUser, "availability_status": a.AvailabilityStatus, "thumbnail": ""}
}

func (s *Server) botPushLocked(id int64) map[string]any {
	name := ""
	if b := s.bots[id]; b != nil {
		name = b.Name
	}
	return map[string]any{"id": id, "name": name, "avatar_url": "", "type": chatwoot.SenderAgentBot}
}

// senderPushLocked is the sender inside conversation.messages and API answers.
func (s *Server) senderPushLocked(c *conversation, m *Message) any {
	switch m.SenderType {
	case chatwoot.SenderContact:
		return s.contactPush(c.contact)
	case chatwoot.SenderUser:
		return s.userPushLocked(m.SenderID)
	case chatwoot.SenderAgentBot:
		return s.botPushLocked(m.SenderID)
	}
	return nil
}

// senderWebhookLocked is the sender at the top of a message event: contacts carry no type.
func (s *Server) senderWebhookLocked(c *conversation, m *Message) any {
	switch m.SenderType {
	case chatwoot.SenderContact:
		return s.contactWebhook(c.contact)
	case chatwoot.SenderUser:
		u := s.agents[m.SenderID]
		return map[string]any{"id": m.SenderID, "name": u.Name, "email": u.Email, "type": chatwoot.SenderUser}
	case chatwoot.SenderAgentBot:
		p := s.botPushLocked(m.SenderID)
		delete(p, "avatar_url")
		return p
	}
	return nil
}

var senderClass = map[string]any{chatwoot.SenderContact: "Contact", chatwoot.SenderUser: "User", chatwoot.SenderAgentBot: "AgentBot"}

func (s *Server) contentAttributes(c *conversation, m *Message) map[string]any {
	out := map[string]any{}
	for k, v := range m.Attributes {
		out[k] = v
	}
	if len(m.Items) > 0 {
		out["items"] = m.Items
	}
	if m.InReplyTo != 0 {
		out["in_reply_to"] = m.InReplyTo
		for _, o := range c.messages {
			if o.ID == m.InReplyTo && o.SourceID != "" {
				out["in_reply_to_external_id"] = o.SourceID
			}
		}
	}
	if m.ExternalError != "" {
		out["external_error"] = m.ExternalError
	}
	if len(m.Submitted) > 0 {
		out["submitted_values"] = m.Submitted
	}
	return out
}

// messagePushLocked is Message#push_event_data, an entry of conversation.messages.
func (s *Server) messagePushLocked(c *conversation, m *Message) map[string]any {
	var senderType any
	if st, known := senderClass[m.SenderType]; known {
		senderType = st
	}
	return map[string]any{"id": m.ID, "content": m.Content, "account_id": s.opts.AccountID, "inbox_id": c.inboxID,
		"conversation_id": c.id, "message_type": m.MessageType.Int(), "created_at": m.CreatedAt.Unix(),
		"updated_at": isoTime(m.CreatedAt), "private": m.Private, "status": m.Status, "source_id": nullString(m.SourceID),
		"content_type": m.ContentType, "content_attributes": s.contentAttributes(c, m), "sender_type": senderType,
		"sender_id": nullID(m.SenderID), "external_source_ids": map[string]any{}, "additional_attributes": map[string]any{},
		"processed_message_content": m.Content, "sentiment": map[string]any{},
		"conversation": map[string]any{"assignee_id": nullID(c.assigneeID), "unread_count": 1,
			"last_activity_at": s.lastActivity(c).Unix(), "contact_inbox": map[string]any{"source_id": s.sourceID(c)}},
		"sender": s.senderPushLocked(c, m)}
}

// messageJSONLocked is a message as the messages API answers it.
func (s *Server) messageJSONLocked(c *conversation, m *Message) map[string]any {
	return map[string]any{"id": m.ID, "content": m.Content, "inbox_id": c.inboxID, "conversation_id": c.id,
		"message_type": m.MessageType.Int(), "content_type": m.ContentType, "status": m.Status,
		"content_attributes": s.contentAttributes(c, m), "created_at": m.CreatedAt.Unix(), "private": m.Private,
		"source_id": nullString(m.SourceID), "sender": s.senderPushLocked(c, m)}
}

func (s *Server) lastActivity(c *conversation) time.Time {
	if n := len(c.messages); n > 0 {
		return c.messages[n-1].CreatedAt
	}
	return c.createdAt
}

func (s *Server) sourceID(c *conversation) string {
	if c.contact.phone != "" {
		return trimPlus(c.contact.phone)
	}
	return fmt.Sprintf("contact-inbox-%d", c.contact.id)
}

func trimPlus(p string) string {
	if len(p) > 0 && p[0] == '+' {
		return p[1:]
	}
	return p
}

// conversationDataLocked is Conversation#push_event_data (webhook_data adds nothing a bot reads).
func (s *Server) conversationDataLocked(c *conversation) map[string]any {
	in := s.inboxes[c.inboxID]
	messages := []any{}
	for i := len(c.messages) - 1; i >= 0; i-- {
		if c.messages[i].MessageType != chatwoot.MessageActivity {
			messages = append(messages, s.messagePushLocked(c, c.messages[i]))
			break
		}
	}
	var assignee, assigneeType, teamData any
	if c.assigneeID != 0 {
		assignee, assigneeType = s.userPushLocked(c.assigneeID), "User"
	}
	if t, known := s.teams[c.teamID]; known {
		teamData = map[string]any{"id": t.id, "name": t.name}
	}
	created := isoTime(c.createdAt)
	return map[string]any{
		"additional_attributes": map[string]any{}, "can_reply": c.canReply, "channel": in.ChannelType,
		"contact_inbox": map[string]any{"id": 2000 + c.contact.id, "contact_id": c.contact.id, "inbox_id": c.inboxID,
			"source_id": s.sourceID(c), "created_at": created, "updated_at": created, "hmac_verified": false,
			"pubsub_token": fmt.Sprintf("pubsub%d", c.contact.id)},
		"id": c.id, "inbox_id": c.inboxID, "messages": messages, "labels": slices.Clone(c.labels),
		"meta": map[string]any{"sender": s.contactPush(c.contact), "assignee": assignee, "assignee_type": assigneeType,
			"team": teamData, "hmac_verified": false},
		"status": c.status, "custom_attributes": cloneMap(c.custom), "snoozed_until": nil, "unread_count": 1,
		"first_reply_created_at": nil, "priority": nullString(c.priority), "waiting_since": c.createdAt.Unix(),
		"agent_last_seen_at": 0, "contact_last_seen_at": 0, "last_activity_at": s.lastActivity(c).Unix(),
		"timestamp": s.lastActivity(c).Unix(), "created_at": c.createdAt.Unix(), "updated_at": epoch(c.updatedAt),
	}
}

func (s *Server) conversationShowLocked(c *conversation) map[string]any {
	out := s.conversationDataLocked(c)
	out["meta"].(map[string]any)["channel"] = s.inboxes[c.inboxID].ChannelType
	return out
}

// messageJobLocked builds a message event: the message at the top, the conversation nested.
func (s *Server) messageJobLocked(event string, c *conversation, m *Message) job {
	in := s.inboxes[c.inboxID]
	body := map[string]any{
		"account": s.account(), "additional_attributes": map[string]any{}, "content_attributes": s.contentAttributes(c, m),
		"content_type": m.ContentType, "content": m.Content, "conversation": s.conversationDataLocked(c),
		"created_at": isoTime(m.CreatedAt), "id": m.ID, "inbox": map[string]any{"id": in.ID, "name": in.Name},
		"message_type": string(m.MessageType), "private": m.Private, "sender": s.senderWebhookLocked(c, m),
		"source_id": nullString(m.SourceID), "event": event,
	}
	if m.FileType != "" {
		// Message#webhook_data: the attachments beside the content, which is the caption or
		// null (Attachment#push_event_data)
		if m.Content == "" {
			body["content"] = nil
		}
		body["attachments"] = []any{map[string]any{"id": m.ID, "message_id": m.ID, "file_type": m.FileType, "account_id": s.opts.AccountID,
			"extension": nil, "data_url": fmt.Sprintf("%s/rails/active_storage/blobs/%d/file", s.URL, m.ID), "thumb_url": "", "file_size": 23456}}
	}
	return s.newJobLocked(event, c, m.ID, body)
}

// conversationJobLocked builds a conversation event. changed nil leaves changed_attributes
// out (opened, resolved); json null or a list of single-key objects is sent as is.
func (s *Server) conversationJobLocked(event string, c *conversation, changed any) job {
	body := s.conversationDataLocked(c)
	body["event"] = event
	if changed != nil {
		body["changed_attributes"] = changed
	}
	return s.newJobLocked(event, c, 0, body)
}

func agentJSON(accountID int64, a Agent) map[string]any {
	return map[string]any{"id": a.ID, "account_id": accountID, "availability_status": a.AvailabilityStatus, "auto_offline": true,
		"confirmed": true, "email": a.Email, "provider": "email", "available_name": a.AvailableName, "name": a.Name,
		"role": a.Role, "thumbnail": ""}
}

func teamJSON(accountID int64, t team) map[string]any {
	return map[string]any{"id": t.id, "name": t.name, "description": "", "allow_auto_assign": true, "account_id": accountID}
}

func botJSON(account int64, b *chatwoot.AgentBot, withSecret bool) map[string]any {
	out := map[string]any{"id": b.ID, "name": b.Name, "description": b.Description, "thumbnail": "", "outgoing_url": b.OutgoingURL,
		"bot_type": "webhook", "bot_config": map[string]any{}, "account_id": account, "access_token": b.AccessToken, "system_bot": false}
	if withSecret {
		out["secret"] = b.Secret
	}
	return out
}

func inboxJSON(in Inbox) map[string]any {
	hours := []any{}
	for _, h := range in.WorkingHours {
		wh := map[string]any{"day_of_week": h.DayOfWeek, "closed_all_day": h.ClosedAllDay, "open_all_day": h.OpenAllDay,
			"open_hour": nil, "open_minutes": nil, "close_hour": nil, "close_minutes": nil}
		if !h.ClosedAllDay && !h.OpenAllDay {
			wh["open_hour"], wh["open_minutes"], wh["close_hour"], wh["close_minutes"] = h.OpenHour, h.OpenMinutes, h.CloseHour, h.CloseMinutes
		}
		hours = append(hours, wh)
	}
	return map[string]any{"id": in.ID, "name": in.Name, "channel_type": in.ChannelType, "greeting_enabled": false,
		"greeting_message": nil, "working_hours_enabled": in.WorkingHoursEnabled, "out_of_office_message": nullString(in.OutOfOfficeMessage),
		"timezone": in.Timezone, "working_hours": hours, "enable_auto_assignment": true}
}

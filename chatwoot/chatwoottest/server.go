// Package chatwoottest is a fake Chatwoot for tests and local runs: it serves the account
// API the bot calls, keeps conversation state, and sends webhooks shaped and signed as
// Chatwoot 4.13 sends them.
package chatwoottest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cwbot/cwbot/chatwoot"
)

// Agent and Inbox are the client's types, so scripted state and API answers compare directly.
type (
	Agent = chatwoot.Agent
	Inbox = chatwoot.Inbox
)

// Options configures the fake. The zero value is usable.
type Options struct {
	AccountID int64  // default 1
	InboxID   int64  // the WhatsApp inbox conversations start in; default 7
	BotToken  string // the access token of the fake's own agent bot; default "bot-token"
	UserToken string // an administrator's token; default "user-token"
	// WebhookURL is the own bot's outgoing_url; SetWebhookURL sets it later.
	WebhookURL string
	// WebhookSecret is the own bot's secret: deliveries are signed as Chatwoot 4.13 does.
	WebhookSecret string
	// WebhookToken is appended as ?token= to delivery URLs, as bots behind older Chatwoot
	// authenticate.
	WebhookToken string
	// Unsigned sends no signature headers even with a secret (Chatwoot before 4.13).
	Unsigned bool
	// NoEcho stops the webhooks real Chatwoot sends as a consequence of API calls (the
	// bot's own messages, status changes, WhatsApp failures).
	NoEcho bool
	// RateLimit throttles the API as Chatwoot's rack-attack does (RACK_ATTACK_LIMIT): at
	// most this many requests a minute per client IP address, in fixed windows of a minute
	// of Now, every request counted, refused ones too; past it, 429 "Retry later" with no
	// Retry-After. 0: no limit. SetRateLimit changes it.
	RateLimit int
	Now       func() time.Time
	Logf      func(format string, args ...any)
}

// Down is how the fake's API fails while it is down (SetDown).
type Down int

const (
	// Up answers.
	Up Down = iota
	// DownUnavailable answers every API request 503, as a proxy in front of a stopped
	// Chatwoot does.
	DownUnavailable
	// DownNoAnswer closes every connection before answering, as a Chatwoot that is
	// restarting or refusing connections: the client gets no answer at all.
	DownNoAnswer
)

// Request is one API request the fake answered.
type Request struct {
	Method, Path, Query string
	TokenKind           string // "bot", "user", "none" or "invalid"
	Body                []byte
	Status              int
	At                  time.Time
}

// Message is a message as the fake stores it.
type Message struct {
	ID             int64
	ConversationID int64
	Content        string
	MessageType    chatwoot.MessageType
	ContentType    string
	Private        bool
	Items          []chatwoot.Item
	TemplateParams *chatwoot.TemplateParams
	// SenderType is chatwoot.SenderContact, SenderUser, SenderAgentBot or "" (templates).
	SenderType    string
	SenderID      int64
	Status        string // sent or failed
	ExternalError string
	InReplyTo     int64
	// Submitted is what a web-widget visitor chose in this input_select.
	Submitted []chatwoot.Item
	SourceID  string
	CreatedAt time.Time
	// Attributes are the other content_attributes the poster gave: Chatwoot keeps the
	// hash as sent and shows it back.
	Attributes map[string]any
	// FileType is the kind of the file the message carries (image, audio, video, file...),
	// "" for none: Chatwoot sends it in the webhook's attachments.
	FileType string
}

// Conversation is a copy of a conversation's state.
type Conversation struct {
	ID, InboxID, ContactID int64
	Status                 string
	AssigneeID, TeamID     int64
	CustomAttributes       map[string]any
	Labels                 []string
	CanReply               bool
	Priority               string
	Messages               []Message
}

type contact struct {
	id                 int64
	name, phone, email string
	custom, additional map[string]any
}

type conversation struct {
	id, inboxID        int64
	contact            *contact
	status             string
	assigneeID, teamID int64
	custom             map[string]any
	labels             []string
	canReply           bool
	priority           string
	messages           []*Message
	createdAt          time.Time
	updatedAt          time.Time
}

type team struct {
	id      int64
	name    string
	members []int64
}

// Server is a running fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the base URL to give the client.
	URL string

	opts Options
	hs   *httptest.Server
	mux  *http.ServeMux
	hc   *http.Client

	mu            sync.Mutex
	changed       chan struct{}
	requests      []Request
	deliveries    []Delivery
	conversations map[int64]*conversation
	agents        map[int64]Agent
	inboxes       map[int64]Inbox
	members       map[int64][]int64
	teams         map[int64]team
	bots          map[int64]*chatwoot.AgentBot
	inboxBot      map[int64]int64
	ownBotID      int64
	nextConv      int64
	nextContact   int64
	nextMessage   int64
	nextBot       int64
	latency       time.Duration
	failNext      []failure
	failPaths     []failure
	down          Down
	rateLimit     int
	window        int64          // the rate limit's current minute (Unix time / 60)
	windowCounts  map[string]int // requests per client address in that minute
	throttled     int            // requests answered 429 by the rate limit

	q queue
}

type failure struct {
	substr     string
	n          int
	status     int
	retryAfter time.Duration
}

// adminID is the user behind the user token; it is not listed among the agents, so
// scripted agents are all there is to hand off to.
const adminID = 1

// New starts a fake; the caller must Close it.
func New(opts Options) *Server {
	if opts.AccountID == 0 {
		opts.AccountID = 1
	}
	if opts.InboxID == 0 {
		opts.InboxID = 7
	}
	if opts.BotToken == "" {
		opts.BotToken = "bot-token"
	}
	if opts.UserToken == "" {
		opts.UserToken = "user-token"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logf == nil {
		opts.Logf = func(string, ...any) {}
	}
	s := &Server{
		opts:          opts,
		mux:           http.NewServeMux(),
		hc:            &http.Client{Timeout: 5 * time.Second}, // WEBHOOK_TIMEOUT
		changed:       make(chan struct{}),
		conversations: map[int64]*conversation{},
		agents:        map[int64]Agent{},
		inboxes:       map[int64]Inbox{},
		members:       map[int64][]int64{},
		teams:         map[int64]team{},
		bots:          map[int64]*chatwoot.AgentBot{},
		inboxBot:      map[int64]int64{},
		ownBotID:      3,
		nextConv:      300,
		nextContact:   1200,
		nextMessage:   10000,
		nextBot:       4,
	}
	s.bots[s.ownBotID] = &chatwoot.AgentBot{ID: s.ownBotID, Name: "Acme Assistant", Description: "FAQ bot",
		OutgoingURL: opts.WebhookURL, AccessToken: opts.BotToken, Secret: opts.WebhookSecret}
	s.inboxes[opts.InboxID] = Inbox{ID: opts.InboxID, Name: "WhatsApp Support", ChannelType: "Channel::Whatsapp", Timezone: "UTC"}
	s.inboxBot[opts.InboxID] = s.ownBotID
	s.rateLimit = opts.RateLimit
	s.windowCounts = map[string]int{}
	s.routes()
	s.q.cond = sync.NewCond(&s.q.mu)
	s.q.done = make(chan struct{})
	go s.worker()
	s.hs = httptest.NewServer(s)
	s.URL = s.hs.URL
	return s
}

// NewServer starts a fake closed when the test ends; nil opts means defaults. Its log
// goes to t.Logf unless opts.Logf is set.
func NewServer(t testing.TB, opts *Options) *Server {
	t.Helper()
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Logf == nil {
		o.Logf = t.Logf
	}
	s := New(o)
	t.Cleanup(s.Close)
	return s
}

// Close delivers the webhooks already queued, drops any queued after, and stops the server.
func (s *Server) Close() {
	s.q.mu.Lock()
	if s.q.closing {
		s.q.mu.Unlock()
		return
	}
	s.q.closing = true
	s.q.cond.Broadcast()
	s.q.mu.Unlock()
	<-s.q.done
	s.hs.Close()
}

func (s *Server) now() time.Time { return s.opts.Now() }

func (s *Server) logf(format string, args ...any) { s.opts.Logf("chatwoottest: "+format, args...) }

// notifyLocked wakes WaitFor callers; s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// WaitFor returns once cond holds, checking after every change to the fake's state and
// on a short tick. cond may call the Server's methods.
func (s *Server) WaitFor(ctx context.Context, cond func(*Server) bool) error {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond(s) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("chatwoottest: wait: %w", ctx.Err())
		case <-ch:
		case <-tick.C:
		}
	}
}

// WaitMessages waits until the conversation has at least n outgoing messages (see Messages).
func (s *Server) WaitMessages(ctx context.Context, convID int64, n int) ([]Message, error) {
	var out []Message
	err := s.WaitFor(ctx, func(s *Server) bool { out = s.Messages(convID); return len(out) >= n })
	return out, err
}

// WaitDeliveries waits until at least n webhooks were delivered (or failed).
func (s *Server) WaitDeliveries(ctx context.Context, n int) ([]Delivery, error) {
	var out []Delivery
	err := s.WaitFor(ctx, func(s *Server) bool { out = s.Deliveries(); return len(out) >= n })
	return out, err
}

// Drain waits until every queued webhook has been delivered.
func (s *Server) Drain(ctx context.Context) error {
	return s.WaitFor(ctx, func(s *Server) bool {
		s.q.mu.Lock()
		defer s.q.mu.Unlock()
		return s.q.pending == 0
	})
}

// Requests returns the API requests answered so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Messages returns a conversation's outgoing messages in order: what the bot and agents
// posted, private notes included; not the customer's, templates or activities.
func (s *Server) Messages(convID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.conversations[convID]
	if c == nil {
		return nil
	}
	var out []Message
	for _, m := range c.messages {
		if m.MessageType == chatwoot.MessageOutgoing {
			out = append(out, copyMessage(m))
		}
	}
	return out
}

func copyMessage(m *Message) Message {
	out := *m
	out.Items = slices.Clone(m.Items)
	if m.TemplateParams != nil {
		tp := *m.TemplateParams
		out.TemplateParams = &tp
	}
	return out
}

// Conversation returns a copy of a conversation (zero when unknown), all messages included.
func (s *Server) Conversation(id int64) Conversation {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.conversations[id]
	if c == nil {
		return Conversation{}
	}
	out := Conversation{ID: c.id, InboxID: c.inboxID, ContactID: c.contact.id, Status: c.status, AssigneeID: c.assigneeID,
		TeamID: c.teamID, CustomAttributes: cloneMap(c.custom), Labels: slices.Clone(c.labels), CanReply: c.canReply, Priority: c.priority}
	for _, m := range c.messages {
		out.Messages = append(out.Messages, copyMessage(m))
	}
	return out
}

func cloneMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// FailNext answers the next n API requests, whatever they are, with status.
func (s *Server) FailNext(n, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext = append(s.failNext, failure{n: n, status: status})
}

// RateLimitNext answers the next n API requests with 429 and Retry-After in seconds.
func (s *Server) RateLimitNext(n int, retryAfter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext = append(s.failNext, failure{n: n, status: http.StatusTooManyRequests, retryAfter: retryAfter})
}

// FailPath answers the next n requests whose path contains substr with status.
func (s *Server) FailPath(substr string, n, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failPaths = append(s.failPaths, failure{substr: substr, n: n, status: status})
}

// SetDown makes every API request fail as d says, until SetDown(Up).
func (s *Server) SetDown(d Down) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = d
}

// SetRateLimit throttles the API at perMinute requests a minute per client address, as
// Options.RateLimit; 0 lifts the limit.
func (s *Server) SetRateLimit(perMinute int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rateLimit = perMinute
}

// Throttled is how many API requests the rate limit answered 429.
func (s *Server) Throttled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.throttled
}

// throttleLocked counts a request from addr in the current minute, as rack-attack's
// throttle('req/ip', limit:, period: 1.minute) does, and reports whether it is over the
// limit.
func (s *Server) throttleLocked(addr string) bool {
	if s.rateLimit <= 0 {
		return false
	}
	if host, _, err := net.SplitHostPort(addr); err == nil {
		addr = host
	}
	if w := s.now().Unix() / 60; w != s.window {
		s.window = w
		clear(s.windowCounts)
	}
	s.windowCounts[addr]++
	if s.windowCounts[addr] > s.rateLimit {
		s.throttled++
		return true
	}
	return false
}

// SetLatency delays every API answer by d.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// takeFailureLocked consumes a scripted failure matching path, if any.
func (s *Server) takeFailureLocked(path string) (failure, bool) {
	for _, list := range []*[]failure{&s.failPaths, &s.failNext} {
		for i := range *list {
			f := &(*list)[i]
			if f.n > 0 && strings.Contains(path, f.substr) {
				f.n--
				out := *f
				if f.n == 0 {
					*list = slices.Delete(*list, i, i+1)
				}
				return out, true
			}
		}
	}
	return failure{}, false
}

// AddAgent adds (or replaces) an agent of the account.
func (s *Server) AddAgent(a Agent) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a.Role == "" {
		a.Role = "agent"
	}
	if a.AvailabilityStatus == "" {
		a.AvailabilityStatus = "online"
	}
	if a.AvailableName == "" {
		a.AvailableName = a.Name
	}
	s.agents[a.ID] = a
	s.notifyLocked()
}

// SetAvailability sets an agent's availability_status: online, busy or offline.
func (s *Server) SetAvailability(agentID int64, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.agents[agentID]; ok {
		a.AvailabilityStatus = status
		s.agents[agentID] = a
	}
}

// SetInbox adds or replaces an inbox (business hours, timezone, channel). A new inbox
// gets the fake's own bot.
func (s *Server) SetInbox(in Inbox) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if in.ChannelType == "" {
		in.ChannelType = "Channel::Whatsapp"
	}
	if _, ok := s.inboxes[in.ID]; !ok {
		s.inboxBot[in.ID] = s.ownBotID
	}
	s.inboxes[in.ID] = in
}

// AddInboxMember makes an agent a member of an inbox.
func (s *Server) AddInboxMember(inboxID, agentID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !slices.Contains(s.members[inboxID], agentID) {
		s.members[inboxID] = append(s.members[inboxID], agentID)
	}
}

// AddTeam adds a team conversations can be assigned to.
func (s *Server) AddTeam(id int64, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.teams[id] = team{id: id, name: name}
}

// AddTeamMember puts an agent in a team (the team must exist).
func (s *Server) AddTeamMember(teamID, agentID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.teams[teamID]
	if !ok || slices.Contains(t.members, agentID) {
		return
	}
	t.members = append(t.members, agentID)
	s.teams[teamID] = t
}

// SetWebhookURL sets where the fake's own bot receives webhooks.
func (s *Server) SetWebhookURL(url string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bots[s.ownBotID].OutgoingURL = url
}

// SetCanReply opens or closes the WhatsApp 24 h window of a conversation.
func (s *Server) SetCanReply(convID int64, canReply bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.conversations[convID]; c != nil {
		c.canReply = canReply
	}
}

// ConversationSpec describes a conversation to start.
type ConversationSpec struct {
	ContactName string
	Phone       string
	// ContactAttributes are the contact's custom attributes (router_id, plan, ...).
	ContactAttributes map[string]any
	InboxID           int64  // default Options.InboxID
	Status            string // default pending, as with an active bot
	AssigneeID        int64
	CanReply          *bool // default true
	// Locale goes to the contact's additional_attributes.
	Locale string
}

// NewConversation starts a conversation and returns its display id. Chatwoot sends a bot
// no webhook for that: the customer's first message comes with CustomerSays.
func (s *Server) NewConversation(spec ConversationSpec) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if spec.InboxID == 0 {
		spec.InboxID = s.opts.InboxID
	}
	if spec.Status == "" {
		spec.Status = chatwoot.StatusPending
	}
	if spec.ContactName == "" {
		spec.ContactName = "Maria Silva"
	}
	s.nextContact++
	ct := &contact{id: s.nextContact, name: spec.ContactName, phone: spec.Phone, custom: cloneMap(spec.ContactAttributes), additional: map[string]any{}}
	if spec.Locale != "" {
		ct.additional["locale"] = spec.Locale
	}
	s.nextConv++
	now := s.now()
	c := &conversation{id: s.nextConv, inboxID: spec.InboxID, contact: ct, status: spec.Status, assigneeID: spec.AssigneeID,
		custom: map[string]any{}, labels: []string{}, canReply: spec.CanReply == nil || *spec.CanReply, createdAt: now, updatedAt: now}
	s.conversations[c.id] = c
	s.notifyLocked()
	return c.id
}

// statusWriter remembers the status for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

type authKey struct{}

type auth struct {
	kind  string
	botID int64
}

// ServeHTTP records the request, applies scripted latency and failures, authenticates
// like Chatwoot (api_access_token) and routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	s.mu.Lock()
	down := s.down
	throttled := down == Up && s.throttleLocked(r.RemoteAddr)
	a := s.authLocked(r.Header.Get("api_access_token"))
	latency := s.latency
	var fail failure
	var failing bool
	if down == Up && !throttled {
		fail, failing = s.takeFailureLocked(r.URL.Path)
	}
	s.mu.Unlock()
	if down == DownNoAnswer {
		s.mu.Lock()
		s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, TokenKind: a.kind,
			Body: body, Status: 0, At: s.now()})
		s.notifyLocked()
		s.mu.Unlock()
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler) // closes the connection without an answer
	}
	defer func() {
		s.mu.Lock()
		s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, TokenKind: a.kind,
			Body: body, Status: sw.status, At: s.now()})
		s.notifyLocked()
		s.mu.Unlock()
	}()
	if latency > 0 {
		select {
		case <-time.After(latency):
		case <-r.Context().Done():
			sw.status = 499 // what nginx logs for a client that went away
			return
		}
	}
	switch {
	// Case 0: down, or over the rate limit (rack-attack answers before Rails: no account,
	// no token checked).
	case down == DownUnavailable:
		writeJSON(sw, http.StatusServiceUnavailable, errorBody("fake: service unavailable"))
	case throttled:
		sw.Header().Set("Content-Type", "text/plain")
		sw.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(sw, "Retry later\n")
	// Case 1: a scripted failure, as a proxy or Rack::Attack in front of Chatwoot answers.
	case failing && fail.status == http.StatusTooManyRequests:
		if fail.retryAfter > 0 {
			sw.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(fail.retryAfter.Seconds()))))
		}
		sw.Header().Set("Content-Type", "text/plain")
		sw.WriteHeader(fail.status)
		io.WriteString(sw, "Retry later\n")
	case failing:
		writeJSON(sw, fail.status, errorBody(fmt.Sprintf("fake failure (%d)", fail.status)))
	// Case 2: no or an unknown token.
	case a.kind == "none":
		writeJSON(sw, http.StatusUnauthorized, map[string]any{"errors": []string{"You need to sign in or sign up before continuing."}})
	case a.kind == "invalid":
		writeJSON(sw, http.StatusUnauthorized, errorBody("Invalid Access Token"))
	// Case 3: a route, which checks the account and the bot allowlist.
	default:
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.mux.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), authKey{}, a)))
	}
}

func (s *Server) authLocked(token string) auth {
	switch {
	case token == "":
		return auth{kind: "none"}
	case token == s.opts.UserToken:
		return auth{kind: "user"}
	}
	for _, b := range s.bots {
		if b.AccessToken == token {
			return auth{kind: "bot", botID: b.ID}
		}
	}
	return auth{kind: "invalid"}
}

func errorBody(msg string) map[string]any { return map[string]any{"error": msg} }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if v != nil {
		json.NewEncoder(w).Encode(v)
	}
}

// apiCall is one routed request.
type apiCall struct {
	r    *http.Request
	auth auth
	body []byte
}

func (c *apiCall) id(name string) int64 {
	n, _ := strconv.ParseInt(c.r.PathValue(name), 10, 64)
	return n
}

// query is an integer query parameter (0 when absent or not a number).
func (c *apiCall) query(name string) int64 {
	n, _ := strconv.ParseInt(c.r.URL.Query().Get(name), 10, 64)
	return n
}

func (c *apiCall) decode(v any) error {
	if len(bytes.TrimSpace(c.body)) == 0 {
		return nil
	}
	return json.Unmarshal(c.body, v)
}

// answer is a handler's result: status and a body (nil for an empty one).
type answer struct {
	status int
	body   any
}

func ok(body any) answer { return answer{http.StatusOK, body} }

var (
	notFound    = answer{http.StatusNotFound, errorBody("Resource could not be found")}
	errNotFound = errors.New("chatwoottest: no such conversation")
)

func unprocessable(msg string) answer { return answer{http.StatusUnprocessableEntity, errorBody(msg)} }

// handle registers a route under the account; botOK marks the endpoints Chatwoot's
// allowlist lets an AgentBot token call.
func (s *Server) handle(pattern string, botOK bool, h func(*apiCall) answer) {
	method, path, _ := strings.Cut(pattern, " ")
	s.mux.HandleFunc(method+" /api/v1/accounts/{account}/"+path, func(w http.ResponseWriter, r *http.Request) {
		a, _ := r.Context().Value(authKey{}).(auth)
		if acc, _ := strconv.ParseInt(r.PathValue("account"), 10, 64); acc != s.opts.AccountID {
			writeJSON(w, http.StatusUnauthorized, errorBody("You are not authorized to access this account"))
			return
		}
		if a.kind == "bot" && !botOK {
			writeJSON(w, http.StatusUnauthorized, errorBody("Access to this endpoint is not authorized for bots"))
			return
		}
		body, _ := io.ReadAll(r.Body)
		res := h(&apiCall{r: r, auth: a, body: body})
		writeJSON(w, res.status, res.body)
	})
}

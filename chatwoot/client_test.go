package chatwoot_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cwbot/cwbot/chatwoot"
)

// recorded is what a test server saw of one request.
type recorded struct {
	method, path, token, contentType string
	body                             map[string]any
}

// serve starts a server answering status and body, recording the one request it gets.
func serve(t *testing.T, status int, body string, header http.Header) (*httptest.Server, *recorded) {
	t.Helper()
	rec := &recorded{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.method, rec.path, rec.token, rec.contentType = r.Method, r.URL.Path, r.Header.Get("api_access_token"), r.Header.Get("Content-Type")
		b, _ := io.ReadAll(r.Body)
		if len(b) > 0 {
			if err := json.Unmarshal(b, &rec.body); err != nil {
				t.Errorf("request body %q: %v", b, err)
			}
		}
		for k, v := range header {
			w.Header()[k] = v
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv, rec
}

func jsonEqual(t *testing.T, got map[string]any, want string) {
	t.Helper()
	var w map[string]any
	if want != "" {
		if err := json.Unmarshal([]byte(want), &w); err != nil {
			t.Fatal(err)
		}
	}
	gb, _ := json.Marshal(got)
	wb, _ := json.Marshal(w)
	if string(gb) != string(wb) {
		t.Fatalf("body=%s, want %s", gb, wb)
	}
}

func TestClient_Methods(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name       string
		respBody   string
		method     string
		path       string
		token      string
		reqBody    string
		call       func(c *chatwoot.Client) (any, error)
		wantResult func(v any) bool
	}{
		{
			name: "CreateMessageText", method: "POST", path: "/api/v1/accounts/1/conversations/318/messages", token: "bot",
			respBody: `{"id":9004,"content":"Hi","inbox_id":7,"conversation_id":318,"message_type":1,"content_type":"text","status":"sent","content_attributes":{},"created_at":1776690190,"private":false,"source_id":null,"sender":{"id":3,"name":"Acme Assistant","avatar_url":"","type":"agent_bot"}}`,
			reqBody:  `{"content":"Hi","message_type":"outgoing","private":false}`,
			call: func(c *chatwoot.Client) (any, error) {
				return c.CreateMessage(ctx, 1, 318, chatwoot.NewMessage{Content: "Hi"})
			},
			wantResult: func(v any) bool {
				m := v.(*chatwoot.Message)
				return m.ID == 9004 && m.MessageType == chatwoot.MessageOutgoing && m.Sender.Type == chatwoot.SenderAgentBot && m.CreatedAt.Unix() == 1776690190
			},
		},
		{
			name: "CreateMessageInputSelect", method: "POST", path: "/api/v1/accounts/1/conversations/318/messages", token: "bot",
			respBody: `{"id":9005}`,
			reqBody:  `{"content":"Pick","message_type":"outgoing","private":false,"content_type":"input_select","content_attributes":{"items":[{"title":"Track my order","value":"track"},{"title":"Talk to a human","value":"human"}]}}`,
			call: func(c *chatwoot.Client) (any, error) {
				return c.CreateMessage(ctx, 1, 318, chatwoot.NewMessage{Content: "Pick", Items: []chatwoot.Item{{Title: "Track my order", Value: "track"}, {Title: "Talk to a human", Value: "human"}}})
			},
		},
		{
			name: "CreateMessagePrivateNote", method: "POST", path: "/api/v1/accounts/1/conversations/318/messages", token: "bot",
			respBody: `{"id":9006,"private":true}`,
			reqBody:  `{"content":"summary","message_type":"outgoing","private":true}`,
			call: func(c *chatwoot.Client) (any, error) {
				return c.CreateMessage(ctx, 1, 318, chatwoot.NewMessage{Content: "summary", Private: true})
			},
		},
		{
			name: "CreateMessageTemplate", method: "POST", path: "/api/v1/accounts/1/conversations/318/messages", token: "bot",
			respBody: `{"id":9007}`,
			reqBody:  `{"content":"Hi Maria","message_type":"outgoing","private":false,"template_params":{"name":"order_shipped","category":"UTILITY","language":"en_US","processed_params":{"body":{"1":"Maria"}}}}`,
			call: func(c *chatwoot.Client) (any, error) {
				return c.CreateMessage(ctx, 1, 318, chatwoot.NewMessage{Content: "Hi Maria", TemplateParams: &chatwoot.TemplateParams{
					Name: "order_shipped", Category: "UTILITY", Language: "en_US", Body: map[string]string{"1": "Maria"}}})
			},
		},
		{
			name: "PostMessageInputSelect", method: "POST", path: "/api/v1/accounts/1/conversations/318/messages", token: "bot",
			respBody: `{"id":9008,"content":"Pick","message_type":1,"content_attributes":{"items":[{"title":"Yes","value":"yes"}],"cwbot_ref":"r-1"},"sender":{"id":3,"type":"agent_bot"}}`,
			reqBody:  `{"content":"Pick","message_type":"outgoing","private":false,"content_type":"input_select","content_attributes":{"items":[{"title":"Yes","value":"yes"}],"cwbot_ref":"r-1"}}`,
			call: func(c *chatwoot.Client) (any, error) {
				return c.PostMessage(ctx, 1, 318, chatwoot.NewMessage{Content: "Pick", Items: []chatwoot.Item{{Title: "Yes", Value: "yes"}}, Ref: "r-1"})
			},
			wantResult: func(v any) bool { return v.(int64) == 9008 },
		},
		{
			name: "ToggleStatusBotHandoff", method: "POST", path: "/api/v1/accounts/1/conversations/318/toggle_status", token: "bot",
			respBody:   `{"meta":{},"payload":{"success":null,"conversation_id":318,"current_status":"open","snoozed_until":null}}`,
			reqBody:    `{"status":"open"}`,
			call:       func(c *chatwoot.Client) (any, error) { return c.ToggleStatus(ctx, 1, 318, chatwoot.StatusOpen) },
			wantResult: func(v any) bool { return v.(string) == "open" },
		},
		{
			name: "AssignTeam", method: "POST", path: "/api/v1/accounts/1/conversations/318/assignments", token: "bot",
			respBody: `{"id":4,"name":"billing"}`, reqBody: `{"team_id":4}`,
			call: func(c *chatwoot.Client) (any, error) { return nil, c.AssignTeam(ctx, 1, 318, 4) },
		},
		{
			name: "AssignAgent", method: "POST", path: "/api/v1/accounts/1/conversations/318/assignments", token: "bot",
			respBody: `{"id":12}`, reqBody: `{"assignee_id":12}`,
			call: func(c *chatwoot.Client) (any, error) { return nil, c.AssignAgent(ctx, 1, 318, 12) },
		},
		{
			name: "SetCustomAttributes", method: "POST", path: "/api/v1/accounts/1/conversations/318/custom_attributes", token: "bot",
			respBody: `{"custom_attributes":{"bot_state":"x"}}`, reqBody: `{"custom_attributes":{"bot_state":"x","n":2}}`,
			call: func(c *chatwoot.Client) (any, error) {
				return nil, c.SetCustomAttributes(ctx, 1, 318, map[string]any{"bot_state": "x", "n": 2})
			},
		},
		{
			name: "ToggleTypingOn", method: "POST", path: "/api/v1/accounts/1/conversations/318/toggle_typing_status", token: "bot",
			reqBody: `{"typing_status":"on"}`,
			call:    func(c *chatwoot.Client) (any, error) { return nil, c.ToggleTyping(ctx, 1, 318, true) },
		},
		{
			name: "ToggleTypingOff", method: "POST", path: "/api/v1/accounts/1/conversations/318/toggle_typing_status", token: "bot",
			reqBody: `{"typing_status":"off"}`,
			call:    func(c *chatwoot.Client) (any, error) { return nil, c.ToggleTyping(ctx, 1, 318, false) },
		},
		{
			name: "SetLabels", method: "POST", path: "/api/v1/accounts/1/conversations/318/labels", token: "user",
			respBody: `{"payload":["refund"]}`, reqBody: `{"labels":["refund"]}`,
			call: func(c *chatwoot.Client) (any, error) { return nil, c.SetLabels(ctx, 1, 318, []string{"refund"}) },
		},
		{
			name: "GetConversation", method: "GET", path: "/api/v1/accounts/1/conversations/318", token: "user",
			respBody: `{"id":318,"inbox_id":7,"status":"open","can_reply":false,"labels":["a"],"meta":{"assignee":{"id":12,"name":"John"},"channel":"Channel::Whatsapp","sender":{"id":1203}},"custom_attributes":{"k":"v"},"timestamp":1776690182}`,
			call:     func(c *chatwoot.Client) (any, error) { return c.GetConversation(ctx, 1, 318) },
			wantResult: func(v any) bool {
				c := v.(*chatwoot.Conversation)
				return c.ID == 318 && !c.CanReply && c.Assignee.ID == 12 && c.Channel == "Channel::Whatsapp" && c.Contact.ID == 1203 && c.CustomAttributes["k"] == "v"
			},
		},
		{
			name: "ListAgents", method: "GET", path: "/api/v1/accounts/1/agents", token: "user",
			respBody: `[{"id":12,"account_id":1,"availability_status":"busy","email":"john@acme.example","available_name":"John","name":"John Agent","role":"agent"}]`,
			call:     func(c *chatwoot.Client) (any, error) { return c.ListAgents(ctx, 1) },
			wantResult: func(v any) bool {
				a := v.([]chatwoot.Agent)
				return len(a) == 1 && a[0] == chatwoot.Agent{ID: 12, Name: "John Agent", AvailableName: "John", Email: "john@acme.example", Role: "agent", AvailabilityStatus: "busy"}
			},
		},
		{
			name: "ListInboxMembers", method: "GET", path: "/api/v1/accounts/1/inbox_members/7", token: "user",
			respBody:   `{"payload":[{"id":12},{"id":13}]}`,
			call:       func(c *chatwoot.Client) (any, error) { return c.ListInboxMembers(ctx, 1, 7) },
			wantResult: func(v any) bool { a := v.([]chatwoot.Agent); return len(a) == 2 && a[1].ID == 13 },
		},
		{
			name: "GetInbox", method: "GET", path: "/api/v1/accounts/1/inboxes/7", token: "user",
			respBody: `{"id":7,"name":"WhatsApp Support","channel_type":"Channel::Whatsapp","working_hours_enabled":true,"out_of_office_message":"closed","timezone":"America/Sao_Paulo","working_hours":[{"day_of_week":0,"closed_all_day":true,"open_hour":null,"open_minutes":null,"close_hour":null,"close_minutes":null,"open_all_day":false},{"day_of_week":1,"closed_all_day":false,"open_hour":9,"open_minutes":30,"close_hour":17,"close_minutes":0,"open_all_day":false}]}`,
			call:     func(c *chatwoot.Client) (any, error) { return c.GetInbox(ctx, 1, 7) },
			wantResult: func(v any) bool {
				in := v.(*chatwoot.Inbox)
				return in.Timezone == "America/Sao_Paulo" && in.WorkingHoursEnabled && len(in.WorkingHours) == 2 &&
					in.WorkingHours[0] == chatwoot.WorkingHour{DayOfWeek: 0, ClosedAllDay: true} &&
					in.WorkingHours[1] == chatwoot.WorkingHour{DayOfWeek: 1, OpenHour: 9, OpenMinutes: 30, CloseHour: 17}
			},
		},
		{
			name: "ListAgentBots", method: "GET", path: "/api/v1/accounts/1/agent_bots", token: "user",
			respBody: `[{"id":3,"name":"Acme Assistant","outgoing_url":"https://bot/hook"}]`,
			call:     func(c *chatwoot.Client) (any, error) { return c.ListAgentBots(ctx, 1) },
			wantResult: func(v any) bool {
				b := v.([]chatwoot.AgentBot)
				return len(b) == 1 && b[0].OutgoingURL == "https://bot/hook"
			},
		},
		{
			name: "CreateAgentBot", method: "POST", path: "/api/v1/accounts/1/agent_bots", token: "user",
			respBody: `{"id":3,"name":"Acme Assistant","access_token":"tok","secret":"sec","outgoing_url":"https://bot/hook"}`,
			reqBody:  `{"name":"Acme Assistant","description":"FAQ","outgoing_url":"https://bot/hook","bot_type":"webhook"}`,
			call: func(c *chatwoot.Client) (any, error) {
				return c.CreateAgentBot(ctx, 1, chatwoot.AgentBotInput{Name: "Acme Assistant", Description: "FAQ", OutgoingURL: "https://bot/hook"})
			},
			wantResult: func(v any) bool {
				b := v.(*chatwoot.AgentBot)
				return b.ID == 3 && b.AccessToken == "tok" && b.Secret == "sec"
			},
		},
		{
			name: "UpdateAgentBot", method: "PATCH", path: "/api/v1/accounts/1/agent_bots/3", token: "user",
			respBody: `{"id":3}`, reqBody: `{"name":"B","description":"","outgoing_url":"https://new/hook","bot_type":"webhook"}`,
			call: func(c *chatwoot.Client) (any, error) {
				return c.UpdateAgentBot(ctx, 1, 3, chatwoot.AgentBotInput{Name: "B", OutgoingURL: "https://new/hook"})
			},
		},
		{
			name: "ResetAgentBotSecret", method: "POST", path: "/api/v1/accounts/1/agent_bots/3/reset_secret", token: "user",
			respBody:   `{"id":3,"secret":"new"}`,
			call:       func(c *chatwoot.Client) (any, error) { return c.ResetAgentBotSecret(ctx, 1, 3) },
			wantResult: func(v any) bool { return v.(*chatwoot.AgentBot).Secret == "new" },
		},
		{
			name: "SetInboxAgentBot", method: "POST", path: "/api/v1/accounts/1/inboxes/7/set_agent_bot", token: "user",
			reqBody: `{"agent_bot":3}`,
			call:    func(c *chatwoot.Client) (any, error) { return nil, c.SetInboxAgentBot(ctx, 1, 7, 3) },
		},
		{
			name: "RemoveInboxAgentBot", method: "POST", path: "/api/v1/accounts/1/inboxes/7/set_agent_bot", token: "user",
			reqBody: `{"agent_bot":null}`,
			call:    func(c *chatwoot.Client) (any, error) { return nil, c.SetInboxAgentBot(ctx, 1, 7, 0) },
		},
		{
			name: "GetInboxAgentBot", method: "GET", path: "/api/v1/accounts/1/inboxes/7/agent_bot", token: "user",
			respBody:   `{"agent_bot":{"id":3,"name":"Acme Assistant"}}`,
			call:       func(c *chatwoot.Client) (any, error) { return c.GetInboxAgentBot(ctx, 1, 7) },
			wantResult: func(v any) bool { return v.(*chatwoot.AgentBot).ID == 3 },
		},
		{
			name: "GetInboxAgentBotNone", method: "GET", path: "/api/v1/accounts/1/inboxes/7/agent_bot", token: "user",
			respBody:   `{"agent_bot":null}`,
			call:       func(c *chatwoot.Client) (any, error) { return c.GetInboxAgentBot(ctx, 1, 7) },
			wantResult: func(v any) bool { return v.(*chatwoot.AgentBot) == nil },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, rec := serve(t, http.StatusOK, tt.respBody, nil)
			var observed []string
			c := chatwoot.NewClient(srv.URL+"/", "bot", "user", chatwoot.WithObserver(func(endpoint string, status int, d time.Duration) {
				observed = append(observed, endpoint)
				if status != http.StatusOK {
					t.Errorf("observed status=%d", status)
				}
			}))
			v, err := tt.call(c)
			if err != nil {
				t.Fatal(err)
			}
			if rec.method != tt.method || rec.path != tt.path || rec.token != tt.token {
				t.Fatalf("request=%s %s token=%q, want %s %s token=%q", rec.method, rec.path, rec.token, tt.method, tt.path, tt.token)
			}
			if tt.reqBody != "" && rec.contentType != "application/json" {
				t.Fatalf("Content-Type=%q", rec.contentType)
			}
			jsonEqual(t, rec.body, tt.reqBody)
			if tt.wantResult != nil && !tt.wantResult(v) {
				t.Fatalf("result=%+v", v)
			}
			if len(observed) != 1 || strings.ContainsAny(observed[0], "/0123456789") {
				t.Fatalf("observed=%v, want one low-cardinality endpoint name", observed)
			}
		})
	}
}

func TestClient_UserTokenRequired(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	c := chatwoot.NewClient(srv.URL, "bot", "")
	ctx := context.Background()
	calls := map[string]func() error{
		"SetLabels":        func() error { return c.SetLabels(ctx, 1, 2, nil) },
		"GetConversation":  func() error { _, err := c.GetConversation(ctx, 1, 2); return err },
		"ListAgents":       func() error { _, err := c.ListAgents(ctx, 1); return err },
		"ListInboxMembers": func() error { _, err := c.ListInboxMembers(ctx, 1, 7); return err },
		"GetInbox":         func() error { _, err := c.GetInbox(ctx, 1, 7); return err },
		"ListAgentBots":    func() error { _, err := c.ListAgentBots(ctx, 1); return err },
		"CreateAgentBot":   func() error { _, err := c.CreateAgentBot(ctx, 1, chatwoot.AgentBotInput{}); return err },
		"SetInboxAgentBot": func() error { return c.SetInboxAgentBot(ctx, 1, 7, 3) },
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			if err := call(); !errors.Is(err, chatwoot.ErrNoUserToken) || chatwoot.Retryable(err) {
				t.Fatalf("err=%v, want ErrNoUserToken (not retryable)", err)
			}
		})
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("requests=%d, want none", n)
	}
	t.Run("BotCallsFallBackToUserToken", func(t *testing.T) {
		srv, rec := serve(t, http.StatusOK, "", nil)
		if err := chatwoot.NewClient(srv.URL, "", "user").ToggleTyping(ctx, 1, 2, true); err != nil {
			t.Fatal(err)
		}
		if rec.token != "user" {
			t.Fatalf("token=%q", rec.token)
		}
	})
}

func TestClient_Errors(t *testing.T) {
	date := time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)
	tests := []struct {
		name          string
		status        int
		body          string
		header        http.Header
		want          error
		retryable     bool
		retryAfterMin time.Duration
		retryAfterMax time.Duration
	}{
		{name: "NotFound", status: 404, body: `{"error":"Resource could not be found"}`, want: chatwoot.ErrNotFound},
		{name: "Unauthorized", status: 401, body: `{"error":"Access to this endpoint is not authorized for bots"}`, want: chatwoot.ErrUnauthorized},
		{name: "Forbidden", status: 403, want: chatwoot.ErrUnauthorized},
		{name: "Validation", status: 422, body: `{"error":"Validation failed: Content attributes At least one item is required."}`, want: chatwoot.ErrValidation},
		{name: "RateLimitedSeconds", status: 429, header: http.Header{"Retry-After": {"7"}}, want: chatwoot.ErrRateLimited, retryable: true, retryAfterMin: 7 * time.Second, retryAfterMax: 7 * time.Second},
		{name: "RateLimitedDate", status: 429, header: http.Header{"Retry-After": {date}}, want: chatwoot.ErrRateLimited, retryable: true, retryAfterMin: 80 * time.Second, retryAfterMax: 91 * time.Second},
		{name: "Unavailable", status: 503, body: "upstream down", retryable: true},
		{name: "RequestTimeout", status: 408, retryable: true},
		{name: "BadRequest", status: 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := serve(t, tt.status, tt.body, tt.header)
			_, err := chatwoot.NewClient(srv.URL, "secret-bot-token", "").CreateMessage(context.Background(), 1, 318, chatwoot.NewMessage{Content: "x"})
			var ae *chatwoot.APIError
			if !errors.As(err, &ae) || ae.StatusCode != tt.status || ae.Endpoint != "create_message" {
				t.Fatalf("err=%#v, want *APIError status %d", err, tt.status)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("err=%v, want errors.Is %v", err, tt.want)
			}
			if got := chatwoot.Retryable(err); got != tt.retryable {
				t.Fatalf("Retryable=%v, want %v", got, tt.retryable)
			}
			d, ok := chatwoot.RetryAfter(err)
			if ok != (tt.retryAfterMax > 0) || d < tt.retryAfterMin || d > tt.retryAfterMax {
				t.Fatalf("RetryAfter=%v,%v, want %v..%v", d, ok, tt.retryAfterMin, tt.retryAfterMax)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "chatwoot: create_message: status=") || !strings.Contains(msg, tt.body) || strings.Contains(msg, "secret-bot-token") {
				t.Fatalf("error message %q", msg)
			}
		})
	}
	t.Run("BodyTruncated", func(t *testing.T) {
		srv, _ := serve(t, 500, strings.Repeat("x", 5000), nil)
		err := chatwoot.NewClient(srv.URL, "b", "").ToggleTyping(context.Background(), 1, 2, true)
		var ae *chatwoot.APIError
		if !errors.As(err, &ae) || len(ae.Body) > 520 {
			t.Fatalf("err=%v", err)
		}
	})
	t.Run("NetworkError", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		var status = -1
		c := chatwoot.NewClient("http://"+addr, "b", "", chatwoot.WithObserver(func(_ string, s int, _ time.Duration) { status = s }))
		err = c.ToggleTyping(context.Background(), 1, 2, true)
		if err == nil || !chatwoot.Retryable(err) || !strings.HasPrefix(err.Error(), "chatwoot: toggle_typing: ") {
			t.Fatalf("err=%v, want a retryable transport error", err)
		}
		if status != 0 {
			t.Fatalf("observed status=%d, want 0", status)
		}
	})
	t.Run("Timeout", func(t *testing.T) {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}))
		defer srv.Close()
		defer close(release)
		err := chatwoot.NewClient(srv.URL, "b", "", chatwoot.WithTimeout(50*time.Millisecond)).ToggleTyping(context.Background(), 1, 2, true)
		if !errors.Is(err, context.DeadlineExceeded) || !chatwoot.Retryable(err) {
			t.Fatalf("err=%v, want a retryable deadline error", err)
		}
	})
	t.Run("CanceledIsNotRetryable", func(t *testing.T) {
		srv, _ := serve(t, 200, "", nil)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := chatwoot.NewClient(srv.URL, "b", "").ToggleTyping(ctx, 1, 2, true)
		if !errors.Is(err, context.Canceled) || chatwoot.Retryable(err) {
			t.Fatalf("err=%v", err)
		}
	})
	t.Run("UndecodableSuccessIsNotRetryable", func(t *testing.T) {
		srv, _ := serve(t, 200, "<html>", nil)
		_, err := chatwoot.NewClient(srv.URL, "b", "").CreateMessage(context.Background(), 1, 2, chatwoot.NewMessage{Content: "x"})
		if err == nil || chatwoot.Retryable(err) {
			t.Fatalf("err=%v, want a permanent decode error (the message may have been created)", err)
		}
		_, err = chatwoot.NewClient(srv.URL, "b", "").PostMessage(context.Background(), 1, 2, chatwoot.NewMessage{Content: "x"})
		if !errors.Is(err, chatwoot.ErrBadAnswer) || chatwoot.Retryable(err) {
			t.Fatalf("PostMessage: err=%v, want a permanent ErrBadAnswer", err)
		}
	})
	t.Run("WithHTTPClient", func(t *testing.T) {
		srv, rec := serve(t, 200, "", nil)
		hc := &http.Client{Timeout: time.Minute} // long enough for a loaded machine
		if err := chatwoot.NewClient(srv.URL, "b", "", chatwoot.WithHTTPClient(hc)).ToggleTyping(context.Background(), 1, 2, true); err != nil {
			t.Fatal(err)
		}
		if rec.path == "" || hc.Timeout != time.Minute {
			t.Fatalf("path=%q timeout=%v", rec.path, hc.Timeout)
		}
	})
}

func TestValidateItems(t *testing.T) {
	items := func(titles ...string) []chatwoot.Item {
		var out []chatwoot.Item
		for _, s := range titles {
			out = append(out, chatwoot.Item{Title: s, Value: s})
		}
		return out
	}
	many := func(n int) []chatwoot.Item {
		var t []string
		for i := range n {
			t = append(t, string(rune('a'+i)))
		}
		return items(t...)
	}
	tests := []struct {
		name    string
		items   []chatwoot.Item
		wantErr string // substring; empty means valid
	}{
		{"ThreeButtons", items("Track my order", "Talk to a human", "Opening hours"), ""},
		{"ButtonTitle20", items(strings.Repeat("b", 20)), ""},
		{"ButtonTitle21", items("ok", "Falar com um atendente"), `"Falar com um atendente" has 22 characters, the limit is 20`},
		{"ButtonTitleRunes", items("Atenção à cobrança"), ""}, // 22 bytes, 18 characters
		{"ListTitle24", append(items(strings.Repeat("l", 24)), many(3)...), ""},
		{"ListTitle25", append(items(strings.Repeat("l", 25)), many(3)...), "the limit is 24"},
		{"TenItems", many(10), ""},
		{"ElevenItems", many(11), "1 to 10 items, got 11"},
		{"None", nil, "got 0"},
		{"EmptyTitle", items("a", ""), "empty title"},
		{"Duplicate", items("Yes", "No", "Yes"), `duplicate title "Yes"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := chatwoot.ValidateItems(tt.items)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, chatwoot.ErrValidation) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err=%v, want ErrValidation containing %q", err, tt.wantErr)
			}
		})
	}
	t.Run("CreateMessageSendsNothing", func(t *testing.T) {
		var hits atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
		defer srv.Close()
		_, err := chatwoot.NewClient(srv.URL, "b", "").CreateMessage(context.Background(), 1, 2, chatwoot.NewMessage{
			Content: "Pick", Items: items("This title is too long")})
		if !errors.Is(err, chatwoot.ErrValidation) || chatwoot.Retryable(err) || !strings.Contains(err.Error(), "This title is too long") {
			t.Fatalf("err=%v", err)
		}
		if hits.Load() != 0 {
			t.Fatal("request sent")
		}
	})
}

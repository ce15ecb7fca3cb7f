package chatwoot_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cwbot/cwbot/chatwoot"
)

func readPayload(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "payloads", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestParseEvent_Payloads(t *testing.T) {
	tests := []struct {
		file  string
		check func(t *testing.T, ev *chatwoot.Event)
	}{
		{"message_created_incoming_whatsapp.json", func(t *testing.T, ev *chatwoot.Event) {
			m := ev.Message
			if m.ID != 9001 || m.ConversationID != 318 || m.MessageType != chatwoot.MessageIncoming || m.Private {
				t.Fatalf("message=%+v", m)
			}
			if m.Content != "Hi, I need help with my order" || m.ContentType != "text" || m.Status != "sent" {
				t.Fatalf("message=%+v", m)
			}
			if got, want := m.CreatedAt, time.Date(2026, 4, 20, 13, 2, 11, 493e6, time.UTC); !got.Equal(want) {
				t.Fatalf("CreatedAt=%v, want %v", got, want)
			}
			if m.Sender == nil || m.Sender.Type != chatwoot.SenderContact || m.Sender.ID != 1203 {
				t.Fatalf("sender=%+v", m.Sender)
			}
			if c := ev.Contact; c == nil || c.ID != 1203 || c.PhoneNumber != "+5511987654321" || c.Name != "Maria Silva" || c.Email != "" {
				t.Fatalf("contact=%+v", c)
			}
			c := ev.Conversation
			if c.ID != 318 || c.Status != chatwoot.StatusPending || !c.CanReply || c.Assignee != nil || c.Channel != "Channel::Whatsapp" {
				t.Fatalf("conversation=%+v", c)
			}
			if c.UpdatedAt != 1776690131.512345 {
				t.Fatalf("UpdatedAt=%v", c.UpdatedAt)
			}
			if len(c.Messages) != 1 || c.Messages[0].MessageType != chatwoot.MessageIncoming || c.Messages[0].CreatedAt.Unix() != 1776690131 {
				t.Fatalf("messages=%+v", c.Messages)
			}
		}},
		{"message_created_incoming_whatsapp_audio.json", func(t *testing.T, ev *chatwoot.Event) {
			m := ev.Message
			if m.Content != "" || m.MessageType != chatwoot.MessageIncoming || len(m.Attachments) != 1 || m.Attachments[0].FileType != "audio" {
				t.Fatalf("message=%+v, want no content and one audio attachment", m)
			}
		}},
		{"message_created_whatsapp_button_reply.json", func(t *testing.T, ev *chatwoot.Event) {
			a := ev.Message.ContentAttributes
			if ev.Message.Content != "Talk to a human" || a.InReplyTo != 9002 || a.InReplyToExternalID == "" {
				t.Fatalf("message=%+v", ev.Message)
			}
		}},
		{"message_created_outgoing_own_bot_message.json", func(t *testing.T, ev *chatwoot.Event) {
			m := ev.Message
			if m.MessageType != chatwoot.MessageOutgoing || m.Sender == nil || m.Sender.Type != chatwoot.SenderAgentBot || m.Sender.ID != 3 {
				t.Fatalf("message=%+v sender=%+v", m, m.Sender)
			}
			if m.ContentType != chatwoot.ContentInputSelect || len(m.ContentAttributes.Items) != 3 || m.ContentAttributes.Items[1] != (chatwoot.Item{Title: "Talk to a human", Value: "human"}) {
				t.Fatalf("items=%+v", m.ContentAttributes.Items)
			}
			if ev.Contact == nil || ev.Contact.ID != 1203 {
				t.Fatalf("contact=%+v (want the conversation's contact)", ev.Contact)
			}
		}},
		{"message_updated_outgoing_status.json", func(t *testing.T, ev *chatwoot.Event) {
			if ev.Message.Status != "delivered" || ev.Message.SourceID == "" {
				t.Fatalf("message=%+v", ev.Message)
			}
		}},
		{"message_updated_webwidget_input_select_submitted.json", func(t *testing.T, ev *chatwoot.Event) {
			sv := ev.Message.ContentAttributes.SubmittedValues
			if len(sv) != 1 || sv[0] != (chatwoot.Item{Title: "Track my order", Value: "track"}) {
				t.Fatalf("submitted=%+v", sv)
			}
			if ev.InboxID != 2 || ev.Conversation.Channel != "Channel::WebWidget" || ev.Conversation.AdditionalAttributes["browser_language"] != "pt" {
				t.Fatalf("conversation=%+v", ev.Conversation)
			}
		}},
		{"conversation_opened.json", func(t *testing.T, ev *chatwoot.Event) {
			c := ev.Conversation
			if ev.Message != nil || c.ID != 318 || c.Status != chatwoot.StatusOpen || c.UpdatedAt != 1776690184.2071 {
				t.Fatalf("conversation=%+v", c)
			}
			if c.Assignee == nil || c.Assignee.ID != 12 || c.Assignee.AvailableName != "John" || c.AssigneeType != "User" {
				t.Fatalf("assignee=%+v type=%q", c.Assignee, c.AssigneeType)
			}
			if ev.Contact == nil || ev.Contact.ID != 1203 || c.Contact != ev.Contact {
				t.Fatalf("contact=%+v", ev.Contact)
			}
			if ev.ChangedAttributes != nil {
				t.Fatalf("changed=%v", ev.ChangedAttributes)
			}
		}},
		{"conversation_status_changed.json", func(t *testing.T, ev *chatwoot.Event) {
			if ev.Conversation.Status != chatwoot.StatusOpen || ev.ChangedAttributes != nil {
				t.Fatalf("event=%+v", ev)
			}
		}},
		{"conversation_updated_back_to_pending.json", func(t *testing.T, ev *chatwoot.Event) {
			ch, ok := ev.ChangedAttributes["status"]
			if !ok || ch.Previous != "open" || ch.Current != "pending" || len(ev.ChangedAttributes) != 2 {
				t.Fatalf("changed=%+v", ev.ChangedAttributes)
			}
			if ev.Conversation.Status != chatwoot.StatusPending || ev.Conversation.Assignee == nil {
				t.Fatalf("conversation=%+v", ev.Conversation)
			}
		}},
		{"webwidget_triggered.json", func(t *testing.T, ev *chatwoot.Event) {
			if ev.Conversation != nil || ev.Message != nil || ev.InboxID != 2 {
				t.Fatalf("event=%+v", ev)
			}
			if ev.Contact == nil || ev.Contact.ID != 1310 || ev.EventInfo["widget_language"] != "pt_BR" {
				t.Fatalf("contact=%+v info=%v", ev.Contact, ev.EventInfo)
			}
		}},
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "payloads", "*.json"))
	if got, want := len(files), len(tests); got != want {
		t.Fatalf("payload files=%d, tests=%d: every payload needs a case", got, want)
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			ev, err := chatwoot.ParseEvent(readPayload(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if got, want := ev.AccountID, int64(1); got != want {
				t.Fatalf("AccountID=%d, want %d", got, want)
			}
			if ev.InboxID == 0 || ev.Name == "" {
				t.Fatalf("event=%+v", ev)
			}
			tt.check(t, ev)
		})
	}
}

func TestParseEvent_Errors(t *testing.T) {
	tests := []struct {
		name string
		body string
		want error
	}{
		{"NotJSON", `{"event":`, chatwoot.ErrBadPayload},
		{"Empty", ``, chatwoot.ErrBadPayload},
		{"Array", `[1,2]`, chatwoot.ErrBadPayload},
		{"NoEvent", `{"id":1}`, chatwoot.ErrNoEvent},
		{"EmptyEvent", `{"event":""}`, chatwoot.ErrNoEvent},
		{"Null", `null`, chatwoot.ErrNoEvent},
		{"WrongIDType", `{"event":"message_created","id":"x"}`, chatwoot.ErrBadPayload},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := chatwoot.ParseEvent([]byte(tt.body))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err=%v, want %v", err, tt.want)
			}
		})
	}
}

func TestParseEvent_Lenient(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		check func(*chatwoot.Event) bool
	}{
		{"CanReplyAbsentIsTrue", `{"event":"conversation_opened","id":5}`, func(ev *chatwoot.Event) bool {
			return ev.Conversation.CanReply && ev.AccountID == 0
		}},
		{"CanReplyFalse", `{"event":"conversation_opened","id":5,"can_reply":false}`, func(ev *chatwoot.Event) bool { return !ev.Conversation.CanReply }},
		{"MessageTypeInt", `{"event":"message_created","message_type":3,"sender":null}`, func(ev *chatwoot.Event) bool {
			return ev.Message.MessageType == chatwoot.MessageTemplate && ev.Message.Sender == nil
		}},
		{"MessageTypeUnknownInt", `{"event":"message_created","message_type":9}`, func(ev *chatwoot.Event) bool { return ev.Message.MessageType == "9" }},
		{"EpochCreatedAt", `{"event":"message_created","created_at":1776690131}`, func(ev *chatwoot.Event) bool { return ev.Message.CreatedAt.Unix() == 1776690131 }},
		{"OddContentAttributes", `{"event":"message_created","content_attributes":{"items":[{"title":1}],"in_reply_to":"42","external_error":{"code":131009}}}`, func(ev *chatwoot.Event) bool {
			a := ev.Message.ContentAttributes
			return a.InReplyTo == 42 && a.ExternalError == `{"code":131009}` && a.Items == nil
		}},
		{"ChangedAttributesObject", `{"event":"conversation_updated","changed_attributes":{"status":{"previous_value":"open","current_value":"resolved"}}}`, func(ev *chatwoot.Event) bool {
			return ev.ChangedAttributes["status"].Current == "resolved"
		}},
		{"BadChangedAttributesIgnored", `{"event":"conversation_updated","id":5,"status":"pending","changed_attributes":"status"}`, func(ev *chatwoot.Event) bool {
			return ev.ChangedAttributes == nil && ev.Conversation.Status == "pending" && len(ev.Repairs) == 1 && ev.Repairs[0].Field == "/changed_attributes"
		}},
		{"TeamAndAccount", `{"event":"conversation_updated","meta":{"team":{"id":4,"name":"billing"}},"messages":[{"account_id":9}]}`, func(ev *chatwoot.Event) bool {
			return ev.Conversation.TeamID == 4 && ev.AccountID == 9
		}},
		{"UnknownEvent", `{"event":"contact_created","account":{"id":2}}`, func(ev *chatwoot.Event) bool { return ev.AccountID == 2 && ev.Conversation == nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := chatwoot.ParseEvent([]byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(ev) {
				t.Fatalf("unexpected event %+v (message %+v, conversation %+v)", ev, ev.Message, ev.Conversation)
			}
		})
	}
}

// BenchmarkParseEvent reads the real 3.4 KB WhatsApp message webhook, which every
// customer message costs once.
func BenchmarkParseEvent(b *testing.B) {
	body := readPayload(b, "message_created_incoming_whatsapp.json")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := chatwoot.ParseEvent(body); err != nil {
			b.Fatal(err)
		}
	}
}

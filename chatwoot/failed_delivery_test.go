package chatwoot_test

import (
	"encoding/json"
	"testing"

	"github.com/cwbot/cwbot/chatwoot"
)

// Chatwoot's message webhook has no top-level "status"; a message Meta refused carries
// content_attributes.external_error, and conversation.messages holds only the
// conversation's last chat message (push_messages = [messages.chat.last]). When the failed
// message is not the last one, ParseEvent leaves Status empty, so pipeline/translate.go
// (which requires Status == "failed") never turns it into bot.DeliveryFailed.
func TestParseEventFailedMessageNotLast(t *testing.T) {
	var m map[string]any
	if err := json.Unmarshal(readPayload(t, "message_updated_outgoing_status.json"), &m); err != nil {
		t.Fatal(err)
	}
	m["content_attributes"].(map[string]any)["external_error"] = "131047: Re-engagement message"
	last := m["conversation"].(map[string]any)["messages"].([]any)[0].(map[string]any)
	last["id"], last["status"], last["content_type"], last["content_attributes"] = 9004, "sent", "text", map[string]any{}
	body, _ := json.Marshal(m)

	ev, err := chatwoot.ParseEvent(body)
	if err != nil {
		t.Fatal(err)
	}
	msg := ev.Message
	if msg.ContentAttributes.ExternalError == "" {
		t.Fatalf("external_error not read: %+v", msg.ContentAttributes)
	}
	if msg.Status != "failed" {
		t.Fatalf("message 9002 with external_error %q parsed with Status=%q, want \"failed\"", msg.ContentAttributes.ExternalError, msg.Status)
	}
}

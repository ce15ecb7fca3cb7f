package server_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/cwbot/cwbot/server"
)

// A WhatsApp delivery failure reaches the bot as message_updated. Chatwoot's
// Message#webhook_data carries no "status"; the failure shows as
// content_attributes.external_error on the message, and conversation.messages holds only
// the conversation's LAST chat message (Conversations::EventDataPresenter#push_messages:
// [messages.chat.last]). When the bot posted another message after the one Meta refused
// (two replies in a row, a pair rate limit, the 24 h window closing), the failed message is
// not conversation.messages[0], and the intake drops the failure as "ignored".
func TestFailedDeliveryOfEarlierMessageIsKept(t *testing.T) {
	l := startLive(t, server.Config{}, nil)
	body := edit(t, payload(t, "message_updated_outgoing_status"), func(m map[string]any) {
		// The message that failed: 9002, the bot's menu.
		m["content_attributes"].(map[string]any)["external_error"] = "131047: Re-engagement message"
		// The conversation's last chat message is the bot's next reply, 9004, sent.
		conv := m["conversation"].(map[string]any)
		last := conv["messages"].([]any)[0].(map[string]any)
		last["id"] = 9004
		last["content"] = "Your order #5521 ships tomorrow."
		last["content_type"] = "text"
		last["content_attributes"] = map[string]any{}
		last["status"] = "sent"
		last["source_id"] = nil
	})
	code, answer := l.post(body, time.Now(), "review-failed-earlier")
	if code != http.StatusOK || answer["status"] != "stored" {
		t.Fatalf("message_updated for failed message 9002 (external_error set, conversation.messages=[9004]): %d %v, want 200 stored", code, answer)
	}
}

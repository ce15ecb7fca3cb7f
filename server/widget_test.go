package server_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/cwbot/cwbot/server"
)

// A web-widget visitor's menu choice is a message_updated of the bot's own input_select,
// with content_attributes.submitted_values (FACTS): stored, once per message, while the
// same message's other updates are not.
func TestWidgetSubmissionStoredOnce(t *testing.T) {
	l := startLive(t, server.Config{}, nil)
	body := payload(t, "message_updated_webwidget_input_select_submitted")
	if code, answer := l.post(body, time.Now(), "widget-1"); code != http.StatusOK || answer["status"] != "stored" {
		t.Fatalf("submission: %d %v, want 200 stored", code, answer)
	}
	// A later update of the message (another delivery id) still carries the choice.
	if code, answer := l.post(body, time.Now(), "widget-2"); code != http.StatusOK || answer["status"] != "duplicate" {
		t.Fatalf("the choice again: %d %v, want 200 duplicate", code, answer)
	}
	// The same message without a choice is an ordinary update: nothing for the bot.
	plain := edit(t, body, func(m map[string]any) {
		delete(m["content_attributes"].(map[string]any), "submitted_values")
		m["id"] = 9102
	})
	if code, answer := l.post(plain, time.Now(), "widget-3"); code != http.StatusOK || answer["status"] != "ignored" {
		t.Fatalf("update without a choice: %d %v, want 200 ignored", code, answer)
	}
	if n := l.events(); n != 1 {
		t.Fatalf("%d events stored, want 1", n)
	}
}

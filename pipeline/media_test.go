package pipeline

import (
	"os"
	"testing"

	"github.com/cwbot/cwbot/bot"
	"github.com/cwbot/cwbot/chatwoot"
)

// A WhatsApp voice note reaches the bot as Chatwoot sends it: a message_created with
// content null and the file in attachments. It is the customer's message, carrying its
// file's kind, not a message without text to drop.
func TestTranslateVoiceNoteIsCustomerMessageWithMedia(t *testing.T) {
	body, err := os.ReadFile("../chatwoot/testdata/payloads/message_created_incoming_whatsapp_audio.json")
	if err != nil {
		t.Fatal(err)
	}
	ce, err := chatwoot.ParseEvent(body)
	if err != nil {
		t.Fatal(err)
	}
	ev, ok := translate(ce)
	if !ok {
		t.Fatal("translate dropped the voice note")
	}
	if ev.Kind != bot.CustomerMessage || ev.Media != "audio" || ev.Text != "" || ev.MessageID != 9003 {
		t.Fatalf("event=%+v, want a customer message with media audio and no text", ev)
	}
}

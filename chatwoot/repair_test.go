package chatwoot_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/cwbot/cwbot/chatwoot"
)

// mutate decodes a shared payload, lets edit change it, and encodes it again.
func mutate(t *testing.T, name string, edit func(p map[string]any)) []byte {
	t.Helper()
	var p map[string]any
	if err := json.Unmarshal(readPayload(t, name), &p); err != nil {
		t.Fatal(err)
	}
	edit(p)
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func hasRepair(ev *chatwoot.Event, field, reason string) bool {
	for _, r := range ev.Repairs {
		if r.Field == field && r.Reason == reason {
			return true
		}
	}
	return false
}

const incoming = "message_created_incoming_whatsapp.json"

// Values in a shape Chatwoot does not write are read when their meaning is plain, or
// ignored when the bot can do without them, and each is noted: the message is answered.
func TestParseEventReadsWhatCanBeRead(t *testing.T) {
	for _, tt := range []struct {
		name          string
		file          string
		edit          func(p map[string]any)
		field, reason string
		check         func(ev *chatwoot.Event) bool
	}{
		{"MessageIDAsText", incoming, func(p map[string]any) { p["id"] = "9001" }, "/id", chatwoot.RepairNumberText,
			func(ev *chatwoot.Event) bool { return ev.Message.ID == 9001 }},
		{"ContentAsNumber", incoming, func(p map[string]any) { p["content"] = 12345 }, "/content", chatwoot.RepairText,
			func(ev *chatwoot.Event) bool { return ev.Message.Content == "12345" }},
		{"MalformedCreatedAt", incoming, func(p map[string]any) { p["created_at"] = "yesterday at noon" }, "/created_at", chatwoot.RepairTime,
			func(ev *chatwoot.Event) bool {
				return ev.Message.CreatedAt.IsZero() && ev.Message.Content == "Hi, I need help with my order"
			}},
		{"ContactAttributesAsText", incoming, func(p map[string]any) {
			p["sender"].(map[string]any)["custom_attributes"] = "router_id=ZX-9900-AB12"
		}, "/sender/custom_attributes", chatwoot.RepairIgnored,
			func(ev *chatwoot.Event) bool {
				return ev.Contact != nil && ev.Contact.CustomAttributes == nil && ev.Contact.PhoneNumber == "+5511987654321"
			}},
		{"ConversationIDAsText", incoming, func(p map[string]any) { p["conversation"].(map[string]any)["id"] = "318" },
			"/conversation/id", chatwoot.RepairNumberText,
			func(ev *chatwoot.Event) bool { return ev.Conversation.ID == 318 && ev.Message.ConversationID == 318 }},
		{"ConversationEventAttributesAsText", "conversation_opened.json", func(p map[string]any) {
			p["meta"].(map[string]any)["sender"].(map[string]any)["custom_attributes"] = "vip"
		}, "/meta/sender/custom_attributes", chatwoot.RepairIgnored,
			func(ev *chatwoot.Event) bool {
				return ev.Conversation != nil && ev.Contact != nil && ev.Contact.CustomAttributes == nil
			}},
		{"StatusChangedIDAsText", "conversation_status_changed.json", func(p map[string]any) { p["id"] = "318" }, "/id", chatwoot.RepairNumberText,
			func(ev *chatwoot.Event) bool { return ev.Conversation.ID == 318 }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := chatwoot.ParseEvent(mutate(t, tt.file, tt.edit))
			if err != nil {
				t.Fatalf("dropped: %v", err)
			}
			if !hasRepair(ev, tt.field, tt.reason) {
				t.Fatalf("repairs %+v, want %s at %s", ev.Repairs, tt.reason, tt.field)
			}
			if !tt.check(ev) {
				t.Fatalf("read %+v (message %+v)", ev, ev.Message)
			}
		})
	}
}

// All four at once: one event, four repairs, the same message.
func TestParseEventRepairsEveryOddValue(t *testing.T) {
	ev, err := chatwoot.ParseEvent(mutate(t, incoming, func(p map[string]any) {
		p["id"], p["content"], p["created_at"] = "9001", 404, "not a time"
		p["sender"].(map[string]any)["custom_attributes"] = "x"
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(ev.Repairs) != 4 || ev.Message.ID != 9001 || ev.Message.Content != "404" || ev.Message.MessageType != chatwoot.MessageIncoming {
		t.Fatalf("read %+v with repairs %+v", ev.Message, ev.Repairs)
	}
	// A well-formed payload has none.
	ev, err = chatwoot.ParseEvent(readPayload(t, incoming))
	if err != nil || len(ev.Repairs) != 0 {
		t.Fatalf("the shared payload: err=%v repairs=%+v", err, ev.Repairs)
	}
}

// What the bot cannot answer without still fails the payload, with the field to blame.
func TestParseEventDropsWhatCannotBeRead(t *testing.T) {
	for _, tt := range []struct {
		name   string
		body   []byte
		reason string
	}{
		{"MessageIDNotANumber", mutate(t, incoming, func(p map[string]any) { p["id"] = "nine thousand" }), "unreadable_id"},
		{"ContentAnObject", mutate(t, incoming, func(p map[string]any) { p["content"] = map[string]any{"text": "hi"} }), "unreadable_content"},
		{"PrivateAsText", mutate(t, incoming, func(p map[string]any) { p["private"] = "no" }), "unreadable_private"},
		{"NotJSON", []byte(`{"event":"message_created",`), "not_json"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := chatwoot.ParseEvent(tt.body)
			if !errors.Is(err, chatwoot.ErrBadPayload) || chatwoot.DropReason(err) != tt.reason {
				t.Fatalf("err=%v (reason %q), want ErrBadPayload with reason %q", err, chatwoot.DropReason(err), tt.reason)
			}
		})
	}
}

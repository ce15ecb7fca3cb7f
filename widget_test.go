package main

import (
	"strings"
	"testing"

	"github.com/cwbot/cwbot/chatwoot"
	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
)

// TestWebWidgetMenuChoice: on a web-widget inbox a visitor's choice in the bot's menu is
// no new message: Chatwoot writes it into the menu message's submitted_values and sends
// message_updated (FACTS). The bot answers it as the tap it is, once, however many later
// updates of that message carry it again.
func TestWebWidgetMenuChoice(t *testing.T) {
	h := newHarness(t, nil, nil)
	h.start()
	h.cw.SetInbox(chatwoot.Inbox{ID: 9, Name: "Website", ChannelType: "Channel::WebWidget", Timezone: "UTC"})
	conv := h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Ana", InboxID: 9})
	h.says(conv, "hi")
	h.settle()
	msgs := h.public(conv)
	if len(msgs) != 1 || len(msgs[0].Items) == 0 || msgs[0].Items[0].Value != "update_router" {
		t.Fatalf("greeting: %q, want one menu starting with Update my router", contents(msgs))
	}
	menu := msgs[0]
	if _, err := h.cw.WidgetSubmits(h.ctx, conv, menu.ID, menu.Items[0].Title); err != nil {
		t.Fatal(err)
	}
	h.settle()
	msgs = h.public(conv)
	if len(msgs) != 2 || !strings.HasPrefix(msgs[1].Content, "Which router should I update?") {
		t.Fatalf("after choosing %q in the widget: %q, want the serial number asked", menu.Items[0].Title, contents(msgs))
	}
	// The same message updated again (read by the visitor, say) still carries the choice.
	if _, err := h.cw.WidgetSubmits(h.ctx, conv, menu.ID, menu.Items[0].Title); err != nil {
		t.Fatal(err)
	}
	h.settle()
	if msgs = h.public(conv); len(msgs) != 2 {
		t.Fatalf("the choice delivered again: %q, want it answered once", contents(msgs))
	}
}

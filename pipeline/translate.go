package pipeline

import (
	"github.com/cwbot/cwbot/bot"
	"github.com/cwbot/cwbot/chatwoot"
)

// translate turns a Chatwoot payload into the domain's event; ok is false for payloads
// the domain has no use for.
func translate(ce *chatwoot.Event) (bot.Event, bool) {
	ev := bot.Event{Snapshot: snapshot(ce.Conversation)}
	switch ce.Name {
	case "message_created":
		m := ce.Message
		if m == nil {
			return ev, false
		}
		switch {
		case m.MessageType == chatwoot.MessageIncoming && !m.Private:
			ev.Kind = bot.CustomerMessage
			ev.Text = m.Content
			if len(m.Attachments) > 0 {
				ev.Media = m.Attachments[0].FileType // a photo or voice note: the bot says it cannot open it
			}
			ev.MessageID = m.ID
			ev.Contact = contact(ce)
		case m.MessageType == chatwoot.MessageOutgoing && !m.Private && m.Sender != nil && m.Sender.Type == chatwoot.SenderUser:
			ev.Kind = bot.AgentMessage
			ev.Text = m.Content
		default:
			// The bot's own messages, private notes, templates and activities change
			// nothing but what the conversation payload says.
			ev.Kind = bot.ConversationChanged
		}
	case "message_updated":
		ev.Kind = bot.ConversationChanged
		if m := ce.Message; m != nil && m.MessageType == chatwoot.MessageOutgoing && !m.Private && len(m.ContentAttributes.SubmittedValues) > 0 {
			// A web-widget visitor chose an item of the bot's menu: the customer's answer,
			// as a WhatsApp button tap gives its title.
			it := m.ContentAttributes.SubmittedValues[0]
			ev.Kind = bot.CustomerMessage
			ev.Text = it.Title
			if ev.Text == "" {
				ev.Text = it.Value
			}
			ev.MessageID = m.ID
			ev.Contact = contact(ce)
			return ev, true
		}
		if m := ce.Message; m != nil && m.Status == "failed" && m.MessageType == chatwoot.MessageOutgoing && !m.Private &&
			m.Sender != nil && m.Sender.Type == chatwoot.SenderAgentBot {
			ev.Kind = bot.DeliveryFailed
			ev.Text = m.ContentAttributes.ExternalError
			if ev.Text == "" {
				ev.Text = "no reason given"
			}
		}
	case "conversation_opened", "conversation_resolved":
		ev.Kind = bot.ConversationChanged
	case "conversation_status_changed":
		ev.Kind = bot.ConversationChanged
		ev.StatusChanged = true
	case "conversation_updated":
		ev.Kind = bot.ConversationChanged
		_, ev.StatusChanged = ce.ChangedAttributes["status"]
	default:
		return ev, false
	}
	return ev, true
}

func snapshot(c *chatwoot.Conversation) *bot.Snapshot {
	if c == nil {
		return nil
	}
	s := &bot.Snapshot{InboxID: c.InboxID, Status: c.Status, UpdatedAt: c.UpdatedAt, CanReply: c.CanReply, Attributes: c.CustomAttributes, Labels: c.Labels}
	if c.Assignee != nil && c.Assignee.ID != 0 {
		s.AssigneeID = c.Assignee.ID
		s.AssigneeHuman = c.AssigneeType != "AgentBot"
	}
	return s
}

// contact gathers who wrote and the locale hints Chatwoot gives (web widget and API
// channels carry one; WhatsApp does not).
func contact(ce *chatwoot.Event) *bot.Contact {
	c := ce.Contact
	if c == nil && ce.Conversation != nil {
		c = ce.Conversation.Contact
	}
	if c == nil {
		return nil
	}
	out := &bot.Contact{ID: c.ID, Name: c.Name, Phone: c.PhoneNumber, Attributes: c.CustomAttributes}
	for _, attrs := range []map[string]any{c.AdditionalAttributes, conversationAttrs(ce)} {
		for _, k := range []string{"locale", "language", "browser_language"} {
			if s, ok := attrs[k].(string); ok && s != "" && out.Locale == "" {
				out.Locale = s
			}
		}
	}
	return out
}

func conversationAttrs(ce *chatwoot.Event) map[string]any {
	if ce.Conversation == nil {
		return nil
	}
	return ce.Conversation.AdditionalAttributes
}

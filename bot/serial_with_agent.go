package bot

import (
	"strings"
	"unicode"

	"github.com/cwbot/cwbot/intents"
)

// A serial the customer typed while an agent had the conversation ("oh!! yes there's a
// white one behind the telly, ZX-9900-AB12") is one the bot read and did not answer.
// After the hand-back, the update asked for ("ok can you update the ZX one then")
// proposes it, "the one you gave a moment ago?", with Yes and No: never asked for again as
// if it was not typed, and never updated without a yes. A contact with a router on file
// has that router and no other (routerID): nothing typed is kept for them.

// msgConfirmSerialWithAgent proposes the serial typed while an agent had the conversation.
const (
	msgConfirmSerialWithAgent        msgKey = "confirm_serial_with_agent"
	msgConfirmRestartSerialWithAgent msgKey = "confirm_restart_serial_with_agent"
)

// valSerialWithAgent marks the confirmation that proposes it (Conversation.Proposed).
const valSerialWithAgent = "serial_with_agent"

// keepSerialWithAgent keeps the one serial of a message written while an agent has the
// conversation, from a contact with no router on file.
func (b *Bot) keepSerialWithAgent(c *Conversation, text string) {
	if b.contactRouter(c) != "" {
		return
	}
	rd := intents.Reader{Lexicon: b.Lexicon, SerialPattern: b.RouterPattern, SerialShape: b.RouterShape}
	serials, _ := rd.Serials(text)
	if len(serials) == 1 && strings.ContainsFunc(serials[0], unicode.IsLetter) {
		c.SerialWithAgent = serials[0]
		c.nameSerial(serials[0])
	}
}

// proposeSerialWithAgent asks to confirm the update of the serial typed while an agent had
// the conversation, naming it as the one the customer gave, and keeps it in the
// conversation's attributes as a serial typed to the bot is (confirmTyped). The question
// comes first: the callers lead it with their words.
func (b *Bot) proposeSerialWithAgent(c *Conversation) []Action {
	serial := c.SerialWithAgent
	c.SerialWithAgent = ""
	c.RouterID, c.TypedRouter = serial, serial
	m := b.confirmMenu(c)
	m.Text = b.tf(b.voice(c), pick(b.RestartOnly, msgConfirmRestartSerialWithAgent, msgConfirmSerialWithAgent), "router", serial)
	c.Proposed = valSerialWithAgent
	return []Action{m, c.setAttributes(map[string]any{b.routerAttribute(): serial})}
}

// mainMenuBackSerialRule takes the serial in "ta bom entao, é zx9900ab12", "ok then, it's
// ZX-9900-AB12" right after an agent handed back a conversation about the router: the
// router to update, confirmed first (serial_typed), never the serial asked for as if the
// message had none.
var mainMenuBackSerialRule = rule{"main_menu_back_serial", func(t *turn) bool {
	return t.c.Proposed == valBackUpdate && serialTypedRule.when(t)
}, func(t *turn) []Action { return serialTypedRule.do(t) }}

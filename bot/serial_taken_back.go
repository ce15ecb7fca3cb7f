package bot

import (
	"fmt"
	"strings"

	"github.com/cwbot/cwbot/intents"
)

// A serial the customer takes back ("oh wait sorry that's my mum's old one", "acho que
// errei") is no description of their problem: the problem they told before stays the
// intake's answer the agent reads first. And the agent's note lists every serial the
// customer gave, the ones taken back too, with their words: the one taken back may be
// the right one after all.

// takesBackSerial reports a turn that takes back a serial the customer typed: a wrong
// router or someone else's said of it, with no trouble of the connection told. The
// contact has no router on file, or the router spoken of is one typed: every router the
// bot named was the customer's own words. "The router you have isn't mine" of the router
// on file is a problem for the agent (not on record), and stays one.
func (b *Bot) takesBackSerial(c *Conversation, r intents.Reading) bool {
	if r.Has(intents.ActConnectionComplaint) || r.Has(intents.ActOutageArea) {
		return false
	}
	if !r.Has(intents.ActWrongRouter) && !r.SomeoneElses {
		return false
	}
	own := b.contactRouter(c)
	return own == "" || c.TypedRouter != "" && !sameSerial(c.TypedRouter, own)
}

// takeBackSerial keeps, for the agent, a serial the customer took back and their words.
func (c *Conversation) takeBackSerial(serial, words string) {
	if serial == "" {
		return
	}
	c.nameSerial(serial)
	if c.TakenBack == nil {
		c.TakenBack = map[string]string{}
	}
	c.TakenBack[serial] = words
}

// serialNote says, in the agent's note, what became of a serial the customer gave: what
// the telco answered of it, and that the customer took it back, in their words.
func serialNote(c *Conversation, serial string) string {
	var notes []string
	if r := refusedNote(c, serial); r != "" {
		notes = append(notes, strings.TrimSuffix(strings.TrimPrefix(r, " ("), ")"))
	}
	for s, words := range c.TakenBack {
		if sameSerial(s, serial) {
			notes = append(notes, fmt.Sprintf("taken back by the customer: %q", clip(words, 120)))
			break
		}
	}
	if len(notes) == 0 {
		return ""
	}
	return " (" + strings.Join(notes, "; ") + ")"
}

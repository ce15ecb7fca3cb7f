package bot

import (
	"slices"
	"time"

	"github.com/cwbot/cwbot/intents"
)

// A customer with no router on file types the serial on the label. What they type is
// read as a support lead would: the letter O in a group of digits is a zero, told at the
// confirmation so they can check it; a serial picked out of a description of the label
// ("S/N then a long number 2231XB09") is named with a word to check it whole. And a
// customer with two routers has them updated one at a time: which one first is asked, the
// order said plainly, and the second offered once the first is done.

// StateChooseRouter is the question "which of your two routers first?": the two serials,
// and Both.
const StateChooseRouter State = "choose_router"

const valBoth = "both"

const (
	// the serial was typed with the letter O among its digits: read with zeros
	msgSerialZeros msgKey = "serial_zeros"
	// the serial was picked out of a description of the label: check it whole
	msgSerialCheck msgKey = "serial_check"
	// a second router named at the confirmation: which one first
	msgWhichRouterFirst msgKey = "which_router_first"
	// another router spoken of, no serial yet: this one first, the other after
	msgOtherRouterAfter msgKey = "other_router_after"
	// the order, once chosen: this one now, the other when it is done
	msgRoutersInTurn msgKey = "routers_in_turn"
	// the first router done: now the other one (serial known)
	msgNextRouter msgKey = "next_router"
	// the first router done: now the other one, whose serial is still to be typed
	msgNextRouterSerial msgKey = "next_router_serial"
	btnBothRouters      msgKey = "button_both_routers"
)

// NextRouter is a second router of the customer's, to be offered once the update of the
// first is done. Serial is empty while they have not typed it yet.
type NextRouter struct {
	Serial string `json:"serial,omitempty"`
}

// confirmTyped asks to confirm the update of a serial the customer typed; the letter O
// read as a zero, or a serial picked out of a description of the label, is said first.
func (b *Bot) confirmTyped(t *turn, serial string) []Action {
	c := t.c
	if short := b.serialShort(t, serial); short != nil {
		return short
	}
	c.RouterID, c.TypedRouter = serial, serial
	c.nameSerial(serial)   // for the agent's note, whatever becomes of it
	c.SerialWithAgent = "" // typed since: this one
	m := b.confirmMenu(c)
	switch {
	case t.r.SerialZeros && t.r.SerialOnes:
		m.Text = joinText(b.tf(b.voice(c), msgSerialZerosOnes, "router", serial), m.Text)
	case t.r.SerialZeros:
		m.Text = joinText(b.tf(b.voice(c), msgSerialZeros, "router", serial), m.Text)
	case t.r.SerialOnes:
		m.Text = joinText(b.tf(b.voice(c), msgSerialOnes, "router", serial), m.Text)
	case t.r.Has(intents.ActWhereSerial):
		m.Text = joinText(b.tf(b.voice(c), msgSerialCheck, "router", serial), m.Text)
	}
	return []Action{c.setAttributes(map[string]any{b.routerAttribute(): serial}), m}
}

// secondRouterNamed reports, at the confirmation of a typed serial (no router on file),
// another router of the customer's spoken of, or the serial of the one they announced.
func secondRouterNamed(t *turn) bool {
	if t.b.contactRouter(t.c) != "" || t.c.RouterID == "" {
		return false
	}
	_, serial := otherSerial(t.r.Serials, t.c.RouterID)
	if t.r.Corrects && serial {
		// "sorry I meant the other router, KT-2231-XB09": that one instead, not a second
		return false
	}
	return t.r.AnotherRouter || serial && t.c.NextRouter != nil && t.c.NextRouter.Serial == ""
}

// secondRouter answers another router spoken of at the confirmation: with its serial,
// which one first; without, this one first and the other's serial asked for after; the
// serial of the one announced so, this one first and that one after.
func (b *Bot) secondRouter(t *turn) []Action {
	c := t.c
	other, ok := otherSerial(t.r.Serials, c.RouterID)
	if !ok {
		c.NextRouter = &NextRouter{}
		m := b.confirmMenu(c)
		m.Text = joinText(b.tf(b.voice(c), msgOtherRouterAfter, "router", c.RouterID), m.Text)
		return []Action{m}
	}
	if c.NextRouter != nil && c.NextRouter.Serial == "" && !t.r.AnotherRouter {
		// the serial of the one announced, told this one comes first: the order again
		return b.routersInTurn(t, c.RouterID, other)
	}
	c.NextRouter = &NextRouter{Serial: other}
	return []Action{b.chooseRouterMenu(c)}
}

// chooseRouterMenu asks which of the two routers to update first: the one being
// confirmed (c.RouterID), the other (c.NextRouter), or both in that order.
func (b *Bot) chooseRouterMenu(c *Conversation) Action {
	first, second := c.RouterID, c.NextRouter.Serial
	c.ask(StateChooseRouter, []Item{
		{Title: first, Value: first},
		{Title: second, Value: second},
		{Title: b.t(b.voice(c), btnBothRouters), Value: valBoth},
	})
	return menu(b.tf(b.voice(c), msgWhichRouterFirst, "router", first, "other", second), c.Menu.Items)
}

// chosenRouter is the serial the turn picks at "which router first?": a button, or one of
// the two serials typed.
func chosenRouter(t *turn) string {
	if t.c.Menu == nil || len(t.c.Menu.Items) < 2 {
		return ""
	}
	two := []string{t.c.Menu.Items[0].Value, t.c.Menu.Items[1].Value}
	if v := t.choice(); slices.Contains(two, v) {
		return v
	}
	for _, s := range t.r.Serials {
		for _, r := range two {
			if sameSerial(s, r) {
				return r
			}
		}
	}
	return ""
}

// routersInTurn sets the order, first now and second after, and asks to confirm the
// first; a go-ahead in words ("pode atualizar os dois") starts it.
func (b *Bot) routersInTurn(t *turn, first, second string) []Action {
	c := t.c
	c.RouterID, c.TypedRouter = first, first
	c.NextRouter = &NextRouter{Serial: second}
	lead := b.tf(b.voice(c), msgRoutersInTurn, "router", first, "other", second)
	attrs := c.setAttributes(map[string]any{b.routerAttribute(): first})
	if !t.r.Tapped && (t.r.Has(intents.ActAffirm) || t.r.NamesUpdate || t.r.Intent == intents.UpdateRouter) {
		return append([]Action{attrs, say(lead)}, b.startUpdate(c, t.now)...)
	}
	m := b.confirmMenu(c)
	m.Text = joinText(lead, m.Text)
	return []Action{attrs, m}
}

// chooseRouterRules answer "which of your two routers first?".
var chooseRouterRules = []rule{
	{"choose_router_picked", func(t *turn) bool { return chosenRouter(t) != "" }, func(t *turn) []Action {
		first := chosenRouter(t)
		second := t.c.Menu.Items[0].Value
		if second == first {
			second = t.c.Menu.Items[1].Value
		}
		return t.b.routersInTurn(t, first, second)
	}},
	{"choose_router_both", either(chose(valBoth), func(t *turn) bool {
		// "dale", "ok" to "which one first?": both, in the order shown
		return saysYes(t) && !t.r.Has(intents.ActCancel)
	}), func(t *turn) []Action {
		return t.b.routersInTurn(t, t.c.Menu.Items[0].Value, t.c.Menu.Items[1].Value)
	}},
	{"choose_router_cancelled", either(has(intents.ActCancel), saysNo), func(t *turn) []Action {
		t.c.NextRouter = nil
		return cancelQuestion(t)
	}},
}

// nextRouterAfter offers the second router once the first is updated, in the message
// that says the first is done: its confirmation, or the question for its serial. Only
// while the bot has the conversation and no other question is open.
func (b *Bot) nextRouterAfter(c *Conversation, done string, now time.Time) ([]Action, bool) {
	next := c.NextRouter
	if next == nil || !c.State.Resting() || !c.BotOwns() || c.Waiting {
		return nil, false
	}
	c.NextRouter = nil
	if next.Serial == "" {
		c.RouterID, c.TypedRouter = "", ""
		c.ask(StateAskSerial, nil)
		c.BadAnswers = 0
		return b.proactive(c, now, say(joinLines(done, b.t(b.voice(c), msgNextRouterSerial)))), true
	}
	c.RouterID, c.TypedRouter = next.Serial, next.Serial
	attrs := c.setAttributes(map[string]any{b.routerAttribute(): next.Serial})
	m := b.confirmMenu(c)
	m.Text = joinLines(done, joinText(b.tf(b.voice(c), msgNextRouter, "router", next.Serial), m.Text))
	return append([]Action{attrs}, b.proactive(c, now, m)...), true
}

// chooseRouterAgain is the question "which one first?" again, after something else.
func (b *Bot) chooseRouterAgain(c *Conversation) Action {
	if c.Menu == nil || len(c.Menu.Items) < 3 || c.NextRouter == nil {
		return b.mainMenu(c)
	}
	return b.chooseRouterMenu(c)
}

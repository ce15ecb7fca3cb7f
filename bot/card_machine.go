package bot

import (
	"slices"

	"github.com/cwbot/cwbot/intents"
)

// A shop's card machine on the router's Wi-Fi, asked about while the update runs or just
// after it ("a maquininha vai voltar a funcionar? tenho fila de cliente aqui"): it
// reconnects by itself once the router is back online; said with where the update is,
// never "didn't understand".

// askCardMachine is the acts files' asks_about name of a card machine named.
const askCardMachine = "card_machine"

const (
	msgCardMachineReconnects msgKey = "card_machine_reconnects"
	msgCardMachineOnline     msgKey = "card_machine_online"
	msgCardMachineStill      msgKey = "card_machine_still"
	// the card machine named with the trouble, before any update: payments hang on the
	// internet, then the update offered
	msgCardMachineTrouble msgKey = "card_machine_trouble"
)

// cardMachineAsked reports a card machine named, with nothing the customer asks for beside
// it that another rule answers (a person, a cancel).
func cardMachineAsked(t *turn) bool {
	return slices.Contains(t.r.Asks, askCardMachine) && !t.r.Tapped && !t.r.Has(intents.ActAskPerson) &&
		!t.r.Has(intents.ActCancel) && len(t.r.Serials) == 0
}

// cardMachineNamed reports a card machine named in the turn ("the card machine cannot
// connect since morning", "se nos cayó el datáfono"), whatever else it asks.
func cardMachineNamed(t *turn) bool {
	return slices.Contains(t.r.Asks, askCardMachine) && !t.r.Tapped
}

// updatingCardMachineRule: the card machine asked about while the update runs: before the
// router is back, that it reconnects by itself once it is, then the update's step; once it
// is back online (the check after the restart), any moment now.
var updatingCardMachineRule = rule{"updating_card_machine", cardMachineAsked, func(t *turn) []Action {
	if u := t.c.Update; u != nil && u.Step == "verifying" {
		return []Action{say(t.text(msgCardMachineOnline))}
	}
	return []Action{say(t.runningStatusAfter(t.text(msgCardMachineReconnects)))}
}}

// cardMachineAfterUpdateRule: the card machine asked about within a day of an update that
// worked ("e a maquininha? ainda não passou"): the router is online, so it reconnects in a
// minute or two; if not, switched off and on, and an agent offered if it still does not.
// Asked again after that, the off and on and the agent, in other words.
var cardMachineAfterUpdateRule = rule{"card_machine_after_update", func(t *turn) bool {
	return cardMachineAsked(t) && t.c.updatedRecently(t.now) && !t.c.Waiting &&
		t.c.State != StateIntake && t.c.State != StateAskSerial && t.c.State != StateConfirmUpdate
}, func(t *turn) []Action {
	key := msgCardMachineOnline
	if t.c.LastRule == "updating_card_machine" || t.c.LastRule == "card_machine_after_update" {
		key = msgCardMachineStill // told it reconnects by itself: not the same words again
	}
	return welcomed(t, []Action{t.b.offerAgentMenu(t.c, t.text(key), ReasonStillTrouble)})
}}

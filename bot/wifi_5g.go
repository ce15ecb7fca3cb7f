package bot

import (
	"slices"

	"github.com/cwbot/cwbot/intents"
)

// questionWifi5G is the Wi-Fi's question of its 5 GHz network the phone does not see.
const questionWifi5G = "wifi_5g"

// wifi5GRule answers "vei e pq meu celular não acha a rede 5g?", "my phone can't find the
// 5ghz wifi": not every phone sees it, it reaches less far, an agent can check the router's
// settings; never "it keeps happening, an agent can check your line" right after an update
// that worked, nor the Wi-Fi switched off (wifi_gone). Before an update the update is
// offered after it, as for the Wi-Fi's other questions; right after one, the answer alone.
var wifi5GRule = rule{"wifi_5g_asked", func(t *turn) bool {
	tp, ok := t.b.catalog().Topics()[topicWifi]
	return ok && tp.Questions[questionWifi5G] != nil && slices.Contains(t.r.Asks, questionWifi5G) && !t.r.Tapped &&
		!t.r.Has(intents.ActAskPerson) && len(t.r.Serials) == 0 && !t.c.Waiting &&
		t.c.State != StateIntake && t.c.State != StateAskSerial && t.c.State != StateConfirmUpdate
}, func(t *turn) []Action {
	text := t.b.catalog().topicQuestion(topicWifi, questionWifi5G, t.b.voice(t.c))
	if t.c.updatedRecently(t.now) || (t.c.Update != nil && t.c.Update.Active) || t.b.retriesSpent(t.c) {
		t.c.closeQuestion()
		return welcomed(t, []Action{say(text)})
	}
	m := t.b.mainMenu(t.c)
	t.c.Proposed = valUpdateRouter
	return welcomed(t, []Action{say(text), m})
}}

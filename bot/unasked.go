package bot

import "github.com/cwbot/cwbot/intents"

// Messages from a customer who wants nothing of the bot: "yo no pedí nada", "sorry, my
// grandson was playing with the phone", "😡 que ya no" right after asking for no more
// messages. They are answered calmly and briefly, with no menu and no agent offered:
// offering more contact to someone who asked to be left alone reads as not listening.

// Texts of them (content.yaml).
const (
	msgBotNothingNeeded    msgKey = "bot_nothing_needed"
	msgWrittenByMistake    msgKey = "written_by_mistake"
	msgCantWriteNow        msgKey = "cant_write_now"
	msgOptedOutAgain       msgKey = "opted_out_again"
	msgOptedOutNotices     msgKey = "opted_out_notices"
	msgRestartSelf         msgKey = "restart_self"
	msgRestartSelfUpdating msgKey = "restart_self_updating"
	msgNoAds               msgKey = "no_ads"
)

// unaskedRules run among the global rules, right after the opt-out.
var unaskedRules = []rule{
	{"opted_out_again", func(t *turn) bool {
		// "😡 que ya no", "no!! stop" right after the opt-out: still no, said angrily. The
		// word stands (nothing proactive), and the bot says so once more, briefly.
		// Anything more ("but my internet is bad again") is answered as usual.
		no := t.r.Has(intents.ActFrustration) || t.r.Has(intents.ActDeny) || t.r.Has(intents.ActCancel)
		rest := t.r.Acts.Without(intents.ActFrustration).Without(intents.ActDeny).Without(intents.ActCancel).Without(intents.ActPolite)
		return t.optedOut && no && rest == 0 && !asks(t) && len(t.r.Serials) == 0 && t.r.Words <= 6
	}, func(t *turn) []Action {
		t.c.OptedOut = true
		if t.c.LastRule == "opted_out_again" {
			return nil // said once; silence keeps the word
		}
		return []Action{say(t.text(msgOptedOutAgain))}
	}},
	{"opted_out_notices", func(t *turn) bool {
		// "y los avisos esos de la actualización tampoco quiero" right after the opt-out:
		// more of it, however the classifier reads the update named (never the update
		// offered to someone who asked to be left alone). It was all said; once, briefly.
		return t.optedOut && t.r.RefusesNotices && !t.r.Question && !t.r.Has(intents.ActAskPerson) && len(t.r.Serials) == 0
	}, func(t *turn) []Action {
		t.c.OptedOut = true
		if t.c.LastRule == "opted_out_notices" || t.c.LastRule == "opted_out_again" {
			return nil
		}
		return []Action{say(t.text(msgOptedOutNotices))}
	}},
	{"nothing_asked", func(t *turn) bool {
		// "quem é vc? não pedi nada": who writes, and that nothing is needed; not anger.
		// "¿quién es? ¿por qué me escriben?" asks who writes, whatever the classifier
		// makes of it ("how do I contact you" is the nearest it knows).
		return t.r.NothingAsked && (!asks(t) || t.r.Intent == topicContact) && !t.r.Has(intents.ActAskPerson) && t.c.State != StateIntake
	}, func(t *turn) []Action {
		t.c.OptedOut = t.optedOut // it asks for nothing: an opt-out before it stands
		t.c.closeQuestion()
		return []Action{say(t.text(msgBotNothingNeeded))}
	}},
	{"ads_refused", func(t *turn) bool {
		// "vale. y porfa no me mandéis mensajes de publicidad eh": the bot sends none, and
		// says so; a question open stays open. Never a bare "¡De acuerdo!" that reads as a
		// promise the bot did not make.
		return t.r.RefusesAds && !t.r.Question && !t.r.Has(intents.ActAskPerson) && len(t.r.Serials) == 0 && t.c.State != StateIntake
	}, func(t *turn) []Action {
		acts := []Action{say(t.text(msgNoAds))}
		if t.c.Menu != nil {
			acts = append(acts, t.b.questionAgain(t.c))
		}
		return acts
	}},
	{"written_by_mistake", func(t *turn) bool {
		// "desculpa, foi meu neto que mexeu no celular": no harm done. A request beside it
		// ("sorry wrong chat... actually my internet is down") is the request.
		return t.r.ByMistake && !asks(t) && !t.r.Has(intents.ActAskPerson) && !t.r.Has(intents.ActConnectionComplaint) &&
			!t.r.Has(intents.ActOutageArea) && t.c.State != StateIntake && t.c.State != StateAskSerial
	}, func(t *turn) []Action {
		t.c.OptedOut = t.optedOut
		t.c.closeQuestion()
		return []Action{say(t.text(msgWrittenByMistake))}
	}},
	{"cant_write_now", func(t *turn) bool {
		// "disculpa no puedo escribir mucho estoy manejando": no rush, the bot waits; the
		// question open stays open, unshown (never a menu to someone at the wheel). A
		// request beside it is the request.
		return t.r.CantWriteNow && !asks(t) && !t.r.Has(intents.ActAskPerson) && !t.r.Has(intents.ActConnectionComplaint) &&
			!t.r.Has(intents.ActOutageArea) && t.r.Choice == 0 && len(t.r.Serials) == 0 && t.c.State != StateIntake
	}, func(t *turn) []Action {
		t.c.OptedOut = t.optedOut
		return []Action{say(t.text(msgCantWriteNow))}
	}},
	{"restart_self", func(t *turn) bool {
		// "I'll restart it myself", "deixa que eu reinicio": their choice, with how and what
		// the bot can do if it does not help; never the update's confirmation. During an
		// update, not now: cutting the power mid-install can harm the router.
		return t.r.RestartSelf && !t.r.Question && !t.r.Has(intents.ActAskPerson) && t.c.State != StateIntake
	}, func(t *turn) []Action {
		if t.c.Update != nil && t.c.Update.Active {
			return []Action{say(t.text(msgRestartSelfUpdating))}
		}
		t.c.closeQuestion()
		return []Action{say(t.text(msgRestartSelf))}
	}},
}

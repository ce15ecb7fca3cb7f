package bot

import (
	"slices"
	"strings"
	"time"

	"github.com/cwbot/cwbot/intents"
)

// Voice notes and photos. On WhatsApp customers send them as often as words ("te mandei
// um áudio explicando", a photo of the router's lights), and the bot reads text only. It
// says so plainly, once for each kind, and asks for the words; what the words already say
// (a red light, a question) is answered as always, after that one sentence. Asked again
// ("did u see the pic?"), an agent, who can open it in Chatwoot, is offered.

// Texts of the media answers (content.yaml).
const (
	msgMediaAloneAudio msgKey = "media_alone_audio"
	msgMediaAloneImage msgKey = "media_alone_image"
	msgMediaLeadAudio  msgKey = "media_lead_audio"
	msgMediaLeadImage  msgKey = "media_lead_image"
	msgMediaAgain      msgKey = "media_again"
	msgMediaStill      msgKey = "media_still"
	msgMediaLightsAsk  msgKey = "media_lights_ask"
)

// mediaLead is what opens the answer to a voice note or photo sent with a question open:
// a photo whose caption names the router's lights ("asi estan las lucecitas del router")
// is answered by asking what they show, in words; otherwise that the bot reads text only.
func mediaLead(t *turn) string {
	switch {
	case t.media == "audio":
		return t.text(msgMediaLeadAudio)
	case t.r.NamesLights:
		return t.text(msgMediaLightsAsk)
	}
	return t.text(msgMediaLeadImage)
}

// ReasonMedia: the customer sent a voice note or a photo the assistant cannot open.
const ReasonMedia = "media_sent"

// albumWindow is how close together attachments are one sending (an album of photos, a
// photo and its voice note): one answer for them all.
const albumWindow = 10 * time.Second

// mediaKind is the kind of an attachment as the bot speaks of it: a voice note ("audio")
// or something to look at ("image": a photo, a video, a file, a sticker); "" for none.
func mediaKind(fileType string) string {
	switch fileType {
	case "":
		return ""
	case "audio":
		return "audio"
	}
	return "image"
}

// onlyMedia reports a turn whose words say nothing beside the voice note or photo: an
// attachment without a caption, "te mande un audio explicandote, escuchalo porfa", "did u
// see the pic?".
func onlyMedia(t *turn) bool {
	if t.media == "" {
		return false
	}
	rest := t.r.Acts.Without(intents.ActPolite).Without(intents.ActAcknowledge).Without(intents.ActGreeting).
		Without(intents.ActThanks).Without(intents.ActStatusQuestion)
	return rest == 0 && len(t.r.Serials) == 0 && t.r.Choice == 0 && !asks(t) && t.r.Intent != intents.HumanAgent
}

// The media rules run among the global rules (rules.go), in this order: album, again, lights, sent.

// mediaAlbumRule: the second photo of an album, seconds after the first was answered.
var mediaAlbumRule = rule{"media_album", func(t *turn) bool {
	// the second photo of an album, seconds after the first was answered: that answer
	// stands, nothing more
	return t.r.Text == "" && t.media != "" && !t.c.MediaAt.IsZero() && t.now.Sub(t.c.MediaAt) < albumWindow &&
		(t.c.LastRule == "media_sent" || t.c.LastRule == "media_sent_again")
}, func(t *turn) []Action {
	t.c.Proposed = t.proposed
	return nil
}}

// mediaSentAgainRule: a voice note or photo again, after the bot said it cannot open them.
var mediaSentAgainRule = rule{"media_sent_again", func(t *turn) bool {
	return onlyMedia(t) && slices.Contains(t.c.MediaTold, t.media)
}, func(t *turn) []Action {
	// told once already: no same words again; a person can open it. A question open
	// ("Shall I update it?", the agent just offered) stays, asked again.
	t.c.MediaAt = t.now
	if t.c.Menu != nil && t.c.State != StateMainMenu {
		acts := leadWith(t.text(msgMediaStill), []Action{t.b.questionAgain(t.c)})
		t.c.Proposed = t.proposed
		return acts
	}
	return []Action{t.b.offerAgentMenu(t.c, t.text(msgMediaAgain), ReasonMedia)}
}}

// mediaLightsRule: a photo of the router's lights, their colour told in words.
var mediaLightsRule = rule{"media_lights", func(t *turn) bool {
	// "i sent u a photo of the lights on the router, the red one is blinking": what the
	// photo shows, told in words, is the connection's trouble, answered as such (the
	// bot's not seeing it said first: mediaNoted)
	return onlyMedia(t) && t.r.LightTrouble
}, func(t *turn) []Action { return connectionComplaintRule.do(t) }}

// mediaSentRule: a voice note or photo, sent or told of, and nothing else.
var mediaSentRule = rule{"media_sent", onlyMedia, func(t *turn) []Action {
	t.c.MediaTold = append(t.c.MediaTold, t.media)
	t.c.MediaAt = t.now
	if t.c.Menu != nil && t.c.State != StateMainMenu && !(t.c.Update != nil && t.c.Update.Active) {
		// a question is open ("Shall I update it?"): it stays, asked again (apart from
		// a lead that asks too)
		q := t.b.questionAgain(t.c)
		acts := leadWith(mediaLead(t), []Action{q})
		if lead := mediaLead(t); strings.HasSuffix(lead, "?") && q.Text != "" {
			acts[0].Text = lead + "\n\n" + q.Text
		}
		t.c.Proposed = t.proposed
		return acts
	}
	// none, or an update under way (its steps are told as they come): what it is about,
	// in words, as before the update; a question left open stays so, unasked
	t.c.Proposed = t.proposed
	if t.media == "audio" {
		return []Action{say(t.text(msgMediaAloneAudio))}
	}
	return []Action{say(t.text(msgMediaAloneImage))}
}}

// mediaNoted opens the answer of a message that tells of a voice note or photo beside
// other words ("i sent u a photo of the lights, the red one is blinking") with what the bot
// cannot open, once for each kind: the answer to the words follows.
func mediaNoted(t *turn, rule string, acts []Action) []Action {
	if t.media == "" || slices.Contains(t.c.MediaTold, t.media) || len(acts) == 0 || acts[0].Text == "" {
		return acts
	}
	switch rule {
	case "media_album", "media_sent", "media_sent_again":
		return acts
	}
	t.c.MediaTold = append(t.c.MediaTold, t.media)
	if t.media == "audio" {
		return leadWith(t.text(msgMediaLeadAudio), acts)
	}
	return leadWith(t.text(msgMediaLeadImage), acts)
}

// confirmCaptionRule: a photo or voice note with a caption at the update's confirmation
// ("asi estan las lucecitas del router"): the caption tells what it shows, and the bot
// cannot open it; the confirmation again. Never the update started on a caption that says
// no yes and names no update, whatever request the classifier hears in it: the update cuts
// the internet, and wants a clear yes.
var confirmCaptionRule = rule{"confirm_caption", func(t *turn) bool {
	r := t.r
	// a yes only the learned reader hears ("as luzinhas tão assim") is none: the lists' words say it
	// (nor the Yes button it picks)
	yes := r.Has(intents.ActAffirm) && !r.OnlyLearned(intents.ActAffirm) || r.Tapped || r.Choice != 0 && !r.Has(intents.ActAffirm)
	return t.media != "" && r.Text != "" && !yes && !r.NamesUpdate &&
		!saysNo(t) && !r.Has(intents.ActCancel) && !r.Has(intents.ActDeclineUpdate) && !r.Has(intents.ActAskPerson) &&
		len(r.Serials) == 0
}, func(t *turn) []Action {
	if !slices.Contains(t.c.MediaTold, t.media) {
		t.c.MediaTold = append(t.c.MediaTold, t.media)
	}
	t.c.MediaAt = t.now
	return []Action{t.b.confirmAgain(t.c, mediaLead(t), false)}
}}

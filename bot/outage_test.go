package bot_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/cwbot/cwbot/bot"
)

// fakeOutages is the Outage API as a test scripts it.
type fakeOutages struct {
	o     bot.Outage
	err   error
	calls []string // router|phone of each call
}

func (f *fakeOutages) Outage(_ context.Context, routerID, phone string) (bot.Outage, error) {
	f.calls = append(f.calls, routerID+"|"+phone)
	return f.o, f.err
}

var outageNow = time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)

func outageConv(lang string) *bot.Conversation {
	c := newConv()
	c.Language = lang
	c.Contact = bot.Contact{Name: "Maria", Phone: "+5215512345678", Attributes: map[string]any{"router_id": "ZX-9900-AB12"}}
	return c
}

func say(b *bot.Bot, c *bot.Conversation, text string, at time.Time) []bot.Action {
	ev := customer(text)
	ev.Now = at
	return b.Handle(context.Background(), c, ev)
}

func hasStartJob(acts []bot.Action) bool {
	for _, a := range acts {
		if a.Kind == bot.StartJob {
			return true
		}
	}
	return false
}

// An outage: no restart offered, the customer told with the expected time and asked
// whether to hear of the end; once it ends, told so, proactively.
func TestOutage_ToldThenToldAgainWhenOver(t *testing.T) {
	for _, tc := range []struct {
		lang, complaint, when, yes, over string
	}{
		{"en", "my internet is not working", "around 1:30 PM", "Tell me when fixed", "the outage in your area is over"},
		{"es", "no tengo internet", "hacia las 13:30", "Sí, avísame", "La falla en tu zona ya se resolvió"},
		{"pt", "estou sem internet", "por volta das 13h30", "Sim, me avise", "a falha na sua região foi resolvida"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			b := newBot(t)
			api := &fakeOutages{o: bot.Outage{Active: true, ID: "out_7", Message: "fibre cut", ETA: outageNow.Add(3*time.Hour + 30*time.Minute)}}
			b.Outages = api
			c := outageConv(tc.lang)
			acts := say(b, c, tc.complaint, outageNow)
			if hasStartJob(acts) || len(acts) != 1 || len(acts[0].Items) != 2 {
				t.Fatalf("got %+v, want one message with two buttons", acts)
			}
			if !strings.Contains(acts[0].Text, tc.when) {
				t.Errorf("%q does not say when (%q)", acts[0].Text, tc.when)
			}
			if got := acts[0].Items[0].Title; got != tc.yes {
				t.Errorf("button %q, want %q", got, tc.yes)
			}
			if len(api.calls) != 1 || api.calls[0] != "ZX-9900-AB12|+5215512345678" {
				t.Errorf("API asked %v", api.calls)
			}
			if c.State != bot.StateOutageNotice {
				t.Errorf("state %s", c.State)
			}
			acts = say(b, c, tc.yes, outageNow.Add(time.Minute))
			if len(acts) != 1 || c.Outage == nil || !c.Outage.Subscribed || c.State != bot.StateIdle {
				t.Fatalf("subscribing: %+v, outage %+v, state %s", acts, c.Outage, c.State)
			}
			// Another outage's end changes nothing; this one's tells the customer.
			if acts := b.Handle(context.Background(), c, bot.Event{Kind: bot.OutageEnded, OutageID: "out_other", Now: outageNow.Add(time.Hour)}); len(acts) != 0 {
				t.Fatalf("another outage's end: %+v", acts)
			}
			acts = b.Handle(context.Background(), c, bot.Event{Kind: bot.OutageEnded, OutageID: "out_7", Now: outageNow.Add(2 * time.Hour)})
			if len(acts) != 1 || acts[0].Kind != bot.SendMessage || acts[0].Template != nil || !strings.Contains(acts[0].Text, tc.over) {
				t.Fatalf("the end: %+v", acts)
			}
			if c.Outage != nil {
				t.Errorf("the outage is still kept: %+v", c.Outage)
			}
			// Told once: a repeated report says nothing.
			if acts := b.Handle(context.Background(), c, bot.Event{Kind: bot.OutageEnded, OutageID: "out_7", Now: outageNow.Add(3 * time.Hour)}); len(acts) != 0 {
				t.Fatalf("told twice: %+v", acts)
			}
		})
	}
}

// Outside WhatsApp's 24 hour window the end goes as the template.
func TestOutage_EndOutsideWindowIsTemplate(t *testing.T) {
	b := newBot(t)
	b.Template = &bot.TemplateConfig{Name: "notice", Language: "en_US"}
	b.Outages = &fakeOutages{o: bot.Outage{Active: true, ID: "out_1"}}
	c := outageConv("en")
	say(b, c, "no internet in the whole neighborhood", outageNow)
	say(b, c, "yes please", outageNow.Add(time.Minute))
	if c.Outage == nil || !c.Outage.Subscribed {
		t.Fatalf("not subscribed: %+v (state %s)", c.Outage, c.State)
	}
	acts := b.Handle(context.Background(), c, bot.Event{Kind: bot.OutageEnded, OutageID: "out_1", Now: outageNow.Add(30 * time.Hour)})
	if len(acts) != 1 || acts[0].Template == nil || acts[0].Template.Name != "notice" {
		t.Fatalf("got %+v, want the template", acts)
	}
}

// A customer who declines hears nothing when it ends; one with an agent: the agent gets a
// note.
func TestOutage_DeclinedOrWithAgent(t *testing.T) {
	b := newBot(t)
	b.Outages = &fakeOutages{o: bot.Outage{Active: true, ID: "out_1"}}
	c := outageConv("en")
	say(b, c, "my wifi keeps dropping", outageNow)
	if acts := say(b, c, "no thanks", outageNow.Add(time.Minute)); len(acts) != 1 || c.State.Resting() == false {
		t.Fatalf("declining: %+v, state %s", acts, c.State)
	}
	if acts := b.Handle(context.Background(), c, bot.Event{Kind: bot.OutageEnded, OutageID: "out_1", Now: outageNow.Add(time.Hour)}); len(acts) != 0 {
		t.Fatalf("told after declining: %+v", acts)
	}

	c = outageConv("en")
	say(b, c, "my wifi keeps dropping", outageNow)
	say(b, c, "Tell me when fixed", outageNow.Add(time.Minute))
	b.Handle(context.Background(), c, bot.Event{Kind: bot.AgentMessage, Now: outageNow.Add(2 * time.Minute), Snapshot: &bot.Snapshot{Status: bot.StatusOpen, UpdatedAt: 5}})
	acts := b.Handle(context.Background(), c, bot.Event{Kind: bot.OutageEnded, OutageID: "out_1", Now: outageNow.Add(time.Hour)})
	if len(acts) != 1 || acts[0].Kind != bot.SendNote {
		t.Fatalf("with an agent: %+v, want a note", acts)
	}
}

// A router update asked for during an outage: the outage, before the confirmation; asked
// again once told, the customer's choice: the confirmation, saying it won't bring the
// service back.
func TestOutage_UpdateAskedFor(t *testing.T) {
	b := newBot(t)
	b.Outages = &fakeOutages{o: bot.Outage{Active: true, ID: "out_1"}}
	c := outageConv("en")
	acts := say(b, c, "update my router", outageNow)
	if c.State != bot.StateOutageNotice || len(acts) != 1 || !strings.Contains(acts[0].Text, "outage") {
		t.Fatalf("got %+v (state %s), want the outage", acts, c.State)
	}
	acts = say(b, c, "update my router", outageNow.Add(time.Minute))
	if c.State != bot.StateConfirmUpdate || len(acts) != 1 || !strings.Contains(acts[0].Text, "won't bring the service back") {
		t.Fatalf("asked again: %+v (state %s), want the confirmation saying it won't help", acts, c.State)
	}
}

// Told of the outage after a complaint, a customer who asks for a restart is told plainly
// it won't help, and offered the notice: no confirmation, no update. Asked again, the
// update is theirs, confirmed with what it will not do; done while the outage is on, it
// never ends "All done!".
func TestOutage_RestartAskedOnceToldIsToldItWontHelp(t *testing.T) {
	for _, tc := range []struct {
		lang, complaint, update, wontHelp, anyway, done string
	}{
		{"en", "my internet is not working", "update my router", "won't bring the service back", "while the outage lasts", "once the outage in your area is fixed"},
		{"es", "no tengo internet", "actualizar mi router", "no te va a devolver el servicio", "mientras dure la falla", "en cuanto se resuelva la falla"},
		{"pt", "estou sem internet", "atualizar meu roteador", "não vai trazer o serviço de volta", "enquanto a falha durar", "assim que a falha na sua região"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			b := newBot(t)
			b.Outages = &fakeOutages{o: bot.Outage{Active: true, ID: "out_1", ETA: outageNow.Add(3 * time.Hour)}}
			c := outageConv(tc.lang)
			say(b, c, tc.complaint, outageNow)
			acts := say(b, c, tc.update, outageNow.Add(time.Minute))
			if hasStartJob(acts) || c.State != bot.StateOutageNotice || len(acts) != 1 || !strings.Contains(acts[0].Text, tc.wontHelp) || len(acts[0].Items) != 2 {
				t.Fatalf("the restart asked for: %+v (state %s), want it won't help and the notice offered", acts, c.State)
			}
			acts = say(b, c, tc.update, outageNow.Add(2*time.Minute))
			if c.State != bot.StateConfirmUpdate || len(acts) != 1 || !strings.Contains(acts[0].Text, tc.anyway) {
				t.Fatalf("asked again: %+v (state %s), want the confirmation saying it won't help", acts, c.State)
			}
			if !hasStartJob(say(b, c, "1", outageNow.Add(3*time.Minute))) {
				t.Fatalf("the update did not start")
			}
			acts = b.Handle(context.Background(), c, bot.Event{Kind: bot.JobProgress, Now: outageNow.Add(8 * time.Minute),
				Job: &bot.JobUpdate{Attempt: 1, State: bot.JobSucceeded}})
			if n := len(acts); n == 0 || !strings.Contains(acts[n-1].Text, tc.done) {
				t.Fatalf("the end of the update: %+v, want %q", acts, tc.done)
			}
		})
	}
}

// The same outage told again is said short, never the whole notice twice in a row, and
// its question, still open, is not asked again; "when will it be back?" gets the telco's
// estimate in a sentence.
func TestOutage_ToldAgainIsShort(t *testing.T) {
	for _, tc := range []struct {
		lang, complaint, again, when, eta string
	}{
		{"en", "my internet is not working", "is there an outage in my area?", "so when will it be back?", "around 1:30 PM"},
		{"es", "no tengo internet", "hay alguna falla en mi zona??", "y para cuando vuelve?", "hacia las 13:30"},
		{"pt", "estou sem internet", "tem falha na minha região?", "tem previsão de volta?", "por volta das 13h30"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			b := newBot(t)
			b.Outages = &fakeOutages{o: bot.Outage{Active: true, ID: "out_1", ETA: outageNow.Add(3*time.Hour + 30*time.Minute)}}
			c := outageConv(tc.lang)
			first := say(b, c, tc.complaint, outageNow)
			acts := say(b, c, tc.again, outageNow.Add(time.Minute))
			opening, _, _ := strings.Cut(first[0].Text, ".")
			if len(acts) != 1 || len(acts[0].Items) != 0 || !strings.Contains(acts[0].Text, tc.eta) || strings.Contains(acts[0].Text, opening) ||
				utf8.RuneCountInString(acts[0].Text) >= utf8.RuneCountInString(first[0].Text) || c.State != bot.StateOutageNotice {
				t.Fatalf("told again: %+v (state %s), want a short reminder with the estimate, the question left open", acts, c.State)
			}
			acts = say(b, c, tc.when, outageNow.Add(2*time.Minute))
			if len(acts) != 1 || !strings.Contains(acts[0].Text, tc.eta) || strings.Contains(acts[0].Text, "\n") ||
				utf8.RuneCountInString(acts[0].Text) > 80 { // one sentence: the duration and the time
				t.Fatalf("asked when: %+v, want the estimate in a sentence", acts)
			}
		})
	}
}

// Once the outage is over (the API says so, with no end told), what was said of it no
// longer holds: an update asked for is confirmed as usual and ends as usual.
func TestOutage_OverThenUpdateIsAsUsual(t *testing.T) {
	b := newBot(t)
	api := &fakeOutages{o: bot.Outage{Active: true, ID: "out_1"}}
	b.Outages = api
	c := outageConv("en")
	say(b, c, "update my router", outageNow)
	api.o = bot.Outage{}
	acts := say(b, c, "update my router", outageNow.Add(time.Hour))
	if c.State != bot.StateConfirmUpdate || len(acts) != 1 || strings.Contains(acts[0].Text, "outage") {
		t.Fatalf("after the outage: %+v (state %s), want the plain confirmation", acts, c.State)
	}
	say(b, c, "yes", outageNow.Add(time.Hour))
	acts = b.Handle(context.Background(), c, bot.Event{Kind: bot.JobProgress, Now: outageNow.Add(time.Hour + 5*time.Minute),
		Job: &bot.JobUpdate{Attempt: 1, State: bot.JobSucceeded}})
	if n := len(acts); n == 0 || !strings.Contains(acts[n-1].Text, "All done") {
		t.Fatalf("the end: %+v", acts)
	}
}

// While an update runs, "my internet is down" is the restart: the API is not asked.
func TestOutage_NotAskedDuringUpdate(t *testing.T) {
	b := newBot(t)
	api := &fakeOutages{}
	b.Outages = api
	c := outageConv("en")
	confirmUpdateAt(context.Background(), b, c, outageNow)
	api.o = bot.Outage{Active: true, ID: "out_1"}
	calls := len(api.calls)
	acts := say(b, c, "my internet is down", outageNow.Add(time.Minute))
	if len(api.calls) != calls || c.Outage != nil {
		t.Fatalf("asked during the update: %v, %+v", api.calls, acts)
	}
}

// An Outage API that fails or is slow (the adapter's timeout is an error too) changes
// nothing: the bot answers as without it.
func TestOutage_APIFailureChangesNothing(t *testing.T) {
	turns := []string{"hi", "my internet is slow", "no internet in the whole neighborhood", "update my router", "yes"}
	play := func(o bot.Outages) [][]bot.Action {
		b := newBot(t)
		b.Outages = o
		c := outageConv("es")
		var out [][]bot.Action
		for i, text := range turns {
			out = append(out, say(b, c, text, outageNow.Add(time.Duration(i)*time.Minute)))
		}
		return out
	}
	want := play(nil)
	if !hasStartJob(want[len(want)-1]) {
		t.Fatalf("without the API the update starts: %+v", want[len(want)-1])
	}
	for name, o := range map[string]bot.Outages{
		"Error":   &fakeOutages{err: errors.New("outage API: check: status=503")},
		"Timeout": &fakeOutages{o: bot.Outage{Active: true, ID: "x"}, err: context.DeadlineExceeded},
	} {
		if got := play(o); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the bot answers otherwise:\n got %+v\nwant %+v", name, got, want)
		}
	}
}

// An Outage API that knows of no outage says so when the customer asks or tells of one in
// the area, and otherwise changes nothing.
func TestOutage_NoneKnownSaysSo(t *testing.T) {
	b := newBot(t)
	b.Outages = &fakeOutages{}
	c := outageConv("en")
	asked := say(b, c, "is there an outage in my area?", outageNow)
	if len(asked) != 1 || !strings.Contains(asked[0].Text, "I don't see any reported outage in your area right now") ||
		len(asked[0].Items) != 2 || asked[0].Items[0].Value != "update_router" {
		t.Fatalf("asked: got %+v, want that none is known and the update or an agent", asked)
	}
	told := say(b, outageConv("en"), "no internet in the whole neighborhood", outageNow)
	if len(told) != 1 || !strings.Contains(told[0].Text, "I don't see a reported outage in your area yet") || len(told[0].Items) != 2 ||
		told[0].Items[0].Value != "agent" {
		t.Fatalf("told: got %+v, want that none is reported yet and an agent", told)
	}
	if slow := say(b, outageConv("en"), "my internet is slow", outageNow); len(slow) != 1 || strings.Contains(slow[0].Text, "outage") {
		t.Fatalf("a complaint of their own: got %+v, want no word of an outage", slow)
	}
}

// Nothing to ask with (no router, no phone): the API is not called.
func TestOutage_NothingToAskWith(t *testing.T) {
	b := newBot(t)
	api := &fakeOutages{o: bot.Outage{Active: true, ID: "out_1"}}
	b.Outages = api
	c := newConv()
	say(b, c, "my internet is slow", outageNow)
	if len(api.calls) != 0 {
		t.Fatalf("asked with nothing: %v", api.calls)
	}
}

// Handed off from the notice: the agent's note names the outage and why.
func TestOutage_AgentNote(t *testing.T) {
	b := newBot(t)
	b.Outages = &fakeOutages{o: bot.Outage{Active: true, ID: "out_9", Message: "fibre cut on Av. Reforma", ETA: outageNow.Add(2 * time.Hour)}}
	c := outageConv("en")
	say(b, c, "no internet since this morning", outageNow)
	acts := say(b, c, "Talk to an agent", outageNow.Add(time.Minute))
	var note string
	for _, a := range acts {
		if a.Kind == bot.Handoff {
			note = a.Handoff.Note
		}
	}
	for _, want := range []string{"Why: an outage the telco knows of", "Outage: out_9, fibre cut on Av. Reforma (expected over 2026-12-07 12:00 UTC)"} {
		if !strings.Contains(note, want) {
			t.Errorf("the note lacks %q:\n%s", want, note)
		}
	}
	// Two days later, an outage the customer did not ask about is not today's news.
	c.HandedOff, c.Status = false, bot.StatusPending
	later := outageNow.Add(48 * time.Hour)
	acts = say(b, c, "I want to talk to a person", later)
	handedOff := false
	for _, a := range acts {
		if a.Kind == bot.Handoff {
			handedOff = true
			if strings.Contains(a.Handoff.Note, "Outage:") {
				t.Errorf("an old outage in the note:\n%s", a.Handoff.Note)
			}
		}
	}
	if !handedOff {
		t.Fatalf("no handoff: %+v", acts)
	}
}

// The outage's texts fit WhatsApp: buttons at most 20 characters, the notice and its
// question one bubble (1,024).
func TestOutage_TextsFit(t *testing.T) {
	for _, lang := range []string{"en", "es", "pt"} {
		b := newBot(t)
		b.Outages = &fakeOutages{o: bot.Outage{Active: true, ID: "out_1", ETA: outageNow.Add(30 * time.Hour)}}
		c := outageConv(lang)
		acts := say(b, c, "update my router", outageNow)
		if len(acts) != 1 || utf8.RuneCountInString(acts[0].Text) > 1024 {
			t.Fatalf("%s: %+v", lang, acts)
		}
		for _, it := range acts[0].Items {
			if n := utf8.RuneCountInString(it.Title); n > 20 {
				t.Errorf("%s: button %q has %d characters", lang, it.Title, n)
			}
		}
	}
}

// "Tell me when fixed" tapped after another message closed the question is still a yes;
// a subscribed customer who complains again is told of the outage, not asked again.
func TestOutage_LateTapAndComplaintAgain(t *testing.T) {
	b := newBot(t)
	b.Outages = &fakeOutages{o: bot.Outage{Active: true, ID: "out_1"}}
	c := outageConv("es")
	say(b, c, "no tengo internet", outageNow)
	say(b, c, "gracias", outageNow.Add(time.Minute))
	if c.State == bot.StateOutageNotice {
		t.Fatalf("the question is still open")
	}
	acts := say(b, c, "Sí, avísame", outageNow.Add(2*time.Minute))
	if c.Outage == nil || !c.Outage.Subscribed || len(acts) != 1 || !strings.Contains(acts[0].Text, "te escribo por aquí") {
		t.Fatalf("the late tap: %+v, outage %+v", acts, c.Outage)
	}
	acts = say(b, c, "sigo sin internet", outageNow.Add(time.Hour))
	if len(acts) != 1 || len(acts[0].Items) != 0 || !strings.Contains(acts[0].Text, "falla del servicio") ||
		!strings.Contains(acts[0].Text, "te escribo por aquí") || !c.Outage.Subscribed {
		t.Fatalf("complaining again: %+v, outage %+v", acts, c.Outage)
	}
}

// "can you restart my router please" to "Shall I tell you when the service is back?" is the
// restart asked for, not a polite yes: told it won't help, and not subscribed.
func TestOutage_PoliteRestartAtTheNoticeIsNoYes(t *testing.T) {
	b := newBot(t)
	b.Outages = &fakeOutages{o: bot.Outage{Active: true, ID: "out_1"}}
	c := outageConv("en")
	say(b, c, "my internet is down", outageNow)
	acts := say(b, c, "can you restart my router please", outageNow.Add(time.Minute))
	if c.Outage.Subscribed || len(acts) != 1 || !strings.Contains(acts[0].Text, "won't bring the service back") {
		t.Fatalf("got %+v (subscribed %v), want it won't help", acts, c.Outage.Subscribed)
	}
}

// An outage's expected end a few hours away is said as a duration and the time, never
// "tomorrow" for something two hours away past midnight; the time is on the business's
// clock (Bot.Zone, BOT_TIMEZONE) when there is one, else in the eta's own offset; a
// farther end keeps its day.
func TestOutage_ETASaidAsDurationOnBusinessClock(t *testing.T) {
	late := time.Date(2026, 12, 7, 22, 47, 0, 0, time.UTC)
	lima := time.FixedZone("PET", -5*3600)
	for _, tc := range []struct {
		name      string
		zone      *time.Location
		eta       time.Time
		want, not string
	}{
		{"two hours past midnight", nil, late.Add(2 * time.Hour), "in about 2 hours, around 12:47 AM", "tomorrow"},
		{"on the business clock", lima, late.Add(2 * time.Hour), "in about 2 hours, around 7:47 PM", "12:47"},
		{"in the eta's own offset", nil, late.Add(2 * time.Hour).In(lima), "around 7:47 PM", "12:47"},
		{"minutes", nil, late.Add(38 * time.Minute), "in about 40 minutes, around 11:25 PM", "hour"},
		{"about an hour", nil, late.Add(70 * time.Minute), "in about an hour, around 11:57 PM", "minutes"},
		{"a day away", nil, late.Add(26 * time.Hour), "on Wednesday at 12:47 AM", "about"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBot(t)
			b.Zone = tc.zone
			b.Outages = &fakeOutages{o: bot.Outage{Active: true, ID: "out_1", ETA: tc.eta}}
			acts := say(b, outageConv("en"), "my internet is not working", late)
			if len(acts) == 0 || !strings.Contains(acts[0].Text, tc.want) || strings.Contains(acts[0].Text, tc.not) {
				t.Fatalf("told %+v, want %q and no %q", acts, tc.want, tc.not)
			}
		})
	}
}

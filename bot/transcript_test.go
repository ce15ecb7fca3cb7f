package bot_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cwbot/cwbot/bot"
	"github.com/cwbot/cwbot/intents"
)

// Transcripts are conversations a support lead can read, kept under testdata/transcripts:
// what the customer says, what the bot answers (its buttons in brackets), and what
// happens around them. TestTranscripts plays the customer's side of each one against the
// bot and compares every answer with the file; `go test ./bot -run Transcripts -update`
// writes the answers the bot gives now (read the diff before committing it).
//
// A file opens with settings (optional), then the conversation:
//
//	# a comment, kept as it is
//	contact: name=Maria phone=+5215512345678 locale=es router=ZX-9900-AB12
//	agents: online | busy | closed           (default: online)
//	intake: default | none                   (default: none)
//	hours: mon-fri 09:00-18:00; sat 09:00-13:00   (the agents' hours, BOT_BUSINESS_HOURS; default: none known)
//	zone: America/Sao_Paulo                   (the business's clock, BOT_TIMEZONE; default: none, times in UTC)
//	nlu: kiero actualizar el router => update_router
//	nlu: can i still watch netflix meanwhile => billing 0.74   (a confidence: default 1; below 0.6 out of scope, leaning to it)
//	nlu: entao faca la a atualizacao do router => update_status 0.51, update_router 0.49   (the intents ranked after it)
//	> what the customer types
//	< what the bot says
//	  [Button] [Button]
//	= a handoff, a started update, a note, ... (what the bot does besides speaking)
//	* job accepted | job downloading | job failed timeout | job succeeded | agent online | agent says TEXT | opened | handback | pending | resolved | reopened | wait 2h
//	* outage on [ETA] | outage off | outage ended | outage down   (ETA a duration from now: 3h)
//	* media audio | media image [CAPTION]    (a voice note or photo the customer sends)
//
// The Outage API is a fake: no outage until "outage on" (with the ETA given; each one a
// new outage, out_1, out_2...); "outage off" ends it quietly, "outage ended" ends it and
// delivers its end to the bot, "outage down" makes the API fail.
//
// The classifier is a fixed table: the examples of the intents file, and the nlu: lines.
// Dialogue acts come from the real word lists. So a transcript depends on the dialogue's
// rules and words, never on the trained classifier's confidences.

var update = flag.Bool("update", false, "rewrite the transcripts with the bot's answers")

func TestTranscripts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "transcripts", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no transcripts under testdata/transcripts")
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txt"), func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			got, err := playTranscript(string(data))
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if got == string(data) {
				return
			}
			if *update {
				if err := os.WriteFile(f, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			t.Errorf("%s: the bot answers otherwise (go test ./bot -run Transcripts -update rewrites it):\n%s", f, lineDiff(string(data), got))
		})
	}
}

// leanThreshold is the built-in classifier's out-of-scope threshold, about: an nlu: line
// with a lower confidence is a text it only leans to that intent on.
const leanThreshold = 0.6

// tableNLU is a classifier that knows exactly the texts it is given: an intent, with a
// confidence after it when it is not 1 ("billing 0.74").
type tableNLU map[string]string

// InProcess: the table runs in the test's process, as the built-in classifier does; it
// reads a long message's parts (intents.InProcess).
func (n tableNLU) InProcess() bool { return true }

func (n tableNLU) Classify(_ context.Context, text string) (intents.Result, error) {
	if in, ok := n[intents.Normalize(text)]; ok {
		// "billing 0.74", or the intents ranked after it ("update_status 0.51, update_router 0.49")
		var ranked []intents.Scored
		for _, one := range strings.Split(in, ",") {
			name, conf, found := strings.Cut(strings.TrimSpace(one), " ")
			c := 1.0
			if found {
				var err error
				if c, err = strconv.ParseFloat(conf, 64); err != nil {
					return intents.Result{}, fmt.Errorf("nlu: %q: confidence %q: %w", text, conf, err)
				}
			}
			ranked = append(ranked, intents.Scored{Intent: name, Confidence: c})
		}
		name, c := ranked[0].Intent, ranked[0].Confidence
		if c < leanThreshold {
			// below the classifier's threshold it only leans to the intent: out of scope,
			// with the intent ranked first ("now about the bill => billing 0.3")
			return intents.Result{Intent: intents.OutOfScope, Confidence: c, Ranked: ranked}, nil
		}
		return intents.Result{Intent: name, Confidence: c, Ranked: ranked}, nil
	}
	return intents.Result{Intent: intents.OutOfScope}, nil
}

var exampleNLU = func() tableNLU {
	n := tableNLU{}
	for _, e := range intents.Default().Examples() {
		if e.Intent != intents.OutOfScope {
			n[intents.Normalize(e.Text)] = e.Intent
		}
	}
	return n
}()

// scriptedPresence answers with the agents: and hours: lines of the transcript.
type scriptedPresence struct {
	av    *bot.Availability
	hours **bot.Schedule
}

func (p scriptedPresence) Availability(context.Context, int64, int64, int64, time.Time) (bot.Availability, error) {
	av := *p.av
	av.Hours = *p.hours
	return av, nil
}

// scriptedOutages is the Outage API of a transcript.
type scriptedOutages struct {
	o    bot.Outage
	down bool
	n    int // outages so far
}

func (s *scriptedOutages) Outage(context.Context, string, string) (bot.Outage, error) {
	if s.down {
		return bot.Outage{}, fmt.Errorf("outage API: check: status=503")
	}
	return s.o, nil
}

var transcriptStart = time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC) // a Monday

func playTranscript(src string) (string, error) {
	ctx := context.Background()
	nlu := tableNLU{}
	for k, v := range exampleNLU {
		nlu[k] = v
	}
	av := &bot.Availability{Open: true, Online: true}
	var hours *bot.Schedule
	outages := &scriptedOutages{}
	b := &bot.Bot{NLU: nlu, RouterAttribute: "router_id", RouterPattern: regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{5,39}$`),
		MaxAttempts: 3, Presence: scriptedPresence{av, &hours}, Outages: outages}
	c := &bot.Conversation{AccountID: 1, ID: 7, Status: bot.StatusPending, CanReply: true}
	now := transcriptStart
	var out strings.Builder
	emit := func(acts []bot.Action) {
		for _, a := range acts {
			out.WriteString(renderAction(a))
		}
	}
	status := 1.0
	snapshot := func() *bot.Snapshot {
		status++
		return &bot.Snapshot{Status: c.Status, UpdatedAt: status, CanReply: true}
	}
	for n, line := range strings.Split(strings.TrimRight(src, "\n"), "\n") {
		bad := func(format string, args ...any) error {
			return fmt.Errorf("line %d: %s", n+1, fmt.Sprintf(format, args...))
		}
		switch {
		case strings.HasPrefix(line, "<"), strings.HasPrefix(line, "  ["), strings.HasPrefix(line, "="), strings.HasPrefix(line, "  "):
			continue // the bot's side: written anew below
		case strings.HasPrefix(line, "#"), strings.TrimSpace(line) == "":
			out.WriteString(line + "\n")
		case strings.HasPrefix(line, "contact:"):
			out.WriteString(line + "\n")
			for _, kv := range strings.Fields(strings.TrimPrefix(line, "contact:")) {
				k, v, _ := strings.Cut(kv, "=")
				switch k {
				case "name":
					c.Contact.Name = strings.ReplaceAll(v, "_", " ")
				case "phone":
					c.Contact.Phone = v
				case "locale":
					c.Contact.Locale = v
				case "router":
					c.Contact.Attributes = map[string]any{"router_id": v}
				default:
					return "", bad("unknown contact field %q", k)
				}
			}
		case strings.HasPrefix(line, "agents:"):
			out.WriteString(line + "\n")
			switch strings.TrimSpace(strings.TrimPrefix(line, "agents:")) {
			case "online":
				*av = bot.Availability{Open: true, Online: true}
			case "busy":
				*av = bot.Availability{Open: true, Online: false}
			case "closed":
				*av = bot.Availability{Open: false, Online: false, NextOpening: transcriptStart.Add(23 * time.Hour)}
			default:
				return "", bad("agents: online, busy or closed")
			}
		case strings.HasPrefix(line, "hours:"):
			out.WriteString(line + "\n")
			s, err := bot.ParseSchedule(strings.TrimPrefix(line, "hours:"), time.UTC)
			if err != nil {
				return "", bad("%v", err)
			}
			hours = s
		case strings.HasPrefix(line, "zone:"):
			out.WriteString(line + "\n")
			loc, err := time.LoadLocation(strings.TrimSpace(strings.TrimPrefix(line, "zone:")))
			if err != nil {
				return "", bad("%v", err)
			}
			b.Zone = loc
		case strings.HasPrefix(line, "serial_shape:"):
			out.WriteString(line + "\n")
			b.RouterShape = strings.TrimSpace(strings.TrimPrefix(line, "serial_shape:"))
		case strings.HasPrefix(line, "serial_pattern:"):
			out.WriteString(line + "\n")
			switch p := strings.TrimSpace(strings.TrimPrefix(line, "serial_pattern:")); p {
			case "none":
				b.RouterPattern = nil
			default:
				b.RouterPattern = regexp.MustCompile(p)
			}
		case strings.HasPrefix(line, "intake:"):
			out.WriteString(line + "\n")
			if strings.TrimSpace(strings.TrimPrefix(line, "intake:")) == "default" {
				b.Handoff.Intake = bot.DefaultIntake()
			}
		case strings.HasPrefix(line, "nlu:"):
			out.WriteString(line + "\n")
			text, in, ok := strings.Cut(strings.TrimPrefix(line, "nlu:"), "=>")
			if !ok {
				return "", bad("nlu: TEXT => INTENT")
			}
			nlu[intents.Normalize(text)] = strings.TrimSpace(in)
		case strings.HasPrefix(line, ">"):
			out.WriteString(line + "\n")
			now = now.Add(time.Minute)
			emit(b.Handle(ctx, c, bot.Event{Kind: bot.CustomerMessage, Text: strings.TrimSpace(line[1:]), Now: now, Snapshot: snapshot()}))
		case strings.HasPrefix(line, "*"):
			out.WriteString(line + "\n")
			now = now.Add(time.Minute)
			ev, err := scriptedEvent(strings.Fields(strings.TrimSpace(line[1:])), c, &now, av, outages)
			if err != nil {
				return "", bad("%v", err)
			}
			if ev.Kind == "" {
				continue
			}
			if ev.Kind == bot.ConversationChanged {
				ev.Snapshot.UpdatedAt = status + 1
				status++
			}
			emit(b.Handle(ctx, c, ev))
		default:
			return "", bad("not a transcript line: %q", line)
		}
	}
	return out.String(), nil
}

// scriptedEvent is the event of a "*" line.
func scriptedEvent(f []string, c *bot.Conversation, now *time.Time, av *bot.Availability, outages *scriptedOutages) (bot.Event, error) {
	if len(f) == 0 {
		return bot.Event{}, fmt.Errorf("an empty event")
	}
	attempt := 0
	if c.Update != nil {
		attempt = len(c.Update.Attempts)
	}
	job := func(state, step, reason, detail string) bot.Event {
		return bot.Event{Kind: bot.JobProgress, Now: *now, Job: &bot.JobUpdate{Attempt: attempt, RouterID: c.RouterID, State: state, Step: step, Reason: reason, Detail: detail}}
	}
	switch f[0] {
	case "job":
		if len(f) < 2 {
			return bot.Event{}, fmt.Errorf("job STEP, job succeeded, job failed [REASON]")
		}
		switch f[1] {
		case "queued":
			return job(bot.JobQueued, "", "", ""), nil
		case "accepted":
			return job(bot.JobAccepted, "", "", ""), nil
		case "offline":
			return job(bot.JobOffline, "", "", ""), nil
		case "downloading", "installing", "rebooting", "verifying":
			return job(bot.JobRunning, f[1], "", ""), nil
		case "succeeded":
			return job(bot.JobSucceeded, "", "", ""), nil
		case "delayed":
			return job(bot.JobDelayed, "", "", ""), nil
		case "cancelled":
			return job(bot.JobCancelled, "", "", ""), nil
		case "cancel_refused":
			return job(bot.JobCancelRefused, "", "", ""), nil
		case "failed":
			reason, detail := "", ""
			if len(f) > 2 {
				if f[2] == "detail" {
					detail = strings.Join(f[3:], " ")
				} else {
					reason = f[2]
				}
			}
			return job(bot.JobFailed, "", reason, detail), nil
		}
		return bot.Event{}, fmt.Errorf("unknown job event %q", f[1])
	case "agent":
		if len(f) >= 2 && f[1] == "online" {
			*av = bot.Availability{Open: true, Online: true}
			return bot.Event{Kind: bot.AgentsAvailable, Now: *now}, nil
		}
		if len(f) >= 2 && f[1] == "says" {
			return bot.Event{Kind: bot.AgentMessage, Now: *now, Text: strings.Join(f[2:], " "), Snapshot: &bot.Snapshot{Status: bot.StatusOpen}}, nil
		}
	case "opened":
		return bot.Event{Kind: bot.ConversationChanged, Now: *now, StatusChanged: true, Snapshot: &bot.Snapshot{Status: bot.StatusOpen, CanReply: true}}, nil
	case "resolved":
		return bot.Event{Kind: bot.ConversationChanged, Now: *now, StatusChanged: true, Snapshot: &bot.Snapshot{Status: bot.StatusResolved, CanReply: true}}, nil
	case "reopened":
		// the customer writes after a resolve: Chatwoot reopens the conversation to the bot
		return bot.Event{Kind: bot.ConversationChanged, Now: *now, StatusChanged: true, Snapshot: &bot.Snapshot{Status: bot.StatusPending, CanReply: true}}, nil
	case "pending":
		// Chatwoot's word that the conversation is pending, after the bot's own change (a
		// customer who left the agents' line): the same payload as an agent's hand-back
		return bot.Event{Kind: bot.ConversationChanged, Now: *now, StatusChanged: true, Snapshot: &bot.Snapshot{Status: bot.StatusPending, CanReply: true}}, nil
	case "handback":
		return bot.Event{Kind: bot.ConversationChanged, Now: *now, StatusChanged: true, Snapshot: &bot.Snapshot{Status: bot.StatusPending, CanReply: true}}, nil
	case "outage":
		switch {
		case len(f) >= 2 && f[1] == "on":
			outages.n++
			outages.o, outages.down = bot.Outage{Active: true, ID: fmt.Sprintf("out_%d", outages.n), Message: "fibre cut"}, false
			if len(f) == 3 {
				d, err := time.ParseDuration(f[2])
				if err != nil {
					return bot.Event{}, err
				}
				outages.o.ETA = now.Add(d).Truncate(30 * time.Minute)
			}
			return bot.Event{}, nil
		case len(f) == 2 && f[1] == "off":
			outages.o = bot.Outage{}
			return bot.Event{}, nil
		case len(f) == 2 && f[1] == "ended":
			id := outages.o.ID
			outages.o = bot.Outage{}
			return bot.Event{Kind: bot.OutageEnded, Now: *now, OutageID: id}, nil
		case len(f) == 2 && f[1] == "down":
			outages.down = true
			return bot.Event{}, nil
		}
		return bot.Event{}, fmt.Errorf("outage on [ETA], outage off, outage ended or outage down")
	case "media":
		// a photo or voice note the customer sends: media KIND [CAPTION]
		if len(f) >= 2 {
			return bot.Event{Kind: bot.CustomerMessage, Now: *now, Media: f[1], Text: strings.Join(f[2:], " "), Snapshot: &bot.Snapshot{Status: bot.StatusPending, CanReply: true}}, nil
		}
	case "wait":
		if len(f) == 2 {
			d, err := time.ParseDuration(f[1])
			if err != nil {
				return bot.Event{}, err
			}
			*now = now.Add(d)
			return bot.Event{}, nil
		}
	}
	return bot.Event{}, fmt.Errorf("unknown event %q", strings.Join(f, " "))
}

// renderAction writes an action as a transcript shows it.
func renderAction(a bot.Action) string {
	var sb strings.Builder
	switch a.Kind {
	case bot.SendMessage:
		text := a.Text
		if a.Template != nil {
			text = "(template " + a.Template.Name + ") " + text
		}
		for i, l := range strings.Split(text, "\n") {
			if i == 0 {
				sb.WriteString("< " + l + "\n")
			} else if l != "" {
				sb.WriteString("  " + l + "\n")
			}
		}
		if len(a.Items) > 0 {
			sb.WriteString(" ")
			for _, it := range a.Items {
				sb.WriteString(" [" + it.Title + "]")
			}
			sb.WriteString("\n")
		}
	case bot.SendNote:
		first, _, _ := strings.Cut(a.Text, "\n")
		sb.WriteString("= private note: " + first + "\n")
	case bot.StartJob:
		fmt.Fprintf(&sb, "= update started: router %s, attempt %d\n", a.Update.RouterID, a.Update.Attempt)
	case bot.CancelJob:
		fmt.Fprintf(&sb, "= update cancel asked: attempt %d\n", a.Update.Attempt)
	case bot.Handoff:
		p := a.Handoff
		fmt.Fprintf(&sb, "= handed off (%s)", p.Reason)
		if p.TeamID != 0 {
			fmt.Fprintf(&sb, " to team %d", p.TeamID)
		}
		sb.WriteString("\n")
		for _, l := range strings.Split(p.Note, "\n") {
			if strings.HasPrefix(l, "Why:") || strings.HasPrefix(l, "Last request:") || strings.HasPrefix(l, "Topic:") || strings.HasPrefix(l, "Also asked about:") ||
				strings.HasPrefix(l, "Other router serial") || strings.HasPrefix(l, "Router serials") {
				sb.WriteString("=   note: " + l + "\n")
			}
		}
		if p.Message != nil {
			sb.WriteString(renderAction(*p.Message))
		}
	case bot.SetAttributes:
		fmt.Fprintf(&sb, "= attributes: %s\n", strings.Join(a.Changed, ", "))
	case bot.SetStatus:
		fmt.Fprintf(&sb, "= status: %s\n", a.Status)
	}
	return sb.String()
}

// lineDiff shows the lines of want and got that differ, in order.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var sb strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			fmt.Fprintf(&sb, "line %d\n  file: %s\n  bot:  %s\n", i+1, a, b)
		}
	}
	return sb.String()
}

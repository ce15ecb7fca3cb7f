package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cwbot/cwbot/bot"
)

// confirmed is a conversation whose customer confirmed the update of ABC123456.
func confirmed(ctx context.Context, t *testing.T) (*bot.Bot, *bot.Conversation) {
	t.Helper()
	b := newBot(t)
	c := newConv()
	c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
	b.Handle(ctx, c, customer("update my router"))
	if acts := b.Handle(ctx, c, customer("yes")); len(acts) != 1 || acts[0].Kind != bot.StartJob {
		t.Fatalf("yes: %q, want the job started and nothing said before it reports", texts(acts))
	}
	return b, c
}

func report(c *bot.Conversation, j bot.JobUpdate) bot.Event {
	j.Attempt = c.Update.Attempts[len(c.Update.Attempts)-1].Attempt
	j.RouterID = "ABC123456"
	return bot.Event{Kind: bot.JobProgress, Now: time.Now(), Job: &j}
}

func said(acts []bot.Action) string {
	var out []string
	for _, a := range acts {
		if a.Kind == bot.SendMessage {
			out = append(out, a.Text)
		}
	}
	return strings.Join(out, " | ")
}

func hasRetry(acts []bot.Action) bool {
	for _, a := range acts {
		for _, it := range a.Items {
			if it.Value == "retry" {
				return true
			}
		}
	}
	return false
}

// The customer hears that the update was asked for at the job's first report, in one
// message with it; never before, and never after it already failed.
func TestUpdateIsAnnouncedAtTheJobsFirstReport(t *testing.T) {
	ctx := context.Background()
	t.Run("accepted", func(t *testing.T) {
		b, c := confirmed(ctx, t)
		got := said(b.Handle(ctx, c, report(c, bot.JobUpdate{State: bot.JobAccepted})))
		if !strings.HasPrefix(got, "OK, I've asked for the update.") {
			t.Fatalf("accepted: %q, want the start told", got)
		}
		got = said(b.Handle(ctx, c, report(c, bot.JobUpdate{State: bot.JobRunning, Step: "downloading"})))
		if !strings.HasPrefix(got, "Downloading") {
			t.Fatalf("next report: %q, want the step alone", got)
		}
	})
	t.Run("queued first", func(t *testing.T) {
		b, c := confirmed(ctx, t)
		acts := b.Handle(ctx, c, report(c, bot.JobUpdate{State: bot.JobQueued}))
		if len(acts) != 1 || !strings.HasPrefix(acts[0].Text, "OK, I've asked for the update.") || strings.Contains(acts[0].Text, "queued") {
			t.Fatalf("first report queued: %q, want the start told once, without queued again", texts(acts))
		}
	})
	t.Run("unknown router", func(t *testing.T) {
		b, c := confirmed(ctx, t)
		acts := b.Handle(ctx, c, report(c, bot.JobUpdate{State: bot.JobFailed, Reason: bot.ReasonUnknownRouter}))
		got := said(acts)
		if strings.Contains(got, "asked for") || !strings.Contains(got, "couldn't find router ABC123456") || hasRetry(acts) {
			t.Fatalf("unknown router: %q, want it told alone, without Try again", got)
		}
	})
}

// A reboot without firmware is announced, followed and ended as a restart.
func TestRestartOnlyIsToldAsARestart(t *testing.T) {
	ctx := context.Background()
	b, c := confirmed(ctx, t)
	var all []string
	for _, j := range []bot.JobUpdate{
		{State: bot.JobAccepted, Restart: true},
		{State: bot.JobQueued, Restart: true},
		{State: bot.JobRunning, Step: "rebooting", Restart: true},
		{State: bot.JobSucceeded, Restart: true},
	} {
		all = append(all, said(b.Handle(ctx, c, report(c, j))))
	}
	text := strings.Join(all, " | ")
	if !strings.Contains(text, "I've asked for the restart") || !strings.Contains(text, "Your router has restarted and is back online") {
		t.Fatalf("told %q, want a restart announced and ended", all)
	}
	for _, wrong := range []string{"update", "software"} {
		if strings.Contains(text, wrong) {
			t.Fatalf("told %q: a restart is not an %s", all, wrong)
		}
	}
	if got := said(b.Handle(ctx, c, customer("how is my update going?"))); !strings.Contains(got, "your router restarted and came back online") {
		t.Fatalf("status after the restart: %q", got)
	}
}

// A router that cannot be reached is told once, the status says so, and the failure at the
// end of the wait says plainly that nothing was changed; Try again is worth it.
func TestOfflineRouterIsToldThenFailsPlainly(t *testing.T) {
	ctx := context.Background()
	b, c := confirmed(ctx, t)
	b.Handle(ctx, c, report(c, bot.JobUpdate{State: bot.JobAccepted}))
	got := said(b.Handle(ctx, c, report(c, bot.JobUpdate{State: bot.JobOffline})))
	if !strings.Contains(got, "can't reach your router") || !strings.Contains(got, "switched on") {
		t.Fatalf("offline: %q, want the customer told the router cannot be reached", got)
	}
	if again := b.Handle(ctx, c, report(c, bot.JobUpdate{State: bot.JobOffline})); len(again) != 0 {
		t.Fatalf("offline again: %q, want it told once", texts(again))
	}
	c.Update.State = bot.JobQueued
	if got := said(b.Handle(ctx, c, customer("how is my update going?"))); !strings.Contains(got, "waiting for your router to come online") {
		t.Fatalf("status while offline: %q", got)
	}
	acts := b.Handle(ctx, c, report(c, bot.JobUpdate{State: bot.JobFailed, Reason: bot.ReasonOffline}))
	if got := said(acts); !strings.Contains(got, "couldn't reach your router, so nothing was changed") || !hasRetry(acts) {
		t.Fatalf("offline failure: %q, want it told plainly, with Try again", texts(acts))
	}
}

// A failure says what failed and whether the internet should work now.
func TestFailureSaysWhatFailedAndWhetherTheInternetWorks(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		steps []string
		fail  bot.JobUpdate
		want  []string
		retry bool
	}{
		{"download", []string{"downloading"}, bot.JobUpdate{Step: "downloading"}, []string{"couldn't download the new software", "internet should work as before"}, true},
		{"install", []string{"downloading", "installing"}, bot.JobUpdate{Step: "installing"}, []string{"couldn't install the new software", "as before"}, true},
		{"no come back", []string{"rebooting"}, bot.JobUpdate{Step: "rebooting"}, []string{"did not come back online after restarting", "switch the router off"}, true},
		{"timeout restarting", []string{"rebooting"}, bot.JobUpdate{Reason: bot.ReasonTimeout}, []string{"did not come back online in time", "switch the router off"}, true},
		{"timeout installing", []string{"installing"}, bot.JobUpdate{Reason: bot.ReasonTimeout}, []string{"did not finish in time", "leave the router switched on"}, true},
		{"timeout never started", nil, bot.JobUpdate{Reason: bot.ReasonTimeout}, []string{"didn't respond in time, so nothing was changed", "as before"}, true},
		{"service down", nil, bot.JobUpdate{Reason: bot.ReasonUnavailable}, []string{"isn't answering right now, so nothing was changed", "as before"}, true},
		{"not supported", []string{"rebooting"}, bot.JobUpdate{Step: "rebooting", Reason: bot.ReasonUnsupported, Restart: true}, []string{"The restart failed.", "can't be restarted from here", "as before"}, false},
		{"rejected", nil, bot.JobUpdate{Reason: bot.ReasonRejected}, []string{"can't update this router from here", "as before"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, c := confirmed(ctx, t)
			b.Handle(ctx, c, report(c, bot.JobUpdate{State: bot.JobAccepted}))
			for _, step := range tc.steps {
				b.Handle(ctx, c, report(c, bot.JobUpdate{State: bot.JobRunning, Step: step}))
			}
			j := tc.fail
			j.State, j.Detail = bot.JobFailed, "cwmp.9002 internal error"
			acts := b.Handle(ctx, c, report(c, j))
			got := said(acts)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Fatalf("failure told %q, want %q", got, w)
				}
			}
			if strings.Contains(got, "cwmp") {
				t.Fatalf("failure told %q: the telco's words are for the agents", got)
			}
			if hasRetry(acts) != tc.retry {
				t.Fatalf("failure menu %q: Try again offered=%v, want %v", texts(acts), !tc.retry, tc.retry)
			}
			// "Is my router OK now?" later gets the same facts.
			b.Handle(ctx, c, customer("hi"))
			status := said(b.Handle(ctx, c, customer("how is my update going?")))
			for _, w := range tc.want[1:] {
				if !strings.Contains(status, w) {
					t.Fatalf("status after the failure: %q, want %q", status, w)
				}
			}
			if hint := "Say \"update my router\" to try again"; strings.Contains(status, hint) != tc.retry {
				t.Fatalf("status after the failure: %q, retry hint offered=%v, want %v", status, !tc.retry, tc.retry)
			}
		})
	}
}

// "How is my update going?" while it is queued says so, without "in progress" in front.
func TestQueuedStatusDoesNotContradictItself(t *testing.T) {
	ctx := context.Background()
	b, c := confirmed(ctx, t)
	b.Handle(ctx, c, report(c, bot.JobUpdate{State: bot.JobQueued}))
	got := said(b.Handle(ctx, c, customer("how is my update going?")))
	if !strings.Contains(got, "queued") || strings.Contains(got, "in progress") {
		t.Fatalf("status while queued: %q", got)
	}
}

// The hourly limit is told truthfully when every attempt failed: the router was not
// "updated several times".
func TestHourlyLimitAfterFailuresIsToldTruthfully(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	c := newConv()
	c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
	b.MaxAttempts = 10
	for range 3 {
		b.Handle(ctx, c, customer("update my router"))
		b.Handle(ctx, c, customer("yes"))
		b.Handle(ctx, c, report(c, bot.JobUpdate{State: bot.JobFailed, Step: "downloading"}))
	}
	b.Handle(ctx, c, customer("update my router"))
	got := said(b.Handle(ctx, c, customer("yes")))
	if !strings.Contains(got, "several update attempts") || strings.Contains(got, "has been updated") {
		t.Fatalf("limit after three failures: %q", got)
	}
}

// The hourly limit's "try again at 03:58" is told in the business's clock (BOT_TIMEZONE),
// as every other time the bot says, not in the clock of the server's now.
func TestHourlyLimitToldInTheBusinessClock(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC) // Sunday 00:00 in São Paulo
	limitText := func(zone *time.Location) string {
		b := newBot(t)
		b.Zone = zone
		b.MaxAttempts = 10
		c := newConv()
		c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
		for i := range 4 {
			confirmUpdateAt(ctx, b, c, at.Add(time.Duration(i)*time.Minute))
			ev := report(c, bot.JobUpdate{State: bot.JobFailed, Step: "downloading"})
			ev.Now = at.Add(time.Duration(i)*time.Minute + 30*time.Second)
			b.Handle(ctx, c, ev)
		}
		var got string
		for _, text := range []string{"update my router", "yes"} {
			ev := customer(text)
			ev.Now = at.Add(5 * time.Minute)
			got = said(b.Handle(ctx, c, ev))
		}
		return got
	}
	sp, err := time.LoadLocation("America/Sao_Paulo")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	utc, local := limitText(nil), limitText(sp)
	if !strings.Contains(utc, "at 4 AM") || !strings.Contains(local, "at 1 AM") || strings.Contains(local, "4 AM") {
		t.Fatalf("the limit's time: at UTC %q, in São Paulo %q; want 4 AM and 1 AM", utc, local)
	}
}

// A failure the telco reports without a step is not blamed on the last step told: the
// telco lost the update, the download did not fail.
func TestFailureWithoutAStepIsNotBlamedOnTheLastStep(t *testing.T) {
	ctx := context.Background()
	b, c := confirmed(ctx, t)
	b.Handle(ctx, c, report(c, bot.JobUpdate{State: bot.JobRunning, Step: "downloading"}))
	got := said(b.Handle(ctx, c, report(c, bot.JobUpdate{State: bot.JobFailed, Detail: "the telco no longer knows this update"})))
	if !strings.HasPrefix(got, "The update failed.") || strings.Contains(got, "download") {
		t.Fatalf("failure without a step: %q", got)
	}
	b.Handle(ctx, c, customer("hi"))
	if got := said(b.Handle(ctx, c, customer("how is my update going?"))); strings.Contains(got, "download") {
		t.Fatalf("status after it: %q", got)
	}
}

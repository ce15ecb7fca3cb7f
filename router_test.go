package main

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
	"github.com/cwbot/cwbot/process"
	"github.com/cwbot/cwbot/process/telcosim"
	"github.com/cwbot/cwbot/store"
)

const telcoSecret = "telco-callback-secret"

// routerHarness is the service with a scripted telco behind it.
type routerHarness struct {
	*harness
	sim *telcosim.Sim
}

// freeAddr reserves a loopback port so BOT_PUBLIC_URL (the telco's callback URL) is known
// before the service starts.
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func newRouterHarness(t *testing.T, mod func(*Config), hopts ...func(*harness)) *routerHarness {
	t.Helper()
	sim := telcosim.New(telcosim.Options{Manual: true, Token: "telco-token", CallbackSecret: telcoSecret, Logf: t.Logf})
	srv := httptest.NewServer(sim)
	t.Cleanup(func() { sim.Close(); srv.Close() })
	addr := freeAddr(t)
	h := newHarness(t, nil, func(c *Config) {
		c.Addr = addr
		c.PublicURL = "http://" + addr
		c.TelcoURL = srv.URL
		c.TelcoToken = "telco-token"
		c.TelcoCallbackSecret = telcoSecret
		c.TelcoPollInterval = time.Hour // callbacks drive these tests unless one says otherwise
		if mod != nil {
			mod(c)
		}
	}, hopts...)
	return &routerHarness{harness: h, sim: sim}
}

func (h *routerHarness) conv(routerID string) int64 {
	spec := chatwoottest.ConversationSpec{ContactName: "Maria Silva"}
	if routerID != "" {
		spec.ContactAttributes = map[string]any{"router_id": routerID}
	}
	return h.cw.NewConversation(spec)
}

// tap answers the bot's last menu the way WhatsApp does: the button title as text.
func (h *routerHarness) tap(conv int64, value string) {
	h.t.Helper()
	msgs := h.public(conv)
	for i := len(msgs) - 1; i >= 0; i-- {
		for _, it := range msgs[i].Items {
			if it.Value == value {
				if _, err := h.cw.CustomerTaps(h.ctx, conv, it.Title, msgs[i].ID); err != nil {
					h.t.Fatal(err)
				}
				h.settle()
				return
			}
		}
		if len(msgs[i].Items) > 0 {
			break
		}
	}
	h.t.Fatalf("no button %q in the last menu; posted %q", value, contents(msgs))
}

// started waits for the n-th operation to exist at the telco and returns its id.
func (h *routerHarness) started(n int) string {
	h.t.Helper()
	deadline := time.Now().Add(hangGuard)
	for {
		ops := h.sim.Operations()
		if len(ops) >= n {
			h.settle()
			return ops[n-1].ID
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("%d operations at the telco, want %d", len(ops), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (h *routerHarness) advance(op string, times int) {
	h.t.Helper()
	for i := 0; i < times; i++ {
		if _, err := h.sim.Advance(op); err != nil {
			h.t.Fatal(err)
		}
		h.settle()
	}
}

func (h *routerHarness) lastText(conv int64) string {
	msgs := h.public(conv)
	if len(msgs) == 0 {
		return ""
	}
	return msgs[len(msgs)-1].Content
}

// since returns what was posted after the first n messages.
func (h *routerHarness) since(conv int64, n int) []string {
	return contents(h.public(conv))[n:]
}

// afterStart returns what was posted after the latest "I've asked for the update".
func (h *routerHarness) afterStart(conv int64) []string {
	all := contents(h.public(conv))
	for i := len(all) - 1; i >= 0; i-- {
		if strings.HasPrefix(all[i], "OK, I've asked for the update") || strings.HasPrefix(all[i], "OK, I'm trying again") {
			return all[i+1:]
		}
	}
	h.t.Fatalf("no start message in %q", all)
	return nil
}

// afterConfirm returns what was posted after the latest confirmation question: the start
// message is told at the job's first report, after the telco answered.
func (h *routerHarness) afterConfirm(conv int64) []string {
	all := contents(h.public(conv))
	for i := len(all) - 1; i >= 0; i-- {
		if strings.Contains(all[i], "Shall I go ahead?") {
			return all[i+1:]
		}
	}
	h.t.Fatalf("no confirmation in %q", all)
	return nil
}

func (h *routerHarness) askAndConfirm(conv int64) {
	h.t.Helper()
	h.says(conv, "I want to update my router")
	h.settle()
	if last := h.public(conv); len(last) == 0 || !strings.Contains(last[len(last)-1].Content, "update the software of router") {
		h.t.Fatalf("posted %q, want the confirmation", contents(last))
	}
	h.tap(conv, "yes")
}

// successSteps follow the start message, which says the update was asked for: its being
// queued is not told again.
var successSteps = []string{
	"Downloading the new software",
	"Installing the new software",
	"Restarting your router",
	"Your router is back online",
	"Your router is updated and back online",
}

func assertSteps(t *testing.T, got []string, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("told %d messages %q, want %d", len(got), got, len(want))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Fatalf("message %d=%q, want prefix %q (all: %q)", i, got[i], want[i], got)
		}
	}
}

func TestRouterUpdate(t *testing.T) {
	t.Parallel()
	t.Run("SuccessEveryStepInOrder", func(t *testing.T) {
		h := newRouterHarness(t, nil)
		conv := h.conv("ABC123456")
		h.askAndConfirm(conv)
		op := h.started(1)
		started := h.public(conv)[len(h.public(conv))-len(h.afterStart(conv))-1]
		if !strings.Contains(started.Content, "internet will drop") || !strings.Contains(started.Content, "uses this Wi-Fi") || !strings.Contains(started.Content, "keep chatting") {
			t.Fatalf("start message %q, want the warning about the connection and the invitation to keep chatting", started.Content)
		}
		h.advance(op, 5)
		assertSteps(t, h.afterStart(conv), successSteps)
		jobs, _ := h.app.DB.ListJobs(h.ctx, false, 10)
		if len(jobs) != 1 || jobs[0].State != "succeeded" || jobs[0].RouterID != "ABC123456" {
			t.Fatalf("jobs=%+v, want one succeeded job for ABC123456", jobs[0])
		}
	})
	t.Run("FailureRetrySuccess", func(t *testing.T) {
		h := newRouterHarness(t, nil)
		conv := h.conv("ABC123456")
		h.sim.SetNextScenario(telcosim.Scenario{FailAt: process.StepInstalling, Detail: "firmware image checksum mismatch"})
		h.askAndConfirm(conv)
		op := h.started(1)
		h.advance(op, 4)
		last := h.public(conv)[len(h.public(conv))-1]
		// The telco's own words ("firmware image checksum mismatch") are for the agent's note.
		if !strings.HasPrefix(last.Content, "The update failed.") || strings.Contains(last.Content, "checksum") || len(last.Items) != 3 {
			t.Fatalf("failure message %+v, want it told plainly and Try again / Talk to an agent / Cancel", last)
		}
		h.tap(conv, "retry")
		op2 := h.started(2)
		h.advance(op2, 5)
		assertSteps(t, h.afterStart(conv), successSteps)
	})
	// The telco lost the operation (its status answers 404): the attempt failed, and
	// trying again is offered and works, unlike a refusal.
	t.Run("OperationLostRetry", func(t *testing.T) {
		h := newRouterHarness(t, func(c *Config) { c.TelcoPollInterval = 20 * time.Millisecond })
		conv := h.conv("ABC123456")
		h.askAndConfirm(conv)
		h.sim.Forget(h.started(1))
		deadline := time.Now().Add(hangGuard)
		for !strings.HasPrefix(h.lastText(conv), "The update failed.") && time.Now().Before(deadline) {
			h.settle()
		}
		if last := h.public(conv)[len(h.public(conv))-1]; !strings.HasPrefix(last.Content, "The update failed.") || len(last.Items) != 3 {
			t.Fatalf("after the telco lost the update: %q, want it told plainly and Try again / Talk to an agent / Cancel", last.Content)
		}
		h.tap(conv, "retry")
		h.advance(h.started(1), 5)
		assertSteps(t, h.afterStart(conv), successSteps)
	})
	t.Run("FailureTalkToAgent", func(t *testing.T) {
		h := newRouterHarness(t, nil)
		conv := h.conv("ABC123456")
		h.sim.SetNextScenario(telcosim.Scenario{FailAt: process.StepDownloading, Detail: "no space left on device"})
		h.askAndConfirm(conv)
		h.advance(h.started(1), 3)
		h.tap(conv, "agent") // no intake question: the bot saw the update fail
		if got := h.cw.Conversation(conv).Status; got != "open" {
			t.Fatalf("status=%s, want open after the handoff", got)
		}
		notes := h.notes(conv)
		if len(notes) != 1 || !strings.Contains(notes[0].Content, "attempt 1: failed; steps: downloading; failure:") || !strings.Contains(notes[0].Content, "no space left on device") {
			t.Fatalf("notes=%q, want the update history with its failure", contents(notes))
		}
	})
	t.Run("FailureCancel", func(t *testing.T) {
		h := newRouterHarness(t, nil)
		conv := h.conv("ABC123456")
		h.sim.SetNextScenario(telcosim.Scenario{FailAt: process.StepDownloading})
		h.askAndConfirm(conv)
		h.advance(h.started(1), 3)
		n := len(h.public(conv))
		h.tap(conv, "cancel")
		if got := h.since(conv, n); len(got) != 1 || !strings.Contains(got[0], "called it off") || !strings.Contains(got[0], "What would you like to do?") {
			t.Fatalf("after cancel %q, want cancelled and the menu", got)
		}
		if len(h.sim.Operations()) != 1 {
			t.Fatal("a cancelled failure started another update")
		}
	})
	t.Run("RetryBudget", func(t *testing.T) {
		h := newRouterHarness(t, func(c *Config) { c.RouterMaxAttempts = 2 })
		conv := h.conv("ABC123456")
		h.sim.SetScenario("ABC123456", telcosim.Scenario{FailAt: process.StepDownloading})
		h.askAndConfirm(conv)
		h.advance(h.started(1), 3)
		h.tap(conv, "retry")
		h.advance(h.started(2), 3)
		last := h.public(conv)[len(h.public(conv))-1]
		var values []string
		for _, it := range last.Items {
			values = append(values, it.Value)
		}
		if fmt.Sprint(values) != "[agent cancel]" {
			t.Fatalf("menu after the last attempt %v, want [agent cancel]", values)
		}
	})
	t.Run("UnknownRouter", func(t *testing.T) {
		h := newRouterHarness(t, nil)
		h.sim.AddUnknownRouter("NOPE12345")
		conv := h.conv("NOPE12345")
		h.askAndConfirm(conv)
		deadline := time.Now().Add(hangGuard)
		for !strings.Contains(h.lastText(conv), "What would you like to do?") && time.Now().Before(deadline) {
			h.settle()
		}
		if got := h.lastText(conv); !strings.Contains(got, "couldn't find router NOPE12345") {
			t.Fatalf("posted %q, want the unknown router explained", got)
		}
	})
	t.Run("AlreadyRunningAttaches", func(t *testing.T) {
		// The telco does not know our callback URL for this operation: polling follows it.
		h := newRouterHarness(t, func(c *Config) { c.TelcoPollInterval = 20 * time.Millisecond })
		other := process.NewHTTPRunner(h.cfg.TelcoURL, "telco-token", "", nil)
		first, err := other.Start(h.ctx, "ABC123456", "someone-else")
		if err != nil {
			t.Fatal(err)
		}
		conv := h.conv("ABC123456")
		h.askAndConfirm(conv)
		n := len(h.public(conv))
		time.Sleep(50 * time.Millisecond)
		h.settle()
		if ops := h.sim.Operations(); len(ops) != 1 {
			t.Fatalf("%d operations, want the running one only", len(ops))
		}
		for i := 0; i < 5; i++ {
			if _, err := h.sim.Advance(first.ID); err != nil {
				t.Fatal(err)
			}
		}
		deadline := time.Now().Add(hangGuard)
		for !strings.HasPrefix(h.lastText(conv), "Your router is updated") && time.Now().Before(deadline) {
			h.settle()
		}
		got := h.since(conv, n)
		if len(got) == 0 || !strings.HasPrefix(got[len(got)-1], "Your router is updated") {
			t.Fatalf("posted %q, want the attached update's success", got)
		}
	})
	t.Run("LostCallbacksPollingFinishes", func(t *testing.T) {
		h := newRouterHarness(t, func(c *Config) { c.TelcoPollInterval = 20 * time.Millisecond })
		conv := h.conv("ABC123456")
		h.sim.SetNextScenario(telcosim.Scenario{LoseCallbacks: true})
		h.askAndConfirm(conv)
		n := len(h.public(conv))
		op := h.started(1)
		for i := 0; i < 5; i++ {
			if _, err := h.sim.Advance(op); err != nil {
				t.Fatal(err)
			}
			time.Sleep(60 * time.Millisecond) // a poll sees each step
		}
		deadline := time.Now().Add(hangGuard)
		for !strings.HasPrefix(h.lastText(conv), "Your router is updated") && time.Now().Before(deadline) {
			h.settle()
		}
		got := h.since(conv, n)
		if len(got) == 0 || !strings.HasPrefix(got[len(got)-1], "Your router is updated") {
			t.Fatalf("posted %q, want polling to finish the update", got)
		}
		if len(h.sim.Callbacks()) != 0 {
			t.Fatal("callbacks were sent despite LoseCallbacks")
		}
	})
	t.Run("DuplicatedAndReorderedCallbacks", func(t *testing.T) {
		for _, sc := range []telcosim.Scenario{{DuplicateCallbacks: true}, {ReorderCallbacks: true}} {
			h := newRouterHarness(t, nil)
			conv := h.conv("ABC123456")
			h.sim.SetNextScenario(sc)
			h.askAndConfirm(conv)
			n := len(h.public(conv))
			h.advance(h.started(1), 5)
			got := h.since(conv, n)
			// Each step at most once, always forward, and the success at the end.
			seen := map[string]bool{}
			for _, g := range got {
				if seen[g] {
					t.Fatalf("%+v: told %q twice: %q", sc, g, got)
				}
				seen[g] = true
			}
			if len(got) == 0 || !strings.HasPrefix(got[len(got)-1], "Your router is updated") {
				t.Fatalf("%+v: posted %q, want success last", sc, got)
			}
			for i := 1; i < len(got); i++ {
				if stepIndex(got[i]) < stepIndex(got[i-1]) {
					t.Fatalf("%+v: told %q after %q", sc, got[i], got[i-1])
				}
			}
		}
	})
	t.Run("Timeout", func(t *testing.T) {
		// The service's clock is the test's: the job's deadline passes once the update is
		// under way, when the clock jumps past it, however slow the machine (a 300 ms
		// deadline could pass before the first call to the telco).
		var offset atomic.Int64
		clock := func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
		h := newRouterHarness(t, func(c *Config) {
			c.TelcoJobTimeout = time.Hour
			c.TelcoPollInterval = 50 * time.Millisecond
		}, withClock(clock))
		conv := h.conv("ABC123456")
		h.sim.SetNextScenario(telcosim.Scenario{NeverFinish: true})
		h.askAndConfirm(conv)
		h.advance(h.started(1), 2)
		offset.Add(int64(2 * time.Hour))
		deadline := time.Now().Add(hangGuard)
		for !strings.Contains(h.lastText(conv), "did not finish in time") && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
			h.settle()
		}
		if got := h.lastText(conv); !strings.Contains(got, "did not finish in time") {
			t.Fatalf("posted %q, want the timeout told", got)
		}
	})
	t.Run("RestartMidJob", func(t *testing.T) {
		// A poll interval far longer than the test: only the poll at restart can tell.
		h := newRouterHarness(t, func(c *Config) { c.TelcoPollInterval = time.Hour })
		conv := h.conv("ABC123456")
		h.askAndConfirm(conv)
		op := h.started(1)
		h.advance(op, 2) // queued, downloading, installing told
		h.stop()
		for i := 0; i < 2; i++ { // rebooting, verifying happen while the bot is down
			if _, err := h.sim.Advance(op); err != nil {
				t.Fatal(err)
			}
		}
		h.start() // polls at once: tells where the router is now, not what it missed
		deadline := time.Now().Add(hangGuard)
		for !strings.HasPrefix(h.lastText(conv), "Your router is back online") && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
			h.settle()
		}
		h.advance(op, 1)
		want := []string{successSteps[0], successSteps[1], successSteps[3], successSteps[4]}
		assertSteps(t, h.afterStart(conv), want)
	})
	t.Run("BadCallbackSignature", func(t *testing.T) {
		h := newRouterHarness(t, nil)
		body := []byte(`{"id":"op-1","state":"succeeded","step":"","updated_at":"2026-04-20T13:00:00Z"}`)
		for name, hdr := range map[string][2]string{
			"Unsigned": {"", ""},
			"Wrong":    {fmt.Sprint(time.Now().Unix()), process.SignCallback("nope", time.Now().Unix(), body)},
			"Stale":    {fmt.Sprint(time.Now().Add(-time.Hour).Unix()), process.SignCallback(telcoSecret, time.Now().Add(-time.Hour).Unix(), body)},
		} {
			req, _ := http.NewRequest(http.MethodPost, h.app.URL()+"/webhooks/telco", bytes.NewReader(body))
			if hdr[0] != "" {
				req.Header.Set(process.HeaderTimestamp, hdr[0])
				req.Header.Set(process.HeaderSignature, hdr[1])
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("%s: status=%d, want 401", name, resp.StatusCode)
			}
		}
	})
	// A cancel once the worker sent the update: the customer hears it cannot be called off
	// and when the internet drops, the status agrees (queued), and the update goes on.
	t.Run("CancelAfterSentGoesOn", func(t *testing.T) {
		h := newRouterHarness(t, nil)
		conv := h.conv("ABC123456")
		h.askAndConfirm(conv)
		op := h.started(1)
		for _, tc := range []struct{ say, want string }{
			{"cancel it", "already been sent to your router"},
			{"has it started?", "queued"},
		} {
			h.says(conv, tc.say)
			h.settle()
			if got := h.lastText(conv); !strings.Contains(got, tc.want) {
				t.Fatalf("%q answered %q, want %q", tc.say, got, tc.want)
			}
		}
		h.advance(op, 5)
		if got := h.lastText(conv); !strings.Contains(got, "updated and back online") {
			t.Fatalf("after a refused cancel: %q, want the update done", got)
		}
	})
	t.Run("ChattingMidJob", func(t *testing.T) {
		h := newRouterHarness(t, nil)
		conv := h.conv("ABC123456")
		h.askAndConfirm(conv)
		op := h.started(1)
		h.advance(op, 2)
		for _, tc := range []struct{ say, want string }{
			{"how is my update going?", "under way: it's installing the new software now"},
			{"thanks!", "welcome"},
			{"update my router", "already under way"},
			{"cancel", "can't call it off"},
		} {
			h.says(conv, tc.say)
			h.settle()
			if got := h.lastText(conv); !strings.Contains(got, tc.want) {
				t.Fatalf("%q answered %q, want %q", tc.say, got, tc.want)
			}
		}
		n := len(h.public(conv))
		h.advance(op, 3)
		assertSteps(t, h.since(conv, n), successSteps[2:])
	})
	t.Run("AskSerial", func(t *testing.T) {
		h := newRouterHarness(t, nil)
		conv := h.conv("")
		h.says(conv, "please update my router")
		h.settle()
		if got := h.lastText(conv); !strings.Contains(got, "serial number") {
			t.Fatalf("posted %q, want the question for the serial", got)
		}
		h.says(conv, "it's the white one")
		h.settle()
		if got := h.lastText(conv); !strings.Contains(got, "doesn't look like a serial") {
			t.Fatalf("posted %q, want the bad serial explained", got)
		}
		h.says(conv, "zx-9900-ab12")
		h.settle()
		if got := h.lastText(conv); !strings.Contains(got, "router ZX-9900-AB12") {
			t.Fatalf("posted %q, want the confirmation for ZX-9900-AB12", got)
		}
		if got := h.cw.Conversation(conv).CustomAttributes["router_id"]; got != "ZX-9900-AB12" {
			t.Fatalf("custom attribute router_id=%v, want ZX-9900-AB12", got)
		}
		h.tap(conv, "yes")
		op := h.started(1)
		if st, _ := h.sim.Operation(op); st.ID == "" {
			t.Fatal("no operation")
		}
		jobs, _ := h.app.DB.ListJobs(h.ctx, false, 10)
		if len(jobs) != 1 || jobs[0].RouterID != "ZX-9900-AB12" {
			t.Fatalf("jobs=%+v, want the typed router", jobs)
		}
	})
}

func stepIndex(s string) int {
	for i, p := range successSteps {
		if strings.HasPrefix(s, p) {
			return i
		}
	}
	return -1
}

var _ = store.JobStarting

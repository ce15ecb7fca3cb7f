package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
	"github.com/cwbot/cwbot/process"
	"github.com/cwbot/cwbot/process/telcosim"
)

const (
	outageRouter = "ZX-9900-AB12"
	outageToken  = "outage-token-secret"
	outageCBKey  = "telco-callback-secret"
)

// outageAPI is the simulator's Outage API on loopback, signing its callbacks with the
// telco's callback secret.
func outageAPI(t *testing.T) (*telcosim.Sim, string) {
	t.Helper()
	sim := telcosim.New(telcosim.Options{Token: outageToken, CallbackSecret: outageCBKey, Manual: true})
	srv := httptest.NewServer(sim)
	t.Cleanup(func() { sim.Close(); srv.Close() })
	return sim, srv.URL
}

// shellFreeAddr reserves a loopback port and frees it, for a service whose public URL must be
// known before it starts.
func shellFreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// withOutages points the service at the Outage API, on a port known before it starts so
// that the telco can call it back.
func withOutages(t *testing.T, url string, timeout time.Duration) func(*Config) {
	return func(cfg *Config) {
		addr, err := shellFreeAddr()
		if err != nil {
			t.Fatal(err)
		}
		cfg.Addr, cfg.PublicURL = addr, "http://"+addr
		cfg.OutageURL, cfg.OutageToken, cfg.OutageTimeout = url, outageToken, timeout
		cfg.TelcoCallbackSecret = outageCBKey
	}
}

var outageClock = time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)

func outageCustomer(h *harness) int64 {
	return h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Maria Jones", Phone: "+14155550100",
		ContactAttributes: map[string]any{"router_id": outageRouter}})
}

func lastPublic(h *harness, conv int64) string {
	msgs := h.public(conv)
	if len(msgs) == 0 {
		return ""
	}
	return msgs[len(msgs)-1].Content
}

// An outage, end to end: the customer complains, hears of the outage and when it should
// be over (no restart), asks to be told; the telco posts its end and the customer is
// told, once. No router update ever starts.
func TestOutage_ToldAndToldAgainWhenOver(t *testing.T) {
	sim, url := outageAPI(t)
	sim.SetOutage(outageRouter, telcosim.Outage{ID: "out_42", Message: "fibre cut", ETA: outageClock.Add(3*time.Hour + 30*time.Minute)})
	h := newHarness(t, nil, withOutages(t, url, 2*time.Second), withClock(func() time.Time { return outageClock }))
	conv := outageCustomer(h)

	h.says(conv, "my internet is not working")
	h.settle()
	notice := lastPublic(h, conv)
	if !strings.Contains(notice, "outage in your area") || !strings.Contains(notice, "back in about 3 hours, around 1:30 PM") ||
		!strings.Contains(notice, "Shall I tell you here when the service is back?") {
		t.Fatalf("the notice: %q", notice)
	}
	h.says(conv, "Tell me when fixed")
	h.settle()
	if got := lastPublic(h, conv); !strings.Contains(got, "as soon as the service is back") {
		t.Fatalf("after subscribing: %q", got)
	}
	before := len(h.public(conv))

	if _, ok := sim.EndOutage(outageRouter); !ok {
		t.Fatal("no outage to end")
	}
	h.settle()
	cbs := sim.Callbacks()
	if len(cbs) != 1 || cbs[0].HTTPStatus != http.StatusOK || !strings.HasSuffix(cbs[0].URL, "/webhooks/telco") {
		t.Fatalf("the end's callback: %+v", cbs)
	}
	msgs := h.public(conv)
	if len(msgs) != before+1 || !strings.Contains(msgs[len(msgs)-1].Content, "the outage in your area is over") {
		t.Fatalf("after the end: %q", contents(msgs[before:]))
	}
	// The poller finds the same end: nothing more is said.
	if err := h.app.Outages.Check(h.ctx); err != nil {
		t.Fatal(err)
	}
	h.settle()
	if n := len(h.public(conv)); n != before+1 {
		t.Fatalf("told again: %q", contents(h.public(conv)[before:]))
	}
	jobs, err := h.app.DB.ListJobs(h.ctx, false, 10)
	if err != nil || len(jobs) != 0 {
		t.Fatalf("router updates started: %v, %v", jobs, err)
	}
}

// An Outage API that is slow or fails changes nothing: the customer gets what they get
// without one, and the metric counts the error.
func TestOutage_SlowOrFailingAPIChangesNothing(t *testing.T) {
	turns := []string{"hi", "my internet is slow", "no internet in the whole neighborhood"}
	play := func(h *harness) []string {
		conv := outageCustomer(h)
		for _, text := range turns {
			h.says(conv, text)
			h.settle()
		}
		return contents(h.public(conv))
	}
	want := play(newHarness(t, nil, nil, withClock(func() time.Time { return outageClock })))
	if len(want) != len(turns) {
		t.Fatalf("without the API: %q", want)
	}
	for _, tc := range []struct {
		name  string
		fault func(*telcosim.Sim)
	}{
		{"Slow", func(s *telcosim.Sim) { s.SetSlow(time.Hour) }}, // answers once the bot gives up
		{"Down", func(s *telcosim.Sim) { s.SetDown(true) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sim, url := outageAPI(t)
			sim.SetOutage("", telcosim.Outage{ID: "out_1"})
			tc.fault(sim)
			h := newHarness(t, nil, withOutages(t, url, 50*time.Millisecond), withClock(func() time.Time { return outageClock }))
			got := play(h)
			if strings.Join(got, "\n---\n") != strings.Join(want, "\n---\n") {
				t.Fatalf("the bot answers otherwise:\n got %q\nwant %q", got, want)
			}
			resp, err := http.Get(h.app.URL() + "/metrics")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !strings.Contains(string(body), `cwbot_outage_checks_total{result="error"} 2`) {
				t.Errorf("the metric does not count the two errors")
			}
		})
	}
}

// The end's callback: a forged one (unsigned, or signed with another secret) is refused,
// one without an id is a bad request, one nobody waits for is taken and tells nobody.
func TestOutage_Callbacks(t *testing.T) {
	_, url := outageAPI(t)
	h := newHarness(t, nil, withOutages(t, url, time.Second))
	post := func(secret, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, h.app.URL()+"/webhooks/telco", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if secret != "" {
			ts := time.Now().Unix()
			req.Header.Set(process.HeaderTimestamp, strconv.FormatInt(ts, 10))
			req.Header.Set(process.HeaderSignature, process.SignCallback(secret, ts, []byte(body)))
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, tc := range []struct {
		secret, body string
		code         int
		says         string
	}{
		{"", `{"event":"outage_ended","id":"out_1"}`, http.StatusUnauthorized, ""},
		{"another-secret", `{"event":"outage_ended","id":"out_1"}`, http.StatusUnauthorized, ""},
		{outageCBKey, `{"event":"outage_ended"}`, http.StatusBadRequest, "bad outage document"},
		{outageCBKey, `{"event":"outage_ended","id":"out_1"}`, http.StatusOK, "nobody waits for this outage"},
		{outageCBKey, `{"id":"upd_1","state":"running","step":"installing"}`, http.StatusOK, "unknown operation"},
	} {
		if code, body := post(tc.secret, tc.body); code != tc.code || !strings.Contains(body, tc.says) {
			t.Errorf("%s signed with %q: %d %s, want %d %q", tc.body, tc.secret, code, body, tc.code, tc.says)
		}
	}
}

// OUTAGE_*: defaults, bad values refused naming the variable, and serve wired only with
// OUTAGE_URL.
func TestOutageConfig(t *testing.T) {
	def := DefaultConfig()
	if def.OutageURL != "" || def.OutageTimeout != 2*time.Second || def.OutagePollInterval != time.Minute {
		t.Fatalf("defaults: url %q, timeout %v, interval %v", def.OutageURL, def.OutageTimeout, def.OutagePollInterval)
	}
	for _, tc := range []struct{ name, value string }{
		{"OUTAGE_URL", "telco.example.com/outages"},
		{"OUTAGE_TIMEOUT", "0s"},
		{"OUTAGE_TIMEOUT", "30s"}, // the customer waits for it
		{"OUTAGE_POLL_INTERVAL", "-1m"},
		{"OUTAGE_TOKEN", "change-me"},
	} {
		t.Run(tc.name+"="+tc.value, func(t *testing.T) {
			env := map[string]string{tc.name: tc.value}
			if tc.name == "OUTAGE_TOKEN" {
				env["OUTAGE_URL"] = "https://telco.example.com/api"
			}
			serveEnv(t, "http://chat.example.com", env)
			cfg, err := LoadConfig()
			if err == nil {
				err = cfg.ValidateServe()
			}
			if err == nil || !strings.Contains(err.Error(), tc.name) {
				t.Errorf("%s=%s: error %v, want one naming the variable", tc.name, tc.value, err)
			}
		})
	}
	for _, on := range []bool{false, true} {
		cw := chatwoottest.NewServer(t, nil)
		cfg := testConfig(t, cw.URL)
		if on {
			cfg.OutageURL = "http://127.0.0.1:1"
		}
		app, err := NewApp(context.Background(), cfg, testLogger(t))
		if err != nil {
			t.Fatal(err)
		}
		wired := app.Outages != nil && app.Bot.Outages != nil && app.Server.OutageEnded != nil
		off := app.Outages == nil && app.Bot.Outages == nil && app.Server.OutageEnded == nil
		app.Close()
		if on && !wired || !on && !off {
			t.Errorf("OUTAGE_URL set %v: outages %v, bot %v", on, app.Outages, app.Bot.Outages)
		}
		if warned := strings.Contains(strings.Join(cfg.Warnings(), "\n"), "OUTAGE_URL"); warned != on {
			t.Errorf("OUTAGE_URL set %v without a callback secret: warned %v", on, warned)
		}
	}
}

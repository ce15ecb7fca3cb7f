package process_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cwbot/cwbot/process"
	"github.com/cwbot/cwbot/process/telcosim"
)

const testToken = "tok-very-secret"

// MustOpenSim serves a manual telcosim on loopback, closed with the test.
func MustOpenSim(tb testing.TB, opts telcosim.Options) (*telcosim.Sim, *httptest.Server) {
	tb.Helper()
	if opts.Token == "" {
		opts.Token = testToken
	}
	sim := telcosim.New(opts)
	srv := httptest.NewServer(sim)
	tb.Cleanup(func() { sim.Close(); srv.Close() })
	return sim, srv
}

// callbackReceiver is the bot's webhook as the lead will write it: verify, parse, keep.
type callbackReceiver struct {
	secret string
	mu     sync.Mutex
	got    []process.Status
	errs   []error
}

func (c *callbackReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s, err := process.ReadCallback(r, c.secret, time.Now())
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		c.errs = append(c.errs, err)
		http.Error(w, "bad callback", http.StatusUnauthorized)
		return
	}
	c.got = append(c.got, s)
	w.WriteHeader(http.StatusNoContent)
}

func TestHTTPRunner_Telcosim(t *testing.T) {
	ctx := context.Background()

	t.Run("SuccessByPolling", func(t *testing.T) {
		sim, srv := MustOpenSim(t, telcosim.Options{Manual: true})
		sim.SetScenario("rt-1", telcosim.Scenario{LoseCallbacks: true})
		r := process.NewHTTPRunner(srv.URL, testToken, "http://127.0.0.1:1/webhooks/telco", nil)
		st, err := r.Start(ctx, "rt-1", "job-1#1")
		if err != nil {
			t.Fatal(err)
		}
		if st.ID == "" || st.State != process.StateQueued {
			t.Fatalf("start=%+v, want queued with id", st)
		}
		var steps []process.Step
		for last := st; !last.Final(); {
			if _, err := sim.Advance(st.ID); err != nil {
				t.Fatal(err)
			}
			got, err := r.Status(ctx, st.ID)
			if err != nil {
				t.Fatal(err)
			}
			if process.Progress(got) <= process.Progress(last) {
				t.Fatalf("status went from %+v to %+v", last, got)
			}
			steps, last = append(steps, got.Step), got
			if len(steps) > 10 {
				t.Fatal("never finished")
			}
		}
		want := []process.Step{"downloading", "installing", "rebooting", "verifying", ""}
		if strings.Join(stepsStr(steps), ",") != strings.Join(stepsStr(want), ",") {
			t.Fatalf("steps=%v, want %v", steps, want)
		}
		if got, _ := sim.Operation(st.ID); got.State != process.StateSucceeded {
			t.Fatalf("sim state=%s", got.State)
		}
		if n := len(sim.Callbacks()); n != 0 {
			t.Fatalf("%d callbacks sent, scenario loses them", n)
		}
	})

	t.Run("FailedWithDetail", func(t *testing.T) {
		sim, srv := MustOpenSim(t, telcosim.Options{Manual: true})
		sim.SetNextScenario(telcosim.Scenario{FailAt: process.StepInstalling})
		r := process.NewHTTPRunner(srv.URL, testToken, "", nil)
		st, err := r.Start(ctx, "rt-1", "job-1#1")
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			sim.Advance(st.ID)
		}
		got, err := r.Status(ctx, st.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != process.StateFailed || got.Step != process.StepInstalling || got.Detail == "" {
			t.Fatalf("status=%+v, want failed at installing with detail", got)
		}
	})

	t.Run("IdempotentStart", func(t *testing.T) {
		sim, srv := MustOpenSim(t, telcosim.Options{Manual: true})
		r := process.NewHTTPRunner(srv.URL, testToken, "", nil)
		a, err := r.Start(ctx, "rt-1", "job-1#1")
		if err != nil {
			t.Fatal(err)
		}
		sim.Advance(a.ID)
		b, err := r.Start(ctx, "rt-1", "job-1#1")
		if err != nil {
			t.Fatal(err)
		}
		if a.ID != b.ID || b.Step != process.StepDownloading {
			t.Fatalf("retried start=%+v, want %s downloading", b, a.ID)
		}
		if n := len(sim.Operations()); n != 1 {
			t.Fatalf("%d operations, want 1", n)
		}
	})

	t.Run("AlreadyRunningAttach", func(t *testing.T) {
		_, srv := MustOpenSim(t, telcosim.Options{Manual: true})
		r := process.NewHTTPRunner(srv.URL, testToken, "", nil)
		a, err := r.Start(ctx, "rt-1", "job-1#1")
		if err != nil {
			t.Fatal(err)
		}
		_, err = r.Start(ctx, "rt-1", "job-2#1")
		var running *process.AlreadyRunningError
		if !errors.As(err, &running) || running.OperationID != a.ID {
			t.Fatalf("err=%v, want AlreadyRunningError{%s}", err, a.ID)
		}
		if _, err := r.Status(ctx, running.OperationID); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("NewUpdateAfterFinal", func(t *testing.T) {
		sim, srv := MustOpenSim(t, telcosim.Options{Manual: true})
		r := process.NewHTTPRunner(srv.URL, testToken, "", nil)
		a, _ := r.Start(ctx, "rt-1", "job-1#1")
		for range 5 {
			sim.Advance(a.ID)
		}
		b, err := r.Start(ctx, "rt-1", "job-2#1")
		if err != nil || b.ID == a.ID {
			t.Fatalf("start=%+v err=%v, want a new operation", b, err)
		}
	})

	for _, tt := range []struct {
		name  string
		setup func(*telcosim.Sim)
		token string
		want  error
	}{
		{"ErrUnknownRouter", func(s *telcosim.Sim) { s.AddUnknownRouter("rt-1") }, testToken, process.ErrUnknownRouter},
		{"ErrDown", func(s *telcosim.Sim) { s.SetDown(true) }, testToken, process.ErrUnavailable},
		{"ErrGarbage", func(s *telcosim.Sim) { s.SetGarbage(true) }, testToken, process.ErrBadResponse},
		{"ErrStart503", func(s *telcosim.Sim) { s.SetScenario("rt-1", telcosim.Scenario{StartStatus: 503}) }, testToken, process.ErrUnavailable},
		{"ErrStart500", func(s *telcosim.Sim) { s.SetScenario("rt-1", telcosim.Scenario{StartStatus: 500}) }, testToken, process.ErrUnavailable},
		{"ErrStart429", func(s *telcosim.Sim) { s.SetScenario("rt-1", telcosim.Scenario{StartStatus: 429}) }, testToken, process.ErrUnavailable},
		{"ErrStartGarbage", func(s *telcosim.Sim) { s.SetScenario("rt-1", telcosim.Scenario{Garbage: true}) }, testToken, process.ErrBadResponse},
		{"ErrBadToken", func(*telcosim.Sim) {}, "wrong", process.ErrRejected},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sim, srv := MustOpenSim(t, telcosim.Options{Manual: true})
			tt.setup(sim)
			r := process.NewHTTPRunner(srv.URL, tt.token, "", nil)
			_, err := r.Start(ctx, "rt-1", "job-1#1")
			if !errors.Is(err, tt.want) {
				t.Fatalf("err=%v, want %v", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "telco: start update") || strings.Contains(err.Error(), testToken) {
				t.Fatalf("error %q must name the service and not the token", err)
			}
			if tt.name == "ErrStart429" && process.RetryAfter(err) != time.Second {
				t.Fatalf("RetryAfter=%v, want 1s", process.RetryAfter(err))
			}
		})
	}

	t.Run("ErrSlowTimesOut", func(t *testing.T) {
		sim, srv := MustOpenSim(t, telcosim.Options{Manual: true})
		sim.SetSlow(time.Minute) // held until the client gives up, however late its timer fires
		r := process.NewHTTPRunner(srv.URL, testToken, "", &http.Client{Timeout: 20 * time.Millisecond})
		if _, err := r.Start(ctx, "rt-1", "job-1#1"); !errors.Is(err, process.ErrUnavailable) {
			t.Fatalf("err=%v, want ErrUnavailable", err)
		}
	})

	t.Run("ErrStatusUnknownOperation", func(t *testing.T) {
		_, srv := MustOpenSim(t, telcosim.Options{Manual: true})
		r := process.NewHTTPRunner(srv.URL, testToken, "", nil)
		if _, err := r.Status(ctx, "upd_nope"); !errors.Is(err, process.ErrUnknownOperation) {
			t.Fatalf("err=%v, want ErrUnknownOperation", err)
		}
	})

	t.Run("ErrNetwork", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		srv.Close()
		r := process.NewHTTPRunner(srv.URL, testToken, "", nil)
		if _, err := r.Status(ctx, "upd_1"); !errors.Is(err, process.ErrUnavailable) {
			t.Fatalf("err=%v, want ErrUnavailable", err)
		}
	})
}

func stepsStr(steps []process.Step) []string {
	out := make([]string, len(steps))
	for i, s := range steps {
		out[i] = string(s)
	}
	return out
}

// TestHTTPRunner_Wire pins the requests and answers of the contract, one handler per case.
func TestHTTPRunner_Wire(t *testing.T) {
	startOK := func(t *testing.T) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if got, want := r.Method+" "+r.URL.EscapedPath(), "POST /api/routers/rt%201%25x/updates"; got != want {
				t.Errorf("request=%s, want %s", got, want)
			}
			for k, want := range map[string]string{
				"Authorization": "Bearer " + testToken, "Idempotency-Key": "job-9#2", "Content-Type": "application/json",
			} {
				if got := r.Header.Get(k); got != want {
					t.Errorf("%s=%q, want %q", k, got, want)
				}
			}
			var body map[string]string
			b, _ := io.ReadAll(r.Body)
			if err := json.Unmarshal(b, &body); err != nil || body["callback_url"] != "https://bot.example/webhooks/telco" || body["reference"] != "job-9#2" {
				t.Errorf("body=%s", b)
			}
			w.WriteHeader(http.StatusAccepted)
			io.WriteString(w, `{"id":"op-1","state":"queued"}`)
		}
	}
	answer := func(code int, body string, hdr ...string) func(*testing.T) http.HandlerFunc {
		return func(*testing.T) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				for i := 0; i+1 < len(hdr); i += 2 {
					w.Header().Set(hdr[i], hdr[i+1])
				}
				w.WriteHeader(code)
				io.WriteString(w, body)
			}
		}
	}
	for _, tt := range []struct {
		name    string
		handler func(*testing.T) http.HandlerFunc
		want    error
		running string
		retry   time.Duration
	}{
		{"OK", startOK, nil, "", 0},
		{"OK200Replay", answer(200, `{"id":"op-1","state":"running","step":"rebooting"}`), nil, "", 0},
		{"ErrUnknownRouter", answer(404, `{"error":"unknown router"}`), process.ErrUnknownRouter, "", 0},
		{"AlreadyRunning", answer(409, `{"id":"op-0","state":"running","error":"update already running"}`), nil, "op-0", 0},
		{"Err409WithoutID", answer(409, `conflict`), process.ErrBadResponse, "", 0},
		{"ErrRejected422", answer(422, `{"error":"nope"}`), process.ErrRejected, "", 0},
		{"ErrNotYours403", answer(403, `{"error":"router not registered to this contact"}`), process.ErrNotYours, "", 0},
		{"Err429RetryAfter", answer(429, ``, "Retry-After", "30"), process.ErrUnavailable, "", 30 * time.Second},
		{"Err503EchoesToken", answer(503, "Authorization: Bearer "+testToken), process.ErrUnavailable, "", 0},
		{"ErrUnknownState", answer(201, `{"id":"op-1","state":"pending"}`), process.ErrBadResponse, "", 0},
		{"ErrNoContent", answer(204, ``), process.ErrBadResponse, "", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler(t))
			defer srv.Close()
			r := process.NewHTTPRunner(srv.URL+"/api/", testToken, "https://bot.example/webhooks/telco", nil)
			st, err := r.Start(context.Background(), "rt 1%x", "job-9#2")
			var running *process.AlreadyRunningError
			switch {
			case tt.running != "":
				if !errors.As(err, &running) || running.OperationID != tt.running {
					t.Fatalf("err=%v, want AlreadyRunningError{%s}", err, tt.running)
				}
			case tt.want == nil:
				if err != nil || st.ID != "op-1" {
					t.Fatalf("start=%+v err=%v", st, err)
				}
			default:
				if !errors.Is(err, tt.want) {
					t.Fatalf("err=%v, want %v", err, tt.want)
				}
				if strings.Contains(err.Error(), testToken) {
					t.Fatalf("error leaks the token: %v", err)
				}
			}
			if got := process.RetryAfter(err); got != tt.retry {
				t.Fatalf("RetryAfter=%v, want %v", got, tt.retry)
			}
		})
	}

	t.Run("StatusOtherID", func(t *testing.T) {
		srv := httptest.NewServer(answer(200, `{"id":"op-2","state":"running"}`)(t))
		defer srv.Close()
		r := process.NewHTTPRunner(srv.URL, testToken, "", nil)
		if _, err := r.Status(context.Background(), "op-1"); !errors.Is(err, process.ErrBadResponse) {
			t.Fatalf("err=%v, want ErrBadResponse", err)
		}
	})
}

// TestCallbacks_FromTelcosim receives the simulator's signed callbacks the way the bot will.
func TestCallbacks_FromTelcosim(t *testing.T) {
	const secret = "cb-secret"
	for _, tt := range []struct {
		name   string
		sc     telcosim.Scenario
		secret string // the receiver's; differs from the sim's to test rejection
		want   []string
		final  process.State
	}{
		{"InOrder", telcosim.Scenario{}, secret,
			[]string{"running/downloading", "running/installing", "running/rebooting", "running/verifying", "succeeded/"}, process.StateSucceeded},
		{"Duplicated", telcosim.Scenario{DuplicateCallbacks: true, FailAt: process.StepDownloading}, secret,
			[]string{"running/downloading", "running/downloading", "failed/downloading", "failed/downloading"}, process.StateFailed},
		{"Reordered", telcosim.Scenario{ReorderCallbacks: true}, secret,
			[]string{"running/installing", "running/downloading", "running/verifying", "running/rebooting", "succeeded/"}, process.StateSucceeded},
		{"Lost", telcosim.Scenario{LoseCallbacks: true}, secret, nil, ""},
		{"WrongSecret", telcosim.Scenario{}, "other", nil, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			recv := &callbackReceiver{secret: tt.secret}
			hook := httptest.NewServer(recv)
			defer hook.Close()
			sim, srv := MustOpenSim(t, telcosim.Options{Manual: true, CallbackSecret: secret})
			sim.SetScenario("rt-1", tt.sc)
			r := process.NewHTTPRunner(srv.URL, testToken, hook.URL+"/webhooks/telco", nil)
			st, err := r.Start(context.Background(), "rt-1", "job-1#1")
			if err != nil {
				t.Fatal(err)
			}
			for range 6 {
				sim.Advance(st.ID)
			}
			var got []string
			// The bot keeps the furthest status it has seen; late callbacks do not move it back.
			var best process.Status
			for _, s := range recv.got {
				got = append(got, string(s.State)+"/"+string(s.Step))
				if process.Progress(s) > process.Progress(best) {
					best = s
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("callbacks=%v, want %v", got, tt.want)
			}
			if best.State != tt.final {
				t.Fatalf("furthest=%+v, want %s", best, tt.final)
			}
			if tt.name == "WrongSecret" {
				if len(recv.errs) != 5 || !errors.Is(recv.errs[0], process.ErrBadSignature) {
					t.Fatalf("errs=%v, want 5 ErrBadSignature", recv.errs)
				}
				for _, c := range sim.Callbacks() {
					if c.HTTPStatus != http.StatusUnauthorized {
						t.Fatalf("callback answered %d, want 401", c.HTTPStatus)
					}
				}
			}
		})
	}
}

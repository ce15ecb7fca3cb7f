package telcosim_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cwbot/cwbot/process"
	"github.com/cwbot/cwbot/process/telcosim"
)

// post starts an update the raw way, to check the status codes the runner hides.
func post(t *testing.T, srv *httptest.Server, router, key string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/routers/"+router+"/updates", strings.NewReader(`{"callback_url":"","reference":"`+key+`"}`))
	req.Header.Set("Idempotency-Key", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestSim_Automatic(t *testing.T) {
	hook := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer hook.Close()
	sim := telcosim.New(telcosim.Options{StepDelay: time.Millisecond, CallbackSecret: "k"})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	r := process.NewHTTPRunner(srv.URL, "", hook.URL, nil)
	st, err := r.Start(t.Context(), "rt-1", "a")
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(time.Minute); !st.Final(); { // a hang guard, not a bound
		if time.Now().After(deadline) {
			t.Fatalf("still %+v", st)
		}
		time.Sleep(2 * time.Millisecond)
		if st, err = r.Status(t.Context(), st.ID); err != nil {
			t.Fatal(err)
		}
	}
	sim.Close() // waits for the last callback
	cbs := sim.Callbacks()
	if len(cbs) != 5 || cbs[4].Status.State != process.StateSucceeded || cbs[4].HTTPStatus != http.StatusOK {
		t.Fatalf("callbacks=%+v, want 5 ending in succeeded", cbs)
	}
	for _, c := range cbs {
		if err := process.VerifyCallback("k", strconv.FormatInt(c.Timestamp, 10), c.Signature, c.Body, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSim_Manual(t *testing.T) {
	sim := telcosim.New(telcosim.Options{Manual: true})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	defer sim.Close()

	t.Run("StatusCodes", func(t *testing.T) {
		if code, _ := post(t, srv, "rt-1", "k1"); code != http.StatusCreated {
			t.Fatalf("first=%d, want 201", code)
		}
		if code, _ := post(t, srv, "rt-1", "k1"); code != http.StatusOK {
			t.Fatalf("replay=%d, want 200", code)
		}
		if code, body := post(t, srv, "rt-1", "k2"); code != http.StatusConflict || !strings.Contains(body, `"error":"update already running"`) {
			t.Fatalf("second=%d %s, want 409", code, body)
		}
		if code, _ := post(t, srv, "rt-2", "k1"); code != http.StatusUnprocessableEntity {
			t.Fatalf("key reused for another router=%d, want 422", code)
		}
	})

	t.Run("NeverFinish", func(t *testing.T) {
		sim.SetScenario("rt-3", telcosim.Scenario{NeverFinish: true})
		post(t, srv, "rt-3", "k3")
		ops := sim.Operations()
		id := ops[len(ops)-1].ID
		var st process.Status
		for range 10 {
			st, _ = sim.Advance(id)
		}
		if st.State != process.StateRunning || st.Step != process.StepRebooting {
			t.Fatalf("status=%+v, want stalled at rebooting", st)
		}
	})

	t.Run("NextScenarioExpires", func(t *testing.T) {
		sim.SetNextScenario(telcosim.Scenario{StartStatus: http.StatusServiceUnavailable})
		if code, _ := post(t, srv, "rt-4", "k4"); code != http.StatusServiceUnavailable {
			t.Fatalf("first=%d, want 503", code)
		}
		if code, _ := post(t, srv, "rt-4", "k4"); code != http.StatusCreated {
			t.Fatalf("retry=%d, want 201", code)
		}
	})

	t.Run("KnownRouter", func(t *testing.T) {
		sim := telcosim.New(telcosim.Options{Manual: true, KnownRouter: func(id string) bool { return strings.HasPrefix(id, "rt-") }})
		srv := httptest.NewServer(sim)
		defer srv.Close()
		if code, body := post(t, srv, "xx-1", "k"); code != http.StatusNotFound || !strings.Contains(body, "unknown router") {
			t.Fatalf("unknown=%d %s, want 404", code, body)
		}
	})
}

// A scripted failure without its own reason gets one that fits the step it failed at: an
// agent reading the update history must not see an install's checksum mismatch given for
// a router that failed to come back after its reboot.
func TestSim_DefaultFailureReasonFitsTheStep(t *testing.T) {
	sim := telcosim.New(telcosim.Options{Manual: true})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	defer sim.Close()
	reasons := map[string]bool{}
	for i, step := range []process.Step{process.StepDownloading, process.StepInstalling, process.StepRebooting, process.StepVerifying} {
		router := "rt-" + strconv.Itoa(i)
		sim.SetScenario(router, telcosim.Scenario{FailAt: step})
		if code, body := post(t, srv, router, "k-"+router); code != http.StatusCreated {
			t.Fatalf("%s: start=%d %s", step, code, body)
		}
		var st process.Status
		for _, op := range sim.Operations() {
			if op.State != process.StateFailed {
				st = op
			}
		}
		for n := 0; n < 10 && !st.Final(); n++ {
			var err error
			if st, err = sim.Advance(st.ID); err != nil {
				t.Fatal(err)
			}
		}
		if st.State != process.StateFailed || st.Step != step || st.Detail == "" {
			t.Fatalf("%s: ended %+v, want failed there with a reason", step, st)
		}
		if reasons[st.Detail] {
			t.Errorf("%s: reason %q, given for another step too", step, st.Detail)
		}
		reasons[st.Detail] = true
	}
}

// A telco compares serials by their letters and digits: another customer's router typed
// without its dashes, or in lower case, is still theirs, and an unknown one still unknown.
func TestSim_SerialsCompareByLettersAndDigits(t *testing.T) {
	sim := telcosim.New(telcosim.Options{StepDelay: time.Hour})
	defer sim.Close()
	srv := httptest.NewServer(sim)
	defer srv.Close()
	sim.SetOwner("KT-2231-XB99", "+5511900000000")
	sim.AddUnknownRouter("XX-0000-ZZ00")
	for i, c := range []struct {
		router string
		want   int
	}{
		{"KT-2231-XB99", http.StatusForbidden},
		{"KT2231XB99", http.StatusForbidden},
		{"kt-2231-xb99", http.StatusForbidden},
		{"XX0000ZZ00", http.StatusNotFound},
		{"xx-0000-zz00", http.StatusNotFound},
	} {
		if got, body := post(t, srv, c.router, "k"+strconv.Itoa(i)); got != c.want {
			t.Errorf("start %s = %d %s, want %d", c.router, got, body, c.want)
		}
	}
}

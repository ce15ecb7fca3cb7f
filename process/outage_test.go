package process_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cwbot/cwbot/process"
	"github.com/cwbot/cwbot/process/telcosim"
)

// The Outage API against the simulator, over loopback: an outage for one router, one for
// everyone, none, and the signed end posted to the callback URL the client sent.
func TestOutageClient_Telcosim(t *testing.T) {
	var mu sync.Mutex
	var got []string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := make([]byte, 512)
		n, _ := r.Body.Read(body)
		err := process.VerifyCallback("cb-secret", r.Header.Get(process.HeaderTimestamp), r.Header.Get(process.HeaderSignature), body[:n], time.Now())
		id, ok, perr := process.ParseOutageCallback(body[:n])
		mu.Lock()
		defer mu.Unlock()
		if err != nil || !ok || perr != nil {
			got = append(got, "bad")
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		got = append(got, id)
	}))
	defer hook.Close()
	sim := telcosim.New(telcosim.Options{Token: testToken, CallbackSecret: "cb-secret", Manual: true})
	defer sim.Close()
	srv := httptest.NewServer(sim)
	defer srv.Close()
	c := process.NewOutageClient(srv.URL, testToken, hook.URL, time.Second)

	o, err := c.Check(t.Context(), "ZX-1", "+14155550100")
	if err != nil || o.Active {
		t.Fatalf("no outage: got %+v, %v", o, err)
	}
	eta := time.Date(2026, 12, 7, 15, 30, 0, 0, time.UTC)
	set := sim.SetOutage("ZX-1", telcosim.Outage{ID: "out_1", Message: "fibre cut", ETA: eta})
	o, err = c.Check(t.Context(), "ZX-1", "")
	if err != nil || !o.Active || o.ID != "out_1" || o.Message != "fibre cut" || !o.ETA.Equal(eta) {
		t.Fatalf("router outage: got %+v, %v (set %+v)", o, err, set)
	}
	if o, _ := c.Check(t.Context(), "ZX-2", ""); o.Active {
		t.Fatalf("another router is not in the outage: %+v", o)
	}
	if _, ok := sim.EndOutage("ZX-1"); !ok {
		t.Fatal("EndOutage found no outage")
	}
	if o, _ := c.Check(t.Context(), "ZX-1", ""); o.Active {
		t.Fatalf("ended outage still active: %+v", o)
	}
	mu.Lock()
	if len(got) != 1 || got[0] != "out_1" {
		t.Fatalf("callbacks: got %v, want [out_1]", got)
	}
	mu.Unlock()

	everyone := sim.SetOutage("", telcosim.Outage{})
	o, err = c.Check(t.Context(), "", "+14155550100")
	if err != nil || !o.Active || o.ID != everyone.ID || !o.ETA.IsZero() {
		t.Fatalf("outage for everyone: got %+v, %v", o, err)
	}
	sim.EndOutage("")
	if cbs := sim.Callbacks(); len(cbs) != 2 || cbs[1].OutageID != everyone.ID || cbs[1].HTTPStatus != 200 {
		t.Fatalf("callbacks recorded: %+v", cbs)
	}
}

// Every failure names the service and carries neither the token nor the phone number.
func TestOutageClient_Failures(t *testing.T) {
	const phone = "+5215512345678"
	for _, tc := range []struct {
		name string
		h    http.HandlerFunc
		want error
	}{
		{"ServerError", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "boom "+testToken, http.StatusInternalServerError)
		}, process.ErrUnavailable},
		{"Unauthorized", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "bad token "+testToken, http.StatusUnauthorized)
		}, process.ErrRejected},
		{"Garbage", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<html>")) }, process.ErrBadResponse},
		{"NoActiveField", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"id":"x"}`)) }, process.ErrBadResponse},
		{"ActiveWithoutID", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"active":true}`)) }, process.ErrBadResponse},
		{"BadETA", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"active":true,"id":"o","eta":"tomorrow"}`))
		}, process.ErrBadResponse},
		{"NoContent", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }, process.ErrBadResponse},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.h)
			defer srv.Close()
			_, err := process.NewOutageClient(srv.URL, testToken, "", time.Second).Check(t.Context(), "ZX-1", phone)
			checkOutageErr(t, err, tc.want, phone)
		})
	}
	t.Run("Down", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		srv.Close()
		_, err := process.NewOutageClient(srv.URL, testToken, "", time.Second).Check(t.Context(), "ZX-1", phone)
		checkOutageErr(t, err, process.ErrUnavailable, phone)
	})
	t.Run("Slow", func(t *testing.T) {
		sim := telcosim.New(telcosim.Options{Token: testToken, Manual: true})
		defer sim.Close()
		sim.SetOutage("", telcosim.Outage{})
		sim.SetSlow(time.Hour) // answers when the client gives up
		srv := httptest.NewServer(sim)
		defer srv.Close()
		_, err := process.NewOutageClient(srv.URL, testToken, "", 20*time.Millisecond).Check(t.Context(), "ZX-1", phone)
		checkOutageErr(t, err, process.ErrUnavailable, phone)
		if !strings.Contains(err.Error(), "no answer within 20ms") {
			t.Errorf("error %q does not say it timed out", err)
		}
	})
	t.Run("NothingToAsk", func(t *testing.T) {
		_, err := process.NewOutageClient("http://127.0.0.1:1", testToken, "", time.Second).Check(t.Context(), "", "")
		checkOutageErr(t, err, process.ErrRejected, phone)
	})
}

func checkOutageErr(t *testing.T, err, want error, phone string) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("got %v, want %v", err, want)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "outage API") {
		t.Errorf("error %q does not name the service", msg)
	}
	if strings.Contains(msg, testToken) || strings.Contains(msg, phone) || strings.Contains(msg, strings.TrimPrefix(phone, "+")) {
		t.Errorf("error %q leaks the token or the phone number", msg)
	}
}

func TestParseOutageCallback(t *testing.T) {
	if _, ok, _ := process.ParseOutageCallback([]byte(`{"id":"upd_1","state":"running","step":"installing"}`)); ok {
		t.Error("an operation's progress read as an outage's end")
	}
	if id, ok, err := process.ParseOutageCallback([]byte(`{"event":"outage_ended","id":"out_9"}`)); !ok || err != nil || id != "out_9" {
		t.Errorf("got %q %v %v", id, ok, err)
	}
	if _, ok, err := process.ParseOutageCallback([]byte(`{"event":"outage_ended"}`)); !ok || !errors.Is(err, process.ErrBadResponse) {
		t.Errorf("an end without an id: %v %v", ok, err)
	}
}

package process_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cwbot/cwbot/process"
)

func TestParseStatus(t *testing.T) {
	for _, tt := range []struct {
		name string
		body string
		want process.Status
		err  error
	}{
		{"Running", `{"id":"u1","state":"running","step":"installing","detail":"","updated_at":"2026-01-02T03:04:05Z"}`,
			process.Status{ID: "u1", State: process.StateRunning, Step: process.StepInstalling, UpdatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}, nil},
		{"QueuedNoTime", `{"id":"u1","state":"queued"}`, process.Status{ID: "u1", State: process.StateQueued}, nil},
		{"Failed", `{"id":"u1","state":"failed","step":"downloading","detail":"checksum"}`,
			process.Status{ID: "u1", State: process.StateFailed, Step: process.StepDownloading, Detail: "checksum"}, nil},
		{"ErrNotJSON", `<html>`, process.Status{}, process.ErrBadResponse},
		{"ErrNoID", `{"state":"queued"}`, process.Status{}, process.ErrBadResponse},
		{"ErrUnknownState", `{"id":"u1","state":"done"}`, process.Status{}, process.ErrBadResponse},
		{"ErrUnknownStep", `{"id":"u1","state":"running","step":"flashing"}`, process.Status{}, process.ErrBadResponse},
		{"ErrBadTime", `{"id":"u1","state":"running","updated_at":"yesterday"}`, process.Status{}, process.ErrBadResponse},
		{"ErrWrongType", `{"id":7,"state":"running"}`, process.Status{}, process.ErrBadResponse},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := process.ParseStatus([]byte(tt.body))
			if !errors.Is(err, tt.err) {
				t.Fatalf("err=%v, want %v", err, tt.err)
			}
			if !got.UpdatedAt.Equal(tt.want.UpdatedAt) {
				t.Fatalf("updated_at=%v, want %v", got.UpdatedAt, tt.want.UpdatedAt)
			}
			got.UpdatedAt, tt.want.UpdatedAt = time.Time{}, time.Time{}
			if got != tt.want {
				t.Fatalf("status=%+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestProgress(t *testing.T) {
	order := []process.Status{
		{State: process.StateQueued},
		{State: process.StateRunning},
		{State: process.StateRunning, Step: process.StepDownloading},
		{State: process.StateRunning, Step: process.StepInstalling},
		{State: process.StateRunning, Step: process.StepRebooting},
		{State: process.StateRunning, Step: process.StepVerifying},
		{State: process.StateSucceeded},
	}
	for i := 1; i < len(order); i++ {
		if a, b := process.Progress(order[i-1]), process.Progress(order[i]); a >= b {
			t.Fatalf("Progress(%+v)=%d not below Progress(%+v)=%d", order[i-1], a, order[i], b)
		}
	}
	failed := process.Status{State: process.StateFailed, Step: process.StepDownloading}
	if got, want := process.Progress(failed), process.Progress(order[len(order)-1]); got != want {
		t.Fatalf("Progress(failed)=%d, want %d", got, want)
	}
	if got := process.Progress(process.Status{State: "weird"}); got != -1 {
		t.Fatalf("Progress(unknown)=%d, want -1", got)
	}
	for _, s := range order[:len(order)-1] {
		if s.Final() {
			t.Fatalf("%+v is final", s)
		}
	}
	if !failed.Final() || !order[len(order)-1].Final() {
		t.Fatal("succeeded/failed not final")
	}
}

func TestVerifyCallback(t *testing.T) {
	const secret = "s3cret"
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"id":"u1","state":"running","step":"downloading"}`)
	ts := strconv.FormatInt(now.Unix(), 10)
	sig := process.SignCallback(secret, now.Unix(), body)
	old := now.Add(-6 * time.Minute).Unix()
	future := now.Add(6 * time.Minute).Unix()
	for _, tt := range []struct {
		name, secret, ts, sig string
		body                  []byte
		ok                    bool
	}{
		{"OK", secret, ts, sig, body, true},
		{"OKSlightlyOld", secret, strconv.FormatInt(now.Unix()-299, 10), process.SignCallback(secret, now.Unix()-299, body), body, true},
		{"ErrUnsigned", secret, "", "", body, false},
		{"ErrNoSignature", secret, ts, "", body, false},
		{"ErrNoSecretConfigured", "", ts, process.SignCallback("", now.Unix(), body), body, false},
		{"ErrWrongSecret", "other", ts, sig, body, false},
		{"ErrTamperedBody", secret, ts, sig, []byte(`{"id":"u1","state":"succeeded"}`), false},
		{"ErrOtherTimestamp", secret, strconv.FormatInt(now.Unix()-1, 10), sig, body, false},
		{"ErrStale", secret, strconv.FormatInt(old, 10), process.SignCallback(secret, old, body), body, false},
		{"ErrFuture", secret, strconv.FormatInt(future, 10), process.SignCallback(secret, future, body), body, false},
		{"ErrTimestampNotNumber", secret, "now", sig, body, false},
		{"ErrTimestampPlusSign", secret, "+" + ts, sig, body, false},
		{"ErrNoPrefix", secret, ts, sig[len("sha256="):], body, false},
		{"ErrNotHex", secret, ts, "sha256=zz", body, false},
		{"ErrShort", secret, ts, sig[:20], body, false},
		{"ErrHugeTimestamp", secret, "9223372036854775807", sig, body, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := process.VerifyCallback(tt.secret, tt.ts, tt.sig, tt.body, now)
			if tt.ok && err != nil {
				t.Fatalf("err=%v, want nil", err)
			}
			if !tt.ok && !errors.Is(err, process.ErrBadSignature) {
				t.Fatalf("err=%v, want ErrBadSignature", err)
			}
		})
	}
}

func FuzzParseStatus(f *testing.F) {
	for _, s := range []string{
		`{"id":"u1","state":"running","step":"installing","detail":"","updated_at":"2026-01-02T03:04:05Z"}`,
		`{"id":"u1","state":"failed","step":"downloading","detail":"checksum"}`,
		`{"id":"u1","state":"queued"}`, `{"id":"","state":"queued"}`, `{"id":"u1","state":"done"}`,
		`{"id":"u1","state":"running","updated_at":"2026-13-45T99:00:00Z"}`, `null`, `[]`, `<html>`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		s, err := process.ParseStatus(body)
		if err != nil {
			if !errors.Is(err, process.ErrBadResponse) {
				t.Fatalf("err=%v, not ErrBadResponse", err)
			}
			return
		}
		if s.ID == "" || process.Progress(s) < 0 {
			t.Fatalf("accepted invalid status %+v", s)
		}
	})
}

func FuzzVerifyCallback(f *testing.F) {
	f.Add("s3cret", int64(1_800_000_000), []byte(`{"id":"u1","state":"queued"}`), "", int64(0))
	f.Add("k", int64(0), []byte{}, "sha256=00", int64(301))
	f.Add("", int64(-1), []byte("x"), "sha256=", int64(-301))
	f.Fuzz(func(t *testing.T, secret string, ts int64, body []byte, forged string, skew int64) {
		ts %= 1 << 40 // time.Time cannot hold every int64 of seconds
		now := time.Unix(ts, 0)
		sig := process.SignCallback(secret, ts, body)
		err := process.VerifyCallback(secret, strconv.FormatInt(ts, 10), sig, body, now.Add(time.Duration(skew%600)*time.Second))
		fresh := skew%600 >= -300 && skew%600 <= 300
		if secret != "" && fresh && err != nil {
			t.Fatalf("round trip failed: %v", err)
		}
		if (secret == "" || !fresh) && !errors.Is(err, process.ErrBadSignature) {
			t.Fatalf("err=%v, want ErrBadSignature", err)
		}
		if !strings.EqualFold(forged, sig) { // hex is case-insensitive
			if err := process.VerifyCallback(secret, strconv.FormatInt(ts, 10), forged, body, now); !errors.Is(err, process.ErrBadSignature) {
				t.Fatalf("forged signature %q accepted: %v", forged, err)
			}
		}
	})
}

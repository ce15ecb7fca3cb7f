package server_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cwbot/cwbot/chatwoot"
	"github.com/cwbot/cwbot/process"
	"github.com/cwbot/cwbot/server"
	"github.com/cwbot/cwbot/store"
)

const (
	fuzzSecret      = "s3cret-webhook"
	fuzzTelcoSecret = "telco-callback-secret"
)

// fuzzNow is the fixed clock of the fuzz targets: the payloads under chatwoot/testdata were
// captured then.
var fuzzNow = time.Unix(1776690184, 0)

func openDB(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), "bot.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// addHeaders adds "Name: value" lines, as a fuzzer writes them, to h.
func addHeaders(h http.Header, lines string) {
	for _, line := range strings.Split(lines, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok && k != "" {
			h.Add(k, strings.TrimSpace(v))
		}
	}
}

// signMode turns a fuzzer's choice into the signature headers: 0 sends timestamp and
// signature as fuzzed, 1 signs correctly at now+offset seconds, 2 signs with another
// secret, 3 signs correctly then flips one character of the signature.
func webhookHeaders(mode, offset int64, body []byte, timestamp, signature string) (string, string) {
	ts := fuzzNow.Unix() + offset%1000
	switch uint64(mode) % 4 {
	case 1:
		return strconv.FormatInt(ts, 10), chatwoot.Sign(fuzzSecret, ts, body)
	case 2:
		return strconv.FormatInt(ts, 10), chatwoot.Sign("not-"+fuzzSecret, ts, body)
	case 3:
		sig := []byte(chatwoot.Sign(fuzzSecret, ts, body))
		i := len(sig) - 1 - int(uint64(offset)%64)
		sig[i] ^= 1
		return strconv.FormatInt(ts, 10), string(sig)
	}
	return timestamp, signature
}

// validWebhookSignature is the test's own statement of what a valid signature is: the
// canonical decimal timestamp within five minutes of now, and "sha256=" with the lower-case
// hex HMAC-SHA256 of "<timestamp>.<body>" under the secret.
func validWebhookSignature(timestamp, signature string, body []byte) bool {
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil || strconv.FormatInt(ts, 10) != timestamp {
		return false
	}
	if d := fuzzNow.Unix() - ts; d > 300 || d < -300 {
		return false
	}
	mac := hmac.New(sha256.New, []byte(fuzzSecret))
	mac.Write([]byte(timestamp + "."))
	mac.Write(body)
	return signature == "sha256="+hex.EncodeToString(mac.Sum(nil))
}

// FuzzWebhook sends random bodies and headers through the real handler and a real store:
// it never panics, never answers 5xx (the store is healthy), answers 401 with one body to
// every request without a valid signature, and stores (200 "stored") only what is signed.
func FuzzWebhook(f *testing.F) {
	db := openDB(f)
	var mu sync.Mutex
	notified := 0
	// What the database hands on to the processor: every stored event, once.
	db.OnEvents(func(evs []*store.Event) {
		mu.Lock()
		defer mu.Unlock()
		for _, ev := range evs {
			if ev.ConversationID <= 0 {
				panic("notified of conversation " + strconv.FormatInt(ev.ConversationID, 10))
			}
			notified++
		}
	})
	s := server.New(server.Config{WebhookSecret: fuzzSecret, AccountID: 1, InboxIDs: []int64{7}}, db, quietLogger())
	s.SetClock(func() time.Time { return fuzzNow })
	f.Add([]byte(`{"event":"message_created","id":1,"message_type":"incoming","conversation":{"id":2,"inbox_id":7}}`),
		int64(1), int64(0), "", "", "d-seed", "Content-Type: application/json")
	f.Fuzz(func(t *testing.T, body []byte, mode, offset int64, timestamp, signature, delivery, headers string) {
		ctx := context.Background()
		before, _, err := db.EventCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		notifiedBefore := notified
		mu.Unlock()

		req := httptest.NewRequest(http.MethodPost, "/webhooks/chatwoot", bytes.NewReader(body))
		addHeaders(req.Header, headers)
		ts, sig := webhookHeaders(mode, offset, body, timestamp, signature)
		req.Header.Set(chatwoot.HeaderTimestamp, ts)
		req.Header.Set(chatwoot.HeaderSignature, sig)
		req.Header.Set(chatwoot.HeaderDelivery, delivery)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)

		var answer map[string]string
		if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil {
			t.Fatalf("status %d with a body that is not a JSON object of strings: %q", rec.Code, rec.Body.String())
		}
		after, _, err := db.EventCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		notifiedNow := notified
		mu.Unlock()
		valid := validWebhookSignature(ts, sig, body)
		switch {
		case rec.Code >= 500:
			t.Fatalf("answered %d %v with a healthy store", rec.Code, answer)
		case !valid:
			if rec.Code != http.StatusUnauthorized || len(answer) != 1 || answer["error"] != "unauthorized" {
				t.Fatalf("invalid signature answered %d %v, want 401 unauthorized", rec.Code, answer)
			}
		case rec.Code == http.StatusOK:
			switch answer["status"] {
			case "stored", "duplicate", "ignored":
			default:
				t.Fatalf("200 with %v", answer)
			}
		case rec.Code == http.StatusBadRequest:
		default:
			t.Fatalf("valid signature answered %d %v", rec.Code, answer)
		}
		stored := rec.Code == http.StatusOK && answer["status"] == "stored"
		if stored && !valid {
			t.Fatal("stored an event without a valid signature")
		}
		if want := before + map[bool]int64{true: 1}[stored]; after != want {
			t.Fatalf("events %d -> %d after %d %v", before, after, rec.Code, answer)
		}
		if want := notifiedBefore + map[bool]int{true: 1}[stored]; notifiedNow != want {
			t.Fatalf("notified %d times for %d %v", notifiedNow-notifiedBefore, rec.Code, answer)
		}
	})
}

// validTelcoSignature is the test's statement of a valid callback: a decimal timestamp
// (as sent) within five minutes, and "sha256=" with the hex (either case) HMAC-SHA256 of
// "<timestamp header>.<body>".
func validTelcoSignature(timestamp, signature string, body []byte) bool {
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return false
	}
	if d := fuzzNow.Unix() - ts; d > 300 || d < -300 {
		return false
	}
	mac := hmac.New(sha256.New, []byte(fuzzTelcoSecret))
	mac.Write([]byte(timestamp + "."))
	mac.Write(body)
	return strings.EqualFold(signature, "sha256="+hex.EncodeToString(mac.Sum(nil)))
}

func telcoHeaders(mode, offset int64, body []byte, timestamp, signature string) (string, string) {
	ts := fuzzNow.Unix() + offset%1000
	switch uint64(mode) % 4 {
	case 1:
		return strconv.FormatInt(ts, 10), process.SignCallback(fuzzTelcoSecret, ts, body)
	case 2:
		return strconv.FormatInt(ts, 10), process.SignCallback("not-"+fuzzTelcoSecret, ts, body)
	case 3:
		sig := []byte(process.SignCallback(fuzzTelcoSecret, ts, body))
		sig[len(sig)-1-int(uint64(offset)%64)] ^= 1
		return strconv.FormatInt(ts, 10), string(sig)
	}
	return timestamp, signature
}

var errStoreDown = errors.New("store down")

// FuzzTelcoCallback sends random callbacks to POST /webhooks/telco: never a panic, 401 for
// every callback without a valid signature, the status is observed only when signed and
// well formed, and 5xx only when observing it failed.
func FuzzTelcoCallback(f *testing.F) {
	db := openDB(f)
	s := server.New(server.Config{WebhookSecret: fuzzSecret}, db, quietLogger())
	s.SetClock(func() time.Time { return fuzzNow })
	var mu sync.Mutex
	var observed []process.Status
	s.TelcoCallbacks(fuzzTelcoSecret, func(ctx context.Context, st process.Status) (bool, error) {
		mu.Lock()
		defer mu.Unlock()
		observed = append(observed, st)
		switch st.ID {
		case "fail":
			return false, errStoreDown
		case "unknown":
			return false, nil
		}
		return true, nil
	})
	f.Add([]byte(`{"id":"op-1","state":"running","step":"downloading"}`), int64(1), int64(0), "", "", "Content-Type: application/json")
	f.Fuzz(func(t *testing.T, body []byte, mode, offset int64, timestamp, signature, headers string) {
		mu.Lock()
		observed = observed[:0]
		mu.Unlock()
		req := httptest.NewRequest(http.MethodPost, "/webhooks/telco", bytes.NewReader(body))
		addHeaders(req.Header, headers)
		ts, sig := telcoHeaders(mode, offset, body, timestamp, signature)
		req.Header.Set(process.HeaderTimestamp, ts)
		req.Header.Set(process.HeaderSignature, sig)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)

		var answer map[string]string
		if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil {
			t.Fatalf("status %d with a body that is not a JSON object of strings: %q", rec.Code, rec.Body.String())
		}
		mu.Lock()
		seen := append([]process.Status(nil), observed...)
		mu.Unlock()
		valid := validTelcoSignature(ts, sig, body)
		parsed, perr := process.ParseStatus(body)
		switch {
		case !valid:
			if rec.Code != http.StatusUnauthorized || answer["error"] != "unauthorized" {
				t.Fatalf("invalid signature answered %d %v, want 401", rec.Code, answer)
			}
			if len(seen) != 0 {
				t.Fatalf("observed %+v from an unsigned callback", seen)
			}
			return
		case perr != nil:
			if rec.Code != http.StatusBadRequest || len(seen) != 0 {
				t.Fatalf("malformed status answered %d %v, observed %+v", rec.Code, answer, seen)
			}
			return
		}
		if len(seen) != 1 || !sameStatus(seen[0], parsed) {
			t.Fatalf("observed %+v, want exactly %+v", seen, parsed)
		}
		want := http.StatusOK
		if parsed.ID == "fail" {
			want = http.StatusServiceUnavailable
		}
		if rec.Code != want {
			t.Fatalf("answered %d %v, want %d", rec.Code, answer, want)
		}
	})
}

func sameStatus(a, b process.Status) bool {
	return a.ID == b.ID && a.State == b.State && a.Step == b.Step && a.Detail == b.Detail && a.UpdatedAt.Equal(b.UpdatedAt)
}

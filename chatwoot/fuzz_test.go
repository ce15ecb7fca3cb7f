package chatwoot_test

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/cwbot/cwbot/chatwoot"
)

func payloadSeeds(f *testing.F) [][]byte {
	files, err := filepath.Glob(filepath.Join("testdata", "payloads", "*.json"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no payloads: %v", err)
	}
	var out [][]byte
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

func FuzzParseEvent(f *testing.F) {
	for _, b := range payloadSeeds(f) {
		f.Add(b)
	}
	f.Add([]byte(`{"event":"conversation_updated","changed_attributes":[{"status":{"previous_value":1}}]}`))
	f.Add([]byte(`{"event":"message_created","message_type":7,"created_at":1e300,"content_attributes":[]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := chatwoot.ParseEvent(body)
		if err != nil {
			if !errors.Is(err, chatwoot.ErrBadPayload) && !errors.Is(err, chatwoot.ErrNoEvent) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if ev.Name == "" {
			t.Fatal("event without a name")
		}
	})
}

func FuzzVerifySignature(f *testing.F) {
	now := time.Unix(1776690131, 0)
	for _, b := range payloadSeeds(f) {
		f.Add("s3cret", strconv.FormatInt(now.Unix(), 10), chatwoot.Sign("s3cret", now.Unix(), b), b)
	}
	f.Add("s3cret", "-1", "sha256=", []byte{})
	f.Fuzz(func(t *testing.T, secret, timestamp, signature string, body []byte) {
		if err := chatwoot.VerifySignature(secret, timestamp, signature, body, now); err != nil {
			return
		}
		ts, err := strconv.ParseInt(timestamp, 10, 64)
		if err != nil {
			t.Fatalf("verified an unparsable timestamp %q", timestamp)
		}
		if got := chatwoot.Sign(secret, ts, body); got != signature {
			t.Fatalf("verified %q but Sign gives %q", signature, got)
		}
		if d := now.Sub(time.Unix(ts, 0)); d > chatwoot.MaxSignatureAge || d < -chatwoot.MaxSignatureAge {
			t.Fatalf("verified a timestamp %v away", d)
		}
	})
}

package chatwoot_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/cwbot/cwbot/chatwoot"
)

func TestSign(t *testing.T) {
	// Computed independently: printf '1776690131.{"a":1}' | openssl dgst -sha256 -hmac s3cret
	got := chatwoot.Sign("s3cret", 1776690131, []byte(`{"a":1}`))
	if want := "sha256=50b242a54ce6202add58c37f4f0a7dccd60594aa544538ab27649a7adf0e4c13"; got != want {
		t.Fatalf("Sign=%q, want %q", got, want)
	}
}

func TestVerifySignature(t *testing.T) {
	const secret = "s3cret"
	now := time.Unix(1776690131, 0)
	body := []byte(`{"event":"message_created"}`)
	ts := now.Unix()
	sig := chatwoot.Sign(secret, ts, body)
	tests := []struct {
		name      string
		secret    string
		timestamp string
		signature string
		body      []byte
		want      error
	}{
		{"OK", secret, strconv.FormatInt(ts, 10), sig, body, nil},
		{"OKFourMinutesOld", secret, strconv.FormatInt(ts-240, 10), chatwoot.Sign(secret, ts-240, body), body, nil},
		{"WrongSecret", "other", strconv.FormatInt(ts, 10), sig, body, chatwoot.ErrBadSignature},
		{"TamperedBody", secret, strconv.FormatInt(ts, 10), sig, []byte(`{"event":"message_updated"}`), chatwoot.ErrBadSignature},
		{"TimestampNotSigned", secret, strconv.FormatInt(ts+1, 10), sig, body, chatwoot.ErrBadSignature},
		{"Stale", secret, strconv.FormatInt(ts-301, 10), chatwoot.Sign(secret, ts-301, body), body, chatwoot.ErrStaleTimestamp},
		{"Future", secret, strconv.FormatInt(ts+301, 10), chatwoot.Sign(secret, ts+301, body), body, chatwoot.ErrStaleTimestamp},
		{"NoPrefix", secret, strconv.FormatInt(ts, 10), sig[len("sha256="):], body, chatwoot.ErrBadSignature},
		{"Uppercase", secret, strconv.FormatInt(ts, 10), "SHA256=" + sig[7:], body, chatwoot.ErrBadSignature},
		{"Empty", secret, "", "", body, chatwoot.ErrBadSignature},
		{"MalformedTimestamp", secret, "17766x", sig, body, chatwoot.ErrBadSignature},
		{"NonCanonicalTimestamp", secret, "+" + strconv.FormatInt(ts, 10), sig, body, chatwoot.ErrBadSignature},
		{"NoSecretConfigured", "", strconv.FormatInt(ts, 10), chatwoot.Sign("", ts, body), body, chatwoot.ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := chatwoot.VerifySignature(tt.secret, tt.timestamp, tt.signature, tt.body, now)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("err=%v, want %v", err, tt.want)
			}
		})
	}
}

func TestVerifyToken(t *testing.T) {
	tests := []struct {
		expected, got string
		want          bool
	}{
		{"tok", "tok", true},
		{"tok", "tok2", false},
		{"tok", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.expected+"/"+tt.got, func(t *testing.T) {
			if got := chatwoot.VerifyToken(tt.expected, tt.got); got != tt.want {
				t.Fatalf("VerifyToken=%v, want %v", got, tt.want)
			}
		})
	}
}

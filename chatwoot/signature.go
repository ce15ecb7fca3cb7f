package chatwoot

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"strconv"
	"time"
)

// Webhook headers Chatwoot 4.13+ sends with every delivery to a bot that has a secret.
const (
	HeaderSignature = "X-Chatwoot-Signature"
	HeaderTimestamp = "X-Chatwoot-Timestamp"
	// HeaderDelivery is a UUID that stays the same on every retry: the dedupe key.
	HeaderDelivery = "X-Chatwoot-Delivery"
)

// MaxSignatureAge bounds how far a signed timestamp may be from now, either way, so a
// captured delivery cannot be replayed later.
const MaxSignatureAge = 5 * time.Minute

// Signature errors. The HTTP layer answers 401 for both, so callers learn nothing useful.
var (
	ErrBadSignature   = errors.New("chatwoot: bad webhook signature")
	ErrStaleTimestamp = errors.New("chatwoot: webhook timestamp out of range")
)

// Sign returns the X-Chatwoot-Signature value for body: "sha256=" and the hex
// HMAC-SHA256 of "<timestamp>.<body>".
func Sign(secret string, timestamp int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(strconv.AppendInt(nil, timestamp, 10))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// VerifySignature checks the signature and timestamp headers of a delivery against its raw
// body. An empty secret never verifies: a misconfigured bot must fail closed.
func VerifySignature(secret, timestamp, signature string, body []byte, now time.Time) error {
	if secret == "" {
		return ErrBadSignature
	}
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	// Only the canonical form: Chatwoot signs the decimal text, and "+0017" would not
	// be what it signed.
	if err != nil || strconv.FormatInt(ts, 10) != timestamp {
		return ErrBadSignature
	}
	want := Sign(secret, ts, body)
	if subtle.ConstantTimeCompare([]byte(want), []byte(signature)) != 1 {
		return ErrBadSignature
	}
	if d := now.Sub(time.Unix(ts, 0)); d > MaxSignatureAge || d < -MaxSignatureAge {
		return ErrStaleTimestamp
	}
	return nil
}

// VerifyToken compares a shared token (older Chatwoot: ?token= in the outgoing URL) in
// constant time. Hashing first hides the expected length too.
func VerifyToken(expected, got string) bool {
	if expected == "" {
		return false
	}
	a, b := sha256.Sum256([]byte(expected)), sha256.Sum256([]byte(got))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

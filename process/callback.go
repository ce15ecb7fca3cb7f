package process

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Callback headers: the signature covers "<timestamp>.<raw body>" so a captured callback
// cannot be replayed later with a fresh timestamp.
const (
	HeaderTimestamp = "X-Telco-Timestamp"
	HeaderSignature = "X-Telco-Signature"
)

// CallbackTolerance is how far a callback's timestamp may be from our clock, either way.
const CallbackTolerance = 5 * time.Minute

// maxBody bounds what we read from the telco, callbacks included.
const maxBody = 1 << 20

// SignCallback returns the X-Telco-Signature value for body sent at unix time ts.
func SignCallback(secret string, ts int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "%d.", ts)
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// VerifyCallback checks a callback's headers against its raw body. Every failure is
// ErrBadSignature; the wrapped text says which check failed, for logs only.
func VerifyCallback(secret, timestamp, signature string, body []byte, now time.Time) error {
	if secret == "" {
		return fmt.Errorf("%w: no secret configured", ErrBadSignature)
	}
	if timestamp == "" || signature == "" {
		return fmt.Errorf("%w: unsigned", ErrBadSignature)
	}
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: malformed timestamp", ErrBadSignature)
	}
	// Compare in seconds: converting a huge ts to time.Time would overflow.
	if d := now.Unix() - ts; d > int64(CallbackTolerance/time.Second) || d < -int64(CallbackTolerance/time.Second) {
		return fmt.Errorf("%w: stale timestamp", ErrBadSignature)
	}
	hexSig, ok := strings.CutPrefix(signature, "sha256=")
	if !ok {
		return fmt.Errorf("%w: malformed signature", ErrBadSignature)
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil || len(got) != sha256.Size {
		return fmt.Errorf("%w: malformed signature", ErrBadSignature)
	}
	// The MAC covers the header as sent, not its parsed value ("+5" and "5" differ).
	mac := hmac.New(sha256.New, []byte(secret))
	io.WriteString(mac, timestamp+".")
	mac.Write(body)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return fmt.Errorf("%w: mismatch", ErrBadSignature)
	}
	return nil
}

// ReadCallback reads, verifies and parses a telco callback request, for the webhook handler:
// ErrBadSignature (answer 401) or ErrBadResponse (answer 400).
func ReadCallback(r *http.Request, secret string, now time.Time) (Status, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return Status{}, fmt.Errorf("%w: read callback: %v", ErrBadResponse, err)
	}
	if err := VerifyCallback(secret, r.Header.Get(HeaderTimestamp), r.Header.Get(HeaderSignature), body, now); err != nil {
		return Status{}, err
	}
	return ParseStatus(body)
}

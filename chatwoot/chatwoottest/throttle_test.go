package chatwoottest_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/cwbot/cwbot/chatwoot"
	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
)

// The rate limit counts every request of a client address in fixed minutes of the fake's
// clock, as rack-attack does: past the limit a 429 "Retry later" with no Retry-After,
// refused requests counted too, and a new minute starts from nothing.
func TestRateLimitThrottlesLikeRackAttack(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 12, 6, 10, 0, 30, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s := chatwoottest.NewServer(t, &chatwoottest.Options{RateLimit: 3, Now: clock})
	conv := s.NewConversation(chatwoottest.ConversationSpec{})
	c := chatwoot.NewClient(s.URL, "bot-token", "")
	post := func() error {
		_, err := c.PostMessage(context.Background(), 1, conv, chatwoot.NewMessage{Content: "hi"})
		return err
	}
	for i := range 3 {
		if err := post(); err != nil {
			t.Fatalf("request %d of 3 allowed a minute: %v", i+1, err)
		}
	}
	for i := range 2 {
		err := post()
		var ae *chatwoot.APIError
		if !errors.As(err, &ae) || ae.StatusCode != http.StatusTooManyRequests || ae.RetryAfter != 0 || ae.Body != "Retry later\n" {
			t.Fatalf("request %d over the limit: %v, want 429 \"Retry later\" without Retry-After", 4+i, err)
		}
	}
	if got := len(s.Messages(conv)); got != 3 {
		t.Errorf("%d messages posted, want the 3 within the limit", got)
	}
	if got := s.Throttled(); got != 2 {
		t.Errorf("Throttled() = %d, want 2", got)
	}
	// The next minute by the fake's clock, 30 s later: a fresh count.
	mu.Lock()
	now = now.Add(30 * time.Second)
	mu.Unlock()
	if err := post(); err != nil {
		t.Fatalf("first request of the next minute: %v", err)
	}
	s.SetRateLimit(0)
	for range 5 {
		if err := post(); err != nil {
			t.Fatalf("with the limit lifted: %v", err)
		}
	}
}

// SetDown makes every API request fail, with a 503 or with no answer at all, until Up.
func TestSetDown(t *testing.T) {
	s := chatwoottest.NewServer(t, nil)
	conv := s.NewConversation(chatwoottest.ConversationSpec{})
	c := chatwoot.NewClient(s.URL, "bot-token", "", chatwoot.WithTimeout(5*time.Second))
	post := func() error {
		_, err := c.PostMessage(context.Background(), 1, conv, chatwoot.NewMessage{Content: "hi"})
		return err
	}
	s.SetDown(chatwoottest.DownUnavailable)
	var ae *chatwoot.APIError
	if err := post(); !errors.As(err, &ae) || ae.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("down (503): %v, want a 503", err)
	}
	s.SetDown(chatwoottest.DownNoAnswer)
	if err := post(); err == nil || errors.As(err, &ae) || !chatwoot.Retryable(err) {
		t.Fatalf("down (no answer): %v, want a retryable error with no answer", err)
	}
	s.SetDown(chatwoottest.Up)
	if err := post(); err != nil {
		t.Fatalf("up again: %v", err)
	}
	if got := len(s.Messages(conv)); got != 1 {
		t.Errorf("%d messages posted, want only the one made while up", got)
	}
}

package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cwbot/cwbot/bot"
	"github.com/cwbot/cwbot/chatwoot"
	"github.com/cwbot/cwbot/store"
)

// syncBuffer is a log destination the outbox's workers may share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// A Chatwoot error body that echoes the request's api_access_token, and the other
// secrets the bot holds, is neither stored in outbox.last_error nor logged as it came.
func TestOutboxKeepsNoTokenFromChatwootErrorBodies(t *testing.T) {
	const botToken, webhookSecret = "bot-tok-4f9a8c2e71d3", "whsec-77b1e0c9a2"
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := r.Header.Get("api_access_token")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnprocessableEntity)
		fmt.Fprintf(w, `{"message":"rejected with token %s","api_access_token":%q,"headers":{"authorization":"Bearer %s"},"hmac":"%s","secret":"s3cr3t-v4lue"}`,
			tok, tok, tok, webhookSecret)
	}))
	t.Cleanup(fake.Close)
	db := openDB(t)
	var logs syncBuffer
	client := chatwoot.NewClient(fake.URL, botToken, "", chatwoot.WithSecrets(webhookSecret))
	dead := make(chan *store.OutboxRow, 1)
	o := &Outbox{DB: db, Client: client, Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		Delivered: func(r *store.OutboxRow, err error, isDead bool) {
			if isDead {
				dead <- r
			}
		}}
	ctx := context.Background()
	payload, _ := json.Marshal(bot.Action{Kind: bot.SendMessage, Text: "hello"})
	row := &store.OutboxRow{AccountID: 1, ConversationID: 5, Kind: string(bot.SendMessage), Payload: payload}
	if err := db.Update(ctx, func(tx *store.Tx) error { return tx.AddOutbox(ctx, row) }); err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { o.Run(rctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })

	select {
	case <-dead:
	case <-time.After(hangGuard): // a hang, not a timing: the row is tried once at once
		t.Fatal("the refused row was never parked")
	}
	got, err := db.GetOutbox(ctx, row.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.LastError == "" || !strings.Contains(got.LastError, "422") {
		t.Fatalf("last_error %q, want Chatwoot's 422 kept", got.LastError)
	}
	for _, secret := range []string{botToken, webhookSecret, "s3cr3t-v4lue"} {
		if strings.Contains(got.LastError, secret) {
			t.Errorf("outbox.last_error keeps %q: %s", secret, got.LastError)
		}
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the log keeps %q: %s", secret, logs.String())
		}
	}
	if !strings.Contains(got.LastError, "[redacted]") {
		t.Errorf("last_error %q does not say what was taken out", got.LastError)
	}
}

package pipeline

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cwbot/cwbot/chatwoot"
)

// TestOutboxPostsOnceAfterRestart: an earlier run posted a row's message and died before
// recording it, so the row is still pending at start. With the user token the deliverer
// finds the message by its reference and records the row sent without posting it again;
// with the bot token alone it cannot look, and posts it a second time.
func TestOutboxPostsOnceAfterRestart(t *testing.T) {
	// A user token that may not read the conversation's messages (an agent's token, not
	// an administrator's, for an inbox the agent is not in).
	refuseListing := func(fake http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/messages") {
				http.Error(w, `{"error":"You are not authorized to do this action"}`, http.StatusForbidden)
				return
			}
			fake.ServeHTTP(w, r)
		})
	}
	for _, tc := range []struct {
		name      string
		userToken string
		front     func(http.Handler) http.Handler
		want      []string
	}{
		{"with the user token", "user-token", nil, []string{"greeting", "menu"}},
		{"bot token only", "", nil, []string{"greeting", "greeting", "menu"}},
		// The check cannot be made: the replies go out all the same, as with the bot
		// token alone, rather than being parked for good.
		{"user token refused the listing", "user-token", refuseListing, []string{"greeting", "greeting", "menu"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newOutboxEnv(t, tc.front)
			e.o.Client = chatwoot.NewClient(e.url, "bot-token", tc.userToken, chatwoot.WithTimeout(5*time.Second))
			conv := e.conversations(1)[0]
			rows := e.add(conv, "greeting", "menu")
			// What the dead run did: Chatwoot took the first row's message, with its reference.
			if _, err := e.o.Client.CreateMessage(context.Background(), testAccount, conv,
				chatwoot.NewMessage{Content: "greeting", Ref: rowRef(rows[0], "")}); err != nil {
				t.Fatal(err)
			}
			e.run()
			e.waitDrained(5 * time.Second)
			if got := e.sent(conv); !slices.Equal(got, tc.want) {
				t.Fatalf("Chatwoot has %q, want %q", got, tc.want)
			}
			e.checkStats(0, 0)
		})
	}
}

// TestOutboxRecheckPagesBack: Chatwoot lists a conversation's messages 20 at a time. The
// message a dead run posted is 25 messages back (the agents and the customer went on
// while the bot was down): the deliverer pages back to it and does not post it twice.
func TestOutboxRecheckPagesBack(t *testing.T) {
	e := newOutboxEnv(t, nil)
	e.o.Client = chatwoot.NewClient(e.url, "bot-token", "user-token", chatwoot.WithTimeout(5*time.Second))
	conv := e.conversations(1)[0]
	rows := e.add(conv, "greeting", "menu")
	ctx := context.Background()
	if _, err := e.o.Client.CreateMessage(ctx, testAccount, conv, chatwoot.NewMessage{Content: "greeting", Ref: rowRef(rows[0], "")}); err != nil {
		t.Fatal(err)
	}
	var want []string
	want = append(want, "greeting")
	for i := range 25 {
		text := fmt.Sprintf("meanwhile %d", i)
		if _, err := e.o.Client.CreateMessage(ctx, testAccount, conv, chatwoot.NewMessage{Content: text}); err != nil {
			t.Fatal(err)
		}
		want = append(want, text)
	}
	if latest, err := e.o.Client.ListMessages(ctx, testAccount, conv, 0); err != nil || len(latest) != 20 || latest[0].Content != "meanwhile 5" {
		t.Fatalf("latest page: %d messages, %v (the fake must answer Chatwoot's 20)", len(latest), err)
	}
	e.run()
	e.waitDrained(5 * time.Second)
	if got := e.sent(conv); !slices.Equal(got, append(want, "menu")) {
		t.Fatalf("Chatwoot has %q, want %q", got, append(want, "menu"))
	}
	e.checkStats(0, 0)
}

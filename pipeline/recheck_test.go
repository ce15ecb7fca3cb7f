package pipeline

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/cwbot/cwbot/chatwoot"
)

// TestOutboxPostsOnceAfterRestart: an earlier run posted a row's message and died before
// recording it, so the row is still pending at start. With the user token the deliverer
// finds the message by its reference and records the row sent without posting it again;
// with the bot token alone it cannot look, and posts it a second time.
func TestOutboxPostsOnceAfterRestart(t *testing.T) {
	for _, tc := range []struct {
		name      string
		userToken string
		want      []string
	}{
		{"with the user token", "user-token", []string{"greeting", "menu"}},
		{"bot token only", "", []string{"greeting", "greeting", "menu"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newOutboxEnv(t, nil)
			e.o.Client = chatwoot.NewClient(e.fake.URL, "bot-token", tc.userToken, chatwoot.WithTimeout(5*time.Second))
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

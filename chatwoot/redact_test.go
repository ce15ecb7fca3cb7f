package chatwoot_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cwbot/cwbot/chatwoot"
)

// An error body echoing the tokens (the bot's, the user's, a configured secret) comes
// back from every call with them taken out.
func TestAPIErrorTakesSecretsOutOfTheBody(t *testing.T) {
	const botTok, userTok, other = "botTOKEN123456", "userTOKEN98765", "telco-secret-abc"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintf(w, `{"error":"boom","api_access_token":"%s","echo":"%s %s","pubsub_token":"q1Xr9v3mJk7sT2wB8nYc4dPe"}`,
			r.Header.Get("api_access_token"), userTok, other)
	}))
	defer srv.Close()
	c := chatwoot.NewClient(srv.URL, botTok, userTok, chatwoot.WithSecrets(other))
	_, err := c.ToggleStatus(context.Background(), 1, 2, "open")
	if err == nil {
		t.Fatal("no error for a 500")
	}
	for _, s := range []string{botTok, userTok, other, "q1Xr9v3mJk7sT2wB8nYc4dPe"} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error keeps %q: %v", s, err)
		}
	}
	if !strings.Contains(err.Error(), "boom") {
		t.Errorf("error lost Chatwoot's message: %v", err)
	}
}

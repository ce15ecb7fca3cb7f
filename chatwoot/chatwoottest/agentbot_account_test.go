package chatwoottest

import (
	"encoding/json"
	"net/http"
	"testing"
)

// The fake serves one account, Options.AccountID, and writes it in agents' and teams'
// JSON, but botJSON hardcodes "account_id": 1. With AccountID 2 (as a test of
// "cwbot setup --account 2" uses it) the agent bots it lists, creates and shows claim
// to belong to account 1, unlike Chatwoot, whose agent_bot partial writes the bot's own
// account_id. Expected: account_id is the fake's account.
func TestAgentBotAccountID(t *testing.T) {
	s := NewServer(t, &Options{AccountID: 2})
	for _, path := range []string{"/api/v1/accounts/2/agent_bots", "/api/v1/accounts/2/inboxes/7/agent_bot"} {
		req, _ := http.NewRequest(http.MethodGet, s.URL+path, nil)
		req.Header.Set("api_access_token", "user-token")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body any
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d, %v", path, resp.StatusCode, err)
		}
		var bots []any
		switch b := body.(type) {
		case []any:
			bots = b
		case map[string]any:
			bots = []any{b["agent_bot"]}
		}
		if len(bots) == 0 {
			t.Fatalf("GET %s: no bot in %v", path, body)
		}
		for _, b := range bots {
			if acc := b.(map[string]any)["account_id"]; acc != float64(2) {
				t.Errorf("GET %s: bot %v has account_id %v, want 2 (the fake's account)", path, b.(map[string]any)["id"], acc)
			}
		}
	}
}

package redact_test

import (
	"strings"
	"testing"

	"github.com/cwbot/cwbot/redact"
)

func TestTextTakesSecretsOut(t *testing.T) {
	const tok = "Xy7pQ2rT9mW4vB8n"
	for _, in := range []string{
		`{"error":"invalid token","api_access_token":"` + tok + `"}`,
		`{"access_token":"` + tok + `","secret":"` + tok + `"}`,
		`{"hmac_token": "` + tok + `"}`,
		`GET /api/v1/accounts/1?api_access_token=` + tok + `&x=1`,
		`api_access_token: ` + tok,
		`Authorization: Bearer ` + tok,
		`Authorization: Basic ` + tok + `==`,
		`the header was ` + tok + ` and it is wrong`,
		`echoed ` + strings.ReplaceAll(tok, "Q", "%51"),
	} {
		got := redact.Text(in, tok, strings.ReplaceAll(tok, "Q", "%51"))
		if strings.Contains(got, tok) || strings.Contains(got, "Q2rT9") {
			t.Errorf("Text(%q) = %q: the token is still there", in, got)
		}
		if !strings.Contains(got, redact.Mark) {
			t.Errorf("Text(%q) = %q: nothing marked", in, got)
		}
	}
	for _, in := range []string{
		`{"error":"Access to this endpoint is not authorized for bots"}`,
		`{"message":"Too many messages","status":429}`,
		`the token is missing`,
		`invalid token provided`,
		`basic information about the conversation`,
	} {
		if got := redact.Text(in, tok); got != in {
			t.Errorf("Text(%q) = %q, want it untouched", in, got)
		}
	}
}

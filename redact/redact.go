// Package redact takes secrets out of text the bot keeps or logs: error bodies of Chatwoot
// and the telco, which may echo a request's headers or a bot's registration.
package redact

import (
	"net/url"
	"regexp"
	"strings"
)

// Mark replaces what was taken out.
const Mark = "[redacted]"

// minSecret is the shortest configured value replaced wherever it appears: shorter ones
// would take out ordinary words (and are no secrets anyway).
const minSecret = 6

var (
	// "api_access_token": "...", "secret": "...", "hmac_token": "...", "password": "..."
	jsonValue = regexp.MustCompile(`(?i)("[a-z0-9_\-]*(?:token|secret|password|passwd|api_key|apikey|authorization|hmac)[a-z0-9_\-]*"\s*:\s*)"(?:[^"\\]|\\.)*"`)
	// api_access_token=..., token: ..., X-Api-Key: ... in query strings, forms and headers
	pair = regexp.MustCompile(`(?i)\b((?:api_access_token|access_token|token|secret|password|api_key|apikey|x-api-key)\s*[=:]\s*)([^\s&",;'}]+)`)
	// Authorization: Bearer ..., Basic ...
	scheme = regexp.MustCompile(`\b([Bb]earer|BEARER|Basic|BASIC)(\s+)([A-Za-z0-9\-._~+/]{8,}=*)`)
)

// Text returns s with every secret given (at least 6 characters, as written or
// URL-encoded) and every value of a key named like a token, a secret or a password
// replaced by Mark, as are bearer and basic credentials.
func Text(s string, secrets ...string) string {
	for _, sec := range secrets {
		if len(sec) < minSecret {
			continue
		}
		s = strings.ReplaceAll(s, sec, Mark)
		if q := url.QueryEscape(sec); q != sec {
			s = strings.ReplaceAll(s, q, Mark)
		}
	}
	s = jsonValue.ReplaceAllString(s, `$1"`+Mark+`"`)
	s = pair.ReplaceAllStringFunc(s, func(m string) string {
		sub := pair.FindStringSubmatch(m)
		if sub[2] == Mark || strings.HasPrefix(sub[2], Mark) {
			return m
		}
		return sub[1] + Mark
	})
	s = scheme.ReplaceAllString(s, "$1$2"+Mark)
	return s
}

package chatwoot

import (
	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// DecodeJSON reads JSON the way this package reads everything Chatwoot sends: webhooks
// and API answers. It is the JSON v2 decoder (github.com/go-json-experiment/json, what the
// standard library ships as encoding/json/v2 behind GOEXPERIMENT=jsonv2), which reads a
// document in one pass, where encoding/json checks it whole before decoding and again for
// every nested UnmarshalJSON: webhooks are the bot's hottest path. Like encoding/json, it
// takes duplicate keys (the last wins) and invalid UTF-8 (replaced); unlike it, keys match
// the Go field tags exactly, as Chatwoot writes them, never in another case.
func DecodeJSON(b []byte, v any) error {
	return jsonv2.Unmarshal(b, v, decodeOptions)
}

var decodeOptions = jsonv2.JoinOptions(jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))

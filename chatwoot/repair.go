package chatwoot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
)

// Repair is one value of a webhook that was not in the shape Chatwoot writes, and what
// ParseEvent made of it.
type Repair struct {
	Field  string // JSON pointer, e.g. "/conversation/meta/sender/custom_attributes"
	Reason string // one of the Repair constants, a metric label
	Detail string // what was found, for the log
}

// Repair reasons.
const (
	RepairNumberText = "number_as_text" // a number sent as a string ("9001"): read as the number
	RepairText       = "text_as_other"  // text sent as a number or a boolean: read as its text
	RepairTime       = "bad_time"       // a time that is no RFC 3339 string or epoch: ignored
	RepairIgnored    = "ignored"        // any other value of the wrong shape (attributes as a string): ignored
)

// PayloadError is a webhook ParseEvent could not read. It matches ErrBadPayload.
type PayloadError struct {
	Reason  string // a metric label: not_json, unreadable_<field>, too_many_repairs
	Field   string // JSON pointer of the value, when one is to blame
	Repairs []Repair
	Err     error
}

func (e *PayloadError) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("chatwoot: bad payload (%s at %s): %v", e.Reason, e.Field, e.Err)
	}
	return fmt.Sprintf("chatwoot: bad payload (%s): %v", e.Reason, e.Err)
}

func (e *PayloadError) Unwrap() []error { return []error{ErrBadPayload, e.Err} }

// DropReason is why err made a payload unusable, as a metric label: a PayloadError's
// reason, else "unreadable".
func DropReason(err error) string {
	var pe *PayloadError
	if errors.As(err, &pe) {
		return pe.Reason
	}
	return "unreadable"
}

// maxRepairs bounds the values repaired in one payload: past it the payload is garbage.
const maxRepairs = 16

// ParseEvent reads a webhook body. It returns ErrNoEvent for JSON without an event name and
// a *PayloadError (an ErrBadPayload) for anything it cannot use.
//
// A value in a shape Chatwoot does not write is read when its meaning is plain, and noted
// in Event.Repairs: a number sent as text ("id": "9001"), text sent as a number ("content":
// 12345). One the bot can do without is ignored and noted: a malformed time, attributes
// that are no object, a changed_attributes of unknown shape. What the bot cannot answer
// without (the message's or the conversation's id, content, type, privacy, status) fails
// the payload, with the field to blame. Well-formed payloads take the one-pass path alone.
func ParseEvent(body []byte) (*Event, error) {
	ev, err := parseEvent(body)
	if err == nil || errors.Is(err, ErrNoEvent) {
		return ev, err
	}
	var repairs []Repair
	var doc any
	for range maxRepairs {
		var se *jsonv2.SemanticError
		if !errors.As(err, &se) || len(se.JSONPointer) == 0 {
			reason := "not_json"
			if se != nil {
				reason = "unreadable"
			}
			return nil, &PayloadError{Reason: reason, Repairs: repairs, Err: err}
		}
		if doc == nil {
			d := json.NewDecoder(bytes.NewReader(body))
			d.UseNumber()
			if d.Decode(&doc) != nil {
				return nil, &PayloadError{Reason: "not_json", Repairs: repairs, Err: err}
			}
		}
		r, ok := repair(doc, se)
		if !ok {
			return nil, &PayloadError{Reason: "unreadable_" + se.JSONPointer.LastToken(), Field: string(se.JSONPointer), Repairs: repairs, Err: se}
		}
		repairs = append(repairs, r)
		if body, err = json.Marshal(doc); err != nil {
			return nil, &PayloadError{Reason: "unreadable", Repairs: repairs, Err: err}
		}
		if ev, err = parseEvent(body); err == nil || errors.Is(err, ErrNoEvent) {
			if ev != nil {
				ev.Repairs = append(repairs, ev.Repairs...)
			}
			return ev, err
		}
	}
	return nil, &PayloadError{Reason: "too_many_repairs", Repairs: repairs, Err: err}
}

// essential are the values the bot cannot answer without: a wrong shape there fails the
// payload, unless it is a number sent as text.
var essential = map[string]bool{
	"/event": true, "/id": true, "/content": true, "/message_type": true, "/private": true, "/status": true,
	"/conversation/id": true, "/conversation/status": true, "/account/id": true, "/inbox/id": true,
	"/inbox_id": true, "/conversation/inbox_id": true,
}

var flexTimeType = reflect.TypeOf(flexTime{})

// repair changes the value se points at in doc (decoded with UseNumber) so that it reads,
// or removes it when it is not essential. ok is false when nothing can be done.
func repair(doc any, se *jsonv2.SemanticError) (Repair, bool) {
	ptr := string(se.JSONPointer)
	var tokens []string
	for tok := range se.JSONPointer.Tokens() {
		tokens = append(tokens, tok)
	}
	// The container of the value, and how to set or drop the value in it.
	parent := doc
	for _, tok := range tokens[:len(tokens)-1] {
		switch p := parent.(type) {
		case map[string]any:
			parent = p[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(p) {
				return Repair{}, false
			}
			parent = p[i]
		default:
			return Repair{}, false
		}
	}
	last := tokens[len(tokens)-1]
	var value any
	var set func(any)
	var drop func()
	switch p := parent.(type) {
	case map[string]any:
		v, ok := p[last]
		if !ok {
			return Repair{}, false
		}
		value, set, drop = v, func(v any) { p[last] = v }, func() { delete(p, last) }
	case []any:
		i, err := strconv.Atoi(last)
		if err != nil || i < 0 || i >= len(p) {
			return Repair{}, false
		}
		// An element is replaced by null rather than removed: the list keeps its indexes.
		value, set, drop = p[i], func(v any) { p[i] = v }, func() { p[i] = nil }
	default:
		return Repair{}, false
	}
	detail := clipDetail(fmt.Sprintf("%v", value))
	goType := se.GoType
	for goType != nil && goType.Kind() == reflect.Pointer {
		goType = goType.Elem()
	}
	kind := reflect.Invalid
	if goType != nil {
		kind = goType.Kind()
	}
	switch {
	// A number sent as text: "9001", " 42 ".
	case isInt(kind) && isString(value):
		if n, err := strconv.ParseInt(strings.TrimSpace(value.(string)), 10, 64); err == nil {
			set(json.Number(strconv.FormatInt(n, 10)))
			return Repair{Field: ptr, Reason: RepairNumberText, Detail: detail}, true
		}
	// Text sent as a number or a boolean: 12345, true.
	case kind == reflect.String && goType != flexTimeType:
		switch v := value.(type) {
		case json.Number:
			set(v.String())
			return Repair{Field: ptr, Reason: RepairText, Detail: detail}, true
		case bool:
			set(strconv.FormatBool(v))
			return Repair{Field: ptr, Reason: RepairText, Detail: detail}, true
		}
	}
	if essential[ptr] {
		return Repair{}, false
	}
	drop()
	if goType == flexTimeType {
		return Repair{Field: ptr, Reason: RepairTime, Detail: detail}, true
	}
	return Repair{Field: ptr, Reason: RepairIgnored, Detail: detail}, true
}

func isInt(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return true
	}
	return false
}

func isString(v any) bool { _, ok := v.(string); return ok }

func clipDetail(s string) string {
	if len(s) > 80 {
		return strings.ToValidUTF8(s[:80], "") + "..."
	}
	return s
}

package process

import (
	"github.com/cwbot/cwbot/redact"

	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"
)

// Outage is what the Outage API says of a customer's service: an outage that affects it
// now, or none.
type Outage struct {
	Active bool `json:"active"`
	// ID names the outage, stable for its life: the callback that ends it names it.
	ID string `json:"id,omitempty"`
	// Message is the telco's own words about it, for the agents.
	Message string `json:"message,omitempty"`
	// ETA is when the telco expects it to be over; zero when it does not say.
	ETA time.Time `json:"eta,omitempty"`
}

// OutageClient asks the telco's Outage API whether an outage affects a customer's service
// (README: "The Outage API").
type OutageClient struct {
	rc          *resty.Client
	token       string
	callbackURL string
	timeout     time.Duration
}

// NewOutageClient returns a client for the Outage API at baseURL. Each call is bounded by
// timeout (default 2 s): a slow API must not hold the customer's answer. callbackURL,
// when set, is sent along, for the telco to tell the end of an outage.
func NewOutageClient(baseURL, token, callbackURL string, timeout time.Duration) *OutageClient {
	if timeout <= 0 {
		timeout = 2 * time.Second
	}
	rc := resty.New().SetBaseURL(strings.TrimRight(baseURL, "/")).SetLogger(silent{}).SetDisableWarn(true).
		SetHeader("Accept", "application/json").SetHeader("User-Agent", "cwbot").SetResponseBodyLimit(maxBody)
	return &OutageClient{rc: rc, token: token, callbackURL: callbackURL, timeout: timeout}
}

type silent struct{}

func (silent) Errorf(string, ...any) {}
func (silent) Warnf(string, ...any)  {}
func (silent) Debugf(string, ...any) {}

// Check asks whether an outage affects routerID or the phone number (either may be empty,
// not both). Errors name the service and carry no token and no phone number: a network
// error, a timeout, a 429 or 5xx is ErrUnavailable; a 4xx ErrRejected; an answer that
// does not follow the contract ErrBadResponse.
func (c *OutageClient) Check(ctx context.Context, routerID, phone string) (Outage, error) {
	const op = "outage API: check"
	if routerID == "" && phone == "" {
		return Outage{}, fmt.Errorf("%s: %w: neither a router nor a phone number", op, ErrRejected)
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	q := url.Values{}
	if routerID != "" {
		q.Set("router_id", routerID)
	}
	if phone != "" {
		q.Set("phone", phone)
	}
	if c.callbackURL != "" {
		q.Set("callback_url", c.callbackURL)
	}
	req := c.rc.R().SetContext(ctx).SetQueryParamsFromValues(q)
	if c.token != "" {
		req.SetAuthToken(c.token)
	}
	resp, err := req.Get("/outages")
	if err != nil {
		// The URL holds the customer's phone number: only the cause goes in the error.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		if ctx.Err() != nil {
			err = fmt.Errorf("no answer within %v", c.timeout)
		}
		return Outage{}, &unavailableError{msg: op, cause: errors.New(redactToken(err.Error(), c.token))}
	}
	code, body := resp.StatusCode(), resp.Body()
	switch {
	case code == 429 || code >= 500:
		return Outage{}, &unavailableError{msg: fmt.Sprintf("%s: status=%d%s", op, code, snippet(body, c.token)),
			retryAfter: parseRetryAfter(resp.Header().Get("Retry-After"), time.Now())}
	case code >= 400:
		return Outage{}, fmt.Errorf("%s: status=%d%s: %w", op, code, snippet(body, c.token), ErrRejected)
	case code != 200:
		return Outage{}, fmt.Errorf("%s: status=%d%s: %w", op, code, snippet(body, c.token), ErrBadResponse)
	}
	o, err := ParseOutage(body)
	if err != nil {
		return Outage{}, fmt.Errorf("%s: %w", op, err)
	}
	return o, nil
}

// ParseOutage reads the Outage API's answer. An active outage needs an id (its end is told
// by it); eta, when given, is RFC 3339. Anything else is ErrBadResponse.
func ParseOutage(body []byte) (Outage, error) {
	var raw struct {
		Active  *bool  `json:"active"`
		ID      string `json:"id"`
		Message string `json:"message"`
		ETA     string `json:"eta"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return Outage{}, fmt.Errorf("%w: %v", ErrBadResponse, err)
	}
	switch {
	case raw.Active == nil:
		return Outage{}, fmt.Errorf("%w: no active field", ErrBadResponse)
	case !*raw.Active:
		return Outage{}, nil
	case raw.ID == "":
		return Outage{}, fmt.Errorf("%w: an active outage without an id", ErrBadResponse)
	}
	o := Outage{Active: true, ID: raw.ID, Message: strings.TrimSpace(raw.Message)}
	if raw.ETA != "" {
		t, err := time.Parse(time.RFC3339, raw.ETA)
		if err != nil {
			return Outage{}, fmt.Errorf("%w: eta: %v", ErrBadResponse, err)
		}
		o.ETA = t
	}
	return o, nil
}

// OutageEndedEvent is the "event" of the callback that ends an outage.
const OutageEndedEvent = "outage_ended"

// OutageCallback is the body of the callback the telco sends when an outage ends, to the
// same endpoint and signed the same way as the Router Operations API's callbacks.
type OutageCallback struct {
	Event string `json:"event"` // "outage_ended"
	ID    string `json:"id"`
}

// ParseOutageCallback reads a callback body that ends an outage. ok is false for any other
// body (an operation's progress): the caller reads it as such.
func ParseOutageCallback(body []byte) (id string, ok bool, err error) {
	var cb OutageCallback
	if json.Unmarshal(body, &cb) != nil || cb.Event != OutageEndedEvent {
		return "", false, nil
	}
	if strings.TrimSpace(cb.ID) == "" {
		return "", true, fmt.Errorf("%w: outage_ended without an id", ErrBadResponse)
	}
	return cb.ID, true, nil
}

// redactToken takes the token, and any other secret the redact package knows the
// shape of, out of an error's text.
func redactToken(s, token string) string {
	if token != "" {
		s = strings.ReplaceAll(s, token, redact.Mark)
	}
	return redact.Text(s)
}

package chatwoot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/cwbot/cwbot/redact"
)

// API errors. An *APIError matches the sentinel of its status with errors.Is.
var (
	ErrNotFound     = errors.New("chatwoot: not found")
	ErrUnauthorized = errors.New("chatwoot: unauthorized")
	ErrRateLimited  = errors.New("chatwoot: rate limited")
	// ErrValidation is a 422 from Chatwoot or a message refused before sending it.
	ErrValidation = errors.New("chatwoot: validation failed")
	// ErrNoUserToken is returned, without a request, by calls a bot token may not make.
	ErrNoUserToken = errors.New("chatwoot: a user access token is required")
	// ErrBadAnswer is a 2xx answer whose body is not the JSON Chatwoot's API writes:
	// CHATWOOT_URL names something else (a proxy's page, the /app path).
	ErrBadAnswer = errors.New("chatwoot: answer is not Chatwoot's JSON")
)

// APIError is a non-2xx answer from Chatwoot.
type APIError struct {
	Endpoint   string
	StatusCode int
	// Body is the start of the answer, enough to read Chatwoot's error message.
	Body string
	// RetryAfter is what the Retry-After header asked for, 0 when absent.
	RetryAfter time.Duration
}

func (e *APIError) Error() string {
	return fmt.Sprintf("chatwoot: %s: status=%d: %s", e.Endpoint, e.StatusCode, e.Body)
}

// Unwrap exposes the sentinel of the status so callers test with errors.Is.
func (e *APIError) Unwrap() error {
	switch {
	case e.StatusCode == http.StatusNotFound:
		return ErrNotFound
	case e.StatusCode == http.StatusUnauthorized, e.StatusCode == http.StatusForbidden:
		return ErrUnauthorized
	case e.StatusCode == http.StatusTooManyRequests:
		return ErrRateLimited
	case e.StatusCode == http.StatusUnprocessableEntity:
		return ErrValidation
	}
	return nil
}

// transportError marks a request that got no answer, so Retryable can tell it from a
// response that could not be decoded (which may have taken effect).
type transportError struct {
	endpoint string
	err      error
	msg      string // err's text, secrets taken out
}

func (e *transportError) Error() string { return fmt.Sprintf("chatwoot: %s: %s", e.endpoint, e.msg) }
func (e *transportError) Unwrap() error { return e.err }

// Retryable reports whether the same call may succeed later: no answer, a timeout, 5xx,
// 408 or 429. Other 4xx and local validation will fail again.
func Retryable(err error) bool {
	var ae *APIError
	if errors.As(err, &ae) {
		s := ae.StatusCode
		return s >= 500 || s == http.StatusRequestTimeout || s == http.StatusTooManyRequests
	}
	var te *transportError
	return errors.As(err, &te) && !errors.Is(err, context.Canceled)
}

// RetryAfter returns the delay Chatwoot asked for with Retry-After.
func RetryAfter(err error) (time.Duration, bool) {
	var ae *APIError
	if errors.As(err, &ae) && ae.RetryAfter > 0 {
		return ae.RetryAfter, true
	}
	return 0, false
}

// Client calls Chatwoot's account API. Calls an AgentBot may make use the bot token; the
// rest need a user (agent or administrator) token.
type Client struct {
	rc        *resty.Client
	botToken  string
	userToken string
	timeout   time.Duration
	observe   func(endpoint string, status int, d time.Duration)
	pace      func(ctx context.Context) error
	now       func() time.Time
	secrets   []string // taken out of every error text (the tokens, WithSecrets)
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sends requests through hc (proxies, test transports). It is not modified.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) { c.rc = resty.NewWithClient(hc) }
}

// WithTimeout bounds each call (default 10 s): a slow Chatwoot must not hold a worker.
func WithTimeout(d time.Duration) Option { return func(c *Client) { c.timeout = d } }

// WithObserver is told of every call, for metrics. endpoint is a fixed name such as
// "create_message"; status is 0 when no answer came.
func WithObserver(f func(endpoint string, status int, d time.Duration)) Option {
	return func(c *Client) { c.observe = f }
}

// WithSecrets names more secrets (the webhook's, the telco's) to take out of every error
// this client returns, beside its own tokens: an error body may echo any of them.
func WithSecrets(secrets ...string) Option {
	return func(c *Client) { c.secrets = append(c.secrets, secrets...) }
}

// WithPacer makes every call wait for pace first (a rate limiter shared by every caller),
// before the call's timeout starts. An error from pace is the call's error, made without a
// request.
func WithPacer(pace func(ctx context.Context) error) Option {
	return func(c *Client) { c.pace = pace }
}

// NewClient returns a client for the Chatwoot at baseURL. userToken may be empty: calls
// that need it then fail with ErrNoUserToken.
func NewClient(baseURL, botToken, userToken string, opts ...Option) *Client {
	c := &Client{botToken: botToken, userToken: userToken, timeout: 10 * time.Second, now: time.Now}
	for _, o := range opts {
		o(c)
	}
	c.secrets = append(c.secrets, botToken, userToken)
	if c.rc == nil {
		c.rc = resty.New()
		// resty keeps GOMAXPROCS+1 idle connections per host; the deliverer makes dozens of
		// calls at once to the one Chatwoot, and should not open a connection for each.
		if t, ok := c.rc.GetClient().Transport.(*http.Transport); ok {
			t.MaxIdleConnsPerHost = 64
		}
	}
	c.rc.SetBaseURL(strings.TrimRight(baseURL, "/")).SetLogger(quietLogger{}).SetDisableWarn(true).
		SetHeader("Accept", "application/json").SetHeader("User-Agent", "cwbot")
	return c
}

type quietLogger struct{}

func (quietLogger) Errorf(string, ...any) {}
func (quietLogger) Warnf(string, ...any)  {}
func (quietLogger) Debugf(string, ...any) {}

type tokenKind int

const (
	botOrUser tokenKind = iota
	userOnly
)

// call is one API request: the endpoint names it in errors and metrics.
type call struct {
	endpoint string
	method   string
	path     string // below /api/v1/accounts/{account_id}
	account  int64
	token    tokenKind
	body     any
}

// maxErrorBody keeps error messages and logs short.
const maxErrorBody = 512

// do runs a JSON call and decodes a 2xx answer into a new RESP (an empty body leaves it
// zero). Every method goes through here so status handling is the same everywhere.
func do[RESP any](ctx context.Context, c *Client, k call) (*RESP, error) {
	token := c.userToken
	if k.token == botOrUser && c.botToken != "" {
		token = c.botToken
	}
	if token == "" {
		return nil, fmt.Errorf("chatwoot: %s: %w", k.endpoint, ErrNoUserToken)
	}
	if c.pace != nil {
		if err := c.pace(ctx); err != nil {
			return nil, fmt.Errorf("chatwoot: %s: %w", k.endpoint, err)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req := c.rc.R().SetContext(ctx).SetHeader("api_access_token", token)
	if k.body != nil {
		b, err := json.Marshal(k.body)
		if err != nil {
			return nil, fmt.Errorf("chatwoot: %s: %w", k.endpoint, err)
		}
		req.SetHeader("Content-Type", "application/json").SetBody(b)
	}
	start := time.Now()
	resp, err := req.Execute(k.method, fmt.Sprintf("/api/v1/accounts/%d/%s", k.account, k.path))
	status := 0
	if err == nil {
		status = resp.StatusCode()
	}
	if c.observe != nil {
		c.observe(k.endpoint, status, time.Since(start))
	}
	if err != nil {
		return nil, &transportError{endpoint: k.endpoint, err: err, msg: redact.Text(err.Error(), c.secrets...)}
	}
	if status < 200 || status > 299 {
		return nil, c.apiError(k.endpoint, resp)
	}
	out := new(RESP)
	if b := bytes.TrimSpace(resp.Body()); len(b) > 0 {
		if err := DecodeJSON(b, out); err != nil {
			return nil, fmt.Errorf("%w: %s: status=%d: %s", ErrBadAnswer, k.endpoint, status, redact.Text(err.Error(), c.secrets...))
		}
	}
	return out, nil
}

// apiError keeps the start of an error body, secrets taken out: it is logged and stored
// (outbox.last_error), and a body may echo the request's api_access_token header.
func (c *Client) apiError(endpoint string, resp *resty.Response) *APIError {
	body := redact.Text(strings.ToValidUTF8(string(resp.Body()), ""), c.secrets...)
	if len(body) > maxErrorBody {
		body = strings.ToValidUTF8(body[:maxErrorBody], "") + "..."
	}
	return &APIError{Endpoint: endpoint, StatusCode: resp.StatusCode(), Body: body,
		RetryAfter: parseRetryAfter(resp.Header().Get("Retry-After"), c.now())}
}

// parseRetryAfter reads delay-seconds or an HTTP date; a date in the past means now.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0
		}
		return time.Duration(min(n, int64(24*time.Hour/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

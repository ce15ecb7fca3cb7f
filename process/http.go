package process

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cwbot/cwbot/redact"
)

// HTTPRunner speaks the Router Operations API (README-contract.md) that a telco implements.
type HTTPRunner struct {
	baseURL     string
	token       string
	callbackURL string
	client      *http.Client
}

var _ Runner = (*HTTPRunner)(nil)

// NewHTTPRunner returns a runner for the API at baseURL. callbackURL is where the telco posts
// progress (the bot's /webhooks/telco). A nil client gets a 10 s timeout: a hung telco must
// surface as ErrUnavailable rather than block the scheduler.
func NewHTTPRunner(baseURL, token, callbackURL string, client *http.Client) *HTTPRunner {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	return &HTTPRunner{baseURL: strings.TrimRight(baseURL, "/"), token: token, callbackURL: callbackURL, client: client}
}

var _ StarterFor = (*HTTPRunner)(nil)

// Start asks the telco to update and restart routerID, naming no requester (StartFor).
func (r *HTTPRunner) Start(ctx context.Context, routerID, reference string) (Status, error) {
	return r.StartFor(ctx, routerID, reference, Requester{})
}

// startRequest is the body of POST /routers/{router_id}/updates. The requester's fields are
// left out when unknown.
type startRequest struct {
	CallbackURL string `json:"callback_url"`
	Reference   string `json:"reference"`
	ContactID   int64  `json:"contact_id,omitempty"`
	Phone       string `json:"phone,omitempty"`
	Typed       bool   `json:"typed,omitempty"`
}

// StartFor asks the telco to update and restart routerID for who. The 409 answer becomes
// *AlreadyRunningError so the bot follows the update already in progress; a 403 is the
// telco saying the router is not who's (ErrNotYours). A router id that fails CheckRouterID
// is refused without a request.
//
// Specs: README-contract.md, POST /routers/{router_id}/updates
func (r *HTTPRunner) StartFor(ctx context.Context, routerID, reference string, who Requester) (Status, error) {
	const op = "telco: start update"
	if err := CheckRouterID(routerID); err != nil {
		return Status{}, fmt.Errorf("%s: %w", op, err)
	}
	body, _ := json.Marshal(startRequest{CallbackURL: r.callbackURL, Reference: reference,
		ContactID: who.ContactID, Phone: who.Phone, Typed: who.Typed})
	code, resp, err := r.do(ctx, op, http.MethodPost, "/routers/"+url.PathEscape(routerID)+"/updates", reference, body)
	if err != nil {
		return Status{}, err
	}
	switch code {
	case http.StatusOK, http.StatusCreated, http.StatusAccepted:
		s, err := ParseStatus(resp)
		if err != nil {
			return Status{}, fmt.Errorf("%s: status=%d: %w", op, code, err)
		}
		return s, nil
	case http.StatusNotFound:
		return Status{}, fmt.Errorf("%s: status=%d: %w", op, code, ErrUnknownRouter)
	case http.StatusForbidden:
		return Status{}, fmt.Errorf("%s: status=%d%s: %w", op, code, snippet(resp, r.token), ErrNotYours)
	case http.StatusConflict:
		var running struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(resp, &running) != nil || running.ID == "" {
			return Status{}, fmt.Errorf("%s: status=%d without operation id: %w", op, code, ErrBadResponse)
		}
		return Status{}, &AlreadyRunningError{OperationID: running.ID}
	}
	return Status{}, r.unexpected(op, code, resp)
}

// Status reads an operation; the answer must be about the operation asked for.
//
// Specs: README-contract.md, GET /updates/{id}
func (r *HTTPRunner) Status(ctx context.Context, operationID string) (Status, error) {
	const op = "telco: update status"
	code, resp, err := r.do(ctx, op, http.MethodGet, "/updates/"+url.PathEscape(operationID), "", nil)
	if err != nil {
		return Status{}, err
	}
	switch code {
	case http.StatusOK:
		s, err := ParseStatus(resp)
		if err != nil {
			return Status{}, fmt.Errorf("%s: status=%d: %w", op, code, err)
		}
		if s.ID != operationID {
			return Status{}, fmt.Errorf("%s: asked for %q, got %q: %w", op, operationID, s.ID, ErrBadResponse)
		}
		return s, nil
	case http.StatusNotFound:
		return Status{}, fmt.Errorf("%s: status=%d: %w", op, code, ErrUnknownOperation)
	}
	return Status{}, r.unexpected(op, code, resp)
}

// do sends one request and reads a bounded body. Transport failures are ErrUnavailable; the
// token only travels in the header and never reaches an error.
func (r *HTTPRunner) do(ctx context.Context, op, method, path, idemKey string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, r.baseURL+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, fmt.Errorf("%s: %w: %v", op, ErrRejected, err)
	}
	req.Header.Set("Accept", "application/json")
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if idemKey != "" {
		req.Header.Set("Idempotency-Key", idemKey)
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return 0, nil, &unavailableError{msg: op, cause: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return 0, nil, &unavailableError{msg: fmt.Sprintf("%s: status=%d: read body", op, resp.StatusCode), cause: err}
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
		return 0, nil, &unavailableError{
			msg:        fmt.Sprintf("%s: status=%d%s", op, resp.StatusCode, snippet(b, r.token)),
			retryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),
		}
	}
	return resp.StatusCode, b, nil
}

func (r *HTTPRunner) unexpected(op string, code int, body []byte) error {
	kind := ErrBadResponse // a 2xx/3xx we do not expect here
	if code >= 400 && code < 500 {
		kind = ErrRejected
	}
	return fmt.Errorf("%s: status=%d%s: %w", op, code, snippet(body, r.token), kind)
}

// snippet quotes the start of an error body for logs; bodies may be garbage or echo our
// headers, so it is cut short and the token is redacted.
func snippet(body []byte, token string) string {
	s := strings.TrimSpace(string(body))
	if token != "" {
		s = strings.ReplaceAll(s, token, redact.Mark)
	}
	s = redact.Text(s)
	if len(s) > 120 {
		s = s[:120] + "..."
	}
	if s == "" {
		return ""
	}
	return fmt.Sprintf(" body=%q", s)
}

func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil && secs > 0 {
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

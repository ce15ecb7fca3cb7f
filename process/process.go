// Package process starts and follows remote router updates (firmware update and restart) at
// the telco, through the Router Operations API (HTTPRunner) or a GenieACS ACS (GenieACSRunner).
// The bot's scheduler owns persistence, timing and customer wording; this package only speaks
// to the telco and turns its answers into one Status vocabulary.
package process

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// State is where an operation stands overall.
type State string

const (
	StateQueued    State = "queued"
	StateRunning   State = "running"
	StateSucceeded State = "succeeded"
	StateFailed    State = "failed"
)

// Step is the phase of a running operation; a failed operation keeps the step it failed in.
type Step string

const (
	StepNone        Step = ""
	StepDownloading Step = "downloading"
	StepInstalling  Step = "installing"
	StepRebooting   Step = "rebooting"
	StepVerifying   Step = "verifying"
)

// Status is one observation of an operation, in the JSON shape of the Router Operations API.
type Status struct {
	ID        string    `json:"id"`
	State     State     `json:"state"`
	Step      Step      `json:"step"`
	Detail    string    `json:"detail,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`

	// Unreachable, on a queued operation, says the router cannot be reached now (GenieACS:
	// "Device is offline"): it starts when the router comes online. Not part of the API.
	Unreachable bool `json:"-"`
	// Cause, on a failed operation, is why in our terms when the runner knows it (see the
	// Cause constants); empty otherwise. Not part of the API.
	Cause string `json:"-"`
}

// Causes of a failed operation that the runner can tell apart.
const (
	// CauseOffline: the router stayed unreachable; nothing ran on it.
	CauseOffline = "offline"
	// CauseUnsupported: the router does not support the operation (cwmp.9000); asking
	// again will not help.
	CauseUnsupported = "unsupported"
)

// Final reports whether the operation will not change any more, so polling can stop.
func (s Status) Final() bool { return s.State == StateSucceeded || s.State == StateFailed }

// Progress orders observations so the bot only moves forward when callbacks arrive late,
// twice or out of order: queued < running < downloading < installing < rebooting < verifying
// < succeeded = failed. Unknown values rank -1.
func Progress(s Status) int {
	switch s.State {
	case StateQueued:
		return 0
	case StateSucceeded, StateFailed:
		return 6
	case StateRunning:
		switch s.Step {
		case StepNone:
			return 1
		case StepDownloading:
			return 2
		case StepInstalling:
			return 3
		case StepRebooting:
			return 4
		case StepVerifying:
			return 5
		}
	}
	return -1
}

func validState(s State) bool {
	switch s {
	case StateQueued, StateRunning, StateSucceeded, StateFailed:
		return true
	}
	return false
}

func validStep(s Step) bool {
	switch s {
	case StepNone, StepDownloading, StepInstalling, StepRebooting, StepVerifying:
		return true
	}
	return false
}

// ParseStatus decodes an operation as the API's GET answer and callbacks carry it. Anything the
// bot could not act on (no id, unknown state or step, bad time) is ErrBadResponse, so a telco
// bug never moves a customer's conversation.
func ParseStatus(body []byte) (Status, error) {
	var raw struct {
		ID        string `json:"id"`
		State     State  `json:"state"`
		Step      Step   `json:"step"`
		Detail    string `json:"detail"`
		UpdatedAt string `json:"updated_at"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return Status{}, fmt.Errorf("%w: %v", ErrBadResponse, err)
	}
	switch {
	case raw.ID == "":
		return Status{}, fmt.Errorf("%w: no id", ErrBadResponse)
	case !validState(raw.State):
		return Status{}, fmt.Errorf("%w: unknown state %q", ErrBadResponse, raw.State)
	case !validStep(raw.Step):
		return Status{}, fmt.Errorf("%w: unknown step %q", ErrBadResponse, raw.Step)
	}
	s := Status{ID: raw.ID, State: raw.State, Step: raw.Step, Detail: raw.Detail}
	if raw.UpdatedAt != "" {
		t, err := time.Parse(time.RFC3339, raw.UpdatedAt)
		if err != nil {
			return Status{}, fmt.Errorf("%w: updated_at: %v", ErrBadResponse, err)
		}
		s.UpdatedAt = t
	}
	return s, nil
}

// Runner starts and follows remote router updates. reference is our job attempt id: the
// telco uses it as the idempotency key, so a Start retried after a timeout does not start a
// second update.
type Runner interface {
	Start(ctx context.Context, routerID, reference string) (Status, error)
	Status(ctx context.Context, operationID string) (Status, error)
}

// Requester is who asks for an update: the Chatwoot contact, and whether the router id is
// one the customer typed (no agent or CRM vouched for it). The telco uses it to refuse a
// router that is not the contact's (ErrNotYours).
type Requester struct {
	ContactID int64
	Phone     string
	Typed     bool
}

// StarterFor is implemented by runners that tell the telco who asks (both of ours). The
// jobs worker uses it when it can; Start is StartFor with nobody named.
type StarterFor interface {
	StartFor(ctx context.Context, routerID, reference string, who Requester) (Status, error)
}

// Patient is implemented by runners whose calls may rightly take longer than the jobs
// worker's default budget (30 s): CallTimeout is the budget they need.
type Patient interface {
	CallTimeout() time.Duration
}

// Canceler is implemented by runners that leave work behind at the telco when an
// operation does not succeed (a queued task, a fault the ACS would retry on its own).
// The jobs worker calls Cancel on every end that is not a success.
type Canceler interface {
	Cancel(ctx context.Context, operationID string) error
}

// Checker is implemented by runners that can tell, quickly and before anything is queued,
// whether the router can be updated at all: nil, or ErrUnknownRouter, ErrRejected or
// ErrUnavailable as Start would answer. The jobs worker checks before the customer is told
// the update was asked for.
type Checker interface {
	Check(ctx context.Context, routerID string) error
}

// Restarter is implemented by runners that may only restart the router (no firmware):
// RestartOnly says so, and the customer is told of a restart, not an update.
type Restarter interface {
	RestartOnly() bool
}

var (
	// ErrUnknownRouter: the telco does not know the router (404); asking again will not help.
	ErrUnknownRouter = errors.New("unknown router")
	// ErrUnknownOperation: the operation id is not (or no longer) known to the telco.
	ErrUnknownOperation = errors.New("unknown operation")
	// ErrUnavailable is transient (network error, timeout, 5xx, 429): retry later, see RetryAfter.
	ErrUnavailable = errors.New("service unavailable")
	// ErrBadResponse: the answer could not be understood; treated like a telco bug, not a state.
	ErrBadResponse = errors.New("bad response")
	// ErrRejected: any other 4xx; our request is wrong and retrying it unchanged will not help.
	ErrRejected = errors.New("request rejected")
	// ErrNotYours: the telco (403) or the ACS owner check says the router is not the
	// requester's. Asking again will not help; an agent can.
	ErrNotYours = errors.New("router not registered to the requester")
	// ErrOwnerUnverified: a typed router id that nothing can check against the requester
	// (GenieACS with no owner tag or parameter configured), so it is not touched.
	ErrOwnerUnverified = errors.New("router owner cannot be verified")
	// ErrBadSignature: a callback is unsigned, wrongly signed, stale or malformed.
	ErrBadSignature = errors.New("bad callback signature")
)

// AlreadyRunningError means the router already has an update in progress (409): the bot
// attaches to OperationID instead of starting another.
type AlreadyRunningError struct{ OperationID string }

func (e *AlreadyRunningError) Error() string {
	return "update already running: operation " + e.OperationID
}

// unavailableError carries the server's Retry-After so the scheduler can back off as asked.
type unavailableError struct {
	msg        string
	retryAfter time.Duration
	cause      error
}

func (e *unavailableError) Error() string {
	if e.cause != nil {
		return e.msg + ": " + e.cause.Error()
	}
	return e.msg
}
func (e *unavailableError) Unwrap() []error {
	if e.cause == nil {
		return []error{ErrUnavailable}
	}
	return []error{ErrUnavailable, e.cause}
}

// RetryAfter returns the delay the service asked for with a 429 or 503 Retry-After header,
// or 0 when it did not say.
func RetryAfter(err error) time.Duration {
	var u *unavailableError
	if errors.As(err, &u) {
		return u.retryAfter
	}
	return 0
}

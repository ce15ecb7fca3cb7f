package bot

import "time"

// JobUpdate is a router update's progress as the jobs worker reports it. It travels as a
// stored event through the conversation's lane, so it is told in order with the
// customer's own messages, and only once.
type JobUpdate struct {
	JobID     int64  `json:"job_id"`
	AccountID int64  `json:"account_id"`
	Attempt   int    `json:"attempt"`
	RouterID  string `json:"router_id"`
	State     string `json:"state"` // queued | running | succeeded | failed | delayed
	Step      string `json:"step,omitempty"`
	Detail    string `json:"detail,omitempty"`
	// Reason is set when the bot ended the job, or the telco's failure has a cause the bot
	// tells apart: see the Reason constants.
	Reason string `json:"reason,omitempty"`
	// Restart: the operation only restarts the router (no new software).
	Restart bool `json:"restart,omitempty"`
}

// Reasons a job failed without a telco's own explanation.
const (
	ReasonUnknownRouter = "unknown_router"
	ReasonTimeout       = "timeout"
	ReasonUnavailable   = "unavailable"
	ReasonRejected      = "rejected"
	// ReasonOffline: the router stayed unreachable; nothing was done to it.
	ReasonOffline = "offline"
	// ReasonUnsupported: the router does not support the operation; asking again will not help.
	ReasonUnsupported = "unsupported"
	// ReasonNotYours: the telco (403) or the ACS's owner check says the router is not
	// registered to the contact.
	ReasonNotYours = "not_yours"
	// ReasonUnverified: a serial the customer typed that nothing can check against the
	// contact (GenieACS without an owner tag or parameter), so it was not touched.
	ReasonUnverified = "unverified"
)

// Job states as the bot tells them. "delayed" is ours: the telco has not answered for a
// while and the customer is told we keep trying.
const (
	JobQueued    = "queued"
	JobRunning   = "running"
	JobSucceeded = "succeeded"
	JobFailed    = "failed"
	JobDelayed   = "delayed"
	// JobAccepted: the telco knows the router and the update is being asked for; the
	// customer hears that the update was asked for.
	JobAccepted = "accepted"
	// JobOffline: the router cannot be reached now; the update starts when it comes online.
	JobOffline = "offline"
	// JobCancelled: the customer called the update off before it was sent to the telco
	// (CancelJob); nothing was done to the router. Also an attempt's Result.
	JobCancelled = "cancelled"
	// JobCancelRefused: the customer's cancel came after the update was sent: it goes on.
	JobCancelRefused = "cancel_refused"
)

// StartUpdate asks the jobs worker to start a router update; it becomes a job row in the
// same transaction as the conversation state that asked for it.
type StartUpdate struct {
	RouterID string `json:"router_id"`
	Attempt  int    `json:"attempt"`
	// Who asks, for the telco to refuse a router that is not theirs: the contact, its
	// phone, and whether the serial was typed by the customer rather than taken from the
	// contact's attribute (which an agent or a CRM set).
	ContactID int64  `json:"contact_id,omitempty"`
	Phone     string `json:"phone,omitempty"`
	Typed     bool   `json:"typed,omitempty"`
}

// UpdateAttempt is one attempt's story, kept for the agent's note.
type UpdateAttempt struct {
	Attempt int       `json:"attempt"`
	Started time.Time `json:"started"`
	JobID   int64     `json:"job_id,omitempty"`
	Steps   []string  `json:"steps,omitempty"`
	Result  string    `json:"result,omitempty"` // succeeded | failed | "" while running
	Failure string    `json:"failure,omitempty"`
	// Reason is why it failed, as the job reported it (unknown_router, rejected, ...).
	Reason string `json:"reason,omitempty"`
	// RouterID is the router it was for.
	RouterID string `json:"router_id,omitempty"`
	// Outage is the outage the customer was told of when they asked for it anyway: its
	// end does not bring their internet back.
	Outage string `json:"outage,omitempty"`
	// AgentAfter is the topic whose agent was promised for after this attempt
	// (Conversation.AgentAfter): offered when it succeeds.
	AgentAfter string `json:"agent_after,omitempty"`
	// Announce: the customer is yet to hear that the update was asked for; they hear it at
	// the job's first report, once the telco knows the router.
	Announce bool `json:"announce,omitempty"`
	// Restart: the operation only restarts the router (no new software), as the job says.
	Restart bool `json:"restart,omitempty"`
	// StartTold: the customer heard that this attempt was asked for (update_started), with
	// what it means for their internet; a retry right after it failed says it in short.
	StartTold bool `json:"start_told,omitempty"`
	// Offline: the customer was told the router cannot be reached now.
	Offline bool `json:"offline,omitempty"`
	// FailedAt is the step a failed attempt failed in, or the last it reached when the bot
	// ended it (a timeout); empty when unknown.
	FailedAt string `json:"failed_at,omitempty"`
	// TookTold: the customer, asking for it again to be sure, was told this one took; a
	// second ask is the update confirmed.
	TookTold bool `json:"took_told,omitempty"`
}

// touchedRouter says whether an attempt may have updated or restarted its router: one the
// telco refused outright (no such router, rejected, not supported, not the contact's) or
// that never reached it (offline) did not.
func (a UpdateAttempt) touchedRouter() bool {
	if a.Result == JobCancelled {
		return false // called off before it was sent
	}
	switch a.Reason {
	case ReasonUnknownRouter, ReasonRejected, ReasonUnsupported, ReasonOffline, ReasonNotYours, ReasonUnverified:
		return false
	}
	return true
}

// permanent says whether the attempt failed for good: asking again gets the same answer
// (no such router, a refusal, an operation the router does not support, a router that is
// not the contact's or cannot be checked to be).
func (a UpdateAttempt) permanent() bool {
	switch a.Reason {
	case ReasonUnknownRouter, ReasonRejected, ReasonUnsupported, ReasonNotYours, ReasonUnverified:
		return true
	}
	return false
}

// lastStep is the last step the attempt reached: the one it failed in, for a failure.
// failure is the attempt's failure as a job update, for its facts in words (failureFacts).
func (a UpdateAttempt) failure() JobUpdate {
	return JobUpdate{Reason: a.Reason, Step: a.FailedAt, RouterID: a.RouterID, Restart: a.Restart}
}

func (a UpdateAttempt) lastStep() string {
	if len(a.Steps) == 0 {
		return ""
	}
	return a.Steps[len(a.Steps)-1]
}

// RouterUpdate is the conversation's router update: the one running, if any, and every
// attempt so far.
type RouterUpdate struct {
	Active   bool            `json:"active"`
	JobID    int64           `json:"job_id,omitempty"`
	State    string          `json:"state,omitempty"`
	Step     string          `json:"step,omitempty"`
	Told     int             `json:"told"` // progress rank already told, so no step is told twice
	Attempts []UpdateAttempt `json:"attempts,omitempty"`
}

func (u *RouterUpdate) current() *UpdateAttempt {
	if u == nil || len(u.Attempts) == 0 {
		return nil
	}
	return &u.Attempts[len(u.Attempts)-1]
}

// rank orders the steps of an update so the bot only ever moves forward.
func rank(state, step string) int {
	switch state {
	case JobSucceeded, JobFailed:
		return 7
	case JobQueued:
		return 1
	}
	switch step {
	case "downloading":
		return 3
	case "installing":
		return 4
	case "rebooting":
		return 5
	case "verifying":
		return 6
	}
	if state == JobRunning {
		return 2
	}
	return 0
}

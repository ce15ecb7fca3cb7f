// Package telcosim is a scripted telco serving the Router Operations API (process.HTTPRunner's
// contract): tests wrap it in httptest.NewServer, the local shell serves it on loopback.
// Scenarios make it fail, stall, or lose, duplicate and reorder its signed callbacks.
package telcosim

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/cwbot/cwbot/process"
)

// Options configure a Sim; the zero value is a permissive automatic simulator.
type Options struct {
	Token          string        // required bearer token; empty accepts any request
	CallbackSecret string        // signs callbacks; empty sends them unsigned
	StepDelay      time.Duration // time between steps in automatic mode; default 2s
	Manual         bool          // no timers: steps move only when Advance is called
	Now            func() time.Time
	Client         *http.Client // delivers callbacks; default has a 5s timeout
	Logf           func(format string, args ...any)
	KnownRouter    func(id string) bool // default: every id is known (see AddUnknownRouter)
}

// Scenario scripts how one operation behaves.
type Scenario struct {
	FailAt             process.Step // fail during this step (after reporting it)
	Detail             string       // failure reason; default one that fits FailAt (failReasons)
	NeverFinish        bool         // stall at FailAt (default rebooting) and never reach a final state
	LoseCallbacks      bool         // send no callbacks: only polling can finish
	DuplicateCallbacks bool         // send each callback twice
	ReorderCallbacks   bool         // deliver each callback after the next one
	StartStatus        int          // answer the POST with this status (503, 500, 429...) and create nothing
	Garbage            bool         // answer the POST 200 with a non-JSON body
}

// CallbackRecord is one callback delivery attempt, for assertions.
type CallbackRecord struct {
	OperationID string
	URL         string
	Status      process.Status
	Body        []byte
	Timestamp   int64
	Signature   string
	HTTPStatus  int    // what the receiver answered; 0 when delivery failed
	Err         string // transport error, if any
	// OutageID is set for the callback that ends an outage (Status is then zero).
	OutageID string
}

// Sim is the simulated telco. It is an http.Handler.
type Sim struct {
	opts Options
	mux  *http.ServeMux

	mu        sync.Mutex
	ops       map[string]*operation
	order     []string
	byKey     map[string]string // Idempotency-Key -> operation id
	running   map[string]string // router id -> operation id
	scenarios map[string]Scenario
	next      *Scenario
	unknown   map[string]bool
	owners    map[string]string // router id -> the phone it is registered to
	starts    []StartRecord
	down      bool
	garbage   bool
	slow      time.Duration
	callbacks []CallbackRecord
	outages   map[string]Outage // router id ("" for everyone) -> the outage it is in
	outageCBs map[string]string // outage id -> the callback_url the bot last sent
	closed    bool
	wg        sync.WaitGroup
}

type operation struct {
	status      process.Status
	router      string
	key         string
	callbackURL string
	sc          Scenario
	idx         int // index in steps
	timer       *time.Timer
	held        *process.Status // ReorderCallbacks: sent after the next one
}

// steps is the life of a successful update.
var steps = []struct {
	state process.State
	step  process.Step
}{
	{process.StateQueued, process.StepNone},
	{process.StateRunning, process.StepDownloading},
	{process.StateRunning, process.StepInstalling},
	{process.StateRunning, process.StepRebooting},
	{process.StateRunning, process.StepVerifying},
	{process.StateSucceeded, process.StepNone},
}

// New returns a simulator; call Close to stop its timers.
func New(opts Options) *Sim {
	if opts.StepDelay <= 0 {
		opts.StepDelay = 2 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: 5 * time.Second}
	}
	if opts.Logf == nil {
		opts.Logf = func(string, ...any) {}
	}
	s := &Sim{
		opts:      opts,
		mux:       http.NewServeMux(),
		ops:       map[string]*operation{},
		byKey:     map[string]string{},
		running:   map[string]string{},
		scenarios: map[string]Scenario{},
		unknown:   map[string]bool{},
		owners:    map[string]string{},
		outages:   map[string]Outage{},
		outageCBs: map[string]string{},
	}
	s.mux.HandleFunc("POST /routers/{router}/updates", s.handleStart)
	s.mux.HandleFunc("GET /outages", s.handleOutages)
	s.mux.HandleFunc("GET /updates/{id}", s.handleStatus)
	return s
}

// SetScenario scripts every operation started for routerID from now on.
func (s *Sim) SetScenario(routerID string, sc Scenario) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scenarios[routerID] = sc
}

// SetNextScenario scripts the next POST whatever the router (the shell's /fail), then expires.
func (s *Sim) SetNextScenario(sc Scenario) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next = &sc
}

// SetDown makes every request answer 503 until SetDown(false).
func (s *Sim) SetDown(down bool) { s.mu.Lock(); s.down = down; s.mu.Unlock() }

// SetSlow delays every answer by d, to exercise client timeouts.
func (s *Sim) SetSlow(d time.Duration) { s.mu.Lock(); s.slow = d; s.mu.Unlock() }

// SetGarbage makes every request answer 200 with a non-JSON body.
func (s *Sim) SetGarbage(garbage bool) { s.mu.Lock(); s.garbage = garbage; s.mu.Unlock() }

// AddUnknownRouter makes POSTs for id answer 404: id as its letters and digits, which is
// how a telco compares serials (KT2231XB99 is KT-2231-XB99).
func (s *Sim) AddUnknownRouter(id string) {
	s.mu.Lock()
	s.unknown[serialKey(id)] = true
	s.mu.Unlock()
}

// SetOwner registers router to phone: a start that names another phone (or none) is
// refused with 403, as a telco that knows its customers would.
// Serials compare by their letters and digits, as AddUnknownRouter's.
func (s *Sim) SetOwner(router, phone string) {
	s.mu.Lock()
	s.owners[serialKey(router)] = phone
	s.mu.Unlock()
}

// serialKey is a serial as a telco compares it: its letters and digits, upper-cased,
// without the dashes and spaces it may be typed with.
func serialKey(id string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToUpper(r)
		}
		return -1
	}, id)
}

// StartRecord is one start request as the simulator read it, for assertions.
type StartRecord struct {
	Router    string // the path's router id, decoded
	Reference string
	ContactID int64
	Phone     string
	Typed     bool
	Status    int // what the simulator answered
}

// Starts returns the start requests received so far, in order.
func (s *Sim) Starts() []StartRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]StartRecord(nil), s.starts...)
}

// Forget drops an operation as a telco that lost it would (a restore, a purge): its
// status answers 404 and the router is free for a new update.
func (s *Sim) Forget(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	op, ok := s.ops[id]
	if !ok {
		return
	}
	if op.timer != nil {
		op.timer.Stop()
	}
	delete(s.ops, id)
	if op.key != "" {
		delete(s.byKey, op.key)
	}
	if s.running[op.router] == id {
		delete(s.running, op.router)
	}
	s.order = slices.DeleteFunc(s.order, func(o string) bool { return o == id })
}

// Operation returns an operation's current status.
func (s *Sim) Operation(id string) (process.Status, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	op, ok := s.ops[id]
	if !ok {
		return process.Status{}, false
	}
	return op.status, true
}

// Operations returns every operation in creation order.
func (s *Sim) Operations() []process.Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]process.Status, 0, len(s.order))
	for _, id := range s.order {
		out = append(out, s.ops[id].status)
	}
	return out
}

// Callbacks returns the callbacks sent so far, in delivery order.
func (s *Sim) Callbacks() []CallbackRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]CallbackRecord(nil), s.callbacks...)
}

// Advance moves an operation one step, as its timer would, and returns once the callbacks
// for that step were delivered. A final or stalled operation does not move.
func (s *Sim) Advance(id string) (process.Status, error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return process.Status{}, errors.New("telcosim: closed")
	}
	op, ok := s.ops[id]
	if !ok {
		s.mu.Unlock()
		return process.Status{}, fmt.Errorf("telcosim: unknown operation %q", id)
	}
	st, send := s.advanceLocked(op)
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()
	s.deliver(op.callbackURL, send)
	return st, nil
}

// Close stops the timers and waits for callbacks in flight.
func (s *Sim) Close() {
	s.mu.Lock()
	s.closed = true
	for _, op := range s.ops {
		if op.timer != nil {
			op.timer.Stop()
		}
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// failReasons are the failure reasons a scenario without its own gets, one a step as a
// real ACS gives them: a checksum mismatch is an install's, never a reboot's.
var failReasons = map[process.Step]string{
	process.StepDownloading: "firmware download interrupted: connection reset by device",
	process.StepInstalling:  "firmware image checksum mismatch",
	process.StepRebooting:   "device did not reconnect after reboot (no inform within 300s)",
	process.StepVerifying:   "post-update health check failed: WAN link down",
}

// stallStep is where a NeverFinish operation stops: a router that never comes back.
func stallStep(sc Scenario) process.Step {
	if sc.FailAt != "" {
		return sc.FailAt
	}
	return process.StepRebooting
}

// advanceLocked moves op one step and returns the callbacks to send, in order.
func (s *Sim) advanceLocked(op *operation) (process.Status, []process.Status) {
	st := op.status
	switch {
	// Case 1: nothing moves any more.
	case st.Final(), op.sc.NeverFinish && st.State == process.StateRunning && st.Step == stallStep(op.sc):
		return st, nil
	// Case 2: the scripted failure, during the step already reported.
	case !op.sc.NeverFinish && op.sc.FailAt != "" && st.State == process.StateRunning && st.Step == op.sc.FailAt:
		st.State = process.StateFailed
		st.Detail = op.sc.Detail
		if st.Detail == "" {
			st.Detail = failReasons[st.Step]
		}
	// Case 3: the next step.
	default:
		op.idx++
		st.State, st.Step = steps[op.idx].state, steps[op.idx].step
	}
	st.UpdatedAt = s.opts.Now().UTC()
	op.status = st
	if st.Final() && s.running[op.router] == op.status.ID {
		delete(s.running, op.router)
	}
	s.opts.Logf("telcosim: %s %s/%s %s", st.ID, st.State, st.Step, st.Detail)

	var send []process.Status
	switch {
	case op.sc.LoseCallbacks:
	case op.sc.ReorderCallbacks && op.held == nil && !st.Final():
		op.held = &st
	case op.held != nil:
		send = []process.Status{st, *op.held}
		op.held = nil
	default:
		send = []process.Status{st}
	}
	if op.sc.DuplicateCallbacks {
		var twice []process.Status
		for _, c := range send {
			twice = append(twice, c, c)
		}
		send = twice
	}
	return st, send
}

// schedule arms op's timer in automatic mode; called with s.mu held.
func (s *Sim) schedule(op *operation) {
	if s.opts.Manual || s.closed {
		return
	}
	op.timer = time.AfterFunc(s.opts.StepDelay, func() {
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			return
		}
		before := op.status
		st, send := s.advanceLocked(op)
		s.wg.Add(1)
		s.mu.Unlock()
		defer s.wg.Done()
		// Deliver before arming the next step so callbacks leave in order however short StepDelay is.
		s.deliver(op.callbackURL, send)
		if !st.Final() && st != before {
			s.mu.Lock()
			s.schedule(op)
			s.mu.Unlock()
		}
	})
}

// deliver posts each status, signed, to url and records the answer. It runs without s.mu so
// a receiver may call back into the simulator.
func (s *Sim) deliver(url string, send []process.Status) {
	for _, st := range send {
		body, _ := json.Marshal(st)
		rec := CallbackRecord{OperationID: st.ID, URL: url, Status: st, Body: body, Timestamp: s.opts.Now().Unix()}
		if url == "" {
			rec.Err = "no callback_url"
		} else {
			s.post(url, body, &rec)
		}
		s.opts.Logf("telcosim: callback %s %s/%s -> %d %s", st.ID, st.State, st.Step, rec.HTTPStatus, rec.Err)
		s.mu.Lock()
		s.callbacks = append(s.callbacks, rec)
		s.mu.Unlock()
	}
}

// ServeHTTP applies the service-wide faults (slow, down, auth, garbage) before routing.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	down, slow, garbage := s.down, s.slow, s.garbage
	s.mu.Unlock()
	if slow > 0 {
		// Read the body first: only then does net/http notice the client hanging up.
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		r.Body = io.NopCloser(bytes.NewReader(body))
		t := time.NewTimer(slow)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	switch {
	case down:
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "service unavailable"})
	case s.opts.Token != "" && r.Header.Get("Authorization") != "Bearer "+s.opts.Token:
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "unauthorized"})
	case garbage:
		writeGarbage(w)
	default:
		s.mux.ServeHTTP(w, r)
	}
}

func (s *Sim) handleStart(w http.ResponseWriter, r *http.Request) {
	router := r.PathValue("router")
	var req struct {
		CallbackURL string `json:"callback_url"`
		Reference   string `json:"reference"`
		ContactID   int64  `json:"contact_id"`
		Phone       string `json:"phone"`
		Typed       bool   `json:"typed"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid JSON body"})
		return
	}
	key := r.Header.Get("Idempotency-Key")
	if key == "" {
		key = req.Reference
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	rec := StartRecord{Router: router, Reference: req.Reference, ContactID: req.ContactID, Phone: req.Phone, Typed: req.Typed}
	s.starts = append(s.starts, rec)
	answered := &s.starts[len(s.starts)-1].Status
	w = statusRecorder{ResponseWriter: w, status: answered}
	// Case 1: a router the telco does not know.
	if s.unknown[serialKey(router)] || (s.opts.KnownRouter != nil && !s.opts.KnownRouter(router)) {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "unknown router"})
		return
	}
	// Case 1b: a router registered to someone else.
	if owner, ok := s.owners[serialKey(router)]; ok && owner != req.Phone {
		writeJSON(w, http.StatusForbidden, map[string]string{"error": "router not registered to this contact"})
		return
	}
	// Case 2: a retried request: the same operation, whatever happened since.
	if id, ok := s.byKey[key]; ok && key != "" {
		op := s.ops[id]
		if op.router != router {
			writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": "idempotency key used for another router"})
			return
		}
		writeJSON(w, http.StatusOK, op.status)
		return
	}
	sc, ok := s.scenarios[router]
	if s.next != nil {
		sc, ok = *s.next, true
		s.next = nil
	}
	// Case 3: the scenario forces the answer.
	if ok && sc.Garbage {
		writeGarbage(w)
		return
	}
	if ok && sc.StartStatus != 0 {
		if sc.StartStatus == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "1")
		}
		writeJSON(w, sc.StartStatus, map[string]string{"error": "forced by scenario"})
		return
	}
	// Case 4: one update at a time per router.
	if id, ok := s.running[router]; ok {
		st := s.ops[id].status
		writeJSON(w, http.StatusConflict, map[string]string{"id": st.ID, "state": string(st.State), "error": "update already running"})
		return
	}
	// Case 5: a new operation.
	op := &operation{
		status:      process.Status{ID: newID(), State: process.StateQueued, UpdatedAt: s.opts.Now().UTC()},
		router:      router,
		key:         key,
		callbackURL: req.CallbackURL,
		sc:          sc,
	}
	s.ops[op.status.ID] = op
	s.order = append(s.order, op.status.ID)
	if key != "" {
		s.byKey[key] = op.status.ID
	}
	s.running[router] = op.status.ID
	s.schedule(op)
	s.opts.Logf("telcosim: %s started for router %s", op.status.ID, router)
	writeJSON(w, http.StatusCreated, op.status)
}

func (s *Sim) handleStatus(w http.ResponseWriter, r *http.Request) {
	st, ok := s.Operation(r.PathValue("id"))
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "unknown update"})
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// statusRecorder notes the status a start was answered with.
type statusRecorder struct {
	http.ResponseWriter
	status *int
}

func (r statusRecorder) WriteHeader(code int) { *r.status = code; r.ResponseWriter.WriteHeader(code) }

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

func writeGarbage(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, "<html><body>502 Bad Gateway</body></html>")
}

func newID() string {
	b := make([]byte, 6)
	rand.Read(b)
	return "upd_" + hex.EncodeToString(b)
}

// post sends a callback's body to url, signed when the simulator has a secret, and records
// the signature, the answer's status or the error in rec.
func (s *Sim) post(url string, body []byte, rec *CallbackRecord) {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, url, bytes.NewReader(body))
	if err == nil {
		req.Header.Set("Content-Type", "application/json")
		if s.opts.CallbackSecret != "" {
			rec.Signature = process.SignCallback(s.opts.CallbackSecret, rec.Timestamp, body)
			req.Header.Set(process.HeaderTimestamp, strconv.FormatInt(rec.Timestamp, 10))
			req.Header.Set(process.HeaderSignature, rec.Signature)
		}
		var resp *http.Response
		if resp, err = s.opts.Client.Do(req); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			rec.HTTPStatus = resp.StatusCode
		}
	}
	if err != nil {
		rec.Err = err.Error()
	}
}

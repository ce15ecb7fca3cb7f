package process

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// GenieACSConfig configures a GenieACSRunner.
type GenieACSConfig struct {
	URL      string // NBI base, e.g. http://acs:7557
	Username string // optional basic auth, for an NBI behind a proxy
	Password string
	// FirmwareFile is the name of a file uploaded to GenieACS (PUT /files/<name>). Empty means
	// the operation is a plain restart.
	FirmwareFile string
	// ConnectionRequestTimeout is how long GenieACS waits for the router's session after the
	// connection request (default 3s); longer answers become "Task queued but not processed".
	ConnectionRequestTimeout time.Duration
	// OwnerTag and OwnerParam say how the ACS records a device's owner, so that a router id
	// the customer typed can be checked against the contact's phone (see StartFor). Without
	// either, typed ids are refused.
	OwnerTag   string // tag prefix: the device carries <OwnerTag><phone digits>
	OwnerParam string // parameter path whose value is the owner's phone
	// Client defaults to a 3 min timeout past ConnectionRequestTimeout: GenieACS holds a task
	// POST while a session of the router is open (up to 30 s), then until the session it
	// requested ends (up to 120 s), and giving up earlier would lose the id of a task that
	// exists. Its timeout is also the budget the jobs worker gives each call (CallTimeout).
	Client *http.Client
	Now    func() time.Time
	// OfflineWait is how long an operation waits for a router GenieACS reports offline to
	// come online before it fails and its task is removed (default 5 min).
	OfflineWait time.Duration
	// Settle is how long the runner waits, when it cannot tell whether the router's last
	// boot was our restart or the boot session that ran our task, for a later session
	// before it takes the restart as done (default 3 min: longer than a router takes to
	// restart). See Status.
	Settle time.Duration
}

// GenieACSRunner updates routers through a GenieACS NBI (TR-069). See FACTS.md for what the NBI
// answers. It keeps no state: everything Status needs is encoded in the operation id.
//
// Start queues one task: the firmware download when a firmware file is configured, else the
// reboot. A router installs a firmware image by restarting itself, and reports the
// transfer (TransferComplete) after that boot (FACTS.md): a reboot task queued beside the
// download would run at the end of the same session, before the router has fetched the
// file, cutting the transfer short or restarting the router twice. Idempotency holds while
// the task is pending (a second Start attaches to it with *AlreadyRunningError); after it
// ran, a second Start is a second update. Operation ids that name both tasks (queued by
// earlier versions) are still followed.
type GenieACSRunner struct {
	cfg  GenieACSConfig
	base string
}

var (
	_ Runner    = (*GenieACSRunner)(nil)
	_ Canceler  = (*GenieACSRunner)(nil)
	_ Patient   = (*GenieACSRunner)(nil)
	_ Checker   = (*GenieACSRunner)(nil)
	_ Restarter = (*GenieACSRunner)(nil)
)

// RestartOnly: without a firmware file the operation is a reboot.
func (r *GenieACSRunner) RestartOnly() bool { return r.cfg.FirmwareFile == "" }

// Check reads the device: ErrUnknownRouter when GenieACS does not know it.
func (r *GenieACSRunner) Check(ctx context.Context, routerID string) error {
	_, err := r.device(ctx, routerID)
	return err
}

// CallTimeout is the HTTP client's timeout: a Start cut short would leave a task queued
// whose id the job never learns, and the next Start would queue a second reboot.
func (r *GenieACSRunner) CallTimeout() time.Duration {
	if r.cfg.Client.Timeout > 0 {
		return r.cfg.Client.Timeout
	}
	return r.cfg.ConnectionRequestTimeout + 3*time.Minute
}

// NewGenieACSRunner returns a runner for the NBI at cfg.URL.
func NewGenieACSRunner(cfg GenieACSConfig) *GenieACSRunner {
	if cfg.ConnectionRequestTimeout <= 0 {
		cfg.ConnectionRequestTimeout = 3 * time.Second
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: cfg.ConnectionRequestTimeout + 3*time.Minute}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.OfflineWait <= 0 {
		cfg.OfflineWait = 5 * time.Minute
	}
	if cfg.Settle <= 0 {
		cfg.Settle = 3 * time.Minute
	}
	return &GenieACSRunner{cfg: cfg, base: strings.TrimRight(cfg.URL, "/")}
}

// acsOp is what an operation id encodes. The "before" values come from the ACS itself so that
// progress never compares the ACS's clock with ours. What Status learns on the way (when our
// task was last seen queued, which session ran it) is encoded too: Status answers the
// operation's new id, and the jobs worker keeps it.
type acsOp struct {
	Device     string    `json:"d"`
	Download   string    `json:"dl,omitempty"`
	Reboot     string    `json:"rb,omitempty"`
	LastBoot   time.Time `json:"b"`
	LastInform time.Time `json:"i"`
	Version    string    `json:"v,omitempty"`
	// Queued is the router's last inform seen while our task was still queued (ACS clock):
	// the session that runs the task starts after it.
	Queued *time.Time `json:"q,omitempty"`
	// Ran is the start of the session that ran our task, or a later one (ACS clock): only a
	// boot after it is our restart.
	Ran *time.Time `json:"r,omitempty"`
	// Unsure (our clock) is set when Ran may be later than the session that ran the task:
	// the router booted since Queued, and its last boot may be our restart or the boot
	// session that ran our task. UnsureBoot: Ran was itself a boot session.
	Unsure     *time.Time `json:"u,omitempty"`
	UnsureBoot bool       `json:"ub,omitempty"`
	// Offline (our clock) is when GenieACS answered "Device is offline".
	Offline *time.Time `json:"o,omitempty"`
}

const acsOpPrefix = "acs1."

func (o acsOp) id() string {
	b, _ := json.Marshal(o)
	return acsOpPrefix + base64.RawURLEncoding.EncodeToString(b)
}

func decodeACSOp(id string) (acsOp, error) {
	var o acsOp
	raw, ok := strings.CutPrefix(id, acsOpPrefix)
	if !ok {
		return o, fmt.Errorf("genieacs: operation %.40q: %w", id, ErrUnknownOperation)
	}
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil || json.Unmarshal(b, &o) != nil || o.Device == "" || (o.Download == "" && o.Reboot == "") {
		return o, fmt.Errorf("genieacs: operation %.40q: %w", id, ErrUnknownOperation)
	}
	return o, nil
}

// Start queues the firmware download (when configured) or else the reboot for device routerID.
// reference is not sent: GenieACS tasks have no idempotency key (see GenieACSRunner).
//
// Specs: https://docs.genieacs.com/en/latest/api-reference.html#tasks
func (r *GenieACSRunner) Start(ctx context.Context, routerID, reference string) (Status, error) {
	const op = "genieacs: start update"
	dev, err := r.device(ctx, routerID)
	if err != nil {
		return Status{}, err
	}
	// What an earlier job left: a faulted task or a fault outliving its task would be rerun
	// by GenieACS on its own (FACTS.md), so both are removed. A task still queued is an
	// update under way: one task per router, this Start attaches to it.
	pending, err := r.tasks(ctx, map[string]string{"device": routerID})
	if err != nil {
		return Status{}, err
	}
	if err := r.cleanFaults(ctx, op, routerID, pending); err != nil {
		return Status{}, err
	}
	if pending, err = r.tasks(ctx, map[string]string{"device": routerID}); err != nil {
		return Status{}, err
	}
	running := acsOp{Device: routerID, LastBoot: dev.LastBoot, LastInform: dev.LastInform, Version: dev.version()}
	for _, t := range pending {
		switch t.Name {
		case "download":
			running.Download = t.ID
		case "reboot":
			running.Reboot = t.ID
		}
	}
	if running.Download != "" || running.Reboot != "" {
		return Status{}, &AlreadyRunningError{OperationID: running.id()}
	}

	// Case 2: a new operation.
	o := running
	task := map[string]string{"name": "reboot"}
	if r.cfg.FirmwareFile != "" {
		task = map[string]string{"name": "download", "fileType": "1 Firmware Upgrade Image", "fileName": r.cfg.FirmwareFile}
	}
	id, phrase, err := r.createTask(ctx, op, routerID, task, true)
	if err != nil {
		return Status{}, err
	}
	if r.cfg.FirmwareFile != "" {
		o.Download = id
	} else {
		o.Reboot = id
	}
	if phrase == "Device is offline" {
		now := r.cfg.Now()
		o.Offline = &now
	}
	// 200: the task ran in the session that just ended, the router's last one now.
	return r.startStatus(ctx, o, phrase == "OK"), nil
}

// cleanFaults deletes the device's faults of reboot and download tasks, with their tasks.
func (r *GenieACSRunner) cleanFaults(ctx context.Context, op, device string, pending []acsTask) error {
	faults, err := r.faults(ctx, acsOp{Device: device})
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, t := range pending {
		names[t.ID] = t.Name
	}
	for task, f := range faults {
		name, queued := names[task]
		if !queued && !bytes.Contains(f.Provisions, []byte("reboot")) && !bytes.Contains(f.Provisions, []byte("download")) {
			continue // a task of someone else's, gone
		}
		if queued && name != "reboot" && name != "download" {
			continue
		}
		if err := r.removeTask(ctx, op, device, task); err != nil {
			return err
		}
	}
	return nil
}

// startStatus reads the new operation's status. The tasks exist whatever happens here, so a
// failed read still hands the id over and lets polling find out.
func (r *GenieACSRunner) startStatus(ctx context.Context, o acsOp, ranNow bool) Status {
	st, err := r.status(ctx, o, ranNow)
	if err != nil {
		return Status{ID: o.id(), State: StateQueued, Unreachable: o.Offline != nil, UpdatedAt: r.cfg.Now()}
	}
	return st
}

// Status derives progress from the ACS: faults, pending tasks, the pending transfer and the
// router's last boot and inform, in that order. The answer's ID is the operation's id from
// now on: it carries what this reading learned.
//
// A restart is done only with a boot after the session that ran our task. A router that
// has just powered on, or re-sends an undelivered "1 BOOT", runs the task in its boot
// session: _lastBoot moves, the task is gone, and the restart has only begun (FACTS.md).
// So the runner notes the router's last inform while the task is queued (Queued), and when
// the task is gone takes the router's last session as the one that ran it (Ran). When the
// router booted since Queued, that last session may be our restart's boot as well as the
// boot session that ran the task: the runner then waits for a later session, or Settle.
func (r *GenieACSRunner) Status(ctx context.Context, operationID string) (Status, error) {
	o, err := decodeACSOp(operationID)
	if err != nil {
		return Status{}, err
	}
	return r.status(ctx, o, false)
}

func (r *GenieACSRunner) status(ctx context.Context, o acsOp, ranNow bool) (Status, error) {
	now := r.cfg.Now()
	st := Status{UpdatedAt: now}
	faults, err := r.faults(ctx, o)
	if err != nil {
		return Status{}, err
	}
	if f, ok := faults[o.Download]; ok {
		st.ID, st.State, st.Step, st.Detail, st.Cause = o.id(), StateFailed, StepDownloading, faultDetail(f), faultCause(f)
		return st, nil
	}
	if f, ok := faults[o.Reboot]; ok {
		st.ID, st.State, st.Step, st.Detail, st.Cause = o.id(), StateFailed, StepRebooting, faultDetail(f), faultCause(f)
		return st, nil
	}
	dlPending, rbPending := false, false
	if o.Download != "" {
		if dlPending, err = r.taskPending(ctx, o.Download); err != nil {
			return Status{}, err
		}
	}
	if o.Reboot != "" {
		if rbPending, err = r.taskPending(ctx, o.Reboot); err != nil {
			return Status{}, err
		}
	}
	// Read after the tasks: a session that starts after this reading runs what is queued.
	dev, err := r.device(ctx, o.Device)
	if err != nil {
		return Status{}, err
	}
	queued := dlPending || (o.Download == "" && rbPending)
	if queued {
		last := dev.LastInform
		o.Queued = &last
	} else if o.Ran == nil {
		// Our task is gone: the router's last session ran it, or came after the one that did.
		ran := dev.LastInform
		o.Ran = &ran
		before := o.LastInform
		if o.Queued != nil {
			before = *o.Queued
		}
		if !ranNow && dev.LastBoot.After(before) {
			o.Unsure, o.UnsureBoot = &now, !dev.LastBoot.Before(dev.LastInform)
		}
	}
	st.ID = o.id()
	transfer, transferKnown := false, false
	if o.Download != "" && !dlPending {
		if transfer, transferKnown, err = r.transferPending(ctx, o); err != nil {
			return Status{}, err
		}
	}
	// Without GET /operations, only the version tells that the router took the firmware:
	// its TransferComplete usually comes after the reboot, and may report a fault.
	unconfirmed := o.Download != "" && !transferKnown && o.Version != "" && dev.version() == o.Version
	informed := dev.LastInform.After(o.LastInform)
	// A firmware install always restarts the router: only a restart-only operation may
	// settle its doubt without a boot.
	booted := false
	if o.Ran != nil {
		booted = dev.LastBoot.After(*o.Ran) || o.Download == "" && o.Unsure != nil &&
			(now.Sub(*o.Unsure) >= r.cfg.Settle || o.UnsureBoot && dev.LastInform.After(*o.Ran))
	}

	st.State = StateRunning
	switch {
	// Case 1: nothing ran yet; the router has not connected since we queued the tasks.
	case queued && !informed && o.Offline != nil && now.Sub(*o.Offline) >= r.cfg.OfflineWait:
		st.State, st.Cause, st.Detail = StateFailed, CauseOffline, "the router stayed offline"
	case queued && !informed:
		st.State, st.Detail = StateQueued, "waiting for the router to connect; it may be offline"
		st.Unreachable = o.Offline != nil
	case dlPending:
		st.Step = StepDownloading
	// Case 2: the router accepted the download and is fetching the file.
	case transfer && !booted:
		st.Step, st.Detail = StepDownloading, "the router is downloading the firmware"
	case rbPending && o.Download != "":
		st.Step = StepInstalling
	// Our reboot has not run: a boot of the router's own (power-cycled) is not it.
	case rbPending:
		st.State, st.Detail = StateQueued, "the restart waits for the router's next session"
	// Case 3: the firmware is fetched and installed by the router, which then restarts by
	// itself; without /operations neither can be seen before the boot.
	case o.Download != "" && !booted && transferKnown:
		st.Step, st.Detail = StepInstalling, "the router has the firmware and restarts by itself to install it"
	case o.Download != "" && !booted:
		st.Step, st.Detail = StepDownloading, "the router fetches and installs the firmware, then restarts by itself"
	// The reboot ran (or is about to); the router has not announced its boot yet.
	case !booted:
		st.Step = StepRebooting
	// Case 4: it came back but has not confirmed the firmware transfer yet.
	case transfer || unconfirmed || dev.LastInform.Before(dev.LastBoot):
		st.Step, st.Detail = StepVerifying, "waiting for the router to confirm the new firmware"
	default:
		st.State = StateSucceeded
		if v := dev.version(); v != "" && o.Download != "" {
			st.Detail = "firmware " + v
			if o.Version != "" && o.Version != v {
				st.Detail = "firmware " + o.Version + " -> " + v
			}
		}
	}
	return st, nil
}

// Cancel removes what the operation left at the ACS: its tasks that have not run, and the
// faults GenieACS would otherwise retry on its own (a download fault outlives its task). A
// task already gone (404) is fine.
func (r *GenieACSRunner) Cancel(ctx context.Context, operationID string) error {
	const op = "genieacs: cancel task"
	o, err := decodeACSOp(operationID)
	if err != nil {
		return err
	}
	for _, task := range []string{o.Reboot, o.Download} {
		if task == "" {
			continue
		}
		if err := r.removeTask(ctx, op, o.Device, task); err != nil {
			return err
		}
	}
	return nil
}

// removeTask deletes a task and its fault; either may be gone already (404).
func (r *GenieACSRunner) removeTask(ctx context.Context, op, device, id string) error {
	for _, path := range []string{"/tasks/" + url.PathEscape(id), "/faults/" + url.PathEscape(device+":task_"+id)} {
		code, _, body, err := r.do(ctx, op, http.MethodDelete, path, nil)
		if err != nil {
			return err
		}
		if code != http.StatusOK && code != http.StatusNotFound {
			return r.unexpected(op, code, body)
		}
	}
	return nil
}

func (r *GenieACSRunner) tasksPath(device string, connReq bool) string {
	p := "/devices/" + url.PathEscape(device) + "/tasks"
	if connReq {
		p += "?connection_request&timeout=" + strconv.FormatInt(r.cfg.ConnectionRequestTimeout.Milliseconds(), 10)
	}
	return p
}

// createTask posts one task and returns its id and the reason phrase, which is the only thing
// telling the 202s apart (FACTS.md). A 202 "Task faulted" is confirmed against /faults by
// Status; any other 202 phrase means queued.
func (r *GenieACSRunner) createTask(ctx context.Context, op, device string, task map[string]string, connReq bool) (string, string, error) {
	body, _ := json.Marshal(task)
	code, phrase, resp, err := r.do(ctx, op, http.MethodPost, r.tasksPath(device, connReq), body)
	if err != nil {
		return "", "", err
	}
	switch code {
	case http.StatusOK, http.StatusAccepted:
		var t acsTask
		if json.Unmarshal(resp, &t) != nil || t.ID == "" {
			return "", "", fmt.Errorf("%s: status=%d %s: no task id: %w", op, code, phrase, ErrBadResponse)
		}
		return t.ID, phrase, nil
	case http.StatusNotFound:
		return "", "", fmt.Errorf("%s: status=%d %s: %w", op, code, snippet(resp, ""), ErrUnknownRouter)
	}
	return "", "", r.unexpected(op, code, resp)
}

type acsTask struct {
	ID   string `json:"_id"`
	Name string `json:"name"`
}

type acsFault struct {
	ID      string `json:"_id"`
	Code    string `json:"code"`
	Message string `json:"message"`
	// Provisions is what GenieACS reruns: a JSON string in 1.2 ("[[\"reboot\"]]").
	Provisions json.RawMessage `json:"provisions"`
}

type acsDevice struct {
	ID         string    `json:"_id"`
	LastInform time.Time `json:"_lastInform"`
	LastBoot   time.Time `json:"_lastBoot"`
	IGD        struct {
		DeviceInfo struct {
			SoftwareVersion struct {
				Value any `json:"_value"`
			}
		}
	} `json:"InternetGatewayDevice"`
	Device struct {
		DeviceInfo struct {
			SoftwareVersion struct {
				Value any `json:"_value"`
			}
		}
	}
}

func (d acsDevice) version() string {
	for _, v := range []any{d.IGD.DeviceInfo.SoftwareVersion.Value, d.Device.DeviceInfo.SoftwareVersion.Value} {
		if v != nil {
			return fmt.Sprint(v)
		}
	}
	return ""
}

const deviceProjection = "_lastInform,_lastBoot,InternetGatewayDevice.DeviceInfo.SoftwareVersion,Device.DeviceInfo.SoftwareVersion"

func (r *GenieACSRunner) device(ctx context.Context, id string) (acsDevice, error) {
	var devs []acsDevice
	if err := r.query(ctx, "genieacs: read device", "devices", map[string]any{"_id": id}, deviceProjection, &devs); err != nil {
		return acsDevice{}, err
	}
	if len(devs) == 0 {
		return acsDevice{}, fmt.Errorf("genieacs: device %q: %w", id, ErrUnknownRouter)
	}
	return devs[0], nil
}

func (r *GenieACSRunner) tasks(ctx context.Context, q map[string]string) ([]acsTask, error) {
	var ts []acsTask
	return ts, r.query(ctx, "genieacs: read tasks", "tasks", q, "", &ts)
}

// taskPending: a task stays in /tasks until it ran; a faulted one stays too, but faults are
// checked first.
func (r *GenieACSRunner) taskPending(ctx context.Context, id string) (bool, error) {
	ts, err := r.tasks(ctx, map[string]string{"_id": id})
	return len(ts) > 0, err
}

// faults returns the operation's faults by task id; all the device's task faults when o
// names no task.
func (r *GenieACSRunner) faults(ctx context.Context, o acsOp) (map[string]acsFault, error) {
	var fs []acsFault
	if err := r.query(ctx, "genieacs: read faults", "faults", map[string]string{"device": o.Device}, "", &fs); err != nil {
		return nil, err
	}
	out := map[string]acsFault{}
	for _, f := range fs {
		task, ok := strings.CutPrefix(f.ID, o.Device+":task_")
		if ok && (o.Download == "" && o.Reboot == "" || task == o.Download || task == o.Reboot) {
			out[task] = f
		}
	}
	return out, nil
}

// transferPending reports whether the router has yet to send TransferComplete for our
// download. NBIs without /operations (404) cannot tell; we then rely on _lastBoot alone.
func (r *GenieACSRunner) transferPending(ctx context.Context, o acsOp) (pending, known bool, err error) {
	const op = "genieacs: read operations"
	q, _ := json.Marshal(map[string]any{"_id": map[string]string{"$regex": "^" + regexpQuote(o.Device) + ":"}})
	code, _, body, err := r.do(ctx, op, http.MethodGet, "/operations/?query="+url.QueryEscape(string(q)), nil)
	switch {
	case err != nil:
		return false, false, err
	case code == http.StatusNotFound:
		return false, false, nil // this NBI has no /operations
	case code != http.StatusOK:
		return false, false, r.unexpected(op, code, body)
	}
	var ops []struct {
		Name     string          `json:"name"`
		Channels json.RawMessage `json:"channels"`
	}
	if err := json.Unmarshal(body, &ops); err != nil {
		return false, false, fmt.Errorf("%s: %w: %v", op, ErrBadResponse, err)
	}
	for _, op := range ops {
		// channels is a JSON string in some versions and an object in others.
		if op.Name == "Download" && strings.Contains(string(op.Channels), "task_"+o.Download) {
			return true, true, nil
		}
	}
	return false, true, nil
}

func regexpQuote(s string) string {
	var b strings.Builder
	for _, c := range s {
		if strings.ContainsRune(`\.+*?()|[]{}^$`, c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (r *GenieACSRunner) query(ctx context.Context, op, collection string, q any, projection string, into any) error {
	qs, _ := json.Marshal(q)
	path := "/" + collection + "/?query=" + url.QueryEscape(string(qs))
	if projection != "" {
		path += "&projection=" + url.QueryEscape(projection)
	}
	code, _, body, err := r.do(ctx, op, http.MethodGet, path, nil)
	if err != nil {
		return err
	}
	if code != http.StatusOK {
		return r.unexpected(op, code, body)
	}
	if err := json.Unmarshal(body, into); err != nil {
		return fmt.Errorf("%s: %w: %v", op, ErrBadResponse, err)
	}
	return nil
}

// do sends one request; it returns the reason phrase because GenieACS puts meaning there.
func (r *GenieACSRunner) do(ctx context.Context, op, method, path string, body []byte) (int, string, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, r.base+path, rd)
	if err != nil {
		return 0, "", nil, fmt.Errorf("%s: %w: %v", op, ErrRejected, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.cfg.Username != "" {
		req.SetBasicAuth(r.cfg.Username, r.cfg.Password)
	}
	resp, err := r.cfg.Client.Do(req)
	if err != nil {
		return 0, "", nil, &unavailableError{msg: op, cause: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return 0, "", nil, &unavailableError{msg: fmt.Sprintf("%s: status=%d: read body", op, resp.StatusCode), cause: err}
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
		return 0, "", nil, &unavailableError{
			msg:        fmt.Sprintf("%s: status=%d%s", op, resp.StatusCode, snippet(b, r.cfg.Password)),
			retryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), r.cfg.Now()),
		}
	}
	phrase := strings.TrimSpace(strings.TrimPrefix(resp.Status, strconv.Itoa(resp.StatusCode)))
	return resp.StatusCode, phrase, b, nil
}

func (r *GenieACSRunner) unexpected(op string, code int, body []byte) error {
	kind := ErrBadResponse
	if code >= 400 && code < 500 {
		kind = ErrRejected
	}
	return fmt.Errorf("%s: status=%d%s: %w", op, code, snippet(body, r.cfg.Password), kind)
}

// faultCause: cwmp.9000 "Method not supported" faults again on every retry (FACTS.md).
func faultCause(f acsFault) string {
	if f.Code == "cwmp.9000" {
		return CauseUnsupported
	}
	return ""
}

// faultDetail says in plain words why the router failed, keeping the code for support staff.
func faultDetail(f acsFault) string {
	code := f.Code
	var plain string
	switch {
	case code == "cwmp.9000":
		plain = "the router does not support this operation"
	case code == "cwmp.9001":
		plain = "the router refused the request"
	case code == "cwmp.9002":
		plain = "the router reported an internal error"
	case code == "cwmp.9004":
		plain = "the router ran out of resources"
	case code == "cwmp.9012" || code == "cwmp.9019":
		plain = "the router could not authenticate to the firmware server"
	case code == "cwmp.9018":
		plain = "the firmware file was corrupted"
	case strings.HasPrefix(code, "cwmp.901") || code == "cwmp.9020":
		plain = "the router could not download the firmware"
	case code == "timeout" || code == "session_terminated":
		plain = "the router stopped answering"
	case code == "offline" || strings.Contains(strings.ToLower(f.Message), "offline"):
		plain = "the router is offline"
	case f.Message != "":
		plain = "the router reported an error: " + f.Message
	default:
		plain = "the router reported an error"
	}
	if code == "" {
		return plain
	}
	return plain + " (" + code + ")"
}

package process_test

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeNBI answers like GenieACS 1.2's NBI (see /work/shared/genieacs/FACTS.md and lib/nbi.ts).
// It writes its HTTP/1.1 responses by hand over a raw TCP listener: net/http's server always
// sends the standard reason phrase, and GenieACS tells its 202s apart only by the phrase.
// Devices run their sessions when the test says so (inform, boot), never on a timer.
type fakeNBI struct {
	URL  string
	ln   net.Listener
	wg   sync.WaitGroup
	auth string // "user:pass" required as basic auth; empty = none

	mu           sync.Mutex
	now          time.Time // the ACS clock; every event moves it one second
	devices      map[string]*fakeDevice
	tasks        []*fakeTask
	faults       map[string]fakeFault // by _id "<device>:task_<id>"
	operations   map[string]fakeOperation
	files        map[string]string // file name -> firmware version it installs
	noOperations bool              // an NBI without GET /operations (404)
	down         bool              // every request answers 503
	requests     []string          // "METHOD path?query", for assertions
}

type fakeDevice struct {
	online     bool // answers connection requests
	busy       bool // in another session: "Task queued but not processed"
	noReboot   bool // Reboot RPC faults with cwmp.9000
	noDownload bool // Download RPC faults with cwmp.9000
	ghost      bool // listed by /devices but deleted before the task POST
	// bootPending: the router has an undelivered "1 BOOT" (informRetryCount > 0), so its
	// next session, whatever opens it, is a boot session.
	bootPending bool
	lastInform  time.Time
	lastBoot    time.Time
	version     string
	tags        []string // _tags
	ownerPhone  string   // VirtualParameters.OwnerPhone
}

type fakeTask struct {
	ID        string `json:"_id"`
	Name      string `json:"name"`
	Device    string `json:"device"`
	FileType  string `json:"fileType,omitempty"`
	FileName  string `json:"fileName,omitempty"`
	Timestamp string `json:"timestamp"`
}

type fakeFault struct {
	ID         string            `json:"_id"`
	Device     string            `json:"device"`
	Channel    string            `json:"channel"`
	Code       string            `json:"code"`
	Message    string            `json:"message"`
	Detail     map[string]string `json:"detail"`
	Retries    int               `json:"retries"`
	Timestamp  string            `json:"timestamp"`
	Provisions string            `json:"provisions"`
}

type fakeOperation struct {
	ID       string `json:"_id"`
	Name     string `json:"name"`
	Channels string `json:"channels"`
	file     string
	task     string
	device   string
}

func newFakeNBI(t *testing.T) *fakeNBI {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeNBI{
		URL: "http://" + ln.Addr().String(), ln: ln,
		now:     time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC),
		devices: map[string]*fakeDevice{}, faults: map[string]fakeFault{},
		operations: map[string]fakeOperation{}, files: map[string]string{},
	}
	f.wg.Add(1)
	go f.serve()
	t.Cleanup(func() { ln.Close(); f.wg.Wait() })
	return f
}

func (f *fakeNBI) addDevice(id string, d fakeDevice) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d.lastBoot, d.lastInform = f.tick().Add(-time.Hour), f.tick()
	f.devices[id] = &d
}

func (f *fakeNBI) tick() time.Time { f.now = f.now.Add(time.Second); return f.now }

func (f *fakeNBI) set(id string, fn func(*fakeDevice)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f.devices[id])
}

// inform is the device opening a session on its own (periodic inform, or back online).
func (f *fakeNBI) inform(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.devices[id].online = true
	f.session(id)
}

// powerOn is the router switched on (or re-sending an undelivered "1 BOOT"): its boot
// session runs what is queued, our reboot included, which restarts it once more after the
// session (FACTS.md, "Observed in a second run").
func (f *fakeNBI) powerOn(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.devices[id].online = true
	f.devices[id].bootPending = true
	f.session(id)
}

// boot is the device coming back from its reboot: "1 BOOT" inform, and with transferDone its
// TransferComplete for any pending download.
func (f *fakeNBI) boot(id string, transferDone bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d := f.devices[id]
	d.lastBoot = f.tick()
	d.lastInform = d.lastBoot
	if transferDone {
		f.transferComplete(id)
	}
}

func (f *fakeNBI) completeTransfer(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.devices[id].lastInform = f.tick()
	f.transferComplete(id)
}

func (f *fakeNBI) transferComplete(id string) {
	for k, op := range f.operations {
		if op.device != id {
			continue
		}
		delete(f.operations, k)
		if v, ok := f.files[op.file]; ok {
			f.devices[id].version = v
			continue
		}
		f.fault(id, op.task, "cwmp.9016", "Unexpected response 404")
	}
}

func (f *fakeNBI) fault(device, task, code, msg string) {
	id := device + ":task_" + task
	prov := `[["reboot"]]`
	for _, t := range f.tasks {
		if t.ID == task && t.Name == "download" {
			prov = `[["download","1 Firmware Upgrade Image","` + t.FileName + `"]]`
		}
	}
	for _, op := range f.operations {
		if op.task == task {
			prov = `[["download","1 Firmware Upgrade Image","` + op.file + `"]]`
		}
	}
	f.faults[id] = fakeFault{ID: id, Device: device, Channel: "task_" + task, Code: code, Message: msg, Provisions: prov,
		Detail: map[string]string{"faultCode": strings.TrimPrefix(code, "cwmp."), "faultString": msg}, Timestamp: f.now.Format(time.RFC3339)}
}

// session runs the device's pending tasks in order, as GenieACS does; faulted tasks wait for
// a retry.
func (f *fakeNBI) session(id string) {
	d := f.devices[id]
	d.lastInform = f.tick()
	if d.bootPending {
		d.lastBoot, d.bootPending = d.lastInform, false
	}
	var keep []*fakeTask
	for _, t := range f.tasks {
		if t.Device != id {
			keep = append(keep, t)
			continue
		}
		if _, faulted := f.faults[id+":task_"+t.ID]; faulted {
			keep = append(keep, t)
			continue
		}
		switch t.Name {
		case "reboot":
			if d.noReboot {
				f.fault(id, t.ID, "cwmp.9000", "Method not supported")
				keep = append(keep, t)
			}
		case "download":
			if d.noDownload {
				f.fault(id, t.ID, "cwmp.9000", "Method not supported")
				keep = append(keep, t)
				continue
			}
			opID := id + ":" + t.ID[:8]
			f.operations[opID] = fakeOperation{ID: opID, Name: "Download", Channels: fmt.Sprintf(`{"task_%s":1}`, t.ID), file: t.FileName, task: t.ID, device: id}
		}
	}
	f.tasks = keep
}

func (f *fakeNBI) log() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.requests...)
}

// leftovers is what GenieACS would run again on its own for device: queued tasks and faults.
func (f *fakeNBI) leftovers(device string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, t := range f.tasks {
		if t.Device == device {
			out = append(out, "task "+t.Name)
		}
	}
	for _, fl := range f.faults {
		if fl.Device == device {
			out = append(out, "fault "+fl.Code)
		}
	}
	return out
}

func (f *fakeNBI) pendingTasks(device string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var names []string
	for _, t := range f.tasks {
		if t.Device == device {
			names = append(names, t.Name)
		}
	}
	return names
}

func (f *fakeNBI) serve() {
	defer f.wg.Done()
	for {
		conn, err := f.ln.Accept()
		if err != nil {
			return
		}
		f.wg.Add(1)
		go func() {
			defer f.wg.Done()
			defer conn.Close()
			req, err := http.ReadRequest(bufio.NewReader(conn))
			if err != nil {
				return
			}
			body, _ := io.ReadAll(req.Body)
			code, phrase, resp := f.handle(req, body)
			fmt.Fprintf(conn, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
				code, phrase, len(resp), resp)
		}()
	}
}

var (
	deviceTasksRe = regexp.MustCompile(`^/devices/([a-zA-Z0-9\-_%]+)/tasks/?$`)
	tasksRe       = regexp.MustCompile(`^/tasks/([a-zA-Z0-9\-_%]+)(/[a-zA-Z_]*)?$`)
	faultsRe      = regexp.MustCompile(`^/faults/([a-zA-Z0-9\-_%:]+)$`)
	queryRe       = regexp.MustCompile(`^/([a-zA-Z0-9_]+)/?$`)
)

func jsonBody(v any) string { b, _ := json.Marshal(v); return string(b) }

func (f *fakeNBI) handle(req *http.Request, body []byte) (int, string, string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, req.Method+" "+req.URL.RequestURI())
	if f.down {
		return 503, "Service Unavailable", "MongoError: connection refused"
	}
	if f.auth != "" {
		if u, p, ok := req.BasicAuth(); !ok || u+":"+p != f.auth {
			return 401, "Unauthorized", ""
		}
	}
	path, q := req.URL.EscapedPath(), req.URL.Query()
	switch {
	case deviceTasksRe.MatchString(path) && req.Method == http.MethodPost:
		id, _ := url.PathUnescape(deviceTasksRe.FindStringSubmatch(path)[1])
		return f.postTask(id, body, q.Has("connection_request"))
	case faultsRe.MatchString(path) && req.Method == http.MethodDelete:
		id, _ := url.PathUnescape(faultsRe.FindStringSubmatch(path)[1])
		if _, ok := f.faults[id]; !ok {
			return 404, "Not Found", "Fault not found"
		}
		delete(f.faults, id)
		return 200, "OK", ""
	case tasksRe.MatchString(path):
		m := tasksRe.FindStringSubmatch(path)
		return f.taskAction(req.Method, m[1], m[2])
	case queryRe.MatchString(path) && req.Method == http.MethodGet:
		return f.query(queryRe.FindStringSubmatch(path)[1], q.Get("query"), q.Get("projection"))
	}
	return 404, "Not Found", "404 Not Found"
}

func (f *fakeNBI) postTask(id string, body []byte, connReq bool) (int, string, string) {
	d, ok := f.devices[id]
	if !ok || d.ghost {
		return 404, "Not Found", "No such device"
	}
	// Case 1: no task, a connection request only.
	if len(body) == 0 {
		if !connReq {
			return 400, "Bad Request", ""
		}
		if !d.online {
			return 504, "Device is offline", "Device is offline"
		}
		f.session(id)
		return 200, "OK", ""
	}
	var t fakeTask
	if err := json.Unmarshal(body, &t); err != nil {
		return 400, "Bad Request", "SyntaxError: " + err.Error()
	}
	b := make([]byte, 12)
	rand.Read(b)
	t.ID, t.Device, t.Timestamp = hex.EncodeToString(b), id, f.tick().Format(time.RFC3339)
	f.tasks = append(f.tasks, &t)
	switch {
	// Case 2: queued without asking the device to connect.
	case !connReq:
		return 202, "Accepted", jsonBody(t)
	case d.busy:
		return 202, "Task queued but not processed", jsonBody(t)
	case !d.online:
		return 202, "Device is offline", jsonBody(t)
	}
	// Case 3: the device connects and runs its tasks; report on ours.
	f.session(id)
	if _, faulted := f.faults[id+":task_"+t.ID]; faulted {
		return 202, "Task faulted", jsonBody(t)
	}
	for _, p := range f.tasks {
		if p.ID == t.ID {
			return 202, "Task queued but not processed", jsonBody(t)
		}
	}
	return 200, "OK", jsonBody(t)
}

func (f *fakeNBI) taskAction(method, id, action string) (int, string, string) {
	idx := -1
	for i, t := range f.tasks {
		if t.ID == id {
			idx = i
		}
	}
	switch {
	case action == "/retry" && method == http.MethodPost:
		if idx < 0 {
			return 500, "Internal Server Error", "TypeError: Cannot read properties of null"
		}
		delete(f.faults, f.tasks[idx].Device+":task_"+id)
		return 200, "OK", ""
	case action == "" && method == http.MethodDelete:
		if idx < 0 {
			return 404, "Not Found", "Task not found"
		}
		delete(f.faults, f.tasks[idx].Device+":task_"+id)
		f.tasks = append(f.tasks[:idx], f.tasks[idx+1:]...)
		return 200, "OK", ""
	}
	return 405, "Method Not Allowed", "405 Method Not Allowed"
}

// query understands the queries a careful client sends and rejects anything else, so the
// runner cannot drift to queries GenieACS would read differently.
func (f *fakeNBI) query(collection, rawQuery, projection string) (int, string, string) {
	var q map[string]any
	if err := json.Unmarshal([]byte(rawQuery), &q); err != nil || len(q) != 1 {
		return 400, "Bad Request", "SyntaxError: unexpected query " + rawQuery
	}
	str := func(k string) (string, bool) { v, ok := q[k].(string); return v, ok }
	out := []any{}
	switch collection {
	case "devices":
		id, ok := str("_id")
		if !ok {
			return 400, "Bad Request", "unexpected query " + rawQuery
		}
		if d, ok := f.devices[id]; ok {
			out = append(out, f.deviceDoc(id, d, projection))
		}
	case "tasks":
		id, byID := str("_id")
		dev, byDevice := str("device")
		if !byID && !byDevice {
			return 400, "Bad Request", "unexpected query " + rawQuery
		}
		for _, t := range f.tasks {
			if (byID && t.ID == id) || (byDevice && t.Device == dev) {
				out = append(out, t)
			}
		}
	case "faults":
		dev, ok := str("device")
		if !ok {
			return 400, "Bad Request", "unexpected query " + rawQuery
		}
		for _, fl := range f.faults {
			if fl.Device == dev {
				out = append(out, fl)
			}
		}
	case "operations":
		if f.noOperations {
			return 404, "Not Found", "404 Not Found"
		}
		m, _ := q["_id"].(map[string]any)
		re, err := regexp.Compile(fmt.Sprint(m["$regex"]))
		if m == nil || err != nil {
			return 400, "Bad Request", "unexpected query " + rawQuery
		}
		for _, op := range f.operations {
			if re.MatchString(op.ID) {
				out = append(out, op)
			}
		}
	default:
		return 404, "Not Found", "404 Not Found"
	}
	return 200, "OK", "[\n" + strings.TrimSuffix(strings.TrimPrefix(jsonBody(out), "["), "]") + "\n]"
}

func (f *fakeNBI) deviceDoc(id string, d *fakeDevice, projection string) map[string]any {
	full := map[string]any{
		"_id": id, "_lastInform": d.lastInform, "_lastBoot": d.lastBoot, "_registered": d.lastBoot,
		"InternetGatewayDevice": map[string]any{"DeviceInfo": map[string]any{
			"SoftwareVersion": map[string]any{"_value": d.version, "_type": "xsd:string", "_timestamp": d.lastInform, "_writable": false},
			"SerialNumber":    map[string]any{"_value": "000000", "_type": "xsd:string"},
		}},
	}
	if projection == "" {
		return full
	}
	doc := map[string]any{"_id": id}
	for _, p := range strings.Split(projection, ",") {
		switch p {
		case "_lastInform", "_lastBoot":
			doc[p] = full[p]
		case "_tags":
			if d.tags != nil {
				doc["_tags"] = d.tags
			}
		case "VirtualParameters.OwnerPhone":
			if d.ownerPhone != "" {
				doc["VirtualParameters"] = map[string]any{"OwnerPhone": map[string]any{"_value": d.ownerPhone, "_type": "xsd:string"}}
			}
		case "InternetGatewayDevice.DeviceInfo.SoftwareVersion":
			doc["InternetGatewayDevice"] = map[string]any{"DeviceInfo": map[string]any{"SoftwareVersion": full["InternetGatewayDevice"].(map[string]any)["DeviceInfo"].(map[string]any)["SoftwareVersion"]}}
		}
	}
	return doc
}

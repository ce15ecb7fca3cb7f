package pipeline

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cwbot/cwbot/bot"
	"github.com/cwbot/cwbot/process"
	"github.com/cwbot/cwbot/store"
)

// acsNBI is GenieACS's NBI for restart-only updates of one router, as FACTS.md describes
// it: a reboot task posted with connection_request runs at once when the router is
// online (200), and stays queued when it is not (202 "Device is offline"); a queued task
// runs in the router's next session, its boot session included; the router reboots after
// the session that ran the reboot, and its "1 BOOT" comes when the test says. Its 202s
// carry GenieACS's reason phrases, written on the hijacked connection (net/http would
// write "Accepted").
type acsNBI struct {
	dev string

	mu         sync.Mutex
	now        time.Time // the ACS clock; every session moves it a second
	online     bool
	noReboot   bool              // the router has no Reboot method: cwmp.9000, every time
	tasks      map[string]string // queued: id -> name
	faults     map[string]string // fault id -> code
	n          int
	posts      int
	reboots    int // reboot tasks the router ran
	lastBoot   time.Time
	lastInform time.Time
}

func newACSNBI(t *testing.T, online bool) (*acsNBI, *httptest.Server) {
	f := &acsNBI{dev: "202BC1-BM632w-000000", online: online, tasks: map[string]string{}, faults: map[string]string{},
		now: time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)}
	f.lastBoot, f.lastInform = f.now.Add(-time.Hour), f.now
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

// sessionLocked is a session of the router: it runs every queued task.
func (f *acsNBI) sessionLocked(boot bool) {
	f.now = f.now.Add(time.Second)
	f.lastInform = f.now
	if boot {
		f.lastBoot = f.now
	}
	for id, name := range f.tasks {
		if _, faulted := f.faults[f.dev+":task_"+id]; faulted {
			continue // waits for a retry
		}
		if name == "reboot" && f.noReboot {
			f.faults[f.dev+":task_"+id] = "cwmp.9000"
			continue
		}
		if name == "reboot" {
			f.reboots++
		}
		delete(f.tasks, id)
	}
}

// powerOn is the router switched on: its boot session runs what is queued.
func (f *acsNBI) powerOn() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.online = true
	f.sessionLocked(true)
}

// boot is the router back from the restart our reboot made: "1 BOOT".
func (f *acsNBI) boot() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sessionLocked(true)
}

func (f *acsNBI) state() (reboots, posts int, queued []string, faults int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, name := range f.tasks {
		queued = append(queued, name)
	}
	return f.reboots, f.posts, queued, len(f.faults)
}

func (f *acsNBI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var q map[string]any
	json.Unmarshal([]byte(r.URL.Query().Get("query")), &q)
	path := r.URL.EscapedPath()
	reply := func(code int, phrase string, body any) {
		b, _ := json.Marshal(body)
		conn, rw, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		fmt.Fprintf(rw, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", code, phrase, len(b), b)
		rw.Flush()
	}
	switch {
	case r.Method == http.MethodPost && path == "/devices/"+url.PathEscape(f.dev)+"/tasks":
		var task map[string]any
		json.NewDecoder(bufio.NewReader(r.Body)).Decode(&task)
		f.n++
		f.posts++
		id := fmt.Sprintf("%024x", f.n)
		f.tasks[id] = fmt.Sprint(task["name"])
		task["_id"], task["device"] = id, f.dev
		if !f.online {
			reply(202, "Device is offline", task)
			return
		}
		f.sessionLocked(false)
		if _, faulted := f.faults[f.dev+":task_"+id]; faulted {
			reply(202, "Task faulted", task)
			return
		}
		reply(200, "OK", task)
	case r.Method == http.MethodPost && strings.HasPrefix(path, "/devices/"):
		reply(404, "Not Found", "No such device")
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/devices"):
		out := []any{}
		if q["_id"] == f.dev {
			out = append(out, map[string]any{"_id": f.dev, "_lastInform": f.lastInform, "_lastBoot": f.lastBoot})
		}
		reply(200, "OK", out)
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/tasks"):
		out := []any{}
		for id, name := range f.tasks {
			if q["_id"] == id || q["device"] == f.dev {
				out = append(out, map[string]string{"_id": id, "name": name, "device": f.dev})
			}
		}
		reply(200, "OK", out)
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/faults"):
		out := []any{}
		for id, code := range f.faults {
			out = append(out, map[string]string{"_id": id, "device": f.dev, "code": code, "provisions": `[["reboot"]]`})
		}
		reply(200, "OK", out)
	case r.Method == http.MethodDelete && strings.HasPrefix(path, "/tasks/"):
		id := strings.TrimPrefix(path, "/tasks/")
		if _, ok := f.tasks[id]; !ok {
			reply(404, "Not Found", "Task not found")
			return
		}
		delete(f.tasks, id)
		delete(f.faults, f.dev+":task_"+id)
		reply(200, "OK", nil)
	case r.Method == http.MethodDelete && strings.HasPrefix(path, "/faults/"):
		id, _ := url.PathUnescape(strings.TrimPrefix(path, "/faults/"))
		if _, ok := f.faults[id]; !ok {
			reply(404, "Not Found", "Fault not found")
			return
		}
		delete(f.faults, id)
		reply(200, "OK", nil)
	default:
		reply(404, "Not Found", "404 Not Found")
	}
}

// acsJobs is the jobs worker over a real database and the real GenieACS runner, checked
// by hand one call at a time, with one clock for both.
type acsJobs struct {
	t   *testing.T
	nbi *acsNBI
	db  *store.DB
	w   *Jobs
	now time.Time
}

func newACSJobs(t *testing.T, online bool) *acsJobs {
	e := &acsJobs{t: t, db: openDB(t), now: time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)}
	var srv *httptest.Server
	e.nbi, srv = newACSNBI(t, online)
	e.db.Now = func() time.Time { return e.now }
	runner := process.NewGenieACSRunner(process.GenieACSConfig{URL: srv.URL, OfflineWait: 5 * time.Minute,
		Now: func() time.Time { return e.now }})
	e.w = &Jobs{DB: e.db, Runner: runner, Logger: slog.New(slog.NewTextHandler(testLogWriter{t}, nil)), PollInterval: time.Second}
	e.w.init()
	return e
}

// job adds a job for router in conversation conv, due at once.
func (e *acsJobs) job(conv int64, router string) int64 {
	e.t.Helper()
	ctx := context.Background()
	j := store.Job{AccountID: 1, ConversationID: conv, RouterID: router, Attempt: 1, Reference: NewReference(),
		DeadlineAt: e.now.Add(15 * time.Minute)}
	if err := e.db.Update(ctx, func(tx *store.Tx) error { return tx.AddJob(ctx, &j) }); err != nil {
		e.t.Fatal(err)
	}
	return j.ID
}

// check makes the worker's next call for job id.
func (e *acsJobs) check(id int64) *store.Job {
	e.t.Helper()
	ctx := context.Background()
	j, err := e.db.Job(ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.w.check(ctx, j); err != nil {
		e.t.Fatal(err)
	}
	if j, err = e.db.Job(ctx, id); err != nil {
		e.t.Fatal(err)
	}
	return j
}

// told is what conversation conv was told, one "state/step/reason" per report.
func (e *acsJobs) told(conv int64) []string {
	e.t.Helper()
	evs, err := e.db.NextEvents(context.Background(), conv, 100)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, ev := range evs {
		var u bot.JobUpdate
		if err := json.Unmarshal(ev.Body, &u); err != nil {
			e.t.Fatal(err)
		}
		if !u.Restart {
			e.t.Fatalf("report %+v does not say the operation is a restart", u)
		}
		out = append(out, u.State+"/"+u.Step+"/"+u.Reason)
	}
	return out
}

const acsRouter = "202BC1-BM632w-000000"

// An unknown router is told alone: nothing says the update was asked for, nothing is posted.
func TestJobsGenieACSUnknownRouterIsToldAloneAndNothingIsQueued(t *testing.T) {
	e := newACSJobs(t, true)
	j := e.check(e.job(7, "202BC1-BM632w-999999"))
	_, posts, _, _ := e.nbi.state()
	if told := e.told(7); !slices.Equal(told, []string{"failed//unknown_router"}) || posts != 0 || !j.Final() {
		t.Fatalf("told %q, %d task POSTs, job %s: want the unknown router alone, nothing queued", told, posts, j.State)
	}
}

// "Device is offline": the customer hears the update was asked for and that the router
// cannot be reached, once; after GENIEACS_OFFLINE_WAIT the job fails as offline and the
// task is removed, so the router coming back later restarts nothing.
func TestJobsGenieACSOfflineRouterFailsAfterTheWaitAndLeavesNothingToRun(t *testing.T) {
	e := newACSJobs(t, false)
	id := e.job(7, acsRouter)
	e.check(id)
	e.now = e.now.Add(time.Minute)
	e.check(id)
	e.now = e.now.Add(4 * time.Minute)
	j := e.check(id)
	if told := e.told(7); !slices.Equal(told, []string{"accepted//", "offline//", "failed//offline"}) || !j.Final() {
		t.Fatalf("told %q, job %s", told, j.State)
	}
	e.nbi.powerOn()
	if reboots, _, queued, _ := e.nbi.state(); reboots != 0 || len(queued) != 0 {
		t.Fatalf("the router came back after the customer was told it failed and rebooted %d times (queued %v)", reboots, queued)
	}
}

// A job that ends at its deadline while its reboot waits removes the reboot: before, the
// router rebooted when it came back, minutes after "did not finish in time".
func TestJobsGenieACSTimeoutRemovesTheQueuedReboot(t *testing.T) {
	e := newACSJobs(t, false)
	id := e.job(7, acsRouter)
	e.check(id)
	e.now = e.now.Add(15 * time.Minute)
	if j := e.check(id); !j.Final() || j.Detail != bot.ReasonTimeout {
		t.Fatalf("job %s %q, want it ended at its deadline", j.State, j.Detail)
	}
	e.nbi.powerOn()
	if reboots, _, queued, _ := e.nbi.state(); reboots != 0 || len(queued) != 0 {
		t.Fatalf("the router came back after the timeout and rebooted %d times (queued %v)", reboots, queued)
	}
}

// A router switched on runs the queued reboot in its boot session: the job is not done
// until the router boots again.
func TestJobsGenieACSRebootRunInTheBootSessionIsDoneAfterTheNextBoot(t *testing.T) {
	e := newACSJobs(t, false)
	id := e.job(7, acsRouter)
	first := e.check(id)
	e.nbi.powerOn()
	if j := e.check(id); j.State == "succeeded" || j.OperationID == first.OperationID {
		t.Fatalf("job %s/%s (operation id kept: %v) after the boot session that ran the reboot", j.State, j.Step, j.OperationID == first.OperationID)
	}
	e.nbi.boot()
	if j := e.check(id); j.State != "succeeded" {
		t.Fatalf("job %s/%s after the restart's boot, want succeeded", j.State, j.Step)
	}
	if told := e.told(7); !slices.Equal(told, []string{"accepted//", "offline//", "running/rebooting/", "succeeded//"}) {
		t.Fatalf("told %q", told)
	}
}

// A second job for the router while the first one's reboot is queued queues no second
// reboot: it follows the first one's.
func TestJobsGenieACSSecondJobWhileARebootIsQueuedQueuesNoSecondReboot(t *testing.T) {
	e := newACSJobs(t, false)
	e.check(e.job(7, acsRouter))
	e.check(e.job(8, acsRouter))
	if _, posts, queued, _ := e.nbi.state(); posts != 1 || len(queued) != 1 {
		t.Fatalf("%d task POSTs, queued %v: want one reboot for the router", posts, queued)
	}
	e.nbi.powerOn()
	e.nbi.boot()
	if reboots, _, _, _ := e.nbi.state(); reboots != 1 {
		t.Fatalf("the router rebooted %d times", reboots)
	}
}

// The first of two jobs following one queued reboot ends at its deadline: the reboot stays
// for the second, which removes it when it ends in turn.
func TestJobsGenieACSTheLastJobFollowingATaskRemovesIt(t *testing.T) {
	e := newACSJobs(t, false)
	first := e.job(7, acsRouter)
	e.check(first)
	e.now = e.now.Add(5 * time.Minute)
	second := e.job(8, acsRouter)
	e.check(second)
	e.now = e.now.Add(10 * time.Minute)
	if j := e.check(first); !j.Final() {
		t.Fatalf("first job %s, want it ended at its deadline", j.State)
	}
	if _, _, queued, _ := e.nbi.state(); len(queued) != 1 {
		t.Fatalf("queued %v after the first job ended, want the reboot the second job follows", queued)
	}
	e.now = e.now.Add(5 * time.Minute)
	if j := e.check(second); !j.Final() {
		t.Fatalf("second job %s, want it ended", j.State)
	}
	if _, _, queued, _ := e.nbi.state(); len(queued) != 0 {
		t.Fatalf("queued %v after both jobs ended", queued)
	}
}

// cwmp.9000 "Method not supported" is permanent: the job fails as unsupported, and its
// task and fault are removed, so GenieACS does not retry them on its own.
func TestJobsGenieACSMethodNotSupportedFailsForGoodAndLeavesNothing(t *testing.T) {
	e := newACSJobs(t, true)
	e.nbi.noReboot = true
	j := e.check(e.job(7, acsRouter))
	if told := e.told(7); !slices.Equal(told, []string{"accepted//", "failed/rebooting/unsupported"}) || !j.Final() {
		t.Fatalf("told %q, job %s", told, j.State)
	}
	if _, _, queued, faults := e.nbi.state(); len(queued) != 0 || faults != 0 {
		t.Fatalf("left at the ACS: queued %v, %d faults", queued, faults)
	}
}

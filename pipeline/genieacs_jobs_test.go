package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cwbot/cwbot/process"
)

// slowNBI is a minimal GenieACS NBI for one device: a task POST with connection_request
// is held until the device's session that runs it ends (lib/nbi.ts: awaitSessionEnd up to
// 120 s), and the task runs whether or not the client is still waiting.
type slowNBI struct {
	dev         string
	firstPostMs time.Duration // how long the first session takes

	mu      sync.Mutex
	tasks   map[string]string // pending: id -> name
	n       int
	posts   int
	reboots int // reboot tasks the router executed
	boot    time.Time
	inform  time.Time
}

func (f *slowNBI) runLocked(id string) {
	if f.tasks[id] == "reboot" {
		f.reboots++
	}
	delete(f.tasks, id)
	f.inform = f.inform.Add(time.Minute)
}

func (f *slowNBI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	var q map[string]any
	json.Unmarshal([]byte(r.URL.Query().Get("query")), &q)
	switch {
	case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/devices/"):
		var task map[string]any
		json.NewDecoder(r.Body).Decode(&task)
		f.mu.Lock()
		f.n++
		id := fmt.Sprintf("%024x", f.n)
		f.tasks[id] = fmt.Sprint(task["name"])
		f.posts++
		first := f.posts == 1
		f.mu.Unlock()
		task["_id"], task["device"] = id, f.dev
		body, _ := json.Marshal(task)
		if first {
			// A slow session: the task runs at its end, client or no client.
			done := make(chan struct{})
			time.AfterFunc(f.firstPostMs, func() { f.mu.Lock(); f.runLocked(id); f.mu.Unlock(); close(done) })
			select {
			case <-done:
			case <-r.Context().Done():
				return
			}
		} else {
			f.mu.Lock()
			f.runLocked(id)
			f.mu.Unlock()
		}
		w.WriteHeader(http.StatusOK)
		w.Write(body)
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/devices"):
		f.mu.Lock()
		fmt.Fprintf(w, `[{"_id":%q,"_lastInform":%q,"_lastBoot":%q}]`, f.dev,
			f.inform.Format(time.RFC3339Nano), f.boot.Format(time.RFC3339Nano))
		f.mu.Unlock()
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/tasks"):
		f.mu.Lock()
		var out []map[string]string
		for id, name := range f.tasks {
			if q["_id"] == id || q["device"] == f.dev {
				out = append(out, map[string]string{"_id": id, "name": name, "device": f.dev})
			}
		}
		f.mu.Unlock()
		if out == nil {
			out = []map[string]string{}
		}
		json.NewEncoder(w).Encode(out)
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/faults"):
		w.Write([]byte("[]"))
	default:
		http.Error(w, "404 Not Found", http.StatusNotFound)
	}
}

// GenieACS holds a task POST with connection_request until the router's session ends (up
// to 120 s, plus up to 30 s waiting for a session already open: lib/nbi.ts). The jobs
// worker gave every call 30 s: a Start cut short was counted as a transient failure and
// repeated a second later, and when the session ended in between, its reboot had run and
// left /tasks, so the repeated Start found nothing to attach to and queued a second
// reboot: the customer's router restarted twice. The runner now sets the budget
// (process.Patient, its HTTP client's timeout). Here the worker's budget is 1 s and the
// session 1.5 s.
func TestJobsGenieACSStartOutlastingTheBudgetRebootsOnce(t *testing.T) {
	old := callBudget
	callBudget = time.Second
	t.Cleanup(func() { callBudget = old })
	const dev = "202BC1-BM632w-000000"
	nbi := &slowNBI{dev: dev, firstPostMs: 1500 * time.Millisecond, tasks: map[string]string{},
		boot: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC), inform: time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)}
	srv := httptest.NewServer(nbi)
	t.Cleanup(srv.Close)

	db := openDB(t)
	runner := process.NewGenieACSRunner(process.GenieACSConfig{URL: srv.URL, Client: &http.Client{Timeout: 5 * time.Second}})
	w := &Jobs{DB: db, Runner: runner, PollInterval: time.Second, Logger: slog.New(slog.NewTextHandler(testLogWriter{t}, nil))}
	ctx := context.Background()
	j := runJob(t, w, dev, 10*time.Minute)

	waitUntil(t, 10*time.Second, "the job to get its operation", func() bool {
		got, err := db.Job(ctx, j.ID)
		return err == nil && got.OperationID != ""
	})
	time.Sleep(1500 * time.Millisecond) // a second Start, if any, would have run by now
	nbi.mu.Lock()
	reboots, posts := nbi.reboots, nbi.posts
	nbi.mu.Unlock()
	got, _ := db.Job(ctx, j.ID)
	if reboots != 1 || posts != 1 {
		t.Fatalf("router rebooted %d times for one job (%d task POSTs); job state=%s/%s", reboots, posts, got.State, got.Step)
	}
}

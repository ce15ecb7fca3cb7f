package pipeline

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cwbot/cwbot/bot"
	"github.com/cwbot/cwbot/process"
	"github.com/cwbot/cwbot/process/telcosim"
	"github.com/cwbot/cwbot/store"
)

// ownerEnv runs a jobs worker against a manual telcosim; told receives each job update
// the conversations are told, once it is committed (store.DB.OnEvents).
type ownerEnv struct {
	db   *store.DB
	sim  *telcosim.Sim
	w    *Jobs
	told chan bot.JobUpdate
}

func newOwnerEnv(t *testing.T) *ownerEnv {
	t.Helper()
	sim := telcosim.New(telcosim.Options{Manual: true})
	srv := httptest.NewServer(sim)
	t.Cleanup(func() { sim.Close(); srv.Close() })
	e := &ownerEnv{db: openDB(t), sim: sim, told: make(chan bot.JobUpdate, 64)}
	e.db.OnEvents(func(evs []*store.Event) {
		for _, ev := range evs {
			var u bot.JobUpdate
			if ev.Source == SourceTelco && json.Unmarshal(ev.Body, &u) == nil {
				e.told <- u
			}
		}
	})
	e.w = &Jobs{DB: e.db, Runner: process.NewHTTPRunner(srv.URL, "", "", nil), Logger: quietLogger(), PollInterval: time.Hour}
	return e
}

func (e *ownerEnv) add(t *testing.T, j store.Job) {
	t.Helper()
	ctx := context.Background()
	if err := e.db.Update(ctx, func(tx *store.Tx) error {
		j.AccountID, j.ConversationID, j.Attempt, j.Reference, j.DeadlineAt = 1, 7, 1, NewReference(), tx.Now().Add(time.Hour)
		return tx.AddJob(ctx, &j)
	}); err != nil {
		t.Fatal(err)
	}
}

func (e *ownerEnv) run(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.w.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

// job reads a job back.
func (e *ownerEnv) job(t *testing.T, id int64) *store.Job {
	t.Helper()
	j, err := e.db.Job(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// The job row carries who asked into the start request; a router registered to another
// phone is refused by the telco (403) and the conversation hears "not_yours".
func TestJobsNameTheRequesterAndEndNotYours(t *testing.T) {
	e := newOwnerEnv(t)
	e.sim.SetOwner("AB-5555-1234", "+5511900000000")
	e.add(t, store.Job{RouterID: "AB-5555-1234", ContactID: 1203, Phone: "+5511987654321", Typed: true})
	e.run(t)
	u := <-e.told
	if u.State != bot.JobFailed || u.Reason != bot.ReasonNotYours {
		j := e.job(t, u.JobID)
		t.Fatalf("the conversation is told %+v (job %s: %s), want failed/not_yours", u, j.State, j.LastError)
	}
	starts := e.sim.Starts()
	if len(starts) != 1 || starts[0].ContactID != 1203 || starts[0].Phone != "+5511987654321" || !starts[0].Typed {
		t.Fatalf("the telco read %+v", starts)
	}
	if len(e.sim.Operations()) != 0 {
		t.Fatal("the telco started someone else's router")
	}
}

// Router ids from a contact attribute are checked like any other: ".", "..", a 5,000
// character id and control characters end the job as refused without a request, and a
// real GenieACS id reaches the telco.
func TestJobsBadRouterIDsNeverReachTheTelco(t *testing.T) {
	e := newOwnerEnv(t)
	bad := []string{".", "..", strings.Repeat("9", 5000), "ZX-9900\x00AB12", "ZX\r\nX-Injected: 1", "../routers/ZX"}
	for _, id := range bad {
		e.add(t, store.Job{RouterID: id, ContactID: 1203})
	}
	e.add(t, store.Job{RouterID: "202BC1-BM632w-000001", ContactID: 1203})
	e.run(t)
	refused, queued := 0, 0
	for refused < len(bad) || queued < 1 {
		u := <-e.told
		j := e.job(t, u.JobID)
		switch {
		case j.RouterID == "202BC1-BM632w-000001" && u.State == bot.JobQueued:
			queued++
		case j.RouterID == "202BC1-BM632w-000001":
			t.Fatalf("the real id's job is told %+v: %s", u, j.LastError)
		case u.State != bot.JobFailed || u.Reason != bot.ReasonRejected || !strings.Contains(j.LastError, "bad router id"):
			t.Fatalf("job for %.20q told %+v (%s), want refused as a bad router id", j.RouterID, u, j.LastError)
		default:
			refused++
		}
	}
	starts := e.sim.Starts()
	if len(starts) != 1 || starts[0].Router != "202BC1-BM632w-000001" {
		t.Fatalf("the telco read %+v, want only 202BC1-BM632w-000001", starts)
	}
}

// With GenieACS and no owner tag or parameter configured, a typed serial ends the job as
// unverified without a task; the contact's own attribute is updated.
func TestJobsGenieACSTypedSerialUnverified(t *testing.T) {
	const dev = "202BC1-BM632w-000001"
	nbi := &slowNBI{dev: dev, tasks: map[string]string{},
		boot: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC), inform: time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)}
	srv := httptest.NewServer(nbi)
	t.Cleanup(srv.Close)
	e := newOwnerEnv(t)
	e.w.Runner = process.NewGenieACSRunner(process.GenieACSConfig{URL: srv.URL})
	e.add(t, store.Job{RouterID: dev, ContactID: 1203, Phone: "+5511987654321", Typed: true})
	e.run(t)
	u := <-e.told
	if u.State != bot.JobFailed || u.Reason != bot.ReasonUnverified {
		t.Fatalf("the conversation is told %+v, want failed/unverified", u)
	}
	nbi.mu.Lock()
	posts := nbi.posts
	nbi.mu.Unlock()
	if posts != 0 {
		t.Fatalf("%d tasks queued for an unverified typed serial", posts)
	}
	e.add(t, store.Job{RouterID: dev, ContactID: 1203, Phone: "+5511987654321"})
	e.w.Wake()
	u = <-e.told
	if u.State == bot.JobAccepted { // the device is known and theirs: then the start
		u = <-e.told
	}
	if u.State == bot.JobFailed {
		t.Fatalf("the contact's own router: told %+v", u)
	}
	nbi.mu.Lock()
	posts = nbi.posts
	nbi.mu.Unlock()
	if posts != 1 {
		t.Fatalf("%d task posts for the contact's own router, want 1", posts)
	}
}

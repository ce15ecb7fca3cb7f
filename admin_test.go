package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cwbot/cwbot/store"
)

// adminDB is a database with two jobs (one running, one failed) and three outbox rows
// (two pending, one dead), at BOT_DB.
type adminDB struct {
	path                  string
	active, finished      *store.Job
	pending, second, dead *store.OutboxRow
}

const adminLongError = "chatwoot: create_message: 422 Unprocessable Entity: the WhatsApp 24 hour window is closed and no template was given for this conversation"

func newAdminDB(t *testing.T) *adminDB {
	t.Helper()
	ctx := context.Background()
	a := &adminDB{path: filepath.Join(t.TempDir(), "bot.db")}
	db, err := store.Open(ctx, a.path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a.active = &store.Job{AccountID: 1, ConversationID: 41, RouterID: "ZTE-ACTIVE-01", Attempt: 1, Reference: "r1",
		DeadlineAt: time.Now().Add(time.Hour)}
	a.finished = &store.Job{AccountID: 1, ConversationID: 42, RouterID: "HW-DONE-02", Attempt: 2, Reference: "r2",
		DeadlineAt: time.Now().Add(time.Hour)}
	a.pending = &store.OutboxRow{AccountID: 1, ConversationID: 41, Kind: "message", Payload: []byte(`{"content":"hi"}`)}
	a.second = &store.OutboxRow{AccountID: 1, ConversationID: 41, Kind: "typing", Payload: []byte(`{}`)}
	a.dead = &store.OutboxRow{AccountID: 1, ConversationID: 43, Kind: "labels", Payload: []byte(`{}`)}
	if err := db.Update(ctx, func(tx *store.Tx) error {
		for _, j := range []*store.Job{a.finished, a.active} {
			if err := tx.AddJob(ctx, j); err != nil {
				return err
			}
		}
		a.finished.State, a.finished.Step, a.finished.Detail = "failed", "download", "timeout"
		a.finished.FinishedAt = tx.Now()
		if err := tx.SaveJob(ctx, a.finished); err != nil {
			return err
		}
		for _, r := range []*store.OutboxRow{a.pending, a.second, a.dead} {
			if err := tx.AddOutbox(ctx, r); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkOutboxDead(ctx, a.dead.ID, adminLongError); err != nil {
		t.Fatal(err)
	}
	t.Setenv("BOT_DB", a.path)
	return a
}

func runAdminCmd(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := Run(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
	return stdout.String(), stderr.String(), err
}

// tableRows returns the table's lines after the header, keyed by their first column.
func adminTable(t *testing.T, out string) (header string, rows map[string][]string) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	rows = map[string][]string{}
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		rows[f[0]] = f
	}
	return lines[0], rows
}

func adminRowID(v int64) string { return strconv.FormatInt(v, 10) }

func TestJobsList(t *testing.T) {
	a := newAdminDB(t)
	out, _, err := runAdminCmd(t, "jobs", "list")
	if err != nil {
		t.Fatal(err)
	}
	header, rows := adminTable(t, out)
	for _, col := range []string{"ID", "CONVERSATION", "ROUTER", "ATTEMPT", "STATE", "STEP", "DETAIL", "CREATED", "UPDATED"} {
		if !strings.Contains(header, col) {
			t.Errorf("header %q lacks %s", header, col)
		}
	}
	if len(rows) != 2 {
		t.Fatalf("listed %d jobs, want 2:\n%s", len(rows), out)
	}
	if got := rows[adminRowID(a.finished.ID)]; len(got) < 7 || got[1] != "42" || got[2] != "HW-DONE-02" || got[3] != "2" ||
		got[4] != "failed" || got[5] != "download" || got[6] != "timeout" {
		t.Errorf("finished job row = %q", got)
	}
	if got := rows[adminRowID(a.active.ID)]; len(got) < 7 || got[2] != "ZTE-ACTIVE-01" || got[4] != "starting" || got[5] != "-" {
		t.Errorf("active job row = %q", got)
	}
	// Columns are aligned: every row's router starts where the header's ROUTER does.
	col := strings.Index(header, "ROUTER")
	for _, l := range strings.Split(out, "\n")[1:] {
		if l != "" && (len(l) <= col || l[col-1] != ' ' || l[col] == ' ') {
			t.Errorf("row %q not aligned with the header", l)
		}
	}

	out, _, err = runAdminCmd(t, "jobs", "list", "--active")
	if err != nil {
		t.Fatal(err)
	}
	if _, rows := adminTable(t, out); len(rows) != 1 || rows[adminRowID(a.active.ID)] == nil {
		t.Fatalf("--active listed:\n%s", out)
	}
	out, _, err = runAdminCmd(t, "jobs", "list", "--limit", "1")
	if err != nil {
		t.Fatal(err)
	}
	if _, rows := adminTable(t, out); len(rows) != 1 || rows[adminRowID(a.active.ID)] == nil {
		t.Fatalf("--limit 1 listed (want the newest only):\n%s", out)
	}
}

func TestOutboxList(t *testing.T) {
	a := newAdminDB(t)
	out, _, err := runAdminCmd(t, "outbox", "list")
	if err != nil {
		t.Fatal(err)
	}
	header, rows := adminTable(t, out)
	for _, col := range []string{"ID", "CONVERSATION", "KIND", "STATUS", "ATTEMPTS", "NEXT ATTEMPT", "LAST ERROR"} {
		if !strings.Contains(header, col) {
			t.Errorf("header %q lacks %s", header, col)
		}
	}
	if len(rows) != 3 {
		t.Fatalf("listed %d rows, want 3:\n%s", len(rows), out)
	}
	if got := rows[adminRowID(a.pending.ID)]; got[1] != "41" || got[2] != "message" || got[3] != "pending" || got[4] != "0" {
		t.Errorf("pending row = %q", got)
	}
	if got := rows[adminRowID(a.dead.ID)]; got[2] != "labels" || got[3] != "dead" || got[4] != "1" || got[5] != "-" {
		t.Errorf("dead row = %q", got)
	}
	if !strings.Contains(out, "422 Unprocessable Entity") || strings.Contains(out, "for this conversation") || !strings.Contains(out, "…") {
		t.Errorf("last error not shown truncated:\n%s", out)
	}

	out, _, err = runAdminCmd(t, "outbox", "list", "--dead")
	if err != nil {
		t.Fatal(err)
	}
	if _, rows := adminTable(t, out); len(rows) != 1 || rows[adminRowID(a.dead.ID)] == nil {
		t.Fatalf("--dead listed:\n%s", out)
	}
}

func TestOutboxRetry(t *testing.T) {
	a := newAdminDB(t)
	out, _, err := runAdminCmd(t, "outbox", "retry", adminRowID(a.dead.ID))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "Outbox row "+adminRowID(a.dead.ID)) || !strings.Contains(out, "pending again") || !strings.Contains(out, "5 s") {
		t.Errorf("retry said:\n%s", out)
	}
	db, err := store.Open(context.Background(), a.path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := db.GetOutbox(context.Background(), a.dead.ID)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != store.OutboxPending || r.Attempts != 0 {
		t.Fatalf("after retry: status=%s attempts=%d, want pending and 0", r.Status, r.Attempts)
	}

	// Now no row is dead: retrying it again, or a pending row, or a missing one fails.
	for _, tc := range []struct{ id, want string }{
		{adminRowID(a.dead.ID), "is pending, not dead"},
		{adminRowID(a.pending.ID), "is pending, not dead"},
		{"999", "no outbox row 999"},
	} {
		_, _, err := runAdminCmd(t, "outbox", "retry", tc.id)
		if err == nil || !strings.Contains(err.Error(), tc.want) || exitCode(err) != 1 {
			t.Errorf("retry %s: err=%v (exit %d), want %q and exit 1", tc.id, err, exitCode(err), tc.want)
		}
	}
	for _, args := range [][]string{{"outbox", "retry"}, {"outbox", "retry", "x"}, {"outbox", "retry", "1", "2"}} {
		if _, _, err := runAdminCmd(t, args...); exitCode(err) != 2 {
			t.Errorf("%q: err=%v, want a usage error", args, err)
		}
	}
}

func TestAdminMissingDB(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nowhere", "bot.db")
	t.Setenv("BOT_DB", path)
	for _, args := range [][]string{{"jobs", "list"}, {"outbox", "list"}, {"outbox", "retry", "1"}} {
		_, _, err := runAdminCmd(t, args...)
		if err == nil || !strings.Contains(err.Error(), "does not exist") || exitCode(err) != 1 {
			t.Errorf("%q: err=%v, want does not exist", args, err)
		}
	}
	if _, err := os.Stat(filepath.Dir(path)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the missing database's folder was created (stat: %v)", err)
	}
}

func TestAdminHelp(t *testing.T) {
	newAdminDB(t)
	for _, args := range [][]string{
		{"jobs", "-h"}, {"jobs", "list", "-h"}, {"outbox", "--help"}, {"outbox", "list", "-h"},
		{"outbox", "retry", "-h"}, {"outbox", "retry", "7", "-h"},
	} {
		_, stderr, err := runAdminCmd(t, args...)
		if !errors.Is(err, flag.ErrHelp) || exitCode(err) != 0 {
			t.Errorf("%q: err=%v, want flag.ErrHelp", args, err)
		}
		if !strings.Contains(stderr, "Usage:") {
			t.Errorf("%q: no usage printed: %q", args, stderr)
		}
	}
	for _, args := range [][]string{{"jobs"}, {"jobs", "show"}, {"outbox", "list", "extra"}, {"outbox", "list", "--limit", "0"}, {"jobs", "list", "--bogus"}} {
		if _, _, err := runAdminCmd(t, args...); exitCode(err) != 2 {
			t.Errorf("%q: err=%v, want a usage error", args, err)
		}
	}
}

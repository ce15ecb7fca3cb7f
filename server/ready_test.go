package server_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cwbot/cwbot/server"
	"github.com/cwbot/cwbot/store"
)

// /readyz says whether the bot can store now: with the WAL unwritable (chattr +i, as a full
// or read-only disk) it answers 503, so a load balancer sends webhooks elsewhere, and 200
// again once the WAL is writable.
func TestReadyzFailsWhileNothingCanBeStored(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bot.db")
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var mu sync.Mutex
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	srv := httptest.NewServer(server.New(server.Config{WebhookSecret: "s"}, db, quietLogger()))
	t.Cleanup(srv.Close)
	readyz := func() int {
		t.Helper()
		resp, err := http.Get(srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := readyz(); code != http.StatusOK {
		t.Fatalf("/readyz answered %d with a writable database", code)
	}

	wal := path + "-wal"
	if out, err := exec.Command("chattr", "+i", wal).CombinedOutput(); err != nil {
		t.Skipf("cannot make %s immutable here (chattr: %v: %s)", wal, err, bytes.TrimSpace(out))
	}
	released := false
	release := func() {
		if !released {
			released = true
			if out, err := exec.Command("chattr", "-i", wal).CombinedOutput(); err != nil {
				t.Errorf("chattr -i: %v: %s", err, out)
			}
		}
	}
	defer release()
	advance(store.WritableFresh)
	if code := readyz(); code != http.StatusServiceUnavailable {
		t.Fatalf("/readyz answered %d with the WAL unwritable, want 503", code)
	}
	release()
	advance(store.ProbeEvery)
	if code := readyz(); code != http.StatusOK {
		t.Fatalf("/readyz answered %d once the WAL is writable again", code)
	}
}

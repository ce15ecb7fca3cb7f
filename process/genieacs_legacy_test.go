package process_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/cwbot/cwbot/process"
)

// An update started by an earlier version queued the download and a reboot beside it; its
// job, still running across the upgrade, keeps an operation id naming both tasks. The
// runner still follows it to the end.
func TestGenieACSFollowsOperationWithDownloadAndReboot(t *testing.T) {
	ctx := context.Background()
	f := newFakeNBI(t)
	f.files["fw.bin"] = "2.0"
	f.addDevice(dev, fakeDevice{online: false, version: "1.0"})
	boot, inform := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC), time.Date(2026, 11, 21, 9, 30, 0, 0, time.UTC)
	f.set(dev, func(d *fakeDevice) { d.lastBoot, d.lastInform = boot, inform })
	queue := func(task string) string {
		t.Helper()
		resp, err := http.Post(f.URL+"/devices/"+url.PathEscape(dev)+"/tasks", "application/json", bytes.NewBufferString(task))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct {
			ID string `json:"_id"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.ID == "" {
			t.Fatalf("queueing %s: %v", task, err)
		}
		return out.ID
	}
	dl := queue(`{"name":"download","fileType":"1 Firmware Upgrade Image","fileName":"fw.bin"}`)
	rb := queue(`{"name":"reboot"}`)
	// The id as those versions stored it: "acs1." and the base64url of the JSON below.
	raw, _ := json.Marshal(map[string]any{"d": dev, "dl": dl, "rb": rb, "b": boot, "i": inform, "v": "1.0"})
	id := "acs1." + base64.RawURLEncoding.EncodeToString(raw)

	r := newACSRunner(f, "fw.bin")
	st, err := r.Status(ctx, id)
	expect(t, st, err, process.StateQueued, "", "offline")
	f.inform(dev)                  // both tasks run; the transfer starts
	st, err = r.Status(ctx, st.ID) // the jobs worker keeps the id each reading answers
	expect(t, st, err, process.StateRunning, process.StepDownloading, "downloading the firmware")
	f.boot(dev, true)
	st, err = r.Status(ctx, st.ID)
	expect(t, st, err, process.StateSucceeded, "", "firmware 1.0 -> 2.0")
}

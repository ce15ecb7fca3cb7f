package process_test

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cwbot/cwbot/process"
)

const dev = "202BC1-BM632w-000000"

var devPath = "/devices/" + url.PathEscape(dev) + "/tasks?connection_request&timeout=3000"

func newACSRunner(f *fakeNBI, firmware string) *process.GenieACSRunner {
	return process.NewGenieACSRunner(process.GenieACSConfig{
		URL: f.URL, FirmwareFile: firmware, Username: "nbi", Password: "pw",
		Now: func() time.Time { return time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC) },
	})
}

// expect checks an observation; "" fields are not checked except Step.
func expect(t *testing.T, st process.Status, err error, state process.State, step process.Step, detail string) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if st.State != state || st.Step != step || !strings.Contains(st.Detail, detail) {
		t.Fatalf("status=%s/%s %q, want %s/%s %q", st.State, st.Step, st.Detail, state, step, detail)
	}
}

func TestGenieACSRunner(t *testing.T) {
	ctx := context.Background()

	// The router restarts by itself to install the firmware: no reboot task beside the
	// download, which would run at the end of the same session, before the transfer.
	t.Run("SuccessDownloadRouterRestartsItself", func(t *testing.T) {
		f := newFakeNBI(t)
		f.auth = "nbi:pw"
		f.files["fw-2.0.bin"] = "2.0"
		f.addDevice(dev, fakeDevice{online: true, version: "1.0"})
		r := newACSRunner(f, "fw-2.0.bin")
		st, err := r.Start(ctx, dev, "job-1#1")
		expect(t, st, err, process.StateRunning, process.StepDownloading, "downloading the firmware")

		var posts []string
		for _, l := range f.log() {
			if strings.HasPrefix(l, "POST") {
				posts = append(posts, l)
			}
		}
		if want := []string{"POST " + devPath}; !slices.Equal(posts, want) {
			t.Fatalf("posts=%v, want %v (the download alone)", posts, want)
		}
		if !slices.Contains(f.log(), "GET /devices/?query="+url.QueryEscape(`{"_id":"`+dev+`"}`)+"&projection="+
			url.QueryEscape("_lastInform,_lastBoot,InternetGatewayDevice.DeviceInfo.SoftwareVersion,Device.DeviceInfo.SoftwareVersion")) {
			t.Fatalf("device query not found in %v", f.log())
		}

		f.boot(dev, false)
		st, err = r.Status(ctx, st.ID)
		expect(t, st, err, process.StateRunning, process.StepVerifying, "confirm")
		f.completeTransfer(dev)
		st, err = r.Status(ctx, st.ID)
		expect(t, st, err, process.StateSucceeded, "", "firmware 1.0 -> 2.0")
	})

	t.Run("SuccessWithoutOperationsEndpoint", func(t *testing.T) {
		f := newFakeNBI(t)
		f.noOperations = true
		f.files["fw.bin"] = "2.0"
		f.addDevice(dev, fakeDevice{online: true, version: "1.0"})
		r := newACSRunner(f, "fw.bin")
		st, err := r.Start(ctx, dev, "job-1#1")
		expect(t, st, err, process.StateRunning, process.StepDownloading, "restarts by itself")
		f.boot(dev, true)
		st, err = r.Status(ctx, st.ID)
		expect(t, st, err, process.StateSucceeded, "", "2.0")
	})

	// /operations lost the transfer (TransferComplete came) but the router has not booted:
	// it has the image and restarts by itself to install it.
	t.Run("TransferDoneBeforeBoot", func(t *testing.T) {
		f := newFakeNBI(t)
		f.files["fw.bin"] = "2.0"
		f.addDevice(dev, fakeDevice{online: true, version: "1.0"})
		r := newACSRunner(f, "fw.bin")
		st, err := r.Start(ctx, dev, "job-1#1")
		expect(t, st, err, process.StateRunning, process.StepDownloading, "downloading the firmware")
		f.completeTransfer(dev)
		st, err = r.Status(ctx, st.ID)
		expect(t, st, err, process.StateRunning, process.StepInstalling, "restarts by itself")
		f.boot(dev, false)
		st, err = r.Status(ctx, st.ID)
		expect(t, st, err, process.StateSucceeded, "", "firmware 1.0 -> 2.0")
	})

	t.Run("RestartOnly", func(t *testing.T) {
		f := newFakeNBI(t)
		f.addDevice(dev, fakeDevice{online: true, version: "1.0"})
		r := newACSRunner(f, "")
		st, err := r.Start(ctx, dev, "job-1#1")
		expect(t, st, err, process.StateRunning, process.StepRebooting, "")
		if got := f.log(); strings.Count(strings.Join(got, "\n"), "POST ") != 1 {
			t.Fatalf("want one task (the reboot), requests=%v", got)
		}
		f.boot(dev, false)
		st, err = r.Status(ctx, st.ID)
		expect(t, st, err, process.StateSucceeded, "", "")
	})

	t.Run("OfflineThenBack", func(t *testing.T) {
		f := newFakeNBI(t)
		f.files["fw.bin"] = "2.0"
		f.addDevice(dev, fakeDevice{online: false, version: "1.0"})
		r := newACSRunner(f, "fw.bin")
		st, err := r.Start(ctx, dev, "job-1#1")
		expect(t, st, err, process.StateQueued, "", "offline")
		if got := f.pendingTasks(dev); !slices.Equal(got, []string{"download"}) {
			t.Fatalf("pending=%v, want the download alone", got)
		}

		// A second Start while the tasks wait attaches to them.
		_, err = r.Start(ctx, dev, "job-1#2")
		var running *process.AlreadyRunningError
		if !errors.As(err, &running) {
			t.Fatalf("err=%v, want AlreadyRunningError", err)
		}
		again, err := r.Status(ctx, running.OperationID)
		expect(t, again, err, process.StateQueued, "", "offline")

		f.inform(dev)
		st, err = r.Status(ctx, st.ID)
		expect(t, st, err, process.StateRunning, process.StepDownloading, "")
		f.boot(dev, true)
		st, err = r.Status(ctx, st.ID)
		expect(t, st, err, process.StateSucceeded, "", "2.0")
	})

	t.Run("BusyQueued", func(t *testing.T) {
		f := newFakeNBI(t)
		f.addDevice(dev, fakeDevice{online: true, busy: true})
		r := newACSRunner(f, "")
		st, err := r.Start(ctx, dev, "job-1#1")
		expect(t, st, err, process.StateQueued, "", "")
		f.inform(dev)
		st, err = r.Status(ctx, st.ID)
		expect(t, st, err, process.StateRunning, process.StepRebooting, "")
	})

	t.Run("NewStartSupersedesFaulted", func(t *testing.T) {
		f := newFakeNBI(t)
		f.addDevice(dev, fakeDevice{online: true, noReboot: true})
		r := newACSRunner(f, "")
		old, err := r.Start(ctx, dev, "job-1#1")
		expect(t, old, err, process.StateFailed, process.StepRebooting, "cwmp.9000")
		f.set(dev, func(d *fakeDevice) { d.noReboot = false })
		st, err := r.Start(ctx, dev, "job-2#1")
		expect(t, st, err, process.StateRunning, process.StepRebooting, "")
		if st.ID == old.ID {
			t.Fatal("same operation id")
		}
		if got := f.pendingTasks(dev); len(got) != 0 {
			t.Fatalf("pending=%v, want the faulted reboot deleted", got)
		}
	})

	t.Run("DownloadMissingFile", func(t *testing.T) {
		f := newFakeNBI(t)
		f.addDevice(dev, fakeDevice{online: true, version: "1.0"})
		r := newACSRunner(f, "missing.bin")
		st, err := r.Start(ctx, dev, "job-1#1")
		expect(t, st, err, process.StateRunning, process.StepDownloading, "")
		f.boot(dev, true)
		st, err = r.Status(ctx, st.ID)
		expect(t, st, err, process.StateFailed, process.StepDownloading, "the router could not download the firmware (cwmp.9016)")
	})

	t.Run("DownloadFaultedNoReboot", func(t *testing.T) {
		f := newFakeNBI(t)
		f.addDevice(dev, fakeDevice{online: true, noDownload: true})
		r := newACSRunner(f, "fw.bin")
		st, err := r.Start(ctx, dev, "job-1#1")
		expect(t, st, err, process.StateFailed, process.StepDownloading, "(cwmp.9000)")
		// 202 "Task faulted": a reboot now would only cut the customer off.
		if got := f.pendingTasks(dev); !slices.Equal(got, []string{"download"}) {
			t.Fatalf("pending=%v, want only the faulted download", got)
		}
	})

	t.Run("Cancel", func(t *testing.T) {
		f := newFakeNBI(t)
		f.addDevice(dev, fakeDevice{online: false})
		r := newACSRunner(f, "fw.bin")
		st, err := r.Start(ctx, dev, "job-1#1")
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Cancel(ctx, st.ID); err != nil {
			t.Fatal(err)
		}
		if got := f.pendingTasks(dev); len(got) != 0 {
			t.Fatalf("pending after cancel=%v", got)
		}
	})

	for _, tt := range []struct {
		name  string
		setup func(*fakeNBI)
		opID  string
		want  error
	}{
		{"ErrUnknownDevice", func(*fakeNBI) {}, "", process.ErrUnknownRouter},
		{"ErrNoSuchDeviceOnPost", func(f *fakeNBI) { f.addDevice(dev, fakeDevice{online: true, ghost: true}) }, "", process.ErrUnknownRouter},
		{"ErrDown", func(f *fakeNBI) { f.addDevice(dev, fakeDevice{}); f.down = true }, "", process.ErrUnavailable},
		{"ErrBadAuth", func(f *fakeNBI) { f.addDevice(dev, fakeDevice{}); f.auth = "nbi:other" }, "", process.ErrRejected},
		{"ErrBadOperationID", func(*fakeNBI) {}, "upd_123", process.ErrUnknownOperation},
		{"ErrGarbledOperationID", func(*fakeNBI) {}, "acs1.!!!", process.ErrUnknownOperation},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeNBI(t)
			tt.setup(f)
			r := newACSRunner(f, "")
			var err error
			if tt.opID != "" {
				_, err = r.Status(ctx, tt.opID)
			} else {
				_, err = r.Start(ctx, dev, "job-1#1")
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("err=%v, want %v", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "genieacs: ") || strings.Contains(err.Error(), "pw") {
				t.Fatalf("error %q must name the service and not the password", err)
			}
		})
	}
}

package process_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cwbot/cwbot/process"
)

// clockRunner is a runner whose clock the test moves.
type clockRunner struct {
	*process.GenieACSRunner
	now time.Time
}

func newClockRunner(f *fakeNBI, firmware string) *clockRunner {
	c := &clockRunner{now: time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)}
	c.GenieACSRunner = process.NewGenieACSRunner(process.GenieACSConfig{
		URL: f.URL, FirmwareFile: firmware, OfflineWait: 5 * time.Minute, Settle: 2 * time.Minute,
		Now: func() time.Time { return c.now },
	})
	return c
}

func notDone(t *testing.T, st process.Status, err error, why string) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if st.Final() {
		t.Fatalf("status=%s/%s %q: %s", st.State, st.Step, st.Detail, why)
	}
}

// A router switched on while our reboot waits runs it in its boot session: _lastBoot moves
// and the task is gone, but the restart has only begun. Done is a boot after that session.
func TestGenieACSRebootRunInPowerOnBootSessionIsDoneOnlyAfterTheNextBoot(t *testing.T) {
	ctx := context.Background()
	f := newFakeNBI(t)
	f.addDevice(dev, fakeDevice{online: false})
	r := newClockRunner(f, "")
	st, err := r.Start(ctx, dev, "job-1#1")
	expect(t, st, err, process.StateQueued, "", "offline")
	f.powerOn(dev)
	st, err = r.Status(ctx, st.ID)
	notDone(t, st, err, "the boot session ran our reboot; the router has not restarted yet")
	expect(t, st, err, process.StateRunning, process.StepRebooting, "")
	f.boot(dev, false)
	st, err = r.Status(ctx, st.ID)
	expect(t, st, err, process.StateSucceeded, "", "")
}

// An undelivered "1 BOOT" re-sent in the session our connection request opens: the POST
// answers 200 and _lastBoot moves in the very session that ran the reboot.
func TestGenieACSRebootRunInResentBootSessionIsDoneOnlyAfterTheNextBoot(t *testing.T) {
	ctx := context.Background()
	f := newFakeNBI(t)
	f.addDevice(dev, fakeDevice{online: true, bootPending: true})
	r := newClockRunner(f, "")
	st, err := r.Start(ctx, dev, "job-1#1")
	notDone(t, st, err, "the reboot ran in a boot session; the router has not restarted yet")
	r.now = r.now.Add(time.Hour) // no settling: the session that ran it is known
	st, err = r.Status(ctx, st.ID)
	expect(t, st, err, process.StateRunning, process.StepRebooting, "")
	f.boot(dev, false)
	st, err = r.Status(ctx, st.ID)
	expect(t, st, err, process.StateSucceeded, "", "")
}

// The router booted, then a later session ran the reboot: that boot was not ours.
func TestGenieACSBootThenInformRunningTheRebootIsNotDone(t *testing.T) {
	ctx := context.Background()
	f := newFakeNBI(t)
	f.addDevice(dev, fakeDevice{online: true, busy: true})
	r := newClockRunner(f, "")
	st, err := r.Start(ctx, dev, "job-1#1")
	expect(t, st, err, process.StateQueued, "", "")
	f.boot(dev, false)
	f.inform(dev)
	st, err = r.Status(ctx, st.ID)
	notDone(t, st, err, "the reboot ran after the boot")
	f.boot(dev, false)
	st, err = r.Status(ctx, st.ID)
	expect(t, st, err, process.StateSucceeded, "", "")
}

// Seen only after the reboot ran and the router came back, the last boot may be the restart
// or the boot session that ran the reboot: a later session tells, or Settle.
func TestGenieACSRestartSeenLateIsDoneAfterALaterSessionOrSettle(t *testing.T) {
	ctx := context.Background()
	for _, later := range []string{"session", "settle"} {
		t.Run(later, func(t *testing.T) {
			f := newFakeNBI(t)
			f.addDevice(dev, fakeDevice{online: false})
			r := newClockRunner(f, "")
			st, err := r.Start(ctx, dev, "job-1#1")
			expect(t, st, err, process.StateQueued, "", "offline")
			f.inform(dev)      // back online: the reboot runs
			f.boot(dev, false) // and the router restarts, before the next poll
			st, err = r.Status(ctx, st.ID)
			notDone(t, st, err, "cannot tell yet which boot this is")
			r.now = r.now.Add(time.Minute)
			st, err = r.Status(ctx, st.ID)
			notDone(t, st, err, "a minute is not Settle")
			if later == "session" {
				f.inform(dev)
			} else {
				r.now = r.now.Add(time.Minute)
			}
			st, err = r.Status(ctx, st.ID)
			expect(t, st, err, process.StateSucceeded, "", "")
		})
	}
}

// "Device is offline": the customer is told, the runner waits OfflineWait for the router,
// then fails plainly; Cancel removes the task so it never runs later.
func TestGenieACSOfflineRouterFailsAfterOfflineWaitAndCancelRemovesTheTask(t *testing.T) {
	ctx := context.Background()
	f := newFakeNBI(t)
	f.addDevice(dev, fakeDevice{online: false})
	r := newClockRunner(f, "")
	st, err := r.Start(ctx, dev, "job-1#1")
	expect(t, st, err, process.StateQueued, "", "offline")
	if !st.Unreachable {
		t.Fatalf("status=%+v, want Unreachable", st)
	}
	r.now = r.now.Add(4 * time.Minute)
	st, err = r.Status(ctx, st.ID)
	expect(t, st, err, process.StateQueued, "", "offline")
	r.now = r.now.Add(time.Minute)
	st, err = r.Status(ctx, st.ID)
	expect(t, st, err, process.StateFailed, "", "offline")
	if st.Cause != process.CauseOffline {
		t.Fatalf("cause=%q, want offline", st.Cause)
	}
	if err := r.Cancel(ctx, st.ID); err != nil {
		t.Fatal(err)
	}
	if left := f.leftovers(dev); len(left) != 0 {
		t.Fatalf("left at the ACS: %v", left)
	}
	f.inform(dev)
	if left := f.leftovers(dev); len(left) != 0 {
		t.Fatalf("the router came back and found %v", left)
	}
}

// A download fault outlives its task, and GenieACS retries it on its own: Cancel deletes
// the fault as well (DELETE /tasks answers 404 "Task not found" and leaves it).
func TestGenieACSCancelDeletesAFaultOutlivingItsTask(t *testing.T) {
	ctx := context.Background()
	f := newFakeNBI(t)
	f.addDevice(dev, fakeDevice{online: true, version: "1.0"})
	r := newClockRunner(f, "missing.bin")
	st, err := r.Start(ctx, dev, "job-1#1")
	expect(t, st, err, process.StateRunning, process.StepDownloading, "")
	f.boot(dev, true) // TransferComplete with a fault; the task is long gone
	st, err = r.Status(ctx, st.ID)
	expect(t, st, err, process.StateFailed, process.StepDownloading, "cwmp.9016")
	if err := r.Cancel(ctx, st.ID); err != nil {
		t.Fatal(err)
	}
	if left := f.leftovers(dev); len(left) != 0 {
		t.Fatalf("left at the ACS after cancel: %v", left)
	}
}

// What an earlier job left (a fault outliving its task) is removed at the next start.
func TestGenieACSStartRemovesWhatAnEarlierJobLeft(t *testing.T) {
	ctx := context.Background()
	f := newFakeNBI(t)
	f.addDevice(dev, fakeDevice{online: true, version: "1.0"})
	r := newClockRunner(f, "missing.bin")
	st, err := r.Start(ctx, dev, "job-1#1")
	expect(t, st, err, process.StateRunning, process.StepDownloading, "")
	f.boot(dev, true)
	f.files["missing.bin"] = "2.0"
	st, err = r.Start(ctx, dev, "job-2#1")
	expect(t, st, err, process.StateRunning, process.StepDownloading, "")
	if left := f.leftovers(dev); len(left) != 0 {
		t.Fatalf("left at the ACS after the new start: %v", left)
	}
}

// One task per router: a second start while the first reboot is queued attaches to it.
func TestGenieACSSecondStartWhileARebootIsQueuedQueuesNoSecondReboot(t *testing.T) {
	ctx := context.Background()
	f := newFakeNBI(t)
	f.addDevice(dev, fakeDevice{online: false})
	r := newClockRunner(f, "")
	if _, err := r.Start(ctx, dev, "job-1#1"); err != nil {
		t.Fatal(err)
	}
	_, err := r.Start(ctx, dev, "job-2#1")
	var running *process.AlreadyRunningError
	if !errors.As(err, &running) {
		t.Fatalf("err=%v, want AlreadyRunningError", err)
	}
	if got := f.pendingTasks(dev); !slices.Equal(got, []string{"reboot"}) {
		t.Fatalf("pending=%v, want one reboot", got)
	}
}

// cwmp.9000 "Method not supported" is permanent: the failure says so.
func TestGenieACSMethodNotSupportedIsPermanent(t *testing.T) {
	ctx := context.Background()
	f := newFakeNBI(t)
	f.addDevice(dev, fakeDevice{online: true, noReboot: true})
	r := newClockRunner(f, "")
	st, err := r.Start(ctx, dev, "job-1#1")
	expect(t, st, err, process.StateFailed, process.StepRebooting, "cwmp.9000")
	if st.Cause != process.CauseUnsupported {
		t.Fatalf("cause=%q, want unsupported", st.Cause)
	}
}

// Check answers an unknown device before anything is queued.
func TestGenieACSCheckUnknownDeviceQueuesNothing(t *testing.T) {
	ctx := context.Background()
	f := newFakeNBI(t)
	r := newClockRunner(f, "")
	if err := r.Check(ctx, dev); !errors.Is(err, process.ErrUnknownRouter) {
		t.Fatalf("err=%v, want ErrUnknownRouter", err)
	}
	if strings.Contains(strings.Join(f.log(), "\n"), "POST") {
		t.Fatalf("requests=%v, want no POST", f.log())
	}
	if !r.RestartOnly() || newClockRunner(f, "fw.bin").RestartOnly() {
		t.Fatal("RestartOnly must be true without a firmware file only")
	}
}

// A firmware download run in a power-on boot session is done only after the boot that
// installs it, however long that takes: SimulaTR69 reports TransferComplete before it.
func TestGenieACSDownloadRunInABootSessionWaitsForTheInstallBoot(t *testing.T) {
	ctx := context.Background()
	f := newFakeNBI(t)
	f.files["fw.bin"] = "2.0"
	f.addDevice(dev, fakeDevice{online: false, version: "1.0"})
	r := newClockRunner(f, "fw.bin")
	st, err := r.Start(ctx, dev, "job-1#1")
	expect(t, st, err, process.StateQueued, "", "offline")
	f.powerOn(dev)
	st, err = r.Status(ctx, st.ID)
	expect(t, st, err, process.StateRunning, process.StepDownloading, "")
	r.now = r.now.Add(10 * time.Minute)
	f.completeTransfer(dev)
	st, err = r.Status(ctx, st.ID)
	expect(t, st, err, process.StateRunning, process.StepInstalling, "")
	f.boot(dev, false)
	st, err = r.Status(ctx, st.ID)
	expect(t, st, err, process.StateSucceeded, "", "firmware 1.0 -> 2.0")
}

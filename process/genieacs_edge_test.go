package process_test

import (
	"context"
	"slices"
	"testing"

	"github.com/cwbot/cwbot/process"
)

// Without GET /operations (404), the runner reports a firmware update succeeded as soon as
// the router has booted, even though the router still runs the old version and has not sent
// its TransferComplete yet (FACTS.md: it comes "usually after its reboot", and the version
// is what confirms the update). Here the transfer then faults (cwmp.9016): the bot already
// told the customer the update succeeded, and a final state never changes.
func TestGenieACSNoOperationsSuccessBeforeTransferComplete(t *testing.T) {
	ctx := context.Background()
	f := newFakeNBI(t)
	f.noOperations = true
	f.addDevice(dev, fakeDevice{online: true, version: "1.0"}) // "missing.bin" is not uploaded
	r := newACSRunner(f, "missing.bin")
	st, err := r.Start(ctx, dev, "job-1#1")
	if err != nil {
		t.Fatal(err)
	}
	// The router restarted; it comes back, still on 1.0, transfer not confirmed.
	f.boot(dev, false)
	st, err = r.Status(ctx, st.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Final() {
		f.completeTransfer(dev) // the router now reports the failed transfer
		later, _ := r.Status(ctx, st.ID)
		t.Fatalf("after the reboot, before TransferComplete: status=%s/%s %q (router still on 1.0); "+
			"the transfer then faulted: %s/%s %q", st.State, st.Step, st.Detail, later.State, later.Step, later.Detail)
	}
}

// A restart-only operation whose reboot task is still pending is reported succeeded when the
// router booted for another reason (the customer power-cycled it: the boot session kept the
// device busy, so GenieACS answered "202 Task queued but not processed"). The reboot still
// runs at the next session: the customer is told it is done, then the router drops again.
func TestGenieACSPendingRebootReportedSucceeded(t *testing.T) {
	ctx := context.Background()
	f := newFakeNBI(t)
	f.addDevice(dev, fakeDevice{online: true, busy: true, version: "1.0"})
	r := newACSRunner(f, "")
	st, err := r.Start(ctx, dev, "job-1#1")
	expect(t, st, err, process.StateQueued, "", "")
	// The session that kept the device busy was its boot session; our reboot has not run.
	f.boot(dev, false)
	if got := f.pendingTasks(dev); !slices.Equal(got, []string{"reboot"}) {
		t.Fatalf("pending=%v, want the reboot still queued", got)
	}
	st, err = r.Status(ctx, st.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Final() {
		t.Fatalf("status=%s/%s %q while our reboot task is still pending at the ACS", st.State, st.Step, st.Detail)
	}
}

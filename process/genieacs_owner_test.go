package process_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cwbot/cwbot/process"
)

func newOwnerRunner(f *fakeNBI, tag, param string) *process.GenieACSRunner {
	return process.NewGenieACSRunner(process.GenieACSConfig{URL: f.URL, OwnerTag: tag, OwnerParam: param,
		Now: func() time.Time { return time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC) }})
}

// taskPosts are the task requests the fake ACS received.
func taskPosts(f *fakeNBI) []string {
	var posts []string
	for _, l := range f.log() {
		if strings.HasPrefix(l, "POST /devices/") {
			posts = append(posts, l)
		}
	}
	return posts
}

var maria = process.Requester{ContactID: 1203, Phone: "+55 11 98765-4321", Typed: true}

// A serial the customer typed is refused, with no task queued, when the operator has not
// said how GenieACS records a device's owner.
func TestGenieACSTypedSerialRefusedWithoutOwnerCheck(t *testing.T) {
	f := newFakeNBI(t)
	f.addDevice(dev, fakeDevice{online: true, tags: []string{"owner-5511987654321"}})
	r := newOwnerRunner(f, "", "")
	_, err := r.StartFor(context.Background(), dev, "job-1#1", maria)
	if !errors.Is(err, process.ErrOwnerUnverified) {
		t.Fatalf("err=%v, want ErrOwnerUnverified", err)
	}
	if posts := taskPosts(f); len(posts) != 0 || len(f.pendingTasks(dev)) != 0 {
		t.Fatalf("tasks queued for an unverified typed serial: %v", posts)
	}
}

// The router id from the contact's attribute (an agent or a CRM set it) is not checked.
func TestGenieACSContactRouterNeedsNoOwnerCheck(t *testing.T) {
	f := newFakeNBI(t)
	f.addDevice(dev, fakeDevice{online: true})
	r := newOwnerRunner(f, "", "")
	who := maria
	who.Typed = false
	if _, err := r.StartFor(context.Background(), dev, "job-1#1", who); err != nil {
		t.Fatal(err)
	}
	if posts := taskPosts(f); len(posts) != 1 {
		t.Fatalf("task posts %v, want the reboot", posts)
	}
}

// With an owner tag or parameter configured, a typed serial is updated when the device is
// the contact's (phones compare by their digits), and refused as not theirs, with no
// task queued, when it is someone else's or carries no owner.
func TestGenieACSTypedSerialCheckedAgainstTheOwner(t *testing.T) {
	for _, tt := range []struct {
		name       string
		tag, param string
		device     fakeDevice
		want       error
	}{
		{"TagMatches", "owner-", "", fakeDevice{tags: []string{"vip", "owner-5511987654321"}}, nil},
		{"TagOfAnother", "owner-", "", fakeDevice{tags: []string{"owner-5511900000000"}}, process.ErrNotYours},
		{"NoTag", "owner-", "", fakeDevice{}, process.ErrNotYours},
		{"ParamMatches", "", "VirtualParameters.OwnerPhone", fakeDevice{ownerPhone: "+5511987654321"}, nil},
		{"ParamOfAnother", "", "VirtualParameters.OwnerPhone", fakeDevice{ownerPhone: "5511900000000"}, process.ErrNotYours},
		{"EitherMatches", "owner-", "VirtualParameters.OwnerPhone", fakeDevice{tags: []string{"owner-1"}, ownerPhone: "5511987654321"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeNBI(t)
			tt.device.online = true
			f.addDevice(dev, tt.device)
			r := newOwnerRunner(f, tt.tag, tt.param)
			_, err := r.StartFor(context.Background(), dev, "job-1#1", maria)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("err=%v, want %v", err, tt.want)
			}
			posts := taskPosts(f)
			if tt.want != nil && len(posts) != 0 {
				t.Fatalf("tasks queued for someone else's router: %v", posts)
			}
			if tt.want == nil && len(posts) != 1 {
				t.Fatalf("task posts %v, want the reboot", posts)
			}
		})
	}
}

// A contact without a phone cannot be checked: refused.
func TestGenieACSTypedSerialWithoutPhoneRefused(t *testing.T) {
	f := newFakeNBI(t)
	f.addDevice(dev, fakeDevice{online: true, tags: []string{"owner-"}})
	r := newOwnerRunner(f, "owner-", "")
	_, err := r.StartFor(context.Background(), dev, "job-1#1", process.Requester{ContactID: 9, Typed: true})
	if !errors.Is(err, process.ErrOwnerUnverified) || len(taskPosts(f)) != 0 {
		t.Fatalf("err=%v posts=%v, want ErrOwnerUnverified and no task", err, taskPosts(f))
	}
}

// Bad ids never reach the ACS; realID GenieACS ids (mixed case, percent-encoded parts) do.
func TestGenieACSBadRouterIDsNeverReachTheACS(t *testing.T) {
	f := newFakeNBI(t)
	const realID = "00259E-HG8245H%2D5-48575443"
	f.addDevice(realID, fakeDevice{online: true})
	f.addDevice(dev, fakeDevice{online: true})
	r := newOwnerRunner(f, "", "")
	for _, id := range badRouterIDs {
		if _, err := r.StartFor(context.Background(), id, "job-1#1", process.Requester{}); !errors.Is(err, process.ErrBadRouterID) {
			t.Errorf("StartFor(%.20q): err=%v, want ErrBadRouterID", id, err)
		}
	}
	if l := f.log(); len(l) != 0 {
		t.Fatalf("bad router ids reached the ACS: %q", l)
	}
	for _, id := range []string{dev, realID} {
		if _, err := r.StartFor(context.Background(), id, "job-"+id, process.Requester{}); err != nil {
			t.Fatalf("StartFor(%q): %v", id, err)
		}
		if len(f.pendingTasks(id)) != 0 || len(taskPosts(f)) == 0 {
			t.Fatalf("the reboot of %q did not run", id)
		}
	}
	if want := "POST /devices/00259E-HG8245H%252D5-48575443/tasks?connection_request&timeout=3000"; taskPosts(f)[1] != want {
		t.Fatalf("task post %q, want %q", taskPosts(f)[1], want)
	}
}

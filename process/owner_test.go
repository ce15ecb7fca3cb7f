package process_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/cwbot/cwbot/process"
	"github.com/cwbot/cwbot/process/telcosim"
)

// A start names who asks: the contact, its phone, and whether the customer typed the
// serial. The telcosim reads them as a telco would.
func TestHTTPRunnerStartTellsTheTelcoWhoAsks(t *testing.T) {
	sim, srv := MustOpenSim(t, telcosim.Options{Manual: true})
	r := process.NewHTTPRunner(srv.URL, testToken, "", nil)
	who := process.Requester{ContactID: 1203, Phone: "+5511987654321", Typed: true}
	if _, err := r.StartFor(context.Background(), "AB-5555-1234", "job-1#1", who); err != nil {
		t.Fatal(err)
	}
	starts := sim.Starts()
	if len(starts) != 1 {
		t.Fatalf("%d start requests, want 1", len(starts))
	}
	got := starts[0]
	if got.Router != "AB-5555-1234" || got.ContactID != 1203 || got.Phone != "+5511987654321" || !got.Typed || got.Reference != "job-1#1" {
		t.Fatalf("the telco read %+v", got)
	}
}

// A telco that knows the router is someone else's answers 403: ErrNotYours, and nothing
// starts. The same router asked for by its owner starts.
func TestHTTPRunnerStartOfSomeoneElsesRouterIsNotYours(t *testing.T) {
	sim, srv := MustOpenSim(t, telcosim.Options{Manual: true})
	sim.SetOwner("AB-5555-1234", "+5511900000000")
	r := process.NewHTTPRunner(srv.URL, testToken, "", nil)
	ctx := context.Background()
	_, err := r.StartFor(ctx, "AB-5555-1234", "job-1#1", process.Requester{ContactID: 1203, Phone: "+5511987654321", Typed: true})
	if !errors.Is(err, process.ErrNotYours) {
		t.Fatalf("err=%v, want ErrNotYours", err)
	}
	if ops := sim.Operations(); len(ops) != 0 {
		t.Fatalf("the telco started %d operations for someone else's router", len(ops))
	}
	if _, err := r.StartFor(ctx, "AB-5555-1234", "job-2#1", process.Requester{ContactID: 77, Phone: "+5511900000000"}); err != nil {
		t.Fatalf("the owner's start: %v", err)
	}
}

func TestCheckRouterID(t *testing.T) {
	for _, id := range []string{"ZX-9900-AB12", "202BC1-BM632w-000001", "00259E-HG8245H%2D5-48575443", "rt 1", "a.b", "...x"} {
		if err := process.CheckRouterID(id); err != nil {
			t.Errorf("CheckRouterID(%q) = %v, want it accepted", id, err)
		}
	}
	for _, id := range badRouterIDs {
		if err := process.CheckRouterID(id); !errors.Is(err, process.ErrBadRouterID) || !errors.Is(err, process.ErrRejected) {
			t.Errorf("CheckRouterID(%.20q) = %v, want ErrBadRouterID (an ErrRejected)", id, err)
		}
	}
}

// badRouterIDs must never reach a URL.
var badRouterIDs = []string{"", ".", "..", " .. ", strings.Repeat("A", 5000), "ZX\x00", "ZX\n9900", "ZX\x1b[31m",
	"ZX\u202e9900", "../admin", "a/b", `a\b`, "\xff\xfe"}

// Bad ids are refused before any request; a real GenieACS id reaches the telco as it is,
// percent-encoded in the path.
func TestHTTPRunnerBadRouterIDsNeverReachTheTelco(t *testing.T) {
	var mu sync.Mutex
	var paths []string
	sim := telcosim.New(telcosim.Options{Manual: true, Token: testToken})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.EscapedPath())
		mu.Unlock()
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { sim.Close(); srv.Close() })
	seen := func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), paths...) }
	r := process.NewHTTPRunner(srv.URL, testToken, "", nil)
	ctx := context.Background()
	for _, id := range badRouterIDs {
		if _, err := r.Start(ctx, id, "job-1#1"); !errors.Is(err, process.ErrBadRouterID) {
			t.Errorf("Start(%.20q): err=%v, want ErrBadRouterID", id, err)
		}
	}
	if got := seen(); len(got) != 0 {
		t.Fatalf("bad router ids reached the telco: %q", got)
	}
	for _, id := range []string{"202BC1-BM632w-000001", "00259E-HG8245H%2D5-48575443"} {
		if _, err := r.Start(ctx, id, "job-"+id); err != nil {
			t.Fatalf("Start(%q): %v", id, err)
		}
	}
	want := []string{"/routers/202BC1-BM632w-000001/updates", "/routers/00259E-HG8245H%252D5-48575443/updates"}
	if got := seen(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("paths %q, want %q", got, want)
	}
	if starts := sim.Starts(); len(starts) != 2 || starts[0].Router != "202BC1-BM632w-000001" || starts[1].Router != "00259E-HG8245H%2D5-48575443" {
		t.Fatalf("the telco read %+v", starts)
	}
}

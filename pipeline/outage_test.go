package pipeline

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cwbot/cwbot/bot"
	"github.com/cwbot/cwbot/intents"
	"github.com/cwbot/cwbot/process"
	"github.com/cwbot/cwbot/process/telcosim"
	"github.com/cwbot/cwbot/store"
)

// noNLU classifies nothing: the outage tests go by the dialogue acts and the buttons.
type noNLU struct{}

func (noNLU) Classify(context.Context, string) (intents.Result, error) {
	return intents.Result{Intent: intents.OutOfScope}, nil
}

const outageRouter = "ZX-9900-AB12"

// outageSetup is a database on a test clock, the simulator's Outage API on loopback, the
// outage worker over it and a bot that asks it.
type outageSetup struct {
	db      *store.DB
	sim     *telcosim.Sim
	outages *Outages
	bot     *bot.Bot
	now     time.Time
	mu      sync.Mutex
	results []string
}

func newOutageSetup(t *testing.T) *outageSetup {
	t.Helper()
	s := &outageSetup{db: openDB(t), now: time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)}
	s.db.Now = func() time.Time { return s.now }
	s.sim = telcosim.New(telcosim.Options{Token: "outage-token", Manual: true})
	t.Cleanup(s.sim.Close)
	srv := httptest.NewServer(s.sim)
	t.Cleanup(srv.Close)
	s.outages = &Outages{DB: s.db, API: process.NewOutageClient(srv.URL, "outage-token", "", time.Second), Logger: quietLogger(),
		Checked: func(r string) { s.mu.Lock(); s.results = append(s.results, r); s.mu.Unlock() }}
	s.bot = &bot.Bot{NLU: noNLU{}, Logger: quietLogger(), RouterAttribute: "router_id", Outages: s.outages}
	return s
}

// subscribe plays a customer told of the outage who asks to hear of its end, and stores
// the conversation.
func (s *outageSetup) subscribe(t *testing.T, conv int64) {
	t.Helper()
	c := &bot.Conversation{AccountID: 1, ID: conv, Status: bot.StatusPending, CanReply: true, Language: "en",
		Contact: bot.Contact{Phone: "+14155550100", Attributes: map[string]any{"router_id": outageRouter}}}
	for _, text := range []string{"my internet is slow", "Tell me when fixed"} {
		s.bot.Handle(context.Background(), c, bot.Event{Kind: bot.CustomerMessage, Text: text, Now: s.now})
	}
	if c.Outage == nil || !c.Outage.Subscribed {
		t.Fatalf("conversation %d: not subscribed (state %s, outage %+v)", conv, c.State, c.Outage)
	}
	putState(t, s.db, c)
}

// The poller: nothing while the outage lasts; once it is over, one outage_ended event in
// the lane, however often it looks; the bot then tells the customer, once.
func TestOutageWatch_PollTellsTheCustomerOnce(t *testing.T) {
	s := newOutageSetup(t)
	ctx := context.Background()
	s.sim.SetOutage(outageRouter, telcosim.Outage{ID: "out_1", ETA: s.now.Add(3 * time.Hour)})
	s.subscribe(t, 41)
	if err := s.outages.Check(ctx); err != nil {
		t.Fatal(err)
	}
	if n := unhandledNamed(t, s.db, 41, "outage_ended"); n != 0 {
		t.Fatalf("%d outage_ended events while the outage lasts", n)
	}
	s.sim.EndOutage(outageRouter)
	s.now = s.now.Add(2 * time.Hour)
	for range 2 {
		if err := s.outages.Check(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := unhandledNamed(t, s.db, 41, "outage_ended"); n != 1 {
		t.Fatalf("%d outage_ended events, want 1", n)
	}
	p := &Processor{DB: s.db, Bot: s.bot, Logger: quietLogger()}
	drainLane(t, p, 41)
	var told []string
	for _, a := range outboxActions(t, s.db, 41) {
		if a.Kind == bot.SendMessage && strings.Contains(a.Text, "outage in your area is over") {
			told = append(told, a.Text)
		}
	}
	if len(told) != 1 {
		t.Fatalf("told %d times: %v", len(told), outboxActions(t, s.db, 41))
	}
	if st := stateOf(t, s.db, 1, 41); st.Outage != nil {
		t.Errorf("still watching: %+v", st.Outage)
	}
	if err := s.outages.Check(ctx); err != nil {
		t.Fatal(err)
	}
	if n := unhandledNamed(t, s.db, 41, "outage_ended"); n != 0 {
		t.Errorf("%d new events after the customer was told", n)
	}
}

// The telco's callback: the customers of that outage, and no other, once each however
// often it comes; the poller finding the same end adds nothing.
func TestOutageWatch_Callback(t *testing.T) {
	s := newOutageSetup(t)
	ctx := context.Background()
	s.sim.SetOutage(outageRouter, telcosim.Outage{ID: "out_1"})
	s.subscribe(t, 51)
	s.subscribe(t, 52)
	s.sim.EndOutage(outageRouter)
	s.sim.SetOutage(outageRouter, telcosim.Outage{ID: "out_2"})
	s.subscribe(t, 53)
	for range 2 {
		n, err := s.outages.EndedByCallback(ctx, "out_1")
		if err != nil || n != 2 {
			t.Fatalf("got %d, %v; want 2 customers", n, err)
		}
	}
	if n, err := s.outages.EndedByCallback(ctx, "out_unknown"); err != nil || n != 0 {
		t.Fatalf("an unknown outage: %d, %v", n, err)
	}
	s.sim.EndOutage(outageRouter)
	if err := s.outages.Check(ctx); err != nil { // finds all three over
		t.Fatal(err)
	}
	for conv, want := range map[int64]int{51: 1, 52: 1, 53: 1} {
		if n := unhandledNamed(t, s.db, conv, "outage_ended"); n != want {
			t.Errorf("conversation %d: %d events, want %d", conv, n, want)
		}
	}
}

// An Outage API that is down or slow: the poller asks again later, and the bot's
// question fails within the timeout, counted as an error.
func TestOutageWatch_APIDownOrSlow(t *testing.T) {
	s := newOutageSetup(t)
	ctx := context.Background()
	s.sim.SetOutage(outageRouter, telcosim.Outage{ID: "out_1"})
	s.subscribe(t, 61)
	s.sim.EndOutage(outageRouter)
	s.sim.SetDown(true)
	if err := s.outages.Check(ctx); err != nil {
		t.Fatal(err)
	}
	if n := unhandledNamed(t, s.db, 61, "outage_ended"); n != 0 {
		t.Fatalf("%d events with the API down", n)
	}
	s.sim.SetDown(false)
	s.sim.SetSlow(time.Hour) // answers only once the client gives up
	s.outages.Timeout = 20 * time.Millisecond
	if _, err := s.outages.Outage(ctx, outageRouter, ""); err == nil {
		t.Fatal("a slow API answered")
	}
	s.sim.SetSlow(0)
	if err := s.outages.Check(ctx); err != nil {
		t.Fatal(err)
	}
	if n := unhandledNamed(t, s.db, 61, "outage_ended"); n != 1 {
		t.Fatalf("%d events once the API is back, want 1", n)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// active twice: at the complaint, and at the yes to the notice (an outage over by then
	// is told at once, never promised: outage_notify_over)
	if got := strings.Join(s.results, ","); got != "active,active,error,error,none" {
		t.Errorf("results counted: %s", got)
	}
}

// A customer who has waited longer than MaxWatch is no longer asked about.
func TestOutageWatch_GivesUpAfterMaxWatch(t *testing.T) {
	s := newOutageSetup(t)
	s.sim.SetOutage(outageRouter, telcosim.Outage{ID: "out_1"})
	s.subscribe(t, 71)
	s.sim.EndOutage(outageRouter)
	s.outages.MaxWatch = time.Hour
	s.now = s.now.Add(2 * time.Hour)
	if err := s.outages.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := unhandledNamed(t, s.db, 71, "outage_ended"); n != 0 {
		t.Fatalf("%d events for a watch past MaxWatch", n)
	}
}

package main

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
	"github.com/cwbot/cwbot/internal/hang"
	"github.com/cwbot/cwbot/store"
)

const testSecret = "s3cret-webhook"

// hangGuard is how long a test waits for something that must happen before it calls it
// a hang: a minute, or longer under a long go test -timeout (hang.Guard); TestMain sets it.
var hangGuard = time.Minute

func TestMain(m *testing.M) {
	flag.Parse()
	hangGuard = hang.Guard(hangGuard)
	os.Exit(m.Run())
}

// harness runs the real service against the fake Chatwoot, on loopback, with a database
// in a temporary folder.
type harness struct {
	t   *testing.T
	cw  *chatwoottest.Server
	app *App
	cfg Config
	ctx context.Context
	// now, when set, is the service's clock (installed before it starts).
	now func() time.Time
}

// withClock gives the service a clock of the test's.
func withClock(now func() time.Time) func(*harness) { return func(h *harness) { h.now = now } }

func testConfig(t *testing.T, chatwootURL string) Config {
	t.Helper()
	cfg, err := LoadConfig()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Addr = "127.0.0.1:0"
	cfg.DB = filepath.Join(t.TempDir(), "bot.db")
	cfg.ChatwootURL = chatwootURL
	cfg.BotToken = "bot-token"
	cfg.UserToken = ""
	cfg.WebhookSecret = testSecret
	cfg.WebhookToken = ""
	cfg.TelcoKind = "http"
	cfg.TelcoURL = ""
	// Each message handled as it comes: these tests play one message at a time on the
	// real clock. The window has its own tests (pipeline/turn_test.go, shell_test.go).
	cfg.TurnWindow = 0
	return cfg
}

func newHarness(t *testing.T, opts *chatwoottest.Options, mod func(*Config), hopts ...func(*harness)) *harness {
	t.Helper()
	if opts == nil {
		opts = &chatwoottest.Options{}
	}
	if opts.WebhookSecret == "" && opts.WebhookToken == "" {
		opts.WebhookSecret = testSecret
	}
	cw := chatwoottest.NewServer(t, opts)
	cfg := testConfig(t, cw.URL)
	if mod != nil {
		mod(&cfg)
	}
	h := &harness{t: t, cw: cw, cfg: cfg, ctx: context.Background()}
	for _, o := range hopts {
		o(h)
	}
	h.start()
	return h
}

func testLogger(t *testing.T) *slog.Logger {
	if t != nil && testing.Verbose() {
		return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// start runs the service on the harness's configuration (again, after stop).
func (h *harness) start() {
	h.t.Helper()
	app, err := NewApp(h.ctx, h.cfg, testLogger(h.t))
	if err != nil {
		h.t.Fatal(err)
	}
	app.Outbox.BaseDelay = 20 * time.Millisecond
	app.Outbox.MaxDelay = 200 * time.Millisecond
	if h.now != nil {
		app.DB.Now = h.now
	}
	if err := app.Start(h.ctx); err != nil {
		h.t.Fatal(err)
	}
	h.app = app
	h.cw.SetWebhookURL(app.URL() + "/webhooks/chatwoot")
	h.t.Cleanup(func() { app.Close() })
}

func (h *harness) stop() {
	h.t.Helper()
	if err := h.app.Close(); err != nil {
		h.t.Fatal(err)
	}
}

// settle waits until the fake has delivered every webhook, every stored event is handled
// and no outbox row is pending, twice in a row (a reply may cause an echo webhook).
func (h *harness) settle() {
	h.t.Helper()
	deadline := time.Now().Add(hangGuard)
	quiet := 0
	for quiet < 2 {
		if time.Now().After(deadline) {
			_, unprocessed, _ := h.app.DB.EventCounts(h.ctx)
			st, _ := h.app.DB.OutboxStats(h.ctx)
			h.t.Fatalf("not settled: %d events unhandled, %d outbox rows pending", unprocessed, st.Pending)
		}
		ctx, cancel := context.WithTimeout(h.ctx, hangGuard)
		if err := h.cw.Drain(ctx); err != nil {
			cancel()
			h.t.Fatal(err)
		}
		cancel()
		_, unprocessed, err := h.app.DB.EventCounts(h.ctx)
		if err != nil {
			h.t.Fatal(err)
		}
		st, err := h.app.DB.OutboxStats(h.ctx)
		if err != nil {
			h.t.Fatal(err)
		}
		if unprocessed == 0 && st.Pending == 0 {
			quiet++
		} else {
			quiet = 0
		}
		time.Sleep(15 * time.Millisecond)
	}
}

// says sends a customer message and fails the test if the bot did not take it.
func (h *harness) says(conv int64, text string) chatwoottest.Delivery {
	h.t.Helper()
	d, err := h.cw.CustomerSays(h.ctx, conv, text)
	if err != nil {
		h.t.Fatal(err)
	}
	if d.Status != 200 {
		h.t.Fatalf("webhook for %q answered %d", text, d.Status)
	}
	return d
}

// public returns what the bot posted to the customer (not private notes).
func (h *harness) public(conv int64) []chatwoottest.Message {
	var out []chatwoottest.Message
	for _, m := range h.cw.Messages(conv) {
		if m.SenderType == "agent_bot" && !m.Private {
			out = append(out, m)
		}
	}
	return out
}

func (h *harness) notes(conv int64) []chatwoottest.Message {
	var out []chatwoottest.Message
	for _, m := range h.cw.Messages(conv) {
		if m.Private {
			out = append(out, m)
		}
	}
	return out
}

func (h *harness) outbox(status string) []*store.OutboxRow {
	rows, err := h.app.DB.ListOutbox(h.ctx, status, 10000)
	if err != nil {
		h.t.Fatal(err)
	}
	return rows
}

func contents(ms []chatwoottest.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Content
	}
	return out
}

// A photo or voice note without a caption gets the honest answer, through the real
// webhook and pipeline: the bot reads text only and asks for the words; never silence or
// "didn't understand". A caption is read, the same sentence before its answer.
func TestAttachmentGetsReadsTextOnlyAnswer(t *testing.T) {
	h := newHarness(t, nil, nil)
	conv := h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Maria Silva"})
	if _, err := h.cw.CustomerSendsFile(h.ctx, conv, "audio", ""); err != nil {
		t.Fatal(err)
	}
	h.settle()
	got := h.public(conv)
	if len(got) != 1 || !strings.Contains(got[0].Content, "can't listen to voice notes") || strings.Contains(got[0].Content, "didn't understand") {
		t.Fatalf("posted %q, want that the bot cannot listen to voice notes", contents(got))
	}
	if _, err := h.cw.CustomerSendsFile(h.ctx, conv, "image", "my internet is down"); err != nil {
		t.Fatal(err)
	}
	h.settle()
	got = h.public(conv)
	if len(got) != 2 || !strings.HasPrefix(got[1].Content, "I can't see photos here") || len(got[1].Items) == 0 {
		t.Fatalf("posted %q, want the photo noted before the answer to its caption", contents(got))
	}
}

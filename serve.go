package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/pprof"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/cwbot/cwbot/bot"
	"github.com/cwbot/cwbot/chatwoot"
	"github.com/cwbot/cwbot/intents"
	"github.com/cwbot/cwbot/metrics"
	"github.com/cwbot/cwbot/pipeline"
	"github.com/cwbot/cwbot/process"
	"github.com/cwbot/cwbot/process/telcosim"
	"github.com/cwbot/cwbot/server"
	"github.com/cwbot/cwbot/store"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: cwbot serve

Runs the AgentBot webhook service on BOT_ADDR:
  POST /webhooks/chatwoot  Chatwoot's webhooks (signed)
  POST /webhooks/telco     the telco's progress callbacks (signed, TELCO_CALLBACK_SECRET)
  GET  /healthz            the process is up
  GET  /readyz             ready for traffic
  GET  /metrics            Prometheus metrics
Configuration comes from the environment (BOT_ADDR, BOT_DB, CHATWOOT_URL,
CHATWOOT_BOT_TOKEN, CHATWOOT_WEBHOOK_SECRET or BOT_WEBHOOK_TOKEN, ...): see the README.`)
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("serve: unexpected arguments %q: configuration comes from the environment", fs.Args())}
	}
	cfg, err := LoadConfig()
	if err != nil {
		return err
	}
	if err := cfg.ValidateServe(); err != nil {
		return err
	}
	logger, err := cfg.NewLogger(stderr)
	if err != nil {
		return err
	}
	app, err := NewApp(ctx, cfg, logger)
	if err != nil {
		return err
	}
	if err := app.Start(ctx); err != nil {
		app.Close()
		return err
	}
	for _, w := range cfg.Warnings() {
		logger.Warn(w)
	}
	logger.Info("cwbot serving", slog.String("version", version), slog.String("addr", app.Addr()), slog.Any("config", cfg))
	if addr := os.Getenv("BOT_PPROF_ADDR"); addr != "" {
		servePprof(addr, logger)
	}
	<-ctx.Done()
	logger.Info("shutting down")
	return app.Close()
}

// App is the running service: every part wired together. Tests run the real thing
// through it with a temporary database and a loopback port.
type App struct {
	Config    Config
	Logger    *slog.Logger
	DB        *store.DB
	Bot       *bot.Bot
	Client    *chatwoot.Client
	Processor *pipeline.Processor
	Outbox    *pipeline.Outbox
	Jobs      *pipeline.Jobs
	Presence  *pipeline.Presence
	Waiting   *pipeline.Waiting
	Pruner    *pipeline.Pruner
	Runner    process.Runner
	Server    *server.Server
	// Sim is the in-process telco simulator when TELCO_KIND=sim.
	Sim *telcosim.Sim

	simServer *httptest.Server
	http      *http.Server
	ln        net.Listener
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	closing   sync.Once
}

// NewApp opens the database, trains the classifier and builds every part.
func NewApp(ctx context.Context, cfg Config, logger *slog.Logger) (*App, error) {
	nlu, err := buildNLU(cfg)
	if err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return nil, err
	}
	a := &App{Config: cfg, Logger: logger, DB: db}
	a.Bot = &bot.Bot{NLU: nlu, Logger: logger, RouterAttribute: cfg.RouterIDAttribute, MaxAttempts: cfg.RouterMaxAttempts,
		MaxUpdatesPerHour: cfg.RouterMaxPerHour, MaxRepliesPerMinute: cfg.MaxRepliesPerMin}
	if cfg.RouterIDPattern != "" {
		if a.Bot.RouterPattern, err = regexp.Compile(cfg.RouterIDPattern); err != nil {
			db.Close()
			return nil, fmt.Errorf("ROUTER_ID_PATTERN: %w", err)
		}
	}
	if cfg.WhatsAppTemplateName != "" {
		a.Bot.Template = &bot.TemplateConfig{Name: cfg.WhatsAppTemplateName, Language: cfg.WhatsAppTemplateLanguage}
	}
	if err := a.buildHandoff(); err != nil {
		db.Close()
		return nil, err
	}
	if err := a.buildRunner(); err != nil {
		db.Close()
		return nil, err
	}
	a.Jobs = &pipeline.Jobs{DB: db, Runner: a.Runner, Logger: logger, PollInterval: cfg.TelcoPollInterval}
	m := metrics.New(db)
	m.Logger = logger
	a.Client = chatwoot.NewClient(cfg.ChatwootURL, cfg.BotToken, cfg.UserToken, chatwoot.WithTimeout(cfg.ChatwootTimeout),
		chatwoot.WithObserver(m.ChatwootCall))
	a.Outbox = &pipeline.Outbox{DB: db, Client: a.Client, Logger: logger, MaxAttempts: cfg.OutboxMaxAttempts, MaxDelay: cfg.OutboxMaxDelay}
	a.Processor = &pipeline.Processor{DB: db, Bot: a.Bot, Logger: logger, DefaultAccountID: int64(cfg.AccountID),
		OutboxAdded: a.Outbox.Added, JobsAdded: a.Jobs.Wake, JobTimeout: cfg.TelcoJobTimeout}
	a.Presence.Client = a.Client
	a.Waiting = &pipeline.Waiting{DB: db, Presence: a.Presence, Logger: logger, Interval: cfg.WaitingInterval}
	a.Pruner = &pipeline.Pruner{DB: db, Logger: logger, Retention: cfg.Retention}
	a.Server = server.New(server.Config{
		WebhookSecret: cfg.WebhookSecret,
		WebhookToken:  cfg.WebhookToken,
		AccountID:     int64(cfg.AccountID),
		InboxIDs:      cfg.InboxIDs,
	}, db, logger)
	a.Server.TelcoCallbacks(cfg.TelcoCallbackSecret, a.Jobs.Observe)
	// Metrics: every part reports through its hook; GET /metrics serves them.
	a.Server.Observe = m.WebhookObserved
	a.Outbox.Delivered = m.OutboxDelivered
	a.Jobs.Observed = m.JobObserved
	a.Processor.Handled = m.EventHandled
	a.Bot.OnIntent = m.Intent
	a.Bot.OnHandoff = m.Handoff
	db.OnCommit(m.CommitObserved)
	a.Server.Echo().GET("/metrics", echo.WrapHandler(m.Handler()))
	return a, nil
}

// buildHandoff reads the handoff settings: routing, schedule, intake.
func (a *App) buildHandoff() error {
	cfg := a.Config
	teams, err := cfg.Teams()
	if err != nil {
		return err
	}
	sched, err := cfg.Schedule()
	if err != nil {
		return err
	}
	intake, err := cfg.Intake()
	if err != nil {
		return err
	}
	a.Presence = &pipeline.Presence{UserToken: cfg.UserToken != "", Schedule: sched}
	a.Bot.Presence = a.Presence
	a.Bot.Handoff = bot.HandoffConfig{TeamID: int64(cfg.HandoffTeamID), Teams: teams, WhenClosed: cfg.HandoffWhenClosed,
		Intake: intake, Labels: cfg.UserToken != ""}
	return nil
}

// buildRunner picks the router update runner named by TELCO_KIND.
func (a *App) buildRunner() error {
	cfg := a.Config
	callback := ""
	if cfg.PublicURL != "" {
		callback = strings.TrimRight(cfg.PublicURL, "/") + "/webhooks/telco"
	}
	switch cfg.TelcoKind {
	case "", "http":
		if cfg.TelcoURL == "" {
			a.Runner = unconfiguredRunner{}
			return nil
		}
		a.Runner = process.NewHTTPRunner(cfg.TelcoURL, cfg.TelcoToken, callback, nil)
	case "genieacs":
		a.Runner = process.NewGenieACSRunner(process.GenieACSConfig{URL: cfg.GenieACSURL, Username: cfg.GenieACSUsername,
			Password: cfg.GenieACSPassword, FirmwareFile: cfg.GenieACSFirmwareFile})
	case "sim":
		// The simulator calls back the bot's own callback endpoint; its address is known
		// once the listener is up, so callbacks go to BOT_PUBLIC_URL when set and polling
		// covers the rest.
		a.Sim = telcosim.New(telcosim.Options{Token: cfg.TelcoToken, CallbackSecret: cfg.TelcoCallbackSecret, StepDelay: cfg.TelcoSimStepDelay})
		a.simServer = httptest.NewServer(a.Sim)
		a.Runner = process.NewHTTPRunner(a.simServer.URL, cfg.TelcoToken, callback, nil)
	default:
		return fmt.Errorf("TELCO_KIND %q: want http, genieacs or sim", cfg.TelcoKind)
	}
	return nil
}

// unconfiguredRunner refuses every update, so the customer hears so at once instead of
// waiting for a timeout.
type unconfiguredRunner struct{}

func (unconfiguredRunner) Start(context.Context, string, string) (process.Status, error) {
	return process.Status{}, fmt.Errorf("telco: TELCO_URL is not set: %w", process.ErrRejected)
}

func (unconfiguredRunner) Status(context.Context, string) (process.Status, error) {
	return process.Status{}, fmt.Errorf("telco: TELCO_URL is not set: %w", process.ErrRejected)
}

func buildNLU(cfg Config) (bot.NLU, error) {
	ds := intents.Default()
	train := intents.DefaultClassifier
	if cfg.IntentsFile != "" {
		var err error
		if ds, err = intents.LoadFile(cfg.IntentsFile); err != nil {
			return nil, fmt.Errorf("BOT_INTENTS_FILE: %w", err)
		}
		train = func() (*intents.Classifier, error) { return intents.Train(ds, intents.Options{}) }
	}
	clf, err := train()
	if err != nil {
		return nil, fmt.Errorf("intents: %w", err)
	}
	// An external NLU answers first; on error or timeout the built-in classifier does.
	switch cfg.NLU {
	case "rasa":
		return intents.WithFallback(intents.NewRasa(cfg.RasaURL, cfg.NLUTimeout), clf), nil
	case "openai":
		o := intents.NewOpenAI(cfg.OpenAIURL, cfg.OpenAIKey, cfg.OpenAIModel, cfg.OpenAIMode, clf.Intents(), cfg.NLUTimeout)
		o.Examples = ds.Examples() // BOT_INTENTS_FILE's examples, not the embedded file's
		return intents.WithFallback(o, clf), nil
	}
	return clf, nil
}

// Start listens on the configured address and starts the workers. Unhandled events and
// undelivered outbox rows of an earlier run are resumed.
func (a *App) Start(ctx context.Context) error {
	ln, err := net.Listen("tcp", a.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", a.Config.Addr, err)
	}
	a.ln = ln
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	a.cancel = cancel
	if err := a.Processor.Start(wctx); err != nil {
		return err
	}
	a.wg.Add(3)
	go func() {
		defer a.wg.Done()
		a.Outbox.Run(wctx)
	}()
	go func() {
		defer a.wg.Done()
		a.Jobs.Run(wctx)
	}()
	a.wg.Add(2)
	go func() {
		defer a.wg.Done()
		a.Waiting.Run(wctx)
	}()
	go func() {
		defer a.wg.Done()
		a.Pruner.Run(wctx)
	}()
	a.http = server.HTTPServer(a.Config.Addr, a.Server)
	go func() {
		defer a.wg.Done()
		if err := a.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.Logger.Error("http server stopped", slog.Any("error", err))
		}
	}()
	return nil
}

// Addr is the address the service listens on.
func (a *App) Addr() string {
	if a.ln == nil {
		return a.Config.Addr
	}
	return a.ln.Addr().String()
}

// URL is the service's base URL on loopback.
func (a *App) URL() string { return "http://" + a.Addr() }

// Close stops taking webhooks, lets the calls under way finish, and closes the database.
func (a *App) Close() error {
	var err error
	a.closing.Do(func() {
		if a.http != nil {
			sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			_ = a.http.Shutdown(sctx)
			cancel()
		}
		if a.cancel != nil {
			a.cancel()
		}
		a.wg.Wait()
		a.Processor.Wait()
		if a.Sim != nil {
			a.Sim.Close()
			a.simServer.Close()
		}
		err = a.DB.Close()
	})
	return err
}

func runIntents(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const u = `Usage:
  cwbot intents eval [--train FILE] --test FILE   accuracy of the classifier on labelled JSON lines
  cwbot intents check "text"                       ranked intents and language of one text`
	if len(args) == 0 {
		fmt.Fprintln(stderr, u)
		return usageError{"intents: missing eval or check"}
	}
	switch args[0] {
	case "eval":
		return intents.EvalCommand(args[1:], stdout, stderr)
	case "check":
		return intents.CheckCommand(args[1:], stdout)
	case "-h", "-help", "--help":
		fmt.Fprintln(stdout, u)
		return nil
	}
	fmt.Fprintln(stderr, u)
	return usageError{fmt.Sprintf("intents: unknown command %q", args[0])}
}

// servePprof serves net/http/pprof on addr, which must be a loopback address: opt-in
// profiling (BOT_PPROF_ADDR=127.0.0.1:6060) for load tests, never exposed.
func servePprof(addr string, logger *slog.Logger) {
	host, _, err := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); err != nil || (host != "localhost" && (ip == nil || !ip.IsLoopback())) {
		logger.Error("BOT_PPROF_ADDR ignored: not a loopback address", slog.String("addr", addr))
		return
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	go func() {
		if err := http.ListenAndServe(addr, mux); err != nil {
			logger.Error("pprof server stopped", slog.Any("error", err))
		}
	}()
}

package main

import (
	"context"
	"crypto/sha256"
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
	"os/signal"
	"regexp"
	"strings"
	"sync"
	"syscall"
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
CHATWOOT_BOT_TOKEN, CHATWOOT_WEBHOOK_SECRET or BOT_WEBHOOK_TOKEN, ...): see the README.
SIGHUP, or a change of the file, reloads the content catalog (BOT_CONTENT_FILE): a bad
file is refused and logged.`)
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
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go reloadOn(ctx, hup, app.ReloadContent)
	if cfg.ContentFile != "" {
		tick := time.NewTicker(contentWatchInterval)
		defer tick.Stop()
		go watchContent(ctx, cfg.ContentFile, tick.C, app.ReloadContent)
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
	Metrics   *metrics.Metrics
	// Outages is outage awareness; nil when off (no OUTAGE_URL and no simulator).
	Outages *pipeline.Outages
	Server  *server.Server
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
	// Languages of the operator's own first: detection and the intents file know them.
	var lex *intents.Lexicon
	if cfg.LanguagesDir != "" {
		if err := intents.AddLanguages(cfg.LanguagesDir); err != nil {
			return nil, fmt.Errorf("BOT_LANGUAGES_DIR: %w", err)
		}
		var err error
		if lex, err = intents.WithLanguagesDir(cfg.LanguagesDir); err != nil {
			return nil, fmt.Errorf("BOT_LANGUAGES_DIR: %w", err)
		}
	}
	// The catalog first: its topics' examples train the classifier too. (A topic added
	// to the file later needs a restart to be recognised; its answer reloads.)
	cat, err := cfg.Content()
	if err != nil {
		return nil, err
	}
	nlu, err := buildNLU(cfg, cat.Topics())
	if err != nil {
		return nil, err
	}
	intents.PrepareReader() // the learned reader of acts, trained now rather than on the first message
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return nil, err
	}
	a := &App{Config: cfg, Logger: logger, DB: db}
	a.Bot = &bot.Bot{NLU: nlu, Logger: logger, RouterAttribute: cfg.RouterIDAttribute, MaxAttempts: cfg.RouterMaxAttempts,
		MaxUpdatesPerHour: cfg.RouterMaxPerHour, MaxRepliesPerMinute: cfg.MaxRepliesPerMin, Lexicon: lex,
		RouterShape: cfg.RouterIDShape}
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
	a.Bot.Content = bot.NewContent(cat)
	if err := a.buildRunner(); err != nil {
		db.Close()
		return nil, err
	}
	a.Jobs = &pipeline.Jobs{DB: db, Runner: a.Runner, Logger: logger, PollInterval: cfg.TelcoPollInterval}
	m := metrics.New(db)
	a.Metrics = m
	m.Logger = logger
	// One limiter paces every call toward Chatwoot, whoever makes it: Chatwoot throttles
	// by client address.
	limiter := pipeline.NewLimiter(cfg.ChatwootRateLimit, nil)
	a.Client = chatwoot.NewClient(cfg.ChatwootURL, cfg.BotToken, cfg.UserToken, chatwoot.WithTimeout(cfg.ChatwootTimeout),
		chatwoot.WithObserver(m.ChatwootCall), chatwoot.WithSecrets(cfg.secrets()...), chatwoot.WithPacer(limiter.Wait))
	a.Outbox = &pipeline.Outbox{DB: db, Client: a.Client, Logger: logger, RetryFor: cfg.OutboxRetryFor, MaxDelay: cfg.OutboxMaxDelay,
		Parallel: cfg.OutboxParallel}
	a.Processor = &pipeline.Processor{DB: db, Bot: a.Bot, Logger: logger, DefaultAccountID: int64(cfg.AccountID),
		OutboxAdded: a.Outbox.Added, JobsAdded: a.Jobs.Wake, JobTimeout: cfg.TelcoJobTimeout, TurnWindow: cfg.TurnWindow}
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
	a.buildOutages(m)
	// Metrics: every part reports through its hook; GET /metrics serves them.
	a.Server.Observe = m.WebhookObserved
	a.Outbox.Delivered = m.OutboxDelivered
	a.Outbox.Paused = m.OutboxPaused
	a.Jobs.Observed = m.JobObserved
	a.Processor.Handled = m.EventHandled
	a.Processor.PayloadProblem = m.PayloadProblem
	a.Bot.OnIntent = m.Intent
	a.Bot.OnRule = m.Rule
	// GenieACS without a firmware file only restarts: the confirmation says so.
	a.Bot.RestartOnly = cfg.TelcoKind == "genieacs" && cfg.GenieACSFirmwareFile == ""

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
			Password: cfg.GenieACSPassword, FirmwareFile: cfg.GenieACSFirmwareFile, OfflineWait: cfg.GenieACSOfflineWait,
			OwnerTag: cfg.GenieACSOwnerTag, OwnerParam: cfg.GenieACSOwnerParam})
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

// buildOutages turns on outage awareness when OUTAGE_URL is set, or the simulator runs
// (it serves the Outage API too): the bot asks it, the worker polls it, and the telco's
// callback that ends an outage comes to /webhooks/telco.
func (a *App) buildOutages(m *metrics.Metrics) {
	cfg := a.Config
	url, token := cfg.OutageURL, cfg.OutageToken
	if url == "" && a.simServer != nil {
		url, token = a.simServer.URL, cfg.TelcoToken
	}
	if url == "" {
		return
	}
	callback := ""
	if cfg.PublicURL != "" {
		callback = strings.TrimRight(cfg.PublicURL, "/") + "/webhooks/telco"
	}
	a.Outages = &pipeline.Outages{DB: a.DB, API: process.NewOutageClient(url, token, callback, cfg.OutageTimeout), Logger: a.Logger,
		Interval: cfg.OutagePollInterval, Timeout: cfg.OutageTimeout, Checked: m.OutageChecked, Ended: m.OutageEnded}
	a.Bot.Outages = a.Outages
	a.Bot.Zone = cfg.Zone()
	a.Server.OutageEnded = a.Outages.EndedByCallback
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

// buildNLU trains the classifier on the intents file, and the examples of the
// operator's own topics.
func buildNLU(cfg Config, topics bot.Topics) (bot.NLU, error) {
	ds := intents.Default()
	train := intents.DefaultClassifier
	if cfg.IntentsFile != "" {
		var err error
		if ds, err = intents.LoadFile(cfg.IntentsFile); err != nil {
			return nil, fmt.Errorf("BOT_INTENTS_FILE: %w", err)
		}
		train = func() (*intents.Classifier, error) { return intents.Train(ds, intents.Options{}) }
	}
	if withTopics := ds.With(topics.AddExamples); len(withTopics.Intents) != len(ds.Intents) {
		ds = withTopics
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
	return a.StartOn(ctx, nil)
}

// StartOn is Start on a listener of the caller's (nil: listen on the configured address):
// the shell reserves its port and keeps it, so that nothing else takes it in between.
func (a *App) StartOn(ctx context.Context, ln net.Listener) error {
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", a.Config.Addr); err != nil {
			return fmt.Errorf("listen on %s: %w", a.Config.Addr, err)
		}
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
	if a.Outages != nil {
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			a.Outages.Run(wctx)
		}()
	}
	a.http = server.HTTPServer(a.Config.Addr, a.Server)
	go func() {
		defer a.wg.Done()
		if err := a.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.Logger.Error("http server stopped", slog.Any("error", err))
		}
	}()
	return nil
}

// ReloadContent reads the content catalog again (BOT_CONTENT_FILE) and swaps it in when it
// is good: each message from then on is answered from it, in every conversation, whatever
// it was doing. A bad file changes nothing: the error is logged and returned, and the
// catalog in use stays.
func (a *App) ReloadContent() error {
	cat, err := a.Config.Content()
	if err != nil {
		a.Logger.Error("content not reloaded: the catalog in use stays", slog.Any("error", err))
		return err
	}
	a.Bot.Content.Store(cat)
	file := a.Config.ContentFile
	if file == "" {
		file = "(none: the embedded default)"
	}
	a.Logger.Info("content reloaded", slog.String("file", file))
	return nil
}

// reloadOn calls reload at each signal (SIGHUP) until ctx is done.
func reloadOn(ctx context.Context, sig <-chan os.Signal, reload func() error) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-sig:
			_ = reload() // logged by reload
		}
	}
}

// contentWatchInterval is how often serve looks whether BOT_CONTENT_FILE changed.
const contentWatchInterval = 5 * time.Second

// watchContent calls reload when the file at path changes, looked at on each tick, until
// ctx is done: a ConfigMap or an edited file is loaded without a SIGHUP. A file caught
// half written is refused, and loaded once whole. Its modification time and size tell
// that it may have changed, and only then is it read: its contents tell that it did (some
// file systems report a new modification time a while after a write, which alone reloads
// nothing).
func watchContent(ctx context.Context, path string, ticks <-chan time.Time, reload func() error) {
	stamp, sum := statFile(path), fileSum(path)
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticks:
			now := statFile(path)
			if now == stamp {
				continue
			}
			stamp = now
			if s := fileSum(path); s != sum {
				sum = s
				_ = reload() // logged by reload
			}
		}
	}
}

// fileStamp is the file's modification time and size.
type fileStamp struct {
	mod  int64 // UnixNano
	size int64
	ok   bool
}

func statFile(path string) fileStamp {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStamp{}
	}
	return fileStamp{mod: fi.ModTime().UnixNano(), size: fi.Size(), ok: true}
}

// fileSum is the digest of the file's contents; zero when it cannot be read.
func fileSum(path string) [sha256.Size]byte {
	data, err := os.ReadFile(path)
	if err != nil {
		return [sha256.Size]byte{}
	}
	return sha256.Sum256(data)
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
  cwbot intents turns (--test FILE | --cv K) [--threshold P] [--lists-only] [--misses]
                                                   the dialogue acts read on labelled turns in context
  cwbot intents check [--state STATE] "text"       ranked intents, acts and language of one text`
	if len(args) == 0 {
		fmt.Fprintln(stderr, u)
		return usageError{"intents: missing eval, turns or check"}
	}
	switch args[0] {
	case "eval":
		return intents.EvalCommand(args[1:], stdout, stderr)
	case "turns":
		return intents.TurnsCommand(args[1:], stdout, stderr)
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

package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/kelseyhightower/envconfig"

	"github.com/cwbot/cwbot/bot"
)

// Config is the whole configuration, read from the environment. Every variable is listed
// in the README's table.
type Config struct {
	Addr string `envconfig:"BOT_ADDR" default:":8080"`
	DB   string `envconfig:"BOT_DB" default:"data/bot.db"`
	// Retention is how long handled events and delivered calls are kept (0: for ever).
	Retention time.Duration `envconfig:"BOT_RETENTION" default:"168h"`
	PublicURL string        `envconfig:"BOT_PUBLIC_URL"`
	LogLevel  string        `envconfig:"BOT_LOG_LEVEL" default:"info"`
	LogFormat string        `envconfig:"BOT_LOG_FORMAT" default:"text"`

	ChatwootURL   string `envconfig:"CHATWOOT_URL"`
	BotToken      string `envconfig:"CHATWOOT_BOT_TOKEN" secret:"true"`
	WebhookSecret string `envconfig:"CHATWOOT_WEBHOOK_SECRET" secret:"true"`
	WebhookToken  string `envconfig:"BOT_WEBHOOK_TOKEN" secret:"true"`
	UserToken     string `envconfig:"CHATWOOT_USER_TOKEN" secret:"true"`

	AccountID OptionalID `envconfig:"BOT_ACCOUNT_ID"`
	InboxIDs  []int64    `envconfig:"BOT_INBOX_IDS"`

	IntentsFile string `envconfig:"BOT_INTENTS_FILE"`
	// NLU picks an external classifier in front of the built-in one: builtin, rasa or openai.
	NLU         string        `envconfig:"NLU_KIND" default:"builtin"`
	NLUTimeout  time.Duration `envconfig:"NLU_TIMEOUT" default:"2s"`
	RasaURL     string        `envconfig:"RASA_URL"`
	OpenAIURL   string        `envconfig:"OPENAI_BASE_URL" default:"https://api.openai.com/v1"`
	OpenAIKey   string        `envconfig:"OPENAI_API_KEY" secret:"true"`
	OpenAIModel string        `envconfig:"OPENAI_MODEL" default:"gpt-4o-mini"`
	OpenAIMode  string        `envconfig:"OPENAI_MODE" default:"chat"`

	TelcoKind           string        `envconfig:"TELCO_KIND" default:"http"`
	TelcoURL            string        `envconfig:"TELCO_URL"`
	TelcoToken          string        `envconfig:"TELCO_TOKEN" secret:"true"`
	TelcoCallbackSecret string        `envconfig:"TELCO_CALLBACK_SECRET" secret:"true"`
	TelcoPollInterval   time.Duration `envconfig:"TELCO_POLL_INTERVAL" default:"15s"`
	TelcoJobTimeout     time.Duration `envconfig:"TELCO_JOB_TIMEOUT" default:"15m"`
	TelcoSimStepDelay   time.Duration `envconfig:"TELCO_SIM_STEP_DELAY" default:"3s"`

	// The Outage API (optional): empty OUTAGE_URL, off (TELCO_KIND=sim: the simulator's).
	OutageURL          string        `envconfig:"OUTAGE_URL"`
	OutageToken        string        `envconfig:"OUTAGE_TOKEN" secret:"true"`
	OutageTimeout      time.Duration `envconfig:"OUTAGE_TIMEOUT" default:"2s"`
	OutagePollInterval time.Duration `envconfig:"OUTAGE_POLL_INTERVAL" default:"1m"`

	GenieACSURL          string `envconfig:"GENIEACS_URL"`
	GenieACSUsername     string `envconfig:"GENIEACS_USERNAME"`
	GenieACSPassword     string `envconfig:"GENIEACS_PASSWORD" secret:"true"`
	GenieACSFirmwareFile string `envconfig:"GENIEACS_FIRMWARE_FILE"`
	// GenieACSOfflineWait is how long an update waits for a router GenieACS reports offline
	// to come online, before it fails and its task is removed.
	GenieACSOfflineWait time.Duration `envconfig:"GENIEACS_OFFLINE_WAIT" default:"5m"`
	GenieACSOwnerTag    string        `envconfig:"GENIEACS_OWNER_TAG"`
	GenieACSOwnerParam  string        `envconfig:"GENIEACS_OWNER_PARAM"`

	RouterIDAttribute string `envconfig:"ROUTER_ID_ATTRIBUTE" default:"router_id"`
	RouterIDPattern   string `envconfig:"ROUTER_ID_PATTERN" default:"^[A-Z0-9][A-Z0-9-]{5,39}$"`
	// RouterIDShape is the usual shape of the telco's serials ("AA-0000-AA00": A a letter,
	// 0 a digit); "" checks none.
	RouterIDShape     string `envconfig:"ROUTER_ID_SHAPE"`
	RouterMaxAttempts int    `envconfig:"ROUTER_MAX_ATTEMPTS" default:"3"`
	RouterMaxPerHour  int    `envconfig:"ROUTER_MAX_UPDATES_PER_HOUR" default:"3"`
	MaxRepliesPerMin  int    `envconfig:"BOT_MAX_REPLIES_PER_MINUTE" default:"20"`

	// TurnWindow: a customer's messages less than this apart are read as one turn and
	// answered once (WhatsApp fragments); 0 answers each message as it comes.
	TurnWindow time.Duration `envconfig:"BOT_TURN_WINDOW" default:"2s"`

	HandoffTeamID     OptionalID    `envconfig:"HANDOFF_TEAM_ID"`
	HandoffTeams      string        `envconfig:"HANDOFF_TEAMS"`
	BusinessHours     string        `envconfig:"BOT_BUSINESS_HOURS"`
	Timezone          string        `envconfig:"BOT_TIMEZONE" default:"UTC"`
	HandoffWhenClosed string        `envconfig:"BOT_HANDOFF_WHEN_CLOSED" default:"wait"`
	IntakeFile        string        `envconfig:"BOT_INTAKE_FILE"`
	WaitingInterval   time.Duration `envconfig:"BOT_WAITING_INTERVAL" default:"30s"`

	// ContentFile is a content catalog over the embedded one (bot/content.yaml).
	ContentFile string `envconfig:"BOT_CONTENT_FILE"`
	// LanguagesDir adds languages (or words to one): langs/CODE.yaml for detection, acts/CODE.yaml
	// for the dialogue acts, in the formats of intents/langs and intents/acts.
	LanguagesDir string `envconfig:"BOT_LANGUAGES_DIR"`

	WhatsAppTemplateName     string `envconfig:"WHATSAPP_TEMPLATE_NAME"`
	WhatsAppTemplateLanguage string `envconfig:"WHATSAPP_TEMPLATE_LANGUAGE" default:"en_US"`

	// OutboxRetryFor is how long a reply is retried after its first failed call.
	OutboxRetryFor time.Duration `envconfig:"BOT_OUTBOX_RETRY_FOR" default:"6h"`
	OutboxMaxDelay time.Duration `envconfig:"BOT_OUTBOX_MAX_DELAY" default:"5m"`
	// OutboxParallel is how many conversations' calls are under way at once.
	OutboxParallel  int           `envconfig:"BOT_OUTBOX_PARALLEL" default:"8"`
	ChatwootTimeout time.Duration `envconfig:"CHATWOOT_TIMEOUT" default:"10s"`
	// ChatwootRateLimit paces every call toward Chatwoot, in requests a minute (0: none).
	ChatwootRateLimit int `envconfig:"CHATWOOT_RATE_LIMIT" default:"2700"`
}

// OptionalID is a Chatwoot id that may be left out: an empty variable, as
// deploy/env.example lists it, is the same as an unset one (0).
type OptionalID int64

// Decode implements envconfig.Decoder.
func (id *OptionalID) Decode(v string) error {
	v = strings.TrimSpace(v)
	if v == "" {
		*id = 0
		return nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return fmt.Errorf("%q is not a number", v)
	}
	*id = OptionalID(n)
	return nil
}

// LoadConfig reads the environment.
func LoadConfig() (Config, error) {
	var c Config
	if err := envconfig.Process("", &c); err != nil {
		return c, fmt.Errorf("config: %w", explainEnvError(err))
	}
	return c, nil
}

// explainEnvError turns envconfig's account of a value it could not read ("envconfig.Process:
// assigning TELCO_POLL_INTERVAL to TelcoPollInterval: converting '15' to type
// time.Duration. details: ...") into one naming the variable and showing what a good
// value looks like. Other errors are returned as they are.
func explainEnvError(err error) error {
	var pe *envconfig.ParseError
	if !errors.As(err, &pe) {
		return err
	}
	field, ok := reflect.TypeFor[Config]().FieldByName(pe.FieldName)
	if !ok {
		return err
	}
	value := strconv.Quote(pe.Value)
	if field.Tag.Get("secret") == "true" {
		value = "(hidden)"
	}
	var what, good string
	switch field.Type {
	case reflect.TypeFor[time.Duration]():
		what, good = "a duration", "write a number with its unit, such as 30s, 5m or 1h30m"
	case reflect.TypeFor[OptionalID]():
		what, good = "a Chatwoot id", "write a number, such as 1, or leave it empty"
	case reflect.TypeFor[[]int64]():
		what, good = "a list of Chatwoot ids", "write numbers separated by commas, such as 5,7"
	case reflect.TypeFor[int]():
		what, good = "a whole number", "write one such as 3"
	default:
		return fmt.Errorf("%s=%s: %w", pe.KeyName, value, pe.Err)
	}
	if def := field.Tag.Get("default"); def != "" {
		good += " (default " + def + ")"
	}
	return fmt.Errorf("%s=%s is not %s: %s", pe.KeyName, value, what, good)
}

// DefaultConfig is the configuration with every variable unset: the defaults of the
// struct tags above, whatever the environment holds.
func DefaultConfig() Config {
	var c Config
	v := reflect.ValueOf(&c).Elem()
	for i := range v.NumField() {
		def, ok := v.Type().Field(i).Tag.Lookup("default")
		if !ok {
			continue
		}
		switch f := v.Field(i); {
		case f.Type() == reflect.TypeFor[time.Duration]():
			d, err := time.ParseDuration(def)
			if err != nil {
				panic(fmt.Sprintf("config: default of %s: %v", v.Type().Field(i).Name, err))
			}
			f.SetInt(int64(d))
		case f.Kind() == reflect.String:
			f.SetString(def)
		case f.Kind() == reflect.Int:
			n, err := strconv.Atoi(def)
			if err != nil {
				panic(fmt.Sprintf("config: default of %s: %v", v.Type().Field(i).Name, err))
			}
			f.SetInt(int64(n))
		default:
			panic(fmt.Sprintf("config: default of %s: type %s not handled", v.Type().Field(i).Name, f.Type()))
		}
	}
	return c
}

// ValidateServe checks what serve cannot run without; the error names the variable.
func (c Config) ValidateServe() error {
	switch {
	case c.ChatwootURL == "":
		return errors.New("CHATWOOT_URL is not set: the base URL of your Chatwoot, such as https://chat.example.com")
	case c.BotToken == "":
		return errors.New("CHATWOOT_BOT_TOKEN is not set: the access token of the AgentBot (Settings > Bots)")
	case c.WebhookSecret == "" && c.WebhookToken == "":
		return errors.New("neither CHATWOOT_WEBHOOK_SECRET nor BOT_WEBHOOK_TOKEN is set: webhooks could not be authenticated")
	}
	if err := c.checkValues(); err != nil {
		return err
	}
	switch c.TelcoKind {
	case "http", "sim":
	case "genieacs":
		if c.GenieACSURL == "" {
			return errors.New("GENIEACS_URL is not set: the GenieACS NBI, such as http://acs.internal:7557")
		}
	default:
		return fmt.Errorf("TELCO_KIND %q: want http, genieacs or sim", c.TelcoKind)
	}
	switch c.NLU {
	case "builtin", "":
	case "rasa":
		if c.RasaURL == "" {
			return errors.New("RASA_URL is not set: NLU_KIND=rasa needs the Rasa server, such as http://rasa:5005")
		}
	case "openai":
		if c.OpenAIMode != "chat" && c.OpenAIMode != "embeddings" {
			return fmt.Errorf("OPENAI_MODE %q: want chat or embeddings", c.OpenAIMode)
		}
	default:
		return fmt.Errorf("NLU_KIND %q: want builtin, rasa or openai", c.NLU)
	}
	if c.HandoffWhenClosed != "wait" && c.HandoffWhenClosed != "open" {
		return fmt.Errorf("BOT_HANDOFF_WHEN_CLOSED %q: want wait or open", c.HandoffWhenClosed)
	}
	if _, err := c.Teams(); err != nil {
		return err
	}
	if _, err := c.Schedule(); err != nil {
		return err
	}
	if _, err := regexp.Compile(c.RouterIDPattern); err != nil {
		return fmt.Errorf("ROUTER_ID_PATTERN: %w", err)
	}
	if strings.Trim(c.RouterIDShape, "A0-") != "" {
		return fmt.Errorf("ROUTER_ID_SHAPE %q: want A for a letter, 0 for a digit and dashes, like AA-0000-AA00", c.RouterIDShape)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("BOT_LOG_FORMAT %q: want text or json", c.LogFormat)
	}
	return nil
}

// checkValues refuses the values serve would otherwise take silently: a zero or negative
// count or interval (replaced by a default, or switching a feature off), a negative id,
// an empty address, a relative URL (failing only when a customer asks for an update).
func (c Config) checkValues() error {
	switch {
	case strings.TrimSpace(c.Addr) == "":
		return errors.New("BOT_ADDR is empty: the address to listen on, such as :8080")
	case strings.TrimSpace(c.DB) == "":
		return errors.New("BOT_DB is empty: the SQLite file, such as data/bot.db")
	}
	// deploy/env.example's placeholders: a secret anyone can read there authenticates
	// nothing (a forged telco callback would tell customers their update failed).
	v, ct := reflect.ValueOf(c), reflect.TypeFor[Config]()
	unused := map[string]bool{"TELCO_TOKEN": c.TelcoKind != "http", "GENIEACS_PASSWORD": c.TelcoKind != "genieacs", "OUTAGE_TOKEN": c.OutageURL == ""}
	for i := range ct.NumField() {
		if ct.Field(i).Tag.Get("secret") != "true" || unused[ct.Field(i).Tag.Get("envconfig")] {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(v.Field(i).String())) {
		case "change-me", "changeme", "change_me":
			return fmt.Errorf("%s is the example's placeholder %q: set a secret of your own, such as the output of openssl rand -hex 32", ct.Field(i).Tag.Get("envconfig"), v.Field(i).String())
		}
	}
	for _, u := range []struct {
		name, value string
		required    bool
	}{
		{"CHATWOOT_URL", c.ChatwootURL, true},
		{"BOT_PUBLIC_URL", c.PublicURL, false},
		{"TELCO_URL", c.TelcoURL, false},
		{"OUTAGE_URL", c.OutageURL, false},
		{"GENIEACS_URL", c.GenieACSURL, false},
		{"RASA_URL", c.RasaURL, false},
		{"OPENAI_BASE_URL", c.OpenAIURL, false},
	} {
		if u.value == "" && !u.required {
			continue
		}
		if !absoluteHTTP(u.value) {
			return fmt.Errorf("%s %q is not an absolute http(s) URL, such as https://host.example.com", u.name, u.value)
		}
	}
	for _, d := range []struct {
		name  string
		value time.Duration
	}{
		{"CHATWOOT_TIMEOUT", c.ChatwootTimeout},
		{"NLU_TIMEOUT", c.NLUTimeout},
		{"TELCO_POLL_INTERVAL", c.TelcoPollInterval},
		{"TELCO_JOB_TIMEOUT", c.TelcoJobTimeout},
		{"GENIEACS_OFFLINE_WAIT", c.GenieACSOfflineWait},
		{"BOT_WAITING_INTERVAL", c.WaitingInterval},
		{"BOT_OUTBOX_MAX_DELAY", c.OutboxMaxDelay},
		{"OUTAGE_TIMEOUT", c.OutageTimeout},
		{"OUTAGE_POLL_INTERVAL", c.OutagePollInterval},
		{"BOT_OUTBOX_RETRY_FOR", c.OutboxRetryFor},
	} {
		if d.value <= 0 {
			return fmt.Errorf("%s %v: want a positive duration, such as 10s", d.name, d.value)
		}
	}
	if c.Retention < 0 || c.Retention > 0 && c.Retention < time.Hour {
		// Shorter, the delivery ids and message ids that make a redelivery a duplicate
		// would be gone while Chatwoot may still resend, or a signature still be replayed.
		return fmt.Errorf("BOT_RETENTION %v: want at least 1h, such as 168h, or 0 to keep everything", c.Retention)
	}
	if c.OutageTimeout > maxOutageTimeout {
		// The question holds the customer's answer: a slow API must cost a moment, no more.
		return fmt.Errorf("OUTAGE_TIMEOUT %v: want at most %v, such as 2s (the customer waits for it)", c.OutageTimeout, maxOutageTimeout)
	}
	if c.TelcoSimStepDelay < 0 {
		return fmt.Errorf("TELCO_SIM_STEP_DELAY %v: want a duration of 0 or more", c.TelcoSimStepDelay)
	}
	if err := checkTurnWindow("BOT_TURN_WINDOW", c.TurnWindow); err != nil {
		return err
	}
	for _, n := range []struct {
		name  string
		value int
	}{
		{"ROUTER_MAX_ATTEMPTS", c.RouterMaxAttempts},
		{"ROUTER_MAX_UPDATES_PER_HOUR", c.RouterMaxPerHour},
		{"BOT_MAX_REPLIES_PER_MINUTE", c.MaxRepliesPerMin},
		{"BOT_OUTBOX_PARALLEL", c.OutboxParallel},
	} {
		if n.value <= 0 {
			return fmt.Errorf("%s %d: want a positive number", n.name, n.value)
		}
	}
	if c.ChatwootRateLimit < 0 {
		return fmt.Errorf("CHATWOOT_RATE_LIMIT %d: want requests a minute, such as 2700 (under Chatwoot's RACK_ATTACK_LIMIT), or 0 for no limit", c.ChatwootRateLimit)
	}
	switch {
	case c.AccountID < 0:
		return fmt.Errorf("BOT_ACCOUNT_ID %d: want a Chatwoot account id, or nothing for every account", c.AccountID)
	case c.HandoffTeamID < 0:
		return fmt.Errorf("HANDOFF_TEAM_ID %d: want a Chatwoot team id, or nothing for none", c.HandoffTeamID)
	}
	for _, id := range c.InboxIDs {
		if id <= 0 {
			return fmt.Errorf("BOT_INBOX_IDS %v: want Chatwoot inbox ids, such as 7,9", c.InboxIDs)
		}
	}
	return nil
}

// Warnings are settings that leave a feature off without stopping the service.
func (c Config) Warnings() []string {
	var w []string
	if c.TelcoKind == "http" && c.TelcoURL == "" {
		w = append(w, "TELCO_URL is not set: router updates will be refused until it is")
	}
	if c.TelcoKind == "http" && c.TelcoCallbackSecret == "" {
		w = append(w, "TELCO_CALLBACK_SECRET is not set: telco callbacks are refused, progress comes from polling only")
	}
	if c.TelcoKind == "genieacs" && c.GenieACSOfflineWait >= c.TelcoJobTimeout {
		w = append(w, "GENIEACS_OFFLINE_WAIT is not shorter than TELCO_JOB_TIMEOUT: an offline router ends as not finished in time")
	}
	if c.OutageURL != "" && (c.TelcoCallbackSecret == "" || c.PublicURL == "") {
		w = append(w, "OUTAGE_URL is set without TELCO_CALLBACK_SECRET or BOT_PUBLIC_URL: the end of an outage comes from polling only (OUTAGE_POLL_INTERVAL)")
	}
	if c.PublicURL == "" && c.TelcoKind == "http" {
		w = append(w, "BOT_PUBLIC_URL is not set: the telco is given no callback URL, progress comes from polling only")
	}
	return w
}

// NewLogger builds the process logger from BOT_LOG_LEVEL and BOT_LOG_FORMAT.
func (c Config) NewLogger(w interface{ Write([]byte) (int, error) }) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(strings.ToUpper(c.LogLevel))); err != nil {
		return nil, fmt.Errorf("BOT_LOG_LEVEL %q: want debug, info, warn or error", c.LogLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return slog.New(slog.NewTextHandler(w, opts)), nil
}

// LogValue prints the configuration with every secret redacted.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("addr", c.Addr),
		slog.String("db", c.DB),
		slog.String("public_url", c.PublicURL),
		slog.String("chatwoot_url", c.ChatwootURL),
		slog.String("bot_token", redact(c.BotToken)),
		slog.String("webhook_secret", redact(c.WebhookSecret)),
		slog.String("webhook_token", redact(c.WebhookToken)),
		slog.String("user_token", redact(c.UserToken)),
		slog.String("telco_kind", c.TelcoKind),
		slog.String("telco_url", c.TelcoURL),
		slog.String("telco_token", redact(c.TelcoToken)),
		slog.String("telco_callback_secret", redact(c.TelcoCallbackSecret)),
		slog.String("outage_url", c.OutageURL),
		slog.String("outage_token", redact(c.OutageToken)),
		slog.String("genieacs_url", c.GenieACSURL),
		slog.String("genieacs_password", redact(c.GenieACSPassword)),
		slog.String("nlu", c.NLU),
		slog.String("openai_api_key", redact(c.OpenAIKey)),
		slog.Int64("account_id", int64(c.AccountID)),
		slog.Any("inbox_ids", c.InboxIDs),
	)
}

// secrets are the configured secrets, taken out of the error bodies the bot keeps or logs.
func (c Config) secrets() []string {
	return []string{c.BotToken, c.WebhookSecret, c.WebhookToken, c.UserToken, c.TelcoToken, c.TelcoCallbackSecret,
		c.GenieACSPassword, c.OpenAIKey}
}

func redact(s string) string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// Teams parses HANDOFF_TEAMS, such as "update_router=3,default=1".
func (c Config) Teams() (map[string]int64, error) {
	out := map[string]int64{}
	for _, part := range strings.Split(c.HandoffTeams, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if !ok || err != nil || id <= 0 || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("HANDOFF_TEAMS %q: want intent=team_id pairs, such as update_router=3,default=1", part)
		}
		out[strings.TrimSpace(k)] = id
	}
	return out, nil
}

// Zone is BOT_TIMEZONE, the business's clock, in which the bot says an outage's expected
// end; nil at UTC, the default (and when it does not load, which Check reports): the
// telco's eta is then said in its own UTC offset, likelier the customers' than UTC.
func (c Config) Zone() *time.Location {
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil || loc == time.UTC {
		return nil
	}
	return loc
}

// Schedule parses BOT_BUSINESS_HOURS in BOT_TIMEZONE; nil when unset (always open).
func (c Config) Schedule() (*bot.Schedule, error) {
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return nil, fmt.Errorf("BOT_TIMEZONE %q: %w", c.Timezone, err)
	}
	if strings.TrimSpace(c.BusinessHours) == "" {
		return nil, nil
	}
	s, err := bot.ParseSchedule(c.BusinessHours, loc)
	if err != nil {
		return nil, fmt.Errorf("BOT_BUSINESS_HOURS: %w", err)
	}
	return s, nil
}

// Intake reads the intake questions: BOT_INTAKE_FILE, or the embedded default.
func (c Config) Intake() ([]bot.Question, error) {
	if c.IntakeFile == "" {
		return bot.DefaultIntake(), nil
	}
	data, err := os.ReadFile(c.IntakeFile)
	if err != nil {
		return nil, fmt.Errorf("BOT_INTAKE_FILE: %w", err)
	}
	qs, err := bot.ParseIntake(data)
	if err != nil {
		return nil, fmt.Errorf("BOT_INTAKE_FILE %s: %w", c.IntakeFile, err)
	}
	return qs, nil
}

// maxOutageTimeout bounds OUTAGE_TIMEOUT: the Outage API is asked while the customer
// waits for the answer.
const maxOutageTimeout = 10 * time.Second

// Content reads the content catalog: BOT_CONTENT_FILE over the embedded default, or the
// default. A bad file is one line: its first error, with file:line and key, and how many
// more there are.
func (c Config) Content() (*bot.Catalog, error) {
	if c.ContentFile == "" {
		return bot.DefaultCatalog(), nil
	}
	cat, err := readCatalog(c.ContentFile)
	var errs bot.ContentErrors
	switch {
	case errors.As(err, &errs) && len(errs) > 1:
		return nil, fmt.Errorf("BOT_CONTENT_FILE: %v (and %d more: cwbot content check %s lists them)", errs[0], len(errs)-1, c.ContentFile)
	case errors.As(err, &errs):
		return nil, fmt.Errorf("BOT_CONTENT_FILE: %v", errs[0])
	case err != nil:
		return nil, fmt.Errorf("BOT_CONTENT_FILE: %w", err)
	}
	return cat, nil
}

// readCatalog reads a content file over the default catalog.
func readCatalog(path string) (*bot.Catalog, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return bot.LoadCatalog(path, data)
}

// maxTurnWindow bounds BOT_TURN_WINDOW: a customer's turn is held up to three windows
// before it is answered.
const maxTurnWindow = 10 * time.Second

func checkTurnWindow(name string, w time.Duration) error {
	if w < 0 || w > maxTurnWindow {
		return fmt.Errorf("%s %v: want 0 (each message answered as it comes) or a duration up to %v, such as 2s", name, w, maxTurnWindow)
	}
	return nil
}

package main

// Defects an administrator hit through the command line, the environment or the files
// under deploy/, found in review: each test failed before its fix.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// serveEnv sets the variables serve needs, with a free loopback port and a database
// in a temporary folder; extra is applied after.
func serveEnv(t *testing.T, chatwootURL string, extra map[string]string) string {
	t.Helper()
	addr := freeAddr(t)
	base := map[string]string{
		"CHATWOOT_URL":            chatwootURL,
		"CHATWOOT_BOT_TOKEN":      "bot-token",
		"CHATWOOT_WEBHOOK_SECRET": testSecret,
		"BOT_ADDR":                addr,
		"BOT_DB":                  filepath.Join(t.TempDir(), "bot.db"),
		"BOT_LOG_LEVEL":           "error",
		"TELCO_KIND":              "sim",
	}
	for k, v := range base {
		t.Setenv(k, v)
	}
	for k, v := range extra {
		t.Setenv(k, v)
	}
	return addr
}

// Bad numbers, durations, addresses and URLs are taken without a word: zero or negative
// values are silently replaced by defaults or switch a feature off, BOT_ACCOUNT_ID=-1
// ignores every webhook, an empty BOT_ADDR listens on a random port, and relative URLs
// fail only when a customer asks for an update. The project's rule is a clear error
// naming the variable.
func TestServeRefusesBadValues(t *testing.T) {
	for _, tc := range []struct{ name, value string }{
		{"BOT_OUTBOX_PARALLEL", "0"},
		{"BOT_OUTBOX_RETRY_FOR", "0s"},
		{"CHATWOOT_RATE_LIMIT", "-1"},
		{"ROUTER_MAX_ATTEMPTS", "-1"},
		{"ROUTER_MAX_UPDATES_PER_HOUR", "-1"},
		{"BOT_MAX_REPLIES_PER_MINUTE", "-1"},
		{"TELCO_POLL_INTERVAL", "0s"},
		{"TELCO_JOB_TIMEOUT", "-5m"},
		{"BOT_WAITING_INTERVAL", "-30s"},
		{"BOT_RETENTION", "-1h"},
		{"BOT_RETENTION", "30m"}, // dedupe keys gone while Chatwoot may still redeliver
		{"BOT_OUTBOX_MAX_DELAY", "-5m"},
		{"CHATWOOT_TIMEOUT", "-10s"},
		// Refused by setup, and taken by serve, where every call toward Chatwoot then got a
		// deadline already past: the service looked healthy and never answered anyone.
		{"CHATWOOT_TIMEOUT", "0"},
		{"NLU_TIMEOUT", "-2s"},
		{"BOT_ACCOUNT_ID", "-1"},
		{"HANDOFF_TEAM_ID", "-2"},
		{"BOT_ADDR", ""},
		{"TELCO_URL", "telco.example.com/api"},
		{"BOT_PUBLIC_URL", "cwbot.example.com"},
		// deploy/env.example's placeholders: anyone could sign a telco callback with them.
		{"TELCO_CALLBACK_SECRET", "change-me"},
		{"TELCO_TOKEN", "change-me"},
		{"CHATWOOT_WEBHOOK_SECRET", "CHANGEME"},
	} {
		t.Run(tc.name+"="+tc.value, func(t *testing.T) {
			extra := map[string]string{tc.name: tc.value}
			if strings.HasPrefix(tc.name, "TELCO_") {
				extra["TELCO_KIND"] = "http"
			}
			serveEnv(t, "http://chat.example.com", extra)
			cfg, err := LoadConfig()
			if err == nil {
				err = cfg.ValidateServe()
			}
			if err == nil {
				t.Fatalf("serve accepts %s=%q without an error", tc.name, tc.value)
			}
			if !strings.Contains(err.Error(), tc.name) {
				t.Fatalf("error does not name %s: %v", tc.name, err)
			}
		})
	}
}

// A value that cannot be read at all (TELCO_POLL_INTERVAL=15, with no unit) printed
// envconfig's own account: "envconfig.Process: assigning TELCO_POLL_INTERVAL to
// TelcoPollInterval: converting '15' to type time.Duration. details: ...". The error names
// the variable and the value, and shows what a good value looks like, for every variable
// that is not plain text.
func TestMalformedValueSaysWhatIsWanted(t *testing.T) {
	ct := reflect.TypeFor[Config]()
	tried := 0
	for i := range ct.NumField() {
		f := ct.Field(i)
		var bad, good string
		switch f.Type {
		case reflect.TypeFor[time.Duration]():
			bad, good = "15", "such as 30s, 5m or 1h30m"
		case reflect.TypeFor[int]():
			bad, good = "three", "whole number"
		case reflect.TypeFor[OptionalID]():
			bad, good = "one", "such as 1, or leave it empty"
		case reflect.TypeFor[[]int64]():
			bad, good = "5;7", "separated by commas, such as 5,7"
		default:
			continue
		}
		name := f.Tag.Get("envconfig")
		tried++
		t.Run(name, func(t *testing.T) {
			t.Setenv(name, bad)
			_, err := LoadConfig()
			if err == nil {
				t.Fatalf("%s=%q read without an error", name, bad)
			}
			msg := err.Error()
			if !strings.Contains(msg, name+"="+`"`+bad+`"`) || !strings.Contains(msg, good) ||
				strings.Contains(msg, "envconfig") || strings.Contains(msg, f.Name) {
				t.Fatalf("error %q: want %s=%q named, and %q, in the administrator's words", msg, name, bad, good)
			}
			if def := f.Tag.Get("default"); def != "" && !strings.Contains(msg, "(default "+def+")") {
				t.Fatalf("error %q does not give the default %s", msg, def)
			}
		})
	}
	if tried < 10 {
		t.Fatalf("only %d variables tried", tried)
	}
}

// serve -h lists what the service serves: every route its server has, and no other.
func TestServeHelpListsEveryEndpoint(t *testing.T) {
	var errb bytes.Buffer
	if err := Run(context.Background(), []string{"serve", "-h"}, strings.NewReader(""), io.Discard, &errb); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("serve -h: %v, want help", err)
	}
	help := errb.String()
	h := newHarness(t, nil, nil)
	var routes []string
	for _, r := range h.app.Server.Echo().Routes() {
		if r.Method == "echo_route_not_found" || strings.Contains(r.Path, "*") {
			continue
		}
		routes = append(routes, r.Method+" "+r.Path)
		if !regexp.MustCompile(`(?m)^\s*` + r.Method + `\s+` + regexp.QuoteMeta(r.Path) + `\s`).MatchString(help) {
			t.Errorf("serve -h does not list %s %s:\n%s", r.Method, r.Path, help)
		}
	}
	if len(routes) < 5 {
		t.Fatalf("routes %v: want at least the two webhooks, the probes and the metrics", routes)
	}
	for _, m := range regexp.MustCompile(`(?m)^\s*(GET|POST)\s+(/\S*)`).FindAllStringSubmatch(help, -1) {
		if !slices.Contains(routes, m[1]+" "+m[2]) {
			t.Errorf("serve -h lists %s %s, which the service does not serve (routes %v)", m[1], m[2], routes)
		}
	}
}

// deploy/env.example documents BOT_ACCOUNT_ID and HANDOFF_TEAM_ID as optional ("Empty:
// taken from each webhook", "Empty: none"), and setup treats an empty BOT_ACCOUNT_ID as
// unset; but serve (and every admin command) refuses an empty value with envconfig's
// "converting ” to type int64".
func TestEmptyOptionalNumbersAreUnset(t *testing.T) {
	for _, name := range []string{"BOT_ACCOUNT_ID", "HANDOFF_TEAM_ID", "BOT_INBOX_IDS"} {
		t.Run(name, func(t *testing.T) {
			serveEnv(t, "http://chat.example.com", map[string]string{name: ""})
			if _, err := LoadConfig(); err != nil {
				t.Fatalf("%s= (empty, documented as allowed in deploy/env.example) stops the service: %v", name, err)
			}
		})
	}
}

// A missing BOT_INTENTS_FILE stops serve with "open /x: no such file or directory", not
// naming the variable (BOT_INTAKE_FILE does: "BOT_INTAKE_FILE: open ...").
func TestIntentsFileErrorNamesVariable(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "intents.yaml")
	serveEnv(t, "http://chat.example.com", map[string]string{"BOT_INTENTS_FILE": missing})
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	var out, errb bytes.Buffer
	err := Run(ctx, []string{"serve"}, strings.NewReader(""), &out, &errb)
	if err == nil {
		t.Fatal("serve started with a missing BOT_INTENTS_FILE")
	}
	if !strings.Contains(err.Error(), "BOT_INTENTS_FILE") {
		t.Fatalf("error does not name BOT_INTENTS_FILE: %q", "cwbot: "+err.Error())
	}
}

// The README says deploy/env.example "lists every variable with a comment".
func TestEnvExampleListsEveryVariable(t *testing.T) {
	f, err := os.Open("deploy/env.example")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	listed := map[string]bool{}
	re := regexp.MustCompile(`^#?([A-Z][A-Z0-9_]+)=`)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			listed[m[1]] = true
		}
	}
	var missing []string
	ct := reflect.TypeOf(Config{})
	for i := 0; i < ct.NumField(); i++ {
		if name := ct.Field(i).Tag.Get("envconfig"); name != "" && !listed[name] {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("deploy/env.example does not list %v", missing)
	}
}

// "cwbot serve extra" ignores the stray argument and starts; every other command refuses
// one with exit code 2 (shell, setup, jobs list, load).
func TestServeStrayArgument(t *testing.T) {
	addr := serveEnv(t, "http://chat.example.com", nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- Run(ctx, []string{"serve", "extra"}, strings.NewReader(""), &out, &errb) }()
	deadline := time.Now().Add(hangGuard)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			if err == nil || exitCode(err) != 2 {
				t.Fatalf("serve with a stray argument: err %v, exit code %d, want 2", err, exitCode(err))
			}
			return
		default:
		}
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			cancel()
			<-done
			t.Fatalf(`"cwbot serve extra" ignored its argument and is serving on %s`, addr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("serve neither refused the argument nor started")
}

// "cwbot load --rate -5" is refused with a message about the other three flags, not --rate.
func TestLoadNegativeRateMessage(t *testing.T) {
	var out, errb bytes.Buffer
	err := Run(context.Background(), []string{"load", "--rate", "-5"}, strings.NewReader(""), &out, &errb)
	var u usageError
	if !errors.As(err, &u) {
		t.Fatalf("err = %v, want a usage error", err)
	}
	if !strings.Contains(err.Error(), "--rate") {
		t.Fatalf("the error for --rate -5 does not name --rate: %q", err.Error())
	}
}

// An empty BOT_DB (an env file line "BOT_DB=") stops serve with "store: empty database
// path", which does not say which variable to fix.
func TestEmptyDBErrorNamesVariable(t *testing.T) {
	serveEnv(t, "http://chat.example.com", map[string]string{"BOT_DB": ""})
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	var out, errb bytes.Buffer
	err := Run(ctx, []string{"serve"}, strings.NewReader(""), &out, &errb)
	if err == nil {
		t.Fatal("serve started with an empty BOT_DB")
	}
	if !strings.Contains(err.Error(), "BOT_DB") {
		t.Fatalf("error does not name BOT_DB: %q", "cwbot: "+err.Error())
	}
}

// The example's placeholder in a variable the configured telco does not use stops nothing:
// trying TELCO_KIND=sim with deploy/env.example's TELCO_TOKEN=change-me works.
func TestPlaceholderOfAnUnusedSecret(t *testing.T) {
	serveEnv(t, "http://chat.example.com", map[string]string{"TELCO_KIND": "sim", "TELCO_TOKEN": "change-me"})
	cfg, err := LoadConfig()
	if err == nil {
		err = cfg.ValidateServe()
	}
	if err != nil {
		t.Fatalf("TELCO_KIND=sim with TELCO_TOKEN=change-me: %v", err)
	}
}

// unsetConfigEnv unsets every variable the configuration reads, for the test's duration.
func unsetConfigEnv(t *testing.T) {
	t.Helper()
	ct := reflect.TypeFor[Config]()
	for i := range ct.NumField() {
		name := ct.Field(i).Tag.Get("envconfig")
		if old, ok := os.LookupEnv(name); ok {
			os.Unsetenv(name)
			t.Cleanup(func() { os.Setenv(name, old) })
		}
	}
}

// DefaultConfig is what LoadConfig gives in an empty environment, however the environment
// of the process is set.
func TestDefaultConfigIsTheEmptyEnvironment(t *testing.T) {
	t.Setenv("NLU_KIND", "rasa")
	t.Setenv("BOT_ACCOUNT_ID", "acme")
	got := DefaultConfig()
	unsetConfigEnv(t)
	want, err := LoadConfig()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("DefaultConfig()\n%+v\nLoadConfig() with no variable set\n%+v", got, want)
	}
}

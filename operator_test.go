package main

// The operator-facing commands: setup, shell, jobs/outbox and the CLI's exit codes.

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	_ "github.com/mattn/go-sqlite3"

	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
)

// A mistyped flag is a usage error: the project's convention (exitCode, usageError, and
// TestServeStrayArgument's "every other command refuses one with exit code 2") is exit
// code 2, and jobs, outbox and shell follow it. setup, serve, version and load return the
// flag package's error as is, so "cwbot setup --inbox 7 --acount 2" exits 1, like a
// Chatwoot or configuration failure: a script cannot tell a typo from a failed run.
func TestFlagErrorsAreUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"setup", "--inbox", "7", "--acount", "2"},
		{"serve", "--no-such-flag"},
		{"version", "--no-such-flag"},
		{"load", "--no-such-flag"},
		{"intents", "eval", "--no-such-flag"},
		{"intents", "check", "--no-such-flag", "hi"},
		{"intents", "check"},
		// For comparison, these already exit 2:
		{"jobs", "list", "--no-such-flag"},
		{"shell", "--no-such-flag"},
	} {
		err := Run(context.Background(), args, strings.NewReader(""), io.Discard, io.Discard)
		if code := exitCode(err); code != 2 {
			t.Errorf("cwbot %s: err %v, exit code %d, want 2 (usage error)", strings.Join(args, " "), err, code)
		}
	}
}

// "cwbot version extra" prints the version and exits 0: the stray argument is ignored,
// while every other command refuses one with exit code 2.
func TestVersionStrayArgument(t *testing.T) {
	var out bytes.Buffer
	err := Run(context.Background(), []string{"version", "extra"}, strings.NewReader(""), &out, io.Discard)
	if err == nil || exitCode(err) != 2 {
		t.Fatalf("cwbot version extra: err %v, printed %q; want a usage error (exit 2)", err, out.String())
	}
}

// The README: "go run . shell runs the real service on the embedded defaults ... no
// configuration". runShell starts from LoadConfig(), i.e. the caller's environment, and
// overrides only some variables. An operator who runs the shell on the service's host
// (with /etc/cwbot/env loaded) and NLU_KIND=rasa or openai sends every line typed into the
// "local" shell to the external classifier (a cost and a data leak for OpenAI). Expected:
// the shell uses the built-in classifier whatever the environment says.
func TestShellIgnoresServiceNLU(t *testing.T) {
	hits := rasaInEnv(t)

	lines := shellRun(t, "hi\n")
	if !shellHas(lines, "bot> ") {
		t.Fatalf("the bot did not answer:\n%s", strings.Join(lines, "\n"))
	}
	if n := hits.Load(); n > 0 {
		t.Fatalf("cwbot shell sent %d request(s) to the Rasa server named by the environment (NLU_KIND=rasa); it should run on the embedded defaults", n)
	}
}

// The shell overrides BOT_ACCOUNT_ID (cfg.AccountID = 0) but still parses it first: a
// value the shell never uses stops it. Expected: "no configuration needed" means the
// service's variables cannot keep the shell from starting.
func TestShellStartsWhateverTheServiceEnv(t *testing.T) {
	t.Setenv("BOT_ACCOUNT_ID", "acme")
	t.Setenv("TMPDIR", t.TempDir())
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	var stdout, stderr bytes.Buffer
	err := runShell(ctx, []string{"--step-delay", "20ms", "--wait", "1m"}, strings.NewReader("hi\n"), &stdout, &stderr)
	if err != nil {
		t.Fatalf("cwbot shell refused to start because of BOT_ACCOUNT_ID, which it ignores: %v", err)
	}
}

// cwbot serves one account (BOT_ACCOUNT_ID); webhooks of any other account are answered
// 200 "ignored". With BOT_ACCOUNT_ID=1 and BOT_INBOX_IDS=7 configured,
// "cwbot setup --account 2 --inbox 9 >> env" prints BOT_ACCOUNT_ID=2 and
// BOT_INBOX_IDS=7,9 without a word: inbox 7 (account 1) keeps its bot connected in
// Chatwoot, its conversations stay pending, and the restarted service ignores them, so
// those customers get silence. The printed list also names an inbox that is not in the
// printed account. Expected: setup refuses, or at least warns, when --account differs from
// the configured BOT_ACCOUNT_ID, instead of merging another account's inboxes.
func TestSetupOtherAccountMergesInboxes(t *testing.T) {
	fake := chatwoottest.NewServer(t, &chatwoottest.Options{AccountID: 2, InboxID: 9, NoEcho: true})
	setupTestEnv(t, fake, "https://cwbot.example.com")
	t.Setenv("BOT_ACCOUNT_ID", "1")
	t.Setenv("BOT_INBOX_IDS", "7")
	r := runSetupCmd(t, "--account", "2", "--inbox", "9")
	if r.err != nil {
		if code := exitCode(r.err); code != 2 || !strings.Contains(r.err.Error(), "BOT_ACCOUNT_ID=1") {
			t.Fatalf("refused with %v (exit %d), want a usage error naming BOT_ACCOUNT_ID=1", r.err, code)
		}
		return
	}
	if r.env["BOT_ACCOUNT_ID"] == "2" && strings.Contains(","+r.env["BOT_INBOX_IDS"]+",", ",7,") &&
		!strings.Contains(r.stderr, "BOT_ACCOUNT_ID") {
		t.Fatalf("setup printed BOT_ACCOUNT_ID=%s with BOT_INBOX_IDS=%s (inbox 7 is account 1's) and no warning: "+
			"the service would ignore account 1's inbox 7 while its bot stays connected", r.env["BOT_ACCOUNT_ID"], r.env["BOT_INBOX_IDS"])
	}
}

// openAdminDB promises "a mistyped path must not look like an empty queue", but only checks
// that the file exists: pointed at any other SQLite file, the read-only "cwbot outbox list"
// applies cwbot's migrations to it (writing a dozen tables and indexes into someone
// else's database) and answers "No outbox rows." with exit 0. Expected: an error saying the
// file is not a cwbot database, and the file left as it was. (The same migrate-on-open
// also means a list command run with a newer binary changes the schema under a running
// older service.)
func TestAdminListDoesNotMigrateForeignDB(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crm.db")
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	t.Setenv("BOT_DB", path)

	out, _, runErr := runAdminCmd(t, "outbox", "list")

	db, err = sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var tables int
	if err := db.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if runErr == nil || tables != 1 {
		t.Fatalf("outbox list on a database that is not cwbot's: err %v, printed %q; the file now has %d tables (had 1)",
			runErr, strings.TrimSpace(out), tables)
	}
}

// The README's workflow is "export CHATWOOT_URL ... ; cwbot setup --inbox 7 >> /etc/cwbot/env"
// from an administrator's shell, where /etc/cwbot/env is not loaded. Run again for a second
// inbox, setup prints BOT_INBOX_IDS=9 alone, although the same bot is connected to inbox 7
// (setup can see it: GET inboxes, GET inboxes/7/agent_bot). Appended to the env file, the
// later line wins: the service then answers inbox 7's webhooks 200 "ignored", the bot stays
// connected there, and its customers get silence. Expected: the printed list keeps every
// inbox the bot is connected to (or setup warns about inbox 7).
func TestSetupSecondInboxDropsFirst(t *testing.T) {
	fake := chatwoottest.NewServer(t, &chatwoottest.Options{NoEcho: true})
	fake.SetInbox(chatwoottest.Inbox{ID: 9, Name: "WhatsApp Sales", Timezone: "UTC"})
	setupTestEnv(t, fake, "https://cwbot.example.com")
	if r := runSetupCmd(t, "--inbox", "7"); r.err != nil || r.env["BOT_INBOX_IDS"] != "7" {
		t.Fatalf("first run: %v %v", r.err, r.env)
	}
	r := runSetupCmd(t, "--inbox", "9")
	if r.err != nil {
		t.Fatalf("second run: %v", r.err)
	}
	b7, b9 := inboxBot(t, fake, 7), inboxBot(t, fake, 9)
	if b7 == nil || b9 == nil || b7.ID != b9.ID {
		t.Fatalf("the same bot should serve inboxes 7 and 9: %+v %+v", b7, b9)
	}
	if !strings.Contains(","+r.env["BOT_INBOX_IDS"]+",", ",7,") && !strings.Contains(r.stderr, "inbox 7") {
		t.Fatalf("setup printed BOT_INBOX_IDS=%s while its bot %d is also connected to inbox 7, and said nothing about it: "+
			"appended to the env file, inbox 7 is ignored by the service", r.env["BOT_INBOX_IDS"], b7.ID)
	}
}

// With --env the shell reads the bot's behaviour settings from the environment, to try
// them: an external NLU named there is asked.
func TestShellEnvReadsTheEnvironment(t *testing.T) {
	hits := rasaInEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	var stdout, stderr bytes.Buffer
	if err := runShell(ctx, []string{"--env", "--step-delay", "20ms", "--wait", "1m"}, strings.NewReader("hi\n"), &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if hits.Load() == 0 || !strings.Contains(stdout.String(), "bot> Hi You!") {
		t.Fatalf("shell --env with NLU_KIND=rasa: %d calls to Rasa, printed %q", hits.Load(), stdout.String())
	}
}

// rasaInEnv names in the environment (NLU_KIND=rasa, RASA_URL) a Rasa that reads every text
// as a greeting, and counts the texts it is asked.
func rasaInEnv(t *testing.T) *atomic.Int64 {
	t.Helper()
	var hits atomic.Int64
	rasa := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"text":"hi","intent":{"name":"greeting","confidence":0.99},"intent_ranking":[{"name":"greeting","confidence":0.99}]}`)
	}))
	t.Cleanup(rasa.Close)
	t.Setenv("NLU_KIND", "rasa")
	t.Setenv("RASA_URL", rasa.URL)
	t.Setenv("TMPDIR", t.TempDir())
	return &hits
}

package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cwbot/cwbot/chatwoot"
	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
)

// setupReceiver stands in for the deployed service at BOT_PUBLIC_URL: it accepts a webhook
// only on /webhooks/chatwoot and only when signed with the secret it is given.
type setupReceiver struct {
	*httptest.Server
	mu     sync.Mutex
	secret string
}

func newSetupReceiver(t *testing.T) *setupReceiver {
	t.Helper()
	r := &setupReceiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		secret := r.secret
		r.mu.Unlock()
		if req.URL.Path != "/webhooks/chatwoot" {
			http.NotFound(w, req)
			return
		}
		if chatwoot.VerifySignature(secret, req.Header.Get(chatwoot.HeaderTimestamp), req.Header.Get(chatwoot.HeaderSignature), body, time.Now()) != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *setupReceiver) setSecret(s string) {
	r.mu.Lock()
	r.secret = s
	r.mu.Unlock()
}

// setupTestEnv points setup at the fake with the administrator's token and clears every
// other variable setup reads.
func setupTestEnv(t *testing.T, fake *chatwoottest.Server, publicURL string) {
	t.Helper()
	t.Setenv("CHATWOOT_URL", fake.URL)
	t.Setenv("CHATWOOT_USER_TOKEN", "user-token")
	t.Setenv("BOT_PUBLIC_URL", publicURL)
	for _, v := range []string{"BOT_ACCOUNT_ID", "BOT_INBOX_IDS", "BOT_WEBHOOK_TOKEN", "CHATWOOT_TIMEOUT"} {
		t.Setenv(v, "")
	}
}

type setupResult struct {
	stdout, stderr string
	err            error
	env            map[string]string
}

// runSetupCmd runs "cwbot setup ARGS..." through Run, as main does.
func runSetupCmd(t *testing.T, args ...string) setupResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	var out, errb bytes.Buffer
	err := Run(ctx, append([]string{"setup"}, args...), strings.NewReader(""), &out, &errb)
	r := setupResult{stdout: out.String(), stderr: errb.String(), err: err, env: map[string]string{}}
	t.Logf("cwbot setup %s\nstdout:\n%s\nstderr:\n%s\nerr: %v", strings.Join(args, " "), r.stdout, r.stderr, err)
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok {
			r.env[k] = v
		}
	}
	if strings.Contains(r.stdout+r.stderr, "user-token") || (err != nil && strings.Contains(err.Error(), "user-token")) {
		t.Errorf("setup printed the administrator's token:\n%s\n%s", r.stdout, r.stderr)
	}
	return r
}

func adminClient(fake *chatwoottest.Server) *chatwoot.Client {
	return chatwoot.NewClient(fake.URL, "", "user-token")
}

func botsNamed(t *testing.T, fake *chatwoottest.Server, name string) []chatwoot.AgentBot {
	t.Helper()
	bots, err := adminClient(fake).ListAgentBots(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	var out []chatwoot.AgentBot
	for _, b := range bots {
		if b.Name == name {
			out = append(out, b)
		}
	}
	return out
}

func inboxBot(t *testing.T, fake *chatwoottest.Server, inbox int64) *chatwoot.AgentBot {
	t.Helper()
	b, err := adminClient(fake).GetInboxAgentBot(context.Background(), 1, inbox)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func changingRequests(fake *chatwoottest.Server) []string {
	var out []string
	for _, r := range fake.Requests() {
		if r.Method != http.MethodGet {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	return out
}

func TestSetupCreatesAndAttaches(t *testing.T) {
	fake := chatwoottest.NewServer(t, &chatwoottest.Options{NoEcho: true})
	recv := newSetupReceiver(t)
	setupTestEnv(t, fake, recv.URL+"/")

	r := runSetupCmd(t, "--inbox", "7")
	if r.err != nil {
		t.Fatalf("setup: %v\n%s", r.err, r.stderr)
	}
	token, secret := r.env["CHATWOOT_BOT_TOKEN"], r.env["CHATWOOT_WEBHOOK_SECRET"]
	if token == "" || secret == "" || r.env["BOT_ACCOUNT_ID"] != "1" || r.env["BOT_INBOX_IDS"] != "7" {
		t.Fatalf("printed env = %v\n%s", r.env, r.stdout)
	}
	// The user token setup used is not printed, and cwbot needs it for delivery exactly once.
	if !strings.Contains(r.stdout, "# Set CHATWOOT_USER_TOKEN too") || !strings.Contains(r.stdout, "exactly once") ||
		strings.Contains(r.stdout, "user-token") {
		t.Errorf("stdout does not say that CHATWOOT_USER_TOKEN makes delivery exactly once (without printing it):\n%s", r.stdout)
	}
	// The fake's inbox 7 starts with its own bot "Acme Assistant": setup says it replaces it.
	if !strings.Contains(r.stderr, "SAFE_FETCH_ALLOW_PRIVATE_NETWORK") {
		t.Errorf("stderr does not warn that a loopback BOT_PUBLIC_URL must be reachable:\n%s", r.stderr)
	}
	if !strings.Contains(r.stderr, `"Acme Assistant" (id 3) connected: it is replaced`) {
		t.Errorf("stderr does not say the previous bot is replaced:\n%s", r.stderr)
	}
	bots := botsNamed(t, fake, "Telecom assistant")
	if len(bots) != 1 {
		t.Fatalf("bots named Telecom assistant: %+v", bots)
	}
	got := inboxBot(t, fake, 7)
	if got == nil || got.ID != bots[0].ID || got.OutgoingURL != recv.URL+"/webhooks/chatwoot" || got.AccessToken != token {
		t.Fatalf("inbox 7 bot = %+v, want id %d, outgoing %s, the printed token", got, bots[0].ID, recv.URL+"/webhooks/chatwoot")
	}

	// The printed token is a bot token: it may post to a conversation, as the bot.
	ctx := context.Background()
	conv := fake.NewConversation(chatwoottest.ConversationSpec{ContactName: "Ana", Phone: "+5511999990000"})
	botClient := chatwoot.NewClient(fake.URL, token, "")
	if _, err := botClient.CreateMessage(ctx, 1, conv, chatwoot.NewMessage{Content: "hello from setup"}); err != nil {
		t.Fatalf("posting with the printed bot token: %v", err)
	}
	msgs := fake.Messages(conv)
	if len(msgs) != 1 || msgs[0].SenderType != chatwoot.SenderAgentBot || msgs[0].SenderID != got.ID {
		t.Fatalf("messages = %+v", msgs)
	}

	// Chatwoot now delivers the inbox's webhooks to BOT_PUBLIC_URL/webhooks/chatwoot,
	// signed with the printed secret.
	recv.setSecret(secret)
	d, err := fake.CustomerSays(ctx, conv, "oi")
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != http.StatusOK {
		t.Fatalf("webhook to %s: status %d, err %v", d.URL, d.Status, d.Err)
	}
}

func TestSetupTwiceUpdatesWithoutDuplicate(t *testing.T) {
	fake := chatwoottest.NewServer(t, &chatwoottest.Options{NoEcho: true})
	setupTestEnv(t, fake, "http://cwbot-old.internal:8080")
	first := runSetupCmd(t, "--inbox", "7")
	if first.err != nil {
		t.Fatalf("first run: %v\n%s", first.err, first.stderr)
	}

	// Same environment: nothing to change, no write at all.
	before := len(changingRequests(fake))
	same := runSetupCmd(t, "--inbox", "7")
	if same.err != nil {
		t.Fatalf("second run: %v\n%s", same.err, same.stderr)
	}
	if w := changingRequests(fake)[before:]; len(w) != 0 {
		t.Errorf("a run with nothing to change made %v", w)
	}
	if same.env["CHATWOOT_BOT_TOKEN"] != first.env["CHATWOOT_BOT_TOKEN"] {
		t.Errorf("token changed: %q then %q", first.env["CHATWOOT_BOT_TOKEN"], same.env["CHATWOOT_BOT_TOKEN"])
	}
	if _, printed := same.env["CHATWOOT_WEBHOOK_SECRET"]; printed || !strings.Contains(same.stdout, "# CHATWOOT_WEBHOOK_SECRET is unchanged") ||
		!strings.Contains(same.stdout, "--reset-secret") {
		t.Errorf("second run should keep the secret and say how to rotate it:\n%s", same.stdout)
	}

	// The public URL moved: the bot is updated in place.
	t.Setenv("BOT_PUBLIC_URL", "https://cwbot.example.com")
	t.Setenv("BOT_INBOX_IDS", "5,7")
	fake.SetInbox(chatwoottest.Inbox{ID: 5, Name: "WhatsApp Sales", Timezone: "UTC"}) // BOT_INBOX_IDS names inboxes of the account
	moved := runSetupCmd(t, "--inbox", "7")
	if moved.err != nil {
		t.Fatalf("third run: %v\n%s", moved.err, moved.stderr)
	}
	bots := botsNamed(t, fake, "Telecom assistant")
	if len(bots) != 1 {
		t.Fatalf("want one bot after three runs, got %+v", bots)
	}
	got := inboxBot(t, fake, 7)
	if got == nil || got.ID != bots[0].ID || got.OutgoingURL != "https://cwbot.example.com/webhooks/chatwoot" {
		t.Fatalf("inbox 7 bot = %+v", got)
	}
	if strings.Contains(moved.stderr, "SAFE_FETCH") {
		t.Errorf("a public BOT_PUBLIC_URL drew the private address note:\n%s", moved.stderr)
	}
	if got.Description == "" {
		t.Error("the update blanked the bot's description")
	}
	if moved.env["CHATWOOT_BOT_TOKEN"] != first.env["CHATWOOT_BOT_TOKEN"] || moved.env["BOT_INBOX_IDS"] != "5,7" {
		t.Errorf("third run env = %v", moved.env)
	}
	if strings.Contains(moved.stderr, "replaced") {
		t.Errorf("the bot was already connected, nothing is replaced:\n%s", moved.stderr)
	}
	var patches int
	for _, w := range changingRequests(fake) {
		if strings.HasPrefix(w, "PATCH ") {
			patches++
		}
	}
	if patches != 1 {
		t.Errorf("want one PATCH, requests: %v", changingRequests(fake))
	}
}

func TestSetupResetSecret(t *testing.T) {
	fake := chatwoottest.NewServer(t, &chatwoottest.Options{NoEcho: true})
	recv := newSetupReceiver(t)
	setupTestEnv(t, fake, recv.URL)
	first := runSetupCmd(t, "--inbox", "7")
	if first.err != nil {
		t.Fatalf("first run: %v\n%s", first.err, first.stderr)
	}
	reset := runSetupCmd(t, "--inbox", "7", "--reset-secret")
	if reset.err != nil {
		t.Fatalf("reset: %v\n%s", reset.err, reset.stderr)
	}
	oldSecret, newSecret := first.env["CHATWOOT_WEBHOOK_SECRET"], reset.env["CHATWOOT_WEBHOOK_SECRET"]
	if newSecret == "" || newSecret == oldSecret {
		t.Fatalf("secret %q then %q:\n%s", oldSecret, newSecret, reset.stdout)
	}
	if len(botsNamed(t, fake, "Telecom assistant")) != 1 {
		t.Fatal("reset created a bot")
	}
	// Webhooks are now signed with the new secret, not the old one.
	ctx := context.Background()
	conv := fake.NewConversation(chatwoottest.ConversationSpec{ContactName: "Bo"})
	recv.setSecret(oldSecret)
	if d, err := fake.CustomerSays(ctx, conv, "one"); err != nil || d.Status != http.StatusUnauthorized {
		t.Fatalf("old secret: status %d, err %v", d.Status, err)
	}
	recv.setSecret(newSecret)
	if d, err := fake.CustomerSays(ctx, conv, "two"); err != nil || d.Status != http.StatusOK {
		t.Fatalf("new secret: status %d, err %v", d.Status, err)
	}
}

func TestSetupDryRunChangesNothing(t *testing.T) {
	fake := chatwoottest.NewServer(t, &chatwoottest.Options{NoEcho: true})
	setupTestEnv(t, fake, "http://cwbot:8080")
	r := runSetupCmd(t, "--inbox", "7", "--dry-run", "--reset-secret")
	if r.err != nil {
		t.Fatalf("dry run: %v\n%s", r.err, r.stderr)
	}
	for _, want := range []string{
		`POST /api/v1/accounts/1/agent_bots {"name":"Telecom assistant","description":`,
		`"outgoing_url":"http://cwbot:8080/webhooks/chatwoot","bot_type":"webhook"}`,
		`POST /api/v1/accounts/1/inboxes/7/set_agent_bot {"agent_bot":"<id of the new bot>"}`,
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, r.stdout)
		}
	}
	if len(r.env) != 0 {
		t.Errorf("dry run printed variables: %v", r.env)
	}
	if !strings.Contains(r.stderr, "it would be replaced") {
		t.Errorf("dry run does not say the connected bot would be replaced:\n%s", r.stderr)
	}
	if w := changingRequests(fake); len(w) != 0 {
		t.Fatalf("dry run made %v", w)
	}
	if len(botsNamed(t, fake, "Telecom assistant")) != 0 {
		t.Fatal("dry run created the bot")
	}
	if b := inboxBot(t, fake, 7); b == nil || b.ID != 3 {
		t.Fatalf("dry run changed inbox 7's bot: %+v", b)
	}

	// Against an existing bot with another URL: the PATCH and the reset are listed, not made.
	if r := runSetupCmd(t, "--inbox", "7"); r.err != nil {
		t.Fatal(r.err)
	}
	before := len(changingRequests(fake))
	t.Setenv("BOT_PUBLIC_URL", "https://elsewhere.example.com")
	r = runSetupCmd(t, "--inbox", "7", "--dry-run", "--reset-secret")
	if r.err != nil {
		t.Fatalf("dry run: %v\n%s", r.err, r.stderr)
	}
	bot := botsNamed(t, fake, "Telecom assistant")[0]
	for _, want := range []string{"PATCH /api/v1/accounts/1/agent_bots/", "https://elsewhere.example.com/webhooks/chatwoot", "/reset_secret"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, r.stdout)
		}
	}
	if w := changingRequests(fake)[before:]; len(w) != 0 {
		t.Fatalf("dry run made %v", w)
	}
	if bot.OutgoingURL != "http://cwbot:8080/webhooks/chatwoot" {
		t.Fatalf("dry run changed the bot: %+v", bot)
	}
}

func TestSetupErrors(t *testing.T) {
	fake := chatwoottest.NewServer(t, nil)
	slow := chatwoottest.NewServer(t, nil)
	slow.SetLatency(2 * time.Second)
	// A web server that is not Chatwoot: 404 without Chatwoot's JSON error.
	notChatwoot := httptest.NewServer(http.NotFoundHandler())
	defer notChatwoot.Close()
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
		code int
	}{
		{"WrongToken", map[string]string{"CHATWOOT_USER_TOKEN": "not-a-token"}, nil,
			"Chatwoot refused CHATWOOT_USER_TOKEN: use an administrator's access token (Profile settings > Access Token)", 1},
		{"BotTokenInsteadOfAdmin", map[string]string{"CHATWOOT_USER_TOKEN": "bot-token"}, nil,
			"it is an AgentBot's access token", 1},
		{"UnknownInbox", nil, []string{"--inbox", "42"}, "inbox 42 not found in account 1", 1},
		{"NotChatwoot", map[string]string{"CHATWOOT_URL": notChatwoot.URL}, nil, "is CHATWOOT_URL the base URL of Chatwoot", 1},
		{"OtherAccount", nil, []string{"--inbox", "7", "--account", "2"}, "not in that account", 1},
		{"Unreachable", map[string]string{"CHATWOOT_URL": "http://127.0.0.1:1"}, nil,
			"cannot reach Chatwoot at CHATWOOT_URL http://127.0.0.1:1: connection refused", 1},
		{"Timeout", map[string]string{"CHATWOOT_URL": slow.URL, "CHATWOOT_TIMEOUT": "100ms"}, nil,
			"cannot reach Chatwoot at CHATWOOT_URL " + slow.URL + ": no answer within 100ms", 1},
		{"NoPublicURL", map[string]string{"BOT_PUBLIC_URL": ""}, nil, "BOT_PUBLIC_URL is not set", 1},
		{"NoChatwootURL", map[string]string{"CHATWOOT_URL": ""}, nil, "CHATWOOT_URL is not set", 1},
		{"NoUserToken", map[string]string{"CHATWOOT_USER_TOKEN": ""}, nil, "CHATWOOT_USER_TOKEN is not set", 1},
		{"RelativePublicURL", map[string]string{"BOT_PUBLIC_URL": "cwbot:8080"}, nil, "BOT_PUBLIC_URL \"cwbot:8080\" is not an absolute http(s) URL", 1},
		{"BadAccountEnv", map[string]string{"BOT_ACCOUNT_ID": "one"}, nil, "BOT_ACCOUNT_ID \"one\"", 1},
		{"NoInbox", nil, []string{}, "--inbox is required", 2},
		{"StrayArgument", nil, []string{"--inbox", "7", "extra"}, `unexpected argument "extra"`, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setupTestEnv(t, fake, "http://cwbot:8080")
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			args := tc.args
			if args == nil {
				args = []string{"--inbox", "7"}
			}
			before := len(fake.Requests())
			r := runSetupCmd(t, args...)
			if r.err == nil {
				t.Fatalf("no error; stdout:\n%s", r.stdout)
			}
			msg := r.err.Error()
			if !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") {
				t.Errorf("error = %q, want one line containing %q", msg, tc.want)
			}
			if c := exitCode(r.err); c != tc.code {
				t.Errorf("exit code %d, want %d", c, tc.code)
			}
			if r.stdout != "" {
				t.Errorf("a failed run printed on stdout:\n%s", r.stdout)
			}
			for _, req := range fake.Requests()[before:] {
				if req.Method != http.MethodGet {
					t.Errorf("a failed run made %s %s", req.Method, req.Path)
				}
			}
		})
	}
	if len(botsNamed(t, fake, "Telecom assistant")) != 0 {
		t.Error("a failed run created the bot")
	}
}

func TestSetupHelp(t *testing.T) {
	t.Setenv("CHATWOOT_URL", "")
	r := runSetupCmd(t, "-h")
	if !errors.Is(r.err, flag.ErrHelp) || exitCode(r.err) != 0 {
		t.Fatalf("err = %v", r.err)
	}
	for _, want := range []string{"Usage: cwbot setup --inbox ID", "-dry-run", "-reset-secret", "CHATWOOT_USER_TOKEN", "only GET", "BOT_PUBLIC_URL/webhooks/chatwoot"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("usage lacks %q:\n%s", want, r.stderr)
		}
	}
	var out, errb bytes.Buffer
	if err := Run(context.Background(), []string{"help"}, nil, &out, &errb); err != nil || !strings.Contains(out.String(), "cwbot setup --inbox ID") {
		t.Errorf("main usage does not list setup: %v\n%s", err, out.String())
	}
}

func TestSetupWebhookToken(t *testing.T) {
	fake := chatwoottest.NewServer(t, &chatwoottest.Options{NoEcho: true})
	setupTestEnv(t, fake, "https://cwbot.example.com")
	t.Setenv("BOT_WEBHOOK_TOKEN", "s3cr3t tok")
	r := runSetupCmd(t, "--inbox", "7")
	if r.err != nil {
		t.Fatalf("setup: %v\n%s", r.err, r.stderr)
	}
	if got := inboxBot(t, fake, 7); got == nil || got.OutgoingURL != "https://cwbot.example.com/webhooks/chatwoot?token=s3cr3t+tok" {
		t.Fatalf("inbox 7 bot = %+v", got)
	}
	if strings.Contains(r.stdout+r.stderr, "s3cr3t") {
		t.Errorf("setup printed BOT_WEBHOOK_TOKEN:\n%s\n%s", r.stdout, r.stderr)
	}
}

func TestSetupInternalHost(t *testing.T) {
	for raw, want := range map[string]bool{
		"http://cwbot:8080/webhooks/chatwoot":          true,
		"http://127.0.0.1:8080/webhooks/chatwoot":      true,
		"http://10.0.0.5/webhooks/chatwoot":            true,
		"http://192.168.1.20:8080/webhooks/chatwoot":   true,
		"http://localhost:8080/webhooks/chatwoot":      true,
		"http://[::1]:8080/webhooks/chatwoot":          true,
		"https://cwbot.example.com/webhooks/chatwoot":  false,
		"https://203.0.113.10/webhooks/chatwoot":       false,
		"http://cwbot.internal:8080/webhooks/chatwoot": false,
	} {
		if got := internalHost(raw); got != want {
			t.Errorf("internalHost(%q) = %v, want %v", raw, got, want)
		}
	}
}

func TestSetupKeepsSecretWhenAttachFails(t *testing.T) {
	fake := chatwoottest.NewServer(t, &chatwoottest.Options{NoEcho: true})
	setupTestEnv(t, fake, "https://cwbot.example.com")
	fake.FailPath("/set_agent_bot", 1, http.StatusInternalServerError)
	r := runSetupCmd(t, "--inbox", "7")
	if r.err == nil || !strings.Contains(r.err.Error(), "status 500") {
		t.Fatalf("err = %v", r.err)
	}
	first := r.env["CHATWOOT_WEBHOOK_SECRET"]
	if first == "" || r.env["CHATWOOT_BOT_TOKEN"] == "" {
		t.Fatalf("the new bot's secret was lost:\n%s", r.stdout)
	}
	// Running again connects the same bot and keeps that secret.
	again := runSetupCmd(t, "--inbox", "7")
	if again.err != nil {
		t.Fatalf("second run: %v\n%s", again.err, again.stderr)
	}
	bots := botsNamed(t, fake, "Telecom assistant")
	if got := inboxBot(t, fake, 7); len(bots) != 1 || got == nil || got.ID != bots[0].ID {
		t.Fatalf("bots %+v, inbox 7 bot %+v", bots, got)
	}
	if again.env["CHATWOOT_BOT_TOKEN"] != r.env["CHATWOOT_BOT_TOKEN"] {
		t.Error("the second run printed another token")
	}
}

package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/cwbot/cwbot/chatwoot"
)

const setupUsage = `Usage: cwbot setup --inbox ID [--account ID] [--name NAME] [--reset-secret] [--dry-run]

Registers this service as a Chatwoot AgentBot and connects it to an inbox:
  1. checks that the inbox exists;
  2. creates the bot (a "webhook" AgentBot) whose outgoing URL is
     $BOT_PUBLIC_URL/webhooks/chatwoot, or, when a bot of that name already exists,
     updates its outgoing URL (running setup twice leaves one bot);
  3. connects the bot to the inbox, replacing any other bot connected to it;
  4. prints the variables cwbot needs (CHATWOOT_BOT_TOKEN, CHATWOOT_WEBHOOK_SECRET,
     BOT_ACCOUNT_ID, BOT_INBOX_IDS) on standard output, progress on standard error,
     so "cwbot setup --inbox 7 >> /etc/cwbot/env" appends them to an env file.

Chatwoot returns a bot's webhook secret only when the bot is created. When the bot
already exists the secret you have is kept, unless --reset-secret issues a new one
(Chatwoot 4.13+; restart cwbot with it, webhooks signed with the new secret are
refused until then).

Environment:
  CHATWOOT_URL         base URL of Chatwoot, such as https://chat.example.com (required)
  CHATWOOT_USER_TOKEN  an administrator's access token (Profile settings > Access Token),
                       never printed (required); give it to cwbot too: with it, every
                       reply is delivered exactly once, even across a crash
  BOT_PUBLIC_URL       the URL at which Chatwoot reaches this service, such as
                       https://cwbot.example.com (required)
  BOT_ACCOUNT_ID       default of --account
  BOT_INBOX_IDS        inboxes already configured: the printed list adds --inbox to them
  BOT_WEBHOOK_TOKEN    when set, the outgoing URL carries it as ?token= (Chatwoot before
                       4.13 does not sign webhooks)
  CHATWOOT_TIMEOUT     timeout of each call (default 10s)

Flags:`

// setupOptions is the parsed command line and environment of setup.
type setupOptions struct {
	chatwootURL  string
	userToken    string
	outgoingURL  string
	shownURL     string // outgoingURL with the webhook token masked, for printing
	account      int64
	inbox        int64
	inboxIDs     []int64 // BOT_INBOX_IDS with inbox added
	name         string
	resetSecret  bool
	dryRun       bool
	timeout      time.Duration
	description  string
	webhookToken bool
}

func runSetup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	opts, err := parseSetup(args, stderr)
	if err != nil {
		return err
	}
	client := chatwoot.NewClient(opts.chatwootURL, "", opts.userToken, chatwoot.WithTimeout(opts.timeout))
	s := &setup{opts: opts, client: client, stdout: stdout, stderr: stderr}
	if err := s.run(ctx); err != nil {
		return s.explain(err)
	}
	return nil
}

func parseSetup(args []string, stderr io.Writer) (setupOptions, error) {
	o := setupOptions{description: "Telecom self-service (cwbot)"}
	fs := flag.NewFlagSet("setup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, setupUsage)
		fs.PrintDefaults()
	}
	defAccount, envAccount := int64(1), int64(0)
	if v := strings.TrimSpace(os.Getenv("BOT_ACCOUNT_ID")); v != "" && v != "0" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return o, fmt.Errorf("setup: BOT_ACCOUNT_ID %q is not an account id", v)
		}
		defAccount, envAccount = n, n
	}
	fs.Int64Var(&o.inbox, "inbox", 0, "id of the Chatwoot inbox to connect the bot to (required; the number in the inbox's settings URL)")
	fs.Int64Var(&o.account, "account", defAccount, "Chatwoot account id, the number after /app/accounts/ in its URLs (BOT_ACCOUNT_ID sets the default)")
	fs.StringVar(&o.name, "name", "Telecom assistant", "name of the AgentBot; an existing bot of this name is updated, not duplicated")
	fs.BoolVar(&o.resetSecret, "reset-secret", false, "issue a new webhook secret for an existing bot and print it (Chatwoot 4.13+)")
	fs.BoolVar(&o.dryRun, "dry-run", false, "print the calls that would change Chatwoot (method, path, body) without making them; only GET requests (reads) are made")
	if err := parseFlags(fs, args); err != nil {
		return o, err
	}
	switch {
	case fs.NArg() > 0:
		return o, usageError{fmt.Sprintf("setup: unexpected argument %q (see cwbot setup -h)", fs.Arg(0))}
	case o.inbox <= 0:
		return o, usageError{"setup: --inbox is required: the id of the Chatwoot inbox (Settings > Inboxes, the number in the inbox's URL)"}
	case o.account <= 0:
		return o, usageError{"setup: --account must be a positive account id"}
	case envAccount != 0 && o.account != envAccount:
		// One cwbot serves one account: printing BOT_ACCOUNT_ID=2 beside BOT_INBOX_IDS of
		// account 1 would leave account 1's inboxes connected to a bot that ignores them.
		return o, usageError{fmt.Sprintf("setup: --account %d is not BOT_ACCOUNT_ID=%d: a cwbot serves one account; run another cwbot (its own BOT_DB and BOT_ADDR) for account %d, set up from an environment without BOT_ACCOUNT_ID and BOT_INBOX_IDS", o.account, envAccount, o.account)}
	case strings.TrimSpace(o.name) == "":
		return o, usageError{"setup: --name must not be empty"}
	}
	o.name = strings.TrimSpace(o.name)

	o.chatwootURL = strings.TrimRight(strings.TrimSpace(os.Getenv("CHATWOOT_URL")), "/")
	o.userToken = strings.TrimSpace(os.Getenv("CHATWOOT_USER_TOKEN"))
	public := strings.TrimRight(strings.TrimSpace(os.Getenv("BOT_PUBLIC_URL")), "/")
	switch {
	case o.chatwootURL == "":
		return o, errors.New("setup: CHATWOOT_URL is not set: the base URL of your Chatwoot, such as https://chat.example.com")
	case o.userToken == "":
		return o, errors.New("setup: CHATWOOT_USER_TOKEN is not set: an administrator's access token (Profile settings > Access Token)")
	case public == "":
		return o, errors.New("setup: BOT_PUBLIC_URL is not set: the URL at which Chatwoot reaches this service, such as https://cwbot.example.com (webhooks go to BOT_PUBLIC_URL/webhooks/chatwoot)")
	}
	if !absoluteHTTP(o.chatwootURL) {
		return o, fmt.Errorf("setup: CHATWOOT_URL %q is not an absolute http(s) URL", o.chatwootURL)
	}
	if !absoluteHTTP(public) {
		return o, fmt.Errorf("setup: BOT_PUBLIC_URL %q is not an absolute http(s) URL", public)
	}
	if u, _ := url.Parse(public); u.RawQuery != "" || u.Fragment != "" {
		return o, fmt.Errorf("setup: BOT_PUBLIC_URL %q must not have a query or fragment", public)
	}
	o.outgoingURL = public + "/webhooks/chatwoot"
	o.shownURL = o.outgoingURL
	if tok := os.Getenv("BOT_WEBHOOK_TOKEN"); tok != "" {
		o.webhookToken = true
		o.outgoingURL += "?token=" + url.QueryEscape(tok)
		o.shownURL += "?token=<BOT_WEBHOOK_TOKEN>"
	}

	o.timeout = 10 * time.Second
	if v := strings.TrimSpace(os.Getenv("CHATWOOT_TIMEOUT")); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return o, fmt.Errorf("setup: CHATWOOT_TIMEOUT %q is not a duration such as 10s", v)
		}
		o.timeout = d
	}

	for _, f := range strings.Split(os.Getenv("BOT_INBOX_IDS"), ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return o, fmt.Errorf("setup: BOT_INBOX_IDS %q: %q is not an inbox id", os.Getenv("BOT_INBOX_IDS"), f)
		}
		if !slices.Contains(o.inboxIDs, n) {
			o.inboxIDs = append(o.inboxIDs, n)
		}
	}
	if !slices.Contains(o.inboxIDs, o.inbox) {
		o.inboxIDs = append(o.inboxIDs, o.inbox)
	}
	return o, nil
}

func absoluteHTTP(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// setup is one run of the command.
type setup struct {
	opts   setupOptions
	client *chatwoot.Client
	stdout io.Writer
	stderr io.Writer
	// step names the call under way, for errors that need it.
	step string
}

func (s *setup) logf(format string, args ...any) {
	fmt.Fprintf(s.stderr, "setup: "+format+"\n", args...)
}

// planned prints a call that dry-run does not make.
func (s *setup) planned(method, path string, body any) {
	line := fmt.Sprintf("%s /api/v1/accounts/%d/%s", method, s.opts.account, path)
	if body != nil {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(body)
		line += " " + strings.TrimSpace(b.String())
	}
	fmt.Fprintln(s.stdout, line)
}

// botBody is what CreateAgentBot and UpdateAgentBot send, for dry-run's listing.
type botBody struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	OutgoingURL string `json:"outgoing_url"`
	BotType     string `json:"bot_type"`
}

func (s *setup) run(ctx context.Context) error {
	o := s.opts
	s.step = "get_inbox"
	inbox, err := s.client.GetInbox(ctx, o.account, o.inbox)
	if err != nil {
		return err
	}
	s.logf("inbox %d %q (%s) in account %d at %s", inbox.ID, inbox.Name, inbox.ChannelType, o.account, o.chatwootURL)
	if inbox.ChannelType != "" && inbox.ChannelType != "Channel::Whatsapp" {
		s.logf("note: inbox %d is a %s inbox, not WhatsApp; the bot works there too, but its menus are made for WhatsApp", inbox.ID, inbox.ChannelType)
	}

	if internalHost(o.outgoingURL) {
		s.logf("note: BOT_PUBLIC_URL is a private or internal address: Chatwoot (its Sidekiq workers) must reach it, and Chatwoot 4.14+ refuses webhooks to private addresses unless its environment has SAFE_FETCH_ALLOW_PRIVATE_NETWORK=true")
	}

	s.step = "list_agent_bots"
	bots, err := s.client.ListAgentBots(ctx, o.account)
	if err != nil {
		return err
	}
	var bot *chatwoot.AgentBot
	same := 0
	for i := range bots {
		if bots[i].Name == o.name {
			same++
			if bot == nil || bots[i].ID < bot.ID {
				bot = &bots[i]
			}
		}
	}
	if same > 1 {
		s.logf("warning: %d bots are named %q; using the oldest (id %d); delete the others in Settings > Bots", same, o.name, bot.ID)
	}
	// Before any change: BOT_INBOX_IDS must be inboxes of this account, and the printed
	// list keeps the other inboxes the bot already serves.
	s.checkInboxes(ctx, bot)

	s.step = "get_inbox_agent_bot"
	current, err := s.client.GetInboxAgentBot(ctx, o.account, o.inbox)
	if err != nil {
		return err
	}

	shown := botBody{Name: o.name, Description: o.description, OutgoingURL: o.shownURL, BotType: "webhook"}
	var secret string
	created := false
	switch {
	case bot == nil && o.dryRun:
		s.planned("POST", "agent_bots", shown)
	case bot == nil:
		s.step = "create_agent_bot"
		bot, err = s.client.CreateAgentBot(ctx, o.account, chatwoot.AgentBotInput{Name: o.name, Description: o.description, OutgoingURL: o.outgoingURL})
		if err != nil {
			return err
		}
		created, secret = true, bot.Secret
		s.logf("created bot %q (id %d) with outgoing URL %s", bot.Name, bot.ID, o.shownURL)
	case bot.OutgoingURL == o.outgoingURL:
		s.logf("bot %q (id %d) exists with outgoing URL %s: unchanged", bot.Name, bot.ID, o.shownURL)
	default:
		// Keep the description: UpdateAgentBot sends every field.
		in := chatwoot.AgentBotInput{Name: bot.Name, Description: bot.Description, OutgoingURL: o.outgoingURL}
		if o.dryRun {
			shown.Description = bot.Description
			s.planned("PATCH", fmt.Sprintf("agent_bots/%d", bot.ID), shown)
			break
		}
		s.step = "update_agent_bot"
		updated, err := s.client.UpdateAgentBot(ctx, o.account, bot.ID, in)
		if err != nil {
			return err
		}
		if updated.AccessToken == "" {
			updated.AccessToken = bot.AccessToken
		}
		s.logf("bot %q (id %d): outgoing URL changed from %s to %s", bot.Name, bot.ID, maskToken(bot.OutgoingURL), o.shownURL)
		bot = updated
	}

	if o.resetSecret && !created {
		if o.dryRun {
			if bot != nil {
				s.planned("POST", fmt.Sprintf("agent_bots/%d/reset_secret", bot.ID), nil)
			}
		} else {
			s.step = "reset_agent_bot_secret"
			reset, err := s.client.ResetAgentBotSecret(ctx, o.account, bot.ID)
			if err != nil {
				return err
			}
			secret = reset.Secret
			if secret == "" {
				return errors.New("setup: Chatwoot answered reset_secret without a secret: --reset-secret needs Chatwoot 4.13 or later")
			}
			s.logf("issued a new webhook secret for bot %d: restart cwbot with it, webhooks signed with it are refused until then", bot.ID)
		}
	}

	switch {
	case current != nil && bot != nil && current.ID == bot.ID:
		s.logf("bot %d is already connected to inbox %d", bot.ID, o.inbox)
	default:
		if current != nil {
			verb := "is"
			if o.dryRun {
				verb = "would be"
			}
			s.logf("inbox %d has bot %q (id %d) connected: it %s replaced", o.inbox, current.Name, current.ID, verb)
		}
		path := fmt.Sprintf("inboxes/%d/set_agent_bot", o.inbox)
		if o.dryRun {
			if bot == nil {
				s.planned("POST", path, map[string]string{"agent_bot": "<id of the new bot>"})
			} else {
				s.planned("POST", path, map[string]int64{"agent_bot": bot.ID})
			}
			break
		}
		s.step = "set_inbox_agent_bot"
		if err := s.client.SetInboxAgentBot(ctx, o.account, o.inbox, bot.ID); err != nil {
			if secret != "" {
				// Chatwoot will not show this secret again: print it before failing.
				s.printEnv(bot, secret, created)
				s.logf("the bot is registered but not connected to inbox %d; keep the variables printed, fix the error and run setup again", o.inbox)
			}
			return err
		}
		s.logf("connected bot %d to inbox %d", bot.ID, o.inbox)
	}

	if o.dryRun {
		s.logf("dry run: nothing was changed (only GET requests were made)")
		return nil
	}
	s.printEnv(bot, secret, created)
	return nil
}

// checkInboxes reads the account's inboxes. An inbox of BOT_INBOX_IDS that is not one of
// them was deleted or belongs to another account, which a cwbot of this BOT_ACCOUNT_ID
// cannot serve: it is left out of the printed list, with a warning. And the other inboxes the existing bot is connected to are added to the printed
// BOT_INBOX_IDS: an env file that got the list of this run alone would make the service
// ignore them, while Chatwoot keeps sending their webhooks to the bot. A failure to read
// is reported, not fatal.
func (s *setup) checkInboxes(ctx context.Context, bot *chatwoot.AgentBot) {
	o := &s.opts
	s.step = "list_inboxes"
	inboxes, err := s.client.ListInboxes(ctx, o.account)
	if err != nil {
		s.logf("warning: could not list the inboxes of account %d (%v): check BOT_INBOX_IDS yourself", o.account, err)
		return
	}
	ids := make(map[int64]bool, len(inboxes))
	for _, in := range inboxes {
		ids[in.ID] = true
	}
	o.inboxIDs = slices.DeleteFunc(o.inboxIDs, func(id int64) bool {
		if id == o.inbox || ids[id] {
			return false
		}
		s.logf("warning: BOT_INBOX_IDS has inbox %d, which account %d does not have (deleted, or another account's: a cwbot serves one account): left out of BOT_INBOX_IDS", id, o.account)
		return true
	})
	if bot == nil {
		return // a bot about to be created serves no inbox yet
	}
	for _, in := range inboxes {
		if in.ID == o.inbox || slices.Contains(o.inboxIDs, in.ID) {
			continue
		}
		s.step = "get_inbox_agent_bot"
		b, err := s.client.GetInboxAgentBot(ctx, o.account, in.ID)
		switch {
		case err != nil:
			s.logf("warning: could not read the bot of inbox %d (%v): if it is bot %d, add it to BOT_INBOX_IDS", in.ID, err, bot.ID)
		case b != nil && b.ID == bot.ID:
			o.inboxIDs = append(o.inboxIDs, in.ID)
			s.logf("bot %d also serves inbox %d %q: kept in BOT_INBOX_IDS", bot.ID, in.ID, in.Name)
		}
	}
}

// printEnv writes the variables for cwbot's environment on stdout.
func (s *setup) printEnv(bot *chatwoot.AgentBot, secret string, created bool) {
	o := s.opts
	w := s.stdout
	fmt.Fprintf(w, "# cwbot setup %s: bot %q (id %d), account %d, inbox %d, webhooks to %s\n",
		time.Now().UTC().Format(time.RFC3339), bot.Name, bot.ID, o.account, o.inbox, o.shownURL)
	if bot.AccessToken != "" {
		fmt.Fprintf(w, "CHATWOOT_BOT_TOKEN=%s\n", bot.AccessToken)
	} else {
		fmt.Fprintf(w, "# CHATWOOT_BOT_TOKEN: Chatwoot did not return it; copy the access token of %q from Settings > Bots\n", bot.Name)
	}
	switch {
	case secret != "":
		fmt.Fprintf(w, "CHATWOOT_WEBHOOK_SECRET=%s\n", secret)
	case created && o.webhookToken:
		fmt.Fprintln(w, "# no webhook secret returned (Chatwoot before 4.13 does not sign webhooks): BOT_WEBHOOK_TOKEN in the outgoing URL authenticates them")
	case created:
		fmt.Fprintln(w, "# no webhook secret returned (Chatwoot before 4.13 does not sign webhooks): set BOT_WEBHOOK_TOKEN and run setup again so the outgoing URL carries it")
	case o.webhookToken:
		fmt.Fprintln(w, "# webhooks are authenticated by BOT_WEBHOOK_TOKEN in the outgoing URL, unchanged: keep the one you have")
	default:
		fmt.Fprintln(w, "# CHATWOOT_WEBHOOK_SECRET is unchanged: Chatwoot returns a bot's secret only when it is created; keep the one you have, or run \"cwbot setup --reset-secret\" to issue a new one")
	}
	fmt.Fprintf(w, "BOT_ACCOUNT_ID=%d\n", o.account)
	ids := make([]string, len(o.inboxIDs))
	for i, id := range o.inboxIDs {
		ids[i] = strconv.FormatInt(id, 10)
	}
	fmt.Fprintf(w, "BOT_INBOX_IDS=%s\n", strings.Join(ids, ","))
	fmt.Fprint(w, userTokenNote)
}

// userTokenNote follows the variables setup prints: the token setup used is not printed,
// and without one cwbot cannot tell, after a crash, whether Chatwoot took a reply.
const userTokenNote = `# Set CHATWOOT_USER_TOKEN too (an administrator's access token, as setup used; not printed
# here) for delivery exactly once: after a crash or a lost answer, cwbot looks among the
# conversation's messages for a reply Chatwoot may have taken before posting it again. With
# the bot token alone, a kill can leave up to BOT_OUTBOX_PARALLEL (8) replies posted twice.
# It also gives working hours, agents' presence and labels.
`

// internalHost reports whether Chatwoot would see raw's host as private: loopback, private
// and link-local addresses, localhost, and single-label names (Docker service names).
func internalHost(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); ip != nil {
		return ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsUnspecified()
	}
	return host == "localhost" || strings.HasSuffix(host, ".localhost") || !strings.Contains(host, ".")
}

// maskToken hides a ?token= in an outgoing URL.
func maskToken(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Query().Get("token") == "" {
		return raw
	}
	q := u.Query()
	q.Set("token", "REDACTED")
	u.RawQuery = q.Encode()
	return u.String()
}

// explain turns a client error into one line that says what to do.
func (s *setup) explain(err error) error {
	o := s.opts
	if errors.Is(err, context.Canceled) {
		return errors.New("setup: interrupted")
	}
	var ae *chatwoot.APIError
	if errors.As(err, &ae) {
		body := strings.ToLower(ae.Body)
		switch {
		case ae.StatusCode == 401 && strings.Contains(body, "not authorized for bots"):
			return errors.New("setup: Chatwoot refused CHATWOOT_USER_TOKEN: it is an AgentBot's access token (like CHATWOOT_BOT_TOKEN), not a user's: use an administrator's access token (Profile settings > Access Token)")
		case ae.StatusCode == 401 && strings.Contains(body, "access this account"):
			return fmt.Errorf("setup: Chatwoot refused CHATWOOT_USER_TOKEN for account %d: the token's user is not in that account (check --account or BOT_ACCOUNT_ID)", o.account)
		case errors.Is(err, chatwoot.ErrUnauthorized) && s.step != "get_inbox":
			return fmt.Errorf("setup: Chatwoot refused %s with CHATWOOT_USER_TOKEN: the token must be an administrator's, not an agent's (Profile settings > Access Token of an administrator)", s.step)
		case errors.Is(err, chatwoot.ErrUnauthorized):
			return errors.New("setup: Chatwoot refused CHATWOOT_USER_TOKEN: use an administrator's access token (Profile settings > Access Token)")
		case ae.StatusCode == 404 && !strings.HasPrefix(strings.TrimSpace(ae.Body), "{"):
			return fmt.Errorf("setup: %s answered %s with 404 and no Chatwoot error: is CHATWOOT_URL the base URL of Chatwoot (no /app path)?", o.chatwootURL, s.step)
		case errors.Is(err, chatwoot.ErrNotFound) && (s.step == "get_inbox" || s.step == "get_inbox_agent_bot" || s.step == "set_inbox_agent_bot"):
			return fmt.Errorf("setup: inbox %d not found in account %d", o.inbox, o.account)
		case errors.Is(err, chatwoot.ErrNotFound) && s.step == "reset_agent_bot_secret":
			return errors.New("setup: Chatwoot has no reset_secret endpoint: --reset-secret needs Chatwoot 4.13 or later")
		case errors.Is(err, chatwoot.ErrNotFound) && s.step == "list_agent_bots":
			return fmt.Errorf("setup: %s has no agent_bots API at account %d: is CHATWOOT_URL the base URL of Chatwoot?", o.chatwootURL, o.account)
		}
		return fmt.Errorf("setup: Chatwoot answered %s with status %d: %s", s.step, ae.StatusCode, strings.TrimSpace(ae.Body))
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		reason := ue.Err.Error()
		var ne net.Error
		var dns *net.DNSError
		switch {
		case errors.Is(err, syscall.ECONNREFUSED):
			reason = "connection refused"
		case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
			reason = fmt.Sprintf("no answer within %s (CHATWOOT_TIMEOUT)", o.timeout)
		case errors.As(err, &dns):
			reason = "unknown host " + dns.Name
		}
		return fmt.Errorf("setup: cannot reach Chatwoot at CHATWOOT_URL %s: %s", o.chatwootURL, reason)
	}
	if errors.Is(err, chatwoot.ErrBadAnswer) {
		return fmt.Errorf("setup: %s did not answer %s as Chatwoot's API does: is CHATWOOT_URL the base URL of Chatwoot (no /app path)?", o.chatwootURL, s.step)
	}
	if strings.HasPrefix(err.Error(), "setup: ") {
		return err
	}
	return fmt.Errorf("setup: %s: %w", s.step, err)
}

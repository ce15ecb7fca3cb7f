package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cwbot/cwbot/chatwoot"
	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
	"github.com/cwbot/cwbot/process"
	"github.com/cwbot/cwbot/process/telcosim"
)

const shellUsage = `Usage: cwbot shell [flags]

Chat with the bot in the terminal, as a WhatsApp customer would. Everything runs in
this process on the built-in defaults, with no configuration: a temporary database
(removed at exit), a fake Chatwoot and a simulated telco. The environment is not read,
so a service's settings (an external NLU, say) never reach the shell; with --env, the
bot's behaviour settings are read from it (BOT_INTENTS_FILE, BOT_INTAKE_FILE,
BOT_CONTENT_FILE, BOT_BUSINESS_HOURS, NLU_KIND, ...), to try them out, while Chatwoot, the telco and the
database stay the shell's own.

Type a message and press Enter; type a button's number to tap it. Router update
progress arrives on its own while you keep typing. Type /help for the commands.
As on WhatsApp, messages typed less than the turn window apart (BOT_TURN_WINDOW, 2s)
are read as one turn and answered once; a button tap is answered at once.

With standard input piped in, each line waits for the bot to be quiet (router
updates included) before the next is sent, so each line is a turn of its own (the
window is 0 unless --turn-window sets one), and the command exits once the bot is
quiet after the last line:

  printf 'hi\nupdate my router\n1\n' | cwbot shell --step-delay 100ms

The simulated telco checks a serial as a real one does. It does not know the serials of
--unknown-serials: an update of one fails as "router not found" (404). It knows those of
--others-serials as another customer's: an update of one is refused as "not registered
to your account" (403). Every other well-formed serial is yours. With --router-id '',
type one of them when the bot asks for your serial to play those answers.

Flags:`

const shellCommands = `Commands:
  /help              this list
  /fail [STEP]       make the next router update fail at STEP: downloading,
                     installing (the default), rebooting or verifying
  /agent TEXT        an agent replies TEXT from the Chatwoot dashboard
  /send KIND [TEXT]  you send a file: KIND image, audio, video or file, TEXT its caption
  /outage on|off     an outage in your area starts (the telco expects it over in 2 hours)
                     or ends (the telco tells the bot)
  /handback          an agent hands the conversation back to the bot (status pending)
  /resolve           an agent resolves the conversation
  /status            the conversation's status, the bot's outbox and router updates
  /reload            read the content file (--content) again, as SIGHUP does to serve
  /quit              leave (so does Ctrl-D)
A number taps that button of the bot's last menu; anything else is your message.`

// shellAgentID is the agent /agent speaks as.
const shellAgentID = 1

// shellPoll is how often the watcher looks for new messages and status changes.
const shellPoll = 50 * time.Millisecond

func runShell(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("shell", flag.ContinueOnError)
	fs.SetOutput(stderr)
	stepDelay := fs.Duration("step-delay", 2*time.Second, "time between the simulated telco's update steps")
	name := fs.String("name", "You", "your name as the WhatsApp contact")
	routerID := fs.String("router-id", "ZX-9900-AB12", "your router's serial on the contact; empty: the bot asks for it")
	unknownSerials := fs.String("unknown-serials", "XX-0000-ZZ00", "serials the simulated telco does not know, comma-separated: updating one fails as not found")
	othersSerials := fs.String("others-serials", "KT-2231-XB99", "serials the simulated telco knows as another customer's, comma-separated: updating one is refused as not yours")
	phone := fs.String("phone", "", "your WhatsApp number (+55..., +52...): its country code suggests the language of a short first message,\nand where you are: +351 is answered in European Portuguese")
	locale := fs.String("locale", "", "your contact's locale (es, pt_BR, ...)")
	logLevel := fs.String("log-level", "warn", "the bot's log level on stderr: debug, info, warn or error")
	wait := fs.Duration("wait", 60*time.Second, "with piped input, the longest wait for the bot to be quiet after a line")
	content := fs.String("content", "", "a content catalog file over the default (the bot's texts: cwbot content export);\n"+
		"/reload reads it again")
	fromEnv := fs.Bool("env", false, "read the bot's behaviour settings from the environment, as serve does (default: the built-in defaults)")
	turnWindow := fs.Duration("turn-window", 0, "messages less than this apart are one turn, answered once; 0 answers each line\n"+
		"(default: BOT_TURN_WINDOW's 2s at a terminal, 0 with piped input, where each line waits for the bot anyway)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, shellUsage)
		fs.PrintDefaults()
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, shellCommands)
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return usageError{fmt.Sprintf("shell: unexpected argument %q", fs.Arg(0))}
	}
	if *stepDelay < 0 || *wait < 0 {
		return usageError{"shell: --step-delay and --wait cannot be negative"}
	}
	if err := checkTurnWindow("shell: --turn-window", *turnWindow); err != nil {
		return usageError{err.Error()}
	}
	turnWindowSet := false
	fs.Visit(func(f *flag.Flag) { turnWindowSet = turnWindowSet || f.Name == "turn-window" })

	cfg := DefaultConfig()
	if *fromEnv {
		var err error
		if cfg, err = LoadConfig(); err != nil {
			return err
		}
	}
	zoneFromPhone := ""
	if _, set := os.LookupEnv("BOT_TIMEZONE"); !(*fromEnv && set) {
		// the shell plays a telco of the customer's country: its clock is theirs
		if zone := phoneZone(*phone); zone != "" {
			cfg.Timezone, zoneFromPhone = zone, zone
		}
	}
	if _, set := os.LookupEnv("ROUTER_ID_SHAPE"); !(*fromEnv && set) {
		cfg.RouterIDShape = shellSerialShape // the shape of the simulated telco's serials
	}
	cfg.LogLevel = *logLevel
	if *content != "" {
		cfg.ContentFile = *content
	}
	logger, err := cfg.NewLogger(stderr)
	if err != nil {
		return err
	}

	dir, err := os.MkdirTemp("", "cwbot-shell-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	ln, err := net.Listen("tcp", "127.0.0.1:0") // kept, and served on: no other process can take the port
	if err != nil {
		return err
	}
	defer ln.Close()
	addr := ln.Addr().String()
	secret := rand.Text()
	fake := chatwoottest.New(chatwoottest.Options{
		WebhookURL:    "http://" + addr + "/webhooks/chatwoot",
		WebhookSecret: secret,
		Logf:          func(format string, args ...any) { logger.Debug(fmt.Sprintf(format, args...)) },
	})
	defer fake.Close()
	fake.AddAgent(chatwoot.Agent{ID: shellAgentID, Name: "Alex", AvailableName: "Alex", Email: "alex@example.com",
		Role: "agent", AvailabilityStatus: "online"})

	cfg.Addr = addr
	cfg.PublicURL = "http://" + addr
	cfg.DB = filepath.Join(dir, "bot.db")
	cfg.ChatwootURL = fake.URL
	cfg.BotToken = "bot-token"
	cfg.UserToken = ""
	cfg.WebhookSecret = secret
	cfg.WebhookToken = ""
	cfg.AccountID = 0
	cfg.InboxIDs = nil
	cfg.TelcoKind = "sim"
	cfg.TelcoURL = ""
	cfg.TelcoToken = ""
	cfg.TelcoCallbackSecret = rand.Text()
	cfg.TelcoSimStepDelay = *stepDelay
	cfg.OutageURL, cfg.OutageToken = "", "" // the simulator's Outage API
	// The turn window: what the flag says; else, typing at a terminal, the service's
	// (BOT_TURN_WINDOW with --env); with piped input none, since each line waits for the
	// bot to be quiet before the next is sent: a window would only delay every answer.
	switch {
	case turnWindowSet:
		cfg.TurnWindow = *turnWindow
	case !isTerminal(stdin):
		cfg.TurnWindow = 0
	}

	app, err := NewApp(ctx, cfg, logger)
	if err != nil {
		return err
	}
	// Closed before the fake (deferred earlier), so no call of the bot meets a closed
	// Chatwoot.
	defer app.Close()
	if err := app.StartOn(ctx, ln); err != nil {
		return err
	}

	// The simulated telco's records: serials it does not know, and others' routers (a phone
	// that is never the shell's).
	for _, id := range serialList(*unknownSerials) {
		app.Sim.AddUnknownRouter(id)
	}
	for _, id := range serialList(*othersSerials) {
		app.Sim.SetOwner(id, shellOtherOwner)
	}

	spec := chatwoottest.ConversationSpec{ContactName: *name, Phone: *phone, Locale: *locale}
	if *routerID != "" {
		spec.ContactAttributes = map[string]any{cfg.RouterIDAttribute: *routerID}
	}
	sh := &shell{
		app:         app,
		zone:        cfg.Zone(),
		fake:        fake,
		conv:        fake.NewConversation(spec),
		out:         stdout,
		interactive: isTerminal(stdin),
		wait:        *wait,
		router:      *routerID,
	}
	sh.ansi = sh.interactive && isTerminal(stdout)
	sh.status = fake.Conversation(sh.conv).Status

	router := "no router serial on your contact: the bot will ask for it"
	if *routerID != "" {
		router = "your router is " + *routerID
	}
	sh.emit(fmt.Sprintf("cwbot shell: you are %q on WhatsApp, %s; updates take a step every %s.", *name, router, *stepDelay),
		"Type a message, a button's number to tap it, or /help. /quit or Ctrl-D leaves.")
	if *routerID == "" {
		if told := telcoRecords(serialList(*unknownSerials), serialList(*othersSerials)); told != "" {
			sh.emit(told)
		}
	}
	if zoneFromPhone != "" {
		sh.emit(fmt.Sprintf("Times are told in %s, your number's country's (--env with BOT_TIMEZONE sets another).", zoneFromPhone))
	}

	err = sh.run(ctx, stdin)
	sh.stopWatching()
	return err
}

// shellOtherOwner is the phone the simulated telco registers --others-serials to: no
// contact of the shell's has it.
const shellOtherOwner = "+10000000000"

// serialList reads a comma-separated list of serials, upper-cased as the bot sends them.
func serialList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.ToUpper(strings.TrimSpace(f)); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// telcoRecords tells a customer with no router on file which serials play the telco's
// refusals; "" when there are none.
func telcoRecords(unknown, others []string) string {
	var parts []string
	if len(unknown) > 0 {
		parts = append(parts, "the telco does not know "+strings.Join(unknown, ", "))
	}
	if len(others) > 0 {
		whose := " is another customer's"
		if len(others) > 1 {
			whose = " are other customers'"
		}
		parts = append(parts, strings.Join(others, ", ")+whose)
	}
	if len(parts) == 0 {
		return ""
	}
	return "Any other well-formed serial is yours; " + strings.Join(parts, "; ") + " (--unknown-serials, --others-serials)."
}

// shell is one chat session: it sends what the user types and prints what the bot posts.
type shell struct {
	app         *App
	fake        *chatwoottest.Server
	conv        int64
	out         io.Writer
	interactive bool // stdin is a terminal: prompts, and lines are sent at once
	ansi        bool // stdout is a terminal too: the prompt line is cleared before output
	wait        time.Duration
	router      string         // the contact's router; "" when the bot asks for it
	zone        *time.Location // the bot's clock (Config.Zone: nil at UTC), in which /outage tells its end

	pollMu    sync.Mutex // one poll at a time, from fetching to printing
	mu        sync.Mutex // the output and what was printed
	lastID    int64      // the last message printed
	status    string     // the last status printed
	menu      []chatwoot.Item
	menuID    int64
	prompting bool // "you> " is on screen, waiting for a line

	stop chan struct{}
	done chan struct{}
}

// run reads lines until EOF, /quit or ctx ends.
func (s *shell) run(ctx context.Context, stdin io.Reader) error {
	s.stop, s.done = make(chan struct{}), make(chan struct{})
	go s.watch()

	lines := make(chan string)
	readErr := make(chan error, 1)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdin)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-s.stop:
				return
			}
		}
		readErr <- sc.Err()
	}()

	for {
		s.prompt()
		var line string
		var ok bool
		select {
		case <-ctx.Done():
			s.endPrompt(true)
			return nil
		case line, ok = <-lines:
		}
		// At end of input the cursor is still after the prompt.
		s.endPrompt(!ok)
		if !ok {
			select {
			case err := <-readErr:
				if err != nil {
					return fmt.Errorf("shell: reading input: %w", err)
				}
			default:
			}
			// End of input: let the bot finish what it was asked before leaving.
			s.settle(ctx)
			s.poll()
			return nil
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if !s.interactive {
			s.poll()
			s.emit("you> " + line)
		}
		if quit := s.handle(ctx, line); quit {
			s.poll()
			return nil
		}
		if !s.interactive {
			s.settle(ctx)
			s.poll()
		}
		if ctx.Err() != nil {
			return nil
		}
	}
}

// handle acts on one line; it reports whether the user asked to leave.
func (s *shell) handle(ctx context.Context, line string) (quit bool) {
	if strings.HasPrefix(line, "/") {
		return s.command(ctx, line)
	}
	if n, err := strconv.Atoi(line); err == nil {
		s.mu.Lock()
		menu, menuID := s.menu, s.menuID
		s.mu.Unlock()
		if n >= 1 && n <= len(menu) {
			d, err := s.fake.CustomerTaps(ctx, s.conv, menu[n-1].Title, menuID)
			s.delivered(d, err)
			return false
		}
	}
	d, err := s.fake.CustomerSays(ctx, s.conv, line)
	s.delivered(d, err)
	return false
}

func (s *shell) delivered(d chatwoottest.Delivery, err error) {
	switch {
	case err != nil:
		s.emit("-- the message was not delivered to the bot: " + err.Error())
	case !d.OK():
		s.emit(fmt.Sprintf("-- the bot answered the webhook with HTTP %d", d.Status))
	}
}

func (s *shell) command(ctx context.Context, line string) (quit bool) {
	cmd, arg, _ := strings.Cut(line, " ")
	arg = strings.TrimSpace(arg)
	switch cmd {
	case "/help":
		s.emit(strings.Split(shellCommands, "\n")...)
	case "/quit", "/exit":
		return true
	case "/fail":
		step := process.StepInstalling
		if arg != "" {
			step = process.Step(arg)
		}
		switch step {
		case process.StepDownloading, process.StepInstalling, process.StepRebooting, process.StepVerifying:
		default:
			s.emit(fmt.Sprintf("-- /fail %s: want downloading, installing, rebooting or verifying", arg))
			return false
		}
		s.app.Sim.SetNextScenario(telcosim.Scenario{FailAt: step})
		s.emit(fmt.Sprintf("-- the next router update will fail while %s", step))
	case "/outage":
		s.outage(arg)
	case "/handback":
		if s.fake.Conversation(s.conv).Status == "pending" {
			// An agent who answered a conversation still pending takes it (the bot goes
			// quiet); in Chatwoot, to hand it back, they open it and set it back to pending.
			s.setStatus(ctx, "open")
		}
		s.setStatus(ctx, "pending")
	case "/resolve":
		s.setStatus(ctx, "resolved")
	case "/agent":
		if arg == "" {
			s.emit("-- /agent TEXT: what the agent says is missing")
			return false
		}
		d, err := s.fake.AgentSays(ctx, s.conv, shellAgentID, arg)
		s.delivered(d, err)
	case "/send":
		kind, caption, _ := strings.Cut(arg, " ")
		switch kind {
		case "image", "audio", "video", "file":
		default:
			s.emit("-- /send KIND [TEXT]: KIND is image, audio, video or file")
			return false
		}
		d, err := s.fake.CustomerSendsFile(ctx, s.conv, kind, strings.TrimSpace(caption))
		s.delivered(d, err)
	case "/status":
		s.emit(s.report(ctx)...)
	case "/reload":
		if err := s.app.ReloadContent(); err != nil {
			s.emit("-- the content file is refused, the texts stay as they were: " + err.Error())
			return false
		}
		s.emit("-- content reloaded: the bot's next answers use it")
	default:
		s.emit(fmt.Sprintf("-- unknown command %s: /help lists the commands", cmd))
	}
	return false
}

// clock is t in the bot's clock: BOT_TIMEZONE's, or as the telco gives it at UTC.
func (s *shell) clock(t time.Time) time.Time {
	if s.zone == nil {
		return t
	}
	return t.In(s.zone)
}

// outage is /outage on|off: an outage of the contact's router (of everyone's, when the
// contact has none) starts or ends in the simulator. Its end is posted to the bot, as a
// telco's callback.
func (s *shell) outage(arg string) {
	where := "your router " + s.router
	if s.router == "" {
		where = "every router"
	}
	switch arg {
	case "on":
		eta := time.Now().Add(2 * time.Hour).Truncate(time.Minute)
		o := s.app.Sim.SetOutage(s.router, telcosim.Outage{ETA: eta})
		s.emit(fmt.Sprintf("-- outage %s now affects %s; the telco expects it over at %s", o.ID, where, s.clock(eta).Format("15:04")))
	case "off":
		o, ok := s.app.Sim.EndOutage(s.router)
		if !ok {
			s.emit("-- no outage affects " + where + ": /outage on starts one")
			return
		}
		s.emit(fmt.Sprintf("-- outage %s is over; the telco has told the bot", o.ID))
	default:
		s.emit("-- /outage on or /outage off")
	}
}

// setStatus changes the status as an agent does. The change is printed before whatever the
// bot answers to it: polling waits meanwhile.
func (s *shell) setStatus(ctx context.Context, status string) {
	s.pollMu.Lock()
	defer s.pollMu.Unlock()
	s.pollLocked()
	if cur := s.fake.Conversation(s.conv).Status; cur == status {
		s.emit("-- the conversation is already " + status)
		return
	}
	ds, err := s.fake.SetStatus(ctx, s.conv, status)
	if err != nil {
		s.emit("-- could not change the status: " + err.Error())
		return
	}
	for _, d := range ds {
		if !d.OK() {
			s.delivered(d, d.Err)
		}
	}
	if now := s.fake.Conversation(s.conv).Status; now != "" {
		s.mu.Lock()
		if now != s.status {
			s.status = now
			s.emitLocked(statusLine(now))
		}
		s.mu.Unlock()
	}
}

// report is /status: the conversation, the outbox and the router updates.
func (s *shell) report(ctx context.Context) []string {
	c := s.fake.Conversation(s.conv)
	out := []string{fmt.Sprintf("-- conversation %d: %s", s.conv, c.Status)}
	if c.AssigneeID != 0 || c.TeamID != 0 || len(c.Labels) > 0 {
		out = append(out, fmt.Sprintf("-- assignee %d, team %d, labels %v", c.AssigneeID, c.TeamID, c.Labels))
	}
	_, unhandled, err := s.app.DB.EventCounts(ctx)
	if err != nil {
		return append(out, "-- "+err.Error())
	}
	rows, err := s.app.DB.ListOutbox(ctx, "", 100000)
	if err != nil {
		return append(out, "-- "+err.Error())
	}
	count := map[string]int{}
	for _, r := range rows {
		count[r.Status]++
	}
	out = append(out, fmt.Sprintf("-- outbox: %d pending, %d sent, %d dead; %d events unhandled",
		count["pending"], count["sent"], count["dead"], unhandled))
	for _, r := range rows {
		if r.Status != "sent" {
			out = append(out, fmt.Sprintf("--   #%d %s %s, %d attempts %s", r.ID, r.Kind, r.Status, r.Attempts, r.LastError))
		}
	}
	jobs, err := s.app.DB.ListJobs(ctx, false, 10)
	if err != nil {
		return append(out, "-- "+err.Error())
	}
	if len(jobs) == 0 {
		out = append(out, "-- no router updates yet")
	}
	for _, j := range jobs {
		l := fmt.Sprintf("-- update #%d of router %s, attempt %d: %s", j.ID, j.RouterID, j.Attempt, j.State)
		if j.Step != "" {
			l += fmt.Sprintf(", step %s (%d%%)", j.Step, j.Progress)
		}
		if j.Detail != "" {
			l += ": " + j.Detail
		}
		if j.LastError != "" {
			l += " [last error: " + j.LastError + "]"
		}
		out = append(out, l)
	}
	return out
}

// settle waits until the bot is quiet twice in a row: every webhook delivered and handled,
// nothing left to send to Chatwoot, no router update running. It gives up after s.wait.
func (s *shell) settle(ctx context.Context) bool {
	deadline := time.Now().Add(s.wait)
	quiet := 0
	for quiet < 2 {
		if ctx.Err() != nil {
			return false
		}
		if time.Now().After(deadline) {
			s.poll()
			s.emit(fmt.Sprintf("-- the bot was still busy after %s; not waiting any longer", s.wait))
			return false
		}
		if s.quiet(ctx, deadline) {
			quiet++
		} else {
			quiet = 0
		}
		select {
		case <-ctx.Done():
		case <-time.After(shellPoll):
		}
	}
	return true
}

func (s *shell) quiet(ctx context.Context, deadline time.Time) bool {
	dctx, cancel := context.WithDeadline(ctx, deadline)
	err := s.fake.Drain(dctx)
	cancel()
	if err != nil {
		return false
	}
	if _, unhandled, err := s.app.DB.EventCounts(ctx); err != nil || unhandled > 0 {
		return false
	}
	if st, err := s.app.DB.OutboxStats(ctx); err != nil || st.Pending > 0 {
		return false
	}
	jobs, err := s.app.DB.ListJobs(ctx, true, 1)
	return err == nil && len(jobs) == 0
}

// watch prints new messages and status changes as they come, until stopWatching.
func (s *shell) watch() {
	defer close(s.done)
	t := time.NewTicker(shellPoll)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.poll()
		}
	}
}

func (s *shell) stopWatching() {
	if s.stop == nil {
		return
	}
	close(s.stop)
	<-s.done
}

// poll prints what was posted since the last poll and a status change, if any.
func (s *shell) poll() {
	s.pollMu.Lock()
	defer s.pollMu.Unlock()
	s.pollLocked()
}

func (s *shell) pollLocked() {
	msgs := s.fake.Messages(s.conv)
	status := s.fake.Conversation(s.conv).Status
	s.mu.Lock()
	defer s.mu.Unlock()
	var lines []string
	for _, m := range msgs {
		if m.ID <= s.lastID {
			continue
		}
		s.lastID = m.ID
		lines = append(lines, formatMessage(m)...)
		if len(m.Items) > 0 && m.SenderType == chatwoot.SenderAgentBot {
			s.menu, s.menuID = m.Items, m.ID
		}
	}
	if status != s.status && status != "" {
		s.status = status
		lines = append(lines, statusLine(status))
	}
	s.emitLocked(lines...)
}

// formatMessage renders one outgoing message: the bot's, an agent's, or a private note.
func formatMessage(m chatwoottest.Message) []string {
	var prefix string
	switch {
	case m.Private:
		prefix = "note> (private, agents only) "
	case m.SenderType == chatwoot.SenderAgentBot:
		prefix = "bot> "
	case m.SenderType == chatwoot.SenderUser:
		prefix = "agent> "
	default:
		prefix = "chatwoot> "
	}
	text := m.Content
	if m.Status == "failed" {
		text += " [not delivered to WhatsApp"
		if m.ExternalError != "" {
			text += ": " + m.ExternalError
		}
		text += "]"
	}
	var out []string
	for i, l := range strings.Split(text, "\n") {
		switch {
		case i == 0:
			out = append(out, prefix+l)
		case l == "":
			out = append(out, "")
		default:
			out = append(out, strings.Repeat(" ", len("bot> "))+l)
		}
	}
	for i, it := range m.Items {
		out = append(out, fmt.Sprintf("   [%d] %s", i+1, it.Title))
	}
	return out
}

func statusLine(status string) string {
	switch status {
	case "open":
		return "-- conversation is now open: handed to the agents; the bot answers only the wait asked about or the line left, until an agent writes"
	case "pending":
		return "-- conversation is pending: the bot is back"
	case "resolved":
		return "-- conversation is resolved: your next message reopens it with the bot"
	case "snoozed":
		return "-- conversation is snoozed"
	}
	return "-- conversation is now " + status
}

// emit prints whole lines, keeping the prompt after them.
func (s *shell) emit(lines ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.emitLocked(lines...)
}

func (s *shell) emitLocked(lines ...string) {
	if len(lines) == 0 {
		return
	}
	var b strings.Builder
	if s.prompting {
		if s.ansi {
			b.WriteString("\r\x1b[K")
		} else {
			b.WriteString("\n")
		}
	}
	for _, l := range lines {
		b.WriteString(l)
		b.WriteString("\n")
	}
	if s.prompting {
		b.WriteString("you> ")
	}
	io.WriteString(s.out, b.String())
}

// prompt shows "you> " when reading a terminal.
func (s *shell) prompt() {
	if !s.interactive {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.prompting {
		io.WriteString(s.out, "you> ")
		s.prompting = true
	}
}

// endPrompt notes that the user finished a line, so the cursor is on a new line, or left
// without one (newline: end the prompt's line).
func (s *shell) endPrompt(newline bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.prompting && newline {
		io.WriteString(s.out, "\n")
	}
	s.prompting = false
}

func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// phoneZones are the main time zones of the countries whose customers the shell plays, by
// calling code: a telco of the customer's country tells its times in its own clock.
var phoneZones = map[string]string{
	"1": "America/New_York", "52": "America/Mexico_City", "54": "America/Argentina/Buenos_Aires", "55": "America/Sao_Paulo",
	"56": "America/Santiago", "57": "America/Bogota", "51": "America/Lima", "58": "America/Caracas", "53": "America/Havana",
	"591": "America/La_Paz", "593": "America/Guayaquil", "595": "America/Asuncion", "598": "America/Montevideo",
	"502": "America/Guatemala", "503": "America/El_Salvador", "504": "America/Tegucigalpa", "505": "America/Managua",
	"506": "America/Costa_Rica", "507": "America/Panama", "34": "Europe/Madrid", "351": "Europe/Lisbon", "44": "Europe/London",
	"353": "Europe/Dublin", "91": "Asia/Kolkata", "234": "Africa/Lagos", "63": "Asia/Manila", "61": "Australia/Sydney",
	"64": "Pacific/Auckland", "27": "Africa/Johannesburg", "254": "Africa/Nairobi", "65": "Asia/Singapore", "60": "Asia/Kuala_Lumpur",
	"92": "Asia/Karachi", "233": "Africa/Accra", "244": "Africa/Luanda", "258": "Africa/Maputo",
}

// phoneZone is the time zone of a number's country ("+52 55..." is America/Mexico_City), by
// its longest known calling code; "" for none.
func phoneZone(phone string) string {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, phone)
	if !strings.HasPrefix(strings.TrimSpace(phone), "+") {
		return ""
	}
	for n := min(3, len(digits)); n > 0; n-- {
		if zone, ok := phoneZones[digits[:n]]; ok {
			if _, err := time.LoadLocation(zone); err == nil {
				return zone
			}
			return ""
		}
	}
	return ""
}

// shellSerialShape is the shape of the serials of the shell's simulated telco
// (ZX-9900-AB12): a serial a character short of it is asked to be checked.
const shellSerialShape = "AA-0000-AA00"

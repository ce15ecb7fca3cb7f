package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// shellRun runs the shell command on input as piped standard input, with fast telco steps,
// and returns what it printed on standard output, line by line.
func shellRun(t *testing.T, input string, args ...string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	var stdout, stderr bytes.Buffer
	args = append([]string{"--step-delay", "20ms", "--wait", "1m"}, args...)
	if err := runShell(ctx, args, strings.NewReader(input), &stdout, &stderr); err != nil {
		t.Fatalf("shell: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	if ctx.Err() != nil {
		t.Fatalf("shell did not finish in time; printed:\n%s", stdout.String())
	}
	if strings.Contains(stderr.String(), "level=ERROR") {
		t.Errorf("the bot logged errors:\n%s", stderr.String())
	}
	return strings.Split(strings.TrimRight(stdout.String(), "\n"), "\n")
}

// shellExpect checks that lines starting with each prefix appear in this order (other lines
// may come between) and returns the index of the last one.
func shellExpect(t *testing.T, lines []string, prefixes ...string) int {
	t.Helper()
	i := -1
	for _, p := range prefixes {
		found := false
		for i++; i < len(lines); i++ {
			if strings.HasPrefix(lines[i], p) {
				found = true
				break
			}
		}
		if !found {
			t.Fatalf("no line starting with %q in order; printed:\n%s", p, strings.Join(lines, "\n"))
		}
	}
	return i
}

// shellBetween returns the lines after the first line starting with from, up to the next
// line starting with to (or the end).
func shellBetween(t *testing.T, lines []string, from, to string) []string {
	t.Helper()
	start := shellExpect(t, lines, from) + 1
	end := start
	for end < len(lines) && !strings.HasPrefix(lines[end], to) {
		end++
	}
	return lines[start:end]
}

func shellHas(lines []string, prefix string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}

var shellSuccessSteps = []string{
	"bot> Downloading the new software",
	"bot> Installing the new software",
	"bot> Restarting your router",
	"bot> Your router is back online",
	"bot> Your router is updated and back online",
}

func TestShellRouterUpdate(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	lines := shellRun(t, "hi\nupdate my router\n1\n")

	shellExpect(t, lines,
		"you> hi",
		"bot> Hi You! I'm the virtual assistant.",
		"     What would you like to do?",
		"   [1] Update my router",
		"   [2] Talk to an agent",
		"you> update my router",
		"bot> I'll update the software of router ZX-9900-AB12 and restart it.",
		"   [1] Yes, update it",
		"   [2] No",
		"you> 1",
		"bot> OK, I've asked for the update.",
	)
	// Every progress step, in order, nothing else, and the shell waited for the last one.
	after := shellBetween(t, lines, "bot> OK, I've asked for the update.", "\x00")
	if len(after) != len(shellSuccessSteps) {
		t.Fatalf("after the start message %q, want the %d steps", after, len(shellSuccessSteps))
	}
	for i, want := range shellSuccessSteps {
		if !strings.HasPrefix(after[i], want) {
			t.Fatalf("step %d=%q, want %q (all: %q)", i, after[i], want, after)
		}
	}
	// The temporary database is gone.
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Fatalf("left behind in the temporary folder: %v", left)
	}
}

func TestShellFailureHandoffHandback(t *testing.T) {
	// The line after "2" answers the bot's intake question when it asks one before handing
	// off; otherwise it reaches the agents, the bot staying silent.
	lines := shellRun(t, "/fail installing\nupdate my router\n1\n2\nNo internet since the failed update\n/handback\n/resolve\n")

	shellExpect(t, lines,
		"you> /fail installing",
		"-- the next router update will fail while installing",
		"bot> I'll update the software of router ZX-9900-AB12",
		"you> 1",
		"bot> OK, I've asked for the update.",
		"bot> Downloading the new software",
		"bot> Installing the new software",
		"bot> The update failed.",
		"   [1] Try again",
		"   [2] Talk to an agent",
		"   [3] Cancel",
		"you> 2",
		"you> /handback",
		"-- conversation is pending: the bot is back",
		"bot> You're back with the virtual assistant.",
		"you> /resolve",
		"-- conversation is resolved",
	)
	if shellHas(lines, "bot> Restarting your router") {
		t.Fatalf("the failed update went on to restart the router:\n%s", strings.Join(lines, "\n"))
	}
	handoff := shellBetween(t, lines, "you> 2", "you> /handback")
	for _, want := range []string{
		"bot> I'm passing you to an agent.",
		"note> (private, agents only) ",
		"     Router: ZX-9900-AB12", // the note carries what the bot knows
		"-- conversation is now open: handed to the agents; the bot answers only the wait asked about or the line left, until an agent writes",
	} {
		if !shellHas(handoff, want) {
			t.Fatalf("no line starting with %q after the handoff:\n%s", want, strings.Join(handoff, "\n"))
		}
	}
	// Once open, the line is the status change's: nothing of the bot comes after it but the
	// handoff's own last step, the message telling the customer (posted after the status
	// change, so it may print on either side of its line).
	open := shellBetween(t, handoff, "-- conversation is now open", "\x00")
	for _, l := range open {
		if strings.HasPrefix(l, "bot> ") && !strings.HasPrefix(l, "bot> I'm passing you to an agent.") {
			t.Fatalf("the bot spoke after the handoff: %q", open)
		}
	}
}

func TestShellSpanish(t *testing.T) {
	lines := shellRun(t, "actualizar mi router\n")
	shellExpect(t, lines,
		"you> actualizar mi router",
		"bot> Voy a actualizar el software del router ZX-9900-AB12 y reiniciarlo. ¿Continúo?",
		"   [1] Sí, actualízalo",
	)
}

func TestShellAsksForSerial(t *testing.T) {
	lines := shellRun(t, "update my router\n", "--router-id", "", "--name", "Maria")
	shellExpect(t, lines,
		`cwbot shell: you are "Maria"`,
		"you> update my router",
		"bot> Which router should I update? Please type the serial number",
	)
}

// The simulated telco knows serials as a real one does: one it has never heard of is not
// found, and another customer's is not the customer's; both are told, and any other
// well-formed serial is updated.
func TestShellTelcoRefusesUnknownAndOthersSerials(t *testing.T) {
	lines := shellRun(t, "update my router\nXX-0000-ZZ00\n1\nKT-2231-XB99\n1\nAB-1234-CD56\n1\n", "--router-id", "", "--phone", "+14155550100")
	shellExpect(t, lines,
		"Any other well-formed serial is yours; the telco does not know XX-0000-ZZ00; KT-2231-XB99 is another customer's",
		"you> XX-0000-ZZ00",
		"bot> I couldn't find router XX-0000-ZZ00 in our systems",
		"you> KT-2231-XB99",
		"bot> That router isn't registered to your account",
		"you> AB-1234-CD56",
		"bot> OK, I've asked for the update.",
		"bot> Your router is updated and back online.",
	)
	lines = shellRun(t, "update my router\nQQ-1111-ZZ11\n1\n", "--router-id", "", "--unknown-serials", "qq-1111-zz11", "--others-serials", "")
	shellExpect(t, lines, "Any other well-formed serial is yours; the telco does not know QQ-1111-ZZ11 (", "bot> I couldn't find router QQ-1111-ZZ11")
}

func TestShellHelpFlag(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := runShell(context.Background(), []string{"-h"}, strings.NewReader(""), &stdout, &stderr)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h returned %v, want flag.ErrHelp", err)
	}
	for _, want := range []string{"Usage: cwbot shell", "-step-delay", "-name", "-router-id", "-log-level", "-wait", "/fail [STEP]"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("usage lacks %q:\n%s", want, stderr.String())
		}
	}
	// Through the command line, as main sees it.
	err = Run(context.Background(), []string{"shell", "-h"}, strings.NewReader(""), io.Discard, io.Discard)
	if !errors.Is(err, flag.ErrHelp) || exitCode(err) != 0 {
		t.Fatalf("cwbot shell -h: %v (exit %d), want help and exit 0", err, exitCode(err))
	}
	err = Run(context.Background(), []string{"shell", "--no-such-flag"}, strings.NewReader(""), io.Discard, io.Discard)
	if exitCode(err) != 2 {
		t.Fatalf("cwbot shell --no-such-flag: %v (exit %d), want a usage error", err, exitCode(err))
	}
}

func TestShellCommands(t *testing.T) {
	lines := shellRun(t, "/help\n/agent Hello, Alex here.\n/status\n/handback\n/fail nowhere\n/nope\n/quit\nhi\n")
	help := shellBetween(t, lines, "you> /help", "you> ")
	for _, cmd := range []string{"/help", "/fail [STEP]", "/agent TEXT", "/outage on|off", "/handback", "/resolve", "/status", "/quit"} {
		if !shellHas(help, "  "+cmd) {
			t.Errorf("/help does not list %s: %q", cmd, help)
		}
	}
	shellExpect(t, lines,
		"you> /agent Hello, Alex here.",
		"agent> Hello, Alex here.",
		"you> /status",
		"-- conversation ",
		"-- outbox: 0 pending",
		"-- no router updates yet",
		"you> /handback", // the agent answered a pending conversation: opened, then handed back
		"-- conversation is now open",
		"-- conversation is pending: the bot is back",
		"bot> You're back with the virtual assistant.",
		"you> /fail nowhere",
		"-- /fail nowhere: want downloading, installing, rebooting or verifying",
		"you> /nope",
		"-- unknown command /nope",
		"you> /quit",
	)
	if shellHas(lines, "you> hi") {
		t.Fatalf("the shell went on after /quit:\n%s", strings.Join(lines, "\n"))
	}
}

// /outage on: the bot tells of the outage instead of restarting the router; /outage off:
// the telco tells the bot, and the bot the customer who asked to hear of it.
func TestShellOutage(t *testing.T) {
	lines := shellRun(t, "/outage off\n/outage on\nmy internet is not working\n1\n/outage off\n/outage sometimes\n")
	shellExpect(t, lines,
		"you> /outage off",
		"-- no outage affects your router ZX-9900-AB12: /outage on starts one",
		"you> /outage on",
		"-- outage out_",
		"you> my internet is not working",
		"bot> There's a service outage in your area, so restarting your router won't help right now.",
		"     Shall I tell you here when the service is back?",
		"   [1] Tell me when fixed",
		"   [2] Talk to an agent",
		"you> 1",
		"bot> Done: I'll write to you here as soon as the service is back.",
		"you> /outage off",
		"-- outage out_",
		"bot> Good news: the outage in your area is over",
		"you> /outage sometimes",
		"-- /outage on or /outage off",
	)
}

// shellOutput is a bytes.Buffer the test reads while the shell writes.
type shellOutput struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *shellOutput) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *shellOutput) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func TestShellCancel(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout shellOutput
	done := make(chan error, 1)
	go func() {
		done <- runShell(ctx, []string{"--step-delay", "20ms"}, pr, &stdout, io.Discard)
	}()
	if _, err := io.WriteString(pw, "hi\n"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(hangGuard)
	for !strings.Contains(stdout.String(), "bot> Hi You!") {
		if time.Now().After(deadline) {
			t.Fatalf("no greeting; printed:\n%s", stdout.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Standard input stays open, as a terminal's does: only the context ends the shell.
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("cancelled shell returned %v, want nil", err)
		}
	case <-time.After(hangGuard):
		t.Fatal("the shell did not stop when its context was cancelled")
	}
}

// The shell plays a telco of the customer's country: its clock is the zone of the number's
// calling code, the longest one known.
func TestPhoneZoneByCallingCode(t *testing.T) {
	for phone, want := range map[string]string{
		"+5215512345678":  "America/Mexico_City",
		"+5511987654321":  "America/Sao_Paulo",
		"+351912345678":   "Europe/Lisbon",
		"+593991234567":   "America/Guayaquil",
		"+1 415 555 0123": "America/New_York",
		"+999123":         "",
		"5215512345678":   "", // no calling code without the +
		"":                "",
	} {
		if got := phoneZone(phone); got != want {
			t.Errorf("phoneZone(%q) = %q, want %q", phone, got, want)
		}
	}
}

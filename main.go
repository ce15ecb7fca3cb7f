// Command cwbot is a Chatwoot AgentBot for telecom self-service on WhatsApp.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "cwbot:", err)
		}
		os.Exit(exitCode(err))
	}
}

func exitCode(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var u interface{ UsageError() bool }
	if errors.As(err, &u) && u.UsageError() {
		return 2
	}
	return 1
}

// usageError is a command line the program cannot run: exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string    { return e.msg }
func (e usageError) UsageError() bool { return true }

// parseFlags parses a command's flags: a flag it does not know, or a bad value, is a usage
// error (exit code 2), and -h is flag.ErrHelp (exit code 0).
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return err
	}
	return usageError{fs.Name() + ": " + err.Error()}
}

const usage = `cwbot: a Chatwoot AgentBot for telecom self-service on WhatsApp.

Usage:
  cwbot [serve]                     run the webhook service (the default)
  cwbot shell                       chat with the bot in the terminal, no configuration needed
  cwbot version                     print the version
  cwbot setup --inbox ID            register the AgentBot in Chatwoot and connect it to an inbox
  cwbot intents eval|check ...      measure or try the intent classifier
  cwbot content check [FILE]        check a content catalog (the bot's texts)
  cwbot content export              print the default content catalog, to start yours from
  cwbot jobs list [--active]        list router update jobs
  cwbot outbox list [--dead]        list calls queued toward Chatwoot
  cwbot outbox retry ID             put a dead outbox row back in line
  cwbot load [--rate N] [--echo]    measure throughput and latency over loopback against a fake Chatwoot

Run "cwbot COMMAND -h" for a command's flags. Configuration is read from the
environment: see the README's configuration table.
`

// Run runs the command line.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return runServe(ctx, args, stdout, stderr)
	case "version":
		fs := flag.NewFlagSet("version", flag.ContinueOnError)
		fs.SetOutput(stderr)
		fs.Usage = func() { fmt.Fprintln(stderr, "Usage: cwbot version\n\nPrints the version.") }
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		if err := noArgs(fs); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "cwbot", version)
		return nil
	case "intents":
		return runIntents(ctx, args, stdout, stderr)
	case "content":
		return runContent(args, stdout, stderr)
	case "shell":
		return runShell(ctx, args, stdin, stdout, stderr)
	case "jobs":
		return runJobs(ctx, args, stdout, stderr)
	case "outbox":
		return runOutbox(ctx, args, stdout, stderr)
	case "setup":
		return runSetup(ctx, args, stdout, stderr)
	case "load":
		return runLoad(ctx, args, stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return usageError{fmt.Sprintf("unknown command %q", cmd)}
}

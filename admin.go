package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cwbot/cwbot/store"
)

// The admin commands read (and, for outbox retry, change) the service's database at
// BOT_DB. SQLite in WAL mode lets them run beside a running service.

const jobsUsage = `Usage:
  cwbot jobs list [--active] [--limit N]   router update jobs, newest first

The database is BOT_DB (default data/bot.db).`

const outboxUsage = `Usage:
  cwbot outbox list [--dead] [--limit N]   calls queued toward Chatwoot, newest first
  cwbot outbox retry ID                    put a dead row back in line

The database is BOT_DB (default data/bot.db).`

// defaultListLimit is how many rows a list shows unless --limit says otherwise.
const defaultListLimit = 50

// adminTimeFormat is how the tables print times (local time).
const adminTimeFormat = "2006-01-02 15:04:05"

// adminCommand is one of the words after cwbot jobs or cwbot outbox.
type adminCommand struct {
	name string
	run  func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

// runAdmin runs the command args[0] names among cmds, or prints usage.
func runAdmin(ctx context.Context, group, usage string, cmds []adminCommand, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		names := make([]string, len(cmds))
		for i, c := range cmds {
			names[i] = c.name
		}
		return usageError{group + ": missing " + strings.Join(names, " or ")}
	}
	for _, c := range cmds {
		if args[0] == c.name {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintln(stderr, usage)
	switch args[0] {
	case "-h", "-help", "--help", "help":
		return flag.ErrHelp
	}
	return usageError{fmt.Sprintf("%s: unknown command %q", group, args[0])}
}

func runJobs(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runAdmin(ctx, "jobs", jobsUsage, []adminCommand{{"list", jobsList}}, args, stdout, stderr)
}

func jobsList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("jobs list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	active := fs.Bool("active", false, "only jobs still running")
	limit := fs.Int("limit", defaultListLimit, "show at most `N` jobs")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: cwbot jobs list [--active] [--limit N]\n\nLists router update jobs, newest first, from the database at BOT_DB.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := parseAdminFlags(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	if *limit < 1 {
		return usageError{"jobs list: --limit must be at least 1"}
	}
	db, err := openAdminDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	jobs, err := db.ListJobs(ctx, *active, *limit)
	if err != nil {
		return err
	}
	if len(jobs) == 0 {
		if *active {
			fmt.Fprintln(stdout, "No active jobs.")
		} else {
			fmt.Fprintln(stdout, "No jobs.")
		}
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCONVERSATION\tROUTER\tATTEMPT\tSTATE\tSTEP\tDETAIL\tCREATED\tUPDATED")
	for _, j := range jobs {
		fmt.Fprintf(tw, "%d\t%d\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", j.ID, j.ConversationID, cell(j.RouterID, 40), j.Attempt,
			cell(j.State, 20), cell(j.Step, 30), cell(j.Detail, 40), stamp(j.CreatedAt), stamp(j.UpdatedAt))
	}
	return tw.Flush()
}

func runOutbox(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runAdmin(ctx, "outbox", outboxUsage, []adminCommand{{"list", outboxList}, {"retry", outboxRetry}}, args, stdout, stderr)
}

func outboxList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("outbox list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dead := fs.Bool("dead", false, "only rows given up on (see cwbot outbox retry)")
	limit := fs.Int("limit", defaultListLimit, "show at most `N` rows")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: cwbot outbox list [--dead] [--limit N]\n\nLists the calls queued toward Chatwoot (pending, sent and dead), newest first,\nfrom the database at BOT_DB.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := parseAdminFlags(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	if *limit < 1 {
		return usageError{"outbox list: --limit must be at least 1"}
	}
	db, err := openAdminDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	status := ""
	if *dead {
		status = store.OutboxDead
	}
	rows, err := db.ListOutbox(ctx, status, *limit)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		if *dead {
			fmt.Fprintln(stdout, "No dead outbox rows.")
		} else {
			fmt.Fprintln(stdout, "No outbox rows.")
		}
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCONVERSATION\tKIND\tSTATUS\tATTEMPTS\tNEXT ATTEMPT\tLAST ERROR")
	for _, r := range rows {
		next := "-"
		if r.Status == store.OutboxPending {
			next = stamp(r.NextAttemptAt)
		}
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%d\t%s\t%s\n", r.ID, r.ConversationID, cell(r.Kind, 20), r.Status, r.Attempts,
			next, cell(r.LastError, 60))
	}
	return tw.Flush()
}

func outboxRetry(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("outbox retry", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: cwbot outbox retry ID

Puts the dead outbox row ID back in line, to be tried at once with a fresh attempt
budget. A running service picks it up within its idle poll (5 s). Find dead rows with
"cwbot outbox list --dead".`)
	}
	if err := parseAdminFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageError{"outbox retry: want exactly one row ID"}
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil || id < 1 {
		return usageError{fmt.Sprintf("outbox retry: %q is not a row ID", fs.Arg(0))}
	}
	db, err := openAdminDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	row, err := db.GetOutbox(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("outbox retry: no outbox row %d", id)
	}
	if err != nil {
		return err
	}
	if row.Status != store.OutboxDead {
		return fmt.Errorf("outbox retry: row %d is %s, not dead: only dead rows can be retried", id, row.Status)
	}
	if err := db.RetryOutbox(ctx, id); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("outbox retry: row %d is no longer dead (changed meanwhile)", id)
		}
		return err
	}
	fmt.Fprintf(stdout, "Outbox row %d (conversation %d, %s) is pending again; it had failed %d times, last with: %s\n",
		id, row.ConversationID, row.Kind, row.Attempts, cell(row.LastError, 200))
	fmt.Fprintln(stdout, "A running cwbot delivers it within its idle poll (5 s), before any later row of the same conversation.")
	return nil
}

// parseAdminFlags parses args, allowing flags after positional arguments too
// ("outbox retry 7 -h"); the positional arguments are left in fs.Args().
func parseAdminFlags(fs *flag.FlagSet, args []string) error {
	var pos []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	return fs.Parse(append([]string{"--"}, pos...))
}

// noArgs refuses positional arguments to a command that takes none.
func noArgs(fs *flag.FlagSet) error {
	if fs.NArg() == 0 {
		return nil
	}
	fs.Usage()
	return usageError{fmt.Sprintf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))}
}

// openAdminDB opens the database at BOT_DB, refusing to create one: a mistyped path must
// not look like an empty queue.
func openAdminDB(ctx context.Context) (*store.DB, error) {
	cfg, err := LoadConfig()
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(cfg.DB) == "" {
		return nil, errors.New("BOT_DB is empty: set it to the service's database file")
	}
	st, err := os.Stat(cfg.DB)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("database %s does not exist: set BOT_DB to the service's database file", cfg.DB)
	case err != nil:
		return nil, fmt.Errorf("database %s: %w", cfg.DB, err)
	case st.IsDir():
		return nil, fmt.Errorf("database %s is a folder: set BOT_DB to the service's database file", cfg.DB)
	}
	return store.OpenExisting(ctx, cfg.DB)
}

// cell makes s fit one table cell: one line, at most n runes, "-" when empty.
func cell(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "-"
	}
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format(adminTimeFormat)
}

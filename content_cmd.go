package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/cwbot/cwbot/bot"
)

const contentUsage = `Usage:
  cwbot content check [FILE]   check a content catalog (default: BOT_CONTENT_FILE, else the
                               embedded one): exit 0 when good, 1 with each error as
                               file:line: key: what is wrong
  cwbot content export [VARIANT]
                               print the complete default catalog (YAML, commented), to
                               copy and change; BOT_CONTENT_FILE holds your changes. With a
                               regional variant (pt-PT), its texts over its base language's

A content catalog holds every text the bot says, in each language. A file holds what you
change; the rest comes from the default. The service reads BOT_CONTENT_FILE at start (a bad
file stops it) and again on SIGHUP (a bad file is refused, the catalog in use stays).`

func runContent(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, contentUsage)
		return usageError{"content: missing check or export"}
	}
	fs := flag.NewFlagSet("content "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, contentUsage) }
	switch args[0] {
	case "check":
		if err := parseFlags(fs, args[1:]); err != nil {
			return err
		}
		if fs.NArg() > 1 {
			return usageError{fmt.Sprintf("content check: one file at most, got %q", fs.Args())}
		}
		return contentCheck(fs.Arg(0), stdout)
	case "export":
		if err := parseFlags(fs, args[1:]); err != nil {
			return err
		}
		switch fs.NArg() {
		case 0:
			_, err := stdout.Write(bot.ExportContent())
			return err
		case 1:
			data, ok := bot.ExportVariant(fs.Arg(0))
			if !ok {
				return usageError{fmt.Sprintf("content export: no variant %q (the embedded ones: %s)", fs.Arg(0), strings.Join(bot.Variants(), ", "))}
			}
			_, err := stdout.Write(data)
			return err
		}
		return usageError{fmt.Sprintf("content export: one variant at most, got %q", fs.Args())}
	case "-h", "-help", "--help":
		fmt.Fprintln(stdout, contentUsage)
		return nil
	}
	fmt.Fprintln(stderr, contentUsage)
	return usageError{fmt.Sprintf("content: unknown command %q", args[0])}
}

// contentCheck checks file (BOT_CONTENT_FILE when empty, else the default): every error on
// a line of stdout.
func contentCheck(file string, stdout io.Writer) error {
	if file == "" {
		file = os.Getenv("BOT_CONTENT_FILE")
	}
	var cat *bot.Catalog
	var err error
	if file == "" {
		file, cat = "the embedded catalog", bot.DefaultCatalog()
	} else {
		cat, err = readCatalog(file)
	}
	var errs bot.ContentErrors
	switch {
	case errors.As(err, &errs):
		for _, e := range errs {
			fmt.Fprintln(stdout, e)
		}
		n := "errors"
		if len(errs) == 1 {
			n = "error"
		}
		return fmt.Errorf("content check: %s: %d %s", file, len(errs), n)
	case err != nil:
		return fmt.Errorf("content check: %w", err)
	}
	fmt.Fprintf(stdout, "%s: good (%d texts in %v)\n", file, cat.Len(), cat.Languages())
	return nil
}

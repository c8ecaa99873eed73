package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/CarikBot/carik-go/inbox"
	"github.com/CarikBot/carik-go/inbox/postgres"
	"github.com/CarikBot/carik-go/inbox/sqlite"
	"github.com/CarikBot/carik-go/internal/excerpt"
)

const usage = `usage: carik-inbox [-db FILE] COMMAND
commands:
  stats                    deliveries per state
  dead [-limit N]          dead deliveries (discarded or cancelled), in the order they died
  show JOB_ID|DELIVERY_ID  one delivery: state, headers, body, the error of every attempt
  retry [-force] JOB_ID... make deliveries available again, with a fresh set of attempts
                           (20); a completed one only with -force (its handler runs again)
  retry -all               retry every dead delivery
The store is the SQLite file -db (default carik-inbox.db), or Postgres when
CARIK_DATABASE_URL is set; it must already hold an inbox, of a schema no older
than this command's (it changes no schema). Untrusted text (ids,
headers, bodies, errors) is printed escaped (\xff, \u202e, \t) and long values cut.
`

// errUsage marks a usage error (exit 2).
var errUsage = errors.New("usage")

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("carik-inbox", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	db := fs.String("db", "carik-inbox.db", "SQLite file of the inbox (ignored when CARIK_DATABASE_URL is set)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	switch name := fs.Arg(0); {
	case fs.NArg() == 0:
		fs.Usage()
		return 2
	case name == "help":
		fmt.Fprint(stdout, usage)
		return 0
	case !commands[name]:
		// Before the store is opened: a typo must not be answered with a database error.
		fmt.Fprintf(stderr, "carik-inbox: unknown command %s\n", excerpt.Quote(name))
		fs.Usage()
		return 2
	}
	ib, closeStore, err := open(ctx, *db, getenv("CARIK_DATABASE_URL"), fs.Arg(0) != "retry")
	if err != nil {
		fmt.Fprintln(stderr, "carik-inbox:", err)
		return 1
	}
	defer closeStore()
	err = command(ctx, ib, fs.Arg(0), fs.Args()[1:], stdout, stderr)
	switch {
	case errors.Is(err, errUsage):
		fmt.Fprint(stderr, usage)
		return 2
	case err != nil:
		fmt.Fprintln(stderr, "carik-inbox:", err)
		return 1
	}
	return 0
}

// open opens the inbox at path, or at url when it is set; readOnly opens a SQLite file for
// reading only, so that a file the operator cannot write can still be inspected.
func open(ctx context.Context, path, url string, readOnly bool) (*inbox.Inbox, func(), error) {
	var store interface {
		inbox.Store
		Close() error
	}
	var err error
	if err := existing(ctx, path, url); err != nil {
		return nil, nil, err
	}
	if url != "" {
		store, err = postgres.Open(ctx, url)
	} else if readOnly {
		store, err = sqlite.OpenReadOnly(ctx, path)
	} else {
		store, err = sqlite.Open(ctx, path)
	}
	if err != nil {
		return nil, nil, err
	}
	ib, err := inbox.New(store, nil)
	if err != nil {
		store.Close()
		return nil, nil, err
	}
	return ib, func() { store.Close() }, nil
}

// commands are the names command knows.
var commands = map[string]bool{"stats": true, "dead": true, "show": true, "retry": true}

func command(ctx context.Context, ib *inbox.Inbox, name string, args []string, stdout, stderr io.Writer) error {
	switch name {
	case "stats":
		return stats(ctx, ib, stdout)
	case "dead":
		fs := flag.NewFlagSet("dead", flag.ContinueOnError)
		fs.SetOutput(stderr)
		limit := fs.Int("limit", 100, "how many to list")
		if err := fs.Parse(args); err != nil {
			return errUsage
		}
		return dead(ctx, ib, *limit, stdout)
	case "show":
		if len(args) != 1 {
			return errUsage
		}
		return show(ctx, ib, args[0], stdout)
	case "retry":
		return retry(ctx, ib, args, stdout)
	}
	return errUsage
}

func stats(ctx context.Context, ib *inbox.Inbox, w io.Writer) error {
	counts, err := ib.Stats(ctx)
	if err != nil {
		return err
	}
	states := make([]string, 0, len(counts))
	total := 0
	for s, n := range counts {
		states = append(states, s)
		total += n
	}
	sort.Strings(states)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	for _, s := range states {
		fmt.Fprintf(tw, "%s\t%d\t\n", s, counts[s])
	}
	fmt.Fprintf(tw, "total\t%d\t\n", total)
	return tw.Flush()
}

func dead(ctx context.Context, ib *inbox.Inbox, limit int, w io.Writer) error {
	if limit <= 0 {
		return errUsage
	}
	counts, err := ib.Stats(ctx)
	if err != nil {
		return err
	}
	list, err := ib.Dead(ctx, limit)
	if err != nil {
		return err
	}
	total := deadTotal(len(list), limit, counts[inbox.StateDiscarded]+counts[inbox.StateCancelled])
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "JOB\tDELIVERY\tSTATE\tATTEMPTS\tDIED\tLAST ERROR")
	for _, e := range list {
		died, last := "", ""
		if e.FinalizedAt != nil {
			died = e.FinalizedAt.UTC().Format(time.RFC3339)
		}
		if n := len(e.Errors); n > 0 {
			last = value(oneLine(e.Errors[n-1].Error), 80)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d/%d\t%s\t%s\n", e.JobID, value(e.DeliveryID, 80), e.State, e.Attempt, e.MaxAttempts, died, last)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(list) < total {
		fmt.Fprintf(w, "%d dead, the first %d shown (-limit N for more)\n", total, len(list))
		return nil
	}
	fmt.Fprintf(w, "%d dead\n", total)
	return nil
}

// deadTotal is the number of dead deliveries to report beside a list of listed of them, read
// with limit after counting counted: deliveries keep dying (and being retried) between the two
// reads, so a list shorter than its limit is the whole set and wins; a full list is at least
// its own length.
func deadTotal(listed, limit, counted int) int {
	if listed < limit {
		return listed
	}
	return max(listed, counted)
}

func show(ctx context.Context, ib *inbox.Inbox, key string, w io.Writer) error {
	var e *inbox.Entry
	var err error
	if id, perr := strconv.ParseInt(key, 10, 64); perr == nil {
		e, err = ib.Get(ctx, id)
	}
	if e == nil {
		e, err = ib.Find(ctx, key)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", value(key, maxValue), err)
	}
	fmt.Fprintf(w, "job:       %d\ndelivery:  %s\nstate:     %s\nattempts:  %d/%d\nreceived:  %s\n",
		e.JobID, value(e.DeliveryID, maxValue), e.State, e.Attempt, e.MaxAttempts, e.CreatedAt.UTC().Format(time.RFC3339))
	names := make([]string, 0, len(e.Header))
	for k := range e.Header {
		names = append(names, k)
	}
	sort.Strings(names)
	fmt.Fprintln(w, "headers:")
	for _, k := range names {
		for _, v := range e.Header[k] {
			fmt.Fprintf(w, "  %s: %s\n", value(k, maxValue), value(v, maxValue))
		}
	}
	fmt.Fprintf(w, "body (%d bytes):\n", len(e.Body))
	lines, more := excerpt.EscapeLines(e.Body, maxBody)
	for _, line := range lines {
		fmt.Fprintln(w, line)
	}
	if more > 0 {
		fmt.Fprintf(w, "… (%d more bytes not shown)\n", more)
	}
	fmt.Fprintln(w, "errors:")
	for _, ae := range e.Errors {
		fmt.Fprintf(w, "  attempt %d at %s: %s\n", ae.Attempt, ae.At.UTC().Format(time.RFC3339), value(ae.Error, 4<<10))
		if ae.Trace != "" {
			fmt.Fprintln(w, "    stack:")
			lines := strings.Split(strings.TrimRight(ae.Trace, "\n"), "\n")
			for i, line := range lines {
				if i == maxStackLines {
					fmt.Fprintf(w, "      … (%d more lines)\n", len(lines)-i)
					break
				}
				fmt.Fprintf(w, "      %s\n", value(strings.Replace(line, "\t", "  ", 1), maxValue))
			}
		}
	}
	return nil
}

// maxStackLines is how many lines of a panic's stack show prints.
const maxStackLines = 60

func retry(ctx context.Context, ib *inbox.Inbox, args []string, w io.Writer) error {
	if len(args) == 1 && (args[0] == "-all" || args[0] == "--all") {
		n, err := ib.RetryDead(ctx)
		fmt.Fprintf(w, "retried %d\n", n)
		return err
	}
	force := false
	if len(args) > 0 && (args[0] == "-force" || args[0] == "--force") {
		force, args = true, args[1:]
	}
	if len(args) == 0 {
		return errUsage
	}
	for _, a := range args {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil {
			return fmt.Errorf("%s is not a job id", value(strconv.Quote(a), maxValue))
		}
		e, err := ib.Get(ctx, id)
		if err != nil {
			return fmt.Errorf("job %d: %w", id, err)
		}
		if e.State == inbox.StateRunning { // Retry leaves it alone
			return fmt.Errorf("job %d is being handled (running): nothing to retry; if its process died, it is retried once it has run for the rescue delay", id)
		}
		if e.State == inbox.StateCompleted && !force {
			return fmt.Errorf("job %d was handled (completed): retry -force %d runs its handler again", id, id)
		}
		if err := ib.Retry(ctx, id); err != nil {
			return err
		}
		fmt.Fprintf(w, "retried %d\n", id)
	}
	return nil
}

// oneLine joins s's lines and collapses its runs of spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

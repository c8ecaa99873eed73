package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
)

// Exit codes of every command.
const (
	exitOK      = 0
	exitInvalid = 1 // an invalid payload, or a non-2xx answer
	exitUsage   = 2 // bad usage, or an input that cannot be read
)

// Stdio holds the streams a command uses.
type Stdio struct {
	In       io.Reader
	Out, Err io.Writer
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, io Stdio) int
}

var commands []command

func init() {
	commands = []command{
		{"validate", "validate payload files against the schemas", runValidate},
		{"schema", "print the envelope's or an event's JSON Schema", runSchema},
		{"listen", "run a local receiver and print every delivery", runListen},
		{"send", "post a payload file or a sample event to a URL", runSend},
		{"sign", "print the signature headers of a payload, curl-ready", runSign},
		{"version", "print the version", runVersion},
	}
}

const usage = `carik: validate, inspect, receive and send Carik webhook payloads.

Usage:
  carik <command> [flags] [args]

Commands:
%s
Run "carik help <command>" (or "carik <command> --help") for a command's flags and an example.
`

func printUsage(w io.Writer) {
	var b strings.Builder
	for _, c := range commands {
		fmt.Fprintf(&b, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, usage, b.String())
}

// Run runs the carik command with args (without the program name) and returns its exit code.
func Run(ctx context.Context, args []string, io Stdio) int {
	if len(args) == 0 {
		printUsage(io.Err)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && args[0] == "help" {
			// carik help CMD is carik CMD --help.
			return Run(ctx, []string{args[1], "--help"}, io)
		}
		printUsage(io.Out)
		return exitOK
	case "-version", "--version":
		return runVersion(ctx, nil, io)
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(ctx, args[1:], io)
		}
	}
	fmt.Fprintf(io.Err, "carik: unknown command %q\nRun \"carik help\" for the commands.\n", args[0])
	return exitUsage
}

// newFlagSet returns a flag set for a command. Its --help prints the synopsis, the flags and an
// example to standard output; a bad flag gives a one-line error and a hint.
func newFlagSet(name, synopsis, example string, stdio Stdio) *flagSet {
	fs := &flagSet{FlagSet: flag.NewFlagSet("carik "+name, flag.ContinueOnError)}
	fs.SetOutput(stdio.Err)
	fs.Usage = func() {} // parseFlags prints what fits the error
	fs.help = func() {
		fs.SetOutput(stdio.Out)
		fmt.Fprintln(stdio.Out, strings.TrimSpace("Usage: carik "+name+" "+synopsis))
		if hasFlags(fs.FlagSet) {
			fmt.Fprint(stdio.Out, "\nFlags:\n")
			printFlags(stdio.Out, fs.FlagSet)
		}
		fmt.Fprintf(stdio.Out, "\nExample:\n%s\n", example)
	}
	return fs
}

// flagSet is a command's flags with its full help.
type flagSet struct {
	*flag.FlagSet
	help func()
}

// parseFlags parses args, letting flags follow the positional arguments too
// (carik validate dir --strict). It returns the exit code to stop with, or -1 to go on.
func parseFlags(fs *flagSet, args []string, stdio Stdio) ([]string, int) {
	var flags, positional []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			positional = append(positional, args[i+1:]...)
			i = len(args)
		case strings.HasPrefix(a, "-") && a != "-":
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if f := fs.Lookup(name); f != nil && !strings.Contains(name, "=") && !isBool(f) && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		default:
			positional = append(positional, a)
		}
	}
	fs.SetOutput(io.Discard) // the error is printed below, spelled as the usage lines spell flags
	err := fs.Parse(flags)
	fs.SetOutput(stdio.Err)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.help()
			return nil, exitOK
		}
		fmt.Fprintf(stdio.Err, "%s: %s\nRun \"%s --help\" for usage.\n", fs.Name(), flagError(err), fs.Name())
		return nil, exitUsage
	}
	return append(positional, fs.Args()...), -1
}

// flagError words an error of the flag package with the flags spelled "--name", as the usage
// lines and the flag lists spell them: "unknown flag --nope", "flag needs an argument: --url".
func flagError(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return "unknown flag --" + name
	}
	return flagName.ReplaceAllString(msg, "$1--$2")
}

// flagName matches a flag named in the flag package's errors ("-url", "for flag -max-bytes").
var flagName = regexp.MustCompile(`(^|[ :])-([A-Za-z][\w-]*)`)

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// printFlags lists the flags as the usage lines spell them, "--name VALUE", with their
// defaults (flag.PrintDefaults writes "-name").
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if name != "" && !isBool(f) {
			line += " " + name
		}
		switch f.DefValue {
		case "", "false", "0", "[]":
		default:
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, "%s\n    \t%s\n", line, strings.ReplaceAll(usage, "\n", "\n    \t"))
	})
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// usageError prints a short usage error and returns exitUsage.
func usageError(stdio Stdio, cmd, format string, a ...any) int {
	fmt.Fprintf(stdio.Err, "carik %s: %s\nRun \"carik %s --help\" for usage.\n", cmd, fmt.Sprintf(format, a...), cmd)
	return exitUsage
}

// isTerminal tells whether w is a terminal that may get colours.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

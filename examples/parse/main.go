// Command parse reads one webhook payload from a file (or standard input) and prints the typed
// event carik.Parse returns, or every violation. It exits 0 for a valid payload, 1 for an
// invalid one and 2 when it cannot read its input.
//
//	go run ./examples/parse testdata/payloads/valid/message.json
//	go run ./examples/parse -strict < payload.json
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/CarikBot/carik-go/carik"
)

func main() {
	strict := flag.Bool("strict", false, "reject unknown event types, properties and status values")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: parse [-strict] [FILE]   (standard input without FILE)")
		flag.PrintDefaults()
	}
	flag.Parse()
	os.Exit(run(flag.Args(), *strict, os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, strict bool, stdin io.Reader, stdout, stderr io.Writer) int {
	var body []byte
	var err error
	switch len(args) {
	case 0:
		body, err = io.ReadAll(stdin)
	case 1:
		body, err = os.ReadFile(args[0])
	default:
		fmt.Fprintln(stderr, "parse: give one file, or none to read standard input")
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "parse:", err)
		return 2
	}
	ev, err := carik.ParseOptions{Strict: strict}.Parse(body)
	var verr *carik.ValidationError
	switch {
	case errors.As(err, &verr):
		fmt.Fprintf(stdout, "invalid: %d violation(s)\n", len(verr.Violations))
		for _, v := range verr.Violations {
			fmt.Fprintf(stdout, "  %s: %s\n", v.Path, v.Message)
		}
		return 1
	case err != nil:
		fmt.Fprintln(stdout, "invalid:", err)
		return 1
	}
	out, _ := json.MarshalIndent(ev, "", "  ")
	fmt.Fprintf(stdout, "%T (event %q)\n%s\n", ev, ev.Type(), out)
	return 0
}

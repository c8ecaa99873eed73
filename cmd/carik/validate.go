package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/CarikBot/carik-go/carik"
)

// fileResult is the verdict on one file, in the shape of --json's lines.
type fileResult struct {
	File   string            `json:"file"`
	Valid  bool              `json:"valid"`
	Event  *string           `json:"event"`
	Errors []carik.Violation `json:"errors"`
}

func runValidate(_ context.Context, args []string, stdio Stdio) int {
	fs := newFlagSet("validate", "[--strict] [--json] FILE|DIR|- ...",
		"  carik validate --strict testdata/payloads/valid\n  curl -s https://example.com/hook.json | carik validate -", stdio)
	strict := fs.Bool("strict", false, "reject unknown event types, properties and status values (for CI)")
	asJSON := fs.Bool("json", false, `print one JSON object per file: {"file", "valid", "event", "errors"}`)
	paths, code := parseFlags(fs, args, stdio)
	if code >= 0 {
		return code
	}
	if len(paths) == 0 {
		return usageError(stdio, "validate", "give at least one file, directory or - (standard input)")
	}
	files, err := expand(paths)
	if err != nil {
		fmt.Fprintf(stdio.Err, "carik validate: %v\n", err)
		return exitUsage
	}
	opts := carik.ParseOptions{Strict: *strict}
	enc := json.NewEncoder(stdio.Out)
	enc.SetEscapeHTML(false)
	exit, valid, invalid := exitOK, 0, 0
	for _, file := range files {
		body, err := readInput(file, stdio.In)
		if err != nil {
			fmt.Fprintf(stdio.Err, "carik validate: %v\n", err)
			exit = exitUsage
			continue
		}
		r := check(file, body, opts)
		if r.Valid {
			valid++
		} else {
			invalid++
			if exit == exitOK {
				exit = exitInvalid
			}
		}
		if *asJSON {
			enc.Encode(r)
			continue
		}
		printResult(stdio.Out, r)
	}
	if !*asJSON {
		fmt.Fprintf(stdio.Out, "%d file(s): %d valid, %d invalid", valid+invalid, valid, invalid)
		if *strict {
			fmt.Fprint(stdio.Out, " (strict)")
		}
		fmt.Fprintln(stdio.Out)
	}
	return exit
}

// check validates one payload with the same code as carik.Validate.
func check(file string, body []byte, opts carik.ParseOptions) fileResult {
	r := fileResult{File: file, Errors: []carik.Violation{}}
	ev, err := opts.Parse(body)
	var verr *carik.ValidationError
	switch {
	case err == nil:
		r.Valid = true
		t := string(ev.Type())
		r.Event = &t
	case errors.As(err, &verr):
		r.Errors = verr.Violations
		if verr.Event != "" {
			t := string(verr.Event)
			r.Event = &t
		}
	default:
		// Not a single JSON object: one error about the whole document (pointer "").
		r.Errors = []carik.Violation{{Path: "", Message: err.Error()}}
	}
	return r
}

func printResult(w io.Writer, r fileResult) {
	if r.Valid {
		fmt.Fprintf(w, "ok  %s  (%s)\n", r.File, *r.Event)
		return
	}
	for _, v := range r.Errors {
		if v.Path == "" {
			fmt.Fprintf(w, "%s: %s\n", r.File, strings.TrimPrefix(v.Message, "carik: "))
			continue
		}
		fmt.Fprintf(w, "%s: %s: %s\n", r.File, v.Path, v.Message)
	}
}

// expand turns the arguments into files: a directory gives its *.json files, recursively and
// sorted; "-" stands for standard input.
func expand(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		if p == "-" {
			files = append(files, p)
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(d.Name(), ".json") {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%s: no *.json files", p)
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	return files, nil
}

func readInput(file string, stdin io.Reader) ([]byte, error) {
	if file == "-" {
		return io.ReadAll(stdin)
	}
	return os.ReadFile(file)
}
